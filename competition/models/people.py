"""People who sign in, and the roles they hold per skill."""

from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from competition.extensions import db

JUDGE, CHIEF_EXPERT = "judge", "chief_expert"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False)
    # The interface language the person chose ("en" or "zh"); None until they choose one.
    # The id the organiser's own lists use (imports upsert on it).
    external_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True, default=None)
    # Which of the person's session cookies still sign them in: only those carrying this number
    # (competition/web/sessions.py). Signing out and a new password raise it.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    roles: Mapped[list[SkillRole]] = relationship(back_populates="user")

    def get_id(self) -> str:
        """What the session cookie stores: the id and the session generation."""
        return f"{self.id}:{self.session_generation or 0}"

    def end_sessions(self) -> None:
        """Every session cookie issued so far stops signing this person in."""
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password: str) -> None:
        """A new password ends the person's sessions (a person not yet stored has none)."""
        self.password_hash = generate_password_hash(password)
        if self.id is not None:
            self.end_sessions()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def role_in(self, skill_id: int) -> str | None:
        for role in self.roles:
            if role.skill_id == skill_id:
                return role.role
        return None


class SkillRole(db.Model):
    """A person's role in one skill: judge or chief expert (who also judges)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    role: Mapped[str] = mapped_column(String(20), default=JUDGE)

    user: Mapped[User] = relationship(back_populates="roles")
    skill = relationship("Skill")

    __table_args__ = (UniqueConstraint("user_id", "skill_id"),)
