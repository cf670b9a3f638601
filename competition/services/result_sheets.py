"""The result sheet (成绩单) of a skill: what it says, the hash that identifies it, and the
record that lets anyone check a printed sheet.

The document hash is the SHA-256 of the sheet's result data (event, skill, every
competitor's shown name, subtotals, total, rank, scale score and awards, whether the results
are provisional) written as canonical JSON. It does not depend on the language or on when the
sheet was printed, so the same results always give the same hash. Printing a sheet records it
in the audit trail (action ``result_sheet``, detail ``<hash> <json>``) in the caller's
transaction; :func:`find_sheet` reads that record for the verification page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from competition.certificates.content import ZH, format_dates
from competition.certificates.result_sheet import Part, ResultSheet, SheetRow, Signatory, draw_result_sheet
from competition.certificates.sheets import N_, tr
from competition.extensions import db
from competition.models import AuditEntry, Skill, SkillRole, User
from competition.models.people import CHIEF_EXPERT
from competition.scoring.awards import label
from competition.scoring.numbers import api_decimal, plain
from competition.scoring.text import Text
from competition.services.audit import audit
from competition.services.export_tables import standings_records

ACTION = "result_sheet"
LANGUAGES = ("en", "zh")
MIN_PREFIX = 12  # hex digits a verification needs (the sheet prints this many)


@dataclass(frozen=True)
class Recorded:
    """A printed sheet found by its hash: the first time it was made, and whether the skill's
    results still give the same hash."""

    entry: AuditEntry
    digest: str
    skill: Skill
    made_at: dt.datetime
    language: str
    provisional: bool
    current: bool


def names_hidden(skill: Skill) -> bool:
    """An encrypted skill shows encrypted codes, not names, until its results are locked."""
    return bool(skill.encrypted) and skill.results_locked_at is None


def signatories(skill: Skill) -> list[tuple[str, User]]:
    """Every judge of the skill, then its chief expert: (role, person), in the order they were assigned."""
    roles = db.session.scalars(select(SkillRole).where(SkillRole.skill_id == skill.id).order_by(SkillRole.id)).all()
    ordered = sorted(roles, key=lambda r: r.role == CHIEF_EXPERT)
    return [(r.role, r.user) for r in ordered]


def sheet_data(skill: Skill) -> dict:
    """The result data a sheet prints and its hash is made from (language-neutral)."""
    hidden = names_hidden(skill)
    encrypted = {c.code: c.encrypted_code or "" for c in skill.competitors}
    rows = []
    for record in standings_records(skill):
        code = encrypted[record["code"]] if hidden else record["code"]
        rows.append({
            "code": code,
            "name": code if hidden else record["name"],
            "organisation": "" if hidden else record["organisation"],
            "members": [] if hidden else [m["name"] for m in record["members"]],  # a team's
            "rank": record["rank"],
            "criteria": {k: api_decimal(v) for k, v in record["criteria"].items()},
            "modules": {k: api_decimal(v) for k, v in (record["module_scores"] or record["modules"]).items()},
            "total": api_decimal(record["total"]),
            "standardised": record["standardised"],
            "awards": record["awards"],
            "in_marking": record["in_marking"],
        })
    if hidden:  # in the order of the standings, but not giving away competitor codes' order
        rows = [r for r in rows if not r["in_marking"]] + sorted((r for r in rows if r["in_marking"]), key=lambda r: r["code"])
    return {
        "event": skill.event.code,
        "skill": skill.code,
        "provisional": not skill.results_final,
        "names_hidden": hidden,
        "rows": rows,
        "signatories": [user.username for _, user in signatories(skill)],
    }


def digest_of(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify_url(skill: Skill, digest: str) -> str:
    base = skill.event.public_url or current_app.config.get("PUBLIC_URL") or ""
    return f"{base.rstrip('/')}/results/verify/{digest}"


def build_sheet(skill: Skill, language: str | None = None, *, now: dt.datetime | None = None) -> ResultSheet:
    """The sheet of ``skill`` in ``language`` (default: the event's language)."""
    lang = language if language in LANGUAGES else (skill.event.language if skill.event.language in LANGUAGES else "en")
    data = sheet_data(skill)
    digest = digest_of(data)
    scheme = skill.scheme
    event = skill.event
    moment = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    modules = tuple(Part(m.id, _in(m.name, lang), plain(m.weight * scheme.weighted_max if scheme.weighted else scheme.module_max(m)),
                         f"{plain(m.weight * 100)}%" if scheme.weighted else "")
                    for m in scheme.modules)
    rows = tuple(
        SheetRow(rank=str(r["rank"]) if r["rank"] is not None else "–", code=r["code"], name=r["name"],
                 organisation=" · ".join(p for p in (r["organisation"], ", ".join(r["members"])) if p),
                 criteria=tuple(r["criteria"].get(c.id, "") for c in scheme.criteria),
                 modules=tuple(r["modules"].get(m.id, "") for m in scheme.modules), total=r["total"],
                 standardised="" if r["standardised"] is None else str(r["standardised"]),
                 awards=tr(lang, N_("in marking")) if r["in_marking"] else _awards(r["awards"], lang))
        for r in data["rows"]
    )
    people = tuple(Signatory(tr(lang, N_("Chief Expert")) if role == CHIEF_EXPERT else tr(lang, N_("Judge")), user.display_name)
                   for role, user in signatories(skill))
    return ResultSheet(
        language=lang, event_name=event.name, skill_name=skill.name_in(lang), dates=format_dates(event.starts_on, event.ends_on, lang),
        place=event.place, made_at=moment, provisional=data["provisional"], names_hidden=data["names_hidden"],
        criteria=tuple(Part(c.id, _in(c.name, lang), plain(c.max_mark)) for c in scheme.criteria), modules=modules,
        rows=rows, signatories=people, digest=digest, verify_url=verify_url(skill, digest), total_max=plain(scheme.total_max),
    )


def print_result_sheet(skill: Skill, out: str | BinaryIO, *, language: str | None = None, by: User | None = None) -> ResultSheet:
    """Draw the sheet into ``out`` and record it (audit ``result_sheet``, flushed, not
    committed) so that its hash can be verified. Returns what was printed."""
    sheet = build_sheet(skill, language)
    draw_result_sheet(sheet, out)
    detail = json.dumps({"language": sheet.language, "provisional": sheet.provisional, "competitors": len(sheet.rows)})
    audit(ACTION, by=by, skill=skill, detail=f"{sheet.digest} {detail}")
    db.session.flush()
    return sheet


def last_printed(skills: list[Skill]) -> dict[int, tuple[dt.datetime, str]]:
    """When each skill's result sheet was last printed, and its hash: {skill id: (time, hash)}."""
    ids = [s.id for s in skills]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == ACTION, AuditEntry.skill_id.in_(ids))
                                 .order_by(AuditEntry.id)).all() if ids else []
    found = {}
    for entry in entries:  # oldest first: the last one wins
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
        found[entry.skill_id] = (at, entry.detail.partition(" ")[0])
    return found


def find_sheet(reference: str) -> Recorded | None:
    """The printed sheet a hash (or its first :data:`MIN_PREFIX` hex digits or more) names, or None."""
    reference = (reference or "").strip().lower()
    if not (MIN_PREFIX <= len(reference) <= 64) or any(ch not in "0123456789abcdef" for ch in reference):
        return None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == ACTION, AuditEntry.detail.startswith(reference))
                               .order_by(AuditEntry.id)).first()
    if entry is None:
        return None
    digest, _, rest = entry.detail.partition(" ")
    info = json.loads(rest or "{}")
    skill = db.session.get(Skill, entry.skill_id)
    if skill is None:
        return None
    made = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    return Recorded(entry, digest, skill, made, info.get("language", "en"), bool(info.get("provisional")),
                    digest_of(sheet_data(skill)) == digest)


def _awards(codes: list[str], language: str) -> str:
    return ("、" if language == ZH else ", ").join(tr(language, label(code)) for code in codes)


def _in(text: object, language: str) -> str:
    """Scheme text in ``language`` (a plain string is the same in every language)."""
    return text.get(language) if isinstance(text, Text) else str(text)
