"""The JSON API, version 1: public standings."""

from __future__ import annotations

from flask import Blueprint, jsonify

from competition.extensions import csrf
from competition.services.lookup import skill_in_event
from competition.services.standings import public_standings_payload
from competition.web.auth import api_csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # replaced by api_csrf: session requests need X-CSRFToken, bearer-token requests do not
bp.before_request(api_csrf)


@bp.get("/events/<event_code>/skills/<skill_code>/standings")
def standings(event_code: str, skill_code: str):
    """Per competitor: code, name, organisation, criterion subtotals, total, rank, medal."""
    return jsonify(public_standings_payload(skill_in_event(event_code, skill_code)))
