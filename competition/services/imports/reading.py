"""Reading an uploaded list: bytes to a table of text cells, and the report that names every
problem by the row and column a spreadsheet shows.

A CSV may come in UTF-8, UTF-8 with a byte-order mark (what Podium's exports write) or GB18030
(what Excel writes on Chinese Windows): a BOM means UTF-8; bytes that are valid UTF-8 are
UTF-8; anything else is tried as GB18030 before the file is refused. An XLSX file is read from
its first sheet. Header names match case-insensitively, with spaces or hyphens for
underscores, and in Chinese (``Column.aliases``); columns nobody asked for are ignored and
listed as a warning, so a file with more columns than an import needs (an export) still
imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

MAX_ROWS = 10_000
MAX_CELL = 1_000
MAX_COLUMNS = 200  # read no further right: a sheet's stray far-off cell must not cost a row of 16,384


@dataclass(frozen=True)
class Column:
    """A column an import reads: its name (as Podium's exports write it) and the other names a
    person may give it."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Problem:
    """Something wrong in the file: at a cell (``row`` as the spreadsheet numbers it, the
    header being row 1, and ``letter`` the column as Excel labels it), at a row, or the whole file."""

    message: object
    row: int | None = None
    letter: str = ""
    column: str = ""

    def __str__(self) -> str:
        return str(self.text())

    def text(self):
        if self.row is not None and self.letter:
            return _l("row %(row)s, column %(letter)s (%(header)s): %(problem)s", row=self.row, letter=self.letter,
                      header=self.column, problem=self.message)
        if self.row is not None:
            return _l("row %(row)s: %(problem)s", row=self.row, problem=self.message)
        return self.message


@dataclass
class Change:
    """One row's effect: ``action`` is "add", "update" or "unchanged"; ``fields`` the changed ones."""

    action: str
    row: int
    label: str
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import found (``problems``, ``warnings``) and does or did (``changes``)."""

    kind: str
    filename: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[object] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {"added": self.count("add"), "updated": self.count("update"), "unchanged": self.count("unchanged")}

    def problem(self, message, row: int | None = None, cell: Cell | None = None) -> None:
        if cell is not None:
            self.problems.append(Problem(message, cell.row, cell.letter, cell.column))
        else:
            self.problems.append(Problem(message, row))


@dataclass(frozen=True)
class Cell:
    """A cell's text with where it is, for the messages about it."""

    value: str
    row: int
    letter: str
    column: str


class Row:
    """One data row: the cells of the columns the import reads, by column name."""

    def __init__(self, number: int, cells: dict[str, Cell]):
        self.number = number
        self.cells = cells

    def __getitem__(self, name: str) -> Cell:
        return self.cells[name]

    def get(self, name: str) -> str:
        cell = self.cells.get(name)
        return cell.value if cell is not None else ""

    def has(self, name: str) -> bool:
        return name in self.cells


def column_letter(index: int) -> str:
    """The column's label as Excel shows it: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def decode(data: bytes, filename: str) -> str:
    """The text of a CSV file (see the module's docstring for the order of encodings tried)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return data.decode("gb18030")
            except UnicodeDecodeError:
                pass
    raise ValueError(_l("%(file)s is neither UTF-8 nor GB18030 text: save it as CSV UTF-8 or as an Excel workbook (.xlsx).",
                        file=filename))


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a person sees: 7.0 → "7", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes, filename: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = []
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                rows.append([_cell_text(v) for v in values])
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            book.close()
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file  # noqa: BLE001
        raise ValueError(_l("%(file)s cannot be read as an Excel workbook (.xlsx).", file=filename)) from None
    return rows


def _csv_rows(data: bytes, filename: str) -> list[list[str]]:
    text = decode(data, filename)
    first = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first:
        delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    try:
        rows = []
        for values in csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter):
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise ValueError(_l("%(file)s cannot be read as CSV.", file=filename)) from None
    return rows


def is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04")


def raw_rows(data: bytes, filename: str) -> list[list[str]]:
    """Every row of the file as text cells (raises ValueError with the message to show)."""
    if filename.lower().endswith(".xls") and not data.startswith(b"PK"):
        raise ValueError(_l("%(file)s is an old Excel file (.xls): save it as .xlsx or as CSV UTF-8.", file=filename))
    return _xlsx_rows(data, filename) if is_xlsx(data, filename) else _csv_rows(data, filename)


def header_key(text: str) -> str:
    """A header as compared: trimmed, lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").strip()).lower()


def read_table(data: bytes, filename: str, columns: Iterable[Column], report: ImportReport) -> list[Row]:
    """The file's data rows, keyed by the columns' names. File-level problems (unreadable, no
    header, a missing required column, a column twice) go into ``report``; then no rows return."""
    columns = list(columns)
    try:
        rows = raw_rows(data, filename)
    except ValueError as err:
        report.problems.append(Problem(err.args[0]))
        return []
    names = {}
    for column in columns:
        for alias in (column.name, *column.aliases):
            names[header_key(alias)] = column
    while rows and not any(v.strip() for v in rows[0]):
        rows.pop(0)  # blank lines above the header
    if not rows:
        report.problems.append(Problem(_l("%(file)s is empty: the first row must name the columns.", file=filename)))
        return []
    header, body = rows[0], rows[1:]
    at: dict[str, int] = {}
    unknown = []
    for index, text in enumerate(header):
        if not text.strip():
            continue
        column = names.get(header_key(text))
        if column is None:
            unknown.append(f"{column_letter(index)} ({text.strip()[:40]})")
        elif column.name in at:
            report.problems.append(Problem(_l("the column %(name)s is given twice, also in column %(other)s.", name=column.name,
                                              other=column_letter(at[column.name])), 1, column_letter(index), text.strip()[:40]))
        else:
            at[column.name] = index
    for column in columns:
        if column.required and column.name not in at:
            report.problems.append(Problem(_l("the column %(name)s is missing from the first row.", name=column.name), 1))
    if unknown:
        report.warnings.append(_l("Columns not used by this import, ignored: %(columns)s.", columns=", ".join(unknown)))
    if len(body) > MAX_ROWS:
        report.problems.append(Problem(_l("%(file)s has more than %(max)s rows: split it.", file=filename, max=MAX_ROWS)))
    if not report.ok:
        return []
    table = []
    for offset, values in enumerate(body):
        if not any(v.strip() for v in values):
            continue
        number = offset + 2
        cells = {}
        for name, index in at.items():
            value = values[index] if index < len(values) else ""
            cells[name] = Cell(" ".join(value.split()), number, column_letter(index), header[index].strip()[:40])
        row = Row(number, cells)
        for cell in cells.values():
            if len(cell.value) > MAX_CELL:
                report.problem(_l("longer than %(max)s characters.", max=MAX_CELL), cell=cell)
        table.append(row)
    return table
