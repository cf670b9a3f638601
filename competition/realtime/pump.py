"""Publishing a skill's state to its boards, after the change committed.

Full state each time, not deltas: a board that missed a message is whole again with the next.

A service that changes what boards show records a
:class:`~competition.services.effects.SkillChanged` announcement; once its transaction
committed, :func:`publish_skill` receives it and sends a *notice* (skill id, code, event; no
data) to every board server: in this process directly, or with ``REDIS_URL``
to all processes through the ``<channel>:boards`` Redis channel. Each board server runs one
*pump* per skill that boards connected to it are watching. The pump reads the committed state
and emits it to this process's ``skill:<id>`` and ``event:<id>`` rooms, then lets that
message go out to its boards before it reads again (plus a short minimum gap,
``BOARD_PUBLISH_INTERVAL``, default 10 ms). Notices that arrive meanwhile fold into the next
read, which carries every change committed before it and the newest version.

So the pace follows the load, where the load is: with a few boards every change goes out at
once; with a thousand boards and 50 marks a second, each message carries the marks committed
while the previous one was going out. The process that recorded a mark does not compute board
payloads, and a process with no boards watching a skill computes nothing for it.

Tests (``app.testing``) send the state at once, from the committing request, unless they set
``BOARD_PUBLISH_SYNC`` to False.
"""

from __future__ import annotations

import json
import logging
import threading
from functools import cache

from flask import Flask, current_app

from competition.extensions import db, socketio
from competition.models import Skill
from competition.realtime.rooms import event_room, has_local_clients, marking_room, publish, skill_room
from competition.services.effects import MarksChanged, SkillChanged
from competition.services.standings import board_payload, skill_summary

log = logging.getLogger(__name__)

DEFAULT_GAP = 0.01  # seconds between two messages of one skill from one board server, at least
IDLE_SECONDS = 30  # a pump with no notice for this long stops (the next notice starts another)

_lock = threading.Lock()
_pumps: dict[tuple[int, int], _Pump] = {}  # (id(app), skill id) -> its pump in this process
_listeners: dict[int, object] = {}  # id(app) -> set once subscribed to the notices


def publish_skill(change: SkillChanged) -> None:
    """After commit: the boards of a skill (and its event's overview) must show its new state."""
    app = current_app._get_current_object()
    if _sync(app):
        skill = db.session.get(Skill, change.skill_id)
        if skill is not None:
            _send(skill, local=False)
        return
    notice = {"skill": change.skill_id, "code": change.code, "event": change.event_id}
    url = app.config.get("REDIS_URL")
    if not url:
        changed(app, notice)
        return
    try:
        _redis(url).publish(_channel(app), json.dumps(notice))
    except Exception:  # the change is committed; boards catch up with the next one or their refresh
        log.exception("could not tell the board servers that %s changed", change.code)


def nudge_marking(change: MarksChanged) -> None:
    """Tell the skill's open marking forms that this competitor's marks or flags changed.

    Carries the competitor's id only, never a score: a form re-reads what its judge may see.
    """
    publish(marking_room(change.skill_id), "marks_changed", {"competitor_id": change.competitor_id})


def changed(app: Flask, notice: dict) -> None:
    """A skill's committed state changed: wake its pump here, if boards here watch it."""
    if not (has_local_clients(skill_room(notice["skill"])) or has_local_clients(event_room(notice["event"]))):
        return
    key = (id(app), notice["skill"])
    with _lock:  # woken under the lock, so a pump cannot stop between being found and woken
        pump = _pumps.get(key)
        if pump is None:
            pump = _pumps[key] = _Pump(app, notice["skill"], key)
            socketio.start_background_task(pump.run)
        pump.wake.set()


class _Pump:
    """Sends one skill's state to this process's boards whenever it changed, one message at a time."""

    def __init__(self, app: Flask, skill_id: int, key: tuple[int, int]):
        self.app, self.skill_id, self.key = app, skill_id, key
        self.wake = socketio.server.eio.create_event()  # of the server's async mode (thread or greenlet)

    def run(self) -> None:
        gap = self.app.config.get("BOARD_PUBLISH_INTERVAL")
        gap = DEFAULT_GAP if gap is None else gap
        while True:
            if not self.wake.wait(IDLE_SECONDS):
                with _lock:
                    if not self.wake.is_set():
                        del _pumps[self.key]
                        return
                continue
            self.wake.clear()  # before reading: a change committed after this wakes us again
            try:
                with self.app.app_context():
                    skill = db.session.get(Skill, self.skill_id)
                    if skill is not None:
                        _send(skill, local=True)
            except Exception:
                log.exception("could not publish skill %s to its boards", self.skill_id)
            # Let the message go out to every board before reading again: under gevent each
            # board's writer was woken by the emit and runs before this greenlet resumes.
            socketio.sleep(0)
            if gap > 0:
                socketio.sleep(gap)


def listen_for_changes(app: Flask) -> None:
    """Called when a board starts watching here. With Redis, follow every process's notices
    from now on; returns once subscribed (so the watcher's first read misses nothing)."""
    url = app.config.get("REDIS_URL")
    if not url or _sync(app):
        return
    with _lock:
        subscribed = _listeners.get(id(app))
        if subscribed is None:
            subscribed = _listeners[id(app)] = socketio.server.eio.create_event()
            socketio.start_background_task(_listen, app, url, subscribed)
    subscribed.wait(5)


def _listen(app: Flask, url: str, subscribed) -> None:
    while True:
        try:
            pubsub = _redis(url).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(_channel(app))
            if subscribed.is_set():  # subscribed again after a failure: notices may have been missed
                _wake_all(app)
            subscribed.set()
            for message in pubsub.listen():
                try:
                    notice = json.loads(message["data"])
                    changed(app, {"skill": int(notice["skill"]), "code": str(notice["code"]), "event": int(notice["event"])})
                except (ValueError, KeyError, TypeError):
                    log.warning("ignoring a malformed board notice: %r", message.get("data"))
        except Exception:
            log.exception("lost the board notices channel; subscribing again in 1 s")
            socketio.sleep(1)


def _wake_all(app: Flask) -> None:
    with _lock:
        for (app_id, _), pump in _pumps.items():
            if app_id == id(app):
                pump.wake.set()


@cache
def _redis(url: str):
    """One client (and connection pool) per Redis URL for the process."""
    import redis

    return redis.Redis.from_url(url)


def _sync(app: Flask) -> bool:
    """Send from the committing request, without notices or pumps (tests, unless they say otherwise)."""
    return app.config.get("BOARD_PUBLISH_SYNC", app.testing)


def _channel(app: Flask) -> str:
    return f"{app.config.get('SOCKETIO_CHANNEL', 'podium')}:boards"


def _send(skill: Skill, *, local: bool) -> None:
    """Emit the skill's public state to its board room and its summary to the event's overview.
    ``local``: to this process's boards only (each board server sends to its own)."""
    payload = board_payload(skill)
    publish(skill_room(skill.id), "standings", payload, local=local)
    publish(event_room(skill.event_id), "overview", skill_summary(payload), local=local)
