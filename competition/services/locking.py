"""Locking a competitor's marks once final, and unlocking them with a recorded reason."""

from __future__ import annotations

from competition.extensions import db
from competition.models import Competitor, User
from competition.models.marking import utcnow


def lock_competitor(competitor: Competitor, *, by: User | None = None) -> None:
    """Make the competitor's marks final. Flushes; the caller's transaction commits."""
    if competitor.locked_at is None:
        competitor.locked_at = utcnow()
        db.session.flush()
