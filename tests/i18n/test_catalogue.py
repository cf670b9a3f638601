"""The Chinese catalogue is complete, current and compiled.

- every message the sources hold (Python, templates, scripts: `pybabel extract` with the
  README's options) is in the catalogue, translated and not fuzzy;
- the committed compiled catalogue (.mo) says exactly what the .po says.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "competition" / "translations"
PO = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "N_"]


def _catalogue(path=PO):
    with open(path, "rb") as handle:
        return read_po(handle)


def _key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def test_no_message_is_untranslated_or_fuzzy():
    problems = []
    for message in _catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            problems.append(f"fuzzy: {_key(message)!r}")
        elif not all(strings):
            problems.append(f"untranslated: {_key(message)!r}")
    assert not problems, f"{len(problems)} messages of {PO.relative_to(ROOT)} need a translation:\n" + "\n".join(problems[:60])


def test_every_message_of_the_sources_is_in_the_catalogue(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", *KEYWORDS, "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    wanted = {_key(m) for m in _catalogue(pot) if m.id}
    have = {_key(m) for m in _catalogue() if m.id}
    missing = sorted(wanted - have)
    assert not missing, ("messages in the sources but not in the catalogue (run the README's pybabel update):\n"
                         + "\n".join(map(repr, missing[:60])))


def _strings(message):
    """A message's translation; a plural one as a tuple (read_po gives a tuple, read_mo a list)."""
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string


def test_the_compiled_catalogue_matches_the_po():
    with open(MO, "rb") as handle:
        compiled = {_key(m): _strings(m) for m in read_mo(handle) if m.id}
    source = {_key(m): _strings(m) for m in _catalogue() if m.id and not m.fuzzy}
    assert compiled == source, "competition/translations: the .mo is stale — run the README's pybabel compile"
