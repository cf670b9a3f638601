"""``podium worker``: runs the waiting jobs and, with --once, exits when none is left."""

from __future__ import annotations

from click.testing import CliRunner

from competition.cli import main
from competition.extensions import db
from competition.models import Job
from competition.services import jobs
from competition.services.effects import transaction


def test_worker_once_runs_every_waiting_job_then_exits(app):
    app.config["PODIUM_WORKER"] = "0"  # no worker of the test's own: the command does the work
    with transaction():
        ids = [jobs.enqueue("selftest.sleep", {"steps": 2, "seconds": 0}).id for _ in range(2)]
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    for job_id in ids:
        assert f"job {job_id} (selftest.sleep), attempt 1: started" in result.output
        assert f"job {job_id} (selftest.sleep): done" in result.output
        assert db.session.get(Job, job_id, populate_existing=True).state == "done"
    assert "2 job(s) run, none left" in result.output


def test_worker_refuses_a_poll_below_its_floor(app):
    result = CliRunner().invoke(main, ["worker", "--poll", "0"])
    assert result.exit_code == 2 and "--poll" in result.output
