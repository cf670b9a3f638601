"""An anonymised skill shows spectators codes only: no organisation and no organisation colour
on any public channel (the JSON API, the boards' pages, the watch replies and what is pushed to
them, the home page, the medal table) until the organiser publishes the results. Otherwise the
hall's screens would tie each code to its delegation while the judges' screens keep it hidden."""

from __future__ import annotations

import json

import pytest

from competition.extensions import db
from competition.services import effects
from competition.services.locking import lock_competitor
from competition.services.organisations import add_organisation
from competition.services.results import lock_results, publish_results
from tests.conftest import socket_client
from tests.factories import committed, mark, mark_panel, tiny_event

ORGANISATIONS = ("Guangdong", "Bavaria", "Wales")  # the tiny skill's competitors' organisations


@pytest.fixture
def anonymised(app, tmp_path):
    setup = tiny_event(tmp_path)
    skill = setup["skill"]
    skill.anonymised = True
    for number, name in enumerate(ORGANISATIONS):  # registered, each with its colour
        add_organisation(setup["event"], f"ORG{number}", name, colour=f"#1{number}3456", by=setup["organiser"])
    effects.commit()
    t1, t2, t3 = skill.competitors
    mark_panel(setup["judges"], t1, "B1.1", [3, 3, 3])
    mark_panel(setup["judges"], t2, "B1.1", [2, 2, 2])
    return setup


def watcher(app, **watch):
    client = socket_client(app)
    state = client.emit("watch", watch, callback=True)
    client.get_received()
    return client, state


def pushed(client, name):
    return [message["args"][0] for message in client.get_received() if message["name"] == name]


def named(data) -> list[str]:
    text = json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data
    return [name for name in ORGANISATIONS if name in text]


def test_public_standings_api_names_no_organisation_of_an_anonymised_skill(app, client, anonymised):
    data = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert [r["code"] for r in data["standings"]][:2] == ["T-01", "T-02"]
    assert all(r["organisation"] == "" and r["name"] is None for r in data["standings"])
    assert data["organisations"] == {}  # no colour per organisation either
    assert data["organisations_withheld"] is True
    assert named(data) == []


def test_boards_and_live_updates_name_no_organisation_of_an_anonymised_skill(app, client, anonymised):
    board, state = watcher(app, event="test", skill="tiny")
    overview, ov_state = watcher(app, event="test")
    mark(anonymised["judges"][0], anonymised["skill"].competitors[2], "B1.2", "1.5")  # pushed to both rooms
    channels = {
        "watch reply": state,
        "overview reply": ov_state,
        "pushed standings": pushed(board, "standings"),
        "pushed overview": pushed(overview, "overview"),
        "medal table": client.get("/api/v1/events/test/medal-table").get_json(),
    }
    assert channels["pushed standings"] and channels["pushed overview"]
    for channel, data in channels.items():
        assert named(data) == [], channel
    assert channels["pushed standings"][-1]["organisations"] == {}
    assert channels["medal table"]["organisations"] == []
    assert channels["medal table"]["skills"][0]["counted"] is False
    for url in ("/board/test/tiny", "/board/test", "/"):
        assert named(client.get(url).get_data(as_text=True)) == [], url


def test_organisations_show_once_the_results_are_published(app, client, anonymised):
    skill, chief, organiser = anonymised["skill"], anonymised["chief"], anonymised["organiser"]
    for competitor in skill.competitors:
        lock_competitor(competitor, by=chief)
    committed(lock_results, skill, by=organiser)
    data = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert named(data) == [], "locked is not yet published"
    board, _state = watcher(app, event="test", skill="tiny")
    committed(publish_results, skill, by=organiser)
    db.session.expire_all()
    data = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert {r["code"]: r["organisation"] for r in data["standings"]} == {"T-01": "Guangdong", "T-02": "Bavaria", "T-03": "Wales"}
    assert data["organisations_withheld"] is False
    last = pushed(board, "standings")[-1]
    assert last["standings"][0]["organisation"] == "Guangdong"
    assert set(last["organisations"]) == {"Guangdong", "Bavaria", "Wales"}  # and their colours


def test_a_skill_that_is_not_anonymised_keeps_its_organisations(app, client, tmp_path):
    tiny_event(tmp_path)
    data = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert sorted(r["organisation"] for r in data["standings"]) == ["Bavaria", "Guangdong", "Wales"]
