"""Panels looked up instead of aggregated again: the standings equal a straightforward computation."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from competition.scoring import panels as panels_module
from competition.scoring.model import Criterion, MarkingScheme, RuleRef, SubCriterion
from competition.scoring.panels import panels_of
from competition.scoring.rules import RULES, AspectResult, aggregate_aspect, register
from competition.scoring.standings import CompetitorResult, compute_standings, standings_of
from tests.scoring.helpers import judgement, measurement

ASPECTS = [
    lambda i: judgement(f"J{i}", "3", rule="trimmed_mean", panel=5, high=1, low=1),
    lambda i: judgement(f"W{i}", "2", panel=3),
    lambda i: judgement(f"M{i}", "1.5", rule="median", panel=3),
    lambda i: measurement(f"B{i}", "binary", "2"),
    lambda i: measurement(f"D{i}", "deduction", "4", step="1"),
]
VALUES = {"J": range(4), "W": range(4), "M": range(4), "B": range(2), "D": range(5)}


def reference_result(scheme: MarkingScheme, code: str, entries) -> CompetitorResult:
    """Every aspect through its rule, then added up: the computation written plainly."""
    aspects = {a.id: aggregate_aspect(a, entries.get(a.id, ())) for a in scheme.aspects}
    subs, crits, marked = {}, {}, 0
    for criterion in scheme.criteria:
        crit_sum = D(0)
        for sub in criterion.sub_criteria:
            sub_sum = D(0)
            for aspect in sub.aspects:
                marked += aspects[aspect.id].complete
                sub_sum += aspects[aspect.id].mark or D(0)
            subs[sub.id] = sub_sum
            crit_sum += sub_sum
        crits[criterion.id] = crit_sum
    return CompetitorResult(code, aspects, subs, crits, sum(crits.values(), D(0)), marked, len(aspects),
                            tuple(a for a, r in aspects.items() if r.flagged))


@st.composite
def skills(draw):
    """A small scheme (criteria of sub-criteria of mixed aspects) and every competitor's entries,
    some panels incomplete or empty, the same value written as int, Decimal or Decimal("x.00")."""
    n = 0
    criteria = []
    for c in "ABC"[: draw(st.integers(1, 3))]:
        subs = []
        for s in range(1, draw(st.integers(1, 3)) + 1):
            aspects = []
            for _ in range(draw(st.integers(1, 4))):
                n += 1
                aspect = draw(st.sampled_from(ASPECTS))(n)
                aspects.append(replace(aspect, criterion_id=c, sub_criterion_id=f"{c}{s}"))
            subs.append(SubCriterion(f"{c}{s}", f"Sub {c}{s}", tuple(aspects)))
        criteria.append(Criterion(c, f"Criterion {c}", tuple(subs)))
    scheme = MarkingScheme("t", "T", "1", tuple(criteria), tie_break=("A",),
                           awards=RuleRef(draw(st.sampled_from(["worldskills", "prize_bands", "thresholds"]))))
    written = st.sampled_from([int, D, lambda v: D(v).quantize(D("0.01"))])
    entries = {}
    for k in range(draw(st.integers(1, 8))):
        sheet = {}
        for aspect in scheme.aspects:
            judges = draw(st.integers(0, 5 if aspect.kind == "judgement" else 1))
            if judges or draw(st.booleans()):
                sheet[aspect.id] = [draw(written)(draw(st.sampled_from(VALUES[aspect.id[0]]))) for _ in range(judges)]
        entries[f"C-{k:02d}"] = sheet
    return scheme, entries


@settings(max_examples=200, deadline=None)
@given(skills(), st.integers(1, 3))
def test_the_standings_equal_a_straightforward_computation(skill, times):
    scheme, entries = skill
    organisations = {code: f"Org {i % 3}" for i, code in enumerate(entries)}
    expected = standings_of(scheme, [reference_result(scheme, c, e) for c, e in entries.items()], None, organisations)
    for _ in range(times):  # the second time every panel is looked up
        rows = compute_standings(scheme, entries, organisations=organisations)
        assert rows == expected
        # identical as written, not only equal: sums and marks keep their exponents
        for row, reference in zip(rows, expected):
            assert str(row.result.total) == str(reference.result.total)
            assert [str(v) for v in row.result.criteria.values()] == [str(v) for v in reference.result.criteria.values()]
            assert [str(r.mark) for r in row.result.aspects.values()] == [str(r.mark) for r in reference.result.aspects.values()]


def test_a_panel_is_aggregated_once_then_looked_up():
    aspect = replace(judgement("J1", "3"), criterion_id="A", sub_criterion_id="A1")
    scheme = MarkingScheme("t", "T", "1", (Criterion("A", "A", (SubCriterion("A1", "A1", (aspect,)),)),))
    calls = []
    original = RULES["worldskills_judgement"].func
    RULES["worldskills_judgement"].func = lambda a, e, **p: calls.append(tuple(e)) or original(a, e, **p)
    try:
        entries = {"X": {"J1": [D(1), D(2), D(2)]}, "Y": {"J1": [D(1), D(2), D(2)]}, "Z": {"J1": [D(2), D(1), D(2)]}}
        first = compute_standings(scheme, entries)
        assert compute_standings(scheme, entries) == first
    finally:
        RULES["worldskills_judgement"].func = original
    assert calls == [(D(1), D(2), D(2)), (D(2), D(1), D(2))]  # each distinct panel once, its order kept


def test_a_rule_registered_again_is_used():
    aspect = replace(judgement("J1", "3", rule="test_panels_rule"), criterion_id="A", sub_criterion_id="A1")
    scheme = MarkingScheme("t", "T", "1", (Criterion("A", "A", (SubCriterion("A1", "A1", (aspect,)),)),))
    try:
        register("test_panels_rule", kinds=("judgement",))(lambda a, e: AspectResult(a.id, D(1), len(e), True))
        assert compute_standings(scheme, {"X": {"J1": [D(3)]}})[0].result.total == D(1)
        register("test_panels_rule", kinds=("judgement",))(lambda a, e: AspectResult(a.id, D(2), len(e), True))
        assert compute_standings(scheme, {"X": {"J1": [D(3)]}})[0].result.total == D(2)
    finally:
        RULES.pop("test_panels_rule", None)


def test_each_aspect_keeps_a_bounded_number_of_panels(monkeypatch):
    monkeypatch.setattr(panels_module, "MAX_PANELS", 2)
    aspect = replace(judgement("J9", "3"), criterion_id="A", sub_criterion_id="A1")
    scheme = MarkingScheme("t", "T", "1", (Criterion("A", "A", (SubCriterion("A1", "A1", (aspect,)),)),))
    entries = {f"C{v}": {"J9": [D(v), D(v), D(v)]} for v in range(4)}
    rows = compute_standings(scheme, entries)
    assert [r.result.total for r in rows] == [D(3), D(2), D(1), D(0)]
    assert sum(len(table) for table in panels_of(scheme)._tables) == 2
