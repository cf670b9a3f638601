"""The organiser's remote in a real headless Chromium: presenter-clicker presses 120 ms apart
each reveal one place, without a page reload; a press whose answer is lost is sent again and
still reveals once; Reset and "Live scores" in the middle of the ceremony take a second tap.

Browser, server and sign-in: tests/e2e/conftest.py.
"""

from __future__ import annotations

import pytest

from tests.factories import TINY_SCHEME

pytestmark = pytest.mark.e2e

COMPETITORS = [(f"T-0{n}", f"Competitor {n}", f"Region {n}") for n in range(1, 7)]


@pytest.fixture
def ceremony(live_server, seed):
    """The tiny skill with six competitors, completely marked and locked, in reveal mode."""
    from competition.extensions import db
    from competition.models import Competitor, Skill, User
    from competition.services.boards import set_display_mode
    from competition.services.locking import lock_competitor
    from tests.factories import mark

    seeded = seed(TINY_SCHEME, competitors=COMPETITORS)
    with live_server.transaction():
        judges = [db.session.get(User, judge.id) for judge in seeded.judges]
        for n, competitor_id in enumerate(seeded.competitors.values()):
            competitor = db.session.get(Competitor, competitor_id)
            for judge in judges:
                mark(judge, competitor, "B1.1", n % 4, commit=False)
            for aspect, value in (("A1.1", n % 2), ("A1.2", 0), ("B1.2", "0")):
                mark(judges[0], competitor, aspect, value, commit=False)
            lock_competitor(competitor)
        set_display_mode(db.session.get(Skill, seeded.skill_id), "reveal", by=db.session.get(User, seeded.organiser.id))
    return seeded


def revealed(live_server, seeded) -> int | None:
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models.boards import BoardState

    with live_server.transaction():
        return db.session.scalar(select(BoardState.revealed).where(BoardState.skill_id == seeded.skill_id))


def open_remote(page, sign_in, seeded):
    sign_in(page, seeded.organiser)
    page.goto(f"/board-control/{seeded.event}")
    page.evaluate("window.__samePage = true")  # gone if the page is ever loaded again


def status(page):
    return page.locator("#skill-tiny .ceremony .status")


def test_four_clicker_presses_120_ms_apart_reveal_four_places(live_server, tablet, sign_in, ceremony):
    from playwright.sync_api import expect

    open_remote(tablet, sign_in, ceremony)
    errors = []
    tablet.on("pageerror", lambda error: errors.append(str(error)))
    tablet.keyboard.press("PageDown")  # the clicker's first press starts the ceremony: the curtain
    expect(status(tablet)).to_have_text("0 of 6 places revealed.")
    for key in ("PageDown", "ArrowRight", "Space", "PageDown"):
        tablet.keyboard.press(key)
        tablet.wait_for_timeout(120)
    expect(status(tablet)).to_have_text("4 of 6 places revealed.")
    tablet.wait_for_timeout(500)  # nothing more arrives
    assert revealed(live_server, ceremony) == 4
    expect(status(tablet)).to_have_text("4 of 6 places revealed.")
    assert tablet.evaluate("window.__samePage") is True, "the remote reloaded the page"
    expect(tablet.locator("#skill-tiny .upcoming")).to_contain_text("place 2")
    expect(tablet.locator("#skill-tiny .latest")).to_contain_text("place 3")
    tablet.keyboard.press("PageUp")  # back one
    expect(status(tablet)).to_have_text("3 of 6 places revealed.")
    # Taps on the big button go the same way.
    for _ in range(2):
        tablet.tap("#skill-tiny button[data-key=next]")
        tablet.wait_for_timeout(120)
    expect(status(tablet)).to_have_text("5 of 6 places revealed.")
    assert revealed(live_server, ceremony) == 5 and tablet.evaluate("window.__samePage") is True
    assert errors == []


def test_a_press_whose_answer_is_lost_is_sent_again_and_reveals_once(live_server, tablet, sign_in, ceremony):
    from playwright.sync_api import expect

    open_remote(tablet, sign_in, ceremony)
    tablet.keyboard.press("PageDown")
    expect(status(tablet)).to_have_text("0 of 6 places revealed.")
    lost = []

    def lose_first_answer(route):
        if not lost:  # the server takes the press; its answer never reaches the remote
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    tablet.route("**/reveal", lose_first_answer)
    tablet.keyboard.press("PageDown")
    tablet.wait_for_timeout(120)
    tablet.keyboard.press("PageDown")
    expect(status(tablet)).to_have_text("2 of 6 places revealed.")
    tablet.wait_for_timeout(500)
    assert lost == [200] and revealed(live_server, ceremony) == 2


def test_reset_and_live_scores_take_a_second_tap_during_the_ceremony(live_server, tablet_portrait, sign_in, ceremony):
    from playwright.sync_api import expect

    page = tablet_portrait  # a tablet held upright at the stage (the phone's layout is wider than 390 px: another item of the issue)

    open_remote(page, sign_in, ceremony)
    page.tap("#skill-tiny button[value=start]")
    expect(status(page)).to_have_text("0 of 6 places revealed.")
    page.tap("#skill-tiny button[data-key=next]")
    expect(status(page)).to_have_text("1 of 6 places revealed.")

    reset = page.locator("#skill-tiny button[value=reset]")
    reset.tap()  # one tap: nothing happens but the question
    expect(reset).to_have_text("Tap again to confirm reset")
    page.wait_for_timeout(300)
    assert revealed(live_server, ceremony) == 1
    expect(reset).to_have_text("Reset", timeout=6000)  # not confirmed: it goes back after a few seconds
    assert revealed(live_server, ceremony) == 1
    reset.tap()
    reset.tap()
    expect(status(page)).to_have_text("Not started: the boards show a curtain, no standings.")
    assert revealed(live_server, ceremony) is None

    page.tap("#skill-tiny button[value=start]")
    page.tap("#skill-tiny button[data-key=next]")
    expect(status(page)).to_have_text("1 of 6 places revealed.")
    live = page.locator("#skill-tiny .modes button[value=live]")
    live.tap()
    expect(live).to_have_text("Tap again: Live scores, ending the ceremony")
    page.wait_for_timeout(300)
    assert revealed(live_server, ceremony) == 1 and page.evaluate("window.__samePage") is True
    with page.expect_navigation():
        live.tap()
    expect(page.locator("#skill-tiny .modes button[value=live]")).to_have_attribute("aria-pressed", "true")
    assert revealed(live_server, ceremony) is None


def test_the_remote_fits_a_phone_and_taps_reveal_in_place(live_server, phone, sign_in, ceremony):
    from playwright.sync_api import expect

    open_remote(phone, sign_in, ceremony)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.tap("#skill-tiny button[value=start]")
    expect(status(phone)).to_have_text("0 of 6 places revealed.")
    for _ in range(3):
        phone.tap("#skill-tiny button[data-key=next]")
        phone.wait_for_timeout(120)
    expect(status(phone)).to_have_text("3 of 6 places revealed.")
    assert revealed(live_server, ceremony) == 3 and phone.evaluate("window.__samePage") is True
