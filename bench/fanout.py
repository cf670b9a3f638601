"""Fan-out: how long a mark takes to reach every board, against a bare python-socketio server.

    python -m bench.fanout --clients 500 [--rate 50] [--seconds 10] [--repeat 3]

Builds the demo event in a temporary SQLite file, starts Podium (the ``podium serve`` code path,
gevent) in one process and N board connections watching CNC Milling, spread over a few client
processes. Marks are posted through ``record_mark`` at a steady rate: by a writer process
through Redis when one is configured (as by an API worker), else inside the board server. Each
is committed and announced; the board server's pump reads the state and sends it to its boards.
Latency = the time a board received a message carrying the mark - the time the mark was posted.
The same clients then watch a bare python-socketio server that broadcasts the same payload at
the same rate (the baseline). ``--repeat`` runs several rounds, interleaved, and reports medians.

The default clients (``--client light``, bench/_clients.py) speak WebSocket and Socket.IO on raw
asyncio connections and read only each message's version, so that on a 2-core machine the
harness leaves the CPU to the servers being measured; ``--client socketio`` uses python-socketio
AsyncClients instead (each decodes every payload: far heavier, and it shares the cores).
Everything runs on this machine: loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_P99_MS = 250  # the target for 1,000 boards at 50 marks/s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(folder: Path) -> tuple[str, Path]:
    """The demo event in a fresh SQLite file; returns its URL and the CNC Milling payload as a file."""
    from competition import create_app
    from competition.demo import EVENT_CODE, build_demo
    from competition.extensions import db
    from competition.services.effects import transaction
    from competition.services.lookup import skill_in_event
    from competition.services.standings import board_payload

    url = f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        with transaction():
            build_demo(ROOT / "scoring_schemes")
        payload = board_payload(skill_in_event(EVENT_CODE, "cnc-milling"))
        db.engine.dispose()
    path = folder / "payload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return url, path


def wait_http(url: str, timeout: float = 30, server: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers; give up at ``timeout``, or at once if ``server`` exited."""
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            if server is not None and server.poll() is not None:
                raise SystemExit(f"the server did not start (exit code {server.poll()}); see its log") from None
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run_one(kind: str, args, db_url: str, payload: Path, folder: Path) -> dict:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOCKETIO_ASYNC_MODE=args.async_mode, PODIUM_SOCKETIO_CHANNEL=f"bench-{port}-{os.getpid()}")
    writer = kind == "podium" and args.redis_url
    server_cmd = [sys.executable, "-m", "bench._servers", kind, "--port", str(port), "--async-mode", args.async_mode]
    server_cmd += ["--db", db_url] if kind == "podium" else ["--payload", str(payload)]
    if writer:
        server_cmd += ["--redis-url", args.redis_url]
    server = subprocess.Popen(server_cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(folder / f"{kind}.log", "w"))
    clients = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/bench/times")
        count = int(args.rate * args.seconds)
        shares = [args.clients // args.procs + (1 if i < args.clients % args.procs else 0) for i in range(args.procs)]
        outs = [folder / f"{kind}-{i}.json" for i in range(args.procs)]
        for share, out in zip(shares, outs):
            module = "bench._clients" if args.client == "light" else "bench._clients_socketio"
            cmd = [sys.executable, "-m", module, "--url", base, "--clients", str(share), "--count", str(count)]
            cmd += ["--timeout", str(args.seconds + 30), "--out", str(out)]
            clients.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True))
        connect_started = time.time()
        for proc in clients:
            line = proc.stdout.readline().strip()
            if line != "ready":
                raise SystemExit(f"{kind}: a client process failed to connect (see {folder})")
        connect_seconds = time.time() - connect_started
        time.sleep(1)
        if writer:
            cmd = [sys.executable, "-m", "bench._servers", "writer", "--db", db_url, "--redis-url", args.redis_url]
            cmd += ["--rate", str(args.rate), "--count", str(count)]
            posted = json.loads(subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout)
        else:
            urllib.request.urlopen(f"{base}/bench/start?rate={args.rate}&count={count}").read()
        for proc in clients:
            proc.wait(timeout=args.seconds + 60)
        for _ in range(0 if writer else 100):
            posted = json.loads(urllib.request.urlopen(base + "/bench/times").read())
            if posted.get("done"):
                break
            time.sleep(0.2)
    finally:
        for proc in clients:
            if proc.poll() is None:
                proc.kill()
        server.terminate()
        server.wait(timeout=10)
    (folder / f"{kind}-posted.json").write_text(json.dumps(posted))
    times, first = posted["times"], posted["base"]
    messages = 0
    latencies = []  # per board and mark: the first message carrying that mark (version >= its version)
    for out in outs:
        for arrivals in json.loads(out.read_text()):
            arrivals.sort(key=lambda a: a[1])
            seen, at = first, 0
            for index, posted_at in enumerate(times):
                wanted = first + index + 1
                while seen < wanted and at < len(arrivals):
                    seen = max(seen, arrivals[at][0])
                    arrived = arrivals[at][1]
                    at += 1
                if seen < wanted:
                    break  # this board never got the mark (or anything newer)
                latencies.append((arrived - posted_at) * 1000)
            messages += len(arrivals)
    expected = count * args.clients
    return {
        "kind": kind,
        "posted": len(times),
        "delivered": len(latencies),
        "expected": expected,
        "p50": percentile(latencies, 50) if latencies else float("nan"),
        "p99": percentile(latencies, 99) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
        "connect_s": connect_seconds,
        "messages": messages,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500, help="board connections (default 500)")
    parser.add_argument("--rate", type=float, default=50, help="marks per second (default 50)")
    parser.add_argument("--seconds", type=float, default=10, help="how long marks are posted (default 10)")
    parser.add_argument("--procs", type=int, default=2, help="client processes (default 2, one per core)")
    parser.add_argument("--async-mode", default="gevent", choices=["gevent", "threading"], help="server async mode (default gevent)")
    parser.add_argument("--no-baseline", action="store_true", help="measure Podium only")
    parser.add_argument("--client", default="light", choices=["light", "socketio"],
                        help="board clients: light wire-protocol clients (default) or python-socketio AsyncClients")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("PODIUM_TEST_REDIS_URL") or os.environ.get("REDIS_URL"),
        help="with Redis (default: $PODIUM_TEST_REDIS_URL or $REDIS_URL) marks are recorded by a separate writer process, "
        "as by an API worker, and reach the board server through Redis; without it, inside the board server",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of podium then bare; medians are reported (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (servers' logs, raw arrivals)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="podium-fanout-"))
    try:
        db_url, payload = build_database(folder)
        size = payload.stat().st_size
        print(f"fan-out: {args.clients} {args.client} clients in {args.procs} processes, {args.rate:g} marks/s for {args.seconds:g} s, "
              f"server async mode {args.async_mode}, payload {size} bytes, {os.cpu_count()} cores, "
              f"marks recorded {'by a writer process via Redis' if args.redis_url else 'inside the board server'}")
        rounds = []
        for _ in range(args.repeat):  # interleaved, so a busy spell of the machine hits both
            rounds.append([run_one("podium", args, db_url, payload, folder)])
            if not args.no_baseline:
                rounds[-1].append(run_one("bare", args, db_url, payload, folder))
    finally:
        if args.keep:
            print(f"work folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'server':<15} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'marks seen':>17} {'messages':>9} {'connect s':>10}")
    for number, results in enumerate(rounds, 1):
        for r in results:
            delivered = f"{r['delivered']}/{r['expected']}"
            label = r["kind"] if args.repeat == 1 else f"{r['kind']} #{number}"
            print(f"{label:<15} {r['p50']:8.1f} {r['p99']:8.1f} {r['max']:8.1f} {delivered:>17} {r['messages']:>9} {r['connect_s']:10.1f}")
    kinds = [r["kind"] for r in rounds[0]]
    median = {kind: {key: statistics.median(r[key] for rs in rounds for r in rs if r["kind"] == kind) for key in ("p50", "p99")}
              for kind in kinds}
    if args.repeat > 1:
        for kind in kinds:
            print(f"{kind + ' median':<15} {median[kind]['p50']:8.1f} {median[kind]['p99']:8.1f}")
    podium = median["podium"]
    verdict = "met" if podium["p99"] < TARGET_P99_MS else "NOT met"
    print(f"p99 < {TARGET_P99_MS} ms ({args.clients} boards, {args.rate:g} marks/s): {verdict}, {podium['p99']:.0f} ms")
    if "bare" in median:
        bare = median["bare"]
        ratio = podium["p99"] / bare["p99"]
        within = "met" if ratio <= 2 else "NOT met"
        print(f"ratio podium/bare: p50 {podium['p50'] / bare['p50']:.2f}x, p99 {ratio:.2f}x; within 2x at p99: {within}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
