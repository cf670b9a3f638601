"""The one number formatter: marks and entries as people read them, and the API's two decimals."""

from decimal import Decimal as D

import pytest

from competition.scoring.entries import entry_text
from competition.scoring.numbers import api_decimal, plain


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1.5"), "1.5"),
        (D("1.50"), "1.5"),  # as stored in a Numeric(8, 2) column: the same text as the listed step 1.5
        (D("10"), "10"),
        (D("10.00"), "10"),
        (D("1E+1"), "10"),  # never an exponent
        (D("0.05"), "0.05"),
        (D("0.050"), "0.05"),
        (D("100"), "100"),
        (D("100.00"), "100"),
        (D("0.00"), "0"),
        (D("-0"), "0"),
        (D("2.25"), "2.25"),
        (3, "3"),
        (0.1, "0.1"),  # a float by its shortest repr, not 0.1000000000000000055…
        ("1.50", "1.5"),
        (None, "–"),
    ],
)
def test_plain(value, text):
    assert plain(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("12.5"), "12.50"),
        (D("1.5"), "1.50"),
        (D("1.50"), "1.50"),
        (D("10"), "10.00"),
        (D("1E+1"), "10.00"),
        (D("0.05"), "0.05"),
        (D("100"), "100.00"),
        (D("2.345"), "2.35"),  # rounded as marks are: half away from zero
        (D("-0.00"), "0.00"),
        (7, "7.00"),
    ],
)
def test_api_decimal(value, text):
    assert api_decimal(value) == text


@pytest.mark.parametrize(("value", "text"), [("10.00", "10"), ("20", "20"), ("0.00", "0"), ("3", "3"), ("1.50", "1.5"), ("0.25", "0.25")])
def test_entries_are_written_back_as_people_write_them(value, text):
    assert entry_text(D(value)) == text == plain(D(value))
