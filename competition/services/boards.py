"""What boards show: versioned payloads, the event overview, display modes and the reveal ceremony.

Every change a board must follow bumps the skill's :class:`BoardState` version in the same
transaction as the change. Payloads read the version *before* the standings, so the data in a
message is always at least as new as its version: a board that keeps the highest version it
has seen never goes back to older data and never skips newer data.
"""

from __future__ import annotations

from sqlalchemy import select, update

from competition.extensions import db
from competition.models import Event, Skill, User
from competition.models.boards import BoardState
from competition.models.events import DISPLAY_MODES, LIVE, REVEAL

LEADERS = 10  # rows of each skill in the overview's payload


class BoardError(Exception):
    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


def _ensure_state(skill_id: int) -> None:
    """Create the skill's BoardState row if missing, safely when two processes race to do it."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - other databases: plain get-or-create
        if db.session.get(BoardState, skill_id) is None:
            db.session.add(BoardState(skill_id=skill_id, version=0))
            db.session.flush()
        return
    db.session.execute(insert(BoardState).values(skill_id=skill_id, version=0).on_conflict_do_nothing(index_elements=["skill_id"]))


def bump_version(skill_id: int) -> None:
    """Count one more change of the skill's boards, in the caller's transaction (not committed here).

    One UPDATE for every mark; the row is created only the first time (then updated)."""
    bump = update(BoardState).where(BoardState.skill_id == skill_id).values(version=BoardState.version + 1)
    if db.session.execute(bump, execution_options={"synchronize_session": False}).rowcount == 0:
        _ensure_state(skill_id)
        db.session.execute(bump, execution_options={"synchronize_session": False})


def current_version(skill_id: int) -> int:
    return db.session.scalar(select(BoardState.version).where(BoardState.skill_id == skill_id)) or 0


def _revealed(skill_id: int) -> int | None:
    return db.session.scalar(select(BoardState.revealed).where(BoardState.skill_id == skill_id))


def reveal_view(skill: Skill, payload: dict) -> dict:
    """Under the reveal ceremony, only the places revealed so far (counted from last place up)."""
    rows = payload["standings"]
    total = len(rows)
    revealed = _revealed(skill.id)
    shown = 0 if revealed is None else min(revealed, total)
    payload["standings"] = rows[total - shown :] if shown else []
    payload["reveal"] = {"started": revealed is not None, "revealed": shown, "hidden": total - shown, "done": total > 0 and shown == total}
    return payload


def board_payload(skill: Skill) -> dict:
    """A skill's public standings with its board version and overall marking progress."""
    from competition.services.results import public_standings_payload, standings_payload

    version = current_version(skill.id)  # first: what is read next is at least this new
    full = standings_payload(skill)
    rows = full["standings"]  # every competitor, also the places a ceremony still hides
    # Share of all aspects marked over the skill's competitors: never a score, so always public.
    progress = round(sum(r["progress"] for r in rows) / len(rows), 3) if rows else 0.0
    payload = public_standings_payload(skill, full)
    payload["version"] = version
    payload["event"] = skill.event.code
    payload["progress"] = progress
    return payload


def skill_summary(payload: dict) -> dict:
    """One skill on the overview board: progress, and its leaders when they may be shown."""
    leaders: list[dict] = []
    if payload["mode"] == LIVE or (payload["mode"] == REVEAL and payload["reveal"]["done"]):
        keep = ("code", "name", "organisation", "total", "rank", "medal")
        leaders = [{k: r[k] for k in keep} for r in payload["standings"][:LEADERS]]
    return {
        "skill": payload["skill"],
        "name": payload["name"],
        "mode": payload["mode"],
        "provisional": payload["provisional"],
        "version": payload["version"],
        "progress": payload["progress"],
        "competitors": len(payload["standings"]) + (payload["reveal"]["hidden"] if payload["mode"] == REVEAL else 0),
        "max": payload["max"],
        "leaders": leaders,
    }


def event_overview(event: Event) -> dict:
    skills = [skill_summary(board_payload(skill)) for skill in event.skills]
    return {"event": event.code, "name": event.name, "place": event.place, "skills": skills}


def event_by_code(code: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.code == code))


# Organiser actions. Each one commits, then publishes (after commit, like every write).


def set_display_mode(skill: Skill, mode: str, *, by: User) -> None:
    """Choose what spectators see of ``skill``: live scores, embargoed, or a reveal ceremony."""
    if not by.is_organiser:
        raise BoardError("user", "only organisers choose what the boards show", 403)
    if mode not in DISPLAY_MODES:
        raise BoardError("mode", f"must be one of {', '.join(DISPLAY_MODES)}")
    skill.display_mode = mode
    _ensure_state(skill.id)
    # Entering (or leaving) the ceremony starts it again from the beginning: nothing revealed.
    db.session.execute(update(BoardState).where(BoardState.skill_id == skill.id).values(revealed=None))
    bump_version(skill.id)
    _commit_and_publish(skill)


REVEAL_ACTIONS = ("start", "next", "back", "reset")


def reveal_step(skill: Skill, action: str, *, by: User) -> int | None:
    """Move the reveal ceremony: start (all places hidden), next place up, back one, or reset.

    Returns how many places are revealed afterwards (None: not started)."""
    if not by.is_organiser:
        raise BoardError("user", "only organisers run the reveal ceremony", 403)
    if skill.display_mode != REVEAL:
        raise BoardError("mode", f"{skill.name} is not in reveal mode", 409)
    if action not in REVEAL_ACTIONS:
        raise BoardError("action", f"must be one of {', '.join(REVEAL_ACTIONS)}")
    _ensure_state(skill.id)
    state = db.session.scalars(select(BoardState).where(BoardState.skill_id == skill.id).with_for_update()).one()
    total = len(skill.competitors)
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
    bump_version(skill.id)
    _commit_and_publish(skill)
    return revealed


def _commit_and_publish(skill: Skill) -> None:
    from competition.services.publishing import publish_skill

    db.session.commit()
    publish_skill(skill)

