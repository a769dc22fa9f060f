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
})();
