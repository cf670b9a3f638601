"""Imports of an event's lists — organisations, competitors and teams, judges, assignments —
from CSV or XLSX.

:func:`preview` reads the file and checks every row against the database, collecting every
problem (``row N, column X (name): problem``) and the change each good row would make; it
writes nothing. :func:`apply` does the same and, only when the file is clean, makes all the
changes inside one savepoint: a database error on the way undoes every row of the import,
never leaving half a file behind. Rows are matched on their external id (then on their code or
user name), so importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from competition.extensions import db
from competition.models import Event, User
from competition.services.audit import audit
from competition.services.imports import assignments, competitors, judges, organisations
from competition.services.imports.reading import Column, ImportReport, Problem, read_table

__all__ = ["KINDS", "ImportReport", "Problem", "apply", "columns", "preview"]

KINDS: dict[str, ModuleType] = {
    "organisations": organisations,
    "competitors": competitors,
    "judges": judges,
    "assignments": assignments,
}
KIND_NAMES = {
    "organisations": _l("Organisations"),
    "competitors": _l("Competitors and teams"),
    "judges": _l("Judges"),
    "assignments": _l("Assignments"),
}


def columns(kind: str) -> tuple[Column, ...]:
    return _kind(kind).COLUMNS


def _kind(kind: str) -> ModuleType:
    from competition.services.errors import ServiceError

    if kind not in KINDS:
        raise ServiceError("kind", _l("Choose what the file lists: organisations, competitors, judges or assignments."),
                           code="unknown_import")
    return KINDS[kind]


def _plan(kind: str, event: Event, data: bytes, filename: str) -> tuple[ImportReport, list[Callable[[], None]]]:
    module = _kind(kind)
    report = ImportReport(kind, filename)
    rows = read_table(data, filename, module.COLUMNS, report)
    writes: list[Callable[[], None]] = []
    if report.ok:
        with db.session.no_autoflush:
            writes = module.plan(event, rows, report)
    report.problems.sort(key=lambda p: (p.row or 0, p.letter.rjust(3)))
    return report, writes


def preview(kind: str, event: Event, data: bytes, filename: str) -> ImportReport:
    """Every problem of the file, or the changes it would make; nothing is written."""
    report, _ = _plan(kind, event, data, filename)
    return report


def apply(kind: str, event: Event, data: bytes, filename: str, *, by: User | None,
          progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check the file again and, when it is clean, make its changes, all or none (``report.applied``
    says which). ``progress(done, total)`` is called as rows are written (a background job's bar)."""
    report, writes = _plan(kind, event, data, filename)
    if not report.ok:
        return report
    total = len(writes)
    try:
        with db.session.begin_nested():
            for done, write in enumerate(writes, start=1):
                write()
                if progress is not None and (done % 50 == 0 or done == total):
                    db.session.flush()
                    progress(done, total)
            counts = report.counts
            detail = (f"{kind} from {filename[:200]}: {counts['added']} added, {counts['updated']} updated, "
                      f"{counts['unchanged']} unchanged; rows "
                      + ", ".join(f"{c.row} {c.action} {c.label}" for c in report.changes if c.action != "unchanged"))
            audit(f"import_{kind}", by=by, detail=detail)
            db.session.flush()
    except SQLAlchemyError as err:
        db.session.expire_all()
        report.problems.append(Problem(_l("The database refused the import, so nothing was written: %(error)s",
                                          error=str(getattr(err, "orig", err))[:300])))
        return report
    report.applied = True
    return report
