"""``podium import``: an event's organisations, competitors and teams, judges or assignments
from a CSV or XLSX file — the same checks and messages as the console's import page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from competition.commands import app_context

KINDS = ("organisations", "competitors", "judges", "assignments")


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
def import_file(kind: str, file: Path, event_code: str, dry_run: bool) -> None:
    """Import KIND from FILE (CSV in UTF-8 or GB18030, or XLSX) into an event.

    Every problem is printed as `row N, column X (name): problem` and the command exits 1
    without writing anything; a clean file is written whole (matched on external ids, so the
    same file twice changes nothing) and the counts are printed."""
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError
    from competition.services.imports import apply, preview
    from competition.services.lookup import event_by_code

    try:
        data = file.read_bytes()
    except OSError as err:
        click.echo(f"{file}: cannot be read ({err.strerror})", err=True)
        sys.exit(1)
    with app_context(), transaction():
        try:
            event = event_by_code(event_code)
        except ServiceError as err:
            click.echo(err.message, err=True)
            sys.exit(1)
        if dry_run:
            report = preview(kind, event, data, file.name)
        else:
            report = apply(kind, event, data, file.name, by=None)
        for warning in report.warnings:
            click.echo(f"{file.name}: warning: {warning}", err=True)
        for problem in report.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        if not report.ok:
            click.echo(f"{file.name}: {len(report.problems)} problem(s); nothing was written", err=True)
            sys.exit(1)
        counts = report.counts
        verb = ("would be added", "would be updated", "would stay unchanged") if dry_run else ("added", "updated", "unchanged")
        click.echo(f"{kind} from {file.name}: {counts['added']} {verb[0]}, {counts['updated']} {verb[1]}, "
                   f"{counts['unchanged']} {verb[2]}" + (" (dry run: nothing written)" if dry_run else ""))


COMMANDS = [import_file]
