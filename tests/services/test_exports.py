"""Exports of standings and raw marks: the round trip through the scoring core on the demo's
data, CSV's byte-order mark and formula neutralisation, typed XLSX, the JSON documents."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from competition.extensions import db
from competition.models import Competitor
from competition.scoring.numbers import api_decimal
from competition.scoring.standings import compute_standings
from competition.services import effects
from competition.services.export_formats import DANGEROUS, csv_cell, neutralise, restore
from competition.services.export_tables import COMPETITOR_COLUMNS, DECIMAL
from competition.services.exports import FORMAT_VERSION, export_marks, export_standings
from tests.factories import cheap_passwords, mark, tiny_event


@pytest.fixture(autouse=True)
def _cheap_passwords():
    with cheap_passwords():
        yield

# -- reading an export back, whatever its format -----------------------------------------


def _csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]


def _xlsx_rows(data: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _whole(value) -> int | None:
    return None if value in (None, "") else int(value)


def _flag(value) -> bool:
    return value in (True, "true")


def read_export(event, fmt: str) -> tuple[list[dict], list[dict]]:
    """(standings rows, current marks) as plain values, read from the export files of ``fmt``."""
    standings, marks = io.BytesIO(), io.BytesIO()
    export_standings(event, standings, fmt)
    export_marks(event, marks, fmt)
    if fmt == "json":
        s_doc, m_doc = json.loads(standings.getvalue()), json.loads(marks.getvalue())
        rows = [dict(r, total=_number(r["total"]), criteria={k: _number(v) for k, v in r["criteria"].items()})
                for skill in s_doc["skills"] for r in skill["standings"]]
        current = [dict(m, value=Decimal(m["value"])) for skill in m_doc["skills"] for m in skill["marks"]]
        return rows, current
    read = _csv_rows if fmt == "csv" else _xlsx_rows
    rows = []
    for r in read(standings.getvalue()):
        rows.append({"skill": r["skill"], "code": r["code"], "organisation": r["organisation"] or "", "total": _number(r["total"]),
                     "rank": _whole(r["rank"]), "standardised": _whole(r["standardised"]),
                     "awards": [a for a in (r["awards"] or "").split(";") if a], "in_marking": _flag(r["in_marking"]),
                     "criteria": {k.removeprefix("criterion_"): _number(v) for k, v in r.items()
                                  if k.startswith("criterion_") and v not in (None, "")}})
    current = [{"skill": r["skill"], "competitor": r["competitor"], "judge": r["judge"], "aspect": r["aspect"],
                "value": Decimal(str(r["value"]))}
               for r in read(marks.getvalue()) if _flag(r["current"])]
    return rows, current


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_raw_marks_from_the_export_recomputed_by_the_scoring_core_give_the_exported_standings(demo_event, fmt):
    standings, marks = read_export(demo_event, fmt)
    assert marks and standings
    for skill in demo_event.skills:
        rows = {r["code"]: r for r in standings if r["skill"] == skill.code}
        entries = {code: defaultdict(list) for code in rows}
        for m in marks:
            if m["skill"] == skill.code:
                entries[m["competitor"]][m["aspect"]].append(m["value"])
        organisations = {code: r["organisation"] for code, r in rows.items() if r["organisation"]}
        recomputed = compute_standings(skill.scheme, entries, organisations=organisations)
        assert len(recomputed) == len(rows) == len(skill.competitors)
        for standing in recomputed:
            row = rows[standing.competitor]
            what = f"{fmt} {skill.code} {standing.competitor}"
            assert row["total"] == Decimal(api_decimal(standing.result.total)), what
            assert row["rank"] == standing.rank, what
            assert row["standardised"] == standing.standardised, what
            assert list(row["awards"]) == list(standing.awards), what
            assert row["in_marking"] == standing.in_marking, what
            assert row["criteria"] == {k: Decimal(api_decimal(v)) for k, v in standing.result.criteria.items()}, what


# -- CSV -----------------------------------------------------------------------------------


def test_csv_starts_with_a_byte_order_mark_and_keeps_chinese_names(app, tmp_path):
    setup = tiny_event(tmp_path)
    out = io.BytesIO()
    export_standings(setup["event"], out, "csv")
    data = out.getvalue()
    assert data[:3] == b"\xef\xbb\xbf"
    text = data.decode("utf-8-sig")
    assert "王芳" in text
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header[: len(COMPETITOR_COLUMNS)]) == COMPETITOR_COLUMNS
    assert header[len(COMPETITOR_COLUMNS):len(COMPETITOR_COLUMNS) + 2] == ["rank", "total"]


BAD = {"T-01": "=HYPERLINK(\"http://x\",\"y\")", "T-02": "+1+cmd|' /C calc'!A0", "T-03": "-2+3", "T-04": "@SUM(A1)",
       "T-05": "\tTabbed", "T-06": "\rReturn"}


def test_csv_cells_that_could_start_a_formula_are_neutralised_with_an_apostrophe(app, tmp_path):
    setup = tiny_event(tmp_path, competitors=[(code, name, "-Org") for code, name in BAD.items()])
    out = io.BytesIO()
    export_standings(setup["event"], out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert {r["code"]: r["name"] for r in rows} == {code: "'" + name for code, name in BAD.items()}
    assert {r["organisation"] for r in rows} == {"'-Org"}
    assert all(restore(r["name"]) == BAD[r["code"]] for r in rows)


def test_neutralisation_touches_text_only_and_leaves_negative_numbers_numbers():
    assert all(neutralise(f"{c}x") == f"'{c}x" for c in DANGEROUS)
    assert neutralise("Owen Jones") == "Owen Jones" and neutralise("'=already") == "'=already"
    assert csv_cell(Decimal("-2"), DECIMAL) == "-2.00"  # a number stays a number a spreadsheet adds up
    assert csv_cell("-2", "text") == "'-2"  # the same characters as text are neutralised


# -- XLSX ----------------------------------------------------------------------------------


def test_xlsx_has_typed_numbers_a_frozen_header_widths_and_no_formulas(app, tmp_path):
    setup = tiny_event(tmp_path, competitors=[("T-01", "=1+1", "Wales"), ("T-02", "Anna Schmidt", "Bavaria")])
    judges, skill = setup["judges"], setup["skill"]
    t1 = skill.competitors[0]
    for judge in judges:
        mark(judge, t1, "B1.1", 2)
    out = io.BytesIO()
    export_standings(setup["event"], out, "xlsx")
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 20  # name
    row = {h: c for h, c in zip(header, sheet[2])}
    assert row["name"].value == "=1+1" and row["name"].data_type == "s"  # text, never a formula
    assert isinstance(row["total"].value, (int, float)) and row["total"].value == 2
    assert row["total"].number_format == "0.00"
    assert isinstance(row["in_marking"].value, bool)
    marks = io.BytesIO()
    export_marks(setup["event"], marks, "xlsx")
    msheet = load_workbook(io.BytesIO(marks.getvalue())).active
    mrow = dict(zip([c.value for c in msheet[1]], [c.value for c in msheet[2]]))
    assert isinstance(mrow["value"], (int, float)) and isinstance(mrow["entered_at"], dt.datetime)


# -- JSON and the revision history -------------------------------------------------------

STANDINGS_ROW = {"external_id": str, "skill": str, "code": str, "name": str, "organisation": str, "entry_number": str, "members": list,
                 "rank": (int, type(None)), "total": str, "criteria": dict, "modules": dict, "module_scores": dict,
                 "standardised": (int, type(None)), "awards": list, "in_marking": bool, "locked": bool}
MARK = {"skill": str, "competitor": str, "judge": str, "aspect": str, "value": str, "version": int, "entered_at": str, "revisions": list}
REVISION = {"revision": int, "old_value": (str, type(None)), "value": str, "version": int, "at": str, "by": str, "device": str, "ip": str,
            "reason": str}


def _shaped(item: dict, shape: dict) -> None:
    assert set(item) == set(shape), set(item) ^ set(shape)
    for key, kind in shape.items():
        assert isinstance(item[key], kind), (key, item[key])


def test_json_documents_have_their_documented_shape_and_format_version(demo_event):
    standings, marks = io.BytesIO(), io.BytesIO()
    export_standings(demo_event, standings, "json")
    export_marks(demo_event, marks, "json")
    s_doc, m_doc = json.loads(standings.getvalue()), json.loads(marks.getvalue())
    assert (s_doc["format"], s_doc["version"], m_doc["format"], m_doc["version"]) == ("podium.standings", FORMAT_VERSION, "podium.marks",
                                                                                    FORMAT_VERSION)
    assert s_doc["event"] == {"code": demo_event.code, "name": demo_event.name}
    for skill in s_doc["skills"]:
        assert {"code", "name", "scheme", "provisional", "max", "criteria", "modules", "standings"} <= set(skill)
        for row in skill["standings"]:
            _shaped(row, STANDINGS_ROW)
            assert all(len(v.split(".")[1]) == 2 for v in (row["total"], *row["criteria"].values()))
    for skill in m_doc["skills"]:
        for m in skill["marks"]:
            _shaped(m, MARK)
            dt.datetime.fromisoformat(m["entered_at"])
            for revision in m["revisions"]:
                _shaped(revision, REVISION)


def test_every_revision_of_a_mark_is_exported_oldest_first_with_who_when_device_and_reason(app, tmp_path):
    setup = tiny_event(tmp_path)
    judge, skill = setup["judges"][0], setup["skill"]
    competitor = db.session.get(Competitor, skill.competitors[1].id)
    mark(judge, competitor, "B1.1", 1, device="tablet 3")
    mark(judge, competitor, "B1.1", 3, device="tablet 3", base_version=1)
    effects.commit()
    out = io.BytesIO()
    assert export_marks(setup["event"], out, "csv") == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [(r["revision"], r["revision_old_value"], r["revision_value"], r["current"]) for r in rows] == [
        ("1", "", "1.00", "false"), ("2", "1.00", "3.00", "true")]
    assert {(r["value"], r["version"], r["judge"], r["revision_by"], r["device"]) for r in rows} == {
        ("3.00", "2", "judge1", "judge1", "tablet 3")}
    out = io.BytesIO()
    export_marks(setup["event"], out, "json")
    (m,) = json.loads(out.getvalue())["skills"][0]["marks"]
    assert [(r["revision"], r["value"]) for r in m["revisions"]] == [(1, "1.00"), (2, "3.00")]


def test_progress_is_told_once_per_skill(demo_event):
    calls = []
    export_standings(demo_event, io.BytesIO(), "csv", progress=lambda done, total: calls.append((done, total)))
    count = len(demo_event.skills)
    assert calls == [(i, count) for i in range(count + 1)]


def test_an_export_writes_to_a_path(app, tmp_path):
    setup = tiny_event(tmp_path)
    path = tmp_path / "out" / "standings.json"
    assert export_standings(setup["event"], path, "json") == 3
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "podium.standings"
