"""Permission matrix: every marking route and API endpoint x every role.

Allowed roles reach the action; the others get 401 (anonymous: API) / a redirect to the
sign-in page (anonymous: pages) / 403, and nothing stored changes.
"""

from __future__ import annotations

import uuid

import pytest

from competition.extensions import db
from competition.models import Mark
from tests.judging import judging_event, sign_in, stored_state

ROLES = ("anonymous", "judge", "other_judge", "conflicted", "chief", "organiser")
USERNAME = {"judge": "judge1", "other_judge": "outsider", "conflicted": "conflicted", "chief": "chief", "organiser": "organiser"}

MARKERS = {"judge", "chief"}
REVIEWERS = {"chief", "organiser"}
CHIEF = {"chief"}
SKILL_MEMBERS = {"judge", "conflicted", "chief"}


def _mark_body(ids):
    return {"competitor_id": ids["t1"], "aspect": "B1.1", "value": 2, "idempotency_key": str(uuid.uuid4()), "base_version": 0}


# (name, method, url, body kind, roles allowed)
ROUTES = [
    ("judge list", "GET", "/judge/test/tiny/", None, SKILL_MEMBERS),
    ("judge form", "GET", "/judge/test/tiny/T-01/B", None, MARKERS),
    ("judge form redirect", "GET", "/judge/test/tiny/T-01/", None, MARKERS),
    ("judge form post", "POST", "/judge/test/tiny/T-01/B", "form", MARKERS),
    ("judge sign-off", "POST", "/judge/test/tiny/T-01/sign-off", "empty", MARKERS),
    ("chief overview", "GET", "/chief/test/tiny/", None, REVIEWERS),
    ("chief competitor", "GET", "/chief/test/tiny/T-01", None, REVIEWERS),
    ("chief window", "POST", "/chief/test/tiny/marking", "window", CHIEF),
    ("chief override", "POST", "/chief/test/tiny/T-01/override", "override", CHIEF),
    ("chief discussion", "POST", "/chief/test/tiny/T-01/discussion", "discussion", CHIEF),
    ("chief unlock", "POST", "/chief/test/tiny/T-01/unlock", "unlock", CHIEF),
    ("api mark", "POST", "/api/v1/marks", "mark", MARKERS),
    ("api form state", "GET", "/api/v1/events/test/skills/tiny/competitors/T-01/form", None, MARKERS),
    ("api presence", "POST", "/api/v1/presence", "presence", MARKERS),
    ("api sign-off", "POST", "/api/v1/sign-offs", "sign_off", MARKERS),
]


def _request(client, method, url, kind, ids):
    if method == "GET":
        return client.get(url)
    data = {
        "form": {"a_B1_1": "2", "a_B1_1_base": "0", "a_B1_1_key": str(uuid.uuid4())},
        "empty": {},
        "window": {"kind": "skill", "key": "", "open": "0"},
        "override": {"aspect": "B1.1", "reason": "the panel looked again and agreed"},
        "discussion": {"aspect": "B1.1", "open": "1"},
        "unlock": {"reason": "a mark was entered against the wrong competitor"},
    }
    if kind in data:
        return client.post(url, data=data[kind])
    json = {"mark": _mark_body(ids), "presence": {"competitor_id": ids["t1"], "device_id": "dev-1"},
            "sign_off": {"competitor_id": ids["t1"]}}[kind]
    return client.post(url, json=json)


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_permission_matrix(app, tmp_path, route):
    name, method, url, kind, allowed = route
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    ids = {"t1": t1.id}
    if name in ("chief override", "chief discussion"):
        from tests.factories import mark_panel

        mark_panel(setup["judges"], t1, "B1.1", [1, 3, 1])  # flagged, so the chief has something to decide
    if name == "chief unlock":
        from competition.services.locking import lock_competitor

        lock_competitor(t1)
        db.session.commit()

    # Refused roles first: they must change nothing, so the allowed ones start from the same state.
    for role in sorted(ROLES, key=lambda r: r in allowed):
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, USERNAME[role])
        before = stored_state(t1)
        response = _request(client, method, url, kind, ids)
        if role in allowed:
            assert response.status_code not in (401, 403), f"{name}: {role} should be allowed, got {response.status_code}"
            assert response.status_code < 500
        else:
            if role == "anonymous":
                if url.startswith("/api/"):
                    assert response.status_code == 401, f"{name}: anonymous got {response.status_code}"
                    assert response.get_json()["error"]["field"] == "authorization"
                elif method == "GET":
                    assert response.status_code == 302 and "/sign-in" in response.location
                else:
                    assert response.status_code == 401
            else:
                assert response.status_code == 403, f"{name}: {role} should be refused, got {response.status_code}"
            if url.startswith("/api/"):
                assert response.get_json()["error"]["message"]
            assert stored_state(t1) == before, f"{name}: refused {role} changed something"


def test_allowed_marking_routes_write_through_record_mark(app, client, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    sign_in(client, "judge1")
    response = client.post("/judge/test/tiny/T-01/B", data={"a_B1_1": "2", "a_B1_1_base": "0", "a_B1_1_key": "form-key-1"})
    assert response.status_code == 302
    response = client.post("/api/v1/marks", json={"competitor_id": t1.id, "aspect": "B1.2", "value": "1.5",
                                                  "idempotency_key": "api-key-1", "base_version": 0})
    assert response.status_code == 201
    marks = {(m.aspect_id, str(m.value.normalize())) for m in db.session.scalars(db.select(Mark))}
    assert marks == {("B1.1", "2"), ("B1.2", "1.5")}
    assert all(m.revisions[0].ip == "127.0.0.1" for m in db.session.scalars(db.select(Mark)))


def test_conflict_of_interest_is_refused_with_a_clear_message(app, client, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    sign_in(client, "conflicted")
    response = client.post("/api/v1/marks", json={"competitor_id": t1.id, "aspect": "B1.1", "value": 2,
                                                  "idempotency_key": "conflict-1", "base_version": 0})
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["field"] == "competitor" and error["code"] == "conflict_of_interest" and "own organisation" in error["message"]
    # Allowed when the skill permits compatriot marking.
    setup["skill"].allow_compatriot_marking = True
    db.session.commit()
    response = client.post("/api/v1/marks", json={"competitor_id": t1.id, "aspect": "B1.1", "value": 2,
                                                  "idempotency_key": "conflict-2", "base_version": 0})
    assert response.status_code == 201
