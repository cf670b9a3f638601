"""The console's import page: upload, preview (at once), confirm (a background job, whose page
shows the counts or the problems found when the file was checked again)."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Job, Organisation
from competition.services.imports import KINDS
from competition.services.job_worker import work
from tests.factories import cheap_passwords, tiny_event
from tests.imports_fuzzing import files, state

GOOD = "external_id,code,name,colour\no1,GD,广东,\no2,WLS,Wales,#123456\n"
BAD = "code,name,colour\nGD,,red\n,Wales,\nOK,Fine,#12\n"


@pytest.fixture
def setup(app, tmp_path):
    app.instance_path = str(tmp_path / "instance")
    app.config["PODIUM_WORKER"] = "0"  # no worker in this process: the test runs the jobs
    with cheap_passwords():
        return tiny_event(tmp_path)


@pytest.fixture
def organiser(client, setup):
    client.post("/sign-in", data={"username": "organiser", "password": "pw-organiser"})
    return client


def count():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Organisation))


def upload(client, text, kind="organisations", filename="orgs.csv"):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return client.post("/console/events/test/imports", data={"kind": kind, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def confirmed(client, url: str):
    """Confirm the import, run its job as a worker would, and open the job's page."""
    response = client.post(url)
    assert response.status_code == 303 and response.headers["Location"].startswith("/console/jobs/"), response.status_code
    work(client.application, once=True)
    return client.get(response.headers["Location"])


def confirm_url(page: str) -> str:
    start = page.index('action="/console/events/test/imports/') + len('action="')
    return page[start:page.index('"', start)]


def test_the_page_lists_kinds_and_columns(organiser):
    page = organiser.get("/console/events/test/imports")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "member4_organisation" in text and "检录号" in text and 'aria-current="page"' in text


def test_preview_then_import_then_the_same_file_changes_nothing(organiser):
    page = upload(organiser, GOOD)
    assert page.status_code == 200 and count() == 0
    text = page.get_data(as_text=True)
    assert "2 rows to add" in text
    url = confirm_url(text)
    assert organiser.post(url).status_code == 303 and count() == 0  # queued, not done in the request
    job = db.session.scalar(select(Job).where(Job.kind == "imports.apply"))
    assert job.state == "queued" and job.event_id is not None
    queued = organiser.get(f"/console/jobs/{job.id}").get_data(as_text=True)
    assert "data-job-reload" in queued and "Waiting" in queued
    work(organiser.application, once=True)
    done = organiser.get(f"/console/jobs/{job.id}")
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Import of orgs.csv" in text and "2 rows added · 0 rows updated · 0 rows unchanged" in text
    assert "data-job-reload" not in text, text[text.find("data-job-reload") - 300:][:400]
    assert "console-tabs" in text  # the event's tabs
    assert count() == 2
    again = upload(organiser, GOOD).get_data(as_text=True)
    assert "2 rows unchanged" in again and "Nothing to import" in again
    assert 'action="/console/events/test/imports/' not in again
    assert count() == 2


def test_a_bad_file_lists_every_problem_and_offers_no_import(organiser):
    page = upload(organiser, BAD)
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "4 problems: nothing was written" in text
    for message in ("row 2, column B (name): empty: give the name.",
                    "row 3, column A (code): empty: give the code.",
                    "row 4, column C (colour): #12 is not a colour"):
        assert message in text
    assert 'action="/console/events/test/imports/' not in text and count() == 0


def test_a_confirmation_is_only_good_once_and_only_for_its_uploader(organiser, app):
    url = confirm_url(upload(organiser, GOOD).get_data(as_text=True))
    assert organiser.post(url.replace(url[-32:], "x" * 32)).status_code == 404
    assert organiser.post("/console/events/test/imports/..%2F..%2Fetc").status_code in (404, 405)
    assert confirmed(organiser, url).status_code == 200
    assert organiser.post(url).status_code == 404
    assert count() == 2


def test_the_empty_list_is_a_header_row_with_a_bom(organiser):
    response = organiser.get("/console/events/test/imports/competitors.csv")
    assert response.data.decode("utf-8").startswith("\ufeffexternal_id,skill,code,name,organisation,entry_number,member1_name")


def test_no_file_or_no_kind_is_a_form_message(organiser):
    assert organiser.post("/console/events/test/imports", data={"kind": "organisations"}).status_code == 400
    assert organiser.post("/console/events/test/imports", data={"kind": "planets"}).status_code == 400


def test_judges_cannot_import(client, setup):
    client.post("/sign-in", data={"username": "judge1", "password": "pw-judge"})
    assert upload(client, GOOD).status_code == 403
    assert client.post("/console/events/test/imports/" + "x" * 32).status_code == 403
    assert count() == 0 and db.session.scalar(select(func.count()).select_from(Job)) == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_uploads_never_fail_the_page_nor_write_half(organiser, data):
    kind = data.draw(st.sampled_from(sorted(KINDS)))
    content, filename = data.draw(files(kind))
    before = state()
    page = upload(organiser, content, kind=kind, filename=data.draw(st.sampled_from([filename, "名单.csv", "x.xlsx", "..\\a.csv"])))
    assert page.status_code in (200, 422)
    assert state() == before
    text = page.get_data(as_text=True)
    if page.status_code == 200 and 'action="/console/events/test/imports/' in text:
        page = confirmed(organiser, confirm_url(text))
        assert page.status_code == 200 and "Import of" in page.get_data(as_text=True)


def test_problems_read_in_the_organisers_language(organiser, setup):
    setup["organiser"].language = "zh"
    db.session.commit()
    text = upload(organiser, "代码,名称\nGD,\n".encode("gb18030")).get_data(as_text=True)
    assert "第 2 行，B 列（名称）：为空：请填写“名称”。" in text and "1 个问题：未写入任何内容" in text
