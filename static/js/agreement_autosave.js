// Autosave of an agreement draft: a progressive enhancement. Without JavaScript the Save button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;

  function save() {
    if (!dirty) { return; }
    dirty = false;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (status) { status.textContent = data.saved ? data.message : data.error; }
    }).catch(function () {
      dirty = true; // try again on the next change
    });
  }

  form.addEventListener("input", function () {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 2000);
  });
  form.addEventListener("submit", function () { window.clearTimeout(timer); });
})();
