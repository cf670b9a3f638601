"""The chief expert's pages: the skill's marking at a glance, one competitor in full (each
judge's marks, flags, sign-offs, every revision), and the decisions only they may take —
marking windows, variance overrides, discussions, unlocking. Organisers may look, not act.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, Mark, MarkRevision, Skill
from competition.services.access import competitor_for, hides_identity, is_chief, may_mark_skill, may_review, shown_code, shows_names
from competition.services.attention import judge_shares, sheet_attention, skill_judges, still_marking, window_aspects
from competition.services.errors import Forbidden, ServiceError
from competition.services.judging import competitor_sheet, record_override, set_discussion
from competition.services.locking import unlock_competitor
from competition.services.lookup import skill_in_event
from competition.services.results import lock_results, not_locked
from competition.services.windows import CRITERION, DAY, closed_keys, marking_days, set_descriptors_only, set_window
from competition.web.judging_forms import DiscussionForm, OverrideForm, UnlockForm, WindowForm
from competition.web.language import localise

bp = Blueprint("chief", __name__)

# What the audit trail's actions read as on the competitor page (the trail stores the codes).
AUDIT_ACTIONS = {
    "locked": _l("locked"),
    "unlocked": _l("unlocked"),
    "signed_off": _l("signed off"),
    "variance_override": _l("override"),
    "discussion_opened": _l("discussion opened"),
    "discussion_closed": _l("discussion closed"),
    "marking_opened": _l("marking opened"),
    "marking_closed": _l("marking closed"),
    "descriptors_only": _l("descriptors only"),
    "descriptors_with_numbers": _l("descriptors with numbers"),
}


def when(moment) -> str:
    """A moment of the revision history or audit trail, in the reader's language."""
    return format_datetime(moment, "medium")


def reviewing(event_code: str, skill_code: str) -> Skill:
    skill = skill_in_event(event_code, skill_code)
    if not may_review(current_user, skill):
        raise Forbidden("skill", _l("Only the chief expert of %(skill)s and organisers see this page.", skill=skill), code="not_chief")
    return skill


def deciding(event_code: str, skill_code: str) -> Skill:
    skill = skill_in_event(event_code, skill_code)
    if not is_chief(current_user, skill):
        raise Forbidden("skill", _l("Only the chief expert of %(skill)s can do this.", skill=skill), code="not_chief")
    return skill


@bp.get("/chief/<event_code>/<skill_code>/")
@login_required
def overview(event_code: str, skill_code: str):
    skill = reviewing(event_code, skill_code)
    rows = []
    for competitor in skill.competitors:
        sheet = competitor_sheet(competitor)
        complete = sum(1 for s in sheet.aspects.values() if s.result.complete)
        rows.append({"competitor": competitor, "code": shown_code(current_user, competitor), "sheet": sheet, "complete": complete,
                     "of": len(sheet.aspects), "judges": judge_shares(sheet)})
    rows.sort(key=lambda row: (row["code"] == "", row["code"]))
    closed = closed_keys(skill)
    return render_template(
        "chief/overview.html",
        skill=skill,
        rows=rows,
        names=shows_names(current_user, skill),
        waiting=not_locked(skill, current_user),
        criteria=skill.scheme.criteria,
        days=marking_days(skill),
        closed=closed,
        can_decide=is_chief(current_user, skill),
        marks_too=may_mark_skill(current_user, skill),
        hidden=hides_identity(current_user, skill),  # a competitor's panel would tell its organisation by who is missing
        judges=skill_judges([row["sheet"] for row in rows]),
        window_form=WindowForm(),
        CRITERION=CRITERION,
        DAY=DAY,
    )


@bp.get("/chief/<event_code>/<skill_code>/<competitor_code>")
@login_required
def competitor(event_code: str, skill_code: str, competitor_code: str):
    skill = reviewing(event_code, skill_code)
    competitor = competitor_for(current_user, skill, competitor_code)
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
        code=shown_code(current_user, competitor),
        names=shows_names(current_user, skill),
        sheet=sheet,
        attention=sheet_attention(sheet),
        marks_too=may_mark_skill(current_user, skill),
        judges=list(judges.values()),
        revisions=revisions,
        audit=list(audit),
        can_decide=is_chief(current_user, skill),
        unlock_form=UnlockForm(),
        override_form=OverrideForm(),
        discussion_form=DiscussionForm(),
        Mark=Mark,
        audit_actions=AUDIT_ACTIONS,
        when=when,
    )


@bp.post("/chief/<event_code>/<skill_code>/marking")
@login_required
def marking(event_code: str, skill_code: str):
    skill = deciding(event_code, skill_code)
    form = WindowForm()
    if not form.validate_on_submit():
        abort(400, _("The form was incomplete (%(errors)s); reload the page and try again.",
                     errors="; ".join(f"{name}: {', '.join(map(str, messages))}" for name, messages in form.errors.items())))
    open_ = form.open.data == "1"
    if form.kind.data == "descriptors":
        set_descriptors_only(skill, by=current_user, descriptors_only=open_)
        flash(_("Judges now see descriptors only.") if open_ else _("Judges now see descriptors with their numbers."), "ok")
        return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)
    kind = None if form.kind.data == "skill" else form.kind.data
    key = form.key.data or ""
    if not open_ and not confirmed() and (kind is None or window_aspects(skill, kind, key)):
        return _close_question(skill, kind, key)
    try:
        set_window(skill, by=current_user, open=open_, kind=kind, key=key)
    except ServiceError as err:
        flash(str(err.message), "error")
        return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)
    flash(_window_message(open_, kind, key, skill), "ok")
    return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)


@bp.post("/chief/<event_code>/<skill_code>/results")
@login_required
def submit_results(event_code: str, skill_code: str):
    """The chief expert submits the skill's results: they lock (see services/results.py)."""
    skill = deciding(event_code, skill_code)
    try:
        lock_results(skill, by=current_user)
    except ServiceError as err:
        flash(str(err.message), "error")
    else:
        flash(_("Results submitted: the results of %(skill)s are locked.", skill=skill.code), "ok")
    return redirect(url_for("chief.overview", event_code=skill.event.code, skill_code=skill.code), 303)


def confirmed() -> bool:
    """The confirmation page's own button sends ``confirmed=1``; a form without it asks first."""
    return request.form.get("confirmed") == "1"


def _close_question(skill: Skill, kind: str | None, key: str):
    """Before marking closes: what closes, and which judges still have aspects to mark in it."""
    return render_template("chief/confirm_close.html", skill=skill, kind=kind or "skill", key=key,
                           question=_close_wording(kind, key, skill), still=still_marking(skill, kind, key), marks_too=True)


def _close_wording(kind: str | None, key: str, skill: Skill) -> str:
    if kind == CRITERION:
        return _("Close marking for criterion %(key)s?", key=key)
    if kind == DAY:
        return _("Close marking for day %(key)s?", key=key)
    return _("Close marking for %(skill)s?", skill=localise(skill.scheme.name) or skill.name)


def _window_message(open_: bool, kind: str | None, key: str, skill: Skill) -> str:
    """The whole sentence for each window, so each language words it its own way."""
    if kind == CRITERION:
        return _("Marking opened for criterion %(key)s.", key=key) if open_ else _("Marking closed for criterion %(key)s.", key=key)
    if kind == DAY:
        return _("Marking opened for day %(key)s.", key=key) if open_ else _("Marking closed for day %(key)s.", key=key)
    name = localise(skill.scheme.name) or skill.name
    return _("Marking opened for %(skill)s.", skill=name) if open_ else _("Marking closed for %(skill)s.", skill=name)


def _back(skill: Skill, competitor):
    return redirect(url_for("chief.competitor", event_code=skill.event.code, skill_code=skill.code,
                            competitor_code=shown_code(current_user, competitor)), 303)


def _unlock_question(skill: Skill, competitor, form: UnlockForm, *, problem: str | None = None, status: int = 200):
    """Before a competitor is unlocked: whose sign-offs it withdraws, and the reason for the audit trail."""
    sheet = competitor_sheet(competitor)
    return render_template("chief/confirm_unlock.html", skill=skill, competitor=competitor, code=shown_code(current_user, competitor),
                           signed=[j for j in sheet.panel if j.id in sheet.signed], form=form, problem=problem, when=when,
                           marks_too=True), status


@bp.get("/chief/<event_code>/<skill_code>/<competitor_code>/unlock")
@login_required
def unlock_question(event_code: str, skill_code: str, competitor_code: str):
    skill = deciding(event_code, skill_code)
    competitor = competitor_for(current_user, skill, competitor_code)
    if not competitor.locked:
        flash(_("%(code)s is not locked.", code=shown_code(current_user, competitor)), "error")
        return _back(skill, competitor)
    return _unlock_question(skill, competitor, UnlockForm())


@bp.post("/chief/<event_code>/<skill_code>/<competitor_code>/unlock")
@login_required
def unlock(event_code: str, skill_code: str, competitor_code: str):
    """Unlocks only from the confirmation page (``confirmed=1``); any other post shows that page."""
    skill = deciding(event_code, skill_code)
    competitor = competitor_for(current_user, skill, competitor_code)
    form = UnlockForm()
    if not form.validate_on_submit():
        return _unlock_question(skill, competitor, form, problem=_("Give the reason for unlocking (at least 5 characters)."),
                                status=422)
    if not confirmed():
        return _unlock_question(skill, competitor, form)
    try:
        unlock_competitor(competitor, by=current_user, reason=form.reason.data)
    except ServiceError as err:
        flash(str(err.message), "error")
        return _back(skill, competitor)
    flash(_("%(code)s unlocked. The panel signs off again once the marks are final.", code=shown_code(current_user, competitor)), "ok")
    return _back(skill, competitor)


@bp.post("/chief/<event_code>/<skill_code>/<competitor_code>/override")
@login_required
def override(event_code: str, skill_code: str, competitor_code: str):
    skill = deciding(event_code, skill_code)
    competitor = competitor_for(current_user, skill, competitor_code)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Document the override: a reason of at least 10 characters."), "error")
        return _back(skill, competitor)
    try:
        record_override(current_user, competitor, form.aspect.data, form.reason.data)
    except ServiceError as err:
        flash(str(err.message), "error")
        return _back(skill, competitor)
    flash(_("Override recorded for %(aspect)s.", aspect=form.aspect.data), "ok")
    return _back(skill, competitor)


@bp.post("/chief/<event_code>/<skill_code>/<competitor_code>/discussion")
@login_required
def discussion(event_code: str, skill_code: str, competitor_code: str):
    skill = deciding(event_code, skill_code)
    competitor = competitor_for(current_user, skill, competitor_code)
    form = DiscussionForm()
    if not form.validate_on_submit():
        abort(400, _("The discussion form was incomplete; reload the page and try again."))
    try:
        set_discussion(current_user, competitor, form.aspect.data, form.open.data == "1")
    except ServiceError as err:
        flash(str(err.message), "error")
    return _back(skill, competitor)


