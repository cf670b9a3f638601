"""Boards, the remote and the chief expert's pages in both languages: boards speak their
?lang=, payloads carry scheme names in every language, JSON answers stay English."""

from __future__ import annotations

import json
import re

import pytest

from competition.scoring.text import Text
from competition.services.standings import names, standings_payload
from tests.factories import mark_panel, tiny_event
from tests.web.test_boards import login


@pytest.fixture
def setup(app, tmp_path):
    return tiny_event(tmp_path)


def _catalogue(page: str) -> dict:
    return json.loads(re.search(r'<script id="podium-i18n" type="application/json">(.*?)</script>', page, re.S).group(1))


def test_a_board_speaks_its_lang_parameter(app, client, setup):
    page = client.get("/board/test/tiny?lang=zh").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "正在连接…" in page
    catalogue = _catalogue(page)
    assert catalogue["Provisional"] == "暂定" and catalogue["Embargoed"] == "成绩保密"
    page = client.get("/board/test?lang=zh").get_data(as_text=True)
    # plural messages reach the scripts unfilled: the script puts the number in
    assert _catalogue(page)["%(num)s competitor"] == ["%(num)s 名选手", "%(num)s 名选手"]
    page = client.get("/board/test/tiny?lang=en", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="en">' in page and _catalogue(page)["Provisional"] == "Provisional"


def test_payloads_carry_scheme_names_in_every_language(app, setup):
    assert names(Text({"en": "Welding", "zh": "焊接"})) == {"en": "Welding", "zh": "焊接"}
    assert names("Welding") == {}
    payload = standings_payload(setup["skill"])
    assert "names" in payload and all("names" in c for c in payload["criteria"])


def test_the_remote_in_chinese_and_its_json_in_english(app, client, setup):
    login(client, setup["organiser"])
    headers = {"Accept-Language": "zh-CN"}
    page = client.get("/board-control/test", headers=headers).get_data(as_text=True)
    assert "成绩屏与颁奖典礼" in page and "实时成绩" in page
    answer = client.post("/board-control/test/tiny/mode", data={"mode": "reveal"}, headers={"Accept": "application/json", **headers})
    assert answer.get_json()["message"].endswith(": Reveal ceremony")
    for competitor in setup["skill"].competitors:  # completely marked: each has a place in the ceremony
        mark_panel(setup["judges"], competitor, "B1.1", [2, 2, 2])
        for aspect, value in (("A1.1", 1), ("A1.2", 0), ("B1.2", "3")):
            mark_panel(setup["judges"][:1], competitor, aspect, [value])
    page = client.post("/board-control/test/tiny/reveal", data={"action": "start", "reason": "Dress rehearsal"}, headers=headers,
                       follow_redirects=True)
    assert "共 3 个名次，已揭晓 0 个" in page.get_data(as_text=True)
    refused = client.post("/board-control/test/tiny/reveal", data={"action": "sideways"}, headers={"Accept": "application/json", **headers})
    assert refused.get_json()["error"]["message"] == "must be one of start, next, back, reset, not 'sideways'"


def test_chief_pages_in_chinese(app, client, setup):
    login(client, setup["chief"])
    headers = {"Accept-Language": "zh-CN"}
    page = client.get("/chief/test/tiny/", headers=headers).get_data(as_text=True)
    assert "评分开放与关闭" in page and "未锁定" in page
    page = client.get("/chief/test/tiny/T-01", headers=headers).get_data(as_text=True)
    assert "操作记录" in page
    answer = client.post("/chief/test/tiny/marking", data={"kind": "criterion", "key": "A", "open": "0", "confirmed": "1"}, headers=headers,
                         follow_redirects=True)
    assert "评分项 A 评分已关闭。" in answer.get_data(as_text=True)
