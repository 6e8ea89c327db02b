/* What every page shares (base.html): the error summary after a failed submit, and a top menu that keeps in view. */
(function () {
  "use strict";

  // After a failed submit, focus the error summary; its links move focus to the field they name, label in view.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var group = target.closest("fieldset, .mb-3, .form-check") || target;
      if (!target.matches("input, select, textarea, button, a[href], [tabindex]")) {
        target.setAttribute("tabindex", "-1");
      }
      group.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
  }

  // Whatever gets focus in the top menu is scrolled into view (a wrapped menu at high zoom may sit below the fold).
  var nav = document.querySelector(".portal-navbar");
  if (nav) {
    nav.addEventListener("focusin", function (event) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  }
})();
