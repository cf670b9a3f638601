"""Certificate batches run as background jobs: drawn by whichever worker claims them, drawn
again when the drawing process died, failed with their job."""

from __future__ import annotations

import datetime as dt

from competition.extensions import db
from competition.models import CertificateBatch, Job
from competition.models.marking import utcnow
from competition.services import jobs
from competition.services.certificate_batches import job_for, start_batch
from competition.services.effects import transaction
from competition.services.job_worker import work
from tests.certificates.helpers import final_event, need_cjk_font


def _batch(app, tmp_path):
    app.config["PODIUM_WORKER"] = "0"  # no worker in this process: the test plays the workers
    setup = final_event(tmp_path)
    with transaction():
        batch = start_batch(setup["event"], skill=setup["skill"], by=setup["organiser"])
    return batch.id


def _fresh(model, ident):
    return db.session.get(model, ident, populate_existing=True)


def test_a_batch_whose_drawing_process_died_is_drawn_by_another_worker(app, tmp_path):
    need_cjk_font()
    batch_id = _batch(app, tmp_path)
    job = job_for(_fresh(CertificateBatch, batch_id))
    assert (job.kind, job.state, jobs.params_of(job)) == ("certificates", "queued", {"batch_id": batch_id})
    assert jobs.claim("server-that-dies").id == job.id  # claimed, then its process vanished
    _fresh(Job, job.id).heartbeat_at = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    assert work(app, once=True) == 1
    job, batch = _fresh(Job, job.id), _fresh(CertificateBatch, batch_id)
    assert (job.state, job.attempts) == ("done", 2), job.message
    assert (batch.status, batch.done, batch.total) == ("done", 5, 5)
    assert jobs.result_of(job) == {"batch_id": batch_id, "pages": 5}


def test_a_batch_whose_job_died_too_often_ends_failed_with_its_message(app, tmp_path):
    batch_id = _batch(app, tmp_path)
    job = job_for(_fresh(CertificateBatch, batch_id))
    job.state, job.attempts, job.heartbeat_at = "running", jobs.MAX_ATTEMPTS, utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    assert work(app, once=True) == 0
    batch = _fresh(CertificateBatch, batch_id)
    assert batch.status == "failed" and "stopped 3 times" in batch.error and batch.finished_at is not None


def test_a_batch_refused_when_drawn_fails_with_the_refusal_and_the_worker_goes_on(app, tmp_path):
    batch_id = _batch(app, tmp_path)
    batch = _fresh(CertificateBatch, batch_id)
    t2 = next(c for c in batch.skill.competitors if c.code == "T-02")
    t2.locked_at = None  # the result was unlocked after the batch was queued
    db.session.commit()
    assert work(app, once=True) == 1
    job, batch = job_for(_fresh(CertificateBatch, batch_id)), _fresh(CertificateBatch, batch_id)
    assert job.state == "failed" and "not final yet" in job.message and "T-02 Anna Schmidt" in job.message
    assert batch.status == "failed" and batch.error == job.message
