"""Fonts for every PDF Podium prints: TrueType faces shipped inside the package (``assets/``),
each embedded as real glyphs (a subset per document), so a printed record looks the same on
every reader and years later, as PDF/A requires; no PDF refers to a font it does not carry.

The Latin faces are Liberation Serif, Sans and Mono, metric-compatible with Times, Helvetica
and Courier (the layouts were measured in those). The CJK face, for Chinese names and the
简体中文 layout, is ``CERTIFICATE_CJK_FONT`` when set (a path, ``path.ttc#index`` for a
collection), else the shipped WenQuanYi Micro Hei, else the usual Debian/Ubuntu places. When
none loads the PDFs still print, with a logged warning, in the Latin faces: Chinese
characters then cannot be drawn and are replaced by "?".
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

ASSETS = Path(__file__).with_name("assets")
LATIN_FACES = {  # the name ReportLab knows a face by -> its shipped file
    "PodiumSerif": "LiberationSerif-Regular.ttf",
    "PodiumSerif-Bold": "LiberationSerif-Bold.ttf",
    "PodiumSerif-Italic": "LiberationSerif-Italic.ttf",
    "PodiumSans": "LiberationSans-Regular.ttf",
    "PodiumSans-Bold": "LiberationSans-Bold.ttf",
    "PodiumMono-Bold": "LiberationMono-Bold.ttf",
}
CJK_CANDIDATES = (
    f"{ASSETS / 'wqy-microhei.ttc'}#0",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
    "/usr/share/fonts/truetype/arphic/uming.ttc#0",
)
CJK_NAME = "PodiumCJK"


@dataclass(frozen=True)
class FontSet:
    """The faces a certificate uses. ``cjk`` is None when no CJK font could be loaded."""

    serif: str = "PodiumSerif"
    serif_bold: str = "PodiumSerif-Bold"
    serif_italic: str = "PodiumSerif-Italic"
    sans: str = "PodiumSans"
    sans_bold: str = "PodiumSans-Bold"
    mono_bold: str = "PodiumMono-Bold"
    cjk: str | None = None
    cjk_path: str = ""


_fonts: FontSet | None = None
_latin_ready = False


def _register_latin() -> None:
    """Register the shipped Latin faces once, and tell ReportLab which face is the bold and the
    italic of which (paragraph markup such as ``<b>`` picks them by family)."""
    global _latin_ready
    if _latin_ready:
        return
    for name, filename in LATIN_FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(ASSETS / filename)))
    for family in ("PodiumSerif", "PodiumSans"):
        bold = f"{family}-Bold"
        italic = f"{family}-Italic" if f"{family}-Italic" in LATIN_FACES else family
        for is_bold, is_italic, face in ((0, 0, family), (1, 0, bold), (0, 1, italic), (1, 1, bold)):
            addMapping(family, is_bold, is_italic, face)
    _latin_ready = True


def _split(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return path, int(index or 0)


def load_fonts(spec: str | None = None) -> FontSet:
    """Register the fonts once per process (ReportLab's registry is global) and return them."""
    global _fonts
    if _fonts is not None and spec is None:
        return _fonts
    _register_latin()
    candidates = [spec] if spec else [s for s in (os.environ.get("CERTIFICATE_CJK_FONT"),) if s] + list(CJK_CANDIDATES)
    for candidate in candidates:
        path, index = _split(candidate)
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(CJK_NAME, path, subfontIndex=index))
        except Exception as err:  # a damaged or unsupported font file: try the next one
            log.warning("certificates: cannot use CJK font %s: %s", candidate, err)
            continue
        _fonts = FontSet(cjk=CJK_NAME, cjk_path=candidate)
        return _fonts
    log.warning(
        "certificates: no CJK TrueType font found (tried %s); Chinese text will print as '?' in %s. "
        "Install fonts-wqy-microhei or set CERTIFICATE_CJK_FONT=/path/font.ttc#0",
        ", ".join(candidates),
        FontSet.sans,
    )
    _fonts = FontSet()
    return _fonts


def reset_fonts() -> None:
    """Forget the loaded set (tests that simulate a missing font)."""
    global _fonts
    _fonts = None


def needs_cjk(text: str) -> bool:
    """True when ``text`` has a character outside WinAnsi (cp1252), which is drawn in the CJK face."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def latin_safe(text: str) -> str:
    """``text`` with every character the Latin fonts lack replaced by "?" (fallback only)."""
    return text.encode("cp1252", "replace").decode("cp1252")
