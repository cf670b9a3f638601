"""Worked examples and properties of every aggregation rule."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.entries import EntryError, parse_entry
from competition.scoring.rules import RULES, aggregate_aspect, round_mark, rules_for
from competition.scoring.sports import SPORT_RULES
from tests.scoring.helpers import judgement, measurement


def marks(aspect, *entries):
    return aggregate_aspect(aspect, [D(e) for e in entries])


class TestJudgementRules:
    def test_worldskills_mean_of_three(self):
        # max 2, scores 2,2,3: 2 x (7/3)/3 = 14/9 = 1.555... -> 1.56
        result = marks(judgement(max_mark="2"), 2, 2, 3)
        assert result.mark == D("1.56")
        assert not result.flagged and result.complete and result.spread == 1

    def test_worldskills_flags_spread_over_one_point(self):
        result = marks(judgement(max_mark="3"), 1, 3, 2)
        assert result.flagged and result.spread == 2
        assert result.mark == D("2.00")

    def test_tolerance_is_configurable(self):
        assert not marks(judgement(tolerance="2"), 1, 3, 2).flagged

    def test_mean(self):
        assert marks(judgement(max_mark="1.5", rule="mean"), 0, 1, 1).mark == D("0.33")

    def test_median_odd_and_even(self):
        assert marks(judgement(max_mark="3", rule="median"), 0, 3, 2).mark == D("2.00")
        assert marks(judgement(max_mark="3", rule="median", panel=4), 0, 1, 2, 3).mark == D("1.50")

    def test_trimmed_mean_china_five_judges(self):
        # drop the highest (3) and lowest (0): mean(1, 2, 2) = 5/3; max 4 -> 4 x 5/9 = 2.222 -> 2.22
        aspect = judgement(max_mark="4", rule="trimmed_mean", panel=5, high=1, low=1)
        assert marks(aspect, 3, 2, 0, 2, 1).mark == D("2.22")

    def test_trimmed_mean_while_panel_incomplete_uses_plain_mean(self):
        aspect = judgement(max_mark="3", rule="trimmed_mean", panel=5, high=1, low=1)
        result = marks(aspect, 3, 1)
        assert result.mark == D("2.00") and not result.complete

    def test_rounding_is_half_up_and_exact(self):
        assert round_mark(D("2.345")) == D("2.35")
        assert round_mark(D("0.125")) == D("0.13")
        # 1.5 x 1/3 = 0.5 exactly, never 0.49999
        assert marks(judgement(max_mark="1.5"), 1, 1, 1).mark == D("0.50")

    def test_no_entries_is_unmarked(self):
        result = marks(judgement())
        assert result.mark is None and result.entries == 0 and not result.complete

    def test_missing_judge_is_incomplete(self):
        result = marks(judgement(panel=3), 2, 2)
        assert result.mark == D("2.00") and not result.complete

    def test_zero_max(self):
        assert marks(judgement(max_mark="0"), 3, 3, 3).mark == D("0.00")


class TestMeasurementRules:
    def test_binary_all_or_nothing(self):
        aspect = measurement("M1", "binary", "1.5")
        assert marks(aspect, 1).mark == D("1.50")
        assert marks(aspect, 0).mark == D("0.00")

    def test_binary_majority_and_tie(self):
        aspect = measurement("M1", "binary", "2")
        assert marks(aspect, 1, 1, 0).mark == D("2.00")
        assert marks(aspect, 1, 0).mark == D("0.00")

    def test_stepped_single_and_lower_median(self):
        aspect = measurement("M2", "stepped", "1", steps=("0", "0.5", "1"))
        assert marks(aspect, "0.5").mark == D("0.50")
        assert marks(aspect, "1", "0.5").mark == D("0.50")
        assert marks(aspect, "1", "1", "0").mark == D("1.00")

    def test_deduction_floors_at_zero(self):
        aspect = measurement("M3", "deduction", "2", step="0.5")
        assert marks(aspect, 0).mark == D("2.00")
        assert marks(aspect, 3).mark == D("0.50")
        assert marks(aspect, 9).mark == D("0.00")

    def test_deduction_panel_takes_lower_median_count(self):
        aspect = measurement("M3", "deduction", "2", step="0.5")
        assert marks(aspect, 1, 2).mark == D("1.50")


class TestEntries:
    def test_judgement_takes_0_to_3(self):
        assert parse_entry(judgement(), "2") == 2
        for bad in ("4", "-1", "1.5", "x", None, True):
            with pytest.raises(EntryError) as err:
                parse_entry(judgement(), bad)
            assert err.value.field == "value"

    def test_stepped_only_listed(self):
        aspect = measurement("M2", "stepped", "1", steps=("0", "0.5", "1"))
        assert parse_entry(aspect, "0.5") == D("0.5")
        with pytest.raises(EntryError, match="one of 0, 0.5, 1"):
            parse_entry(aspect, "0.7")

    def test_binary_and_deduction(self):
        assert parse_entry(measurement("M1", "binary"), 1) == 1
        with pytest.raises(EntryError):
            parse_entry(measurement("M1", "binary"), 2)
        aspect = measurement("M3", "deduction", "2", step="0.5")
        assert parse_entry(aspect, 4) == 4
        with pytest.raises(EntryError, match="from 0 to 4"):
            parse_entry(aspect, 5)
        with pytest.raises(EntryError):
            parse_entry(aspect, "1.5")


scores = st.integers(min_value=0, max_value=3)
maxima = st.sampled_from(["0", "0.5", "1", "1.5", "2", "2.5", "3", "4", "7.25"])
# The generic judgement rules (max x score / 3); the judged sports' rules are tested in test_sports.
judgement_rules = st.sampled_from([r for r in rules_for("judgement") if r not in SPORT_RULES])


def judged(rule, max_mark, panel):
    params = {"high": 1, "low": 1} if rule == "trimmed_mean" else {}
    return judgement(max_mark=max_mark, rule=rule, panel=panel, **params)


@given(judgement_rules, maxima, st.lists(scores, min_size=1, max_size=5), st.randoms())
def test_permuting_judges_changes_nothing(rule, max_mark, entries, rnd):
    aspect = judged(rule, max_mark, len(entries))
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert marks(aspect, *entries) == marks(aspect, *shuffled)


@given(judgement_rules, maxima, st.lists(scores, min_size=1, max_size=5))
def test_judgement_result_within_zero_and_max(rule, max_mark, entries):
    result = marks(judged(rule, max_mark, len(entries)), *entries)
    assert D(0) <= result.mark <= D(max_mark)


@given(judgement_rules, maxima, st.lists(scores, min_size=1, max_size=5), st.data())
def test_raising_one_judge_never_lowers_the_mark(rule, max_mark, entries, data):
    aspect = judged(rule, max_mark, len(entries))
    i = data.draw(st.integers(0, len(entries) - 1))
    raised = list(entries)
    raised[i] = data.draw(st.integers(entries[i], 3))
    assert marks(aspect, *raised).mark >= marks(aspect, *entries).mark


@given(st.lists(st.sampled_from(["0", "0.5", "1", "1.5"]), min_size=1, max_size=5), st.data())
def test_stepped_monotone_and_listed(entries, data):
    aspect = measurement("M2", "stepped", "1.5", steps=("0", "0.5", "1", "1.5"))
    result = marks(aspect, *entries)
    assert result.mark in aspect.steps
    i = data.draw(st.integers(0, len(entries) - 1))
    raised = list(entries)
    raised[i] = data.draw(st.sampled_from([s for s in ["0", "0.5", "1", "1.5"] if D(s) >= D(entries[i])]))
    assert marks(aspect, *raised).mark >= result.mark


@given(st.lists(st.integers(0, 8), min_size=1, max_size=5), st.data())
def test_deduction_within_bounds_and_fewer_deductions_never_lower(counts, data):
    aspect = measurement("M3", "deduction", "2", step="0.25")
    result = marks(aspect, *counts)
    assert D(0) <= result.mark <= D(2)
    i = data.draw(st.integers(0, len(counts) - 1))
    better = list(counts)
    better[i] = data.draw(st.integers(0, counts[i]))
    assert marks(aspect, *better).mark >= result.mark


@given(st.lists(st.integers(0, 1), min_size=1, max_size=5), st.data())
def test_binary_all_or_nothing_and_monotone(entries, data):
    aspect = measurement("M1", "binary", "1.5")
    result = marks(aspect, *entries)
    assert result.mark in (D("0.00"), D("1.50"))
    i = data.draw(st.integers(0, len(entries) - 1))
    raised = list(entries)
    raised[i] = 1
    assert marks(aspect, *raised).mark >= result.mark


def test_every_rule_has_a_docstring():
    for name, rule in RULES.items():
        assert rule.__doc__ and len(rule.__doc__) > 40, name

