"""The console's import page: choose what the file lists, upload it, read the preview (every
problem by row and column, or every change), then confirm.

The uploaded bytes wait in the instance folder under a random id, with who uploaded them for
which event and kind; the confirmation names only that id, and the file is checked again as
it is imported (the database may have changed since the preview). Nothing the browser sends
back is trusted beyond the id.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from competition.services import imports
from competition.services.lookup import event_by_code
from competition.web.console import bp

UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP_SECONDS = 24 * 3600


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
    upload = secrets.token_urlsafe(24)
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
    if meta.get("event") != event.id or meta.get("user") != current_user.id or meta.get("kind") not in imports.KINDS:
        return None
    return meta, data


def _forget(upload: str) -> None:
    for suffix in (".bin", ".json"):
        (_uploads() / f"{upload}{suffix}").unlink(missing_ok=True)


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
    meta, data = kept
    report = imports.apply(meta["kind"], event, data, meta["filename"], by=current_user._get_current_object())
    _forget(upload)
    if not report.applied:
        return _page(event, kind=meta["kind"], report=report, status=422)
    counts = report.counts
    flash(_("%(file)s imported: %(added)s, %(updated)s, %(unchanged)s.", file=meta["filename"],
            added=ngettext("%(num)s added", "%(num)s added", counts["added"]),
            updated=ngettext("%(num)s updated", "%(num)s updated", counts["updated"]),
            unchanged=ngettext("%(num)s unchanged", "%(num)s unchanged", counts["unchanged"])), "ok")
    return redirect(url_for("console.imports_page", event_code=event.code, kind=meta["kind"]))


@bp.get("/events/<event_code>/imports/<kind>.csv")
def imports_template(event_code: str, kind: str):
    """An empty list to fill in: the header row of ``kind``, as CSV UTF-8 with a BOM (Excel opens it as UTF-8)."""
    event_by_code(event_code)
    if kind not in imports.KINDS:
        return _page(event_by_code(event_code), problem=_("Choose what the file lists."), status=404)
    header = ",".join(column.name for column in imports.columns(kind)) + "\r\n"
    return Response("\ufeff" + header, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={kind}.csv"})
