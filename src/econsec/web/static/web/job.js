// Polls a job's status and updates the page; stops when the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var finishedAtLoad = box.getAttribute("data-finished") === "1";
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function render(state) {
    var status = field("status");
    status.textContent = state.status_label;
    status.className = "pill status-" + state.status;
    field("note").textContent = state.note || "";
    var pct = Math.round(state.progress * 100);
    field("bar").style.width = pct + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(pct));
    var err = field("error");
    err.textContent = state.error || "";
    err.hidden = !state.error;
    var result = field("result");
    if (state.result_url) { result.querySelector("a").setAttribute("href", state.result_url); }
    result.hidden = !state.result_url;
  }
  function poll(delay) {
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (state) {
          render(state);
          if (state.finished) {
            // The full report (problem table, summary) is rendered server-side: reload once.
            if (!finishedAtLoad) { window.location.reload(); }
            return;
          }
          poll(Math.min(delay * 1.5, 3000));
        })
        .catch(function () { poll(5000); });
    }, delay);
  }
  if (!finishedAtLoad) poll(500);
})();
