"""A CIS marking-scheme spreadsheet becomes a Podium scheme; every problem is reported by row and column first."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from competition.scoring.schemes import parse_scheme
from competition.services.cis_scheme import CisSchemeError, convert
from tests.cis_workbooks import FIRST_ROW, GOOD_ROWS, HEADER, cis_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "scoring_schemes" / "samples" / "cis-marking-scheme.xlsx"


def _problems(rows=GOOD_ROWS, **kwargs) -> list[str]:
    with pytest.raises(CisSchemeError) as caught:
        convert(cis_workbook(rows, **kwargs), code="cnc", name="CNC")
    return [str(p) for p in caught.value.problems]


def test_a_good_spreadsheet_gives_the_expected_aspects(app):
    converted = convert(cis_workbook(), code="cnc", name="CNC Milling")
    scheme = parse_scheme(converted.text, "cnc.toml")
    assert [(c.id, c.name, c.marking_day) for c in scheme.criteria] == [
        ("A", "Work organisation and management", "C1"), ("B", "Dimensional accuracy", "C2")]
    aspects = [(a.id, a.kind, a.method, a.max_mark) for a in scheme.aspects]
    assert aspects == [("A1.1", "measurement", "binary", Decimal("1.5")), ("A1.2", "judgement", None, Decimal(2)),
                       ("B1.1", "measurement", "binary", Decimal(4)), ("B1.2", "measurement", "stepped", Decimal(4))]
    assert scheme.aspect("A1.2").descriptors == ("Cluttered; tools left among chips", "Tools put away at the end", "Orderly throughout",
                                                 "Exemplary 5S")
    assert scheme.aspect("B1.2").steps == (0, 2, 4)
    assert scheme.aspect("A1.1").description == "Safety glasses worn throughout: Checked every hour"
    assert scheme.aspect("B1.1").description == "Outer length (120 ±0.02 mm)"
    assert scheme.max_mark == Decimal("11.5") and converted.notes == []


def test_the_shipped_sample_converts(app):
    scheme = parse_scheme(convert(SAMPLE.read_bytes(), code="sample", name="Sample").text)
    assert len(scheme.aspects) == 4


def test_every_problem_is_reported_by_row_and_column(app):
    rows = list(GOOD_ROWS)
    rows[0] = ("a-1", "", 1, None, None, None, None, None, None, None)  # bad id, no name
    rows[1] = (None, None, None, "X", "", None, None, None, 1, "1,5x")  # bad type, no description, max not a number
    rows[3] = (None, None, None, None, None, 0.5, "Half", None, None, None)  # not a judgement score
    rows[10] = (None, None, None, None, None, 1, "one", None, None, None)
    rows[12] = (None, None, None, None, None, 3, "all", None, None, None)  # steps end at 3, max 4
    problems = _problems(rows)
    first = FIRST_ROW
    assert problems == [
        f"row {first}, column A: sub-criterion id: 'a-1' is not a sub-criterion id such as A1",
        f"row {first}, column B: sub-criterion name: missing: give the sub-criterion a name",
        f"row {first + 1}, column D: aspect type: 'X' is not an aspect type: write M (measurement) or J (judgement)",
        f"row {first + 1}, column E: aspect description: missing: describe what is marked",
        f"row {first + 1}, column J: max mark: not a number",
        f"row {first + 2}, column F: judgement score: a judgement aspect needs a descriptor for each score 0 to 3; missing 0",
        f"row {first + 3}, column F: judgement score: a judgement score is 0, 1, 2 or 3, not 0.5",
        f"row {first + 9}, column J: max mark: the scores below a measurement aspect run from 0 to its max mark 4",
    ]


def test_more_problems_judgement_rows_and_duplicates(app):
    rows = [*GOOD_ROWS, ("A1", "Again", 1, "J", "Twice", None, None, None, 1, 3),
            (None, None, None, None, None, 0, "", None, None, None), (None, None, None, None, None, 0, "zero", None, None, None),
            ("B2", "Empty", 2, None, None, None, None, None, None, None)]
    problems = _problems(rows)
    last = FIRST_ROW + len(GOOD_ROWS)
    assert f"row {last}, column A: sub-criterion id: A1 is already used on row {FIRST_ROW}" in problems
    assert f"row {last + 1}, column G: descriptor: missing: describe the performance that earns this score" in problems
    assert f"row {last + 2}, column F: judgement score: score 0 is listed twice for this aspect" in problems
    assert f"row {last + 3}, column A: sub-criterion id: sub-criterion B2 has no aspects below it" in problems


def test_a_sheet_without_the_columns_or_a_file_that_is_no_workbook(app):
    problems = _problems(header=("ID", "Name", "Mark"))
    assert len(problems) == 1 and problems[0].startswith("No header row found: the sheet needs the columns sub-criterion id")
    with pytest.raises(CisSchemeError) as caught:
        convert(b"not a workbook", code="x", name="X")
    assert "not an XLSX workbook" in str(caught.value.problems[0])


def test_columns_are_found_by_their_headings_in_any_order(app):
    order = [9, 0, 1, 2, 3, 4, 5, 6, 7, 8]  # Max Mark first
    header = tuple(HEADER[i] for i in order)
    rows = [tuple(row[i] for i in order) for row in GOOD_ROWS]
    scheme = parse_scheme(convert(cis_workbook(rows, header=header), code="cnc", name="CNC").text)
    assert [a.max_mark for a in scheme.aspects] == [Decimal("1.5"), Decimal(2), Decimal(4), Decimal(4)]


def test_sub_criteria_of_one_criterion_on_several_days_leave_a_note(app):
    rows = [*GOOD_ROWS, ("A2", "Later", 3, "M", "Clean-up", None, None, None, 1, 1)]
    converted = convert(cis_workbook(rows), code="cnc", name="CNC")
    scheme = parse_scheme(converted.text)
    assert scheme.criterion("A").marking_day is None and scheme.criterion("B").marking_day == "C2"
    assert len(converted.notes) == 1 and "C1, C3" in str(converted.notes[0])


CELLS = st.one_of(st.none(), st.sampled_from(["M", "J", "m", "A1", "B7", "C1", "", " ", "0", "3", "-1", "1e400", "nan", "10", "1,5"]),
                  st.integers(-5, 200), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(changes=[(1, 5, "1e400")])  # finite, but too large to round to two decimals: once an uncaught InvalidOperation
@example(changes=[(2, 9, 4503599627370487.0)])  # a max mark a TOML float cannot hold exactly: once a scheme that did not add up
@given(changes=st.lists(st.tuples(st.integers(0, len(GOOD_ROWS) - 1), st.integers(0, len(HEADER) - 1), CELLS), max_size=6))
def test_random_bad_cells_give_row_problems_or_a_valid_scheme(app, changes):
    rows = [list(row) for row in GOOD_ROWS]
    for row, column, value in changes:
        rows[row][column] = value
    try:
        converted = convert(cis_workbook([tuple(r) for r in rows]), code="fuzz", name="Fuzz")
    except CisSchemeError as err:
        assert err.problems and all(str(p).startswith(("row ", "No ")) for p in err.problems)
        return
    parse_scheme(converted.text, "fuzz.toml")  # a converted scheme always validates


def test_a_max_mark_of_ten_is_written_as_a_plain_number(app):
    rows = [*GOOD_ROWS, ("B2", "Part 2", 2, "M", "Flatness", None, None, None, 5, 10)]
    converted = convert(cis_workbook(rows), code="cnc", name="CNC")
    assert "max = 10\n" in converted.text
    assert parse_scheme(converted.text).aspect("B2.1").max_mark == 10


def test_a_huge_number_is_a_problem_not_a_crash(app):
    rows = list(GOOD_ROWS)
    rows[1] = (None, None, None, "M", "Safety glasses", 1e26, None, None, 1, 1.5)
    assert _problems(rows) == [f"row {FIRST_ROW + 1}, column F: judgement score: too large"]
