"""The Review page raises records that put the SRO on lunch, cafeteria, hall, bus or
substitute duty (the state's model agreement rules them out; a model, not a statute)."""

from __future__ import annotations

from datetime import date

from sro_desk.records import meetings as mt
from sro_desk.records.calendar import previous_school_year
from sro_desk.records.settings import current_school_year
from sro_desk.records.sro_duties import SOURCE_NOTE
from tests.ui import test_review_page

#: The Review page's own fixtures: the page over a fresh demo file.
demo_db, page = test_review_page.demo_db, test_review_page.page


def test_the_demos_lunch_duty_minutes_show_on_the_review(page):
    last = previous_school_year(current_school_year(page.data_file))
    page.choose_year(last)
    first = int(last[:4])
    assert page.duties.isVisibleTo(page)
    lines = page.duties.text().splitlines()
    assert lines == [
        f"The minutes of October 9, {first} record the SRO on lunch duty; the model agreement keeps SROs off such "
        "duties.",
        f"The minutes of October 16, {first} record the SRO on lunch duty; the model agreement keeps SROs off such "
        "duties.",
        SOURCE_NOTE,
    ]
    assert page.duties.accessibleName() == "SRO on duties outside the role"


def test_a_year_without_such_duty_shows_nothing(page):
    page.choose_year("2019-2020")
    assert not page.duties.isVisibleTo(page) and page.duties.text() == ""


def test_the_notes_follow_the_minutes_when_they_change(page):
    last = previous_school_year(current_school_year(page.data_file))
    page.choose_year(last)
    for meeting in mt.meetings_for(page.data_file, last, "sro_principal"):
        if "lunch duty" in meeting.minutes:
            meeting.minutes = "Agreed the SRO stays off lunch duty; teachers cover it."
            mt.save_meeting(page.data_file, meeting, today=date.today())
    page.refresh(page.data_file)
    assert page.school_year == last and not page.duties.isVisibleTo(page)
