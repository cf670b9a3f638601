"""The database schema, kept by the migrations in ``competition/migrations`` (Alembic, through
Flask-Migrate): bring a database to the newest revision, or empty it.

A database made by an older Podium, with ``create_all`` and no migrations, has Podium's tables
but no ``alembic_version`` table. It is never recreated: it is recognised (every table of the
initial revision present), marked as being at that revision ("stamped") and upgraded from
there. Its constraints, which ``create_all`` left unnamed, are first given the naming
convention's names (``pk_mark``, ``fk_mark_judge_id_user``…), exactly as the migrations name
them, so that later migrations find them by name: PostgreSQL renames its own defaults
(``mark_pkey``, ``mark_judge_id_fkey``…); SQLite, which cannot rename a constraint, has each
table rebuilt with the names (Alembic's batch mode: copy, drop, rename; the data is kept).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask import Flask
from flask_migrate import stamp, upgrade

from competition.extensions import NAMING_CONVENTION, db

INITIAL_REVISION = "0001"

# The tables create_all made before Podium had migrations; revision 0001 creates exactly these.
INITIAL_TABLES = frozenset({
    "api_token", "aspect_discussion", "audit_entry", "board_state", "certificate", "certificate_batch",
    "certificate_batch_part", "certificate_settings", "competitor", "event", "form_presence", "mark",
    "mark_revision", "marking_window", "sign_off", "skill", "skill_role", "user", "variance_override",
})


class SchemaError(Exception):
    """The database cannot be brought to the newest schema without a person deciding."""


def current_revision(app: Flask) -> str | None:
    """The revision the app's database is at (None: no migration history)."""
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(app: Flask, say: Callable[[str], object] = print) -> str | None:
    """Bring the app's database to the newest revision and return it; ``say`` tells a person
    when an unversioned database from an older Podium is adopted."""
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        if tables and "alembic_version" not in tables:
            missing = INITIAL_TABLES - tables
            if missing:
                raise SchemaError(
                    f"the database has tables ({', '.join(sorted(tables)[:5])}…) but no migration history, and not Podium's "
                    f"(missing: {', '.join(sorted(missing))}); nothing was changed: use an empty database"
                )
            say(
                f"The database has Podium's tables but no migration history (made by an older Podium with create_all): "
                f"keeping its data, marking it as revision {INITIAL_REVISION} and upgrading from there."
            )
            with db.engine.begin() as connection:
                _name_constraints_by_convention(connection)
            stamp(revision=INITIAL_REVISION)
        upgrade()
    return current_revision(app)


def empty_database(app: Flask) -> None:
    """Drop every table in the app's database, the migration history included (``demo --reset``)."""
    with app.app_context():
        existing = sa.MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        db.engine.dispose()


def _name_constraints_by_convention(connection: sa.Connection) -> None:
    """Give the constraints of Podium's tables the names the models' naming convention gives them."""
    if connection.dialect.name == "sqlite":
        operations = Operations(MigrationContext.configure(connection))
        for name in sorted(INITIAL_TABLES):
            with operations.batch_alter_table(name, recreate="always", naming_convention=NAMING_CONVENTION):
                pass
        return
    # PostgreSQL: rename each primary key, unique and foreign key constraint, matched by its columns.
    inspector = sa.inspect(connection)
    preparer = connection.dialect.identifier_preparer
    for table in db.metadata.sorted_tables:
        if table.name not in INITIAL_TABLES:
            continue
        wanted = {}
        for constraint in table.constraints:
            columns = tuple(c.name for c in constraint.columns)
            if isinstance(constraint, sa.PrimaryKeyConstraint):
                wanted["pk"] = constraint.name
            elif isinstance(constraint, sa.UniqueConstraint):
                wanted["uq", frozenset(columns)] = constraint.name
            elif isinstance(constraint, sa.ForeignKeyConstraint):
                wanted["fk", columns, constraint.referred_table.name] = constraint.name
        found = {"pk": inspector.get_pk_constraint(table.name)["name"]}
        for unique in inspector.get_unique_constraints(table.name):
            found["uq", frozenset(unique["column_names"])] = unique["name"]
        for key in inspector.get_foreign_keys(table.name):
            found["fk", tuple(key["constrained_columns"]), key["referred_table"]] = key["name"]
        for signature, name in found.items():
            new = wanted.get(signature)
            if name and new and name != new:
                connection.execute(sa.text(
                    f"ALTER TABLE {preparer.quote(table.name)} RENAME CONSTRAINT {preparer.quote(name)} TO {preparer.quote(str(new))}"
                ))
