"""``podium backup`` and ``podium restore``: one event's archive, written and restored.

The archive restores into any Podium database of the same or a newer schema, an empty one
included; restoring over an event of the same code saves that event's own archive first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from competition.commands import app_context


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {number}" for name, number in counts.items() if number)


@click.command("backup")
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The archive to write (.zip).")
def backup(event_code: str, out: Path) -> None:
    """Write one event's archive: every row it owns, its people and their roles, its marks with
    their history, sign-offs, audit trail, certificates and settings."""
    from competition.services.backup import backup_event
    from competition.services.errors import ServiceError
    from competition.services.lookup import event_by_code

    with app_context():
        try:
            event = event_by_code(event_code)
        except ServiceError as err:
            click.echo(err.message, err=True)
            sys.exit(1)
        partial = out.with_name(out.name + ".partial")
        try:
            manifest = backup_event(event, partial)
            os.replace(partial, out)
        except OSError as err:
            partial.unlink(missing_ok=True)
            click.echo(f"{out}: cannot be written ({err.strerror})", err=True)
            sys.exit(1)
    counts = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    click.echo(f"event {event_code} backed up to {out} (format {manifest['format_version']}, "
               f"schema {manifest['schema_revision']}, Podium {manifest['podium_version']})")
    click.echo(f"rows: {_counts(counts)}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Restore an event from its archive. An event with the same code is replaced, after its own
    archive is saved in the instance folder's backups/; nothing changes when the archive is refused."""
    from competition.services.backup import restore as restore_event
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError

    if not file.is_file():
        click.echo(f"{file}: no such file", err=True)
        sys.exit(1)
    with app_context():
        try:
            with transaction():
                restored = restore_event(file)
        except ServiceError as err:
            click.echo(f"{file}: {err.message}", err=True)
            sys.exit(1)
    click.echo(f"event {restored.event_code} restored from {file}")
    click.echo(f"rows: {_counts(restored.counts)}")
    click.echo(f"people: {restored.users_created} added, {restored.users_matched} already here (matched by external id or user name)")
    if restored.replaced:
        click.echo(f"the event it replaced was saved to {restored.replaced}")


COMMANDS = [backup, restore]
