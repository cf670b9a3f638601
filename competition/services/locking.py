"""Locking a competitor's marks once final, unlocking them with a recorded reason, and holding
a competitor's row while its marks or sign-offs change.

Rule: a mark is never recorded on a locked competitor, and a lock never lands between a mark's
check and its write. Every transaction that changes a competitor's marks, sign-offs or lock
first *holds* the competitor's row (:func:`hold_competitor`): PostgreSQL locks the row, SQLite
takes its write lock, so such transactions on one competitor run one after the other, and each
reads the lock state only once it holds the row.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from sqlalchemy.orm.attributes import set_committed_value

from competition.extensions import db
from competition.models import Competitor, SignOff, User
from competition.models.marking import utcnow
from competition.services.access import is_chief, shown_code
from competition.services.audit import audit
from competition.services.boards import skill_changed
from competition.services.effects import MarksChanged, after_commit
from competition.services.errors import Conflict, Forbidden, ServiceError


def hold_competitor(competitor: Competitor) -> None:
    """Take the competitor's row until the transaction ends (a no-op UPDATE) and read its lock
    state as it is now, which a transaction that held the row before us may have changed."""
    held = update(Competitor).where(Competitor.id == competitor.id).values(id=Competitor.id).returning(Competitor.locked_at)
    locked_at = db.session.execute(held, execution_options={"synchronize_session": False}).scalar_one()
    set_committed_value(competitor, "locked_at", locked_at)


def lock_competitor(competitor: Competitor, *, by: User | None = None) -> None:
    """Make the competitor's marks final (audited). The caller holds the competitor's row."""
    if competitor.locked_at is None:
        competitor.locked_at = utcnow()
        audit("locked", by=by, competitor=competitor)
        skill_changed(competitor.skill)  # boards drop "provisional" once everyone is locked
        db.session.flush()


class UnlockError(ServiceError):
    """An unlock that is not allowed."""


def unlock_competitor(competitor: Competitor, *, by: User, reason: str) -> None:
    """Reopen a locked competitor's marks. Only the skill's chief expert may, with a reason.

    The reason goes into the audit trail, and every sign-off of the competitor is withdrawn:
    the panel signs again once the marks are final.
    """
    if not is_chief(by, competitor.skill):
        raise Forbidden("user", _l("only the chief expert of the skill can unlock a competitor's marks"), code="not_chief")
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise UnlockError("reason", _l("give the reason for unlocking (at least 5 characters); it goes into the audit trail"), 422)
    if competitor.skill.results_locked_at is not None:
        raise Conflict("competitor", _l("The results of %(skill)s are locked: unlock the results first.", skill=competitor.skill),
                       code="results_locked")
    hold_competitor(competitor)
    if competitor.locked_at is None:
        raise Conflict("competitor", _l("%(competitor)s is not locked", competitor=shown_code(by, competitor)), code="not_locked")
    competitor.locked_at = None
    db.session.execute(delete(SignOff).where(SignOff.competitor_id == competitor.id).execution_options(synchronize_session=False))
    audit("unlocked", by=by, competitor=competitor, reason=reason)
    skill_changed(competitor.skill)
    after_commit(MarksChanged(competitor.skill_id, competitor.id))
    db.session.flush()
