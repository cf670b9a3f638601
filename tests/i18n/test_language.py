"""Which language a page speaks: the person's choice, the page's cookie, the browser, the
event; boards by ?lang= or the event; the catalogue found for every Chinese tag."""

import pytest

from competition.extensions import db
from competition.services import effects
from tests.judging import judging_event, sign_in

CHINESE_SIGN_IN = "登录"


def _page(client, path="/sign-in", **headers):
    response = client.get(path, headers=headers, follow_redirects=True)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh-Hans", "zh_CN", "zh-Hans-CN", "zh-TW"])
def test_every_chinese_tag_finds_the_catalogue(app, client, tag):
    html = _page(client, **{"Accept-Language": f"{tag},en;q=0.5"})
    assert '<html lang="zh-Hans">' in html
    assert CHINESE_SIGN_IN in html


@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh-Hans", "zh_CN"])
def test_a_chinese_cookie_finds_the_catalogue(app, client, tag):
    client.set_cookie("podium_lang", tag)
    html = _page(client, **{"Accept-Language": "en"})
    assert '<html lang="zh-Hans">' in html and CHINESE_SIGN_IN in html


def test_english_by_default_and_for_unknown_languages(app, client):
    for accept in ("", "fr-FR,de;q=0.8", "en-GB"):
        html = _page(client, **({"Accept-Language": accept} if accept else {}))
        assert '<html lang="en">' in html and CHINESE_SIGN_IN not in html


def test_the_switch_sets_a_cookie_and_returns_to_the_page(app, client):
    response = client.post("/language", data={"language": "zh", "next": "/sign-in?next=/x"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/sign-in?next=/x")
    assert CHINESE_SIGN_IN in _page(client, **{"Accept-Language": "en"})
    client.post("/language", data={"language": "en", "next": "/sign-in"})
    assert CHINESE_SIGN_IN not in _page(client, **{"Accept-Language": "zh-CN"})


def test_the_switch_refuses_to_send_people_elsewhere(app, client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", data={"language": "zh", "next": target})
        assert response.status_code == 303 and response.headers["Location"] == "/"
    response = client.post("/language", data={"language": "klingon", "next": "/sign-in"})
    assert response.status_code == 303 and "podium_lang" not in response.headers.get("Set-Cookie", "")


def test_a_persons_choice_survives_sign_out_and_sign_in_on_another_device(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    client.post("/language", data={"language": "zh", "next": "/judge/"})
    client.post("/sign-out")
    # Another device: no cookie, a browser asking for English.
    other = app.test_client()
    sign_in(other, "judge1")
    html = _page(other, "/judge/", **{"Accept-Language": "en"})
    assert '<html lang="zh-Hans">' in html
    # The person's choice wins over the page's cookie.
    other.set_cookie("podium_lang", "en")
    assert '<html lang="zh-Hans">' in _page(other, "/judge/", **{"Accept-Language": "en"})


def test_the_event_default_when_the_browser_says_nothing(app, client, tmp_path):
    setup = judging_event(tmp_path)
    setup["event"].language = "zh"
    effects.commit()
    html = _page(client, "/board/test/tiny")
    assert '<html lang="zh-Hans">' in html


def test_a_board_speaks_its_lang_parameter_or_the_events_language(app, client, tmp_path):
    setup = judging_event(tmp_path)
    # The browser and the cookie do not decide a screen's language.
    client.set_cookie("podium_lang", "zh")
    assert '<html lang="en">' in _page(client, "/board/test/tiny", **{"Accept-Language": "zh-CN"})
    assert '<html lang="zh-Hans">' in _page(client, "/board/test/tiny?lang=zh")
    assert '<html lang="zh-Hans">' in _page(client, "/board/test?lang=zh-CN")
    setup["event"].language = "zh"
    db.session.commit()
    assert '<html lang="zh-Hans">' in _page(client, "/board/test/tiny")
    assert '<html lang="en">' in _page(client, "/board/test/tiny?lang=en")


def test_json_errors_stay_english_with_a_code(app, client):
    response = client.get("/api/v1/events/nope/skills/x/standings", headers={"Accept-Language": "zh-CN"})
    body = response.get_json()
    assert response.status_code == 404 and body["error"]["code"] == "unknown_event"
    assert body["error"]["message"].isascii()


def test_error_pages_speak_the_language(app, client):
    response = client.get("/no/such/page", headers={"Accept-Language": "zh-CN"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "此页面不存在" in html and '<html lang="zh-Hans">' in html


def test_scripts_get_their_catalogue(app, client):
    html = _page(client, **{"Accept-Language": "zh-CN"})
    assert 'id="podium-i18n"' in html and "js/i18n.js" in html


def test_a_language_chosen_before_signing_in_becomes_the_persons(app, client, tmp_path):
    judging_event(tmp_path)
    client.post("/language", data={"language": "zh", "next": "/sign-in"})
    sign_in(client, "judge2")
    other = app.test_client()
    sign_in(other, "judge2")
    assert '<html lang="zh-Hans">' in _page(other, "/judge/", **{"Accept-Language": "en"})
