"""Visible text in a Jinja template that does not go through gettext.

A template's literal text — between tags, and in the attributes a person reads (title, alt,
placeholder, aria-label, a button's value) — must be inside ``{{ _("…") }}`` or a
``{% trans %}`` block. This reads the template with Jinja's own lexer, keeps the literal
text outside ``{% trans %}`` blocks, replaces every expression and statement with a marker,
and parses what remains as HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from jinja2 import Environment

MARK = "\u2063"  # where an expression or statement stood
WORD = re.compile(r"[A-Za-z]{2,}")
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
HIDDEN_BLOCKS = {"body_class"}  # blocks whose content is a class name, not text
# Words a person may see untranslated in every language.
ALLOWED = {"Podium"}


def skeleton(source: str) -> str:
    env = Environment(extensions=["jinja2.ext.i18n"])
    out: list[str] = []
    depth = 0
    hidden = 0  # inside a block that holds no text, such as body_class
    tokens = [token for token in env.lex(source) if token[1] != "whitespace"]
    for index, (_line, kind, value) in enumerate(tokens):
        if kind == "name" and index > 0 and tokens[index - 1][1] == "block_begin":
            if value == "trans":
                depth += 1
            elif value == "endtrans":
                depth -= 1
            elif value == "block" and tokens[index + 1][2] in HIDDEN_BLOCKS:
                hidden += 1
            elif value == "endblock" and hidden:
                hidden -= 1
        if kind == "data" and depth == 0 and not hidden:
            out.append(value)
        elif kind in ("variable_begin", "block_begin"):
            out.append(MARK)
    return "".join(out)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (name == "value" and attributes.get("type") in ("submit", "button", "reset"))
            if readable and value:
                self._check(value, f'{tag}[{name}]')

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._check(data, "text")

    def _check(self, text: str, where: str):
        words = [w for w in WORD.findall(text.replace(MARK, " ")) if w not in ALLOWED]
        if words:
            self.found.append(f"{where}: {' '.join(text.replace(MARK, '…').split())[:80]!r}")


def untranslated(source: str) -> list[str]:
    reader = _Reader()
    reader.feed(skeleton(source))
    reader.close()
    return reader.found
