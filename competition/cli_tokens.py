"""``podium token``: personal API tokens for judges' devices and scripts.

The token is printed once, when created; only its hash is stored.
"""

from __future__ import annotations

import sys

import click


@click.group("token")
def token() -> None:
    """Create, list and revoke personal API tokens (Authorization: Bearer …)."""


def _user(username: str):
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        click.echo(f"no user {username!r}", err=True)
        sys.exit(1)
    return user


def _context():
    """The running app's context when there is one (tests, ``flask shell``), else a new app's."""
    from contextlib import nullcontext

    from flask import has_app_context

    from competition import create_app

    return nullcontext() if has_app_context() else create_app().app_context()


@token.command("create")
@click.option("--user", "username", required=True, help="User name the token acts as.")
@click.option("--label", default="", help="What the token is for, e.g. 'tablet 3'.")
def create(username: str, label: str) -> None:
    """Create a token and print it (the only time it is shown)."""
    from competition.services.effects import transaction
    from competition.services.tokens import create_token

    with _context(), transaction():
        row, text = create_token(_user(username), label)
        click.echo(text)
        click.echo(f"token {row.id} for {username}: keep it now, it is not shown again", err=True)


@token.command("list")
@click.option("--user", "username", required=True)
def list_tokens(username: str) -> None:
    """List a user's tokens (ids, labels, state; never the tokens themselves)."""
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import ApiToken

    with _context():
        user = _user(username)
        for row in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)):
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "live"
            click.echo(f"{row.id}\t{row.label or '-'}\tcreated {row.created_at:%Y-%m-%d %H:%M}\t{state}")


@token.command("revoke")
@click.option("--user", "username", required=True)
@click.option("--id", "token_id", type=int, default=None, help="Revoke this token only (default: all of the user's tokens).")
def revoke(username: str, token_id: int | None) -> None:
    """Revoke one token, or all of a user's tokens."""
    from competition.services.effects import transaction
    from competition.services.tokens import revoke_tokens

    with _context():
        with transaction():
            count = revoke_tokens(_user(username), token_id)
        click.echo(f"revoked {count} token{'s' if count != 1 else ''} of {username}")
        if token_id is not None and count == 0:
            sys.exit(1)
