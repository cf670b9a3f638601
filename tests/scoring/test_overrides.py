"""A skill's own settings over its scheme (pure): only what was set changes, aspects with their own panel keep it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from competition.scoring.overrides import panel_problems, with_settings
from competition.scoring.schemes import load_scheme

SCHEMES = Path(__file__).resolve().parents[2] / "scoring_schemes"


def test_nothing_set_is_the_same_scheme():
    scheme = load_scheme(SCHEMES / "cnc-milling.toml")
    assert with_settings(scheme) is scheme
    assert with_settings(scheme, panel_size=scheme.panel_size, award_rule=scheme.awards.name) is scheme


def test_panel_tolerance_and_award_rule_replace_the_schemes():
    scheme = load_scheme(SCHEMES / "cnc-milling.toml")
    changed = with_settings(scheme, panel_size=4, tolerance=1.5, award_rule="prize_bands")
    assert changed.panel_size == 4 and changed.tolerance == Decimal("1.5")
    assert changed.awards.name == "prize_bands" and changed.awards.params  # the rule's default shares
    assert {a.panel_size for a in changed.aspects} == {4}
    assert {a.tolerance for a in changed.aspects} == {Decimal("1.5")}
    assert scheme.panel_size == 3  # the original is untouched


def test_an_aspect_with_its_own_panel_keeps_it():
    scheme = load_scheme(SCHEMES / "cnc-milling.toml")
    first = scheme.aspects[0]
    import dataclasses

    own = dataclasses.replace(first, panel_size=5)
    criteria = list(scheme.criteria)
    sub = dataclasses.replace(criteria[0].sub_criteria[0], aspects=(own, *criteria[0].sub_criteria[0].aspects[1:]))
    criteria[0] = dataclasses.replace(criteria[0], sub_criteria=(sub, *criteria[0].sub_criteria[1:]))
    scheme = dataclasses.replace(scheme, criteria=tuple(criteria))
    changed = with_settings(scheme, panel_size=4)
    assert changed.aspects[0].panel_size == 5 and changed.aspects[1].panel_size == 4


def test_a_panel_too_small_for_the_rule_is_a_problem():
    scheme = load_scheme(SCHEMES / "cn-electrical-installation.toml")  # trimmed mean: one high and one low dropped
    assert panel_problems(scheme, 2) and not panel_problems(scheme, 5)
