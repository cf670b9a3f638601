"""A judge on a tablet, in a real headless Chromium: sign in, mark by tapping, lose the
network, mark three more, see "3 waiting", get the network back, and find every mark in the
database exactly once.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

pytestmark = pytest.mark.e2e

E2E_SCHEME = """\
[scheme]
code = "e2e"
name = "Tablet Test Skill"
version = "1"
panel_size = 3
rule = "worldskills_judgement"

[[criterion]]
id = "A"
name = "Workpiece"

[[criterion.sub]]
id = "A1"
name = "Measured"

[[criterion.sub.aspect]]
id = "A1.1"
description = "Length 40 ±0.05"
type = "measurement"
method = "binary"
max = 2

[[criterion.sub.aspect]]
id = "A1.2"
description = "Holes: 0.5 off per hole out of position"
type = "measurement"
method = "deduction"
max = 2
deduction_step = 0.5

[[criterion.sub]]
id = "A2"
name = "Judged"

[[criterion.sub.aspect]]
id = "A2.1"
description = "Surface finish"
type = "judgement"
max = 3
descriptors = ["poor", "industry standard", "above standard", "excellent"]

[[criterion.sub.aspect]]
id = "A2.2"
description = "Edges and deburring"
type = "judgement"
max = 3
descriptors = ["sharp edges left", "deburred", "deburred and even", "flawless"]

[[criterion.sub.aspect]]
id = "A2.3"
description = "Marking legible"
type = "measurement"
method = "stepped"
steps = [0, 1.5, 3]
max = 3
"""


COMPETITORS = [("E-01", "王芳", "Guangdong")]


@pytest.fixture
def tablet_event(seed):
    """The e2e skill, one competitor, two judges (neither from the competitor's organisation)."""
    return seed(E2E_SCHEME, competitors=COMPETITORS, judges=("Wales", "Ireland"))


def open_form(page, sign_in, event) -> None:
    """The first judge signs in on the tablet and opens E-01's form at criterion A."""
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e/")
    page.goto(f"/judge/{event.event}/e2e/E-01/A")


def test_tablet_marks_offline_and_sends_them_once(live_server, tablet, sign_in, tablet_event):
    from playwright.sync_api import expect

    event = tablet_event
    page = tablet
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e/")
    page.tap("a.competitor-link")  # the only competitor: lands on criterion A
    page.wait_for_url(f"**/judge/{event.event}/e2e/E-01/A")
    status = page.locator("#queue-status")

    # Online: two marks by tapping, sent at once.
    page.tap("label[for=a_A1_1-0]")  # A1.1 Yes
    counter = page.locator('fieldset[data-aspect="A1.2"]')
    counter.locator('button[data-delta="1"]').tap()
    counter.locator('button[data-delta="1"]').tap()
    expect(counter.locator("[data-result]")).to_have_text("1")
    expect(page.locator('fieldset[data-aspect="A1.1"] [data-saved]')).to_have_text("Saved")
    expect(counter.locator("[data-saved]")).to_have_text("Saved")
    expect(status).to_have_text("All marks sent")

    # Offline: three more marks wait on the tablet.
    page.context.set_offline(True)
    page.tap("label[for=a_A2_1-2]")  # A2.1 scores 2
    page.tap("label[for=a_A2_2-3]")  # A2.2 scores 3
    page.tap("label[for=a_A2_3-1]")  # A2.3 step 1.5
    expect(status).to_contain_text("3 waiting")
    expect(page.locator("#own-done")).to_have_text("5")
    assert _marks(live_server, event) == {("A1.1", Decimal(1)), ("A1.2", Decimal(2))}

    # Online again: the outbox flushes in order, once.
    page.context.set_offline(False)
    expect(status).to_have_text("All marks sent", timeout=15_000)
    for aspect in ("A2.1", "A2.2", "A2.3"):
        expect(page.locator(f'fieldset[data-aspect="{aspect}"] [data-saved]')).to_have_text("Saved")
    assert page.evaluate("MarkQueue.all().then(function (e) { return e.length; })") == 0

    # Drawn again by the server, the form shows every stored mark: the 1.5 step is selected.
    page.reload()
    expect(page.locator("#a_A2_3-1")).to_be_checked()
    expect(page.locator("#a_A2_1-2")).to_be_checked()
    expect(counter.locator(".counter-input")).to_have_value("2")
    expect(counter.locator("[data-result]")).to_have_text("1")
    counter.locator('button[data-delta="-1"]').tap()
    expect(counter.locator("[data-result]")).to_have_text("1.5")
    expect(counter.locator("[data-saved]")).to_have_text("Saved")

    from competition.extensions import db
    from competition.models import Mark, MarkRevision

    assert _marks(live_server, event) == {("A1.1", Decimal(1)), ("A1.2", Decimal(1)), ("A2.1", Decimal(2)),
                                          ("A2.2", Decimal(3)), ("A2.3", Decimal("1.5"))}
    with live_server.transaction():
        competitor = event.competitors["E-01"]
        assert db.session.scalar(select(func.count(Mark.id)).where(Mark.competitor_id == competitor)) == 5
        revisions = db.session.scalars(select(MarkRevision).join(Mark).where(Mark.competitor_id == competitor)).all()
        # A1.2 was tapped twice within the counter's pause: one entry, not two (and once more after the reload).
        assert len(revisions) == 6 and len({r.idempotency_key for r in revisions}) == 6
        assert all(r.device.startswith("tablet ") for r in revisions)


def test_a_flag_reaches_the_open_form_at_once(live_server, tablet_portrait, sign_in, tablet_event):
    """Another judge's mark that makes the panel disagree shows on this tablet well inside the
    10-second heartbeat: the server nudges open forms over Socket.IO."""
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import User
    from competition.services.marking import record_mark

    event, page = tablet_event, tablet_portrait
    open_form(page, sign_in, event)
    page.tap("label[for=a_A2_1-3]")  # A2.1 scores 3
    aspect = page.locator('fieldset[data-aspect="A2.1"]')
    expect(aspect.locator("[data-saved]")).to_have_text("Saved")
    page.wait_for_timeout(1500)  # the page's socket has connected and follows the skill
    with live_server.transaction():  # the other judge's mark, committed: the nudge goes out after the commit
        other = db.session.get(User, event.judges[1].id)
        record_mark(judge=other, competitor_id=event.competitors["E-01"], aspect_id="A2.1", value=0,
                    idempotency_key=f"{event.event}-other-1")
    expect(aspect).to_have_class(re.compile(r"\bis-flagged\b"), timeout=3_000)


def test_a_measurement_flag_says_what_disagrees_and_clears_when_re_entered(live_server, tablet_portrait, sign_in, tablet_event):
    """The other judge enters the yes/no aspect the other way: the open form flags it at once
    and says what the panel entered; measuring again and re-entering clears it."""
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import User
    from competition.services.marking import record_mark

    event, page = tablet_event, tablet_portrait
    open_form(page, sign_in, event)
    page.tap("label[for=a_A1_1-0]")  # A1.1: yes
    aspect = page.locator('fieldset[data-aspect="A1.1"]')
    expect(aspect.locator("[data-saved]")).to_have_text("Saved")
    page.wait_for_timeout(1500)  # the page's socket has connected and follows the skill
    with live_server.transaction():
        other = db.session.get(User, event.judges[1].id)
        record_mark(judge=other, competitor_id=event.competitors["E-01"], aspect_id="A1.1", value=0,
                    idempotency_key=f"{event.event}-other-no")
    expect(aspect).to_have_class(re.compile(r"\bis-flagged\b"), timeout=3_000)
    expect(aspect.locator("[data-flag-text]")).to_have_text(
        "Flagged: the panel entered yes/no. Measure again together and re-enter, or wait for the chief expert.")
    page.tap("label[for=a_A1_1-1]")  # measured again: no, like the other judge
    expect(aspect).not_to_have_class(re.compile(r"\bis-flagged\b"), timeout=3_000)
    expect(aspect.locator(".note-flag")).to_be_hidden()


def test_a_mark_sent_while_marking_is_closed_waits_on_the_tablet(live_server, tablet, sign_in, tablet_event):
    """The chief expert closes marking; a tapped mark is refused (423), stays queued and
    visible with the reason, and is sent once when marking opens again."""
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import Skill, User
    from competition.services.windows import set_window

    event, page = tablet_event, tablet

    def window(open_: bool):
        with live_server.transaction():
            set_window(db.session.get(Skill, event.skill_id), by=db.session.get(User, event.chief.id), open=open_)

    open_form(page, sign_in, event)
    window(False)
    page.tap("label[for=a_A1_1-0]")  # A1.1 Yes, while marking is closed
    status = page.locator("#queue-status")
    expect(status).to_contain_text("1 waiting")
    expect(status).to_contain_text("closed")
    expect(page.locator('fieldset[data-aspect="A1.1"] [data-saved]')).to_have_text("Waiting to send")
    assert _marks(live_server, event) == set()
    window(True)
    expect(status).to_have_text("All marks sent", timeout=15_000)
    assert _marks(live_server, event) == {("A1.1", Decimal(1))}


def _marks(live_server, event) -> set:
    """(aspect, value) of every mark stored for the event's competitor E-01."""
    from competition.extensions import db
    from competition.models import Mark

    with live_server.transaction():
        marks = db.session.scalars(select(Mark).where(Mark.competitor_id == event.competitors["E-01"]))
        return {(m.aspect_id, m.value) for m in marks}
