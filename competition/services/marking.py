"""The one write path for marks: validate, write, audit, commit, then publish."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Mark, MarkRevision, Skill, User
from competition.scoring.entries import EntryError, parse_entry
from competition.services.boards import bump_version


class MarkingError(Exception):
    """A mark that cannot be recorded. ``status`` is the HTTP status a view should use."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


@dataclass(frozen=True)
class MarkOutcome:
    mark_id: int
    value: Decimal
    version: int
    replayed: bool


def record_mark(
    *,
    judge: User,
    competitor_id: int,
    aspect_id: str,
    value: object,
    idempotency_key: str,
    device: str = "",
    ip: str = "",
    publish: bool = True,
    commit: bool = True,
) -> MarkOutcome:
    """Record ``judge``'s entry for one aspect of one competitor.

    Replaying an idempotency key returns the first outcome and writes nothing. Nothing is
    published unless the transaction committed. ``commit=False`` (bulk imports, the demo)
    leaves the commit to the caller and publishes nothing.
    """
    if not idempotency_key or len(idempotency_key) > 80:
        raise MarkingError("idempotency_key", "required, at most 80 characters")
    previous = db.session.scalar(select(MarkRevision).where(MarkRevision.idempotency_key == idempotency_key))
    if previous is not None:
        mark = previous.mark
        if mark.judge_id != judge.id:
            raise MarkingError("idempotency_key", "already used by another judge", 409)
        return MarkOutcome(mark.id, previous.new_value, previous.version, True)

    competitor = db.session.get(Competitor, competitor_id)
    if competitor is None:
        raise MarkingError("competitor", f"no competitor with id {competitor_id}", 404)
    skill: Skill = competitor.skill
    if judge.role_in(skill.id) is None:
        raise MarkingError("skill", f"you are not assigned to judge {skill.name}", 403)
    if competitor.locked:
        raise MarkingError("competitor", f"{competitor.code} is signed off and locked; only the chief expert can unlock it", 409)
    try:
        aspect = skill.scheme.aspect(aspect_id)
    except KeyError:
        raise MarkingError("aspect", f"no aspect {aspect_id!r} in the scheme of {skill.name}", 404) from None
    try:
        entry = parse_entry(aspect, value)
    except EntryError as err:
        raise MarkingError(err.field, err.message, 422) from None

    mark = db.session.scalar(
        select(Mark).where(Mark.judge_id == judge.id, Mark.competitor_id == competitor.id, Mark.aspect_id == aspect.id)
    )
    old = None
    if mark is None:
        mark = Mark(skill_id=skill.id, competitor_id=competitor.id, judge_id=judge.id, aspect_id=aspect.id, value=entry, version=1)
        db.session.add(mark)
    else:
        old = mark.value
        mark.value = entry
        mark.version += 1
    db.session.flush()
    db.session.add(
        MarkRevision(
            mark_id=mark.id,
            idempotency_key=idempotency_key,
            old_value=old,
            new_value=entry,
            version=mark.version,
            by_user_id=judge.id,
            device=device[:200],
            ip=ip[:64],
        )
    )
    bump_version(skill.id)  # boards follow versions: every change they show counts one
    if not commit:
        return MarkOutcome(mark.id, entry, mark.version, False)
    db.session.commit()
    if publish:
        from competition.services.publishing import publish_skill

        publish_skill(skill)
    return MarkOutcome(mark.id, entry, mark.version, False)
