"""The chief expert's pages in a real headless Chromium: what needs attention comes first and jumps
to the aspect; each judge's share is named; the page follows the marking in place, without
reloading, so what the chief expert opened, typed or scrolled to stays; unlocking asks first.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

def _scheme() -> str:
    """A, B, C with four judgement aspects each: a sheet long enough that C is far below the first screen."""
    text = """\
[scheme]
code = "sheet"
name = "Sheet Test Skill"
version = "1"
panel_size = 3
rule = "worldskills_judgement"
"""
    for c in "ABC":
        text += f'\n[[criterion]]\nid = "{c}"\nname = "Criterion {c}"\n\n[[criterion.sub]]\nid = "{c}1"\nname = "Part {c}"\n'
        for n in range(1, 5):
            text += (f'\n[[criterion.sub.aspect]]\nid = "{c}1.{n}"\n'
                     f'description = "Workmanship of part {c}{n}, judged against the drawing, the standard and the finish"\n'
                     'type = "judgement"\nmax = 3\ndescriptors = ["poor", "standard", "good", "excellent"]\n')
    return text


ALL = [f"{c}1.{n}" for c in "ABC" for n in range(1, 5)]
FLAGGED = "C1.2"  # the panel scores 0, 3, 0: a spread of 3
FLAGGED_ROW = "#aspect-C1\\.2"  # the row's id as a CSS selector


@pytest.fixture
def sheet_event(seed, live_server):
    """K-01 marked by the whole panel except judge 3's C1.4, with C1.2 flagged."""
    event = seed(_scheme(), competitors=[("K-01", "Kim Lee", "Wales"), ("K-02", "Ana Souza", "Bavaria")])
    with live_server.transaction():
        for number, judge in enumerate(event.judges):
            for aspect in ALL:
                if aspect == "C1.4" and number == 2:
                    continue
                value = (0, 3, 0)[number] if aspect == FLAGGED else 2
                _record(event, judge, "K-01", aspect, value)
    return event


def _record(event, judge, competitor: str, aspect: str, value) -> None:
    """A mark through the marking service, in the caller's transaction (committed with it)."""
    from competition.extensions import db
    from competition.models import User
    from competition.services.marking import record_mark

    record_mark(judge=db.session.get(User, judge.id), competitor_id=event.competitors[competitor], aspect_id=aspect, value=value,
                idempotency_key=f"sheet-{event.event}-{judge.id}-{competitor}-{aspect}-{value}")


def _chief_on_sheet(page, sign_in, event, code="K-01"):
    sign_in(page, event.chief)
    page.goto(f"/chief/{event.event}/{event.skill}/{code}")


def test_the_sheet_says_first_what_needs_attention_and_jumps_to_the_flagged_aspect(tablet, sign_in, sheet_event):
    from playwright.sync_api import expect

    _chief_on_sheet(tablet, sign_in, sheet_event)
    summary = tablet.locator("#attention")
    expect(summary).to_be_in_viewport()  # on the first screen, before the marks
    expect(summary).to_contain_text("1 open flag")
    expect(summary).to_contain_text("1 aspect not marked yet")
    expect(summary).to_contain_text("3 judges have not signed off")
    expect(summary.locator("li[data-judge$='-judge1']")).to_contain_text("12/12 marked")
    expect(summary.locator("li[data-judge$='-judge3']")).to_contain_text("11/12 marked")
    row = tablet.locator(FLAGGED_ROW)
    expect(row).not_to_be_in_viewport()
    summary.locator(f"a[href='#aspect-{FLAGGED}']").click()
    expect(row).to_be_in_viewport()
    assert tablet.evaluate("location.hash") == f"#aspect-{FLAGGED}"
    expect(summary.locator("a[href='#aspect-C1.4']")).to_be_visible()  # the aspect judge 3 has not marked


def test_the_overview_names_how_far_each_judge_is(tablet, sign_in, sheet_event):
    from playwright.sync_api import expect

    sign_in(tablet, sheet_event.chief, lands_on=f"/chief/{sheet_event.event}/{sheet_event.skill}/")
    judges = tablet.locator("[data-live=judges]")
    expect(judges.locator("tr[data-judge$='-judge1']")).to_contain_text("12 / 24")  # K-01 all, K-02 nothing yet
    expect(judges.locator("tr[data-judge$='-judge3']")).to_contain_text("11 / 24")
    k01 = tablet.locator("tr", has=tablet.locator("a", has_text="K-01"))
    expect(k01).to_contain_text("Judge 3: 11/12")
    flag = k01.locator(f"a[href$='#aspect-{FLAGGED}']")
    flag.click()
    expect(tablet.locator(FLAGGED_ROW)).to_be_in_viewport()


def test_the_sheet_follows_the_marking_in_place_keeping_what_is_open_typed_and_scrolled_to(tablet, sign_in, sheet_event, live_server):
    from playwright.sync_api import expect

    _chief_on_sheet(tablet, sign_in, sheet_event)
    tablet.wait_for_function("() => document.querySelector('[data-follow-skill]').dataset.following === 'yes'")
    tablet.evaluate("window.__samePage = true")
    flagged = tablet.locator(FLAGGED_ROW)
    history = flagged.locator("details").first
    history.locator("summary").click()
    expect(history).to_have_attribute("open", "")
    reason = flagged.locator("textarea[name=reason]")
    reason.fill("The panel looked at the part again and")  # half a reason, then the chief expert reads on
    tablet.locator("h1").first.click()
    flagged.scroll_into_view_if_needed()
    tablet.mouse.wheel(0, 120)
    tablet.wait_for_timeout(300)
    top = flagged.bounding_box()["y"]

    with live_server.transaction():  # judge 3 marks the last aspect on their tablet
        _record(sheet_event, sheet_event.judges[2], "K-01", "C1.4", 1)

    late = tablet.locator("#aspect-C1\\.4 td").nth(3)  # aspect, judge 1, judge 2, judge 3
    expect(late).to_contain_text("1", timeout=5000)
    assert tablet.evaluate("window.__samePage") is True, "the page reloaded"
    expect(flagged.locator("details").first).to_have_attribute("open", "")
    expect(reason).to_have_value("The panel looked at the part again and")
    assert abs(flagged.bounding_box()["y"] - top) < 4, "the row the chief expert was reading moved"
    expect(tablet.locator("#attention")).not_to_contain_text("aspect not marked yet")
    expect(tablet.locator("#attention li[data-judge$='-judge3']")).to_contain_text("12/12 marked")


def test_the_overview_follows_the_marking_in_place(tablet, sign_in, sheet_event, live_server):
    from playwright.sync_api import expect

    sign_in(tablet, sheet_event.chief, lands_on=f"/chief/{sheet_event.event}/{sheet_event.skill}/")
    tablet.wait_for_function("() => document.querySelector('[data-follow-skill]').dataset.following === 'yes'")
    tablet.evaluate("window.__samePage = true")
    with live_server.transaction():
        _record(sheet_event, sheet_event.judges[0], "K-02", "A1.1", 2)
    expect(tablet.locator("[data-live=judges] tr[data-judge$='-judge1']")).to_contain_text("13 / 24", timeout=5000)
    assert tablet.evaluate("window.__samePage") is True, "the page reloaded"


def test_unlocking_asks_on_a_page_of_its_own(tablet, sign_in, sheet_event, live_server):
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import Competitor, User
    from competition.services.judging import record_override, sign_off

    with live_server.transaction():
        _record(sheet_event, sheet_event.judges[2], "K-01", "C1.4", 2)
        k01 = db.session.get(Competitor, sheet_event.competitors["K-01"])
        record_override(db.session.get(User, sheet_event.chief.id), k01, FLAGGED, "Looked again together: the marks stand.")
        for judge in sheet_event.judges:
            sign_off(db.session.get(User, judge.id), k01)
    _chief_on_sheet(tablet, sign_in, sheet_event)
    expect(tablet.locator("#attention")).to_contain_text("Nothing: every aspect is marked")
    tablet.get_by_role("link", name="Unlock K-01…").click()
    expect(tablet.locator("h1")).to_have_text("Unlock K-01?")
    expect(tablet.locator(".consequence")).to_contain_text("Judge 1, Judge 2, Judge 3")
    tablet.locator("textarea[name=reason]").fill("C1.2 was scored against the wrong drawing")
    tablet.get_by_role("button", name="Unlock K-01").click()
    expect(tablet.locator(".flash")).to_contain_text("K-01 unlocked")
    expect(tablet.locator("[data-live=state]")).to_contain_text("Not locked")
