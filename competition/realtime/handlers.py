"""Socket.IO handlers: boards follow a skill or an event; marking forms follow a skill's marking."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room

from competition.extensions import socketio
from competition.realtime.pump import listen_for_changes
from competition.realtime.rooms import event_room, marking_room, skill_room
from competition.services.access import may_review
from competition.services.errors import ServiceError
from competition.services.lookup import event_by_code, skill_in_event
from competition.services.standings import board_payload, event_overview


def register() -> None:
    """Attach the handlers to the current Socket.IO server. Called by the factory for every app:
    each ``init_app`` makes a new server, and a decorator would only reach the first one."""
    socketio.on_event("watch", watch)
    socketio.on_event("follow_marking", follow_marking)


def _fields(data: object) -> dict:
    return data if isinstance(data, dict) else {}


def follow_marking(data):
    """A judge's form or the chief expert's page (the chief expert's or an organiser's) follows the
    marking of a skill ({"event", "skill"}). The nudges carry a competitor id only, never a score."""
    if not current_user.is_authenticated:
        return {"error": {"field": "authorization", "message": "sign in first", "code": "unauthenticated"}}
    data = _fields(data)
    try:
        skill = skill_in_event(str(data.get("event", "")), str(data.get("skill", "")))
    except ServiceError as err:
        return {"error": err.as_json()}
    if current_user.role_in(skill.id) is None and not may_review(current_user, skill):  # organisers read the chief's pages
        return {"error": {"field": "skill", "message": "you do not judge this skill", "code": "not_assigned"}}
    join_room(marking_room(skill.id))
    return {"ok": True}


def watch(data):
    """A board follows a skill ({"event", "skill"}) or an event's overview ({"event"}).

    It joins the room first and reads the state second, so nothing published in between is
    lost: the reply is the full current state, and later messages are at least as new. With
    Redis, this process follows the other processes' change notices before the state is read.
    """
    data = _fields(data)
    if not data.get("event"):
        return {"error": {"field": "event", "message": "say which event (and skill) to watch", "code": "invalid"}}
    try:
        event = event_by_code(str(data["event"]))
        skill = skill_in_event(event, str(data["skill"])) if data.get("skill") else None
    except ServiceError as err:
        return {"error": err.as_json()}
    join_room(event_room(event.id) if skill is None else skill_room(skill.id))
    listen_for_changes(current_app._get_current_object())
    return event_overview(event) if skill is None else board_payload(skill)
