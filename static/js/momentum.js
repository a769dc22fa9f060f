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
})();
