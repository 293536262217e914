// The import page sends each form once: a second click (or Enter) while the first answer is on
// its way would start a second import. Progressive enhancement only: the server refuses a staged
// file that is already being imported, and the page works without this script.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) {
    return;
  }
  if (form.hasAttribute("data-sent")) {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-sent", "");
  // Disabled after this event, so the pressed button's name=value still goes with the form.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  }, 0);
});
// Coming back with the browser's Back button restores the page as it was left: usable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form[data-sent]").forEach(function (form) {
    form.removeAttribute("data-sent");
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
});
