"""The console's backup page: back up an event, restore one (the same checks as ``podium restore``:
format and schema version, checksums, people matched, the replaced event saved first).

Both run as background jobs (:mod:`competition.services.console_jobs`) and show the job's page:
a backup ends with its archive to download; a restore with what it restored and where the event
it replaced was saved. The uploaded archive is checked before it is queued, so a file that is
not a backup of this event (or one written by a newer Podium) is refused at once, in the
organiser's language, and nothing is queued.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.extensions import db
from competition.models import Competitor, Mark, Skill
from competition.services.console_jobs import check_archive, new_upload_id, restore_path
from competition.services.errors import ServiceError
from competition.services.jobs import enqueue
from competition.services.lookup import event_by_code
from competition.web.console import bp


def _counts(event) -> dict[str, int]:
    skills = sa.select(Skill.id).where(Skill.event_id == event.id)
    count = sa.func.count()
    return {
        "skills": db.session.scalar(sa.select(count).select_from(Skill).where(Skill.event_id == event.id)),
        "competitors": db.session.scalar(sa.select(count).select_from(Competitor).where(Competitor.skill_id.in_(skills))),
        "marks": db.session.scalar(sa.select(count).select_from(Mark).where(Mark.skill_id.in_(skills))),
    }


@bp.get("/events/<event_code>/backup")
def backup_page(event_code: str):
    event = event_by_code(event_code)
    return render_template("console/backup.html", event=event, counts=_counts(event))


@bp.post("/events/<event_code>/backup")
def backup_prepare(event_code: str):
    """Queue the event's backup and show its job (the archive is downloaded from there)."""
    event = event_by_code(event_code)
    job = enqueue("backup", {"event_id": event.id}, event=event, by=current_user._get_current_object())
    return redirect(url_for("console.jobs_page", job_id=job.id), 303)


def _restore_upload(only_event: str | None):
    """Check the uploaded archive and queue its restore; on a refusal say why and queue nothing.
    Returns the redirect to the job's page, or None after a refusal (flashed)."""
    upload = request.files.get("archive")
    if upload is None or not upload.filename:
        flash(_("Choose a backup file (.zip) to restore."), "error")
        return None
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that the event is replaced."), "error")
        return None
    archive = new_upload_id()
    path = restore_path(current_app, archive)
    upload.save(path)
    try:
        check_archive(path, only_event)
    except ServiceError as err:
        path.unlink(missing_ok=True)
        flash(err.message, "error")
        return None
    # Not tied to the event: a restore deletes the event it replaces, and with it that event's jobs.
    job = enqueue("restore", {"archive": archive, "filename": upload.filename[:200], "only_event": only_event,
                              "by": current_user.id}, by=current_user._get_current_object())
    return redirect(url_for("console.jobs_page", job_id=job.id), 303)


@bp.post("/events/<event_code>/backup/restore")
def backup_restore(event_code: str):
    event = event_by_code(event_code)
    return _restore_upload(only_event=event.code) or redirect(url_for("console.backup_page", event_code=event.code), 303)


@bp.route("/restore", methods=["GET", "POST"])
def backup_restore_any():
    """Restore any event's archive: a new event, or one of the same code replaced."""
    if request.method == "POST":
        return _restore_upload(only_event=None) or redirect(url_for("console.backup_restore_any"), 303)
    return render_template("console/backup_restore.html")
