/* The admin (templates/admin/base_site.html). Django's two-list filter widget puts an aria-label on a plain span, which
   ARIA forbids (axe: aria-prohibited-attr); the span names an icon, so it gets the role of one. The widget is built
   on load, so an observer catches it as it appears. */
(function () {
  "use strict";
  function nameIcons(root) {
    root.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  new MutationObserver(function () {
    nameIcons(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
