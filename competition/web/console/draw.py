"""The console's panels, draw and results pages, per skill of an event.

- ``/console/events/<event>/panels``: every skill's panel, draw and results at a glance;
- ``…/skills/<skill>/panel``: assign judges and the chief expert, each candidate shown with
  their conflicts of interest *before* saving (a conflict needs a ticked confirmation);
- ``…/skills/<skill>/draw``: draw numbers, workstations and encrypted numbers from a typed or
  generated seed; ``…/draws/<id>``: one draw's record, run again from its seed and compared;
- ``…/skills/<skill>/results``: lock (submit), unlock with a reason, publish.
The services decide and audit (:mod:`~competition.services.panels`,
:mod:`~competition.services.draws`, :mod:`~competition.services.results`); a refusal comes
back as a message on the page.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from competition.extensions import db
from competition.models import Draw, Skill, User
from competition.models.console import DRAW_ENCRYPTION, DRAW_NUMBERS, DRAW_WORKSTATIONS
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.services.draws import competitors_by_id, draw_result, draws_of, has_marks, reproduce, run_draw
from competition.services.errors import NotFound, ServiceError
from competition.services.lookup import event_by_code, get_row, skill_in_event
from competition.services.panels import CONFLICT, assign_to_panel, panel_concerns, panel_size, panel_warnings, roles_of, unassign_from_panel
from competition.services.results import lock_results, not_locked, publish_results, unlock_results
from competition.web.chief import when
from competition.web.console import bp

SKILL = "/events/<event_code>/skills/<skill_code>"


def _back(endpoint: str, skill: Skill, **values):
    return redirect(url_for(endpoint, event_code=skill.event.code, skill_code=skill.code, **values), 303)


def _refused(err: ServiceError) -> None:
    flash(err.message, "error")


@bp.get("/events/<event_code>/panels")
def draw_skills(event_code: str):
    event = event_by_code(event_code)
    rows = []
    for skill in event.skills:
        roles = roles_of(skill)
        rows.append({"skill": skill, "judges": sum(1 for r in roles if r.role == JUDGE), "size": panel_size(skill),
                     "chief": next((r.user for r in roles if r.role == CHIEF_EXPERT), None), "draws": len(draws_of(skill)),
                     "unlocked": len(not_locked(skill, current_user))})
    return render_template("console/draw_skills.html", event=event, rows=rows)


@bp.get(SKILL + "/panel")
def draw_panel(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    roles = roles_of(skill)
    on_panel = {r.user_id for r in roles}
    people = db.session.scalars(select(User).where(User.is_organiser.is_(False)).order_by(User.display_name)).all()
    candidates = [{"user": u, "concerns": panel_concerns(skill, u, JUDGE)} for u in people if u.id not in on_panel]
    for candidate in candidates:
        candidate["conflicted"] = any(c.level == CONFLICT for c in candidate["concerns"])
    has_chief = any(r.role == CHIEF_EXPERT for r in roles)
    return render_template("console/draw_panel.html", event=skill.event, skill=skill, roles=roles, candidates=candidates,
                           warnings=panel_warnings(skill), size=panel_size(skill), has_chief=has_chief, CHIEF_EXPERT=CHIEF_EXPERT,
                           CONFLICT=CONFLICT)


@bp.post(SKILL + "/panel")
def draw_assign(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    try:
        user = get_row(User, _int(request.form.get("user_id")), "user_id", "person")
        role = request.args.get("role") or request.form.get("role") or JUDGE  # the chief expert's button adds ?role=
        assign_to_panel(skill, user, role, by=current_user, confirmed=request.form.get("confirmed") == "1")
    except ServiceError as err:
        _refused(err)
    else:
        flash(_("%(person)s is on the panel of %(skill)s as %(role)s.", person=user.display_name, skill=skill,
                role=_("chief expert") if role == CHIEF_EXPERT else _("judge")), "ok")
        for warning in panel_warnings(skill):
            flash(str(warning), "warning")
    return _back("console.draw_panel", skill)


@bp.post(SKILL + "/panel/<int:user_id>/remove")
def draw_unassign(event_code: str, skill_code: str, user_id: int):
    skill = skill_in_event(event_code, skill_code)
    try:
        user = get_row(User, user_id, "user_id", "person")
        unassign_from_panel(skill, user, by=current_user)
    except ServiceError as err:
        _refused(err)
    else:
        flash(_("%(person)s is no longer on the panel of %(skill)s.", person=user.display_name, skill=skill), "ok")
    return _back("console.draw_panel", skill)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


# What each kind of draw hands out, as the pages name it.
def kind_names() -> dict[str, str]:
    return {DRAW_NUMBERS: _("Competitor numbers (检录号)"), DRAW_WORKSTATIONS: _("Workstations (工位号)"),
            DRAW_ENCRYPTION: _("Encrypted numbers (加密号)")}


def draw_labels() -> dict[str, str]:
    return {DRAW_NUMBERS: _("Draw the competitor numbers"), DRAW_WORKSTATIONS: _("Draw the workstations"),
            DRAW_ENCRYPTION: _("Draw the encrypted numbers")}


@bp.get(SKILL + "/draw")
def draw_draws(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    kinds = [DRAW_NUMBERS, DRAW_WORKSTATIONS] + ([DRAW_ENCRYPTION] if skill.encrypted else [])
    return render_template("console/draw_draw.html", event=skill.event, skill=skill, kinds=kinds, kind_names=kind_names(),
                           draw_labels=draw_labels(), draws=draws_of(skill), frozen=has_marks(skill),
                           people=_people(draws_of(skill)), when=when)


def _people(draws: list[Draw]) -> dict[int, User]:
    ids = {d.drawn_by_id for d in draws if d.drawn_by_id}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


@bp.post(SKILL + "/draw")
def draw_run(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    kind = request.form.get("kind", "")
    try:
        record = run_draw(skill, kind, by=current_user, seed=request.form.get("seed"))
    except ServiceError as err:
        _refused(err)
        return _back("console.draw_draws", skill)
    flash(_("Drawn with the seed %(seed)s.", seed=record.seed), "ok")
    return _back("console.draw_record", skill, draw_id=record.id)


@bp.get(SKILL + "/draws/<int:draw_id>")
def draw_record(event_code: str, skill_code: str, draw_id: int):
    skill = skill_in_event(event_code, skill_code)
    record = db.session.get(Draw, draw_id)
    if record is None or record.skill_id != skill.id:
        raise NotFound("draw", _("No draw %(id)s in %(skill)s.", id=draw_id, skill=skill), code="unknown_draw")
    check = reproduce(record)
    competitors = competitors_by_id(skill)
    rows = sorted(draw_result(record).items(), key=lambda item: item[1])
    return render_template("console/draw_record.html", event=skill.event, skill=skill, record=record, check=check, rows=rows,
                           competitors=competitors, kind_names=kind_names(), people=_people([record]), when=when)


@bp.get(SKILL + "/results")
def draw_results(event_code: str, skill_code: str):
    skill = skill_in_event(event_code, skill_code)
    return render_template("console/draw_results.html", event=skill.event, skill=skill, waiting=not_locked(skill, current_user))


@bp.post(SKILL + "/results/<action>")
def draw_results_action(event_code: str, skill_code: str, action: str):
    skill = skill_in_event(event_code, skill_code)
    try:
        if action == "lock":
            lock_results(skill, by=current_user)
            flash(_("The results of %(skill)s are locked.", skill=skill), "ok")
        elif action == "unlock":
            unlock_results(skill, by=current_user, reason=request.form.get("reason", ""))
            flash(_("The results of %(skill)s are unlocked.", skill=skill), "ok")
        elif action == "publish":
            if request.form.get("confirmed") != "1":
                flash(_("Tick the box to confirm that the results are official."), "error")
            else:
                publish_results(skill, by=current_user)
                flash(_("The results of %(skill)s are published: they are official.", skill=skill), "ok")
        else:
            raise NotFound("action", _("No such action."), code="unknown_action")
    except ServiceError as err:
        if err.status == 404:
            raise
        _refused(err)
    return _back("console.draw_results", skill)
