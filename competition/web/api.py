"""The JSON API, version 1: public standings."""

from __future__ import annotations

from flask import Blueprint, jsonify

from competition.extensions import csrf
from competition.services.lookup import event_by_code, skill_in_event
from competition.services.standings import board_payload, event_medal_table, event_overview, public_standings_payload
from competition.web.auth import api_csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # replaced by api_csrf: session requests need X-CSRFToken, bearer-token requests do not
bp.before_request(api_csrf)


@bp.get("/events/<event_code>/skills/<skill_code>/standings")
def standings(event_code: str, skill_code: str):
    """Per competitor: code, name, organisation, criterion subtotals, total, rank, medal, awards, in_marking."""
    return jsonify(public_standings_payload(skill_in_event(event_code, skill_code)))


@bp.get("/events/<event_code>/medal-table")
def medal_table(event_code: str):
    """Medals, medal points and prizes per organisation over the skills whose results are public."""
    return jsonify(event_medal_table(event_by_code(event_code)))


@bp.get("/events/<event_code>/skills/<skill_code>/board")
def skill_board(event_code: str, skill_code: str):
    """A skill board's state, as its ``watch`` message answers it: what a board whose socket stays
    down polls until the socket is back."""
    return jsonify(board_payload(skill_in_event(event_code, skill_code)))


@bp.get("/events/<event_code>/board")
def overview_board(event_code: str):
    """The event overview board's state (every skill's summary), polled the same way."""
    return jsonify(event_overview(event_by_code(event_code)))
