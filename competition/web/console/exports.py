"""The event's results as files (/console/events/<code>/results): per skill, the standings and
raw-mark exports in each format, the result sheet and the blank paper marking forms; the whole
event's exports; the medal table.

A skill's exports and forms are downloads (GET: they read only, and one skill's file is made
at once). The whole event's exports are prepared by a background job (``exports``,
:mod:`competition.services.console_jobs`): every skill's marks with their revisions can be tens
of thousands of rows, too long for a request to hold a server process; the button queues the job
and shows its page, with the download once it is written. The result sheet is a POST: printing
it records the sheet's hash, so that its QR code can be verified (see
:mod:`competition.services.result_sheets`).
"""

from __future__ import annotations

import io

from flask import redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from competition.certificates.content import LANGUAGES as LANGUAGE_NAMES
from competition.extensions import db
from competition.models import Job
from competition.services import console_jobs  # noqa: F401  (registers the "exports" kind)
from competition.services.errors import NotFound
from competition.services.exports import FORMATS, KINDS, MEDIA_TYPES, export, file_name
from competition.services.jobs import enqueue
from competition.services.lookup import event_by_code, skill_in_event
from competition.services.paper_forms import print_marking_forms
from competition.services.result_sheets import LANGUAGES, last_printed, print_result_sheet
from competition.web.console import bp
from competition.web.console.jobs import job_view
from competition.web.language import current_language


def _language(value: str | None) -> str | None:
    return value if value in LANGUAGES else None


@bp.get("/events/<event_code>/results")
def exports_results(event_code: str):
    event = event_by_code(event_code)
    default = event.language if event.language in LANGUAGES else current_language()
    return render_template("console/exports.html", event=event, kinds=KINDS, formats=FORMATS, sheet_languages=LANGUAGES,
                           language_names=LANGUAGE_NAMES, default_language=default, printed=last_printed(list(event.skills)),
                           prepared=[(job, job_view(job)) for job in _prepared(event)])


PREPARED = 6  # the event's latest prepared exports listed on the page


def _prepared(event) -> list[Job]:
    return list(db.session.scalars(select(Job).where(Job.kind == "exports", Job.event_id == event.id)
                                   .order_by(Job.id.desc()).limit(PREPARED)))


def _export(kind: str, fmt: str) -> None:
    if kind not in KINDS or fmt not in FORMATS:
        raise NotFound("export", _l("There is no such export."), code="unknown_export")


@bp.post("/events/<event_code>/results/<kind>.<fmt>/prepare")
def exports_prepare(event_code: str, kind: str, fmt: str):
    """Queue the export of the whole event (or of one skill, ``skill=CODE``) and show its job."""
    event = event_by_code(event_code)
    _export(kind, fmt)
    skill = skill_in_event(event, request.form["skill"]) if request.form.get("skill") else None
    job = enqueue("exports", {"event_id": event.id, "kind": kind, "format": fmt, "skill_id": skill.id if skill else None},
                  event=event, by=current_user._get_current_object())
    return redirect(url_for("console.jobs_page", job_id=job.id), 303)


@bp.get("/events/<event_code>/results/<kind>.<fmt>")
def exports_download(event_code: str, kind: str, fmt: str):
    """The export of one skill (``?skill=CODE``), made at once; the whole event's is prepared by a job."""
    event = event_by_code(event_code)
    _export(kind, fmt)
    if not request.args.get("skill"):
        raise NotFound("skill", _l("The whole event's exports are prepared in the background: use Prepare on the results page."),
                       code="export_prepared")
    skill = skill_in_event(event, request.args["skill"])
    out = io.BytesIO()
    export(kind, event, out, fmt, skill=skill)
    out.seek(0)
    return send_file(out, mimetype=MEDIA_TYPES[fmt], as_attachment=True, download_name=file_name(kind, event, fmt, skill))


@bp.post("/events/<event_code>/results/<skill_code>/result-sheet")
def exports_result_sheet(event_code: str, skill_code: str):
    skill = skill_in_event(event_by_code(event_code), skill_code)
    out = io.BytesIO()
    sheet = print_result_sheet(skill, out, language=_language(request.form.get("language")), by=current_user)
    out.seek(0)
    name = f"{skill.event.code}-{skill.code}-result-sheet-{sheet.digest[:12]}.pdf"
    return send_file(out, mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.get("/events/<event_code>/results/<skill_code>/marking-forms")
def exports_marking_forms(event_code: str, skill_code: str):
    skill = skill_in_event(event_by_code(event_code), skill_code)
    blank = request.args.get("blank") == "1"
    out = io.BytesIO()
    print_marking_forms(skill, out, language=_language(request.args.get("language")), blank=blank)
    out.seek(0)
    name = f"{skill.event.code}-{skill.code}-marking-forms{'-blank' if blank else ''}.pdf"
    return send_file(out, mimetype="application/pdf", as_attachment=True, download_name=name)
