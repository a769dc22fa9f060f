// Momentum's small progressive enhancements. Pages work without this file.
(function () {
  "use strict";
  // Confirm buttons that ask for it: <button data-confirm="Delete this course?">
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Menu buttons on narrow screens (a disclosure): <button data-menu-toggle aria-expanded="false"
  // aria-controls="site-nav">. The CSS shows the controlled menu while aria-expanded is "true".
  function openToggles() {
    return document.querySelectorAll("[data-menu-toggle][aria-expanded='true']");
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    }
  });
  // Escape closes an open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openToggles().forEach(function (toggle) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      toggle.setAttribute("aria-expanded", "false");
      if (menu && menu.contains(document.activeElement)) {
        toggle.focus();
      }
    });
  });

  // A table or chart too wide for the screen scrolls sideways in its box: the box then takes the
  // keyboard focus (Tab, then the arrow keys scroll it), named after its section's heading.
  function focusableScrollers() {
    // The words, in the page's language, from base.html's <meta name="momentum-scrolls">.
    var words = document.querySelector('meta[name="momentum-scrolls"]');
    var alone = words ? words.getAttribute("content") : "Scrolls sideways";
    var afterHeading = words ? words.getAttribute("data-after-heading") : "scrolls sideways";
    document.querySelectorAll(".table-wrap, .chart-card").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var section = box.closest("[aria-labelledby]");
        var heading = box.querySelector("h2, h3, caption") || (section && document.getElementById(section.getAttribute("aria-labelledby")));
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("data-scroll-region", "");
        if (!box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", heading ? heading.textContent.trim() + " (" + afterHeading + ")" : alone);
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        ["tabindex", "role", "data-scroll-region"].forEach(function (name) { box.removeAttribute(name); });
        if (!box.hasAttribute("aria-labelledby")) {
          box.removeAttribute("aria-label");
        }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
})();
