/* Text-size and contrast toggles (适老化, GB/T 37668): no pop-up, remembered per browser.
   Loaded in <head> so the saved choice applies before the first paint. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEYS = ["text-large", "contrast-high"];
  function saved(key) {
    try { return window.localStorage.getItem("fao-" + key) === "1"; } catch (e) { return false; }
  }
  function store(key, on) {
    try { window.localStorage.setItem("fao-" + key, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  KEYS.forEach(function (key) { root.classList.toggle(key, saved(key)); });

  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.querySelector("[data-a11y-tools]");
    if (!tools) { return; }
    tools.hidden = false;  /* only offered when the script runs */
    tools.querySelectorAll("[data-a11y-toggle]").forEach(function (button) {
      var key = button.getAttribute("data-a11y-toggle");
      button.setAttribute("aria-pressed", root.classList.contains(key) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !root.classList.contains(key);
        root.classList.toggle(key, on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        store(key, on);
      });
    });
  });
}());
