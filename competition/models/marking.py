"""Marks: one row per judge x competitor x aspect, with an append-only history beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Mark(db.Model):
    """A judge's current entry for one aspect of one competitor (see Aspect for units)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    aspect_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The skill's board version (BoardState.version) that this mark's last change made. Written
    # under the board row's lock, so in commit order: a process holding a skill's standings at
    # version V reads only the marks changed since (board_version > V) to catch up.
    board_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    revisions: Mapped[list[MarkRevision]] = relationship(back_populates="mark", order_by="MarkRevision.id")
    competitor = relationship("Competitor")
    judge = relationship("User")

    __table_args__ = (UniqueConstraint("judge_id", "competitor_id", "aspect_id"),
                      Index("ix_mark_skill_id_board_version", "skill_id", "board_version"),
                      Index("ix_mark_competitor_id_aspect_id_board_version", "competitor_id", "aspect_id", "board_version"))


class MarkRevision(db.Model):
    """One change to a mark. Rows are only ever added: the audit trail of every mark."""

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("mark.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    old_value: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    new_value: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    version: Mapped[int] = mapped_column(Integer)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    device: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")

    mark: Mapped[Mark] = relationship(back_populates="revisions")
    by_user = relationship("User")
