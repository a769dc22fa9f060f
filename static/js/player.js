// The lesson player: resume at the saved position and save it as the learner watches.
// Marking a lesson complete is a form (htmx swaps the panel); this file only adds the position.
(function () {
  "use strict";
  var SAVE_EVERY_SECONDS = 10;

  function setUp(player) {
    var video = player.querySelector("video");
    var url = player.getAttribute("data-progress-url");
    if (!video || !url) { return; }
    var saved = parseInt(player.getAttribute("data-position") || "0", 10) || 0;
    var enrolled = player.getAttribute("data-enrolled") === "true";
    var lastSent = saved;

    function resume() {
      if (saved > 0 && isFinite(video.duration) && saved < video.duration - 1) {
        video.currentTime = saved;
      }
    }
    if (video.readyState >= 1) { resume(); } else { video.addEventListener("loadedmetadata", resume, { once: true }); }

    function save(force) {
      if (!enrolled) { return; }
      var position = Math.floor(video.currentTime || 0);
      if (!force && Math.abs(position - lastSent) < SAVE_EVERY_SECONDS) { return; }
      lastSent = position;
      fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": player.getAttribute("data-csrf") || "" },
        body: JSON.stringify({ completed: false, position_seconds: Math.min(position, 86400) })
      }).catch(function () { /* the next save will try again */ });
    }
    video.addEventListener("timeupdate", function () { save(false); });
    video.addEventListener("pause", function () { save(true); });
    video.addEventListener("seeked", function () { save(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(true); }
    });
  }

  function init() {
    var players = document.querySelectorAll(".player[data-progress-url]");
    for (var i = 0; i < players.length; i++) { setUp(players[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
