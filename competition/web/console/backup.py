"""The console's backup page: download an event's archive, restore one (the same checks as
``podium restore``: format and schema version, checksums, people matched, the replaced event
saved first)."""

from __future__ import annotations

import datetime as dt
import io
import re

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.extensions import db
from competition.models import Competitor, Mark, Skill
from competition.services import effects
from competition.services.backup import Restored, archive_bytes, restore
from competition.services.errors import ServiceError
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


@bp.get("/events/<event_code>/backup/download")
def backup_download(event_code: str):
    event = event_by_code(event_code)
    data = archive_bytes(event)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    name = f"{re.sub(r'[^A-Za-z0-9._-]', '-', event.code)}-backup-{stamp}.zip"
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name)


def _restore_upload(only_event: str | None) -> Restored | None:
    """Restore the uploaded archive; on a refusal say why and leave the database as it was."""
    upload = request.files.get("archive")
    if upload is None or not upload.filename:
        flash(_("Choose a backup file (.zip) to restore."), "error")
        return None
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that the event is replaced."), "error")
        return None
    try:
        restored = restore(io.BytesIO(upload.read()), by=current_user._get_current_object(), only_event=only_event)
    except ServiceError as err:
        effects.rollback()  # a row the database refused half way: nothing of the restore stays
        flash(err.message, "error")
        return None
    message = _("Event %(code)s restored from the backup: %(skills)s skills, %(competitors)s competitors, %(marks)s marks.",
                code=restored.event_code, skills=restored.counts.get("skill", 0),
                competitors=restored.counts.get("competitor", 0), marks=restored.counts.get("mark", 0))
    if restored.replaced:
        message += " " + _("The event it replaced was saved to %(path)s.", path=str(restored.replaced))
    flash(message, "ok")
    return restored


@bp.post("/events/<event_code>/backup/restore")
def backup_restore(event_code: str):
    event = event_by_code(event_code)
    _restore_upload(only_event=event.code)
    return redirect(url_for("console.backup_page", event_code=event.code), 303)


@bp.route("/restore", methods=["GET", "POST"])
def backup_restore_any():
    """Restore any event's archive: a new event, or one of the same code replaced."""
    if request.method == "POST":
        restored = _restore_upload(only_event=None)
        if restored is not None:
            return redirect(url_for("console.backup_page", event_code=restored.event_code), 303)
        return redirect(url_for("console.backup_restore_any"), 303)
    return render_template("console/backup_restore.html")
