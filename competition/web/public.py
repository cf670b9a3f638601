"""Pages anyone may see: the event home page with each skill's current standings, the medal table."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event
from competition.scoring.awards import LABELS, label
from competition.services.lookup import event_by_code
from competition.services.standings import event_medal_table, public_standings_payload

bp = Blueprint("public", __name__)


@bp.app_template_filter("award")
def award_label(code: str) -> str:
    """An award code (gold, first_prize, best_of_nation, merit…) in the page's language; a
    threshold level the scheme names itself is shown as named."""
    return _(label(code)) if code in LABELS else code


@bp.get("/")
def home():
    event = db.session.scalars(select(Event).where(Event.archived_at.is_(None)).order_by(Event.id.desc())).first()
    skills = [(skill, public_standings_payload(skill)) for skill in event.skills] if event else []
    return render_template("home.html", event=event, skills=skills)


@bp.get("/results/<event_code>/medals")
def medals(event_code: str):
    """The event's medal table per organisation, with medal points."""
    event = event_by_code(event_code)
    return render_template("results/medals.html", event=event, table=event_medal_table(event))
