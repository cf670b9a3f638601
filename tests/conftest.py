"""Fixtures: the app built by the factory on a fresh database, per test.

Every web and service test runs on SQLite and, when PODIUM_TEST_POSTGRES_URL is set (CI
sets it), on PostgreSQL too. A server a test needs but cannot reach makes the test skip with
the reason, except in CI (CI=true), where it fails.

The test body runs inside an app context (it sets up data and checks the database through
the services), but every request the test client makes runs as in production: in a context
of its own — its own ``g``, its own database session, committed once by the request's
boundary. Before a request, what the test set up is committed; after it, the test's session
forgets what it had loaded, so it reads what the request stored.
"""

from __future__ import annotations

import contextvars
import functools
import os
from decimal import Decimal
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

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
    return worker_database(need_server("PostgreSQL", "PODIUM_TEST_POSTGRES_URL"))


@functools.cache
def worker_database(url: str) -> str:
    """The PostgreSQL database of this pytest-xdist worker: ``podium_test_gw0`` for worker gw0,
    created on first use, so that workers running side by side never share tables. Without
    xdist, the database of ``url`` itself."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def isolated(call, *args, **kwargs):
    """Run ``call`` as a request of its own would run: the test's work committed first, then
    ``call`` in an empty context (no app context, no ``g`` of the test), then the test's session
    expired so that it reads what ``call`` stored."""
    from competition.extensions import db
    from competition.services import effects

    if has_app_context():
        effects.commit()
    try:
        return contextvars.Context().run(call, *args, **kwargs)
    finally:
        if has_app_context():
            db.session.expire_all()


class IsolatedClient(FlaskClient):
    """The test client, each request in a context of its own (see :func:`isolated`)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # a streamed body is read while the request's context lives
        return isolated(super().open, *args, **kwargs)


class IsolatedSocketClient:
    """A Socket.IO test client whose connection and events each run in a context of their own,
    as on a server: two clients never share the signed-in user through the test's ``g``."""

    def __init__(self, *args, **kwargs):
        from competition.extensions import socketio

        self._client = isolated(socketio.test_client, *args, **kwargs)

    def emit(self, *args, **kwargs):
        return isolated(self._client.emit, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


def socket_client(app, flask_test_client=None) -> IsolatedSocketClient:
    return IsolatedSocketClient(app, flask_test_client=flask_test_client)


@pytest.fixture
def app(database_url, tmp_path, request):
    """The app on a fresh database. Limits on sign-in attempts and requests are off, except in a
    test marked ``@pytest.mark.rate_limits``."""
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
            "JOB_DIR": str(tmp_path / "jobs"),
            "RATELIMIT_ENABLED": request.node.get_closest_marker("rate_limits") is not None,
            "CERTIFICATE_KEY_FILE": str(tmp_path / "certificate_keys"),
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        from competition.services.job_worker import wait_idle

        wait_idle(app)  # no job of this test still writing when its tables are dropped
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo built once per run into an SQLite file; SQLite tests start from a copy of it."""
    from competition.demo import build_demo
    from competition.extensions import db
    from competition.services.effects import transaction

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "REDIS_URL": None, "SCHEMES_DIR": str(SCHEMES)})
    with app.app_context():
        db.create_all()
        with transaction():
            build_demo(SCHEMES)
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def demo_event(app, request):
    """The demo event in the test's database: a copy of the one built for the run (the file for
    SQLite, its rows for PostgreSQL)."""
    import shutil

    from competition.demo import EVENT_CODE
    from competition.extensions import db
    from competition.services.lookup import event_by_code

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        template = request.getfixturevalue("demo_database")
        db.session.remove()
        db.engine.dispose()
        target = Path(url.removeprefix("sqlite:///"))
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, target)
        return event_by_code(EVENT_CODE)
    copy_rows(request.getfixturevalue("demo_database"))
    return event_by_code(EVENT_CODE)


def copy_rows(template: Path) -> None:
    """Copy every row of the SQLite demo into the test's (PostgreSQL) database, table by table in
    dependency order, then move each id sequence past the copied ids: the demo built once per run
    serves every backend (building it through the services takes a minute a test on PostgreSQL;
    tests/services/test_demo.py still builds it there)."""
    import sqlalchemy as sa

    from competition.extensions import db

    source = sa.create_engine(f"sqlite:///{template}")
    with source.connect() as reading, db.engine.begin() as writing:
        writing.execute(sa.text("SET TIME ZONE 'UTC'"))  # the SQLite file's times are UTC without a zone
        for table in db.metadata.sorted_tables:
            rows = [dict(row) for row in reading.execute(table.select()).mappings()]
            if rows:
                writing.execute(table.insert(), rows)
            if "id" in table.c and rows:
                writing.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                        f"(SELECT MAX(id) FROM \"{table.name}\"))"))
    source.dispose()


def D(value) -> Decimal:
    return Decimal(str(value))
