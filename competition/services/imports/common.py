"""Checks every kind of import makes: a cell's text, keys given twice in one file, the event's
organisations by name or code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, Organisation
from competition.services.imports.reading import Cell, ImportReport, Row


def text(row: Row, name: str, report: ImportReport, *, required: bool = False, longest: int = 200) -> str | None:
    """The cell's text, or None after reporting it empty (when required) or too long."""
    if not row.has(name):
        return ""
    cell = row[name]
    if required and not cell.value:
        report.problem(_l("empty: give the %(name)s.", name=cell.column or name), cell=cell)
        return None
    if len(cell.value) > longest:
        report.problem(_l("longer than %(max)s characters.", max=longest), cell=cell)
        return None
    return cell.value


class Keys:
    """Keys seen so far in a file (an external id, a code): a second row with the same key is a
    problem naming both rows."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.seen: dict[tuple, int] = {}

    def once(self, key: tuple, cell: Cell) -> bool:
        if not cell.value:
            return True
        first = self.seen.setdefault(key, cell.row)
        if first != cell.row:
            self.report.problem(_l("%(value)s is also in row %(other)s; each may appear once.", value=cell.value, other=first),
                                cell=cell)
            return False
        return True


class Register:
    """The event's organisations, found by name or by code (codes case-insensitively)."""

    def __init__(self, event: Event):
        self.organisations = db.session.scalars(select(Organisation).where(Organisation.event_id == event.id)).all()
        self.by_name = {o.name: o for o in self.organisations}
        self.by_code = {o.code.lower(): o for o in self.organisations}

    def name_of(self, cell: Cell, report: ImportReport) -> str | None:
        """The organisation's name for ``cell`` ("" when empty), or None after reporting it unknown."""
        if not cell.value:
            return ""
        organisation = self.by_name.get(cell.value) or self.by_code.get(cell.value.lower())
        if organisation is None:
            report.problem(_l("%(name)s is not an organisation of this event: import the organisations first.", name=cell.value),
                           cell=cell)
            return None
        return organisation.name
