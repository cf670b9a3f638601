/* The judge's competitor list: filters the rows as the judge types or picks a state, without
 * a reload (the same filter works without JavaScript as a GET form: judge.competitors). A
 * row's data-states and data-search come from the server (competition/web/judge_list.py);
 * the address keeps the filter, so going back to the list shows it again. */
(function () {
  "use strict";
  var form = document.getElementById("list-filter");
  var list = document.getElementById("competitor-list");
  if (!form || !list) return;
  document.documentElement.classList.add("js");
  var query = document.getElementById("list-q"), state = document.getElementById("list-state");
  var none = document.getElementById("list-none");

  function apply() {
    var q = query.value.trim().toLocaleLowerCase(), s = state.value, shown = 0;
    list.querySelectorAll(".competitor-row").forEach(function (row) {
      var states = (row.dataset.states || "").split(" ");
      var match = (!s || states.indexOf(s) >= 0) && (!q || (row.dataset.search || "").toLocaleLowerCase().indexOf(q) >= 0);
      row.hidden = !match;
      if (match) shown += 1;
    });
    none.hidden = shown > 0;
    form.querySelectorAll("[data-state-count]").forEach(function (chip) {
      chip.classList.toggle("is-current", chip.dataset.stateCount === s);
    });
    var params = new URLSearchParams();
    if (query.value.trim()) params.set("q", query.value.trim());
    if (s) params.set("state", s);
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  query.addEventListener("input", apply);
  state.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.querySelectorAll("a[data-state-count]").forEach(function (chip) {
    chip.addEventListener("click", function (event) {
      event.preventDefault();
      state.value = chip.dataset.stateCount;
      apply();
    });
  });
})();
