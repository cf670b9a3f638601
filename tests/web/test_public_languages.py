"""The home page and signing in, in English and in Chinese."""

from __future__ import annotations

from tests.judging import judging_event

ZH = {"Accept-Language": "zh-CN"}


def test_sign_in_speaks_the_browser_language_and_says_why_it_failed(app, client, tmp_path):
    judging_event(tmp_path)
    page = client.get("/sign-in", headers=ZH).get_data(as_text=True)
    assert "用户名" in page and "密码" in page and "User name" not in page
    wrong = client.post("/sign-in", data={"username": "judge1", "password": "nope"}, headers=ZH)
    assert wrong.status_code == 401 and "用户名或密码不正确。" in wrong.get_data(as_text=True)
    empty = client.post("/sign-in", data={"username": "", "password": ""}, headers=ZH).get_data(as_text=True)
    assert "用户名：请输入用户名。" in empty and "密码：请输入密码。" in empty
    english = client.post("/sign-in", data={"username": "judge1", "password": "nope"}).get_data(as_text=True)
    assert "User name or password is not right." in english


def test_home_page_in_chinese_writes_dates_and_headings_in_chinese(app, client, tmp_path):
    setup = judging_event(tmp_path)
    event = setup["skill"].event
    page = client.get("/", headers=ZH).get_data(as_text=True)
    page = page.split('<script id="podium-i18n"')[0]  # the scripts' catalogue holds English keys
    assert "名次" in page and "选手" in page and "Competitor" not in page
    if event.starts_on:
        assert f"{event.starts_on.year}年" in page
