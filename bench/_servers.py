"""The two servers the fan-out benchmark compares, each run in its own process.

podium: the real app (``podium serve`` code path) plus two bench-only routes: ``/bench/start``
posts marks through ``record_mark`` at a steady rate (exactly what the marks API does after
parsing), ``/bench/times`` returns when each mark was posted.
bare: a python-socketio server with nothing else, broadcasting the same payload at the same rate.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time


def _pace(rate: float, count: int, sleep, post, result: dict) -> None:
    """Call ``post(i)`` ``count`` times, ``rate`` per second, noting when each call began."""
    times = result["times"] = []
    start = time.perf_counter()
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            sleep(delay)
        times.append(time.time())
        post(i)
    result["done"] = True


def post_marks(app, rate: float, count: int, result: dict) -> None:
    """Record ``count`` marks on CNC Milling at ``rate`` a second, through ``record_mark``."""
    from competition.demo import EVENT_CODE
    from competition.extensions import socketio
    from competition.models import Mark, SkillRole
    from competition.models.people import JUDGE
    from competition.services import effects
    from competition.services.lookup import skill_in_event
    from competition.services.marking import record_mark
    from competition.services.standings import current_version

    with app.app_context():
        skill = skill_in_event(EVENT_CODE, "cnc-milling")
        judges = [r.user for r in SkillRole.query.filter_by(skill_id=skill.id, role=JUDGE)]
        aspects = [a.id for a in skill.scheme.aspects if a.is_judgement]
        cells = itertools.cycle([(j, c.id, a) for a in aspects for c in skill.competitors if not c.locked for j in judges])
        result["base"] = current_version(skill.id)
        run_id = time.time_ns()
        # A change must name the version it replaces (no silent overwrite), as a tablet does.
        versions = {(m.judge_id, m.competitor_id, m.aspect_id): m.version for m in Mark.query.filter_by(skill_id=skill.id)}

        def post(i):
            judge, competitor_id, aspect_id = next(cells)
            cell = (judge.id, competitor_id, aspect_id)
            outcome = record_mark(judge=judge, competitor_id=competitor_id, aspect_id=aspect_id, value=1 + i % 3,
                                  idempotency_key=f"b{run_id}-{i}", base_version=versions.get(cell, 0))
            effects.commit()  # one mark, one transaction, as a request of the marks API
            versions[cell] = outcome.version

        _pace(rate, count, socketio.sleep, post, result)


def podium(args) -> None:
    from flask import jsonify, request

    from competition import create_app
    from competition.cli import _serve
    from competition.extensions import socketio

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db, "SOCKETIO_ASYNC_MODE": args.async_mode, "REDIS_URL": args.redis_url})
    result: dict = {}

    @app.get("/bench/start")
    def start():
        result.clear()
        socketio.start_background_task(post_marks, app, float(request.args["rate"]), int(request.args["count"]), result)
        return "started"

    @app.get("/bench/times")
    def times():
        return jsonify(result)

    _serve(app, "127.0.0.1", args.port)


def writer(args) -> None:
    """Marks recorded by another process of the deployment (as an API worker would), through Redis."""
    from competition import create_app
    from competition.cli import settle_heap

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db, "REDIS_URL": args.redis_url, "SOCKETIO_ASYNC_MODE": "threading"})
    settle_heap()  # as `podium serve` does before serving
    result: dict = {}
    post_marks(app, args.rate, args.count, result)
    time.sleep(1)  # let the last coalesced publish go out
    print(json.dumps(result), flush=True)


def bare(args) -> None:
    import socketio

    payload = json.loads(open(args.payload, encoding="utf-8").read())
    server = socketio.Server(async_mode=args.async_mode)
    result: dict = {}

    @server.on("watch")
    def watch(sid, data):
        server.enter_room(sid, "skill:bench")
        return dict(payload, version=0)

    def run(rate: float, count: int) -> None:
        result["base"] = 0
        def post(i):
            server.emit("standings", dict(payload, version=i + 1), to="skill:bench")

        _pace(rate, count, server.sleep, post, result)

    def bench_routes(environ, start_response):
        from urllib.parse import parse_qs

        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if environ["PATH_INFO"] == "/bench/start":
            result.clear()
            server.start_background_task(run, float(query["rate"]), int(query["count"]))
            body = b"started"
        else:
            body = json.dumps(result).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    app = socketio.WSGIApp(server, bench_routes)
    if args.async_mode == "gevent":
        from gevent import pywsgi

        try:  # as Flask-SocketIO's run() does: gevent-websocket's handler when it is installed
            from geventwebsocket.handler import WebSocketHandler
        except ImportError:
            WebSocketHandler = pywsgi.WSGIHandler
        pywsgi.WSGIServer(("127.0.0.1", args.port), app, log=None, handler_class=WebSocketHandler).serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["podium", "bare", "writer"])
    parser.add_argument("--redis-url")
    parser.add_argument("--rate", type=float)
    parser.add_argument("--count", type=int)
    parser.add_argument("--port", type=int)
    parser.add_argument("--async-mode", default="gevent")
    parser.add_argument("--db")
    parser.add_argument("--payload")
    arguments = parser.parse_args()
    if arguments.async_mode == "gevent" and arguments.kind != "writer":
        from gevent import monkey

        monkey.patch_all()
    sys.setrecursionlimit(10000)
    {"podium": podium, "bare": bare, "writer": writer}[arguments.kind](arguments)
