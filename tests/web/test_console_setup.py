"""The set-up pages of the console: organisers only; bad input gets form messages (never a 500) and writes nothing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Event, Skill
from competition.services.setup import create_event
from tests.cis_workbooks import FIRST_ROW, GOOD_ROWS, cis_workbook
from tests.factories import TINY_SCHEME, add_user


@pytest.fixture
def organiser(app):
    user = add_user("org", "Organiser", "pw-org", organiser=True)
    add_user("judge", "Judge", "pw-judge")
    db.session.commit()
    return user


def sign_in(client, username="org", password="pw-org"):
    assert client.post("/sign-in", data={"username": username, "password": password}).status_code == 302


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_set_up_pages_are_for_organisers_only(client, organiser):
    create_event("e1", "Event One")
    db.session.commit()
    assert client.get("/console/events/e1").status_code == 302  # to sign-in
    sign_in(client, "judge", "pw-judge")
    for url in ("/console/events/new", "/console/events/e1", "/console/events/e1/skills/new"):
        assert client.get(url).status_code == 403
    assert client.post("/console/events/new", data={"code": "x", "name": "X"}).status_code == 403
    assert _count(Event) == 1


def test_create_an_event_then_edit_and_archive_it(client, organiser):
    sign_in(client)
    response = client.post("/console/events/new", data={"code": "wsc2026", "name": "WorldSkills 2026", "place": "Shanghai",
                                                        "starts_on": "2026-09-14", "ends_on": "2026-09-17", "language": "zh",
                                                        "public_url": "https://results.example.org/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/events/wsc2026")
    event = db.session.scalar(select(Event).where(Event.code == "wsc2026"))
    assert (event.place, event.language, event.public_url) == ("Shanghai", "zh", "https://results.example.org")
    page = client.get("/console/events/wsc2026").get_data(as_text=True)
    assert "WorldSkills 2026" in page and "Set-up" in page
    assert "differs from the address you are using now" in page  # the test client is at http://localhost/
    assert client.post("/console/events/wsc2026/edit", data={"name": "WSC 2026", "language": "en", "public_url": ""}).status_code == 302
    db.session.expire_all()
    assert (event.name, event.public_url, event.place) == ("WSC 2026", "", "")
    assert "No public address is set" in client.get("/console/events/wsc2026").get_data(as_text=True)

    assert client.post("/console/events/wsc2026/archive", data={"archived": "1"}).status_code == 302
    assert "WSC 2026" not in client.get("/console/").get_data(as_text=True)
    assert "WSC 2026" in client.get("/console/?archived=1").get_data(as_text=True)
    assert client.get("/console/events/wsc2026").status_code == 200  # still readable
    assert "WSC 2026" not in client.get("/").get_data(as_text=True)
    client.post("/console/events/wsc2026/archive", data={"archived": "0"})
    assert "WSC 2026" in client.get("/console/").get_data(as_text=True)


@pytest.mark.parametrize("form", [
    {"code": "bad code", "name": "X"},
    {"code": "ok", "name": ""},
    {"code": "ok", "name": "X", "starts_on": "14/09/2026"},
    {"code": "ok", "name": "X", "starts_on": "2026-09-14", "ends_on": "2026-09-01"},
    {"code": "ok", "name": "X", "public_url": "javascript:alert(1)"},
    {"code": "ok", "name": "X", "language": "fr"},
    {"code": "ok", "name": "X" * 300},
])
def test_bad_event_forms_answer_with_messages_and_write_nothing(client, organiser, form):
    sign_in(client)
    response = client.post("/console/events/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and "nothing was saved" in page
    assert _count(Event) == 0


def test_a_duplicate_event_code_is_a_form_message(client, organiser):
    create_event("e1", "Event One")
    db.session.commit()
    sign_in(client)
    response = client.post("/console/events/new", data={"code": "e1", "name": "Again"})
    assert response.status_code == 422 and "There is already an event" in response.get_data(as_text=True)


def test_add_a_skill_from_a_shipped_scheme_and_change_its_settings(client, organiser):
    create_event("e1", "Event One")
    db.session.commit()
    sign_in(client)
    assert "cnc-milling" in client.get("/console/events/e1/skills/new").get_data(as_text=True)
    response = client.post("/console/events/e1/skills/new", data={"source": "shipped", "shipped": "cnc-milling", "panel_size": "4"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/events/e1/skills/cnc-milling/settings")
    skill = db.session.scalar(select(Skill))
    assert skill.panel_size == 4 and skill.scheme.panel_size == 4
    assert "Settings" in client.get("/console/events/e1").get_data(as_text=True)
    response = client.post("/console/events/e1/skills/cnc-milling/settings",
                           data={"panel_size": "", "variance_tolerance": "2", "award_rule": "prize_bands", "display_mode": "embargoed",
                                 "allow_compatriot_marking": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (skill.panel_size, skill.variance_tolerance, skill.award_rule, skill.display_mode) == (None, 2.0, "prize_bands", "embargoed")
    assert skill.allow_compatriot_marking and not skill.anonymised


@pytest.mark.parametrize(("field", "value"), [("panel_size", "many"), ("variance_tolerance", "wide"), ("award_rule", "lottery")])
def test_bad_skill_settings_are_form_messages(client, organiser, field, value):
    create_event("e1", "Event One")
    db.session.commit()
    sign_in(client)
    client.post("/console/events/e1/skills/new", data={"source": "shipped", "shipped": "cnc-milling"})
    response = client.post("/console/events/e1/skills/cnc-milling/settings", data={field: value, "anonymised": "1"})
    assert response.status_code == 422 and f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.scalar(select(Skill)).anonymised


def test_an_uploaded_toml_with_problems_lists_them_by_line_and_saves_nothing(client, organiser):
    create_event("e1", "Event One")
    db.session.commit()
    sign_in(client)
    bad = TINY_SCHEME.replace('rule = "worldskills_judgement"', 'rule = "nope"')
    bad = bad.replace("max = 2\ndeduction_step", "max = -2\ndeduction_step")
    response = client.post("/console/events/e1/skills/new", content_type="multipart/form-data",
                           data={"source": "toml", "toml_file": (io.BytesIO(bad.encode()), "tiny.toml")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r"tiny\.toml:\d+: scheme\.rule: unknown rule", page)
    assert re.search(r"tiny\.toml:\d+: criterion\[0\]\.sub\[0\]\.aspect\[1\]\.max: must be greater than 0", page)
    assert _count(Skill) == 0
    response = client.post("/console/events/e1/skills/new", content_type="multipart/form-data",
                           data={"source": "toml", "toml_file": (io.BytesIO(TINY_SCHEME.encode()), "tiny.toml"), "code": "tiny-2"})
    assert response.status_code == 302 and db.session.scalar(select(Skill.code)) == "tiny-2"


def test_a_bad_cis_spreadsheet_lists_every_problem_by_row_and_column(client, organiser):
    create_event("e1", "Event One")
    db.session.commit()
    sign_in(client)
    rows = list(GOOD_ROWS)
    rows[1] = (None, None, None, "X", "Safety glasses", None, None, None, 1, "lots")
    rows[4] = (None, None, None, None, None, 5, "", None, None, None)
    response = client.post("/console/events/e1/skills/new", content_type="multipart/form-data",
                           data={"source": "xlsx", "xlsx_file": (io.BytesIO(cis_workbook(rows)), "cnc.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"row {FIRST_ROW + 1}, column D: aspect type: &#39;X&#39; is not an aspect type" in page
    assert f"row {FIRST_ROW + 1}, column J: max mark: not a number" in page
    assert f"row {FIRST_ROW + 4}, column F: judgement score: a judgement score is 0, 1, 2 or 3, not 5" in page
    assert _count(Skill) == 0


def test_a_good_cis_spreadsheet_becomes_a_skill(client, organiser):
    create_event("e1", "Event One")
    db.session.commit()
    sign_in(client)
    response = client.post("/console/events/e1/skills/new", content_type="multipart/form-data",
                           data={"source": "xlsx", "xlsx_file": (io.BytesIO(cis_workbook()), "CNC Milling.xlsx"), "name": "CNC Milling"})
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill))
    assert (skill.code, skill.name, skill.scheme_source) == ("cnc-milling", "CNC Milling", "CNC Milling.toml")
    assert [a.id for a in skill.scheme.aspects] == ["A1.1", "A1.2", "B1.1", "B1.2"]


def test_the_sample_spreadsheet_downloads(client, organiser):
    sign_in(client)
    response = client.get("/console/cis-marking-scheme-sample.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
