"""School years: July 1 to June 30, written like 2025-2026."""

from datetime import date

import pytest

from sro_desk.records.calendar import (
    parse_school_year,
    previous_school_year,
    school_year_bounds,
    school_year_of,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 6, 30), "2025-2026"),
        (date(2026, 7, 1), "2026-2027"),
        (date(2026, 11, 22), "2026-2027"),
        (date(2027, 1, 1), "2026-2027"),
    ],
)
def test_school_year_of(day, year):
    assert school_year_of(day) == year


def test_previous_and_bounds():
    assert previous_school_year("2026-2027") == "2025-2026"
    assert school_year_bounds("2025-2026") == (date(2025, 7, 1), date(2026, 6, 30))


@pytest.mark.parametrize("bad", ["2025", "2025-2027", "25-26", "next year"])
def test_bad_school_years_get_a_sentence(bad):
    with pytest.raises(ValueError) as caught:
        parse_school_year(bad)
    assert "write it like 2025-2026" in str(caught.value)


def test_a_school_year_starting_in_september():
    assert school_year_of(date(2026, 8, 31), starts_month=9) == "2025-2026"
    assert school_year_of(date(2026, 9, 1), starts_month=9) == "2026-2027"
    assert school_year_bounds("2026-2027", starts_month=9) == (date(2026, 9, 1), date(2027, 8, 31))
