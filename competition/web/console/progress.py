"""Marking progress (/console/events/<code>/progress): per skill and per judge, live."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_babel import format_timedelta

from competition.models.marking import utcnow
from competition.services.lookup import event_by_code
from competition.services.progress import IDLE_AFTER, as_json, event_progress
from competition.web.console import bp


@bp.get("/events/<event_code>/progress")
def progress_page(event_code: str):
    event = event_by_code(event_code)
    now = utcnow()
    return render_template("console/progress.html", event=event, skills=event_progress(event, now=now), now=now,
                           idle_minutes=int(IDLE_AFTER.total_seconds() // 60),
                           ago=lambda moment: format_timedelta(moment - now, add_direction=True))


@bp.get("/events/<event_code>/progress.json")
def progress_json(event_code: str):
    event = event_by_code(event_code)
    return jsonify(as_json(event_progress(event)))
