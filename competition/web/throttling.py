"""Limits on guessing and flooding: sign-in attempts per account and per address, one-time
sign-in links per address, marks per person.

Why: without them a script tried 40 passwords in under five seconds and then signed in.

Rules:
- a failed sign-in counts against the account (the user name typed, known or not, so the
  limit does not tell which names exist) and against the address it came from. Once either
  count is full, every attempt is refused with 429 until the oldest failure leaves the window
  — the right password too, or guessing would go on with the lock as an oracle;
- a person locked out can still be let in by the organiser with a one-time sign-in link;
- the counts live in the limiter's storage: ``RATELIMIT_STORAGE_URI``, else ``REDIS_URL``
  (so every server process sees the same counts), else this process's memory;
- the address is ``request.remote_addr``: behind a proxy, set ``PODIUM_TRUSTED_PROXIES``
  (see :mod:`competition.web.headers`), or every client is counted as the proxy.

One limiter is made per app (Flask-Limiter's object keeps per-app state: several apps in one
process — tests, two servers in a test — must not share it).
"""

from __future__ import annotations

import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_login import current_user
from limits import RateLimitItem, parse

EXTENSION = "podium_limiter"
DEFAULTS = {
    "PODIUM_SIGN_IN_ACCOUNT_LIMIT": "10 per 15 minutes",  # failed sign-ins of one user name
    "PODIUM_SIGN_IN_ADDRESS_LIMIT": "100 per 15 minutes",  # failed sign-ins from one address (a venue's Wi-Fi is one address)
    "PODIUM_SIGN_IN_LINK_LIMIT": "30 per minute",  # one-time sign-in links opened or used from one address
    "PODIUM_MARKS_LIMIT": "1200 per minute",  # marks sent by one person (a tablet's outbox sends its queue in one go)
}


def client_address() -> str:
    return request.remote_addr or "unknown"


def _person_or_address() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{client_address()}"


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config[name] = app.config.get(name) or value
    app.config["RATELIMIT_ENABLED"] = bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    limiter = Limiter(client_address, strategy="moving-window",
                      key_prefix=f"{app.config.get('SOCKETIO_CHANNEL') or 'podium'}:limits", headers_enabled=True)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    _limit(app, limiter, "sign_in_links.confirm", "PODIUM_SIGN_IN_LINK_LIMIT", scope="sign-in-link")
    _limit(app, limiter, "sign_in_links.use", "PODIUM_SIGN_IN_LINK_LIMIT", scope="sign-in-link")
    _limit(app, limiter, "marks_api.post_mark", "PODIUM_MARKS_LIMIT", key=_person_or_address)


def _limit(app: Flask, limiter: Limiter, endpoint: str, setting: str, *, key=None, scope: str | None = None) -> None:
    """Wrap a registered view with a limit of this app's limiter, read from ``setting`` (views
    are shared by every app of the process; their registration in ``app.view_functions`` is the
    app's own). Views of one ``scope`` share one count."""
    view = app.view_functions.get(endpoint)
    if view is None:
        raise RuntimeError(f"no view {endpoint!r} to limit")
    limit = limiter.shared_limit if scope else limiter.limit
    options = {"scope": scope} if scope else {}
    app.view_functions[endpoint] = limit(lambda: current_app.config[setting], key_func=key, **options)(view)


def _limiter() -> Limiter | None:
    limiter = current_app.extensions.get(EXTENSION)
    return limiter if limiter is not None and current_app.config["RATELIMIT_ENABLED"] else None


def _sign_in_limits(username: str) -> list[tuple[RateLimitItem, str, str, str]]:
    """The sign-in limits with their keys. The counts are hit directly, not through a decorated
    view, so the installation's prefix is named here: two installations sharing one Redis
    never share counts."""
    account = (username or "").strip().lower()[:80]
    prefix = f"{current_app.config.get('SOCKETIO_CHANNEL') or 'podium'}:limits"
    return [(parse(current_app.config["PODIUM_SIGN_IN_ACCOUNT_LIMIT"]), prefix, "sign-in-account", account),
            (parse(current_app.config["PODIUM_SIGN_IN_ADDRESS_LIMIT"]), prefix, "sign-in-address", client_address())]


def sign_in_locked(username: str) -> int | None:
    """Seconds until ``username`` may try again from this address, or None when it may now."""
    limiter = _limiter()
    if limiter is None:
        return None
    waits = []
    for item, *keys in _sign_in_limits(username):
        if not limiter.limiter.test(item, *keys):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *keys)
            waits.append(max(1, int(reset_at - time.time()) + 1))
    return max(waits) if waits else None


def sign_in_failed(username: str) -> None:
    """Count a failed sign-in against the account and the address."""
    limiter = _limiter()
    if limiter is None:
        return
    for item, *keys in _sign_in_limits(username):
        limiter.limiter.hit(item, *keys)

