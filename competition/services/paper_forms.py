"""What a skill's paper marking forms list: every aspect of its scheme with its max mark and
what the judge writes (read from the aspect's kind, as the tablet's form does), and one copy
per judge and competitor — or per judge with the competitor left to fill in.

The competitor is named as judges see it: the encrypted number of an encrypted skill, the code
alone on an anonymised skill, else code and name. Read only.
"""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select

from competition.certificates.content import format_dates
from competition.certificates.paper_forms import FormAspect, FormCopy, FormSection, MarkingForms, draw_marking_forms
from competition.certificates.sheets import N_, tr
from competition.extensions import db
from competition.models import Competitor, Skill, SkillRole
from competition.scoring.kinds import kind_of
from competition.scoring.kinds.base import CHOICES, COUNTER
from competition.scoring.model import Aspect
from competition.scoring.numbers import plain
from competition.scoring.text import Text

LANGUAGES = ("en", "zh")


def _in(text: object, language: str) -> str:
    return text.get(language) if isinstance(text, Text) else str(text)


def competitor_label(skill: Skill, competitor: Competitor) -> str:
    """The competitor as the skill's judges see them."""
    if skill.encrypted:
        return competitor.encrypted_code or "—"
    if skill.anonymised:
        return competitor.code
    return f"{competitor.code}  {competitor.name}"


def entry_of(aspect: Aspect, language: str) -> tuple[str, tuple[str, ...]]:
    """What the judge writes for ``aspect``, and the options with their descriptors (if any)."""
    kind = kind_of(aspect)
    widget = kind.widget_of(aspect)
    if widget == CHOICES:
        choices = kind.choices(aspect)
        values = ", ".join(c.value for c in choices)
        options = tuple(f"{c.value} — {_in(c.label, language) if isinstance(c.label, Text) else tr(language, c.label)}"
                        for c in choices if str(c.label) != c.value)
        return tr(language, N_("Write one of: %(values)s"), values=values), options
    if widget == COUNTER:
        limit = kind.limit(aspect)
        text = (tr(language, N_("Write a whole number from 0 to %(limit)s"), limit=limit) if limit is not None
                else tr(language, N_("Write a whole number")))
        if aspect.deduction_step:
            text += " " + tr(language, N_("(each one takes %(step)s off)"), step=plain(aspect.deduction_step))
        return text, ()
    if aspect.is_judgement:
        scale = aspect.scale.for_max(aspect.max_mark)
        return tr(language, N_("Write a score from %(min)s to %(max)s in steps of %(step)s"), min=plain(scale.min),
                  max=plain(scale.top), step=plain(scale.step)), ()
    return tr(language, N_("Write the value measured")), ()


def sections_of(skill: Skill, language: str) -> tuple[FormSection, ...]:
    sections = []
    for criterion in skill.scheme.criteria:
        aspects = tuple(
            FormAspect(a.id, _in(a.description, language), "J" if a.is_judgement else "M", plain(a.max_mark), *entry_of(a, language))
            for a in criterion.aspects
        )
        sections.append(FormSection(criterion.id, _in(criterion.name, language), plain(criterion.max_mark), aspects))
    return tuple(sections)


def build_forms(skill: Skill, language: str | None = None, *, blank: bool = False) -> MarkingForms:
    """The forms of ``skill`` in ``language`` (default: the event's): a copy per judge and
    competitor, or with ``blank`` one per judge with the competitor box empty."""
    lang = language if language in LANGUAGES else (skill.event.language if skill.event.language in LANGUAGES else "en")
    roles = db.session.scalars(select(SkillRole).where(SkillRole.skill_id == skill.id).order_by(SkillRole.id)).all()
    judges = [r.user.display_name for r in roles] or [""]
    competitors = [""] if blank or not skill.competitors else [competitor_label(skill, c) for c in skill.competitors]
    copies = tuple(FormCopy(competitor, judge) for judge in judges for competitor in competitors)
    event = skill.event
    return MarkingForms(language=lang, event_name=event.name, skill_name=skill.name_in(lang),
                        dates=format_dates(event.starts_on, event.ends_on, lang), sections=sections_of(skill, lang), copies=copies)


def print_marking_forms(skill: Skill, out: str | BinaryIO, *, language: str | None = None, blank: bool = False) -> int:
    """Draw the forms into ``out``; returns how many forms (copies) were drawn."""
    forms = build_forms(skill, language, blank=blank)
    draw_marking_forms(forms, out)
    return len(forms.copies)
