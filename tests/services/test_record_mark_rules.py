"""record_mark's rules: idempotency, optimistic concurrency, windows, lock, validation.

Every refusal leaves the database as it was.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Mark, MarkRevision, SignOff
from competition.services.marking import MarkingError, record_mark
from competition.services.windows import CRITERION, DAY, set_window
from tests.judging import judging_event, stored_state


def _mark(judge, competitor, aspect, value, key, base=None):
    return record_mark(judge=judge, competitor_id=competitor.id, aspect_id=aspect, value=value, idempotency_key=key,
                       base_version=base, device="test tablet", ip="10.0.0.7")


def test_hundred_replays_leave_one_mark_and_one_revision(app, tmp_path):
    setup = judging_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    outcomes = [_mark(judge, t1, "B1.1", 2, "replayed-key-0001", 0) for _ in range(100)]
    assert db.session.scalar(select(func.count(Mark.id))) == 1
    assert db.session.scalar(select(func.count(MarkRevision.id))) == 1
    assert {(o.mark_id, o.value, o.version) for o in outcomes} == {(outcomes[0].mark_id, Decimal(2), 1)}
    assert [o.replayed for o in outcomes] == [False] + [True] * 99


def test_replays_through_the_api_return_the_same_result(app, client, tmp_path):
    from tests.judging import sign_in

    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    sign_in(client, "judge1")
    body = {"competitor_id": t1.id, "aspect": "B1.1", "value": 3, "idempotency_key": "api-replay-1", "base_version": 0}
    first = client.post("/api/v1/marks", json=body)
    replies = [client.post("/api/v1/marks", json=body) for _ in range(100)]
    assert first.status_code == 201 and {r.status_code for r in replies} == {200}
    assert {(r.get_json()["mark_id"], r.get_json()["version"], r.get_json()["value"]) for r in replies} == {
        (first.get_json()["mark_id"], 1, "3")
    }
    assert db.session.scalar(select(func.count(Mark.id))) == 1
    assert db.session.scalar(select(func.count(MarkRevision.id))) == 1


def test_key_reused_for_another_mark_is_refused(app, tmp_path):
    setup = judging_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    _mark(judge, t1, "B1.1", 2, "same-key-0001", 0)
    before = stored_state(t1)
    with pytest.raises(MarkingError) as err:
        _mark(judge, t1, "B1.1", 3, "same-key-0001", 1)
    assert err.value.status == 409 and err.value.field == "idempotency_key"
    with pytest.raises(MarkingError) as err:
        _mark(setup["judges"][1], t1, "B1.1", 2, "same-key-0001", 0)
    assert err.value.status == 409
    assert stored_state(t1) == before


def test_stale_write_is_refused_with_the_current_value(app, tmp_path):
    setup = judging_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    _mark(judge, t1, "B1.1", 2, "device-a-0001", 0)
    _mark(judge, t1, "B1.1", 3, "device-a-0002", 1)  # device A changes it: version 2
    before = stored_state(t1)
    with pytest.raises(MarkingError) as err:
        _mark(judge, t1, "B1.1", 1, "device-b-0001", 1)  # device B still shows version 1
    assert err.value.status == 409 and err.value.code == "stale" and err.value.field == "base_version"
    assert err.value.current == {"value": "3", "version": 2}
    with pytest.raises(MarkingError):
        _mark(judge, t1, "B1.1", 1, "device-b-0002", None)  # no base: never a silent overwrite
    assert stored_state(t1) == before
    outcome = _mark(judge, t1, "B1.1", 1, "device-b-0003", 2)
    assert outcome.version == 3
    revisions = db.session.scalars(select(MarkRevision).order_by(MarkRevision.id)).all()
    assert [(r.old_value, r.new_value, r.version) for r in revisions] == [(None, 2, 1), (2, 3, 2), (3, 1, 3)]
    assert {(r.by_user_id, r.device, r.ip) for r in revisions} == {(judge.id, "test tablet", "10.0.0.7")}


@pytest.mark.parametrize(
    "aspect, value, field, status",
    [
        ("B1.1", 4, "value", 422),
        ("B1.1", "1.5", "value", 422),
        ("B1.2", "2", "value", 422),  # not a listed step
        ("A1.2", 5, "value", 422),  # more deductions than there are
        ("A1.1", "yes", "value", 422),
        ("Z9.9", 1, "aspect", 404),
    ],
)
def test_invalid_entries_name_the_field_and_change_nothing(app, tmp_path, aspect, value, field, status):
    setup = judging_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    before = stored_state(t1)
    with pytest.raises(MarkingError) as err:
        _mark(judge, t1, aspect, value, "invalid-0001", 0)
    assert (err.value.field, err.value.status) == (field, status) and err.value.message
    assert stored_state(t1) == before


def test_unknown_competitor_and_unassigned_judge(app, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    with pytest.raises(MarkingError) as err:
        record_mark(judge=setup["judges"][0], competitor_id=999999, aspect_id="B1.1", value=1, idempotency_key="nobody-0001")
    assert (err.value.field, err.value.status) == ("competitor", 404)
    for person in (setup["outsider"], setup["organiser"]):
        with pytest.raises(MarkingError) as err:
            _mark(person, t1, "B1.1", 1, f"outsider-{person.id}", 0)
        assert (err.value.field, err.value.status) == ("skill", 403)


def test_closed_windows_refuse_marks_with_a_clear_message(app, tmp_path):
    setup = judging_event(tmp_path)
    judge, chief, t1 = setup["judges"][0], setup["chief"], setup["skill"].competitors[0]
    skill = setup["skill"]
    set_window(skill, by=chief, open=False)
    with pytest.raises(MarkingError) as err:
        _mark(judge, t1, "B1.1", 2, "closed-0001", 0)
    assert err.value.status == 423 and err.value.retry and "closed for Tiny Skill" in err.value.message
    set_window(skill, by=chief, open=True)
    set_window(skill, by=chief, open=False, kind=CRITERION, key="B")
    with pytest.raises(MarkingError) as err:
        _mark(judge, t1, "B1.1", 2, "closed-0002", 0)
    assert "criterion B" in err.value.message
    assert _mark(judge, t1, "A1.1", 1, "open-0001", 0).version == 1  # criterion A stays open
    set_window(skill, by=chief, open=True, kind=CRITERION, key="B")
    assert _mark(judge, t1, "B1.1", 2, "closed-0001", 0).version == 1  # the queued mark goes through later


def test_marking_day_window(app, tmp_path):
    from competition.services.windows import WindowError

    setup = judging_event(tmp_path)
    other = setup["other_skill"]  # cnc-milling: criteria marked on days C1..C3
    day = other.scheme.criteria[0].marking_day
    chief = setup["outsider"]
    from competition.models.people import CHIEF_EXPERT

    other_role = chief.roles[0]
    other_role.role = CHIEF_EXPERT
    db.session.commit()
    set_window(other, by=chief, open=False, kind=DAY, key=day)
    competitor_aspect = other.scheme.criteria[0].aspects[0]
    from competition.models import Competitor

    c = Competitor(code="B-99", name="Someone", organisation="Nowhere")
    other.competitors.append(c)
    db.session.commit()
    with pytest.raises(MarkingError) as err:
        _mark(chief, c, competitor_aspect.id, competitor_aspect.max_mark if not competitor_aspect.is_judgement else 1, "day-0001", 0)
    assert f"marking day {day}" in err.value.message
    with pytest.raises(WindowError):
        set_window(other, by=chief, open=False, kind=DAY, key="no-such-day")


def test_locked_competitor_refuses_marks(app, tmp_path):
    from competition.services.locking import lock_competitor

    setup = judging_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    _mark(judge, t1, "B1.1", 2, "before-lock-01", 0)
    lock_competitor(t1)
    db.session.commit()
    before = stored_state(t1)
    with pytest.raises(MarkingError) as err:
        _mark(judge, t1, "B1.1", 3, "after-lock-01", 1)
    assert err.value.status == 409 and err.value.code == "locked"
    assert stored_state(t1) == before


def test_changing_a_mark_withdraws_the_judges_own_sign_off(app, tmp_path):
    setup = judging_event(tmp_path)
    judge, t2 = setup["judges"][0], setup["skill"].competitors[1]
    _mark(judge, t2, "B1.1", 2, "signed-0001", 0)
    db.session.add(SignOff(competitor_id=t2.id, judge_id=judge.id))
    db.session.commit()
    _mark(judge, t2, "B1.1", 3, "signed-0002", 1)
    assert db.session.scalar(select(func.count(SignOff.id))) == 0
