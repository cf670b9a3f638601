"""Events, their skills (each with a marking scheme) and competitors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.scoring.model import MarkingScheme
from competition.scoring.overrides import with_settings
from competition.scoring.schemes import parse_scheme

# What spectators may see of a skill.
LIVE, EMBARGOED, REVEAL = "live", "embargoed", "reveal"
DISPLAY_MODES = (LIVE, EMBARGOED, REVEAL)


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(10), default="en")
    # The address people reach Podium at, printed in certificate QR codes ("" until set).
    public_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    skills: Mapped[list[Skill]] = relationship(back_populates="event", order_by="Skill.code")


class Skill(db.Model):
    """A skill competed at an event, marked against one scheme (kept as its TOML text,
    so a later change to the shipped file never rewrites the marks of a past event)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    scheme_source: Mapped[str] = mapped_column(String(200))
    scheme_text: Mapped[str] = mapped_column(Text)
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_compatriot_marking: Mapped[bool] = mapped_column(Boolean, default=False)
    marking_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # Judges see the judgement descriptors only, without the numbers 0-3.
    descriptors_only: Mapped[bool] = mapped_column(Boolean, default=False)
    display_mode: Mapped[str] = mapped_column(String(20), default=LIVE)
    # Per-skill settings the organiser may set over the scheme's (None: the scheme's own).
    panel_size: Mapped[int | None] = mapped_column(Integer)
    award_rule: Mapped[str | None] = mapped_column(String(40))
    variance_tolerance: Mapped[float | None] = mapped_column(Float)
    # Chinese competitions' three numbers (检录号 → 工位号 → 加密号): judges see only the
    # encrypted number, and names are joined to results once the results are locked.
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    results_locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    results_published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    event: Mapped[Event] = relationship(back_populates="skills")
    competitors: Mapped[list[Competitor]] = relationship(back_populates="skill", order_by="Competitor.code")

    __table_args__ = (UniqueConstraint("event_id", "code"),)

    @property
    def scheme(self) -> MarkingScheme:
        """The scheme with the skill's own settings over it (panel size, tolerance, award rule:
        :func:`competition.scoring.overrides.with_settings`), as every reader must see it."""
        return _skill_scheme(self.scheme_text, self.scheme_source, self.panel_size, self.variance_tolerance, self.award_rule)

    @property
    def scheme_as_written(self) -> MarkingScheme:
        """The scheme file's own settings, without the skill's (what "the scheme's own" means on the settings page)."""
        return _parsed_scheme(self.scheme_text, self.scheme_source)

    # The skill's name is its scheme's: ``name`` keeps the English one (or the only one), the
    # scheme's text carries both languages. A skill renamed away from its scheme reads the same
    # in every language.
    @property
    def translations(self) -> Mapping[str, str]:
        """The name in each language the scheme gives it (so ``{{ skill|loc }}`` works)."""
        scheme_name = self.scheme.name
        if self.name != str(scheme_name):
            return {}
        return getattr(scheme_name, "translations", None) or {}

    def name_in(self, language: str | None) -> str:
        """The skill's name in ``language`` (``en``/``zh``), else the name it has."""
        return self.translations.get(language or "") or self.name

    def __str__(self) -> str:
        """The name in the language being spoken: a lazy message that names the skill
        (``_l("… %(skill)s", skill=skill)``) reads it in the page's language, and in English
        in the JSON API."""
        from flask_babel import get_locale

        try:
            locale = get_locale()
        except RuntimeError:  # outside an application
            locale = None
        return self.name_in(locale.language if locale is not None else None)

    @property
    def results_final(self) -> bool:
        """True when every competitor's marks are locked: the results are no longer provisional."""
        return bool(self.competitors) and all(c.locked for c in self.competitors)


@lru_cache(maxsize=64)
def _parsed_scheme(text: str, source: str) -> MarkingScheme:
    """A skill's scheme is parsed once per process, not once per loaded Skill: every mark's
    standings and every board payload read it. The scheme is immutable (frozen dataclasses)."""
    return parse_scheme(text, source)


@lru_cache(maxsize=64)
def _skill_scheme(text: str, source: str, panel_size: int | None, tolerance: float | None, award_rule: str | None) -> MarkingScheme:
    return with_settings(_parsed_scheme(text, source), panel_size=panel_size, tolerance=tolerance, award_rule=award_rule)


class Competitor(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # The id the organiser's own lists use: importing the same file again updates, never duplicates.
    external_id: Mapped[str | None] = mapped_column(String(80))
    entry_number: Mapped[str | None] = mapped_column(String(20))  # 检录号, given at check-in
    workstation: Mapped[str | None] = mapped_column(String(20))  # 工位号, drawn
    encrypted_code: Mapped[str | None] = mapped_column(String(20))  # 加密号, drawn: all judges see of an encrypted skill
    # Set when the whole panel has signed the competitor's marks off: the marks are final
    # and can no longer change until the chief expert unlocks them.
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    skill: Mapped[Skill] = relationship(back_populates="competitors")
    # A team skill's competitor is a team: ``name`` is the team's, the members are listed here.
    members: Mapped[list[TeamMember]] = relationship(back_populates="team", order_by="TeamMember.position")

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    __table_args__ = (UniqueConstraint("skill_id", "code"), UniqueConstraint("skill_id", "external_id"))


class TeamMember(db.Model):
    """One member of a team (a competitor of a skill whose scheme sets ``team_size``). Judges
    mark the team; each member gets a certificate of their own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitor.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2… in the order the team was entered
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")

    team: Mapped[Competitor] = relationship(back_populates="members")

    __table_args__ = (UniqueConstraint("competitor_id", "position"),)
