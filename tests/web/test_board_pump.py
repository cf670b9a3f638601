"""Boards as in production: change notices after commit, and one pump per skill per board server.

The other board tests send the state from the committing request (``app.testing``); these turn
that off, so a mark only sends a notice and the skill's pump (a background task of the server)
reads the committed state and emits it.
"""

from __future__ import annotations

import time
import uuid

import pytest

from competition.extensions import db
from competition.realtime import pump as publishing
from competition.services import effects
from tests.conftest import need_server, socket_client
from tests.factories import mark, tiny_event


@pytest.fixture
def setup(app, tmp_path):
    app.config["BOARD_PUBLISH_SYNC"] = False
    return tiny_event(tmp_path)


def watch(app):
    client = socket_client(app)
    state = client.emit("watch", {"event": "test", "skill": "tiny"}, callback=True)
    client.get_received()
    return client, state


def standings_until(client, version, timeout=5.0):
    """Every standings message received until one carries ``version`` (or the time is up)."""
    received = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received += [m["args"][0] for m in client.get_received() if m["name"] == "standings"]
        if received and received[-1]["version"] >= version:
            break
        time.sleep(0.02)
    return received


def test_the_pump_sends_the_committed_state(app, setup):
    client, state = watch(app)
    mark(setup["judges"][0], setup["skill"].competitors[0], "A1.1", 1)
    received = standings_until(client, state["version"] + 1)
    assert received, "no standings reached the board"
    assert received[-1]["version"] == state["version"] + 1
    assert received[-1]["standings"][0]["code"] == "T-01" and received[-1]["standings"][0]["total"] == "2.00"


def test_a_burst_folds_into_fewer_messages_and_ends_on_the_newest_version(app, setup):
    app.config["BOARD_PUBLISH_INTERVAL"] = 0.5  # a long gap: the burst lands while the pump waits
    client, state = watch(app)
    competitor = setup["skill"].competitors[0]
    first, second = setup["judges"][:2]
    for judge, aspect, value in ((first, "A1.1", 1), (first, "A1.2", 1), (first, "B1.1", 2), (first, "B1.2", 3), (second, "B1.1", 2)):
        mark(judge, competitor, aspect, value)
    received = standings_until(client, state["version"] + 5)
    versions = [message["version"] for message in received]
    assert versions and versions[-1] == state["version"] + 5
    assert versions == sorted(set(versions)), "a board never gets an older state after a newer one"
    assert len(versions) <= 3, f"five marks in a burst should fold into one or two messages, got {versions}"


def test_no_board_here_no_pump_and_no_reads(app, setup, monkeypatch):
    reads = []
    monkeypatch.setattr(publishing, "board_payload", lambda skill: reads.append(skill) or {})
    mark(setup["judges"][0], setup["skill"].competitors[0], "A1.1", 1)
    time.sleep(0.2)
    assert reads == []
    assert not [key for key in publishing._pumps if key[0] == id(app)]


def test_a_rolled_back_mark_sends_no_notice_and_nothing_reaches_the_board(app, setup):
    client, _ = watch(app)
    mark(setup["judges"][0], setup["skill"].competitors[0], "A1.1", 1, commit=False)
    db.session.rollback()
    effects.commit()  # the next transaction commits: no notice of the rolled-back one may go out with it
    time.sleep(0.3)
    assert client.get_received() == []


def test_notices_through_redis_survive_a_malformed_one(app, setup):
    """With REDIS_URL the notice goes through Redis and the board's process picks it up; a
    malformed message on the channel is ignored and the next notice still gets through."""
    import redis

    url = need_server("Redis", "PODIUM_TEST_REDIS_URL")
    app.config.update(REDIS_URL=url, SOCKETIO_CHANNEL=f"podium-test-{uuid.uuid4().hex}")
    client, state = watch(app)  # subscribes this process to the notices before replying
    redis.Redis.from_url(url).publish(f"{app.config['SOCKETIO_CHANNEL']}:boards", "not json")
    mark(setup["judges"][0], setup["skill"].competitors[0], "A1.1", 1)
    received = standings_until(client, state["version"] + 1)
    assert received and received[-1]["version"] == state["version"] + 1
