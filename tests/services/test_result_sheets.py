"""The result sheet (成绩单) and the paper marking forms, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry
from competition.services import effects
from competition.services.paper_forms import print_marking_forms
from competition.services.result_sheets import ACTION, digest_of, find_sheet, print_result_sheet, sheet_data
from tests.certificates.helpers import final_event, need_cjk_font
from tests.factories import cheap_passwords, mark


@pytest.fixture(autouse=True)
def _cheap_passwords():
    with cheap_passwords():
        yield


def pdf_text(data: bytes) -> str:
    """Every page's text, with runs of white space made single (table cells are laid out apart)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[ \t]+", " ", text)


def sheet_pdf(skill, **kwargs) -> tuple[bytes, object]:
    out = io.BytesIO()
    sheet = print_result_sheet(skill, out, **kwargs)
    effects.commit()
    return out.getvalue(), sheet


def test_the_result_sheet_lists_competitors_totals_every_judge_and_the_chief_expert_and_its_hash(app, tmp_path):
    setup = final_event(tmp_path)
    data, sheet = sheet_pdf(setup["skill"], language="en")
    text = pdf_text(data)
    for name in ("Anna Schmidt", "Owen Jones", "Chloé Martin"):
        assert name in text
    for row in sheet.rows:
        assert row.total in text
    for person in (*setup["judges"], setup["chief"]):
        assert person.display_name in text
    assert text.count("Judge") >= len(setup["judges"]) and "Chief Expert" in text
    assert sheet.digest[:12] in text
    assert "Test Championship" in text and "Tiny Skill" in text
    assert "PROVISIONAL" not in text  # every competitor is locked
    assert "Gold medal" in text


def test_a_sheet_of_unlocked_results_says_provisional(app, tmp_path):
    setup = final_event(tmp_path, lock=("T-01",))
    data, sheet = sheet_pdf(setup["skill"], language="en")
    assert sheet.provisional
    assert "PROVISIONAL" in pdf_text(data)


def test_the_chinese_sheet_speaks_chinese(app, tmp_path):
    need_cjk_font()
    setup = final_event(tmp_path)
    data, sheet = sheet_pdf(setup["skill"], language="zh")
    text = pdf_text(data)
    assert "成绩单" in text and "裁判长" in text and "总分" in text and "签名" in text
    assert "王芳" in text and "金牌" in text
    assert sheet.language == "zh"


def test_the_sheet_speaks_the_events_language_by_default(app, tmp_path):
    setup = final_event(tmp_path)
    setup["event"].language = "zh"
    _, sheet = sheet_pdf(setup["skill"])
    assert sheet.language == "zh"


def test_an_encrypted_skill_shows_encrypted_codes_until_its_results_are_locked(app, tmp_path):
    setup = final_event(tmp_path)
    skill = setup["skill"]
    skill.encrypted = True
    for n, competitor in enumerate(skill.competitors, start=1):
        competitor.encrypted_code = f"X{n:03d}"
    effects.commit()
    text = pdf_text(sheet_pdf(skill, language="en")[0])
    assert "X001" in text and "X005" in text
    assert "Anna Schmidt" not in text and "Bavaria" not in text and "T-02" not in text
    skill.results_locked_at = dt.datetime.now(dt.UTC)
    effects.commit()
    text = pdf_text(sheet_pdf(skill, language="en")[0])
    assert "Anna Schmidt" in text and "T-02" in text


def test_the_hash_names_the_results_not_the_language_or_the_moment(app, tmp_path):
    setup = final_event(tmp_path, lock=False)
    skill = setup["skill"]
    (_, en), (_, zh) = sheet_pdf(skill, language="en"), sheet_pdf(skill, language="zh")
    assert en.digest == zh.digest == digest_of(sheet_data(skill))
    mark(setup["judges"][0], setup["by_code"]["T-05"], "B1.1", 2, base_version=1)
    assert digest_of(sheet_data(skill)) != en.digest


def test_a_printed_sheet_is_recorded_and_found_by_its_hash_or_its_printed_prefix(app, tmp_path):
    setup = final_event(tmp_path, lock=False)
    _, sheet = sheet_pdf(setup["skill"], language="en", by=setup["organiser"])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == ACTION))
    assert entry.user_id == setup["organiser"].id and entry.detail.startswith(sheet.digest)
    found = find_sheet(sheet.digest[:12].upper())
    assert found and found.skill.id == setup["skill"].id and found.current and found.digest == sheet.digest
    assert find_sheet(sheet.digest[:11]) is None  # too short to name one sheet
    assert find_sheet("0" * 64) is None and find_sheet("zz" * 32) is None
    mark(setup["judges"][0], setup["by_code"]["T-05"], "B1.1", 2, base_version=1)
    assert find_sheet(sheet.digest).current is False


def test_the_qr_code_carries_the_verification_address(app, tmp_path):
    from tests.certificates.helpers import decode_qr

    setup = final_event(tmp_path)
    path = tmp_path / "sheet.pdf"
    sheet = print_result_sheet(setup["skill"], path, language="en")
    effects.commit()
    assert decode_qr(path) == sheet.verify_url
    assert sheet.verify_url.endswith(f"/results/verify/{sheet.digest}")


# -- paper marking forms -----------------------------------------------------------------


def test_paper_forms_list_every_aspect_with_its_max_the_descriptors_and_a_signature_line(app, tmp_path):
    setup = final_event(tmp_path, lock=False)
    skill = setup["skill"]
    out = io.BytesIO()
    count = print_marking_forms(skill, out, language="en")
    people = len(setup["judges"]) + 1  # the chief expert marks too
    assert count == people * len(skill.competitors)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    first = reader.pages[0].extract_text()
    for aspect in skill.scheme.aspects:
        assert aspect.id in first
    for descriptor in ("poor", "industry standard", "above standard", "excellent"):
        assert descriptor in first
    assert "Write one of: 0, 1.5, 3" in first and "Write a whole number from 0 to 4" in first
    assert "Judge's signature" in first and "T-01" in first
    text = pdf_text(out.getvalue())
    for person in (*setup["judges"], setup["chief"]):
        assert person.display_name in text


def test_blank_paper_forms_leave_the_competitor_empty_one_per_judge(app, tmp_path):
    need_cjk_font()
    setup = final_event(tmp_path, lock=False)
    out = io.BytesIO()
    assert print_marking_forms(setup["skill"], out, language="zh", blank=True) == len(setup["judges"]) + 1
    text = pdf_text(out.getvalue())
    assert "纸质评分表" in text and "裁判签名" in text
    assert "T-01" not in text and "Anna Schmidt" not in text


def test_a_team_is_listed_with_its_members_on_the_sheet_and_in_the_standings_export(app, tmp_path):
    import csv

    from competition.services.exports import export_standings
    from tests.services.test_teams import team_event

    setup = team_event(tmp_path)
    text = pdf_text(sheet_pdf(setup["skill"], language="en")[0])
    assert "Northern Lights" in text and "Anna Schmidt, Owen Jones" in text
    out = io.BytesIO()
    export_standings(setup["event"], out, "csv", skill=setup["skill"])
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig")))}
    maple = rows["T-03"]
    assert (maple["name"], maple["member1_name"], maple["member3_name"], maple["member3_organisation"], maple["member4_name"]) == (
        "Maple", "Chloé Martin", "Zoe Chen", "Ontario", "")
