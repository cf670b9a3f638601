"""The remote's ceremony endpoints: the start refused (409, naming who is not locked) unless an
organiser overrides with a reason, a second step before Reset or leaving a ceremony under way,
and presses answered with the ceremony's panel, each moving the ceremony once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry
from competition.models.events import LIVE, REVEAL
from tests.services.test_ceremony import lock, revealed_places, setup  # noqa: F401 - the tiny skill marked, in reveal mode
from tests.web.test_boards import login

JSON = {"Accept": "application/json"}
REVEAL_URL = "/board-control/test/tiny/reveal"
MODE_URL = "/board-control/test/tiny/mode"


@pytest.fixture
def remote(client, setup):  # noqa: F811
    login(client, setup["organiser"])
    return client


def started(remote, setup):  # noqa: F811
    lock(*setup["skill"].competitors)
    assert remote.post(REVEAL_URL, data={"action": "start", "seen": ""}, headers=JSON).status_code == 200
    assert remote.post(REVEAL_URL, data={"action": "next", "seen": "0"}, headers=JSON).get_json()["revealed"] == 1


def test_the_start_is_refused_naming_the_competitors_not_locked(remote, setup):  # noqa: F811
    lock(setup["skill"].competitors[1])
    answer = remote.post(REVEAL_URL, data={"action": "start", "seen": ""}, headers=JSON)
    assert answer.status_code == 409
    error = answer.get_json()["error"]
    assert error["code"] == "competitors_not_locked" and error["competitors"] == ["T-01", "T-03"]
    assert error["message"] == "2 competitors are not locked yet: T-01, T-03."
    page = remote.post(REVEAL_URL, data={"action": "start", "seen": ""}, follow_redirects=True).get_data(as_text=True)
    assert "2 competitors are not locked yet: T-01, T-03." in page
    assert revealed_places(setup["skill"]) is None
    # The remote says so before anyone presses, and offers the override with a reason.
    page = remote.get("/board-control/test").get_data(as_text=True)
    assert re.search(r'value="start" class="big" data-key="next" disabled', page)
    assert 'name="reason"' in page and "Start the ceremony anyway" in page


def test_the_organisers_override_through_the_remote_is_audited(remote, setup):  # noqa: F811
    short = remote.post(REVEAL_URL, data={"action": "start", "seen": "", "reason": "no"}, headers=JSON)
    assert short.status_code == 422 and short.get_json()["error"]["field"] == "reason"
    answer = remote.post(REVEAL_URL, data={"action": "start", "seen": "", "reason": "Programme fixed: ceremony at 17:00"},
                         follow_redirects=True)
    assert "0 of 3 places revealed" in answer.get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "ceremony_started_unlocked")).one()
    assert entry.reason == "Programme fixed: ceremony at 17:00" and entry.user_id == setup["organiser"].id


def test_a_chief_expert_cannot_use_the_remote_to_override(client, setup):  # noqa: F811
    login(client, setup["chief"])
    answer = client.post(REVEAL_URL, data={"action": "start", "seen": "", "reason": "The marks are final, trust me"}, headers=JSON)
    assert answer.status_code == 403
    assert revealed_places(setup["skill"]) is None
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("ceremony%"))).all() == []


def test_a_press_answers_with_the_panel_and_a_press_sent_twice_reveals_once(remote, setup):  # noqa: F811
    started(remote, setup)
    again = remote.post(REVEAL_URL, data={"action": "next", "seen": "0"}, headers=JSON).get_json()
    assert again["revealed"] == 1 and again["moved"] is False
    assert 'name="seen" value="1"' in again["html"] and "1 of 3 places revealed." in again["html"]
    answer = remote.post(REVEAL_URL, data={"action": "next", "seen": "1"}, headers=JSON).get_json()
    assert answer["revealed"] == 2 and answer["moved"] is True and "Next: place 1" in answer["html"]
    assert "Just revealed: place 2" in answer["html"]
    for bad in ("x1", "²", "1" * 20):
        assert remote.post(REVEAL_URL, data={"action": "next", "seen": bad}, headers=JSON).status_code == 400
    # The form without script: a second submit of the same page moves nothing and says so.
    page = remote.post(REVEAL_URL, data={"action": "next", "seen": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "the ceremony had already moved on" in page and revealed_places(setup["skill"]) == 2


def test_reset_in_the_middle_of_a_ceremony_asks_first(remote, setup):  # noqa: F811
    started(remote, setup)
    answer = remote.post(REVEAL_URL, data={"action": "reset", "seen": "1"}, headers=JSON)
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "confirmation_needed"
    page = remote.post(REVEAL_URL, data={"action": "reset", "seen": "1"}).get_data(as_text=True)
    assert "Reset the ceremony of Tiny Skill?" in page and "1 of 3 places are revealed" in page
    assert 'name="confirm" value="1"' in page and 'name="action" value="reset"' in page
    assert revealed_places(setup["skill"]) == 1
    answer = remote.post(REVEAL_URL, data={"action": "reset", "seen": "1", "confirm": "1"}, headers=JSON)
    assert answer.status_code == 200 and answer.get_json()["revealed"] is None


def test_live_scores_in_the_middle_of_a_ceremony_ask_first(remote, setup):  # noqa: F811
    started(remote, setup)
    answer = remote.post(MODE_URL, data={"mode": LIVE}, headers=JSON)
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "confirmation_needed"
    page = remote.post(MODE_URL, data={"mode": LIVE}).get_data(as_text=True)
    assert "Tiny Skill: Live scores, and end the ceremony?" in page and 'name="mode" value="live"' in page
    assert setup["skill"].display_mode == REVEAL and revealed_places(setup["skill"]) == 1
    assert remote.post(MODE_URL, data={"mode": REVEAL}, headers=JSON).status_code == 200  # the mode it has: nothing to end
    assert remote.post(MODE_URL, data={"mode": LIVE, "confirm": "1"}, headers=JSON).get_json()["mode"] == LIVE


def test_no_second_step_when_no_ceremony_is_under_way(remote, setup):  # noqa: F811
    assert remote.post(REVEAL_URL, data={"action": "reset"}, headers=JSON).status_code == 200
    assert remote.post(MODE_URL, data={"mode": LIVE}, headers=JSON).get_json()["mode"] == LIVE
