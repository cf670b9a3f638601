"""A real headless Chromium watches a board while marks are recorded on the server."""

from __future__ import annotations

import re
import time

import pytest

from tests.factories import TINY_COMPETITORS, TINY_SCHEME

pytestmark = pytest.mark.e2e

SCORE = re.compile(r"\d+\.\d\d")  # how every score is written (two decimals)

# Records, from the first paint on, every moment the page showed something that looks like a score.
WATCH_FOR_SCORES = """
window.__scoresSeen = [];
new MutationObserver(function () {
  var text = document.body ? document.body.innerText : "";
  var found = text.match(/\\d+\\.\\d\\d/g);
  if (found) window.__scoresSeen.push(found.join(" "));
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture
def board_event(seed):
    """The tiny skill (T-01, T-02, T-03), three judges, a chief expert and an organiser."""
    return seed(TINY_SCHEME, competitors=TINY_COMPETITORS)


@pytest.fixture
def judge(tablet, sign_in, board_event):
    """The first judge, signed in on a tablet; their marks go to the JSON API from it."""
    sign_in(tablet, board_event.judges[0], lands_on=f"/judge/{board_event.event}/tiny/")
    return tablet


def record(judge, event, competitor: str, aspect: str, value) -> float:
    """Post a mark to ``POST /api/v1/marks`` from the judge's signed-in session (cookie and
    CSRF token, as the marking form sends it); returns when it was posted."""
    token = judge.request.get("/auth/csrf").json()["csrf_token"]
    body = {"event": event.event, "skill": "tiny", "competitor": competitor, "aspect": aspect, "value": value,
            "idempotency_key": f"e2e-{time.time_ns()}"}
    posted = time.monotonic()
    response = judge.request.post("/api/v1/marks", data=body, headers={"X-CSRFToken": token})
    assert response.status == 201, response.text()
    return posted


def set_mode(live_server, event, mode: str) -> None:
    from competition.extensions import db
    from competition.models import Skill, User
    from competition.services.boards import set_display_mode

    with live_server.transaction():
        set_display_mode(db.session.get(Skill, event.skill_id), mode, by=db.session.get(User, event.organiser.id))


def watch_board(tv, url: str) -> list[str]:
    """Open ``url`` on the hall screen, wait until its socket is live; returns the page's errors."""
    errors = []
    tv.on("pageerror", lambda error: errors.append(str(error)))
    tv.add_init_script(WATCH_FOR_SCORES)
    tv.goto(url)
    tv.wait_for_function("() => document.getElementById('conn').textContent === 'live'", timeout=10_000)
    return errors


def test_a_recorded_mark_appears_on_the_board_within_a_second(live_server, tv, judge, board_event):
    from playwright.sync_api import expect

    set_mode(live_server, board_event, "live")
    errors = watch_board(tv, f"/board/{board_event.event}/tiny")
    total = tv.locator('.row[data-key="T-02"] .total')
    expect(total).to_have_text("0.00")
    posted = record(judge, board_event, "T-02", "B1.2", "3")
    expect(total).to_have_text("3.00", timeout=1000)
    assert time.monotonic() - posted < 1.0
    # T-02 is still being marked: no rank or award until every aspect is complete
    expect(tv.locator('.row[data-key="T-02"] .rank')).to_have_text("–")
    expect(tv.locator('.row[data-key="T-02"] .marking-state')).to_have_text("in marking")
    assert errors == []


def test_an_embargoed_board_never_shows_a_number(live_server, tv, judge, board_event):
    from playwright.sync_api import expect

    record(judge, board_event, "T-01", "A1.1", 1)  # T-01 now has 2.00: a score exists to leak
    set_mode(live_server, board_event, "embargoed")
    errors = watch_board(tv, f"/board/{board_event.event}/tiny")
    expect(tv.locator(".notice-embargoed")).to_be_visible()
    record(judge, board_event, "T-03", "B1.2", "1.5")  # published while the board watches
    expect(tv.locator('.row[data-key="T-03"] .pct')).not_to_have_text("0%", timeout=1000)
    tv.wait_for_timeout(300)
    assert tv.locator(".total, .rank, .crit, .std, .medal").count() == 0
    assert not SCORE.search(tv.locator("body").inner_text())
    assert tv.evaluate("window.__scoresSeen") == []
    assert errors == []
