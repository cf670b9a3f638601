"""The console's background jobs: a list of recent jobs, one job's page and its JSON.

The page shows a job's progress as any worker reports it (``templates/console/_job.html``, a
partial other pages include for their own jobs; ``static/js/jobs.js`` polls the JSON). A kind
may add what its result means to the page, once done: ``templates/console/job_<kind>.html``
(dots as underscores), given ``result`` and ``language``; the page reloads itself when a job it
showed unfinished ends, so that part appears.
"""

from __future__ import annotations

from flask import current_app, jsonify, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, Job
from competition.services import jobs as service
from competition.services.errors import ServiceError
from competition.services.lookup import get_row
from competition.web.console import bp
from competition.web.language import current_language

RECENT = 100  # jobs on the list


def state_label(state: str) -> str:
    return {"queued": _("Waiting"), "running": _("Running"), "done": _("Done"), "failed": _("Failed")}.get(state, state)


def download_url(job: Job) -> str | None:
    """Where a done job's result is downloaded: its file, or the certificate batch it drew."""
    if job.state != "done":
        return None
    result = service.result_of(job)
    if job.kind == "certificates" and "batch_id" in result:
        return url_for("certificates.batch_download", batch_id=result["batch_id"])
    if isinstance(result.get("file"), str):
        return url_for("console.jobs_download", job_id=job.id)
    return None


def job_view(job: Job) -> dict:
    """What the page and its script show of a job."""
    return {**service.job_status(job), "kind_label": service.kind_label(job.kind), "state_label": state_label(job.state),
            "status_url": url_for("console.jobs_json", job_id=job.id), "page_url": url_for("console.jobs_page", job_id=job.id),
            "download_url": download_url(job)}


@bp.get("/jobs")
def jobs_list():
    rows = db.session.scalars(select(Job).order_by(Job.id.desc()).limit(RECENT)).all()
    return render_template("console/jobs.html", jobs=rows, view=job_view)


def _job(job_id: int) -> Job:
    return get_row(Job, job_id, "job", "job")


@bp.get("/jobs/<int:job_id>")
def jobs_page(job_id: int):
    job = _job(job_id)
    event = db.session.get(Event, job.event_id) if job.event_id else None
    return render_template("console/job.html", job=job, status=job_view(job), event=event, result=service.result_of(job),
                           language=current_language(), outcome=f"console/job_{job.kind.replace('.', '_')}.html")


@bp.get("/jobs/<int:job_id>.json")
def jobs_json(job_id: int):
    return jsonify(job_view(_job(job_id)))


@bp.get("/jobs/<int:job_id>/download")
def jobs_download(job_id: int):
    job = _job(job_id)
    path = service.result_file(current_app, job)
    if path is None:
        raise ServiceError("job", _l("This job has no file to download (or it is no longer kept)."), 404, code="no_file")
    return send_file(path, as_attachment=True, download_name=path.name)
