"""Setting up events: the event itself, schemes into skills, people and roles."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, Skill, SkillRole, User
from competition.scoring.schemes import parse_scheme
from competition.services.errors import Conflict, ServiceError

EVENT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
LANGUAGES = ("en", "zh")
log = logging.getLogger(__name__)


def create_event(code: str, name: str, *, place: str = "", starts_on: dt.date | None = None, ends_on: dt.date | None = None,
                 language: str = "en") -> Event:
    """A new event. ``code`` appears in every URL of the event (letters, digits, "-", "_")."""
    code, name = (code or "").strip(), " ".join((name or "").split())
    if not EVENT_CODE.fullmatch(code):
        raise ServiceError("code", f"{code!r} is not an event code: use 1-40 letters, digits, '-' or '_', e.g. wsc2026")
    if not name or len(name) > 200:
        raise ServiceError("name", "give the event a name of at most 200 characters")
    if language not in LANGUAGES:
        raise ServiceError("language", f"must be one of {', '.join(LANGUAGES)}, not {language!r}")
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError("ends_on", f"the event ends ({ends_on}) before it starts ({starts_on})")
    if db.session.scalar(select(Event.id).where(Event.code == code)) is not None:
        raise Conflict("code", f"there is already an event {code!r}; choose another code", code="duplicate")
    event = Event(code=code, name=name, place=(place or "").strip()[:200], starts_on=starts_on, ends_on=ends_on, language=language)
    db.session.add(event)
    db.session.flush()
    return event


def add_skill_from_scheme(event: Event, path: Path, **options) -> Skill:
    """Create a skill from a scheme file. The file is validated first: a bad scheme raises
    :class:`~competition.scoring.schemes.SchemeError` and nothing is stored. A text missing a
    language the scheme declares is only logged as a warning (``podium check-scheme`` reports
    it as a problem): that text shows in the language it has. The skill's name is the
    scheme's (in English when it has both; :meth:`Skill.name_in` gives the other)."""
    text = Path(path).read_text(encoding="utf-8")
    scheme = parse_scheme(text, str(path))
    for gap in scheme.language_gaps:
        log.warning("scheme text missing a language: %s", gap)
    skill = Skill(event=event, code=scheme.code, name=str(scheme.name), scheme_source=Path(path).name, scheme_text=text, **options)
    db.session.add(skill)
    db.session.flush()
    return skill


def add_user(username: str, display_name: str, password: str, *, organisation: str = "", organiser: bool = False) -> User:
    user = User(username=username, display_name=display_name, organisation=organisation, is_organiser=organiser)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def assign(user: User, skill: Skill, role: str) -> SkillRole:
    link = SkillRole(user=user, skill=skill, role=role)
    db.session.add(link)
    db.session.flush()
    return link
