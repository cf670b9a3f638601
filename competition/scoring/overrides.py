"""A skill's own settings over its scheme: panel size, variance tolerance, award rule.

An organiser may run a skill with another panel (four judges present instead of three), a
wider tolerance or another award rule than its scheme file says, without editing the file
that other events share. :func:`with_settings` returns the scheme with those settings put in
(``None`` keeps the scheme's own), so every reader — standings, flags, sign-off — sees the
same scheme. Aspects that declare a panel or tolerance of their own (a sport's rule needing
five judges) keep it: only aspects that took the scheme's value take the skill's.

Pure: standard library only.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from types import MappingProxyType

from competition.scoring.awards import AWARD_RULES
from competition.scoring.model import MarkingScheme, RuleRef
from competition.scoring.rules import RULES


def with_settings(scheme: MarkingScheme, *, panel_size: int | None = None, tolerance: Decimal | float | None = None,
                  award_rule: str | None = None) -> MarkingScheme:
    """``scheme`` with the skill's settings over its own; the same object when none is set."""
    changes: dict[str, object] = {}
    if panel_size is not None and panel_size != scheme.panel_size:
        changes["panel_size"] = panel_size
    if tolerance is not None and Decimal(str(tolerance)) != scheme.tolerance:
        changes["tolerance"] = Decimal(str(tolerance))
    if award_rule is not None and award_rule != scheme.awards.name and award_rule in AWARD_RULES:
        params, _problems = AWARD_RULES[award_rule].read({})  # the rule's defaults
        changes["awards"] = RuleRef(award_rule, MappingProxyType(params))
    if not changes:
        return scheme
    aspect_changes = {key: changes[key] for key in ("panel_size", "tolerance") if key in changes}
    criteria = tuple(
        dataclasses.replace(criterion, sub_criteria=tuple(
            dataclasses.replace(sub, aspects=tuple(_aspect(scheme, aspect, aspect_changes) for aspect in sub.aspects))
            for sub in criterion.sub_criteria))
        for criterion in scheme.criteria
    ) if aspect_changes else scheme.criteria
    return dataclasses.replace(scheme, criteria=criteria, **changes)


def _aspect(scheme: MarkingScheme, aspect, changes: dict):
    own = {key: value for key, value in changes.items() if getattr(aspect, key) == getattr(scheme, key)}
    return dataclasses.replace(aspect, **own) if own else aspect


def panel_problems(scheme: MarkingScheme, panel_size: int) -> list[str]:
    """Why ``panel_size`` judges cannot mark ``scheme``'s aspects that take the scheme's panel
    (a trimmed mean dropping one high and one low score needs at least three): one message
    per rule, in the rule's words."""
    found: dict[str, str] = {}
    for aspect in scheme.aspects:
        if aspect.panel_size != scheme.panel_size or aspect.rule.name not in RULES:
            continue
        for problem in RULES[aspect.rule.name].problems(dict(aspect.rule.params), panel_size):
            if problem.panel_size:
                found.setdefault(aspect.rule.name, problem.message)
    return list(found.values())
