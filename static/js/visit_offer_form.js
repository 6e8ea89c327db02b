// The offer form shows the fields of the kind chosen (a single time, or times every week) and hides the other
// fieldset. Hidden fields keep what was typed, so switching back loses nothing; without JavaScript both show.
(function () {
  "use strict";
  var form = document.getElementById("offer-form");
  if (!form) { return; }
  var radios = form.querySelectorAll('input[name="kind"]');
  var fieldsets = form.querySelectorAll("fieldset[data-offer-kind]");

  function show() {
    var chosen = form.querySelector('input[name="kind"]:checked');
    var kind = chosen ? chosen.value : "";
    fieldsets.forEach(function (fieldset) {
      fieldset.hidden = kind !== "" && fieldset.getAttribute("data-offer-kind") !== kind;
    });
  }

  radios.forEach(function (radio) { radio.addEventListener("change", show); });
  show();
})();
