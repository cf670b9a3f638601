"""The console's long work as background jobs: imports, whole-event exports, backups and restores.

Each kind is registered with :func:`~competition.services.jobs.job_kind` and queued by a console
page (the commands ``podium import|export|backup|restore`` call the same services in their own
process, without a job). Any worker may run a job again after its process died, so each kind
is safe to repeat:

- ``imports.apply`` (``event_id``, ``kind``, ``upload``, ``filename``, ``by``): the file waits in
  ``<instance>/imports/<upload>.bin``; the import is checked again and applied in one
  transaction. Imports are upserts on the external id, so an attempt after a committed one
  finds every row unchanged (a later attempt checks first) and writes nothing. Once committed, the outcome is kept in the
  job's folder (``outcome.json``) before the upload is deleted; a later attempt returns it.
  A file with problems ends the job *done* with ``applied: false`` and the problems (in both
  languages), as the preview shows them.
- ``exports`` (``event_id``, ``kind`` standings|marks, ``format``, ``skill_id`` or null): reads
  only; the file is written beside its final name and renamed, so an attempt simply writes it again.
- ``backup`` (``event_id``): reads only, like an export; the archive is the job's file.
- ``restore`` (``archive``, ``filename``, ``only_event``, ``by``): the archive waits in
  ``<instance>/restores/<archive>.zip`` (checked by the page before it was queued). A restore
  replaces the event by the archive's content, so a second run gives the same event; once
  committed its outcome is kept like an import's and the archive deleted.

Progress inside a write transaction (rows of an import, tables of a restore) is reported only on
databases with more than one writer: SQLite has one, held by the job's own transaction, so there
the bar moves at the steps around it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from competition.extensions import db
from competition.models import Event, Skill, User
from competition.services import imports
from competition.services.backup import Archive, BackupRefused, backup_event, read_archive, restore
from competition.services.effects import transaction
from competition.services.exports import FORMATS, KINDS, export, file_name
from competition.services.jobs import JobContext, job_kind

UPLOAD_ID_BYTES = 24
OUTCOME = "outcome.json"  # a committed attempt's result, kept for an attempt after it
LOCALES = {"en": "en", "zh": "zh_Hans_CN"}  # the languages a stored message is kept in


def upload_folder(app: Flask, name: str) -> Path:
    """``<instance>/<name>``: where uploads wait for their job (``imports``, ``restores``)."""
    folder = Path(app.instance_path) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_upload_id() -> str:
    return secrets.token_urlsafe(UPLOAD_ID_BYTES)


def _person(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError(f"event {event_id} does not exist")
    return event


def _inside_writes(job: JobContext):
    """``job.progress`` where it may be called inside the job's write transaction, else None."""
    return job.progress if db.engine.dialect.name != "sqlite" else None


def _kept_outcome(job: JobContext) -> dict | None:
    path = job.output_path(OUTCOME)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _keep_outcome(job: JobContext, outcome: dict) -> dict:
    path = job.output_path(OUTCOME)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)
    return outcome


def _in_each_language(messages: list) -> dict[str, list[str]]:
    found = {}
    for language, locale in LOCALES.items():
        with force_locale(locale):
            found[language] = [str(message) for message in messages]
    return found


# -- imports --------------------------------------------------------------------------------

@job_kind("imports.apply", label=_l("Import"))
def run_import(job: JobContext, params: dict) -> dict:
    """Apply an uploaded list (checked again: the database may have changed since the preview)."""
    if (outcome := _kept_outcome(job)) is not None:
        return outcome  # an earlier attempt committed the import and died before it was marked done
    folder = upload_folder(job.app, "imports")
    source = folder / f"{Path(params['upload']).name}.bin"
    if not source.is_file():
        raise FileNotFoundError(f"the uploaded file {params['filename']} is no longer kept; upload it again")
    data = source.read_bytes()
    job.progress(0, 1)
    with transaction():
        event = _event(params["event_id"])
        report = imports.preview(params["kind"], event, data, params["filename"]) if job.attempt > 1 else None
        if report is None or (report.ok and (report.counts["added"] or report.counts["updated"])):
            report = imports.apply(params["kind"], event, data, params["filename"], by=_person(params.get("by")),
                                   progress=_inside_writes(job))
        else:
            report.applied = report.ok  # an earlier attempt committed it all: nothing is written again
    outcome = {"kind": params["kind"], "filename": params["filename"], "applied": report.applied, **report.counts,
               "problems": _in_each_language([problem.text() for problem in report.problems]),
               "warnings": _in_each_language(list(report.warnings))}
    if report.applied:
        _keep_outcome(job, outcome)
    for suffix in (".bin", ".json"):
        (folder / f"{Path(params['upload']).name}{suffix}").unlink(missing_ok=True)
    job.progress(1, 1)
    return outcome


# -- exports and backups ----------------------------------------------------------------------

def _write_then_rename(path: Path, write) -> None:
    partial = path.with_name(path.name + ".part")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@job_kind("exports", label=_l("Export"))
def run_export(job: JobContext, params: dict) -> dict:
    """Write one export of the event (or of one skill) into the job's folder."""
    kind, fmt = params["kind"], params["format"]
    if kind not in KINDS or fmt not in FORMATS:
        raise ValueError(f"unknown export {kind}.{fmt}")
    event = _event(params["event_id"])
    skill = db.session.get(Skill, params["skill_id"]) if params.get("skill_id") else None
    if params.get("skill_id") and (skill is None or skill.event_id != event.id):
        raise LookupError(f"skill {params['skill_id']} is not a skill of {event.code}")
    name = file_name(kind, event, fmt, skill)
    written = {}

    def write(path: Path) -> None:
        with open(path, "wb") as out:
            written["rows"] = export(kind, event, out, fmt, skill=skill, progress=job.progress)

    _write_then_rename(job.output_path(name), write)
    db.session.rollback()
    return {"file": name, "rows": written["rows"]}


@job_kind("backup", label=_l("Backup"))
def run_backup(job: JobContext, params: dict) -> dict:
    """Write the event's archive into the job's folder."""
    event = _event(params["event_id"])
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    name = f"{re.sub(r'[^A-Za-z0-9._-]', '-', event.code)}-backup-{stamp}.zip"
    manifest = {}

    def write(path: Path) -> None:
        manifest.update(backup_event(event, path, progress=job.progress))

    _write_then_rename(job.output_path(name), write)
    db.session.rollback()
    tables = manifest.get("tables", {})
    return {"file": name, **{key: tables.get(key, {}).get("rows", 0) for key in ("skill", "competitor", "mark")}}


# -- restores -------------------------------------------------------------------------------

def check_archive(path: Path, only_event: str | None) -> Archive:
    """What the page checks before it queues a restore: a readable archive of a version this
    Podium knows (:func:`read_archive`) and, from an event's own page, of that event."""
    archive = read_archive(path)
    if only_event is not None and archive.event_code != only_event:
        raise BackupRefused("archive", _l("This backup is of the event %(theirs)s, not of %(ours)s.",
                                          theirs=archive.event_code, ours=only_event), status=400, code="other_event")
    return archive


def restore_path(app: Flask, archive: str) -> Path:
    return upload_folder(app, "restores") / f"{Path(archive).name}.zip"


def _restore_failed(params: dict, message: str) -> None:
    restore_path(current_app, params["archive"]).unlink(missing_ok=True)


@job_kind("restore", label=_l("Restore"), on_failed=_restore_failed)
def run_restore(job: JobContext, params: dict) -> dict:
    """Restore an uploaded archive (its event replaced if it exists, saved first)."""
    if (outcome := _kept_outcome(job)) is not None:
        return outcome
    source = restore_path(job.app, params["archive"])
    if not source.is_file():
        raise FileNotFoundError(f"the backup file {params['filename']} is no longer kept; upload it again")
    job.progress(0, 1)
    with transaction():
        restored = restore(source, by=_person(params.get("by")), progress=_inside_writes(job),
                           only_event=params.get("only_event"))
    outcome = {"event": restored.event_code, "filename": params["filename"],
               "replaced": str(restored.replaced) if restored.replaced else None,
               "users_created": restored.users_created, "users_matched": restored.users_matched,
               **{key: restored.counts.get(key, 0) for key in ("skill", "competitor", "mark")}}
    _keep_outcome(job, outcome)
    source.unlink(missing_ok=True)
    job.progress(1, 1)
    return outcome
