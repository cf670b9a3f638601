"""`podium serve` as in the hall: the real server in a process of its own, against slow clients.

A client that opens a connection and sends its request head slowly (or never finishes it) must
not hold up anyone else, and is dropped after the header timeout; a board's WebSocket, idle
between messages for much longer than that, stays connected. Timeouts are set short here
through the environment, so the whole file takes seconds.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT
from tests.integration.test_boards_redis import free_port, wait_up

HEADER_TIMEOUT = 2.0
KEEPALIVE_TIMEOUT = 1.5


@pytest.fixture
def database(tmp_path):
    """A SQLite file at the newest schema, with the tiny test event (code "test")."""
    from competition import create_app
    from competition.extensions import db
    from competition.schema import upgrade_database
    from tests.factories import tiny_event

    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    app = create_app({"SECRET_KEY": "serve-secret", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    upgrade_database(app)
    with app.app_context():
        tiny_event(tmp_path)
        db.engine.dispose()
    return url


def start_server(tmp_path, database: str, **settings: str):
    """``podium serve`` (``python -m competition``, the console script's code path) on a free port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_") and k not in ("REDIS_URL", "SOCKETIO_ASYNC_MODE")}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=database, SECRET_KEY="serve-secret", PODIUM_INSTANCE=str(tmp_path / "instance"),
               PODIUM_HEADER_TIMEOUT=str(HEADER_TIMEOUT), PODIUM_KEEPALIVE_TIMEOUT=str(KEEPALIVE_TIMEOUT), **settings)
    process = subprocess.Popen([sys.executable, "-m", "competition", "serve", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url + "/static/css/podium.css", process)
    except AssertionError:
        process.kill()
        raise
    return url, port, process


@pytest.fixture
def server(tmp_path, database):
    url, port, process = start_server(tmp_path, database)
    yield url, port
    process.terminate()
    out, err = process.communicate(timeout=10)
    assert "Traceback" not in err, err


def stalled(port: int, count: int) -> list[socket.socket]:
    """``count`` connections that send a request line and part of the headers, then nothing."""
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
        sockets.append(s)
    return sockets


def still_open(s: socket.socket) -> bool:
    readable, _, _ = select.select([s], [], [], 0)
    return not readable  # nothing to read and no end of file: the server has not answered or closed it


def read_until_closed(s: socket.socket, deadline: float) -> bytes:
    s.settimeout(max(0.1, deadline - time.monotonic()))
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    return data


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        return response.status, time.monotonic() - started


def test_slow_clients_do_not_hold_up_a_page_and_are_dropped_after_the_header_timeout(server):
    url, port = server
    opened = time.monotonic()
    slow = stalled(port, 150)
    try:
        status, took = timed_get(url + "/")
        assert status == 200 and took < 1.0, f"/ took {took:.2f} s behind 150 stalled connections"
        assert time.monotonic() - opened < HEADER_TIMEOUT
        assert all(still_open(s) for s in slow)  # not dropped before their time

        deadline = opened + HEADER_TIMEOUT + 5
        answers = [read_until_closed(s, deadline) for s in slow]  # raises on a socket still open after the deadline
        closed_after = time.monotonic() - opened
        assert all(a.startswith(b"HTTP/1.1 408 ") for a in answers), {a[:40] for a in answers}
        assert HEADER_TIMEOUT * 0.9 <= closed_after <= HEADER_TIMEOUT + 5
    finally:
        for s in slow:
            s.close()
    assert timed_get(url + "/")[0] == 200


def test_an_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout(server):
    _, port = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /static/css/podium.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = s.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        idle_from = time.monotonic()
        read_until_closed(s, idle_from + KEEPALIVE_TIMEOUT + 5)
        assert KEEPALIVE_TIMEOUT * 0.9 <= time.monotonic() - idle_from <= KEEPALIVE_TIMEOUT + 5


def test_a_board_websocket_stays_connected_across_the_timeouts(server):
    import socketio

    url, port = server
    client = socketio.Client(reconnection=False)
    client.connect(url, transports=["websocket"], wait_timeout=10)
    try:
        sid = client.sid
        overview = client.call("watch", {"event": "test"}, timeout=10)
        assert overview["event"] == "test" and [s["skill"] for s in overview["skills"]] == ["tiny"]
        slow = stalled(port, 20)  # dropped meanwhile; the board is not
        time.sleep(HEADER_TIMEOUT + KEEPALIVE_TIMEOUT + 1)
        assert client.connected and client.sid == sid
        assert client.call("watch", {"event": "test"}, timeout=10)["event"] == "test"
        assert not any(still_open(s) for s in slow)
        for s in slow:
            s.close()
    finally:
        client.disconnect()


def test_past_the_connection_limit_new_connections_wait_for_a_free_one(tmp_path, database):
    url, port, process = start_server(tmp_path, database, PODIUM_MAX_CONNECTIONS="10")
    try:
        opened = time.monotonic()
        slow = stalled(port, 10)  # every connection the server may serve at once
        time.sleep(0.3)
        status, took = timed_get(url + "/")  # served only once the header timeout frees a place
        assert status == 200 and HEADER_TIMEOUT * 0.8 <= time.monotonic() - opened, f"answered after {took:.2f} s"
        for s in slow:
            s.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_dev_serves_with_the_development_server(tmp_path, database):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=database, SECRET_KEY="serve-secret",
               PODIUM_INSTANCE=str(tmp_path / "instance"))
    process = subprocess.Popen([sys.executable, "-m", "competition", "serve", "--dev", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_up(f"http://127.0.0.1:{port}/", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.headers["Server"].startswith("Werkzeug/")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("args", "patches"),
    [
        (["serve"], True),
        (["serve", "--port", "5001"], True),
        (["demo", "--reset"], True),
        (["serve", "--dev"], False),
        (["demo", "--no-serve"], False),
        (["serve", "--help"], False),
        (["init-db"], False),
        (["db", "upgrade"], False),
        ([], False),
    ],
)
def test_the_launcher_patches_for_gevent_only_for_a_command_that_serves_with_it(args, patches):
    from competition.launch import serves_with_gevent

    assert serves_with_gevent(args) is patches
