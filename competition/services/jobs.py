"""Background jobs that survive their process: a job table, claimed by any worker.

Work that outlives a request (certificate batches, imports, exports, backups) is a :class:`Job`
row. Any server process (its in-process worker) or ``podium worker`` claims a queued job, runs
it and records the outcome; while it runs, the worker beats the job's heartbeat every few
seconds. A running job whose heartbeat is older than ``PODIUM_JOB_STALE_SECONDS`` (30 s) lost
its process (killed, crashed, the machine rebooted) and is claimed again by the next worker;
after :data:`MAX_ATTEMPTS` claims it ends ``failed``. So a job must be safe to run again: it
finds what an earlier attempt committed and carries on (or starts over).

The whole API, for a module that adds a kind of job::

    from competition.services.jobs import enqueue, job_kind

    @job_kind("exports", label=_l("Export"))   # the kind's name, stored on the job (40 chars)
    def run(job, params: dict) -> dict:        # params: the JSON given to enqueue
        job.progress(done, total)              # any time; shows on /console/jobs/<id>
        path = job.output_path("marks.xlsx")   # instance/jobs/<id>/marks.xlsx, folder made
        ...                                    # job.app is the Flask app (an app context is open)
        return {"file": "marks.xlsx", "rows": 12}   # the job's result (JSON); "file" gives a download

    job = enqueue("exports", {"skill_id": 3}, event=event, by=organiser)   # flushes, never commits

A worker knows a kind once the module registering it is imported: add the module to
``KIND_MODULES`` in :mod:`competition.services.job_runs` (where the registry, claiming and
heartbeats live; the loop is :mod:`competition.services.job_worker`).

``run`` is called in an app context of its own; it commits its own work with
``effects.transaction()``. ``progress`` writes in a short transaction of its own connection:
call it outside an open write transaction of the job's session (SQLite has one writer), and
often: inside a gevent server the heartbeat's thread is a greenlet that beats only when the job
yields, which ``progress`` does. An
exception in ``run`` ends the job ``failed`` with its message (a ``ServiceError``'s English
message, else the exception's text); the worker carries on with the next job. A kind may give
``on_failed(params, message)``, called in a transaction whenever its job ends failed (also
after its last attempt died), to mark its own rows failed too.

The job is claimed once the caller committed: ``enqueue`` wakes this process's worker after the
commit (``effects.after_commit``); other processes' workers find it when they next poll.
Claiming is an ``UPDATE … WHERE`` the job is still as read (its ``attempts`` a version, a
running job's heartbeat still stale), so two workers never both win, on SQLite or PostgreSQL.

``selftest.sleep`` is a kind for the tests and for trying a deployment's workers: it counts
``steps`` (default 5), sleeping ``seconds`` (default 1) at each, and records its attempts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from competition.extensions import db
from competition.models import Event, Job, User
from competition.models.console import QUEUED
from competition.services.effects import after_commit
from competition.services.job_runs import (  # noqa: F401  (the API, in one place)
    MAX_ATTEMPTS,
    JobContext,
    beat,
    claim,
    dump,
    job_kind,
    job_status,
    kind_label,
    kinds,
    output_path,
    params_of,
    result_file,
    result_of,
    run_claimed,
)
from competition.services.job_worker import wake


def enqueue(kind: str, params: dict, *, event: Event | None = None, by: User | None = None) -> Job:
    """Record a queued job (flushed, not committed); a worker picks it up once the caller commits."""
    if kind not in kinds():
        raise ValueError(f"no job kind {kind!r}; known: {', '.join(kinds())}")
    job = Job(kind=kind, params=dump(params), state=QUEUED, event_id=event.id if event else None,
              created_by_id=by.id if by else None)
    db.session.add(job)
    db.session.flush()
    after_commit(Wake(current_app._get_current_object()))
    return job


@dataclass(frozen=True)
class Wake:
    """After the commit: this process's worker runs the new job (started if none is running)."""

    app: Flask

    def __call__(self) -> None:
        wake(self.app)


@job_kind("selftest.sleep", label=_l("Worker self-test"))
def _selftest_sleep(job: JobContext, params: dict) -> dict:
    """Count slowly: for the tests of dying workers, and for trying a deployment's workers."""
    steps, seconds = int(params.get("steps", 5)), float(params.get("seconds", 1))
    for step in range(steps):
        job.progress(step, steps)
        time.sleep(seconds)
    job.progress(steps, steps)
    return {"steps": steps, "attempt": job.attempt}
