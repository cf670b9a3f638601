"""Locking a competitor's marks once final, and unlocking them with a recorded reason."""

from __future__ import annotations

from competition.extensions import db
from competition.models import Competitor, User
from competition.models.marking import utcnow


def lock_competitor(competitor: Competitor, *, by: User | None = None) -> None:
    """Make the competitor's marks final (audited). Flushes; the caller's transaction commits."""
    if competitor.locked_at is None:
        from competition.services.audit import audit
        from competition.services.boards import bump_version

        competitor.locked_at = utcnow()
        audit("locked", by=by, competitor=competitor)
        bump_version(competitor.skill_id)  # boards drop "provisional" once everyone is locked
        db.session.flush()


class UnlockError(PermissionError):
    """An unlock that is not allowed: not the chief expert, or no reason given."""


def unlock_competitor(competitor: Competitor, *, by: User, reason: str) -> None:
    """Reopen a locked competitor's marks. Only the skill's chief expert may, with a reason.

    The reason goes into the audit trail, and every sign-off of the competitor is withdrawn:
    the panel signs again once the marks are final. Commits.
    """
    from competition.models import SignOff
    from competition.services.access import is_chief
    from competition.services.audit import audit

    if not is_chief(by, competitor.skill):
        raise UnlockError("only the chief expert of the skill can unlock a competitor's marks")
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise UnlockError("give the reason for unlocking (at least 5 characters); it goes into the audit trail")
    if competitor.locked_at is None:
        raise UnlockError(f"{competitor.code} is not locked")
    competitor.locked_at = None
    for signature in db.session.scalars(db.select(SignOff).where(SignOff.competitor_id == competitor.id)):
        db.session.delete(signature)
    audit("unlocked", by=by, competitor=competitor, reason=reason)
    from competition.services.boards import bump_version
    from competition.services.publishing import publish_skill

    bump_version(competitor.skill_id)
    db.session.commit()
    publish_skill(competitor.skill)
