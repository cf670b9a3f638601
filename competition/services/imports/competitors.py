"""Importing competitors and teams: ``external_id, skill, code, name, organisation,
entry_number`` and, for a team skill (its scheme sets ``team_size``), ``member1_name,
member1_organisation`` … ``member4_name, member4_organisation``.

``skill`` is a skill's code in the event; ``organisation`` (a member's too) one of the event's
organisations, by name or code — an unknown one is a problem, never created on the way. A row
updates the skill's competitor with its external id, else with its code, else adds one.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Skill, TeamMember
from competition.services.imports.common import Keys, Register, text
from competition.services.imports.reading import Change, Column, ImportReport, Row

MEMBERS = 4
COLUMNS = (
    Column("external_id", aliases=("编号", "id")),
    Column("skill", required=True, aliases=("赛项", "skill_code")),
    Column("code", required=True, aliases=("代码", "选手代码")),
    Column("name", required=True, aliases=("姓名", "名称", "队名")),
    Column("organisation", aliases=("单位", "参赛单位", "organization")),
    Column("entry_number", aliases=("检录号",)),
    *(Column(f"member{n}_{part}", aliases=(f"队员{n}{word}",)) for n in range(1, MEMBERS + 1)
      for part, word in (("name", "姓名"), ("organisation", "单位"))),
)


def plan(event: Event, rows: list[Row], report: ImportReport) -> list[Callable[[], None]]:
    skills = {s.code.lower(): s for s in db.session.scalars(select(Skill).where(Skill.event_id == event.id))}
    competitors: dict[int, list[Competitor]] = {s.id: list(s.competitors) for s in skills.values()}
    register = Register(event)
    keys = Keys(report)
    writes = []
    for row in rows:
        skill_cell = row["skill"]
        skill = skills.get(skill_cell.value.lower()) if skill_cell.value else None
        if skill is None:
            report.problem(_l("%(skill)s is not a skill of this event.", skill=skill_cell.value) if skill_cell.value
                           else _l("empty: give the skill's code."), cell=skill_cell)
        external = text(row, "external_id", report, longest=80)
        code = text(row, "code", report, required=True, longest=20)
        name = text(row, "name", report, required=True)
        entry = text(row, "entry_number", report, longest=20)
        organisation = register.name_of(row["organisation"], report) if row.has("organisation") else ""
        members = _members(row, skill, report, register)
        fine = None not in (skill, external, code, name, entry, organisation, members)
        if skill is None:
            continue
        if row.has("external_id"):
            fine &= keys.once((skill.id, "external_id", external), row["external_id"])
        fine &= keys.once((skill.id, "code", code), row["code"])
        if row.has("entry_number"):
            fine &= keys.once((skill.id, "entry_number", entry), row["entry_number"])
        if not fine:
            continue
        existing = competitors[skill.id]
        competitor = next((c for c in existing if external and c.external_id == external), None)
        if competitor is None:
            competitor = next((c for c in existing if c.code == code), None)
            if competitor is not None and external and competitor.external_id not in (None, external):
                report.problem(_l("%(code)s is the code of the competitor with external id %(other)s in %(skill)s.", code=code,
                                  other=competitor.external_id, skill=skill.code), cell=row["code"])
                continue
        other = next((c for c in existing if c.code == code and c is not competitor), None)
        if other is not None:
            report.problem(_l("%(code)s is already the code of %(name)s in %(skill)s.", code=code, name=other.name,
                              skill=skill.code), cell=row["code"])
            continue
        other = next((c for c in existing if entry and c.entry_number == entry and c is not competitor), None)
        if other is not None:
            report.problem(_l("%(number)s is already the entry number of %(name)s in %(skill)s.", number=entry, name=other.name,
                              skill=skill.code), cell=row["entry_number"])
            continue
        if not organisation and members:
            organisation = " / ".join(dict.fromkeys(org for _, org in members if org))
        members = [(member, org or organisation) for member, org in members]
        wanted = {"code": code, "name": name, "organisation": organisation}
        if external:
            wanted["external_id"] = external
        if row.has("entry_number"):
            wanted["entry_number"] = entry or None
        label = f"{skill.code} {code} {name}"
        if competitor is None:
            report.changes.append(Change("add", row.number, label))
            writes.append(_adder(skill, wanted, members))
            continue
        changed = tuple(k for k, v in wanted.items() if getattr(competitor, k) != v)
        if skill.scheme.team_size is not None and [(m.name, m.organisation) for m in competitor.members] != members:
            changed += ("members",)
        report.changes.append(Change("update" if changed else "unchanged", row.number, label, changed))
        if changed:
            writes.append(_updater(competitor, wanted, members if "members" in changed else None))
    return writes


def _members(row: Row, skill: Skill | None, report: ImportReport, register: Register) -> list[tuple[str, str]] | None:
    """The team's members as (name, organisation) in order, [] for a skill marked per
    competitor, or None after reporting what is wrong."""
    people, fine = [], True
    for n in range(1, MEMBERS + 1):
        name_column, organisation_column = f"member{n}_name", f"member{n}_organisation"
        name = text(row, name_column, report)
        organisation = register.name_of(row[organisation_column], report) if row.has(organisation_column) else ""
        if name is None or organisation is None:
            fine = False
        elif name:
            people.append((name, organisation))
        elif organisation:
            report.problem(_l("member %(position)s has an organisation but no name.", position=n), cell=row[organisation_column])
            fine = False
    if skill is None or not fine:
        return None
    size = skill.scheme.team_size
    if size is None:
        if people:
            report.problem(_l("%(skill)s is marked per competitor, not per team: leave the member columns empty.", skill=skill.code),
                           row=row.number)
            return None
        return []
    low, high = size
    if not low <= len(people) <= high:
        report.problem(_l("a team in %(skill)s has %(min)s to %(max)s members, not %(num)s.", skill=skill.code, min=low, max=high,
                          num=len(people)), row=row.number)
        return None
    return people


def _adder(skill: Skill, values: dict, members: list[tuple[str, str]]) -> Callable[[], None]:
    def write() -> None:
        competitor = Competitor(skill_id=skill.id, **values)
        competitor.members = [TeamMember(position=i + 1, name=n, organisation=o) for i, (n, o) in enumerate(members)]
        db.session.add(competitor)
    return write


def _updater(competitor: Competitor, values: dict, members: list[tuple[str, str]] | None) -> Callable[[], None]:
    def write() -> None:
        for key, value in values.items():
            setattr(competitor, key, value)
        if members is None:
            return
        for position, (name, organisation) in enumerate(members, start=1):
            if position <= len(competitor.members):
                member = competitor.members[position - 1]
                member.name, member.organisation = name, organisation
            else:
                competitor.members.append(TeamMember(position=position, name=name, organisation=organisation))
        for member in list(competitor.members[len(members):]):
            competitor.members.remove(member)
            db.session.delete(member)
    return write
