"""Standings: the time to rank a skill, to follow one new mark, and to rank a whole event — in
the pure core and through the services.

    python -m bench.standings [--competitors 60] [--aspects 150] [--judges 5] [--skills 100]
                              [--repeat 7] [--rounds 3] [--service-skills 100] [--baseline 1aa471c]

One skill: ``--aspects`` aspects (five criteria of three sub-criteria; seven in ten are
judgement aspects marked by the panel with the highest and lowest score dropped
(``trimmed_mean``), three in ten yes/no measurements), ``--competitors`` competitors, every
aspect entered by all ``--judges`` judges — 60 x 150 x 5 = 45,000 entries. The scheme is
written as a scheme file and read by the implementation's own ``parse_scheme``, the entries
are drawn from a fixed seed, so both implementations rank the same data.

Pure core (no database, no web; medians of ``--repeat`` runs):

* **skill**: ``compute_standings`` of the whole skill (every panel aggregated, ranks, the
  WorldSkills Scale, awards with the organisations for Best of Nation); and the first such
  compute in a fresh process (nothing looked up yet: ``competition.scoring.panels``);
* **one mark**: one judge's entry changed, then the skill's standings again: a full recompute,
  and (where the implementation has it) ``competition.scoring.incremental.SkillStandings``;
* **event**: ``--skills`` skills of that size ranked one after the other — a full recompute of
  each, and with each skill's results held by ``SkillStandings``.

Service path (SQLite in a temporary folder; ``--service-skills 0`` leaves it out): one
database, built once by this checkout, copied for each run: the skill above, then an event of
``--service-skills`` skills in all (the others with one judge per panel, ``mean``, so that the
event's 900,000 marks are written in minutes rather than 4.5 million; the baseline then reads
five times fewer marks per skill than it would with five judges, which flatters it). Timed:

* **first read**: ``services.standings.skill_standings`` with nothing held (every mark read);
* **one mark**: ``services.marking.record_mark`` and the commit, then ``skill_standings`` (what
  the boards and the API read after a mark), then ``board_payload`` (the whole board message);
* **event overview**: ``services.standings.event_overview`` of every skill, each in a fresh
  application context as a request or the board pump reads it, after one overview was read.

The baseline is the implementation at a fixed commit (``--baseline``, default ``1aa471c``,
the main branch this work started from), taken with ``git archive`` into a temporary folder
and run in its own process with that folder first on ``PYTHONPATH``; today's code runs the
same way from this checkout. The two are run in turn, ``--rounds`` times; the medians of the
rounds are printed with the ratio, then every round's figure (a shared machine's load shows
there). Targets: a skill < 10 ms, one mark < 2 ms, the event < 300 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MS = {"skill": 10.0, "mark": 2.0, "event": 300.0}
CRITERIA, SUBS = "ABCDE", 3


def scheme_text(aspects: int, judges: int, rule: str = "trimmed_mean") -> str:
    """A scheme file: 5 criteria x 3 sub-criteria, ``aspects`` aspects of max 1 each."""
    per_sub = max(1, aspects // (len(CRITERIA) * SUBS))
    lines = [
        "[scheme]", 'code = "bench"', 'name = "Bench skill"', 'version = "1"',
        f"total = {per_sub * len(CRITERIA) * SUBS}", f"panel_size = {judges}", f'rule = "{rule}"',
        "tolerance = 3", 'tie_break = ["C", "B"]', "",
    ]
    if rule == "trimmed_mean":
        lines += ["[scheme.rule_params]", "high = 1", "low = 1", ""]
    for c in CRITERIA:
        lines += ["[[criterion]]", f'id = "{c}"', f'name = "Criterion {c}"', ""]
        for s in range(1, SUBS + 1):
            lines += ["[[criterion.sub]]", f'id = "{c}{s}"', f'name = "Sub {c}{s}"', ""]
            for a in range(1, per_sub + 1):
                lines += ["[[criterion.sub.aspect]]", f'id = "{c}{s}.{a}"', f'description = "Aspect {c}{s}.{a}"']
                if a % 10 in (8, 9, 0):
                    lines += ['type = "measurement"', 'method = "binary"', "max = 1", ""]
                else:
                    lines += ['type = "judgement"', "max = 1", 'descriptors = ["poor", "fair", "good", "excellent"]', ""]
    return "\n".join(lines)


def skill_entries(scheme, competitors: int, judges: int, seed: int) -> tuple[dict, dict]:
    """Every competitor's entries (all judges, every aspect) and organisations (12 of them)."""
    rng = random.Random(seed)
    pool = [Decimal(v) for v in range(4)]
    entries, organisations = {}, {}
    for n in range(competitors):
        code = f"C-{n + 1:03d}"
        ability = rng.uniform(0.3, 0.95)
        sheet = {}
        for aspect in scheme.aspects:
            if aspect.kind == "judgement":
                sheet[aspect.id] = [pool[max(0, min(3, round(ability * 3 + rng.uniform(-0.8, 0.8))))] for _ in range(judges)]
            else:
                sheet[aspect.id] = [pool[1 if rng.random() < ability else 0] for _ in range(judges)]
        entries[code] = sheet
        organisations[code] = f"Org {n % 12 + 1}"
    return entries, organisations


def _median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def worker(args) -> dict:
    """Time the implementation found first on sys.path (run in its own process)."""
    from competition.scoring.schemes import parse_scheme
    from competition.scoring.standings import compute_standings

    try:
        from competition.scoring.incremental import SkillStandings
    except ImportError:
        SkillStandings = None
    scheme = parse_scheme(scheme_text(args.aspects, args.judges), "bench.toml")
    entries, organisations = skill_entries(scheme, args.competitors, args.judges, seed=1)
    out = {"aspects": len(scheme.aspects), "competitors": len(entries), "incremental": SkillStandings is not None}
    start = time.perf_counter()
    reference = compute_standings(scheme, entries, organisations=organisations)
    out["skill_first"] = (time.perf_counter() - start) * 1000  # nothing looked up yet in this process
    out["skill"] = _median_ms(lambda: compute_standings(scheme, entries, organisations=organisations), args.repeat)

    # One new mark: judge 1 re-scores one aspect of one competitor, a different one each time.
    rng = random.Random(2)
    judgement = [a.id for a in scheme.aspects if a.kind == "judgement"]
    codes = list(entries)

    def one_mark_entries():
        code, aspect = rng.choice(codes), rng.choice(judgement)
        values = list(entries[code][aspect])
        values[0] = Decimal(rng.randrange(4))
        entries[code][aspect] = values
        return code, aspect, values

    def full_after_mark():
        one_mark_entries()
        compute_standings(scheme, entries, organisations=organisations)

    out["mark_full"] = _median_ms(full_after_mark, args.repeat)
    if SkillStandings is not None:
        live = SkillStandings(scheme, entries, organisations=organisations)

        def incremental_after_mark():
            code, aspect, values = one_mark_entries()
            live.set_entries(code, aspect, values)
            live.standings()

        out["mark_incremental"] = _median_ms(incremental_after_mark, args.repeat * 5)
        assert live.standings() == compute_standings(scheme, entries, organisations=organisations), "incremental differs"
    del reference

    # The event: ``skills`` skills of the same size, each with its own entries.
    event = [skill_entries(scheme, args.competitors, args.judges, seed=100 + s) for s in range(args.skills)]
    out["event_full"] = _median_ms(lambda: [compute_standings(scheme, e, organisations=o) for e, o in event], max(1, args.repeat // 3))
    if SkillStandings is not None:
        held = [SkillStandings(scheme, e, organisations=o) for e, o in event]
        out["event_held"] = _median_ms(lambda: [live.standings() for live in held], args.repeat)
    if args.database:
        # The pure core's event (and what holds it) is let go first: both implementations then
        # start the service path with the same few objects for the garbage collector to walk.
        event = held = live = None  # noqa: F841
        gc.collect()
        out.update(service_figures(Path(args.database), args.repeat))
    return out


def service_figures(database: Path, repeat: int) -> dict:
    """The service path, on a copy of the bench's database (each run writes marks to its own)."""
    sys.path.append(str(ROOT))  # after the implementation's own folder: its competition package comes first
    from bench import _service

    with tempfile.TemporaryDirectory(prefix="podium-bench-service-") as tmp:
        copy = Path(tmp) / "bench.sqlite"
        shutil.copyfile(database, copy)
        return _service.measure(copy, repeat, marks=repeat * 3)


def build_database(args, into: Path) -> Path:
    """The service bench's database, made once by this checkout (its schema has every column
    either implementation reads): one skill as in the pure core, then the event's other skills
    with one judge per panel (``mean`` of a panel of one: complete competitors, ranked, 9,000
    marks a skill rather than 45,000, so the event can be built in minutes)."""
    from bench import _service
    from competition.scoring.schemes import parse_scheme

    text, event_text = scheme_text(args.aspects, args.judges), scheme_text(args.aspects, 1, rule="mean")
    scheme, event_scheme = parse_scheme(text, "bench.toml"), parse_scheme(event_text, "bench-event.toml")

    def skill(n):
        if n == 0:
            return text, *skill_entries(scheme, args.competitors, args.judges, seed=1)
        return event_text, *skill_entries(event_scheme, args.competitors, 1, seed=100 + n)

    return _service.build(into, skill, args.service_skills, args.judges)


def run(root: Path, args, database: Path | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--competitors", str(args.competitors),
               "--aspects", str(args.aspects), "--judges", str(args.judges), "--skills", str(args.skills), "--repeat", str(args.repeat)]
    if database is not None:
        command += ["--database", str(database)]
    done = subprocess.run(command, env=env, cwd=str(root), capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"the run in {root} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline_tree(commit: str, into: Path) -> Path:
    archive = into / "baseline.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), commit, "competition"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


ROWS = [  # label, target, figure
    ("skill: full recompute", "skill", "skill"),
    ("skill: first compute in a process", "skill", "skill_first"),
    ("one mark: full recompute", "mark", "mark_full"),
    ("one mark: incremental (pure core)", "mark", "mark_incremental"),
    ("event: full recompute of every skill", "event", "event_full"),
    ("event: ranking with results held", "event", "event_held"),
    ("service: first read of a skill", None, "service_first_read"),
    ("service: recording one mark, committed", None, "service_mark_write"),
    ("service: one mark, then its standings", "mark", "service_mark_standings"),
    ("service: one mark, then its board payload", None, "service_mark_payload"),
    ("service: event overview", "event", "service_event"),
]


def medians(runs: list[dict]) -> dict:
    keys = {k for run in runs for k, v in run.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {k: statistics.median(run[k] for run in runs if run.get(k) is not None) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--competitors", type=int, default=60)
    parser.add_argument("--aspects", type=int, default=150)
    parser.add_argument("--judges", type=int, default=5)
    parser.add_argument("--skills", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each implementation, taken in turn; medians are printed")
    parser.add_argument("--service-skills", type=int, default=100, help="skills of the service bench's event (0: no service bench)")
    parser.add_argument("--baseline", default="1aa471c", help="the commit whose implementation is the baseline")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    print(f"Standings: {args.competitors} competitors x {args.aspects} aspects x {args.judges} judges; pure-core event of "
          f"{args.skills} skills; service event of {args.service_skills} skills; medians of {args.repeat} runs, then the "
          f"median of {args.rounds} rounds")
    with tempfile.TemporaryDirectory(prefix="podium-bench-standings-") as tmp:
        print(f"baseline: the implementation at {args.baseline} (git archive) …", flush=True)
        base_root = baseline_tree(args.baseline, Path(tmp))
        database = None
        if args.service_skills:
            print(f"building the service bench's database ({args.service_skills} skills) …", flush=True)
            (Path(tmp) / "db").mkdir()
            database = build_database(args, Path(tmp) / "db")
        base_runs, now_runs = [], []
        for round_ in range(1, args.rounds + 1):
            print(f"round {round_} of {args.rounds}: baseline, then this checkout …", flush=True)
            base_runs.append(run(base_root, args, database))
            now_runs.append(run(ROOT, args, database))
            figures = (f"{key} {base_runs[-1].get(key, 0):.2f} | {now_runs[-1].get(key, 0):.2f}" for _, _, key in ROWS)
            print("  " + ", ".join(figures), flush=True)
    base, now = medians(base_runs), medians(now_runs)

    def ms(value):
        return f"{value:,.2f} ms" if value is not None else "—"

    print(f"\n{'':42} {'target':>10} {'baseline':>12} {'today':>12} {'today/baseline':>15}  met")
    for label, target, key in ROWS:
        before, after = base.get(key), now.get(key)
        if before is None and after is None:
            continue
        ratio = f"{after / before:.3f}x" if before and after else "—"
        goal = f"< {TARGETS_MS[target]:g} ms" if target else ""
        met = "—" if after is None or not target else ("yes" if after < TARGETS_MS[target] else "NO")
        print(f"{label:42} {goal:>10} {ms(before):>12} {ms(after):>12} {ratio:>15}  {met}")
    if now.get("service_skills"):
        print(f"\nservice event: {now['service_skills']:.0f} skills; service figures on SQLite in a temporary folder")
    print("rounds (ms), baseline | today:")
    for _, _, key in ROWS:
        if any(key in r for r in base_runs + now_runs):
            print(f"  {key:24} " + " ".join(f"{r.get(key, 0):9.2f}" for r in base_runs) + " | "
                  + " ".join(f"{r.get(key, 0):9.2f}" for r in now_runs))


if __name__ == "__main__":
    main()
