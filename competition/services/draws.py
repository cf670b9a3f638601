"""The draw (抽签) of a skill: competitor numbers (检录号), workstations (工位号) and, for an
encrypted skill, encrypted numbers (加密号).

Every draw is kept as a :class:`~competition.models.Draw` row with its seed and result, and
audited; drawing again hands out new numbers and keeps the earlier rows as history. The result
is :func:`competition.scoring.draw.draw` of (seed, skill code, kind, the competitors' ids), so
:func:`reproduce` can run any recorded draw again and compare. Once a mark exists for the skill
no draw may change its numbers: the marks were given under them.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from competition.extensions import db
from competition.models import Competitor, Draw, Mark, Skill, User
from competition.models.console import DRAW_ENCRYPTION, DRAW_KINDS, DRAW_NUMBERS, DRAW_WORKSTATIONS
from competition.scoring import draw as drawing
from competition.services.audit import audit
from competition.services.boards import skill_changed
from competition.services.errors import Conflict, Forbidden, ServiceError

# Which number of a competitor each kind of draw sets.
FIELDS = {DRAW_NUMBERS: "entry_number", DRAW_WORKSTATIONS: "workstation", DRAW_ENCRYPTION: "encrypted_code"}


def new_seed() -> str:
    """A seed nobody could have guessed: 16 hexadecimal digits from the system's secure source."""
    return secrets.token_hex(8)


def _clean_seed(seed: str | None) -> str:
    seed = " ".join((seed or "").split())
    if not seed:
        return new_seed()
    if len(seed) > drawing.MAX_SEED:
        raise ServiceError("seed", _l("A seed has at most %(num)s characters.", num=drawing.MAX_SEED), code="invalid_seed")
    return seed


def has_marks(skill: Skill) -> bool:
    return bool(db.session.scalar(select(exists().where(Mark.skill_id == skill.id))))


def run_draw(skill: Skill, kind: str, *, by: User, seed: str | None = None) -> Draw:
    """Draw ``kind`` for every competitor of the skill from ``seed`` (typed by the organiser, e.g.
    drawn in public; none: a fresh random one), set the numbers, record and audit the draw."""
    if not getattr(by, "is_organiser", False):
        raise Forbidden("user", _l("Only organisers hold the draw."), code="not_organiser")
    if kind not in DRAW_KINDS:
        raise ServiceError("kind", _l("Choose what to draw: numbers, workstations or encrypted numbers."), code="invalid_kind")
    if kind == DRAW_ENCRYPTION and not skill.encrypted:
        raise Conflict("kind", _l("%(skill)s is not encrypted: it has no encrypted numbers to draw.", skill=skill), code="not_encrypted")
    competitors = list(skill.competitors)
    if not competitors:
        raise Conflict("skill", _l("%(skill)s has no competitors to draw.", skill=skill), code="no_competitors")
    if has_marks(skill):
        raise Conflict("skill", _l("%(skill)s already has marks: its numbers can no longer be drawn again.", skill=skill),
                       code="has_marks")
    seed = _clean_seed(seed)
    result = drawing.draw(seed, skill.code, kind, [c.id for c in competitors])
    field = FIELDS[kind]
    for competitor in competitors:
        setattr(competitor, field, result[str(competitor.id)])
    record = Draw(skill_id=skill.id, kind=kind, seed=seed, result=json.dumps(result, sort_keys=True), drawn_by_id=by.id)
    db.session.add(record)
    db.session.flush()
    audit(f"draw_{kind}", by=by, skill=skill, detail=f"draw {record.id}, seed {seed!r}, {len(result)} competitors")
    skill_changed(skill)
    return record


def draws_of(skill: Skill) -> list[Draw]:
    """Every draw of the skill, latest first (the latest of each kind is the one in force)."""
    return list(db.session.scalars(select(Draw).where(Draw.skill_id == skill.id).order_by(Draw.id.desc())))


def draw_result(record: Draw) -> dict[str, str]:
    return json.loads(record.result or "{}")


@dataclass(frozen=True)
class Reproduction:
    """A recorded draw run again from its seed: ``matches`` when it gives the recorded result."""

    matches: bool
    recorded: dict[str, str]
    again: dict[str, str]
    differences: list[str]


def reproduce(record: Draw) -> Reproduction:
    """Run the recorded draw again from its seed, over the competitors it drew, and compare."""
    skill = db.session.get(Skill, record.skill_id)
    recorded = draw_result(record)
    again = drawing.draw(record.seed, skill.code, record.kind, list(recorded)) if recorded else {}
    differences = sorted(k for k in set(recorded) | set(again) if recorded.get(k) != again.get(k))
    return Reproduction(not differences, recorded, again, differences)


def competitors_by_id(skill: Skill) -> dict[str, Competitor]:
    return {str(c.id): c for c in skill.competitors}
