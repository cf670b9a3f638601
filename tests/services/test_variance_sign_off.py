"""Variance flags, sign-off, lock and unlock with an audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, VarianceOverride
from competition.services.errors import ServiceError
from competition.services.judging import JudgingError, record_override, set_discussion, sign_off
from competition.services.locking import UnlockError, unlock_competitor
from tests.factories import mark, mark_panel
from tests.judging import judging_event, sign_in


def _mark_everything_but_b11(judges, competitor):
    mark(judges[0], competitor, "A1.1", 1, base_version=0)
    mark(judges[0], competitor, "A1.2", 1, base_version=0)
    mark(judges[0], competitor, "B1.2", "1.5", base_version=0)


def test_three_judges_two_apart_flag_block_sign_off_and_a_rescore_clears_it(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judges, t1 = setup["judges"], setup["skill"].competitors[0]  # T-01: the Guangdong judge is not on its panel
    _mark_everything_but_b11(judges, t1)
    mark_panel(judges, t1, "B1.1", [1, 3, 1])  # spread 2 > tolerance 1

    # Each judge sees the flag on the page and in JSON, without the others' scores.
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-01/B").get_data(as_text=True)
    assert "Flagged: the panel" in page and "is-flagged" in page
    state = client.get("/api/v1/events/test/skills/tiny/competitors/T-01/form").get_json()
    assert state["aspects"]["B1.1"]["flagged"] is True
    assert state["aspects"]["B1.1"]["discussion"] is None and state["aspects"]["B1.1"]["value"] == "1"
    assert "3" not in str(state["aspects"]["B1.1"])  # judge 2's score is not shown
    # The chief expert sees it at once.
    chief = app.test_client()
    sign_in(chief, "chief")
    assert "spread 2" in chief.get("/chief/test/tiny/T-01").get_data(as_text=True)

    # Sign-off is blocked, naming the aspect.
    response = client.post("/api/v1/sign-offs", json={"competitor_id": t1.id})
    assert response.status_code == 409
    assert any(p.startswith("B1.1") for p in response.get_json()["error"]["problems"]), response.get_json()
    with pytest.raises(JudgingError):
        sign_off(judges[1], t1)

    # Judge 2 re-scores within one point: the flag clears and everyone can sign.
    response = client.post("/api/v1/marks", json={"competitor_id": t1.id, "aspect": "B1.1", "value": 1, "base_version": 1,
                                                  "idempotency_key": "rescore-j1"})
    assert response.status_code == 201 and response.get_json()["flagged"] is True  # judge 1 re-entered 1: still 1,3,1
    mark(judges[1], t1, "B1.1", 2, base_version=1)
    assert client.get("/api/v1/events/test/skills/tiny/competitors/T-01/form").get_json()["aspects"]["B1.1"]["flagged"] is False
    assert sign_off(judges[0], t1) is False
    assert sign_off(judges[1], t1) is False
    assert t1.locked_at is None
    assert sign_off(judges[2], t1) is True  # the whole panel signed: locked
    assert t1.locked_at is not None


def test_chief_expert_override_with_reason_unblocks_sign_off(app, tmp_path):
    setup = judging_event(tmp_path)
    judges, chief, t1 = setup["judges"], setup["chief"], setup["skill"].competitors[0]
    _mark_everything_but_b11(judges, t1)
    mark_panel(judges, t1, "B1.1", [0, 2, 2])
    with pytest.raises(JudgingError) as err:
        record_override(judges[0], t1, "B1.1", "I think it is fine really")
    assert err.value.status == 403
    with pytest.raises(JudgingError) as err:
        record_override(chief, t1, "B1.1", "ok")
    assert err.value.status == 422
    with pytest.raises(JudgingError):
        record_override(chief, t1, "A1.1", "not flagged, nothing to override")
    record_override(chief, t1, "B1.1", "Judge 1 saw the burr on the hidden face; the panel agreed the scores stand.")
    row = db.session.scalar(select(VarianceOverride))
    assert row.entries == "0, 2, 2" and "burr" in row.reason and row.by_user_id == chief.id
    for judge in judges:
        sign_off(judge, t1)
    assert t1.locked


def test_discussion_shows_the_panel_its_scores(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judges, chief, t1 = setup["judges"], setup["chief"], setup["skill"].competitors[0]
    mark_panel(judges, t1, "B1.1", [1, 3, 1])
    set_discussion(chief, t1, "B1.1", True)
    sign_in(client, "judge1")
    view = client.get("/api/v1/events/test/skills/tiny/competitors/T-01/form").get_json()["aspects"]["B1.1"]
    assert sorted(view["discussion"]) == ["1", "1", "3"]
    set_discussion(chief, t1, "B1.1", False)
    assert client.get("/api/v1/events/test/skills/tiny/competitors/T-01/form").get_json()["aspects"]["B1.1"]["discussion"] is None


def test_only_the_chief_expert_unlocks_with_a_reason_in_the_audit_trail(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judges, chief, t1 = setup["judges"], setup["chief"], setup["skill"].competitors[0]
    _mark_everything_but_b11(judges, t1)
    mark_panel(judges, t1, "B1.1", [2, 2, 3])
    for judge in judges:
        sign_off(judge, t1)
    assert t1.locked
    for person in (judges[0], setup["organiser"]):
        with pytest.raises(ServiceError) as refused:
            unlock_competitor(t1, by=person, reason="I would like to change something")
        assert refused.value.status == 403
    with pytest.raises(UnlockError) as refused:
        unlock_competitor(t1, by=chief, reason="")
    assert refused.value.field == "reason" and refused.value.status == 422
    sign_in(client, "chief")
    response = client.post("/chief/test/tiny/T-01/unlock", data={"reason": "B1.2 was entered for the wrong part", "confirmed": "1"})
    assert response.status_code == 303
    db.session.expire_all()
    assert not t1.locked
    actions = [(a.action, a.reason) for a in db.session.scalars(select(AuditEntry).where(AuditEntry.competitor_id == t1.id))]
    assert [a for a, _ in actions].count("signed_off") == 3
    assert ("locked", "") in actions and ("unlocked", "B1.2 was entered for the wrong part") in actions
    page = client.get("/chief/test/tiny/T-01").get_data(as_text=True)
    assert "B1.2 was entered for the wrong part" in page
    # The panel signs again after the unlock.
    assert sign_off(judges[0], t1) is False


def test_chief_page_shows_every_revision(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    mark(judge, t1, "B1.1", 1, base_version=0, device="tablet 7", ip="10.1.2.3")
    mark(judge, t1, "B1.1", 2, base_version=1, device="tablet 7", ip="10.1.2.3")
    sign_in(client, "chief")
    page = client.get("/chief/test/tiny/T-01").get_data(as_text=True)
    assert "– → 1" in page and "1 → 2" in page and "10.1.2.3" in page and "tablet 7" in page
