"""Where the application's certificate keyring comes from (:mod:`competition.certificates.keys`).

The setting ``CERTIFICATE_KEYS`` (``PODIUM_CERTIFICATE_KEYS``) when given, else the key file
(``CERTIFICATE_KEY_FILE``, default ``certificate_keys`` in the instance folder), which
:func:`ensure_keys` creates when the application is made — at the first start after an upgrade,
so its ``legacy`` key is the SECRET_KEY that signed every certificate printed until then.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from competition.certificates.keys import Keyring, ensure_file, load_file, parse, rotate


def key_file(app: Flask) -> Path:
    return Path(app.config.get("CERTIFICATE_KEY_FILE") or Path(app.instance_path) / "certificate_keys")


def ensure_keys(app: Flask) -> None:
    """Create the key file on first start (nothing when the keys are set in the environment)."""
    if app.config.get("CERTIFICATE_KEYS"):
        parse(app.config["CERTIFICATE_KEYS"])  # a mistyped setting stops the start, not the first verification
        return
    ensure_file(key_file(app), app.config.get("SECRET_KEY"))


@lru_cache(maxsize=8)
def _parsed(setting: str) -> Keyring:
    return parse(setting)


def keyring(app: Flask | None = None) -> Keyring:
    """The keyring that signs new certificates and verifies every one printed."""
    app = app or current_app
    setting = app.config.get("CERTIFICATE_KEYS")
    if setting:
        return _parsed(setting)
    path = key_file(app)
    if not path.exists():
        ensure_file(path, app.config.get("SECRET_KEY"))
    return load_file(path)


def rotate_keys(app: Flask) -> str:
    """Add a new signing key to the key file (old keys stay for verifying); its id."""
    if app.config.get("CERTIFICATE_KEYS"):
        raise ValueError("the certificate keys are set by PODIUM_CERTIFICATE_KEYS: add the new 'id:secret' in front there, "
                         "keeping every old entry")
    path = key_file(app)
    if not path.exists():
        ensure_file(path, app.config.get("SECRET_KEY"))
    return rotate(path)
