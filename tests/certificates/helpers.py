"""Certificate test helpers: a small event with final results, and reading PDFs back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from competition.extensions import db
from competition.services.locking import lock_competitor
from tests.conftest import unavailable
from tests.factories import TINY_SCHEME, mark_panel, tiny_event

PUBLIC_URL = "https://results.example.org"
COMPETITORS = (
    ("T-01", "王芳", "Guangdong 广东"),
    ("T-02", "Anna Schmidt", "Bavaria"),
    ("T-03", "Owen Jones", "Wales"),
    ("T-04", "李明", "Jiangsu 江苏"),
    ("T-05", "Chloé Martin", "Ontario"),
)


def need_tool(name: str) -> str:
    """The path of a command-line tool; skip loudly without it (fail in CI, which installs it)."""
    path = shutil.which(name)
    if not path:
        message = f"{name} is not installed: apt-get install poppler-utils zbar-tools (the certificate QR tests need it)"
        unavailable(message)
    return path


def need_cjk_font() -> None:
    from competition.certificates.fonts import load_fonts

    if load_fonts().cjk is None:
        message = "no CJK TrueType font: apt-get install fonts-wqy-microhei (Chinese names cannot be checked)"
        unavailable(message)


def final_event(tmp_path: Path, *, lock: bool | tuple[str, ...] = True, scheme: str = TINY_SCHEME) -> dict:
    """The tiny event, fully marked: T-01 gold (Accuracy and Finish), T-02 silver (Accuracy),
    T-03 bronze (no unit), T-04 and T-05 no medal (no unit). Locked unless told otherwise."""
    setup = tiny_event(tmp_path, competitors=COMPETITORS, scheme=scheme)
    setup["event"].public_url = PUBLIC_URL  # where phones reach the verify page (nothing to confirm before printing)
    j = setup["judges"]
    marks = {  # (A1.1 yes/no, A1.2 deductions, B1.1 judgement, B1.2 step)
        "T-01": (1, 0, 3, "3"),
        "T-02": (1, 0, 0, "1.5"),
        "T-03": (0, 4, 1, "0"),
        "T-04": (0, 4, 0, "0"),
        "T-05": (0, 4, 0, "0"),
    }
    for competitor in setup["skill"].competitors:
        a11, a12, b11, b12 = marks[competitor.code]
        mark_panel(j[:1], competitor, "A1.1", [a11])
        mark_panel(j[:1], competitor, "A1.2", [a12])
        mark_panel(j, competitor, "B1.1", [b11] * 3)
        mark_panel(j[:1], competitor, "B1.2", [b12])
    for competitor in setup["skill"].competitors:
        if lock is True or (lock and competitor.code in lock):
            lock_competitor(competitor)
    db.session.commit()
    setup["by_code"] = {c.code: c for c in setup["skill"].competitors}
    return setup


def pdf_pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def word_boxes(pdf: Path, page: int = 1) -> tuple[tuple[float, float], list[tuple[str, float, float, float, float]]]:
    """The page's size and every word on it with its box (x0, y0, x1, y1, from the top left), as
    pdftotext lays them out."""
    pdftotext = need_tool("pdftotext")
    html = subprocess.run([pdftotext, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
    words = [(text, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in
             re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>', html)]
    return (width, height), words


def decode_qr(pdf: Path, page: int = 1) -> str:
    """Render one page at 150 dpi with pdftoppm and read its QR code with zbarimg."""
    pdftoppm, zbarimg = need_tool("pdftoppm"), need_tool("zbarimg")
    prefix = pdf.with_name(f"{pdf.stem}-qr{page}")
    subprocess.run([pdftoppm, "-png", "-r", "150", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)], check=True)
    result = subprocess.run([zbarimg, "--raw", "-q", str(prefix.with_suffix(".png"))], capture_output=True, text=True)
    assert result.returncode == 0, f"no QR code found on page {page}: {result.stderr}"
    return result.stdout.strip()


def organiser_client(client, user):
    """Sign ``user`` in on ``client`` (its session cookie)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client
