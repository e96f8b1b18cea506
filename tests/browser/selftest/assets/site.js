// Seeking: a click on any .seek element moves the player to its data-start and plays; #t=SECONDS on load
// seeks too; the current chapter's entry is marked while playing.
(function () {
  var player = document.getElementById("player");
  if (!player) return;
  function seek(seconds) {
    if (!isFinite(seconds)) return;
    player.currentTime = seconds;
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest(".seek") : null;
    if (!target) return;
    event.preventDefault();
    seek(parseFloat(target.getAttribute("data-start")));
  });
  var match = /^#t=([0-9.]+)$/.exec(location.hash);
  if (match) {
    var at = parseFloat(match[1]);
    if (player.readyState >= 1) player.currentTime = at;
    else player.addEventListener("loadedmetadata", function () { player.currentTime = at; }, { once: true });
  }
  var chapters = Array.prototype.slice.call(document.querySelectorAll("ol.chapters > li"));
  player.addEventListener("timeupdate", function () {
    var current = -1;
    chapters.forEach(function (li, i) {
      if (parseFloat(li.querySelector(".seek").getAttribute("data-start")) <= player.currentTime) current = i;
    });
    chapters.forEach(function (li, i) {
      if (i === current) li.setAttribute("aria-current", "true");
      else li.removeAttribute("aria-current");
    });
  });
})();
