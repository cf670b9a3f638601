"""No template shows a person text that does not go through gettext."""

from pathlib import Path

import pytest

from tests.i18n.visible_text import untranslated

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FILES = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", FILES)
def test_visible_text_goes_through_gettext(name):
    found = untranslated((TEMPLATES / name).read_text(encoding="utf-8"))
    assert not found, f"templates/{name} shows text outside gettext:\n" + "\n".join(found)


def test_the_check_finds_text_outside_gettext():
    assert untranslated("<p>Hello {{ name }}</p>")
    assert untranslated('<button title="Remove">{{ _("x") }}</button>')
    assert untranslated('<input type="submit" value="Save">')
    assert not untranslated('<p>{{ _("Hello") }} {{ name }}</p><script>var a = "text";</script>')
    assert not untranslated("<p>{% trans %}Hello {{ name }}{% endtrans %}</p>")
    assert not untranslated("<b>Podium</b> · A-01 <span>{{ code }}</span>")
