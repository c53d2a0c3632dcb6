// Live progress of a background import: polls the job's JSON once a second and reloads
// the page when the job has finished (to show the outcome and the error report link).
(function () {
  "use strict";
  function start() {
    var root = document.querySelector(".import-job");
    if (!root || root.dataset.finished === "true") {
      return;
    }
    var url = root.dataset.progressUrl;
    var bar = document.getElementById("import-progress");
    function set(id, value) {
      var node = document.getElementById(id);
      if (node) {
        node.textContent = value;
      }
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.max = data.total || 1;
          bar.value = data.processed;
          bar.textContent = data.percent + "%";
          set("import-processed", data.processed);
          set("import-total", data.total);
          set("import-errors", data.errors);
          set("import-status", data.status_display);
          if (data.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  }
  document.addEventListener("DOMContentLoaded", start);
})();
