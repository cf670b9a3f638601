"""An organiser runs a whole competition from an empty database, in a real headless Chromium,
in each language: creates the event, uploads a marking scheme, imports the organisations, the
competitors (first a file with three bad rows: all three reported by row and column and
nothing written; then the corrected file) and the judges, assigns the panel, holds the draw;
the judges sign in with one-time links, give every mark through the JSON API as their tablets
do (session cookie, CSRF token, idempotency keys) and sign off; the organiser locks and
publishes the results, prints the result sheet (read back with pypdf), downloads the exports
(checked against the standings API) and prints the certificates.

The organiser signs in and switches the language with the header's switch; the judges'
tablets speak the walk's language. On Chinese pages no English word may show except data
(names, codes, the file format's column names) and a few technical abbreviations.
Screenshots of every page at 1366×768 go to $PODIUM_SCREENSHOTS (when set), to be looked at.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.conftest import TABLET, TIMEOUT_MS
from tests.e2e.test_languages_walk import READABLE, WALK_SCHEME, WORD, _without, choose_language

pytestmark = pytest.mark.e2e

DESK = {"width": 1366, "height": 768}
SKILL = "welding"

# The languages walk's bilingual welding scheme, under the skill code this walk uses.
SCHEME = WALK_SCHEME.replace('code = "walk"', f'code = "{SKILL}"', 1)

ORGANISATIONS = """\
external_id,code,name,colour
org-gd,GD,广东,
org-js,JS,江苏,
org-zj,ZJ,浙江,
org-sc,SC,四川,
org-fj,FJ,福建,
org-hn,HN,湖南,
"""

# Rows 3, 4 and 5 are wrong: an unknown skill (B), a code already in row 2 (C), no name (D).
BAD_COMPETITORS = """\
external_id,skill,code,name,organisation
cmp-1,welding,W-01,王芳,GD
cmp-2,weldng,W-02,李明,JS
cmp-3,welding,W-01,陈静,ZJ
cmp-4,welding,W-04,,GD
"""
BAD_ROWS = [(3, "B", "skill"), (4, "C", "code"), (5, "D", "name")]

COMPETITORS = """\
external_id,skill,code,name,organisation
cmp-1,welding,W-01,王芳,GD
cmp-2,welding,W-02,李明,JS
cmp-3,welding,W-03,陈静,ZJ
cmp-4,welding,W-04,周杰,GD
"""
NAMES = {"W-01": "王芳", "W-02": "李明", "W-03": "陈静", "W-04": "周杰"}

JUDGES = ["zhangwei", "liuyang", "zhaolei"]  # user names that are not English words: the checker can tell them from the interface's
CHIEF = "xujing"

# Each competitor's marks: A1.1 (binary: 1 = in tolerance), A1.2 (holes out of position),
# B1.1 (one judgement score per judge), B1.2 (a step).
MARKS = {
    "W-01": ("1", "0", ("3", "3", "3"), "3"),    # 2 + 2 + 3 + 3 = 10
    "W-02": ("1", "1", ("2", "2", "2"), "1.5"),  # 2 + 1.5 + 2 + 1.5 = 7
    "W-03": ("0", "2", ("1", "1", "1"), "0"),    # 0 + 1 + 1 + 0 = 2
    "W-04": ("1", "0", ("1", "2", "2"), "1.5"),  # a spread of one, within tolerance
}
EXPECTED_TOTALS = {"W-01": Decimal("10.00"), "W-02": Decimal("7.00"), "W-03": Decimal("2.00")}

EVENT = {"en": ("nsc2026", "National Skills Competition 2026", "Exhibition Hall 3"),
         "zh": ("nsc2026", "全国职业技能大赛 2026", "国家会展中心 3 号馆")}

# Addresses, file names, colours, the commands and identifiers a page quotes as they are typed, an example user name.
DATA_PATTERN = r"(?:https?://\S+|[\w.-]+\.(?:csv|toml|xlsx|pdf|zip)\b|#[0-9A-Fa-f]{6}\b|podium-draw/\d+|podium restore FILE|judge-a1)"

# English that is data or format on a Chinese page: codes, user names, the import columns
# (a file's header row is written in them), file formats and the product.
DATA_WORDS = ["nsc2026", "wsc2026", "welding", "weldng", "W", "organiser", "Organiser", "Podium", "English", *JUDGES, CHIEF,
              "GD", "JS", "ZJ", "SC", "FJ", "HN", "org", "cmp", "jdg",  # codes and external ids
              "CSV", "XLSX", "JSON", "PDF", "TOML", "UTF", "GB18030", "Excel", "QR", "PNG", "JPEG", "zip",  # formats
              "CIS Marking Scheme Import",  # the name of a sheet in a CIS workbook
              "Guangdong",  # the example of an organisation's name, in both languages
              "SHA", "Fisher", "Yates"]  # the draw's algorithm
CHINESE_DATA = ["广东", "江苏", "浙江", "四川", "福建", "湖南", *NAMES.values(), "张伟", "刘洋", "赵磊", "徐静", "简体中文", "中文",
                # the terms of Chinese competitions the English pages give beside their English names
                "加密号", "检录号", "工位号", "抽签", "成绩单", "正式成绩"]


def shipped_scheme_names() -> list[str]:
    """The schemes shipped with Podium, offered by name (some have no Chinese name: that is their file's text)."""
    from competition.services.skills import shipped_schemes

    return [f"{key} {scheme.name}" for key, scheme in shipped_schemes().items()]


def column_names() -> list[str]:
    """The import files' column names and the other names they accept, in both languages: a
    file's header row is data, and the imports page lists them as they are written."""
    from competition.services import imports

    return sorted({name for kind in imports.KINDS for column in imports.columns(kind) for name in (column.name, *column.aliases)},
                  key=len, reverse=True)


class Walk:
    """Looks at each page: its language, no stray English on a Chinese page, a screenshot."""

    def __init__(self, language: str, screenshots: Path | None):
        self.language, self.screenshots = language, screenshots
        self.columns = column_names()
        data = DATA_WORDS + list(EVENT["en"][1:]) + shipped_scheme_names()
        self.allowed = {w.lower() for text in data for w in WORD.findall(text)}
        self.count = 0
        self.problems: list[str] = []

    def keep(self, data: bytes, name: str) -> None:
        """A downloaded file beside the screenshots, to be looked at too."""
        if self.screenshots:
            (self.screenshots / f"organiser-{self.language}-{name}").write_bytes(data)

    def look(self, page, name: str, *, words: tuple[str, ...] = ()) -> str:
        page.wait_for_load_state("load")
        expected = "zh-Hans" if self.language == "zh" else "en"
        assert page.evaluate("document.documentElement.lang") == expected, f"{name}: <html lang> is not {expected}"
        text = page.evaluate(READABLE)
        if self.language == "zh":
            shown = text
            for table in page.locator("table.import-column-list").all_inner_texts():  # the files' column names, as written
                shown = shown.replace(table, "")
            shown = re.sub(DATA_PATTERN + "|（[a-z_0-9]+）|“[a-z_0-9]+”", "", shown)  # a column quoted in a problem
            english = sorted({w for w in WORD.findall(shown) if w.lower() not in self.allowed})
            if english:  # every page's stray words are reported together at the end of the walk
                self.problems.append(f"{name} ({page.url}) shows English words on a Chinese page: {english}")
        else:
            chinese = sorted(set(re.findall(r"[\u4e00-\u9fff]+", _without(text, self.columns + CHINESE_DATA))))
            if chinese:
                self.problems.append(f"{name} ({page.url}) shows Chinese interface text on an English page: {chinese}")
        for word in words:
            assert word in text, f"{name} ({page.url}) does not say {word!r}\n---\n{text[:3000]}"
        if self.screenshots:
            self.count += 1
            page.screenshot(path=str(self.screenshots / f"organiser-{self.language}-{self.count:02d}-{name}.png"))
        return text


def translator(language: str):
    """The interface's own words in the walk's language, from Podium's catalogue."""
    from babel.support import Translations

    from competition.app import TRANSLATIONS

    catalogue = Translations.load(str(TRANSLATIONS), ["zh_Hans_CN"]) if language == "zh" else None

    def words(message: str, plural: str | None = None, **values) -> str:
        if plural is not None:
            text = catalogue.ngettext(message, plural, values["num"]) if catalogue else (message if values["num"] == 1 else plural)
        else:
            text = catalogue.gettext(message) if catalogue else message
        return text % values if values else text

    return words


def upload(page, selector: str, name: str, text: str) -> None:
    page.set_input_files(selector, {"name": name, "mimeType": "text/csv" if name.endswith(".csv") else "text/plain",
                                    "buffer": text.encode("utf-8")})


def check_file(page, kind: str, name: str, text: str) -> None:
    """Choose what the file lists, upload it and ask for the preview."""
    page.check(f'form.import-form input[name=kind][value="{kind}"]')
    upload(page, "form.import-form input[type=file]", name, text)
    with page.expect_navigation():
        page.click("form.import-form button")


def confirm_import(page) -> None:
    """Confirm the previewed import: it runs as a background job, whose page shows its progress
    and then (reloading itself once the job ends) the counts."""
    with page.expect_navigation():
        page.click("section.import-preview form.actions button.button")
    assert "/console/jobs/" in page.url
    page.wait_for_selector(".job-outcome .flash-ok", timeout=30000)
    with page.expect_navigation():
        page.click(".job-outcome a.button")  # back to the imports


def download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF"), data[:200]
    return re.sub(r"[ \t]+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def competitors_in_database(server) -> int:
    from sqlalchemy import func, select

    from competition.extensions import db
    from competition.models import Competitor

    with server.transaction():
        return db.session.scalar(select(func.count()).select_from(Competitor))


def api(page, path: str, body: dict, csrf: str, expect: int = 201) -> dict:
    answer = page.request.post(path, data=body, headers={"X-CSRFToken": csrf})
    assert answer.status == expect, f"{path} {body}: {answer.status} {answer.text()}"
    return answer.json()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_organiser_runs_a_competition_from_an_empty_database(browser, empty_server, sign_in, language):
    from playwright.sync_api import expect

    shots = Path(os.environ["PODIUM_SCREENSHOTS"]) if os.environ.get("PODIUM_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    walk = Walk(language, shots)
    server, t = empty_server, translator(language)
    code, event_name, venue = EVENT[language]
    walk.allowed |= {w.lower() for w in WORD.findall(event_name + " " + venue)}
    contexts = []

    def new_page(viewport, *, tablet: bool = False):
        context = browser.new_context(viewport=viewport, has_touch=tablet, base_url=server.url,
                                      locale="zh-CN" if tablet and language == "zh" else "en-GB", accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    try:
        # --- First run: the organiser signs in, switches language, finds no event.
        desk = new_page(DESK)
        sign_in(desk, server.organiser)
        choose_language(desk, language)
        desk.goto("/console/")
        walk.look(desk, "console-empty", words=(t("No event yet."),))

        # --- Create the event.
        desk.click("a.button[href$='/events/new']")
        walk.look(desk, "event-new")
        desk.fill("#code", code)
        desk.fill("#name", event_name)
        desk.fill("#place", venue)
        desk.fill("#starts_on", "2026-09-14")
        desk.fill("#ends_on", "2026-09-17")
        desk.select_option("#language", language)
        with desk.expect_navigation():
            desk.click("form.console-form button.button")
        assert desk.url.endswith(f"/console/events/{code}"), desk.url
        walk.look(desk, "event", words=(event_name,))

        # --- Upload the marking scheme.
        desk.click(f"a.button[href$='/events/{code}/skills/new']")
        desk.check("input[name=source][value=toml]")
        upload(desk, "#toml_file", "welding.toml", SCHEME)
        walk.look(desk, "skill-new")
        with desk.expect_navigation():
            desk.click("form.console-form button.button")
        assert desk.url.endswith(f"/skills/{SKILL}/settings"), desk.url
        walk.look(desk, "skill-settings", words=("管道焊接" if language == "zh" else "Pipe Welding",))

        # --- Imports: organisations, then competitors (a bad file, then the corrected one), then judges.
        desk.goto(f"/console/events/{code}/imports")
        walk.look(desk, "imports")
        check_file(desk, "organisations", "organisations.csv", ORGANISATIONS)
        walk.look(desk, "imports-organisations-preview")
        confirm_import(desk)

        check_file(desk, "competitors", "competitors.csv", BAD_COMPETITORS)
        text = walk.look(desk, "imports-competitors-bad")
        problems = desk.locator("ul.import-problems li").all_inner_texts()
        assert len(problems) == 3, problems
        for problem, (row, column, header) in zip(problems, BAD_ROWS, strict=True):
            where = t("row %(row)s, column %(letter)s (%(header)s): %(problem)s", row=row, letter=column, header=header, problem="")
            assert problem.startswith(where), (problem, where)
        assert t("%(num)s problem: nothing was written. Correct the file and upload it again.",
                 "%(num)s problems: nothing was written. Correct the file and upload it again.", num=3) in text
        assert not desk.locator("section.import-preview form.actions").count(), "a bad file may not be imported"
        assert competitors_in_database(server) == 0

        check_file(desk, "competitors", "competitors.csv", COMPETITORS)
        walk.look(desk, "imports-competitors-preview")
        confirm_import(desk)
        assert competitors_in_database(server) == 4

        judges = "external_id,username,name,organisation,language\n" + "".join(
            f"jdg-{n},{username},{name},{org},{language}\n"
            for n, (username, name, org) in enumerate(zip([*JUDGES, CHIEF], ["张伟", "刘洋", "赵磊", "徐静"], ["SC", "FJ", "HN", ""]), 1))
        check_file(desk, "judges", "judges.csv", judges)
        walk.look(desk, "imports-judges-preview")
        confirm_import(desk)
        walk.look(desk, "imports-done")

        desk.goto(f"/console/events/{code}/people/organisations")
        walk.look(desk, "people-organisations", words=("广东",))
        desk.goto(f"/console/events/{code}/people/skills/{SKILL}/competitors")
        walk.look(desk, "people-competitors", words=tuple(NAMES.values()))

        # --- The panel: three judges and the chief expert, from the list with their conflicts.
        desk.goto(f"/console/events/{code}/panels")
        walk.look(desk, "panels")
        desk.goto(f"/console/events/{code}/skills/{SKILL}/panel")
        walk.look(desk, "panel-empty")
        for username in [*JUDGES, CHIEF]:
            row = desk.locator("table.candidates tbody tr").filter(has=desk.locator(f'span.code:text-is("{username}")'))
            button = row.locator("button[formaction]") if username == CHIEF else row.locator("button[type=submit]:not([formaction])")
            with desk.expect_navigation():
                button.click()
        walk.look(desk, "panel-full")
        assert desk.locator("table.candidates").count() == 0, "everyone should be on the panel"

        # --- The draw: competitor numbers, then workstations, from typed seeds.
        for index, seed in enumerate(("0914-3817", "0914-5521")):
            desk.goto(f"/console/events/{code}/skills/{SKILL}/draw")
            if not index:
                walk.look(desk, "draw")
            form = desk.locator("form.draw-form").nth(index)
            form.locator("input[name=seed]").fill(seed)
            with desk.expect_navigation():
                form.locator("button").click()
            walk.look(desk, f"draw-record-{index + 1}", words=(seed,))
        desk.goto(f"/console/events/{code}/skills/{SKILL}/draw")
        numbers = desk.locator("table.console-list").first.locator("tbody tr td.num").all_inner_texts()
        assert "–" not in numbers and len(numbers) == 8, numbers
        walk.look(desk, "draw-done")

        # --- Each judge gets a one-time sign-in link and opens it on their tablet.
        desk.goto(f"/console/events/{code}/people/accounts")
        walk.look(desk, "accounts")
        tablets = {}
        for username in JUDGES:
            desk.goto(f"/console/events/{code}/people/accounts")
            with desk.expect_navigation():
                desk.locator("td.actions-cell a").filter(has_text=username).click()
            with desk.expect_navigation():
                desk.click("form[action$='/link'] button")
            link = desk.locator(".sign-in-link").inner_text().strip()
            if username == JUDGES[0]:
                walk.look(desk, "account-link")
            tablet = new_page(TABLET, tablet=True)
            tablet.goto(link)
            if username == JUDGES[0]:
                walk.look(tablet, "sign-in-link")
            with tablet.expect_navigation():
                tablet.locator("main form button[type=submit]").tap()
            assert tablet.url.endswith(f"/judge/{code}/{SKILL}/"), tablet.url
            tablets[username] = tablet
        walk.look(tablets[JUDGES[0]], "judge-competitors")

        # --- Every mark through the JSON API, as the tablets send them: session, CSRF token, idempotency key.
        for number, username in enumerate(JUDGES):
            tablet = tablets[username]
            csrf = tablet.locator("meta[name=csrf-token]").get_attribute("content")
            for competitor, (length, holes, beads, spatter) in MARKS.items():
                for aspect, value in (("A1.1", length), ("A1.2", holes), ("B1.1", beads[number]), ("B1.2", spatter)):
                    body = {"event": code, "skill": SKILL, "competitor": competitor, "aspect": aspect, "value": value,
                            "idempotency_key": str(uuid.uuid4()), "base_version": 0, "device": f"tablet of {username}"}
                    answer = api(tablet, "/api/v1/marks", body, csrf)
                    assert not answer["flagged"], answer
            again = api(tablet, "/api/v1/marks", body, csrf, expect=200)  # the same key again: a replay, nothing written
            assert again["replayed"] is True

        desk.goto(f"/console/events/{code}/progress")
        walk.look(desk, "progress")

        # --- Sign-off: the first judge on the form page for W-01, every other form through the API.
        first = tablets[JUDGES[0]]
        first.goto(f"/judge/{code}/{SKILL}/W-01/B")
        expect(first.locator("form.sign-off button[type=submit]")).to_be_enabled()
        walk.look(first, "judge-form-before-sign-off")
        with first.expect_navigation():
            first.locator("form.sign-off button[type=submit]").tap()
        expect(first.locator(".flash")).to_be_visible()
        walk.look(first, "judge-signed-off")
        locked = set()
        for username in JUDGES:
            tablet = tablets[username]
            csrf = tablet.locator("meta[name=csrf-token]").get_attribute("content")
            for competitor in MARKS:
                if (username, competitor) == (JUDGES[0], "W-01"):
                    continue
                answer = api(tablet, "/api/v1/sign-offs", {"event": code, "skill": SKILL, "competitor": competitor}, csrf)
                if answer["locked"]:
                    locked.add(competitor)
        assert locked == set(MARKS), locked

        # --- Lock and publish the skill's results.
        desk.goto(f"/console/events/{code}/skills/{SKILL}/results")
        walk.look(desk, "results-ready")
        with desk.expect_navigation():
            desk.click("form[action$='/results/lock'] button")
        walk.look(desk, "results-locked")
        desk.check("form[action$='/results/publish'] input[name=confirmed]")
        with desk.expect_navigation():
            desk.click("form[action$='/results/publish'] button")
        walk.look(desk, "results-published", words=(t("Published: these results are official."),))

        standings = desk.request.get(f"/api/v1/events/{code}/skills/{SKILL}/standings").json()
        assert standings["official"] is True
        totals = {row["code"]: Decimal(row["total"]) for row in standings["standings"]}
        for competitor, total in EXPECTED_TOTALS.items():
            assert totals[competitor] == total, (competitor, totals)
        assert all(not row["in_marking"] for row in standings["standings"])

        # --- The result sheet (成绩单), printed from the page and read back.
        desk.goto(f"/console/events/{code}/results")
        walk.look(desk, "results-and-exports")
        section = desk.locator(f"#skill-{SKILL}")
        section.locator("form[method=post] select[name=language]").select_option(language)
        sheet_pdf = download(desk, lambda: section.locator("form[method=post] button").click())
        walk.keep(sheet_pdf, "result-sheet.pdf")
        sheet = pdf_text(sheet_pdf)
        for competitor, name in NAMES.items():
            assert name in sheet, f"{name} is not on the result sheet:\n{sheet}"
            assert f"{totals[competitor]:.2f}" in sheet, f"the total {totals[competitor]} of {competitor} is not on the sheet:\n{sheet}"
        assert ("成绩单" if language == "zh" else "Result sheet") in sheet and t("PROVISIONAL") not in sheet

        # --- The exports: standings as CSV, XLSX and JSON agree with the standings API; the marks are all there.
        def export(kind: str, fmt: str) -> bytes:
            link = section.locator(f"a[href*='/results/{kind}.{fmt}']")
            return download(desk, link.click)

        rows = list(csv.DictReader(io.StringIO(export("standings", "csv").decode("utf-8-sig"))))
        assert {r["code"]: Decimal(r["total"]) for r in rows} == totals
        assert {r["code"]: r["name"] for r in rows} == NAMES
        from openpyxl import load_workbook

        sheet_xlsx = load_workbook(io.BytesIO(export("standings", "xlsx")), read_only=True).active
        header, *cells = [list(r) for r in sheet_xlsx.iter_rows(values_only=True)]
        assert {r[header.index("code")]: Decimal(str(r[header.index("total")])).quantize(Decimal("0.01")) for r in cells} == totals
        data = json.loads(export("standings", "json"))
        assert data["format"] == "podium.standings"
        assert {c["code"]: Decimal(c["total"]) for s in data["skills"] for c in s["standings"]} == totals
        marks = [r for r in csv.DictReader(io.StringIO(export("marks", "csv").decode("utf-8-sig"))) if r["current"] == "true"]
        assert len(marks) == len(MARKS) * 4 * len(JUDGES), len(marks)

        # --- Certificates for the skill.
        desk.goto(f"/certificates/{code}")
        walk.look(desk, "certificates")
        # The event's address is this test server's (127.0.0.1): printing first asks, naming it.
        desk.locator(f"#skill-{SKILL} header form button").click()
        desk.locator("#confirm-address").wait_for()
        walk.look(desk, "certificates-confirm")
        certificates_pdf = download(desk, lambda: desk.locator("button[data-confirm=print]").click())
        walk.keep(certificates_pdf, "certificates.pdf")
        certificates = pdf_text(certificates_pdf)
        for name in NAMES.values():
            assert name in certificates, f"no certificate names {name}:\n{certificates[:2000]}"
        desk.goto(f"/certificates/{code}")
        walk.look(desk, "certificates-printed")

        desk.goto(f"/console/events/{code}/backup")
        walk.look(desk, "backup")
        desk.goto("/console/jobs")
        walk.look(desk, "jobs")
        desk.goto(f"/console/events/{code}")
        walk.look(desk, "event-at-the-end")
        assert not walk.problems, "\n".join(walk.problems)
    finally:
        for context in contexts:
            context.close()
