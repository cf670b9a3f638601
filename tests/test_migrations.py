"""The migrations are the schema: upgraded from nothing they give exactly the models' tables.

The per-test fixtures build their tables with create_all (fast); these tests are what keeps the
two in agreement, on SQLite and on PostgreSQL. A model change without its migration fails here.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from competition import create_app
from competition.app import MIGRATIONS
from tests.conftest import ROOT, SCHEMES

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


@pytest.fixture
def bare_app(database_url, tmp_path):
    """The app on an empty database: no tables at all, not even alembic_version."""
    from competition.extensions import db
    from competition.schema import empty_database

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None,
                      "SCHEMES_DIR": str(SCHEMES), "CERTIFICATE_DIR": str(tmp_path / "certificates")})
    empty_database(app)
    yield app
    empty_database(app)
    with app.app_context():
        db.engine.dispose()


def differences(app) -> list:
    """What autogenerate would write to bring the database to the models (types compared too)."""
    from competition.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def tables(app) -> set[str]:
    from competition.extensions import db

    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_from_empty_gives_exactly_the_models_schema(bare_app):
    from competition.extensions import db
    from competition.schema import current_revision, upgrade_database

    assert tables(bare_app) == set()
    assert upgrade_database(bare_app) == HEAD
    assert differences(bare_app) == []
    assert tables(bare_app) == set(db.metadata.tables) | {"alembic_version"}
    with bare_app.app_context(), db.engine.connect() as connection:  # the naming convention, as the migrations name things
        inspector = sa.inspect(connection)
        assert inspector.get_pk_constraint("mark")["name"] == "pk_mark"
        assert {k["name"] for k in inspector.get_foreign_keys("mark")} >= {"fk_mark_judge_id_user", "fk_mark_skill_id_skill"}
    assert current_revision(bare_app) == HEAD


def test_downgrade_to_base_then_upgrade_again(bare_app):
    from flask_migrate import downgrade

    from competition.schema import current_revision, upgrade_database

    upgrade_database(bare_app)
    with bare_app.app_context():
        downgrade(revision="base")
    assert tables(bare_app) == {"alembic_version"}
    assert current_revision(bare_app) is None
    assert upgrade_database(bare_app) == HEAD
    assert differences(bare_app) == []


# Columns the migrations after 0001 add: an older Podium's create_all did not make them.
ADDED_AFTER_0001 = [
    ("user", "language"), ("certificate", "member_position"), ("certificate", "team_name"),
    ("competitor", "external_id"), ("competitor", "entry_number"), ("competitor", "workstation"),
    ("competitor", "encrypted_code"), ("event", "public_url"), ("event", "archived_at"),
    ("skill", "panel_size"), ("skill", "award_rule"), ("skill", "variance_tolerance"), ("skill", "encrypted"),
    ("skill", "results_locked_at"), ("skill", "results_published_at"), ("user", "external_id"), ("mark", "board_version"),
    ("board_state", "started_at"), ("user", "session_generation"),
]


def legacy_create_all(app) -> None:
    """The database as an older Podium made it: create_all, no migration history, the columns
    of later migrations missing, and constraints named by the server (no naming convention then)."""
    from competition.extensions import db
    from competition.schema import INITIAL_TABLES

    legacy = sa.MetaData()
    for table in db.metadata.sorted_tables:
        if table.name in INITIAL_TABLES:
            table.to_metadata(legacy)
    for name, column_name in ADDED_AFTER_0001:  # the models have moved on since then
        table = legacy.tables[name]
        column = table.c[column_name]
        for constraint in [c for c in table.constraints if column_name in getattr(c, "columns", {}).keys()]:
            table.constraints.discard(constraint)
        for index in [i for i in table.indexes if column_name in i.columns.keys()]:
            table.indexes.discard(index)
        table._columns.remove(column)
    for table in legacy.tables.values():
        for constraint in table.constraints:
            if not isinstance(constraint, sa.CheckConstraint):
                constraint.name = None
    with app.app_context():
        legacy.create_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO event (code, name, place, language) VALUES ('old', 'Old event', 'Hall 1', 'en')"))


def test_a_database_made_by_create_all_is_stamped_and_upgraded_not_recreated(bare_app):
    from competition.extensions import db
    from competition.schema import INITIAL_REVISION, upgrade_database

    legacy_create_all(bare_app)
    said = []
    assert upgrade_database(bare_app, say=said.append) == HEAD
    assert len(said) == 1 and "older Podium" in said[0] and f"revision {INITIAL_REVISION}" in said[0]
    with bare_app.app_context(), db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT name FROM event WHERE code = 'old'")).scalar_one() == "Old event"
        if connection.dialect.name == "postgresql":  # renamed from mark_pkey, mark_judge_id_fkey…
            inspector = sa.inspect(connection)
            assert inspector.get_pk_constraint("mark")["name"] == "pk_mark"
            assert {k["name"] for k in inspector.get_foreign_keys("mark")} == {
                "fk_mark_judge_id_user", "fk_mark_skill_id_skill", "fk_mark_competitor_id_competitor"}
            assert {u["name"] for u in inspector.get_unique_constraints("mark")} == {"uq_mark_judge_id_competitor_id_aspect_id"}
    assert differences(bare_app) == []
    said.clear()
    assert upgrade_database(bare_app, say=said.append) == HEAD and said == []  # adopted once only


def test_tables_without_history_that_are_not_podiums_are_left_alone(bare_app):
    from competition.extensions import db
    from competition.schema import SchemaError, upgrade_database

    with bare_app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE someone_elses (id INTEGER PRIMARY KEY)"))
    with pytest.raises(SchemaError, match="not Podium's"):
        upgrade_database(bare_app)
    assert tables(bare_app) == {"someone_elses"}


def podium(*args: str, cwd, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PODIUM_INSTANCE", "SECRET_KEY")}
    environment.update(PYTHONPATH=str(ROOT), **(env or {}))
    command = [sys.executable, "-c", "from competition.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def test_init_db_on_a_fresh_file_creates_the_schema_through_the_migrations(tmp_path):
    # No settings at all: the database is ./instance/podium.sqlite where the command runs.
    result = podium("init-db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "instance" / "podium.sqlite"
    assert f"database ready: sqlite:///{database} (schema revision {HEAD})" in result.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    from competition.extensions import db

    assert names == set(db.metadata.tables) | {"alembic_version"}
    again = podium("init-db", cwd=tmp_path)  # idempotent
    assert again.returncode == 0 and f"(schema revision {HEAD})" in again.stdout, again.stderr


def test_init_db_adopts_a_create_all_database_and_refuses_a_foreign_one(tmp_path):
    database = tmp_path / "old.sqlite"
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "REDIS_URL": None})
    legacy_create_all(app)
    env = {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test"}
    result = podium("init-db", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "older Podium" in result.stdout and f"(schema revision {HEAD})" in result.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT name FROM event").fetchall() == [("Old event",)]

    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    result = podium("init-db", cwd=tmp_path, env=dict(env, DATABASE_URL=f"sqlite:///{foreign}"))
    assert result.returncode == 1 and "not Podium's" in result.stderr


def test_db_commands_work_on_the_podium_command(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}", "SECRET_KEY": "test"}
    result = podium("db", "upgrade", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    result = podium("db", "current", cwd=tmp_path, env=env)
    assert result.returncode == 0 and f"{HEAD} (head)" in result.stdout, result.stderr
    result = podium("db", "check", cwd=tmp_path, env=env)  # the models need no new migration
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_reset_empties_the_database_and_upgrades_again(tmp_path):
    database = tmp_path / "demo.sqlite"
    env = {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test", "PODIUM_SCHEMES": str(SCHEMES)}
    with sqlite3.connect(database) as connection:  # a leftover the reset must remove too
        connection.execute("CREATE TABLE leftover (id INTEGER PRIMARY KEY)")
    result = podium("demo", "--reset", "--no-serve", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "Building the demo event" in result.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert connection.execute("SELECT code FROM event").fetchall() == [("podium-2026",)]
        assert not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'leftover'").fetchall()
    result = podium("demo", "--no-serve", cwd=tmp_path, env=env)
    assert result.returncode == 0 and "Reusing the demo event" in result.stdout, result.stderr
