"""Worked examples of every aspect kind: choices, entries, limits, worth; and the registry."""

from decimal import Decimal as D

import pytest

from competition.scoring.entries import EntryError, parse_entry
from competition.scoring.kinds import CHOICES, COUNTER, KINDS, AspectKind, kind_for, kind_of, methods, register_kind, type_keys, types
from competition.scoring.rules import RULES
from competition.scoring.schemes import load_all
from competition.shipped import shipped_folder
from tests.scoring.helpers import DESCRIPTORS, judgement, measurement


def choices(aspect):
    return [(c.value, c.label) for c in kind_of(aspect).choices(aspect)]


def refused(aspect, raw) -> str:
    with pytest.raises(EntryError) as caught:
        parse_entry(aspect, raw)
    assert caught.value.field == "value"
    return caught.value.message


# -- the registry ----------------------------------------------------------------------------


def test_the_five_kinds_in_registration_order():
    assert list(KINDS) == ["judgement", "binary", "stepped", "deduction", "points"]
    assert types() == ["judgement", "measurement"]
    assert methods("judgement") == [] and methods("measurement") == ["binary", "stepped", "deduction", "points"]
    assert type_keys("judgement") == ("descriptors", "scale", "rule", "rule_params")
    assert type_keys("measurement") == ("method", "agreement", "steps", "deduction_step", "max_deductions")
    assert kind_for("measurement", "stepped") is KINDS["stepped"] and kind_for("judgement", None) is KINDS["judgement"]
    assert kind_for("measurement", None) is None


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda k: k.name)
def test_each_kind_declares_what_the_rest_of_podium_asks(kind):
    assert kind.partial == f"judge/kinds/{kind.name}.html"
    assert kind.widget in (CHOICES, COUNTER)
    assert kind.name in RULES[kind.default_rule].kinds
    assert type(kind).__module__ == f"competition.scoring.kinds.{kind.name}"  # one module per kind


def test_every_shipped_aspect_has_a_registered_kind_and_a_rule_for_it():
    for scheme in load_all(shipped_folder("scoring_schemes")).values():
        for aspect in scheme.aspects:
            assert kind_of(aspect).name in RULES[aspect.rule.name].kinds


def test_an_unregistered_kind_is_named():
    with pytest.raises(KeyError, match="no aspect kind 'tally' is registered; known: judgement, binary, stepped, deduction, points"):
        kind_of(measurement("X1", "tally"))


def test_registration_refuses_a_kind_that_does_not_fit():
    class Twice(AspectKind):
        type, method, default_rule = "measurement", "binary", "binary"

    class NoRule(AspectKind):
        type, method, default_rule = "measurement", "tally", "tally"

    class NoMethod(AspectKind):
        type, default_rule = "measurement", "binary"

    class OddWidget(AspectKind):
        type, method, default_rule, widget = "measurement", "slider", "binary", "slider"

    for kind, message in [
        (Twice(), "'binary' is already registered"),
        (NoRule(), "its default rule 'tally' is not registered for it"),
        (NoMethod(), "every kind of type 'measurement' needs a method"),
        (OddWidget(), "widget must be one of choices, counter, keypad, not 'slider'"),
    ]:
        with pytest.raises(ValueError, match=message):
            register_kind(kind)
    assert list(KINDS) == ["judgement", "binary", "stepped", "deduction", "points"]


# -- judgement -------------------------------------------------------------------------------


def test_judgement_choices_are_the_scores_with_their_descriptors():
    aspect = judgement()
    assert choices(aspect) == list(zip(["0", "1", "2", "3"], DESCRIPTORS, strict=True))
    bare = judgement().__class__(**{**aspect.__dict__, "descriptors": ()})
    assert choices(bare) == [("0", ""), ("1", ""), ("2", ""), ("3", "")]  # buttons even without descriptors
    assert kind_of(aspect).widget == CHOICES and kind_of(aspect).limit(aspect) is None


def test_judgement_entries():
    aspect = judgement(max_mark="2")
    assert [parse_entry(aspect, v) for v in ("0", 1, "2", "3.0")] == [0, 1, 2, 3]
    assert refused(aspect, "1.5") == "aspect J1 takes a judgement score 0, 1, 2 or 3, not 1.5"
    assert refused(aspect, 4) == "aspect J1 takes a judgement score 0, 1, 2 or 3, not 4"
    assert refused(aspect, "-1") == "aspect J1 takes a judgement score 0, 1, 2 or 3, not -1"
    assert refused(aspect, "x") == "'x' is not a number"
    assert refused(aspect, None) == refused(aspect, True) == "must be a number"
    assert refused(aspect, "nan") == "must be a finite number"
    # one judge's 2 alone, max 2: 2 x 2/3 = 1.33
    assert kind_of(aspect).worth(aspect, 2) == D("1.33")


# -- binary ----------------------------------------------------------------------------------


def test_binary_choices_entries_and_worth():
    aspect = measurement("M1", "binary", "1.5")
    kind = kind_of(aspect)
    assert choices(aspect) == [("1", "Yes"), ("0", "No")]
    assert kind.entries(aspect) == (D(1), D(0))
    assert [parse_entry(aspect, v) for v in (1, "0", "1.0")] == [1, 0, 1]
    assert refused(aspect, 2) == "aspect M1 takes 1 (yes) or 0 (no), not 2"
    assert refused(aspect, "0.5") == "aspect M1 takes 1 (yes) or 0 (no), not 0.5"
    assert (kind.worth(aspect, "1"), kind.worth(aspect, "0")) == (D("1.50"), D("0.00"))
    assert kind.limit(aspect) is None


# -- stepped ---------------------------------------------------------------------------------


def test_stepped_choices_are_written_as_people_read_them():
    aspect = measurement("M2", "stepped", "10", steps=("0", "1.50", "5", "10.0"))
    assert choices(aspect) == [("0", "0"), ("1.5", "1.5"), ("5", "5"), ("10", "10")]  # never 1.50 or 1E+1
    small = measurement("M2", "stepped", "0.1", steps=("0", "0.05", "0.1"))
    assert choices(small) == [("0", "0"), ("0.05", "0.05"), ("0.1", "0.1")]


def test_stepped_entries():
    aspect = measurement("M2", "stepped", "3", steps=("0", "1.5", "3"))
    assert parse_entry(aspect, "1.5") == D("1.5") and parse_entry(aspect, "1.50") == D("1.5")
    assert parse_entry(aspect, 3) == 3
    assert refused(aspect, "2") == "aspect M2 takes one of 0, 1.5, 3, not 2"
    assert [kind_of(aspect).worth(aspect, s) for s in ("0", "1.5", "3")] == [D("0.00"), D("1.50"), D("3.00")]


# -- deduction -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_mark", "step", "max_deductions", "limit"),
    [
        ("2", "0.5", None, 4),  # 4 deductions take 2 to 0
        ("1", "0.3", None, 4),  # the 4th takes 0.1 to 0 (floored)
        ("100", "10", None, 10),
        ("2", "0.5", 3, 3),  # the scheme's max_deductions wins
        ("2", "0.5", 6, 6),
    ],
)
def test_deduction_limit(max_mark, step, max_deductions, limit):
    aspect = measurement("M3", "deduction", max_mark, step=step, max_deductions=max_deductions)
    kind = kind_of(aspect)
    assert kind.widget == COUNTER and kind.choices(aspect) == []
    assert kind.limit(aspect) == limit
    assert kind.entries(aspect) == tuple(D(n) for n in range(limit + 1))


def test_deduction_entries_and_worth():
    aspect = measurement("M3", "deduction", "2", step="0.5", max_deductions=6)
    kind = kind_of(aspect)
    assert [parse_entry(aspect, v) for v in (0, "4", "6", "2.0")] == [0, 4, 6, 2]
    assert refused(aspect, 7) == "aspect M3 takes a whole number of deductions from 0 to 6, not 7"
    assert refused(aspect, "1.5") == "aspect M3 takes a whole number of deductions from 0 to 6, not 1.5"
    assert refused(aspect, -1) == "aspect M3 takes a whole number of deductions from 0 to 6, not -1"
    # 2 - N x 0.5, floored at 0
    assert [kind.worth(aspect, n) for n in kind.entries(aspect)] == [D(v) for v in ("2", "1.5", "1", "0.5", "0", "0", "0")]
