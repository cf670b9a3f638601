"""Exports of an event's results: the standings, and every raw mark with its revision history,
as CSV, XLSX or JSON (:mod:`competition.services.export_formats` says how each is written).

Read only: an export writes a file, never the database, so a command, a page or a background
job may call it the same way. ``progress(done, total)`` is called once per skill (and with
``0, total`` first).

The JSON documents (``FORMAT_VERSION`` 1; a reader refuses a version it does not know)::

    {"format": "podium.standings", "version": 1,
     "event": {"code", "name"},
     "skills": [{"code", "name", "scheme": {"code", "version", "source"}, "provisional": bool,
                 "max": "100.00", "criteria": [{"id", "name", "max"}],
                 "modules": [{"id", "name", "criteria": [ids], "max", "weight": "0.2" | null}],
                 "standings": [{"external_id", "skill", "code", "name", "organisation", "entry_number",
                                "members": [{"name", "organisation"}], "rank": int | null,
                                "total": "81.50", "criteria": {id: "…"}, "modules": {id: "…"},
                                "module_scores": {id: "…"}, "standardised": int | null,
                                "awards": ["gold", …], "in_marking": bool, "locked": bool}]}]}

    {"format": "podium.marks", "version": 1,
     "event": {"code", "name"},
     "skills": [{"code", "name", "marks": [{"skill", "competitor", "judge", "aspect", "value": "2.00",
                 "version": int, "entered_at": "2026-05-01T09:30:00+00:00",
                 "revisions": [{"revision": 1, "old_value": null | "…", "value": "…", "version": int,
                                "at": "…", "by": username, "device", "ip", "reason"}]}]}]}

Scores and marks are strings with two decimals (exact, as in the JSON API); times are ISO 8601
in UTC. Standings rows are in rank order, competitors still in marking last; marks are in
competitor, aspect, judge order. Nothing in a document depends on when it was made, so the
same results always export to the same bytes.
"""

from __future__ import annotations

from competition.models import Event, Skill
from competition.scoring.numbers import api_decimal
from competition.services.export_formats import Out, write_csv, write_json, write_xlsx
from competition.services.export_tables import Progress, each_skill, mark_records, marks_table, standings_records, standings_table
from competition.services.standings import names

FORMAT_VERSION = 1
FORMATS = ("csv", "xlsx", "json")
KINDS = ("standings", "marks")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

__all__ = ["FORMATS", "FORMAT_VERSION", "KINDS", "MEDIA_TYPES", "export", "export_marks", "export_standings", "file_name"]


def _skills(event: Event, skill: Skill | None) -> list[Skill]:
    return [skill] if skill is not None else list(event.skills)


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def export_standings(event: Event, out: Out, fmt: str, *, skill: Skill | None = None, progress: Progress | None = None) -> int:
    """Write the standings of ``skill`` (or of every skill of ``event``) to ``out`` (a path or a
    binary stream) as ``fmt``; returns the number of competitors written."""
    _check(fmt)
    skills = _skills(event, skill)
    if fmt == "json":
        document = {"format": "podium.standings", "version": FORMAT_VERSION, "event": {"code": event.code, "name": event.name},
                    "skills": [_skill_standings(s) for s in each_skill(skills, progress)]}
        write_json(document, out)
        return sum(len(s["standings"]) for s in document["skills"])
    table = standings_table(skills, progress)
    (write_csv if fmt == "csv" else write_xlsx)(table, out)
    return len(table.rows)


def export_marks(event: Event, out: Out, fmt: str, *, skill: Skill | None = None, progress: Progress | None = None) -> int:
    """Write every mark of ``skill`` (or of every skill of ``event``) with its revision history
    to ``out`` as ``fmt``; returns the number of marks written."""
    _check(fmt)
    skills = _skills(event, skill)
    if fmt == "json":
        document = {"format": "podium.marks", "version": FORMAT_VERSION, "event": {"code": event.code, "name": event.name},
                    "skills": [{"code": s.code, "name": s.name, "marks": mark_records(s)} for s in each_skill(skills, progress)]}
        write_json(document, out)
        return sum(len(s["marks"]) for s in document["skills"])
    table = marks_table(skills, progress)
    (write_csv if fmt == "csv" else write_xlsx)(table, out)
    return sum(1 for row in table.rows if row[-1])


def export(kind: str, event: Event, out: Out, fmt: str, *, skill: Skill | None = None, progress: Progress | None = None) -> int:
    """:func:`export_standings` or :func:`export_marks` by name (``standings`` / ``marks``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r} (one of {', '.join(KINDS)})")
    return (export_standings if kind == "standings" else export_marks)(event, out, fmt, skill=skill, progress=progress)


def file_name(kind: str, event: Event, fmt: str, skill: Skill | None = None) -> str:
    """``podium-2026-electrical-standings.csv``: what a download is called."""
    return "-".join(p for p in (event.code, skill.code if skill else "", kind) if p) + f".{fmt}"


def _skill_standings(skill: Skill) -> dict:
    scheme = skill.scheme
    return {
        "code": skill.code,
        "name": skill.name,
        "names": names(scheme.name),
        "scheme": {"code": scheme.code, "version": scheme.version, "source": skill.scheme_source},
        "provisional": not skill.results_final,
        "max": api_decimal(scheme.total_max),
        "criteria": [{"id": c.id, "name": str(c.name), "max": api_decimal(c.max_mark)} for c in scheme.criteria],
        "modules": [{"id": m.id, "name": str(m.name), "criteria": list(m.criteria), "max": api_decimal(scheme.module_max(m)),
                     "weight": None if m.weight is None else str(m.weight)} for m in scheme.modules],
        "standings": standings_records(skill),
    }
