"""``podium backup`` and ``podium restore`` (in the test's app context, through click's runner)."""

from __future__ import annotations

import json
import zipfile

import sqlalchemy as sa
from click.testing import CliRunner

from competition.cli import main
from competition.extensions import db
from competition.models import Event, Mark


def test_backup_then_restore_over_the_event(demo_event, app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path / "replaced")
    marks = db.session.scalar(sa.select(sa.func.count()).select_from(Mark))
    out = tmp_path / "demo.zip"

    result = CliRunner().invoke(main, ["backup", "--event", "podium-2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"backed up to {out}" in result.output and f"mark {marks}" in result.output
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("manifest.json"))["event"] == "podium-2026"
    assert not (tmp_path / "demo.zip.partial").exists()

    result = CliRunner().invoke(main, ["restore", str(out)])
    assert result.exit_code == 0, result.output
    assert "event podium-2026 restored" in result.output and f"mark {marks}" in result.output
    saved = list((tmp_path / "replaced").glob("podium-2026-replaced-*.zip"))
    assert len(saved) == 1 and f"saved to {saved[0]}" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mark)) == marks


def test_bad_input_exits_1_and_changes_nothing(demo_event, app, tmp_path):
    result = CliRunner().invoke(main, ["backup", "--event", "nope", "--out", str(tmp_path / "x.zip")])
    assert result.exit_code == 1 and not (tmp_path / "x.zip").exists()

    result = CliRunner().invoke(main, ["restore", str(tmp_path / "missing.zip")])
    assert result.exit_code == 1 and "no such file" in result.output

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    events = db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    result = CliRunner().invoke(main, ["restore", str(bad)])
    assert result.exit_code == 1 and "not a Podium backup" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == events
