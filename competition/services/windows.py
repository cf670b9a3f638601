"""Marking windows: the chief expert opens and closes marking per skill, criterion and day.

Rule: an aspect may be marked only while its skill is open (``Skill.marking_open``), its
criterion is open, and its criterion's marking day (``marking_day`` in the scheme) is open.
Closing never changes a mark; marks sent while closed are refused and stay on the tablet.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import MarkingWindow, Skill, User
from competition.scoring.model import Aspect
from competition.services.access import is_chief
from competition.services.audit import audit
from competition.services.errors import Forbidden, NotFound

CRITERION, DAY = "criterion", "day"


class WindowError(NotFound):
    """No such criterion or marking day in the skill's scheme."""


def _chief(by: User, skill: Skill) -> None:
    if not is_chief(by, skill):
        raise Forbidden("user", _l("only the chief expert of %(skill)s can do this", skill=skill), code="not_chief")


def closed_keys(skill: Skill) -> set[tuple[str, str]]:
    rows = db.session.scalars(select(MarkingWindow).where(MarkingWindow.skill_id == skill.id, MarkingWindow.open.is_(False)))
    return {(row.kind, row.key) for row in rows}


def closed_reason(skill: Skill, aspect: Aspect, closed: set[tuple[str, str]] | None = None) -> LazyString | None:
    """Why ``aspect`` cannot be marked now, or None when it can."""
    if not skill.marking_open:
        return _l("marking is closed for %(skill)s", skill=skill)
    closed = closed_keys(skill) if closed is None else closed
    if (CRITERION, aspect.criterion_id) in closed:
        return _l("marking is closed for criterion %(criterion)s", criterion=aspect.criterion_id)
    day = skill.scheme.criterion(aspect.criterion_id).marking_day
    if day and (DAY, day) in closed:
        return _l("marking is closed for marking day %(day)s (criterion %(criterion)s)", day=day, criterion=aspect.criterion_id)
    return None


def marking_days(skill: Skill) -> list[str]:
    return sorted({c.marking_day for c in skill.scheme.criteria if c.marking_day})


def set_window(skill: Skill, *, by: User, open: bool, kind: str | None = None, key: str = "") -> None:
    """Open or close marking for the whole skill (``kind=None``), a criterion or a day (the chief expert's)."""
    _chief(by, skill)
    if kind is None:
        skill.marking_open = open
        what = f"skill {skill.code}"
    else:
        valid = [c.id for c in skill.scheme.criteria] if kind == CRITERION else marking_days(skill) if kind == DAY else []
        if key not in valid:
            raise WindowError(kind or "kind", _l("no %(kind)s %(key)s in the scheme of %(skill)s", kind=kind, key=repr(key),
                                                 skill=skill))
        row = db.session.scalar(
            select(MarkingWindow).where(MarkingWindow.skill_id == skill.id, MarkingWindow.kind == kind, MarkingWindow.key == key)
        )
        if row is None:
            row = MarkingWindow(skill_id=skill.id, kind=kind, key=key)
            db.session.add(row)
        row.open = open
        what = f"{kind} {key}"
    audit("marking_opened" if open else "marking_closed", by=by, skill=skill, detail=what)
    db.session.flush()


def set_descriptors_only(skill: Skill, *, by: User, descriptors_only: bool) -> None:
    """Judges see the judgement descriptors only, or the descriptors with their numbers (the chief expert's)."""
    _chief(by, skill)
    skill.descriptors_only = descriptors_only
    audit("descriptors_only" if descriptors_only else "descriptors_with_numbers", by=by, skill=skill)
    db.session.flush()
