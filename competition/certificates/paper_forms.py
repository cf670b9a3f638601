"""Blank paper marking forms: the fallback when the tablets fail. One form per competitor and
judge (or with an empty competitor box), every aspect with its max mark, what the judge writes
(a judgement aspect's levels with their descriptors), a box to write it in and a signature
line. Each form starts on a new page; what a form lists is built by
:mod:`competition.services.paper_forms`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from os import PathLike, fspath
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from competition.certificates.archival import save_archival
from competition.certificates.sheets import INK, MUTED, N_, RULE, SHADE, Fonts, para, tr

FORM_TITLE = N_("Paper marking form")


@dataclass(frozen=True)
class FormAspect:
    id: str
    description: str
    kind: str  # "J" judgement, "M" measurement
    max: str
    entry: str  # what the judge writes, in the form's language
    options: tuple[str, ...] = ()  # "0 — poor", "1 — industry standard"…


@dataclass(frozen=True)
class FormSection:
    id: str
    name: str
    max: str
    aspects: tuple[FormAspect, ...]


@dataclass(frozen=True)
class FormCopy:
    competitor: str  # "" for an empty box
    judge: str  # "" for an empty line


@dataclass(frozen=True)
class MarkingForms:
    language: str
    event_name: str
    skill_name: str
    dates: str
    sections: tuple[FormSection, ...]
    copies: tuple[FormCopy, ...]


def draw_marking_forms(forms: MarkingForms, out: str | PathLike | BinaryIO) -> None:
    out = fspath(out) if isinstance(out, PathLike) else out
    lang = forms.language
    fonts = Fonts(lang)
    margin = 14 * mm
    drawn = io.BytesIO()
    doc = SimpleDocTemplate(drawn, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=16 * mm, bottomMargin=18 * mm,
                            title=f"{tr(lang, FORM_TITLE)} — {forms.skill_name}", author="Podium", creator="Podium",
                            initialFontName=fonts.regular)
    story: list = []
    for index, copy in enumerate(forms.copies):
        if index:
            story.append(PageBreak())
        story += _form(forms, copy, fonts, doc.width)

    def page(canvas, document):
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        note = tr(lang, N_("Enter these marks into Podium as soon as the tablets work again; keep this form with the skill's records."))
        canvas.drawString(margin, 10 * mm, fonts.safe(note))
        canvas.drawRightString(A4[0] - margin, 10 * mm, fonts.safe(tr(lang, N_("Page %(page)s"), page=document.page)))
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    save_archival(drawn.getvalue(), out, language=lang)


def _form(forms: MarkingForms, copy: FormCopy, fonts: Fonts, width: float) -> list:
    lang = forms.language
    label = fonts.style(7.5, colour=MUTED)
    value = fonts.style(11, bold=True)
    heading = [
        para(fonts, "  ·  ".join(p for p in (forms.event_name, forms.dates) if p), fonts.style(8.5, colour=MUTED)),
        para(fonts, f"{tr(lang, FORM_TITLE)} — {forms.skill_name}", fonts.style(15, bold=True, leading=20)),
        Spacer(1, 3 * mm),
    ]
    boxes = Table(
        [[para(fonts, tr(lang, N_("Competitor")), label), para(fonts, tr(lang, N_("Judge")), label),
          para(fonts, tr(lang, N_("Date")), label)],
         [para(fonts, copy.competitor, value), para(fonts, copy.judge, value), ""]],
        colWidths=[width * 0.4, width * 0.4, width * 0.2], rowHeights=[5 * mm, 10 * mm],
    )
    boxes.setStyle(TableStyle([fonts.cells(), ("BOX", (0, 0), (-1, -1), 0.8, INK), ("LINEBEFORE", (1, 0), (-1, -1), 0.5, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    head = fonts.style(7.5, bold=True, align=TA_CENTER)
    rows = [[para(fonts, tr(lang, N_("Aspect")), head), para(fonts, tr(lang, N_("Description")), fonts.style(7.5, bold=True)),
             para(fonts, tr(lang, N_("Type")), head), para(fonts, tr(lang, N_("Max")), head), para(fonts, tr(lang, N_("Entry")), head)]]
    style = [fonts.cells(), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    text = fonts.style(8.5)
    small = fonts.style(7.5, colour=MUTED)
    centre = fonts.style(8.5, align=TA_CENTER)
    for section in forms.sections:
        style += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), SHADE)]
        rows.append([para(fonts, f"{section.id}  {section.name}  ({section.max})", fonts.style(8.5, bold=True)), "", "", "", ""])
        for aspect in section.aspects:
            described = [para(fonts, aspect.description, text), para(fonts, aspect.entry, small)]
            described += [para(fonts, option, small) for option in aspect.options]
            style.append(("BOX", (4, len(rows)), (4, len(rows)), 0.8, INK))
            rows.append([para(fonts, aspect.id, text), described, para(fonts, aspect.kind, centre), para(fonts, aspect.max, centre), ""])
    table = Table(rows, colWidths=[16 * mm, width - 16 * mm - 12 * mm - 14 * mm - 24 * mm, 12 * mm, 14 * mm, 24 * mm], repeatRows=1)
    style.append(("LINEBELOW", (0, 1), (3, -1), 0.25, RULE))
    table.setStyle(TableStyle(style))
    signature = KeepTogether([
        Spacer(1, 12 * mm),
        para(fonts, "_" * 40, fonts.style(8, colour=MUTED)),
        para(fonts, tr(lang, N_("Judge's signature")) + (f" — {copy.judge}" if copy.judge else ""), label),
    ])
    return [*heading, boxes, Spacer(1, 4 * mm), table, signature]
