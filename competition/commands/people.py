"""``podium user add`` and ``podium user password``: the first organiser of a new installation
(nobody can sign in to the console before one exists), and a password reset from the server
when every organiser has lost theirs."""

from __future__ import annotations

import sys

import click

from competition.commands import app_context


def _person(username: str):
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        click.echo(f"username: no account {username!r}", err=True)
        sys.exit(1)
    return user


@click.group("user")
def user() -> None:
    """Add accounts and set passwords from the server's command line."""


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="the person's name as others read it")
@click.option("--organisation", default="")
@click.option("--language", type=click.Choice(["en", "zh"]), default=None)
@click.option("--organiser", is_flag=True, help="may use the organiser console")
@click.password_option(help="prompted (twice) when not given")
def add(username: str, display_name: str, organisation: str, language: str | None, organiser: bool, password: str) -> None:
    """Add an account with a password, e.g. the first organiser: podium user add olivia --name "Olivia Grant" --organiser"""
    from competition.services.accounts import add_person, set_password
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError

    with app_context():
        try:
            with transaction():
                person = add_person(username, display_name, organisation=organisation, language=language, organiser=organiser, by=None)
                set_password(person, password, password, by=None)
        except ServiceError as err:  # the transaction rolled back
            click.echo(f"{err.field}: {err.message}", err=True)
            sys.exit(1)
    click.echo(f"added {username}{' (organiser)' if organiser else ''}")


@user.command("password")
@click.argument("username")
@click.password_option(help="prompted (twice) when not given")
def password(username: str, password: str) -> None:
    """Set a person's password."""
    from competition.services.accounts import set_password
    from competition.services.effects import transaction
    from competition.services.errors import ServiceError

    with app_context():
        try:
            with transaction():
                set_password(_person(username), password, password, by=None)
        except ServiceError as err:  # the transaction rolled back
            click.echo(f"{err.field}: {err.message}", err=True)
            sys.exit(1)
    click.echo(f"password set for {username}")


COMMANDS = [user]
