"""``podium event create|list`` and ``podium skill add``: an event and its skills from a script.

Each command runs its writes in one transaction through the set-up services; bad input
prints every problem and exits 1 with nothing written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from competition.commands import app_context


def _fail(*messages: object) -> None:
    for message in messages:
        click.echo(str(message), err=True)
    sys.exit(1)


def _refused(err) -> None:
    """Print a service's refusal: every problem it lists, else its one message."""
    problems = err.extra.get("problems") or []
    if problems and isinstance(problems[0], dict):
        _fail(*(f"{p['field']}: {p['message']}" for p in problems))
    _fail(*(problems or [f"{err.field}: {err.message}"]))


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{name}: {value!r} is not a date; write YYYY-MM-DD, e.g. 2026-09-14")
    return None


@click.group("event")
def event() -> None:
    """Create and list events."""


@event.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The event's name, e.g. 'WorldSkills Shanghai 2026'.")
@click.option("--place", default="", help="The venue.")
@click.option("--starts", default=None, help="First day, YYYY-MM-DD.")
@click.option("--ends", default=None, help="Last day, YYYY-MM-DD.")
@click.option("--language", default="en", show_default=True, help="Default language: en or zh.")
@click.option("--public-url", default="", help="The address people reach Podium at (printed in certificate QR codes).")
def create(code: str, name: str, place: str, starts: str | None, ends: str | None, language: str, public_url: str) -> None:
    """Create event CODE (letters, digits, - and _; it is in every address of the event)."""
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError
    from competition.services.setup import create_event, is_local_address

    starts_on, ends_on = _day(starts, "--starts"), _day(ends, "--ends")
    with app_context():
        try:
            with transaction():
                created = create_event(code, name, place=place, starts_on=starts_on, ends_on=ends_on, language=language,
                                       public_url=public_url)
                click.echo(f"event {created.code} created: {created.name}")
        except ServiceError as err:
            _refused(err)
        if not public_url:
            click.echo("note: no --public-url: certificate QR codes use the server's PODIUM_PUBLIC_URL", err=True)
        elif is_local_address(public_url):
            click.echo(f"warning: {public_url} can be reached only from this computer; phones scanning certificates cannot reach it",
                       err=True)


@event.command("list")
@click.option("--archived", is_flag=True, help="Also list archived events.")
def list_events(archived: bool) -> None:
    """List events: code, dates, skills, name."""
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import Event

    with app_context():
        query = select(Event).order_by(Event.starts_on.desc(), Event.code)
        if not archived:
            query = query.where(Event.archived_at.is_(None))
        for row in db.session.scalars(query):
            dates = f"{row.starts_on or ''}..{row.ends_on or ''}" if row.starts_on or row.ends_on else "-"
            flag = " (archived)" if row.archived_at else ""
            click.echo(f"{row.code}\t{dates}\t{len(row.skills)} skills\t{row.name}{flag}")


@click.group("skill")
def skill() -> None:
    """Add skills to an event."""


@skill.command("add")
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--scheme", required=True, help="A scheme file (.toml, or a CIS marking-scheme .xlsx) or a shipped scheme's name.")
@click.option("--code", default=None, help="The skill's code (default: the scheme's).")
@click.option("--name", default=None, help="The skill's name (default: the scheme's).")
@click.option("--panel-size", type=int, default=None, help="Judges per panel (default: the scheme's).")
@click.option("--anonymised", is_flag=True, help="Boards show competitor codes, not names.")
@click.option("--encrypted", is_flag=True, help="Judges see only the encrypted number (加密号).")
def add(event_code: str, scheme: str, code: str | None, name: str | None, panel_size: int | None, anonymised: bool,
        encrypted: bool) -> None:
    """Add a skill marked by SCHEME to the event; every problem of the scheme is printed first."""
    from competition.services.cis_scheme import CisSchemeError, convert
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError
    from competition.services.lookup import event_by_code
    from competition.services.skills import SchemeRefused, add_skill, decode_scheme, shipped_scheme_text

    path = Path(scheme)
    with app_context():
        try:
            if path.is_file() and path.suffix.lower() == ".xlsx":
                stem = path.stem.lower()
                try:
                    converted = convert(path.read_bytes(), code=code or stem, name=name or stem)
                except CisSchemeError as err:
                    _fail(*(f"{path}: {p}" for p in err.problems))
                text, source = converted.text, f"{path.stem}.toml"
                for note in converted.notes:
                    click.echo(f"note: {note}", err=True)
            elif path.is_file():
                text, source = decode_scheme(path.read_bytes(), str(path)), str(path)
            else:
                text, source = shipped_scheme_text(scheme)
            with transaction():
                found = event_by_code(event_code)
                added = add_skill(found, text, source, by=None, code=code, name=name, panel_size=panel_size,
                                  anonymised=anonymised, encrypted=encrypted)
                click.echo(f"skill {added.code} added to {found.code}: {added.name} ({len(added.scheme.aspects)} aspects, "
                           f"panel {added.scheme.panel_size})")
        except SchemeRefused as err:
            _fail(*err.problems)
        except ServiceError as err:
            _refused(err)


COMMANDS = [event, skill]
