"""Line numbers for the fields of a TOML document.

:mod:`tomllib` returns plain dicts without positions, so scheme validation cannot say where
a bad value is. :func:`index_lines` scans the (already syntactically valid) text once and
maps field paths such as ``criterion[1].sub[0].aspect[2].max`` to the line that defines
them: ``[table]`` and ``[[array.of.tables]]`` headers (each array element numbered from 0
within its latest parent element) and ``key = value`` lines, including the keys of
one-line inline tables. :func:`line_of` falls back to the nearest enclosing path, so a
missing key is reported at the header line of its table.

:class:`FieldChecker` holds the generic checks of single values (strings, numbers, whole
numbers, arrays of tables, unknown keys, duplicate ids) that record a :class:`SchemeProblem`
at the right line instead of stopping at the first one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_KEY_LINE = re.compile(rf"^\s*({_KEY})\s*=(.*)$")
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_KEY})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_KEY})\s*\]")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY})\s*=")
_PART = re.compile(_BARE_OR_QUOTED)
_INDEX_SUFFIX = re.compile(r"\[\d+\]$")


def _key_parts(key: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(key)]


class _ValueScanner:
    """Follows strings, comments and bracket depth so multi-line values are skipped."""

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None  # '"""' or "'''" while inside one

    @property
    def inside_value(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def feed(self, text: str) -> None:
        i, n = 0, len(text)
        while i < n:
            if self.multiline:
                end = text.find(self.multiline, i)
                if end < 0:
                    return
                self.multiline, i = None, end + 3
                continue
            ch = text[i]
            if ch == "#":
                return
            if text.startswith('"""', i) or text.startswith("'''", i):
                self.multiline, i = text[i : i + 3], i + 3
            elif ch in "\"'":
                i = self._skip_string(text, i)
            else:
                if ch in "[{":
                    self.depth += 1
                elif ch in "]}":
                    self.depth = max(0, self.depth - 1)
                i += 1

    @staticmethod
    def _skip_string(text: str, start: int) -> int:
        quote, i = text[start], start + 1
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text[i] == quote:
                return i + 1
            i += 1
        return i


def index_lines(text: str) -> dict[str, int]:
    """Map every header and key path in ``text`` to its 1-based line number."""
    lines: dict[str, int] = {}
    array_counts: dict[str, int] = {}  # resolved array path -> index of its latest element
    table = ""
    scanner = _ValueScanner()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if scanner.inside_value:
            scanner.feed(raw)
            continue
        if match := _ARRAY_HEADER.match(raw):
            table = _resolve(_key_parts(match.group(1)), array_counts, new_element=True)
            lines.setdefault(table, lineno)
        elif match := _TABLE_HEADER.match(raw):
            table = _resolve(_key_parts(match.group(1)), array_counts, new_element=False)
            lines.setdefault(table, lineno)
        elif match := _KEY_LINE.match(raw):
            path = ".".join(filter(None, [table, *_key_parts(match.group(1))]))
            lines.setdefault(path, lineno)
            value = match.group(2)
            if value.lstrip().startswith("{"):
                for inner in _INLINE_KEY.findall(value):
                    lines.setdefault(".".join([path, *_key_parts(inner)]), lineno)
            scanner.feed(value)
    return lines


def _resolve(parts: list[str], array_counts: dict[str, int], *, new_element: bool) -> str:
    """Resolve a header's dotted name to an indexed path such as ``criterion[0].sub[1]``."""
    resolved = ""
    for position, name in enumerate(parts):
        candidate = f"{resolved}.{name}" if resolved else name
        last = position == len(parts) - 1
        if last and new_element:
            index = array_counts.get(candidate, -1) + 1
            array_counts[candidate] = index
            resolved = f"{candidate}[{index}]"
        elif candidate in array_counts:
            resolved = f"{candidate}[{array_counts[candidate]}]"
        else:
            resolved = candidate
    return resolved


def line_of(lines: dict[str, int], path: str, default: int = 1) -> int:
    """The line of ``path``, else of its nearest enclosing table or array, else ``default``."""
    while path:
        if path in lines:
            return lines[path]
        if _INDEX_SUFFIX.search(path):
            path = _INDEX_SUFFIX.sub("", path)
        else:
            path = path.rpartition(".")[0]
    return default


MAX_PLACES = 2


@dataclass(frozen=True)
class SchemeProblem:
    """One problem in a scheme file; ``str()`` gives ``FILE:LINE: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class FieldChecker:
    """Checks single fields of a parsed TOML document, collecting every problem found."""

    def __init__(self, filename: str, lines: dict[str, int]):
        self.filename = filename
        self.lines = lines
        self.problems: list[SchemeProblem] = []

    def add(self, path: str, message: str) -> None:
        """Record a problem with the field at ``path`` (or, if absent, its enclosing table)."""
        line = line_of(self.lines, path)
        self.problems.append(SchemeProblem(self.filename, line, path, message))

    # -- generic field checks -------------------------------------------------------------

    def keys(self, table: dict, path: str, allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.unknown(key, path, allowed, where)

    def unknown(self, key: str, path: str, allowed: tuple[str, ...], where: str) -> None:
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        self.add(f"{path}.{key}" if path else key, f"unknown key in {where}; {hint}allowed: {', '.join(allowed)}")

    def text(self, table: dict, path: str, key: str, *, required: bool = True, example: str = "...") -> str | None:
        value = table.get(key)
        field = f"{path}.{key}"
        if value is None:
            if required:
                self.add(field, f'required field is missing; add {key} = "{example}"')
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(field, f'must be a non-empty string, e.g. {key} = "{example}"')
            return None
        return value

    def number(self, table: dict, path: str, key: str, *, required: bool = False, places: bool = False) -> Decimal | None:
        value = table.get(key)
        field = f"{path}.{key}"
        if value is None:
            if required:
                self.add(field, f"required field is missing; add {key} = <number>")
            return None
        return self.as_number(value, field, key, places=places)

    def as_number(self, value: object, field: str, key: str, *, places: bool = False) -> Decimal | None:
        if isinstance(value, str):
            try:
                Decimal(value.strip())
            except ArithmeticError:
                self.add(field, f"must be a number, not {value!r}")
            else:
                self.add(field, f"must be a number, not a string: write {key} = {value.strip()} without quotes")
            return None
        if not is_number(value):
            self.add(field, f"must be a number, not {type(value).__name__} {value!r}")
            return None
        number = Decimal(str(value))
        if not number.is_finite():
            self.add(field, f"must be a finite number, not {value!r}")
            return None
        if places and isinstance(number.as_tuple().exponent, int) and number.as_tuple().exponent < -MAX_PLACES:
            self.add(field, f"{number} has more than {MAX_PLACES} decimal places; marks are kept to 0.01")
            return None
        return number

    def integer(self, table: dict, path: str, key: str, low: int, high: int | None = None) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        limit = f"between {low} and {high}" if high is not None else f"{low} or more"
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            self.add(f"{path}.{key}", f"must be a whole number {limit}, not {value!r}")
            return None
        return value

    def tables(self, table: dict, path: str, key: str, header: str) -> list[dict]:
        value = table.get(key)
        field = f"{path}.{key}" if path else key
        if value is None or value == []:
            self.add(field, f"required; add at least one [[{header}]] table")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(field, f"must be an array of tables: write [[{header}]] (double brackets)")
            return []
        return value

    def unique(self, seen: dict[str, str], ident: str | None, path: str, what: str) -> None:
        if ident is None:
            return
        if ident in seen:
            first = line_of(self.lines, seen[ident])
            self.add(f"{path}.id", f"duplicate {what} id {ident!r} (first used on line {first}); give each {what} a unique id")
        else:
            seen[ident] = f"{path}.id"
