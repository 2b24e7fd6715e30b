"""The sample district shows the current law's rules at work: a disorderly-conduct arrest
on school grounds flagged under c. 272, a report to the police from the daily bus counted
as a referral and not flagged, and the minutes that put the SRO on lunch duty raised at
the review."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.records import enforcement as enf
from sro_desk.records import review as rv
from sro_desk.records.calendar import previous_school_year, school_year_of
from sro_desk.records.demo import create_demo
from sro_desk.records.sro_duties import duties_recorded


@pytest.fixture(params=[date(2026, 11, 22), date(2027, 7, 3)])
def demo(request, new_file):
    create_demo(new_file, today=request.param)
    return new_file, request.param, previous_school_year(school_year_of(request.param))


def test_the_demos_c272_flag_is_an_arrest_on_school_grounds(demo):
    data_file, _today, last = demo
    (flagged,) = [a for a in enf.actions_for(data_file, last) if "c272_in_school" in a.flags()]
    assert (flagged.kind, flagged.place, flagged.offense) == ("arrest", "grounds", "disorderly")
    assert not flagged.acknowledged


def test_the_demos_report_from_the_bus_is_a_referral_and_not_flagged(demo):
    data_file, _today, last = demo
    (reported,) = [a for a in enf.actions_for(data_file, last) if a.kind == "reported"]
    assert reported.place == "transport" and reported.offense == "disorderly" and reported.flags() == []
    assert enf.rule_notes(reported) == []  # nothing enforced: no note needed either
    school = next(m for m in enf.headline_measures(data_file, last) if m.school_id == reported.school_id)
    others = [a for a in enf.actions_for(data_file, last)
              if a.school_id == reported.school_id and a.student_ref == reported.student_ref and a.id != reported.id]
    assert not others and school.referred >= 1


def test_the_demos_lunch_duty_minutes_are_raised_at_the_review(demo):
    data_file, today, last = demo
    notes = duties_recorded(data_file, last)
    first = int(last[:4])
    assert [(n.part, n.day, n.duties) for n in notes] == [
        ("minutes", f"{first}-10-09", ("lunch duty",)),
        ("minutes", f"{first}-10-16", ("lunch duty",)),
    ]
    printed = rv.printable_review(data_file, last, today=today)
    assert printed.duty_notes[0] == (f"The minutes of October 9, {first} record the SRO on lunch duty; the model "
                                     "agreement keeps SROs off such duties.")
    # The other minutes of the demo (truancy, testing weeks, graduation...) raise nothing else.
    assert len(printed.duty_notes) == 2
