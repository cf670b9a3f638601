"""Importing assignments of people to skills: ``username, skill, role`` (judge or chief
expert; 裁判 / 裁判长 too).

A row sets the person's role in the skill (a person holds one role per skill). A judge from
the organisation of one of the skill's competitors is not refused here: the import lists it as
a warning, and marking keeps its own rule (the skill's compatriot-marking setting).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, Skill, SkillRole, User
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.services.access import conflicted
from competition.services.imports.common import Keys
from competition.services.imports.reading import Change, Column, ImportReport, Row

COLUMNS = (
    Column("username", required=True, aliases=("用户名", "user_name", "login")),
    Column("skill", required=True, aliases=("赛项", "skill_code")),
    Column("role", required=True, aliases=("角色",)),
)
ROLES = {"judge": JUDGE, "expert": JUDGE, "裁判": JUDGE, "裁判员": JUDGE, "评委": JUDGE,
         "chief_expert": CHIEF_EXPERT, "chief expert": CHIEF_EXPERT, "chief-expert": CHIEF_EXPERT, "chief": CHIEF_EXPERT,
         "裁判长": CHIEF_EXPERT}


def plan(event: Event, rows: list[Row], report: ImportReport) -> list[Callable[[], None]]:
    skills = {s.code.lower(): s for s in db.session.scalars(select(Skill).where(Skill.event_id == event.id))}
    people: dict[str, User] = {}
    names = sorted({row.get("username") for row in rows if row.get("username")})
    for start in range(0, len(names), 500):
        people.update({u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names[start:start + 500])))})
    roles = {(r.user_id, r.skill_id): r for r in db.session.scalars(
        select(SkillRole).where(SkillRole.skill_id.in_([s.id for s in skills.values()])))} if skills else {}
    final = {key: (r.role, None) for key, r in roles.items()}  # (user, skill) → role, file row
    keys = Keys(report)
    writes = []
    for row in rows:
        user = people.get(row.get("username"))
        if user is None:
            report.problem(_l("%(username)s has no account: import the judges first.", username=row.get("username"))
                           if row.get("username") else _l("empty: give the person's user name."), cell=row["username"])
        skill = skills.get(row.get("skill").lower()) if row.get("skill") else None
        if skill is None:
            report.problem(_l("%(skill)s is not a skill of this event.", skill=row.get("skill")) if row.get("skill")
                           else _l("empty: give the skill's code."), cell=row["skill"])
        role = ROLES.get(row.get("role").lower().replace("_", " ").strip()) or ROLES.get(row.get("role").lower())
        if role is None:
            report.problem(_l("%(value)s is not a role: write judge or chief_expert (裁判 or 裁判长).", value=row.get("role"))
                           if row.get("role") else _l("empty: write judge or chief_expert."), cell=row["role"])
        if user is None or skill is None or role is None:
            continue
        if not keys.once((user.id, skill.id), row["username"]):
            continue
        if user.is_organiser and role == JUDGE:
            report.warnings.append(_l("Row %(row)s: %(username)s is an organiser and will also judge %(skill)s.", row=row.number,
                                      username=user.username, skill=skill.code))
        final[(user.id, skill.id)] = (role, row)
        if user.organisation:
            clash = sorted({c.code for c in skill.competitors if conflicted(user, c)})
            if clash:
                report.warnings.append(_l("Row %(row)s: %(username)s is from %(organisation)s, as are competitors %(codes)s of "
                                          "%(skill)s; they will not mark them.", row=row.number, username=user.username,
                                          organisation=user.organisation, codes=", ".join(clash[:10]), skill=skill.code))
        label = f"{user.username} {skill.code} {role}"
        current = roles.get((user.id, skill.id))
        if current is None:
            report.changes.append(Change("add", row.number, label))
            writes.append(_adder(user, skill, role))
        elif current.role != role:
            report.changes.append(Change("update", row.number, label, ("role",)))
            writes.append(_updater(current, role))
        else:
            report.changes.append(Change("unchanged", row.number, label))
    _one_chief_each(final, skills, report)
    return writes


def _one_chief_each(final: dict, skills: dict[str, Skill], report: ImportReport) -> None:
    """A skill has one chief expert, once the file's roles are in (whatever the rows' order)."""
    chiefs: dict[int, list] = {}
    for (_, skill_id), (role, row) in final.items():
        if role == CHIEF_EXPERT:
            chiefs.setdefault(skill_id, []).append(row)
    codes = {s.id: s.code for s in skills.values()}
    for skill_id, rows in chiefs.items():
        if len(rows) > 1:
            for row in rows:
                if row is not None:
                    report.problem(_l("%(skill)s would have %(num)s chief experts; a skill has one.", skill=codes[skill_id],
                                      num=len(rows)), cell=row["role"])


def _adder(user: User, skill: Skill, role: str) -> Callable[[], None]:
    def write() -> None:
        db.session.add(SkillRole(user_id=user.id, skill_id=skill.id, role=role))
    return write


def _updater(current: SkillRole, role: str) -> Callable[[], None]:
    def write() -> None:
        current.role = role
    return write
