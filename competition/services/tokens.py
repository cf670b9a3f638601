"""Personal API tokens for devices and scripts.

Rule: a token is shown once, when created; only its SHA-256 hash is stored, so a leaked
database does not leak usable tokens. A revoked token never authenticates again.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from competition.extensions import db
from competition.models import ApiToken, User
from competition.models.marking import utcnow
from competition.services.audit import audit

PREFIX = "pod_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, label: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the token text (never stored)."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, label=label[:100], token_hash=_hash(token))
    db.session.add(row)
    audit("token_created", by=user, detail=label)
    db.session.flush()
    return row, token


def revoke_tokens(user: User, token_id: int | None = None) -> int:
    """Revoke one of the user's tokens (or all of them); returns how many."""
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    rows = list(db.session.scalars(query))
    for row in rows:
        row.revoked_at = utcnow()
    if rows:
        audit("token_revoked", by=user, detail=", ".join(str(r.id) for r in rows))
    db.session.flush()
    return len(rows)


def user_for_token(token: str) -> User | None:
    """The user a live token belongs to, or None."""
    if not token or not token.startswith(PREFIX):
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    return row.user
