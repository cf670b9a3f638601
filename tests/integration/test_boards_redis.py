"""Two server processes sharing one database and one Redis: what happens on A reaches boards on B."""

from __future__ import annotations

import http.cookiejar
import json
import os
import queue
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.conftest import ROOT, SCHEMES, need_server

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s")


@pytest.fixture
def cluster(tmp_path):
    """Processes A and B (``podium serve``) on one SQLite file, with Redis as the message queue."""
    redis_url = need_server("Redis", "PODIUM_TEST_REDIS_URL")
    from competition import create_app
    from competition.extensions import db
    from competition.services import effects
    from competition.services.tokens import create_token
    from tests.factories import tiny_event

    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    settings = {
        "SECRET_KEY": "cluster-secret",
        "SQLALCHEMY_DATABASE_URI": database,
        "REDIS_URL": redis_url,
        "SOCKETIO_CHANNEL": f"podium-test-{uuid.uuid4().hex}",  # no crosstalk with other runs on this Redis
        "SCHEMES_DIR": str(SCHEMES),
    }
    app = create_app(dict(settings))
    with app.app_context():
        db.create_all()
        setup = tiny_event(tmp_path)
        ids = {"organiser": setup["organiser"].id, "judge": setup["judges"][0].id, "t1": setup["skill"].competitors[0].id}
        ids["token"] = create_token(setup["judges"][0], "cluster")[1]
        effects.commit()  # the token must be stored before the other processes use it
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        SECRET_KEY=settings["SECRET_KEY"],
        PODIUM_SOCKETIO_CHANNEL=settings["SOCKETIO_CHANNEL"],
        PODIUM_SCHEMES=str(SCHEMES),
        PODIUM_INSTANCE=str(tmp_path / "instance"),
    )
    servers = {}
    try:
        for name in ("a", "b"):
            port = free_port()
            command = [sys.executable, "-m", "competition", "serve", "--port", str(port)]
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            servers[name] = (f"http://127.0.0.1:{port}", process)
        for url, process in servers.values():
            wait_up(url + "/board/test", process)
        yield {"app": app, "a": servers["a"][0], "b": servers["b"][0], "ids": ids}
    finally:
        for _, process in servers.values():
            process.terminate()
            process.wait(timeout=10)
        with app.app_context():
            db.engine.dispose()


def board_client(url: str):
    import socketio

    messages: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("standings", messages.put)
    client.connect(url, transports=["websocket"], wait_timeout=10)
    state = client.call("watch", {"event": "test", "skill": "tiny"}, timeout=10)
    return client, state, messages


def organiser_opener(cluster):
    """An HTTP client signed in as the organiser (session cookie signed with the shared key)."""
    app = cluster["app"]
    cookie_value = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(cluster["ids"]["organiser"]), "_fresh": True})
    jar = http.cookiejar.CookieJar()
    host = urllib.parse.urlparse(cluster["a"]).hostname
    jar.set_cookie(http.cookiejar.Cookie(0, "session", cookie_value, None, False, host, False, False, "/", True, False, None, True,
                                         None, None, {}))
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def test_a_change_on_process_a_reaches_a_board_on_process_b(cluster):
    client, state, messages = board_client(cluster["b"])
    try:
        # A judge's mark posted to process A's API; process B's board hears of it through Redis.
        body = {"competitor_id": cluster["ids"]["t1"], "aspect": "B1.2", "value": "3", "idempotency_key": "cluster-1"}
        request = urllib.request.Request(
            cluster["a"] + "/api/v1/marks",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {cluster['ids']['token']}"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
        pushed = messages.get(timeout=5)
        assert pushed["version"] == state["version"] + 1
        assert [r["total"] for r in pushed["standings"] if r["code"] == "T-01"] == ["3.00"]

        # An organiser's request served by process A (signed in, with its CSRF token).
        opener = organiser_opener(cluster)
        page = opener.open(cluster["a"] + "/board-control/test").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"mode": "embargoed", "csrf_token": token}).encode()
        opener.open(cluster["a"] + "/board-control/test/tiny/mode", data=form).read()
        pushed = messages.get(timeout=5)
        assert pushed["mode"] == "embargoed" and pushed["version"] == state["version"] + 2
        assert all("total" not in row for row in pushed["standings"])
    finally:
        client.disconnect()
