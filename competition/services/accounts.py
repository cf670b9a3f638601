"""People's accounts, as the organiser keeps them: add and edit a person, set a password, and
one-time sign-in links.

Rules:
- a password the organiser sets is at least ``MIN_PASSWORD`` characters, typed twice, and
  never stored or shown back: only its hash is kept, and the audit trail says only that it
  was set;
- a sign-in link (or the QR code of a judge's sign-in card) carries a random token; only its
  SHA-256 is stored. It works once, before it expires: using it marks it used in the same
  ``UPDATE`` that checks it is unused, so two tablets scanning one card at once cannot both
  sign in;
- every change names the organiser who made it (``by``) in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from competition.extensions import db
from competition.models import Event, SignInLink, User
from competition.models.marking import utcnow
from competition.services.audit import audit
from competition.services.errors import Conflict, ServiceError
from competition.services.organisations import refuse_control_characters

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
LANGUAGES = ("en", "zh")
MIN_PASSWORD, MAX_PASSWORD = 10, 200
LINK, CARD = "link", "card"
LINK_LIFETIME = dt.timedelta(hours=24)
USED = _l("This sign-in link has been used already: it works only once. Ask the organiser for a new one.")


class LinkRefused(ServiceError):
    """A sign-in link that does not sign anyone in: unknown, used or expired."""

    status = 410
    code = "link_refused"


def people() -> list[User]:
    """Everyone with an account: organisers first, then by user name."""
    return list(db.session.scalars(select(User).order_by(User.is_organiser.desc(), User.username)))


def _checked(username: str, display_name: str, organisation: str, language: str | None, *, current: User | None = None) -> tuple:
    username = (username or "").strip()
    display_name = " ".join((display_name or "").split())
    organisation = " ".join((organisation or "").split())
    language = (language or "").strip() or None
    refuse_control_characters(username=username, display_name=display_name, organisation=organisation)
    if not USERNAME.fullmatch(username):
        raise ServiceError("username", _l("A user name is 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit."))
    if not display_name or len(display_name) > 200:
        raise ServiceError("display_name", _l("Give the person's name, at most 200 characters."))
    if len(organisation) > 200:
        raise ServiceError("organisation", _l("The organisation is longer than 200 characters."))
    if language is not None and language not in LANGUAGES:
        raise ServiceError("language", _l("Choose English or 中文."))
    taken = select(User.id).where(func.lower(User.username) == username.lower())
    if current is not None:
        taken = taken.where(User.id != current.id)
    if db.session.scalar(taken) is not None:
        raise Conflict("username", _l("The user name %(username)s is taken; choose another.", username=username), code="duplicate")
    return username, display_name, organisation, language


def add_person(username: str, display_name: str, *, organisation: str = "", language: str | None = None, organiser: bool = False,
               by: User | None) -> User:
    """A new account without a password: the person signs in once the organiser sets one or
    gives them a sign-in link or card."""
    username, display_name, organisation, language = _checked(username, display_name, organisation, language)
    user = User(username=username, display_name=display_name, organisation=organisation, language=language, is_organiser=organiser,
                password_hash="")
    db.session.add(user)
    db.session.flush()
    audit("person_added", by=by, detail=f"{username} ({display_name}){' organiser' if organiser else ''}")
    db.session.flush()
    return user


def update_person(user: User, *, username: str, display_name: str, organisation: str, language: str | None, organiser: bool,
                  by: User | None) -> User:
    """Change a person's account. An organiser cannot take away their own organiser flag (no
    one would be left to give it back)."""
    username, display_name, organisation, language = _checked(username, display_name, organisation, language, current=user)
    if by is not None and by.id == user.id and user.is_organiser and not organiser:
        raise ServiceError("organiser", _l("You cannot take away your own organiser rights; ask another organiser."), status=409,
                           code="own_rights")
    changes = [f"{key}: {old!r} -> {new!r}" for key, old, new in (
        ("username", user.username, username), ("display_name", user.display_name, display_name),
        ("organisation", user.organisation, organisation), ("language", user.language, language),
        ("organiser", user.is_organiser, organiser)) if old != new]
    user.username, user.display_name, user.organisation, user.language, user.is_organiser = (
        username, display_name, organisation, language, organiser)
    if changes:
        audit("person_updated", by=by, detail=f"{username}: " + "; ".join(changes))
    db.session.flush()
    return user


def set_password(user: User, password: str, confirmation: str, *, by: User | None) -> None:
    """Set or reset ``user``'s password (typed twice). The password is never stored or logged."""
    password, confirmation = password or "", confirmation or ""
    if len(password) < MIN_PASSWORD:
        raise ServiceError("password", _l("A password has at least %(min)s characters.", min=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise ServiceError("password", _l("A password has at most %(max)s characters.", max=MAX_PASSWORD))
    if password != confirmation:
        raise ServiceError("confirmation", _l("The two passwords differ; type the same password twice."))
    user.set_password(password)
    audit("password_set", by=by, detail=user.username)
    db.session.flush()


def end_sessions(user: User) -> None:
    """Sign ``user`` out everywhere: every session cookie issued to them so far stops working
    (signing out, on a shared tablet, must not leave a copied cookie usable)."""
    user.end_sessions()
    db.session.flush()


_dummy_hash: list[str] = []


def password_holder(username: str, password: str) -> User | None:
    """The person named ``username`` when ``password`` is theirs, else None. Writes nothing.

    An unknown name, or a person without a password, costs the same work as a wrong password
    (a dummy hash is checked), so the time of the answer does not tell which names exist."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is not None and user.password_hash:
        return user if user.check_password(password or "") else None
    if not _dummy_hash:
        _dummy_hash.append(generate_password_hash(secrets.token_hex(16)))
    check_password_hash(_dummy_hash[0], password or "")
    return None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_sign_in_link(user: User, *, by: User | None, purpose: str = LINK,
                       expires_at: dt.datetime | None = None) -> tuple[SignInLink, str]:
    """A one-time sign-in link for ``user``: returns the row and the token (never stored; only
    its SHA-256 is). It expires after ``LINK_LIFETIME`` unless ``expires_at`` says otherwise."""
    if purpose not in (LINK, CARD):
        raise ServiceError("purpose", f"must be {LINK!r} or {CARD!r}, not {purpose!r}")
    token = secrets.token_urlsafe(32)
    link = SignInLink(user_id=user.id, token_hash=_hash(token), purpose=purpose, expires_at=expires_at or utcnow() + LINK_LIFETIME,
                      created_by_id=by.id if by is not None else None)
    db.session.add(link)
    audit("sign_in_link_issued", by=by, detail=f"{user.username} ({purpose}, until {link.expires_at:%Y-%m-%d %H:%M} UTC)")
    db.session.flush()
    return link, token


def card_expiry(event: Event, now: dt.datetime | None = None) -> dt.datetime:
    """Until when a sign-in card of ``event`` works: the end of the day after the event ends
    (a week from now for an event without dates), and never less than ``LINK_LIFETIME``."""
    now = now or utcnow()
    last = event.ends_on or event.starts_on
    until = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), dt.UTC) if last else now + dt.timedelta(days=7)
    return max(until, now + LINK_LIFETIME)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def check_sign_in_link(token: str) -> tuple[SignInLink, User]:
    """The link and the person it would sign in, while it may still be used; refused (404 or
    410) when it is unknown, used or expired. Writes nothing."""
    link = db.session.scalar(select(SignInLink).where(SignInLink.token_hash == _hash(token or "")))
    user = db.session.get(User, link.user_id) if link is not None else None
    if link is None or user is None:
        raise LinkRefused("token", _l("This sign-in link is not valid. Ask the organiser for a new one."), status=404, code="unknown_link")
    if link.used_at is not None:
        raise LinkRefused("token", USED, code="used_link")
    if _aware(link.expires_at) <= utcnow():
        raise LinkRefused("token", _l("This sign-in link has expired. Ask the organiser for a new one."), code="expired_link")
    return link, user


def use_sign_in_link(token: str) -> User:
    """The person a link signs in, and the link used up. Refused as :func:`check_sign_in_link`
    refuses; nothing is written then."""
    link, user = check_sign_in_link(token)
    claimed = db.session.execute(update(SignInLink).where(SignInLink.id == link.id, SignInLink.used_at.is_(None))
                                 .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # another request used it meanwhile
        raise LinkRefused("token", USED, code="used_link")
    audit("sign_in_link_used", by=user, detail=f"{user.username} ({link.purpose})")
    db.session.flush()
    return user


def issue_cards(event: Event, users: list[User], *, by: User | None) -> list[tuple[User, str]]:
    """A sign-in card's link for each of ``users`` (until :func:`card_expiry`): ``(user, token)``
    pairs. A reprinted card replaces the person's earlier cards, which stop working."""
    now = utcnow()
    ids = [user.id for user in users]
    if ids:
        db.session.execute(update(SignInLink).where(SignInLink.user_id.in_(ids), SignInLink.purpose == CARD, SignInLink.used_at.is_(None),
                                                    SignInLink.expires_at > now)
                           .values(expires_at=now).execution_options(synchronize_session=False))
    until = card_expiry(event, now)
    return [(user, issue_sign_in_link(user, by=by, purpose=CARD, expires_at=until)[1]) for user in users]
