"""The transaction boundary: services flush, one caller commits, side effects follow the commit.

Services change state and flush; they never commit. What a change means outside the database
— a skill's boards must show its new state, open marking forms must re-read a competitor, a
background job must start — is recorded during the work with :func:`after_commit` and kept on
the session. When the transaction commits, the recorded effects become ready and
:func:`commit` sends them; when it rolls back they are dropped, so nobody is ever told about a
change the database does not have.

Who commits: a web request once, after its view returned (``competition/web/boundary.py``);
a CLI command or a background job through :func:`transaction`. Nothing else calls
``session.commit()``.

Effects are either *announcements* — small frozen records such as :class:`SkillChanged`,
delivered to the handlers :func:`subscribe`\\ d to their type (the real-time package
subscribes the board and marking-form publishers, so services never import it) — or plain
callables (a job to start). Equal announcements of one transaction are sent once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from competition.extensions import db

log = logging.getLogger(__name__)

_PENDING = "podium.effects.pending"  # recorded in the open transaction
_READY = "podium.effects.ready"  # committed, not sent yet
_subscribers: dict[type, list[Callable]] = {}


@dataclass(frozen=True)
class SkillChanged:
    """Something spectators see of a skill changed (a mark, a lock, a display mode, a reveal step)."""

    skill_id: int
    code: str
    event_id: int


@dataclass(frozen=True)
class MarksChanged:
    """A competitor's marks, flags or sign-offs changed: open marking forms re-read them."""

    skill_id: int
    competitor_id: int


def subscribe(kind: type, handler: Callable) -> None:
    """Deliver every committed announcement of type ``kind`` to ``handler`` (once per handler)."""
    handlers = _subscribers.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


def after_commit(effect: object) -> None:
    """Record ``effect`` (an announcement or a callable) to be sent once the current transaction
    commits; it is dropped if the transaction rolls back."""
    pending: dict = db.session().info.setdefault(_PENDING, {})
    pending.setdefault(effect, effect)  # equal announcements collapse; insertion order is kept


def commit() -> None:
    """Commit the session's transaction, then send the effects it recorded."""
    db.session.commit()
    send_ready()


def rollback() -> None:
    db.session.rollback()


@contextmanager
def transaction() -> Iterator[None]:
    """One unit of work for a CLI command or a background job: commit at the end and send the
    effects, or roll back everything (effects included) when the block raises."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()


def send_ready() -> None:
    """Send the effects of transactions that committed (normally called by :func:`commit`)."""
    session = db.session()
    while ready := session.info.pop(_READY, None):
        for effect in ready:
            try:
                if callable(effect):  # a job; announcements are frozen records, never callable
                    effect()
                else:
                    for handler in _subscribers.get(type(effect), ()):
                        handler(effect)
            except Exception:  # the change is committed; a lost notice is caught up by the next one
                log.exception("could not send %r after commit", effect)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the work is not committed yet
        return
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, []).extend(pending.values())


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without committing (after_commit took the effects of a
    # committed one): a rollback, or a session closed with its work undone. A savepoint's end
    # (transaction.nested) leaves the outer transaction's effects alone.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)
