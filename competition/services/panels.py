"""A skill's panel: assigning judges and the chief expert, with conflicts of interest shown
before anything is saved.

Rules:
- only organisers assign and unassign; every change is audited with the person who made it;
- :func:`panel_concerns` lists what the organiser should know before saving: a *conflict*
  needs their explicit confirmation (a judge of the same organisation as competitors of a
  skill that does not allow compatriot marking; a judge already on another skill's panel of
  the same event), a *warning* does not (compatriots where the skill allows it; a panel
  smaller than the skill's panel size);
- a skill has one chief expert;
- a judge who has marks in the skill stays on its panel (their marks count): unassigning, or
  changing their role, is refused with a message saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Mark, Skill, SkillRole, User
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.services.audit import audit
from competition.services.errors import Conflict, Forbidden, ServiceError

ROLES = (JUDGE, CHIEF_EXPERT)
CONFLICT, WARNING = "conflict", "warning"


@dataclass(frozen=True)
class Concern:
    """One thing to know before saving an assignment: ``level`` is CONFLICT (confirm to save) or WARNING."""

    level: str
    code: str
    message: LazyString


def _organisation(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def panel_size(skill: Skill) -> int:
    """The judges a skill's panel should have: the organiser's setting, else the scheme's."""
    return skill.panel_size or skill.scheme.panel_size


def roles_of(skill: Skill) -> list[SkillRole]:
    """The skill's people, chief expert first, then judges in the order they were assigned."""
    roles = db.session.scalars(select(SkillRole).where(SkillRole.skill_id == skill.id).order_by(SkillRole.id)).all()
    return sorted(roles, key=lambda r: r.role != CHIEF_EXPERT)


def compatriots(skill: Skill, user: User) -> list[str]:
    """Codes of the skill's competitors (a team: also by any member) from ``user``'s organisation."""
    mine = _organisation(user.organisation)
    if not mine:
        return []
    codes = []
    for competitor in skill.competitors:
        theirs = [competitor.organisation] + [m.organisation for m in competitor.members]
        if any(_organisation(org) == mine for org in theirs):
            codes.append(competitor.code)
    return codes


def other_panels(skill: Skill, user: User) -> list[Skill]:
    """The other skills of the same event where ``user`` already judges or leads."""
    return [r.skill for r in user.roles if r.skill_id != skill.id and r.skill.event_id == skill.event_id]


def panel_concerns(skill: Skill, user: User, role: str = JUDGE) -> list[Concern]:
    """What assigning ``user`` as ``role`` would bring, conflicts first. Reads only."""
    concerns = []
    codes = compatriots(skill, user)
    if codes:
        listed = ", ".join(codes[:10]) + ("…" if len(codes) > 10 else "")
        if skill.allow_compatriot_marking:
            concerns.append(Concern(WARNING, "compatriot", _l("%(person)s is from %(organisation)s, like %(competitors)s; the skill allows "
                                                                "compatriot marking.", person=user.display_name,
                                                                organisation=user.organisation, competitors=listed)))
        else:
            concerns.append(Concern(CONFLICT, "compatriot", _l("%(person)s is from %(organisation)s, like %(competitors)s; the skill does "
                                                                 "not allow compatriot marking, so they will not mark them.",
                                                                 person=user.display_name, organisation=user.organisation,
                                                                 competitors=listed)))
    others = other_panels(skill, user)
    if others:
        concerns.append(Concern(CONFLICT, "other_panel", _l("%(person)s is already on the panel of %(skills)s at this event.",
                                                           person=user.display_name, skills=", ".join(s.code for s in others))))
    judges = sum(1 for r in roles_of(skill) if r.role == JUDGE and r.user_id != user.id) + (role == JUDGE)
    if judges < panel_size(skill):
        concerns.append(Concern(WARNING, "small_panel", _l("The panel will have %(num)s of the %(size)s judges the skill needs.",
                                                           num=judges, size=panel_size(skill))))
    return sorted(concerns, key=lambda c: c.level != CONFLICT)


def panel_warnings(skill: Skill) -> list[LazyString]:
    """The standing warnings of a skill's panel as it is: too few judges, no chief expert."""
    roles = roles_of(skill)
    judges = sum(1 for r in roles if r.role == JUDGE)
    warnings = []
    if judges < panel_size(skill):
        warnings.append(_l("The panel has %(num)s of the %(size)s judges the skill needs.", num=judges, size=panel_size(skill)))
    if not any(r.role == CHIEF_EXPERT for r in roles):
        warnings.append(_l("The skill has no chief expert yet."))
    return warnings


def marks_by(skill: Skill, user: User) -> int:
    return db.session.scalar(select(func.count(Mark.id)).where(Mark.skill_id == skill.id, Mark.judge_id == user.id)) or 0


def _organiser(by: User) -> None:
    if not getattr(by, "is_organiser", False):
        raise Forbidden("user", _l("Only organisers assign judges and chief experts."), code="not_organiser")


def assign_to_panel(skill: Skill, user: User, role: str, *, by: User, confirmed: bool = False) -> SkillRole:
    """Put ``user`` on the skill's panel as ``role`` (or change their role). Refused with
    ``code="needs_confirmation"`` and the ``concerns`` while a conflict is not ``confirmed``."""
    _organiser(by)
    if role not in ROLES:
        raise ServiceError("role", _l("Choose judge or chief expert."), code="invalid_role")
    current = db.session.scalar(select(SkillRole).where(SkillRole.skill_id == skill.id, SkillRole.user_id == user.id))
    if current is not None and current.role == role:
        raise Conflict("user", _l("%(person)s is already on the panel of %(skill)s.", person=user.display_name, skill=skill),
                       code="already_assigned")
    if current is not None and marks_by(skill, user):
        raise Conflict("user", _l("%(person)s has marks in %(skill)s: their role cannot change.", person=user.display_name, skill=skill),
                       code="has_marks")
    if role == CHIEF_EXPERT:
        chief = next((r for r in roles_of(skill) if r.role == CHIEF_EXPERT and r.user_id != user.id), None)
        if chief is not None:
            raise Conflict("role", _l("%(skill)s already has a chief expert, %(person)s; unassign them first.", skill=skill,
                                      person=chief.user.display_name), code="has_chief")
    conflicts = [c for c in panel_concerns(skill, user, role) if c.level == CONFLICT]
    if conflicts and not confirmed:
        raise Conflict("confirm", _l("Confirm the assignment: %(concerns)s", concerns=" ".join(str(c.message) for c in conflicts)),
                       code="needs_confirmation", concerns=[c.message for c in conflicts])
    if current is None:
        current = SkillRole(user=user, skill=skill, role=role)
        db.session.add(current)
    else:
        current.role = role
    detail = f"{user.username} as {role}" + (f"; confirmed: {', '.join(c.code for c in conflicts)}" if conflicts else "")
    audit("panel_assigned", by=by, skill=skill, detail=detail)
    db.session.flush()
    return current


def unassign_from_panel(skill: Skill, user: User, *, by: User) -> None:
    """Take ``user`` off the skill's panel; refused while they have marks in the skill."""
    _organiser(by)
    current = db.session.scalar(select(SkillRole).where(SkillRole.skill_id == skill.id, SkillRole.user_id == user.id))
    if current is None:
        raise Conflict("user", _l("%(person)s is not on the panel of %(skill)s.", person=user.display_name, skill=skill),
                       code="not_assigned")
    count = marks_by(skill, user)
    if count:
        raise Conflict("user", _l("%(person)s has given %(num)s marks in %(skill)s and stays on its panel: their marks count.",
                                  person=user.display_name, num=count, skill=skill), code="has_marks")
    audit("panel_unassigned", by=by, skill=skill, detail=f"{user.username} as {current.role}")
    if current in user.roles:
        user.roles.remove(current)
    db.session.delete(current)
    db.session.flush()

