"""A skill's standings held by each process and brought up to date from the marks changed since.

Why: reading a skill's standings from scratch means reading every mark (60 competitors x 150
aspects x 5 judges = 45,000 rows) and ranking them — some 100 ms — and boards, the API and
the event overview read them after every mark. So each process keeps, per skill, the
standings it last read (:class:`~competition.scoring.incremental.SkillStandings`) labelled
with the skill's board state they are at least as new as: ``(BoardState.version,
BoardState.started_at)``. Every read first reads that one row (a primary-key look-up):

* the same state: the held standings are the database's, handed out as they are;
* a later version of the same board row, every version since made by a mark still there:
  only the marks changed since are read (``Mark.board_version`` above the held version:
  every mark's last change records the version it made, under the board row's lock, so in
  commit order), their panels are read whole and aggregated again, and the skill is ranked
  again;
* anything else (a version no mark records: a lock, a display mode, a mark changed twice
  since, marks removed; another scheme; competitors added, removed or moved to another
  organisation; a board row made again with a database made again; more than
  :data:`CATCH_UP_LIMIT` panels; nothing held yet): every mark is read again.

So with several processes (a Redis message queue and PostgreSQL) a process never serves
standings older than the database: whatever another process committed has bumped the version
it reads first. The label is read before the marks, so what is held is at least as new as its
label, never older. A transaction that has itself bumped the skill's version
(:func:`written`) reads its own uncommitted marks: it gets standings computed from them, and
nothing it read is held (it may still roll back).

Held per application (``app.extensions``), at most :data:`MAX_SKILLS` skills, the longest
held dropped first.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from flask import current_app
from sqlalchemy import event, select, tuple_
from sqlalchemy.orm import Session, SessionTransaction, aliased

from competition.extensions import db
from competition.models import Competitor, Mark, Skill
from competition.models.boards import BoardState
from competition.scoring.incremental import SkillStandings
from competition.scoring.model import MarkingScheme
from competition.scoring.standings import Standing

CATCH_UP_LIMIT = 500  # changed panels read one by one at most; beyond that the whole skill is read again
MAX_SKILLS = 200  # skills held per process
_WRITTEN = "podium.standings.written"  # session.info: skills whose board version this transaction bumped
_STORE = "podium.live_standings"
_store_lock = threading.Lock()  # held while a store's skills are added or dropped

State = tuple[int, "dt.datetime | None"]  # (BoardState.version, BoardState.started_at)
Roster = tuple[tuple[int, str, str], ...]  # (competitor id, code, organisation) of every competitor


class CompetitorRow(NamedTuple):
    """What the standings and their payload read of a competitor."""

    id: int
    code: str
    name: str
    organisation: str
    locked_at: dt.datetime | None
    encrypted_code: str | None = None  # 加密号: all an encrypted skill shows before its results are locked

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


def competitor_rows(skill: Skill) -> list[CompetitorRow]:
    """The skill's competitors in code order (as ``skill.competitors``), in one plain query:
    a board payload of every skill of an event reads them for each skill."""
    return competitor_rows_of([skill.id]).get(skill.id, [])


def competitor_rows_of(skill_ids: list[int]) -> dict[int, list[CompetitorRow]]:
    """:func:`competitor_rows` of several skills in one query: {skill id: rows} (no key: none)."""
    query = (select(Competitor.skill_id, Competitor.id, Competitor.code, Competitor.name, Competitor.organisation, Competitor.locked_at,
                    Competitor.encrypted_code)
             .where(Competitor.skill_id.in_(skill_ids)).order_by(Competitor.skill_id, Competitor.code))
    rows: dict[int, list[CompetitorRow]] = defaultdict(list)
    for skill_id, *row in db.session.execute(query):
        rows[skill_id].append(CompetitorRow(*row))
    return dict(rows)


@dataclass
class _Held:
    skill_id: int
    scheme: MarkingScheme
    roster: Roster
    state: State
    live: SkillStandings
    rows: list[Standing] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def standings(self) -> list[Standing]:
        if self.rows is None:
            self.rows = self.live.standings()
        return list(self.rows)


def written(skill_id: int) -> None:
    """This transaction bumped the skill's board version (its marks may have changed)."""
    db.session().info.setdefault(_WRITTEN, set()).add(skill_id)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_WRITTEN, None)


def board_state(skill_id: int) -> State:
    return board_states([skill_id])[skill_id]


def board_states(skill_ids: list[int]) -> dict[int, State]:
    """The board state of each skill, in one query ((0, None): no board row yet)."""
    query = select(BoardState.skill_id, BoardState.version, BoardState.started_at).where(BoardState.skill_id.in_(skill_ids))
    found = {skill_id: (version, started) for skill_id, version, started in db.session.execute(query)}
    return {skill_id: found.get(skill_id, (0, None)) for skill_id in skill_ids}


def entries_for_skill(skill: Skill, codes: list[str] | None = None) -> dict[str, dict[str, list[Decimal]]]:
    """Every competitor's entries per aspect: {competitor code: {aspect id: [values]}}, each
    panel in judge order (``codes``: the competitors' codes if the caller has them)."""
    codes = [c.code for c in skill.competitors] if codes is None else codes
    entries: dict[str, dict[str, list[Decimal]]] = {code: defaultdict(list) for code in codes}
    rows = db.session.execute(
        select(Competitor.code, Mark.aspect_id, Mark.value)
        .join(Mark, Mark.competitor_id == Competitor.id)
        .where(Mark.skill_id == skill.id)
        .order_by(Mark.judge_id)
    )
    for code, aspect_id, value in rows:
        entries[code][aspect_id].append(Decimal(value))
    return entries


def live_standings(skill: Skill, competitors: list[CompetitorRow] | None = None, state: State | None = None) -> list[Standing]:
    """The skill's standings as the database has them now (see the module's rules);
    ``competitors``: the skill's :func:`competitor_rows` if the caller has read them;
    ``state``: its :func:`board_state`, if the caller read it before anything else of the skill."""
    scheme = skill.scheme
    if state is None:
        state = board_state(skill.id)  # first: what is read next is at least this new
    if competitors is None:
        competitors = competitor_rows(skill)
    roster: Roster = tuple((c.id, c.code, c.organisation or "") for c in competitors)
    if skill.id in db.session().info.get(_WRITTEN, ()):
        return _read(skill, scheme, roster).standings()  # this transaction's own marks: not held
    store: dict[int, _Held] = current_app.extensions.setdefault(_STORE, {})
    held = store.get(skill.id)
    if held is not None and held.scheme is scheme and held.roster == roster:
        with held.lock:
            if held.state == state or _caught_up(held, state):
                return held.standings()
    held = _read(skill, scheme, roster)
    held.state = state
    rows = held.standings()  # before it is shared: from here on only under its lock
    with _store_lock:
        store.pop(skill.id, None)
        store[skill.id] = held
        while len(store) > MAX_SKILLS:
            store.pop(next(iter(store)))
    return rows


def _read(skill: Skill, scheme: MarkingScheme, roster: Roster) -> _Held:
    """Every mark of the skill read and ranked."""
    organisations = {code: organisation for _, code, organisation in roster if organisation}
    live = SkillStandings(scheme, entries_for_skill(skill, [code for _, code, _ in roster]), organisations=organisations)
    return _Held(skill.id, scheme, roster, (-1, None), live)


def _caught_up(held: _Held, state: State) -> bool:
    """Bring ``held`` to ``state`` from the marks changed since, if it is a later version of
    the same board row and few panels changed; False: read the skill again."""
    version, started = held.state
    if version < 0 or version >= state[0]:
        return False
    # Another board row: the database was made again. Unless none was there: no mark of the
    # skill was ever written (each one bumps the version), and every mark since is read.
    if started != state[1] and (version, started) != (0, None):
        return False
    # The changed panels, read whole (every judge's entry, in judge order), in one query.
    changed = aliased(Mark)
    since = select(changed.competitor_id, changed.aspect_id).where(changed.skill_id == held.skill_id, changed.board_version > version)
    rows = db.session.execute(
        select(Mark.competitor_id, Mark.aspect_id, Mark.value, Mark.board_version)
        .where(tuple_(Mark.competitor_id, Mark.aspect_id).in_(since))
        .order_by(Mark.judge_id)
    )
    panels: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    made: set[int] = set()  # the versions these marks' last changes made
    for competitor_id, aspect_id, value, board_version in rows:
        panels[(competitor_id, aspect_id)].append(Decimal(value))
        made.add(board_version)
    # Every version since must be a mark's change that is still there to read. A version that
    # no mark records was another change (a lock, a display mode), or a mark changed again
    # since, or marks removed: read everything again rather than guess.
    if len(panels) > CATCH_UP_LIMIT or not made.issuperset(range(version + 1, state[0] + 1)):
        return False
    codes = {competitor_id: code for competitor_id, code, _ in held.roster}
    aspects = held.live.aspect_ids
    for (competitor_id, aspect_id), entries in panels.items():
        if competitor_id in codes and aspect_id in aspects:
            held.live.set_entries(codes[competitor_id], aspect_id, entries)
            held.rows = None
    held.state = state
    return True

