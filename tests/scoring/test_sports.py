"""Worked examples and properties of the judged sports' panel rules (competition.scoring.sports).

Each rule is called directly with an aspect built here; entries are Decimals on the sport's
own scale. Where an example is taken from a published source the comment says which; where
none could be found, the example is constructed by hand from the rule's text and the
arithmetic is shown.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.rules import RULES, aggregate_aspect
from competition.scoring.sports import SPORT_RULES
from tests.scoring.helpers import judgement


def marks(aspect, *entries):
    return aggregate_aspect(aspect, [D(str(e)) for e in entries])


def mark(aspect, *entries):
    return marks(aspect, *entries).mark


def problems(rule, panel, **params):
    return [(p.param, p.panel_size) for p in RULES[rule].problems(params, panel)]


# -- ISU -------------------------------------------------------------------------------------


class TestIsuTrimmedMean:
    def test_nine_judges_drop_one_highest_and_one_lowest(self):
        # Constructed from ISU Special Regulations Rule 353 para. 1 (no published example found):
        # 9.25 9.50 9.00 9.75 9.25 9.50 8.75 9.50 9.25 -> drop 9.75 and 8.75;
        # (9.25 + 9.50 + 9.00 + 9.25 + 9.50 + 9.50 + 9.25) / 7 = 65.25 / 7 = 9.3214... -> 9.32
        aspect = judgement(rule="isu_trimmed_mean", panel=9, tolerance="10")
        assert mark(aspect, "9.25", "9.50", "9.00", "9.75", "9.25", "9.50", "8.75", "9.50", "9.25") == D("9.32")

    def test_five_judges(self):
        # Constructed: 6.00 6.25 6.25 6.00 7.00 -> drop 7.00 and one 6.00; 18.50 / 3 = 6.1666... -> 6.17
        aspect = judgement(rule="isu_trimmed_mean", panel=5)
        assert mark(aspect, "6.00", "6.25", "6.25", "6.00", "7.00") == D("6.17")

    def test_fewer_than_five_judges_take_the_plain_mean_rounded_half_up(self):
        # Constructed: a panel of two (national competition): (7.25 + 7.00) / 2 = 7.125 -> 7.13 (half up)
        aspect = judgement(rule="isu_trimmed_mean", panel=2)
        assert mark(aspect, "7.25", "7.00") == D("7.13")


class TestIsuGoe:
    def test_triple_lutz_nine_judges(self):
        # Constructed from Rule 353 para. 1 and the +/-5 GOE scale (ISU Communication 2186): 3Lz,
        # base value 5.90, so one GOE step = 0.59. Grades 2 3 2 1 2 3 2 2 3 -> values
        # 1.18 1.77 1.18 0.59 1.18 1.77 1.18 1.18 1.77; drop 1.77 and 0.59:
        # (5 x 1.18 + 2 x 1.77) / 7 = 9.44 / 7 = 1.3486 -> GOE 1.35; element 5.90 + 1.35 = 7.25
        aspect = judgement(rule="isu_goe", panel=9, tolerance="10", base_value="5.90")
        assert mark(aspect, 2, 3, 2, 1, 2, 3, 2, 2, 3) == D("1.35")
        with_base = judgement(rule="isu_goe", panel=9, tolerance="10", base_value="5.90", add_base=True)
        assert mark(with_base, 2, 3, 2, 1, 2, 3, 2, 2, 3) == D("7.25")

    def test_fall_on_triple_axel(self):
        # Constructed: 3A, base value 8.00; every judge -5 -> each value -4.00, GOE -4.00, element 4.00
        aspect = judgement(rule="isu_goe", panel=5, base_value=8, add_base=True)
        assert mark(aspect, -5, -5, -5, -5, -5) == D("4.00")

    def test_values_are_taken_at_two_decimals_before_the_mean(self):
        # Constructed: under-rotated 3Lz<, base value 4.72 -> a step is 0.472, listed as 0.47 / 0.94.
        # Three judges (plain mean) grades 1 2 2: (0.47 + 0.94 + 0.94) / 3 = 0.7833 -> 0.78
        # (the mean grade 5/3 x 0.472 = 0.7867 would round to 0.79; the SOV values are averaged).
        aspect = judgement(rule="isu_goe", panel=3, base_value="4.72")
        assert mark(aspect, 1, 2, 2) == D("0.78")

    def test_params_are_checked(self):
        assert problems("isu_goe", 9, base_value="5.90") == []
        assert problems("isu_goe", 9, base_value=0) == [("base_value", False)]
        assert problems("isu_goe", 9, base_value="x", add_base="yes") == [("base_value", False), ("add_base", False)]
        assert problems("isu_goe", 9) == [(None, False)]  # base_value is required


# -- FIG -------------------------------------------------------------------------------------


class TestFigExecution:
    def test_five_judges_truncated_not_rounded(self):
        # Constructed from the FIG E-score rule (no Code of Points example found): 8.5 8.6 8.6 8.9 8.2
        # -> drop 8.9 and 8.2; (8.5 + 8.6 + 8.6) / 3 = 25.7 / 3 = 8.5666... -> truncated 8.566
        # (rounding would give 8.567)
        aspect = judgement(rule="fig_execution", panel=5)
        assert mark(aspect, "8.5", "8.6", "8.6", "8.9", "8.2") == D("8.566")

    def test_entered_as_deductions(self):
        # Constructed: deductions 1.5 1.4 1.4 1.1 1.8 -> middle 1.4 1.4 1.5, average 4.3 / 3 = 1.4333...
        # E = 10 - 1.4333... = 8.5666... -> 8.566
        aspect = judgement(rule="fig_execution", panel=5, deductions=True)
        assert mark(aspect, "1.5", "1.4", "1.4", "1.1", "1.8") == D("8.566")

    def test_seven_judges_dropping_two_at_each_end(self):
        # Constructed: 8.0 8.1 8.3 8.3 8.4 8.6 9.0 -> middle 8.3 8.3 8.4, 25.0 / 3 = 8.333... -> 8.333
        aspect = judgement(rule="fig_execution", panel=7, high=2, low=2)
        assert mark(aspect, "8.0", "8.1", "8.3", "8.3", "8.4", "8.6", "9.0") == D("8.333")

    def test_params_are_checked(self):
        assert problems("fig_execution", 5) == []
        assert problems("fig_execution", 4, high=2, low=2) == [(None, True)]
        assert problems("fig_execution", 5, deductions="no") == [("deductions", False)]


# -- World Aquatics --------------------------------------------------------------------------


class TestDiving:
    def test_seven_judges(self):
        # Published (secondary) example, opensourcesports.io "Diving (World Aquatics) 6.2": awards
        # 7.5 7.0 7.5 7.0 7.5 8.0 6.5, DD 3.0 -> cancel 8.0, 7.5 and 6.5, 7.0; 7.5 + 7.0 + 7.5 = 22.0;
        # 22.0 x 3.0 = 66.0
        aspect = judgement(rule="diving", panel=7, tolerance="10", degree_of_difficulty="3.0")
        assert mark(aspect, "7.5", "7.0", "7.5", "7.0", "7.5", "8.0", "6.5") == D("66.00")

    def test_five_judges(self):
        # Published teaching example ("diver score" exercise, five judges): DD 2.3, awards
        # 6.0 5.5 6.5 7.0 6.0 -> cancel 7.0 and 5.5; 6.0 + 6.5 + 6.0 = 18.5; 18.5 x 2.3 = 42.55
        aspect = judgement(rule="diving", panel=5, tolerance="10", degree_of_difficulty=2.3)
        assert mark(aspect, "6.0", "5.5", "6.5", "7.0", "6.0") == D("42.55")

    def test_incomplete_panel_is_provisional(self):
        # Constructed: 3 of 7 awards in (too few to cancel 2 + 2): 3 x mean(7, 8, 9) x 2.0 = 48.00
        result = marks(judgement(rule="diving", panel=7, tolerance="10", degree_of_difficulty=2), 7, 8, 9)
        assert result.mark == D("48.00") and not result.complete

    def test_params_and_panel_are_checked(self):
        assert problems("diving", 5, degree_of_difficulty=2.3) == []
        assert problems("diving", 7, degree_of_difficulty=3.6) == []
        assert problems("diving", 6, degree_of_difficulty=2) == [(None, True)]
        assert problems("diving", 5, degree_of_difficulty=0) == [("degree_of_difficulty", False)]
        assert problems("diving", 5, degree_of_difficulty=True) == [("degree_of_difficulty", False)]
        assert problems("diving", 5) == [(None, False)]


class TestDivingSynchro:
    def test_eleven_judges(self):
        # Constructed from World Aquatics D 5.2.1 and D 9 (no official worked example found), DD 3.4:
        # execution A 8.0 8.5 7.5 -> 8.0; execution B 7.5 8.0 8.0 -> 8.0;
        # synchronisation 8.5 8.0 9.0 8.5 8.0 -> cancel 9.0 and 8.0 -> 8.0 + 8.5 + 8.5 = 25.0.
        # Dive: (8.0 + 8.0 + 25.0) x 3.4 x 3/5 = 41.0 x 2.04 = 83.64 = 16.32 + 16.32 + 51.00
        exe = judgement(rule="diving_synchro", panel=3, tolerance="10", degree_of_difficulty="3.4", role="execution")
        sync = judgement(rule="diving_synchro", panel=5, tolerance="10", degree_of_difficulty="3.4", role="synchronisation")
        parts = [mark(exe, "8.0", "8.5", "7.5"), mark(exe, "7.5", "8.0", "8.0"), mark(sync, "8.5", "8.0", "9.0", "8.5", "8.0")]
        assert parts == [D("16.32"), D("16.32"), D("51.00")]
        assert sum(parts) == D("83.64")

    def test_nine_judges(self):
        # Constructed from D 5.2.2 (nine judges: 2 + 2 execution, 5 synchronisation), DD 3.0:
        # execution 7.0 7.5 8.0 6.5 -> cancel 8.0 and 6.5 -> 14.5; sync 7.5 7.0 7.5 8.0 7.0 -> 22.0;
        # (14.5 + 22.0) x 3.0 x 0.6 = 65.70 = 26.10 + 39.60
        exe = judgement(rule="diving_synchro", panel=4, tolerance="10", degree_of_difficulty=3, role="execution")
        sync = judgement(rule="diving_synchro", panel=5, tolerance="10", degree_of_difficulty=3, role="synchronisation")
        assert mark(exe, "7.0", "7.5", "8.0", "6.5") == D("26.10")
        assert mark(sync, "7.5", "7.0", "7.5", "8.0", "7.0") == D("39.60")

    def test_roles_and_panels_are_checked(self):
        assert problems("diving_synchro", 3, degree_of_difficulty=3, role="execution") == []
        assert problems("diving_synchro", 5, degree_of_difficulty=3, role="synchronisation") == []
        assert problems("diving_synchro", 5, degree_of_difficulty=3, role="execution") == [(None, True)]
        assert problems("diving_synchro", 3, degree_of_difficulty=3, role="sync") == [("role", False)]


# -- FIS, IJRU -------------------------------------------------------------------------------


class TestSkiJumpingStyle:
    def test_five_judges_middle_three_added(self):
        # Constructed from the FIS ICR ski-jumping style rule: 18.5 19.0 18.5 18.0 19.5 -> cancel
        # 19.5 and 18.0; 18.5 + 19.0 + 18.5 = 56.0
        aspect = judgement(rule="ski_jumping_style", panel=5, tolerance="20")
        assert mark(aspect, "18.5", "19.0", "18.5", "18.0", "19.5") == D("56.00")

    def test_panel_is_five(self):
        assert problems("ski_jumping_style", 5) == []
        assert problems("ski_jumping_style", 3) == [(None, True)]


class TestIjruClosestPair:
    # Official examples: IJRU Rule Book 3.0.0, Technical Manual, "Calculation of scores and
    # results", section Averaging (rules.ijru.sport/3.0.0/technical-manual/calculations).
    def aspect(self, panel):
        return judgement(rule="ijru_closest_pair", panel=panel, tolerance="100")

    def test_two_judges_mean(self):
        assert mark(self.aspect(2), 112, 114) == D("113.00")

    def test_three_judges_closest_pair(self):
        assert mark(self.aspect(3), 112, 114, 118) == D("113.00")

    def test_three_judges_equally_spaced_take_the_higher_pair(self):
        assert mark(self.aspect(3), 112, 115, 118) == D("116.50")

    def test_five_judges_drop_highest_and_lowest(self):
        assert mark(self.aspect(5), 112, 115, 118, 119, 121) == D("117.33")

    def test_not_monotone_as_the_rule_says(self):
        # Constructed: 0 5 10 -> equal spacing, the higher pair: 7.5; raise 10 to 10.5 -> 0 and 5 are
        # the closest pair: 2.5
        assert mark(self.aspect(3), 0, 5, 10) == D("7.50")
        assert mark(self.aspect(3), 0, 5, "10.5") == D("2.50")


def test_every_sport_rule_is_registered_for_judgement_with_a_sourced_docstring():
    for name in SPORT_RULES:
        rule = RULES[name]
        assert rule.kinds == ("judgement",)
        assert "Source:" in rule.__doc__, name


def test_no_entries_no_mark():
    for name, params in PARAMS.items():
        result = aggregate_aspect(judgement(rule=name, panel=PANELS[name], **params), [])
        assert result.mark is None and not result.complete


# -- properties ------------------------------------------------------------------------------

PANELS = {
    "isu_trimmed_mean": 9, "isu_goe": 9, "fig_execution": 5, "diving": 7, "diving_synchro": 5, "ski_jumping_style": 5,
    "ijru_closest_pair": 3,
}
PARAMS = {
    "isu_trimmed_mean": {},
    "isu_goe": {"base_value": "4.72"},
    "fig_execution": {},
    "diving": {"degree_of_difficulty": "3.2"},
    "diving_synchro": {"degree_of_difficulty": "3.2", "role": "synchronisation"},
    "ski_jumping_style": {},
    "ijru_closest_pair": {},
}
MONOTONE = [name for name in SPORT_RULES if name != "ijru_closest_pair"]
half_points = st.integers(0, 20).map(lambda n: D(n) / 2)
tenths = st.integers(0, 100).map(lambda n: D(n) / 10)
grades = st.integers(-5, 5).map(D)


def panel_entries(name):
    values = grades if name == "isu_goe" else tenths if name in ("fig_execution", "isu_trimmed_mean") else half_points
    return st.lists(values, min_size=1, max_size=PANELS[name])


def sport_aspect(name):
    return judgement(rule=name, panel=PANELS[name], tolerance="100", **PARAMS[name])


@given(st.sampled_from(sorted(SPORT_RULES)).flatmap(lambda n: st.tuples(st.just(n), panel_entries(n))), st.randoms())
def test_judge_order_does_not_matter(case, rnd):
    name, entries = case
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert marks(sport_aspect(name), *entries) == marks(sport_aspect(name), *shuffled)


@given(st.sampled_from(sorted(SPORT_RULES)).flatmap(lambda n: st.tuples(st.just(n), panel_entries(n))))
def test_results_stay_within_bounds(case):
    name, entries = case
    low, high = min(entries), max(entries)
    result = mark(sport_aspect(name), *entries)
    if name == "isu_goe":
        step = D("0.472")
        assert round(low * step, 2) <= result <= round(high * step, 2)
    elif name in ("diving", "diving_synchro", "ski_jumping_style"):
        factor = {"diving": 3 * D("3.2"), "diving_synchro": 3 * D("3.2") * 3 / 5, "ski_jumping_style": 3}[name]
        assert low * factor - D("0.005") <= result <= high * factor + D("0.005")
    else:
        assert low - D("0.005") <= result <= high + D("0.005")


@given(st.sampled_from(MONOTONE).flatmap(lambda n: st.tuples(st.just(n), panel_entries(n))), st.data())
def test_raising_one_judge_never_lowers_the_result(case, data):
    name, entries = case
    i = data.draw(st.integers(0, len(entries) - 1))
    raised = list(entries)
    raised[i] = entries[i] + data.draw(st.sampled_from([D("0.1"), D("0.5"), D(1), D(3)]))
    assert mark(sport_aspect(name), *raised) >= mark(sport_aspect(name), *entries)


@given(st.lists(st.integers(0, 100).map(lambda n: D(n) / 10), min_size=5, max_size=5))
def test_fig_truncates_to_at_most_the_true_average(entries):
    kept = sorted(entries)[1:4]
    exact = sum(kept) / 3
    result = mark(judgement(rule="fig_execution", panel=5, tolerance="10"), *entries)
    assert result <= exact < result + D("0.001")


@pytest.mark.parametrize("name", sorted(SPORT_RULES))
def test_rules_take_entries_off_the_0_to_3_scale(name):
    # the judgement kind validates 0-3 today; the rules themselves take any Decimal
    assert mark(sport_aspect(name), *(["9.5"] * PANELS[name])) is not None
