"""The console's job pages: the list, one job's page and its JSON, organisers only."""

from __future__ import annotations

import json

from competition.extensions import db
from competition.models import Job
from competition.services import jobs
from competition.services.job_worker import work
from tests.certificates.helpers import organiser_client
from tests.factories import tiny_event


def _quiet_job(app, **values) -> Job:
    app.config["PODIUM_WORKER"] = "0"
    job = jobs.enqueue("selftest.sleep", {"steps": 3, "seconds": 0})
    for name, value in values.items():
        setattr(job, name, value)
    db.session.commit()
    return job


def test_only_organisers_see_jobs(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    job = _quiet_job(app)
    anonymous = client.get(f"/console/jobs/{job.id}.json")
    assert anonymous.status_code in (302, 401)
    judge = organiser_client(client, setup["judges"][0])
    for path in ("/console/jobs", f"/console/jobs/{job.id}", f"/console/jobs/{job.id}.json", f"/console/jobs/{job.id}/download"):
        assert judge.get(path).status_code == 403, path


def test_a_running_job_shows_its_progress_on_the_page_and_in_the_json(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    job = _quiet_job(app, state="running", done=2, total=8, attempts=1)
    organiser = organiser_client(client, setup["organiser"])
    page = organiser.get(f"/console/jobs/{job.id}").get_data(as_text=True)
    assert "Worker self-test" in page and 'value="25"' in page and "2 of 8" in page and "jobs.js" in page
    assert f'data-job-status="/console/jobs/{job.id}.json"' in page and "<script>" not in page
    data = organiser.get(f"/console/jobs/{job.id}.json").get_json()
    assert (data["state"], data["done"], data["total"], data["percent"], data["finished"]) == ("running", 2, 8, 25, False)
    assert data["download_url"] is None and data["message"] is None
    listed = organiser.get("/console/jobs").get_data(as_text=True)
    assert f'href="/console/jobs/{job.id}"' in listed and "2 / 8" in listed and "Running" in listed


def test_a_failed_job_shows_its_message_and_a_done_one_its_result(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    failed = _quiet_job(app, state="failed", message="Skill cnc is not locked.")
    organiser = organiser_client(client, setup["organiser"])
    data = organiser.get(f"/console/jobs/{failed.id}.json").get_json()
    assert data["state"] == "failed" and data["message"] == "Skill cnc is not locked." and data["finished"]
    assert "Skill cnc is not locked." in organiser.get(f"/console/jobs/{failed.id}").get_data(as_text=True)
    done = _quiet_job(app)
    work(app, once=True)
    data = organiser.get(f"/console/jobs/{done.id}.json").get_json()
    assert (data["state"], data["done"], data["total"], data["result"]) == ("done", 3, 3, {"steps": 3, "attempt": 1})
    assert organiser.get(f"/console/jobs/{done.id}/download").status_code == 404  # no file in its result


def test_a_job_with_a_file_offers_it_for_download(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    job = _quiet_job(app, state="done", result=json.dumps({"file": "marks.csv"}))
    jobs.output_path(app, job.id, "marks.csv").write_text("code,total\nT-01,80\n")
    organiser = organiser_client(client, setup["organiser"])
    data = organiser.get(f"/console/jobs/{job.id}.json").get_json()
    assert data["download_url"] == f"/console/jobs/{job.id}/download"
    download = organiser.get(data["download_url"])
    assert download.status_code == 200 and download.data == b"code,total\nT-01,80\n"
    assert 'filename=marks.csv' in download.headers["Content-Disposition"]
    assert organiser.get("/console/jobs/9223372036854775808.json").status_code == 404
