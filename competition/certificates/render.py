"""Drawing certificates with ReportLab, page by page on one canvas.

Everything that is the same on many pages — paper, guilloche border, watermark rosette, seal,
logo, signature lines — is drawn once per (layout, language, result) into a PDF form
XObject and placed on each page with ``doForm``: a page's own content is only its text and
its QR code, which keeps a page well under 10 ms and the file small.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Callable, Iterable
from typing import BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.archival import save_archival
from competition.certificates.content import MEDAL, ZH, CertificateData, fill, format_dates, result_label, title_of, words
from competition.certificates.fonts import FontSet, latin_safe, load_fonts, needs_cjk
from competition.certificates.qr import draw_qr

W, H = landscape(A4)
CX = W / 2
INK = HexColor("#1d2b4f")
MUTED = HexColor("#5a6275")
PAPER = HexColor("#fdfbf5")
ACCENT = {MEDAL: HexColor("#9c7a2c"), "participation": HexColor("#28527a")}
TINT = {MEDAL: HexColor("#f1e8d2"), "participation": HexColor("#e3ebf2")}
MEDAL_COLOURS = {
    "gold": HexColor("#c9a227"),
    "silver": HexColor("#9aa3ad"),
    "bronze": HexColor("#b0713a"),
    "medallion": HexColor("#3f7f8c"),
    None: HexColor("#28527a"),
}
# Prize bands and levels take the colour of the medal of their rank.
for _result, _like in (("first_prize", "gold"), ("second_prize", "silver"), ("third_prize", "bronze"),
                       ("distinction", "gold"), ("merit", "silver"), ("pass", None)):
    MEDAL_COLOURS[_result] = MEDAL_COLOURS[_like]
# The same colours a shade darker, for type on the pale paper.
MEDAL_INK = {
    "gold": HexColor("#a07d12"),
    "silver": HexColor("#6f7884"),
    "bronze": HexColor("#94582a"),
    "medallion": HexColor("#2f6671"),
    None: INK,
}
for _result, _like in (("first_prize", "gold"), ("second_prize", "silver"), ("third_prize", "bronze"),
                       ("distinction", "gold"), ("merit", "silver"), ("pass", None)):
    MEDAL_INK[_result] = MEDAL_INK[_like] if _like else HexColor("#28527a")
TEXT_WIDTH = 600  # the central column
QR_SIZE = 74


class StreamingCanvas(Canvas):
    """A canvas that compresses each page's content as soon as the page is finished.

    ReportLab keeps every page's content stream as text until ``save()`` and compresses
    them all then; compressing at ``showPage()`` keeps ~2 KB a page instead of ~8 KB and
    is faster (the data is still in cache). It reaches into ReportLab's document objects,
    so it steps aside (leaving the usual behaviour) if they ever look different.
    """

    def showPage(self):
        super().showPage()
        pages = getattr(getattr(getattr(self, "_doc", None), "Pages", None), "pages", None)
        page = pages[-1] if pages else None
        stream = getattr(page, "stream", None)
        if not stream or getattr(page, "Contents", None):
            return
        data = stream.encode("latin-1") if isinstance(stream, str) else stream
        dictionary = PDFDictionary()
        dictionary["Filter"] = PDFName("FlateDecode")  # already applied: ReportLab writes it as is
        page.Contents = PDFStream(dictionary, zlib.compress(data))
        page.stream = None


class CertificateWriter:
    """One PDF/A-2b file of certificates, written page by page: ``add()`` draws and finishes a
    page, so only ReportLab's compressed page streams are kept until ``close()``, which makes
    the archival file (:mod:`.archival`) and writes it to ``out``."""

    def __init__(self, out: str | BinaryIO, *, logo: bytes | None = None, title: str = "Certificates", fonts: FontSet | None = None):
        self.fonts = fonts or load_fonts()
        self.out = out
        self._drawn = io.BytesIO()
        self.language: str | None = None
        self.canvas = StreamingCanvas(self._drawn, pagesize=(W, H), pageCompression=1, initialFontName=self.fonts.sans)
        self.canvas.setTitle(title)
        self.canvas.setCreator("Podium")
        self.logo = ImageReader(io.BytesIO(logo)) if logo else None
        self._forms: set[str] = set()
        self.pages = 0

    # -- text helpers -------------------------------------------------------------------
    def _face(self, role: str, text: str, language: str) -> tuple[str, bool, str]:
        """(font name, fake bold, text) for a role; CJK text or the Chinese layout use the CJK font."""
        f = self.fonts
        if language == ZH or needs_cjk(text):
            if f.cjk:
                return f.cjk, role.endswith("bold"), text
            text = latin_safe(text)
        face = {"serif": f.serif, "serif_bold": f.serif_bold, "serif_italic": f.serif_italic, "sans": f.sans, "sans_bold": f.sans_bold}
        return face[role], False, text

    def text(self, text, y, role="serif", size=12, colour=INK, *, language="en", x=CX, align="centre", width=TEXT_WIDTH, tracking=0.0):
        """Draw one line, shrunk to fit ``width``; return the size used."""
        if not text:
            return size
        c = self.canvas
        font, bold, text = self._face(role, text, language)
        natural = stringWidth(text, font, size) + tracking * (len(text) - 1)
        if natural > width:
            scale = width / natural
            size, tracking, natural = size * scale, tracking * scale, width
        left = x - natural / 2 if align == "centre" else (x - natural if align == "right" else x)
        c.setFillColor(colour)
        c.setFont(font, size)
        if bold:  # the CJK face has no bold: fill and stroke the outline instead
            c.setStrokeColor(colour)
            c.setLineWidth(size * 0.035)
            c.drawString(left, y, text, mode=2, charSpace=tracking)
        else:
            c.drawString(left, y, text, charSpace=tracking)
        return size

    def wrapped(self, items, y, *, role="serif", size=11.5, language="en", width=TEXT_WIDTH, max_lines=3, leading=1.35, colour=INK):
        """Items joined with a separator, broken between items into at most ``max_lines`` centred lines."""
        sep = "、" if language == ZH else "  ·  "
        while True:
            lines, current = [], ""
            for item in items:
                candidate = f"{current}{sep}{item}" if current else item
                font, _, shown = self._face(role, candidate, language)
                if current and stringWidth(shown, font, size) > width:
                    lines.append(current)
                    current = item
                else:
                    current = candidate
            if current:
                lines.append(current)
            if len(lines) <= max_lines or size <= 8:
                break
            size -= 0.5
        for line in lines[:max_lines]:
            self.text(line, y, role, size, colour, language=language, width=width)
            y -= size * leading
        return y

    # -- the page ----------------------------------------------------------------------
    def add(self, data: CertificateData) -> None:
        c = self.canvas
        self.language = self.language or data.language
        c.doForm(self._background(data))
        w = words(data.language)
        zh = data.language == ZH
        lang = data.language
        accent = ACCENT[data.layout]
        self.text(data.event_name.upper() if not zh else data.event_name, 508, "sans_bold", 10.5, accent, language=lang, tracking=2.2)
        self.text(title_of(data), 458, "serif_bold", 36 if zh else 34, INK, language=lang, tracking=8 if zh else 1.2)
        self.text(w["certify"], 408, "serif_italic", 15, MUTED, language=lang)
        self.text(data.competitor_name, 360, "serif_bold", 40, INK, language=lang, width=560)
        team = fill(w["team"], team=data.team_name) if data.team_name else ""  # a team member's: the team, then the organisation
        self.text("  ·  ".join(p for p in (team, data.organisation) if p), 337, "sans", 11, MUTED, language=lang, tracking=0.6)
        if data.layout == MEDAL:
            y = self._medal_lines(data, w)
        else:
            y = self._participation_lines(data, w)
        if data.units:
            self.text(w["units"] if zh else w["units"].upper(), y, "sans_bold", 8.5 if not zh else 10, accent, language=lang, tracking=1.6)
            self.wrapped(data.units, y - 17, language=lang)
        self.text(data.chief_expert, 112, "serif", 12.5, INK, language=lang, x=230, width=200)
        self.text(data.organiser, 112, "serif", 12.5, INK, language=lang, x=W - 230, width=200)
        draw_qr(c, data.verify_url, W - 60 - QR_SIZE, 58, QR_SIZE)
        self.text(fill(w["number"], number=data.number), 46, "sans", 7.5, MUTED, language=lang, x=W - 60, align="right", width=260)
        c.showPage()
        self.pages += 1

    def _medal_lines(self, data: CertificateData, w: dict) -> float:
        lang, zh = data.language, data.language == ZH
        colour = MEDAL_INK[data.result]
        dates = format_dates(data.starts_on, data.ends_on, lang)
        if zh:
            self.text(fill(w["awarded_in"], event=data.event_name, skill=data.skill_name), 310, "serif", 14, INK, language=lang)
            self.text(result_label(data.result, lang), 274, "serif_bold", 30, colour, language=lang, tracking=10)
        else:
            self.text(w["awarded"], 310, "serif_italic", 14, MUTED, language=lang)
            self.text(result_label(data.result, lang).upper(), 280, "serif_bold", 26, colour, language=lang, tracking=3)
            self.text(fill(w["skill_at_event"], skill=data.skill_name, event=data.event_name), 254, "serif", 14.5, INK, language=lang)
        where = "  ·  ".join(p for p in (data.place, dates) if p)
        self.text(where, 250 if zh else 236, "serif", 11.5, MUTED, language=lang)
        self.text(fill(w["standardised"], score=data.standardised), 230 if zh else 218, "sans", 9.5, MUTED, language=lang, tracking=0.8)
        return 206 if zh else 198

    def _participation_lines(self, data: CertificateData, w: dict) -> float:
        lang, zh = data.language, data.language == ZH
        dates = format_dates(data.starts_on, data.ends_on, lang)
        if zh:
            self.text(fill(w["took_part_in"], event=data.event_name, skill=data.skill_name), 302, "serif", 15, INK, language=lang)
        else:
            self.text(w["took_part"], 308, "serif_italic", 14, MUTED, language=lang)
            self.text(fill(w["skill_at_event"], skill=data.skill_name, event=data.event_name), 280, "serif_bold", 18, INK, language=lang)
        where = "  ·  ".join(p for p in (data.place, dates) if p)
        self.text(where, 278 if zh else 256, "serif", 11.5, MUTED, language=lang)
        self.text(fill(w["standardised"], score=data.standardised), 254 if zh else 234, "sans", 9.5, MUTED, language=lang, tracking=0.8)
        return 206

    # -- what every page of a kind shares ------------------------------------------------
    def _background(self, data: CertificateData) -> str:
        name = f"bg-{data.layout}-{data.language}-{data.result or 'none'}-{data.starts_on.year if data.starts_on else ''}"
        if name in self._forms:
            return name
        c = self.canvas
        c.beginForm(name)
        accent, tint = ACCENT[data.layout], TINT[data.layout]
        c.setFillColor(PAPER)
        c.rect(0, 0, W, H, stroke=0, fill=1)
        _rosette(c, CX, H / 2 + 10, 190, tint)
        _border(c, accent, tint)
        _ornament(c, CX, 440, accent)
        if self.logo:
            iw, ih = self.logo.getSize()
            scale = min(96 / iw, 56 / ih)
            c.drawImage(self.logo, 62, H - 62 - ih * scale, iw * scale, ih * scale, mask="auto")
        w = words(data.language)
        for x, label in ((230, w["chief_expert"]), (W - 230, w["organiser"])):
            c.setStrokeColor(INK)
            c.setLineWidth(0.6)
            c.line(x - 105, 128, x + 105, 128)
            self.text(label, 96, "sans", 8.5, MUTED, language=data.language, x=x, tracking=1.2 if data.language != ZH else 2)
        year = str(data.starts_on.year) if data.starts_on else ""
        _seal(c, CX, 100, MEDAL_COLOURS[data.result] if data.layout == MEDAL else accent, year, self.fonts.serif_bold)
        self.text(w["verify"], 58 + QR_SIZE + 6, "sans", 7.5, MUTED, language=data.language, x=W - 60 - QR_SIZE / 2, width=QR_SIZE + 20)
        c.endForm()
        self._forms.add(name)
        return name

    def close(self) -> None:
        self.canvas.save()
        save_archival(self._drawn.getvalue(), self.out, language=self.language)
        self._drawn = io.BytesIO()


def _border(c: Canvas, accent, tint) -> None:
    """Two ruled frames with a guilloche band of interlaced waves between them."""
    c.setStrokeColor(accent)
    c.setLineWidth(2.2)
    c.rect(22, 22, W - 44, H - 44)
    c.setLineWidth(0.7)
    c.rect(38, 38, W - 76, H - 76)
    c.setLineWidth(0.45)
    inset, amplitude, period = 30, 4.2, 14.0
    for phase in (0.0, math.pi):
        for (x0, y0, x1, y1, nx, ny) in (
            (inset, inset, W - inset, inset, 0, 1),
            (W - inset, inset, W - inset, H - inset, -1, 0),
            (W - inset, H - inset, inset, H - inset, 0, -1),
            (inset, H - inset, inset, inset, 1, 0),
        ):
            length = math.hypot(x1 - x0, y1 - y0)
            steps = int(length / 1.5)
            p = c.beginPath()
            for i in range(steps + 1):
                t = i / steps
                s = amplitude * math.sin(2 * math.pi * t * length / period + phase)
                px, py = x0 + (x1 - x0) * t + nx * s, y0 + (y1 - y0) * t + ny * s
                p.moveTo(px, py) if i == 0 else p.lineTo(px, py)
            c.drawPath(p, stroke=1, fill=0)
    for x, y in ((30, 30), (W - 30, 30), (W - 30, H - 30), (30, H - 30)):
        c.setFillColor(PAPER)
        c.rect(x - 11, y - 11, 22, 22, stroke=0, fill=1)
        c.setFillColor(accent)
        p = c.beginPath()
        p.moveTo(x, y + 8), p.lineTo(x + 8, y), p.lineTo(x, y - 8), p.lineTo(x - 8, y), p.close()
        c.drawPath(p, stroke=0, fill=1)
        c.setFillColor(tint)
        c.circle(x, y, 2.2, stroke=0, fill=1)


def _rosette(c: Canvas, x: float, y: float, r: float, colour) -> None:
    """A faint watermark of rotated ellipses, the way banknotes and diplomas are printed."""
    c.saveState()
    c.translate(x, y)
    c.setStrokeColor(colour)
    c.setLineWidth(0.5)
    for i in range(36):
        c.saveState()
        c.rotate(i * 5)
        c.ellipse(-r, -r * 0.32, r, r * 0.32, stroke=1, fill=0)
        c.restoreState()
    c.circle(0, 0, r * 1.02, stroke=1, fill=0)
    c.restoreState()


def _ornament(c: Canvas, x: float, y: float, colour) -> None:
    c.setStrokeColor(colour)
    c.setFillColor(colour)
    c.setLineWidth(0.7)
    c.line(x - 120, y, x - 10, y)
    c.line(x + 10, y, x + 120, y)
    p = c.beginPath()
    p.moveTo(x, y + 4.5), p.lineTo(x + 6, y), p.lineTo(x, y - 4.5), p.lineTo(x - 6, y), p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.circle(x - 124, y, 1.6, stroke=0, fill=1)
    c.circle(x + 124, y, 1.6, stroke=0, fill=1)


def _seal(c: Canvas, x: float, y: float, colour, label: str, font: str) -> None:
    """A rosette seal with ribbon tails, in the medal's colour."""
    c.saveState()
    c.setFillColor(colour)
    for side in (-1, 1):
        p = c.beginPath()
        p.moveTo(x + side * 6, y - 10), p.lineTo(x + side * 22, y - 48), p.lineTo(x + side * 15, y - 43)
        p.lineTo(x + side * 9, y - 52), p.lineTo(x + side * -6, y - 14), p.close()
        c.drawPath(p, stroke=0, fill=1)
    p = c.beginPath()
    points = 40
    for i in range(points * 2 + 1):
        a = math.pi * i / points
        rr = 38 if i % 2 == 0 else 34
        px, py = x + rr * math.cos(a), y + rr * math.sin(a)
        p.moveTo(px, py) if i == 0 else p.lineTo(px, py)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setStrokeColor(HexColor("#ffffff"))
    c.setLineWidth(0.8)
    c.circle(x, y, 28, stroke=1, fill=0)
    c.setLineWidth(0.4)
    c.circle(x, y, 25, stroke=1, fill=0)
    c.setFillColor(HexColor("#ffffff"))
    c.setFont(font, 14)
    c.drawCentredString(x, y - 5, label)
    for dx in (-13, 13):
        c.circle(x + dx, y + 11, 1.3, stroke=0, fill=1)
    c.circle(x, y + 14, 1.6, stroke=0, fill=1)
    c.restoreState()


def write_certificates(
    items: Iterable[CertificateData],
    out: str | BinaryIO,
    *,
    logo: bytes | None = None,
    title: str = "Certificates",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Draw each certificate of ``items`` (any iterable: a generator keeps memory flat) into
    one PDF at ``out``; call ``progress(pages so far)`` after each page. Returns the page count."""
    writer = CertificateWriter(out, logo=logo, title=title)
    for data in items:
        writer.add(data)
        if progress:
            progress(writer.pages)
    writer.close()
    return writer.pages
