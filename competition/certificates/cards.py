"""Judges' sign-in cards: eight cards to an A4 page, with cut marks, each with the judge's
name, user name, skill and a QR code holding a one-time sign-in link.

The drawing takes plain data (:class:`SignInCard`, its labels already in the judge's
language) and uses the certificates' fonts, so a Chinese name is drawn in the embedded CJK
face and a Latin name in the shipped sans face; the file is PDF/A-2b (:mod:`.archival`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.archival import save_archival
from competition.certificates.fonts import FontSet, latin_safe, load_fonts, needs_cjk
from competition.certificates.qr import draw_qr

COLUMNS, ROWS = 2, 4
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_Y = 10 * mm, 12 * mm
CARD_W, CARD_H = (PAGE_W - 2 * MARGIN_X) / COLUMNS, (PAGE_H - 2 * MARGIN_Y) / ROWS
PAD = 6 * mm
QR = 34 * mm
CUT = 4 * mm  # length of a cut mark, drawn outside the cards' corners
INK, MUTED, ACCENT = HexColor("#1b2430"), HexColor("#5b6675"), HexColor("#1f4e8c")


@dataclass(frozen=True)
class SignInCard:
    name: str
    username: str
    skill: str  # the skill(s) the person judges, in their language
    event: str
    url: str  # the one-time sign-in link the QR code holds
    title: str  # "Sign-in card", in the person's language
    username_label: str  # "User name"
    scan_label: str  # "Scan once with the tablet to sign in"


class _Writer:
    def __init__(self, fonts: FontSet):
        self.fonts = fonts

    def face(self, text: str, bold: bool = False) -> tuple[str, bool, str]:
        """(font, fake bold, text): the CJK face has no bold, so its outline is stroked too."""
        if needs_cjk(text):
            if self.fonts.cjk:
                return self.fonts.cjk, bold, text
            text = latin_safe(text)
        return (self.fonts.sans_bold if bold else self.fonts.sans), False, text

    def line(self, c: Canvas, text: str, x: float, y: float, size: float, width: float, *, bold=False, colour=INK) -> None:
        """One line at (x, y), shrunk to fit ``width``."""
        if not text:
            return
        font, fake_bold, text = self.face(text, bold)
        natural = stringWidth(text, font, size)
        if natural > width:
            size = size * width / natural
        c.setFillColor(colour)
        c.setFont(font, size)
        if fake_bold:
            c.setStrokeColor(colour)
            c.setLineWidth(size * 0.035)
            c.drawString(x, y, text, mode=2)
        else:
            c.drawString(x, y, text)


    def name(self, c: Canvas, text: str, x: float, y: float, width: float) -> None:
        """The person's name, large; a name too long for one line goes on two, smaller."""
        font, _, _ = self.face(text, True)
        words = text.split()
        if stringWidth(text, font, 17) <= width or len(words) < 2:
            self.line(c, text, x, y, 17, width, bold=True)
            return
        def imbalance(i: int) -> float:
            return abs(stringWidth(" ".join(words[:i]), font, 12) - stringWidth(" ".join(words[i:]), font, 12))

        half = min(range(1, len(words)), key=imbalance)
        self.line(c, " ".join(words[:half]), x, y + 4.5 * mm, 12, width, bold=True)
        self.line(c, " ".join(words[half:]), x, y, 12, width, bold=True)


def _cut_marks(c: Canvas) -> None:
    """Short lines in the margin at every cut, so the cards can be cut on a guillotine."""
    c.setStrokeColor(MUTED)
    c.setLineWidth(0.4)
    xs = [MARGIN_X + i * CARD_W for i in range(COLUMNS + 1)]
    ys = [MARGIN_Y + j * CARD_H for j in range(ROWS + 1)]
    for x in xs:
        c.line(x, MARGIN_Y - CUT - 1 * mm, x, MARGIN_Y - 1 * mm)
        c.line(x, PAGE_H - MARGIN_Y + 1 * mm, x, PAGE_H - MARGIN_Y + CUT + 1 * mm)
    for y in ys:
        c.line(MARGIN_X - CUT - 1 * mm, y, MARGIN_X - 1 * mm, y)
        c.line(PAGE_W - MARGIN_X + 1 * mm, y, PAGE_W - MARGIN_X + CUT + 1 * mm, y)


def _card(c: Canvas, w: _Writer, card: SignInCard, x: float, y: float) -> None:
    mono = w.fonts.mono_bold
    text_w = CARD_W - 3 * PAD - QR
    top = y + CARD_H - PAD
    c.setFillColor(ACCENT)
    c.rect(x + PAD, top - 1.2 * mm, 12 * mm, 1.2 * mm, stroke=0, fill=1)
    w.line(c, card.title, x + PAD, top - 7 * mm, 8.5, text_w, bold=True, colour=ACCENT)
    w.name(c, card.name, x + PAD, top - 18 * mm, text_w)
    w.line(c, card.username_label, x + PAD, top - 27 * mm, 7.5, text_w, colour=MUTED)
    c.setFillColor(INK)
    username = latin_safe(card.username)
    c.setFont(mono, min(13, 13 * text_w / max(stringWidth(username, mono, 13), 1)))
    c.drawString(x + PAD, top - 33 * mm, username)
    w.line(c, card.skill, x + PAD, top - 42 * mm, 9.5, text_w)
    w.line(c, card.event, x + PAD, top - 48 * mm, 8, text_w, colour=MUTED)
    qr_x, qr_y = x + CARD_W - PAD - QR, y + CARD_H - PAD - QR - 2 * mm
    draw_qr(c, card.url, qr_x, qr_y, QR)
    w.line(c, card.scan_label, qr_x, qr_y - 5 * mm, 7, QR, colour=MUTED)


def write_cards(cards: Iterable[SignInCard], *, title: str = "Sign-in cards", fonts: FontSet | None = None) -> bytes:
    """The PDF of ``cards``, ``COLUMNS`` × ``ROWS`` to a page, filled left to right, top to bottom."""
    out = io.BytesIO()
    fonts = fonts or load_fonts()
    c = Canvas(out, pagesize=A4, pageCompression=1, initialFontName=fonts.sans)  # never a font the file would not carry
    c.setTitle(title)
    c.setCreator("Podium")
    writer = _Writer(fonts)
    per_page = COLUMNS * ROWS
    drawn = 0
    for index, card in enumerate(cards):
        slot = index % per_page
        if slot == 0 and index:
            c.showPage()
        if slot == 0:
            _cut_marks(c)
        column, row = slot % COLUMNS, slot // COLUMNS
        _card(c, writer, card, MARGIN_X + column * CARD_W, PAGE_H - MARGIN_Y - (row + 1) * CARD_H)
        drawn += 1
    if not drawn:
        _cut_marks(c)
    c.showPage()
    c.save()
    archival = io.BytesIO()
    save_archival(out.getvalue(), archival)
    return archival.getvalue()
