"""Award rules (worldskills, prize_bands, thresholds), Best of Nation and the medal table,
against examples worked out by hand, plus properties of the bands."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal as D
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.awards import AWARD_RULES, band_quotas, label, medal_table
from competition.scoring.model import RuleRef
from competition.scoring.standings import compute_standings
from tests.scoring.helpers import measurement, scheme


def out_of_100(rule="worldskills", medallion=700, **params):
    """One deduction aspect, max 100, 1 point per deduction: a competitor's total is 100 - deductions."""
    s = scheme({"A": [measurement("A1", "deduction", "100", step="1")]}, medallion=medallion)
    return replace(s, awards=RuleRef(rule, MappingProxyType(params)))


def entries(totals: dict[str, int]) -> dict:
    return {code: {"A1": [D(100 - total)]} for code, total in totals.items()}


def awards_of(rows) -> dict[str, tuple[str, ...]]:
    return {r.competitor: r.awards for r in rows}


# -- worldskills -----------------------------------------------------------------------------

# Totals 46, 57, 63, 65, 69: median 63, population sd 8 (worked out in test_standings), so the
# WorldSkills Scale gives 488, 625, 700, 725, 775.
FIVE = {"C-01": 46, "C-02": 57, "C-03": 63, "C-04": 65, "C-05": 69}
ORGS = {"C-01": "Guangdong", "C-02": "Bavaria", "C-03": "Wales", "C-04": "Bavaria", "C-05": "Wales"}


def test_worldskills_medals_medallion_and_best_of_nation():
    rows = compute_standings(out_of_100(medallion=620), entries(FIVE), organisations=ORGS)
    # ranks 1-3: gold 69, silver 65, bronze 63; rank 4 (57, 625 >= 620): Medallion; 46 (488): none.
    # Best of Nation: Wales 69 (rank 1), Bavaria 65 (rank 2), Guangdong 46 (its only competitor).
    assert awards_of(rows) == {
        "C-05": ("gold", "best_of_nation"),
        "C-04": ("silver", "best_of_nation"),
        "C-03": ("bronze",),
        "C-02": ("medallion",),
        "C-01": ("best_of_nation",),
    }
    assert [r.medal for r in rows] == ["gold", "silver", "bronze", "medallion", None]
    # The default threshold, 700: 625 is below it. Without organisations: no Best of Nation.
    rows = compute_standings(out_of_100(), entries(FIVE))
    assert [r.awards for r in rows] == [("gold",), ("silver",), ("bronze",), (), ()]


def test_worldskills_ties_share_medals_and_best_of_nation():
    # 80, 80, 70, 60: two golds (rank 1), no silver, bronze for rank 3.
    totals = {"A": 80, "B": 80, "C": 70, "D": 60}
    orgs = {"A": "Wales", "B": "Wales", "C": "Wales", "D": "Bavaria"}
    rows = compute_standings(out_of_100(), entries(totals), organisations=orgs)
    assert awards_of(rows) == {
        "A": ("gold", "best_of_nation"),  # tied best of Wales: both
        "B": ("gold", "best_of_nation"),
        "C": ("bronze",),
        "D": ("best_of_nation",),
    }
    rows = compute_standings(out_of_100(best_of_nation=False), entries(totals), organisations=orgs)
    assert [r.awards for r in rows] == [("gold",), ("gold",), ("bronze",), ()]


def test_a_competitor_in_marking_is_not_best_of_nation():
    rows = compute_standings(out_of_100(), {**entries({"A": 50}), "B": {}}, organisations={"A": "Wales", "B": "Wales"})
    assert awards_of(rows) == {"A": ("gold", "best_of_nation"), "B": ()}


def test_medal_table_counts_medal_points():
    rows = compute_standings(out_of_100(medallion=620), entries(FIVE), organisations=ORGS)
    other = compute_standings(out_of_100(), entries({"D-01": 90, "D-02": 80, "D-03": 70}))  # another skill
    orgs = {**ORGS, "D-01": "Bavaria", "D-02": "Guangdong", "D-03": "Guangdong"}
    # Wales: gold 4 + bronze 2 = 6; Bavaria: silver 3 + Medallion 1 + gold 4 = 8;
    # Guangdong: silver 3 + bronze 2 = 5 (C-01 has no medal).
    table = [(r.organisation, r.gold, r.silver, r.bronze, r.medallion, r.points, r.competitors) for r in medal_table(rows + other, orgs)]
    assert table == [
        ("Bavaria", 1, 1, 0, 1, 8, 3),
        ("Wales", 1, 0, 1, 0, 6, 2),
        ("Guangdong", 0, 1, 1, 0, 5, 3),
    ]


def test_medal_table_breaks_equal_points_by_golds_then_name():
    # Totals 90, 80, 70, 69, 10: median 70, mean 63.8, population sd = sqrt(3908.8 / 5) = 27.96;
    # d (rank 4): 700 - 100 x 1 / 27.96 = 696.4 -> 696 >= 600: Medallion; e: 485, none.
    # Y: gold 4; X: silver 3 + Medallion 1 = 4 too, but no gold; Z: bronze 2; W: 0.
    rows = compute_standings(out_of_100(medallion=600), entries({"a": 90, "b": 80, "c": 70, "d": 69, "e": 10}))
    orgs = {"a": "Y", "b": "X", "d": "X", "c": "Z", "e": "W"}
    assert [(r.organisation, r.points) for r in medal_table(rows, orgs)] == [("Y", 4), ("X", 4), ("Z", 2), ("W", 0)]


# -- prize_bands ---------------------------------------------------------------------------

# 15 complete competitors. Cumulative places: 10 % x 15 = 1.5 -> 2; 30 % x 15 = 4.5 -> 5;
# 60 % x 15 = 9.0 -> 9 (round half up).
FIFTEEN = {
    "P01": 99,  # place 1 -> first prize
    "P02": 95, "P03": 95,  # places 2-3, tied across the edge at 2: both the lower, second prize
    "P04": 90,  # place 4 -> second
    "P05": 85, "P06": 85,  # places 5-6, tied across the edge at 5: both third prize
    "P07": 80, "P08": 78,  # places 7, 8 -> third
    "P09": 75, "P10": 75,  # places 9-10, tied across the edge at 9: no prize
    "P11": 70, "P12": 65, "P13": 60, "P14": 55, "P15": 50,
}  # fmt: skip


def test_band_quotas_round_half_up_on_cumulative_shares():
    assert band_quotas([D("0.1"), D("0.2"), D("0.3")], 15) == [2, 5, 9]
    assert band_quotas([D("0.1"), D("0.2"), D("0.3")], 12) == [1, 4, 7]  # 1.2, 3.6, 7.2
    assert band_quotas([D("0.1"), D("0.2"), D("0.3")], 0) == [0, 0, 0]


def test_prize_bands_worked_example():
    rows = compute_standings(out_of_100("prize_bands"), {**entries(FIFTEEN), "P16": {}})  # P16: in marking, not counted
    got = awards_of(rows)
    assert [c for c, a in got.items() if a == ("first_prize",)] == ["P01"]
    assert [c for c, a in got.items() if a == ("second_prize",)] == ["P02", "P03", "P04"]
    assert [c for c, a in got.items() if a == ("third_prize",)] == ["P05", "P06", "P07", "P08"]
    assert all(got[c] == () for c in ("P09", "P10", "P11", "P12", "P13", "P14", "P15", "P16"))
    assert all(r.medal is None for r in rows)  # prizes are not WorldSkills medals


def test_prize_bands_with_own_shares():
    # 5 % and 15 % of 20: cumulative 1 and 4 places; only two bands.
    totals = {f"Q{i:02}": 100 - i for i in range(1, 21)}
    rows = compute_standings(out_of_100("prize_bands", shares=(D("0.05"), D("0.15"))), entries(totals))
    assert Counter(a for r in rows for a in r.awards) == {"first_prize": 1, "second_prize": 3}


@st.composite
def fields(draw):
    totals = draw(st.lists(st.integers(0, 12), min_size=1, max_size=40))
    shares = draw(st.lists(st.integers(1, 40), min_size=1, max_size=3).filter(lambda s: sum(s) <= 100))
    return {f"K{i:02}": t for i, t in enumerate(totals)}, tuple(D(s) / 100 for s in shares)


@given(fields(), st.randoms())
def test_prize_bands_properties(field, random):
    totals, shares = field
    rows = compute_standings(out_of_100("prize_bands", shares=shares), entries(totals))
    band = {r.competitor: r.awards[0] if r.awards else None for r in rows}
    # ties never split a band
    for a in rows:
        for b in rows:
            if a.result.total == b.result.total:
                assert band[a.competitor] == band[b.competitor]
    # the first k bands together never hold more than round_half_up(N x cumulative share)
    quotas = band_quotas(shares, len(rows))
    names = ("first_prize", "second_prize", "third_prize")
    for k, quota in enumerate(quotas):
        assert sum(1 for b in band.values() if b in names[: k + 1]) <= quota
    # a better total never gets a lower prize
    order = {None: len(names), **{n: i for i, n in enumerate(names)}}
    for a in rows:
        for b in rows:
            if a.result.total > b.result.total:
                assert order[band[a.competitor]] <= order[band[b.competitor]]
    # competitor order does not matter
    codes = list(totals)
    random.shuffle(codes)
    again = compute_standings(out_of_100("prize_bands", shares=shares), entries({c: totals[c] for c in codes}))
    assert awards_of(again) == awards_of(rows)


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.integers(0, 10), min_size=1, max_size=20), st.randoms())
def test_worldskills_awards_do_not_depend_on_the_order(totals, random):
    orgs = {c: "org-" + c[0] for c in totals}
    rows = compute_standings(out_of_100(), entries(totals), organisations=orgs)
    codes = list(totals)
    random.shuffle(codes)
    again = compute_standings(out_of_100(), entries({c: totals[c] for c in codes}), organisations=orgs)
    assert again == rows
    for a in rows:  # equal totals: equal awards
        assert all(a.awards == b.awards for b in rows if b.result.total == a.result.total and orgs[a.competitor] == orgs[b.competitor])


# -- thresholds ----------------------------------------------------------------------------


def test_thresholds_worked_example():
    # max 100: pass at 50, merit at 70, distinction at 85 (the defaults)
    totals = {"T1": 85, "T2": 84, "T3": 70, "T4": 69, "T5": 50, "T6": 49}
    rows = compute_standings(out_of_100("thresholds"), entries(totals))
    assert awards_of(rows) == {
        "T1": ("distinction",), "T2": ("merit",), "T3": ("merit",), "T4": ("pass",), "T5": ("pass",), "T6": (),
    }  # fmt: skip


def test_thresholds_with_own_levels_and_another_maximum():
    # max 40 (two aspects of 20): "competent" at 0.6 x 40 = 24, "expert" at 0.9 x 40 = 36
    s = scheme({"A": [measurement("A1", "deduction", "20", step="1")], "B": [measurement("B1", "deduction", "20", step="1")]})
    levels = (("competent", D("0.6")), ("expert", D("0.9")))
    s = replace(s, awards=RuleRef("thresholds", MappingProxyType({"levels": levels})))
    rows = compute_standings(s, {"X": {"A1": [D(0)], "B1": [D(4)]}, "Y": {"A1": [D(8)], "B1": [D(8)]}, "Z": {"A1": [D(9)], "B1": [D(8)]}})
    # X: 20 + 16 = 36 -> expert; Y: 12 + 12 = 24 -> competent; Z: 11 + 12 = 23 -> none
    assert awards_of(rows) == {"X": ("expert",), "Y": ("competent",), "Z": ()}


def test_every_rule_is_registered_with_labels():
    assert sorted(AWARD_RULES) == ["prize_bands", "thresholds", "worldskills"]
    assert label("first_prize") == "First prize" and label("medallion") == "Medallion for Excellence"
    assert label("competent") == "competent"  # a scheme's own level name
