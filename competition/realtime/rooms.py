"""Room names and the emit helpers. Emit only what a committed transaction holds."""

from __future__ import annotations

from competition.extensions import socketio


def skill_room(skill_id: int) -> str:
    return f"skill:{skill_id}"


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def marking_room(skill_id: int) -> str:
    return f"marking:{skill_id}"


def publish(room: str, event: str, payload: dict, *, local: bool = False) -> None:
    """Emit ``payload`` to everyone in ``room``.

    ``local``: only to this process's clients, not through the message queue to the others."""
    if local:
        socketio.emit(event, payload, to=room, ignore_queue=True)
    else:
        socketio.emit(event, payload, to=room)


def has_local_clients(room: str) -> bool:
    """Whether a client connected to this process is in ``room``."""
    try:
        return next(iter(socketio.server.manager.get_participants("/", room)), None) is not None
    except KeyError:  # no such room (or no client at all) here
        return False
