// castkit's player script: the chapter and transcript links seek the player and play, a `#t=SECONDS`
// fragment seeks on load, and the chapter playing is marked with aria-current. No framework, no request:
// without it every link is a plain anchor and the player still plays.
(function () {
  "use strict";
  var player = document.getElementById("player");
  if (!player) {
    return;
  }
  var chapters = Array.prototype.slice.call(document.querySelectorAll("ol.chapters > li"));
  var chapterStarts = chapters.map(function (item) {
    var link = item.querySelector(".seek");
    return link ? parseFloat(link.getAttribute("data-start")) : NaN;
  });

  function seek(seconds, play) {
    if (!isFinite(seconds) || seconds < 0) {
      return;
    }
    var go = function () {
      player.currentTime = seconds;
      if (play) {
        var started = player.play();
        if (started && started.catch) {
          started.catch(function () {});
        }
      }
      markChapter();
    };
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener("loadedmetadata", go, { once: true });
      if (player.preload === "none") {
        player.load();
      }
    }
  }

  function markChapter() {
    var now = player.currentTime;
    var current = -1;
    for (var i = 0; i < chapterStarts.length; i++) {
      if (chapterStarts[i] <= now + 0.001) {
        current = i;
      }
    }
    chapters.forEach(function (item, i) {
      if (i === current) {
        item.setAttribute("aria-current", "true");
      } else {
        item.removeAttribute("aria-current");
      }
    });
  }

  function fromFragment() {
    var match = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    if (match) {
      seek(parseFloat(match[1]), false);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest(".seek") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var start = parseFloat(link.getAttribute("data-start"));
    if (!isFinite(start)) {
      return;
    }
    event.preventDefault();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#t=" + link.getAttribute("data-start"));
    }
    seek(start, true);
  });
  player.addEventListener("timeupdate", markChapter);
  player.addEventListener("seeked", markChapter);
  window.addEventListener("hashchange", fromFragment);
  fromFragment();
})();
