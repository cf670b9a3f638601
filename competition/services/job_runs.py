"""How background jobs are kept and run: the registry of kinds, claiming, heartbeats and outcomes.

The public API — ``job_kind``, ``enqueue``, ``JobContext`` — is :mod:`competition.services.jobs`,
whose docstring tells the whole story; this module is what it and the worker loop
(:mod:`competition.services.job_worker`) share.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update

from competition.extensions import db
from competition.models import Job
from competition.models.console import DONE, FAILED, QUEUED, RUNNING
from competition.models.marking import utcnow
from competition.services.effects import transaction
from competition.services.errors import ServiceError, in_english

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # claims of one job (its process died each time) before it ends failed
STALE_SECONDS = 30.0  # default of PODIUM_JOB_STALE_SECONDS
HEARTBEAT_SECONDS = 5.0  # default of PODIUM_JOB_HEARTBEAT_SECONDS
PROGRESS_SECONDS = 0.25  # progress is written at most this often (and at its last step)


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[JobContext, dict], dict | None]
    label: object = None  # what pages call it (a lazy gettext string); else the name
    on_failed: Callable[[dict, str], None] | None = None


_kinds: dict[str, JobKind] = {}

# Modules that register kinds, imported before a worker claims anything (a kind is known to a
# worker only once its module is imported). Add yours here; PODIUM_JOB_MODULES (comma-separated)
# names more, e.g. a deployment's own.
KIND_MODULES = ["competition.services.jobs", "competition.services.certificate_batches", "competition.services.console_jobs"]


def load_kinds(app: Flask) -> None:
    from importlib import import_module

    extra = [m.strip() for m in str(app.config.get("PODIUM_JOB_MODULES") or "").split(",") if m.strip()]
    for module in KIND_MODULES + extra:
        import_module(module)


def job_kind(name: str, *, label: object = None, on_failed: Callable[[dict, str], None] | None = None):
    """Register ``run(job_context, params) -> dict`` as the work of jobs of kind ``name``."""

    def register(run):
        _kinds[name] = JobKind(name, run, label, on_failed)
        return run

    return register


def kinds() -> list[str]:
    return sorted(_kinds)


def kind_label(name: str) -> str:
    kind = _kinds.get(name)
    return str(kind.label) if kind and kind.label else name


def dump(params: dict) -> str:
    """Params as stored: the same dict always gives the same text (so a job can be found by them)."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def params_of(job: Job) -> dict:
    return json.loads(job.params or "{}")


def result_of(job: Job) -> dict:
    return json.loads(job.result or "{}")


def setting(app: Flask, name: str, default: float) -> float:
    value = app.config.get(name)
    return float(value) if value not in (None, "") else default


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:120]


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else moment


def claim(worker: str) -> Job | None:
    """Claim the oldest queued job, or a running job whose worker stopped beating its heartbeat.

    Each claim is one conditional UPDATE in a short transaction of its own: it wins only if the
    job's attempts (and, for a running job, its stale heartbeat) are still as read. A stale job
    that has used its attempts is ended failed instead. Returns the claimed job, or None."""
    app = current_app._get_current_object()
    cutoff = _naive(utcnow() - dt.timedelta(seconds=setting(app, "PODIUM_JOB_STALE_SECONDS", STALE_SECONDS)))
    stale = and_(Job.state == RUNNING, or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < cutoff))
    # Only kinds this process knows (another version of Podium may share the database).
    claimable = and_(Job.kind.in_(sorted(_kinds)), or_(Job.state == QUEUED, stale))
    with db.engine.connect() as conn:
        candidates = conn.execute(select(Job.id, Job.state, Job.attempts, Job.kind).where(claimable).order_by(Job.id).limit(10)).all()
    for job_id, state, attempts, kind in candidates:
        still = and_(Job.id == job_id, Job.attempts == attempts, claimable)
        now = utcnow()
        if state == RUNNING and attempts >= MAX_ATTEMPTS:
            message = f"The job stopped {attempts} times without finishing (its process ended); it is not tried again."
            if _write(update(Job).where(still).values(state=FAILED, message=message, finished_at=now)):
                _failed_hook(kind, job_id, message)
            continue
        if _write(update(Job).where(still).values(state=RUNNING, worker=worker, attempts=attempts + 1, started_at=now,
                                                  heartbeat_at=now, message="")):
            return db.session.get(Job, job_id, populate_existing=True)
    return None


def _write(statement) -> bool:
    """Run one UPDATE in a transaction of its own connection; whether it changed a row."""
    with db.engine.begin() as conn:
        return conn.execute(statement).rowcount == 1


def _mine(job_id: int, worker: str, attempt: int):
    return and_(Job.id == job_id, Job.worker == worker, Job.attempts == attempt, Job.state == RUNNING)


def beat(job_id: int, worker: str, attempt: int, **values) -> bool:
    """Beat the heartbeat of a job this worker holds (with other values); False if it lost the job."""
    return _write(update(Job).where(_mine(job_id, worker, attempt)).values(heartbeat_at=utcnow(), **values))


class JobContext:
    """What a job's ``run`` is given: the app, progress and a folder for its files."""

    def __init__(self, app: Flask, job: Job, worker: str):
        self.app, self.id, self.kind, self.worker, self.attempt = app, job.id, job.kind, worker, job.attempts
        self._last = 0.0

    def progress(self, done: int, total: int) -> None:
        """Record progress (written at most every 0.25 s, and at the last step), beating the heartbeat."""
        now = time.monotonic()
        if now - self._last >= PROGRESS_SECONDS or done >= total:
            self._last = now
            beat(self.id, self.worker, self.attempt, done=done, total=total)
        time.sleep(0)  # under gevent, let the server's other greenlets run between steps

    def output_path(self, filename: str) -> Path:
        """Where the job writes a file: ``<instance>/jobs/<id>/<filename>`` (the folder is made)."""
        return output_path(self.app, self.id, filename)


def job_folder(app: Flask, job_id: int) -> Path:
    return Path(app.config.get("JOB_DIR") or Path(app.instance_path) / "jobs") / str(job_id)


def output_path(app: Flask, job_id: int, filename: str) -> Path:
    name = Path(filename).name
    if not name or name in (".", ".."):
        raise ValueError(f"not a file name: {filename!r}")
    folder = job_folder(app, job_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def result_file(app: Flask, job: Job) -> Path | None:
    """The file a done job's result names, if it is still on this machine's disk."""
    name = result_of(job).get("file")
    if job.state != DONE or not isinstance(name, str):
        return None
    path = job_folder(app, job.id) / Path(name).name
    return path if path.is_file() else None


def run_claimed(app: Flask, job: Job, worker: str) -> str:
    """Run a job this worker claimed, beating its heartbeat beside it; record done or failed.

    Never raises for the job's own errors: they end the job failed. Returns the job's state."""
    context = JobContext(app, job, worker)
    kind = _kinds[job.kind]
    params = params_of(job)
    stop = threading.Event()
    interval = setting(app, "PODIUM_JOB_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
    heart = threading.Thread(target=_heartbeat, args=(app, job.id, worker, job.attempts, interval, stop),
                             name=f"job-{job.id}-heartbeat", daemon=True)
    heart.start()
    try:
        result = kind.run(context, params) or {}
    except Exception as err:
        if isinstance(err, ServiceError):
            message = str(in_english(err.lazy_message))
        else:
            log.exception("job %s (%s) failed", job.id, job.kind)
            message = f"{type(err).__name__}: {err}"
        return _finish(job.id, worker, job.attempts, kind, params, state=FAILED, message=message[:2000])
    finally:
        stop.set()
        heart.join(interval + 5)
        db.session.rollback()  # whatever the job left open is not ours to commit
    return _finish(job.id, worker, job.attempts, kind, params, state=DONE, result=dump(result))


def _finish(job_id: int, worker: str, attempt: int, kind: JobKind, params: dict, *, state: str, **values) -> str:
    now = utcnow()
    values.setdefault("message", "")
    if not _write(update(Job).where(_mine(job_id, worker, attempt)).values(state=state, finished_at=now, heartbeat_at=now,
                                                                           **values)):
        log.warning("job %s was taken over by another worker; this run's outcome is dropped", job_id)
        return RUNNING
    if state == FAILED:
        _failed_hook(kind.name, job_id, values["message"], params)
    return state


def _failed_hook(kind_name: str, job_id: int, message: str, params: dict | None = None) -> None:
    kind = _kinds.get(kind_name)
    if kind is None or kind.on_failed is None:
        return
    try:
        if params is None:
            params = json.loads(db.session.scalar(select(Job.params).where(Job.id == job_id)) or "{}")
        with transaction():
            kind.on_failed(params, message)
    except Exception:
        log.exception("job %s: marking its work failed did not succeed", job_id)


def _heartbeat(app: Flask, job_id: int, worker: str, attempt: int, interval: float, stop: threading.Event) -> None:
    with app.app_context():
        while not stop.wait(interval):
            try:
                if not beat(job_id, worker, attempt):
                    return
            except Exception:  # e.g. the database busy for a moment: the next beat tries again
                log.warning("job %s: heartbeat not written", job_id, exc_info=True)


def remove_files(app: Flask, job_id: int) -> None:
    shutil.rmtree(job_folder(app, job_id), ignore_errors=True)


def job_status(job: Job) -> dict:
    """A job as its page's script reads it."""
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": round(100 * job.done / job.total) if job.total else (100 if job.state == DONE else 0),
        "attempts": job.attempts,
        "message": job.message or None,
        "result": result_of(job),
        "finished": job.state in (DONE, FAILED),
    }
