"""Awards wherever results are shown: the standings JSON (awards, Best of Nation, in marking),
the home page, the reveal ceremony over complete competitors only, and the medal table."""

from __future__ import annotations

import pytest

from competition.models.events import EMBARGOED, REVEAL
from competition.services.boards import reveal_step, set_display_mode
from competition.services.standings import event_medal_table, skill_summary
from tests.factories import TINY_SCHEME, committed, mark_panel, tiny_event

ZH = {"Accept-Language": "zh-CN"}
# T-01 and T-03 are both from Guangdong: only the better of them is Guangdong's Best of Nation.
COMPETITORS = (("T-01", "王芳", "Guangdong"), ("T-02", "Anna Schmidt", "Bavaria"), ("T-03", "Owen Jones", "Guangdong"))
PRIZE_SCHEME = TINY_SCHEME.replace('tie_break = ["B"]\n', 'tie_break = ["B"]\n\n[scheme.awards]\nrule = "prize_bands"\n')


def complete(judges, competitor, judgement):
    """Every aspect marked: B1.1 by the panel, ``judgement`` each (mark 3 x judgement / 3 =
    judgement), the measurements once at 0 (A1.1 no, A1.2 4 deductions, B1.2 step 0): the
    competitor's total is ``judgement``."""
    mark_panel(judges, competitor, "B1.1", [judgement] * 3)
    for aspect, value in (("A1.1", 0), ("A1.2", 4), ("B1.2", "0")):
        mark_panel(judges[:1], competitor, aspect, [value])


def api(client, skill="tiny"):
    return client.get(f"/api/v1/events/test/skills/{skill}/standings").get_json()


@pytest.fixture
def worldskills(app, tmp_path):
    return tiny_event(tmp_path, competitors=COMPETITORS)


def test_the_api_gives_awards_best_of_nation_and_in_marking(client, worldskills):
    judges = worldskills["judges"]
    t1, t2, t3 = worldskills["skill"].competitors
    complete(judges, t1, 3)  # B1.1 = 3 x 3/3 = 3.00: total 3.00
    complete(judges, t2, 1)  # B1.1 = 3 x 1/3 = 1.00: total 1.00
    mark_panel(judges, t3, "B1.1", [2, 2, 2])  # 2.00 so far, three aspects unmarked: in marking
    data = api(client)
    assert data["award_rule"] == "worldskills"
    rows = [(r["code"], r["rank"], r["medal"], r["awards"], r["in_marking"], r["standardised"]) for r in data["standings"]]
    # Two complete competitors: gold and silver; each is the best (the only complete one) of
    # their organisation. T-03 (Guangdong, partial total 2.00 > T-02's 1.00) is in marking: no
    # rank, no award — and Guangdong's Best of Nation stays with T-01.
    # Scale: median 2.00, sd 1.00: T-01 700 + 100 = 800, T-02 600.
    assert rows == [
        ("T-01", 1, "gold", ["gold", "best_of_nation"], False, 800),
        ("T-02", 2, "silver", ["silver", "best_of_nation"], False, 600),
        ("T-03", None, None, [], True, None),
    ]


def test_best_of_nation_goes_to_the_organisations_best_complete_competitor(client, worldskills):
    judges = worldskills["judges"]
    t1, t2, t3 = worldskills["skill"].competitors
    complete(judges, t1, 3)  # 3.00, gold, Guangdong
    complete(judges, t2, 1)  # 1.00, bronze, Bavaria
    complete(judges, t3, 2)  # 2.00, silver, Guangdong: not Guangdong's best
    awards = {r["code"]: r["awards"] for r in api(client)["standings"]}
    assert awards == {"T-01": ["gold", "best_of_nation"], "T-03": ["silver"], "T-02": ["bronze", "best_of_nation"]}


def test_prize_bands_reach_the_api_the_home_page_and_the_boards_in_both_languages(app, client, tmp_path):
    setup = tiny_event(tmp_path, competitors=COMPETITORS, scheme=PRIZE_SCHEME)
    judges = setup["judges"]
    t1, t2, t3 = setup["skill"].competitors
    complete(judges, t1, 3)
    complete(judges, t2, 1)
    mark_panel(judges, t3, "B1.1", [2, 2, 2])
    data = api(client)
    # Two complete competitors, shares 10/20/30 %: cumulative quotas round_half_up(2 x 0.1) = 0,
    # round_half_up(2 x 0.3) = 1, round_half_up(2 x 0.6) = 1: no first prize, T-01 second prize,
    # T-02 no prize; T-03 in marking gets none.
    assert data["award_rule"] == "prize_bands"
    assert [(r["code"], r["awards"], r["medal"]) for r in data["standings"]] == [
        ("T-01", ["second_prize"], None),
        ("T-02", [], None),
        ("T-03", [], None),
    ]
    page = client.get("/").get_data(as_text=True)
    assert "Second prize" in page and "in marking" in page and ">Award<" in page and "None" not in page
    page = client.get("/", headers=ZH).get_data(as_text=True).split('<script id="podium-i18n"')[0]
    assert "二等奖" in page and "评分中" in page and "奖项" in page
    board = client.get("/board/test/tiny?lang=zh").get_data(as_text=True)
    assert '"award_rule": "prize_bands"' in board and '"second_prize"' in board


def test_the_ceremony_reveals_complete_competitors_only(client, worldskills):
    judges, organiser, skill = worldskills["judges"], worldskills["organiser"], worldskills["skill"]
    t1, t2, t3 = skill.competitors
    complete(judges, t1, 3)  # first
    complete(judges, t2, 1)  # second
    mark_panel(judges, t3, "B1.1", [3, 3, 3])  # in marking, with the highest partial total
    committed(set_display_mode, skill, REVEAL, by=organiser)
    # T-03 is not locked: the organiser starts anyway, with a reason (see tests/services/test_ceremony.py)
    assert committed(reveal_step, skill, "start", by=organiser, reason="Rehearsal before sign-off") == 0
    reveal = api(client)["reveal"]
    assert reveal == {"started": True, "revealed": 0, "hidden": 2, "done": False, "in_marking": 1}
    # The first place revealed is the last ranked one (T-02), never the competitor in marking.
    assert committed(reveal_step, skill, "next", by=organiser) == 1
    assert [r["code"] for r in api(client)["standings"]] == ["T-02"]
    assert committed(reveal_step, skill, "next", by=organiser) == 2
    assert committed(reveal_step, skill, "next", by=organiser) == 2  # two places: it stays at all revealed
    data = api(client)
    assert [r["code"] for r in data["standings"]] == ["T-01", "T-02"] and data["reveal"]["done"]
    assert committed(reveal_step, skill, "back", by=organiser) == 1  # one press back is one place back


def test_the_overview_ranks_complete_competitors_only_and_counts_their_medals(client, worldskills):
    from competition.services.standings import board_payload

    judges, skill = worldskills["judges"], worldskills["skill"]
    t1, t2, t3 = skill.competitors
    mark_panel(judges, t3, "B1.1", [3, 3, 3])  # nobody complete yet: listed in marking, no rank, no medal
    summary = skill_summary(board_payload(skill))
    assert [(r["code"], r["rank"], r["in_marking"]) for r in summary["leaders"]] == [
        ("T-01", None, True), ("T-02", None, True), ("T-03", None, True)]
    assert summary["medals"] == {}
    complete(judges, t1, 3)
    summary = skill_summary(board_payload(skill))
    assert [(r["code"], r["rank"]) for r in summary["leaders"]] == [("T-01", 1), ("T-02", None), ("T-03", None)]
    assert summary["medals"] == {"Guangdong": {"gold": 1, "silver": 0, "bronze": 0, "medallion": 0}}


def test_medal_table_counts_public_skills_with_medal_points(app, client, worldskills):
    judges, skill, organiser = worldskills["judges"], worldskills["skill"], worldskills["organiser"]
    t1, t2, t3 = skill.competitors
    complete(judges, t1, 3)  # 3.00 gold
    complete(judges, t2, 1)  # 1.00 bronze
    complete(judges, t3, 2)  # 2.00 silver
    data = client.get("/api/v1/events/test/medal-table").get_json()
    # Guangdong: gold 4 + silver 3 = 7 points, 2 competitors, Best of Nation once (T-01);
    # Bavaria: bronze 2 points, Best of Nation (T-02).
    assert [(o["rank"], o["organisation"], o["gold"], o["silver"], o["bronze"], o["medallion"], o["points"], o["competitors"],
             o["best_of_nation"]) for o in data["organisations"]] == [
        (1, "Guangdong", 1, 1, 0, 0, 7, 2, 1),
        (2, "Bavaria", 0, 0, 1, 0, 2, 1, 1),
    ]
    assert data["points"] == {"gold": 4, "silver": 3, "bronze": 2, "medallion": 1}
    assert data["skills"][0]["counted"] is True and data["provisional"] is True
    page = client.get("/results/test/medals").get_data(as_text=True)
    assert "Medal table" in page and "Guangdong" in page and "Medal points: gold 4" in page
    page = client.get("/results/test/medals", headers=ZH).get_data(as_text=True).split('<script id="podium-i18n"')[0]
    assert "奖牌榜" in page and "积分" in page and "Medal table" not in page
    assert 'href="/results/test/medals"' in client.get("/").get_data(as_text=True)

    # Under embargo the skill is not counted: the table tells nothing the boards hide.
    committed(set_display_mode, skill, EMBARGOED, by=organiser)
    hidden = event_medal_table(skill.event)
    assert hidden["organisations"] == [] and hidden["skills"][0]["counted"] is False
    assert "gold" not in str(client.get("/api/v1/events/test/medal-table").get_json()["organisations"])


def test_medal_table_of_an_unknown_event_is_a_json_404(client, worldskills):
    response = client.get("/api/v1/events/nope/medal-table")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_event"
    assert client.get("/results/nope/medals").status_code == 404
