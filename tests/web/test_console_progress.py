"""The organiser's progress page: organisers only, every skill with a link to its chief expert's
pages, and the live figures as JSON."""

from __future__ import annotations

from tests.factories import mark, tiny_event
from tests.web.test_boards import login


def test_progress_is_for_organisers_only(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    assert client.get("/console/events/test/progress").status_code == 302  # to sign in
    login(client, setup["judges"][0])
    assert client.get("/console/events/test/progress").status_code == 403
    assert client.get("/console/events/test/progress.json").status_code == 403


def test_the_page_links_to_the_chief_experts_pages_and_the_json_follows_the_marks(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    login(client, setup["organiser"])
    page = client.get("/console/events/test/progress").get_data(as_text=True)
    assert "/chief/test/tiny/" in page and "Judge 1" in page
    mark(setup["judges"][0], setup["skill"].competitors[0], "B1.1", 3)
    data = client.get("/console/events/test/progress.json").get_json()
    (skill,) = data["skills"]
    assert skill["code"] == "tiny" and skill["aspects"] == 12
    assert {j["username"]: j["marked"] for j in skill["judges"]} == {"judge1": 1, "judge2": 0, "judge3": 0}


def test_an_unknown_event_is_a_404_not_a_500(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    login(client, setup["organiser"])
    assert client.get("/console/events/nope/progress").status_code == 404
