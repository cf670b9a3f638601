"""The organiser's board actions — display modes and the reveal ceremony — and the board version.

Every change a board must follow bumps the skill's :class:`BoardState` version in the same
transaction as the change and announces :class:`~competition.services.effects.SkillChanged`,
which the real-time package sends to the boards after commit. Reading what boards show is
:mod:`competition.services.standings`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from competition.extensions import db
from competition.models import Skill, User
from competition.models.boards import BoardState
from competition.models.events import DISPLAY_MODES, REVEAL
from competition.models.marking import utcnow
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
    skill.display_mode = mode
    _ensure_state(skill.id)
    # Entering (or leaving) the ceremony starts it again from the beginning: nothing revealed.
    db.session.execute(update(BoardState).where(BoardState.skill_id == skill.id).values(revealed=None))
    skill_changed(skill)
    db.session.flush()


REVEAL_ACTIONS = ("start", "next", "back", "reset")


def ceremony_places(skill: Skill) -> int:
    """How many places a ceremony reveals: the complete competitors (ranked); a competitor
    still in marking has no place and is not revealed."""
    return sum(1 for standing in skill_standings(skill) if not standing.in_marking)


def reveal_step(skill: Skill, action: str, *, by: User) -> int | None:
    """Move the reveal ceremony: start (all places hidden), next place up, back one, or reset.

    Returns how many places are revealed afterwards (None: not started)."""
    _organiser(by, _l("only organisers run the reveal ceremony"))
    if skill.display_mode != REVEAL:
        raise Conflict("mode", _l("%(skill)s is not in reveal mode", skill=skill), code="not_in_reveal")
    if action not in REVEAL_ACTIONS:
        raise BoardError("action", _l("must be one of %(choices)s, not %(given)r", choices=", ".join(REVEAL_ACTIONS), given=action))
    _ensure_state(skill.id)
    state = db.session.scalars(select(BoardState).where(BoardState.skill_id == skill.id).with_for_update()).one()
    total = ceremony_places(skill)
    if action == "reset":
        state.revealed = None
    elif action == "start":
        state.revealed = state.revealed or 0
    elif action == "next":
        state.revealed = min(total, (state.revealed or 0) + 1)
    else:
        state.revealed = max(0, (state.revealed or 0) - 1)
    revealed = state.revealed
    db.session.flush()
    skill_changed(skill)
    return revealed
