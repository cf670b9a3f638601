"""Totals, ranks with ties and tie-break, medals, the WorldSkills Scale, competitors in marking."""

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


def complete(a1=1, a2=(3, 3, 3), b1=0, b2=(3, 3, 3)):
    """Entries for every aspect of :func:`two_criteria` (a complete competitor)."""
    return {"A1": [D(a1)], "A2": [D(v) for v in a2], "B1": [D(b1)], "B2": [D(v) for v in b2]}


def test_one_competitor_all_unmarked_is_in_marking():
    rows = compute_standings(two_criteria(), {"X-01": {}})
    assert rows[0].result.total == 0 and rows[0].result.progress == 0
    assert rows[0].in_marking and rows[0].rank is None and rows[0].standardised is None
    assert rows[0].medal is None and rows[0].awards == ()


def test_all_equal_share_gold_and_the_standardised_centre():
    entries = {code: complete() for code in ("C-03", "C-01", "C-02")}
    rows = compute_standings(two_criteria(), entries)
    assert [r.competitor for r in rows] == ["C-01", "C-02", "C-03"]
    assert {r.rank for r in rows} == {1}
    assert {r.medal for r in rows} == {"gold"}
    assert {r.standardised for r in rows} == {700}


def test_tie_break_compares_criteria_in_the_stated_order():
    s = two_criteria()
    entries = {
        "P": complete(a1=1, a2=(0, 0, 0), b1=2, b2=(0, 0, 0)),  # A 2, B 2 -> 4
        "Q": complete(a1=0, a2=(0, 0, 0), b1=0, b2=(0, 0, 0)),  # A 0, B 4 -> 4, wins on B
        "R": complete(a1=1, a2=(0, 0, 0), b1=4, b2=(0, 0, 0)),  # A 2, B 0 -> 2
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
    # median 60 (= the mean), population sd = sqrt((100 + 0 + 100) / 3) = 8.1650
    # 50 -> 700 - 100 x 10 / 8.1650 = 577.53 -> 578; 70 -> 822.47 -> 822
    assert standardise([D(50), D(60), D(70)]) == [578, 700, 822]
    assert standardise([D(10)]) == [700]
    assert standardise([D(10), D(10)]) == [700, 700]  # sd = 0
    assert standardise([]) == []


def test_the_worldskills_scale_is_centred_on_the_median_not_the_mean():
    # Totals 46, 57, 63, 65, 69 (in any order). Median 63; mean 300 / 5 = 60.
    # Deviations from the mean -14, -3, 3, 5, 9; squares 196 + 9 + 9 + 25 + 81 = 320;
    # population variance 320 / 5 = 64, sd = 8. So 700 + 100 x (x - 63) / 8 = 700 + 12.5 x (x - 63):
    # 46: 700 - 212.5 = 487.5 -> 488 (half away from zero); 57: 700 - 75 = 625; 63: 700;
    # 65: 700 + 25 = 725; 69: 700 + 75 = 775. (Centred on the mean, 46 would give 525.)
    assert standardise([D(65), D(46), D(69), D(63), D(57)]) == [725, 488, 775, 700, 625]
    # 50 points per sd: 700 + 6.25 x (x - 63): 46: 593.75 -> 594; 57: 662.5 -> 663;
    # 65: 712.5 -> 713; 69: 737.5 -> 738
    assert standardise([D(46), D(57), D(63), D(65), D(69)], points_per_sd=50) == [594, 663, 700, 713, 738]
    # An even count: median of 10, 20, 30, 40 = (20 + 30) / 2 = 25; mean 25;
    # sd = sqrt((225 + 25 + 25 + 225) / 4) = sqrt(125) = 11.1803; 10 -> 700 - 1500 / 11.1803 = 565.84 -> 566
    assert standardise([D(10), D(20), D(30), D(40)]) == [566, 655, 745, 834]


def test_competitors_in_marking_get_no_rank_score_or_medal_and_come_last():
    # One deduction aspect, max 100, 1 point per deduction: total = 100 - deductions.
    s = scheme({"A": [measurement("A1", "deduction", "100", step="1")], "B": [measurement("B1", "binary", "1")]})

    def total(value):
        return {"A1": [D(100 - value + 1)], "B1": [D(1)]}  # A: value - 1, B: 1 -> value

    entries = {code: total(t) for code, t in (("C-01", 46), ("C-02", 57), ("C-03", 63), ("C-04", 65), ("C-05", 69))}
    entries["C-00"] = {"A1": [D(0)]}  # 100 so far, B1 not marked: in marking
    entries["C-09"] = {}  # nothing marked yet
    rows = compute_standings(s, entries)
    # The complete five, on the scale worked out in the test above; then the two in marking by code.
    assert [(r.competitor, r.rank, r.standardised, r.medal, r.in_marking) for r in rows] == [
        ("C-05", 1, 775, "gold", False),
        ("C-04", 2, 725, "silver", False),
        ("C-03", 3, 700, "bronze", False),
        ("C-02", 4, 625, None, False),
        ("C-01", 5, 488, None, False),
        ("C-00", None, None, None, True),
        ("C-09", None, None, None, True),
    ]
    assert rows[5].result.total == 100 and rows[5].result.progress == 0.5


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=30))
def test_standardise_keeps_order(totals):
    std = standardise(totals)
    for a, b, sa, sb in [(a, b, std[i], std[j]) for i, a in enumerate(totals) for j, b in enumerate(totals)]:
        if a > b:
            assert sa >= sb


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=30), st.randoms())
def test_standardise_does_not_depend_on_the_order(totals, random):
    shuffled = list(enumerate(totals))
    random.shuffle(shuffled)
    by_index = dict(zip((i for i, _ in shuffled), standardise([t for _, t in shuffled])))
    assert [by_index[i] for i in range(len(totals))] == standardise(totals)


@given(st.dictionaries(st.text("ABCDEFG", min_size=1, max_size=3), st.integers(0, 3), min_size=1, max_size=12))
def test_ranks_are_consistent_with_totals(scores):
    s = scheme({"A": [judgement("A1", "3")]})
    rows = compute_standings(s, {code: {"A1": [D(v)] * 3} for code, v in scores.items()})
    for a in rows:
        assert a.rank == 1 + sum(1 for b in rows if b.result.total > a.result.total)


@given(st.dictionaries(st.text("ABCDEFG", min_size=1, max_size=3), st.lists(st.integers(0, 3), max_size=3), min_size=1, max_size=12))
def test_only_complete_competitors_are_ranked_and_scaled(scores):
    s = scheme({"A": [judgement("A1", "3")]})
    rows = compute_standings(s, {code: {"A1": [D(v) for v in values]} for code, values in scores.items()})
    ranked = [r for r in rows if not r.in_marking]
    assert all(len(scores[r.competitor]) == 3 for r in ranked)
    assert all(r.rank is None and r.standardised is None and r.awards == () for r in rows if r.in_marking)
    assert rows == ranked + [r for r in rows if r.in_marking]  # in marking: after every ranked row
    assert [r.standardised for r in ranked] == standardise([r.result.total for r in ranked])


def test_scoring_core_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, competition.scoring, competition.scoring.schemes; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy')]; "
        "print(bad); sys.exit(bool(bad))"
    )
    # From the checkout's root, so that it imports this checkout's package (not an installed one).
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
