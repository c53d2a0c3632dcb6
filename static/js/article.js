/* The disclosure page's 字号 大/中/小 and 打印 buttons, and the folded header table on phones.
   An external file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var SIZES = ["large", "medium", "small"];
  function saved() {
    try { return window.localStorage.getItem("fao-article-size") || "medium"; } catch (e) { return "medium"; }
  }
  function store(size) {
    try { window.localStorage.setItem("fao-article-size", size); } catch (e) { /* private mode */ }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.querySelector("[data-article-tools]");
    var body = document.getElementById("article-body");
    var details = document.querySelector(".meta-details");
    if (details && window.matchMedia("(max-width: 48rem)").matches) {
      details.open = false;
    }
    /* Print the whole header table, even when it was folded. */
    window.addEventListener("beforeprint", function () { if (details) { details.open = true; } });
    if (!tools || !body) { return; }
    tools.hidden = false;
    function apply(size) {
      SIZES.forEach(function (name) { body.classList.toggle("size-" + name, name === size && name !== "medium"); });
      tools.querySelectorAll("[data-font-size]").forEach(function (button) {
        button.setAttribute("aria-pressed", button.getAttribute("data-font-size") === size ? "true" : "false");
      });
    }
    apply(SIZES.indexOf(saved()) >= 0 ? saved() : "medium");
    tools.querySelectorAll("[data-font-size]").forEach(function (button) {
      button.addEventListener("click", function () {
        var size = button.getAttribute("data-font-size");
        apply(size);
        store(size);
      });
    });
    var print = tools.querySelector("[data-print]");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  });
}());
