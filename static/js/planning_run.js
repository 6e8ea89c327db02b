// The planning page follows its run: a progressive enhancement of the Update link. It asks the run's status every
// two seconds, says it in the polite live region (screen readers hear each new step once), and moves on to the
// year's page when the run is done. A failed run stays on the page with its reason.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box || !window.fetch || box.getAttribute("data-finished") === "true") { return; }
  var message = document.getElementById("run-message");
  var bar = document.getElementById("run-bar");
  var refresh = document.getElementById("run-refresh");
  var back = document.getElementById("run-back");
  var url = box.getAttribute("data-status-url");
  var failures = 0;

  function show(data) {
    if (message.textContent !== data.message) { message.textContent = data.message; }
    message.setAttribute("data-status", data.status);
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.status === "done") {
          window.setTimeout(function () { window.location.assign(data.next_url); }, 1500);
        } else if (data.finished) {
          if (refresh) { refresh.parentNode.hidden = true; }
          if (back) { back.focus(); }
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        // A passing fault: try a few more times, then leave the Update link to the user.
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, 4000); }
      });
  }

  window.setTimeout(poll, 2000);
})();
