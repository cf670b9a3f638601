"""What a certificate says: plain data for one page, and its wording in English and 简体中文.

Nothing here touches the database; services build :class:`CertificateData` from a competitor's
locked result, the renderer draws it, the verification page shows it.

A certificate speaks its own language (the event's certificate setting, kept on each
certificate), whatever language the person printing it reads: its wording comes from the
application's gettext catalogue (``competition/translations``), loaded here directly — no
request, no Flask — so the background batch job and ``podium certificates`` draw the same
words as a page. Every message has the context ``certificate`` (``pgettext``): a certificate's
formal wording ("Organiser" → 组委会) may differ from the interface's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

EN, ZH = "en", "zh"
LANGUAGES = {EN: "English", ZH: "简体中文"}  # each named in its own language
CATALOGUE_LOCALES = {EN: "en", ZH: "zh_Hans_CN"}
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
CONTEXT = "certificate"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


# Layouts: a medal certificate (gold, silver, bronze, Medallion for Excellence) and a
# certificate of participation / recognition of competence for everyone else.
MEDAL, PARTICIPATION = "medal", "participation"
# The organiser's choice per event: medal layout for medallists (default), or the
# recognition-of-competence layout for everyone (apprenticeship schemes without medals).
# The labels are shown on the settings page, in the reader's language (gettext them there).
LAYOUT_CHOICES = {
    "auto": N_("Medal certificate for medallists, recognition of competence for others"),
    PARTICIPATION: N_("Recognition of competence for everyone"),
}

# What a certificate of achievement may award: a medal (WorldSkills), a prize band (一等奖…)
# or a level of a score-threshold rule; the codes are those of competition.scoring.awards.
MEDAL_RESULTS = ("gold", "silver", "bronze", "medallion")
PRIZE_RESULTS = ("first_prize", "second_prize", "third_prize")
LEVEL_RESULTS = ("distinction", "merit", "pass")
RESULTS = MEDAL_RESULTS + PRIZE_RESULTS + LEVEL_RESULTS


@dataclass(frozen=True)
class CertificateData:
    number: str
    verify_url: str
    language: str
    layout: str
    competitor_name: str
    organisation: str
    skill_name: str
    event_name: str
    place: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    result: str | None  # one of RESULTS (a medal, prize or level), or None: participation
    standardised: int
    units: tuple[str, ...]
    chief_expert: str = ""
    organiser: str = ""
    competitor_code: str = ""
    team_name: str = ""  # a team member's certificate: the team's name (``competitor_name`` is the member's)


@cache
def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of a certificate language (English: the messages themselves)."""
    if language not in CATALOGUE_LOCALES or language == EN:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [CATALOGUE_LOCALES[language]], domain="messages")


@cache
def words(language: str) -> dict[str, str]:
    """A certificate's fixed wording in ``language``; the entries with ``%(…)s`` are filled
    with :func:`fill`. ``awarded_in``/``took_part_in`` are whole sentences for layouts that
    write the event and skill in one line (Chinese); ``awarded``/``took_part`` with
    ``skill_at_event`` are the lines of the English layout."""
    t = catalogue(language if language in CATALOGUE_LOCALES else EN)
    return {
        "title_medal": t.pgettext("certificate", "Certificate of Achievement"),
        "title_competence": t.pgettext("certificate", "Certificate of Competence"),
        "title_participation": t.pgettext("certificate", "Certificate of Participation"),
        "certify": t.pgettext("certificate", "This is to certify that"),
        "awarded": t.pgettext("certificate", "is awarded"),
        "took_part": t.pgettext("certificate", "took part in"),
        "skill_at_event": t.pgettext("certificate", "%(skill)s at %(event)s"),
        "awarded_in": t.pgettext("certificate", "is awarded, in the %(skill)s competition at %(event)s,"),
        "took_part_in": t.pgettext("certificate", "took part in the %(skill)s competition at %(event)s"),
        "standardised": t.pgettext("certificate", "Standardised score %(score)s"),
        "units": t.pgettext("certificate", "Units of competence demonstrated"),
        "chief_expert": t.pgettext("certificate", "Chief Expert"),
        "organiser": t.pgettext("certificate", "Organiser"),
        "number": t.pgettext("certificate", "Certificate No. %(number)s"),
        "verify": t.pgettext("certificate", "Scan to verify"),
        "team": t.pgettext("certificate", "member of the team %(team)s"),
        "gold": t.pgettext("certificate", "Gold Medal"),
        "silver": t.pgettext("certificate", "Silver Medal"),
        "bronze": t.pgettext("certificate", "Bronze Medal"),
        "medallion": t.pgettext("certificate", "Medallion for Excellence"),
        "first_prize": t.pgettext("certificate", "First Prize"),
        "second_prize": t.pgettext("certificate", "Second Prize"),
        "third_prize": t.pgettext("certificate", "Third Prize"),
        "distinction": t.pgettext("certificate", "Distinction"),
        "merit": t.pgettext("certificate", "Merit"),
        "pass": t.pgettext("certificate", "Pass"),
        "participation": t.pgettext("certificate", "Certificate of Participation"),
    }


def fill(message: str, **values: object) -> str:
    """A message with its ``%(name)s`` placeholders filled."""
    return message % values


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def result_label(result: str | None, language: str) -> str:
    return words(language)[result or "participation"]


def format_dates(starts: dt.date | None, ends: dt.date | None, language: str) -> str:
    """An event's dates the way people write them.

    >>> format_dates(dt.date(2026, 11, 24), dt.date(2026, 11, 27), "en")
    '24–27 November 2026'
    >>> format_dates(dt.date(2026, 11, 30), dt.date(2026, 12, 2), "zh")
    '2026年11月30日至12月2日'
    >>> format_dates(dt.date(2026, 5, 1), None, "en")
    '1 May 2026'
    """
    if starts is None:
        return ""
    ends = ends or starts
    if language == ZH:
        first = f"{starts.year}年{starts.month}月{starts.day}日"
        if ends == starts:
            return first
        if ends.year != starts.year:
            return f"{first}至{ends.year}年{ends.month}月{ends.day}日"
        if ends.month != starts.month:
            return f"{first}至{ends.month}月{ends.day}日"
        return f"{first}至{ends.day}日"
    if ends == starts:
        return f"{starts.day} {MONTHS[starts.month - 1]} {starts.year}"
    if (ends.year, ends.month) == (starts.year, starts.month):
        return f"{starts.day}–{ends.day} {MONTHS[ends.month - 1]} {ends.year}"
    if ends.year == starts.year:
        return f"{starts.day} {MONTHS[starts.month - 1]} – {ends.day} {MONTHS[ends.month - 1]} {ends.year}"
    return f"{starts.day} {MONTHS[starts.month - 1]} {starts.year} – {ends.day} {MONTHS[ends.month - 1]} {ends.year}"


def title_for(layout: str, has_units: bool, language: str) -> str:
    """The title a certificate of this layout prints, in ``language``."""
    w = words(language)
    if layout == MEDAL:
        return w["title_medal"]
    return w["title_competence"] if has_units else w["title_participation"]


def title_of(data: CertificateData) -> str:
    return title_for(data.layout, bool(data.units), data.language)


def printed_result(layout: str, result: str | None) -> str | None:
    """The result a certificate prints: its medal, prize or level on a medal certificate; none on
    a certificate of participation or competence (even for a medallist, when the event prints
    recognition of competence for everyone). The verification page names exactly this."""
    return result if layout == MEDAL else None
