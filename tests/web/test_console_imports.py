"""The console's import page: upload, preview, confirm."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Organisation
from competition.services.imports import KINDS
from tests.factories import cheap_passwords, tiny_event
from tests.imports_fuzzing import files, state

GOOD = "external_id,code,name,colour\no1,GD,广东,\no2,WLS,Wales,#123456\n"
BAD = "code,name,colour\nGD,,red\n,Wales,\nOK,Fine,#12\n"


@pytest.fixture
def setup(app, tmp_path):
    app.instance_path = str(tmp_path / "instance")
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
    done = organiser.post(confirm_url(text), follow_redirects=True)
    assert done.status_code == 200 and "orgs.csv imported: 2 added, 0 updated, 0 unchanged." in done.get_data(as_text=True)
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
    assert organiser.post(url).status_code == 302
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
    assert count() == 0


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
        assert organiser.post(confirm_url(text)).status_code == 302


def test_problems_read_in_the_organisers_language(organiser, setup):
    setup["organiser"].language = "zh"
    db.session.commit()
    text = upload(organiser, "代码,名称\nGD,\n".encode("gb18030")).get_data(as_text=True)
    assert "第 2 行，B 列（名称）：为空：请填写“名称”。" in text and "1 个问题：未写入任何内容" in text
