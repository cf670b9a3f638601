"""Scheme text in one or both languages: plain strings, { en = "…", zh = "…" } tables, and the
languages a scheme declares (competition.scoring.schemes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from competition.cli import main
from competition.scoring.schemes import SchemeError, load_scheme, parse_scheme
from competition.scoring.text import Text

# Line numbers matter: the tests below name them.
BILINGUAL = """\
[scheme]
code = "bilingual"
name = { en = "Electrical Installation", zh = "电气安装" }
languages = ["en", "zh"]
version = "1"

[[criterion]]
id = "A"
name = { en = "Safety", zh = "安全" }

[[criterion.sub]]
id = "A1"
name = "PLC"

[[criterion.sub.aspect]]
id = "A1.1"
description = { en = "Proved dead before work", zh = "作业前验电" }
type = "measurement"
method = "binary"
max = 2

[[criterion.sub.aspect]]
id = "A1.2"
description = { en = "Tidy workplace", zh = "工位整洁" }
type = "judgement"
max = 3
descriptors = [
    { en = "Cluttered", zh = "杂乱" },
    { en = "Tidy", zh = "整洁" },
    { en = "Tidy throughout", zh = "全程整洁" },
    { en = "Exemplary", zh = "堪称示范" },
]
"""
ASPECT_2 = "criterion[0].sub[0].aspect[1]"


def edit(text: str, line: int, new: str) -> str:
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def problems_of(text: str, **options) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, "s.toml", **options)
    return [str(p) for p in caught.value.problems]


def test_a_bilingual_table_becomes_text_in_both_languages():
    scheme = parse_scheme(BILINGUAL, "s.toml", strict_languages=True)
    assert scheme.languages == ("en", "zh") and scheme.language_gaps == ()
    assert isinstance(scheme.name, Text) and scheme.name == "Electrical Installation"
    assert scheme.name.translations == {"en": "Electrical Installation", "zh": "电气安装"}
    criterion = scheme.criterion("A")
    assert criterion.name.get("zh") == "安全" and criterion.name.get("en") == "Safety"
    assert scheme.aspect("A1.1").description.get("zh") == "作业前验电"
    descriptors = scheme.aspect("A1.2").descriptors
    assert descriptors == ("Cluttered", "Tidy", "Tidy throughout", "Exemplary")
    assert [d.get("zh") for d in descriptors] == ["杂乱", "整洁", "全程整洁", "堪称示范"]


def test_a_plain_string_is_the_same_in_every_language():
    scheme = parse_scheme(BILINGUAL.replace('{ en = "Safety", zh = "安全" }', '"Safety"'), "s.toml")
    name = scheme.criterion("A").name
    assert isinstance(name, Text) and name == "Safety" and name.translations == {}
    assert name.get("zh") == name.get("en") == "Safety"


def test_a_one_language_table_and_no_declared_languages_are_fine():
    text = BILINGUAL.replace('languages = ["en", "zh"]\n', "").replace('{ en = "Safety", zh = "安全" }', '{ zh = "安全" }')
    scheme = parse_scheme(text, "s.toml", strict_languages=True)
    assert scheme.languages == () and scheme.criterion("A").name == "安全"
    assert scheme.criterion("A").name.get("en") == "安全"


def test_a_code_needs_no_translation():
    # "PLC" (line 13) is a plain string in a bilingual scheme: only capitals, nothing to translate
    assert parse_scheme(BILINGUAL, "s.toml", strict_languages=True).criterion("A").sub_criteria[0].name == "PLC"


def test_bad_tables_are_problems_with_file_line_and_field():
    text = edit(BILINGUAL, 9, 'name = { en = "Safety", fr = "Sécurité" }')
    text = edit(text, 17, 'description = { en = "", zh = "作业前验电" }')
    text = edit(text, 24, 'description = { en = 3, zh = "工位整洁" }')
    text = edit(text, 29, "    { },")
    text = edit(text, 3, "name = 12")
    assert problems_of(text) == [
        's.toml:3: scheme.name: must be a non-empty string, e.g. name = "CNC Milling" or name = { en = "CNC Milling", zh = "…" }',
        "s.toml:9: criterion[0].name.fr: 'fr' is not a language of scheme text; use en (English) and zh (Chinese): "
        'name = { en = "…", zh = "…" }',
        "s.toml:17: criterion[0].sub[0].aspect[0].description.en: must be a non-empty string: the English text",
        f"s.toml:24: {ASPECT_2}.description.en: must be a non-empty string: the English text",
        f's.toml:29: {ASPECT_2}.descriptors[1]: is an empty table; give the text in each language: {{ en = "…", zh = "…" }}',
    ]


def test_a_descriptor_that_is_not_text():
    assert problems_of(edit(BILINGUAL, 30, "    3,")) == [
        f"s.toml:30: {ASPECT_2}.descriptors[2]: must be a non-empty string describing score 2",
    ]


def test_bad_languages():
    assert problems_of(edit(BILINGUAL, 4, 'languages = ["en", "fr", "en"]')) == [
        "s.toml:4: scheme.languages[1]: 'fr' is not a language of scheme text; use en (English) or zh (Chinese)",
        "s.toml:4: scheme.languages[2]: 'en' is listed twice; list each language once",
    ]
    assert problems_of(edit(BILINGUAL, 4, 'languages = "en"')) == [
        's.toml:4: scheme.languages: must be a list of language codes, e.g. languages = ["en", "zh"]',
    ]


MISSING = edit(edit(edit(edit(BILINGUAL,
    9, 'name = "Safety"'),                                 # English only
    17, 'description = { zh = "作业前验电" }'),             # no English
    30, '    "全程整洁",'),                                   # Chinese only, on its own line of the array
    13, 'name = "安全 Safety"')                              # both in one string  # fmt: skip


def test_a_missing_language_is_a_warning_when_loading():
    scheme = parse_scheme(MISSING, "s.toml")
    assert scheme.criterion("A").name == "Safety"
    assert [str(p) for p in scheme.language_gaps] == [
        's.toml:9: criterion[0].name.zh: the Chinese (zh) text is missing, and the scheme declares languages = ["en", "zh"]; '
        'write name = { en = "…", zh = "…" }',
        "s.toml:13: criterion[0].sub[0].name: one string for both languages (the scheme declares English and Chinese); "
        'give each on its own: name = { en = "…", zh = "…" }',
        's.toml:17: criterion[0].sub[0].aspect[0].description.en: the English (en) text is missing, and the scheme declares '
        'languages = ["en", "zh"]; write description = { en = "…", zh = "…" }',
        f's.toml:30: {ASPECT_2}.descriptors[2].en: the English (en) text is missing, and the scheme declares '
        'languages = ["en", "zh"]; write { en = "…", zh = "…" }',
    ]


def test_a_missing_language_is_a_problem_when_strict():
    found = problems_of(MISSING, strict_languages=True)
    assert [p.split(": ")[0:2] for p in found] == [
        ["s.toml:9", "criterion[0].name.zh"],
        ["s.toml:13", "criterion[0].sub[0].name"],
        ["s.toml:17", "criterion[0].sub[0].aspect[0].description.en"],
        ["s.toml:30", f"{ASPECT_2}.descriptors[2].en"],
    ]


def test_a_single_declared_language_takes_plain_strings():
    scheme = parse_scheme(edit(MISSING, 4, 'languages = ["zh"]'), "s.toml", strict_languages=True)
    assert scheme.languages == ("zh",)


def test_check_scheme_reports_each_missing_language_and_fails(tmp_path: Path):
    path = tmp_path / "missing.toml"
    path.write_text(MISSING, encoding="utf-8")
    result = CliRunner().invoke(main, ["check-scheme", str(path)])
    assert result.exit_code == 1
    assert f"{path}:9: criterion[0].name.zh: the Chinese (zh) text is missing" in result.output
    assert f"{path}:30: {ASPECT_2}.descriptors[2].en: the English (en) text is missing" in result.output
    assert load_scheme(path).language_gaps  # loading it only warns


def test_check_scheme_names_the_languages_of_a_bilingual_scheme(tmp_path: Path):
    path = tmp_path / "ok.toml"
    path.write_text(BILINGUAL, encoding="utf-8")
    result = CliRunner().invoke(main, ["check-scheme", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("languages en and zh")


def test_the_shipped_chinese_scheme_is_fully_bilingual():
    from competition.shipped import shipped_folder

    scheme = load_scheme(shipped_folder("scoring_schemes") / "cn-electrical-installation.toml", strict_languages=True)
    assert scheme.languages == ("en", "zh")
    assert scheme.name.translations == {"en": "Electrical Installation", "zh": "电气安装"}
    texts = [scheme.name]
    for criterion in scheme.criteria:
        texts.append(criterion.name)
        for sub in criterion.sub_criteria:
            texts.append(sub.name)
            for aspect in sub.aspects:
                texts += [aspect.description, *aspect.descriptors]
    for text in texts:
        assert set(text.translations) == {"en", "zh"}, text
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.translations["en"]), text
