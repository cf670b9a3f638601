"""The application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from competition import config as settings
from competition.extensions import babel, csrf, db, login, migrate, socketio
from competition.shipped import shipped_folder

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def _private_database(database: str) -> None:
    """Create the SQLite file empty (a valid database) readable by its owner only, before SQLite
    would create it with the umask's mode; its journal and WAL files take the same mode."""
    if not database or database.startswith((":memory:", "file:")) or "?" in database:
        return
    settings.private_file(Path(database))


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(shipped_folder("templates")),
        static_folder=str(shipped_folder("static")),
        instance_path=str(settings.INSTANCE),
    )
    app.config.update(settings.from_environment())
    if config:
        app.config.update(config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        _private_database(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    from competition.services.certificate_keys import ensure_keys

    ensure_keys(app)

    db.init_app(app)
    # The schema's history (`podium db ...`); batch mode, so a change to a table works on SQLite too.
    migrate.init_app(app, db, directory=str(MIGRATIONS), compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    from competition.web import language

    babel.init_app(app, locale_selector=language.select_locale, default_translation_directories=str(TRANSLATIONS),
                   default_domain="messages")
    login.init_app(app)
    login.login_view = "auth.sign_in"
    # init_app keeps the previous app's options: drop its Redis queue, or an app built after one
    # with REDIS_URL (tests, several apps in one process) would silently use that queue too.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        message_queue=app.config.get("REDIS_URL"),
        channel=app.config.get("SOCKETIO_CHANNEL", "podium"),  # one Redis channel per deployment
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS", None),
    )

    from competition import realtime
    from competition.web import boundary, errors, headers, register_blueprints, sessions, throttling

    realtime.init_app(app)
    sessions.init_app(app)
    register_blueprints(app)
    throttling.init_app(app)
    language.init_app(app)
    boundary.init_app(app)
    errors.init_app(app)
    headers.init_app(app)  # last: its proxy fix wraps Socket.IO's middleware too
    return app
