"""Backup and restore of one event: a versioned archive that restores into any database.

The archive is a zip: ``manifest.json`` (format version, Podium version, schema revision, event
code, when it was written, and per table its member, row count and SHA-256), then one JSON-lines
file per table, a row per line, every column by name. What the event owns is found from the
schema (:mod:`competition.services.backup_rows`), so columns and tables added by later
migrations travel without a change here.

Restoring never trusts the archive's ids: the target database may hold other events and
people. Each row gets a new id from the database and every foreign key is mapped from the old
id to the new one. People are matched, not duplicated: an archived user is the database's user
with the same external id, else the one with the same user name (the same person); a matched
account is kept as the database has it (password, language, organiser right). A user name held
by a different person (both have external ids, and they differ) refuses the restore. When the
event's code exists already, what it replaces is first written to an archive of its own
(``<instance>/backups``) and then deleted. Everything happens in the caller's transaction: a
refusal or a failure leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, StatementError

from competition.extensions import db
from competition.models import Event, User
from competition.services import backup_rows as rows
from competition.services.audit import audit
from competition.services.errors import ServiceError

FORMAT = "podium-event-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

Progress = Callable[[int, int], object] | None


class BackupRefused(ServiceError):
    """An archive this Podium will not restore (not a backup, tampered with, or too new)."""

    code = "backup_refused"


def podium_version() -> str:
    try:
        return version("podium")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


@dataclass
class Archive:
    """An archive read and checked: its manifest and its rows, table by table (JSON values)."""

    manifest: dict
    tables: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def event_code(self) -> str:
        return self.manifest["event"]

    def counts(self) -> dict[str, int]:
        return {name: len(found) for name, found in self.tables.items()}


@dataclass
class Restored:
    """What a restore did: the event, the rows per table, and where the event it replaced was saved."""

    event_code: str
    counts: dict[str, int]
    replaced: Path | None = None
    users_created: int = 0
    users_matched: int = 0


# -- writing -------------------------------------------------------------------------------

def event_rows(event_id: int, progress: Progress = None) -> dict[str, list[dict]]:
    """Every row the event owns, table by table in dependency order (``user`` among them), as JSON values."""
    reached = rows.reached_tables()
    where = rows.scopes(event_id)
    total = len(reached) + 1
    found: dict[str, list[dict]] = {}
    people: set[int] = set()
    for done, table in enumerate(reached, start=1):
        query = sa.select(table).where(where[table.name]).order_by(*table.primary_key.columns)
        table_rows = [dict(row) for row in db.session.execute(query).mappings()]
        for column in rows.user_columns(table):
            people.update(row[column.name] for row in table_rows if row[column.name] is not None)
        found[table.name] = [{key: rows.encode(value) for key, value in row.items()} for row in table_rows]
        _tell(progress, done, total)
    users = rows.user_table()
    organisers = set(db.session.scalars(sa.select(users.c.id).where(users.c.is_organiser.is_(True))))
    ids = sorted(people | organisers)
    people_rows = []
    for start in range(0, len(ids), 500):
        query = sa.select(users).where(users.c.id.in_(ids[start:start + 500])).order_by(users.c.id)
        people_rows += [{key: rows.encode(value) for key, value in row.items()} for row in db.session.execute(query).mappings()]
    found[rows.USERS] = people_rows
    _tell(progress, total, total)
    return {table.name: found[table.name] for table in rows.tables() if table.name in found}


def backup_event(event: Event, out: str | Path | IO[bytes], *, progress: Progress = None) -> dict:
    """Write the event's archive to ``out`` (a path or a binary file) and return its manifest.
    Reads only: nothing is written to the database."""
    tables = event_rows(event.id, progress)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "podium_version": podium_version(),
        "schema_revision": rows.schema_revision(),
        "event": event.code,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "left_out": sorted(rows.LEFT_OUT),
        "tables": {},
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table_rows in tables.items():
            data = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in table_rows).encode("utf-8")
            member = f"{name}.jsonl"
            archive.writestr(member, data)
            manifest["tables"][name] = {"file": member, "rows": len(table_rows), "sha256": hashlib.sha256(data).hexdigest()}
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
    return manifest


def backup_folder() -> Path:
    """Where restores keep the events they replaced: ``BACKUP_DIR`` or ``<instance>/backups``."""
    folder = Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# -- reading and checking -------------------------------------------------------------------

def _refuse(message, code: str = "backup_refused", **extra) -> BackupRefused:
    return BackupRefused("archive", message, status=400, code=code, **extra)


def read_archive(source: str | Path | IO[bytes]) -> Archive:
    """Open an archive and check it before anything is written: a Podium event backup, of a
    format and schema this Podium knows, every member's SHA-256 as the manifest says."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _refuse(_l("This file is not a Podium backup (not a zip archive)."), "not_a_backup") from err
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError, zipfile.BadZipFile) as err:
            raise _refuse(_l("This file is not a Podium backup (no readable manifest)."), "not_a_backup") from err
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
            raise _refuse(_l("This file is not a Podium event backup."), "not_a_backup")
        _check_versions(manifest)
        found = Archive(manifest)
        known = db.metadata.tables
        for name, entry in manifest["tables"].items():
            if not isinstance(entry, dict):
                raise _refuse(_l("This file is not a Podium event backup."), "not_a_backup")
            if name not in known:
                raise _refuse(_l("The backup has a table this Podium does not know: %(table)s.", table=name), "newer_backup")
            try:
                data = archive.read(entry["file"])
            except (KeyError, TypeError, zipfile.BadZipFile) as err:
                raise _refuse(_l("The backup is incomplete: %(table)s is missing.", table=name), "tampered") from err
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                raise _refuse(_l("The backup has been changed or damaged: the checksum of %(table)s does not match.", table=name),
                              "tampered")
            try:
                table_rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
            except ValueError as err:
                raise _refuse(_l("The backup has been changed or damaged: %(table)s cannot be read.", table=name), "tampered") from err
            if len(table_rows) != entry.get("rows"):
                raise _refuse(_l("The backup has been changed or damaged: %(table)s has the wrong number of rows.", table=name),
                              "tampered")
            found.tables[name] = table_rows
    events = found.tables.get(rows.ROOT, [])
    if len(events) != 1 or events[0].get("code") != manifest.get("event"):
        raise _refuse(_l("The backup does not hold exactly the event its manifest names."), "tampered")
    return found


def _check_versions(manifest: dict) -> None:
    theirs = manifest.get("format_version")
    if not isinstance(theirs, int) or theirs > FORMAT_VERSION:
        raise _refuse(_l("This backup was written by a newer Podium (%(podium)s): its format is version %(theirs)s, "
                         "this Podium reads up to version %(ours)s.", podium=manifest.get("podium_version", "?"),
                         theirs=theirs, ours=FORMAT_VERSION), "newer_backup")
    revision = str(manifest.get("schema_revision") or "")
    if not rows.known_revision(revision):
        raise _refuse(_l("This backup was written by a newer Podium (%(podium)s): its schema revision is %(theirs)s, "
                         "this Podium's is %(ours)s. Upgrade Podium, then restore.", podium=manifest.get("podium_version", "?"),
                         theirs=revision or "?", ours=rows.schema_revision()), "newer_backup")


# -- restoring ------------------------------------------------------------------------------

def restore(archive_path: str | Path | IO[bytes], *, by: User | None = None, progress: Progress = None,
            only_event: str | None = None) -> Restored:
    """Restore an event from its archive into this database, replacing the event of the same
    code (saved first to :func:`backup_folder`). ``only_event`` refuses an archive of another
    event. Flushes; the caller commits. Every check is made before the first write; should the
    database still refuse a row (a unique number held by another event), the caller's
    transaction must be rolled back (``effects.transaction()`` and the console do)."""
    archive = read_archive(archive_path)
    if only_event is not None and archive.event_code != only_event:
        raise _refuse(_l("This backup is of the event %(theirs)s, not of %(ours)s.", theirs=archive.event_code, ours=only_event),
                      "other_event")
    known = db.metadata.tables
    decoded = {name: _decoded(known[name], table_rows) for name, table_rows in archive.tables.items()}
    result = Restored(archive.event_code, archive.counts())
    people = decoded.get(rows.USERS, [])
    matched = _match_people(people)
    existing = db.session.scalar(sa.select(Event).where(Event.code == archive.event_code))
    if existing is not None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        result.replaced = backup_folder() / f"{archive.event_code}-replaced-{stamp}.zip"
        backup_event(existing, result.replaced)
        _delete_event(existing.id)
    order = [t for t in rows.reached_tables() if t.name in decoded]
    try:
        added = _insert(rows.user_table(), [person for person in people if person["id"] not in matched], {})
        new_ids: dict[str, dict[object, object]] = {rows.USERS: {**matched, **added}}
        result.users_created, result.users_matched = len(added), len(matched)
        for done, table in enumerate(order, start=1):
            new_ids[table.name] = _insert(table, decoded[table.name], new_ids)
            _tell(progress, done, len(order))
        db.session.flush()
    except IntegrityError as err:
        raise _refuse(_l("The backup conflicts with data already in this database (%(problem)s).",
                         problem=str(err.orig).splitlines()[0][:200]), "conflict") from err
    except StatementError as err:  # a value the column cannot hold: an archive made by hand
        raise _refuse(_l("The backup has been changed or damaged: %(table)s cannot be read.", table=_table_of(err)),
                      "tampered") from err
    db.session.expire_all()
    audit("event_restored", by=by, detail=json.dumps({
        "event": archive.event_code, "created_at": archive.manifest.get("created_at"),
        "podium_version": archive.manifest.get("podium_version"), "replaced": str(result.replaced or ""),
    }))
    db.session.flush()
    return result


def _table_of(err: StatementError) -> str:
    statement = str(err.statement or "")
    return next((name for name in db.metadata.tables if f"INSERT INTO {name} " in statement
                 or f'INSERT INTO "{name}" ' in statement), "?")


def _decoded(table: sa.Table, table_rows: list[dict]) -> list[dict]:
    columns = table.columns
    out = []
    for row in table_rows:
        if not isinstance(row, dict) or (table.name == rows.USERS and not {"id", "username"} <= set(row)):
            raise _refuse(_l("The backup has been changed or damaged: %(table)s cannot be read.", table=table.name), "tampered")
        unknown = set(row) - set(columns.keys())
        if unknown:
            raise _refuse(_l("The backup has columns this Podium does not know: %(columns)s.",
                             columns=", ".join(f"{table.name}.{name}" for name in sorted(unknown))), "newer_backup")
        try:
            out.append({name: rows.decode(columns[name], value) for name, value in row.items()})
        except (ValueError, TypeError, ArithmeticError) as err:  # decimal.InvalidOperation is an ArithmeticError
            raise _refuse(_l("The backup has been changed or damaged: %(table)s cannot be read.", table=table.name),
                          "tampered") from err
    return out


def _delete_event(event_id: int) -> None:
    """Delete every row of the event, in every table that reaches it (also those a backup leaves out)."""
    where = rows.scopes(event_id, left_out=True)
    for table in reversed(rows.reached_tables(left_out=True)):
        db.session.execute(sa.delete(table).where(where[table.name]))


def _match_people(archived: list[dict]) -> dict[object, object]:
    """The archive's users who are already in this database (old id → their id): the same
    external id, else the same user name, is the same person. Reads only, so a conflict
    refuses the restore before anything is written."""
    users = rows.user_table()
    matched: dict[object, object] = {}
    for person in archived:
        match = None
        if person.get("external_id"):
            match = db.session.execute(sa.select(users).where(users.c.external_id == person["external_id"])).mappings().first()
        if match is None:
            match = db.session.execute(sa.select(users).where(users.c.username == person["username"])).mappings().first()
            if match is not None and match["external_id"] and person.get("external_id") \
                    and match["external_id"] != person["external_id"]:
                raise _refuse(_l("The user name %(name)s belongs to someone else in this database (external id %(ours)s, "
                                 "the backup's is %(theirs)s).", name=person["username"], ours=match["external_id"],
                                 theirs=person["external_id"]), "user_conflict")
        if match is not None:
            matched[person["id"]] = match["id"]
    return matched


def _insert(table: sa.Table, table_rows: list[dict], new_ids: dict[str, dict]) -> dict[object, object]:
    """Insert rows with their foreign keys mapped to the new ids; return old id → new id."""
    if not table_rows:
        return {}
    key = rows.surrogate_key(table)
    fks = [(fk.parent.name, fk.column.table.name, fk.parent.nullable) for fk in table.foreign_keys]
    values = []
    for row in table_rows:
        row = dict(row)
        for column, parent, nullable in fks:
            old = row.get(column)
            if old is None:
                continue
            new = new_ids.get(parent, {}).get(old)
            if new is None and not nullable:
                raise _refuse(_l("The backup's %(table)s refers to a row it does not hold (%(column)s %(id)s).",
                                 table=table.name, column=column, id=old), "tampered")
            row[column] = new
        for column, fix in rows.JSON_IDS.get(table.name, {}).items():
            if row.get(column):
                row[column] = fix(row[column], new_ids)
        values.append(row)
    if key is None:
        db.session.connection().execute(table.insert(), values)
        return {}
    old_ids = [row.pop(key.name) for row in values]
    inserted = db.session.connection().execute(table.insert().returning(key, sort_by_parameter_order=True), values)
    return dict(zip(old_ids, inserted.scalars().all(), strict=True))


def _tell(progress: Progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def archive_bytes(event: Event) -> bytes:
    """The event's archive in memory (a download)."""
    buffer = io.BytesIO()
    backup_event(event, buffer)
    return buffer.getvalue()
