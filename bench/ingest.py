"""Ingest: judges posting marks through the JSON API, against a bare insert-and-commit loop.

    python -m bench.ingest [--judges 30] [--rate 100] [--seconds 20] [--async-mode gevent|threading]
                           [--database URL | --postgres]

Builds a fresh database (a SQLite file in a temporary folder by default) with one event, one
skill (CNC Milling, 29 aspects) with enough competitors, and N judges, each assigned to the
skill and holding a personal API token (made by the services, as ``podium token create``
does). Starts ``podium serve`` (``python -m competition serve``: gevent; ``--async-mode threading``: ``--dev``) in its
own process and drives it from a few driver processes (bench/_ingest_driver.py), each running
some of the judges: every judge has its own keep-alive connection and bearer token and sends
its marks one at a time (``POST /api/v1/marks``), each to a (competitor, aspect) it has not
marked yet (``base_version`` 0).

Phases: a short warm-up (not counted); (a) a steady rate (default 100 marks/s for 20 s);
(b) a ramp: the offered rate grows step by step (x1.4) until the server no longer keeps up
(achieved < 90 % of offered), the p99 passes a second, or errors appear; the saturation is
the highest rate a step achieved without errors (printed with that step's latency).
Latency is each request's send -> answer time at the judge; "late" is how far behind its
schedule a judge sent (it waits for its previous answer first).

Afterwards, with the server stopped, the database is checked: every acknowledged mark (201,
200) is stored exactly once (one MarkRevision for its idempotency key, the Mark row with the
value sent), nothing refused was half-written, and the skill's board version counts every
stored mark. Then the baseline: a bare SQLAlchemy loop inserting the same rows into an
equivalent table of the same kind of database (same SQLite pragmas), one commit per row.

``--database URL`` measures that database instead of SQLite (its tables are DROPPED and made
again: use a scratch database); ``--postgres`` adds a run on $PODIUM_TEST_POSTGRES_URL after
the SQLite one. The targets (p99 < 50 ms at 100 marks/s from 30 judges; saturation >= 500
marks/s) are judged on SQLite; other databases' figures are printed for comparison.
Everything runs on this machine, on loopback; a run takes about a minute (another with --postgres).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench.fanout import wait_http

ROOT = Path(__file__).resolve().parents[1]
SCHEME = ROOT / "scoring_schemes" / "cnc-milling.toml"
TARGET_P99_MS = 50  # at 100 marks/s from 30 judges, SQLite
TARGET_RATE = 500  # marks/s sustained, SQLite
EXPLODED_P99_MS = 1000  # a ramp step slower than this at p99 is past saturation
RAMP_FACTOR = 1.4
OK = (200, 201)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entries(aspect) -> list:
    """Every entry the aspect accepts (from its kind), as JSON numbers."""
    from competition.scoring.kinds import kind_of

    return [int(e) if e == e.to_integral_value() else float(e) for e in kind_of(aspect).entries(aspect)]


def build_database(url: str, judges: int, competitors: int) -> dict:
    """A fresh event: one skill, ``competitors`` competitors, ``judges`` judges with a token each."""
    from competition import create_app
    from competition.extensions import db
    from competition.models import Competitor
    from competition.models.people import JUDGE
    from competition.services.setup import add_skill_from_scheme, add_user, assign, create_event
    from competition.services.tokens import create_token

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        db.drop_all()
        db.create_all()
        event = create_event("ingest", "Ingest benchmark", place="loopback")
        db.session.add(event)
        skill = add_skill_from_scheme(event, SCHEME)
        for number in range(competitors):
            skill.competitors.append(Competitor(code=f"C{number + 1:03d}", name=f"Competitor {number + 1}",
                                                organisation=f"Team {number % 9}"))
        users = []
        for number in range(judges):
            user = add_user(f"judge-{number + 1:02d}", f"Judge {number + 1}", "bench-password", organisation=f"Panel {number + 1}")
            assign(user, skill, JUDGE)
            users.append(user)
        db.session.commit()
        tokens = [create_token(user, "ingest bench")[1] for user in users]
        db.session.commit()
        scheme = skill.scheme
        spec = {
            "skill_id": skill.id,
            "competitor_ids": [c.id for c in skill.competitors],
            "user_ids": [u.id for u in users],
            "tokens": tokens,
            "aspects": [a.id for a in scheme.aspects],
            "values": {a.id: entries(a) for a in scheme.aspects},
        }
        db.session.remove()
        db.engine.dispose()
    return spec


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, Linux), to see what else ran meanwhile."""
    try:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")



class Drivers:
    """The driver processes, each with its share of the judges; steps are run by all of them at once."""

    def __init__(self, spec: dict, url: str, procs: int, folder: Path, run: str):
        self.procs = []
        judges = len(spec["tokens"])
        competitors = spec["competitor_ids"]
        stride = max(1, len(competitors) // judges)
        for number in range(procs):
            mine = []
            for j in range(number, judges, procs):
                start = (j * stride) % len(competitors)  # judges spread over the competitors
                mine.append({"index": j, "token": spec["tokens"][j], "competitors": competitors[start:] + competitors[:start]})
            path = folder / f"driver-{number}.json"
            path.write_text(json.dumps({"url": url, "judges": mine, "judges_total": judges, "aspects": spec["aspects"],
                                        "values": spec["values"], "run": run}))
            proc = subprocess.Popen([sys.executable, "-m", "bench._ingest_driver", "--spec", str(path)], cwd=ROOT,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
            self.procs.append(proc)
        for proc in self.procs:
            if proc.stdout.readline().strip() != "ready":
                raise SystemExit("a driver process failed to start")

    def step(self, label: str, rate: float, seconds: float) -> tuple[list, float, float]:
        start = time.time() + 0.3
        line = json.dumps({"label": label, "rate": rate, "seconds": seconds, "start": start})
        for proc in self.procs:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
        records, cpu = [], 0.0
        for proc in self.procs:
            answer = proc.stdout.readline()
            if not answer:
                raise SystemExit("a driver process died")
            result = json.loads(answer)
            records += result["records"]
            cpu += result["cpu"]
        return records, start, cpu

    def close(self) -> None:
        for proc in self.procs:
            try:
                proc.stdin.write("\n")
                proc.stdin.flush()
                proc.wait(timeout=10)
            except Exception:
                proc.kill()


def py_spy(pid: int, seconds: float, args) -> subprocess.Popen:
    """py-spy recording the server's stacks (idle ones too: where it waits) as raw collapsed stacks."""
    command = ["py-spy", "record", "--pid", str(pid), "--format", "raw", "--idle", "--rate", "100",
               "--duration", str(int(seconds) + 1), "--output", args.py_spy]
    if args.native:
        command.append("--native")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarise(label: str, offered: float, seconds: float, records: list, start: float, server_cpu: float, driver_cpu: float,
              busy: float) -> dict:
    ok = [r for r in records if r[8] in OK]
    latencies = [(r[7] - r[6]) * 1000 for r in ok]
    errors: dict[str, int] = {}
    for r in records:
        if r[8] not in OK:
            key = f"{r[8] or 'no answer'}" + (f" {r[9]}" if r[9] and r[8] else "")
            errors[key] = errors.get(key, 0) + 1
    end = max([start + seconds] + [r[7] for r in records])
    return {
        "label": label,
        "offered": offered,
        "sent": len(records),
        "ok": len(ok),
        "achieved": len(ok) / (end - start),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": max(latencies) if latencies else float("nan"),
        "late_p99": percentile([(r[6] - r[5]) * 1000 for r in records], 99),
        "errors": errors,
        "server_cpu_ms": server_cpu * 1000 / len(ok) if ok else float("nan"),
        "server_cpu_share": server_cpu / (end - start),
        "driver_cpu_share": driver_cpu / (end - start),
        "other_cpu_share": max(0.0, busy - server_cpu - driver_cpu) / (end - start),
    }


def verify(url: str, spec: dict, records: list) -> list[str]:
    """Problems found in the database against what the judges were told (empty: all good)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        stored = {}
        for key, mark_id, new_value, by_user, judge, competitor, aspect, value, version in conn.execute(text(
            "SELECT r.idempotency_key, r.mark_id, r.new_value, r.by_user_id, m.judge_id, m.competitor_id, m.aspect_id, m.value, "
            "m.version FROM mark_revision r JOIN mark m ON m.id = r.mark_id"
        )):
            if key in stored:
                stored[key] = None  # twice: reported below
            else:
                stored[key] = (mark_id, Decimal(str(new_value)), by_user, judge, competitor, aspect, Decimal(str(value)), version)
        revisions = conn.execute(text("SELECT count(*) FROM mark_revision")).scalar()
        marks = {(j, c, a): n for j, c, a, n in conn.execute(text(
            "SELECT m.judge_id, m.competitor_id, m.aspect_id, count(r.id) FROM mark m LEFT JOIN mark_revision r ON r.mark_id = m.id "
            "GROUP BY m.id, m.judge_id, m.competitor_id, m.aspect_id"))}
        board = conn.execute(text("SELECT version FROM board_state WHERE skill_id = :s"), {"s": spec["skill_id"]}).scalar() or 0
    engine.dispose()
    problems = []
    unknown_stored = 0
    for judge, key, competitor, aspect, value, *_, status, _detail in records:
        cell = (spec["user_ids"][judge], competitor, aspect)
        row = stored.get(key, "missing")
        if status in OK:
            if row == "missing":
                problems.append(f"acknowledged {key} ({status}) is not stored")
            elif row is None:
                problems.append(f"{key} is stored more than once")
            elif (row[2], row[3], row[4], row[5]) != (cell[0], cell[0], competitor, aspect) or row[1] != Decimal(str(value)) \
                    or row[6] != Decimal(str(value)) or row[7] != 1:
                problems.append(f"acknowledged {key} is stored wrongly: {row}")
        elif status:  # refused with an answer: nothing of it may be stored
            if row != "missing" or cell in marks:
                problems.append(f"refused {key} ({status}) was written: revision {row}, mark {cell in marks}")
        elif row != "missing":
            unknown_stored += 1  # no answer (timeout): stored whole or not at all, both are fine
    if revisions != len(stored):
        problems.append(f"{revisions - len(stored)} idempotency keys stored more than once")
    sent = {r[1] for r in records}
    strangers = [k for k in stored if k not in sent]
    if strangers:
        problems.append(f"{len(strangers)} revisions nobody sent, e.g. {strangers[:3]}")
    half = [cell for cell, n in marks.items() if n != 1]
    if half:
        problems.append(f"{len(half)} marks without exactly one revision, e.g. {half[:3]}")
    if board != revisions:
        problems.append(f"the board version is {board}, but {revisions} marks were stored")
    acknowledged = sum(1 for r in records if r[8] in OK)
    if revisions != acknowledged + unknown_stored:
        problems.append(f"{revisions} revisions stored for {acknowledged} acknowledged marks (+{unknown_stored} unanswered)")
    return problems


def baseline(url: str, folder: Path, records: list, limit: int) -> dict:
    """A bare insert-and-commit loop: the same rows, one commit each, into an equivalent table (SQLite: a file of
    its own, with Podium's pragmas: WAL, synchronous=NORMAL)."""
    from sqlalchemy import Column, DateTime, Integer, MetaData, Numeric, String, Table, create_engine, insert

    import competition.extensions  # noqa: F401  (its connect listener sets the same SQLite pragmas)
    from competition.models.marking import utcnow

    options = {}
    if url.startswith("sqlite"):
        url = f"sqlite:///{folder / 'baseline.sqlite'}"
        options["connect_args"] = {"factory": sqlite3.Connection}  # plain connections: no write lock (competition.sqlite_writes)
    metadata = MetaData()
    table = Table(
        "bench_ingest_baseline", metadata,
        Column("id", Integer, primary_key=True),
        Column("judge_id", Integer, nullable=False),
        Column("competitor_id", Integer, nullable=False),
        Column("aspect_id", String(40), nullable=False),
        Column("value", Numeric(8, 2), nullable=False),
        Column("version", Integer, nullable=False),
        Column("idempotency_key", String(80), unique=True, nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
    )
    engine = create_engine(url, **options)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    rows = [r for r in records if r[8] in OK][:limit]
    times = []
    try:
        started = time.perf_counter()
        for judge, key, competitor, aspect, value, *_ in rows:
            begin = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(insert(table), {"judge_id": judge, "competitor_id": competitor, "aspect_id": aspect,
                                             "value": Decimal(str(value)), "version": 1, "idempotency_key": key, "at": utcnow()})
            times.append((time.perf_counter() - begin) * 1000)
        elapsed = time.perf_counter() - started
    finally:
        metadata.drop_all(engine)
        engine.dispose()
    return {"rows": len(rows), "rate": len(rows) / elapsed if rows else float("nan"), "p50": percentile(times, 50),
            "p99": percentile(times, 99)}


def run(url: str, args, folder: Path) -> dict:
    kind = url.split(":", 1)[0].split("+", 1)[0]
    spec = build_database(url, args.judges, args.competitors)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SOCKETIO_ASYNC_MODE")}
    env.update(DATABASE_URL=url, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    log = folder / f"server-{kind}.log"
    mode = ["--dev"] if args.async_mode == "threading" else []  # --dev: Werkzeug's threaded server; else gevent's
    server = subprocess.Popen([sys.executable, "-m", "competition", "serve", "--port", str(port), *mode],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    base = f"http://127.0.0.1:{port}"
    phases, records = [], []
    drivers = None
    try:
        wait_http(f"{base}/api/v1/events/ingest/skills/cnc-milling/standings", 60, server)
        drivers = Drivers(spec, f"{base}/api/v1/marks", args.procs, folder, run=f"{kind}{int(time.time())}")

        def step(label: str, rate: float, seconds: float) -> dict:
            cpu, busy = cpu_seconds(server.pid), machine_busy()
            spy = py_spy(server.pid, seconds, args) if args.py_spy and label == "steady" else None
            got, start, driver_cpu = drivers.step(label, rate, seconds)
            records.extend(got)
            summary = summarise(label, rate, seconds, got, start, cpu_seconds(server.pid) - cpu, driver_cpu, machine_busy() - busy)
            if spy:
                spy.wait()
            if label != "warm-up":
                phases.append(summary)
                print(row(summary), flush=True)
            time.sleep(0.3)
            return summary

        print(f"\n{kind}: {args.judges} judges in {args.procs} driver processes, {len(spec['competitor_ids'])} competitors x "
              f"{len(spec['aspects'])} aspects, podium serve ({args.async_mode}), {os.cpu_count()} cores", flush=True)
        print(HEADER, flush=True)
        step("warm-up", min(50.0, args.rate), 2)
        steady = step("steady", args.rate, args.seconds)
        rate = args.rate * RAMP_FACTOR
        while rate <= args.max_rate and not args.no_ramp:
            result = step("ramp", round(rate), args.step_seconds)
            if result["achieved"] < 0.9 * result["offered"] or result["p99"] > EXPLODED_P99_MS or result["errors"]:
                break
            rate *= RAMP_FACTOR
    finally:
        if drivers:
            drivers.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    problems = verify(url, spec, records)
    base_line = baseline(url, folder, records, args.baseline_rows)
    # The saturation: the highest rate a step achieved without errors, with that step's p99 (bounded, or it does not count).
    clean = [p for p in phases if not p["errors"]]
    best = max(clean, key=lambda p: p["achieved"]) if clean else None
    return {"kind": kind, "steady": steady, "best": best, "baseline": base_line, "problems": problems,
            "acknowledged": sum(1 for r in records if r[8] in OK), "sent": len(records), "log": log}


HEADER = (f"{'phase':<7} {'offered/s':>9} {'achieved/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'late p99':>8} "
          f"{'server CPU':>10} {'ms CPU/mark':>11} {'drivers CPU':>11} {'other CPU':>9}  errors")


def row(p: dict) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(p["errors"].items())) or "-"
    return (f"{p['label']:<7} {p['offered']:9.0f} {p['achieved']:10.1f} {p['p50']:7.1f} {p['p99']:7.1f} {p['max']:7.1f} "
            f"{p['late_p99']:8.1f} {p['server_cpu_share']:9.0%} {p['server_cpu_ms']:11.2f} {p['driver_cpu_share']:10.0%} "
            f"{p['other_cpu_share']:8.0%}  {errors}")


def report(result: dict, args) -> bool:
    steady, base, best = result["steady"], result["baseline"], result["best"]
    saturation = best["achieved"] if best else 0.0
    print(f"saturation: {saturation:.0f} marks/s" + (f" (the step offered {best['offered']:.0f}/s: p50 {best['p50']:.0f} ms, "
          f"p99 {best['p99']:.0f} ms with {args.judges} judges waiting for their answers)" if best else ""))
    print(f"baseline ({result['kind']}, bare SQLAlchemy insert + commit per row, same rows): {base['rows']} rows, "
          f"{base['rate']:.0f} rows/s, p50 {base['p50']:.2f} ms, p99 {base['p99']:.2f} ms per commit")
    print(f"ratios: Podium p99 at {args.rate:g} marks/s = {steady['p99'] / base['p99']:.0f}x the baseline's p99; "
          f"Podium saturation = {saturation / base['rate']:.3f}x the baseline's rows/s"
          + (f" (1/{base['rate'] / saturation:.0f})" if saturation else ""))
    if result["problems"]:
        print(f"verification FAILED ({len(result['problems'])} problems):")
        for problem in result["problems"][:20]:
            print(f"  {problem}")
    else:
        print(f"verification: all {result['acknowledged']} acknowledged marks stored exactly once with the value sent; "
              f"nothing refused was written; board version = marks stored ({result['sent']} requests)")
    scope = "" if result["kind"] == "sqlite" else f" (targets are for SQLite; {result['kind']} for comparison)"
    p99_ok = steady["p99"] < TARGET_P99_MS and args.rate >= 100 and args.judges >= 30 and not steady["errors"]
    print(f"target p99 < {TARGET_P99_MS} ms at 100 marks/s from 30 judges: {'met' if p99_ok else 'NOT met'} "
          f"({steady['p99']:.1f} ms at {args.rate:g} marks/s, {args.judges} judges){scope}")
    print(f"target saturation >= {TARGET_RATE} marks/s: {'met' if saturation >= TARGET_RATE else 'NOT met'} "
          f"({saturation:.0f} marks/s){scope}")
    return not result["problems"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--judges", type=int, default=30, help="judges, each with a token and a connection (default 30)")
    parser.add_argument("--competitors", type=int, default=120, help="competitors in the skill (default 120)")
    parser.add_argument("--rate", type=float, default=100, help="steady phase: marks per second, all judges together (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="steady phase: seconds (default 20)")
    parser.add_argument("--step-seconds", type=float, default=4, help="ramp: seconds per step (default 4)")
    parser.add_argument("--max-rate", type=float, default=3000, help="ramp: highest rate offered (default 3000)")
    parser.add_argument("--no-ramp", action="store_true", help="steady phase only")
    parser.add_argument("--procs", type=int, default=2, help="driver processes (default 2)")
    parser.add_argument("--async-mode", default="gevent", choices=["gevent", "threading"], help="podium serve's mode (default gevent)")
    parser.add_argument("--database", help="measure this database URL instead of a temporary SQLite file (its tables are dropped!)")
    parser.add_argument("--postgres", action="store_true", help="also measure PostgreSQL at $PODIUM_TEST_POSTGRES_URL (tables dropped!)")
    parser.add_argument("--baseline-rows", type=int, default=5000, help="rows the baseline loop inserts, at most (default 5000)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (database, server log)")
    parser.add_argument("--py-spy", metavar="FILE", help="record the server with py-spy during the steady phase (raw collapsed stacks, "
                        "idle frames included)")
    parser.add_argument("--native", action="store_true", help="with --py-spy: native (C) frames too, e.g. SQLite's busy handler")
    args = parser.parse_args(argv)
    postgres = os.environ.get("PODIUM_TEST_POSTGRES_URL")
    if args.postgres and not postgres:
        parser.error("--postgres needs PODIUM_TEST_POSTGRES_URL")
    folder = Path(tempfile.mkdtemp(prefix="podium-ingest-"))
    # Before competition is imported: the app's instance folder and secret key stay in the work folder.
    os.environ["PODIUM_INSTANCE"] = str(folder)
    os.environ.setdefault("SECRET_KEY", "ingest-bench")
    urls = [args.database or f"sqlite:///{folder / 'podium.sqlite'}"] + ([postgres] if args.postgres else [])
    healthy = True
    try:
        for url in urls:
            result = run(url, args, folder)
            healthy = report(result, args) and healthy
    finally:
        if args.keep:
            print(f"work folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
