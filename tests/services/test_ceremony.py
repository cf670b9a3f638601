"""The reveal ceremony's rules: it starts only on locked marks (or an organiser's audited
override), and a press sent twice moves it once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry
from competition.models.boards import BoardState
from competition.models.events import LIVE, REVEAL
from competition.services import boards
from competition.services.boards import reveal_step, set_display_mode
from competition.services.errors import ServiceError
from competition.services.locking import lock_competitor
from tests.factories import committed, mark, mark_panel, tiny_event


@pytest.fixture
def setup(app, tmp_path):
    """The tiny skill completely marked (T-02 first, T-03 second, T-01 third), in reveal mode."""
    setup = tiny_event(tmp_path)
    judges, skill = setup["judges"], setup["skill"]
    for competitor, value in zip(skill.competitors, (1, 3, 2)):
        mark_panel(judges, competitor, "B1.1", [value] * 3)
        for aspect, other in (("A1.1", 0), ("A1.2", 4), ("B1.2", "0")):
            mark(judges[0], competitor, aspect, other)
    committed(set_display_mode, skill, REVEAL, by=setup["organiser"])
    return setup


def revealed_places(skill) -> int | None:
    return db.session.scalar(select(BoardState.revealed).where(BoardState.skill_id == skill.id))


def lock(*competitors):
    for competitor in competitors:
        lock_competitor(competitor)
    db.session.commit()


def trail(skill) -> list[tuple[str, str, str]]:
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.skill_id == skill.id, AuditEntry.action.like("ceremony%")))
    return [(row.action, row.reason, row.detail) for row in rows]


def test_the_ceremony_does_not_start_while_competitors_are_not_locked(setup):
    skill, organiser = setup["skill"], setup["organiser"]
    t1, _, t3 = skill.competitors
    lock(skill.competitors[1])
    with pytest.raises(ServiceError) as refused:
        committed(reveal_step, skill, "start", by=organiser)
    assert refused.value.status == 409 and refused.value.code == "competitors_not_locked"
    assert refused.value.message == "2 competitors are not locked yet: T-01, T-03."
    assert refused.value.extra["competitors"] == ["T-01", "T-03"]
    db.session.rollback()
    assert revealed_places(skill) is None and trail(skill) == []
    lock(t1)
    with pytest.raises(ServiceError) as refused:
        committed(reveal_step, skill, "start", by=organiser)
    assert refused.value.message == "1 competitor is not locked yet: T-03."


def test_the_ceremony_starts_once_every_competitor_is_locked(setup):
    skill = setup["skill"]
    lock(*skill.competitors)
    assert committed(boards.ceremony_step, skill, "start", by=setup["organiser"]) == (0, True)
    assert trail(skill) == [("ceremony_started", "", "all 3 competitors locked")]


def test_an_organiser_overrides_with_a_reason_that_is_audited(setup):
    skill, organiser = setup["skill"], setup["organiser"]
    lock(skill.competitors[0])
    with pytest.raises(ServiceError) as refused:
        committed(boards.ceremony_step, skill, "start", by=organiser, reason="  ok  ")
    assert refused.value.status == 422 and refused.value.field == "reason"
    db.session.rollback()
    assert revealed_places(skill) is None and trail(skill) == []
    reason = "Ceremony at 17:00 by the programme; T-02 and T-03 are re-checked on paper"
    assert committed(boards.ceremony_step, skill, "start", by=organiser, reason=reason) == (0, True)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "ceremony_started_unlocked")).one()
    assert (entry.user_id, entry.skill_id, entry.reason) == (organiser.id, skill.id, reason)
    assert entry.detail == "2 of 3 competitors not locked: T-02, T-03"


def test_a_chief_expert_can_neither_start_the_ceremony_nor_override(setup):
    skill = setup["skill"]
    with pytest.raises(ServiceError) as refused:
        committed(reveal_step, skill, "start", by=setup["chief"], reason="The chief expert says the marks are final")
    assert refused.value.status == 403
    db.session.rollback()
    assert revealed_places(skill) is None and trail(skill) == []


def test_a_press_sent_twice_moves_the_ceremony_once(setup):
    skill, organiser = setup["skill"], setup["organiser"]
    lock(*skill.competitors)
    assert committed(boards.ceremony_step, skill, "start", by=organiser, seen=None) == (0, True)
    assert committed(boards.ceremony_step, skill, "start", by=organiser, seen=None) == (0, False)  # the start, sent again
    assert committed(boards.ceremony_step, skill, "next", by=organiser, seen=0) == (1, True)
    assert committed(boards.ceremony_step, skill, "next", by=organiser, seen=0) == (1, False)  # the same press again
    assert committed(boards.ceremony_step, skill, "next", by=organiser, seen=1) == (2, True)
    assert committed(boards.ceremony_step, skill, "back", by=organiser, seen=2) == (1, True)
    assert committed(boards.ceremony_step, skill, "back", by=organiser, seen=2) == (1, False)
    assert revealed_places(skill) == 1


def test_choosing_reveal_again_keeps_the_ceremony_going(setup):
    skill, organiser = setup["skill"], setup["organiser"]
    lock(*skill.competitors)
    committed(boards.ceremony_step, skill, "start", by=organiser)
    committed(boards.ceremony_step, skill, "next", by=organiser)
    assert boards.ceremony_in_progress(skill)
    committed(set_display_mode, skill, REVEAL, by=organiser)
    assert revealed_places(skill) == 1
    committed(set_display_mode, skill, LIVE, by=organiser)
    assert not boards.ceremony_in_progress(skill) and revealed_places(skill) is None
