"""The ``podium`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import ScriptInfo
from flask_migrate.cli import db as migrate_commands


def _app(**config):
    from competition import create_app

    return create_app(config or None)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Podium: judging and scoring for skills competitions."""
    # Flask-Migrate's `db` commands (with_appcontext) load the app from this, as `flask` would.
    ctx.obj = ScriptInfo(create_app=_app, set_debug_flag=False)


main.add_command(migrate_commands, "db")


from competition.cli_certificates import certificates  # noqa: E402

main.add_command(certificates)


@main.command("check-scheme")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_scheme(files: tuple[str, ...]) -> None:
    """Validate marking-scheme files: a summary line each, or every problem as FILE:LINE: field: problem.

    A scheme that declares its languages (languages = ["en", "zh"]) must give every text in
    each of them: each missing language is a problem here (loading the scheme into a skill
    only warns)."""
    from competition.scoring.numbers import plain
    from competition.scoring.schemes import SchemeError, load_scheme

    failed = False
    for name in files:
        try:
            scheme = load_scheme(name, strict_languages=True)
        except SchemeError as err:
            failed = True
            for problem in err.problems:
                click.echo(str(problem), err=True)
            continue
        except OSError as err:
            failed = True
            click.echo(f"{name}:0: file: cannot be read ({err.strerror})", err=True)
            continue
        judgement = sum(1 for a in scheme.aspects if a.is_judgement)
        weights = ", ".join(f"{m.id} {plain(m.weight * 100)} %" for m in scheme.modules if m.weight is not None)
        modules = f", {len(scheme.modules)} modules" + (f" weighted {weights}" if scheme.weighted else "")
        # A weighted scheme's result is out of its weighted total; the raw marks add up to max_mark.
        total = (f"result out of {plain(scheme.total_max)} (raw marks out of {plain(scheme.max_mark)})" if scheme.weighted
                 else f"total {scheme.max_mark}")
        click.echo(
            f"{name}: ok: {scheme.code} '{scheme.name}' v{scheme.version}: {len(scheme.criteria)} criteria, "
            f"{len(scheme.aspects)} aspects ({judgement} judgement, {len(scheme.aspects) - judgement} measurement), "
            f"{total}, panel {scheme.panel_size}, rule {scheme.rule.name}"
            + (modules if scheme.modules else "")
            + (f", languages {' and '.join(scheme.languages)}" if scheme.languages else "")
        )
    sys.exit(1 if failed else 0)


@main.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema through the migrations (idempotent)."""
    app = _app()
    revision = _upgrade(app)
    with app.app_context():
        from competition.extensions import db

        url = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"database ready: {url} (schema revision {revision})")


def _upgrade(app) -> str | None:
    """Upgrade the app's database to the newest revision (adopting one an older Podium made)."""
    from competition.schema import SchemaError, upgrade_database

    try:
        return upgrade_database(app, say=click.echo)
    except SchemaError as err:
        raise click.ClickException(str(err)) from err


def settle_heap() -> None:
    """Before a long-running process starts serving: collect start-up garbage once, then move
    what is left (modules, the app, mappers: it lives as long as the process) out of the
    collector's way. Full collections then scan only what requests create, so they no longer
    pause a busy board server for tens of milliseconds while it fans out a message."""
    import gc

    gc.collect()
    gc.freeze()


def _serve(app, host: str, port: int) -> None:
    """Serve ``app`` until interrupted: gevent's WSGI server (competition.server) for an app in
    async mode gevent, Werkzeug's development server for one in threading mode (``--dev``)."""
    from competition.extensions import socketio
    from competition.services.job_worker import start_worker

    start_worker(app)  # background jobs: this process's worker (PODIUM_WORKER=0: none)
    settle_heap()
    if app.config.get("SOCKETIO_ASYNC_MODE") == "gevent":
        from competition.server import make_server

        server = make_server(app, host, port)
        s = server.settings
        click.echo(f"Serving on http://{host}:{port}/ (gevent; up to {s.max_connections} connections, "
                   f"header timeout {s.header_timeout:g} s, keep-alive {s.keepalive_timeout:g} s)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.stop(timeout=1)
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def _patch_for_gevent() -> None:
    """gevent's monkey-patching, when the `podium` launcher did not already do it first thing
    (``python -m competition.cli serve``): the Redis listener, psycopg and the mailbox of every
    socket must yield to the other greenlets."""
    from gevent import monkey

    if not monkey.is_module_patched("socket"):
        monkey.patch_all()


_dev_option = click.option(
    "--dev", is_flag=True,
    help="Werkzeug's development server (threads) instead of the production server; for a person at a desk, never the hall.",
)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@_dev_option
def serve(host: str, port: int, dev: bool) -> None:
    """Serve the app (HTTP and Socket.IO) with gevent's WSGI server: one process, a greenlet per
    connection. Settings: PODIUM_HEADER_TIMEOUT (20 s), PODIUM_KEEPALIVE_TIMEOUT (30 s),
    PODIUM_MAX_CONNECTIONS (4000)."""
    if not dev:
        _patch_for_gevent()
    _serve(_app(SOCKETIO_ASYNC_MODE="threading" if dev else "gevent"), host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Empty the database (every table), then build the demo again.")
@click.option("--no-serve", is_flag=True, help="Only build the demo database.")
@_dev_option
def demo(host: str, port: int, reset: bool, no_serve: bool, dev: bool) -> None:
    """Create (or reuse) the demo event in the database, print the logins, and serve it."""
    from competition.demo import build_demo, demo_exists, demo_logins
    from competition.schema import empty_database
    from competition.services.effects import transaction

    if not (no_serve or dev):
        _patch_for_gevent()
    app = _app(SOCKETIO_ASYNC_MODE="threading" if dev or no_serve else "gevent")
    if reset:
        empty_database(app)
    _upgrade(app)
    with app.app_context():
        if demo_exists():
            click.echo("Reusing the demo event already in the database (use --reset to start again).")
        else:
            click.echo("Building the demo event…")
            with transaction():
                build_demo(Path(app.config["SCHEMES_DIR"]))
        click.echo(f"\nPodium demo at http://{host}:{port}/\n\nSign in as:")
        for username, password, what in demo_logins():
            click.echo(f"  {username:<12} password {password:<12} {what}")
        click.echo("")
    if not no_serve:
        _serve(app, host, port)


from competition.cli_tokens import token  # noqa: E402  (judging: personal API tokens)

main.add_command(token)


if __name__ == "__main__":
    main()


# Setting up and running an event: one module per area in competition.commands.
COMMAND_AREAS: list[str] = ["jobs", "setup", "imports", "draw", "exports", "backup", "people", "certificate_keys"]


def _add_areas() -> None:
    from importlib import import_module

    for area in COMMAND_AREAS:
        for command in import_module(f"competition.commands.{area}").COMMANDS:
            main.add_command(command)


_add_areas()
