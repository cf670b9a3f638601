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

  // The competitor cell: organisation colour chip, code, name (none on anonymised skills) and,
  // on the full board, the organisation under the name. A team (r.members) has its organisation
  // beside its name and its members' names under it; members of other organisations each show
  // their own instead. All text goes in as text.
  Board.who = function (r, withOrganisation) {
    var cell = Board.el("div", "who");
    var chip = Board.el("span", "chip");
    chip.style.background = Board.orgColour(r.organisation || "");
    cell.appendChild(chip);
    var lines = Board.el("div", "lines");
    var line1 = Board.el("div", "line1");
    line1.appendChild(Board.el("span", "code", r.code));
    if (r.name) line1.appendChild(Board.el("span", "name", r.name));
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
    if (members.length && r.organisation && !mixed) line1.appendChild(Board.el("span", "org-inline", r.organisation));
    lines.appendChild(line1);
    if (members.length) {
      lines.appendChild(Board.el("div", "members", names.join(Board.lang === "zh" ? "、" : " · ")));
    } else if (withOrganisation) {
      lines.appendChild(Board.el("div", "org", r.organisation));
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
     state (the watch reply and the pushed messages). Versions: a message older than what the
     board shows is dropped; a jump of more than one means messages were missed, so the board
     asks for the full state again (pushed messages are full states too, so it is whole anyway). */
  Board.follow = function (watch, events, onState, connNode) {
    var socket = io({ reconnectionDelayMax: 5000 });
    Board.socket = socket;

    function refetch() {
      socket.emit("watch", watch, function (state) {
        if (state && !state.error) onState(state, true);
      });
    }
    refetchHook = refetch;
    socket.on("connect", function () {
      if (connNode) { connNode.textContent = gettext("live"); connNode.className = "conn"; }
      refetch();
    });
    socket.on("disconnect", function () {
      if (connNode) { connNode.textContent = gettext("reconnecting…"); connNode.className = "conn down"; }
    });
    for (var i = 0; i < events.length; i++) {
      socket.on(events[i], function (state) { onState(state, false); });
    }
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
