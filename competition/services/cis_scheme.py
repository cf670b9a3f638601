"""A WorldSkills CIS marking-scheme spreadsheet (XLSX) converted to a Podium scheme (TOML text).

The layout is the one the CIS "Marking Scheme Import" sheet uses: a criteria table (criterion
id, name) above a header row, then one block per sub-criterion. Columns are found by their
header text, so their order may differ:

- Sub Criterion ID (A1, A2…; the letters are the criterion) · Sub Criterion Name or Description
- Day of Marking (optional; 1 becomes C1) · Aspect Type (M = measurement, J = judgement)
- Aspect - Description · Judg Score · Extra Aspect Description OR Judgement Score Description
- Requirement or Nominal Size (optional) · WSSS Section (ignored) · Max Mark

A sub-criterion row is followed by its aspect rows; a judgement aspect by four rows of scores
0-3, each with its descriptor; a measurement aspect with score rows becomes a stepped aspect
(the scores its steps), without them a binary one. Every problem is reported as ``row N,
column X: field: problem`` before anything is stored; the caller stores the TOML through
:func:`competition.services.skills.add_skill`, which validates it again as any scheme.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

SHEET = "CIS Marking Scheme Import"
SUB_ID = re.compile(r"([A-Z]{1,2})(\d{1,3})")
LARGEST = Decimal(10000)  # the largest mark or score a spreadsheet may give (a whole scheme is usually 100)
CRITERION_ID = re.compile(r"(?:criterion\s+)?([A-Z]{1,2})", re.I)
COLUMNS = {  # our name: words its header contains (all of them), words it must not contain
    "sub_id": (("sub", "criteri", "id"), ()),
    "sub_name": (("name",), ()),
    "day": (("day",), ()),
    "type": (("aspect", "type"), ()),
    "description": (("aspect", "description"), ("extra", "score")),
    "score": (("score",), ("description",)),
    "extra": (("extra",), ()),
    "requirement": (("requirement",), ()),
    "max": (("max", "mark"), ()),
}
REQUIRED = ("sub_id", "sub_name", "type", "description", "score", "extra", "max")
LABELS = {
    "sub_id": _l("sub-criterion id"), "sub_name": _l("sub-criterion name"), "day": _l("day of marking"),
    "type": _l("aspect type"), "description": _l("aspect description"), "score": _l("judgement score"),
    "extra": _l("descriptor"), "requirement": _l("requirement"), "max": _l("max mark"),
}


class CisSchemeError(ValueError):
    """The spreadsheet has problems; ``problems`` lists every one, row by row."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Aspect:
    row: int
    kind: str  # "M" or "J"
    description: str
    max: Decimal | None
    scores: dict[Decimal, str] = field(default_factory=dict)
    score_rows: dict[Decimal, int] = field(default_factory=dict)


@dataclass
class _Sub:
    row: int
    id: str
    name: str
    day: str | None
    aspects: list[_Aspect] = field(default_factory=list)


@dataclass
class CisScheme:
    """The converted scheme: its TOML text, and notes worth showing (not problems)."""

    text: str
    notes: list = field(default_factory=list)


def convert(data: bytes, *, code: str, name: str, version: str = "CIS") -> CisScheme:
    """The scheme TOML of a CIS marking-scheme XLSX, or :class:`CisSchemeError` with every problem."""
    rows = _rows(data)
    reader = _Reader(rows)
    subs, criteria = reader.read()
    if reader.problems:
        raise CisSchemeError([message for _row, _column, message in sorted(reader.problems, key=lambda p: (p[0], p[1]))])
    return _to_toml(subs, criteria, code=code, name=name, version=version)


def _rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise CisSchemeError([_l("The file is not an XLSX workbook: save the marking scheme from Excel as .xlsx.")]) from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _problem(row: int, column: int | None, what: str, message) -> object:
    from openpyxl.utils import get_column_letter

    if column is None:
        return _l("row %(row)s: %(field)s: %(problem)s", row=row, field=LABELS.get(what, what), problem=message)
    return _l("row %(row)s, column %(column)s: %(field)s: %(problem)s", row=row, column=get_column_letter(column + 1),
              field=LABELS.get(what, what), problem=message)


class _Reader:
    def __init__(self, rows: list[tuple]):
        self.rows = rows
        self.problems: list = []  # (row, column index, message)
        self.columns: dict[str, int] = {}

    def read(self) -> tuple[list[_Sub], dict[str, str]]:
        header = self.header()
        if header is None:
            names = ", ".join(str(LABELS[c]) for c in REQUIRED)
            self.problems.append((0, 0, _l("No header row found: the sheet needs the columns %(names)s.", names=names)))
            return [], {}
        criteria: dict[str, str] = {}
        for row in self.rows[:header]:
            first, second = _text(row[0] if row else None), _text(row[1] if len(row) > 1 else None)
            if (match := CRITERION_ID.fullmatch(first)) and second:
                criteria.setdefault(match[1].upper(), second)
        subs: list[_Sub] = []
        aspect: _Aspect | None = None
        for number, row in enumerate(self.rows[header + 1:], start=header + 2):
            cell = {key: row[index] if index < len(row) else None for key, index in self.columns.items()}
            texts = {key: _text(value) for key, value in cell.items()}
            if not any(texts.values()) or texts["sub_id"].lower() == _text(self.rows[header][self.columns["sub_id"]]).lower():
                continue
            if texts["sub_id"]:
                if (match := CRITERION_ID.fullmatch(texts["sub_id"])) and texts["sub_id"].lower().startswith("criterion"):
                    criteria.setdefault(match[1].upper(), texts["sub_name"])
                    continue
                subs.append(self.sub(number, texts))
                aspect = None
            if texts["type"]:
                aspect = self.aspect(number, texts, cell, subs)
            elif texts["score"]:
                self.score(number, texts, cell, aspect)
        self.finish(subs)
        return subs, criteria

    def header(self) -> int | None:
        for index, row in enumerate(self.rows[:60]):
            found: dict[str, int] = {}
            for column, value in enumerate(row):
                words = _text(value).lower()
                for key, (needs, refuses) in COLUMNS.items():
                    if key not in found and words and all(w in words for w in needs) and not any(w in words for w in refuses):
                        found[key] = column
                        break
            if all(key in found for key in REQUIRED):
                self.columns = found
                return index
        return None

    def at(self, number: int, key: str, message) -> None:
        column = self.columns.get(key)
        self.problems.append((number, -1 if column is None else column, _problem(number, column, key, message)))

    def sub(self, number: int, texts: dict) -> _Sub:
        ident = texts["sub_id"].upper()
        if not SUB_ID.fullmatch(ident):
            self.at(number, "sub_id", _l("%(value)s is not a sub-criterion id such as A1", value=repr(texts["sub_id"])))
        if not texts["sub_name"]:
            self.at(number, "sub_name", _l("missing: give the sub-criterion a name"))
        day = texts.get("day") or None
        if day and day.isdigit():
            day = f"C{day}"
        if day and len(day) > 20:
            self.at(number, "day", _l("longer than 20 characters"))
        return _Sub(number, ident, texts["sub_name"], day)

    def aspect(self, number: int, texts: dict, cell: dict, subs: list[_Sub]) -> _Aspect | None:
        kind = texts["type"].upper()[:1]
        if texts["type"].upper() not in ("M", "J", "MEAS", "JUDG", "MEASUREMENT", "JUDGEMENT"):
            self.at(number, "type", _l("%(value)s is not an aspect type: write M (measurement) or J (judgement)",
                                       value=repr(texts["type"])))
            kind = ""
        if not subs:
            self.at(number, "type", _l("an aspect before any sub-criterion: put a sub-criterion row (id and name) above it"))
        if not texts["description"]:
            self.at(number, "description", _l("missing: describe what is marked"))
        max_mark = self.number(number, "max", cell["max"])
        if max_mark is not None and max_mark <= 0:
            self.at(number, "max", _l("must be more than 0"))
            max_mark = None
        elif cell["max"] in (None, ""):
            self.at(number, "max", _l("missing: give the aspect's max mark"))
        description = texts["description"]
        if kind == "M" and texts["extra"]:
            description = f"{description}: {texts['extra']}"
        if kind == "M" and texts.get("requirement"):
            description = f"{description} ({texts['requirement']})"
        aspect = _Aspect(number, kind, description, max_mark)
        if subs:
            subs[-1].aspects.append(aspect)
        if texts["score"]:
            self.score(number, texts, cell, aspect)
        return aspect

    def score(self, number: int, texts: dict, cell: dict, aspect: _Aspect | None) -> None:
        if aspect is None:
            self.at(number, "score", _l("a score with no aspect above it"))
            return
        score = self.number(number, "score", cell["score"])
        if score is None:
            return
        if aspect.kind == "J":
            if score not in (0, 1, 2, 3):
                self.at(number, "score", _l("a judgement score is 0, 1, 2 or 3, not %(value)s", value=texts["score"]))
                return
            if not texts["extra"]:
                self.at(number, "extra", _l("missing: describe the performance that earns this score"))
        if score in aspect.scores:
            self.at(number, "score", _l("score %(value)s is listed twice for this aspect", value=texts["score"]))
            return
        aspect.scores[score] = texts["extra"]
        aspect.score_rows[score] = number

    def number(self, number: int, key: str, value: object) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            result = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.at(number, key, _l("not a number"))
            return None
        if result.is_finite() and result.adjusted() >= 6:  # a million or more: no mark is that large (nor can it be rounded)
            self.at(number, key, _l("too large"))
            return None
        try:
            exact = result.is_finite() and result == round(result, 2)
        except InvalidOperation:  # 1e400: finite, but too large to round
            exact = None
        if exact is None or not result.is_finite():
            self.at(number, key, _l("not a number"))
            return None
        if not exact:
            self.at(number, key, _l("more than two decimals"))
            return None
        if abs(result) > LARGEST:  # a scheme file keeps marks as TOML floats: exact only while they are small
            self.at(number, key, _l("larger than %(max)s", max=LARGEST))
            return None
        return result.quantize(Decimal(1)) if result == result.to_integral() else result.normalize()

    def finish(self, subs: list[_Sub]) -> None:
        seen: dict[str, int] = {}
        for sub in subs:
            if sub.id in seen:
                self.at(sub.row, "sub_id", _l("%(value)s is already used on row %(other)s", value=sub.id, other=seen[sub.id]))
            seen.setdefault(sub.id, sub.row)
            if not sub.aspects:
                self.at(sub.row, "sub_id", _l("sub-criterion %(value)s has no aspects below it", value=sub.id))
            for aspect in sub.aspects:
                if aspect.kind == "J":
                    missing = [str(s) for s in range(4) if Decimal(s) not in aspect.scores]
                    if missing:
                        self.at(aspect.row, "score", _l("a judgement aspect needs a descriptor for each score 0 to 3; missing %(scores)s",
                                                        scores=", ".join(missing)))
                elif aspect.kind == "M" and aspect.scores and aspect.max is not None:
                    steps = sorted(aspect.scores)
                    if steps[0] != 0 or steps[-1] != aspect.max:
                        self.at(aspect.row, "max", _l("the scores below a measurement aspect run from 0 to its max mark %(max)s",
                                                      max=aspect.max))
        if not subs and not self.problems:
            self.problems.append((0, 0, _l("No sub-criteria found below the header row.")))


def _toml(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E+1: TOML has no such number
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _to_toml(subs: list[_Sub], criteria: dict[str, str], *, code: str, name: str, version: str) -> CisScheme:
    notes = []
    total = sum((a.max for s in subs for a in s.aspects if a.max is not None), Decimal(0))
    lines = ["# Converted from a CIS marking-scheme spreadsheet.", "[scheme]", f"code = {_toml(code)}", f"name = {_toml(name)}",
             f"version = {_toml(version)}", f"total = {_toml(total)}", 'rule = "worldskills_judgement"', ""]
    order: dict[str, list[_Sub]] = {}
    for sub in subs:
        order.setdefault(SUB_ID.fullmatch(sub.id)[1], []).append(sub)
    for criterion, members in order.items():
        days = {s.day for s in members if s.day}
        lines += ["[[criterion]]", f"id = {_toml(criterion)}", f"name = {_toml(criteria.get(criterion) or f'Criterion {criterion}')}"]
        if len(days) == 1:
            lines.append(f"marking_day = {_toml(days.pop())}")
        elif days:
            notes.append(_l("Criterion %(criterion)s is marked on several days (%(days)s): Podium keeps one day per criterion, so it "
                            "has none and its marking window opens by criterion.", criterion=criterion, days=", ".join(sorted(days))))
        for sub in members:
            lines += ["", "[[criterion.sub]]", f"id = {_toml(sub.id)}", f"name = {_toml(sub.name)}"]
            for index, aspect in enumerate(sub.aspects, start=1):
                lines += ["", "[[criterion.sub.aspect]]", f"id = {_toml(f'{sub.id}.{index}')}",
                          f"description = {_toml(aspect.description)}", f"max = {_toml(aspect.max)}"]
                if aspect.kind == "J":
                    lines += ['type = "judgement"', f"descriptors = {_toml([aspect.scores[Decimal(s)] for s in range(4)])}"]
                elif aspect.scores:
                    lines += ['type = "measurement"', 'method = "stepped"', f"steps = {_toml(sorted(aspect.scores))}"]
                else:
                    lines += ['type = "measurement"', 'method = "binary"']
        lines.append("")
    return CisScheme("\n".join(lines) + "\n", notes)
