"""Drawing certificates without a database: text, fonts, layouts, QR codes, tokens."""

from __future__ import annotations

import datetime as dt
import doctest
import io
import logging
import string

import pytest
from pypdf import PdfReader

from competition.certificates import content, fonts
from competition.certificates.content import MEDAL, PARTICIPATION, CertificateData
from competition.certificates.render import TEXT_WIDTH, write_certificates
from competition.certificates.tokens import make_token, read_token, verify_url
from tests.certificates.helpers import decode_qr, need_cjk_font, pdf_pages_text, word_boxes

SECRET = "test-secret"


def sample(**overrides) -> CertificateData:
    values = dict(
        number="TEST-00001", verify_url=verify_url("https://results.example.org", "TEST-00001", SECRET), language="en", layout=MEDAL,
        competitor_name="王芳", organisation="Guangdong 广东", skill_name="CNC Milling", event_name="Test Championship",
        place="Hall 1", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 3), result="gold", standardised=812,
        units=("Work organisation and management", "Programming"), chief_expert="Maria Keller", organiser="Olivia Grant",
    )
    values.update(overrides)
    return CertificateData(**values)


def render(*items: CertificateData, **kwargs) -> bytes:
    buffer = io.BytesIO()
    assert write_certificates(items, buffer, **kwargs) == len(items)
    return buffer.getvalue()


def test_content_doctests():
    assert doctest.testmod(content).failed == 0


def test_medal_certificate_in_english_has_everything(tmp_path):
    need_cjk_font()
    text = pdf_pages_text(render(sample()))[0]
    for expected in ("王芳", "Guangdong 广东", "CNC Milling", "Test Championship", "GOLD MEDAL", "Standardised score 812",
                     "Work organisation and management", "Programming", "Maria Keller", "Olivia Grant", "Chief Expert", "Organiser",
                     "1–3 May 2026", "Hall 1", "TEST-00001", "Certificate of Achievement"):
        assert expected in text, expected


def test_both_layouts_in_both_languages():
    need_cjk_font()
    pages = pdf_pages_text(render(
        sample(language="zh", result="silver"),
        sample(language="zh", layout=PARTICIPATION, result=None, competitor_name="Anna Schmidt"),
        sample(layout=PARTICIPATION, result=None, competitor_name="Owen Jones", units=()),
        sample(result="medallion", competitor_name="Chloé Martin"),
    ))
    assert "荣誉证书" in pages[0] and "银牌" in pages[0] and "王芳" in pages[0] and "已展现的能力单元" in pages[0]
    assert "2026年5月1日至3日" in pages[0] and "裁判长" in pages[0] and "标准分 812" in pages[0]
    assert "职业能力证书" in pages[1] and "Anna Schmidt" in pages[1] and "参加了" in pages[1]
    assert "Certificate of Participation" in pages[2] and "Owen Jones" in pages[2] and "Units of competence" not in pages[2]
    assert "MEDALLION FOR EXCELLENCE" in pages[3] and "Chloé Martin" in pages[3]


def test_cjk_glyphs_are_embedded_as_a_truetype_subset():
    need_cjk_font()
    reader = PdfReader(io.BytesIO(render(sample())))
    fonts_used = reader.pages[0]["/Resources"]["/Font"]
    embedded = [f.get_object() for f in fonts_used.values() if f.get_object().get("/Subtype") == "/TrueType"]
    assert embedded, "a TrueType (CJK) font is used"
    descriptor = embedded[0]["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor, "glyph outlines embedded"
    assert "+" in str(embedded[0]["/BaseFont"]), "a subset, not the whole font"


def test_missing_cjk_font_falls_back_to_latin_with_a_warning(caplog):
    caplog.set_level(logging.WARNING, logger="competition.certificates.fonts")
    try:
        fallback = fonts.load_fonts("/nowhere/no-such-font.ttc#0")
        assert fallback.cjk is None
        assert "no CJK TrueType font found" in caplog.text and "fonts-wqy-microhei" in caplog.text
        buffer = io.BytesIO()
        from competition.certificates.render import CertificateWriter

        writer = CertificateWriter(buffer, fonts=fallback)
        writer.add(sample(language="zh"))
        writer.close()
        text = pdf_pages_text(buffer.getvalue())[0]
        assert "??" in text and "Guangdong" in text  # Chinese cannot be drawn; Latin still is
    finally:
        fonts.reset_fonts()


def test_qr_code_decodes_to_the_verification_url(tmp_path):
    data = sample()
    path = tmp_path / "one.pdf"
    path.write_bytes(render(data))
    assert decode_qr(path) == data.verify_url


def test_logo_is_drawn_when_configured():
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (120, 60), (31, 95, 191)).save(logo, "PNG")
    assert b"/Subtype /Image" in render(sample(), logo=logo.getvalue())
    assert b"/Subtype /Image" not in render(sample())


def test_token_round_trip_and_any_single_character_change_fails():
    token = make_token("TEST-00001", SECRET)
    assert read_token(token, SECRET) == "TEST-00001"
    assert read_token(token, "another-secret") is None
    alphabet = string.ascii_letters + string.digits + "-_."
    for position, char in enumerate(token):
        for replacement in (alphabet[(alphabet.index(char) + 1) % len(alphabet)], alphabet[(alphabet.index(char) + 7) % len(alphabet)]):
            altered = token[:position] + replacement + token[position + 1:]
            assert read_token(altered, SECRET) is None, f"changed position {position}: {altered}"
    assert read_token(token + "A", SECRET) is None
    assert read_token(token[:-1], SECRET) is None
    assert read_token("", SECRET) is None


INNER_FRAME = 38  # the inner ruled frame of the border, this far from each edge of the page


@pytest.mark.parametrize("language", ["en", "zh"])
def test_long_names_and_many_units_stay_inside_the_page(language, tmp_path):
    """Every word lies inside the border's inner frame; the name is shrunk into its column and
    the units into the central column rather than running past them."""
    need_cjk_font()
    name = "Maximiliane Alexandra von Hohenzollern-Sigmaringen " * 2
    long = sample(language=language, competitor_name=name,
                  units=tuple(f"Unit of competence number {i} with a long name" for i in range(12)))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render(long))
    (width, height), words = word_boxes(pdf)
    assert words
    for text, x0, y0, x1, y1 in words:
        assert INNER_FRAME <= x0 < x1 <= width - INNER_FRAME and INNER_FRAME <= y0 < y1 <= height - INNER_FRAME, (text, x0, y0, x1, y1)

    def within_column(found, column):
        left, right = (width - column) / 2, (width + column) / 2
        return found and all(left - 0.5 <= x0 and x1 <= right + 0.5 for _, x0, _, x1, _ in found)

    name_words = [w for w in words if w[0] in name.split()]
    assert len(name_words) == len(name.split()), "the whole name is written"
    assert within_column(name_words, 560), name_words
    unit_words = [w for w in words if "Unit" in w[0]]
    assert within_column(unit_words, TEXT_WIDTH), unit_words
