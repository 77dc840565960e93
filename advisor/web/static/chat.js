// The chat page's live part, for a browser with JavaScript (without it the page's frame reloads itself instead).
//
// A screen reader announces what changes in a live region that is already on the page, not what arrives with a
// page load: so the frame (a page that reloads) goes, and this reads the frame's page every few seconds and puts
// only what is new into the chat page's own regions. A new line is added to the log (the lines already there stay
// as they are: nothing is read out twice); the status changes only when its words do. The focus stays where the
// shopper is (the message field). The reading stops when the chat has ended, or the session has (a redirect).
(function () {
  "use strict";
  var box = document.getElementById("chat-now");
  var frame = document.querySelector("iframe.chat-live");
  if (!box || !frame || !window.fetch || !window.DOMParser) {
    return; // the frame stays, and reloads itself
  }
  var status = document.getElementById("chat-status");
  var lines = document.getElementById("chat-lines");
  var source = box.getAttribute("data-source");
  var seen = {}; // the ids of the lines shown
  var every = 4; // seconds until the next look: the frame's own refresh says how many (the server's setting)
  var started = false;

  function words(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function copied(element) {
    var nodes = [];
    for (var i = 0; i < element.childNodes.length; i++) {
      nodes.push(document.importNode(element.childNodes[i], true));
    }
    return nodes;
  }

  function setStatus(nodes, state) {
    var fresh = document.createElement("p");
    fresh.append.apply(fresh, nodes);
    if (words(fresh) !== words(status)) {
      status.replaceChildren.apply(status, copied(fresh));
    }
    box.setAttribute("data-state", state);
  }

  function show() {
    // The first look fills the regions while they are hidden (nothing is announced), then they replace the frame.
    if (started) {
      return;
    }
    started = true;
    var focused = document.activeElement === frame;
    frame.remove();
    box.hidden = false;
    var field = document.getElementById("message");
    if (focused && field) {
      field.focus();
    }
  }

  function ended() {
    // The session is gone or the request with it (a redirect instead of the page): the chat is over.
    var link = document.createElement("a");
    link.href = "/advice/chat";
    link.textContent = box.getAttribute("data-ended-link");
    setStatus([document.createTextNode(box.getAttribute("data-ended") + " "), link], "ended");
    show();
  }

  function apply(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var shown = page.querySelector("[role=status]");
    if (shown) {
      setStatus(copied(shown), shown.getAttribute("data-state") || "");
    }
    var items = page.querySelectorAll("ol.chat > li[data-id]");
    for (var i = 0; i < items.length; i++) {
      var id = items[i].getAttribute("data-id");
      if (!seen[id]) {
        seen[id] = true;
        lines.appendChild(document.importNode(items[i], true));
      }
    }
    show();
    var refresh = page.querySelector("meta[http-equiv=refresh]");
    var seconds = refresh ? parseInt(refresh.getAttribute("content"), 10) : NaN;
    if (!(seconds > 0)) {
      box.setAttribute("data-polling", "stopped"); // ended or expired: nothing will change any more
      return;
    }
    every = seconds;
    later();
  }

  function later() {
    window.setTimeout(look, every * 1000);
  }

  function look() {
    fetch(source, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.redirected) {
          box.setAttribute("data-polling", "stopped");
          ended();
          return null;
        }
        if (!response.ok) {
          later(); // the server could not answer this time (busy, restarting): look again
          return null;
        }
        return response.text().then(apply);
      })
      .catch(later); // no connection for a moment: look again
  }

  look();
})();
