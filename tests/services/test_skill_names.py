"""A skill's name comes from its scheme, in each language the scheme gives it."""

from __future__ import annotations

import logging

from flask import render_template_string

from competition.services.setup import add_skill_from_scheme, create_event
from competition.shipped import shipped_folder
from competition.web.language import localise
from tests.factories import TINY_SCHEME

CN = shipped_folder("scoring_schemes") / "cn-electrical-installation.toml"


def test_the_skill_is_named_in_english_and_reads_its_chinese_name_from_the_scheme(app):
    skill = add_skill_from_scheme(create_event("cn", "Championship"), CN)
    assert skill.name == "Electrical Installation" and str(skill) == "Electrical Installation"
    assert skill.name_in("zh") == "电气安装" and skill.name_in("en") == "Electrical Installation"
    assert skill.name_in(None) == "Electrical Installation"
    assert localise(skill, "zh") == "电气安装" and localise(skill.scheme.name, "zh") == "电气安装"


def test_the_loc_filter_names_a_skill_in_the_request_language(app):
    skill = add_skill_from_scheme(create_event("cn", "Championship"), CN)
    template = "{{ skill|loc }} / {{ skill.scheme.name|loc }} / {{ skill.scheme.criteria[0].name|loc }}"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "zh-CN"}):  # a fresh g: its own language
        assert render_template_string(template, skill=skill) == "电气安装 / 电气安装 / 工作组织与安全文明生产"
    with app.app_context(), app.test_request_context():
        english = "Electrical Installation / Electrical Installation / Work organisation and safety"
        assert render_template_string(template, skill=skill) == english


def test_a_single_language_scheme_names_the_skill_the_same_in_both(app, tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SCHEME, encoding="utf-8")
    skill = add_skill_from_scheme(create_event("t", "Test"), path)
    assert skill.name_in("zh") == skill.name_in("en") == "Tiny Skill" == localise(skill, "zh")


def test_a_renamed_skill_keeps_its_own_name_in_every_language(app):
    skill = add_skill_from_scheme(create_event("cn", "Championship"), CN)
    skill.name = "Electrical Installation (Juniors)"
    assert skill.name_in("zh") == "Electrical Installation (Juniors)" == localise(skill, "zh")


def test_loading_a_scheme_with_a_missing_language_only_warns(app, tmp_path, caplog):
    path = tmp_path / "half.toml"
    path.write_text(TINY_SCHEME.replace('name = "Tiny Skill"', 'name = "Tiny Skill"\nlanguages = ["en", "zh"]'), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="competition.services.setup"):
        skill = add_skill_from_scheme(create_event("t", "Test"), path)
    assert skill.name == "Tiny Skill"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"{path}:3: scheme.name.zh: the Chinese (zh) text is missing" in w for w in warnings), warnings
