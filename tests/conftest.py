"""Fixtures: the app built by the factory on a fresh database, per test.

Every web and service test runs on SQLite and, when PODIUM_TEST_POSTGRES_URL is set (CI
sets it), on PostgreSQL too. A server a test needs but cannot reach makes the test skip with
the reason, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from competition import create_app

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = ROOT / "scoring_schemes"
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message: str):
    """A test needs something this machine lacks: skip with the reason, but fail in CI, which installs it."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def need_server(name: str, env: str) -> str:
    """The URL of a server from ``env``; skip loudly (fail in CI) when it is not set."""
    url = os.environ.get(env)
    if not url:
        unavailable(f"{name} is not available: set {env} (`source .ci/services.sh` starts one)")
    return url


def backends():
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@pytest.fixture(params=backends())
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return need_server("PostgreSQL", "PODIUM_TEST_POSTGRES_URL")


@pytest.fixture
def app(database_url, tmp_path):
    from competition.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": None,
            "WTF_CSRF_ENABLED": False,
            "SCHEMES_DIR": str(SCHEMES),
            "CERTIFICATE_DIR": str(tmp_path / "certificates"),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo_event(app):
    from competition.demo import build_demo

    return build_demo(SCHEMES)


def D(value) -> Decimal:
    return Decimal(str(value))
