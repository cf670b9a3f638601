"""A skill's competitors and teams, as the organiser enters them: add, edit, and remove one
who has not been marked yet.

A competitor's organisation is the name of one of the event's organisations (competitors keep
it as text; ``Organisation`` is the event's register). A team skill's competitor is a team of
2-4 members (as its scheme's ``team_size`` says), added with :func:`setup.add_team`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Competitor, Skill, TeamMember, User
from competition.services.audit import audit
from competition.services.errors import Conflict, ServiceError
from competition.services.organisations import organisations_of, refuse_control_characters
from competition.services.setup import _member, add_team


def _checked(skill: Skill, code: str, name: str, organisation: str, entry_number: str, *, current: Competitor | None = None) -> tuple:
    code, name = (code or "").strip(), " ".join((name or "").split())
    organisation, entry_number = " ".join((organisation or "").split()), (entry_number or "").strip()
    refuse_control_characters(code=code, name=name, organisation=organisation, entry_number=entry_number)
    if not code or len(code) > 20:
        raise ServiceError("code", _l("Give the competitor a code of at most 20 characters, e.g. A-01."))
    if not name or len(name) > 200:
        raise ServiceError("name", _l("Give the competitor a name of at most 200 characters."))
    registered = {o.name for o in organisations_of(skill.event)}
    unchanged = current is not None and organisation == current.organisation
    if organisation and organisation not in registered and not unchanged:
        raise ServiceError("organisation", _l("Choose one of the event's organisations (add it under Organisations first)."))
    if len(entry_number) > 20:
        raise ServiceError("entry_number", _l("An entry number has at most 20 characters."))
    taken = select(Competitor.id).where(Competitor.skill_id == skill.id, Competitor.code == code)
    if current is not None:
        taken = taken.where(Competitor.id != current.id)
    if db.session.scalar(taken) is not None:
        raise Conflict("code", _l("%(skill)s already has a competitor %(code)s; choose another code.", skill=skill, code=code),
                       code="duplicate")
    if entry_number:
        same = select(Competitor.id).where(Competitor.skill_id == skill.id, Competitor.entry_number == entry_number)
        if current is not None:
            same = same.where(Competitor.id != current.id)
        if db.session.scalar(same) is not None:
            raise Conflict("entry_number", _l("Another competitor of %(skill)s has the entry number %(number)s.", skill=skill,
                                              number=entry_number), code="duplicate")
    return code, name, organisation, entry_number or None


def _members(skill: Skill, members: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    """A team's members, tidied and counted against the scheme's team size (rows without a name are left out)."""
    members = [m for m in members if " ".join(str(m.get("name") or "").split())]
    for index, member in enumerate(members):
        refuse_control_characters(**{f"members[{index}].name": str(member.get("name") or ""),
                                     f"members[{index}].organisation": str(member.get("organisation") or "")})
    people = [_member(m, i) for i, m in enumerate(members)]
    low, high = skill.scheme.team_size
    if not low <= len(people) <= high:
        raise ServiceError("members", _l("A team in %(skill)s has %(min)s to %(max)s members, not %(num)s.", skill=skill, min=low,
                                         max=high, num=len(people)))
    registered = {o.name for o in organisations_of(skill.event)}
    for index, (_, organisation) in enumerate(people):
        if organisation and organisation not in registered:
            raise ServiceError(f"members[{index}].organisation",
                               _l("Choose one of the event's organisations for member %(position)s.", position=index + 1))
    return people


def add_competitor(skill: Skill, *, code: str, name: str, organisation: str = "", entry_number: str = "",
                   members: Sequence[Mapping[str, str]] = (), by: User | None) -> Competitor:
    """A competitor of ``skill`` (a team, with its ``members``, when the skill is a team skill)."""
    code, name, organisation, entry_number = _checked(skill, code, name, organisation, entry_number)
    if skill.scheme.team_size is not None:
        people = _members(skill, members)
        competitor = add_team(skill, code, name, [{"name": n, "organisation": o} for n, o in people], organisation=organisation or None)
        competitor.entry_number = entry_number
    else:
        competitor = Competitor(skill=skill, code=code, name=name, organisation=organisation, entry_number=entry_number)
        db.session.add(competitor)
    audit("competitor_added", by=by, skill=skill, detail=f"{code} {name} ({competitor.organisation})")
    db.session.flush()
    return competitor


def update_competitor(competitor: Competitor, *, code: str, name: str, organisation: str, entry_number: str,
                      members: Sequence[Mapping[str, str]] | None = None, by: User | None) -> Competitor:
    """Change a competitor's code, name, organisation, entry number (检录号) and, for a team, its members."""
    skill = competitor.skill
    code, name, organisation, entry_number = _checked(skill, code, name, organisation, entry_number, current=competitor)
    people = _members(skill, members) if skill.scheme.team_size is not None and members is not None else None
    before = f"{competitor.code} {competitor.name} ({competitor.organisation}) {competitor.entry_number or ''}"
    competitor.code, competitor.name, competitor.organisation, competitor.entry_number = code, name, organisation, entry_number
    if people is not None:
        for member in list(competitor.members):
            db.session.delete(member)
        db.session.flush()
        competitor.members = [TeamMember(position=i + 1, name=n, organisation=o or organisation) for i, (n, o) in enumerate(people)]
    audit("competitor_updated", by=by, skill=skill,
          detail=f"{before} -> {code} {name} ({organisation}) {entry_number or ''}".strip())
    db.session.flush()
    return competitor


def _references(competitor: Competitor) -> int:
    """Rows of other tables (marks, sign-offs, certificates, audit…) that name the competitor;
    its own team members do not count."""
    total = 0
    for table in db.metadata.sorted_tables:
        if table.name == TeamMember.__tablename__:
            continue
        for column in table.columns:
            if any(fk.column.table.name == Competitor.__tablename__ for fk in column.foreign_keys):
                total += db.session.scalar(select(func.count()).select_from(table).where(column == competitor.id)) or 0
    return total


def remove_competitor(competitor: Competitor, *, by: User | None) -> None:
    """Remove a competitor entered by mistake. Refused once anything is recorded for them —
    a mark, a sign-off, a certificate — since that record must keep its competitor."""
    if _references(competitor):
        raise Conflict("competitor", _l("%(code)s cannot be removed: marks or other judging records exist for them.",
                                        code=competitor.code), code="has_marks")
    skill = competitor.skill
    audit("competitor_removed", by=by, skill=skill, detail=f"{competitor.code} {competitor.name} ({competitor.organisation})")
    for member in list(competitor.members):
        db.session.delete(member)
    db.session.delete(competitor)
    db.session.flush()
