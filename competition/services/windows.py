"""Marking windows: the chief expert opens and closes marking per skill, criterion and day.

Rule: an aspect may be marked only while its skill is open (``Skill.marking_open``), its
criterion is open, and its criterion's marking day (``marking_day`` in the scheme) is open.
Closing never changes a mark; marks sent while closed are refused and stay on the tablet.
"""

from __future__ import annotations

from sqlalchemy import select

from competition.extensions import db
from competition.models import MarkingWindow, Skill, User
from competition.scoring.model import Aspect
from competition.services.audit import audit

CRITERION, DAY = "criterion", "day"


class WindowError(ValueError):
    pass


def closed_keys(skill: Skill) -> set[tuple[str, str]]:
    rows = db.session.scalars(select(MarkingWindow).where(MarkingWindow.skill_id == skill.id, MarkingWindow.open.is_(False)))
    return {(row.kind, row.key) for row in rows}


def closed_reason(skill: Skill, aspect: Aspect, closed: set[tuple[str, str]] | None = None) -> str | None:
    """Why ``aspect`` cannot be marked now, or None when it can."""
    if not skill.marking_open:
        return f"marking is closed for {skill.name}"
    closed = closed_keys(skill) if closed is None else closed
    if (CRITERION, aspect.criterion_id) in closed:
        return f"marking is closed for criterion {aspect.criterion_id}"
    day = skill.scheme.criterion(aspect.criterion_id).marking_day
    if day and (DAY, day) in closed:
        return f"marking is closed for marking day {day} (criterion {aspect.criterion_id})"
    return None


def marking_days(skill: Skill) -> list[str]:
    return sorted({c.marking_day for c in skill.scheme.criteria if c.marking_day})


def set_window(skill: Skill, *, by: User, open: bool, kind: str | None = None, key: str = "") -> None:
    """Open or close marking for the whole skill (``kind=None``), a criterion or a day. Commits."""
    if kind is None:
        skill.marking_open = open
        what = f"skill {skill.code}"
    else:
        valid = [c.id for c in skill.scheme.criteria] if kind == CRITERION else marking_days(skill) if kind == DAY else []
        if key not in valid:
            raise WindowError(f"no {kind} {key!r} in the scheme of {skill.name}")
        row = db.session.scalar(
            select(MarkingWindow).where(MarkingWindow.skill_id == skill.id, MarkingWindow.kind == kind, MarkingWindow.key == key)
        )
        if row is None:
            row = MarkingWindow(skill_id=skill.id, kind=kind, key=key)
            db.session.add(row)
        row.open = open
        what = f"{kind} {key}"
    audit("marking_opened" if open else "marking_closed", by=by, skill=skill, detail=what)
    db.session.commit()
