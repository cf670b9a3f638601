"""Setting up events: the event itself, schemes into skills, people and roles."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Skill, SkillRole, TeamMember, User
from competition.models.marking import utcnow
from competition.scoring.schemes import parse_scheme
from competition.services.audit import audit
from competition.services.errors import Conflict, ServiceError

EVENT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
LANGUAGES = ("en", "zh")
log = logging.getLogger(__name__)


def create_event(code: str, name: str, *, place: str = "", starts_on: dt.date | None = None, ends_on: dt.date | None = None,
                 language: str = "en", public_url: str = "", by: User | None = None) -> Event:
    """A new event. ``code`` appears in every URL of the event (letters, digits, "-", "_").
    Every problem is checked before anything is stored; the first raises, all are in its
    ``problems``."""
    fields = _event_fields(code=code, name=name, place=place, starts_on=starts_on, ends_on=ends_on, language=language,
                           public_url=public_url)
    if db.session.scalar(select(Event.id).where(Event.code == fields["code"])) is not None:
        raise Conflict("code", _l("There is already an event %(code)s; choose another code.", code=fields["code"]), code="duplicate")
    event = Event(**fields)
    db.session.add(event)
    db.session.flush()
    if by is not None:
        audit("event_created", by=by, detail=event.code)
    return event


def update_event(event: Event, *, by: User | None, **changes) -> Event:
    """Change an event's name, place, dates, language or public address (its code stays: it
    is in every URL and printed QR code). Validated as :func:`create_event`; nothing changes
    unless everything is valid."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ServiceError(sorted(unknown)[0], _l("This cannot be changed here."))
    current = {key: getattr(event, key) for key in EDITABLE}
    fields = _event_fields(code=event.code, **{**current, **changes})
    changed = [key for key in EDITABLE if fields[key] != current[key]]
    for key in changed:
        setattr(event, key, fields[key])
    db.session.flush()
    if changed:
        audit("event_changed", by=by, detail=f"{event.code}: {', '.join(changed)}")
    return event


def archive_event(event: Event, *, by: User | None, archived: bool = True) -> Event:
    """Archive an event (it leaves the home page and the console's list, and stays readable at
    its addresses), or bring it back."""
    if archived == (event.archived_at is not None):
        return event
    event.archived_at = utcnow() if archived else None
    db.session.flush()
    audit("event_archived" if archived else "event_unarchived", by=by, detail=event.code)
    return event


EDITABLE = ("name", "place", "starts_on", "ends_on", "language", "public_url")


def _event_fields(*, code: str, name: str, place: str | None = "", starts_on: dt.date | None = None, ends_on: dt.date | None = None,
                  language: str = "en", public_url: str | None = "") -> dict:
    """The event's fields, tidied; a :class:`ServiceError` naming the first bad field (every
    problem in its ``problems``: ``[{"field", "message"}]``)."""
    problems: list[tuple[str, object]] = []
    code, name = (code or "").strip(), " ".join((name or "").split())
    if not EVENT_CODE.fullmatch(code):
        problems.append(("code", _l("%(code)s is not an event code: use 1 to 40 letters, digits, - or _, starting with a letter "
                                     "or digit, e.g. wsc2026.", code=repr(code))))
    if not name or len(name) > 200:
        problems.append(("name", _l("Give the event a name of at most 200 characters.")))
    place = " ".join((place or "").split())
    if len(place) > 200:
        problems.append(("place", _l("The venue is longer than 200 characters.")))
    if language not in LANGUAGES:
        problems.append(("language", _l("The language must be English (en) or Chinese (zh), not %(value)s.", value=repr(language))))
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(("ends_on", _l("The event ends (%(ends)s) before it starts (%(starts)s).", ends=ends_on, starts=starts_on)))
    url, problem = _public_url(public_url)
    if problem is not None:
        problems.append(("public_url", problem))
    if problems:
        field, message = problems[0]
        raise ServiceError(field, message, 422, problems=[{"field": f, "message": m} for f, m in problems])
    return {"code": code, "name": name, "place": place, "starts_on": starts_on, "ends_on": ends_on, "language": language,
            "public_url": url}


def _public_url(value: str | None) -> tuple[str, object | None]:
    """The public address without a trailing "/", or a problem: it must be an http(s) address
    with a host and nothing after the path (no ?query or #fragment)."""
    url = (value or "").strip().rstrip("/")
    if not url:
        return "", None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or " " in url or len(url) > 300:
        return url, _l("%(url)s is not a web address: write it as people type it, e.g. https://results.example.org.", url=repr(url))
    try:
        parts.port  # noqa: B018  (a port that is not a number raises)
    except ValueError:
        return url, _l("%(url)s is not a web address: write it as people type it, e.g. https://results.example.org.", url=repr(url))
    return url, None


def public_url_warnings(public_url: str, here: str | None, default: str) -> list:
    """What is worth a warning about the address printed in certificate QR codes: none set
    (the server's ``default`` is used), one only this computer can reach (localhost, 127.x, ::1,
    0.0.0.0), or one other than the address the organiser is using now (``here``,
    ``request.host_url``). Phones scanning a printed certificate must reach it."""
    warnings = []
    if not public_url:
        warnings.append(_l("No public address is set: certificate QR codes use the server's default address %(url)s.", url=default))
        return warnings
    if is_local_address(public_url):
        warnings.append(_l("%(url)s can be reached only from this computer: phones scanning a certificate's QR code will not reach it.",
                           url=public_url))
    if here and _origin(here) != _origin(public_url):
        warnings.append(_l("%(url)s differs from the address you are using now (%(here)s): check that people can reach it.",
                           url=public_url, here=here.rstrip("/")))
    return warnings


def is_local_address(url: str) -> bool:
    """True for an address of this computer only: localhost, 127.x.x.x, ::1 or 0.0.0.0."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default_port
    except ValueError:
        port = None
    return parts.scheme, f"{(parts.hostname or '').lower()}:{port}"


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
