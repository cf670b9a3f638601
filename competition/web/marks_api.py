"""The judging JSON API (version 1): marks, the judge's view of a form, presence, sign-off.

Authentication: the session cookie plus ``X-CSRFToken``, or ``Authorization: Bearer``.
Services raise :class:`~competition.services.errors.ServiceError`, which
:mod:`competition.web.errors` answers as ``{"error": {"field", "message", "code", "retry"}}``
with a 4xx status; on a stale write ``error.current`` holds the stored value and version. Competitors appear by
code (and name only where the caller may see names); in an encrypted skill, by their encrypted number only.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from competition.extensions import csrf
from competition.models import Competitor
from competition.scoring.entries import entry_text
from competition.services.access import competitor_for, conflicted, may_mark_skill, shown_code, shows_names
from competition.services.errors import Forbidden, ServiceError, in_english
from competition.services.judging import competitor_sheet, heartbeat, judge_view, sign_off, sign_off_problems
from competition.services.lookup import competitor_by_id, skill_in_event
from competition.services.marking import record_mark
from competition.web.auth import api_csrf
from competition.web.bodies import json_object

bp = Blueprint("marks_api", __name__)
csrf.exempt(bp)  # checked by api_csrf: session requests need the token, bearer requests do not


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        raise ServiceError("authorization", "sign in, or send Authorization: Bearer <token>", 401, code="unauthenticated",
                           retry=True)
    return None


bp.before_request(api_csrf)  # after signed_in: an anonymous request is told to sign in first


def _competitor(data: dict) -> Competitor:
    """The competitor named by ``competitor_id``, or by ``event`` + ``skill`` + ``competitor`` codes."""
    if "competitor_id" in data:
        return competitor_by_id(data["competitor_id"])
    for field in ("event", "skill", "competitor"):
        if not isinstance(data.get(field), str):
            raise ServiceError(field, "send competitor_id, or event, skill and competitor codes")
    return competitor_for(current_user, skill_in_event(data["event"], data["skill"]), data["competitor"])


def _form_state(competitor: Competitor) -> dict:
    sheet = competitor_sheet(competitor)
    return in_english({  # the API answers in English (sign-off problems and closed reasons are lazy messages)
        "competitor": {"id": competitor.id, "code": shown_code(current_user, competitor),
                       "name": competitor.name if shows_names(current_user, competitor.skill) else None},
        "locked": competitor.locked,
        "signed": current_user.id in sheet.signed,
        "aspects": judge_view(current_user, sheet),
        "sign_off_problems": sign_off_problems(current_user, sheet),
    })


def _may_mark(competitor: Competitor) -> None:
    if not may_mark_skill(current_user, competitor.skill):
        raise Forbidden("skill", f"you are not assigned to judge {competitor.skill.name}", code="not_assigned")
    if conflicted(current_user, competitor):
        raise Forbidden("competitor", f"conflict of interest: {shown_code(current_user, competitor)} is from your own organisation",
                        code="conflict_of_interest")


def _markable_from_body() -> tuple[dict, Competitor]:
    """The JSON body and the competitor it names, which the signed-in judge may mark."""
    data = json_object()
    competitor = _competitor(data)
    _may_mark(competitor)
    return data, competitor


@bp.post("/marks")
def post_mark():
    """Record one mark: ``{competitor_id | skill+competitor, aspect, value, idempotency_key, base_version, device?}``."""
    data = json_object()
    found = _competitor(data)
    if not isinstance(data.get("aspect"), str):
        raise ServiceError("aspect", "required: the aspect id, e.g. \"B1.1\"")
    outcome = record_mark(
        judge=current_user,
        competitor_id=found.id,
        aspect_id=data["aspect"],
        value=data.get("value"),
        idempotency_key=data.get("idempotency_key"),
        base_version=data.get("base_version"),
        device=str(data.get("device") or request.headers.get("User-Agent", ""))[:200],
        ip=request.remote_addr or "",
    )
    sheet = competitor_sheet(found)
    view = judge_view(current_user, sheet, [found.skill.scheme.aspect(outcome.aspect_id)])[outcome.aspect_id]
    body = {  # value and version of the revision this key recorded (also on a replay)
        "mark_id": outcome.mark_id,
        "competitor": shown_code(current_user, found),
        "aspect": outcome.aspect_id,
        "value": entry_text(outcome.value),
        "version": outcome.version,
        "replayed": outcome.replayed,
        "flagged": view["flagged"] and not view["overridden"],
        "disagreement": view["disagreement"],  # measurement entries that disagree: what, in English
    }
    return jsonify(in_english(body)), 200 if outcome.replayed else 201


@bp.get("/events/<event_code>/skills/<skill_code>/competitors/<competitor_code>/form")
def form_state(event_code: str, skill_code: str, competitor_code: str):
    """The caller's own marks, flags and what is missing for one competitor."""
    found = competitor_for(current_user, skill_in_event(event_code, skill_code), competitor_code)
    _may_mark(found)
    return jsonify(_form_state(found))


@bp.post("/presence")
def presence():
    """Heartbeat of an open form: ``{competitor_id, device_id}`` → other devices and the form state."""
    data, found = _markable_from_body()
    others = heartbeat(current_user, found, str(data.get("device_id", "")))
    return jsonify(others=others, **_form_state(found))


@bp.post("/sign-offs")
def post_sign_off():
    """Sign a competitor's form off: ``{competitor_id}``; 409 with every problem while it cannot be."""
    data, found = _markable_from_body()
    locked = sign_off(current_user, found)
    return jsonify(competitor=shown_code(current_user, found), signed=True, locked=locked), 201
