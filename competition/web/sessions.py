"""The session cookie, and ending a person's sessions on the server.

Why: the session lives in a signed cookie, so before this a cookie copied from a tablet kept
working after its owner signed out, for as long as the cookie lived.

Rules:
- the cookie is HttpOnly and SameSite=Lax (sent when a person follows a link to Podium, e.g.
  a one-time sign-in link, never with another site's form posts or scripts' requests), and
  Secure — sent over HTTPS only — when ``PODIUM_SECURE_COOKIES`` says so, or, unset, when
  ``PODIUM_PUBLIC_URL`` is an https:// address;
- the cookie names the person *and* their session generation (``"<id>:<generation>"``, Flask-
  Login's alternative id). Signing out and a new password bump the generation
  (:func:`competition.services.accounts.end_sessions`, ``User.set_password``), so every
  cookie issued before stops signing anyone in, on every device;
- a cookie from before generations existed (``"<id>"``) counts as generation 0.
"""

from __future__ import annotations

from flask import Flask

from competition.extensions import db, login


def load_user(session_id: str):
    """The person a session cookie names, while the cookie's generation is still theirs."""
    from competition.models import User

    user_id, _, generation = (session_id or "").partition(":")
    try:
        user_id, generation = int(user_id), int(generation or 0)
    except ValueError:
        return None
    if not 0 < user_id < 2**63:
        return None
    user = db.session.get(User, user_id)
    if user is None or (user.session_generation or 0) != generation:
        return None
    return user


def init_app(app: Flask) -> None:
    secure = app.config.get("SESSION_COOKIE_SECURE")
    if secure is None:
        secure = str(app.config.get("PUBLIC_URL") or "").lower().startswith("https://")
    app.config.update(
        SESSION_COOKIE_SECURE=bool(secure),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE=app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
        # Flask-Login's "remember me" cookie is not used today; should it be, it gets the same flags.
        REMEMBER_COOKIE_SECURE=bool(secure),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE=app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
    )
    login.user_loader(load_user)
