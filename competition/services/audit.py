"""The judging audit trail: one append-only row per action, written in the caller's transaction."""

from __future__ import annotations

from competition.extensions import db
from competition.models import AuditEntry, Competitor, Skill, User


def audit(action: str, *, by: User | None, skill: Skill | None = None, competitor: Competitor | None = None,
          detail: str = "", reason: str = "") -> AuditEntry:
    """Add an audit entry (flushed with the caller's transaction, never committed here)."""
    if competitor is not None and skill is None:
        skill = competitor.skill
    entry = AuditEntry(
        action=action,
        user_id=by.id if by is not None else None,
        skill_id=skill.id if skill is not None else None,
        competitor_id=competitor.id if competitor is not None else None,
        detail=detail[:5000],
        reason=reason[:1000],
    )
    db.session.add(entry)
    return entry
