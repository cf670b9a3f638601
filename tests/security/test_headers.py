"""Item 14: security headers on every answer (pages, errors, static files, the service worker,
the JSON API), no inline script for the policy to forbid, and proxy headers believed only from
the proxies the deployment says it has."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from competition import create_app
from competition.models import MarkRevision
from tests.conftest import ROOT, SCHEMES, IsolatedClient
from tests.judging import judging_event, sign_in

URLS = ["/sign-in", "/", "/no-such-page", "/static/css/podium.css", "/static/js/i18n.js", "/sw.js", "/api/v1/no-such-thing",
        "/judge/test/tiny/"]


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("url", URLS)
def test_every_answer_carries_the_security_headers(app, client, url):
    response = client.get(url)
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"] + policy["script-src"] + policy.get("style-src-elem", [])
    assert all(source.endswith("//localhost") or source == "'self'" for source in policy["connect-src"])  # Socket.IO: this host only
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_error_answers_and_refused_posts_carry_them_too(app, client):
    for response in (client.post("/sign-in/link/nothing"), client.put("/sign-in"), client.post("/api/v1/marks", data="not json")):
        assert response.status_code >= 400
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_sign_in_link_page_keeps_its_own_referrer_policy(app, client, tmp_path):
    from competition.services.accounts import issue_sign_in_link
    from competition.services.effects import commit

    setup = judging_event(tmp_path)
    _, token = issue_sign_in_link(setup["judges"][0], by=None)
    commit()
    response = client.get(f"/sign-in/link/{token}")
    assert response.status_code == 200 and response.headers["Referrer-Policy"] == "no-referrer"


def test_templates_have_no_inline_script_or_event_handler():
    """The policy forbids inline script: none may creep back into a template or a script."""
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, f"{path}: inline script {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{path}: an on…= event handler attribute"
        assert "javascript:" not in text, path
        assert "<style" not in text, f"{path}: a <style> element (style-src-elem 'self')"
    for path in (ROOT / "static" / "js").rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*[\"']", text), f"{path}: code from a string"


def proxied_app(app, proxies: int):
    other = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "REDIS_URL": None, "WTF_CSRF_ENABLED": False, "SCHEMES_DIR": str(SCHEMES), "RATELIMIT_ENABLED": False,
                        "PODIUM_TRUSTED_PROXIES": proxies})
    other.test_client_class = IsolatedClient
    return other


def recorded_address(app, competitor, key: str, forwarded_for: str) -> str:
    client = app.test_client()
    sign_in(client, "judge1")
    response = client.post("/api/v1/marks", json={"competitor_id": competitor.id, "aspect": "B1.1", "value": 2, "idempotency_key": key,
                                                   "base_version": None}, headers={"X-Forwarded-For": forwarded_for})
    assert response.status_code in (200, 201), response.get_json()
    revision = app.extensions["sqlalchemy"].session.scalar(select(MarkRevision).where(MarkRevision.idempotency_key == key))
    return revision.ip


def test_a_revision_records_the_tablets_address_behind_the_configured_proxy(app, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    # nginx appends the address it saw to whatever the client sent: only the last one is believed.
    assert recorded_address(proxied_app(app, 1), t1, "proxy-1", "10.9.9.9, 198.51.100.7") == "198.51.100.7"


def test_forwarded_addresses_are_ignored_without_the_setting(app, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    assert recorded_address(proxied_app(app, 0), t1, "proxy-0", "198.51.100.7") == "127.0.0.1"


def test_the_setting_comes_from_the_environment(monkeypatch):
    from competition import config

    monkeypatch.setenv("PODIUM_TRUSTED_PROXIES", "1")
    assert config.from_environment()["PODIUM_TRUSTED_PROXIES"] == 1
    monkeypatch.delenv("PODIUM_TRUSTED_PROXIES")
    assert config.from_environment()["PODIUM_TRUSTED_PROXIES"] == 0


def test_the_deployment_section_shows_the_proxy_headers():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in readme and "PODIUM_TRUSTED_PROXIES=1" in readme
