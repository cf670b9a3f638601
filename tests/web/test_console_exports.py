"""The console's results page: a skill's downloads, the whole event's exports prepared by a
background job, the result sheet, the paper forms; checking a sheet."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from competition.services import effects
from competition.services.job_worker import work
from competition.services.result_sheets import print_result_sheet
from tests.certificates.helpers import organiser_client
from tests.factories import cheap_passwords, mark, tiny_event


@pytest.fixture
def setup(app, tmp_path):
    with cheap_passwords():
        return tiny_event(tmp_path)


@pytest.fixture
def organiser(client, setup):
    organiser_client(client, setup["organiser"])
    return client


def test_the_results_page_links_every_export_the_sheet_the_forms_and_the_medal_table(organiser):
    page = organiser.get("/console/events/test/results")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for kind in ("standings", "marks"):
        for fmt in ("csv", "xlsx", "json"):
            assert f'action="/console/events/test/results/{kind}.{fmt}/prepare"' in html  # the whole event: a job
            assert f'href="/console/events/test/results/{kind}.{fmt}?skill=tiny"' in html  # one skill: at once
    assert "/console/events/test/results/tiny/result-sheet" in html
    assert "/console/events/test/results/tiny/marking-forms" in html
    assert "/results/test/medals" in html
    assert 'aria-current="page"' in html


def test_judges_may_not_open_the_results_page(client, setup):
    organiser_client(client, setup["judges"][0])
    assert client.get("/console/events/test/results").status_code == 403
    assert client.get("/console/events/test/results/marks.csv?skill=tiny").status_code == 403
    assert client.post("/console/events/test/results/marks.csv/prepare").status_code == 403


def test_the_whole_events_marks_are_prepared_by_a_job_and_downloaded_from_its_page(app, organiser, setup):
    app.config["PODIUM_WORKER"] = "0"  # no worker in this process: the test runs the job
    mark(setup["judges"][0], setup["skill"].competitors[0], "B1.1", 2)
    assert organiser.get("/console/events/test/results/marks.csv").status_code == 404  # no longer made in a request
    response = organiser.post("/console/events/test/results/marks.xlsx/prepare")
    assert response.status_code == 303 and response.headers["Location"].startswith("/console/jobs/")
    page = response.headers["Location"]
    assert organiser.get(page + ".json").get_json()["state"] == "queued"
    assert work(app, once=True) == 1
    job = organiser.get(page + ".json").get_json()
    assert (job["kind"], job["state"], job["result"]) == ("exports", "done", {"file": "test-marks.xlsx", "rows": 1})
    download = organiser.get(job["download_url"])
    assert download.status_code == 200 and "filename=test-marks.xlsx" in download.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert "B1.1" in [cell.value for cell in sheet[2]]
    html = organiser.get(page).get_data(as_text=True)
    assert "test-marks.xlsx" in html and 'href="/console/events/test/results"' in html
    listed = organiser.get("/console/events/test/results").get_data(as_text=True)
    assert "Prepared files" in listed and job["download_url"] in listed
    assert organiser.post("/console/events/test/results/scores.csv/prepare").status_code == 404


@pytest.mark.parametrize("fmt, media", [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats"), ("json", "application/json")])
def test_downloads_are_attachments_of_their_format(organiser, setup, fmt, media):
    mark(setup["judges"][0], setup["skill"].competitors[0], "B1.1", 2)
    response = organiser.get(f"/console/events/test/results/standings.{fmt}?skill=tiny")
    assert response.status_code == 200
    assert response.mimetype.startswith(media.split(";")[0])
    assert f'filename=test-tiny-standings.{fmt}' in response.headers["Content-Disposition"]
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(response.data)).active["C2"].value == "T-01"
    if fmt == "json":
        assert json.loads(response.data)["skills"][0]["code"] == "tiny"


def test_an_unknown_export_or_skill_is_not_found(organiser):
    assert organiser.get("/console/events/test/results/scores.csv").status_code == 404
    assert organiser.get("/console/events/test/results/marks.pdf").status_code == 404
    assert organiser.get("/console/events/test/results/marks.csv?skill=nope").status_code == 404
    assert organiser.get("/console/events/nope/results").status_code == 404


def test_printing_the_result_sheet_downloads_it_and_its_hash_then_verifies(organiser):
    response = organiser.post("/console/events/test/results/tiny/result-sheet", data={"language": "en"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Owen Jones" in text
    digest = PdfReader(io.BytesIO(response.data)).metadata["/Subject"]
    page = organiser.get(f"/results/verify/{digest}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tiny Skill" in html and "Provisional" in html and digest in html
    assert "still exactly the ones on this sheet" in html
    assert f"/results/verify/{digest}" in organiser.get("/console/events/test/results").get_data(as_text=True)  # last printed


def test_the_verify_page_is_public_says_when_results_changed_and_refuses_unknown_hashes(client, setup):
    sheet = print_result_sheet(setup["skill"], io.BytesIO(), language="en")
    effects.commit()
    assert client.get(f"/results/verify/{sheet.digest[:12]}").status_code == 200
    mark(setup["judges"][0], setup["skill"].competitors[0], "B1.1", 2)
    assert "have changed since" in client.get(f"/results/verify/{sheet.digest}").get_data(as_text=True)
    assert client.get("/results/verify/" + "0" * 64).status_code == 404
    assert client.get("/results/verify/not-a-hash").status_code == 404
    typed = client.get(f"/results/verify?hash={sheet.digest[:12]}")
    assert typed.status_code == 302 and typed.location.endswith(f"/results/verify/{sheet.digest[:12]}")


def test_paper_forms_download_in_the_language_asked_for(organiser):
    response = organiser.get("/console/events/test/results/tiny/marking-forms?language=en&blank=1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "marking-forms-blank.pdf" in response.headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 4  # one blank form per judge and the chief expert
