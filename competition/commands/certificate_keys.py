"""``podium certificate-keys``: the keys that sign certificates' QR codes, apart from SECRET_KEY.

``rotate`` puts a new signing key in front of the key file and keeps every old one, so every
certificate printed before still verifies; ``list`` names the keys (never their secrets). When the
keys come from ``PODIUM_CERTIFICATE_KEYS``, rotate there: add a new ``id:secret`` in front and
keep every old entry. Every server process reads the key file again when it changes.
"""

from __future__ import annotations

import click


@click.group("certificate-keys")
def certificate_keys() -> None:
    """The certificate signing keys: list them, or rotate (old keys keep verifying)."""


@certificate_keys.command("list")
def list_keys() -> None:
    """The key ids, the signing one first (no secrets are shown)."""
    from flask import current_app

    from competition.commands import app_context
    from competition.services.certificate_keys import key_file, keyring

    with app_context():
        app = current_app._get_current_object()
        ring = keyring(app)
        where = "PODIUM_CERTIFICATE_KEYS" if app.config.get("CERTIFICATE_KEYS") else str(key_file(app))
        click.echo(f"certificate keys from {where}:")
        for n, kid in enumerate(ring.ids):
            click.echo(f"  {kid}{'  (signs new certificates)' if n == 0 else '  (verifies)'}")


@certificate_keys.command("rotate")
def rotate() -> None:
    """Add a new signing key; every old key stays, so printed certificates keep verifying."""
    from flask import current_app

    from competition.commands import app_context
    from competition.services.certificate_keys import key_file, rotate_keys

    with app_context():
        app = current_app._get_current_object()
        try:
            kid = rotate_keys(app)
        except ValueError as err:
            raise click.ClickException(str(err)) from None
        click.echo(f"new signing key {kid} in {key_file(app)}; the old keys stay for verifying. "
                   "Running servers read the file again by themselves.")


COMMANDS = [certificate_keys]
