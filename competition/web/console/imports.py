"""The console's import page: choose what the file lists, upload it, read the preview (every
problem by row and column, or every change), then confirm.

The uploaded bytes wait in the instance folder under a random id, with who uploaded them for
which event and kind; the confirmation names only that id, and the file is checked again as
it is imported (the database may have changed since the preview). Nothing the browser sends
back is trusted beyond the id. The confirmation queues a background job (``imports.apply``,
:mod:`competition.services.console_jobs`) and shows its page: progress, then the counts or the
problems found when the file was checked again.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.services import imports
from competition.services.console_jobs import new_upload_id, upload_folder
from competition.services.jobs import enqueue
from competition.services.lookup import event_by_code
from competition.web.console import bp

UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP_SECONDS = 24 * 3600


def _uploads() -> Path:
    return upload_folder(current_app, "imports")


def _sweep(folder: Path) -> None:
    """Forget uploads nobody confirmed within a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _keep(event, kind: str, filename: str, data: bytes) -> str:
    folder = _uploads()
    _sweep(folder)
    upload = new_upload_id()
    (folder / f"{upload}.bin").write_bytes(data)
    meta = {"event": event.id, "user": current_user.id, "kind": kind, "filename": filename}
    (folder / f"{upload}.json").write_text(json.dumps(meta), encoding="utf-8")
    return upload


def _kept(event, upload: str) -> tuple[dict, bytes] | None:
    if not UPLOAD_ID.fullmatch(upload):
        return None
    folder = _uploads()
    try:
        meta = json.loads((folder / f"{upload}.json").read_text(encoding="utf-8"))
        data = (folder / f"{upload}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if (meta.get("event") != event.id or meta.get("user") != current_user.id or meta.get("kind") not in imports.KINDS
            or meta.get("job")):
        return None
    return meta, data


def _queued(upload: str, meta: dict, job_id: int) -> None:
    """The upload now belongs to its job (which deletes it): it cannot be confirmed again."""
    (_uploads() / f"{upload}.json").write_text(json.dumps({**meta, "job": job_id}), encoding="utf-8")


def _page(event, *, kind: str = "competitors", report=None, upload: str | None = None, problem: str | None = None, status: int = 200):
    return render_template("console/imports.html", event=event, kinds=imports.KIND_NAMES, kind=kind, columns=imports.columns,
                           report=report, upload=upload, problem=problem), status


@bp.get("/events/<event_code>/imports")
def imports_page(event_code: str):
    event = event_by_code(event_code)
    kind = request.args.get("kind", "competitors")
    return _page(event, kind=kind if kind in imports.KINDS else "competitors")


@bp.post("/events/<event_code>/imports")
def imports_upload(event_code: str):
    event = event_by_code(event_code)
    kind = request.form.get("kind", "")
    if kind not in imports.KINDS:
        return _page(event, problem=_("Choose what the file lists."), status=400)
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    if upload is None or not upload.filename or not data:
        return _page(event, kind=kind, problem=_("Choose a CSV or XLSX file to upload."), status=400)
    filename = Path(upload.filename.replace("\\", "/")).name[:200] or "upload"
    report = imports.preview(kind, event, data, filename)
    changes = report.counts["added"] + report.counts["updated"]
    kept = _keep(event, kind, filename, data) if report.ok and changes else None
    return _page(event, kind=kind, report=report, upload=kept, status=200 if report.ok else 422)


@bp.post("/events/<event_code>/imports/<upload>")
def imports_apply(event_code: str, upload: str):
    event = event_by_code(event_code)
    kept = _kept(event, upload)
    if kept is None:
        return _page(event, problem=_("This upload is no longer waiting to be imported: upload the file again."), status=404)
    meta, _data = kept
    job = enqueue("imports.apply", {"event_id": event.id, "kind": meta["kind"], "upload": upload, "filename": meta["filename"],
                                    "by": current_user.id}, event=event, by=current_user._get_current_object())
    _queued(upload, meta, job.id)
    return redirect(url_for("console.jobs_page", job_id=job.id), 303)


@bp.get("/events/<event_code>/imports/<kind>.csv")
def imports_template(event_code: str, kind: str):
    """An empty list to fill in: the header row of ``kind``, as CSV UTF-8 with a BOM (Excel opens it as UTF-8)."""
    event_by_code(event_code)
    if kind not in imports.KINDS:
        return _page(event_by_code(event_code), problem=_("Choose what the file lists."), status=404)
    header = ",".join(column.name for column in imports.columns(kind)) + "\r\n"
    return Response("\ufeff" + header, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={kind}.csv"})
