"""Bad input gets a clear 4xx — JSON ``{"error": {...}}`` for API clients, a styled page with the
site's navigation for people — never a 500, and nothing stored changes."""

from __future__ import annotations

import pytest

from tests.judging import judging_event, sign_in, stored_state

HUGE_IDS = [2**63, 2**64, 10**30]
ERROR_KEYS = {"field", "message", "code", "retry"}


@pytest.fixture
def setup(app, tmp_path):
    return judging_event(tmp_path)


def _error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    error = response.get_json()["error"]
    assert ERROR_KEYS <= set(error), error
    if field is not None:
        assert error["field"] == field, error
    return error


@pytest.mark.parametrize("ident", HUGE_IDS)
@pytest.mark.parametrize("url", ["/api/v1/marks", "/api/v1/presence", "/api/v1/sign-offs"])
def test_ids_beyond_what_the_database_holds_are_not_found(client, setup, url, ident):
    sign_in(client, "judge1")
    before = stored_state()
    body = {"competitor_id": ident, "aspect": "B1.1", "value": 2, "idempotency_key": "huge-id-0001", "base_version": 0,
            "device_id": "d"}
    error = _error(client.post(url, json=body), 404, "competitor_id")
    assert error["code"] == "unknown_competitor" and str(ident)[:10] in error["message"]
    assert stored_state() == before


@pytest.mark.parametrize("ident", ["7", 1.5, True, None, [1]])
def test_an_id_that_is_not_a_whole_number_is_a_400(client, setup, ident):
    sign_in(client, "judge1")
    body = {"competitor_id": ident, "aspect": "B1.1", "value": 2, "idempotency_key": "bad-id-0001", "base_version": 0}
    assert "whole number" in _error(client.post("/api/v1/marks", json=body), 400, "competitor_id")["message"]


def test_a_huge_base_version_is_refused_by_name(client, setup):
    sign_in(client, "judge1")
    t1 = setup["skill"].competitors[0]
    body = {"competitor_id": t1.id, "aspect": "B1.1", "value": 2, "idempotency_key": "huge-base-01", "base_version": 2**70}
    _error(client.post("/api/v1/marks", json=body), 400, "base_version")


@pytest.mark.parametrize("url", ["/api/v1/marks", "/api/v1/presence", "/api/v1/sign-offs"])
def test_deeply_nested_json_is_a_400(client, setup, url):
    sign_in(client, "judge1")
    before = stored_state()
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post(url, data=nested, content_type="application/json")
    assert "nested too deeply" in _error(response, 400, "body")["message"]
    assert stored_state() == before


def test_json_that_is_not_an_object_is_a_400(client, setup):
    sign_in(client, "judge1")
    _error(client.post("/api/v1/marks", data="[1, 2]", content_type="application/json"), 400, "body")
    _error(client.post("/api/v1/marks", data="{not json", content_type="application/json"), 400, "body")


@pytest.mark.parametrize("base", ["²", "9" * 5000, "-1", "1e3"])
def test_a_bad_version_in_the_marking_form_is_a_form_message(client, setup, base):
    sign_in(client, "judge1")
    before = stored_state()
    response = client.post("/judge/test/tiny/T-02/B", data={"a_B1_1": "2", "a_B1_1_base": base, "a_B1_1_key": "form-key-0001"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "reload the page" in page and 'class="topbar"' in page
    assert stored_state() == before


def test_certificate_routes_with_huge_ids_are_not_found(client, setup):
    sign_in(client, "organiser")
    for path in ("/certificates/batches/9223372036854775808", "/certificates/batches/9223372036854775808/status",
                 "/certificates/batches/99999999999999999999999/download"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert 'class="topbar"' in response.get_data(as_text=True)
    response = client.post("/certificates/test/print", data={"competitor": str(2**63)})
    assert response.status_code == 404
    response = client.post("/certificates/test/print", data={"competitor": str(2**63)}, headers={"Accept": "application/json"})
    _error(response, 404, "competitor")


@pytest.mark.parametrize(("method", "path", "status", "title"), [
    ("GET", "/no-such-page", 404, "Not found"),
    ("POST", "/", 405, "Not possible here"),
    ("GET", "/chief/test/tiny/", 403, "Not allowed"),
    ("GET", "/judge/test/nope/", 404, "Not found"),
    ("GET", "/board/no-such-event", 404, "Not found"),
])
def test_error_pages_are_styled_with_the_site_navigation(client, setup, method, path, status, title):
    sign_in(client, "judge1")
    response = client.open(path, method=method)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert title in page and 'class="topbar"' in page and 'href="/"' in page and "css/podium.css" in page


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/v1/nope", 404, "not_found"),
    ("DELETE", "/api/v1/marks", 405, "method_not_allowed"),
    ("GET", "/api/v1/events/test/skills/nope/standings", 404, "unknown_skill"),
    ("GET", "/api/v1/events/nope/skills/tiny/standings", 404, "unknown_event"),
])
def test_api_errors_share_one_shape(client, setup, method, path, status, code):
    sign_in(client, "judge1")
    assert _error(client.open(path, method=method), status)["code"] == code


def test_every_judging_refusal_has_the_same_shape(client, setup):
    t1, t2 = setup["skill"].competitors[:2]
    body = {"competitor_id": t2.id, "aspect": "B1.1", "value": 2, "idempotency_key": "shape-0001", "base_version": 0}
    _error(client.post("/api/v1/marks", json=body), 401, "authorization")
    sign_in(client, "conflicted")
    _error(client.post("/api/v1/marks", json={**body, "competitor_id": t1.id}), 403, "competitor")
    sign_in(client, "judge1")
    _error(client.post("/api/v1/marks", json={**body, "value": 7}), 422, "value")
    _error(client.post("/api/v1/marks", json={**body, "aspect": "Z9"}), 404, "aspect")
    _error(client.post("/api/v1/sign-offs", json={"competitor_id": t2.id}), 409, "competitor")
    assert client.post("/api/v1/marks", json=body).status_code == 201
    error = _error(client.post("/api/v1/marks", json={**body, "idempotency_key": "shape-0002"}), 409, "base_version")
    assert error["current"] == {"value": "2", "version": 1}


def test_a_body_over_the_limit_is_a_413(app, client, setup):
    sign_in(client, "judge1")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    big = {"competitor_id": 1, "aspect": "B1.1", "value": "1" * 4096, "idempotency_key": "big-0001"}
    _error(client.post("/api/v1/marks", json=big), 413)
    response = client.post("/judge/test/tiny/T-02/B", data={"a_B1_1": "2" * 4096})
    assert response.status_code == 413 and 'class="topbar"' in response.get_data(as_text=True)
