"""Standings held per process: after every change they equal a computation from every mark in
the database, they are caught up from the changed marks only, and they are never older than the
database, also when another process (another application on the same database) wrote."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete, select, update

from competition import create_app
from competition.extensions import db
from competition.models import Competitor, Mark, MarkRevision
from competition.models.boards import BoardState
from competition.scoring.standings import compute_standings
from competition.services import effects, live_standings
from competition.services.locking import lock_competitor
from competition.services.standings import skill_standings
from tests.factories import mark, tiny_event

READ_EVERY_MARK = live_standings.entries_for_skill
VALUES = {"A1.1": [0, 1], "A1.2": [0, 1, 2, 3, 4], "B1.1": [0, 1, 2, 3], "B1.2": [0, 1.5, 3]}


def from_scratch(skill):
    """The standings computed from every mark, as the services did before they held any."""
    organisations = {c.code: c.organisation for c in skill.competitors if c.organisation}
    return compute_standings(skill.scheme, READ_EVERY_MARK(skill), organisations=organisations)


@pytest.fixture
def reads(monkeypatch):
    """Counts the reads of every mark of a skill."""
    counted = []

    def counting(skill, codes=None):
        counted.append(skill.code)
        return READ_EVERY_MARK(skill, codes)

    monkeypatch.setattr(live_standings, "entries_for_skill", counting)
    return counted


def test_mark_by_mark_the_held_standings_equal_a_computation_from_every_mark(app, tmp_path, reads):
    tiny = tiny_event(tmp_path)
    skill, judges = tiny["skill"], tiny["judges"]
    rng = random.Random(7)
    assert skill_standings(skill) == from_scratch(skill)
    assert reads == ["tiny"]  # read once, then held
    for _ in range(30):
        competitor = rng.choice(skill.competitors)
        aspect = rng.choice(sorted(VALUES))
        judge = judges[0] if aspect.startswith("A") or aspect == "B1.2" else rng.choice(judges)
        mark(judge, competitor, aspect, rng.choice(VALUES[aspect]), base_version=_version(judge, competitor, aspect))
        assert skill_standings(skill) == from_scratch(skill)
    assert reads == ["tiny"]  # every mark caught up from the changed panels alone


def _version(judge, competitor, aspect):
    return db.session.scalar(select(Mark.version).where(Mark.judge_id == judge.id, Mark.competitor_id == competitor.id,
                                                        Mark.aspect_id == aspect)) or 0


def test_a_change_that_is_not_a_mark_reads_every_mark_again_and_sees_marks_removed(app, tmp_path, reads):
    """A version that no mark records (here a lock) is not caught up from the marks: marks
    removed in the same transaction (no service removes any; a repair might) are seen."""
    tiny = tiny_event(tmp_path)
    skill, judge = tiny["skill"], tiny["judges"][0]
    competitor = skill.competitors[0]
    mark(judge, competitor, "A1.1", 1)
    assert {s.competitor: s.result.total for s in skill_standings(skill)}[competitor.code] == 2
    gone = select(Mark.id).where(Mark.competitor_id == competitor.id)
    db.session.execute(delete(MarkRevision).where(MarkRevision.mark_id.in_(gone)))
    db.session.execute(delete(Mark).where(Mark.competitor_id == competitor.id))
    lock_competitor(competitor, by=tiny["chief"])
    effects.commit()
    assert {s.competitor: s.result.total for s in skill_standings(skill)}[competitor.code] == 0
    assert skill_standings(skill) == from_scratch(skill)
    assert reads == ["tiny", "tiny"]


def test_a_transaction_reads_its_own_marks_and_nothing_of_them_is_held_if_it_rolls_back(app, tmp_path):
    tiny = tiny_event(tmp_path)
    skill, judge = tiny["skill"], tiny["judges"][0]
    first = skill.competitors[0]
    empty = skill_standings(skill)
    mark(judge, first, "A1.1", 1, commit=False)
    inside = {s.competitor: s.result.total for s in skill_standings(skill)}
    assert inside[first.code] == 2
    effects.rollback()
    assert skill_standings(skill) == empty == from_scratch(skill)
    mark(judge, first, "A1.2", 0)  # the same version number again, another mark
    assert skill_standings(skill) == from_scratch(skill)
    assert {s.competitor: s.result.total for s in skill_standings(skill)}[first.code] == 2  # A1.2 alone: 2 of 2


def test_another_process_never_serves_standings_older_than_the_database(app, tmp_path):
    tiny = tiny_event(tmp_path)
    skill, judges = tiny["skill"], tiny["judges"]
    other = create_app({**app.config, "TESTING": True})  # another process: its own held standings
    code = skill.code

    def read_elsewhere():
        with other.app_context():
            elsewhere = db.session.get(type(skill), skill.id)
            try:
                return skill_standings(elsewhere), from_scratch(elsewhere)
            finally:
                db.session.remove()

    held, fresh = read_elsewhere()
    assert held == fresh
    for i, competitor in enumerate(skill.competitors):
        mark(judges[0], competitor, "A1.1", i % 2)  # written here, read there
        held, fresh = read_elsewhere()
        assert held == fresh
        assert skill_standings(skill) == from_scratch(skill)
    assert code == "tiny"


def test_a_new_competitor_or_a_board_row_made_again_reads_every_mark(app, tmp_path, reads):
    tiny = tiny_event(tmp_path)
    skill, judge = tiny["skill"], tiny["judges"][0]
    mark(judge, skill.competitors[0], "A1.1", 1)
    skill_standings(skill)
    skill.competitors.append(Competitor(code="T-04", name="Late Entry", organisation="Wales"))
    effects.commit()
    rows = skill_standings(skill)
    assert [r.competitor for r in rows if r.in_marking][-1] == "T-04" and rows == from_scratch(skill)
    assert len(reads) == 2
    # the database made again under a running process: the same version, another board row
    db.session.execute(update(BoardState).where(BoardState.skill_id == skill.id).values(started_at=None))
    effects.commit()
    assert skill_standings(skill) == from_scratch(skill)
    assert len(reads) == 3
