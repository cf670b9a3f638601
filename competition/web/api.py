"""The JSON API, version 1."""

from __future__ import annotations

from flask import Blueprint, jsonify

from competition.extensions import csrf
from competition.services.results import public_standings_payload, skill_by_code
from competition.web.auth import api_csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # replaced by api_csrf: session requests need X-CSRFToken, bearer-token requests do not
bp.before_request(api_csrf)


def error(field: str, message: str, status: int):
    return jsonify(error={"field": field, "message": message}), status


@bp.get("/skills/<skill_code>/standings")
def standings(skill_code: str):
    """Per competitor: code, name, organisation, criterion subtotals, total, rank, medal."""
    skill = skill_by_code(skill_code)
    if skill is None:
        return error("skill_code", f"no skill {skill_code!r}", 404)
    return jsonify(public_standings_payload(skill))
