"""The judging JSON API (version 1): marks, the judge's view of a form, presence, sign-off.

Authentication: the session cookie plus ``X-CSRFToken``, or ``Authorization: Bearer``.
Errors are ``{"error": {"field", "message", "code", "retry"}}`` with a 4xx status; on a
stale write ``error.current`` holds the stored value and version. Competitors appear by
code (and name only where the caller may see names).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from competition.extensions import csrf, db
from competition.models import Competitor
from competition.services.access import conflicted, may_mark_skill, shows_names
from competition.services.judging import JudgingError, competitor_sheet, heartbeat, judge_view, sign_off, sign_off_problems
from competition.services.marking import MarkingError, record_mark
from competition.services.results import skill_by_code
from competition.web.auth import api_csrf

bp = Blueprint("marks_api", __name__)
csrf.exempt(bp)  # checked by api_csrf: session requests need the token, bearer requests do not


def error(field: str, message: str, status: int, code: str = "invalid", **extra):
    return jsonify(error={"field": field, "message": message, "code": code, "retry": False, **extra}), status


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return error("authorization", "sign in, or send Authorization: Bearer <token>", 401, "unauthenticated", retry=True)
    return None


bp.before_request(api_csrf)  # after signed_in: an anonymous request is told to sign in first


def _competitor(data: dict) -> Competitor | tuple:
    """The competitor named by ``competitor_id``, or by ``skill`` + ``competitor`` codes."""
    if "competitor_id" in data:
        cid = data["competitor_id"]
        competitor = db.session.get(Competitor, cid) if isinstance(cid, int) and not isinstance(cid, bool) else None
        if competitor is None:
            return error("competitor_id", f"no competitor with id {cid!r}", 404, "unknown_competitor")
        return competitor
    skill = skill_by_code(str(data.get("skill", "")))
    if skill is None:
        return error("skill", f"no skill {data.get('skill')!r}; send competitor_id, or skill and competitor codes", 404, "unknown_skill")
    code = str(data.get("competitor", ""))
    competitor = db.session.scalar(select(Competitor).where(Competitor.skill_id == skill.id, Competitor.code == code))
    if competitor is None:
        return error("competitor", f"no competitor {code!r} in {skill.code}", 404, "unknown_competitor")
    return competitor


def _json_body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, error("body", "send a JSON object (Content-Type: application/json)", 400)
    return data, None


def _form_state(competitor: Competitor) -> dict:
    sheet = competitor_sheet(competitor)
    return {
        "competitor": {"id": competitor.id, "code": competitor.code,
                       "name": competitor.name if shows_names(current_user, competitor.skill) else None},
        "locked": competitor.locked,
        "signed": current_user.id in sheet.signed,
        "aspects": judge_view(current_user, sheet),
        "sign_off_problems": sign_off_problems(current_user, sheet),
    }


def _may_mark(competitor: Competitor):
    if not may_mark_skill(current_user, competitor.skill):
        return error("skill", f"you are not assigned to judge {competitor.skill.name}", 403, "not_assigned")
    if conflicted(current_user, competitor):
        return error("competitor", f"conflict of interest: {competitor.code} is from your own organisation", 403, "conflict_of_interest")
    return None


def _markable_from_body():
    """The JSON body and the competitor it names, which the signed-in judge may mark; or the 4xx answer."""
    data, problem = _json_body()
    if problem:
        return None, None, problem
    found = _competitor(data)
    if not isinstance(found, Competitor):
        return None, None, found
    return data, found, _may_mark(found)


@bp.post("/marks")
def post_mark():
    """Record one mark: ``{competitor_id | skill+competitor, aspect, value, idempotency_key, base_version, device?}``."""
    data, problem = _json_body()
    if problem:
        return problem
    found = _competitor(data)
    if not isinstance(found, Competitor):
        return found
    if not isinstance(data.get("aspect"), str):
        return error("aspect", "required: the aspect id, e.g. \"B1.1\"", 400)
    base = data.get("base_version")
    try:
        outcome = record_mark(
            judge=current_user,
            competitor_id=found.id,
            aspect_id=data["aspect"],
            value=data.get("value"),
            idempotency_key=data.get("idempotency_key"),
            base_version=base,
            device=str(data.get("device") or request.headers.get("User-Agent", ""))[:200],
            ip=request.remote_addr or "",
        )
    except MarkingError as err:
        return jsonify(error=err.as_json()), err.status
    sheet = competitor_sheet(found)
    view = judge_view(current_user, sheet, [found.skill.scheme.aspect(outcome.aspect_id)])[outcome.aspect_id]
    body = {
        "mark_id": outcome.mark_id,
        "competitor": found.code,
        "aspect": outcome.aspect_id,
        "value": view["value"],
        "version": outcome.version,
        "replayed": outcome.replayed,
        "flagged": view["flagged"] and not view["overridden"],
    }
    return jsonify(body), 200 if outcome.replayed else 201


@bp.get("/skills/<skill_code>/competitors/<competitor_code>/form")
def form_state(skill_code: str, competitor_code: str):
    """The caller's own marks, flags and what is missing for one competitor."""
    found = _competitor({"skill": skill_code, "competitor": competitor_code})
    if not isinstance(found, Competitor):
        return found
    refused = _may_mark(found)
    return refused or jsonify(_form_state(found))


@bp.post("/presence")
def presence():
    """Heartbeat of an open form: ``{competitor_id, device_id}`` → other devices and the form state."""
    data, found, refused = _markable_from_body()
    if refused:
        return refused
    others = heartbeat(current_user, found, str(data.get("device_id", "")))
    return jsonify(others=others, **_form_state(found))


@bp.post("/sign-offs")
def post_sign_off():
    """Sign a competitor's form off: ``{competitor_id}``; 409 with every problem while it cannot be."""
    data, found, refused = _markable_from_body()
    if refused:
        return refused
    try:
        locked = sign_off(current_user, found)
    except JudgingError as err:
        return error("competitor", f"{err.message}: " + "; ".join(err.problems), err.status, "sign_off_blocked", problems=err.problems)
    return jsonify(competitor=found.code, signed=True, locked=locked), 201
