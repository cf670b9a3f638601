"""The chief expert's two weighty decisions ask first, on a page of their own: unlocking a
competitor (every sign-off is withdrawn) and closing marking (judges can no longer save marks).
A post without the confirmation page's ``confirmed=1`` shows that page and changes nothing."""

from __future__ import annotations

import re

from competition.extensions import db
from competition.models import MarkingWindow
from competition.services.judging import sign_off
from tests.factories import mark
from tests.judging import judging_event, sign_in, stored_state


def _locked(setup):
    """T-01 marked by its whole panel and signed off by each: locked."""
    judges, t1 = setup["judges"], setup["skill"].competitors[0]
    for judge in judges:
        for aspect, value in (("A1.1", 1), ("A1.2", 0), ("B1.1", 2), ("B1.2", 3)):
            if judge is judges[0] or aspect.startswith("B"):
                mark(judge, t1, aspect, value)
    for judge in judges:
        sign_off(judge, t1)
    db.session.commit()
    assert t1.locked
    return t1


def _no_inline_scripts(page: str) -> None:
    """The confirmation works without script: nothing inline for a Content-Security-Policy to block."""
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "onclick" not in page and "onsubmit" not in page and "confirm(" not in page


def test_unlocking_asks_first_and_names_the_sign_offs_it_withdraws(app, client, tmp_path):
    setup = judging_event(tmp_path)
    t1 = _locked(setup)
    sign_in(client, "chief")
    sheet = client.get("/chief/test/tiny/T-01").get_data(as_text=True)
    assert 'href="/chief/test/tiny/T-01/unlock"' in sheet  # the sheet leads to the question, it does not unlock

    question = client.get("/chief/test/tiny/T-01/unlock")
    page = question.get_data(as_text=True)
    assert question.status_code == 200 and "Unlock T-01?" in page
    assert "Judge 1, Judge 2, Judge 3" in page and 'name="confirmed" value="1"' in page
    _no_inline_scripts(page)

    before = stored_state(t1)
    unconfirmed = client.post("/chief/test/tiny/T-01/unlock", data={"reason": "B1.2 was entered for the wrong part"})
    assert unconfirmed.status_code == 200 and "Unlock T-01?" in unconfirmed.get_data(as_text=True)
    assert "B1.2 was entered for the wrong part" in unconfirmed.get_data(as_text=True)  # the reason is kept for the confirmation
    assert stored_state(t1) == before and t1.locked

    no_reason = client.post("/chief/test/tiny/T-01/unlock", data={"reason": "", "confirmed": "1"})
    assert no_reason.status_code == 422 and "Give the reason for unlocking" in no_reason.get_data(as_text=True)
    assert stored_state(t1) == before

    done = client.post("/chief/test/tiny/T-01/unlock", data={"reason": "B1.2 was entered for the wrong part", "confirmed": "1"})
    assert done.status_code == 303 and done.location == "/chief/test/tiny/T-01"
    db.session.expire_all()
    assert not t1.locked


def test_only_the_chief_expert_is_asked_and_only_about_a_locked_competitor(app, client, tmp_path):
    setup = judging_event(tmp_path)
    sign_in(client, "chief")
    not_locked = client.get("/chief/test/tiny/T-01/unlock")
    assert not_locked.status_code == 303 and not_locked.location == "/chief/test/tiny/T-01"
    _locked(setup)
    organiser = app.test_client()
    sign_in(organiser, "organiser")
    assert organiser.get("/chief/test/tiny/T-01/unlock").status_code == 403
    judge = app.test_client()
    sign_in(judge, "judge1")
    assert judge.get("/chief/test/tiny/T-01/unlock").status_code == 403


def test_closing_marking_asks_first_and_names_the_judges_still_marking(app, client, tmp_path):
    setup = judging_event(tmp_path)
    skill, t1 = setup["skill"], setup["skill"].competitors[0]
    mark(setup["judges"][0], t1, "B1.1", 2)
    sign_in(client, "chief")
    overview = client.get("/chief/test/tiny/").get_data(as_text=True)
    assert "Close marking for the skill" in overview

    question = client.post("/chief/test/tiny/marking", data={"kind": "skill", "key": "", "open": "0"})
    page = question.get_data(as_text=True)
    assert question.status_code == 200 and "Close marking for" in page and "?</h1>" in page
    assert "Judge 1" in page and "Judge 2" in page and 'name="confirmed" value="1"' in page
    _no_inline_scripts(page)
    db.session.expire_all()
    assert skill.marking_open

    criterion = client.post("/chief/test/tiny/marking", data={"kind": "criterion", "key": "B", "open": "0"})
    assert "Close marking for criterion B?" in criterion.get_data(as_text=True)
    assert db.session.query(MarkingWindow).count() == 0

    closed = client.post("/chief/test/tiny/marking", data={"kind": "skill", "key": "", "open": "0", "confirmed": "1"})
    assert closed.status_code == 303
    db.session.expire_all()
    assert not skill.marking_open
    # Opening again needs no question: it takes nothing away.
    opened = client.post("/chief/test/tiny/marking", data={"kind": "skill", "key": "", "open": "1"})
    assert opened.status_code == 303
    db.session.expire_all()
    assert skill.marking_open


def test_a_criterion_the_scheme_does_not_have_is_refused_not_asked_about(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "chief")
    refused = client.post("/chief/test/tiny/marking", data={"kind": "criterion", "key": "Z", "open": "0"}, follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "Close marking for criterion Z?" not in page and "no criterion" in page
