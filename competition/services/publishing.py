"""Publishing a skill's state to its boards. Called by services after they committed.

Full state each time, not deltas: a board that missed a message is whole again with the next.
Publishes of one skill are coalesced: at most one per ``BOARD_PUBLISH_INTERVAL`` seconds (the
first at once, the rest folded into one that is sent when the interval ends). A board cannot
show 50 repaints a second anyway, and 1,000 boards x 50 marks/s would be 50,000 messages a
second; coalesced it is 1,000 x 1/interval. Nothing is lost: the deferred publish reads the
state when it is sent, so it carries every mark committed before it (and the newest version).
"""

from __future__ import annotations

import threading
import time

from flask import current_app

from competition.extensions import db, socketio
from competition.models import Skill
from competition.realtime import event_room, marking_room, publish, skill_room
from competition.services.boards import board_payload, skill_summary

DEFAULT_INTERVAL = 0.1  # seconds; tests (app.testing) publish every change at once unless they set it

_lock = threading.Lock()
_last_sent: dict[int, float] = {}
_due: set[int] = set()


def publish_skill(skill: Skill) -> None:
    """Send the skill's full public state (with its version) to its board and its event's overview."""
    app = current_app._get_current_object()
    interval = app.config.get("BOARD_PUBLISH_INTERVAL")
    if interval is None:
        interval = 0 if app.testing else DEFAULT_INTERVAL
    if interval <= 0:
        _send(skill)
        return
    now = time.monotonic()
    with _lock:
        if skill.id in _due:
            return  # a publish is already due: it will carry this change too
        wait = _last_sent.get(skill.id, 0.0) + interval - now
        if wait > 0:
            _due.add(skill.id)
        else:
            _last_sent[skill.id] = now
    if wait > 0:
        socketio.start_background_task(_send_later, app, skill.id, wait)
    else:
        _send(skill)


def _send_later(app, skill_id: int, wait: float) -> None:
    socketio.sleep(wait)
    with app.app_context():
        with _lock:  # first no longer due, then read: a change committed after this publishes itself
            _due.discard(skill_id)
            _last_sent[skill_id] = time.monotonic()
        skill = db.session.get(Skill, skill_id)
        if skill is not None:
            _send(skill)


def _send(skill: Skill) -> None:
    payload = board_payload(skill)
    publish(skill_room(skill.code), "standings", payload)
    publish(event_room(skill.event_id), "overview", skill_summary(payload))


def nudge_marking(competitor) -> None:
    """Tell the skill's open marking forms that this competitor's marks or flags changed.

    Carries the competitor's id only, never a score: a form re-reads what its judge may see.
    """
    publish(marking_room(competitor.skill.code), "marks_changed", {"competitor_id": competitor.id})
