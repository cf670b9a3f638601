"""Background jobs: claiming (one winner), failures, attempts, and a worker killed mid-job."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from competition.extensions import db
from competition.models import Job
from competition.models.marking import utcnow
from competition.services import jobs
from competition.services.effects import transaction
from competition.services.errors import ServiceError
from competition.services.job_worker import work

ROOT = Path(__file__).resolve().parents[2]
failed_params: list[tuple[dict, str]] = []


@jobs.job_kind("test.refuse", on_failed=lambda params, message: failed_params.append((params, message)))
def _refuse(job, params):
    raise ServiceError("skill", f"Skill {params['skill']} is not locked.", code="not_locked")


@jobs.job_kind("test.crash")
def _crash(job, params):
    raise RuntimeError("the printer caught fire")


@pytest.fixture
def quiet(app):
    """No worker in this process: the test claims and runs jobs itself."""
    app.config["PODIUM_WORKER"] = "0"
    failed_params.clear()
    return app


def queued(kind: str, params: dict | None = None) -> int:
    with transaction():
        job = jobs.enqueue(kind, params or {})
    return job.id


def fresh(job_id: int) -> Job:
    return db.session.get(Job, job_id, populate_existing=True)


def test_two_claimers_at_once_one_wins(quiet):
    job_id = queued("selftest.sleep", {"steps": 1, "seconds": 0})
    start = threading.Barrier(8)
    won: list[int | None] = []

    def claimer(n: int) -> None:
        with quiet.app_context():
            start.wait()
            job = jobs.claim(f"claimer-{n}")
            won.append(job.id if job else None)
            db.session.remove()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(won, key=str) == [job_id] + [None] * 7
    job = fresh(job_id)
    assert job.state == "running" and job.attempts == 1 and job.worker.startswith("claimer-")


def test_a_job_whose_worker_still_beats_is_not_taken_over_and_a_stale_one_is(quiet):
    job_id = queued("selftest.sleep", {"steps": 1, "seconds": 0})
    assert jobs.claim("first").id == job_id
    assert jobs.claim("second") is None  # the heartbeat is fresh: the first worker is alive
    fresh(job_id).heartbeat_at = utcnow() - dt.timedelta(seconds=31)
    db.session.commit()
    taken = jobs.claim("second")
    assert taken.id == job_id and taken.worker == "second" and taken.attempts == 2
    # the first worker comes back: its outcome is dropped, its heartbeat refused
    assert not jobs.beat(job_id, "first", 1)
    assert jobs.run_claimed(quiet, taken, "second") == "done"
    assert fresh(job_id).state == "done"


def test_a_service_error_ends_the_job_failed_with_its_english_message_and_the_worker_goes_on(quiet):
    refused = queued("test.refuse", {"skill": "cnc"})
    crashed = queued("test.crash")
    after = queued("selftest.sleep", {"steps": 2, "seconds": 0})
    assert work(quiet, once=True) == 3
    job = fresh(refused)
    assert (job.state, job.message, job.attempts) == ("failed", "Skill cnc is not locked.", 1)
    assert failed_params == [({"skill": "cnc"}, "Skill cnc is not locked.")]
    assert fresh(crashed).state == "failed" and fresh(crashed).message == "RuntimeError: the printer caught fire"
    done = fresh(after)
    assert (done.state, done.done, done.total) == ("done", 2, 2)
    assert jobs.result_of(done) == {"steps": 2, "attempt": 1}


def test_a_job_that_died_three_times_ends_failed_and_its_kind_is_told(quiet):
    job_id = queued("test.refuse", {"skill": "x"})
    job = fresh(job_id)
    job.state, job.attempts, job.heartbeat_at = "running", jobs.MAX_ATTEMPTS, utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    assert jobs.claim("w") is None
    job = fresh(job_id)
    assert job.state == "failed" and "stopped 3 times" in job.message and job.finished_at is not None
    assert failed_params and failed_params[0][0] == {"skill": "x"}


def test_jobs_of_kinds_this_worker_does_not_know_are_left_alone_and_do_not_block_the_queue(quiet):
    db.session.add_all(Job(kind="newer.kind", params="{}") for _ in range(12))
    db.session.commit()
    job_id = queued("selftest.sleep", {"steps": 1, "seconds": 0})
    assert jobs.claim("w").id == job_id
    assert jobs.claim("w") is None
    assert db.session.query(Job).filter_by(kind="newer.kind", state="queued").count() == 12


def test_an_unknown_kind_is_refused_when_queued(quiet):
    with pytest.raises(ValueError, match="no job kind 'nope'"):
        jobs.enqueue("nope", {})


def test_output_path_stays_in_the_jobs_folder(quiet, tmp_path):
    path = jobs.output_path(quiet, 7, "../../etc/passwd")
    assert path == tmp_path / "jobs" / "7" / "passwd" and path.parent.is_dir()


def _worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "competition", "worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_job_killed_with_its_process_is_finished_by_another_worker(quiet, tmp_path):
    job_id = queued("selftest.sleep", {"steps": 6, "seconds": 0.5})
    env = {**os.environ, "DATABASE_URL": quiet.config["SQLALCHEMY_DATABASE_URI"], "PODIUM_INSTANCE": str(tmp_path),
           "SECRET_KEY": "test-secret", "PODIUM_JOB_HEARTBEAT_SECONDS": "0.2", "PODIUM_WORKER": "1"}
    first = _worker(env, "--poll", "0.2")
    try:
        deadline = time.monotonic() + 60
        while (job := fresh(job_id)).done < 2 and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.1)
        assert job.state == "running" and job.done >= 2 and job.attempts == 1, first.stdout.read() if first.poll() else job
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    db.session.rollback()
    assert fresh(job_id).state == "running"  # nobody finished it: its heartbeat stops
    time.sleep(1.2)
    second = subprocess.run([sys.executable, "-m", "competition", "worker", "--once"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**env, "PODIUM_JOB_STALE_SECONDS": "1"})
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"job {job_id} (selftest.sleep), attempt 2: started" in second.stdout
    job = fresh(job_id)
    assert (job.state, job.attempts, job.done, job.total) == ("done", 2, 6, 6), job.message
    assert jobs.result_of(job) == {"steps": 6, "attempt": 2}
    assert f":{first.pid}:" not in job.worker and f":{os.getpid()}:" not in job.worker
