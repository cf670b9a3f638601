"""The certificate signing keys: a keyring of its own, apart from the session key (SECRET_KEY).

A printed certificate lives for decades; a session key is rotated whenever an operator fears it
leaked. So certificates are signed with a key of their own, and every key ever used stays on the
keyring for verifying: rotating adds a new signing key in front and keeps the old ones, so every
certificate printed before still verifies, and its QR code names the key that signed it
(``<number>.<key id>.<signature>``, see :mod:`competition.certificates.tokens`).

The keyring is either the setting ``PODIUM_CERTIFICATE_KEYS`` (``id:secret,id:secret``, the
first one signs) or a file, ``certificate_keys`` in the instance folder: one ``id:secret`` a
line, the first signs, ``#`` starts a comment. The file is created on first start, readable by
its owner only; it then also keeps the key id ``legacy`` holding the SECRET_KEY in use at that
moment, which signed the certificates printed before keys were separate (their tokens name no
key). ``podium certificate-keys rotate`` adds a key; ``podium certificate-keys list`` shows ids.

No Flask here: the services pass the setting and the file's path.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

LEGACY = "legacy"  # the key of tokens without a key id: the SECRET_KEY of before
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyringError(ValueError):
    """The keyring setting or file cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Keyring:
    """Certificate keys as (id, secret), the signing key first."""

    keys: tuple[tuple[str, str], ...]

    def __post_init__(self):
        if not self.keys:
            raise KeyringError("the certificate keyring holds no key")

    @property
    def signing(self) -> tuple[str, str]:
        return self.keys[0]

    def secret(self, key_id: str) -> str | None:
        return next((secret for kid, secret in self.keys if kid == key_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(kid for kid, _ in self.keys)


def parse(text: str, *, where: str = "PODIUM_CERTIFICATE_KEYS", lines: bool = False) -> Keyring:
    """``id:secret`` entries: one a line in a file (``lines``; blank lines and lines starting with
    ``#`` skipped), else separated by commas. A secret is 16 characters or more, except the
    ``legacy`` one, which is whatever SECRET_KEY was."""
    keys: list[tuple[str, str]] = []
    entries = text.splitlines() if lines else text.split(",")
    for number, entry in enumerate(entries, start=1):
        entry = entry.strip()
        if not entry or (lines and entry.startswith("#")):
            continue
        kid, sep, secret = entry.partition(":")
        kid = kid.strip()
        if not sep or not KEY_ID.match(kid) or not secret or (len(secret) < 16 and kid != LEGACY):
            raise KeyringError(f"{where}: entry {number} is not 'id:secret' (id of letters, digits, - or _; "
                               "secret of 16 or more characters)")
        if kid in (k for k, _ in keys):
            raise KeyringError(f"{where}: the key id {kid!r} appears twice")
        keys.append((kid, secret))
    return Keyring(tuple(keys))


def _write_private(path: Path, text: str, *, replace: bool = False) -> bool:
    """Write a file readable by its owner only (0600 from the start: no moment when others could
    read it). Without ``replace`` an existing file is kept and False returned (two processes
    starting at once: the first one's key wins)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = path.with_name(f".{path.name}.{secrets.token_hex(4)}") if replace else path
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    if replace:
        os.replace(target, path)
    return True


def _new_key_id(taken: tuple[str, ...]) -> str:
    stem = dt.datetime.now(dt.UTC).strftime("k%Y%m%d")
    kid, n = stem, 1
    while kid in taken:
        n += 1
        kid = f"{stem}-{n}"
    return kid


def _lines(keys: tuple[tuple[str, str], ...]) -> str:
    head = ("# Certificate signing keys (id:secret). The first signs; every key verifies.\n"
            "# Keep every line: removing one makes the certificates it signed 'not genuine'.\n")
    return head + "".join(f"{kid}:{secret}\n" for kid, secret in keys)


def ensure_file(path: Path, legacy_secret: str | None) -> bool:
    """Create the keyring file if it is missing: a fresh signing key, and ``legacy`` holding the
    current session secret (which signed every certificate printed until now). True if created."""
    if path.exists():
        return False
    keys = [(_new_key_id(()), secrets.token_urlsafe(32))]
    if legacy_secret:
        keys.append((LEGACY, legacy_secret))
    return _write_private(path, _lines(tuple(keys)))


_cache: dict[Path, tuple[int, Keyring]] = {}


def load_file(path: Path) -> Keyring:
    """The keyring in ``path``, read again only when the file changed (a rotation by another process)."""
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise KeyringError(f"{path}: the certificate key file does not exist") from None
    held = _cache.get(path)
    if held and held[0] == stamp:
        return held[1]
    ring = parse(path.read_text(encoding="utf-8"), where=str(path), lines=True)
    _cache[path] = (stamp, ring)
    return ring


def rotate(path: Path) -> str:
    """Put a new signing key in front of the file's keys (every old one stays, for verifying);
    returns the new key's id."""
    ring = load_file(path)
    kid = _new_key_id(ring.ids)
    _write_private(path, _lines(((kid, secrets.token_urlsafe(32)),) + ring.keys), replace=True)
    return kid
