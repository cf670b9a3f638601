"""Setting up events: the event itself, schemes into skills, people and roles."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Skill, SkillRole, TeamMember, User
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


def add_team(skill: Skill, code: str, name: str, members: Sequence[Mapping[str, str] | tuple[str, str]], *,
             organisation: str | None = None) -> Competitor:
    """A team competing in a team skill (its scheme sets ``team_size``): one competitor, whom
    the judges mark, with its members in order, each ``{"name", "organisation"}`` (or a
    ``(name, organisation)`` pair). The team's ``organisation`` defaults to its members' when
    they share one (several: joined with " / "); a member without one gets the team's.
    Raises :class:`ServiceError` naming the field (``members``, ``members[1].name``…) before
    anything is stored."""
    size = skill.scheme.team_size
    if size is None:
        raise ServiceError("members", _l("%(skill)s is marked per competitor, not per team: its scheme sets no team_size.", skill=skill))
    code, name = (code or "").strip(), " ".join((name or "").split())
    if not code or len(code) > 20:
        raise ServiceError("code", _l("Give the team a code of at most 20 characters, e.g. T-01."))
    if not name or len(name) > 200:
        raise ServiceError("name", _l("Give the team a name of at most 200 characters."))
    if db.session.scalar(select(Competitor.id).where(Competitor.skill_id == skill.id, Competitor.code == code)) is not None:
        raise Conflict("code", _l("%(skill)s already has a competitor %(code)s; choose another code.", skill=skill, code=code),
                       code="duplicate")
    people = [_member(m, i) for i, m in enumerate(members or ())]
    low, high = size
    if not low <= len(people) <= high:
        raise ServiceError("members", _l("A team in %(skill)s has %(min)s to %(max)s members, not %(num)s.", skill=skill, min=low,
                                         max=high, num=len(people)))
    if organisation is None:
        organisation = " / ".join(dict.fromkeys(org for _, org in people if org))
    organisation = " ".join(organisation.split())[:200]
    team = Competitor(skill=skill, code=code, name=name, organisation=organisation)
    team.members = [TeamMember(position=i + 1, name=member, organisation=org or organisation) for i, (member, org) in enumerate(people)]
    db.session.add(team)
    db.session.flush()
    return team


def _member(member: Mapping[str, str] | tuple[str, str], index: int) -> tuple[str, str]:
    """A member's (name, organisation), tidied; a missing or overlong name names the member's field."""
    if isinstance(member, Mapping):
        name, organisation = member.get("name"), member.get("organisation")
    else:
        name, organisation = (tuple(member) + ("", ""))[:2]
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200:
        raise ServiceError(f"members[{index}].name", _l("Give member %(position)s a name of at most 200 characters.", position=index + 1))
    organisation = " ".join(str(organisation or "").split())
    if len(organisation) > 200:
        raise ServiceError(f"members[{index}].organisation",
                           _l("The organisation of member %(position)s is longer than 200 characters.", position=index + 1))
    return name, organisation


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
