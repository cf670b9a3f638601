"""Two events use the same skill code: each keeps its own pages, API answers and Socket.IO rooms."""

from __future__ import annotations

import datetime as dt

import pytest

from competition.models import Competitor
from competition.models.people import JUDGE
from competition.services import effects
from competition.services.setup import add_skill_from_scheme, add_user, assign, create_event
from tests.conftest import socket_client
from tests.factories import TINY_SCHEME, mark, tiny_event
from tests.judging import sign_in


@pytest.fixture
def two_events(app, tmp_path):
    first = tiny_event(tmp_path)  # event "test", skill "tiny": T-01..T-03, judge1..3
    path = tmp_path / "tiny-again.toml"
    path.write_text(TINY_SCHEME, encoding="utf-8")
    later = create_event("test-2027", "Test Championship 2027", starts_on=dt.date(2027, 5, 1))
    skill = add_skill_from_scheme(later, path)  # the same skill code, "tiny", created after the first
    skill.competitors.append(Competitor(code="T-01", name="Li Na 2027", organisation="Hunan"))
    judge = add_user("judge2027", "Judge 2027", "pw-judge", organisation="Elsewhere")
    assign(judge, skill, JUDGE)
    effects.commit()
    return {"first": first, "later_skill": skill, "later_judge": judge}


def test_pages_and_api_answer_for_the_event_in_the_url(client, two_events):
    first = two_events["first"]
    mark(first["judges"][0], first["skill"].competitors[0], "A1.1", 1)
    old = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    new = client.get("/api/v1/events/test-2027/skills/tiny/standings").get_json()
    assert [r["name"] for r in old["standings"]][:1] != ["Li Na 2027"] and len(old["standings"]) == 3
    assert [r["name"] for r in new["standings"]] == ["Li Na 2027"]
    old_board, new_board = client.get("/board/test/tiny").get_data(as_text=True), client.get("/board/test-2027/tiny").get_data(as_text=True)
    assert "Test Championship 2027" in new_board and "Test Championship 2027" not in old_board


def test_a_judge_of_one_event_cannot_use_the_other_events_skill(client, two_events):
    sign_in(client, "judge1")
    assert client.get("/judge/test/tiny/").status_code == 200
    assert client.get("/judge/test-2027/tiny/").status_code == 403
    body = {"event": "test-2027", "skill": "tiny", "competitor": "T-01", "aspect": "B1.1", "value": 2,
            "idempotency_key": "cross-event-1", "base_version": 0}
    assert client.post("/api/v1/marks", json=body).status_code == 403
    ok = client.post("/api/v1/marks", json={**body, "event": "test", "idempotency_key": "same-event-1"})
    assert ok.status_code == 201 and ok.get_json()["competitor"] == "T-01"
    assert ok.get_json()["mark_id"] and two_events["first"]["skill"].competitors[0].id != two_events["later_skill"].competitors[0].id


def test_socket_rooms_are_per_event(app, two_events):
    first, later = two_events["first"], two_events["later_skill"]
    old_board, new_board = socket_client(app), socket_client(app)
    assert old_board.emit("watch", {"event": "test", "skill": "tiny"}, callback=True)["event"] == "test"
    assert new_board.emit("watch", {"event": "test-2027", "skill": "tiny"}, callback=True)["event"] == "test-2027"
    old_board.get_received(), new_board.get_received()
    mark(two_events["later_judge"], later.competitors[0], "A1.1", 1)
    assert [m["args"][0]["event"] for m in new_board.get_received() if m["name"] == "standings"] == ["test-2027"]
    assert [m for m in old_board.get_received() if m["name"] == "standings"] == []
    mark(first["judges"][0], first["skill"].competitors[0], "A1.1", 1)
    assert [m["args"][0]["event"] for m in old_board.get_received() if m["name"] == "standings"] == ["test"]
    assert [m for m in new_board.get_received() if m["name"] == "standings"] == []
