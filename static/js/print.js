// Show a Print button where JavaScript can print; the browser's own print works without it.
(function () {
  "use strict";
  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () { window.print(); });
  });
})();
