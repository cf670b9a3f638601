// The organiser's progress page: fetch the figures every few seconds and update them in place,
// so nothing the organiser opened or scrolled to moves.
(function () {
  "use strict";
  var root = document.getElementById("progress");
  if (!root) return;
  var lang = document.documentElement.lang || "en";
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;

  function set(scope, field, value) {
    var el = scope.querySelector('[data-field="' + field + '"]');
    if (el && el.textContent !== String(value)) el.textContent = String(value);
    return el;
  }

  function ago(iso) {
    if (!iso || !relative) return null;
    var minutes = Math.round((Date.parse(iso) - Date.now()) / 60000);
    if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
    return relative.format(Math.round(minutes / 60), "hour");
  }

  function apply(data) {
    data.skills.forEach(function (s) {
      var section = root.querySelector('[data-skill="' + s.code + '"]');
      if (!section) return;
      ["aspects_marked", "aspects", "signed", "forms", "locked", "competitors", "flags"].forEach(function (f) {
        set(section.querySelector(".progress-figures"), f, s[f]);
      });
      var bar = section.querySelector('[data-field="bar"]');
      if (bar) { bar.max = s.aspects || 1; bar.value = s.aspects_marked; }
      var alert = section.querySelector('[data-alert="flags"]');
      if (alert) alert.classList.toggle("figure-alert", s.flags > 0);
      s.judges.forEach(function (j) {
        var row = section.querySelector('[data-judge="' + j.username + '"]');
        if (!row) return;
        ["marked", "expected", "signed", "forms"].forEach(function (f) { set(row, f, j[f]); });
        var when = ago(j.last_mark);
        if (when) set(row, "last_mark", when);
        row.classList.toggle("judge-idle", j.idle);
        var badge = row.querySelector(".idle-badge");
        if (badge) badge.hidden = !j.idle;
      });
    });
  }

  function poll() {
    fetch(root.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 5000);
})();
