"""The worker loop that runs background jobs, in ``podium worker`` or inside a server process.

``work(app)`` claims and runs jobs one after another (:mod:`competition.services.jobs`), each
in an app context of its own; with ``once`` it returns when no job is left, else it waits
``poll`` seconds (or until woken) and looks again, so it also finds the jobs other processes
queued and the running jobs whose process died.

Each server process runs one such loop in a thread (``start_worker``, called when
``podium serve`` or ``podium demo`` starts serving; ``PODIUM_WORKER=0`` turns it off, e.g. when
separate ``podium worker`` processes do the work). A process that queues a job without a
worker of its own (a test, a command, a development server) starts a short-lived one after the
commit, which runs until no job is left: a job never waits for a poll in the process that
queued it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from competition.extensions import db
from competition.services import job_runs as jobs

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # default of PODIUM_JOB_POLL_SECONDS

_guard = threading.Lock()
_local: dict[int, tuple[threading.Thread, threading.Event]] = {}  # id(app) → its worker in this process


def work_one(app: Flask, worker: str, say: Callable[[str], None] | None = None) -> bool:
    """Claim and run one job; False when there was none to claim."""
    with app.app_context():
        try:
            job = jobs.claim(worker)
            if job is None:
                return False
            job_id, kind, attempt = job.id, job.kind, job.attempts
            if say:
                say(f"job {job_id} ({kind}), attempt {attempt}: started")
            state = jobs.run_claimed(app, job, worker)
            if say:
                say(f"job {job_id} ({kind}): {state}")
            return True
        finally:
            db.session.remove()


def work(app: Flask, *, once: bool = False, poll: float | None = None, wake: threading.Event | None = None,
         say: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> int:
    """Run jobs until none is left (``once``) or forever, polling; returns how many were run."""
    poll = poll if poll is not None else jobs.setting(app, "PODIUM_JOB_POLL_SECONDS", POLL_SECONDS)
    name = jobs.worker_name()
    jobs.load_kinds(app)
    wake = wake or threading.Event()
    ran = 0
    while stop is None or not stop.is_set():
        try:
            did = work_one(app, name, say)
        except Exception:  # the database away for a moment: never a dead worker
            log.exception("worker %s: could not claim a job", name)
            did = False
        ran += did
        if did:
            continue
        if once:
            return ran
        wake.wait(poll)
        wake.clear()
    return ran


def enabled(app: Flask) -> bool:
    return str(app.config.get("PODIUM_WORKER", "1")).strip().lower() not in ("0", "false", "no", "off", "")


def start_worker(app: Flask) -> threading.Thread | None:
    """Start this process's worker thread for ``app`` (polling forever), unless PODIUM_WORKER=0."""
    if not enabled(app):
        return None
    with _guard:
        running = _local.get(id(app))
        if running and running[0].is_alive() and getattr(running[0], "forever", False):
            return running[0]
        signal = running[1] if running else threading.Event()
        thread = threading.Thread(target=work, args=(app,), kwargs={"wake": signal}, name="podium-worker", daemon=True)
        thread.forever = True
        _local[id(app)] = (thread, signal)
    thread.start()
    signal.set()
    return thread


def wake(app: Flask) -> None:
    """A job was committed in this process: wake its worker, or start one that runs until none is left."""
    if not enabled(app):
        return
    with _guard:
        running = _local.get(id(app))
        if running and running[0].is_alive():
            running[1].set()
            return
        signal = threading.Event()
        thread = threading.Thread(target=_drain, args=(app, signal), name="podium-jobs", daemon=True)
        _local[id(app)] = (thread, signal)
    thread.start()


def wait_idle(app: Flask, timeout: float = 60.0) -> None:
    """Wait until the short-lived worker of ``app`` (if any) has run out of jobs: a test ends
    with no job still writing into the database it is about to drop."""
    with _guard:
        running = _local.get(id(app))
    if running:
        running[0].join(timeout)


def _drain(app: Flask, signal: threading.Event) -> None:
    """Run jobs until none is left; a wake that comes while finishing runs one more round."""
    while True:
        signal.clear()
        work(app, once=True)
        with _guard:
            if not signal.is_set():
                if _local.get(id(app), (None,))[0] is threading.current_thread():
                    del _local[id(app)]
                return
