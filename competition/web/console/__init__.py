"""The organiser console (/console): set up an event, import people, assign and draw, watch
progress, lock and publish results, export, back up. Organisers only.

One module per area, each adding its views to the one ``bp`` (``from competition.web.console
import bp``); ``AREAS`` lists the modules so registering the blueprint loads them all.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template
from flask_login import current_user, login_required

bp = Blueprint("console", __name__, url_prefix="/console")

# The console's modules, each imported for the views it adds to ``bp``.
AREAS: list[str] = ["progress", "jobs", "setup", "people", "imports", "draw", "exports", "backup"]


@bp.before_request
@login_required
def organisers_only():
    if not current_user.is_organiser:
        abort(403)


@bp.get("/")
def index():
    from flask import request
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import Event

    archived = request.args.get("archived") == "1"  # archived events leave the main list, and stay readable here
    shown = Event.archived_at.is_not(None) if archived else Event.archived_at.is_(None)
    events = db.session.scalars(select(Event).where(shown).order_by(Event.starts_on.desc(), Event.code)).all()
    return render_template("console/index.html", events=events, archived=archived)


def register(app: Flask) -> None:
    from importlib import import_module

    for area in AREAS:
        import_module(f"competition.web.console.{area}")
    app.register_blueprint(bp)
