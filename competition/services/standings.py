"""Reading results (read only): a skill's marks turned into standings by the scoring core, and
what spectators may see of them — the public payload, the boards' versioned state, the event
overview.

Payloads read the board version *before* the standings, so the data in a message is always at
least as new as its version: a board that keeps the highest version it has seen never goes
back to older data and never skips newer data. What spectators may see is decided in one
place, :func:`public_standings_payload` (embargo: progress only; the reveal ceremony: only the
revealed places).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Mark, Skill, TeamMember
from competition.models.boards import BoardState
from competition.models.events import EMBARGOED, LIVE, REVEAL
from competition.scoring.numbers import api_decimal
from competition.scoring.standings import Standing, compute_standings

LEADERS = 10  # rows of each skill in the overview's payload


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


def team_members(skill: Skill) -> dict[int, list[TeamMember]]:
    """The members of every team of a skill, in one query: {competitor id: [members in order]}
    (no entry for an individual competitor)."""
    members: dict[int, list[TeamMember]] = defaultdict(list)
    query = (select(TeamMember).join(Competitor).where(Competitor.skill_id == skill.id)
             .order_by(TeamMember.competitor_id, TeamMember.position))
    for member in db.session.scalars(query):
        members[member.competitor_id].append(member)
    return dict(members)


def skill_standings(skill: Skill) -> list[Standing]:
    return compute_standings(skill.scheme, entries_for_skill(skill))


def names(text: object) -> dict[str, str]:
    """Scheme text in every language it is written in ({"en": …, "zh": …}; empty for a plain
    string). Boards in the same room may speak different languages, so a payload carries them
    all and each board picks its own."""
    return dict(getattr(text, "translations", None) or {})


def standings_payload(skill: Skill) -> dict:
    """The full standings of a skill as JSON-ready data (scores as strings, exact)."""
    competitors = {c.code: c for c in skill.competitors}
    scheme = skill.scheme
    teams = {} if skill.anonymised else team_members(skill)
    rows = []
    for standing in skill_standings(skill):
        competitor = competitors[standing.competitor]
        result = standing.result
        rows.append(
            {
                "code": competitor.code,
                "name": None if skill.anonymised else competitor.name,
                "organisation": competitor.organisation,
                # a team's members (none for an individual, or on an anonymised skill)
                "members": [{"name": m.name, "organisation": m.organisation} for m in teams.get(competitor.id, ())],
                "criteria": {cid: api_decimal(v) for cid, v in result.criteria.items()},
                # per module: its raw subtotal and what it adds to the total (weighted, or the subtotal)
                "modules": {mid: api_decimal(v) for mid, v in result.modules.items()},
                "module_scores": {mid: api_decimal(v) for mid, v in result.module_scores.items()},
                "total": api_decimal(result.total),
                "rank": standing.rank,
                "standardised": standing.standardised,
                "medal": standing.medal,
                # still being marked: no rank, standardised score or award until complete
                "in_marking": standing.in_marking,
                "progress": round(result.progress, 3),
                "locked": competitor.locked,
            }
        )
    return {
        "skill": skill.code,
        "name": skill.name,
        "names": names(scheme.name),
        "mode": skill.display_mode,
        "provisional": not skill.results_final,
        "max": api_decimal(scheme.total_max),
        "teams": scheme.team_event,  # competitors are teams (each row lists its members)
        "criteria": [{"id": c.id, "name": c.name, "names": names(c.name), "max": api_decimal(c.max_mark)} for c in scheme.criteria],
        "modules": [
            {"id": m.id, "name": m.name, "names": names(m.name), "criteria": list(m.criteria), "max": api_decimal(scheme.module_max(m)),
             "weight": None if m.weight is None else str(m.weight)}
            for m in scheme.modules
        ],
        "standings": rows,
    }


def public_standings_payload(skill: Skill, payload: dict | None = None) -> dict:
    """What spectators may see: under embargo only marking progress, no score or rank.

    ``payload``: the skill's :func:`standings_payload` if the caller already has it (it is
    trimmed in place under the ceremony; the caller reads what it needs first)."""
    payload = payload if payload is not None else standings_payload(skill)
    if skill.display_mode == EMBARGOED:
        payload["standings"] = [
            {"code": r["code"], "name": r["name"], "organisation": r["organisation"], "members": r["members"], "progress": r["progress"],
             "locked": r["locked"]}
            for r in sorted(payload["standings"], key=lambda r: r["code"])
        ]
    elif skill.display_mode == REVEAL:
        payload = reveal_view(skill, payload)  # only the places the ceremony has revealed
    return payload


def current_version(skill_id: int) -> int:
    return db.session.scalar(select(BoardState.version).where(BoardState.skill_id == skill_id)) or 0


def _revealed(skill_id: int) -> int | None:
    return db.session.scalar(select(BoardState.revealed).where(BoardState.skill_id == skill_id))


def reveal_view(skill: Skill, payload: dict) -> dict:
    """Under the reveal ceremony, only the places revealed so far (counted from last place up)."""
    rows = payload["standings"]
    total = len(rows)
    revealed = _revealed(skill.id)
    shown = 0 if revealed is None else min(revealed, total)
    payload["standings"] = rows[total - shown :] if shown else []
    payload["reveal"] = {"started": revealed is not None, "revealed": shown, "hidden": total - shown, "done": total > 0 and shown == total}
    return payload


def board_payload(skill: Skill) -> dict:
    """A skill's public standings with its board version and overall marking progress."""
    version = current_version(skill.id)  # first: what is read next is at least this new
    full = standings_payload(skill)
    rows = full["standings"]  # every competitor, also the places a ceremony still hides
    # Share of all aspects marked over the skill's competitors: never a score, so always public.
    progress = round(sum(r["progress"] for r in rows) / len(rows), 3) if rows else 0.0
    payload = public_standings_payload(skill, full)
    payload["version"] = version
    payload["event"] = skill.event.code
    payload["progress"] = progress
    return payload


def skill_summary(payload: dict) -> dict:
    """One skill on the overview board: progress, and its leaders when they may be shown."""
    leaders: list[dict] = []
    if payload["mode"] == LIVE or (payload["mode"] == REVEAL and payload["reveal"]["done"]):
        keep = ("code", "name", "organisation", "total", "rank", "medal")
        leaders = [{k: r[k] for k in keep} for r in payload["standings"][:LEADERS]]
    return {
        "skill": payload["skill"],
        "name": payload["name"],
        "names": payload["names"],
        "mode": payload["mode"],
        "provisional": payload["provisional"],
        "version": payload["version"],
        "progress": payload["progress"],
        "competitors": len(payload["standings"]) + (payload["reveal"]["hidden"] if payload["mode"] == REVEAL else 0),
        "max": payload["max"],
        "leaders": leaders,
    }


def event_overview(event: Event) -> dict:
    skills = [skill_summary(board_payload(skill)) for skill in event.skills]
    return {"event": event.code, "name": event.name, "place": event.place, "skills": skills}
