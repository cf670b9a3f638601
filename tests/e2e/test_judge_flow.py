"""A judge's flow through a skill in a real headless Chromium: the sign-off follows the marks
without a reload, the competitor list says truthfully what each competitor needs (and can be
filtered), a phone shows who is being marked and every criterion, the form leads on to the
next competitor at the same criterion, and "no deductions" is a choice of its own.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.e2e

FLOW_SCHEME = """\
[scheme]
code = "flow"
name = "Judge Flow Skill"
version = "1"
panel_size = 2
rule = "worldskills_judgement"

[[criterion]]
id = "A"
name = "Workpiece"

[[criterion.sub]]
id = "A1"
name = "Checked"

[[criterion.sub.aspect]]
id = "A1.1"
description = "Holes: 0.5 off per hole out of position"
type = "measurement"
method = "deduction"
max = 2
deduction_step = 0.5

[[criterion.sub.aspect]]
id = "A1.2"
description = "Surface finish"
type = "judgement"
max = 3
descriptors = ["poor", "industry standard", "above standard", "excellent"]
""" + "".join(f"""
[[criterion]]
id = "{c}"
name = "Part {c}"

[[criterion.sub]]
id = "{c}1"
name = "Fit"

[[criterion.sub.aspect]]
id = "{c}1.1"
description = "Part {c} fits the gauge"
type = "measurement"
method = "binary"
max = 1
""" for c in "BCDE")

COMPETITORS = [
    ("E-01", "Siti Nur Rahman binti Abdullah", "Singapore"),
    ("E-02", "王芳", "Guangdong"),
    ("E-03", "Owen Jones", "Wales"),  # the first judge's own organisation: a conflict of interest
    ("E-04", "Lukas Meyer", "Bavaria"),
]
EVERY_ASPECT = {"A1.1": 0, "A1.2": 3, "B1.1": 1, "C1.1": 1, "D1.1": 1, "E1.1": 1}


@pytest.fixture
def flow_event(seed):
    return seed(FLOW_SCHEME, competitors=COMPETITORS, judges=("Wales", "Ireland"))


def _mark(live_server, event, judge: int, code: str, marks: dict) -> None:
    """The judge's marks for one competitor, recorded and committed as a tablet's would be."""
    from competition.extensions import db
    from competition.models import User
    from competition.services.marking import record_mark

    with live_server.transaction():
        who = db.session.get(User, event.judges[judge].id)
        for aspect, value in marks.items():
            record_mark(judge=who, competitor_id=event.competitors[code], aspect_id=aspect, value=value,
                        idempotency_key=f"{event.event}-{judge}-{code}-{aspect}-{value}")


def _stored(live_server, event, code: str, aspect: str):
    from competition.extensions import db
    from competition.models import Mark

    with live_server.transaction():
        return db.session.scalar(select(Mark.value).where(Mark.competitor_id == event.competitors[code], Mark.aspect_id == aspect,
                                                          Mark.judge_id == event.judges[0].id))


def test_the_sign_off_follows_the_last_mark_without_a_reload(live_server, tablet, sign_in, flow_event):
    from playwright.sync_api import expect

    event, page = flow_event, tablet
    _mark(live_server, event, 0, "E-01", {k: v for k, v in EVERY_ASPECT.items() if k != "E1.1"})
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    page.goto(f"/judge/{event.event}/flow/E-01/E")
    button, why = page.locator("form.sign-off button[type=submit]"), page.locator(".sign-off-why")
    expect(button).to_be_disabled()
    expect(why).to_have_text("1 to resolve: E1.1: not marked yet")
    page.evaluate("window.sameDocument = true")

    page.tap("label[for=a_E1_1-0]")  # the last mark: E1.1 yes
    expect(page.locator("#own-done")).to_have_text("6")
    expect(button).to_be_enabled(timeout=5_000)
    expect(why).to_be_hidden()

    # The other judge disagrees on the judgement aspect: the open form's sign-off is blocked again.
    page.wait_for_timeout(1500)  # the page's socket follows the skill
    _mark(live_server, event, 1, "E-01", {"A1.2": 0})
    expect(button).to_be_disabled(timeout=5_000)
    expect(why).to_contain_text("A1.2: the panel's scores differ by more than")
    assert page.evaluate("window.sameDocument") is True  # never reloaded


def test_the_list_never_calls_a_flagged_competitor_ready_to_sign(live_server, tablet, sign_in, flow_event):
    """A flag blocks sign-off, so a fully marked competitor with a flag is not "Ready to sign";
    once the chief expert lets the marks stand, it is, and the flag is gone from the row."""
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import Competitor, User
    from competition.services.judging import record_override

    event, page = flow_event, tablet
    _mark(live_server, event, 0, "E-02", EVERY_ASPECT)  # A1.2: 3
    _mark(live_server, event, 1, "E-02", {"A1.2": 0})  # a spread of 3: flagged
    _mark(live_server, event, 0, "E-04", EVERY_ASPECT)
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    flagged = page.locator(".competitor-row", has_text="E-02")
    expect(flagged.locator(".pill-flag")).to_have_text("1 flagged")
    expect(flagged).not_to_contain_text("Ready to sign")
    expect(page.locator(".competitor-row", has_text="E-04")).to_contain_text("Ready to sign")
    expect(page.locator('[data-state-count="ready"]')).to_have_text("Ready to sign 1")
    expect(page.locator('[data-state-count="flagged"]')).to_have_text("Flagged 1")

    with live_server.transaction():
        record_override(db.session.get(User, event.chief.id), db.session.get(Competitor, event.competitors["E-02"]), "A1.2",
                        "Both scores checked against the workpiece")
    page.reload()
    expect(flagged).to_contain_text("Ready to sign")
    expect(flagged.locator(".pill-flag")).to_have_count(0)
    expect(page.locator('[data-state-count="ready"]')).to_have_text("Ready to sign 2")


def test_a_phone_reaches_every_criterion(live_server, phone, sign_in, flow_event):
    """At 390 px the five criterion tabs wrap instead of running off the screen."""
    from playwright.sync_api import expect

    event, page = flow_event, phone
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    page.goto(f"/judge/{event.event}/flow/E-01/A")
    width = page.viewport_size["width"]
    tabs = page.locator(".criteria-tabs .tab")
    expect(tabs).to_have_count(5)
    for n in range(5):
        box = tabs.nth(n).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"tab {n} is off-screen: {box}"
    tabs.nth(4).tap()  # the last criterion, one tap away
    page.wait_for_url(f"**/judge/{event.event}/flow/E-01/E")


def test_a_phone_keeps_the_competitors_code_and_name_while_marks_wait(live_server, phone, sign_in, flow_event):
    """Offline with a mark waiting, the outbox status takes its line and the code and whole name
    stay readable (they wrap; nothing is cut off with an ellipsis)."""
    from playwright.sync_api import expect

    event, page = flow_event, phone
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    page.goto(f"/judge/{event.event}/flow/E-01/A")
    width = page.viewport_size["width"]
    page.context.set_offline(True)
    page.tap("label[for=a_A1_2-2]")  # A1.2 scores 2, waiting to send
    expect(page.locator("#queue-status")).to_contain_text("1 waiting")
    title = page.locator(".competitor-title")
    expect(title).to_have_text(re.compile(r"E-01\s+Siti Nur Rahman binti Abdullah"))
    box = title.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"), \
        "the competitor's name is cut off"
    page.context.set_offline(False)
    expect(page.locator("#queue-status")).to_have_text("All marks sent", timeout=15_000)


def test_next_competitor_at_the_same_criterion(live_server, tablet_portrait, sign_in, flow_event):
    """From E-02 at criterion B the form leads to E-04 at B: E-03 is the judge's own organisation's."""
    from playwright.sync_api import expect

    event, page = flow_event, tablet_portrait
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    page.goto(f"/judge/{event.event}/flow/E-01/B")
    following = page.locator("#next-competitor")
    expect(following).to_have_text("Next competitor, same criterion: E-02 · B ›")
    following.tap()
    page.wait_for_url(f"**/judge/{event.event}/flow/E-02/B")
    following.tap()
    page.wait_for_url(f"**/judge/{event.event}/flow/E-04/B")
    expect(following).to_have_count(0)  # the last one


def test_the_list_has_a_summary_and_a_filter(live_server, tablet, sign_in, flow_event):
    from playwright.sync_api import expect

    event, page = flow_event, tablet
    _mark(live_server, event, 0, "E-04", EVERY_ASPECT)
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    summary = page.locator("#list-summary")
    expect(summary).to_have_text(re.compile(r"4 competitors\s*To mark 2\s*Flagged 0\s*Ready to sign 1\s*Signed off 0"))
    rows = page.locator(".competitor-row:visible")
    expect(rows).to_have_count(4)

    page.fill("#list-q", "王")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("E-02")
    page.fill("#list-q", "meyer")
    expect(rows).to_have_text(re.compile("E-04"))
    page.fill("#list-q", "")
    page.select_option("#list-state", "to-mark")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("E-01")
    expect(rows.nth(1)).to_contain_text("E-02")
    page.locator('[data-state-count="ready"]').tap()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("E-04")
    page.reload()  # the address keeps the filter
    expect(rows).to_have_count(1)
    expect(page.locator("#list-state")).to_have_value("ready")


def test_no_deductions_is_a_choice_that_says_what_it_records(live_server, tablet, sign_in, flow_event):
    from playwright.sync_api import expect

    event, page = flow_event, tablet
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/flow/")
    page.goto(f"/judge/{event.event}/flow/E-01/A")
    aspect = page.locator('fieldset[data-aspect="A1.1"]')
    none = aspect.get_by_role("button", name=re.compile("No deductions"))
    expect(none).to_contain_text("Records 0 deductions: mark 2 of 2")
    expect(none).to_have_attribute("aria-pressed", "false")
    none.tap()
    expect(aspect.locator("[data-saved]")).to_have_text("Saved")
    expect(none).to_have_attribute("aria-pressed", "true")
    expect(aspect.locator("[data-result]")).to_have_text("2")
    assert _stored(live_server, event, "E-01", "A1.1") == Decimal(0)
    aspect.locator('button[data-delta="1"]').tap()  # one deduction after all
    expect(none).to_have_attribute("aria-pressed", "false")
