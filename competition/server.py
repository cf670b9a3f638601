"""The production server: gevent's WSGI server, one process, one greenlet per connection.

A board screen keeps its WebSocket open for hours, so the server must hold thousands of idle
connections cheaply (a greenlet each, not a thread) and still answer every page at once. What
a plain WSGI server lacks against clients that are slow on purpose or by accident, this adds:

- ``PODIUM_HEADER_TIMEOUT`` (seconds, default 20): a request's line and headers must arrive
  within this time of its first byte being awaited, or the connection is dropped (408);
- ``PODIUM_KEEPALIVE_TIMEOUT`` (seconds, default 30): an idle keep-alive connection waits this
  long for its next request, then is closed;
- ``PODIUM_MAX_CONNECTIONS`` (default 4000): connections served at once, board WebSockets
  included; past it new connections wait in the listen queue until one closes.

The timeouts cover only the request head: a WebSocket or a Socket.IO long-poll in progress is a
request being answered, never cut (Socket.IO's own pings, every 25 s, find dead boards).
The process must be monkey-patched by gevent before it imports anything else (``podium serve``
does it first thing, see ``competition.launch``).
"""

from __future__ import annotations

import os
import resource
import sys
from dataclasses import dataclass

from gevent import Timeout, pywsgi
from gevent.pool import Pool

_TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"


@dataclass(frozen=True)
class ServerSettings:
    header_timeout: float = 20.0
    keepalive_timeout: float = 30.0
    max_connections: int = 4000

    @classmethod
    def from_environment(cls, environ=os.environ) -> ServerSettings:
        def number(name: str, default, kind):
            value = environ.get(name, "").strip()
            if not value:
                return default
            try:
                parsed = kind(value)
            except ValueError:
                raise SystemExit(f"{name}={value!r}: not a number") from None
            if parsed <= 0:
                raise SystemExit(f"{name}={value!r}: must be more than 0")
            return parsed

        return cls(
            header_timeout=number("PODIUM_HEADER_TIMEOUT", cls.header_timeout, float),
            keepalive_timeout=number("PODIUM_KEEPALIVE_TIMEOUT", cls.keepalive_timeout, float),
            max_connections=number("PODIUM_MAX_CONNECTIONS", cls.max_connections, int),
        )


class _SlowClient(Exception):
    """The request's head did not arrive within the header timeout."""


class TimedHandler(pywsgi.WSGIHandler):
    """gevent's handler, with a deadline for each request's head and for idle keep-alive."""

    requests = 0
    _deadline: Timeout | None = None

    def read_requestline(self):
        settings: ServerSettings = self.server.settings
        if self.requests:  # a keep-alive connection between two requests
            arrived = False
            with Timeout(settings.keepalive_timeout, False):
                arrived = bool(self.rfile.peek(1))
            if not arrived:  # idle too long, or closed by the client
                return ""
        self.requests += 1
        self._deadline = Timeout.start_new(settings.header_timeout, _SlowClient)
        try:
            return super().read_requestline()
        except _SlowClient:
            self._cancel_deadline()
            return ""  # not even a whole request line: close without a word

    def read_request(self, raw_requestline):
        try:
            return super().read_request(raw_requestline)
        finally:
            self._cancel_deadline()  # the head is in: the application takes as long as it needs

    def handle_one_request(self):
        try:
            return super().handle_one_request()
        finally:
            self._cancel_deadline()

    def _handle_client_error(self, ex):
        if isinstance(ex, _SlowClient):
            return ("408", _TIMED_OUT)
        return super()._handle_client_error(ex)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.close()
            self._deadline = None


def raise_open_files_limit(wanted: int) -> int:
    """Raise this process's soft limit of open files towards ``wanted`` (up to the hard limit):
    every connection is a file, a WebSocket two. Returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def make_server(app, host: str, port: int, settings: ServerSettings | None = None) -> pywsgi.WSGIServer:
    """gevent's WSGI server for ``app`` with the timeouts and the connection limit of ``settings``."""
    settings = settings or ServerSettings.from_environment()
    limit = raise_open_files_limit(2 * settings.max_connections + 256)
    if limit != resource.RLIM_INFINITY and limit < 2 * settings.max_connections + 64:
        print(f"warning: {settings.max_connections} connections may need more open files than this process may have ({limit});"
              " lower PODIUM_MAX_CONNECTIONS or raise the limit (ulimit -n)", file=sys.stderr)
    server = pywsgi.WSGIServer((host, port), app, spawn=Pool(settings.max_connections), handler_class=TimedHandler, log=None)
    server.settings = settings
    return server
