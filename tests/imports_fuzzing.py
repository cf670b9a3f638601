"""Files for fuzzing imports: lists of mostly good cells with bad ones, missing, extra and
repeated columns, short rows, three encodings, and now and then bytes that are no list at all."""

from __future__ import annotations

import csv
import io

from hypothesis import strategies as st
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, Competitor, Organisation, SkillRole, TeamMember, User
from competition.services.imports import columns

# Values of each column, mostly good (the first ones), some bad.
GOOD = {
    "external_id": ["", "o1", "x-7", "42", "o1"],
    "code": ["GD", "T-21", "W1", "K9", "T-01", ""],
    "name": ["广东", "Wales", "Rhys Jones", "王芳", "Ann", ""],
    "colour": ["", "", "#0067A5", "#abcdef", "red"],
    "skill": ["tiny", "tiny", "TINY", "mechatronics", "knitting"],
    "organisation": ["Guangdong", "GD", "Wales", "", "Narnia"],
    "entry_number": ["", "001", "J-7"],
    "username": ["judge1", "judge9", "new.judge", "chief", "organiser", "bad name"],
    "language": ["", "en", "zh", "fr"],
    "role": ["judge", "judge", "裁判", "chief_expert", "裁判长", "boss"],
    **{f"member{n}_name": ["", "", "", "Ann", "李娜"] for n in range(1, 5)},
    **{f"member{n}_organisation": ["", "", "Wales", "Narnia"] for n in range(1, 5)},
}
cell_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def files(draw, kind):
    if draw(st.integers(0, 14)) == 14:  # not a list at all
        return draw(st.binary(max_size=300)), draw(st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f"]))
    names = [c.name for c in columns(kind)]
    header = [n for n in names if draw(st.integers(0, 11)) < 11]  # now and then a column is missing
    header += draw(st.lists(st.sampled_from(["notes", "Comment", "备注", names[0]]), max_size=2, unique=True))  # extra ones, a column twice
    header = draw(st.permutations(header))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row = [draw(st.sampled_from(GOOD.get(name, [""]))) if draw(st.integers(0, 9)) < 9 else draw(cell_text) for name in header]
        rows.append(row[:draw(st.integers(0, len(row)))] if draw(st.integers(0, 14)) == 14 else row)  # a short row
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "xlsx"]))
    if encoding == "xlsx":
        workbook = _xlsx([header, *rows])
        if workbook is not None:
            return workbook, "list.xlsx"
        encoding = "utf-8"
    return out.getvalue().encode(encoding), "list.csv"


def _xlsx(rows: list[list[str]]) -> bytes | None:
    """The rows as a workbook's first sheet (None when a cell holds a character XLSX cannot)."""
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    try:
        for row in rows:
            book.active.append(row)
    except IllegalCharacterError:
        return None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def state():
    db.session.expire_all()
    return [sorted(tuple(str(v) for v in row) for row in db.session.execute(select(*model.__table__.columns)).all())
            for model in (Organisation, Competitor, TeamMember, User, SkillRole, AuditEntry)]
