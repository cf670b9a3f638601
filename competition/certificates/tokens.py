"""Signed verification tokens: ``<certificate number>.<key id>.<HMAC-SHA256 signature>``.

The number stays readable in the URL; the signature (itsdangerous) makes any altered token
fail. The key id names the certificate key that signed it (:mod:`competition.certificates.keys`),
so keys can be rotated while every certificate printed before keeps verifying. Tokens printed
before keys had ids are ``<number>.<signature>``, signed with the key id ``legacy``.
A token is also compared with the one we would issue, so variants that decode to the same bytes
(base64 padding bits) are refused too.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, Signer

from competition.certificates.keys import LEGACY, Keyring

SALT = "podium.certificate"


def _signer(secret: str) -> Signer:
    return Signer(secret, salt=SALT, digest_method=hashlib.sha256)


def make_token(number: str, secret: str | Keyring) -> str:
    """The token for ``number``: signed with the keyring's signing key (naming it), or, given a
    bare secret, the key-less form of before."""
    if isinstance(secret, Keyring):
        kid, key = secret.signing
        return _signer(key).sign(f"{number}.{kid}").decode("ascii")
    return _signer(secret).sign(number).decode("ascii")


def read_token(token: str, secret: str | Keyring) -> str | None:
    """The certificate number a genuine token carries, or None for anything else."""
    if isinstance(secret, Keyring):
        return _read_keyed(token, secret)
    try:
        number = _signer(secret).unsign(token).decode("ascii")
    except (BadSignature, UnicodeError, ValueError):
        return None
    return number if make_token(number, secret) == token else None


def _read_keyed(token: str, keyring: Keyring) -> str | None:
    parts = token.split(".")
    if len(parts) == 2:  # printed before keys had ids
        legacy = keyring.secret(LEGACY)
        return read_token(token, legacy) if legacy else None
    if len(parts) != 3:
        return None
    number, kid, _ = parts
    key = keyring.secret(kid)
    if key is None or not number:
        return None
    try:
        signed = _signer(key).unsign(token).decode("ascii")
    except (BadSignature, UnicodeError, ValueError):
        return None
    if signed != f"{number}.{kid}" or _signer(key).sign(signed).decode("ascii") != token:
        return None
    return number


def verify_url(public_url: str, number: str, secret: str | Keyring) -> str:
    return f"{public_url.rstrip('/')}/verify/{make_token(number, secret)}"
