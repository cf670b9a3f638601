"""Permission matrix: every marking route and API endpoint x every role, with the exact answer.

Refused: anonymous API requests get 401, anonymous page requests a redirect to the sign-in page
(GET, with ``next``) or 401 (POST), signed-in people without the right 403 — and nothing stored
changes. Allowed roles get the route's own answer (200, 201, or a redirect to where it leads).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from competition.extensions import db
from competition.models import Mark
from tests.factories import mark, mark_panel
from tests.judging import judging_event, sign_in, stored_state

ROLES = ("anonymous", "judge", "other_judge", "conflicted", "chief", "organiser")
USERNAME = {"judge": "judge1", "other_judge": "outsider", "conflicted": "conflicted", "chief": "chief", "organiser": "organiser"}
REFUSED = (401, 403)


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    url: str
    body: str | None
    answers: tuple[int, ...]  # the status each role gets, in the order of ROLES
    to: str | None = None  # where an allowed 302/303 leads (an anonymous 302 leads to the sign-in page)
    writes: frozenset[str] = frozenset()  # the roles whose request stores something
    given: str | None = None  # the state the route needs: "flagged", "locked" or "marked" (see _given)


def route(name, method, url, body, answers, to=None, writes=(), given=None) -> Route:
    return Route(name, method, url, body, answers, to, frozenset(writes), given)


CHIEF_COMPETITOR = "/chief/test/tiny/T-01"
ROUTES = [
    #                                                                      anon judge other confl chief organiser
    route("judge list", "GET", "/judge/test/tiny/", None,                  (302, 200, 403, 200, 200, 403)),
    route("judge form", "GET", "/judge/test/tiny/T-01/B", None,            (302, 200, 403, 403, 200, 403)),
    route("judge form redirect", "GET", "/judge/test/tiny/T-01/", None,    (302, 302, 403, 403, 302, 403),
          to="/judge/test/tiny/T-01/A"),
    route("judge form post", "POST", "/judge/test/tiny/T-01/B", "form",    (401, 302, 403, 403, 302, 403),
          to="/judge/test/tiny/T-01/B", writes={"judge", "chief"}),
    # The chief expert may open the marking pages but is not on the signing panel: the sign-off
    # is refused by the service, with a flash and a 303 back (the API answers 409).
    route("judge sign-off", "POST", "/judge/test/tiny/T-01/sign-off", "empty", (401, 302, 403, 403, 303, 403),
          to="/judge/test/tiny/", writes={"judge"}, given="marked"),
    route("chief overview", "GET", "/chief/test/tiny/", None,              (302, 403, 403, 403, 200, 200)),
    route("chief competitor", "GET", CHIEF_COMPETITOR, None,               (302, 403, 403, 403, 200, 200)),
    route("chief window", "POST", "/chief/test/tiny/marking", "window",    (401, 403, 403, 403, 303, 403),
          to="/chief/test/tiny/", writes={"chief"}),
    route("chief override", "POST", CHIEF_COMPETITOR + "/override", "override", (401, 403, 403, 403, 303, 403),
          to=CHIEF_COMPETITOR, writes={"chief"}, given="flagged"),
    route("chief discussion", "POST", CHIEF_COMPETITOR + "/discussion", "discussion", (401, 403, 403, 403, 303, 403),
          to=CHIEF_COMPETITOR, writes={"chief"}, given="flagged"),
    route("chief unlock", "POST", CHIEF_COMPETITOR + "/unlock", "unlock", (401, 403, 403, 403, 303, 403),
          to=CHIEF_COMPETITOR, writes={"chief"}, given="locked"),
    route("api mark", "POST", "/api/v1/marks", "mark",                     (401, 201, 403, 403, 201, 403),
          writes={"judge", "chief"}),
    route("api form state", "GET", "/api/v1/events/test/skills/tiny/competitors/T-01/form", None,
          (401, 200, 403, 403, 200, 403)),
    route("api presence", "POST", "/api/v1/presence", "presence",          (401, 200, 403, 403, 200, 403),
          writes={"judge", "chief"}),
    route("api sign-off", "POST", "/api/v1/sign-offs", "sign_off",         (401, 201, 403, 403, 409, 403),
          writes={"judge"}, given="marked"),
]

# The error code an API request is refused with.
API_REFUSAL = {"anonymous": "unauthenticated", "other_judge": "not_assigned", "conflicted": "conflict_of_interest",
               "organiser": "not_assigned"}


def _given(state: str, setup: dict) -> None:
    t1 = setup["skill"].competitors[0]
    if state == "flagged":  # the panel disagrees on B1.1, so the chief has something to decide
        mark_panel(setup["judges"], t1, "B1.1", [1, 3, 1])
    elif state == "locked":
        from competition.services.locking import lock_competitor

        lock_competitor(t1)
        db.session.commit()
    elif state == "marked":  # judge1 has marked all of T-01, so judge1 may sign it off
        for aspect, value in (("A1.1", 1), ("A1.2", 0), ("B1.1", 2), ("B1.2", 3)):
            mark(setup["judges"][0], t1, aspect, value)


def _request(client, method, url, kind, ids):
    if method == "GET":
        return client.get(url)
    data = {
        "form": {"a_B1_1": "2", "a_B1_1_base": "0", "a_B1_1_key": str(uuid.uuid4())},
        "empty": {},
        "window": {"kind": "skill", "key": "", "open": "0", "confirmed": "1"},  # from the confirmation page
        "override": {"aspect": "B1.1", "reason": "the panel looked again and agreed"},
        "discussion": {"aspect": "B1.1", "open": "1"},
        "unlock": {"reason": "a mark was entered against the wrong competitor", "confirmed": "1"},
    }
    if kind in data:
        return client.post(url, data=data[kind])
    mark_body = {"competitor_id": ids["t1"], "aspect": "B1.1", "value": 2, "idempotency_key": str(uuid.uuid4()), "base_version": 0}
    json = {"mark": mark_body, "presence": {"competitor_id": ids["t1"], "device_id": "dev-1"},
            "sign_off": {"competitor_id": ids["t1"]}}[kind]
    return client.post(url, json=json)


def test_every_role_has_an_answer_for_every_route():
    assert all(len(r.answers) == len(ROLES) for r in ROUTES)
    assert len({r.name for r in ROUTES}) == len(ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_permission_matrix(app, tmp_path, route):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    if route.given:
        _given(route.given, setup)
    api = route.url.startswith("/api/")
    expected = dict(zip(ROLES, route.answers))

    # Refused roles first: they must change nothing, so the allowed ones start from the same state.
    for role in sorted(ROLES, key=lambda r: not _refused(r, expected[r])):
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, USERNAME[role])
        before = stored_state(t1)
        response = _request(client, route.method, route.url, route.body, {"t1": t1.id})
        what = f"{route.name}, {role}"
        assert response.status_code == expected[role], f"{what}: got {response.status_code}, not {expected[role]}"
        if _refused(role, expected[role]):
            if api:
                assert response.get_json()["error"]["code"] == API_REFUSAL[role], what
                assert response.get_json()["error"]["message"], what
            elif response.status_code == 302:
                assert response.location == f"/sign-in?next={route.url}", what
            else:
                assert response.mimetype == "text/html", what
            assert stored_state(t1) == before, f"{what}: a refused request changed something"
            continue
        if response.status_code in (302, 303):
            assert response.location == route.to, what
        changed = stored_state(t1) != before
        assert changed == (role in route.writes), f"{what}: {'stored' if changed else 'did not store'} something"


def _refused(role: str, status: int) -> bool:
    """401 and 403, and the anonymous visitor's redirect to the sign-in page."""
    return status in REFUSED or (role == "anonymous" and status == 302)


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
