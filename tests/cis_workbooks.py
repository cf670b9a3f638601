"""CIS marking-scheme spreadsheets for the tests, laid out as the CIS "Marking Scheme Import" sheet.

``python -m tests.cis_workbooks`` writes the sample shipped at
``scoring_schemes/samples/cis-marking-scheme.xlsx``.
"""

from __future__ import annotations

import io
from pathlib import Path

HEADER = ("Sub Criterion ID", "Sub Criterion Name or Description", "Day of Marking", "Aspect Type\nM = Meas\nJ = Judg",
          "Aspect - Description", "Judg Score", "Extra Aspect Description (Meas or Judg) OR Judgement Score Description (Judg only)",
          "Requirement or Nominal Size (Measurement Only)", "WSSS Section", "Max Mark")

CRITERIA = (("Criteria ID", "Name"), ("A", "Work organisation and management"), ("B", "Dimensional accuracy"))

# (sub id, sub name, day, type, description, score, extra, requirement, WSSS, max)
GOOD_ROWS = (
    ("A1", "Health and safety", 1, None, None, None, None, None, None, None),
    (None, None, None, "M", "Safety glasses worn throughout", None, "Checked every hour", None, 1, 1.5),
    (None, None, None, "J", "Workplace kept organised", None, None, None, 1, 2),
    (None, None, None, None, None, 0, "Cluttered; tools left among chips", None, None, None),
    (None, None, None, None, None, 1, "Tools put away at the end", None, None, None),
    (None, None, None, None, None, 2, "Orderly throughout", None, None, None),
    (None, None, None, None, None, 3, "Exemplary 5S", None, None, None),
    ("B1", "Part 1 - housing", 2, None, None, None, None, None, None, None),
    (None, None, None, "M", "Outer length", None, None, "120 ±0.02 mm", 5, 4),
    (None, None, None, "M", "Hole pattern on PCD 80", None, None, None, 5, 4),
    (None, None, None, None, None, 0, "two or more out", None, None, None),
    (None, None, None, None, None, 2, "one out", None, None, None),
    (None, None, None, None, None, 4, "all in tolerance", None, None, None),
)


def cis_workbook(rows=GOOD_ROWS, *, criteria=CRITERIA, header=HEADER, title="CNC Milling - Marking Scheme") -> bytes:
    """An XLSX as CIS exports a marking scheme: title, criteria table, header, then the rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "CIS Marking Scheme Import"
    sheet.append((title,))
    sheet.append(())
    for row in criteria:
        sheet.append(row)
    sheet.append(())
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FIRST_ROW = len(CRITERIA) + 5  # the spreadsheet row of GOOD_ROWS[0]

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "scoring_schemes" / "samples" / "cis-marking-scheme.xlsx"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(cis_workbook())
    print(target)
