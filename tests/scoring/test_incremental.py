"""The incremental standings: mark by mark, the same rows as a full recompute."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.scoring.incremental import SkillStandings
from competition.scoring.model import RuleRef
from competition.scoring.standings import compute_standings
from tests.scoring.helpers import judgement, measurement, scheme


def skill(awards="worldskills"):
    s = scheme(
        {
            "A": [measurement("A1", "binary", "2"), judgement("A2", "3")],
            "B": [measurement("B1", "deduction", "4", step="1"), judgement("B2", "1", rule="median")],
        },
        tie_break=("B", "A"),
    )
    return replace(s, awards=RuleRef(awards))


ENTRY = {"A1": st.sampled_from([0, 1]), "A2": st.integers(0, 3), "B1": st.integers(0, 4), "B2": st.integers(0, 3)}
COMPETITORS = ("C-01", "C-02", "C-03", "C-04")
ORGANISATIONS = {"C-01": "North", "C-02": "South", "C-03": "North", "C-04": ""}


@st.composite
def marks(draw):
    """A sequence of (competitor, aspect, the aspect's entries after this mark)."""
    out = []
    for _ in range(draw(st.integers(1, 40))):
        aspect = draw(st.sampled_from(sorted(ENTRY)))
        panel = 1 if aspect in ("A1", "B1") else draw(st.integers(0, 3))
        out.append((draw(st.sampled_from(COMPETITORS)), aspect, [D(draw(ENTRY[aspect])) for _ in range(panel)]))
    return out


@settings(max_examples=150, deadline=None)
@given(marks(), st.sampled_from(["worldskills", "prize_bands", "thresholds"]), st.booleans())
def test_mark_by_mark_equals_a_full_recompute(sequence, awards, start_empty):
    s = skill(awards)
    entries = {code: {} for code in COMPETITORS} if start_empty else {}
    live = SkillStandings(s, entries, organisations=ORGANISATIONS)
    for competitor, aspect, values in sequence:
        entries.setdefault(competitor, {})[aspect] = values
        live.set_entries(competitor, aspect, values)
        assert live.standings() == compute_standings(s, entries, organisations=ORGANISATIONS)


def test_a_worked_example_one_mark_moves_a_competitor_up():
    s = skill()
    full = {"A1": [D(1)], "A2": [D(3), D(3), D(3)], "B1": [D(0)], "B2": [D(3), D(3), D(3)]}
    # X: 2 + 3 + 4 + 1 = 10.00; Y the same but A2 = 1,1,1 -> 1.00: 8.00
    live = SkillStandings(s, {"X": full, "Y": {**full, "A2": [D(1), D(1), D(1)]}})
    assert [(r.competitor, r.rank, r.result.total) for r in live.standings()] == [("X", 1, D("10.00")), ("Y", 2, D("8.00"))]
    # Y's A2 re-scored 3,3,3: 10.00 as well; equal totals and tie-break criteria: both rank 1
    live.set_entries("Y", "A2", [D(3), D(3), D(3)])
    assert [(r.competitor, r.rank, r.medal) for r in live.standings()] == [("X", 1, "gold"), ("Y", 1, "gold")]
    with pytest.raises(KeyError):
        live.set_entries("Y", "Z9", [D(1)])
