"""Pages anyone may see: the event home page with each skill's current standings."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event
from competition.services.standings import public_standings_payload

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    event = db.session.scalars(select(Event).order_by(Event.id.desc())).first()
    skills = [(skill, public_standings_payload(skill)) for skill in event.skills] if event else []
    return render_template("home.html", event=event, skills=skills)
