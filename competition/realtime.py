"""Socket.IO rooms and the one publish() helper the services use, after commit only."""

from __future__ import annotations

from flask_socketio import join_room

from competition.extensions import socketio


def skill_room(skill_code: str) -> str:
    return f"skill:{skill_code}"


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def publish(room: str, event: str, payload: dict) -> None:
    """Emit ``payload`` to everyone in ``room``. Call only after the transaction committed."""
    socketio.emit(event, payload, to=room)


@socketio.on("watch")
def watch(data):
    """A board asks to follow a skill: join its room and receive the current standings."""
    from competition.services.results import public_standings_payload, skill_by_code

    code = (data or {}).get("skill", "")
    skill = skill_by_code(code)
    if skill is None:
        return {"error": f"unknown skill {code!r}"}
    join_room(skill_room(skill.code))
    return public_standings_payload(skill)
