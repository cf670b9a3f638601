"""The one write path for marks: validate, write, audit, commit, then publish.

Every mark — from the tablet form, the JSON API, the offline queue, an import, the demo —
goes through :func:`record_mark`. Its rules, checked in this order, before anything is written:

1. idempotency: a key already recorded returns its first outcome and writes nothing (a key
   reused for a different mark is refused, 409);
2. the competitor and the aspect exist (404);
3. the judge is assigned to the skill (403) and has no conflict of interest with the
   competitor, unless the skill allows compatriot marking (403);
4. marking is open for the skill, the aspect's criterion and its marking day (423, retry later);
5. the competitor is not locked by a completed sign-off (409);
6. the entry is valid for the aspect (422);
7. optimistic concurrency: ``base_version`` is the version of the mark the judge saw (None
   or 0 for "no mark yet"); a write based on any other version is refused with the current
   value (409) — a mark is never silently overwritten.

A change appends a :class:`MarkRevision` (who, when, old -> new, device, IP) and withdraws the
judge's own sign-off of that competitor, which then has to be given again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from competition.extensions import db
from competition.models import Competitor, Mark, MarkRevision, SignOff, Skill, User
from competition.models.marking import utcnow
from competition.scoring.entries import EntryError, entry_text, parse_entry
from competition.services.boards import bump_version


class MarkingError(Exception):
    """A mark that cannot be recorded. ``status`` is the HTTP status a view should use,
    ``code`` a stable machine-readable reason, ``current`` the stored mark on a conflict and
    ``retry`` whether the same mark may succeed later unchanged (a closed marking window)."""

    def __init__(self, field: str, message: str, status: int = 400, *, code: str = "invalid", current: dict | None = None,
                 retry: bool = False):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status
        self.code = code
        self.current = current
        self.retry = retry

    def as_json(self) -> dict:
        body = {"field": self.field, "message": self.message, "code": self.code, "retry": self.retry}
        if self.current is not None:
            body["current"] = self.current
        return body


@dataclass(frozen=True)
class MarkOutcome:
    mark_id: int
    value: Decimal
    version: int
    replayed: bool
    competitor_code: str = ""
    aspect_id: str = ""


def _current(mark: Mark) -> dict:
    return {"value": entry_text(mark.value), "version": mark.version}


def _replay(previous: MarkRevision, judge: User, competitor_id: int, aspect_id: str, value: object) -> MarkOutcome:
    mark = previous.mark
    if mark.judge_id != judge.id:
        raise MarkingError("idempotency_key", "already used by another judge", 409, code="key_reused")
    same_value = True
    try:
        same_value = Decimal(str(value).strip()) == previous.new_value
    except Exception:  # noqa: BLE001 - any unparsable value differs from the stored one
        same_value = False
    if mark.competitor_id != competitor_id or mark.aspect_id != aspect_id or not same_value:
        raise MarkingError("idempotency_key", "already used for a different mark; send a new key", 409, code="key_reused")
    return MarkOutcome(mark.id, previous.new_value, previous.version, True, mark.competitor.code, mark.aspect_id)


def _check(judge: User, competitor_id: int, aspect_id: str, value: object):
    from competition.services.access import conflicted, may_mark_skill
    from competition.services.windows import closed_reason

    competitor = db.session.get(Competitor, competitor_id) if isinstance(competitor_id, int) else None
    if competitor is None:
        raise MarkingError("competitor", f"no competitor with id {competitor_id}", 404, code="unknown_competitor")
    skill: Skill = competitor.skill
    if not may_mark_skill(judge, skill):
        raise MarkingError("skill", f"you are not assigned to judge {skill.name}", 403, code="not_assigned")
    if conflicted(judge, competitor):
        raise MarkingError(
            "competitor",
            f"conflict of interest: {competitor.code} is from your own organisation, and {skill.name} does not allow compatriot marking",
            403,
            code="conflict_of_interest",
        )
    try:
        aspect = skill.scheme.aspect(aspect_id)
    except KeyError:
        raise MarkingError("aspect", f"no aspect {aspect_id!r} in the scheme of {skill.name}", 404, code="unknown_aspect") from None
    reason = closed_reason(skill, aspect)
    if reason:
        raise MarkingError("marking", f"{reason}; the mark was not recorded and stays waiting to send", 423, code="marking_closed",
                           retry=True)
    if competitor.locked:
        raise MarkingError("competitor", f"{competitor.code} is signed off and locked; only the chief expert can unlock it", 409,
                           code="locked")
    try:
        entry = parse_entry(aspect, value)
    except EntryError as err:
        raise MarkingError(err.field, err.message, 422, code="invalid_value") from None
    return competitor, skill, aspect, entry


def _stale(mark: Mark, base_version: int | None) -> MarkingError:
    return MarkingError(
        "base_version",
        f"this mark was changed meanwhile (now {_current(mark)['value']}, version {mark.version}); your entry based on "
        f"version {base_version or 0} was not recorded",
        409,
        code="stale",
        current=_current(mark),
    )


def record_mark(
    *,
    judge: User,
    competitor_id: int,
    aspect_id: str,
    value: object,
    idempotency_key: str,
    base_version: int | None = None,
    device: str = "",
    ip: str = "",
    publish: bool = True,
    commit: bool = True,
) -> MarkOutcome:
    """Record ``judge``'s entry for one aspect of one competitor (see the module's rules).

    ``judge`` is the acting person; ``device`` and ``ip`` go into the revision. Nothing is
    published unless the transaction committed. ``commit=False`` (bulk imports, the demo)
    leaves the commit to the caller and publishes nothing.
    """
    if not isinstance(idempotency_key, str) or not 1 <= len(idempotency_key) <= 80:
        raise MarkingError("idempotency_key", "required: a client-generated string of at most 80 characters (a UUID)", code="invalid_key")
    if base_version is not None and (not isinstance(base_version, int) or isinstance(base_version, bool) or base_version < 0):
        raise MarkingError("base_version", "must be a whole number ≥ 0 (0: no mark yet)", code="invalid_value")
    previous = db.session.scalar(select(MarkRevision).where(MarkRevision.idempotency_key == idempotency_key))
    if previous is not None:
        return _replay(previous, judge, competitor_id, aspect_id, value)

    competitor, skill, aspect, entry = _check(judge, competitor_id, aspect_id, value)
    mark = db.session.scalar(
        select(Mark).where(Mark.judge_id == judge.id, Mark.competitor_id == competitor.id, Mark.aspect_id == aspect.id)
    )
    if (mark.version if mark else 0) != (base_version or 0):
        if mark is None:
            raise MarkingError("base_version", f"there is no mark yet (version 0), not version {base_version}", 409, code="stale",
                               current={"value": None, "version": 0})
        raise _stale(mark, base_version)

    try:
        old = None
        if mark is None:
            mark = Mark(skill_id=skill.id, competitor_id=competitor.id, judge_id=judge.id, aspect_id=aspect.id, value=entry, version=1)
            db.session.add(mark)
            db.session.flush()
        else:
            old = mark.value
            # Conditional on the version read above: of two concurrent writers, one wins.
            changed = db.session.execute(
                update(Mark)
                .where(Mark.id == mark.id, Mark.version == mark.version)
                .values(value=entry, version=Mark.version + 1, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
            db.session.refresh(mark)
            if changed != 1:
                raise _stale(mark, base_version)
        db.session.add(
            MarkRevision(
                mark_id=mark.id,
                idempotency_key=idempotency_key,
                old_value=old,
                new_value=entry,
                version=mark.version,
                by_user_id=judge.id,
                device=(device or "")[:200],
                ip=(ip or "")[:64],
            )
        )
        # A judge who changes a mark must sign the competitor's form off again.
        db.session.execute(
            delete(SignOff)
            .where(SignOff.competitor_id == competitor.id, SignOff.judge_id == judge.id)
            .execution_options(synchronize_session=False)
        )
        bump_version(skill.id)  # boards follow versions: every change they show counts one
        db.session.flush()
    except IntegrityError:
        if not commit:
            raise
        # A concurrent request wrote the same key or the same first mark: answer as it did.
        db.session.rollback()
        previous = db.session.scalar(select(MarkRevision).where(MarkRevision.idempotency_key == idempotency_key))
        if previous is not None:
            return _replay(previous, judge, competitor_id, aspect_id, value)
        mark = db.session.scalar(
            select(Mark).where(Mark.judge_id == judge.id, Mark.competitor_id == competitor_id, Mark.aspect_id == aspect_id)
        )
        raise _stale(mark, base_version) from None

    outcome = MarkOutcome(mark.id, entry, mark.version, False, competitor.code, aspect.id)
    if not commit:
        return outcome
    db.session.commit()
    if publish:
        from competition.services.publishing import nudge_marking, publish_skill

        publish_skill(skill)
        nudge_marking(competitor)
    return outcome
