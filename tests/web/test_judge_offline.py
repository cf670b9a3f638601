"""The list of pages a judge's tablet keeps for working offline (/judge/offline.json) and the
page shown for anything outside it (/judge/offline)."""

from __future__ import annotations

from tests.judging import judging_event, sign_in

FORMS = "/judge/test/tiny/{code}/{criterion}"


def test_the_list_holds_every_form_of_every_competitor_the_judge_marks(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    response = client.get("/judge/offline.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    pages = data["pages"]
    assert "/judge/test/tiny/" in pages and "/judge/offline" in pages and "/judge/" in pages
    for code in ("T-01", "T-02", "T-03"):
        assert f"/judge/test/tiny/{code}/" in pages
        for criterion in ("A", "B"):
            assert FORMS.format(code=code, criterion=criterion) in pages
    assert "/static/js/offline.js" in data["assets"] and "/static/js/marking.js" in data["assets"]
    assert not [p for p in pages if "cnc-milling" in p]  # another skill's pages are not this judge's


def test_a_conflict_of_interest_is_left_out(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "conflicted")  # from T-01's organisation
    data = client.get("/judge/offline.json").get_json()
    assert not [p for p in data["pages"] if "/T-01/" in p]
    assert FORMS.format(code="T-02", criterion="A") in data["pages"]


def test_every_listed_page_opens_for_the_judge(app, client, tmp_path):
    """The service worker keeps only pages that answer 200: the list names none that would not."""
    judging_event(tmp_path)
    sign_in(client, "judge1")
    data = client.get("/judge/offline.json").get_json()
    for url in data["pages"] + data["assets"]:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        response.close()


def test_the_list_and_the_page_need_a_signed_in_person(app, client, tmp_path):
    judging_event(tmp_path)
    assert client.get("/judge/offline.json").status_code == 302
    assert client.get("/judge/offline").status_code == 302


def test_the_page_outside_the_copy_leads_back_to_the_competitors(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    html = client.get("/judge/offline").get_data(as_text=True)
    assert "Not in the offline copy" in html
    assert 'href="/judge/"' in html


def test_every_file_a_judge_page_loads_is_in_the_offline_copy():
    """A script or stylesheet a judge page loads but the copy lacks is missing offline: the page
    then works online and breaks on the floor."""
    import re
    from pathlib import Path

    from competition.web.offline import ASSETS

    templates = Path(__file__).resolve().parents[2] / "templates" / "judge"
    loaded = {name for path in templates.rglob("*.html")
              for name in re.findall(r"url_for\('static', filename='([^']+)'\)", path.read_text(encoding="utf-8"))}
    assert loaded and loaded <= set(ASSETS), sorted(loaded - set(ASSETS))
