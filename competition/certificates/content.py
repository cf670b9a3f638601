"""What a certificate says: plain data for one page, and its wording in English and 简体中文.

Nothing here touches the database; services build :class:`CertificateData` from a competitor's
locked result, the renderer draws it, the verification page shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EN, ZH = "en", "zh"
LANGUAGES = {EN: "English", ZH: "简体中文"}

# Layouts: a medal certificate (gold, silver, bronze, Medallion for Excellence) and a
# certificate of participation / recognition of competence for everyone else.
MEDAL, PARTICIPATION = "medal", "participation"
# The organiser's choice per event: medal layout for medallists (default), or the
# recognition-of-competence layout for everyone (apprenticeship schemes without medals).
LAYOUT_CHOICES = {
    "auto": "Medal certificate for medallists, recognition of competence for others",
    PARTICIPATION: "Recognition of competence for everyone",
}

RESULTS = ("gold", "silver", "bronze", "medallion")


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
    result: str | None  # gold / silver / bronze / medallion, or None: participation
    standardised: int
    units: tuple[str, ...]
    chief_expert: str = ""
    organiser: str = ""
    competitor_code: str = ""


WORDS = {
    EN: {
        "title_medal": "Certificate of Achievement",
        "title_competence": "Certificate of Competence",
        "title_participation": "Certificate of Participation",
        "certify": "This is to certify that",
        "awarded": "is awarded",
        "took_part": "took part in",
        "in_skill": "in {skill}",
        "at_event": "at {event}",
        "skill_at_event": "{skill} at {event}",
        "standardised": "Standardised score {score}",
        "units": "Units of competence demonstrated",
        "no_units": "",
        "chief_expert": "Chief Expert",
        "organiser": "Organiser",
        "number": "Certificate No.",
        "verify": "Scan to verify",
        "gold": "Gold Medal",
        "silver": "Silver Medal",
        "bronze": "Bronze Medal",
        "medallion": "Medallion for Excellence",
        "participation": "Certificate of Participation",
    },
    ZH: {
        "title_medal": "荣誉证书",
        "title_competence": "职业能力证书",
        "title_participation": "参赛证书",
        "certify": "兹证明",
        "awarded": "在{event}“{skill}”项目比赛中荣获",
        "took_part": "参加了{event}“{skill}”项目比赛",
        "in_skill": "",
        "at_event": "",
        "skill_at_event": "",
        "standardised": "标准分 {score}",
        "units": "已展现的能力单元",
        "no_units": "",
        "chief_expert": "首席专家",
        "organiser": "组委会",
        "number": "证书编号",
        "verify": "扫码验证",
        "gold": "金牌",
        "silver": "银牌",
        "bronze": "铜牌",
        "medallion": "优胜奖",
        "participation": "参赛证书",
    },
}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS[EN])


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


def title_of(data: CertificateData) -> str:
    w = words(data.language)
    if data.layout == MEDAL:
        return w["title_medal"]
    return w["title_competence"] if data.units else w["title_participation"]
