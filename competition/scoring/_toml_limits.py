"""Limits a scheme file must keep before :mod:`tomllib` reads it.

A marking scheme is a few dozen kilobytes, at most a few levels deep. :mod:`tomllib` has no
limits of its own: arrays nested a few thousand deep end in a :class:`RecursionError`, and a
key of many thousand dotted parts costs time quadratic in their number (a 400 KB key takes
minutes). :func:`limit_problem` finds such a file with one linear scan of its tokens and names
the line, so ``podium check-scheme`` and the console's upload answer at once with a problem
like any other instead of a traceback or a hung request.
"""

from __future__ import annotations

import re

from competition.scoring._toml_lines import SchemeProblem

MAX_BYTES = 1024 * 1024  # 1 MiB: twenty times the largest shipped scheme
MAX_DEPTH = 32  # arrays and inline tables inside each other
MAX_KEY_PARTS = 32  # parts of one dotted key or table header: a.b.c has 3

_TOKEN = re.compile(r'"""|\'\'\'|["\'#\[\]{},=.\n]')
_END_OF = {'"""': re.compile(r'(?<!\\)(?:\\\\)*"""'), "'''": re.compile(r"'''"),
           '"': re.compile(r'(?<!\\)(?:\\\\)*"|\n'), "'": re.compile(r"'|\n")}  # fmt: skip


def too_large(size: int, filename: str) -> SchemeProblem | None:
    """The problem of a file of ``size`` bytes, if it is over :data:`MAX_BYTES`."""
    if size <= MAX_BYTES:
        return None
    return SchemeProblem(filename, 1, "file", f"the file is {size:,} bytes; a scheme file may be at most {MAX_BYTES:,} bytes")


def limit_problem(text: str, filename: str) -> SchemeProblem | None:
    """The first limit ``text`` breaks (size, nesting depth, dotted-key length), or ``None``."""
    if problem := too_large(len(text.encode("utf-8", "surrogatepass")), filename):
        return problem
    depth, parts, counting, line, pos = 0, 1, True, 1, 0
    while match := _TOKEN.search(text, pos):
        token, pos = match.group(), match.end()
        if token in _END_OF:  # a string: jump past its end, counting the lines it spans
            end = _END_OF[token].search(text, pos)
            stop = end.end() if end else len(text)
            line += text.count("\n", pos, stop)
            pos = stop
        elif token == "#":
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
        elif token == "\n":
            line += 1
            if depth == 0:
                parts, counting = 1, True
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return SchemeProblem(filename, line, "toml", f"values are nested more than {MAX_DEPTH} deep; "
                                     "a scheme needs only a few levels")
            if token == "{":
                parts, counting = 1, True
        elif token in "]}":
            depth = max(0, depth - 1)
        elif token == ",":
            parts, counting = 1, True
        elif token == "=":
            counting = False
        elif counting:  # a dot in a key or a table header
            parts += 1
            if parts > MAX_KEY_PARTS:
                return SchemeProblem(filename, line, "toml", f"a key has more than {MAX_KEY_PARTS} dotted parts; "
                                     "write the scheme's tables as [criterion], [[criterion.sub]] …")
    return None
