"""Writing an export's table as CSV or XLSX, and its records as JSON.

CSV: UTF-8 with a byte-order mark (Excel then reads it as UTF-8, Chinese names included),
comma-separated, a header row, ``\\r\\n`` line ends. Numbers are written as they are stored:
scores with two decimals (``12.50``), ranks and scale scores as whole numbers, booleans as
``true``/``false``, times as ISO 8601 UTC (``2026-05-01T09:30:00+00:00``).

Formula neutralisation (CSV injection): a *text* cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe (``'=SUM(A1)``), so a spreadsheet
shows it as text and never runs it. Number cells are not touched: a negative score such as
``-2.00`` is written by Podium from a number, holds only digits, a point and the sign, and
stays a number a spreadsheet can add up. A program reading the CSV back drops one leading
apostrophe from a text cell whose next character is one of those six.

XLSX (openpyxl): one sheet, the header row frozen and bold, column widths set, numbers
stored as numbers (scores formatted ``0.00``), booleans as booleans, times as dates in UTC.
Text cells are stored as text (never as formulas) and are not neutralised: a text cell in a
workbook is not evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from competition.scoring.numbers import api_decimal
from competition.services.export_tables import BOOLEAN, DECIMAL, INTEGER, TEXT, TIME, Table

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
Out = str | Path | BinaryIO


def neutralise(text: str) -> str:
    """A text cell as a CSV may carry it: a leading apostrophe when it could start a formula."""
    return "'" + text if text.startswith(DANGEROUS) else text


def restore(text: str) -> str:
    """What :func:`neutralise` changed, undone (for programs reading Podium's CSV back)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(DANGEROUS) else text


@contextmanager
def opened(out: Out) -> Iterator[BinaryIO]:
    """``out`` as a binary stream: a path is opened (and closed) here, a stream is used as is."""
    if isinstance(out, (str, Path)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as stream:
            yield stream
    else:
        yield out


def csv_cell(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == DECIMAL:
        return api_decimal(value)
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == TIME:
        return value.isoformat(timespec="seconds")
    if kind == INTEGER:
        return str(int(value))
    return neutralise(str(value))


def write_csv(table: Table, out: Out) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([neutralise(c.name) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(v, c.kind) for v, c in zip(row, table.columns)])
    with opened(out) as stream:
        stream.write(text.getvalue().encode("utf-8-sig"))


def write_xlsx(table: Table, out: Out) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = table.name
    sheet.append([c.name for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(v, c.kind) for v, c in zip(row, table.columns)])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(column.width, len(column.name) + 2)
        if column.kind in (TEXT, DECIMAL, TIME):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if column.kind == TEXT:
                    cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
                elif column.kind == DECIMAL:
                    cell.number_format = "0.00"
                elif cell.value is not None:
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.freeze_panes = "A2"
    with opened(out) as stream:
        book.save(stream)


def _xlsx_value(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind == DECIMAL:
        return Decimal(value)
    if kind == TIME:
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # a workbook keeps no zone: UTC, as the header says
    if kind == TEXT:
        return str(value)
    return value


def json_value(value: object) -> object:
    """Scores as the JSON API writes them (a string with two decimals: exact), times ISO 8601."""
    if isinstance(value, Decimal):
        return api_decimal(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def write_json(document: dict, out: Out) -> None:
    with opened(out) as stream:
        stream.write(json.dumps(json_value(document), ensure_ascii=False, indent=1).encode("utf-8"))
        stream.write(b"\n")
