"""Socket.IO rooms and the one publish() helper the services use, after commit only.

Rooms: ``skill:<code>`` (a skill's board: full public standings, event "standings") and
``event:<id>`` (the event overview: one skill's summary per message, event "overview").
Every message carries the skill's board version; a board keeps the highest it has seen.
On (re)connect a board emits ``watch`` and gets the full current state as the reply.

``marking:<code>`` is for the skill's judges and chief expert only (joined with
``follow_marking``, checked against the signed-in user): it carries ``marks_changed`` nudges,
``{"competitor_id": id}`` and nothing else, on which an open marking form re-reads its state
(flags, the other device's changes) through the authorised API at once.
"""

from __future__ import annotations

from flask_socketio import join_room

from competition.extensions import socketio


def skill_room(skill_code: str) -> str:
    return f"skill:{skill_code}"


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def marking_room(skill_code: str) -> str:
    return f"marking:{skill_code}"


def publish(room: str, event: str, payload: dict, *, local: bool = False) -> None:
    """Emit ``payload`` to everyone in ``room``. Call only after the transaction committed.

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


def register_handlers() -> None:
    """Attach the handlers to the current Socket.IO server. Called by the factory for every app:
    each ``init_app`` makes a new server, and a decorator would only reach the first one."""
    socketio.on_event("watch", watch)
    socketio.on_event("follow_marking", follow_marking)


def follow_marking(data):
    """A judge's form or the chief expert's page follows the marking of a skill ({"skill"})."""
    from flask_login import current_user

    from competition.services.results import skill_by_code

    if not current_user.is_authenticated:
        return {"error": "sign in first"}
    skill = skill_by_code(str((data or {}).get("skill", "") if isinstance(data, dict) else ""))
    if skill is None or current_user.role_in(skill.id) is None:
        return {"error": "you do not judge this skill"}
    join_room(marking_room(skill.code))
    return {"ok": True}


def watch(data):
    """A board follows a skill ({"skill", "event"?}) or an event's overview ({"event"}).

    It joins the room first and reads the state second, so nothing published in between is
    lost: the reply is the full current state, and later messages are at least as new. With
    Redis, this process follows the other processes' change notices before the state is read.
    """
    from flask import current_app

    from competition.services.boards import board_payload, event_by_code, event_overview
    from competition.services.publishing import listen_for_changes
    from competition.services.results import skill_by_code

    data = data if isinstance(data, dict) else {}
    event = None
    if data.get("event"):
        event = event_by_code(str(data["event"]))
        if event is None:
            return {"error": f"unknown event {data['event']!r}"}
    if not data.get("skill"):
        if event is None:
            return {"error": "say which skill or event to watch"}
        join_room(event_room(event.id))
        listen_for_changes(current_app._get_current_object())
        return event_overview(event)
    code = str(data["skill"])
    skill = skill_by_code(code, event)
    if skill is None:
        return {"error": f"unknown skill {code!r}"}
    join_room(skill_room(skill.code))
    listen_for_changes(current_app._get_current_object())
    return board_payload(skill)
