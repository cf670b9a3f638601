"""An organiser may read every skill's chief expert pages: in a real headless Chromium, they get
there from where they land (the home page), from the console and from /judge/, and nothing on
those pages leads them to a page they may not open.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import pytest

from tests.factories import TINY_COMPETITORS, TINY_SCHEME

pytestmark = pytest.mark.e2e


@pytest.fixture
def event(seed):
    return seed(TINY_SCHEME, competitors=TINY_COMPETITORS)


def _overview(event) -> str:
    return f"/chief/{event.event}/{event.skill}/"


def _every_link_opens(page) -> None:
    """Every link of the page's header and main part answers, none with 'not allowed'."""
    hrefs = page.eval_on_selector_all("header a[href], main a[href]", "links => links.map(a => a.getAttribute('href'))")
    for href in sorted({h.split("#")[0] for h in hrefs if h.startswith("/") and not h.startswith("/board")}):
        status = page.request.get(href, max_redirects=0).status
        assert status in (200, 302, 303), f"{page.url}: the link {href} answers {status}"


def test_an_organiser_reaches_the_chief_experts_pages_from_the_home_page(tablet, sign_in, event):
    from playwright.sync_api import expect

    sign_in(tablet, event.organiser, lands_on="/")
    skill = tablet.locator(f"#skill-{event.skill}")
    skill.get_by_role("link", name="Chief expert's overview ›").click()
    expect(tablet).to_have_url(f"{tablet.evaluate('location.origin')}{_overview(event)}")
    expect(tablet.locator("main")).to_contain_text("Organiser view: read only.")
    _every_link_opens(tablet)
    tablet.get_by_role("link", name="T-01").click()
    expect(tablet.locator("h1")).to_contain_text("T-01")
    _every_link_opens(tablet)


def test_the_console_leads_an_organiser_to_each_skills_chief_expert_pages(tablet, sign_in, event):
    from playwright.sync_api import expect

    sign_in(tablet, event.organiser, lands_on="/")
    for page in (f"/console/events/{event.event}", f"/console/events/{event.event}/panels",
                 f"/console/events/{event.event}/skills/{event.skill}/panel", f"/console/events/{event.event}/progress"):
        tablet.goto(page)
        link = tablet.locator(f"main a[href='{_overview(event)}']")
        expect(link.first).to_be_visible()
    tablet.locator(f"main a[href='{_overview(event)}']").first.click()
    expect(tablet.locator("h1")).to_contain_text(event.skill)


def test_judge_pages_tell_an_organiser_where_to_go_instead_of_asking_the_organiser(tablet, sign_in, event):
    from playwright.sync_api import expect

    sign_in(tablet, event.organiser, lands_on="/")
    tablet.goto("/judge/")
    main = tablet.locator("main")
    expect(main).not_to_contain_text("Ask the chief expert or the organiser")
    expect(main).to_contain_text("organisers do not mark")
    expect(main.locator(f"a[href='/console/events/{event.event}/progress']")).to_be_visible()
    main.locator(f"a[href='{_overview(event)}']").click()
    expect(tablet.locator("h1")).to_contain_text(event.skill)
    refused = tablet.goto(f"/judge/{event.event}/{event.skill}/")
    assert refused.status == 403
    expect(tablet.locator("main")).not_to_contain_text("ask the organiser")
    expect(tablet.locator("main")).to_contain_text("Organisers do not mark")
