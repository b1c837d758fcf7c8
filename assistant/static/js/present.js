/* Presentation mode: the keyboard follows the slide's own links (rel=next, prev, first, last and the exit
   link), so everything also works without this script. Slides are swapped in place, which keeps full screen. */
(function () {
  "use strict";

  var NEXT = ["ArrowRight", "PageDown", " ", "Spacebar", "n", "N"];
  var PREV = ["ArrowLeft", "PageUp", "p", "P", "Backspace"];

  function href(rel) {
    var link = document.querySelector('link[rel="' + rel + '"]') || document.querySelector('a[rel="' + rel + '"]');
    return link ? link.href : null;
  }

  function exitHref() {
    var a = document.querySelector("a[data-exit]");
    return a ? a.href : null;
  }

  function swap(url, push) {
    if (!window.fetch || !window.DOMParser || !window.history.pushState) {
      window.location.href = url;
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("reload"); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["first", "prev", "next", "last"].forEach(function (rel) {
          var old = document.querySelector('link[rel="' + rel + '"]');
          if (old) { old.remove(); }
          var fresh = doc.querySelector('link[rel="' + rel + '"]');
          if (fresh) { document.head.appendChild(fresh); }
        });
        document.title = doc.title;
        document.body.replaceWith(document.adoptNode(doc.body));
        if (push) { window.history.pushState({ slide: url }, "", url); }
        var main = document.getElementById("slide");
        if (main) { main.focus({ preventScroll: true }); main.scrollTop = 0; }
      })
      .catch(function () { window.location.href = url; });
  }

  function toggleFullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen(); }
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))) { return; }
    // Space or Enter on a focused link keeps its usual meaning.
    if ((event.key === " " || event.key === "Enter") && target && target.tagName === "A") { return; }
    var url = null;
    if (NEXT.indexOf(event.key) >= 0) { url = href("next"); }
    else if (PREV.indexOf(event.key) >= 0) { url = href("prev"); }
    else if (event.key === "Home") { url = href("first"); }
    else if (event.key === "End") { url = href("last"); }
    else if (event.key === "Escape") {
      if (document.fullscreenElement) { return; } // the browser leaves full screen first
      var exit = exitHref();
      if (exit) { event.preventDefault(); window.location.href = exit; }
      return;
    } else if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      toggleFullscreen();
      return;
    } else { return; }
    event.preventDefault();
    if (url && url !== window.location.href) { swap(url, true); }
  });

  window.addEventListener("popstate", function () { swap(window.location.href, false); });
})();
