"""Totals, ranks with ties and tie-break, medals and standardised scores."""

import subprocess
import sys
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.standings import compute_standings, medal_for, rank_1224, standardise
from tests.conftest import ROOT
from tests.scoring.helpers import judgement, measurement, scheme


def two_criteria():
    return scheme(
        {
            "A": [measurement("A1", "binary", "2"), judgement("A2", "3")],
            "B": [measurement("B1", "deduction", "4", step="1"), judgement("B2", "1")],
        },
        tie_break=("B", "A"),
    )


def test_totals_add_up_criteria_and_sub_criteria():
    s = two_criteria()
    rows = compute_standings(s, {"X-01": {"A1": [D(1)], "A2": [D(2), D(2), D(3)], "B1": [D(1)], "B2": [D(3), D(3), D(3)]}})
    r = rows[0].result
    # A: 2 + 3 x 7/9 = 2 + 2.33 ; B: (4 - 1) + 1 = 4
    assert r.criteria == {"A": D("4.33"), "B": D("4.00")}
    assert r.sub_criteria == {"A1": D("4.33"), "B1": D("4.00")}
    assert r.total == D("8.33")
    assert r.marked == 4 and r.progress == 1.0
    assert rows[0].rank == 1 and rows[0].standardised == 700 and rows[0].medal == "gold"


def test_one_competitor_all_unmarked():
    rows = compute_standings(two_criteria(), {"X-01": {}})
    assert rows[0].result.total == 0 and rows[0].result.progress == 0
    assert rows[0].rank == 1


def test_all_equal_share_gold_and_the_standardised_centre():
    entries = {code: {"A1": [D(1)]} for code in ("C-03", "C-01", "C-02")}
    rows = compute_standings(two_criteria(), entries)
    assert [r.competitor for r in rows] == ["C-01", "C-02", "C-03"]
    assert {r.rank for r in rows} == {1}
    assert {r.medal for r in rows} == {"gold"}
    assert {r.standardised for r in rows} == {700}


def test_tie_break_compares_criteria_in_the_stated_order():
    s = two_criteria()
    entries = {
        "P": {"A1": [D(1)], "B1": [D(2)]},  # A 2, B 2 -> 4
        "Q": {"B1": [D(0)]},  # A 0, B 4 -> 4, wins on B
        "R": {"A1": [D(1)], "B1": [D(4)]},  # 2
    }
    rows = compute_standings(s, entries)
    assert [(r.competitor, r.rank) for r in rows] == [("Q", 1), ("P", 2), ("R", 3)]
    # without a tie-break P and Q share first place, and R is third (1224)
    rows = compute_standings(s, entries, tie_break=())
    assert [(r.competitor, r.rank, r.medal) for r in rows] == [("P", 1, "gold"), ("Q", 1, "gold"), ("R", 3, "bronze")]


def test_rank_1224():
    assert rank_1224([(5,), (7,), (7,), (3,), (5,)]) == [3, 1, 1, 5, 3]


def test_medals_and_medallion():
    assert medal_for(1, 650, 700) == "gold"
    assert medal_for(3, 690, 700) == "bronze"
    assert medal_for(4, 700, 700) == "medallion"
    assert medal_for(4, 699, 700) is None


def test_standardise_worked_example():
    # mean 60, population sd 10 (values 50, 60, 70 -> sd = sqrt(200/3) = 8.165)
    assert standardise([D(50), D(60), D(70)]) == [578, 700, 822]
    assert standardise([D(10)]) == [700]
    assert standardise([]) == []


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=30))
def test_standardise_keeps_order(totals):
    std = standardise(totals)
    for a, b, sa, sb in [(a, b, std[i], std[j]) for i, a in enumerate(totals) for j, b in enumerate(totals)]:
        if a > b:
            assert sa >= sb


@given(st.dictionaries(st.text("ABCDEFG", min_size=1, max_size=3), st.integers(0, 3), min_size=1, max_size=12))
def test_ranks_are_consistent_with_totals(scores):
    s = scheme({"A": [judgement("A1", "3")]})
    rows = compute_standings(s, {code: {"A1": [D(v)] * 3} for code, v in scores.items()})
    for a in rows:
        assert a.rank == 1 + sum(1 for b in rows if b.result.total > a.result.total)


def test_scoring_core_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, competition.scoring, competition.scoring.schemes; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy')]; "
        "print(bad); sys.exit(bool(bad))"
    )
    # From the checkout's root, so that it imports this checkout's package (not an installed one).
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
