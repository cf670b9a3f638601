"""Who may do what in judging. Pure look-ups, no writes.

Rules:
- an organiser sees every skill's review pages but marks nothing and decides nothing;
- a chief expert (SkillRole "chief_expert") manages one skill: windows, overrides, unlocks;
- a judge (SkillRole "judge") sees and marks only the skills they are assigned to;
- conflict of interest: a judge never marks a competitor (a team: nor any member) of their own organisation, unless
  the skill allows compatriot marking (organisations compared case-insensitively; a blank
  organisation conflicts with nobody);
- anonymised skills: judges see competitor codes only, never names or organisations.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from competition.extensions import db
from competition.models import Competitor, Skill, SkillRole, User
from competition.models.people import CHIEF_EXPERT, JUDGE


def _organisation(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def is_chief(user: User, skill: Skill) -> bool:
    return getattr(user, "is_authenticated", False) and user.role_in(skill.id) == CHIEF_EXPERT


def may_mark_skill(user: User, skill: Skill) -> bool:
    """Judges and the chief expert (who also judges) of the skill."""
    return getattr(user, "is_authenticated", False) and user.role_in(skill.id) in (JUDGE, CHIEF_EXPERT)


def may_review(user: User, skill: Skill) -> bool:
    """The chief expert's overview: the chief expert of the skill and organisers (read-only)."""
    return getattr(user, "is_authenticated", False) and (user.is_organiser or is_chief(user, skill))


def conflicted(user: User, competitor: Competitor) -> bool:
    """A team conflicts with the judges of its own organisation and of each member's."""
    if competitor.skill.allow_compatriot_marking:
        return False
    mine = _organisation(user.organisation)
    if not mine:
        return False
    theirs = [competitor.organisation]
    if competitor.skill.scheme.team_event:
        theirs += [m.organisation for m in competitor.members]
    return any(mine == _organisation(org) for org in theirs)


def shows_names(user: User, skill: Skill) -> bool:
    """Judges of an anonymised skill see codes only; the chief expert and organisers see names."""
    return not skill.anonymised or may_review(user, skill)


def competitor_label(user: User, competitor: Competitor) -> str:
    return f"{competitor.code} {competitor.name}" if shows_names(user, competitor.skill) else competitor.code


def panel(skill: Skill, competitor: Competitor | None = None) -> list[User]:
    """The judges whose sign-off a competitor needs: the skill's judges without a conflict."""
    roles = db.session.scalars(select(SkillRole).where(SkillRole.skill_id == skill.id, SkillRole.role == JUDGE).order_by(SkillRole.id)
                               .options(joinedload(SkillRole.user)))  # the users in the same query, not one query each
    judges = [role.user for role in roles]
    if competitor is None:
        return judges
    return [j for j in judges if not conflicted(j, competitor)]


def skills_of(user: User) -> list[Skill]:
    """The skills a person judges or leads, in code order."""
    return sorted((r.skill for r in user.roles), key=lambda s: (s.event_id, s.code))
