"""Certificates: each event's certificate settings, the certificates issued (a snapshot of
what was printed, so verification shows exactly that), and batch print jobs."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.models.marking import utcnow


class CertificateSettings(db.Model):
    """The organiser's choices for an event's certificates (one row per event, optional)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), unique=True)
    language: Mapped[str] = mapped_column(String(10), default="en")
    layout: Mapped[str] = mapped_column(String(20), default="auto")
    organiser_name: Mapped[str] = mapped_column(String(200), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    event = relationship("Event")


class Certificate(db.Model):
    """One issued certificate. Never deleted: a wrong one is revoked, with a reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    layout: Mapped[str] = mapped_column(String(20))
    competitor_name: Mapped[str] = mapped_column(String(200))  # a team member's own name on a team's certificate
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # A team's certificates: one per member, by the member's position in the team (TeamMember.position),
    # with the team's name as printed. None and "" for an individual competitor.
    member_position: Mapped[int | None] = mapped_column(Integer)
    team_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    skill_name: Mapped[str] = mapped_column(String(200))
    event_name: Mapped[str] = mapped_column(String(200))
    result: Mapped[str | None] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)
    standardised: Mapped[int] = mapped_column(Integer)
    units_json: Mapped[str] = mapped_column(Text, default="[]")
    chief_expert: Mapped[str] = mapped_column(String(200), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    event = relationship("Event")
    competitor = relationship("Competitor")
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(json.loads(self.units_json))

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class CertificateBatch(db.Model):
    """A batch of certificates printed in the background into one PDF, kept in the database
    (:class:`CertificateBatchPart`) so any server process can send it. ``path`` is only for
    batches finished before that (a file on the disk of the process that drew it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"))
    only_locked: Mapped[bool] = mapped_column(default=False)
    label: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(String(1000), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    event = relationship("Event")
    skill = relationship("Skill")


PART_BYTES = 1 << 20  # a finished batch's PDF is stored in pieces of at most 1 MiB


class CertificateBatchPart(db.Model):
    """One piece of a finished batch's PDF, in order (``seq`` from 0)."""

    __table_args__ = (UniqueConstraint("batch_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("certificate_batch.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
