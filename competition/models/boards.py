"""What the boards show of a skill: a version counter and the reveal ceremony's progress.

Kept beside the skill rather than on it so that every change a board must follow (a mark, a
display-mode change, a reveal step) bumps one row in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from competition.extensions import db
from competition.models.marking import utcnow


class BoardState(db.Model):
    __tablename__ = "board_state"

    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    # Incremented in the transaction of every change a board shows; boards keep the highest
    # they have seen and ignore older messages. Shared by every server process (it is in the DB).
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Reveal ceremony: how many places have been revealed, counted from last place up.
    # None: the ceremony has not started (nothing of the standings is shown).
    revealed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # When this row was made; never changed. With ``version`` it names one state of the skill's
    # marks: a process holding standings at (version, started_at) knows they are the database's
    # own, and a database made again (versions counting from 0 anew) is never taken for it.
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)
