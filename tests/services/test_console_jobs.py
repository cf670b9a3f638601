"""The console's background jobs — imports, exports, backups, restores — run by the worker loop,
and an import whose process died finished by another worker without writing twice."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditEntry, Job, Mark, Organisation
from competition.models.marking import utcnow
from competition.services import jobs
from competition.services.console_jobs import new_upload_id, restore_path, run_import, upload_folder
from competition.services.effects import transaction
from competition.services.job_runs import JobContext
from competition.services.job_worker import work
from tests.factories import cheap_passwords, mark, tiny_event

ORGANISATIONS = "external_id,code,name,colour\no1,GD,广东,\no2,WLS,Wales,#123456\n"


@pytest.fixture
def setup(app, tmp_path):
    app.config["PODIUM_WORKER"] = "0"  # no worker in this process: the test plays the workers
    app.config["BACKUP_DIR"] = str(tmp_path / "replaced")
    app.instance_path = str(tmp_path / "instance")
    with cheap_passwords():
        return tiny_event(tmp_path)


def queued(kind: str, params: dict, setup, *, event=True) -> int:
    with transaction():
        job = jobs.enqueue(kind, params, event=setup["event"] if event else None, by=setup["organiser"])
    return job.id


def fresh(job_id: int) -> Job:
    return db.session.get(Job, job_id, populate_existing=True)


def file_of(app, job: Job) -> bytes:
    path = jobs.result_file(app, job)
    assert path is not None, job.result
    return path.read_bytes()


def organisations() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Organisation))


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def import_job(app, setup, text: str = ORGANISATIONS, filename: str = "orgs.csv") -> tuple[int, str]:
    upload = new_upload_id()
    (upload_folder(app, "imports") / f"{upload}.bin").write_bytes(text.encode("utf-8"))
    params = {"event_id": setup["event"].id, "kind": "organisations", "upload": upload, "filename": filename,
              "by": setup["organiser"].id}
    return queued("imports.apply", params, setup), upload


def test_an_import_job_applies_the_file_and_reports_its_counts(app, setup):
    job_id, upload = import_job(app, setup)
    assert work(app, once=True) == 1
    job = fresh(job_id)
    assert job.state == "done", job.message
    result = jobs.result_of(job)
    assert (result["applied"], result["added"], result["updated"], result["unchanged"]) == (True, 2, 0, 0)
    assert result["problems"] == {"en": [], "zh": []}
    assert organisations() == 2 and audited("import_organisations") == 1
    assert not list(upload_folder(app, "imports").glob(f"{upload}.*"))  # the upload is not kept


def test_an_import_job_of_a_file_that_went_bad_reports_the_problems_in_both_languages(app, setup):
    job_id, _ = import_job(app, setup, "code,name,colour\nGD,,red\n")
    work(app, once=True)
    job = fresh(job_id)
    result = jobs.result_of(job)
    assert job.state == "done" and result["applied"] is False and organisations() == 0
    assert "row 2, column B (name): empty: give the name." in result["problems"]["en"]
    assert any("第 2 行" in problem for problem in result["problems"]["zh"])


def test_an_import_whose_process_died_before_its_commit_is_imported_once_by_another_worker(app, setup):
    job_id, _ = import_job(app, setup)
    assert jobs.claim("server-that-dies").id == job_id  # claimed; the process vanished before writing
    fresh(job_id).heartbeat_at = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    assert work(app, once=True) == 1
    job = fresh(job_id)
    assert (job.state, job.attempts) == ("done", 2) and jobs.result_of(job)["added"] == 2
    assert organisations() == 2 and audited("import_organisations") == 1


@pytest.mark.parametrize("outcome_kept", [True, False])
def test_an_import_whose_process_died_after_its_commit_is_not_written_twice(app, setup, outcome_kept):
    job_id, _ = import_job(app, setup)
    claimed = jobs.claim("server-that-dies")
    dying = JobContext(app, claimed, "server-that-dies")
    first = run_import(dying, jobs.params_of(claimed))  # committed the rows; then the process died
    assert first["added"] == 2 and organisations() == 2 and fresh(job_id).state == "running"
    if not outcome_kept:  # it died between its commit and keeping the outcome
        dying.output_path("outcome.json").unlink()
        (upload_folder(app, "imports") / f"{jobs.params_of(claimed)['upload']}.bin").write_text(ORGANISATIONS)
    rows = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    fresh(job_id).heartbeat_at = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()

    assert work(app, once=True) == 1
    job = fresh(job_id)
    result = jobs.result_of(job)
    assert (job.state, job.attempts) == ("done", 2), job.message
    assert result["applied"] is True
    assert (result["added"], result["unchanged"]) == ((2, 0) if outcome_kept else (0, 2))
    assert db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all() == rows  # the same rows, once
    assert audited("import_organisations") == 1  # the second attempt wrote nothing


@pytest.mark.parametrize("kind, fmt", [("standings", "csv"), ("marks", "json")])
def test_an_export_job_writes_its_file(app, setup, kind, fmt):
    mark(setup["judges"][0], setup["skill"].competitors[0], "B1.1", 2)
    whole = queued("exports", {"event_id": setup["event"].id, "kind": kind, "format": fmt, "skill_id": None}, setup)
    one = queued("exports", {"event_id": setup["event"].id, "kind": kind, "format": fmt, "skill_id": setup["skill"].id}, setup)
    assert work(app, once=True) == 2
    job = fresh(whole)
    assert job.state == "done", job.message
    assert jobs.result_of(job)["file"] == f"test-{kind}.{fmt}" and jobs.result_of(fresh(one))["file"] == f"test-tiny-{kind}.{fmt}"
    assert (job.done, job.total) == (1, 1)
    data = file_of(app, job)
    if fmt == "json":
        document = json.loads(data)
        assert document["format"] == "podium.marks" and document["skills"][0]["marks"][0]["aspect"] == "B1.1"
    else:
        assert data.startswith(b"\xef\xbb\xbf") and "T-01" in data.decode("utf-8-sig")
    assert not [p for p in jobs.result_file(app, job).parent.iterdir() if p.name.endswith(".part")]


def test_an_export_job_run_again_writes_the_same_file(app, setup):
    job_id = queued("exports", {"event_id": setup["event"].id, "kind": "standings", "format": "csv", "skill_id": None}, setup)
    claimed = jobs.claim("first")
    jobs.run_claimed(app, claimed, "first")
    before = file_of(app, fresh(job_id))
    job = fresh(job_id)
    job.state, job.heartbeat_at = "running", utcnow() - dt.timedelta(minutes=5)  # as if it had died before being marked done
    db.session.commit()
    assert work(app, once=True) == 1
    assert fresh(job_id).attempts == 2 and file_of(app, fresh(job_id)) == before


def test_a_backup_job_writes_the_archive_and_a_restore_job_restores_it(app, setup, tmp_path):
    mark(setup["judges"][0], setup["skill"].competitors[0], "B1.1", 2)
    backup = queued("backup", {"event_id": setup["event"].id}, setup)
    work(app, once=True)
    job = fresh(backup)
    result = jobs.result_of(job)
    assert job.state == "done" and result["file"].startswith("test-backup-") and result["file"].endswith(".zip")
    assert (result["skill"], result["competitor"], result["mark"]) == (1, 3, 1)
    data = file_of(app, job)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("manifest.json"))["event"] == "test"

    archive = new_upload_id()
    restore_path(app, archive).write_bytes(data)
    restored = queued("restore", {"archive": archive, "filename": "test.zip", "only_event": "test", "by": setup["organiser"].id},
                      setup, event=False)
    assert work(app, once=True) == 1
    job = fresh(restored)
    result = jobs.result_of(job)
    assert job.state == "done", job.message
    saved = list((tmp_path / "replaced").glob("test-replaced-*.zip"))
    assert len(saved) == 1 and result["replaced"] == str(saved[0])
    assert (result["event"], result["skill"], result["competitor"], result["mark"]) == ("test", 1, 3, 1)
    assert db.session.scalar(select(func.count()).select_from(Mark)) == 1
    assert not restore_path(app, archive).exists()
    assert fresh(backup) is None  # the replaced event's jobs went with it; the restore's own job is no event's


def test_a_restore_job_of_a_refused_archive_fails_with_the_reason_and_forgets_the_file(app, setup):
    archive = new_upload_id()
    restore_path(app, archive).write_bytes(b"PK not really")
    job_id = queued("restore", {"archive": archive, "filename": "x.zip", "only_event": None, "by": None}, setup, event=False)
    work(app, once=True)
    job = fresh(job_id)
    assert job.state == "failed" and "not a Podium backup" in job.message
    assert not restore_path(app, archive).exists()


def test_podium_worker_once_runs_the_consoles_kinds(app, setup):
    from click.testing import CliRunner

    from competition.cli import main

    export = queued("exports", {"event_id": setup["event"].id, "kind": "standings", "format": "xlsx", "skill_id": None}, setup)
    backup = queued("backup", {"event_id": setup["event"].id}, setup)
    imported, _ = import_job(app, setup)
    result = CliRunner().invoke(main, ["worker", "--once"])  # in the test's app context
    assert result.exit_code == 0, result.output
    for job_id, kind in ((export, "exports"), (backup, "backup"), (imported, "imports.apply")):
        assert f"job {job_id} ({kind}): done" in result.output
    assert jobs.result_of(fresh(export))["file"] == "test-standings.xlsx" and organisations() == 2
