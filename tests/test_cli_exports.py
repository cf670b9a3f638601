"""``podium export``, ``podium result-sheet`` and ``podium marking-forms``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select

from competition.cli import main
from competition.extensions import db
from competition.models import AuditEntry
from competition.services.result_sheets import ACTION
from tests.factories import cheap_passwords, tiny_event


@pytest.fixture
def event(app, tmp_path):
    with cheap_passwords():
        return tiny_event(tmp_path)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("kind", ["standings", "marks"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_writes_each_kind_in_each_format(event, tmp_path, kind, fmt):
    out = tmp_path / f"out.{fmt}"
    result = run("export", kind, "--event", "test", "--skill", "tiny", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["format"] == f"podium.{kind}"


def test_export_takes_the_format_from_the_file_name(event, tmp_path):
    out = tmp_path / "standings.csv"
    result = run("export", "standings", "--event", "test", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "3 competitor(s) written" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_with_bad_input_prints_every_problem_and_writes_nothing(event, tmp_path):
    out = tmp_path / "never.pdf"
    result = run("export", "scores", "--event", "test", "--skill", "nope", "--out", str(out))
    assert result.exit_code == 1
    assert "standings or marks, not 'scores'" in result.output
    assert "one of csv, xlsx, json, not 'pdf'" in result.output
    assert "has no skill 'nope' (its skills: tiny)" in result.output
    assert not out.exists()
    result = run("export", "marks", "--event", "nope", "--format", "csv", "--out", str(out))
    assert result.exit_code == 1 and "there is no event 'nope'" in result.output


def test_result_sheet_writes_the_pdf_and_records_its_hash(event, tmp_path):
    out = tmp_path / "sheets" / "tiny.pdf"
    result = run("result-sheet", "--event", "test", "--skill", "tiny", "--out", str(out), "--language", "zh")
    assert result.exit_code == 0, result.output
    assert "provisional" in result.output
    assert len(PdfReader(out).pages) >= 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == ACTION))
    assert entry is not None and entry.detail.split(" ")[0] in result.output


def test_result_sheet_refuses_a_language_it_does_not_speak(event, tmp_path):
    out = tmp_path / "tiny.pdf"
    result = run("result-sheet", "--event", "test", "--skill", "nope", "--out", str(out), "--language", "fr")
    assert result.exit_code == 1
    assert "en or zh, not 'fr'" in result.output and "no skill 'nope'" in result.output
    assert not out.exists()


def test_marking_forms_writes_one_form_per_judge_and_competitor_or_blank(event, tmp_path):
    out = tmp_path / "forms.pdf"
    result = run("marking-forms", "--event", "test", "--skill", "tiny", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "12 marking form(s)" in result.output  # 3 judges and the chief expert x 3 competitors
    result = run("marking-forms", "--event", "test", "--skill", "tiny", "--out", str(out), "--blank")
    assert "4 marking form(s)" in result.output
