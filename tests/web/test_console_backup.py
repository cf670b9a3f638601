"""The console's backup page: organisers only; a backup and a restore run as background jobs
(the test plays the worker); a refused archive is refused at once, with the service's checks."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Job, Mark, User
from competition.services.job_worker import work

PAGE = "/console/events/podium-2026/backup"


def login(client, username: str) -> None:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture
def organiser(app, client, demo_event, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path / "replaced")
    app.config["PODIUM_WORKER"] = "0"  # no worker in this process: the test runs the jobs
    app.instance_path = str(tmp_path / "instance")
    login(client, "organiser")
    return client


def _flashes(client) -> str:
    return client.get(PAGE).get_data(as_text=True)


def _job(client, response) -> dict:
    """Run the job the response queued (as a worker would) and read it as its page's script does."""
    assert response.status_code == 303 and "/console/jobs/" in response.headers["Location"], response.status_code
    work(client.application, once=True)
    return client.get(response.headers["Location"] + ".json").get_json()


def _download(client) -> bytes:
    job = _job(client, client.post(PAGE))
    assert (job["kind"], job["state"]) == ("backup", "done"), job
    response = client.get(job["download_url"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "podium-2026-backup-" in response.headers["Content-Disposition"]
    return response.data


def test_only_organisers_reach_the_backup(app, client, demo_event):
    assert client.get(PAGE).status_code == 302  # to sign-in
    login(client, "judge-a1")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE).status_code == 403
    assert client.post(f"{PAGE}/restore").status_code == 403
    assert client.get("/console/restore").status_code == 403


def test_download_and_restore_over_the_event(organiser, tmp_path):
    page = organiser.get(PAGE).get_data(as_text=True)
    assert "Prepare the backup" in page and f'action="{PAGE}"' in page and 'href="/console/events/podium-2026/backup"' in page
    data = _download(organiser)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("manifest.json"))["event"] == "podium-2026"
    marks = db.session.scalar(sa.select(sa.func.count()).select_from(Mark))

    response = organiser.post(f"{PAGE}/restore", data={"archive": (io.BytesIO(data), "demo.zip"), "confirm": "1"},
                              content_type="multipart/form-data")
    assert not list((tmp_path / "replaced").glob("*.zip"))  # queued: nothing restored in the request
    job = _job(organiser, response)
    saved = list((tmp_path / "replaced").glob("podium-2026-replaced-*.zip"))
    assert (job["kind"], job["state"]) == ("restore", "done"), job
    assert len(saved) == 1 and job["result"]["replaced"] == str(saved[0]) and job["result"]["mark"] == marks
    page = organiser.get(job["page_url"]).get_data(as_text=True)
    assert "Event podium-2026 restored from the backup" in page and str(saved[0]) in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mark)) == marks
    assert not list((tmp_path / "instance" / "restores").glob("*"))  # the uploaded archive is not kept


def _tampered(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            content = old.read(info.filename)
            new.writestr(info.filename, content.replace(b"podium-demo", b"podium-demO") if info.filename == "event.jsonl"
                         else content + (b"{}\n" if info.filename == "skill.jsonl" else b""))
    return out.getvalue()


@pytest.mark.parametrize("form, words", [
    ({"confirm": "1", "tampered": True}, "changed or damaged"),
    ({"confirm": "1", "garbage": True}, "not a Podium backup"),
    ({}, "Tick the box"),
    ({"confirm": "1", "no_file": True}, "Choose a backup file"),
])
def test_a_refused_restore_says_why_and_changes_nothing(organiser, tmp_path, form, words):
    form = dict(form)  # the parameter's dict is shared by both databases' runs: change a copy
    data = _download(organiser)
    if form.pop("tampered", False):
        data = _tampered(data)
    if form.pop("garbage", False):
        data = b"PK not really"
    if not form.pop("no_file", False):
        form["archive"] = (io.BytesIO(data), "demo.zip")
    marks = db.session.scalar(sa.select(sa.func.count()).select_from(Mark))
    response = organiser.post(f"{PAGE}/restore", data=form, content_type="multipart/form-data")
    assert response.status_code == 303
    assert words in _flashes(organiser)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mark)) == marks
    assert not (tmp_path / "replaced").exists()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.kind == "restore")) == 0  # nothing queued
    assert not list((tmp_path / "instance" / "restores").glob("*"))


def test_the_event_page_restores_only_its_own_event(organiser, app):
    from competition.services.effects import commit
    from competition.services.setup import create_event

    create_event("other", "Other Championship")
    commit()
    data = _download(organiser)
    response = organiser.post("/console/events/other/backup/restore", data={"archive": (io.BytesIO(data), "demo.zip"), "confirm": "1"},
                              content_type="multipart/form-data")
    assert response.status_code == 303
    page = organiser.get("/console/events/other/backup").get_data(as_text=True)
    assert "This backup is of the event podium-2026, not of other." in page


def test_restore_any_event_page(organiser):
    assert "Restore an event" in organiser.get("/console/restore").get_data(as_text=True)
    data = _download(organiser)
    response = organiser.post("/console/restore", data={"archive": (io.BytesIO(data), "demo.zip"), "confirm": "1"},
                              content_type="multipart/form-data")
    job = _job(organiser, response)
    assert (job["state"], job["result"]["event"]) == ("done", "podium-2026"), job
    assert f'href="{PAGE}"' in organiser.get(job["page_url"]).get_data(as_text=True)
