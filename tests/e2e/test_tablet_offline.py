"""A judge on a tablet, in a real headless Chromium: sign in, mark by tapping, lose the
network, mark three more, see "3 waiting", get the network back, and find every mark in the
database exactly once.

Needs Debian's chromium at /usr/bin/chromium (skips without it; fails in CI).
"""

from __future__ import annotations

import os
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import unavailable

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]

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


def _need_chromium():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        message = "Playwright is not installed: pip install playwright"
    else:
        if Path(CHROMIUM).exists():
            return
        message = f"Chromium is not available at {CHROMIUM}: apt-get install chromium"
    unavailable(message)


@pytest.fixture
def live_server(tmp_path):
    """The app served by werkzeug in a background thread, on a free port, on a temp SQLite file."""
    from werkzeug.serving import make_server

    from competition import create_app
    from competition.extensions import db
    from competition.models import Competitor, Event
    from competition.models.people import CHIEF_EXPERT, JUDGE
    from competition.services.setup import add_skill_from_scheme, add_user, assign

    app = create_app({"TESTING": False, "SECRET_KEY": "e2e-secret", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
                      "REDIS_URL": None, "WTF_CSRF_ENABLED": True})
    scheme = tmp_path / "e2e.toml"
    scheme.write_text(E2E_SCHEME, encoding="utf-8")
    with app.app_context():
        db.create_all()
        event = Event(code="e2e", name="Tablet Test")
        db.session.add(event)
        skill = add_skill_from_scheme(event, scheme)
        skill.competitors.append(Competitor(code="E-01", name="王芳", organisation="Guangdong"))
        judge = add_user("tablet-judge", "Tablet Judge", "pw-tablet", organisation="Wales")
        assign(judge, skill, JUDGE)
        assign(add_user("other-judge", "Other Judge", "pw-other", organisation="Ireland"), skill, JUDGE)
        assign(add_user("e2e-chief", "Chief Expert", "pw-chief", organisation="Independent"), skill, CHIEF_EXPERT)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()


def sign_in(page, base: str) -> None:
    """Sign in as the tablet judge by tapping, and land on the judge's competitor list."""
    page.goto(f"{base}/sign-in")
    page.fill("input[name=username]", "tablet-judge")
    page.fill("input[name=password]", "pw-tablet")
    page.tap("button[type=submit]")
    page.wait_for_url(f"{base}/judge/e2e/e2e/")


def test_tablet_marks_offline_and_sends_them_once(live_server):
    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    app, base = live_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
            page = context.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, base)
            page.tap("a.competitor-link")  # the only competitor: lands on criterion A
            page.wait_for_url("**/judge/e2e/e2e/E-01/A")
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
            context.set_offline(True)
            page.tap("label[for=a_A2_1-2]")  # A2.1 scores 2
            page.tap("label[for=a_A2_2-3]")  # A2.2 scores 3
            page.tap("label[for=a_A2_3-1]")  # A2.3 step 1.5
            expect(status).to_contain_text("3 waiting")
            expect(page.locator("#own-done")).to_have_text("5")
            with app.app_context():
                assert _marks(app) == {("A1.1", Decimal(1)), ("A1.2", Decimal(2))}

            # Online again: the outbox flushes in order, once.
            context.set_offline(False)
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
        finally:
            browser.close()

    with app.app_context():
        from competition.extensions import db
        from competition.models import Mark, MarkRevision

        assert _marks(app) == {("A1.1", Decimal(1)), ("A1.2", Decimal(1)), ("A2.1", Decimal(2)), ("A2.2", Decimal(3)),
                               ("A2.3", Decimal("1.5"))}
        assert db.session.scalar(select(func.count(Mark.id))) == 5
        revisions = db.session.scalars(select(MarkRevision)).all()
        # A1.2 was tapped twice within the counter's pause: one entry, not two (and once more after the reload).
        assert len(revisions) == 6 and len({r.idempotency_key for r in revisions}) == 6
        assert all(r.device.startswith("tablet ") for r in revisions)


def test_a_flag_reaches_the_open_form_at_once(live_server):
    """Another judge's mark that makes the panel disagree shows on this tablet well inside the
    10-second heartbeat: the server nudges open forms over Socket.IO."""
    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    from competition.extensions import db
    from competition.models import Competitor, User
    from competition.services.marking import record_mark

    app, base = live_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True).new_page()
            page.set_default_timeout(10_000)
            sign_in(page, base)
            page.goto(f"{base}/judge/e2e/e2e/E-01/A")
            page.tap("label[for=a_A2_1-3]")  # A2.1 scores 3
            aspect = page.locator('fieldset[data-aspect="A2.1"]')
            expect(aspect.locator("[data-saved]")).to_have_text("Saved")
            page.wait_for_timeout(1500)  # the page's socket has connected and follows the skill
            with app.app_context():
                other = db.session.scalar(select(User).where(User.username == "other-judge"))
                competitor = db.session.scalar(select(Competitor).where(Competitor.code == "E-01"))
                record_mark(judge=other, competitor_id=competitor.id, aspect_id="A2.1", value=0, idempotency_key="other-1")
            expect(aspect).to_have_class(re.compile(r"\bis-flagged\b"), timeout=3_000)
        finally:
            browser.close()


def test_a_mark_sent_while_marking_is_closed_waits_on_the_tablet(live_server):
    """The chief expert closes marking; a tapped mark is refused (423), stays queued and
    visible with the reason, and is sent once when marking opens again."""
    _need_chromium()
    from playwright.sync_api import expect, sync_playwright

    from competition.extensions import db
    from competition.models import Skill, User
    from competition.services.windows import set_window

    app, base = live_server

    def window(open_: bool):
        with app.app_context():
            chief = db.session.scalar(select(User).where(User.username == "e2e-chief"))
            set_window(db.session.scalar(select(Skill)), by=chief, open=open_)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True).new_page()
            page.set_default_timeout(10_000)
            sign_in(page, base)
            page.goto(f"{base}/judge/e2e/e2e/E-01/A")
            window(False)
            page.tap("label[for=a_A1_1-0]")  # A1.1 Yes, while marking is closed
            status = page.locator("#queue-status")
            expect(status).to_contain_text("1 waiting")
            expect(status).to_contain_text("closed")
            expect(page.locator('fieldset[data-aspect="A1.1"] [data-saved]')).to_have_text("Waiting to send")
            with app.app_context():
                assert _marks(app) == set()
            window(True)
            expect(status).to_have_text("All marks sent", timeout=15_000)
        finally:
            browser.close()
    with app.app_context():
        assert _marks(app) == {("A1.1", Decimal(1))}


def _marks(app):
    from competition.extensions import db
    from competition.models import Mark

    db.session.expire_all()
    return {(m.aspect_id, m.value) for m in db.session.scalars(select(Mark))}


if os.environ.get("PODIUM_E2E_DEBUG"):  # pragma: no cover - a hand for debugging locally
    FLAGS.append("--enable-logging=stderr")
