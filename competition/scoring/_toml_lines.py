"""Line numbers for the fields of a TOML document.

:mod:`tomllib` returns plain dicts without positions, so scheme validation cannot say where
a bad value is. :func:`index_lines` scans the (already syntactically valid) text once and
maps field paths such as ``criterion[1].sub[0].aspect[2].max`` to the line that defines
them: ``[table]`` and ``[[array.of.tables]]`` headers (each array element numbered from 0
within its latest parent element), ``key = value`` lines, including the keys of one-line
inline tables, and the items of array values (``descriptors[2]``, and the keys of an item
written as an inline table: ``descriptors[2].zh``) — an array spread over several lines
gives each item its own line. :func:`line_of` falls back to the nearest enclosing path, so
a missing key is reported at the header line of its table.

:class:`FieldChecker` holds the generic checks of single values (strings, numbers, whole
numbers, arrays of tables, unknown keys, duplicate ids) that record a :class:`SchemeProblem`
at the right line instead of stopping at the first one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from competition.scoring.text import TEXT_LANGUAGES, Text

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
    """Follows strings, comments and bracket depth so multi-line values are skipped, and
    records the line of each item of an array value."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.depth = 0
        self.multiline: str | None = None  # '"""' or "'''" while inside one
        self.lines = lines
        self.array: str | None = None  # the path of the array value being read
        self.item = -1
        self.expect_item = False

    @property
    def inside_value(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def start(self, path: str, value: str, lineno: int) -> None:
        """Read the value of ``path`` (the text after ``=``), which may go on for several lines."""
        self.array = path if value.lstrip().startswith("[") else None
        self.item, self.expect_item = -1, False
        self.feed(value, lineno)

    def feed(self, text: str, lineno: int) -> None:
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
            if self.expect_item and self.depth == 1 and not ch.isspace() and ch not in ",]":
                self._item(text, i, lineno)
            if text.startswith('"""', i) or text.startswith("'''", i):
                self.multiline, i = text[i : i + 3], i + 3
            elif ch in "\"'":
                i = self._skip_string(text, i)
            else:
                if ch in "[{":
                    self.depth += 1
                    self.expect_item = self.array is not None and self.depth == 1
                elif ch in "]}":
                    self.depth = max(0, self.depth - 1)
                    if self.depth == 0:
                        self.array, self.expect_item = None, False
                elif ch == "," and self.depth == 1 and self.array is not None:
                    self.expect_item = True
                i += 1

    def _item(self, text: str, start: int, lineno: int) -> None:
        self.item, self.expect_item = self.item + 1, False
        path = f"{self.array}[{self.item}]"
        self.lines.setdefault(path, lineno)
        if text[start] == "{":
            for inner in _INLINE_KEY.findall(text[start : _inline_end(text, start)]):
                self.lines.setdefault(".".join([path, *_key_parts(inner)]), lineno)

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


def _inline_end(text: str, start: int) -> int:
    """Where the inline table opening at ``start`` ends (the end of the line if it does not)."""
    depth, i = 0, start
    while i < len(text):
        if text[i] in "\"'":
            i = _ValueScanner._skip_string(text, i)
            continue
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            return i
    return len(text)


def index_lines(text: str) -> dict[str, int]:
    """Map every header and key path in ``text`` to its 1-based line number."""
    lines: dict[str, int] = {}
    array_counts: dict[str, int] = {}  # resolved array path -> index of its latest element
    table = ""
    scanner = _ValueScanner(lines)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if scanner.inside_value:
            scanner.feed(raw, lineno)
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
            scanner.start(path, value, lineno)
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


LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}


def needs_translation(value: str) -> bool:
    """Whether a plain string has words to translate: any letter that is not a capital (a
    lower-case letter, a Chinese character). Codes, abbreviations and numbers — "PLC", "HMI",
    "GB 7947", "A-01", "6S" — read the same in every language.

    >>> [needs_translation(s) for s in ("PLC", "IEC 61131-3", "PLC control", "安全操作")]
    [False, False, True, True]
    """
    return any(ch.isalpha() and not ch.isupper() for ch in value)


def written_in(value: str) -> str | None:
    """The language a plain string is written in, judged by its script: ``zh`` if it has
    Chinese characters and no lower-case Latin words, ``en`` the other way round, ``None``
    if it mixes both (or has neither).

    >>> [written_in(s) for s in ("Safe working", "安全操作（PLC）", "电气安装 Electrical Installation")]
    ['en', 'zh', None]
    """
    chinese = any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in value)
    latin = any(ch.isascii() and ch.isalpha() and ch.islower() for ch in value)
    if chinese != latin:
        return "zh" if chinese else "en"
    return None


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class FieldChecker:
    """Checks single fields of a parsed TOML document, collecting every problem found."""

    def __init__(self, filename: str, lines: dict[str, int], *, strict_languages: bool = False):
        self.filename = filename
        self.lines = lines
        self.problems: list[SchemeProblem] = []
        self.languages: tuple[str, ...] = ()  # the languages the scheme declares, once read
        self.strict_languages = strict_languages
        self.gaps: list[SchemeProblem] = []  # missing languages, when not strict

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

    # -- scheme text in one or both languages ---------------------------------------------

    def words(self, table: dict, path: str, key: str, *, required: bool = True, example: str = "...") -> Text | None:
        """Text a person reads (a name, a description): a non-empty string, or a table of
        languages ``{ en = "…", zh = "…" }``; checked against the scheme's ``languages``."""
        value = table.get(key)
        field = f"{path}.{key}"
        if value is None:
            if required:
                self.add(field, f'required field is missing; add {key} = "{example}"')
            return None
        form = f'{key} = "{example}" or {key} = {{ en = "{example}", zh = "…" }}'
        return self.as_words(value, field, f"{key} = ", f"must be a non-empty string, e.g. {form}")

    def as_words(self, value: object, field: str, write: str, bad: str) -> Text | None:
        """``value`` as :class:`Text`; ``write`` starts the fix (``name = ``, or nothing for an
        item of an array) and ``bad`` is the problem of a value that is neither text nor a table."""
        table_form = f'{write}{{ en = "…", zh = "…" }}'
        if isinstance(value, dict):
            valid = bool(value)
            if not value:
                self.add(field, f"is an empty table; give the text in each language: {table_form}")
            for language, text in value.items():
                if language not in TEXT_LANGUAGES:
                    valid = False
                    message = f"{language!r} is not a language of scheme text; use en (English) and zh (Chinese): {table_form}"
                    self.add(f"{field}.{language}", message)
                elif not isinstance(text, str) or not text.strip():
                    valid = False
                    self.add(f"{field}.{language}", f"must be a non-empty string: the {LANGUAGE_NAMES[language]} text")
            if not valid:
                return None
            words = Text(value)
        elif isinstance(value, str) and value.strip():
            words = Text(value)
        else:
            self.add(field, bad)
            return None
        self.check_languages(words, field, table_form)
        return words

    def check_languages(self, words: Text, field: str, table_form: str) -> None:
        """Record each language the scheme declares but ``words`` does not give (see
        :func:`needs_translation` for when a plain string counts as every language)."""
        if not self.languages:
            return
        if words.translations:
            missing = [lang for lang in self.languages if lang not in words.translations]
        elif len(self.languages) == 1 or not needs_translation(words):
            return
        else:
            written = written_in(words)
            if written is None:
                declared = " and ".join(LANGUAGE_NAMES[lang] for lang in self.languages)
                self.gap(field, f"one string for both languages (the scheme declares {declared}); give each on its own: {table_form}")
                return
            missing = [lang for lang in self.languages if lang != written]
        declared = ", ".join(f'"{x}"' for x in self.languages)
        for lang in missing:
            self.gap(f"{field}.{lang}", f"the {LANGUAGE_NAMES[lang]} ({lang}) text is missing, and the scheme declares "
                                        f"languages = [{declared}]; write {table_form}")

    def gap(self, path: str, message: str) -> None:
        """A language the scheme declares is missing at ``path``: a problem when languages are
        checked strictly (``podium check-scheme``), otherwise kept as a warning."""
        problem = SchemeProblem(self.filename, line_of(self.lines, path), path, message)
        (self.problems if self.strict_languages else self.gaps).append(problem)

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
