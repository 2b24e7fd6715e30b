"""The school years a page's chooser offers: one rule for every page."""

from sro_desk.records.calendar import years_to_offer


def test_this_year_and_the_years_with_records_latest_first():
    assert years_to_offer("2026-2027", ["2024-2025", "2026-2027"]) == ["2026-2027", "2024-2025"]


def test_the_year_shown_and_the_years_around_when_asked():
    assert years_to_offer("2026-2027", [], keep="2019-2020", last=True, next_year=True) == [
        "2027-2028", "2026-2027", "2025-2026", "2019-2020"]
