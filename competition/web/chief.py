"""The chief expert's pages: the skill's marking at a glance, one competitor in full (each
judge's marks, flags, sign-offs, every revision), and the decisions only they may take —
marking windows, variance overrides, discussions, unlocking. Organisers may look, not act.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, Mark, MarkRevision, Skill
from competition.services.access import is_chief, may_review
from competition.services.errors import Forbidden, ServiceError
from competition.services.judging import competitor_sheet, record_override, set_discussion
from competition.services.locking import unlock_competitor
from competition.services.lookup import competitor_in_skill, skill_in_event
from competition.services.windows import CRITERION, DAY, closed_keys, marking_days, set_descriptors_only, set_window
from competition.web.judging_forms import DiscussionForm, OverrideForm, UnlockForm, WindowForm

bp = Blueprint("chief", __name__)


def reviewing(event_code: str, skill_code: str) -> Skill:
    skill = skill_in_event(event_code, skill_code)
    if not may_review(current_user, skill):
        raise Forbidden("skill", f"Only the chief expert of {skill.name} and organisers see this page.", code="not_chief")
    return skill


def deciding(event_code: str, skill_code: str) -> Skill:
    skill = skill_in_event(event_code, skill_code)
    if not is_chief(current_user, skill):
        raise Forbidden("skill", f"Only the chief expert of {skill.name} can do this.", code="not_chief")
    return skill


@bp.get("/chief/<event_code>/<skill_code>/")
@login_required
def overview(event_code: str, skill_code: str):
    skill = reviewing(event_code, skill_code)
    rows = []
    for competitor in skill.competitors:
        sheet = competitor_sheet(competitor)
        complete = sum(1 for s in sheet.aspects.values() if s.result.complete)
        rows.append({"competitor": competitor, "sheet": sheet, "complete": complete, "of": len(sheet.aspects)})
    closed = closed_keys(skill)
    return render_template(
        "chief/overview.html",
        skill=skill,
        rows=rows,
        criteria=skill.scheme.criteria,
        days=marking_days(skill),
        closed=closed,
        can_decide=is_chief(current_user, skill),
        window_form=WindowForm(),
        CRITERION=CRITERION,
        DAY=DAY,
    )


@bp.get("/chief/<event_code>/<skill_code>/<competitor_code>")
@login_required
def competitor(event_code: str, skill_code: str, competitor_code: str):
    skill = reviewing(event_code, skill_code)
    competitor = competitor_in_skill(skill, competitor_code)
    sheet = competitor_sheet(competitor)
    mark_ids = [m.id for s in sheet.aspects.values() for m in s.marks.values()]
    revisions: dict[int, list[MarkRevision]] = {}
    if mark_ids:
        for revision in db.session.scalars(select(MarkRevision).where(MarkRevision.mark_id.in_(mark_ids)).order_by(MarkRevision.id)):
            revisions.setdefault(revision.mark_id, []).append(revision)
    judges = {j.id: j for j in sheet.panel}
    for state in sheet.aspects.values():
        for mark in state.marks.values():
            judges.setdefault(mark.judge_id, mark.judge)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.competitor_id == competitor.id).order_by(AuditEntry.id.desc()))
    return render_template(
        "chief/competitor.html",
        skill=skill,
        competitor=competitor,
        sheet=sheet,
        judges=list(judges.values()),
        revisions=revisions,
        audit=list(audit),
        can_decide=is_chief(current_user, skill),
        unlock_form=UnlockForm(),
        override_form=OverrideForm(),
        discussion_form=DiscussionForm(),
        Mark=Mark,
    )


@bp.post("/chief/<event_code>/<skill_code>/marking")
@login_required
def marking(event_code: str, skill_code: str):
    skill = deciding(event_code, skill_code)
    form = WindowForm()
    if not form.validate_on_submit():
        abort(400, "; ".join(f"{name}: {', '.join(messages)}" for name, messages in form.errors.items()))
    open_ = form.open.data == "1"
    if form.kind.data == "descriptors":
        set_descriptors_only(skill, by=current_user, descriptors_only=open_)
        flash("Judges now see " + ("descriptors only." if open_ else "descriptors with their numbers."), "ok")
        return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)
    kind = None if form.kind.data == "skill" else form.kind.data
    try:
        set_window(skill, by=current_user, open=open_, kind=kind, key=form.key.data or "")
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)
    what = skill.name if kind is None else f"{kind} {form.key.data}"
    flash(f"Marking {'opened' if open_ else 'closed'} for {what}.", "ok")
    return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)


def _back(skill: Skill, code: str):
    return redirect(url_for("chief.competitor", event_code=skill.event.code, skill_code=skill.code, competitor_code=code), 303)


@bp.post("/chief/<event_code>/<skill_code>/<competitor_code>/unlock")
@login_required
def unlock(event_code: str, skill_code: str, competitor_code: str):
    skill = deciding(event_code, skill_code)
    competitor = competitor_in_skill(skill, competitor_code)
    form = UnlockForm()
    if not form.validate_on_submit():
        flash("Give the reason for unlocking (at least 5 characters).", "error")
        return _back(skill, competitor.code)
    try:
        unlock_competitor(competitor, by=current_user, reason=form.reason.data)
    except ServiceError as err:
        flash(err.message, "error")
        return _back(skill, competitor.code)
    flash(f"{competitor.code} unlocked. The panel signs off again once the marks are final.", "ok")
    return _back(skill, competitor.code)


@bp.post("/chief/<event_code>/<skill_code>/<competitor_code>/override")
@login_required
def override(event_code: str, skill_code: str, competitor_code: str):
    skill = deciding(event_code, skill_code)
    competitor = competitor_in_skill(skill, competitor_code)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash("Document the override: a reason of at least 10 characters.", "error")
        return _back(skill, competitor.code)
    try:
        record_override(current_user, competitor, form.aspect.data, form.reason.data)
    except ServiceError as err:
        flash(err.message, "error")
        return _back(skill, competitor.code)
    flash(f"Override recorded for {form.aspect.data}.", "ok")
    return _back(skill, competitor.code)


@bp.post("/chief/<event_code>/<skill_code>/<competitor_code>/discussion")
@login_required
def discussion(event_code: str, skill_code: str, competitor_code: str):
    skill = deciding(event_code, skill_code)
    competitor = competitor_in_skill(skill, competitor_code)
    form = DiscussionForm()
    if not form.validate_on_submit():
        abort(400, "The discussion form was incomplete; reload the page and try again.")
    try:
        set_discussion(current_user, competitor, form.aspect.data, form.open.data == "1")
    except ServiceError as err:
        flash(err.message, "error")
    return _back(skill, competitor.code)


