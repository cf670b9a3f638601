"""Issuing, printing and revoking certificates.

Only locked (final) results get a certificate. Issuing snapshots what the certificate says
(name, skill, result, units of competence…) into a :class:`Certificate` row with a unique
number; printing the same competitor again reuses that certificate, unless the result or the
event's settings changed, in which case the old one is revoked as superseded and a new one
issued. Functions flush; the caller (a request, the CLI, a batch job) commits.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import LazyString, get_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from competition.certificates.content import MEDAL, PARTICIPATION, RESULTS, CertificateData
from competition.certificates.keys import Keyring
from competition.certificates.render import write_certificates
from competition.certificates.tokens import read_token, verify_url
from competition.extensions import db
from competition.models import Certificate, CertificateSettings, Competitor, Event, Skill, SkillRole, User
from competition.models.marking import utcnow
from competition.models.people import CHIEF_EXPERT
from competition.scoring.model import MarkingScheme
from competition.scoring.standings import CompetitorResult
from competition.scoring.text import Text
from competition.services.certificate_keys import keyring
from competition.services.errors import Conflict, ServiceError
from competition.services.standings import skill_standings

GENUINE, REVOKED, NOT_GENUINE, UNKNOWN = "genuine", "revoked", "not_genuine", "unknown"
SNAPSHOT = ("language", "layout", "competitor_name", "organisation", "skill_name", "event_name", "result", "rank", "standardised",
            "units_json", "chief_expert", "organiser", "team_name")


class CertificateRefused(Conflict):
    """A certificate that may not be issued; ``message`` is what to show the organiser and
    ``competitors`` the competitors it names."""

    code = "not_final"

    def __init__(self, message: object, competitors: Iterable[Competitor] = ()):
        self.competitors = list(competitors)
        named = [{"code": c.code, "name": c.name, "skill": c.skill.code} for c in self.competitors] or None
        super().__init__("competitors", message, competitors=named)

    def __str__(self) -> str:
        return str(self.message)


# -- settings -----------------------------------------------------------------------------
def settings_for(event: Event) -> CertificateSettings:
    """The event's settings, or unsaved defaults (English, medal layout for medallists)."""
    found = db.session.scalar(select(CertificateSettings).where(CertificateSettings.event_id == event.id))
    return found or CertificateSettings(event_id=event.id, language=event.language or "en", layout="auto", organiser_name="")


def save_settings(event: Event, *, language: str, layout: str, organiser_name: str, logo: bytes | None = None,
                  logo_type: str = "", remove_logo: bool = False) -> CertificateSettings:
    from competition.certificates.content import LANGUAGES, LAYOUT_CHOICES

    if language not in LANGUAGES:
        raise ServiceError("language", _l("language must be one of %(choices)s, not %(value)s", choices=", ".join(LANGUAGES),
                                          value=repr(language)))
    if layout not in LAYOUT_CHOICES:
        raise ServiceError("layout", _l("layout must be one of %(choices)s, not %(value)s", choices=", ".join(LAYOUT_CHOICES),
                                        value=repr(layout)))
    settings = settings_for(event)
    settings.language, settings.layout, settings.organiser_name = language, layout, organiser_name.strip()[:200]
    if remove_logo:
        settings.logo, settings.logo_type = None, ""
    elif logo:
        settings.logo, settings.logo_type = logo, logo_type
    db.session.add(settings)
    db.session.flush()
    return settings


# -- what a certificate says -----------------------------------------------------------------
def units_of_competence(scheme: MarkingScheme, result: CompetitorResult, language: str | None = None) -> tuple[str, ...]:
    """Names of the criteria on which the competitor reached the scheme's competence threshold
    (criterion total ≥ ``competence_threshold`` × the criterion's max mark), in scheme order;
    in ``language`` where the scheme gives it."""
    return tuple(
        _in(c.name, language) for c in scheme.criteria
        if c.max_mark > 0 and result.criteria.get(c.id, 0) >= scheme.competence_threshold * c.max_mark
    )


def _in(text: str, language: str | None) -> str:
    """Scheme text (:class:`~competition.scoring.text.Text`, or a plain str) in ``language``."""
    return text.get(language) if isinstance(text, Text) else str(text)


def chief_expert_name(skill: Skill) -> str:
    role = db.session.scalar(select(SkillRole).where(SkillRole.skill_id == skill.id, SkillRole.role == CHIEF_EXPERT).order_by(SkillRole.id))
    return role.user.display_name if role else ""


def _describe(competitors: list[Competitor], limit: int = 8) -> LazyString:
    """The competitors named in a refusal, in the language the message is read in."""
    names = [f"{c.code} {c.name} ({c.skill})" for c in competitors[:limit]]
    more = len(competitors) - limit

    def text() -> str:
        locale = get_locale()
        joined = ("、" if locale is not None and locale.language == "zh" else ", ").join(names)
        if more > 0:
            return ngettext("%(names)s and %(num)s more", "%(names)s and %(num)s more", more, names=joined)
        return joined

    return LazyString(text)


def select_competitors(event: Event, *, skill: Skill | None = None, competitor: Competitor | None = None,
                       only_locked: bool = False) -> list[Competitor]:
    """The competitors a batch covers, in print order (skill, then competitor code).

    A certificate names a place, a medal and a standardised score, which change until every
    competitor of the skill is locked: so a skill's certificates are printed only once its
    results are final (every competitor locked), as a competition hands them out after the
    results. Raises :class:`CertificateRefused` naming every competitor whose result is not
    final; with ``only_locked`` (the whole event) the skills not final are left out instead."""
    if competitor is not None:
        if not competitor.locked:
            raise CertificateRefused(
                _l("No certificate for %(names)s: the result is not final. The panel must sign the marks off (lock them) first.",
                   names=_describe([competitor])), [competitor])
        _require_final(competitor.skill)
        return [competitor]
    skills = [skill] if skill is not None else list(event.skills)
    unlocked = [c for s in skills for c in s.competitors if not c.locked]
    if unlocked and not only_locked:
        raise CertificateRefused(
            _l("%(num)s result(s) not final yet, so no certificates were printed: %(names)s. Lock them first, or print only the "
               "final results.", num=len(unlocked), names=_describe(unlocked)), unlocked)
    if skill is not None:
        _require_final(skill)
    chosen = [c for s in skills if s.results_final for c in s.competitors]
    if not chosen:
        raise CertificateRefused(_l("No skill of %(where)s has final results yet: certificates are printed once every competitor of "
                                    "a skill is locked.", where=event.name), unlocked)
    return chosen


def _require_final(skill: Skill) -> None:
    """Refuse while any competitor of the skill is not locked (naming them)."""
    waiting = [c for c in skill.competitors if not c.locked]
    if waiting:
        raise CertificateRefused(
            _l("No certificates for %(skill)s yet: %(num)s result(s) of the skill are not final (%(names)s). Places, medals and "
               "standardised scores can change until every competitor is locked.", skill=skill, num=len(waiting),
               names=_describe(waiting)), waiting)


def _hold_numbering(event: Event) -> None:
    """Issue one event's certificates one batch at a time, until the caller commits.

    A no-op write to the event's row, before anything is read: PostgreSQL locks that row, SQLite
    takes its write lock, so a second batch waits here and then reads what the first issued. Two
    organisers printing at once can neither hand out one number twice nor both give one
    competitor a new certificate."""
    db.session.execute(update(Event).where(Event.id == event.id).values(id=Event.id).execution_options(synchronize_session=False))


def _next_serial(event: Event) -> int:
    return (db.session.scalar(select(func.count(Certificate.id)).where(Certificate.event_id == event.id)) or 0) + 1


def current_certificate(competitor: Competitor, member: int | None = None) -> Certificate | None:
    """The competitor's certificate not revoked; of a team, the one of the member at position ``member``."""
    query = select(Certificate).where(Certificate.competitor_id == competitor.id, Certificate.revoked_at.is_(None),
                                      Certificate.member_position.is_(None) if member is None else Certificate.member_position == member)
    return db.session.scalars(query.order_by(Certificate.id.desc())).first()


def recipients(competitor: Competitor) -> list[tuple[int | None, str, str]]:
    """Who gets a certificate for a competitor's result, as (member position, name, organisation):
    each member of a team (a skill whose scheme sets ``team_size``), else the competitor."""
    if competitor.skill.scheme.team_event and competitor.members:
        return [(m.position, m.name, m.organisation or competitor.organisation) for m in competitor.members]
    return [(None, competitor.name, competitor.organisation)]


@dataclass
class Planned:
    """One certificate a batch prints: for whom, what it says, and the holder's current one."""

    competitor: Competitor
    position: int | None  # a team member's position, None for a competitor
    snapshot: dict
    existing: Certificate | None

    @property
    def reused(self) -> bool:
        return self.existing is not None and all(getattr(self.existing, k) == v for k, v in self.snapshot.items())


def plan(competitors: list[Competitor]) -> tuple[list[Planned], list[Certificate]]:
    """What issuing would do, without writing: the certificates in print order, and the current
    certificates of holders who no longer get one (revoked as superseded). Refuses results not
    final, of a skill not final, or still being marked."""
    refused = [c for c in competitors if not c.locked]
    if refused:
        raise CertificateRefused(_l("No certificate for %(names)s: the result is not final.", names=_describe(refused)), refused)
    planned: list[Planned] = []
    dropped: list[Certificate] = []
    if not competitors:
        return planned, dropped
    event = competitors[0].skill.event
    settings = settings_for(event)
    by_skill: dict[int, list[Competitor]] = {}
    for c in competitors:
        by_skill.setdefault(c.skill_id, []).append(c)
    for group in by_skill.values():
        skill = group[0].skill
        _require_final(skill)
        standings = {s.competitor: s for s in skill_standings(skill)}
        marking = [c for c in group if standings[c.code].in_marking]  # locked, but an aspect is not complete
        if marking:
            raise CertificateRefused(f"No certificate for {_describe(marking)}: still being marked.", marking)
        chief = chief_expert_name(skill)
        for competitor in group:
            standing = standings[competitor.code]
            achieved = achievement(standing)
            layout = MEDAL if achieved and settings.layout != PARTICIPATION else PARTICIPATION
            result = dict(
                language=settings.language, layout=layout, skill_name=skill.name_in(settings.language), event_name=event.name,
                result=achieved, rank=standing.rank, standardised=standing.standardised,
                units_json=json.dumps(units_of_competence(skill.scheme, standing.result, settings.language), ensure_ascii=False),
                chief_expert=chief, organiser=settings.organiser_name,
            )
            given = recipients(competitor)
            for position, name, organisation in given:
                team_name = competitor.name if position is not None else ""
                snapshot = dict(result, competitor_name=name, organisation=organisation, team_name=team_name)
                planned.append(Planned(competitor, position, snapshot, current_certificate(competitor, position)))
            holders = {position for position, _, _ in given}
            query = select(Certificate).where(Certificate.competitor_id == competitor.id, Certificate.revoked_at.is_(None))
            dropped += [cert for cert in db.session.scalars(query) if cert.member_position not in holders]
    return planned, dropped


def superseded(competitors: list[Competitor]) -> list[Certificate]:
    """The certificates already handed out that printing these competitors would revoke (the
    result, the holder's details or the settings changed since), in print order."""
    planned, dropped = plan(competitors)
    return [p.existing for p in planned if p.existing is not None and not p.reused] + dropped


def issue(competitors: list[Competitor], *, by: User | None = None) -> list[Certificate]:
    """The current certificates of the competitors (all locked), issuing new ones as needed: one
    per competitor, one per member of a team (each with the member's name and the team's), in order."""
    refused = [c for c in competitors if not c.locked]
    if refused:
        raise CertificateRefused(_l("No certificate for %(names)s: the result is not final.", names=_describe(refused)), refused)
    if not competitors:
        return []
    event = competitors[0].skill.event
    _hold_numbering(event)
    planned, dropped = plan(competitors)
    serial = _next_serial(event)
    out = []
    for item in planned:
        if item.reused:
            out.append(item.existing)
            continue
        number = f"{_number_prefix(event)}-{serial:05d}"
        serial += 1
        if item.existing:
            _revoke(item.existing, f"Superseded by {number}: the result or the certificate settings changed.", by)
        cert = Certificate(number=number, event_id=event.id, competitor_id=item.competitor.id, member_position=item.position,
                           issued_by_id=by.id if by else None, **item.snapshot)
        db.session.add(cert)
        out.append(cert)
    for cert in dropped:  # a member who left the team; the team's certificate from before it had members
        _revoke(cert, "Superseded: the team's members changed.", by)
    db.session.flush()
    return out


def achievement(standing) -> str | None:
    """What a certificate of achievement names: the medal, else the prize band (一等奖…) or the
    level of a threshold rule; None for a certificate of participation or competence. Best of
    Nation is an extra honour shown beside the result, not a certificate's result."""
    if standing.medal:
        return standing.medal
    return next((award for award in standing.awards if award in RESULTS), None)


def _number_prefix(event: Event) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", event.code.upper()).strip("-") or "CERT"


def _revoke(certificate: Certificate, reason: str, by: User | None) -> None:
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    certificate.revoked_by_id = by.id if by else None


def revoke(certificate: Certificate, reason: str, *, by: User | None) -> Certificate:
    """Revoke a certificate; the reason is required and recorded with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason", _l("Give a reason for revoking the certificate."), 422)
    if certificate.revoked:
        raise Conflict("certificate", _l("Certificate %(number)s was already revoked.", number=certificate.number), code="already_revoked")
    _revoke(certificate, reason[:500], by)
    db.session.flush()
    return certificate


def public_address(event: Event) -> str:
    """The address a certificate's QR code opens: the event's public address, else the server's."""
    return (event.public_url or current_app.config["PUBLIC_URL"]).rstrip("/")


def certificate_data(cert: Certificate, *, public_url: str | None = None, secret: str | Keyring | None = None) -> CertificateData:
    """What a certificate prints; its QR code is signed with the certificate keys (never SECRET_KEY)."""
    event = cert.event
    return CertificateData(
        number=cert.number,
        verify_url=verify_url(public_url or public_address(event), cert.number, secret or keyring()),
        language=cert.language, layout=cert.layout, competitor_name=cert.competitor_name, organisation=cert.organisation,
        skill_name=cert.skill_name, event_name=cert.event_name, place=event.place, starts_on=event.starts_on, ends_on=event.ends_on,
        result=cert.result, standardised=cert.standardised, units=cert.units, chief_expert=cert.chief_expert,
        organiser=cert.organiser, competitor_code=cert.competitor.code, team_name=cert.team_name,
    )


# -- verification ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    status: str
    certificate: Certificate | None = None


def verify(token: str, *, secret: str | Keyring | None = None) -> Verification:
    number = read_token(token, secret or keyring())
    if number is None:
        return Verification(NOT_GENUINE)
    cert = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if cert is None:
        return Verification(UNKNOWN)
    return Verification(REVOKED if cert.revoked else GENUINE, cert)


# -- printing -------------------------------------------------------------------------------
def print_certificates(event: Event, out: str | BinaryIO, *, skill: Skill | None = None, competitor: Competitor | None = None,
                       only_locked: bool = False, by: User | None = None,
                       progress: Callable[[int, int], None] | None = None) -> int:
    """Issue (or reuse) and draw the certificates of one competitor, a skill or the whole event
    into one PDF. Returns the page count; the caller commits the issued certificates."""
    certificates = issue_for(event, skill=skill, competitor=competitor, only_locked=only_locked, by=by)
    return draw_certificates(event, certificates, out, skill=skill, progress=progress)


def issue_for(event: Event, *, skill: Skill | None = None, competitor: Competitor | None = None, only_locked: bool = False,
              by: User | None = None) -> list[Certificate]:
    """Check the batch and issue (or reuse) its certificates; flushed, not committed."""
    return issue(select_competitors(event, skill=skill, competitor=competitor, only_locked=only_locked), by=by)


def draw_certificates(event: Event, certificates: list[Certificate], out: str | BinaryIO, *, skill: Skill | None = None,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Draw issued certificates into one PDF; returns the page count."""
    pages = deque(certificate_data(c) for c in certificates)
    logo = settings_for(event).logo
    total = len(pages)
    title = f"Certificates — {event.name}" + (f" — {skill.name}" if skill else "")

    def stream():  # hand each page over once: nothing is kept once drawn
        while pages:
            yield pages.popleft()

    return write_certificates(stream(), out, logo=logo, title=title, progress=(lambda n: progress(n, total)) if progress else None)

