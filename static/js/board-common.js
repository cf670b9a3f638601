/* Shared by the scoreboards: socket connection with versions, DOM helpers, clock, FLIP animation.
   Plain ES5 on purpose: TV browsers are often old. User text only ever goes in via textContent. */
(function () {
  "use strict";
  var Board = (window.Board = {});

  Board.el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  Board.clear = function (node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  };

  Board.state = function () {
    return JSON.parse(document.getElementById("board-state").textContent);
  };

  // The colours the event gave its organisations (a payload's "organisations": {name: colour}),
  // learnt from every payload; an organisation the event has not registered gets a stable
  // colour of its own from its name, so a team keeps its colour on every screen.
  Board.colours = {};
  Board.learnColours = function (colours) {
    for (var name in colours || {}) {
      if (Object.prototype.hasOwnProperty.call(colours, name)) Board.colours[name] = colours[name];
    }
  };
  Board.orgColour = function (name) {
    if (Object.prototype.hasOwnProperty.call(Board.colours, name)) return Board.colours[name];
    var hash = 0;
    for (var i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
    return "hsl(" + (Math.abs(hash) % 360) + ", 72%, 58%)";
  };

  // Text written in Chinese characters is marked zh-Hans, so that board.css draws it with a CJK
  // face first whatever the board's language (names blur first from across the hall otherwise).
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  Board.text = function (tag, cls, text) {
    var node = Board.el(tag, cls, text);
    if (text && HAN.test(String(text)) && Board.lang !== "zh") node.lang = "zh-Hans";
    return node;
  };

  // The competitor cell: organisation colour chip, code, name (none on anonymised skills) and,
  // on the full board, the organisation under the name. A team (r.members) has its organisation
  // beside its name and its members' names under it; members of other organisations each show
  // their own instead. All text goes in as text.
  Board.who = function (r, withOrganisation) {
    var cell = Board.el("div", "who");
    // no organisation (an anonymised skill before its results are published): no colour either
    var chip = Board.el("span", r.organisation ? "chip" : "chip none");
    if (r.organisation) chip.style.background = Board.orgColour(r.organisation);
    cell.appendChild(chip);
    var lines = Board.el("div", "lines");
    var line1 = Board.el("div", "line1");
    line1.appendChild(Board.el("span", "code", r.code));
    if (r.name) line1.appendChild(Board.text("span", "name", r.name));
    var members = (withOrganisation && r.members) || [];
    var names = [];
    var mixed = false;  // members of other organisations than the team's: each shows their own
    for (var i = 0; i < members.length; i++) {
      var m = members[i];
      var other = m.organisation && m.organisation !== r.organisation;
      mixed = mixed || other;
      names.push(other ? m.name + (Board.lang === "zh" ? "（" + m.organisation + "）" : " (" + m.organisation + ")") : m.name);
    }
    if (members.length) line1.className = "line1 team";
    if (members.length && r.organisation && !mixed) line1.appendChild(Board.text("span", "org-inline", r.organisation));
    lines.appendChild(line1);
    if (members.length) {
      lines.appendChild(Board.text("div", "members", names.join(Board.lang === "zh" ? "、" : " · ")));
    } else if (withOrganisation && r.organisation) {
      lines.appendChild(Board.text("div", "org", r.organisation));
    }
    cell.appendChild(lines);
    return cell;
  };

  Board.medalLabel = {
    gold: gettext("Gold"), silver: gettext("Silver"), bronze: gettext("Bronze"), medallion: gettext("Excellence")
  };
  // The other award codes of the scheme's award rule (scoring/awards.py); a threshold level the
  // scheme names itself is shown as named.
  Board.awardLabel = {
    first_prize: gettext("First prize"), second_prize: gettext("Second prize"), third_prize: gettext("Third prize"),
    pass: gettext("Pass"), merit: gettext("Merit"), distinction: gettext("Distinction"),
    best_of_nation: gettext("Best of Nation")
  };

  // The award cell: the main award as a badge (a medal, a prize band or a level), the Best of
  // Nation mark beside it; "in marking" for a competitor not yet complete.
  Board.award = function (r) {
    var cell = Board.el("div", "awards");
    var awards = r.awards || (r.medal ? [r.medal] : []);
    if (r.in_marking) {
      cell.appendChild(Board.el("span", "marking-state", gettext("in marking")));
      return cell;
    }
    awards.forEach(function (code, i) {
      if (code === "best_of_nation") {  // the star; the column's heading says what it means
        var mark = Board.el("span", "bon", "★");
        mark.title = Board.awardLabel.best_of_nation;
        cell.appendChild(mark);
      } else if (i === 0 && Board.medalLabel[code]) {
        cell.appendChild(Board.el("span", "medal m-" + code, Board.medalLabel[code]));
      } else if (i === 0) {
        cell.appendChild(Board.el("span", "medal prize p-" + code, Board.awardLabel[code] || code));
      }
    });
    return cell;
  };

  // The row's colour class: its medal, else its main award ("none" without one).
  Board.awardClass = function (r) {
    var main = r.medal || (r.awards && r.awards.length && r.awards[0] !== "best_of_nation" ? r.awards[0] : "none");
    return "medal-" + main;
  };

  // The board's language ("en" or "zh", from <html lang>, which the server sets from ?lang= or
  // the event's default). Payloads carry scheme names in every language they are written in
  // (`names`: {en, zh}); each board picks its own, or the plain `name`.
  Board.lang = (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  Board.name = function (item) {
    if (!item) return "";
    var names = item.names || {};
    return names[Board.lang] || item.name || "";
  };

  Board.clock = function (node) {
    function tick() {
      var d = new Date();
      node.textContent = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    }
    tick();
    setInterval(tick, 5000);
  };

  Board.pct = function (share) {
    return Math.round(share * 100) + "%";
  };

  var versions = {};
  var refetchHook = null;
  Board.accept = function (key, version) {
    var known = versions[key];
    if (known !== undefined && version < known) return false;
    if (known !== undefined && version > known + 1 && refetchHook) setTimeout(refetchHook, 0);
    versions[key] = version;
    return true;
  };

  /* Follow a room. `watch` is what the server's watch handler takes; `onState` gets every full
     state (the watch reply, the pushed messages and, while the socket is down, the polled
     state). Versions: a message older than what the board shows is dropped; a jump of more than
     one means messages were missed, so the board asks for the full state again.

     A board nobody watches must never pretend: when its socket is down for more than a moment
     the page is marked stale (body.stale: the board dimmed, the "Not live — last update 14:32"
     badge instead of the mode badge). Socket.IO reconnects with backoff (and after a server's
     own disconnect too); meanwhile the board polls `pollUrl` (the same state over HTTP), backing
     off while that fails. On reconnect it asks for the full state and is live again. */
  Board.GRACE_MS = 2500;  // a blip shorter than this is not shown
  Board.POLL_MS = 10000;  // polling while the socket is down; doubled after each failure, up to POLL_MAX_MS
  Board.POLL_MAX_MS = 60000;

  Board.hhmm = function (d) {
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  };

  Board.follow = function (watch, events, onState, connNode, pollUrl) {
    var socket = io({ reconnectionDelay: 1000, reconnectionDelayMax: 10000, randomizationFactor: 0.5 });
    Board.socket = socket;
    var staleBadge = document.getElementById("badge-stale");
    var lastUpdate = new Date();  // the page came with the state of this moment
    var live = false;
    var downTimer = null;
    var pollTimer = null;
    var pollDelay = Board.POLL_MS;

    function conn(text, down) {
      if (connNode) { connNode.textContent = text; connNode.className = down ? "conn down" : "conn"; }
    }
    function updated() { lastUpdate = new Date(); if (!live && document.body.classList.contains("stale")) markStale(); }
    function markStale() {
      if (staleBadge) staleBadge.textContent = gettext("Not live — last update %(time)s", { time: Board.hhmm(lastUpdate) });
      document.body.classList.add("stale");
    }
    function markLive() {
      live = true;
      clearTimeout(downTimer); downTimer = null;
      clearTimeout(pollTimer); pollTimer = null;
      pollDelay = Board.POLL_MS;
      document.body.classList.remove("stale");
      conn(gettext("live"), false);
    }
    function wentDown() {  // the socket stayed down past the grace period
      downTimer = null;
      if (live) return;
      markStale();
      if (pollUrl && !pollTimer) poll();
    }
    function notLive() {
      live = false;
      conn(gettext("reconnecting…"), true);
      if (!downTimer && !document.body.classList.contains("stale")) downTimer = setTimeout(wentDown, Board.GRACE_MS);
    }
    function poll() {
      pollTimer = null;
      if (live) return;
      var xhr = new XMLHttpRequest();
      var done = false;
      function next(ok) {
        if (done || live) return;
        done = true;
        pollDelay = ok ? Board.POLL_MS : Math.min(pollDelay * 2, Board.POLL_MAX_MS);
        pollTimer = setTimeout(poll, pollDelay);
      }
      xhr.open("GET", pollUrl, true);
      xhr.timeout = 8000;
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        var state = null;
        if (xhr.status === 200) { try { state = JSON.parse(xhr.responseText); } catch (e) { state = null; } }
        if (state && !state.error && !live) { onState(state, true); updated(); }
        next(!!state);
      };
      xhr.onerror = xhr.ontimeout = function () { next(false); };
      xhr.send();
    }

    function refetch() {
      socket.emit("watch", watch, function (state) {
        if (state && !state.error) onState(state, true);
        updated();
        markLive();
      });
    }
    refetchHook = refetch;
    socket.on("connect", refetch);  // live again once the full state is back, not before
    socket.on("disconnect", function (reason) {
      notLive();
      // the server ended the connection itself: Socket.IO does not come back on its own then
      if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, 1000 + Math.random() * 2000);
    });
    socket.on("connect_error", notLive);
    for (var i = 0; i < events.length; i++) {
      socket.on(events[i], function (state) { updated(); onState(state, false); });
    }
    notLive();  // until the first watch reply: "connecting…", stale if that takes long
    conn(gettext("connecting…"), true);
    setInterval(function () { if (socket.connected) refetch(); }, 60000);  // belt and braces for unattended screens
  };

  /* FLIP: rows keep their key (data-key); after a redraw each row that moved slides from its
     old place to its new one, so a rank change can be followed by eye. */
  Board.positions = function (container) {
    var out = {};
    var rows = container.querySelectorAll("[data-key]");
    for (var i = 0; i < rows.length; i++) out[rows[i].getAttribute("data-key")] = rows[i].getBoundingClientRect().top;
    return out;
  };
  Board.slide = function (container, before) {
    var rows = container.querySelectorAll("[data-key]");
    var moved = [];
    for (var i = 0; i < rows.length; i++) {
      var key = rows[i].getAttribute("data-key");
      if (before[key] === undefined) continue;
      var delta = before[key] - rows[i].getBoundingClientRect().top;
      if (Math.abs(delta) < 1) continue;
      rows[i].style.transition = "none";
      rows[i].style.transform = "translateY(" + delta + "px)";
      moved.push(rows[i]);
    }
    if (!moved.length) return;
    void container.offsetHeight;  // commit the start positions before animating
    for (var j = 0; j < moved.length; j++) {
      moved[j].style.transition = "transform .9s cubic-bezier(.2,.8,.2,1)";
      moved[j].style.transform = "";
    }
  };

  Board.mark = function (node, cls, ms) {
    node.classList.remove(cls);
    void node.offsetWidth;
    node.classList.add(cls);
    setTimeout(function () { node.classList.remove(cls); }, ms);
  };
})();
