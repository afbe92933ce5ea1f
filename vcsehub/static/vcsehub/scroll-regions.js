// A wide table scrolls sideways inside its .table-wrap. Keyboard users can only scroll a
// box that can take focus, so each wrap that overflows becomes a named, focusable region
// (and stops being one when the window is wide enough that it no longer scrolls).
(function () {
  "use strict";
  function label(wrap) {
    var caption = wrap.querySelector("caption");
    var text = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "";
    return (text || "Table") + " (scrolls sideways)";
  }
  function update() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.dataset.regionFixed === undefined) {
        wrap.dataset.regionFixed = wrap.hasAttribute("tabindex") ? "yes" : "";
      }
      if (wrap.dataset.regionFixed === "yes") continue;
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label(wrap));
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }
  update();
  window.addEventListener("resize", update);
})();
