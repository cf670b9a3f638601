"""Sign-in and landing pages, CSRF with it switched on, bearer tokens and their CLI,
anonymised skills, descriptors-only marking, the demo's judge logins."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import ApiToken, Mark
from tests.judging import judging_event, sign_in


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def _token_from(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_csrf_is_required_for_forms_and_session_api_requests(csrf_app, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    client = csrf_app.test_client()
    # Signing in without the form's token is refused.
    response = client.post("/sign-in", data={"username": "judge1", "password": "pw-judge"})
    assert response.status_code == 400
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/sign-in", data={"username": "judge1", "password": "pw-judge", "csrf_token": token}).status_code == 302

    body = {"competitor_id": t1.id, "aspect": "B1.1", "value": 2, "idempotency_key": "csrf-0001", "base_version": 0}
    response = client.post("/api/v1/marks", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf"
    response = client.post("/judge/test/tiny/T-01/B", data={"a_B1_1": "2", "a_B1_1_base": "0", "a_B1_1_key": "csrf-form-1"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Mark.id))) == 0

    token = _token_from(client.get("/judge/test/tiny/T-01/B").get_data(as_text=True))
    response = client.post("/api/v1/marks", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    # A fresh token for a page whose token expired during a long offline spell.
    assert client.get("/auth/csrf").get_json()["csrf_token"]


def test_bearer_tokens_need_no_csrf_and_can_be_revoked(csrf_app, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    runner = csrf_app.test_cli_runner()
    from competition.cli import main

    result = runner.invoke(main, ["token", "create", "--user", "judge1", "--label", "tablet 3"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[0]
    assert token.startswith("pod_")
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash != token and token not in row.token_hash and len(row.token_hash) == 64

    client = csrf_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"competitor_id": t1.id, "aspect": "B1.1", "value": 2, "idempotency_key": "bearer-0001", "base_version": 0}
    response = client.post("/api/v1/marks", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    form = client.get("/api/v1/events/test/skills/tiny/competitors/T-01/form", headers=headers).get_json()
    assert form["aspects"]["B1.1"]["value"] == "2"

    listed = runner.invoke(main, ["token", "list", "--user", "judge1"])
    assert "tablet 3" in listed.output and token not in listed.output
    assert runner.invoke(main, ["token", "revoke", "--user", "judge1"]).exit_code == 0
    body["idempotency_key"] = "bearer-0002"
    response = client.post("/api/v1/marks", json=body, headers=headers)
    assert response.status_code == 401
    # A wrong token is refused even when a session cookie is present: the header decides.
    sign_in_client = csrf_app.test_client()
    page = sign_in_client.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    sign_in_client.post("/sign-in", data={"username": "judge2", "password": "pw-judge", "csrf_token": csrf})
    response = sign_in_client.post("/api/v1/marks", json=body, headers={"Authorization": "Bearer pod_nonsense"})
    assert response.status_code == 401
    assert runner.invoke(main, ["token", "create", "--user", "nobody"]).exit_code == 1


def test_landing_pages_after_sign_in(app, tmp_path):
    judging_event(tmp_path)
    for username, landing in (("judge1", "/judge/test/tiny/"), ("chief", "/chief/test/tiny/"), ("organiser", "/")):
        client = app.test_client()
        response = client.post("/sign-in", data={"username": username, "password": {"judge1": "pw-judge", "chief": "pw-chief",
                                                                                       "organiser": "pw-organiser"}[username]})
        assert response.status_code == 302 and response.location == landing
    client = app.test_client()
    response = client.post("/sign-in", data={"username": "judge1", "password": "wrong"})
    assert response.status_code == 401 and "not right" in response.get_data(as_text=True)
    # An open redirect is not followed.
    response = client.post("/sign-in?next=https://evil.example/", data={"username": "judge1", "password": "pw-judge"})
    assert response.location == "/judge/test/tiny/"


def test_anonymised_skill_shows_judges_codes_only(app, client, tmp_path):
    setup = judging_event(tmp_path)
    setup["skill"].anonymised = True
    db.session.commit()
    t2 = setup["skill"].competitors[1]
    sign_in(client, "judge1")
    for url in ("/judge/test/tiny/", "/judge/test/tiny/T-02/B", "/judge/test/tiny/T-02/A"):
        page = client.get(url).get_data(as_text=True)
        assert "T-02" in page
        assert "Anna Schmidt" not in page and "Bavaria" not in page and "王芳" not in page
    data = client.get("/api/v1/events/test/skills/tiny/competitors/T-02/form").get_json()
    assert data["competitor"] == {"id": t2.id, "code": "T-02", "name": None}
    response = client.post("/api/v1/marks", json={"competitor_id": t2.id, "aspect": "B1.1", "value": 2,
                                                  "idempotency_key": "anon-1", "base_version": 0})
    assert response.status_code == 201 and response.get_json()["competitor"] == "T-02"
    assert "Anna" not in response.get_data(as_text=True)
    chief = app.test_client()
    sign_in(chief, "chief")
    assert "Anna Schmidt" in chief.get("/chief/test/tiny/T-02").get_data(as_text=True)


def test_descriptors_only_hides_the_numbers(app, client, tmp_path):
    setup = judging_event(tmp_path)
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert '<span class="choice-num">1</span>' in page
    chief = app.test_client()
    sign_in(chief, "chief")
    assert chief.post("/chief/test/tiny/marking", data={"kind": "descriptors", "open": "1"}).status_code == 303
    assert setup["skill"].descriptors_only
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert '<span class="choice-num">1</span>' not in page and "industry standard" in page


def test_marking_form_shows_every_kind_of_aspect(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    a = client.get("/judge/test/tiny/T-02/A").get_data(as_text=True)
    assert 'class="choices choices-binary"' in a and 'class="counter"' in a
    b = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert b.count('class="choice-input"') == 4 + 3  # judgement 0-3 and three listed steps
    assert '<strong id="own-done">0</strong> of 4 marked' in b and b.count("is-missing") == 2


def test_no_script_form_post_records_marks_and_refuses_stale_ones(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    data = {"a_B1_1": "2", "a_B1_1_base": "0", "a_B1_1_key": "form-0001", "a_B1_2": "3", "a_B1_2_base": "0", "a_B1_2_key": "form-0002"}
    assert client.post("/judge/test/tiny/T-02/B", data=data).status_code == 302
    assert client.post("/judge/test/tiny/T-02/B", data=data).status_code == 302  # the same form again: nothing new
    assert db.session.scalar(select(func.count(Mark.id))) == 2
    stale = {"a_B1_1": "1", "a_B1_1_base": "0", "a_B1_1_key": "form-0003"}
    response = client.post("/judge/test/tiny/T-02/B", data=stale)
    assert response.status_code == 409 and "changed meanwhile (now 2" in response.get_data(as_text=True)
    assert {(m.aspect_id, m.value, m.version) for m in db.session.scalars(select(Mark))} == {("B1.1", 2, 1), ("B1.2", 3, 1)}


def test_presence_warns_when_the_form_is_open_on_two_devices(app, client, tmp_path):
    setup = judging_event(tmp_path)
    t2 = setup["skill"].competitors[1]
    sign_in(client, "judge1")
    first = client.post("/api/v1/presence", json={"competitor_id": t2.id, "device_id": "tablet-a"}).get_json()
    assert first["others"] == 0
    second = client.post("/api/v1/presence", json={"competitor_id": t2.id, "device_id": "tablet-b"}).get_json()
    assert second["others"] == 1
    assert client.post("/api/v1/presence", json={"competitor_id": t2.id, "device_id": "tablet-a"}).get_json()["others"] == 1


def test_demo_judges_land_on_their_marking_work(app, client, demo_event):
    from competition.demo import DEMO_PASSWORD, demo_logins

    logins = demo_logins()
    judge = next(u for u, _, what in logins if u.startswith("judge-"))
    what = dict((u, w) for u, _, w in logins)[judge]
    response = client.post("/sign-in", data={"username": judge, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.location.startswith("/judge/") and response.location in what
    page = client.get(response.location).get_data(as_text=True)
    assert "Pick a competitor to mark" in page
