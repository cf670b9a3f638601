"""The judges' tablet pages: their skills, the competitor list, the marking form, sign-off.

Who may open what (see :mod:`competition.services.access`): the judges and the chief expert
of a skill; a judge with a conflict of interest gets 403 on that competitor's form; judges
of an anonymised skill see codes only. Every mark goes through ``record_mark``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Skill
from competition.scoring.entries import entry_text
from competition.scoring.kinds import kind_of
from competition.scoring.kinds.agreement import PanelMeasurement
from competition.scoring.model import Aspect
from competition.services.access import (
    competitor_for,
    competitor_label,
    conflicted,
    hides_identity,
    is_chief,
    may_mark_skill,
    shown_code,
    shows_names,
    skills_of,
)
from competition.services.errors import Forbidden, ServiceError
from competition.services.judging import competitor_sheet, judge_view, sign_off, sign_off_problems
from competition.services.lookup import skill_in_event
from competition.services.marking import MarkingError, record_mark
from competition.services.standings import team_members
from competition.web.judge_list import LIST_STATES, in_list_order, matches, next_competitor, row_states
from competition.web.judging_forms import SignOffForm, field_name, form_errors, marking_form, version_field

bp = Blueprint("judge", __name__)


def marking_skill(event_code: str, skill_code: str) -> Skill:
    skill = skill_in_event(event_code, skill_code)
    if not may_mark_skill(current_user, skill):
        if getattr(current_user, "is_organiser", False):
            raise Forbidden("skill", _l("Organisers do not mark. The chief expert's overview of %(skill)s shows its marking: "
                                        "open it from My skills or the console's marking progress.", skill=skill), code="not_assigned")
        raise Forbidden("skill", _l("You are not assigned to judge %(skill)s.", skill=skill), code="not_assigned")
    return skill


def marking_competitor(skill: Skill, code: str) -> Competitor:
    competitor = competitor_for(current_user, skill, code)  # by its encrypted number in an encrypted skill
    if conflicted(current_user, competitor):
        raise Forbidden("competitor", _l("Conflict of interest: %(competitor)s is from your own organisation. "
                                         "Other judges mark this competitor.", competitor=shown_code(current_user, competitor)),
                        code="conflict_of_interest")
    return competitor


def device_of() -> str:
    return request.headers.get("User-Agent", "")[:200]


def flag_wording(aspects: list[Aspect]) -> dict[str, dict]:
    """How the form words a measurement flag per kind, in the page's language, for
    static/js/marking.js to reword it when the entries change: the note around what
    disagrees, the kind's wording, the entries' words (yes, no) and their separator."""
    wording = {}
    for aspect in aspects:
        kind = kind_of(aspect)
        if isinstance(kind, PanelMeasurement) and kind.name not in wording:
            words = {entry_text(e): _(kind.entry_word(e)) for e in kind.entries(aspect)} if kind.entry_words_translated else {}
            wording[kind.name] = {"note": str(FLAG_NOTE), "detail": _(kind.disagreement_wording), "words": words,
                                  "separator": kind.entry_separator}
    return wording


# The note of a flagged measurement aspect on the form (the template and marking.js use it).
FLAG_NOTE = _l("Flagged: %(disagreement)s. Measure again together and re-enter, or wait for the chief expert.")


def current_events() -> list[Event]:
    """The events not archived, newest first (what an organiser may be looking for)."""
    return list(db.session.scalars(select(Event).where(Event.archived_at.is_(None)).order_by(Event.id.desc())))


@bp.get("/judge/")
@login_required
def skills():
    mine = [s for s in skills_of(current_user) if may_mark_skill(current_user, s)]
    if len(mine) == 1:
        return redirect(url_for("judge.competitors", event_code=mine[0].event.code, skill_code=mine[0].code))
    # An organiser marks nothing but may read every skill's chief expert pages: show the way there.
    events = current_events() if current_user.is_organiser and not mine else []
    return render_template("judge/skills.html", skills=mine, events=events)


@bp.get("/judge/<event_code>/<skill_code>/")
@login_required
def competitors(event_code: str, skill_code: str):
    skill = marking_skill(event_code, skill_code)
    names = shows_names(current_user, skill)
    teams = team_members(skill) if names else {}
    rows = []
    for competitor in in_list_order(skill):
        conflict = conflicted(current_user, competitor)
        sheet = competitor_sheet(competitor)
        view = judge_view(current_user, sheet)
        todo = sum(1 for v in view.values() if v["missing"])
        flagged = sum(1 for v in view.values() if v["flagged"] and not v["overridden"])
        signed = current_user.id in sheet.signed
        code = shown_code(current_user, competitor)  # "" before an encrypted skill's encryption draw
        rows.append(
            {
                "competitor": competitor,
                "label": competitor_label(current_user, competitor),
                "code": code,
                "name": competitor.name if names else "",
                "organisation": competitor.organisation if names else "",
                "members": teams.get(competitor.id, []),
                "conflict": conflict,
                "done": len(view) - todo,
                "of": len(view),
                "flagged": flagged,
                "signed": signed,
                "locked": competitor.locked,
                "states": row_states(markable=bool(code) and not conflict, todo=todo, flagged=flagged,
                                     signed=signed or competitor.locked, ready=not sign_off_problems(current_user, sheet)),
            }
        )
    query = request.args.get("q", "").strip()[:80]
    state = request.args.get("state", "")
    for row in rows:
        row["shown"] = (state not in LIST_STATES or state in row["states"]) and matches(row, query)
    summary = {s: sum(1 for r in rows if s in r["states"]) for s in LIST_STATES}
    return render_template("judge/competitors.html", skill=skill, rows=rows, shown=any(r["shown"] for r in rows),
                           chief=is_chief(current_user, skill), hidden=hides_identity(current_user, skill),
                           summary=summary, query=query, state=state if state in LIST_STATES else "")


@bp.get("/judge/<event_code>/<skill_code>/<competitor_code>/")
@login_required
def competitor(event_code: str, skill_code: str, competitor_code: str):
    skill = marking_skill(event_code, skill_code)
    competitor = marking_competitor(skill, competitor_code)
    return redirect(url_for("judge.form", event_code=skill.event.code, skill_code=skill.code,
                            competitor_code=shown_code(current_user, competitor), criterion_id=skill.scheme.criteria[0].id))


@bp.route("/judge/<event_code>/<skill_code>/<competitor_code>/<criterion_id>", methods=["GET", "POST"])
@login_required
def form(event_code: str, skill_code: str, competitor_code: str, criterion_id: str):
    skill = marking_skill(event_code, skill_code)
    competitor = marking_competitor(skill, competitor_code)
    try:
        criterion = skill.scheme.criterion(criterion_id)
    except KeyError:
        abort(404, _l("No criterion %(criterion)s in the scheme of %(skill)s.", criterion=repr(criterion_id), skill=skill))
    aspects = list(criterion.aspects)
    sheet = competitor_sheet(competitor)
    view = judge_view(current_user, sheet)
    form = marking_form(aspects, view)
    errors: dict[str, str] = {}
    status = 200
    if form.validate_on_submit():
        saved = 0
        for aspect in aspects:
            name = field_name(aspect)
            value = form[name].data
            if value in (None, "") or str(value) == (view[aspect.id]["value"] or ""):
                continue
            try:
                outcome = record_mark(
                    judge=current_user,
                    competitor_id=competitor.id,
                    aspect_id=aspect.id,
                    value=value,
                    idempotency_key=form[name + "_key"].data,
                    base_version=version_field(form[name + "_base"]),
                    device=device_of(),
                    ip=request.remote_addr or "",
                )
                saved += 0 if outcome.replayed else 1
            except MarkingError as err:
                errors[aspect.id] = str(err.message)
                status = max(status, err.status)
        if not errors:
            flash(ngettext("Saved %(num)s mark.", "Saved %(num)s marks.", saved), "ok")
            return redirect(request.path)
        sheet = competitor_sheet(competitor)
        view = judge_view(current_user, sheet)
    elif form.is_submitted():
        errors = form_errors(form, aspects)
        status = 422
    criteria = [
        {"id": c.id, "name": c.name, "missing": sum(1 for a in c.aspects if view[a.id]["missing"]), "day": c.marking_day}
        for c in skill.scheme.criteria
    ]
    todo = sum(1 for v in view.values() if v["missing"])
    following = next_competitor(skill, competitor)
    return render_template(
        "judge/form.html",
        skill=skill,
        competitor=competitor,
        code=shown_code(current_user, competitor),
        names=shows_names(current_user, skill),
        label=competitor_label(current_user, competitor),
        criterion=criterion,
        criteria=criteria,
        form=form,
        view=view,
        errors=errors,
        field_name=field_name,
        kind_of=kind_of,
        done=len(view) - todo,
        of=len(view),
        problems=sign_off_problems(current_user, sheet),
        signed=current_user.id in sheet.signed,
        sign_off_form=SignOffForm(),
        flag_wording=flag_wording(aspects),
        next_code=shown_code(current_user, following) if following else "",
    ), status


@bp.get("/judge/<event_code>/<skill_code>/<competitor_code>/sign-off")
@login_required
def sign_off_state(event_code: str, skill_code: str, competitor_code: str):
    """Whether the judge may sign the competitor off now, with what stands in the way, worded
    in the judge's language: the form (static/js/marking.js) asks after its marks are sent and
    when the panel's marks change, so the sign-off button follows without a reload."""
    skill = marking_skill(event_code, skill_code)
    competitor = marking_competitor(skill, competitor_code)
    sheet = competitor_sheet(competitor)
    problems = [str(p) for p in sign_off_problems(current_user, sheet)]
    why = ngettext("%(num)s to resolve: %(problems)s", "%(num)s to resolve: %(problems)s", len(problems),
                   problems=_("; ").join(problems[:3]) + ("…" if len(problems) > 3 else "")) if problems else ""
    return jsonify(locked=competitor.locked, signed=current_user.id in sheet.signed, problems=problems, why=why)


@bp.post("/judge/<event_code>/<skill_code>/<competitor_code>/sign-off")
@login_required
def sign_off_form(event_code: str, skill_code: str, competitor_code: str):
    skill = marking_skill(event_code, skill_code)
    competitor = marking_competitor(skill, competitor_code)
    form = SignOffForm()
    if not form.validate_on_submit():
        abort(400, _l("The sign-off form was incomplete; reload the page and sign again."))
    try:
        locked = sign_off(current_user, competitor)
    except ServiceError as err:
        flash(str(err.message), "error")
        return redirect(request.referrer or url_for("judge.competitors", event_code=skill.event.code, skill_code=skill.code)), 303
    code = shown_code(current_user, competitor)
    if locked:
        flash(_("Signed off %(competitor)s. The whole panel has signed: the marks are locked.", competitor=code), "ok")
    else:
        flash(_("Signed off %(competitor)s.", competitor=code), "ok")
    return redirect(url_for("judge.competitors", event_code=skill.event.code, skill_code=skill.code))

