"""Finding things by what people and clients call them, or answering "not found".

The one home for look-ups by code or id. A skill is always found *within its event*: two
events may use the same skill code, and neither may take over the other's pages, API routes
or Socket.IO rooms. Each function raises :class:`~competition.services.errors.NotFound`
(404) naming the field, or returns the row; ids outside what the database can store (for
example 2^63 and above) are simply not found, never a database error.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Skill
from competition.services.errors import NotFound, ServiceError

MAX_ID = 2**63 - 1  # the largest id a BIGINT (and SQLite's INTEGER) column holds


def valid_id(value: object) -> int | None:
    """``value`` as a row id when it is a whole number a row can have, else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= MAX_ID else None


def require_id(value: object, field: str) -> int:
    """A row id sent by a client: a whole number, else 400 naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(field, _l("must be a whole number (a row id), not %(value)s", value=shown(value)))
    return value


def get_row(model: type, ident: object, field: str, what: str):
    """The row of ``model`` with id ``ident``, or 404 naming ``field``."""
    row = db.session.get(model, ident) if valid_id(ident) else None
    if row is None:
        raise NotFound(field, _l("no %(what)s with id %(id)s", what=what, id=shown(ident)), code=f"unknown_{what.replace(' ', '_')}")
    return row


def event_by_code(code: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.code == str(code)))
    if event is None:
        raise NotFound("event", _l("no event %(event)s", event=shown(code)), code="unknown_event")
    return event


def skill_in_event(event: Event | str, code: str) -> Skill:
    """The skill ``code`` of ``event`` (an Event or an event code)."""
    if not isinstance(event, Event):
        event = event_by_code(event)
    skill = db.session.scalar(select(Skill).where(Skill.event_id == event.id, Skill.code == str(code)))
    if skill is None:
        raise NotFound("skill", _l("no skill %(skill)s in event %(event)s", skill=shown(code), event=event.code), code="unknown_skill")
    return skill


def competitor_in_skill(skill: Skill, code: str, *, encrypted: bool = False) -> Competitor:
    """The competitor with ``code`` (``encrypted``: with that encrypted number, 加密号)."""
    column = Competitor.encrypted_code if encrypted else Competitor.code
    competitor = db.session.scalar(select(Competitor).where(Competitor.skill_id == skill.id, column == str(code))) if code else None
    if competitor is None:
        raise NotFound("competitor", _l("no competitor %(competitor)s in %(skill)s", competitor=shown(code), skill=skill.code),
                       code="unknown_competitor")
    return competitor


def competitor_by_id(ident: object, field: str = "competitor_id") -> Competitor:
    return get_row(Competitor, require_id(ident, field), field, "competitor")


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
