"""Who may do what in judging. Pure look-ups, no writes.

Rules:
- an organiser sees every skill's review pages but marks nothing and decides nothing;
- a chief expert (SkillRole "chief_expert") manages one skill: windows, overrides, unlocks;
- a judge (SkillRole "judge") sees and marks only the skills they are assigned to;
- conflict of interest: a judge never marks a competitor (a team: nor any member) of their own organisation, unless
  the skill allows compatriot marking (organisations compared case-insensitively; a blank
  organisation conflicts with nobody);
- anonymised skills: judges see competitor codes only, never names or organisations; spectators
  see no organisation either until the results are published (:func:`withholds_organisations`);
- encrypted skills (检录号 → 工位号 → 加密号): until the skill's results are locked, everyone but
  organisers (who hold the draw) sees only the encrypted number — no code, name or
  organisation; the chief expert too, because the panel marks the work, not the person.
  :func:`shown_code`, :func:`shows_names` and :func:`competitor_label` decide it for every page.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from competition.extensions import db
from competition.models import Competitor, Skill, SkillRole, User
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.services.lookup import competitor_in_skill


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


def hides_identity(user: User | None, skill: Skill) -> bool:
    """An encrypted skill whose results are not locked yet: ``user`` (None: a spectator) sees the
    encrypted number only. Organisers see everything: they run the draw."""
    return bool(skill.encrypted) and skill.results_locked_at is None and not getattr(user, "is_organiser", False)


def withholds_organisations(skill: Skill) -> bool:
    """An anonymised skill whose results are not published yet: spectators (the public API, the
    boards and what is pushed to them) see no organisation and no organisation colour either,
    or the code would be tied to a delegation on the hall's screens while its judges see codes only."""
    return bool(skill.anonymised) and skill.results_published_at is None


def shown_code(user: User | None, competitor: Competitor) -> str:
    """The one number ``user`` knows the competitor by: the encrypted number while the identity is
    hidden ("" before the encryption draw), else the competitor's code."""
    if hides_identity(user, competitor.skill):
        return competitor.encrypted_code or ""
    return competitor.code


def shows_names(user: User, skill: Skill) -> bool:
    """Judges of an anonymised skill see codes only; the chief expert and organisers see names.
    Nobody but organisers sees them in an encrypted skill before its results are locked."""
    if hides_identity(user, skill):
        return False
    return not skill.anonymised or may_review(user, skill)


def competitor_label(user: User, competitor: Competitor) -> str:
    code = shown_code(user, competitor)
    return f"{code} {competitor.name}" if shows_names(user, competitor.skill) else code


def competitor_for(user: User, skill: Skill, key: str) -> Competitor:
    """The competitor ``user`` names by ``key``: its encrypted number while the identity is hidden
    from them (a competitor's code then finds nothing), else its code. 404 otherwise."""
    return competitor_in_skill(skill, key, encrypted=hides_identity(user, skill))


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
