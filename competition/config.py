"""Settings from environment variables, with defaults that run the embedded demo."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from competition.shipped import shipped_folder

# The SQLite file, the generated secret key and certificate batches: ./instance in the directory
# the command runs in (never inside the installed package), or PODIUM_INSTANCE.
INSTANCE = Path(os.environ.get("PODIUM_INSTANCE") or "instance").resolve()


def private_folder(path: Path) -> Path:
    """Make a folder (and its missing parents) that only its owner may enter (0700): the instance
    folder holds the database, the secret key and the certificate keys. A folder that already
    exists is left as its owner set it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path, text: str = "") -> bool:
    """Create ``path`` readable and writable by its owner only (0600 from the first moment,
    whatever the umask), unless it exists; True if this call created it."""
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as out:
        out.write(text)
    return True


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/.

    Kept on disk (not in the repo) so sessions survive a restart. Certificates are signed with
    keys of their own (competition/certificates/keys.py), so this one may be rotated.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE / "secret_key"
    private_file(path, secrets.token_hex(32))
    return path.read_text().strip()


def _milliseconds(name: str) -> float | None:
    value = os.environ.get(name)
    return float(value) / 1000 if value else None


def _switch(name: str) -> bool | None:
    """An on/off setting: 1/true/yes/on or 0/false/no/off; None when unset (the default applies)."""
    value = (os.environ.get(name) or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return None


def from_environment() -> dict:
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'podium.sqlite'}"),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", "threading"),
        "SOCKETIO_CHANNEL": os.environ.get("PODIUM_SOCKETIO_CHANNEL", "podium"),
        # Boards: at least this many ms between two messages of one skill from one server process
        # (unset: 10; tests send every change from the committing request).
        "BOARD_PUBLISH_INTERVAL": _milliseconds("PODIUM_BOARD_PUBLISH_MS"),
        "SCHEMES_DIR": os.environ.get("PODIUM_SCHEMES", str(shipped_folder("scoring_schemes"))),
        "PUBLIC_URL": os.environ.get("PODIUM_PUBLIC_URL", "http://127.0.0.1:5000"),
        # Certificate signing keys ("id:secret,…", the first signs), else the file
        # PODIUM_CERTIFICATE_KEY_FILE or instance/certificate_keys, made on first start.
        "CERTIFICATE_KEYS": os.environ.get("PODIUM_CERTIFICATE_KEYS") or None,
        "CERTIFICATE_KEY_FILE": os.environ.get("PODIUM_CERTIFICATE_KEY_FILE") or None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # The largest request body: a certificate logo (2 MB) with its form fits; more is a 413.
        "MAX_CONTENT_LENGTH": int(os.environ.get("PODIUM_MAX_CONTENT_LENGTH", 4 * 1024 * 1024)),
        # Background jobs (competition/services/jobs.py): each server process runs a worker unless
        # PODIUM_WORKER=0; a running job whose heartbeat is older than the stale time is taken over.
        "PODIUM_WORKER": os.environ.get("PODIUM_WORKER", "1"),
        "PODIUM_JOB_STALE_SECONDS": os.environ.get("PODIUM_JOB_STALE_SECONDS") or None,
        "PODIUM_JOB_HEARTBEAT_SECONDS": os.environ.get("PODIUM_JOB_HEARTBEAT_SECONDS") or None,
        "PODIUM_JOB_POLL_SECONDS": os.environ.get("PODIUM_JOB_POLL_SECONDS") or None,
        "PODIUM_JOB_MODULES": os.environ.get("PODIUM_JOB_MODULES", ""),
        # Limits on sign-in attempts, sign-in links and marks (competition/web/throttling.py): on
        # unless PODIUM_RATE_LIMITS=0; counted in PODIUM_RATELIMIT_STORAGE_URI, else REDIS_URL, else memory.
        "RATELIMIT_ENABLED": _switch("PODIUM_RATE_LIMITS") is not False,
        "RATELIMIT_STORAGE_URI": os.environ.get("PODIUM_RATELIMIT_STORAGE_URI") or None,
        "PODIUM_SIGN_IN_ACCOUNT_LIMIT": os.environ.get("PODIUM_SIGN_IN_ACCOUNT_LIMIT") or None,
        "PODIUM_SIGN_IN_ADDRESS_LIMIT": os.environ.get("PODIUM_SIGN_IN_ADDRESS_LIMIT") or None,
        # The session cookie is Secure (sent over HTTPS only) when PODIUM_SECURE_COOKIES=1, or when
        # unset and PODIUM_PUBLIC_URL starts with https:// (competition/web/sessions.py).
        "SESSION_COOKIE_SECURE": _switch("PODIUM_SECURE_COOKIES"),
        # How many proxies in front of Podium set X-Forwarded-For/-Proto/-Host (nginx: 1); 0 trusts none.
        "PODIUM_TRUSTED_PROXIES": int(os.environ.get("PODIUM_TRUSTED_PROXIES") or 0),
    }
