/* The event overview: every skill's progress and leader on the right, a spotlight on the left
   that rotates through the skills on a timer (for screens nobody touches all day). */
(function () {
  "use strict";
  var B = window.Board;
  var body = document.body;
  var EVENT = body.getAttribute("data-event");
  var ROTATE = parseInt(body.getAttribute("data-rotate"), 10) || 15;
  var spot = document.getElementById("spot");
  var list = document.getElementById("skills");
  var timer = document.getElementById("timer");
  var state = B.state();
  var at = 0;

  B.clock(document.getElementById("clock"));

  function tag(cls, text) { return B.el("span", "tag " + cls, text); }
  function modeTag(s) {
    if (s.mode === "embargoed") return tag("embargoed", gettext("Embargoed"));
    if (s.mode === "reveal") return tag("reveal", gettext("Ceremony"));
    return tag("live", gettext("Live"));
  }
  function bar(share) {
    var node = B.el("div", "bar");
    var fill = B.el("span");
    fill.style.width = B.pct(share);
    node.appendChild(fill);
    return node;
  }

  function card(s, on) {
    var node = B.el("div", "card" + (on ? " on" : ""));
    var top = B.el("div", "top");
    top.appendChild(B.text("div", "sname", B.name(s)));  // the whole line: the skill's name is what is looked for
    node.appendChild(top);
    var line = B.el("div", "line");
    if (s.official) line.appendChild(tag("official", gettext("Official")));
    else if (s.provisional && s.leaders.length) line.appendChild(tag("provisional", gettext("Provisional")));
    line.appendChild(modeTag(s));
    line.appendChild(bar(s.progress));
    line.appendChild(B.el("span", "num", B.pct(s.progress)));  // the share marked; the spotlight says so in words
    node.appendChild(line);
    var lead = B.el("div", "leader");
    var first = s.leaders.length && !s.leaders[0].in_marking ? s.leaders[0] : null;  // in marking: no place yet
    if (first) {
      lead.appendChild(B.el("b", "", gettext("1st")));
      lead.appendChild(document.createTextNode(" " + (first.name || first.code) + (first.organisation ? " · " + first.organisation : "")));
    } else {
      lead.textContent = s.mode === "embargoed" ? gettext("Results under embargo")
        : s.mode === "reveal" ? gettext("Results revealed at the ceremony")
        : s.leaders.length ? gettext("No competitor completely marked yet") : gettext("No marks yet");
      lead.style.color = "var(--muted)";
    }
    node.appendChild(lead);
    return node;
  }

  function leaderRow(r) {
    var row = B.el("div", "row " + B.awardClass(r) + (r.in_marking ? " in-marking" : ""));
    row.setAttribute("data-key", r.code);
    row.appendChild(B.el("div", "rank num", r.in_marking ? "–" : r.rank));
    row.appendChild(B.who(r, true));  // the organisation under the name, as on the skill's board
    row.appendChild(B.el("div", "total num", r.total));
    row.appendChild(B.award(r));
    return row;
  }

  function renderSpot(s, animate) {
    B.learnColours(s.organisations);
    var before = animate ? B.positions(spot) : {};
    B.clear(spot);
    spot.appendChild(B.el("h2", "", B.name(s)));
    var meta = B.el("div", "meta");
    meta.appendChild(modeTag(s));
    if (s.official) meta.appendChild(tag("official", gettext("Official")));
    else if (s.provisional && s.leaders.length) meta.appendChild(tag("provisional", gettext("Provisional")));
    meta.appendChild(B.el("span", "", ngettext("%(num)s competitor", "%(num)s competitors", s.competitors)));
    meta.appendChild(bar(s.progress));
    meta.appendChild(B.el("span", "num", gettext("%(percent)s marked", { percent: B.pct(s.progress) })));
    spot.appendChild(meta);
    var rows = B.el("div", "rows");
    if (s.leaders.length) {
      var vh = window.innerHeight / 100;
      var fit = Math.max(3, Math.floor((spot.clientHeight - 17 * vh) / (7.95 * vh)));
      s.leaders.slice(0, fit).forEach(function (r) { rows.appendChild(leaderRow(r)); });
    } else {
      var box = B.el("div", "curtain");
      box.appendChild(B.el("div", "big", s.mode === "embargoed" ? gettext("Under embargo")
        : s.mode === "reveal" ? gettext("Results ceremony") : gettext("Marking under way")));
      box.appendChild(B.el("div", "small", s.mode === "embargoed"
        ? gettext("Scores are hidden until the organisers publish them. Marking: %(percent)s", { percent: B.pct(s.progress) })
        : s.mode === "reveal" ? gettext("The final standings will be revealed place by place.") : gettext("Scores appear here as the judges mark.")));
      rows.appendChild(box);
      rows.style.display = "flex";
    }
    spot.appendChild(rows);
    if (animate) B.slide(spot, before);
  }

  function renderList() {
    B.clear(list);
    var vh = window.innerHeight / 100;
    var per = Math.max(1, Math.floor(list.clientHeight / (19 * vh)));
    var first = Math.floor(at / per) * per;
    state.skills.slice(first, first + per).forEach(function (s, i) { list.appendChild(card(s, first + i === at)); });
    var next = state.skills[(at + 1) % state.skills.length];
    document.getElementById("next").textContent = state.skills.length > 1 ? gettext("Next: %(skill)s", { skill: B.name(next) }) : "";
  }

  function render(animate) {
    if (!state.skills.length) {
      B.clear(spot);
      spot.appendChild(B.el("div", "curtain big", gettext("No skills yet")));
      return;
    }
    renderSpot(state.skills[at], animate);
    renderList();
  }

  function rotate() {
    if (state.skills.length > 1) at = (at + 1) % state.skills.length;
    render(false);
    timer.className = "timer";
    void timer.offsetWidth;
    timer.className = "timer run";
  }

  function apply(message, full) {
    if (!message || message.error) return;
    if (full) {  // the watch reply: the whole event
      if (message.event !== EVENT) return;
      message.skills.forEach(function (s) { B.accept(s.skill, s.version); });
      state = message;
      if (at >= state.skills.length) at = 0;
      render(true);
      return;
    }
    if (!B.accept(message.skill, message.version)) return;
    for (var i = 0; i < state.skills.length; i++) {
      if (state.skills[i].skill === message.skill) {
        state.skills[i] = message;
        if (i === at) renderSpot(message, true);
        renderList();
      }
    }
  }

  state.skills.forEach(function (s) { B.accept(s.skill, s.version); });
  render(false);
  timer.className = "timer run";
  setInterval(rotate, ROTATE * 1000);
  window.addEventListener("resize", function () { render(false); });
  B.follow({ event: EVENT }, ["overview"], apply, document.getElementById("conn"), body.getAttribute("data-state-url"));
})();
