"""Importing the event's organisations: ``external_id, code, name, colour``.

A row updates the organisation with its external id; without one, the organisation with its
code; otherwise it adds one. An empty colour keeps the organisation's colour, or gives a new
one the first palette colour the event's others do not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from competition.extensions import db
from competition.models import Competitor, Event, Organisation, Skill, SkillRole, TeamMember, User
from competition.services.imports.common import Keys, Register, text
from competition.services.imports.reading import Change, Column, ImportReport, Row
from competition.services.organisations import pick_colour

COLUMNS = (
    Column("external_id", aliases=("编号", "id")),
    Column("code", required=True, aliases=("代码",)),
    Column("name", required=True, aliases=("名称", "单位", "姓名", "organisation")),
    Column("colour", aliases=("color", "颜色")),
)
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def plan(event: Event, rows: list[Row], report: ImportReport) -> list[Callable[[], None]]:
    register = Register(event)
    by_external = {o.external_id: o for o in register.organisations if o.external_id}
    by_code = {o.code.lower(): o for o in register.organisations}
    by_name = {o.name: o for o in register.organisations}
    used = [o.colour for o in register.organisations if o.colour]
    keys = Keys(report)
    writes = []
    for row in rows:
        external = text(row, "external_id", report, longest=80)
        code = text(row, "code", report, required=True, longest=40)
        name = text(row, "name", report, required=True)
        colour = text(row, "colour", report, longest=7)
        if colour and not COLOUR.fullmatch(colour):
            report.problem(_l("%(value)s is not a colour: write it as #rrggbb, e.g. #0067A5, or leave it empty.", value=colour),
                           cell=row["colour"])
            colour = None
        fine = all(value is not None for value in (external, code, name, colour))
        fine &= keys.once(("external_id", external), row["external_id"]) if row.has("external_id") else True
        fine &= keys.once(("code", (code or "").lower()), row["code"]) and keys.once(("name", name), row["name"])
        if not fine:
            continue
        organisation = by_external.get(external) if external else None
        if organisation is None:
            organisation = by_code.get(code.lower())
            if organisation is not None and external and organisation.external_id not in (None, external):
                report.problem(_l("%(code)s is the code of the organisation with external id %(other)s.", code=code,
                                  other=organisation.external_id), cell=row["code"])
                continue
        other = by_code.get(code.lower())
        if other is not None and other is not organisation:
            report.problem(_l("%(code)s is already the code of %(name)s.", code=code, name=other.name), cell=row["code"])
            continue
        other = by_name.get(name)
        if other is not None and other is not organisation:
            report.problem(_l("%(name)s is already the name of the organisation %(code)s.", name=name, code=other.code),
                           cell=row["name"])
            continue
        wanted = {"code": code, "name": name}
        if external:
            wanted["external_id"] = external
        if colour:
            wanted["colour"] = colour.upper()
        if organisation is None:
            if not colour:
                wanted["colour"] = pick_colour(used)
            used.append(wanted["colour"])
            report.changes.append(Change("add", row.number, f"{code} {name}"))
            writes.append(_adder(event, wanted))
            continue
        changed = tuple(k for k, v in wanted.items() if (getattr(organisation, k) or "") != v
                        and not (k == "colour" and v.upper() == (organisation.colour or "").upper()))
        report.changes.append(Change("update" if changed else "unchanged", row.number, f"{code} {name}", changed))
        if changed:
            writes.append(_updater(event, organisation, {k: wanted[k] for k in changed}))
    return writes


def _adder(event: Event, values: dict) -> Callable[[], None]:
    def write() -> None:
        db.session.add(Organisation(event_id=event.id, **values))
    return write


def _updater(event: Event, organisation: Organisation, values: dict) -> Callable[[], None]:
    def write() -> None:
        if "name" in values:
            _rename(event, organisation.name, values["name"])
        for key, value in values.items():
            setattr(organisation, key, value)
    return write


def _rename(event: Event, old: str, new: str) -> None:
    """Competitors, team members and the event's judges name their organisation by its name:
    a renamed organisation keeps them (a team's joined "A / B" is left as it is)."""
    skills = select(Skill.id).where(Skill.event_id == event.id)
    teams = select(Competitor.id).where(Competitor.skill_id.in_(skills))
    people = select(SkillRole.user_id).where(SkillRole.skill_id.in_(skills))
    for statement in (update(Competitor).where(Competitor.skill_id.in_(skills), Competitor.organisation == old),
                      update(TeamMember).where(TeamMember.competitor_id.in_(teams), TeamMember.organisation == old),
                      update(User).where(User.id.in_(people), User.organisation == old)):
        db.session.execute(statement.values(organisation=new).execution_options(synchronize_session="fetch"))
