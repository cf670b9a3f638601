"""The organiser's board actions — display modes and the reveal ceremony — and the board version.

Every change a board must follow bumps the skill's :class:`BoardState` version in the same
transaction as the change and announces :class:`~competition.services.effects.SkillChanged`,
which the real-time package sends to the boards after commit. Reading what boards show is
:mod:`competition.services.standings`.
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select, update

from competition.extensions import db
from competition.models import Skill, User
from competition.models.boards import BoardState
from competition.models.events import DISPLAY_MODES, REVEAL
from competition.models.marking import utcnow
from competition.services.access import shown_code
from competition.services.audit import audit
from competition.services.effects import SkillChanged, after_commit
from competition.services.errors import Conflict, Forbidden, ServiceError
from competition.services.live_standings import written
from competition.services.standings import skill_standings


class BoardError(ServiceError):
    """A board action that is refused."""


def _ensure_state(skill_id: int) -> None:
    """Create the skill's BoardState row if missing, safely when two processes race to do it."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - other databases: plain get-or-create
        if db.session.get(BoardState, skill_id) is None:
            db.session.add(BoardState(skill_id=skill_id, version=0, started_at=utcnow()))
            db.session.flush()
        return
    row = insert(BoardState).values(skill_id=skill_id, version=0, started_at=utcnow())
    db.session.execute(row.on_conflict_do_nothing(index_elements=["skill_id"]))


def skill_changed(skill: Skill) -> int:
    """Count one more change of the skill's boards, in the caller's transaction, and have the
    boards told after commit; returns the new version (a mark records it, see
    :mod:`competition.services.live_standings`). One UPDATE; the row is created only the first time."""
    bump = (update(BoardState).where(BoardState.skill_id == skill.id).values(version=BoardState.version + 1)
            .returning(BoardState.version))
    version = db.session.execute(bump, execution_options={"synchronize_session": False}).scalar_one_or_none()
    if version is None:
        _ensure_state(skill.id)
        version = db.session.execute(bump, execution_options={"synchronize_session": False}).scalar_one()
    written(skill.id)
    after_commit(SkillChanged(skill.id, skill.code, skill.event_id))
    return version


def _organiser(by: User, message) -> None:
    if not by.is_organiser:
        raise Forbidden("user", message, code="not_organiser")


def set_display_mode(skill: Skill, mode: str, *, by: User) -> None:
    """Choose what spectators see of ``skill``: live scores, embargoed, or a reveal ceremony."""
    _organiser(by, _l("only organisers choose what the boards show"))
    if mode not in DISPLAY_MODES:
        raise BoardError("mode", _l("must be one of %(choices)s, not %(given)r", choices=", ".join(DISPLAY_MODES), given=mode))
    if skill.display_mode == mode:  # choosing the mode the boards already show changes nothing (a running ceremony goes on)
        return
    skill.display_mode = mode
    _ensure_state(skill.id)
    # Entering (or leaving) the ceremony starts it again from the beginning: nothing revealed.
    db.session.execute(update(BoardState).where(BoardState.skill_id == skill.id).values(revealed=None))
    skill_changed(skill)
    db.session.flush()


REVEAL_ACTIONS = ("start", "next", "back", "reset")
ANY = object()  # ``seen`` for a step taken whatever the remote last saw (commands, tests)


class Step(NamedTuple):
    """What a press of the remote did: places revealed afterwards (None: not started), and
    whether it moved the ceremony (False: the ceremony was no longer where the remote saw it)."""

    revealed: int | None
    moved: bool


def ceremony_places(skill: Skill) -> int:
    """How many places a ceremony reveals: the complete competitors (ranked); a competitor
    still in marking has no place and is not revealed."""
    return sum(1 for standing in skill_standings(skill) if not standing.in_marking)


def revealed_places(skill: Skill) -> int | None:
    """How many places the ceremony has revealed (None: not started)."""
    return db.session.scalar(select(BoardState.revealed).where(BoardState.skill_id == skill.id))


def ceremony_in_progress(skill: Skill) -> bool:
    """Is a reveal ceremony under way? Then leaving reveal mode or resetting would take back what
    the hall has seen (or show everything at once): the remote asks for a second tap first."""
    return skill.display_mode == REVEAL and revealed_places(skill) is not None


def not_locked_yet(skill: Skill, by: User | None = None) -> list[str]:
    """The competitors whose marks are not locked yet, as ``by`` knows them (sorted). The same
    list as :func:`competition.services.results.not_locked`, which imports this module."""
    return sorted(shown_code(by, c) or "–" for c in skill.competitors if not c.locked)


def _may_start(skill: Skill, by: User, reason: str) -> None:
    """A ceremony reveals final places only: refused while any competitor's marks are not
    locked, unless an organiser overrides with a reason, which goes into the audit trail.
    Only organisers run the ceremony, so a chief expert never overrides: the lock is the
    chief expert's own statement that the marks are final."""
    waiting = not_locked_yet(skill, by)
    reason = " ".join((reason or "").split())
    if not waiting:
        audit("ceremony_started", by=by, skill=skill, detail=f"all {len(skill.competitors)} competitors locked")
        return
    if not reason:
        raise Conflict("skill", lazy_ngettext("%(num)s competitor is not locked yet: %(competitors)s.",
                                              "%(num)s competitors are not locked yet: %(competitors)s.",
                                              len(waiting), competitors=", ".join(waiting)),
                       code="competitors_not_locked", competitors=waiting)
    if len(reason) < 5:
        raise BoardError("reason", _l("give the reason for starting before every competitor is locked (at least 5 characters); "
                                      "it goes into the audit trail"), 422, code="reason_too_short")
    audit("ceremony_started_unlocked", by=by, skill=skill, reason=reason,
          detail=f"{len(waiting)} of {len(skill.competitors)} competitors not locked: {', '.join(waiting)}")


def ceremony_step(skill: Skill, action: str, *, by: User, seen: object = ANY, reason: str = "") -> Step:
    """One press of the remote: start (all places hidden), next place up, back one, or reset.

    ``seen`` is the number of places revealed (None: not started) that the remote showed when
    the press was made. A press made on a state the ceremony has left — a press sent again
    because its answer was lost, or one from a second remote — moves nothing, so a retried
    press never reveals a place twice. Starting is refused while competitors are not locked
    unless ``reason`` overrides (see :func:`_may_start`)."""
    _organiser(by, _l("only organisers run the reveal ceremony"))
    if skill.display_mode != REVEAL:
        raise Conflict("mode", _l("%(skill)s is not in reveal mode", skill=skill), code="not_in_reveal")
    if action not in REVEAL_ACTIONS:
        raise BoardError("action", _l("must be one of %(choices)s, not %(given)r", choices=", ".join(REVEAL_ACTIONS), given=action))
    _ensure_state(skill.id)
    state = db.session.scalars(select(BoardState).where(BoardState.skill_id == skill.id).with_for_update()).one()
    current = state.revealed
    if seen is not ANY and seen != current:
        return Step(current, False)
    if action == "start" and current is None:
        _may_start(skill, by, reason)
    total = ceremony_places(skill)
    if action == "reset":
        state.revealed = None
    elif action == "start":
        state.revealed = current or 0
    elif action == "next":
        state.revealed = min(total, (current or 0) + 1)
    else:
        state.revealed = max(0, (current or 0) - 1)
    if state.revealed == current:
        return Step(current, False)
    db.session.flush()
    skill_changed(skill)
    return Step(state.revealed, True)


def reveal_step(skill: Skill, action: str, *, by: User, reason: str = "") -> int | None:
    """A step whatever the remote saw; returns how many places are revealed afterwards (None: not started)."""
    return ceremony_step(skill, action, by=by, reason=reason).revealed
