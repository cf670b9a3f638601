"""``podium draw``: hold a skill's draw (抽签) from the command line and check recorded draws.

    podium draw run numbers|workstations|encryption --event CODE --skill CODE --by ORGANISER [--seed SEED]
    podium draw check --event CODE --skill CODE

``run`` prints the seed and every competitor's new number; ``check`` runs every recorded draw
of the skill again from its seed and exits 1 if any gives other numbers.
"""

from __future__ import annotations

import sys

import click

from competition.commands import app_context
from competition.models.console import DRAW_KINDS


@click.group("draw")
def draw() -> None:
    """Draw competitor numbers, workstations and encrypted numbers; check recorded draws."""


def _skill(event_code: str, skill_code: str):
    from competition.services.errors import ServiceError
    from competition.services.lookup import skill_in_event

    try:
        return skill_in_event(event_code, skill_code)
    except ServiceError as err:
        click.echo(err.message, err=True)
        sys.exit(1)


@draw.command("run")
@click.argument("kind", type=click.Choice(DRAW_KINDS))
@click.option("--event", "event_code", required=True, help="The event's code.")
@click.option("--skill", "skill_code", required=True, help="The skill's code.")
@click.option("--by", "username", required=True, help="The organiser holding the draw (recorded and audited).")
@click.option("--seed", default=None, help="The seed, e.g. drawn in public (default: a random one).")
def run(kind: str, event_code: str, skill_code: str, username: str, seed: str | None) -> None:
    """Draw KIND for every competitor of the skill and print the result."""
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import User
    from competition.services.draws import FIELDS, run_draw
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError

    with app_context():
        try:
            with transaction():
                skill = _skill(event_code, skill_code)
                by = db.session.scalar(select(User).where(User.username == username))
                if by is None:
                    click.echo(f"no user {username!r}", err=True)
                    sys.exit(1)
                record = run_draw(skill, kind, by=by, seed=seed)
                lines = [f"{getattr(c, FIELDS[kind])}\t{c.code}\t{c.name}" for c in skill.competitors]
        except ServiceError as err:
            click.echo(err.message, err=True)
            sys.exit(1)
        click.echo(f"draw {record.id} of {skill_code} ({kind}), seed {record.seed!r}")
        for line in sorted(lines):
            click.echo(line)


@draw.command("check")
@click.option("--event", "event_code", required=True)
@click.option("--skill", "skill_code", required=True)
def check(event_code: str, skill_code: str) -> None:
    """Run every recorded draw of the skill again from its seed and compare."""
    from competition.services.draws import draws_of, reproduce

    with app_context():
        skill = _skill(event_code, skill_code)
        failed = 0
        for record in reversed(draws_of(skill)):
            result = reproduce(record)
            failed += not result.matches
            state = "reproduced" if result.matches else f"NOT reproduced ({len(result.differences)} competitors differ)"
            click.echo(f"draw {record.id} {record.kind} seed {record.seed!r}: {state}")
        if failed:
            sys.exit(1)


COMMANDS = [draw]
