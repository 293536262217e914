/* A wide table's wrapper ({% scroll_region %}) is a named region and a Tab stop, so a keyboard can
 * scroll it sideways. Where the table fits (a wide screen), there is nothing to scroll and the stop
 * only costs a keypress: it is taken away, and given back when a narrower window makes the table
 * overflow again. Without this script every wrapper stays a stop, which is the safe default.
 *
 * The label moves to data-region-label while the wrapper is a plain box: aria-label on a <div>
 * without a role is not allowed (axe aria-prohibited-attr).
 */
(function () {
  "use strict";

  function overflows(wrapper) {
    return wrapper.scrollWidth > wrapper.clientWidth || wrapper.scrollHeight > wrapper.clientHeight;
  }

  function makeStop(wrapper) {
    var label = wrapper.getAttribute("data-region-label");
    if (label !== null) {
      wrapper.setAttribute("aria-label", label);
      wrapper.removeAttribute("data-region-label");
    }
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("tabindex", "0");
  }

  function makePlain(wrapper) {
    // Not while it has the focus: the keyboard user would lose their place. Checked again on blur.
    if (document.activeElement === wrapper) return;
    var label = wrapper.getAttribute("aria-label");
    if (label !== null) {
      wrapper.setAttribute("data-region-label", label);
      wrapper.removeAttribute("aria-label");
    }
    wrapper.removeAttribute("role");
    wrapper.removeAttribute("tabindex");
  }

  function update(wrapper) {
    if (overflows(wrapper)) makeStop(wrapper);
    else makePlain(wrapper);
  }

  function start() {
    var wrappers = Array.prototype.slice.call(document.querySelectorAll(".table-scroll"));
    if (!wrappers.length) return;
    wrappers.forEach(function (wrapper) {
      update(wrapper);
      wrapper.addEventListener("blur", function () { update(wrapper); });
    });
    if (typeof ResizeObserver === "function") {
      // The wrapper changes size with the window; its table with fonts, large text or content.
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var wrapper = entry.target.closest(".table-scroll");
          if (wrapper) update(wrapper);
        });
      });
      wrappers.forEach(function (wrapper) {
        observer.observe(wrapper);
        if (wrapper.firstElementChild) observer.observe(wrapper.firstElementChild);
      });
    } else {
      var pending = false;
      window.addEventListener("resize", function () {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          wrappers.forEach(update);
        });
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
