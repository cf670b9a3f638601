"""Alembic's environment for Podium: the engine and metadata of the app in context.

Run through Flask-Migrate (``podium db ...``, or ``competition.schema.upgrade_database``), so
the database is the app's ``SQLALCHEMY_DATABASE_URI``, SQLite or PostgreSQL (psycopg 3,
``postgresql+psycopg://``) alike, and the options (``compare_type``, ``render_as_batch`` for
SQLite's table rebuilds) are the ones the factory gave ``Migrate``.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config

# The `podium db` commands log what they do; inside a process that configured logging itself
# (the server, the tests) its configuration stays as it is.
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_config = current_app.extensions["migrate"]
target_metadata = migrate_config.db.metadata


def run_migrations_offline() -> None:
    """``podium db upgrade --sql``: print the SQL instead of running it."""
    url = migrate_config.db.engine.url.render_as_string(hide_password=False)
    options = {k: v for k, v in migrate_config.configure_args.items() if k != "process_revision_directives"}
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_revision(context, revision, directives):
        """``podium db migrate`` with no change in the models writes no empty revision."""
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = dict(migrate_config.configure_args)
    options.setdefault("process_revision_directives", skip_empty_revision)
    with migrate_config.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
