// The finder's filters are folded on a phone so the results come first; on a wide screen there is room, so they
// start open. The server already opens them when a filter is in use; the person can always fold or unfold them.
(function () {
  "use strict";
  var details = document.getElementById("finder-filters");
  if (details && window.matchMedia && window.matchMedia("(min-width: 768px)").matches) {
    details.open = true;
  }
})();
