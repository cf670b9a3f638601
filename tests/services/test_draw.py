"""Panels, the draw and the results lock through the services."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, Draw, SkillRole
from competition.models.marking import utcnow
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.scoring.draw import draw as pure_draw
from competition.services.draws import reproduce, run_draw
from competition.services.errors import ServiceError
from competition.services.locking import unlock_competitor
from competition.services.panels import CONFLICT, WARNING, assign_to_panel, panel_concerns, unassign_from_panel
from competition.services.results import lock_results, publish_results, unlock_results
from competition.services.setup import add_user
from tests.factories import committed, mark
from tests.judging import judging_event


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_draw_sets_the_numbers_records_its_seed_and_reproduces(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser = setup["skill"], setup["organiser"]
    record = committed(run_draw, skill, "workstations", by=organiser, seed="drawn in public 2026")
    ids = [c.id for c in skill.competitors]
    expected = pure_draw("drawn in public 2026", "tiny", "workstations", ids)
    assert {str(c.id): c.workstation for c in skill.competitors} == expected == json.loads(record.result)
    assert record.seed == "drawn in public 2026" and record.drawn_by_id == organiser.id
    assert reproduce(record).matches
    assert "draw_workstations" in actions()


def test_drawing_again_replaces_the_numbers_but_keeps_the_history(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser = setup["skill"], setup["organiser"]
    first = committed(run_draw, skill, "numbers", by=organiser)
    second = committed(run_draw, skill, "numbers", by=organiser)
    assert first.seed != second.seed and len(first.seed) == 16  # a generated seed each time
    assert db.session.scalars(select(Draw.id).where(Draw.skill_id == skill.id)).all() == [first.id, second.id]
    assert {str(c.id): c.entry_number for c in skill.competitors} == json.loads(second.result)


def test_a_tampered_record_does_not_reproduce(app, tmp_path):
    setup = judging_event(tmp_path)
    record = committed(run_draw, setup["skill"], "numbers", by=setup["organiser"], seed="abc")
    result = json.loads(record.result)
    first, second = sorted(result)[:2]
    result[first], result[second] = result[second], result[first]
    record.result = json.dumps(result)
    check = reproduce(record)
    assert not check.matches and check.differences == [first, second]


def test_no_draw_once_the_skill_has_marks_and_no_encryption_for_a_plain_skill(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser = setup["skill"], setup["organiser"]
    with pytest.raises(ServiceError) as refused:
        run_draw(skill, "encryption", by=organiser)
    assert refused.value.code == "not_encrypted"
    mark(setup["judges"][0], skill.competitors[1], "A1.1", 1, base_version=0)
    with pytest.raises(ServiceError) as refused:
        run_draw(skill, "numbers", by=organiser)
    assert refused.value.code == "has_marks"
    assert db.session.scalar(select(Draw.id)) is None


def test_only_organisers_draw_and_seeds_are_bounded(app, tmp_path):
    setup = judging_event(tmp_path)
    with pytest.raises(ServiceError) as refused:
        run_draw(setup["skill"], "numbers", by=setup["chief"])
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        run_draw(setup["skill"], "numbers", by=setup["organiser"], seed="x" * 65)
    assert refused.value.field == "seed"


def test_a_compatriot_judge_is_a_conflict_to_confirm_unless_the_skill_allows_it(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser = setup["skill"], setup["organiser"]
    guangdong = add_user("gd2", "Second Guangdong Judge", "pw", organisation="Guangdong")
    concerns = panel_concerns(skill, guangdong)
    assert [(c.level, c.code) for c in concerns] == [(CONFLICT, "compatriot")]
    assert "T-01" in str(concerns[0].message)
    with pytest.raises(ServiceError) as refused:
        assign_to_panel(skill, guangdong, JUDGE, by=organiser)
    assert refused.value.code == "needs_confirmation"
    assert db.session.scalar(select(SkillRole).where(SkillRole.user_id == guangdong.id)) is None
    skill.allow_compatriot_marking = True
    assert [(c.level, c.code) for c in panel_concerns(skill, guangdong)] == [(WARNING, "compatriot")]
    committed(assign_to_panel, skill, guangdong, JUDGE, by=organiser)
    assert guangdong.role_in(skill.id) == JUDGE and "panel_assigned" in actions()


def test_a_judge_of_another_panel_needs_confirmation_and_a_small_panel_is_a_warning(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser, outsider = setup["skill"], setup["organiser"], setup["outsider"]
    assert [c.code for c in panel_concerns(skill, outsider)] == ["other_panel"]
    committed(assign_to_panel, skill, outsider, JUDGE, by=organiser, confirmed=True)
    audit_detail = db.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "panel_assigned"))
    assert "confirmed: other_panel" in audit_detail
    other = setup["other_skill"]
    newcomer = add_user("new", "New Judge", "pw", organisation="Nowhere")
    assert [(c.level, c.code) for c in panel_concerns(other, newcomer)] == [(WARNING, "small_panel")]


def test_unassigning_a_judge_with_marks_is_refused_with_a_clear_message(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser, judge = setup["skill"], setup["organiser"], setup["judges"][0]
    mark(judge, skill.competitors[1], "A1.1", 1, base_version=0)
    with pytest.raises(ServiceError) as refused:
        unassign_from_panel(skill, judge, by=organiser)
    assert refused.value.code == "has_marks" and "1 marks" in refused.value.message
    committed(unassign_from_panel, skill, setup["judges"][1], by=organiser)
    assert setup["judges"][1].role_in(skill.id) is None and "panel_unassigned" in actions()


def test_a_second_chief_expert_is_refused_and_judges_cannot_assign(app, tmp_path):
    setup = judging_event(tmp_path)
    with pytest.raises(ServiceError) as refused:
        assign_to_panel(setup["skill"], setup["judges"][2], CHIEF_EXPERT, by=setup["organiser"])
    assert refused.value.code == "has_chief"
    with pytest.raises(ServiceError) as refused:
        assign_to_panel(setup["skill"], setup["outsider"], JUDGE, by=setup["chief"], confirmed=True)
    assert refused.value.status == 403


def _lock_all(skill):
    for competitor in skill.competitors:
        competitor.locked_at = utcnow()


def test_results_lock_lists_who_is_not_locked_then_locks_publishes_and_freezes(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, chief, organiser = setup["skill"], setup["chief"], setup["organiser"]
    skill.competitors[0].locked_at = utcnow()
    with pytest.raises(ServiceError) as refused:
        lock_results(skill, by=chief)
    assert refused.value.code == "competitors_not_locked" and refused.value.extra["competitors"] == ["T-02", "T-03"]
    _lock_all(skill)
    with pytest.raises(ServiceError):
        publish_results(skill, by=organiser)  # not locked yet
    committed(lock_results, skill, by=chief)
    assert skill.results_locked_at is not None
    with pytest.raises(ServiceError) as refused:
        unlock_competitor(skill.competitors[0], by=chief, reason="a late correction")
    assert refused.value.code == "results_locked"
    with pytest.raises(ServiceError) as refused:
        publish_results(skill, by=chief)
    assert refused.value.status == 403
    committed(publish_results, skill, by=organiser)
    with pytest.raises(ServiceError) as refused:
        unlock_results(skill, by=organiser, reason="a late correction")
    assert refused.value.code == "published"
    assert actions()[-2:] == ["results_locked", "results_published"]


def test_results_unlock_needs_a_reason_and_is_audited(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser = setup["skill"], setup["organiser"]
    _lock_all(skill)
    committed(lock_results, skill, by=organiser)
    with pytest.raises(ServiceError) as refused:
        unlock_results(skill, by=organiser, reason="no")
    assert refused.value.field == "reason"
    with pytest.raises(ServiceError) as refused:
        lock_results(skill, by=setup["judges"][0])
    assert refused.value.status == 403
    committed(unlock_results, skill, by=organiser, reason="a mark was entered against the wrong aspect")
    assert skill.results_locked_at is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "results_unlocked"))
    assert entry.reason == "a mark was entered against the wrong aspect"


def test_locking_an_encrypted_skill_audits_the_join(app, tmp_path):
    setup = judging_event(tmp_path)
    skill, organiser = setup["skill"], setup["organiser"]
    skill.encrypted = True
    committed(run_draw, skill, "encryption", by=organiser, seed="sealed")
    _lock_all(skill)
    committed(lock_results, skill, by=setup["chief"])
    join = db.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "identities_joined"))
    assert all(f"{c.encrypted_code}={c.code}" in join for c in skill.competitors)
