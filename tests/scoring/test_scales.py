"""Judging scales (competition.scoring.scales): reading them from scheme files, checking a
judge's entry against them, and marking the panel's raw scores on them.

Every worked example is computed by hand in its comment."""

from __future__ import annotations

import itertools
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.entries import EntryError, parse_entry
from competition.scoring.kinds import kind_of
from competition.scoring.model import Aspect, RuleRef
from competition.scoring.rules import aggregate_aspect
from competition.scoring.scales import DEFAULT, Scale
from competition.scoring.schemes import SchemeError, parse_scheme
from competition.scoring.sports import HALF_POINTS

HEAD = """\
[scheme]
code = "scales"
name = "Scales"
version = "1"
panel_size = 5
rule = "trimmed_mean"
{scheme_scale}
[[criterion]]
id = "A"
name = "Judged"

[[criterion.sub]]
id = "A1"
name = "One"
"""
ASPECT = """
[[criterion.sub.aspect]]
id = "{id}"
description = "Finish"
type = "judgement"
max = {max}
{extra}
"""


def scheme_text(*aspects: tuple[str, str, str], scheme_scale: str = "") -> str:
    """A scheme of judgement aspects (id, max, extra lines); ``scheme_scale`` goes into [scheme]."""
    return HEAD.format(scheme_scale=scheme_scale) + "".join(ASPECT.format(id=i, max=m, extra=e) for i, m, e in aspects)


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, "s.toml")
    return [str(p) for p in caught.value.problems]


def aspect(scale: Scale, max_mark="5", rule="mean", tolerance="1", panel=3, **params) -> Aspect:
    return Aspect("J1", "judged", D(max_mark), "judgement", RuleRef(rule, params), scale=scale, panel_size=panel, tolerance=D(tolerance))


TENTHS = Scale(D(0), D(10), D("0.1"))
ONE_TO_FIVE = Scale(D(1), D(5))

# -- reading scales -------------------------------------------------------------------------


def test_a_scheme_wide_scale_an_aspects_own_and_the_default():
    text = scheme_text(
        ("A1.1", "5", ""),  # the scheme's 0-10 in tenths
        ("A1.2", "2", 'scale = { min = 1, max = 5, descriptors = ["poor", "fair", "good", "very good", "excellent"] }'),
        ("A1.3", "4", 'scale = { min = 1, max = 5 }\ndescriptors = [{ en = "weak", zh = "差" }, "b", "c", "d", "e"]'),
        ("A1.4", "7.5", 'scale = { points = true, step = 0.5 }'),
        ("A1.5", "10", 'scale = "points"'),
        scheme_scale="scale = { min = 0, max = 10, step = 0.1 }",
    )
    scheme = parse_scheme(text, "s.toml")
    a1, a2, a3, a4, a5 = scheme.aspects
    assert a1.scale == TENTHS and a1.descriptors == ()
    assert a2.scale.min == 1 and a2.scale.max == 5 and a2.scale.step == 1 and a2.descriptors[4] == "excellent"
    assert a3.descriptors[0] == "weak" and a3.descriptors[0].translations == {"en": "weak", "zh": "差"}  # the aspect's own win
    assert a4.scale == Scale(D(0), D("7.5"), D("0.5"), points=True) and a4.scale.levels == 16  # 0, 0.5 … 7.5
    assert a5.scale == Scale(D(0), D(10), D(1), points=True)
    # Without any scale: 0-3, four descriptors required, as before.
    default = parse_scheme(scheme_text(("A1.1", "3", 'descriptors = ["a", "b", "c", "d"]')), "s.toml").aspects[0]
    assert default.scale == DEFAULT == Scale(D(0), D(3), D(1))


def test_a_judged_sports_rule_brings_its_rule_books_scale():
    text = scheme_text(("A1.1", "30", 'rule = "diving"\nrule_params = { degree_of_difficulty = 2.0 }'))
    diving = parse_scheme(text, "s.toml").aspects[0]
    assert diving.scale == HALF_POINTS and diving.descriptors == ()  # awards 0-10 in half points
    assert parse_entry(diving, "7.5") == D("7.5")
    with pytest.raises(EntryError, match=r"takes a score from 0 to 10 in steps of 0.5, not 7.3"):
        parse_entry(diving, "7.3")


def test_check_scheme_reports_bad_scales_at_their_lines():
    text = scheme_text(
        ("A1.1", "5", "scale = { min = 5, max = 1 }"),  # line 21
        ("A1.2", "5", "scale = { min = 1, max = 5, step = 0 }"),
        ("A1.3", "5", 'scale = { min = 1, max = 5 }\ndescriptors = ["a", "b", "c"]'),
        ("A1.4", "5", 'scale = { min = 0, max = 10, step = 0.1 }\ndescriptors = ["a", "b", "c"]'),
        ("A1.5", "5.5", 'scale = "points"'),
        ("A1.6", "5", "scale = { min = 0, max = 1, step = 0.001 }"),
        ("A1.7", "5", 'scale = "tenths"'),
        ("A1.8", "5", "scale = { points = true, min = 1 }"),
        ("A1.9", "5", "scale = { min = 0, max = 10, step = 0.3 }"),
        ("A1.10", "5", 'scale = { min = 0, max = 2, descriptors = ["a", 3, "c"] }'),
        ("A1.11", "5", "scale = { min = 0 }"),
    )
    at = {i: f"criterion[0].sub[0].aspect[{i}]" for i in range(11)}
    assert problems(text) == [
        f"s.toml:21: {at[0]}.scale.max: 1 must be greater than min 5",
        f"s.toml:28: {at[1]}.scale.step: must be greater than 0, not 0",
        f"s.toml:36: {at[2]}.descriptors: has 3 descriptors; give 5 descriptors, one for each score 1, 2, 3, 4, 5",
        f"s.toml:44: {at[3]}.descriptors: descriptors fit a scale of at most 11 levels, and 0–10, step 0.1 has 101; "
        "remove them or use a coarser step",
        f"s.toml:50: {at[4]}.max: 5.5 is not a whole number of steps of 1, and the aspect is judged in points from 0 to its max; "
        "change max or the aspect's scale step",
        f"s.toml:58: {at[5]}.scale.step: 0.001 has more than 2 decimal places; marks are kept to 0.01",
        f"s.toml:65: {at[6]}.scale: must be a table, e.g. scale = {{ min = 0, max = 10, step = 0.1 }}, or \"points\" "
        "(scale = \"points\": points from 0 to the aspect's max)",
        f"s.toml:72: {at[7]}.scale.min: a points scale runs from 0 to the aspect's max; remove it",
        f"s.toml:79: {at[8]}.scale.step: max − min = 10 is not a whole number of steps of 0.3; choose a step that divides it, "
        "or change min or max",
        f"s.toml:86: {at[9]}.scale.descriptors[1]: must be a non-empty string describing score 1",
        f"s.toml:93: {at[10]}.scale.max: required field is missing; add max = <number>",
    ]


def test_a_bad_scheme_wide_scale_is_reported_once():
    text = scheme_text(("A1.1", "5", ""), ("A1.2", "5", ""), scheme_scale="scale = { min = 0, max = 10, step = 0.3 }")
    assert problems(text) == [
        "s.toml:7: scheme.scale.step: max − min = 10 is not a whole number of steps of 0.3; choose a step that divides it, "
        "or change min or max",
    ]


# -- entries ------------------------------------------------------------------------------


def test_entries_are_checked_against_the_scale_exactly():
    fine = aspect(TENTHS)
    assert parse_entry(fine, "8.7") == D("8.7") and parse_entry(fine, 10) == D(10) and parse_entry(fine, "0.10") == D("0.10")
    for bad in ("8.75", "10.1", "-0.1", "8.70000000000000000001"):
        with pytest.raises(EntryError) as caught:
            parse_entry(fine, bad)
        assert caught.value.message == f"aspect J1 takes a score from 0 to 10 in steps of 0.1, not {bad}"
    with pytest.raises(EntryError, match=r"^value: aspect J1 takes a whole score from 1 to 5, not 0$"):
        parse_entry(aspect(ONE_TO_FIVE), 0)
    with pytest.raises(EntryError, match=r"takes a judgement score 0, 1, 2 or 3, not 4"):
        parse_entry(aspect(DEFAULT), 4)
    points = aspect(Scale(D(0), D(20), D("0.5"), points=True), max_mark="20")
    assert parse_entry(points, "14.5") == D("14.5")
    with pytest.raises(EntryError, match=r"from 0 to 20 in steps of 0.5, not 20.5"):
        parse_entry(points, "20.5")


def test_what_the_form_offers_per_scale():
    kind = kind_of(aspect(TENTHS))
    assert kind.widget_of(aspect(TENTHS)) == "keypad" and kind.choices(aspect(TENTHS)) == []
    assert len(kind.entries(aspect(TENTHS))) == 101 and kind.entries(aspect(TENTHS))[87] == D("8.7")
    eleven = aspect(Scale(D(0), D(10)))
    assert kind.widget_of(eleven) == "choices" and [c.value for c in kind.choices(eleven)] == [str(n) for n in range(11)]
    halves = aspect(Scale(D(0), D(2), D("0.5")))
    assert [c.value for c in kind.choices(halves)] == ["0", "0.5", "1", "1.5", "2"]


# -- marks on scales ------------------------------------------------------------------------


def mark(a: Aspect, *entries: str) -> D | None:
    return aggregate_aspect(a, [D(e) for e in entries]).mark


def test_marks_are_the_scaled_share_of_the_aspects_max():
    # Five judges on 0-10 in tenths, max 5, highest and lowest dropped: 9.6 and 7.9 go,
    # mean(8.7, 9.1, 8.5) = 26.3 / 3 = 8.7666…; 5 × 8.7666… / 10 = 4.3833… → 4.38.
    assert mark(aspect(TENTHS, rule="trimmed_mean", panel=5, high=1, low=1), "8.7", "9.1", "7.9", "8.5", "9.6") == D("4.38")
    # 1-5, max 3, mean of 2, 4, 5 = 11/3; (11/3 − 1) / (5 − 1) = 2/3; 3 × 2/3 = 2.00.
    assert mark(aspect(ONE_TO_FIVE, max_mark="3"), "2", "4", "5") == D("2.00")
    # The lowest level is worth nothing, the highest the whole max: 1-5 → 0 and 3.
    assert mark(aspect(ONE_TO_FIVE, max_mark="3"), "1", "1", "1") == D("0.00")
    assert mark(aspect(ONE_TO_FIVE, max_mark="3"), "5", "5", "5") == D("3.00")
    # Points 0-20 in halves: the median of 14.5, 16, 15 is 15, and 15 points is the mark.
    assert mark(aspect(Scale(D(0), D(20), D("0.5"), points=True), max_mark="20", rule="median"), "14.5", "16", "15") == D("15.00")
    # −5…+5, max 3: mean(−1, 2, 3) = 4/3; (4/3 + 5) / 10 = 19/30; 3 × 19/30 = 1.9.
    assert mark(aspect(Scale(D(-5), D(5)), max_mark="3"), "-1", "2", "3") == D("1.90")
    # The default 0-3 is unchanged: max 2, mean(1, 2, 2) = 5/3; 2 × 5/9 = 1.111… → 1.11.
    assert mark(aspect(DEFAULT, max_mark="2"), "1", "2", "2") == D("1.11")
    # WorldSkills judgement on 0-10: the mean, 5 × mean(6, 7, 8)/10 = 3.50.
    assert mark(aspect(TENTHS, rule="worldskills_judgement"), "6", "7", "8") == D("3.50")


def test_the_tolerance_is_a_spread_of_raw_scale_points():
    # 8.0 and 9.5 differ by 1.5 points of the 0-10 scale: over the default 1, within 1.5.
    assert aggregate_aspect(aspect(TENTHS, rule="worldskills_judgement"), [D("8.0"), D("9.5")]).flagged
    assert not aggregate_aspect(aspect(TENTHS, rule="worldskills_judgement", tolerance="1.5"), [D("8.0"), D("9.5")]).flagged
    # On 1-5 the default keeps WorldSkills' meaning: neighbouring levels pass, two apart are flagged.
    assert not aggregate_aspect(aspect(ONE_TO_FIVE), [D(3), D(4)]).flagged
    assert aggregate_aspect(aspect(ONE_TO_FIVE), [D(3), D(5)]).flagged


# -- properties ---------------------------------------------------------------------------

RULE_PARAMS = {"mean": {}, "median": {}, "worldskills_judgement": {}, "trimmed_mean": {"high": 1, "low": 1}}


@st.composite
def scale_and_entries(draw):
    step = draw(st.sampled_from([D("0.01"), D("0.1"), D("0.25"), D("0.5"), D(1), D(2)]))
    low = draw(st.integers(-20, 20)) * step
    levels = draw(st.integers(2, 400))
    points = draw(st.booleans())
    if points:
        scale = Scale(D(0), levels * step, step, points=True)
    else:
        scale = Scale(low, low + (levels - 1) * step, step)
    entries = draw(st.lists(st.integers(0, scale.levels - 1), min_size=1, max_size=7))
    return scale, [scale.min + n * scale.step for n in entries]


@given(scale_and_entries(), st.sampled_from(sorted(RULE_PARAMS)),
       st.sampled_from([D("0.5"), D(1), D(3), D("7.25"), D(100)]), st.randoms(use_true_random=False))
def test_a_mark_stays_within_0_and_max_and_the_judges_order_does_not_matter(drawn, rule, max_mark, random):
    scale, entries = drawn
    max_mark = scale.max if scale.points else max_mark
    a = aspect(scale, max_mark=str(max_mark), rule=rule, panel=max(len(entries), 3), **RULE_PARAMS[rule])
    assert all(parse_entry(a, str(e)) == e for e in entries)  # every drawn entry is on the scale
    result = aggregate_aspect(a, entries)
    assert D(0) <= result.mark <= max_mark
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert aggregate_aspect(a, shuffled) == result
    if scale.points:  # a points scale: the mark is the aggregate itself, rounded
        assert aggregate_aspect(a, [entries[0]] * 3).mark == entries[0].quantize(D("0.01"))


@given(scale_and_entries())
def test_every_level_is_on_the_scale_and_nothing_between(drawn):
    scale, _ = drawn
    values = scale.values()
    assert values[0] == scale.min and values[-1] == scale.max and len(values) == scale.levels
    for a, b in itertools.pairwise(values[:50]):
        assert b - a == scale.step and not scale.contains(a + scale.step / 2)
