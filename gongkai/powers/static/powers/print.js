// The service guide's "print this page" button (no inline script: the CSP forbids it). Without
// JavaScript the button stays hidden and the browser's own print command does the same.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
