// The wallet's share buttons (credentials/wallet.html): <button data-share="<id of the link's field>">.
// The phone's share sheet where there is one, else the link copied; the field shows it either way.
(function () {
  "use strict";
  // The sentences come from the page, in its language (data-say-copied, data-say-not-copied).
  function say(button, what) {
    var status = button.closest(".wallet-share").querySelector("[data-share-status]");
    if (status) { status.textContent = status.getAttribute("data-say-" + what); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-share]").forEach(function (button) {
      if (navigator.share || (navigator.clipboard && window.isSecureContext)) {
        button.hidden = false;
        if (navigator.share) { button.firstChild.textContent = button.getAttribute("data-share-label"); }
      }
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-share]");
    if (!button) { return; }
    var url = document.getElementById(button.getAttribute("data-share")).value;
    if (navigator.share) {
      navigator.share({ title: button.getAttribute("data-share-title"), url: url }).catch(function () {});
      return;
    }
    navigator.clipboard.writeText(url).then(
      function () { say(button, "copied"); },
      function () { say(button, "not-copied"); }
    );
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-share-field]")) { event.target.select(); }
  });
})();
