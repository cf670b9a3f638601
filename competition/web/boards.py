"""Scoreboards for the hall's screens (no login) and the organiser's remote control."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from competition.models.events import DISPLAY_MODES
from competition.services.boards import (
    ANY,
    BoardError,
    ceremony_in_progress,
    ceremony_places,
    ceremony_step,
    not_locked_yet,
    set_display_mode,
)
from competition.services.errors import Conflict, ServiceError, in_english
from competition.services.lookup import event_by_code, skill_in_event
from competition.services.standings import board_payload, event_overview, standings_payload
from competition.web.auth import organiser_required
from competition.web.errors import wants_json
from competition.web.language import localise, screen_language

bp = Blueprint("boards", __name__)

MODE_LABELS = {"live": _l("Live scores"), "embargoed": _l("Embargoed (progress only)"), "reveal": _l("Reveal ceremony")}


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(request.args.get(name, default))))
    except ValueError:
        return default


@bp.get("/board/<event_code>")
@screen_language
def overview(event_code: str):
    """Every skill's leaders and marking progress, a spotlight rotating through the skills."""
    event = event_by_code(event_code)
    dates = None
    if event.starts_on and event.ends_on:
        dates = _("%(start)s – %(end)s", start=format_date(event.starts_on, "medium"), end=format_date(event.ends_on, "medium"))
    return render_template("board/overview.html", event=event, state=event_overview(event), rotate=_int_arg("rotate", 15, 3, 600),
                           dates=dates)


@bp.get("/board/<event_code>/<skill_code>")
@screen_language
def skill_board(event_code: str, skill_code: str):
    """One skill's full standings, paged when longer than the screen."""
    event = event_by_code(event_code)
    skill = skill_in_event(event, skill_code)
    page_seconds = _int_arg("page", 12, 3, 600)
    return render_template("board/skill.html", event=event, skill=skill, state=board_payload(skill), page_seconds=page_seconds)


def _ceremony(skill) -> dict:
    """What the remote shows of one skill: its public state, the place the next press reveals,
    and (before the start) the competitors whose marks are not locked yet."""
    public = board_payload(skill)
    reveal = public.get("reveal")
    upcoming = latest = None
    if reveal and reveal["started"]:  # ranked first, those in marking last
        rows = standings_payload(skill)["standings"]
        upcoming = rows[reveal["hidden"] - 1] if reveal["hidden"] else None  # the place the "next" button reveals
        latest = rows[reveal["hidden"]] if reveal["revealed"] else None  # the place the boards revealed last
    waiting = not_locked_yet(skill, current_user) if reveal and not reveal["started"] else []
    return {"skill": skill, "public": public, "upcoming": upcoming, "latest": latest, "count": len(skill.competitors), "waiting": waiting,
            "seen": "" if not reveal or not reveal["started"] else reveal["revealed"]}


@bp.get("/board-control/<event_code>")
@organiser_required
def control(event_code: str):
    """The organiser's remote: display mode per skill, and the reveal ceremony's buttons."""
    event = event_by_code(event_code)
    skills = [_ceremony(skill) for skill in event.skills]
    return render_template("board/control.html", event=event, skills=skills, modes=DISPLAY_MODES, labels=MODE_LABELS)


class _SkillName:
    """A skill's name in the language the message is read in (English for JSON clients)."""

    def __init__(self, skill):
        self.name = skill.scheme.name
        self.fallback = skill.name

    def __str__(self) -> str:
        return localise(self.name) or self.fallback


def _done(event_code: str, message, **extra):
    """``message`` may be lazy: JSON clients read it in English, the remote in its language."""
    if wants_json():
        return jsonify(message=in_english(message), **extra)
    flash(str(message), "ok")
    return redirect(url_for("boards.control", event_code=event_code) + (f"#skill-{extra['skill']}" if "skill" in extra else ""))


def _refused(event_code: str, skill_code: str, err: ServiceError):
    """A refused action: JSON clients get the error (raised to the one error handler); the
    remote's page shows it as a message beside the skill. ``text``: the message in the
    person's language, for the remote's script (``message`` is English, as the API answers)."""
    if wants_json():
        err.extra["text"] = err.message
        raise err
    flash(str(err.message), "error")
    return redirect(url_for("boards.control", event_code=event_code) + f"#skill-{skill_code}")


def _confirmed() -> bool:
    return request.form.get("confirm") == "1"


def _seen():
    """The ceremony's state the remote showed when the press was made (the form's ``seen``:
    empty before the start, else the places revealed); absent: a step whatever the state."""
    seen = request.form.get("seen")
    if seen is None:
        return ANY
    if seen == "":
        return None
    if not (seen.isascii() and seen.isdigit()) or len(seen) > 6:
        raise BoardError("seen", _l("must be the number of places revealed, not %(given)r", given=seen[:20]))
    return int(seen)


def _ask_first(event_code: str, skill, field: str, question, explanation, button):
    """An action that would take back what the hall has seen: JSON clients are refused (409,
    ``confirmation_needed``: send it again with ``confirm=1``); people get a page that asks."""
    if wants_json():
        raise Conflict(field, explanation, code="confirmation_needed")
    fields = {key: value for key, value in request.form.items() if key not in ("csrf_token", "confirm")}
    return render_template("board/confirm.html", event=event_code, skill=skill, question=question, explanation=explanation,
                           button=button, fields=fields, action=request.path)


def _places(skill) -> dict:
    return {"n": board_payload(skill)["reveal"]["revealed"], "total": ceremony_places(skill)}


@bp.post("/board-control/<event_code>/<skill_code>/mode")
@organiser_required
def change_mode(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    mode = request.form.get("mode", "")
    if mode in MODE_LABELS and mode != skill.display_mode and ceremony_in_progress(skill) and not _confirmed():
        places = _places(skill)
        question = _l("%(skill)s: %(mode)s, and end the ceremony?", skill=_SkillName(skill), mode=MODE_LABELS[mode])
        return _ask_first(event_code, skill, "mode", question,
                          _l("The ceremony is under way: %(n)s of %(total)s places revealed. Leaving it ends the ceremony; "
                             "coming back to it starts again from the curtain.", **places), MODE_LABELS[mode])
    try:
        set_display_mode(skill, mode, by=current_user)
    except ServiceError as err:
        return _refused(event_code, skill.code, err)
    message = _l("%(skill)s: %(mode)s", skill=_SkillName(skill), mode=MODE_LABELS[skill.display_mode])
    return _done(event_code, message, skill=skill.code, mode=skill.display_mode)


@bp.post("/board-control/<event_code>/<skill_code>/reveal")
@organiser_required
def reveal(event_code: str, skill_code: str):
    """One press of the remote. The remote's script sends presses one after the other and puts
    the answer's ``html`` (the skill's ceremony panel) in place; without the script the form
    reloads the page. ``seen`` makes a press sent twice move the ceremony once."""
    skill = skill_in_event(event_code, skill_code)
    action = request.form.get("action", "")
    try:
        seen = _seen()
        if action == "reset" and ceremony_in_progress(skill) and not _confirmed():
            return _ask_first(event_code, skill, "action", _l("Reset the ceremony of %(skill)s?", skill=_SkillName(skill)),
                              _l("%(n)s of %(total)s places are revealed. Resetting hides them again: the boards show the curtain.",
                                 **_places(skill)), _l("Reset the ceremony"))
        step = ceremony_step(skill, action, by=current_user, seen=seen, reason=request.form.get("reason", ""))
    except ServiceError as err:
        return _refused(event_code, skill.code, err)
    if step.revealed is None:
        message = _l("%(skill)s: not started", skill=_SkillName(skill))
    else:
        message = _l("%(skill)s: %(n)s of %(total)s places revealed", skill=_SkillName(skill), n=step.revealed,
                     total=ceremony_places(skill))
    if not step.moved and seen is not ANY:
        message = _l("%(skill)s: the ceremony had already moved on — %(now)s", skill=_SkillName(skill), now=message)
    if wants_json():
        html = render_template("board/_ceremony.html", event=skill.event, item=_ceremony(skill))
        return jsonify(message=in_english(message), text=str(message), skill=skill.code, revealed=step.revealed, moved=step.moved,
                       html=html)
    return _done(event_code, message, skill=skill.code, revealed=step.revealed)
