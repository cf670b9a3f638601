"""The result sheet (成绩单) of one skill, drawn with ReportLab from plain data.

A4, portrait, or landscape when the criteria and modules need more columns than a portrait
page holds. Every page carries the event, the skill, "provisional" in red across the page
when not every competitor is locked, the document's short hash, its QR code (the verification
address) and its page number; the last page carries a signature line for every judge and the
chief expert. What the sheet says is built by :mod:`competition.services.result_sheets`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from os import PathLike, fspath
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from competition.certificates.archival import save_archival
from competition.certificates.qr import draw_qr
from competition.certificates.sheets import INK, MUTED, N_, RULE, SHADE, WARN, Fonts, para, tr

PORTRAIT_COLUMNS = 5  # criteria + modules a portrait page holds; more turn the page
SHORT_HASH = 12  # hex digits printed (the QR code carries the whole hash)


@dataclass(frozen=True)
class Part:
    """A criterion or module column: its id, name and what it is out of."""

    id: str
    name: str
    max: str
    weight: str = ""  # a weighted module: its share, e.g. "20%"


@dataclass(frozen=True)
class SheetRow:
    rank: str
    code: str
    name: str
    organisation: str
    criteria: tuple[str, ...]
    modules: tuple[str, ...]
    total: str
    standardised: str
    awards: str


@dataclass(frozen=True)
class Signatory:
    role: str  # already in the sheet's language
    name: str


@dataclass(frozen=True)
class ResultSheet:
    language: str
    event_name: str
    skill_name: str
    dates: str
    place: str
    made_at: str
    provisional: bool
    names_hidden: bool  # an encrypted skill not yet locked: encrypted codes instead of names
    criteria: tuple[Part, ...]
    modules: tuple[Part, ...]
    rows: tuple[SheetRow, ...]
    signatories: tuple[Signatory, ...]
    digest: str
    verify_url: str
    total_max: str


def draw_result_sheet(sheet: ResultSheet, out: str | PathLike | BinaryIO) -> None:
    """Draw ``sheet`` as a PDF into ``out`` (a path or a binary stream)."""
    out = fspath(out) if isinstance(out, PathLike) else out
    lang = sheet.language
    fonts = Fonts(lang)
    parts = len(sheet.criteria) + len(sheet.modules)
    pagesize = landscape(A4) if parts > PORTRAIT_COLUMNS else A4
    margin = 14 * mm
    drawn = io.BytesIO()
    doc = SimpleDocTemplate(drawn, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=30 * mm,
                            bottomMargin=34 * mm, title=f"{sheet.event_name} — {sheet.skill_name}", author="Podium",
                            creator="Podium", subject=sheet.digest, initialFontName=fonts.regular)
    story = [_table(sheet, fonts, doc.width), Spacer(1, 4 * mm), *_legend(sheet, fonts), Spacer(1, 8 * mm),
             _signatures(sheet, fonts, doc.width)]

    def page(canvas, document):
        _frame(canvas, document, sheet, fonts, pagesize)

    doc.build(story, onFirstPage=page, onLaterPages=page)
    save_archival(drawn.getvalue(), out, language=lang)


def _table(sheet: ResultSheet, fonts: Fonts, width: float) -> Table:
    lang = sheet.language
    head = fonts.style(7.5, bold=True, align=TA_CENTER)
    head_left = fonts.style(7.5, bold=True)
    cell = fonts.style(8)
    small = fonts.style(6.5, colour=MUTED)
    number = fonts.style(8, align=TA_RIGHT)
    strong = fonts.style(8.5, bold=True, align=TA_RIGHT)
    header = [para(fonts, tr(lang, N_("Rank")), head), para(fonts, tr(lang, N_("Code")), head_left),
              para(fonts, tr(lang, N_("Encrypted code")) if sheet.names_hidden else tr(lang, N_("Competitor")), head_left)]
    header += [para(fonts, f"{p.id}\n/{p.max}", head) for p in sheet.criteria]
    header += [para(fonts, f"{p.id}{' ' + p.weight if p.weight else ''}\n/{p.max}", head) for p in sheet.modules]
    header += [para(fonts, tr(lang, N_("Total")) + f"\n/{sheet.total_max}", head), para(fonts, tr(lang, N_("Scale score")), head),
               para(fonts, tr(lang, N_("Award")), head_left)]
    data = [header]
    for row in sheet.rows:
        who = [para(fonts, row.name, cell)]
        if row.organisation:
            who.append(para(fonts, row.organisation, small))
        data.append([para(fonts, row.rank, fonts.style(8, bold=True, align=TA_CENTER)), para(fonts, row.code, cell), who,
                     *(para(fonts, v, number) for v in row.criteria), *(para(fonts, v, number) for v in row.modules),
                     para(fonts, row.total, strong), para(fonts, row.standardised, number), para(fonts, row.awards, cell)])
    parts = len(sheet.criteria) + len(sheet.modules)
    fixed = {"rank": 11 * mm, "code": 16 * mm, "total": 15 * mm, "scale": 13 * mm, "award": (38 if parts <= PORTRAIT_COLUMNS else 42) * mm}
    part_width = 13 * mm
    name_width = max(35 * mm, width - sum(fixed.values()) - parts * part_width)
    if name_width + sum(fixed.values()) + parts * part_width > width:  # very many criteria: narrower columns
        part_width = (width - sum(fixed.values()) - 35 * mm) / max(parts, 1)
    widths = [fixed["rank"], fixed["code"], name_width, *([part_width] * parts), fixed["total"], fixed["scale"], fixed["award"]]
    table = Table(data, colWidths=widths, repeatRows=1)
    first_module = 3 + len(sheet.criteria)
    style = [
        fonts.cells(),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (-3, 1), (-3, -1), SHADE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if sheet.modules:
        style.append(("LINEBEFORE", (first_module, 0), (first_module, -1), 0.6, RULE))
    table.setStyle(TableStyle(style))
    return table


def _legend(sheet: ResultSheet, fonts: Fonts) -> list:
    lang = sheet.language
    style = fonts.style(7.5, colour=MUTED)
    lines = [f"{p.id}  {p.name} ({p.max})" for p in (*sheet.criteria, *sheet.modules)]
    items = [para(fonts, tr(lang, N_("Criteria and modules")), fonts.style(7.5, bold=True, colour=MUTED))]
    items += [para(fonts, line, style) for line in lines]
    if sheet.names_hidden:
        items.append(Spacer(1, 2 * mm))
        note = N_("This skill is marked under encrypted numbers: names are joined to the results once they are locked.")
        items.append(para(fonts, tr(lang, note), style))
    return items


def _signatures(sheet: ResultSheet, fonts: Fonts, width: float) -> KeepTogether:
    lang = sheet.language
    title = para(fonts, tr(lang, N_("Signatures")), fonts.style(10, bold=True))
    per_row = 3
    cell_width = width / per_row
    cells = []
    for person in sheet.signatories:
        cells.append([Spacer(1, 9 * mm), para(fonts, "_" * 34, fonts.style(8, colour=MUTED)),
                      para(fonts, person.name, fonts.style(8.5, bold=True)), para(fonts, person.role, fonts.style(7.5, colour=MUTED))])
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)] or [[""]]
    for row in rows:
        row.extend([""] * (per_row - len(row)))
    table = Table(rows, colWidths=[cell_width] * per_row)
    table.setStyle(TableStyle([fonts.cells(), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([title, table])


def _frame(canvas, doc, sheet: ResultSheet, fonts: Fonts, pagesize) -> None:
    """What every page carries: the heading, "provisional", the hash, the QR code, the page number."""
    lang = sheet.language
    width, height = pagesize
    left, right = doc.leftMargin, width - doc.rightMargin
    canvas.saveState()
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 8.5)
    canvas.drawString(left, height - 14 * mm, fonts.safe("  ·  ".join(p for p in (sheet.event_name, sheet.place, sheet.dates) if p)))
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 15)
    canvas.drawString(left, height - 21 * mm, fonts.safe(tr(lang, N_("Result sheet")) + f" — {sheet.skill_name}"))
    if sheet.provisional:
        canvas.setFillColor(WARN)
        canvas.setFont(fonts.bold, 10)
        canvas.drawRightString(right, height - 21 * mm, fonts.safe(tr(lang, N_("PROVISIONAL: not every competitor is locked"))))
        canvas.saveState()
        canvas.setFillColor(WARN)
        canvas.setFillAlpha(0.08)
        canvas.setFont(fonts.bold, 90 if lang != "zh" else 110)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(30)
        canvas.drawCentredString(0, -30, fonts.safe(tr(lang, N_("PROVISIONAL"))))
        canvas.restoreState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(left, height - 24 * mm, right, height - 24 * mm)
    qr = 25 * mm
    draw_qr(canvas, sheet.verify_url, right - qr, 6 * mm, qr)
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 7.5)
    made = tr(lang, N_("Made %(time)s · document %(hash)s"), time=sheet.made_at, hash=sheet.digest[:SHORT_HASH])
    canvas.drawString(left, 14 * mm, fonts.safe(made))
    canvas.drawString(left, 10 * mm, fonts.safe(tr(lang, N_("Verify: %(url)s"), url=sheet.verify_url)))
    canvas.drawRightString(right - qr - 4 * mm, 14 * mm, fonts.safe(tr(lang, N_("Page %(page)s"), page=doc.page)))
    canvas.restoreState()
