/* One skill's board: full standings (live), progress only (embargoed), or the reveal ceremony. */
(function () {
  "use strict";
  var B = window.Board;
  var body = document.body;
  var EVENT = body.getAttribute("data-event");
  var SKILL = body.getAttribute("data-skill");
  var PAGE_SECONDS = parseInt(body.getAttribute("data-page-seconds"), 10) || 12;
  var grid = document.getElementById("grid");
  var notice = document.getElementById("notice");
  var pagesNode = document.getElementById("pages");
  var current = null;
  var page = 0;
  var lastTotals = {};
  var lastRanks = {};
  var lastRevealed = null;

  B.clock(document.getElementById("clock"));

  function badge(node, cls, text) {
    node.className = "badge " + cls;
    node.textContent = text;
  }

  function columns(state) {
    // widths for the type scale of board.css (names 4vh, scores 3.4-4.8vh, small text 3vh)
    if (state.mode === "embargoed") return "minmax(0, 1.3fr) minmax(0, 1fr) 12vh";
    var crit = state.criteria.length > 6 ? "8.5vh" : "9.5vh";
    var bon = state.standings.some(function (r) { return (r.awards || []).indexOf("best_of_nation") >= 0; });
    return "9vh minmax(0, 1fr) repeat(" + state.criteria.length + ", " + crit + ") 14vh 9.5vh " + (bon ? "29vh" : "23vh");
  }

  function whoHeading(state) {
    if (state.teams) return gettext("Team · members");
    return state.organisations_withheld ? gettext("Competitor") : gettext("Competitor · organisation");
  }

  function headRow(state) {
    var row = B.el("div", "row head");
    if (state.mode === "embargoed") {
      row.appendChild(B.el("div", "", whoHeading(state)));
      row.appendChild(B.el("div", "", gettext("Aspects marked")));
      row.appendChild(B.el("div", "num", ""));
      return row;
    }
    row.appendChild(B.el("div", "num", gettext("Rank")));
    row.appendChild(B.el("div", "", whoHeading(state)));
    state.criteria.forEach(function (c) {
      var cell = B.el("div", "num", c.id);
      cell.title = B.name(c);
      cell.appendChild(B.el("small", "", " /" + parseFloat(c.max)));
      row.appendChild(cell);
    });
    var total = B.el("div", "num", gettext("Total"));
    total.appendChild(B.el("small", "", " /" + parseFloat(state.max)));
    row.appendChild(total);
    row.appendChild(B.el("div", "num", gettext("Std")));
    var award = B.el("div", "", state.award_rule && state.award_rule !== "worldskills" ? gettext("Award") : gettext("Medal"));
    if (state.standings.some(function (r) { return (r.awards || []).indexOf("best_of_nation") >= 0; })) {
      award.appendChild(B.el("small", "bon-key", " ★ " + B.awardLabel.best_of_nation));
    }
    row.appendChild(award);
    return row;
  }

  function scoreRow(state, r) {
    var row = B.el("div", "row " + B.awardClass(r) + (r.in_marking ? " in-marking" : ""));
    row.setAttribute("data-key", r.code);
    row.appendChild(B.el("div", "rank num", r.in_marking ? "–" : r.rank));
    row.appendChild(B.who(r, true));
    state.criteria.forEach(function (c) { row.appendChild(B.el("div", "crit num", r.criteria[c.id])); });
    row.appendChild(B.el("div", "total num", r.total));
    row.appendChild(B.el("div", "std num", r.standardised === null || r.standardised === undefined ? "" : r.standardised));
    row.appendChild(B.award(r));
    return row;
  }

  function progressRow(r) {
    var row = B.el("div", "row");
    row.setAttribute("data-key", r.code);
    row.appendChild(B.who(r, true));
    var bar = B.el("div", "bar");
    var fill = B.el("span");
    fill.style.width = B.pct(r.progress);
    bar.appendChild(fill);
    row.appendChild(bar);
    row.appendChild(B.el("div", "pct num", B.pct(r.progress)));
    return row;
  }

  function placeholderRow(state, place) {
    var row = B.el("div", "row placeholder");
    row.setAttribute("data-key", "place-" + place);
    row.appendChild(B.el("div", "rank num", place));
    row.appendChild(B.el("div", "who", "? ? ?"));
    return row;
  }

  function rowsPerPage() {
    var vh = window.innerHeight / 100;
    return Math.max(3, Math.floor((grid.clientHeight - 7.5 * vh) / (7.95 * vh)));  // head (up to two lines), rows of 7.6vh
  }

  function curtain(big, small) {
    var box = B.el("div", "curtain");
    box.appendChild(B.el("div", "big", big));
    box.appendChild(B.el("div", "small", small));
    grid.appendChild(box);
  }

  function render(state) {
    B.learnColours(state.organisations);
    var mode = state.mode;
    badge(document.getElementById("badge-mode"),
      mode === "live" ? "badge-live" : mode === "embargoed" ? "badge-embargoed" : "badge-reveal",
      mode === "live" ? gettext("Live") : mode === "embargoed" ? gettext("Embargoed") : gettext("Results ceremony"));
    var status = document.getElementById("badge-status");
    if (state.official) badge(status, "badge-final", gettext("Official results"));
    else if (state.provisional) badge(status, "badge-provisional", gettext("Provisional"));
    else badge(status, "badge-final", gettext("Final results"));
    document.getElementById("progress").style.width = B.pct(state.progress || 0);

    notice.className = "notice hidden";
    if (mode === "embargoed") {
      notice.className = "notice notice-embargoed";
      notice.textContent = gettext("Results under embargo — marking progress only");
    } else if (mode === "reveal" && state.reveal.started && state.reveal.in_marking) {
      notice.className = "notice notice-provisional";
      notice.textContent = ngettext("%(num)s competitor is still in marking: no place, not part of the ceremony.",
        "%(num)s competitors are still in marking: no place, not part of the ceremony.", state.reveal.in_marking);
    } else if (state.provisional && state.standings.length) {
      notice.className = "notice notice-provisional";
      notice.textContent = gettext("PROVISIONAL — marks not yet signed off; scores may still change");
    }

    var rows = [];
    var focus = -1;
    if (mode === "embargoed") {
      rows = state.standings.map(progressRow);
    } else if (mode === "reveal") {
      var rv = state.reveal;
      for (var p = 1; p <= rv.hidden; p++) rows.push(placeholderRow(state, p));
      state.standings.forEach(function (r) { rows.push(scoreRow(state, r)); });
      focus = rv.started ? Math.min(rv.hidden, rows.length - 1) : -1;
      if (rv.started && lastRevealed !== null && rv.revealed > lastRevealed && rows[rv.hidden]) rows[rv.hidden].classList.add("revealed-now");
      lastRevealed = rv.started ? rv.revealed : null;
    } else {
      rows = state.standings.map(function (r) { return scoreRow(state, r); });
    }

    var before = B.positions(grid);
    B.clear(grid);
    grid.style.setProperty("--cols", columns(state));
    if (mode === "reveal" && !state.reveal.started) {
      curtain(gettext("Results ceremony"), gettext("The final standings will be revealed here, place by place."));
      pages(0, 1);
      return;
    }
    if (!rows.length) {
      curtain(gettext("No competitors yet"), "");
      pages(0, 1);
      return;
    }
    var per = rowsPerPage();
    var count = Math.ceil(rows.length / per);
    if (focus >= 0) page = Math.floor(focus / per);
    if (page >= count) page = 0;
    var head = headRow(state);
    head.style.setProperty("--cols", columns(state));
    grid.appendChild(head);
    rows.slice(page * per, page * per + per).forEach(function (row) {
      row.style.setProperty("--cols", columns(state));
      var key = row.getAttribute("data-key");
      var r = null;
      for (var i = 0; i < state.standings.length; i++) if (state.standings[i].code === key) r = state.standings[i];
      if (r && r.total !== undefined) {
        if (lastTotals[key] !== undefined && lastTotals[key] !== r.total) row.classList.add("changed");
        if (lastRanks[key] !== undefined && lastRanks[key] !== r.rank) B.mark(row, r.rank < lastRanks[key] ? "up" : "down", 4000);
      }
      grid.appendChild(row);
    });
    B.slide(grid, before);
    state.standings.forEach(function (r) { lastTotals[r.code] = r.total; lastRanks[r.code] = r.rank; });
    pages(page, count);
  }

  function pages(at, count) {
    B.clear(pagesNode);
    if (count < 2) return;
    for (var i = 0; i < count; i++) pagesNode.appendChild(B.el("i", i === at ? "on" : ""));
  }

  function show(state) {
    if (!state || state.error || state.skill !== SKILL || (state.event && state.event !== EVENT)) return;
    if (!B.accept("skill", state.version)) return;
    current = state;
    render(state);
  }

  // Long lists page on a timer (not while the ceremony holds the page on the latest place).
  setInterval(function () {
    if (!current || current.mode === "reveal") return;
    var count = Math.ceil(current.standings.length / rowsPerPage());
    if (count < 2) return;
    page = (page + 1) % count;
    lastTotals = {};  // a page turn is not a change of score
    render(current);
  }, PAGE_SECONDS * 1000);
  window.addEventListener("resize", function () { if (current) render(current); });

  var initial = B.state();
  B.accept("skill", initial.version);
  current = initial;
  render(initial);
  B.follow({ event: EVENT, skill: SKILL }, ["standings"], show, document.getElementById("conn"), body.getAttribute("data-state-url"));
})();
