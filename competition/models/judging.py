"""What judging adds around marks: API tokens, sign-offs, variance overrides and discussions,
marking windows, open-form presence and the audit trail.

Rules kept by these tables:
- an API token is stored only as its SHA-256 hash; the token itself is shown once;
- a sign-off is one row per judge x competitor; the competitor locks when the whole panel signed;
- a variance override is the chief expert's documented decision (a reason is required) that a
  flagged judgement aspect stands as marked;
- audit entries are only ever added.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.models.marking import utcnow


class ApiToken(db.Model):
    """A personal token for a device or script: ``Authorization: Bearer <token>``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user = relationship("User")


class SignOff(db.Model):
    """A judge's signature under a competitor's marks."""

    id: Mapped[int] = mapped_column(primary_key=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    judge = relationship("User")

    __table_args__ = (UniqueConstraint("competitor_id", "judge_id"),)


class VarianceOverride(db.Model):
    """The chief expert's documented decision that a flagged aspect stands as marked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"), index=True)
    aspect_id: Mapped[str] = mapped_column(String(40))
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    entries: Mapped[str] = mapped_column(String(200), default="")  # the panel's scores when decided
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    by_user = relationship("User")

    __table_args__ = (UniqueConstraint("competitor_id", "aspect_id"),)


class AspectDiscussion(db.Model):
    """Opened by the chief expert: the panel may see each other's scores for one aspect."""

    id: Mapped[int] = mapped_column(primary_key=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"), index=True)
    aspect_id: Mapped[str] = mapped_column(String(40))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MarkingWindow(db.Model):
    """Marking closed for one criterion (``kind="criterion"``) or marking day (``kind="day"``)
    of a skill. No row means open; the whole skill is closed by ``Skill.marking_open``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(40))
    open: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("skill_id", "kind", "key"),)


class FormPresence(db.Model):
    """A device that has a judge's marking form for a competitor open (heartbeat)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("judge_id", "competitor_id", "device_id"),)


class AuditEntry(db.Model):
    """One judging action (sign-off, lock, unlock, override, window change...). Append-only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"), index=True)
    competitor_id: Mapped[int | None] = mapped_column(ForeignKey("competitor.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(1000), default="")

    user = relationship("User")
