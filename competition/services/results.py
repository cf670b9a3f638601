"""Reading results: a skill's marks turned into standings by the scoring core."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Mark, Skill
from competition.models.events import EMBARGOED, REVEAL
from competition.scoring.numbers import api_decimal
from competition.scoring.standings import Standing, compute_standings


def skill_by_code(code: str, event: Event | None = None) -> Skill | None:
    query = select(Skill).where(Skill.code == code)
    if event is not None:
        query = query.where(Skill.event_id == event.id)
    return db.session.scalars(query.order_by(Skill.id.desc())).first()


def entries_for_skill(skill: Skill) -> dict[str, dict[str, list[Decimal]]]:
    """Every competitor's entries per aspect: {competitor code: {aspect id: [values]}}."""
    entries: dict[str, dict[str, list[Decimal]]] = {c.code: defaultdict(list) for c in skill.competitors}
    rows = db.session.execute(
        select(Competitor.code, Mark.aspect_id, Mark.value)
        .join(Mark, Mark.competitor_id == Competitor.id)
        .where(Mark.skill_id == skill.id)
        .order_by(Mark.judge_id)
    )
    for code, aspect_id, value in rows:
        entries[code][aspect_id].append(Decimal(value))
    return entries


def skill_standings(skill: Skill) -> list[Standing]:
    return compute_standings(skill.scheme, entries_for_skill(skill))


def standings_payload(skill: Skill) -> dict:
    """The full standings of a skill as JSON-ready data (scores as strings, exact)."""
    competitors = {c.code: c for c in skill.competitors}
    scheme = skill.scheme
    rows = []
    for standing in skill_standings(skill):
        competitor = competitors[standing.competitor]
        result = standing.result
        rows.append(
            {
                "code": competitor.code,
                "name": None if skill.anonymised else competitor.name,
                "organisation": competitor.organisation,
                "criteria": {cid: api_decimal(v) for cid, v in result.criteria.items()},
                "total": api_decimal(result.total),
                "rank": standing.rank,
                "standardised": standing.standardised,
                "medal": standing.medal,
                "progress": round(result.progress, 3),
                "locked": competitor.locked,
            }
        )
    return {
        "skill": skill.code,
        "name": skill.name,
        "mode": skill.display_mode,
        "provisional": not skill.results_final,
        "max": api_decimal(scheme.max_mark),
        "criteria": [{"id": c.id, "name": c.name, "max": api_decimal(c.max_mark)} for c in scheme.criteria],
        "standings": rows,
    }


def public_standings_payload(skill: Skill, payload: dict | None = None) -> dict:
    """What spectators may see: under embargo only marking progress, no score or rank.

    ``payload``: the skill's :func:`standings_payload` if the caller already has it (it is
    trimmed in place under the ceremony; the caller reads what it needs first)."""
    payload = payload if payload is not None else standings_payload(skill)
    if skill.display_mode == EMBARGOED:
        payload["standings"] = [
            {"code": r["code"], "name": r["name"], "organisation": r["organisation"], "progress": r["progress"], "locked": r["locked"]}
            for r in sorted(payload["standings"], key=lambda r: r["code"])
        ]
    elif skill.display_mode == REVEAL:
        from competition.services.boards import reveal_view

        payload = reveal_view(skill, payload)  # only the places the ceremony has revealed
    return payload
