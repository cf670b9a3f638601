"""Making every PDF Podium prints a PDF/A-2b file: a record of recognition that any reader can
still show as it was printed years later.

ReportLab draws the pages (with embedded TrueType fonts only, see :mod:`.fonts`); pikepdf then
adds what PDF/A-2b asks of the document as a whole: XMP metadata that identifies the file as
PDF/A-2 level B and repeats the title, author, creator tool and dates of the Info dictionary;
an output intent with the sRGB profile shipped in ``assets/`` (every colour is DeviceRGB); the
document's language. ReportLab already writes a document ID and never encrypts.
"""

from __future__ import annotations

import io
from functools import cache
from os import PathLike, fspath
from typing import BinaryIO

import pikepdf

from competition.certificates.fonts import ASSETS

AUTHOR = "Podium"
SRGB = "sRGB IEC61966-2.1"
LANGUAGES = {"zh": "zh-CN", "en": "en"}


@cache
def _srgb_profile() -> bytes:
    return (ASSETS / "sRGB.icc").read_bytes()


def _output_intent(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    profile = pikepdf.Stream(pdf, _srgb_profile())
    profile["/N"] = 3
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=SRGB, Info=SRGB,
        RegistryName="http://www.color.org", DestOutputProfile=pdf.make_indirect(profile),
    )


def save_archival(pdf_bytes: bytes, out: str | PathLike | BinaryIO, *, language: str | None = None, author: str = AUTHOR) -> None:
    """Write the PDF ``pdf_bytes`` (as ReportLab made it) to ``out`` as PDF/A-2b."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        info = pdf.docinfo
        for key, placeholder in (("/Trapped", None), ("/Keywords", ""), ("/Subject", "unspecified")):  # ReportLab's, not facts
            if key in info and (placeholder is None or str(info[key]) == placeholder):
                del info[key]
        info["/Author"] = author
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(info)
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf)])
        if language:
            pdf.Root.Lang = pikepdf.String(LANGUAGES.get(language, language))
        pdf.save(fspath(out) if isinstance(out, (str, PathLike)) else out)
