"""Marking progress for the organiser: per skill and per judge, what is marked, signed off,
locked and flagged, and which judges have not marked for a while.

A judge's share counts what their own form asks of them (as the tablet shows it): every
judgement aspect needs their score, a measurement aspect needs one entry from anyone on the
panel. A judge is *idle* when a skill they judge is still being marked and their newest mark is
older than ``IDLE_AFTER`` (or they have marked nothing yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Event, Mark, Skill, User
from competition.models.marking import utcnow
from competition.services.access import panel
from competition.services.attention import judge_shares
from competition.services.judging import competitor_sheet

IDLE_AFTER = dt.timedelta(minutes=20)


@dataclass
class JudgeProgress:
    judge: User
    marked: int = 0
    expected: int = 0
    signed: int = 0
    forms: int = 0
    last_mark: dt.datetime | None = None
    idle: bool = False

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.marked == self.expected


@dataclass
class FlaggedAspect:
    competitor_code: str
    aspect_id: str


@dataclass
class SkillProgress:
    skill: Skill
    competitors: int = 0
    aspects_marked: int = 0
    aspects: int = 0
    signed: int = 0
    forms: int = 0
    locked: int = 0
    flags: list[FlaggedAspect] = field(default_factory=list)
    judges: list[JudgeProgress] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.aspects_marked / self.aspects if self.aspects else 0.0

    @property
    def finished(self) -> bool:
        return self.competitors > 0 and self.locked == self.competitors


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def skill_progress(skill: Skill, *, now: dt.datetime | None = None) -> SkillProgress:
    now = now or utcnow()
    progress = SkillProgress(skill, competitors=len(skill.competitors))
    judges: dict[int, JudgeProgress] = {j.id: JudgeProgress(j) for j in panel(skill)}
    newest = select(Mark.judge_id, func.max(Mark.updated_at)).where(Mark.skill_id == skill.id).group_by(Mark.judge_id)
    last = dict(db.session.execute(newest).all())
    for competitor in skill.competitors:
        sheet = competitor_sheet(competitor)
        progress.aspects += len(sheet.aspects)
        progress.aspects_marked += sum(1 for state in sheet.aspects.values() if state.result.complete)
        progress.forms += len(sheet.panel)
        progress.signed += sum(1 for judge in sheet.panel if judge.id in sheet.signed)
        progress.locked += competitor.locked
        progress.flags += [FlaggedAspect(competitor.code, aspect_id) for aspect_id in sheet.flagged]
        for share in judge_shares(sheet):
            row = judges.setdefault(share.judge.id, JudgeProgress(share.judge))
            row.forms += share.forms
            row.signed += share.signed
            row.expected += share.of
            row.marked += share.marked
    for row in judges.values():
        row.last_mark = _aware(last.get(row.judge.id))
        still_marking = skill.marking_open and not progress.finished and not row.complete
        row.idle = still_marking and (row.last_mark is None or now - row.last_mark > IDLE_AFTER)
    progress.judges = sorted(judges.values(), key=lambda r: (r.judge.display_name.casefold(), r.judge.id))
    return progress


def event_progress(event: Event, *, now: dt.datetime | None = None) -> list[SkillProgress]:
    """Every skill of the event, in code order."""
    now = now or utcnow()
    return [skill_progress(skill, now=now) for skill in event.skills]


def as_json(progress: list[SkillProgress]) -> dict:
    """The page's live figures (for the script that updates it in place)."""
    return {"skills": [{
        "code": p.skill.code, "competitors": p.competitors, "aspects": p.aspects, "aspects_marked": p.aspects_marked,
        "share": round(p.share, 4), "forms": p.forms, "signed": p.signed, "locked": p.locked, "flags": len(p.flags),
        "judges": [{"username": j.judge.username, "marked": j.marked, "expected": j.expected, "signed": j.signed,
                    "forms": j.forms, "idle": j.idle, "last_mark": j.last_mark.isoformat() if j.last_mark else None}
                   for j in p.judges],
    } for p in progress]}
