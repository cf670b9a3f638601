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

import weakref
from collections import Counter, defaultdict
from typing import NamedTuple

from sqlalchemy import select

from competition.extensions import db
from competition.models import Competitor, Event, Skill, TeamMember
from competition.models.boards import BoardState
from competition.models.events import EMBARGOED, LIVE, REVEAL
from competition.scoring.awards import BEST_OF_NATION, MEDAL_POINTS, PRIZES
from competition.scoring.awards import medal_table as medal_rows
from competition.scoring.numbers import api_decimal
from competition.scoring.standings import CompetitorResult, Standing, rank_1224
from competition.services.access import hides_identity, withholds_organisations
from competition.services.live_standings import (  # noqa: F401 (entries_for_skill re-exported)
    CompetitorRow,
    State,
    board_state,
    board_states,
    competitor_rows,
    competitor_rows_of,
    entries_for_skill,
    live_standings,
)
from competition.services.organisations import colours_of

LEADERS = 10  # rows of each skill in the overview's payload


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
    """The skill's standings, with each competitor's organisation (for Best of Nation): held by
    this process between marks and brought up to date from the database's board version on
    every read (:mod:`competition.services.live_standings`)."""
    return live_standings(skill)


_SCORES: dict[int, tuple[weakref.ref, dict]] = {}  # id(result) -> (the result, its scores as strings), while it lives


def _scores(result: CompetitorResult) -> dict:
    """A result's criteria, module subtotals and scores and total as the API writes them, worked
    out once per result: held standings hand out the same result until the competitor's marks
    change, and the event overview writes out every skill's payload each time."""
    key = id(result)
    held = _SCORES.get(key)
    if held is None or held[0]() is not result:
        scores = {
            "criteria": {cid: api_decimal(v) for cid, v in result.criteria.items()},
            "modules": {mid: api_decimal(v) for mid, v in result.modules.items()},
            "module_scores": {mid: api_decimal(v) for mid, v in result.module_scores.items()},
            "total": api_decimal(result.total),
        }
        held = _SCORES[key] = (weakref.ref(result, lambda ref, key=key: _forget(key, ref)), scores)
    scores = held[1]
    # the payload's own dicts: a caller may change its payload, never the scores kept here
    return {"criteria": dict(scores["criteria"]), "modules": dict(scores["modules"]),
            "module_scores": dict(scores["module_scores"]), "total": scores["total"]}


def _forget(key: int, ref: weakref.ref) -> None:
    held = _SCORES.get(key)
    if held is not None and held[0] is ref:
        del _SCORES[key]


def names(text: object) -> dict[str, str]:
    """Scheme text in every language it is written in ({"en": …, "zh": …}; empty for a plain
    string). Boards in the same room may speak different languages, so a payload carries them
    all and each board picks its own."""
    return dict(getattr(text, "translations", None) or {})


def standings_payload(skill: Skill, state: State | None = None, competitors: list[CompetitorRow] | None = None) -> dict:
    """The full standings of a skill as JSON-ready data (scores as strings, exact). ``state``
    and ``competitors``: the skill's board state and competitor rows if the caller read them,
    the state first (:func:`board_payload`)."""
    rows_read = competitor_rows(skill) if competitors is None else competitors
    competitors = {c.code: c for c in rows_read}
    scheme = skill.scheme
    hidden = hides_identity(None, skill)  # an encrypted skill before its results are locked: encrypted numbers only
    # members only where the scheme has teams (setup.add_team refuses them elsewhere): one query less per skill
    teams = {} if skill.anonymised or hidden or not scheme.team_event else team_members(skill)
    rows = []
    for standing in live_standings(skill, rows_read, state):
        competitor = competitors[standing.competitor]
        result = standing.result
        rows.append(
            {
                "code": (competitor.encrypted_code or "–") if hidden else competitor.code,
                "name": None if skill.anonymised or hidden else competitor.name,
                "organisation": "" if hidden else competitor.organisation,
                # a team's members (none for an individual, or on an anonymised skill)
                "members": [{"name": m.name, "organisation": m.organisation} for m in teams.get(competitor.id, ())],
                # criteria; per module its raw subtotal and what it adds to the total (weighted, or the subtotal)
                **_scores(result),
                "rank": standing.rank,
                "standardised": standing.standardised,
                "medal": standing.medal,
                # the award rule's codes, main award first (gold, first_prize, merit…; best_of_nation)
                "awards": list(standing.awards),
                # still being marked: no rank, standardised score or award until complete
                "in_marking": standing.in_marking,
                "progress": round(result.progress, 3),
                "locked": competitor.locked,
            }
        )
    results_final = bool(rows_read) and all(c.locked for c in rows_read)  # Skill.results_final, from the rows read
    return {
        "skill": skill.code,
        "name": skill.name,
        "names": names(scheme.name),
        "mode": skill.display_mode,
        "provisional": not results_final,
        # the organiser has published the locked results: they are official (正式成绩)
        "official": skill.results_published_at is not None,
        "award_rule": scheme.awards.name,
        "max": api_decimal(scheme.total_max),
        "teams": scheme.team_event,  # competitors are teams (each row lists its members)
        "criteria": [{"id": c.id, "name": c.name, "names": names(c.name), "max": api_decimal(c.max_mark)} for c in scheme.criteria],
        "modules": [
            {"id": m.id, "name": m.name, "names": names(m.name), "criteria": list(m.criteria), "max": api_decimal(scheme.module_max(m)),
             "weight": None if m.weight is None else str(m.weight)}
            for m in scheme.modules
        ],
        "standings": rows,
        # the colour of each registered organisation named on the board (boards fall back to
        # a colour of their own for one the event has not registered)
        "organisations": _colours(skill, rows),
        # true while spectators may not see organisations (an anonymised skill, results not published)
        "organisations_withheld": False,
    }


def _colours(skill: Skill, rows: list[dict]) -> dict[str, str]:
    named = {r["organisation"] for r in rows} | {m["organisation"] for r in rows for m in r["members"]}
    return {name: colour for name, colour in colours_of(skill.event_id).items() if name in named}


def public_standings_payload(skill: Skill, payload: dict | None = None) -> dict:
    """What spectators may see: under embargo only marking progress, no score or rank; on an
    anonymised skill no organisation until its results are published.

    ``payload``: the skill's :func:`standings_payload` if the caller already has it (it is
    trimmed in place under the ceremony; the caller reads what it needs first)."""
    payload = payload if payload is not None else standings_payload(skill)
    if withholds_organisations(skill):
        _withhold_organisations(payload)
    if skill.display_mode == EMBARGOED:
        payload["standings"] = [
            {"code": r["code"], "name": r["name"], "organisation": r["organisation"], "members": r["members"], "progress": r["progress"],
             "locked": r["locked"]}
            for r in sorted(payload["standings"], key=lambda r: r["code"])
        ]
    elif skill.display_mode == REVEAL:
        payload = reveal_view(skill, payload)  # only the places the ceremony has revealed
    return payload


def _withhold_organisations(payload: dict) -> None:
    """An anonymised skill before its results are published: no organisation, member's
    organisation or organisation colour anywhere in what spectators receive."""
    for row in payload["standings"]:
        row["organisation"] = ""
        row["members"] = [{**m, "organisation": ""} for m in row["members"]]
    payload["organisations"] = {}
    payload["organisations_withheld"] = True


def current_version(skill_id: int) -> int:
    return db.session.scalar(select(BoardState.version).where(BoardState.skill_id == skill_id)) or 0


def _revealed(skill_id: int) -> int | None:
    return db.session.scalar(select(BoardState.revealed).where(BoardState.skill_id == skill_id))


def reveal_view(skill: Skill, payload: dict) -> dict:
    """Under the reveal ceremony, only the places revealed so far (counted from last place up).

    Only complete competitors have a place: those still in marking are not part of the
    ceremony (neither revealed nor shown; ``reveal.in_marking`` counts them), so the first
    place revealed is the last ranked one, never a competitor whose marking is unfinished."""
    rows = [r for r in payload["standings"] if not r["in_marking"]]
    marking = len(payload["standings"]) - len(rows)
    total = len(rows)
    revealed = _revealed(skill.id)
    shown = 0 if revealed is None else min(revealed, total)
    payload["standings"] = rows[total - shown :] if shown else []
    payload["reveal"] = {
        "started": revealed is not None,
        "revealed": shown,
        "hidden": total - shown,
        "done": total > 0 and shown == total,
        "in_marking": marking,
    }
    return payload


def board_payload(skill: Skill, state: State | None = None, competitors: list[CompetitorRow] | None = None) -> dict:
    """A skill's public standings with its board version and overall marking progress.
    ``state`` and ``competitors``: the skill's board state and competitor rows, if the caller
    read them (the state before anything else of the skill)."""
    if state is None:
        state = board_state(skill.id)  # first: what is read next is at least this new
    version = state[0]
    full = standings_payload(skill, state, competitors)
    rows = full["standings"]  # every competitor, also the places a ceremony still hides
    # Share of all aspects marked over the skill's competitors: never a score, so always public.
    progress = round(sum(r["progress"] for r in rows) / len(rows), 3) if rows else 0.0
    payload = public_standings_payload(skill, full)
    payload["version"] = version
    payload["event"] = skill.event.code
    payload["progress"] = progress
    return payload


def _unshown(reveal: dict) -> int:
    """Competitors a ceremony's payload leaves out: the hidden places and those still in marking."""
    return reveal["hidden"] + reveal["in_marking"]


def skill_summary(payload: dict) -> dict:
    """One skill on the overview board: progress, and its leaders when they may be shown."""
    leaders: list[dict] = []
    medals: dict[str, dict[str, int]] = {}  # organisation -> {gold: n, silver: n, bronze: n, medallion: n}
    if results_public(payload):
        keep = ("code", "name", "organisation", "total", "rank", "medal", "awards", "in_marking")
        # the ranked rows first, then those still in marking (no rank: the board says "in marking")
        leaders = [{k: r[k] for k in keep} for r in payload["standings"][:LEADERS]]
        for r in payload["standings"]:  # every medal of the skill, not only the leaders', for the board's medal table
            if r["medal"] and r["organisation"]:
                medals.setdefault(r["organisation"], dict.fromkeys(MEDAL_POINTS, 0))[r["medal"]] += 1
    return {
        "skill": payload["skill"],
        "name": payload["name"],
        "names": payload["names"],
        "mode": payload["mode"],
        "provisional": payload["provisional"],
        "official": payload["official"],
        "version": payload["version"],
        "progress": payload["progress"],
        "competitors": len(payload["standings"]) + (_unshown(payload["reveal"]) if payload["mode"] == REVEAL else 0),
        "max": payload["max"],
        "award_rule": payload["award_rule"],
        "leaders": leaders,
        "medals": medals,
        "organisations": payload.get("organisations", {}),
        "organisations_withheld": payload.get("organisations_withheld", False),
    }


def event_overview(event: Event) -> dict:
    """Every skill's summary. The skills' board states are read first, all in one query, then
    their competitors in another, rather than two queries per skill."""
    skills = list(event.skills)
    states = board_states([skill.id for skill in skills])
    rows = competitor_rows_of([skill.id for skill in skills])
    skills = [skill_summary(board_payload(skill, states[skill.id], rows.get(skill.id, []))) for skill in skills]
    return {"event": event.code, "name": event.name, "place": event.place, "skills": skills}


def results_public(payload: dict) -> bool:
    """May spectators see this skill's scores and awards? Live, or a ceremony revealed to the end."""
    return payload["mode"] == LIVE or (payload["mode"] == REVEAL and payload["reveal"]["done"])


class _Medalled(NamedTuple):
    competitor: str  # "<skill>/<competitor>": codes are unique within a skill only
    medal: str | None


def event_medal_table(event: Event) -> dict:
    """Medals (and prizes) per organisation over the skills whose results spectators may see.

    Skills under embargo, or whose ceremony has not revealed every place, are not counted
    (``skills[].counted`` false), so the table never tells what a board still hides. Medal
    points as :func:`competition.scoring.awards.medal_table` (gold 4, silver 3, bronze 2,
    Medallion 1); organisations equal on points and on every medal count share the rank.
    Prizes (一等奖…) and Best of Nation are counted beside, without points.
    """
    rows: list[_Medalled] = []
    organisations: dict[str, str] = {}
    extra: dict[str, Counter] = defaultdict(Counter)
    skills, provisional = [], False
    for skill in event.skills:
        payload = public_standings_payload(skill)
        # an anonymised skill's medals are not told per organisation before its results are published
        counted = results_public(payload) and not payload["organisations_withheld"]
        skills.append({"skill": skill.code, "name": skill.name, "names": names(skill.scheme.name), "counted": counted,
                       "award_rule": payload["award_rule"], "provisional": payload["provisional"]})
        if not counted:
            continue
        provisional = provisional or payload["provisional"]
        for r in payload["standings"]:
            key = f"{skill.code}/{r['code']}"
            rows.append(_Medalled(key, r["medal"]))
            if r["organisation"]:
                organisations[key] = r["organisation"]
                extra[r["organisation"]].update(a for a in r["awards"] if a in PRIZES or a == BEST_OF_NATION)
    table = medal_rows(rows, organisations)
    ranks = rank_1224([(m.points, m.gold, m.silver, m.bronze, m.medallion) for m in table])
    return {
        "event": event.code,
        "name": event.name,
        "provisional": provisional,
        "points": dict(MEDAL_POINTS),
        "skills": skills,
        "organisations": [
            {"rank": rank, "organisation": m.organisation, "gold": m.gold, "silver": m.silver, "bronze": m.bronze,
             "medallion": m.medallion, "points": m.points, "competitors": m.competitors,
             **{prize: extra[m.organisation][prize] for prize in PRIZES}, BEST_OF_NATION: extra[m.organisation][BEST_OF_NATION]}
            for m, rank in zip(table, ranks)
        ],
    }
