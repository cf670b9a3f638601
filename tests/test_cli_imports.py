"""``podium import KIND FILE --event CODE [--dry-run]``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from competition.cli import main
from competition.extensions import db
from competition.models import Organisation
from tests.factories import tiny_event

GOOD = "external_id,code,name,colour\no1,GD,广东,\no2,WLS,Wales,#123456\n"


@pytest.fixture
def event(app, tmp_path):
    return tiny_event(tmp_path)["event"]


def run(*args):
    result = CliRunner().invoke(main, list(args))
    db.session.expire_all()
    return result


def count():
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_import_prints_counts_and_a_second_run_changes_nothing(event, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(GOOD.encode("gb18030"))
    first = run("import", "organisations", str(path), "--event", event.code)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip() == "organisations from orgs.csv: 2 added, 0 updated, 0 unchanged"
    assert count() == 2
    second = run("import", "organisations", str(path), "--event", event.code)
    assert second.stdout.strip() == "organisations from orgs.csv: 0 added, 0 updated, 2 unchanged"


def test_dry_run_writes_nothing(event, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    result = run("import", "organisations", str(path), "--event", event.code, "--dry-run")
    assert result.exit_code == 0 and "2 would be added" in result.stdout and "dry run" in result.stdout
    assert count() == 0


def test_a_bad_file_prints_every_row_message_and_exits_1(event, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("code,name,colour,notes\nGD,,red,x\n,Wales,,\nOK,Fine,,\n", encoding="utf-8")
    result = run("import", "organisations", str(path), "--event", event.code)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "orgs.csv: warning: Columns not used by this import, ignored: D (notes).",
        "orgs.csv: row 2, column B (name): empty: give the name.",
        "orgs.csv: row 2, column C (colour): red is not a colour: write it as #rrggbb, e.g. #0067A5, or leave it empty.",
        "orgs.csv: row 3, column A (code): empty: give the code.",
        "orgs.csv: 3 problem(s); nothing was written",
    ]
    assert count() == 0


def test_an_unknown_event_or_a_missing_file_exits_1(event, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert run("import", "organisations", str(path), "--event", "nope").exit_code == 1
    assert run("import", "organisations", str(tmp_path / "missing.csv"), "--event", event.code).exit_code == 1
