"""The podium command line."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from competition.cli import main

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "scoring_schemes").glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_check_scheme_accepts_shipped_schemes(path):
    result = CliRunner().invoke(main, ["check-scheme", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and ": ok: " in result.output
    # the max marks add up to 100, or the modules' weighted total is out of 100
    assert "total 100" in result.output or "result out of 100" in result.output


def test_check_scheme_reports_every_problem_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "\n".join(
            [
                "[scheme]",  # 1
                'code = "bad"',
                'name = "Bad"',
                'version = "1"',
                "total = 10",  # 5
                'rule = "averagee"',  # 6
                "[[criterion]]",
                'id = "A"',
                'name = "A"',
                "[[criterion.sub]]",  # 10
                'id = "A1"',
                'name = "A1"',
                "[[criterion.sub.aspect]]",  # 13
                'id = "A1.1"',
                'description = "d"',
                'type = "judgement"',  # 16
                'max = "3"',  # 17
                "[[criterion.sub.aspect]]",
                'id = "A1.1"',  # 19
                'description = "d"',
                'type = "measurement"',
                'method = "binary"',
                "max = 2",
            ]
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check-scheme", str(bad)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert all(line.startswith(f"{bad}:") for line in lines), lines
    text = result.output
    assert f"{bad}:6: scheme.rule: unknown rule 'averagee'" in text
    assert f"{bad}:17: criterion[0].sub[0].aspect[0].max:" in text
    assert f"{bad}:19: criterion[0].sub[0].aspect[1].id: duplicate aspect id 'A1.1'" in text
    assert "descriptors" in text


def test_check_scheme_syntax_error_and_missing_file(tmp_path):
    bad = tmp_path / "syntax.toml"
    bad.write_text('[scheme]\ncode = "x"\nname = \n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check-scheme", str(bad), str(tmp_path / "missing.toml")])
    assert result.exit_code == 1
    assert f"{bad}:3: toml:" in result.output
    assert f"{tmp_path / 'missing.toml'}:0: file:" in result.output


def test_a_bad_scheme_cannot_be_loaded_into_an_event(app, tmp_path):
    from competition.extensions import db
    from competition.models import Event, Skill
    from competition.scoring.schemes import SchemeError
    from competition.services.setup import add_skill_from_scheme

    bad = tmp_path / "bad.toml"
    bad.write_text('[scheme]\ncode = "x"\n', encoding="utf-8")
    event = Event(code="e", name="E")
    db.session.add(event)
    with pytest.raises(SchemeError):
        add_skill_from_scheme(event, bad)
    db.session.commit()
    assert db.session.query(Skill).count() == 0


def test_check_scheme_summarises_modules_and_reports_bad_weights(tmp_path):
    from tests.web.test_modules_web import SCHEME

    good, bad = tmp_path / "modular.toml", tmp_path / "weights.toml"
    good.write_text(SCHEME, encoding="utf-8")
    bad.write_text(SCHEME.replace("weight = 0.8", "weight = 0.7"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check-scheme", str(good), str(bad)])
    assert result.exit_code == 1
    assert "result out of 100 (raw marks out of 30)" in result.output and "2 modules weighted M1 20 %, M2 80 %" in result.output
    weight_line = SCHEME.splitlines().index("weight = 0.8") + 1
    assert (f"{bad}:{weight_line}: module[1].weight: the weights add up to 0.2 + 0.7 = 0.9; they must add up to 1 (100 %)"
            in result.output)
