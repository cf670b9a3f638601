"""What needs the chief expert's attention, read from the competitor sheets: open flags, aspects
not marked yet, judges who have not signed off, and how far each judge is — per competitor and
for the whole skill. Read only.

A judge's share follows the tablet's rule (:func:`competition.services.judging.missing_for`):
every judgement aspect needs their own score, a measurement aspect one entry from anyone on the
panel. So "Judge B: 12/29" on the chief expert's page is what Judge B's form says of itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from competition.models import Skill, User
from competition.services.judging import AspectState, CompetitorSheet, competitor_sheet, missing_for
from competition.services.windows import CRITERION, DAY


@dataclass
class JudgeShare:
    """One judge's part of one competitor (``forms`` = 1) or of a whole skill."""

    judge: User
    marked: int = 0
    of: int = 0
    signed: int = 0
    forms: int = 0
    missing: list[str] = field(default_factory=list)  # aspect ids, for one competitor

    @property
    def done(self) -> bool:
        return self.of > 0 and self.marked == self.of

    @property
    def signed_off(self) -> bool:
        return self.forms > 0 and self.signed == self.forms


@dataclass
class SheetAttention:
    """One competitor: what stops the panel from signing off, and each judge's share."""

    flags: list[AspectState]  # flagged and not overridden, in scheme order
    unmarked: list[AspectState]  # not every judge (or no entry) yet
    judges: list[JudgeShare]

    @property
    def not_signed(self) -> list[JudgeShare]:
        return [j for j in self.judges if not j.signed_off]

    @property
    def clear(self) -> bool:
        return not self.flags and not self.unmarked and not self.not_signed


def judge_shares(sheet: CompetitorSheet, aspect_ids: set[str] | None = None) -> list[JudgeShare]:
    """Each judge of the competitor's panel (a judge with a conflict is not on it): aspects their
    form still asks for, of those in ``aspect_ids`` (all when None), and their sign-off."""
    states = [s for a, s in sheet.aspects.items() if aspect_ids is None or a in aspect_ids]
    shares = []
    for judge in sheet.panel:
        missing = [s.aspect.id for s in states if missing_for(judge, s)]
        shares.append(JudgeShare(judge, marked=len(states) - len(missing), of=len(states), signed=int(judge.id in sheet.signed),
                                 forms=1, missing=missing))
    return shares


def sheet_attention(sheet: CompetitorSheet) -> SheetAttention:
    return SheetAttention(
        flags=[s for s in sheet.aspects.values() if s.blocking],
        unmarked=[s for s in sheet.aspects.values() if not s.result.complete],
        judges=judge_shares(sheet),
    )


def skill_judges(sheets: list[CompetitorSheet], aspect_ids: set[str] | None = None) -> list[JudgeShare]:
    """Each judge over every competitor of the skill: aspects marked of those their forms ask
    for, and forms signed off. In the order the panel was assigned."""
    total: dict[int, JudgeShare] = {}
    for sheet in sheets:
        for share in judge_shares(sheet, aspect_ids):
            row = total.setdefault(share.judge.id, JudgeShare(share.judge))
            row.marked += share.marked
            row.of += share.of
            row.signed += share.signed
            row.forms += share.forms
    return list(total.values())


def window_aspects(skill: Skill, kind: str | None, key: str) -> set[str]:
    """The aspects a marking window covers: the whole skill, one criterion, or one marking day."""
    if kind == CRITERION:
        return {a.id for a in skill.scheme.aspects if a.criterion_id == key}
    if kind == DAY:
        days = {c.id for c in skill.scheme.criteria if c.marking_day == key}
        return {a.id for a in skill.scheme.aspects if a.criterion_id in days}
    return {a.id for a in skill.scheme.aspects}


def still_marking(skill: Skill, kind: str | None, key: str) -> list[JudgeShare]:
    """Judges who still have aspects to mark inside a window, for the question before closing it."""
    aspect_ids = window_aspects(skill, kind, key)
    shares = skill_judges([competitor_sheet(c) for c in skill.competitors], aspect_ids)
    return [s for s in shares if not s.done and s.of]
