"""What an organiser sets up and runs: organisations, the draw, one-time sign-in links and
background jobs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from competition.extensions import db
from competition.models.marking import utcnow


class Organisation(db.Model):
    """A member organisation of an event (a country, province, college or company). Competitors
    and people name it by ``name`` (their ``organisation`` text); its ``colour`` marks it on
    boards, chosen from a palette that keeps the event's organisations apart."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    colour: Mapped[str] = mapped_column(String(7), default="")  # "#rrggbb"
    external_id: Mapped[str | None] = mapped_column(String(80))

    __table_args__ = (UniqueConstraint("event_id", "code"), UniqueConstraint("event_id", "external_id"))


# Kinds of draw (抽签), in the order a Chinese competition holds them.
DRAW_NUMBERS, DRAW_WORKSTATIONS, DRAW_ENCRYPTION = "numbers", "workstations", "encryption"
DRAW_KINDS = (DRAW_NUMBERS, DRAW_WORKSTATIONS, DRAW_ENCRYPTION)


class Draw(db.Model):
    """One draw for a skill, kept with its seed so anyone can run it again and get the same
    result: ``result`` is the JSON the draw gave (competitor id → number)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    seed: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(Text, default="{}")
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class SignInLink(db.Model):
    """A one-time sign-in link (or the QR code on a judge's sign-in card). Only the token's
    SHA-256 is stored; a link works once, before it expires."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20), default="link")  # "link" or "card"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


# A job's states.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED)


class Job(db.Model):
    """Work that outlives a request (imports, exports, certificate batches, backups): any
    server process or ``podium worker`` claims a queued job; a running job whose heartbeat
    has stopped (its process died) is claimed again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    state: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str] = mapped_column(String(120), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")  # the error of a failed job
    result: Mapped[str] = mapped_column(Text, default="{}")  # JSON: e.g. {"file": "...", "rows": 12}
