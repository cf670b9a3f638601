"""Signed verification tokens: ``<certificate number>.<HMAC-SHA256 signature>``.

The number stays readable in the URL; the signature (itsdangerous, keyed with the server's
SECRET_KEY) makes any altered token fail. A token is also compared with the one we would
issue, so variants that decode to the same bytes (base64 padding bits) are refused too.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, Signer

SALT = "podium.certificate"


def _signer(secret: str) -> Signer:
    return Signer(secret, salt=SALT, digest_method=hashlib.sha256)


def make_token(number: str, secret: str) -> str:
    return _signer(secret).sign(number).decode("ascii")


def read_token(token: str, secret: str) -> str | None:
    """The certificate number a genuine token carries, or None for anything else."""
    try:
        number = _signer(secret).unsign(token).decode("ascii")
    except (BadSignature, UnicodeError, ValueError):
        return None
    return number if make_token(number, secret) == token else None


def verify_url(public_url: str, number: str, secret: str) -> str:
    return f"{public_url.rstrip('/')}/verify/{make_token(number, secret)}"
