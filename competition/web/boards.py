"""Scoreboards for the hall's screens (no login) and the organiser's remote control."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from competition.models.events import DISPLAY_MODES
from competition.services.boards import ceremony_places, reveal_step, set_display_mode
from competition.services.errors import ServiceError, in_english
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


@bp.get("/board-control/<event_code>")
@organiser_required
def control(event_code: str):
    """The organiser's remote: display mode per skill, and the reveal ceremony's buttons."""
    event = event_by_code(event_code)
    skills = []
    for skill in event.skills:
        public = board_payload(skill)
        reveal = public.get("reveal")
        upcoming = None
        if reveal and reveal["hidden"]:  # the next place the "next" button reveals
            upcoming = standings_payload(skill)["standings"][reveal["hidden"] - 1]
        skills.append({"skill": skill, "public": public, "upcoming": upcoming, "count": len(skill.competitors)})
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
    remote's page shows it as a message beside the skill."""
    if wants_json():
        raise err
    flash(str(err.message), "error")
    return redirect(url_for("boards.control", event_code=event_code) + f"#skill-{skill_code}")


@bp.post("/board-control/<event_code>/<skill_code>/mode")
@organiser_required
def change_mode(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    try:
        set_display_mode(skill, request.form.get("mode", ""), by=current_user)
    except ServiceError as err:
        return _refused(event_code, skill.code, err)
    message = _l("%(skill)s: %(mode)s", skill=_SkillName(skill), mode=MODE_LABELS[skill.display_mode])
    return _done(event_code, message, skill=skill.code, mode=skill.display_mode)


@bp.post("/board-control/<event_code>/<skill_code>/reveal")
@organiser_required
def reveal(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    try:
        revealed = reveal_step(skill, request.form.get("action", ""), by=current_user)
    except ServiceError as err:
        return _refused(event_code, skill.code, err)
    if revealed is None:
        message = _l("%(skill)s: not started", skill=_SkillName(skill))
    else:
        message = _l("%(skill)s: %(n)s of %(total)s places revealed", skill=_SkillName(skill), n=revealed, total=ceremony_places(skill))
    return _done(event_code, message, skill=skill.code, revealed=revealed)
