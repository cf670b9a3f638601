"""Measurement disagreement: entries of several judges further apart than the aspect's
``agreement`` flag the aspect (competition.scoring.kinds.agreement); the mark is settled by
the rule as before."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.kinds import kind_of
from competition.scoring.model import Aspect
from competition.scoring.rules import aggregate_aspect
from competition.scoring.schemes import SchemeError, parse_scheme
from tests.factories import TINY_SCHEME
from tests.scoring.helpers import measurement


def agreeing(aspect: Aspect, value: object) -> Aspect:
    return Aspect(**{**aspect.__dict__, "settings": {"agreement": value}})


def marks(aspect, *entries):
    return aggregate_aspect(aspect, [D(str(e)) for e in entries])


def described(aspect, *entries) -> str | None:
    kind = kind_of(aspect)
    found = kind.disagreement(aspect, [D(str(e)) for e in entries])
    return None if found is None else str(kind.describe(found))


GLASSES = measurement("M1", "binary", "2")
HOLES = measurement("M3", "deduction", "2", step="0.5")  # 0.5 off per hole, at most 4
DEBURRED = measurement("M2", "stepped", "3", steps=("0", "1.5", "3"))


class TestBinary:
    def test_a_split_panel_is_flagged_by_default_and_the_majority_still_sets_the_mark(self):
        # yes, no, no: one yes of three is no majority -> 0; the split is flagged
        result = marks(GLASSES, 1, 0, 0)
        assert (result.mark, result.flagged, result.complete) == (D("0.00"), True, True)
        assert described(GLASSES, 0, 1, 0) == "the panel entered yes/no/no"
        # yes, yes, no: the majority says yes -> the max, 2; still split, still flagged
        assert (marks(GLASSES, 1, 1, 0).mark, marks(GLASSES, 1, 1, 0).flagged) == (D("2.00"), True)

    def test_agreeing_or_single_entries_are_not_flagged(self):
        assert not marks(GLASSES, 1, 1, 1).flagged and not marks(GLASSES, 0, 0).flagged
        assert not marks(GLASSES, 0).flagged  # one consensus entry: nothing to disagree with
        assert described(GLASSES, 1, 1) is None

    def test_majority_settles_silently(self):
        majority = agreeing(GLASSES, "majority")
        assert (marks(majority, 1, 0, 1).mark, marks(majority, 1, 0, 1).flagged) == (D("2.00"), False)
        assert (marks(majority, 1, 0).mark, marks(majority, 1, 0).flagged) == (D("0.00"), False)  # a tie is not awarded


class TestDeduction:
    def test_counts_that_differ_are_flagged_by_default(self):
        # counts 0, 1, 2: lower median 1 -> 2 - 1 x 0.5 = 1.50; 2 apart > 0
        result = marks(HOLES, 2, 0, 1)
        assert (result.mark, result.flagged) == (D("1.50"), True)
        assert described(HOLES, 2, 0, 1) == "deduction counts 0, 1, 2 differ by more than 0"

    def test_the_tolerance_is_the_largest_difference_settled_without_a_flag(self):
        one = agreeing(HOLES, 1)
        assert marks(one, 2, 0, 1).flagged  # 2 - 0 = 2 > 1
        assert described(one, 2, 0, 1) == "deduction counts 0, 1, 2 differ by more than 1"
        assert not marks(one, 1, 2, 2).flagged  # 2 - 1 = 1, allowed
        assert not marks(agreeing(HOLES, 2), 2, 0, 1).flagged
        assert not marks(HOLES, 3, 3).flagged


class TestStepped:
    def test_steps_apart_count_along_the_list(self):
        # 1.5 and 3 are neighbours on [0, 1.5, 3]: one step apart; 0 and 3 two steps
        assert kind_of(DEBURRED).apart(DEBURRED, [D(3), D("1.5")]) == 1
        assert kind_of(DEBURRED).apart(DEBURRED, [D(0), D(3), D("1.5")]) == 2
        result = marks(DEBURRED, 3, "1.5")
        assert (result.mark, result.flagged) == (D("1.50"), True)  # lower median 1.5
        assert described(DEBURRED, 3, "1.5") == "steps 1.5, 3 are more than 0 apart"

    def test_a_tolerance_of_one_step_lets_neighbours_stand(self):
        one = agreeing(DEBURRED, 1)
        assert not marks(one, 3, "1.5", 3).flagged
        assert marks(one, 3, 0).flagged
        assert described(one, 0, 3) == "steps 0, 3 are more than 1 apart"


# -- scheme files ---------------------------------------------------------------------------

def with_agreement(scheme_line: str | None = None, deduction_line: str | None = None, stepped_line: str | None = None) -> str:
    text = TINY_SCHEME
    if scheme_line:
        text = text.replace('tie_break = ["B"]\n', f'tie_break = ["B"]\n{scheme_line}\n')
    if deduction_line:
        text = text.replace("deduction_step = 0.5\n", f"deduction_step = 0.5\n{deduction_line}\n")
    if stepped_line:
        text = text.replace("steps = [0, 1.5, 3]\n", f"steps = [0, 1.5, 3]\n{stepped_line}\n")
    return text


def settings(text: str) -> dict[str, object]:
    scheme = parse_scheme(text)
    return {a.id: a.settings.get("agreement") for a in scheme.aspects}


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, "agree.toml")
    return [str(p) for p in caught.value.problems]


def line(text: str, needle: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), start=1) if needle in row)


def test_by_default_every_measurement_aspect_wants_agreement():
    assert settings(TINY_SCHEME) == {"A1.1": "unanimous", "A1.2": 0, "B1.1": None, "B1.2": 0}


def test_the_scheme_sets_defaults_by_method_and_an_aspect_its_own():
    text = with_agreement('measurement_agreement = { binary = "majority", deduction = 1, stepped = 1 }', "agreement = 2")
    assert settings(text) == {"A1.1": "majority", "A1.2": 2, "B1.1": None, "B1.2": 1}
    scheme = parse_scheme(text)
    assert not aggregate_aspect(scheme.aspect("A1.1"), [D(1), D(0), D(1)]).flagged
    assert not aggregate_aspect(scheme.aspect("A1.2"), [D(0), D(2)]).flagged
    assert aggregate_aspect(scheme.aspect("A1.2"), [D(0), D(3)]).flagged


def test_bad_settings_are_reported_with_file_line_and_field():
    text = with_agreement('measurement_agreement = { binary = "most", deduction = -1, judgement = 1 }',
                          'agreement = "close"', "agreement = 1.5")
    text = text.replace('"excellent"]\n', '"excellent"]\nagreement = 0\n')
    scheme_line, deduction_line = line(text, "measurement_agreement"), line(text, 'agreement = "close"')
    stepped_line, judgement_line = line(text, "agreement = 1.5"), line(text, "agreement = 0")
    assert problems(text) == [
        f'agree.toml:{scheme_line}: scheme.measurement_agreement.binary: must be "unanimous" (a split yes/no is flagged) '
        "or \"majority\" (the majority decides, no flag), not 'most'",
        f"agree.toml:{scheme_line}: scheme.measurement_agreement.deduction: must be a whole number of deductions, "
        "0 or more (0: the entries must agree), not -1",
        f"agree.toml:{scheme_line}: scheme.measurement_agreement.judgement: unknown key in measurement_agreement; "
        "allowed: binary, stepped, deduction",
        f"agree.toml:{deduction_line}: criterion[0].sub[0].aspect[1].agreement: must be a whole number of deductions, "
        "0 or more (0: the entries must agree), not 'close'",
        f"agree.toml:{judgement_line}: criterion[1].sub[0].aspect[0].agreement: applies only to measurement aspects; remove it",
        f"agree.toml:{stepped_line}: criterion[1].sub[0].aspect[1].agreement: must be a whole number of steps, "
        "0 or more (0: the entries must agree), not 1.5",
    ]


def test_measurement_agreement_must_be_a_table():
    text = with_agreement("measurement_agreement = 0")
    assert problems(text) == [
        f"agree.toml:{line(text, 'measurement_agreement')}: scheme.measurement_agreement: must be a table by method, "
        'e.g. measurement_agreement = { binary = "unanimous", stepped = 0, deduction = 0 }'
    ]


# -- properties -----------------------------------------------------------------------------

def flag_of(aspect, entries):
    result = marks(aspect, *entries)
    found = kind_of(aspect).disagreement(aspect, [D(str(e)) for e in entries])
    return result.flagged, found


@given(st.lists(st.integers(0, 1), min_size=1, max_size=7), st.sampled_from(["unanimous", "majority"]), st.randoms())
def test_binary_judge_order_does_not_matter_and_only_a_split_unanimous_panel_is_flagged(entries, setting, rnd):
    aspect = agreeing(GLASSES, setting)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert flag_of(aspect, entries) == flag_of(aspect, shuffled)
    assert marks(aspect, *entries).flagged == (setting == "unanimous" and len(set(entries)) > 1)


@given(st.lists(st.integers(0, 4), min_size=1, max_size=7), st.integers(0, 4), st.randoms())
def test_deduction_judge_order_does_not_matter_and_the_flag_is_the_spread_over_the_tolerance(counts, tolerance, rnd):
    aspect = agreeing(HOLES, tolerance)
    shuffled = list(counts)
    rnd.shuffle(shuffled)
    assert flag_of(aspect, counts) == flag_of(aspect, shuffled)
    assert marks(aspect, *counts).flagged == (max(counts) - min(counts) > tolerance)


@given(st.lists(st.sampled_from(["0", "1.5", "3"]), min_size=1, max_size=7), st.integers(0, 2), st.randoms(), st.data())
def test_stepped_judge_order_does_not_matter_and_one_more_entry_never_clears_a_flag(entries, tolerance, rnd, data):
    aspect = agreeing(DEBURRED, tolerance)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert flag_of(aspect, entries) == flag_of(aspect, shuffled)
    if marks(aspect, *entries).flagged:
        assert marks(aspect, *entries, data.draw(st.sampled_from(["0", "1.5", "3"]))).flagged
