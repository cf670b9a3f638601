"""Setting up events: schemes into skills, people and roles."""

from __future__ import annotations

from pathlib import Path

from competition.extensions import db
from competition.models import Event, Skill, SkillRole, User
from competition.scoring.schemes import parse_scheme


def add_skill_from_scheme(event: Event, path: Path, **options) -> Skill:
    """Create a skill from a scheme file. The file is validated first: a bad scheme raises
    :class:`~competition.scoring.schemes.SchemeError` and nothing is stored."""
    text = Path(path).read_text(encoding="utf-8")
    scheme = parse_scheme(text, str(path))
    skill = Skill(event=event, code=scheme.code, name=scheme.name, scheme_source=Path(path).name, scheme_text=text, **options)
    db.session.add(skill)
    return skill


def add_user(username: str, display_name: str, password: str, *, organisation: str = "", organiser: bool = False) -> User:
    user = User(username=username, display_name=display_name, organisation=organisation, is_organiser=organiser)
    user.set_password(password)
    db.session.add(user)
    return user


def assign(user: User, skill: Skill, role: str) -> SkillRole:
    link = SkillRole(user=user, skill=skill, role=role)
    db.session.add(link)
    return link
