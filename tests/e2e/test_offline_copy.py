"""A judge's whole assigned work on the tablet, offline, in a real headless Chromium: after one
visit online, every criterion form of every assigned competitor opens without the network,
says that it is a copy and from when, and shows the marks saved before and queued since;
signing out drops the copy and keeps one judge's waiting marks from the next person.

``context.set_offline`` cuts the page and its service worker (static/js/sw.js) alike.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.e2e

SCHEME = """\
[scheme]
code = "e2e-off"
name = "Offline Test Skill"
version = "1"
panel_size = 2
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
description = "Surface finish"
type = "judgement"
max = 3
descriptors = ["poor", "industry standard", "above standard", "excellent"]

[[criterion]]
id = "B"
name = "Presentation"

[[criterion.sub]]
id = "B1"
name = "Judged"

[[criterion.sub.aspect]]
id = "B1.1"
description = "Edges and deburring"
type = "judgement"
max = 3
descriptors = ["sharp edges left", "deburred", "deburred and even", "flawless"]

[[criterion.sub.aspect]]
id = "B1.2"
description = "Marking legible"
type = "measurement"
method = "binary"
max = 1
"""

COMPETITORS = [("F-01", "王芳", "Guangdong"), ("F-02", "Li Lei", "Beijing")]


@pytest.fixture
def offline_event(seed):
    return seed(SCHEME, competitors=COMPETITORS, judges=("Wales", "Ireland"))


def go_offline(context, offline: bool) -> None:
    context.set_offline(offline)


def ready_offline(page) -> None:
    """Wait until the tablet says it holds the judge's work. A tablet that never says so is
    then tested as it stands: the test fails where the judge would notice."""
    from playwright.sync_api import expect

    try:
        expect(page.locator("#offline-ready")).to_contain_text("Ready to mark offline", timeout=20_000)
    except AssertionError:
        pass


def test_every_assigned_form_is_markable_offline_after_one_visit(live_server, tablet, sign_in, offline_event):
    from playwright.sync_api import expect

    event, page = offline_event, tablet
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e-off/")
    ready_offline(page)
    go_offline(page.context, True)

    # A competitor and criterion never opened on this tablet: the form, with its navigation.
    page.goto(f"/judge/{event.event}/e2e-off/F-02/B")
    expect(page.locator("h1.competitor-title")).to_contain_text("F-02")
    expect(page.locator(".criteria-tabs .tab")).to_have_count(2)
    banner = page.locator("#offline-banner")
    expect(banner).to_be_visible()
    expect(banner.locator(".offline-text")).to_have_text(re.compile(r"^Offline copy from \d\d:\d\d — marks you enter are queued$"))

    page.tap("label[for=a_B1_1-2]")  # B1.1 scores 2, offline
    expect(page.locator("#queue-status")).to_contain_text("1 waiting")

    # To criterion A by its tab and back: no "Leave site?", and the queued mark shows as entered.
    page.tap(".criteria-tabs .tab >> text=A")
    page.wait_for_url("**/F-02/A")
    expect(page.locator('fieldset[data-aspect="A1.1"]')).to_be_visible()
    page.tap(".criteria-tabs .tab >> text=B")
    page.wait_for_url("**/F-02/B")
    aspect = page.locator('fieldset[data-aspect="B1.1"]')
    expect(page.locator("#a_B1_1-2")).to_be_checked()
    expect(aspect).not_to_have_class(re.compile(r"\bis-missing\b"))
    expect(aspect.locator(".state-missing")).to_be_hidden()
    expect(aspect.locator("[data-saved]")).to_have_text("Waiting to send")
    expect(page.locator("#own-done")).to_have_text("1")

    # The competitor list is there too, with its navigation.
    page.goto(f"/judge/{event.event}/e2e-off/")
    expect(page.locator("a.competitor-link")).to_have_count(2)
    expect(banner).to_contain_text("Offline copy from")
    expect(page.locator("a.competitor-link", has_text="F-02").locator(".pill-waiting")).to_have_text("1 mark waiting to send")
    expect(page.locator("a.competitor-link", has_text="F-01").locator(".pill-waiting")).to_have_count(0)
    assert dialogs == []

    go_offline(page.context, False)
    page.goto(f"/judge/{event.event}/e2e-off/F-02/B")
    expect(page.locator("#queue-status")).to_have_text("All marks sent", timeout=15_000)
    expect(page.locator("#offline-banner")).to_be_hidden()
    assert _marks(live_server, event, "F-02") == {("B1.1", Decimal(2))}


def test_a_mark_saved_online_shows_as_saved_on_the_offline_copy(live_server, tablet, sign_in, offline_event):
    """The form was copied before the mark: offline, the copy still shows the mark, not
    "Not marked yet"."""
    from playwright.sync_api import expect

    event, page = offline_event, tablet
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e-off/")
    ready_offline(page)
    for criterion in ("A", "B", "A"):  # opened before, as a judge moves between criteria
        page.goto(f"/judge/{event.event}/e2e-off/F-01/{criterion}")
    page.tap("label[for=a_A1_2-3]")  # A1.2 scores 3, online
    aspect = page.locator('fieldset[data-aspect="A1.2"]')
    expect(aspect.locator("[data-saved]")).to_have_text("Saved")

    go_offline(page.context, True)
    page.goto(f"/judge/{event.event}/e2e-off/F-01/B")  # the copy of B, then A's copy from before the mark
    page.goto(f"/judge/{event.event}/e2e-off/F-01/A")
    expect(page.locator("#a_A1_2-3")).to_be_checked()
    expect(aspect).not_to_have_class(re.compile(r"\bis-missing\b"))
    expect(aspect.locator(".state-missing")).to_be_hidden()
    expect(aspect.locator("[data-saved]")).to_have_text("Saved")
    expect(page.locator("#queue-status")).to_have_text("All marks sent")
    expect(page.locator("#offline-banner")).to_contain_text("Offline copy from")


def test_a_page_outside_the_copy_keeps_the_navigation(live_server, tablet, sign_in, offline_event):
    from playwright.sync_api import expect

    event, page = offline_event, tablet
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e-off/")
    ready_offline(page)
    go_offline(page.context, True)
    page.goto(f"/judge/{event.event}/e2e-off/F-01/Z")  # no such criterion: never copied
    expect(page.locator("h1")).to_have_text("Not in the offline copy")
    expect(page.locator(".topbar")).to_be_visible()
    page.tap("text=My competitors")
    expect(page.locator("a.competitor-link")).to_have_count(2)


@pytest.mark.parametrize("signing_out_on", ["a judge page", "the home page"])
def test_sign_out_drops_the_copy_of_the_judges_pages(live_server, tablet, sign_in, offline_event, signing_out_on):
    """A shared tablet: after sign-out no judge page is left in the service worker's caches,
    whichever page the judge signed out on (the worker sees the sign-out go by)."""
    event, page = offline_event, tablet
    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e-off/")
    ready_offline(page)
    for criterion in ("A", "B", "A"):
        page.goto(f"/judge/{event.event}/e2e-off/F-01/{criterion}")
    for _ in range(50):  # the copy of a page just opened is written while it shows
        if _copied_pages(page) > 0:
            break
        page.wait_for_timeout(100)
    assert _copied_pages(page) > 0
    if signing_out_on == "the home page":
        page.goto("/")
    with page.expect_navigation():
        page.click(".topbar form.inline button[type=submit]")
    page.wait_for_url("**/sign-in")
    assert _copied_pages(page) == 0


def test_waiting_marks_are_not_the_next_persons_and_sign_out_warns(live_server, tablet, sign_in, offline_event):
    """Judge 1 signs out with a mark still waiting (marking is closed): the tablet warns first,
    and judge 2, signing in on the same tablet, neither sees nor sends judge 1's mark."""
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import Skill, User
    from competition.services.windows import set_window

    event, page = offline_event, tablet

    def window(open_: bool):
        with live_server.transaction():
            set_window(db.session.get(Skill, event.skill_id), by=db.session.get(User, event.chief.id), open=open_)

    sign_in(page, event.judges[0], lands_on=f"/judge/{event.event}/e2e-off/")
    page.goto(f"/judge/{event.event}/e2e-off/F-01/A")
    window(False)
    page.tap("label[for=a_A1_2-1]")  # waits: marking is closed
    expect(page.locator("#queue-status")).to_contain_text("1 waiting")

    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    with page.expect_navigation():
        page.click(".topbar form.inline button[type=submit]")
    page.wait_for_url("**/sign-in")

    window(True)
    sign_in(page, event.judges[1], lands_on=f"/judge/{event.event}/e2e-off/")
    page.goto(f"/judge/{event.event}/e2e-off/F-01/A")
    expect(page.locator('fieldset[data-aspect="A1.2"] .state-missing')).to_be_visible()
    expect(page.locator("#queue-status")).to_have_text("All marks sent")
    page.wait_for_timeout(1500)
    assert _marks(live_server, event, "F-01") == set()
    assert page.evaluate("MarkQueue.all().then(function (e) { return e.length; })") == 0
    assert dialogs and "1 mark has not been sent yet" in dialogs[0], dialogs


def _copied_pages(page) -> int:
    """How many judge pages the browser's caches hold."""
    return page.evaluate("""async () => {
        let pages = 0;
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) {
                if (new URL(request.url).pathname.startsWith('/judge/')) pages += 1;
            }
        }
        return pages;
    }""")


def _marks(live_server, event, code) -> set:
    from competition.extensions import db
    from competition.models import Mark

    with live_server.transaction():
        marks = db.session.scalars(select(Mark).where(Mark.competitor_id == event.competitors[code]))
        return {(m.aspect_id, m.value) for m in marks}
