"""Real-browser tests: one headless Chromium and one live server for the whole run.

Fixtures
--------
``browser``
    The session's one Chromium (Debian's, at ``/usr/bin/chromium``, driven by Playwright).
    Without Playwright or Chromium every e2e test skips with the reason; in CI it fails.
``live_server``
    The real app (CSRF on, boards published through change notices and a pump per skill, as
    in production) served over HTTP and WebSocket by werkzeug on a free port, in a thread of
    this process, on a temporary SQLite file. ``live_server.url`` is its address;
    ``with live_server.transaction(): ...`` runs service calls in an app context and commits
    them as a command would (boards and open marking forms are told after the commit).
``empty_server``
    A live server of its own on an empty database, made as a new installation makes it
    (``podium init-db``: the migrations), holding one organiser account and nothing else:
    ``empty_server.organiser`` signs in. For walks that must start from nothing.
``seed``
    Builds an event of its own for the test through the services, with a unique event code
    and unique user names: ``seed(SCHEME_TOML, competitors=[(code, name, organisation)],
    judges=("Wales", "Ireland"))`` (one judge per organisation given) returns a
    :class:`Seeded`: codes for URLs, ids for the database, the people and their passwords.
``tablet``, ``tablet_portrait``, ``tv``, ``phone``
    A page in a fresh browser context: 1024×768 and 768×1024 with touch, 1920×1080 without,
    and a phone (390×844, touch, mobile).
    Relative URLs go to the live server (``tablet.goto("/sign-in")``); ``page.request``
    shares the context's cookies. The contexts are closed after the test.
``sign_in``
    ``sign_in(page, person, lands_on="/judge/…/")``: signs ``person`` in through the sign-in
    form (tapping on a touch context, clicking otherwise) and checks where they landed.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import SCHEMES, unavailable
from tests.factories import cheap_passwords

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]
if os.environ.get("PODIUM_E2E_DEBUG"):  # pragma: no cover - Chromium's own log on stderr, for debugging locally
    FLAGS.append("--enable-logging=stderr")

TABLET = {"width": 1024, "height": 768}  # landscape
TABLET_PORTRAIT = {"width": 768, "height": 1024}
TV = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000  # what a page action or an expect() waits for unless the test says otherwise


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every e2e test of the run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e .[test] (the browser is Debian's chromium, never downloaded)")
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium is not available at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Person:
    username: str
    password: str
    id: int


@dataclass
class LiveServer:
    app: object
    url: str
    socketio_server: object = field(repr=False)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """An app context whose work is committed at the end, as a command's would be."""
        from competition.extensions import db
        from competition.services.effects import transaction

        with self.app.app_context():
            try:
                with transaction():
                    yield
            finally:
                db.session.remove()


def _config(folder: Path) -> dict:
    return {
        "TESTING": False,
        "SECRET_KEY": "e2e-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e2e.sqlite'}",
        "REDIS_URL": None,
        "WTF_CSRF_ENABLED": True,
        "SCHEMES_DIR": str(SCHEMES),
        "CERTIFICATE_DIR": str(folder / "certificates"),
        "CERTIFICATE_KEY_FILE": str(folder / "certificate_keys"),
        "BOARD_PUBLISH_SYNC": False,  # change notices and a pump per watched skill, as in production
        "RATELIMIT_ENABLED": False,  # many sign-ins from one address; tests/security/ tries the limits
    }


@contextmanager
def _serving(app) -> Iterator[str]:
    """Serve ``app`` with werkzeug in a thread on a free port; yields its address."""
    from werkzeug.serving import make_server

    from competition.extensions import db

    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app served by werkzeug in a thread, on a free port, on a temporary SQLite file."""
    from competition import create_app
    from competition.extensions import db, socketio

    app = create_app(_config(tmp_path_factory.mktemp("e2e")))
    with app.app_context():
        db.create_all()
    with _serving(app) as url:
        yield LiveServer(app=app, url=url, socketio_server=socketio.server)


@dataclass
class EmptyServer(LiveServer):
    organiser: Person | None = None


SOCKETIO_STATE = ("server", "sockio_mw", "async_mode", "server_options")  # what SocketIO.init_app replaces


@pytest.fixture
def empty_server(tmp_path_factory) -> Iterator[EmptyServer]:
    """A second app on an empty database, served like the first; the session's server keeps its
    Socket.IO server (the factory makes a new one per app: it is put back afterwards)."""
    from competition import create_app
    from competition.extensions import socketio
    from competition.schema import upgrade_database
    from competition.services.setup import add_user

    kept = {name: vars(socketio)[name] for name in SOCKETIO_STATE if name in vars(socketio)}
    kept["server_options"] = dict(socketio.server_options)
    folder = tmp_path_factory.mktemp("empty")
    try:
        app = create_app({**_config(folder), "CERTIFICATE_DIR": str(folder / "certificates")})
        app.instance_path = str(folder / "instance")  # uploads waiting to be imported, job files: this server's own
        upgrade_database(app, say=lambda _message: None)  # what `podium init-db` does on a new installation
        with _serving(app) as url:
            server = EmptyServer(app=app, url=url, socketio_server=socketio.server)
            # Podium has no command or page that makes the first organiser: the services do, as the demo does.
            with server.transaction(), cheap_passwords():
                user = add_user("organiser", "Organiser", "pw-organiser-1", organiser=True)
                server.organiser = Person(user.username, "pw-organiser-1", user.id)
            yield server
    finally:
        for name in SOCKETIO_STATE:
            vars(socketio).pop(name, None)
        vars(socketio).update(kept)


@dataclass(frozen=True)
class Seeded:
    """What :func:`seed` built: codes for URLs, ids for the database, people for signing in."""

    event: str
    skill: str
    skill_id: int
    competitors: dict[str, int]  # code -> id
    judges: list[Person]
    chief: Person
    organiser: Person


_events = itertools.count(1)


@pytest.fixture
def seed(live_server, tmp_path):
    """``seed(scheme_toml, competitors=..., judges=...)``: an event of this test's own."""
    from competition.extensions import socketio

    if socketio.server is not live_server.socketio_server:
        pytest.fail("another app was created while the e2e server runs: its Socket.IO messages would go astray")

    def build(scheme: str, *, competitors, judges=("Judges 1", "Judges 2", "Judges 3")) -> Seeded:
        from competition.models import Competitor
        from competition.models.people import CHIEF_EXPERT, JUDGE
        from competition.services.setup import add_skill_from_scheme, add_user, assign, create_event

        code = f"e2e-{next(_events)}"
        path = tmp_path / f"{code}.toml"
        path.write_text(scheme, encoding="utf-8")

        def person(role: str, display: str, **options):
            user = add_user(f"{code}-{role}", display, f"pw-{role}", **options)
            return user, Person(user.username, f"pw-{role}", user.id)

        with live_server.transaction(), cheap_passwords():
            event = create_event(code, f"Browser Test {code}", place="Hall 1")
            skill = add_skill_from_scheme(event, path)
            for competitor_code, name, organisation in competitors:
                skill.competitors.append(Competitor(code=competitor_code, name=name, organisation=organisation))
            judges_ = []
            for number, organisation in enumerate(judges, 1):
                user, judge = person(f"judge{number}", f"Judge {number}", organisation=organisation)
                assign(user, skill, JUDGE)
                judges_.append(judge)
            user, chief = person("chief", "Chief Expert", organisation="Independent")
            assign(user, skill, CHIEF_EXPERT)
            _, organiser = person("organiser", "Organiser", organiser=True)
            return Seeded(event=code, skill=skill.code, skill_id=skill.id, competitors={c.code: c.id for c in skill.competitors},
                          judges=judges_, chief=chief, organiser=organiser)

    return build


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(viewport, has_touch=...)``: a page in a fresh context, closed after the test."""
    contexts = []

    def open_page(viewport: dict, *, has_touch: bool = False, is_mobile: bool = False):
        context = browser.new_context(viewport=viewport, has_touch=has_touch, is_mobile=is_mobile, base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def tablet(new_page):
    """A judge's tablet held landscape (1024×768, touch)."""
    return new_page(TABLET, has_touch=True)


@pytest.fixture
def tablet_portrait(new_page):
    """A judge's tablet held upright (768×1024, touch)."""
    return new_page(TABLET_PORTRAIT, has_touch=True)


@pytest.fixture
def phone(new_page):
    """A phone held upright (390×844, touch)."""
    return new_page(PHONE, has_touch=True, is_mobile=True)


@pytest.fixture
def tv(new_page):
    """A hall screen (1920×1080, no touch)."""
    return new_page(TV)


@pytest.fixture
def sign_in():
    """``sign_in(page, person, lands_on=None)``: sign in through the form, as a person would."""

    def sign_in(page, person: Person, *, lands_on: str | None = None) -> None:
        page.goto("/sign-in")
        page.fill("input[name=username]", person.username)
        page.fill("input[name=password]", person.password)
        touch = page.evaluate("navigator.maxTouchPoints > 0")
        with page.expect_navigation():
            (page.tap if touch else page.click)("main form button[type=submit]")
        assert "/sign-in" not in page.url, f"{person.username} could not sign in: {page.locator('main').inner_text()}"
        if lands_on is not None:
            here = page.url.removeprefix(page.evaluate("location.origin"))
            assert here == lands_on, f"{person.username} landed on {page.url}, not {lands_on}"

    return sign_in
