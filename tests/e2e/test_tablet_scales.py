"""A judge enters a score on a fine judging scale (0–10 in tenths) on the tablet, in a real
headless Chromium, at 1024×768 and 390×844, in both languages: the keypad shows the value big,
nothing is sent while typing, a value off the scale cannot be confirmed, the confirmed 8.7
waits in the outbox while offline and is stored exactly (Decimal 8.7) once the network is back.
A scale of eleven whole points is eleven buttons.

With ``PODIUM_SCREENSHOTS=<folder>`` the test saves what it looked at there.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.e2e

SCALES_SCHEME = """\
[scheme]
code = "scales"
name = { en = "Cake Decorating", zh = "糖艺西点" }
version = "1"
panel_size = 3
rule = "mean"
languages = ["en", "zh"]

[[criterion]]
id = "A"
name = { en = "Impression", zh = "整体印象" }

[[criterion.sub]]
id = "A1"
name = { en = "Judged on scales", zh = "按打分范围评价" }

[[criterion.sub.aspect]]
id = "A1.1"
description = { en = "Overall impression", zh = "整体效果" }
type = "judgement"
max = 5
scale = { min = 0, max = 10, step = 0.1 }

[[criterion.sub.aspect]]
id = "A1.2"
description = { en = "Colour harmony", zh = "色彩协调" }
type = "judgement"
max = 10
scale = { min = 0, max = 10 }
"""

COMPETITORS = [("S-01", "王芳", "广东")]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


def _marks(live_server, seeded) -> dict:
    from competition.extensions import db
    from competition.models import Mark

    with live_server.transaction():
        marks = db.session.scalars(select(Mark).where(Mark.competitor_id == seeded.competitors["S-01"]))
        return {m.aspect_id: m.value for m in marks}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["1024x768", "390x844"])
def test_a_score_of_8_7_on_a_fine_scale_is_stored_exactly(live_server, new_page, sign_in, seed, viewport, language):
    from playwright.sync_api import expect

    shots = Path(os.environ["PODIUM_SCREENSHOTS"]) if os.environ.get("PODIUM_SCREENSHOTS") else None
    size = f"{viewport['width']}x{viewport['height']}"

    def look(name: str) -> None:
        if shots:
            fine.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY"
                          " - document.querySelector('.marking-head').getBoundingClientRect().bottom - 8)")
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"scales-{size}-{language}-{name}.png"), full_page=False)

    seeded = seed(SCALES_SCHEME, competitors=COMPETITORS, judges=("四川", "福建", "湖南"))
    page = new_page(viewport, has_touch=True)
    page.goto("/sign-in")
    button = page.locator(f'.language-switch button[value="{language}"]')
    if button.get_attribute("aria-pressed") != "true":
        with page.expect_navigation():
            button.tap()
    sign_in(page, seeded.judges[0], lands_on=f"/judge/{seeded.event}/scales/")
    page.goto(f"/judge/{seeded.event}/scales/S-01/A")
    words = {"en": ("Confirm", "From 0 to 10 in steps of 0.1", "Not sent yet"),
             "zh": ("确认", "0 至 10，以 0.1 为间隔", "尚未发送")}[language]

    fine = page.locator('fieldset[data-aspect="A1.1"]')
    display = fine.locator(".keypad-input")
    confirm = fine.locator(".keypad-confirm")
    expect(fine).to_have_attribute("data-widget", "keypad")
    expect(confirm).to_have_text(words[0])
    expect(fine.locator(".keypad-range")).to_have_text(words[1])
    expect(confirm).to_be_disabled()

    # Off the scale: 10.5 is shown, explained, and cannot be confirmed.
    for key in ("1", "0", ".", "5"):
        fine.locator(f'.key[data-key="{key}"]').tap()
    expect(display).to_have_value("10.5")
    expect(fine.locator("[data-keypad-hint]")).to_contain_text("10.5")
    expect(confirm).to_be_disabled()
    for _ in range(4):
        fine.locator('.key[data-key="back"]').tap()
    expect(display).to_have_value("")

    # 8.7, typed: shown big, not sent while typing.
    for key in ("8", ".", "7"):
        fine.locator(f'.key[data-key="{key}"]').tap()
    expect(display).to_have_value("8.7")
    expect(fine.locator("[data-keypad-hint]")).to_contain_text(words[2])
    expect(confirm).to_be_enabled()
    page.wait_for_timeout(800)  # longer than the counter's pause: still nothing sent
    assert _marks(live_server, seeded) == {}
    look("typed")

    # Confirmed while offline: it waits in the outbox, then goes once the network is back.
    page.context.set_offline(True)
    confirm.tap()
    status = page.locator("#queue-status")
    expect(status).to_contain_text("1")
    expect(fine.locator("[data-saved]")).not_to_have_text("")
    expect(fine.locator("[data-keypad-hint]")).to_be_hidden()
    assert _marks(live_server, seeded) == {}
    page.context.set_offline(False)
    expect(fine).to_have_attribute("data-value", "8.7", timeout=15_000)
    assert _marks(live_server, seeded) == {"A1.1": Decimal("8.7")}

    # One step up and down with the stepper, then eleven whole points as buttons.
    fine.locator('.keypad-step[data-steps="1"]').tap()
    expect(display).to_have_value("8.8")
    fine.locator('.keypad-step[data-steps="-1"]').tap()
    expect(display).to_have_value("8.7")
    expect(confirm).to_be_disabled()  # the stored value: nothing to send
    whole = page.locator('fieldset[data-aspect="A1.2"]')
    expect(whole.locator(".choice")).to_have_count(11)
    page.tap("label[for=a_A1_2-7]")
    expect(whole).to_have_attribute("data-value", "7", timeout=10_000)
    assert _marks(live_server, seeded) == {"A1.1": Decimal("8.7"), "A1.2": Decimal(7)}

    # Drawn again by the server: the stored 8.7 is on the display.
    page.reload()
    expect(display).to_have_value("8.7")
    expect(page.locator("#a_A1_2-7")).to_be_checked()
    look("stored")
