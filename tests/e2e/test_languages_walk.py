"""The whole journey in both languages, in a real headless Chromium: a judge signs in on a
tablet (1024×768), marks a competitor and signs off; the chief expert resolves a flag; a hall
screen (1920×1080) shows the skill live, under embargo and in the reveal ceremony.

On the Chinese pages no English word may be visible — in the text, the page title, or the
labels a screen reader reads — except codes, the names of people, organisations and the
event (which are data), the product's name and the language switch's "English". The
language chosen survives signing out and in on another device, and a board with ?lang=zh
stays Chinese through a lost and regained connection.

Screenshots of every page go to $PODIUM_SCREENSHOTS (when set), to be looked at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import TABLET, TV

pytestmark = pytest.mark.e2e

WALK_SCHEME = """\
[scheme]
code = "walk"
name = { en = "Pipe Welding", zh = "管道焊接" }
version = "1"
total = 10
panel_size = 3
rule = "worldskills_judgement"
languages = ["en", "zh"]

[[criterion]]
id = "A"
name = { en = "Accuracy", zh = "尺寸精度" }

[[criterion.sub]]
id = "A1"
name = { en = "Dimensions", zh = "尺寸" }

[[criterion.sub.aspect]]
id = "A1.1"
description = { en = "Length 40 ±0.05", zh = "长度 40 ±0.05" }
type = "measurement"
method = "binary"
max = 2

[[criterion.sub.aspect]]
id = "A1.2"
description = { en = "Holes: 0.5 off per hole out of position", zh = "孔位：每个孔位偏差扣 0.5 分" }
type = "measurement"
method = "deduction"
max = 2
deduction_step = 0.5

[[criterion]]
id = "B"
name = { en = "Finish", zh = "表面质量" }

[[criterion.sub]]
id = "B1"
name = { en = "Appearance", zh = "外观" }

[[criterion.sub.aspect]]
id = "B1.1"
description = { en = "Weld bead", zh = "焊缝成形" }
type = "judgement"
max = 3
descriptors = [
  { en = "poor", zh = "差" },
  { en = "industry standard", zh = "达到行业标准" },
  { en = "above standard", zh = "高于行业标准" },
  { en = "excellent", zh = "优秀" },
]

[[criterion.sub.aspect]]
id = "B1.2"
description = { en = "Spatter removed", zh = "飞溅清理" }
type = "measurement"
method = "stepped"
steps = [0, 1.5, 3]
max = 3
"""

COMPETITORS = [("W-01", "王芳", "广东"), ("W-02", "李明", "江苏"), ("W-03", "陈静", "浙江")]
JUDGE_ORGANISATIONS = ("四川", "福建", "湖南")
WORD = re.compile(r"[A-Za-z]{2,}")

# Everything a person can read or hear on the page: its title, the visible text, and the
# labels of controls (title, placeholder, aria-label, alt).
READABLE = """() => {
  const parts = [document.title, document.body.innerText];
  for (const node of document.querySelectorAll('[title], [placeholder], [aria-label], [alt]')) {
    for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
      const value = node.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join('\\n');
}"""


def allowed_words(seeded) -> set[str]:
    """Words that are data, not interface: names, codes, the product, the switch."""
    data = [seeded.event, seeded.skill, f"Browser Test {seeded.event}", "Hall 1", "Podium", "English", "Chief Expert", "Organiser",
            "PLC", *(f"Judge {n}" for n in range(1, 4)), *(p.username for p in (*seeded.judges, seeded.chief, seeded.organiser))]
    return {word.lower() for text in data for word in WORD.findall(text)}  # CSS may write names in capitals


class Walk:
    def __init__(self, seeded, language: str, screenshots: Path | None):
        self.seeded, self.language, self.screenshots = seeded, language, screenshots
        self.allowed = allowed_words(seeded)
        self.count = 0

    def look(self, page, name: str) -> None:
        """The page speaks the walk's language; on Chinese pages no English word shows."""
        page.wait_for_load_state("load")
        expected = "zh-Hans" if self.language == "zh" else "en"
        assert page.evaluate("document.documentElement.lang") == expected, f"{name}: <html lang> is not {expected}"
        text = page.evaluate(READABLE)
        if self.language == "zh":
            english = sorted({w for w in WORD.findall(text) if w.lower() not in self.allowed})
            assert not english, f"{name} ({page.url}) shows English words on a Chinese page: {english}\n---\n{text[:3000]}"
        else:
            assert not re.search(r"[\u4e00-\u9fff]", _without(text, CHINESE_DATA)), f"{name}: Chinese interface text on an English page"
        if self.screenshots:
            self.count += 1
            page.screenshot(path=str(self.screenshots / f"{self.language}-{self.count:02d}-{name}.png"), full_page=False)


# Chinese that is data on English pages (names, organisations; scheme text has both languages).
CHINESE_DATA = ["中文"] + [name for _, name, _ in COMPETITORS] + [org for _, _, org in COMPETITORS] + list(JUDGE_ORGANISATIONS)


def _without(text: str, words: list[str]) -> str:
    for word in words:
        text = text.replace(word, "")
    return text


def choose_language(page, language: str) -> None:
    """The header's switch, as a person taps it."""
    button = page.locator(f'.language-switch button[value="{language}"]')
    if button.get_attribute("aria-pressed") != "true":
        with page.expect_navigation():
            button.tap() if page.evaluate("navigator.maxTouchPoints > 0") else button.click()


def set_mode(live_server, seeded, mode: str) -> None:
    from competition.extensions import db
    from competition.models import Skill, User
    from competition.services.boards import set_display_mode

    with live_server.transaction():
        set_display_mode(db.session.get(Skill, seeded.skill_id), mode, by=db.session.get(User, seeded.organiser.id))


def panel_marks(live_server, seeded) -> None:
    """Judges 2 and 3 mark W-02 and disagree on the weld bead (0 and 3): a flag for the chief."""
    from competition.extensions import db
    from competition.models import Competitor, User
    from tests.factories import mark

    with live_server.transaction():
        competitor = db.session.get(Competitor, seeded.competitors["W-02"])
        for person, bead in zip(seeded.judges[1:], ("0", "3"), strict=True):
            judge = db.session.get(User, person.id)
            for aspect, value in (("A1.1", "1"), ("A1.2", "0"), ("B1.1", bead), ("B1.2", "1.5")):
                mark(judge, competitor, aspect, value, commit=False)


def wait_connected(tv) -> None:
    tv.wait_for_function("() => { const c = document.getElementById('conn'); return c && c.textContent === gettext('live'); }",
                         timeout=10_000)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_journey_in_each_language(live_server, new_page, sign_in, seed, language, tmp_path):
    from playwright.sync_api import expect

    shots = Path(os.environ["PODIUM_SCREENSHOTS"]) if os.environ.get("PODIUM_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    seeded = seed(WALK_SCHEME, competitors=COMPETITORS, judges=JUDGE_ORGANISATIONS)
    walk = Walk(seeded, language, shots)
    base = f"/judge/{seeded.event}/{seeded.skill}"

    # --- The judge's tablet: choose the language on the sign-in page, sign in, mark, sign off.
    tablet = new_page(TABLET, has_touch=True)
    tablet.goto("/sign-in")
    choose_language(tablet, language)
    walk.look(tablet, "sign-in")
    sign_in(tablet, seeded.judges[0], lands_on=f"{base}/")
    walk.look(tablet, "competitors")
    tablet.goto(f"{base}/W-01/A")
    walk.look(tablet, "form-A-empty")
    tablet.tap("label[for=a_A1_1-0]")
    tablet.locator('fieldset[data-aspect="A1.2"] button[data-delta="1"]').tap()
    expect(tablet.locator('fieldset[data-aspect="A1.2"] [data-result]')).to_have_text("1.5")
    expect(tablet.locator('fieldset[data-aspect="A1.1"] [data-saved]')).not_to_be_empty()
    expect(tablet.locator('fieldset[data-aspect="A1.2"] [data-saved]')).not_to_be_empty()
    walk.look(tablet, "form-A-marked")
    tablet.goto(f"{base}/W-01/B")
    tablet.tap("label[for=a_B1_1-2]")
    tablet.tap("label[for=a_B1_2-1]")
    expect(tablet.locator('fieldset[data-aspect="B1.1"] [data-saved]')).not_to_be_empty()
    expect(tablet.locator('fieldset[data-aspect="B1.2"] [data-saved]')).not_to_be_empty()
    expect(tablet.locator("#own-done")).to_have_text("4")
    sent = "() => { const q = document.querySelector('#queue-status'); return !q || !q.classList.contains('is-waiting'); }"
    tablet.wait_for_function(sent)
    tablet.reload()
    expect(tablet.locator("form.sign-off button[type=submit]")).to_be_enabled()
    walk.look(tablet, "form-B-marked")
    with tablet.expect_navigation():
        tablet.locator("form.sign-off button[type=submit]").tap()
    expect(tablet.locator(".flash")).to_be_visible()
    walk.look(tablet, "signed-off")

    # --- The choice survives signing out and signing in on another device.
    with tablet.expect_navigation():
        tablet.locator("form[action$='/sign-out'] button").tap()
    walk.look(tablet, "signed-out")
    other = new_page(TABLET, has_touch=True)
    sign_in(other, seeded.judges[0], lands_on=f"{base}/")
    walk.look(other, "signed-in-again")

    # --- The chief expert resolves a flag.
    panel_marks(live_server, seeded)
    chief = new_page(TABLET, has_touch=True)
    chief.goto("/sign-in")
    choose_language(chief, language)
    sign_in(chief, seeded.chief)
    walk.look(chief, "chief-overview")
    chief.goto(f"/chief/{seeded.event}/{seeded.skill}/W-02")
    walk.look(chief, "chief-flagged")
    override = chief.locator("form[action$='/override']").first
    override.locator("textarea[name=reason]").fill("复核录像后确认评分有效" if language == "zh" else "Confirmed on the video review")
    with chief.expect_navigation():
        override.locator("button[type=submit]").tap()
    expect(chief.locator(".flash")).to_be_visible()
    walk.look(chief, "chief-resolved")

    # --- The hall screen: live, embargo, reveal; and a lost connection.
    tv = new_page(TV)
    lang = f"?lang={language}"
    set_mode(live_server, seeded, "live")
    tv.goto(f"/board/{seeded.event}/{seeded.skill}{lang}")
    wait_connected(tv)
    walk.look(tv, "board-live")
    set_mode(live_server, seeded, "embargoed")
    tv.wait_for_timeout(1500)
    walk.look(tv, "board-embargo")
    set_mode(live_server, seeded, "reveal")
    tv.wait_for_timeout(1500)
    walk.look(tv, "board-reveal")
    tv.context.set_offline(True)
    tv.evaluate("Board.socket.io.engine.close()")  # offline emulation leaves an open WebSocket alone: drop it
    tv.wait_for_function("() => document.getElementById('conn').textContent !== gettext('live')", timeout=15_000)
    walk.look(tv, "board-offline")
    tv.context.set_offline(False)
    wait_connected(tv)
    walk.look(tv, "board-reconnected")
    tv.goto(f"/board/{seeded.event}{lang}")
    walk.look(tv, "board-overview")
