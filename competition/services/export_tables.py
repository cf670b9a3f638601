"""What an export holds, as plain tables: a skill's standings and its raw marks with every
revision. The writers (:mod:`competition.services.export_formats`) turn the same tables into
CSV, XLSX or JSON, so the three formats never disagree.

Read only: nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from competition.extensions import db
from competition.models import Competitor, Mark, MarkRevision, Skill, User
from competition.services.standings import skill_standings, team_members

Progress = Callable[[int, int], None]

# The competitor columns of the import format, first in every standings row, so that
# Podium's own standings export imports as a list of competitors (teams: up to four members).
MEMBER_COLUMNS = 4
COMPETITOR_COLUMNS = (
    "external_id", "skill", "code", "name", "organisation", "entry_number",
    *(f"member{i}_{part}" for i in range(1, MEMBER_COLUMNS + 1) for part in ("name", "organisation")),
)

# Column kinds: how a writer types a cell.
TEXT, DECIMAL, INTEGER, BOOLEAN, TIME = "text", "decimal", "integer", "boolean", "time"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    width: int = 12  # characters, for the XLSX column


@dataclass
class Table:
    """Named columns and rows of Python values (str, Decimal, int, bool, datetime or None)."""

    name: str
    columns: list[Column] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)

    def add_column(self, column: Column) -> None:
        if all(c.name != column.name for c in self.columns):
            self.columns.append(column)

    def index(self, name: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.name == name)


def each_skill(skills: list[Skill], progress: Progress | None) -> Iterable[Skill]:
    total = len(skills)
    if progress:
        progress(0, total)
    for done, skill in enumerate(skills, start=1):
        yield skill
        if progress:
            progress(done, total)


# -- standings --------------------------------------------------------------------------


def standings_records(skill: Skill) -> list[dict]:
    """One record per competitor of ``skill``, ranked: the import format's competitor fields,
    then the results. Values are Python values (Decimal for scores)."""
    competitors = {c.code: c for c in skill.competitors}
    teams = team_members(skill)
    records = []
    for standing in skill_standings(skill):
        competitor = competitors[standing.competitor]
        result = standing.result
        members = teams.get(competitor.id, [])
        records.append({
            "external_id": competitor.external_id or "",
            "skill": skill.code,
            "code": competitor.code,
            "name": competitor.name,
            "organisation": competitor.organisation or "",
            "entry_number": competitor.entry_number or "",
            "members": [{"name": m.name, "organisation": m.organisation or ""} for m in members],
            "rank": standing.rank,
            "total": result.total,
            "criteria": dict(result.criteria),
            "modules": dict(result.modules),
            "module_scores": dict(result.module_scores) if skill.scheme.weighted else {},
            "standardised": standing.standardised,
            "awards": list(standing.awards),
            "in_marking": standing.in_marking,
            "locked": competitor.locked,
        })
    return records


def standings_table(skills: list[Skill], progress: Progress | None = None) -> Table:
    """Every competitor of ``skills`` as one table. A skill's criteria and modules are columns
    ``criterion_<id>``, ``module_<id>`` (raw subtotal) and, for weighted modules,
    ``module_score_<id>`` (what the module adds to the total); a skill without one leaves it empty."""
    table = Table("standings", [Column(name, width=24 if name in ("name", "organisation") or name.endswith("_name") else 12)
                                for name in COMPETITOR_COLUMNS])
    table.add_column(Column("rank", INTEGER, 6))
    table.add_column(Column("total", DECIMAL, 9))
    records: list[dict] = []
    for skill in each_skill(skills, progress):
        scheme = skill.scheme
        for criterion in scheme.criteria:
            table.add_column(Column(f"criterion_{criterion.id}", DECIMAL, 10))
        for module in scheme.modules:
            table.add_column(Column(f"module_{module.id}", DECIMAL, 10))
            if scheme.weighted:
                table.add_column(Column(f"module_score_{module.id}", DECIMAL, 10))
        records.extend(standings_records(skill))
    for name, kind, width in (("standardised", INTEGER, 12), ("awards", TEXT, 20), ("in_marking", BOOLEAN, 10),
                              ("locked", BOOLEAN, 8)):
        table.add_column(Column(name, kind, width))
    for record in records:
        cells: dict[str, object] = {k: record[k] for k in COMPETITOR_COLUMNS if k in record}
        for i, member in enumerate(record["members"][:MEMBER_COLUMNS], start=1):
            cells[f"member{i}_name"], cells[f"member{i}_organisation"] = member["name"], member["organisation"]
        cells.update({f"criterion_{k}": v for k, v in record["criteria"].items()})
        cells.update({f"module_{k}": v for k, v in record["modules"].items()})
        cells.update({f"module_score_{k}": v for k, v in record["module_scores"].items()})
        cells.update(rank=record["rank"], total=record["total"], standardised=record["standardised"],
                     awards=";".join(record["awards"]), in_marking=record["in_marking"], locked=record["locked"])
        table.rows.append([cells.get(c.name, "" if c.kind == TEXT else None) for c in table.columns])
    return table


# -- marks ------------------------------------------------------------------------------

MARK_COLUMNS = (
    Column("skill"), Column("competitor"), Column("judge", width=16), Column("aspect", width=10),
    Column("value", DECIMAL, 8), Column("version", INTEGER, 8), Column("entered_at", TIME, 22),
    Column("revision", INTEGER, 9), Column("revision_old_value", DECIMAL, 10), Column("revision_value", DECIMAL, 10),
    Column("revision_at", TIME, 22), Column("revision_by", width=16), Column("device", width=24), Column("ip", width=16),
    Column("reason", width=30), Column("current", BOOLEAN, 8),
)


def skill_marks(skill: Skill) -> list[Mark]:
    """The skill's marks with their revisions, in the order the scoring core reads them:
    competitor code, aspect, then judge (``services.standings.entries_for_skill`` takes a
    competitor's entries for an aspect in judge order)."""
    query = (
        select(Mark).join(Competitor, Mark.competitor_id == Competitor.id).join(User, Mark.judge_id == User.id)
        .where(Mark.skill_id == skill.id)
        .options(selectinload(Mark.revisions).selectinload(MarkRevision.by_user), selectinload(Mark.judge),
                 selectinload(Mark.competitor))
        .order_by(Competitor.code, Mark.aspect_id, Mark.judge_id)
    )
    return list(db.session.scalars(query))


def mark_records(skill: Skill) -> list[dict]:
    """One record per mark of ``skill``, each with its revisions oldest first (numbered from 1)."""
    return [
        {
            "skill": skill.code,
            "competitor": mark.competitor.code,
            "judge": mark.judge.username,
            "aspect": mark.aspect_id,
            "value": Decimal(mark.value),
            "version": mark.version,
            "entered_at": _utc(mark.updated_at),
            "revisions": [
                {"revision": n, "old_value": None if r.old_value is None else Decimal(r.old_value), "value": Decimal(r.new_value),
                 "version": r.version, "at": _utc(r.at), "by": r.by_user.username if r.by_user else "",
                 "device": r.device or "", "ip": r.ip or "", "reason": r.reason or ""}
                for n, r in enumerate(mark.revisions, start=1)
            ],
        }
        for mark in skill_marks(skill)
    ]


def marks_table(skills: list[Skill], progress: Progress | None = None) -> Table:
    """One row per revision of every mark (a mark without recorded revisions: one row with
    the revision columns empty). ``value``, ``version`` and ``entered_at`` are the mark's
    current ones, repeated on each of its rows; ``current`` is true on the row of its latest
    revision, so the current marks are the rows where ``current`` is true."""
    table = Table("marks", list(MARK_COLUMNS))
    for skill in each_skill(skills, progress):
        for mark in mark_records(skill):
            head = [mark["skill"], mark["competitor"], mark["judge"], mark["aspect"], mark["value"], mark["version"], mark["entered_at"]]
            revisions = mark["revisions"]
            if not revisions:
                table.rows.append(head + [None, None, None, None, "", "", "", "", True])
            for r in revisions:
                table.rows.append(head + [r["revision"], r["old_value"], r["value"], r["at"], r["by"], r["device"], r["ip"],
                                          r["reason"], r is revisions[-1]])
    return table


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC; SQLite hands them back without their zone."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
