"""Fonts for certificates: ReportLab's standard Latin faces, and a CJK TrueType font embedded
as real glyphs (a subset per document) for Chinese names and the 简体中文 layout.

The CJK font is looked up in ``CERTIFICATE_CJK_FONT`` (a path, ``path.ttc#index`` for a
collection), then in the usual Debian/Ubuntu places (``fonts-wqy-microhei``). When none is
found the certificates still print, with a logged warning, in the Latin font: Chinese
characters then cannot be drawn and are replaced by "?".
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
    "/usr/share/fonts/truetype/arphic/uming.ttc#0",
)
CJK_NAME = "PodiumCJK"


@dataclass(frozen=True)
class FontSet:
    """The faces a certificate uses. ``cjk`` is None when no CJK font could be loaded."""

    serif: str = "Times-Roman"
    serif_bold: str = "Times-Bold"
    serif_italic: str = "Times-Italic"
    sans: str = "Helvetica"
    sans_bold: str = "Helvetica-Bold"
    cjk: str | None = None
    cjk_path: str = ""


_fonts: FontSet | None = None


def _split(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return path, int(index or 0)


def load_fonts(spec: str | None = None) -> FontSet:
    """Register the fonts once per process (ReportLab's registry is global) and return them."""
    global _fonts
    if _fonts is not None and spec is None:
        return _fonts
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
    """True when ``text`` has a character the standard (WinAnsi) Latin fonts cannot show."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def latin_safe(text: str) -> str:
    """``text`` with every character the Latin fonts lack replaced by "?" (fallback only)."""
    return text.encode("cp1252", "replace").decode("cp1252")
