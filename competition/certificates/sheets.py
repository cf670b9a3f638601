"""Shared pieces of the printed sheets (the result sheet, the paper marking forms): their
wording in the document's language, fonts, paragraph styles, and the page frame.

A sheet speaks its own language, whatever the language of the person printing it: its words
come from the application's catalogue through :func:`competition.certificates.content.catalogue`,
so a command, a page and a background job print the same words. Messages are marked with
``N_`` and translated here with :func:`tr`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from competition.certificates.content import N_, ZH, catalogue
from competition.certificates.fonts import latin_safe, load_fonts

INK = HexColor("#1d2b4f")
MUTED = HexColor("#5a6275")
RULE = HexColor("#b9c0cc")
SHADE = HexColor("#eef1f5")
WARN = HexColor("#b3261e")

__all__ = ["INK", "MUTED", "N_", "RULE", "SHADE", "WARN", "Fonts", "para", "tr"]


def tr(language: str, message: str, **values: object) -> str:
    """``message`` in the sheet's ``language``, its ``%(name)s`` placeholders filled."""
    text = catalogue(language).gettext(message)
    return text % values if values else text


class Fonts:
    """The faces of a sheet: the CJK face for everything when it is installed (it has Latin
    letters too, so one sheet reads evenly in both languages), else the shipped sans face with
    any character outside WinAnsi shown as "?"."""

    def __init__(self, language: str):
        fonts = load_fonts()
        self.language = language
        self.cjk = fonts.cjk is not None
        self.regular = fonts.cjk or fonts.sans
        self.bold = fonts.cjk or fonts.sans_bold

    def safe(self, text: str) -> str:
        return text if self.cjk else latin_safe(text)

    def cells(self) -> tuple:
        """A table command setting the face of plain-text cells (even empty ones): a table's
        default is Helvetica, a font the PDF would name without carrying it."""
        return ("FONT", (0, 0), (-1, -1), self.regular)

    def style(self, size: float = 8.5, *, bold: bool = False, align: int = 0, colour=INK, leading: float | None = None) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}{bold}{align}", fontName=self.bold if bold else self.regular, fontSize=size,
            leading=leading or size * 1.25, alignment=align, textColor=colour,
            wordWrap="CJK" if self.language == ZH else None,
        )


def para(fonts: Fonts, text: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold ``<`` or ``&``); bold is drawn
    with <b> only in the Latin sans face (the CJK face has no bold)."""
    body = escape(fonts.safe(text)).replace("\n", "<br/>")
    if bold and not fonts.cjk:
        body = f"<b>{body}</b>"
    return Paragraph(body, style)
