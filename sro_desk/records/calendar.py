"""School years and the dates the program's obligations hang on."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

#: A Massachusetts school (and fiscal) year runs from July 1 to June 30.
YEAR_STARTS_MONTH = 7

_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
#: The school years a district's records can belong to (SRO programs, and the
#: records SRO Desk keeps, begin long after 1980; 2100 is far enough ahead).
FIRST_YEAR, LAST_YEAR = 1980, 2099


def school_year_of(day: date, *, starts_month: int = YEAR_STARTS_MONTH) -> str:
    """The school year a day falls in, written like 2025-2026 (named by the calendar
    years it spans; a year starting in January is written 2026-2027 all the same)."""
    first = day.year if day.month >= starts_month else day.year - 1
    return f"{first}-{first + 1}"


def previous_school_year(year: str) -> str:
    """The school year before ``year``."""
    first, _ = parse_school_year(year)
    return f"{first - 1}-{first}"


def parse_school_year(year: str) -> tuple[int, int]:
    """(2025, 2026) for '2025-2026'; ValueError with a plain sentence otherwise."""
    match = _YEAR.match(year.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"'{year}' is not a school year; write it like 2025-2026.")
    if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise ValueError(f"{year.strip()} is outside the school years SRO Desk keeps ({FIRST_YEAR}-{FIRST_YEAR + 1} "
                         f"to {LAST_YEAR}-{LAST_YEAR + 1}); check the year.")
    return int(match[1]), int(match[2])


def school_year_bounds(year: str, *, starts_month: int = YEAR_STARTS_MONTH) -> tuple[date, date]:
    """First and last day of a school year (by default July 1 to June 30)."""
    first, _ = parse_school_year(year)
    start = date(first, starts_month, 1)
    next_start = date(first + 1, starts_month, 1)
    return start, date.fromordinal(next_start.toordinal() - 1)


def years_in_read(table: str) -> tuple[str, tuple, tuple[str, ...]]:
    """The read of the school years with rows in ``table`` (one with an index starting on
    school_year), latest first: each year found by one step down the index (a skip scan)
    rather than by walking every row's index entry as SELECT DISTINCT does."""
    return (
        f"WITH RECURSIVE y(v) AS (SELECT max(school_year) FROM [{table}] "
        f"UNION ALL SELECT (SELECT max(school_year) FROM [{table}] WHERE school_year < y.v) "
        "FROM y WHERE v IS NOT NULL) "
        "SELECT v AS school_year FROM y WHERE v IS NOT NULL ORDER BY school_year DESC",
        (),
        ("school_year",),
    )


def years_to_offer(this_year: str, known: Iterable[str] = (), *, keep: str = "",
                   last: bool = False, next_year: bool = False) -> list[str]:
    """The school years a page's chooser offers, latest first: this one, those with records
    (``known``), the one being shown (``keep``), and when asked the year before (to look
    back) and the year after (to plan it)."""
    first, _ = parse_school_year(this_year)
    years = {this_year, *known}
    if keep:
        years.add(keep)
    if last:
        years.add(previous_school_year(this_year))
    if next_year:
        years.add(f"{first + 1}-{first + 2}")
    return sorted((y for y in years if y), reverse=True)
