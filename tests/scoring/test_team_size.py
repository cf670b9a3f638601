"""A scheme's team_size: teams of 2 to 4 members, each problem reported as FILE:LINE: field: problem."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.schemes import TEAM_SIZES, SchemeError, parse_scheme
from tests.factories import TINY_SCHEME


def with_team_size(value: str) -> str:
    """The tiny scheme with ``team_size = value`` on line 5 of the file."""
    return TINY_SCHEME.replace('version = "1"\n', f'version = "1"\nteam_size = {value}\n')


def problems(value: str) -> list[str]:
    with pytest.raises(SchemeError) as failed:
        parse_scheme(with_team_size(value), "team.toml")
    return [str(p) for p in failed.value.problems]


def test_individual_skills_have_no_team_size():
    scheme = parse_scheme(TINY_SCHEME, "tiny.toml")
    assert scheme.team_size is None and not scheme.team_event


def test_a_table_or_a_whole_number_sets_the_size():
    assert parse_scheme(with_team_size("{ min = 2, max = 4 }")).team_size == (2, 4)
    assert parse_scheme(with_team_size("3")).team_event
    assert parse_scheme(with_team_size("3")).team_size == (3, 3)  # exactly three
    table_form = TINY_SCHEME.replace("[[criterion]]", "[scheme.team_size]\nmin = 2\nmax = 3\n\n[[criterion]]", 1)
    assert parse_scheme(table_form).team_size == (2, 3)


@pytest.mark.parametrize(("value", "expected"), [
    ("{ min = 1, max = 4 }", "team.toml:5: scheme.team_size.min: must be a whole number between 2 and 4, not 1"),
    ("{ min = 2, max = 5 }", "team.toml:5: scheme.team_size.max: must be a whole number between 2 and 4, not 5"),
    ("{ min = 2.5, max = 3 }", "team.toml:5: scheme.team_size.min: must be a whole number between 2 and 4, not 2.5"),
    ("{ min = 4, max = 2 }", "team.toml:5: scheme.team_size: min (4) is more than max (2)"),
    ("{ min = 2 }", "team.toml:5: scheme.team_size: max is missing; give both, e.g. team_size = { min = 2, max = 4 }"),
    ("{ min = 2, max = 3, size = 3 }", "team.toml:5: scheme.team_size.size: unknown key in team_size; allowed: min, max"),
    ('"pairs"', "team.toml:5: scheme.team_size: must be a table of members per team"),
    ("7", "team.toml:5: scheme.team_size: must be a whole number between 2 and 4, not 7"),
    ("true", "team.toml:5: scheme.team_size: must be a table of members per team"),
])
def test_bad_sizes_name_file_line_and_field(value, expected):
    found = problems(value)
    assert any(p.startswith(expected) for p in found), found


@given(st.integers(-3, 8), st.integers(-3, 8))
def test_a_size_loads_exactly_when_it_lies_within_two_to_four(low, high):
    text = with_team_size(f"{{ min = {low}, max = {high} }}")
    valid = TEAM_SIZES[0] <= low <= high <= TEAM_SIZES[1]
    if valid:
        assert parse_scheme(text).team_size == (low, high)
    else:
        with pytest.raises(SchemeError):
            parse_scheme(text)
