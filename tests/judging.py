"""Helpers for judging tests: the tiny event plus the people a permission test needs."""

from __future__ import annotations

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    AspectDiscussion,
    AuditEntry,
    FormPresence,
    Mark,
    MarkingWindow,
    MarkRevision,
    SignOff,
    VarianceOverride,
)
from competition.models.people import JUDGE
from competition.services.setup import add_skill_from_scheme, add_user, assign
from tests.conftest import SCHEMES
from tests.factories import cheap_passwords, tiny_event

PASSWORDS = {"judge1": "pw-judge", "judge2": "pw-judge", "judge3": "pw-judge", "chief": "pw-chief", "organiser": "pw-organiser",
             "conflicted": "pw-conflicted", "outsider": "pw-outsider"}


def judging_event(tmp_path, **options):
    """tiny_event (``options``: its keywords) + a judge from T-01's organisation (Guangdong)
    and a judge of another skill.

    Passwords are hashed with a cheap work factor here: the tests are about permissions."""
    with cheap_passwords():
        return _judging_event(tmp_path, **options)


def _judging_event(tmp_path, **options):
    setup = tiny_event(tmp_path, **options)
    conflicted = add_user("conflicted", "Judge From Guangdong", PASSWORDS["conflicted"], organisation="guangdong ")
    assign(conflicted, setup["skill"], JUDGE)
    other = add_skill_from_scheme(setup["event"], SCHEMES / "cnc-milling.toml")
    outsider = add_user("outsider", "Judge Of CNC", PASSWORDS["outsider"], organisation="Elsewhere")
    assign(outsider, other, JUDGE)
    db.session.commit()
    setup.update(conflicted=conflicted, outsider=outsider, other_skill=other)
    return setup


def sign_in(client, username: str) -> None:
    response = client.post("/sign-in", data={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 302, response.get_data(as_text=True)


def stored_state(competitor=None) -> tuple:
    """Everything judging can change, to prove a refused request changed nothing."""
    counts = tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Mark, MarkRevision, SignOff, AuditEntry, VarianceOverride, AspectDiscussion, FormPresence, MarkingWindow)
    )
    values = tuple(db.session.execute(select(Mark.id, Mark.value, Mark.version).order_by(Mark.id)).all())
    db.session.expire_all()
    extra = ()
    if competitor is not None:
        extra = (competitor.locked_at, competitor.skill.marking_open, competitor.skill.descriptors_only)
    return counts + values + extra
