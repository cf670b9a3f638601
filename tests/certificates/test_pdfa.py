"""Every PDF Podium prints is an archival record: PDF/A-2b, every font embedded.

Each kind of PDF (certificates in English and Chinese, result sheets, sign-in cards, paper
marking forms) is drawn from plain data and read back with pypdf: every font, including the
descendant fonts of a Type0 font and the fonts of form XObjects, carries its glyphs; the XMP
metadata names PDF/A-2 level B and agrees with the Info dictionary; an sRGB output intent is
there. Poppler then reads and draws the certificate's title as one word.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from competition.certificates.cards import SignInCard, write_cards
from competition.certificates.content import MEDAL, PARTICIPATION, CertificateData
from competition.certificates.paper_forms import FormAspect, FormCopy, FormSection, MarkingForms, draw_marking_forms
from competition.certificates.render import write_certificates
from competition.certificates.result_sheet import Part, ResultSheet, SheetRow, Signatory, draw_result_sheet
from competition.certificates.tokens import verify_url
from tests.certificates.helpers import need_cjk_font, need_tool, word_boxes

XMP_PDFA = "http://www.aiim.org/pdfa/ns/id/"


def certificate(language: str, **overrides) -> CertificateData:
    values = dict(
        number="TEST-00001", verify_url=verify_url("https://results.example.org", "TEST-00001", "test-secret"), language=language,
        layout=MEDAL, competitor_name="王芳", organisation="Guangdong 广东", skill_name="CNC Milling", event_name="Test Championship",
        place="Hall 1", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 3), result="gold", standardised=812,
        units=("Work organisation and management", "Programming"), chief_expert="Maria Keller", organiser="Olivia Grant",
    )
    values.update(overrides)
    return CertificateData(**values)


def certificates(language: str) -> bytes:
    out = io.BytesIO()
    logo = io.BytesIO()
    Image.new("RGBA", (120, 60), (31, 95, 191, 128)).save(logo, "PNG")  # a logo with an alpha channel: a soft mask
    write_certificates([certificate(language), certificate(language, layout=PARTICIPATION, result=None, competitor_name="Chloé Martin")],
                       out, logo=logo.getvalue())
    return out.getvalue()


def result_sheet(language: str, provisional: bool) -> bytes:
    out = io.BytesIO()
    draw_result_sheet(ResultSheet(
        language=language, event_name="Test Championship", skill_name="CNC Milling", dates="1–3 May 2026", place="Hall 1",
        made_at="2026-05-03 17:00", provisional=provisional, names_hidden=False,
        criteria=(Part("A", "Accuracy", "40.00"), Part("B", "Finish", "60.00")), modules=(),
        rows=(SheetRow("1", "T-01", "王芳", "Guangdong 广东", ("38.00", "51.00"), (), "89.00", "812", "Gold"),
              SheetRow("2", "T-02", "Anna Schmidt", "Bavaria", ("30.00", "40.00"), (), "70.00", "640", "")),
        signatories=(Signatory("Chief Expert", "Maria Keller"),), digest="ab" * 32,
        verify_url="https://results.example.org/r/abc", total_max="100.00",
    ), out)
    return out.getvalue()


def cards() -> bytes:
    return write_cards([SignInCard(name="王芳", username="judge-a1", skill="CNC Milling", event="Test Championship",
                                   url="https://results.example.org/t/abc", title="Sign-in card", username_label="User name",
                                   scan_label="Scan once with the tablet to sign in"),
                        SignInCard(name="Anna Schmidt", username="judge-a2", skill="数控铣", event="Test Championship",
                                   url="https://results.example.org/t/def", title="登录卡", username_label="用户名",
                                   scan_label="用平板扫描一次即可登录")])


def marking_forms(language: str) -> bytes:
    out = io.BytesIO()
    aspects = (FormAspect("A1.1", "Dimensions within tolerance", "M", "2.00", "Yes / No"),
               FormAspect("A1.2", "表面光洁度", "J", "3.00", "0–3", ("0 — poor", "3 — excellent")))
    draw_marking_forms(MarkingForms(
        language=language, event_name="Test Championship", skill_name="CNC Milling", dates="1–3 May 2026",
        sections=(FormSection("A", "Accuracy", "5.00", aspects),), copies=(FormCopy("T-01 王芳", "Maria Keller"), FormCopy("", "")),
    ), out)
    return out.getvalue()


DOCUMENTS = {
    "certificates-en": lambda: certificates("en"),
    "certificates-zh": lambda: certificates("zh"),
    "result-sheet-en-provisional": lambda: result_sheet("en", True),
    "result-sheet-zh": lambda: result_sheet("zh", False),
    "sign-in-cards": cards,
    "marking-forms-en": lambda: marking_forms("en"),
    "marking-forms-zh": lambda: marking_forms("zh"),
}


def xmp_property(xmp: str, namespace: str, name: str) -> str | None:
    """A simple XMP property, written either as an element or as an attribute of rdf:Description."""
    tree = ElementTree.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.index("</x:xmpmeta>") + len("</x:xmpmeta>")])
    for element in tree.iter():
        if element.tag == f"{{{namespace}}}{name}":
            return (element.text or "").strip()
        if f"{{{namespace}}}{name}" in element.attrib:
            return element.attrib[f"{{{namespace}}}{name}"]
    return None


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def fonts_of(reader: PdfReader) -> list[dict]:
    """Every font the document's pages use, through form XObjects and Type0 descendants."""
    found, seen = [], set()

    def visit_resources(resources) -> None:
        resources = _resolve(resources) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            found.append(font)
            for descendant in _resolve(font.get("/DescendantFonts")) or []:
                found.append(_resolve(descendant))
        for ref in (_resolve(resources.get("/XObject")) or {}).values():
            key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
            xobject = _resolve(ref)
            if key in seen or xobject.get("/Subtype") != "/Form":
                continue
            seen.add(key)
            visit_resources(xobject.get("/Resources"))

    for page in reader.pages:
        visit_resources(page.get("/Resources"))
    return found


@pytest.fixture(scope="module", params=sorted(DOCUMENTS))
def document(request) -> tuple[str, bytes]:
    need_cjk_font()
    return request.param, DOCUMENTS[request.param]()


def test_every_font_of_every_kind_of_pdf_is_embedded(document):
    name, data = document
    fonts = fonts_of(PdfReader(io.BytesIO(data)))
    assert fonts, f"{name}: no fonts found"
    for font in fonts:
        if font.get("/Subtype") == "/Type0":
            continue  # its descendants are checked in their own right
        descriptor = _resolve(font.get("/FontDescriptor"))
        assert descriptor is not None, f"{name}: {font.get('/BaseFont')} has no font descriptor (a base-14 font, not embedded)"
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name}: {font.get('/BaseFont')} is not embedded"
    assert b"STSong" not in data and b"/Helvetica" not in data and b"/Times-" not in data and b"/Courier" not in data


def test_every_kind_of_pdf_identifies_itself_as_pdfa_2b(document):
    name, data = document
    reader = PdfReader(io.BytesIO(data))
    assert not reader.is_encrypted
    assert reader.trailer.get("/ID") and len(reader.trailer["/ID"]) == 2, f"{name}: no document ID"
    root = reader.trailer["/Root"]
    metadata = _resolve(root.get("/Metadata"))
    assert metadata is not None, f"{name}: no XMP metadata"
    assert "/Filter" not in metadata, "PDF/A: the metadata stream is not compressed"
    xmp = metadata.get_data().decode("utf-8")
    assert xmp_property(xmp, XMP_PDFA, "part") == "2", f"{name}: pdfaid:part is not 2"
    assert xmp_property(xmp, XMP_PDFA, "conformance") == "B", f"{name}: pdfaid:conformance is not B"
    info = reader.metadata
    assert info.title and info.title in xmp, f"{name}: dc:title differs from the Info title"
    assert info.author and info.author in xmp and info.creator in xmp
    intents = [_resolve(i) for i in _resolve(root.get("/OutputIntents")) or []]
    assert [i.get("/S") for i in intents] == ["/GTS_PDFA1"], f"{name}: no PDF/A output intent"
    profile = _resolve(intents[0]["/DestOutputProfile"])
    icc = profile.get_data()
    assert profile["/N"] == 3 and icc[12:20] == b"mntrRGB " and icc[36:40] == b"acsp", "an RGB display ICC profile"


def test_the_chinese_pdfs_say_their_language(document):
    name, data = document
    lang = PdfReader(io.BytesIO(data)).trailer["/Root"].get("/Lang")
    if name.endswith("-zh"):
        assert lang == "zh-CN"


@pytest.mark.parametrize("language, title", [("en", "Certificate of Achievement"), ("zh", "荣誉证书")])
def test_poppler_reads_the_title_unbroken(language, title, tmp_path):
    need_cjk_font()
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificates(language))
    text = subprocess.run([need_tool("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert title in text.splitlines()


def _letter_gaps(pdf: Path, word: str) -> list[float]:
    """The blank columns (in points) between the inked letters of ``word`` as poppler draws page 1."""
    (width, _), words = word_boxes(pdf)
    x0, y0, x1, y1 = next(box for text, *box in words if text == word)
    scale = 2
    prefix = pdf.with_name("title")
    subprocess.run([need_tool("pdftoppm"), "-png", "-r", str(72 * scale), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True)
    image = Image.open(prefix.with_suffix(".png")).convert("L")
    band = image.crop((int(x0 * scale) - 10, int(y0 * scale), int(x1 * scale) + 10, int(y1 * scale)))
    pixels = band.load()
    inked = [any(pixels[x, y] < 128 for y in range(band.height)) for x in range(band.width)]
    first, last = inked.index(True), len(inked) - 1 - inked[::-1].index(True)
    gaps, run = [], 0
    for x in range(first, last + 1):
        if inked[x]:
            if run:
                gaps.append(run / scale)
            run = 0
        else:
            run += 1
    return gaps


def test_poppler_draws_certificate_as_one_word(tmp_path):
    """Without its own font the title was drawn in a stand-in face, placed by the metrics of
    another: "C ertificate". With the font embedded no gap stands out from the others."""
    need_cjk_font()
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificates("en"))
    gaps = _letter_gaps(pdf, "Certificate")
    assert len(gaps) >= 8, gaps
    typical = sorted(gaps)[len(gaps) // 2]
    assert max(gaps) <= 3 * typical, f"a gap inside the word stands out: {gaps}"
