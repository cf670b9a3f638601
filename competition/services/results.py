"""Locking and publishing a skill's results.

The order a competition keeps:
1. every competitor of the skill is signed off and locked by the panel;
2. the chief expert (or an organiser) *submits* — locks — the skill's results
   (``Skill.results_locked_at``). For an encrypted skill this is the moment names are joined to
   the encrypted numbers: from here judges, boards and public pages see codes and names again
   (see :func:`competition.services.access.hides_identity`); the join is audited;
3. an organiser *publishes* them (``Skill.results_published_at``): the statement that the
   results are official (正式成绩); pages show "Official" instead of "Provisional".
Locked results can be unlocked, with a reason, by the same people — only before publishing.
While the results are locked no competitor can be unlocked, so no mark can change.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from competition.models import Skill, User
from competition.models.marking import utcnow
from competition.services.access import is_chief, shown_code
from competition.services.audit import audit
from competition.services.boards import skill_changed
from competition.services.errors import Conflict, Forbidden, ServiceError


def may_lock(user: User, skill: Skill) -> bool:
    """The skill's chief expert and organisers lock and unlock its results."""
    return bool(getattr(user, "is_authenticated", False)) and (user.is_organiser or is_chief(user, skill))


def not_locked(skill: Skill, by: User | None = None) -> list[str]:
    """The competitors whose marks are not locked yet, as ``by`` knows them (sorted)."""
    return sorted(shown_code(by, c) or "–" for c in skill.competitors if not c.locked)


def lock_results(skill: Skill, *, by: User) -> None:
    """Submit the skill's results: refused while any competitor is not locked (listing them)."""
    if not may_lock(by, skill):
        raise Forbidden("user", _l("Only the chief expert of %(skill)s and organisers lock its results.", skill=skill), code="not_chief")
    if skill.results_locked_at is not None:
        raise Conflict("skill", _l("The results of %(skill)s are already locked.", skill=skill), code="already_locked")
    if not skill.competitors:
        raise Conflict("skill", _l("%(skill)s has no competitors.", skill=skill), code="no_competitors")
    waiting = not_locked(skill, by)
    if waiting:
        raise Conflict("skill", _l("Not every competitor is signed off and locked yet: %(competitors)s.", competitors=", ".join(waiting)),
                       code="competitors_not_locked", competitors=waiting)
    skill.results_locked_at = utcnow()
    audit("results_locked", by=by, skill=skill, detail=f"{len(skill.competitors)} competitors")
    if skill.encrypted:
        join = "; ".join(f"{c.encrypted_code or '-'}={c.code}" for c in sorted(skill.competitors, key=lambda c: c.encrypted_code or ""))
        audit("identities_joined", by=by, skill=skill, detail=f"encrypted numbers joined to competitors: {join}")
    skill_changed(skill)


def unlock_results(skill: Skill, *, by: User, reason: str) -> None:
    """Reopen locked results (audited with the reason); refused once they are published."""
    if not may_lock(by, skill):
        raise Forbidden("user", _l("Only the chief expert of %(skill)s and organisers unlock its results.", skill=skill), code="not_chief")
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ServiceError("reason", _l("Give the reason for unlocking (at least 5 characters)."), 422, code="invalid_value")
    if skill.results_locked_at is None:
        raise Conflict("skill", _l("The results of %(skill)s are not locked.", skill=skill), code="not_locked")
    if skill.results_published_at is not None:
        raise Conflict("skill", _l("The results of %(skill)s are published: they can no longer be unlocked.", skill=skill),
                       code="published")
    skill.results_locked_at = None
    audit("results_unlocked", by=by, skill=skill, reason=reason)
    skill_changed(skill)


def publish_results(skill: Skill, *, by: User) -> None:
    """The organiser's statement that the skill's locked results are official."""
    if not getattr(by, "is_organiser", False):
        raise Forbidden("user", _l("Only organisers publish results."), code="not_organiser")
    if skill.results_locked_at is None:
        raise Conflict("skill", _l("Lock the results of %(skill)s before publishing them.", skill=skill), code="not_locked")
    if skill.results_published_at is not None:
        raise Conflict("skill", _l("The results of %(skill)s are already published.", skill=skill), code="already_published")
    skill.results_published_at = utcnow()
    audit("results_published", by=by, skill=skill)
    skill_changed(skill)
