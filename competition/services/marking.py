"""The one write path for marks: validate, write, audit, and announce the change after commit.

Every mark — from the tablet form, the JSON API, the offline queue, an import, the demo —
goes through :func:`record_mark`. It flushes and never commits: the request (or CLI command)
commits once, and the boards and open marking forms are told only after that commit.

It first holds the competitor's row (:func:`~competition.services.locking.hold_competitor`),
so a mark and a sign-off that locks the competitor never interleave, and identical requests
sent at once are answered one after the other. Then, before anything is written:

1. idempotency: a key already recorded answers with that revision's value and version and
   writes nothing (a key reused for a different mark is refused, 409);
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

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from competition.extensions import db
from competition.models import Competitor, Mark, MarkRevision, SignOff, Skill, User
from competition.models.marking import utcnow
from competition.scoring.entries import EntryError, entry_text, parse_entry
from competition.scoring.i18n import Message
from competition.services.access import conflicted, may_mark_skill, shown_code
from competition.services.boards import skill_changed
from competition.services.effects import MarksChanged, after_commit
from competition.services.errors import ServiceError
from competition.services.locking import hold_competitor
from competition.services.lookup import MAX_ID, shown, valid_id
from competition.services.windows import closed_reason


class MarkingError(ServiceError):
    """A mark that cannot be recorded. ``current`` (in ``extra``) holds the stored mark on a
    conflict; ``retry`` says whether the same mark may succeed later unchanged (a closed window)."""

    @property
    def current(self) -> dict | None:
        return self.extra.get("current")


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
        raise MarkingError("idempotency_key", _l("already used by another judge"), 409, code="key_reused")
    same_value = True
    try:
        same_value = Decimal(str(value).strip()) == previous.new_value
    except Exception:  # noqa: BLE001 - any unparsable value differs from the stored one
        same_value = False
    if mark.competitor_id != competitor_id or mark.aspect_id != aspect_id or not same_value:
        raise MarkingError("idempotency_key", _l("already used for a different mark; send a new key"), 409, code="key_reused")
    return MarkOutcome(mark.id, previous.new_value, previous.version, True, mark.competitor.code, mark.aspect_id)


def _competitor(competitor_id: object) -> Competitor:
    competitor = db.session.get(Competitor, competitor_id) if valid_id(competitor_id) else None
    if competitor is None:
        raise MarkingError("competitor", _l("no competitor with id %(id)s", id=shown(competitor_id)), 404, code="unknown_competitor")
    return competitor


def _check(judge: User, competitor: Competitor, aspect_id: str, value: object):
    skill: Skill = competitor.skill
    if not may_mark_skill(judge, skill):
        raise MarkingError("skill", _l("you are not assigned to judge %(skill)s", skill=skill), 403, code="not_assigned")
    if conflicted(judge, competitor):
        raise MarkingError(
            "competitor",
            _l("conflict of interest: %(competitor)s is from your own organisation, and %(skill)s does not allow compatriot marking",
               competitor=shown_code(judge, competitor), skill=skill),
            403,
            code="conflict_of_interest",
        )
    try:
        aspect = skill.scheme.aspect(aspect_id)
    except KeyError:
        raise MarkingError("aspect", _l("no aspect %(aspect)s in the scheme of %(skill)s", aspect=repr(aspect_id), skill=skill), 404,
                          code="unknown_aspect") from None
    reason = closed_reason(skill, aspect)
    if reason:
        raise MarkingError("marking", _l("%(reason)s; the mark was not recorded and stays waiting to send", reason=reason), 423,
                           code="marking_closed",
                           retry=True)
    if competitor.locked:
        raise MarkingError("competitor", _l("%(competitor)s is signed off and locked; only the chief expert can unlock it",
                                              competitor=shown_code(judge, competitor)), 409,
                           code="locked")
    try:
        entry = parse_entry(aspect, value)
    except EntryError as err:
        raise MarkingError(err.field, _translated(err.message), 422, code="invalid_value") from None
    return skill, aspect, entry


def _translated(message: str) -> object:
    """A message of the scoring core, to be read in the request's language (see :class:`Message`)."""
    if isinstance(message, Message):
        return _l(message.template, **message.params)
    return message


def _stale(mark: Mark, base_version: int | None) -> MarkingError:
    return MarkingError(
        "base_version",
        _l("this mark was changed meanwhile (now %(value)s, version %(version)s); your entry based on version %(base)s was not recorded",
           value=_current(mark)["value"], version=mark.version, base=base_version or 0),
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
) -> MarkOutcome:
    """Record ``judge``'s entry for one aspect of one competitor (see the module's rules).

    ``judge`` is the acting person; ``device`` and ``ip`` go into the revision. Raises
    :class:`MarkingError` having written nothing. The caller commits.
    """
    if not isinstance(idempotency_key, str) or not 1 <= len(idempotency_key) <= 80:
        raise MarkingError("idempotency_key", _l("required: a client-generated string of at most 80 characters (a UUID)"),
                           code="invalid_key")
    if base_version is not None and (isinstance(base_version, bool) or not isinstance(base_version, int)
                                     or not 0 <= base_version <= MAX_ID):
        raise MarkingError("base_version", _l("must be a whole number ≥ 0 (0: no mark yet)"), code="invalid_value")
    competitor = _competitor(competitor_id)
    hold_competitor(competitor)  # from here on, no sign-off, lock or same-key request of this competitor runs beside us
    previous = db.session.scalar(select(MarkRevision).where(MarkRevision.idempotency_key == idempotency_key))
    if previous is not None:
        return _replay(previous, judge, competitor.id, aspect_id, value)

    skill, aspect, entry = _check(judge, competitor, aspect_id, value)
    mark = db.session.scalar(
        select(Mark).where(Mark.judge_id == judge.id, Mark.competitor_id == competitor.id, Mark.aspect_id == aspect.id)
    )
    if (mark.version if mark else 0) != (base_version or 0):
        if mark is None:
            raise MarkingError("base_version", _l("there is no mark yet (version 0), not version %(base)s", base=base_version), 409,
                               code="stale",
                               current={"value": None, "version": 0})
        raise _stale(mark, base_version)

    old = mark.value if mark is not None else None
    # Boards follow versions: every change they show counts one. The mark records the version
    # it made, so that processes holding the skill's standings read only what changed since.
    board_version = skill_changed(skill)
    try:
        if mark is None:
            mark = Mark(skill_id=skill.id, competitor_id=competitor.id, judge_id=judge.id, aspect_id=aspect.id, value=entry, version=1,
                        board_version=board_version)
            db.session.add(mark)
        else:
            mark.value, mark.version, mark.updated_at, mark.board_version = entry, mark.version + 1, utcnow(), board_version
        db.session.add(
            MarkRevision(mark=mark, idempotency_key=idempotency_key, old_value=old, new_value=entry, version=mark.version,
                         by_user_id=judge.id, device=(device or "")[:200], ip=(ip or "")[:64])
        )
        db.session.flush()
    except IntegrityError:
        # Only a key sent at this very moment for another competitor's mark gets here (requests for
        # one competitor run one after the other). The transaction is spoilt: the caller rolls back.
        raise MarkingError("idempotency_key", _l("was used at the same moment by another request; send the mark again"), 409,
                           code="key_reused", retry=True) from None

    # A judge who changes a mark must sign the competitor's form off again.
    db.session.execute(
        delete(SignOff).where(SignOff.competitor_id == competitor.id, SignOff.judge_id == judge.id)
        .execution_options(synchronize_session=False)
    )
    after_commit(MarksChanged(skill.id, competitor.id))
    return MarkOutcome(mark.id, entry, mark.version, False, competitor.code, aspect.id)
