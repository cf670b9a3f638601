"""The standings JSON and the home page, against results worked out by hand."""

from competition.models.events import EMBARGOED
from tests.factories import mark_panel, tiny_event


def test_standings_json_matches_hand_computed_example(app, client, tmp_path):
    setup = tiny_event(tmp_path)
    j = setup["judges"]
    t1, t2, t3 = setup["skill"].competitors
    # T-01: A1.1 yes (2), A1.2 1 deduction (1.5), B1.1 scores 2,2,3 -> 3 x 7/9 = 2.33, B1.2 3 -> 8.83
    mark_panel(j[:1], t1, "A1.1", [1])
    mark_panel(j[:1], t1, "A1.2", [1])
    mark_panel(j, t1, "B1.1", [2, 2, 3])
    mark_panel(j[:1], t1, "B1.2", ["3"])
    # T-02: A1.1 no (0), A1.2 0 deductions (2), B1.1 3,3,3 (3), B1.2 1.5 -> 6.50
    mark_panel(j[:1], t2, "A1.1", [0])
    mark_panel(j[:1], t2, "A1.2", [0])
    mark_panel(j, t2, "B1.1", [3, 3, 3])
    mark_panel(j[:1], t2, "B1.2", ["1.5"])
    # T-03: A1.1 yes (2), A1.2 4 deductions (0), B1.1 3,2,3 -> 2.67, B1.2 1.5 -> 6.17
    mark_panel(j[:1], t3, "A1.1", [1])
    mark_panel(j[:1], t3, "A1.2", [4])
    mark_panel(j, t3, "B1.1", [3, 2, 3])
    mark_panel(j[:1], t3, "B1.2", ["1.5"])

    response = client.get("/api/v1/events/test/skills/tiny/standings")
    assert response.status_code == 200
    data = response.get_json()
    assert data["max"] == "10.00"
    rows = [(r["code"], r["name"], r["organisation"], r["criteria"], r["total"], r["rank"], r["medal"]) for r in data["standings"]]
    assert rows == [
        ("T-01", "王芳", "Guangdong", {"A": "3.50", "B": "5.33"}, "8.83", 1, "gold"),
        ("T-02", "Anna Schmidt", "Bavaria", {"A": "2.00", "B": "4.50"}, "6.50", 2, "silver"),
        ("T-03", "Owen Jones", "Wales", {"A": "2.00", "B": "4.17"}, "6.17", 3, "bronze"),
    ]
    # WorldSkills Scale: median 6.50; mean 7.1667, population sd = sqrt((1.6633² + 0.6667² + 0.9967²) / 3) = 1.1838;
    # T-01 -> 700 + 100 x 2.33 / 1.1838 = 896.82 -> 897; T-02 -> 700; T-03 -> 700 - 100 x 0.33 / 1.1838 = 672.12 -> 672
    assert [r["standardised"] for r in data["standings"]] == [897, 700, 672]
    assert all(r["progress"] == 1.0 for r in data["standings"])


def test_unknown_skill_is_a_json_404(app, client, tmp_path):
    from tests.factories import tiny_event

    tiny_event(tmp_path)
    response = client.get("/api/v1/events/test/skills/nope/standings")
    assert response.status_code == 404
    assert response.get_json()["error"]["field"] == "skill" and response.get_json()["error"]["code"] == "unknown_skill"


def test_embargo_hides_scores_and_ranks(app, client, tmp_path):
    from competition.extensions import db

    setup = tiny_event(tmp_path)
    mark_panel(setup["judges"], setup["skill"].competitors[0], "B1.1", [3, 3, 3])
    setup["skill"].display_mode = EMBARGOED
    db.session.commit()
    data = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert all(set(r) == {"code", "name", "organisation", "members", "progress", "locked"} for r in data["standings"])
    page = client.get("/").get_data(as_text=True)
    assert "embargo" in page and "3.00" not in page


def test_home_page_lists_skills_escaped(app, client, tmp_path):
    setup = tiny_event(tmp_path, competitors=(("T-01", "<script>alert(1)</script>", "Org"),))
    mark_panel(setup["judges"], setup["skill"].competitors[0], "B1.1", [3, 3, 3])
    page = client.get("/").get_data(as_text=True)
    assert "Tiny Skill" in page and "Test Championship" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
