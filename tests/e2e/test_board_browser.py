"""A real headless Chromium watches a board while marks are recorded on the server."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SCHEMES, unavailable

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]
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


def need_chromium():
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        reason = "playwright is not installed: pip install -e .[test]"
    else:
        if Path(CHROMIUM).exists() or shutil.which("chromium"):
            return
        reason = f"Chromium is not available at {CHROMIUM} (apt-get install chromium)"
    unavailable(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served over real HTTP + WebSocket on a free port, in a thread of this process."""
    need_chromium()
    from werkzeug.serving import make_server

    from competition import create_app
    from competition.extensions import db
    from competition.services.tokens import create_token
    from tests.factories import tiny_event

    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "e2e",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e2e.sqlite'}",
            "REDIS_URL": None,
            "SCHEMES_DIR": str(SCHEMES),
            "BOARD_PUBLISH_SYNC": False,  # change notices and a pump per skill, as in production
        }
    )
    with app.app_context():
        db.create_all()
        setup = tiny_event(folder)
        ids = {"judges": [j.id for j in setup["judges"]], "organiser": setup["organiser"].id}
        ids["tokens"] = [create_token(j, "e2e")[1] for j in setup["judges"]]
        ids["competitors"] = {c.code: c.id for c in setup["skill"].competitors}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    http = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield {"app": app, "url": f"http://127.0.0.1:{port}", "ids": ids}
    http.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def record(server, judge_index: int, competitor: str, aspect: str, value) -> float:
    """Post a mark to ``POST /api/v1/marks`` with the judge's bearer token; returns when it was posted."""
    body = {"skill": "tiny", "competitor": competitor, "aspect": aspect, "value": value, "idempotency_key": f"e2e-{time.time_ns()}"}
    request = urllib.request.Request(
        server["url"] + "/api/v1/marks",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {server['ids']['tokens'][judge_index]}"},
    )
    posted = time.monotonic()
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 201, response.read()
    return posted


def set_mode(server, mode: str) -> None:
    from competition.extensions import db
    from competition.models import User
    from competition.services.boards import set_display_mode
    from competition.services.results import skill_by_code

    with server["app"].app_context():
        set_display_mode(skill_by_code("tiny"), mode, by=db.session.get(User, server["ids"]["organiser"]))


def open_board(browser, url: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(WATCH_FOR_SCORES)
    page.goto(url)
    page.wait_for_function("document.getElementById('conn').textContent === 'live'", timeout=10_000)
    return page, errors


def test_a_recorded_mark_appears_on_the_board_within_a_second(server, browser):
    from playwright.sync_api import expect

    set_mode(server, "live")
    page, errors = open_board(browser, server["url"] + "/board/test/tiny")
    total = page.locator('.row[data-key="T-02"] .total')
    expect(total).to_have_text("0.00")
    posted = record(server, 0, "T-02", "B1.2", "3")
    expect(total).to_have_text("3.00", timeout=1000)
    assert time.monotonic() - posted < 1.0
    expect(page.locator('.row[data-key="T-02"] .rank')).to_have_text("1")
    assert errors == []
    page.close()


def test_an_embargoed_board_never_shows_a_number(server, browser):
    from playwright.sync_api import expect

    record(server, 1, "T-01", "A1.1", 1)  # T-01 now has 2.00: a score exists to leak
    set_mode(server, "embargoed")
    page, errors = open_board(browser, server["url"] + "/board/test/tiny")
    expect(page.locator(".notice-embargoed")).to_be_visible()
    record(server, 2, "T-03", "B1.2", "1.5")  # published while the board watches
    expect(page.locator('.row[data-key="T-03"] .pct')).not_to_have_text("0%", timeout=1000)
    page.wait_for_timeout(300)
    assert page.locator(".total, .rank, .crit, .std, .medal").count() == 0
    assert not SCORE.search(page.locator("body").inner_text())
    assert page.evaluate("window.__scoresSeen") == []
    assert errors == []
    page.close()
    set_mode(server, "live")
