// Autosave of an agreement draft: a progressive enhancement. Without JavaScript the Save button does the same.
// Typed text is never lost: it is saved two seconds after the last keystroke, and at once when the leader leaves a
// field, switches tab or leaves the page (a keepalive request outlives the page).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;
  var submitting = false;

  function save() {
    window.clearTimeout(timer);
    if (!dirty || submitting) { return; }
    dirty = false;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
      keepalive: true
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (status) { status.textContent = data.saved ? data.message : data.error; }
    }).catch(function () {
      dirty = true; // try again on the next change or when leaving
    });
  }

  form.addEventListener("input", function () {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 2000);
  });
  // Leaving a field saves at once, unless the leader is going to the Save button, which saves the same text.
  form.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (next && next.type === "submit" && next.form === form) { return; }
    save();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(); }
  });
  window.addEventListener("pagehide", save);
  window.addEventListener("beforeunload", save);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    submitting = true;
  });
})();
