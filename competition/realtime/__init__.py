"""Real time: Socket.IO rooms and handlers, and the pumps that send committed state to boards.

Rooms are named by ids, so two events that use the same skill code never share one:
``skill:<skill id>`` (a skill's board: full public standings, event ``standings``),
``event:<event id>`` (the event overview: one skill's summary per message, event
``overview``) and ``marking:<skill id>`` (the skill's judges and chief expert only:
``marks_changed`` nudges, ``{"competitor_id": id}`` and nothing else).

This package sits above the services: it reads state through them and subscribes to the
announcements they record (:mod:`competition.services.effects`), which are delivered only
after the transaction that recorded them committed. Services never import it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Attach the Socket.IO handlers to the app's server and subscribe the publishers."""
    from competition.realtime import handlers, pump
    from competition.services.effects import MarksChanged, SkillChanged, subscribe

    handlers.register()
    subscribe(SkillChanged, pump.publish_skill)
    subscribe(MarksChanged, pump.nudge_marking)
