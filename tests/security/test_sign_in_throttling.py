"""Item 12: guessing passwords is throttled per account and per address, the right password is
refused too while an account is locked, and unknown user names cost the same work as known ones."""

from __future__ import annotations

import statistics
import time
import uuid

import pytest

from competition import create_app
from competition.extensions import db
from competition.services.setup import add_user
from tests.conftest import SCHEMES, IsolatedClient, need_server
from tests.judging import PASSWORDS, judging_event

pytestmark = pytest.mark.rate_limits
WRONG = {"username": "judge1", "password": "not-the-password"}
RIGHT = {"username": "judge1", "password": PASSWORDS["judge1"]}


def signed_in(client) -> bool:
    return client.get("/judge/test/tiny/").status_code == 200


def test_the_right_password_is_refused_after_too_many_wrong_ones(app, client, tmp_path):
    judging_event(tmp_path)
    app.config["PODIUM_SIGN_IN_ACCOUNT_LIMIT"] = "5 per 15 minutes"
    answers = [client.post("/sign-in", data=WRONG).status_code for _ in range(8)]
    assert answers == [401] * 5 + [429] * 3
    response = client.post("/sign-in", data=RIGHT)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed attempts to sign in. Try again in 15 minutes" in page
    assert int(response.headers["Retry-After"]) > 14 * 60
    assert not signed_in(client)
    # Another account from the same address is not locked by this one's failures.
    assert client.post("/sign-in", data={"username": "judge2", "password": PASSWORDS["judge2"]}).status_code == 302


def test_the_lock_message_is_in_the_persons_language(app, client, tmp_path):
    judging_event(tmp_path)
    app.config["PODIUM_SIGN_IN_ACCOUNT_LIMIT"] = "1 per 15 minutes"
    client.set_cookie("podium_lang", "zh")
    client.post("/sign-in", data=WRONG)
    page = client.post("/sign-in", data=RIGHT).get_data(as_text=True)
    assert "登录失败次数过多" in page


def test_unknown_user_names_count_against_the_address(app, client, tmp_path):
    judging_event(tmp_path)
    app.config["PODIUM_SIGN_IN_ADDRESS_LIMIT"] = "6 per 15 minutes"
    for number in range(6):
        assert client.post("/sign-in", data={"username": f"nobody{number}", "password": "guess"}).status_code == 401
    assert client.post("/sign-in", data=RIGHT).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert elsewhere.post("/sign-in", data=RIGHT).status_code == 302


def test_unknown_user_names_take_as_long_as_known_ones(app, client, tmp_path):
    """Before: 109 ms for a known name, 4 ms for an unknown one. The person here has a password
    hashed as Podium hashes them (not the tests' cheap hash)."""
    add_user("timed", "Timed Person", "a-real-password-1")
    db.session.commit()

    def took(username: str) -> float:
        start = time.perf_counter()
        assert client.post("/sign-in", data={"username": username, "password": "wrong-password"}).status_code == 401
        return time.perf_counter() - start

    took("timed"), took("nobody-at-all")  # warm up
    known = statistics.median(took("timed") for _ in range(3))
    unknown = statistics.median(took("nobody-at-all") for _ in range(3))
    assert unknown > 0.5 * known, (known, unknown)


def test_one_time_sign_in_links_are_throttled_per_address(app, client):
    app.config["PODIUM_SIGN_IN_LINK_LIMIT"] = "3 per minute"
    answers = [client.get(f"/sign-in/link/guess-{number}").status_code for number in range(3)]
    answers += [client.post("/sign-in/link/guess-3").status_code]
    assert answers == [404, 404, 404, 429]


def test_marks_are_throttled_per_person(app, client, tmp_path):
    setup = judging_event(tmp_path)
    app.config["PODIUM_MARKS_LIMIT"] = "2 per minute"
    client.post("/sign-in", data=RIGHT)
    t1 = setup["skill"].competitors[0]
    answers = []
    for number in range(3):
        response = client.post("/api/v1/marks", json={"competitor_id": t1.id, "aspect": "B1.1", "value": 2,
                                                       "idempotency_key": f"throttle-{number}", "base_version": number})
        answers.append(response.status_code)
    assert answers == [201, 201, 429]
    assert response.get_json()["error"]["retry"] is True


def test_two_server_processes_share_the_counts_through_redis(app, tmp_path):
    """Two app instances on one Redis: failures at either count towards one lock."""
    url = need_server("Redis", "PODIUM_TEST_REDIS_URL")
    judging_event(tmp_path)
    channel = f"podium-test-{uuid.uuid4().hex}"  # counts of this test only
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
              "REDIS_URL": None, "WTF_CSRF_ENABLED": False, "SCHEMES_DIR": str(SCHEMES), "RATELIMIT_ENABLED": True,
              "RATELIMIT_STORAGE_URI": url, "SOCKETIO_CHANNEL": channel, "PODIUM_SIGN_IN_ACCOUNT_LIMIT": "4 per 15 minutes"}
    first, second = create_app(dict(config)), create_app(dict(config))
    first.test_client_class = second.test_client_class = IsolatedClient
    one, other = first.test_client(), second.test_client()
    for client in (one, other, one, other):
        assert client.post("/sign-in", data=WRONG).status_code == 401
    assert one.post("/sign-in", data=RIGHT).status_code == 429
    assert other.post("/sign-in", data=RIGHT).status_code == 429
