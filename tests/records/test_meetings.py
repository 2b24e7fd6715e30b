"""Meetings: saving with lists and documents, conflicts, action items, and the monthly
SRO-principal meeting rule across school-year boundaries and start months."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.errors import ConflictError, SroDeskError, ValidationError
from sro_desk.records import meetings as mt
from sro_desk.records import officers, selection
from sro_desk.records.district import load_district
from sro_desk.records.meetings import ActionItem, Attendee, Meeting
from sro_desk.records.settings import set_school_year_start_month
from sro_desk.store import rows
from tests.reads import reads

TODAY = date(2026, 2, 10)
HOSTILE = "<b>Minutes</b> & <img src='http://x/y.png'/> \u2014 \U0001F46E\u200d\u2640\ufe0f caf\u00e9 [[note]] {{blank}}"


@pytest.fixture
def schools(demo_file):
    return [s.id for s in load_district(demo_file).schools]


def _place(data_file, officer_name: str, school_id: int | None, year: str = "2025-2026",
           decided_on: str | None = None) -> int:
    """Record a selection decision placing a new SRO at a school (None: the whole district),
    decided before the year starts unless ``decided_on`` says otherwise."""
    officer = officers.save_officer(data_file, officers.Officer(officer_name))
    round_id = selection.open_round(data_file, school_year=year, title=f"SRO {year} {officer_name}",
                                    opened_on=f"{year[:4]}-05-01", school_id=school_id, officer_ids=[officer])
    selection.decide(data_file, selection.load_round(data_file, round_id), selection.Decision(
        officer, decided_on or f"{year[:4]}-06-01", ["youth_experience"],
        "Input could not be gathered in time this year."))
    return officer


def _monthly(data_file, school_id: int, held_on: str, **changes) -> int:
    meeting = Meeting("sro_principal", held_on, [school_id], **changes)
    return mt.save_meeting(data_file, meeting, today=changes.pop("today", date(2030, 1, 1)))


# -- saving ----------------------------------------------------------------------------


def test_a_meeting_round_trips_with_its_lists_hostile_text_and_documents(demo_file, schools):
    meeting = Meeting(
        "safety", "2025-10-22", [schools[0], schools[1], schools[0]], title=HOSTILE, location="Library",
        agenda=HOSTILE, minutes=HOSTILE, decisions=HOSTILE,
        attendees=[Attendee(HOSTILE, "Parent"), Attendee("", ""), Attendee("Ana Souza", "")],
        actions=[ActionItem(HOSTILE, "Principal", "2025-11-30"), ActionItem("", "")],
    )
    meeting_id = mt.save_meeting(demo_file, meeting, documents=[("sign-in.pdf", "application/pdf", b"%PDF-1.4")],
                                 today=TODAY)
    stored = mt.load_meeting(demo_file, meeting_id)
    assert stored.school_ids == [schools[0], schools[1]]
    assert stored.title == stored.minutes == HOSTILE
    assert stored.attendees == [Attendee(HOSTILE, "Parent"), Attendee("Ana Souza", "")]
    assert [(a.description, a.owner, a.due_on, a.done_on) for a in stored.actions] == [
        (HOSTILE, "Principal", "2025-11-30", "")]
    assert stored.school_year == "2025-2026" and stored.version == 1
    assert [a["file_name"] for a in stored.attachments] == ["sign-in.pdf"]
    audited = {r["table_name"] for r in demo_file.query("SELECT table_name FROM audit_log")}
    assert {"meeting", "meeting_school", "meeting_attendee", "meeting_action", "attachment"} <= audited


@pytest.mark.parametrize("changes, field", [
    ({"kind": "brunch"}, "kind"),
    ({"held_on": "10/22/2025"}, "held_on"),
    ({"held_on": "1979-12-31"}, "held_on"),
    ({"held_on": "2027-02-12"}, "held_on"),
    ({"school_ids": []}, "school_ids"),
    ({"school_ids": [99999]}, "school_ids"),
    ({"attendees": [Attendee("", "Teacher")]}, "attendees"),
    ({"actions": [ActionItem("", "Principal")]}, "actions"),
    ({"actions": [ActionItem("Call back", due_on="soon")]}, "actions"),
    ({"actions": [ActionItem("Call back", done_on="2025-10-01")]}, "actions"),
    ({"actions": [ActionItem("Call back", done_on="2026-03-01")]}, "actions"),
    ({"minutes": "x" * 50_001}, "minutes"),
    ({"title": "x" * 301}, "title"),
    ({"held_on": "2026-03-01", "minutes": "We met."}, "minutes"),
])
def test_a_meeting_is_refused_with_one_sentence(demo_file, schools, changes, field):
    base = {"kind": "sro_principal", "held_on": "2025-10-22", "school_ids": [schools[0]]}
    with pytest.raises(ValidationError) as caught:
        mt.save_meeting(demo_file, Meeting(**{**base, **changes}), today=TODAY)
    assert caught.value.field == field
    assert caught.value.message.endswith(".") and "\n" not in caught.value.message
    assert demo_file.query("SELECT count(*) AS n FROM meeting")[0]["n"] == 0


def test_a_meeting_may_be_entered_ahead_without_minutes(demo_file):
    meeting_id = mt.save_meeting(demo_file, Meeting("annual_review", "2026-06-17", agenda="Goals"), today=TODAY)
    assert mt.load_meeting(demo_file, meeting_id).display_title == mt.MEETING_KINDS["annual_review"]


def test_a_stale_save_is_refused_whichever_part_changed(demo_file, schools):
    meeting_id = _monthly(demo_file, schools[0], "2025-10-14", attendees=[Attendee("Jonathan Pierce", "Principal")],
                          actions=[ActionItem("Share the log", "SRO", "2025-10-31")])
    mine, theirs = mt.load_meeting(demo_file, meeting_id), mt.load_meeting(demo_file, meeting_id)
    theirs.attendees.append(Attendee("Marcus Bell", "SRO"))
    mt.save_meeting(demo_file, theirs, today=TODAY)
    assert mt.load_meeting(demo_file, meeting_id).version == 2
    mine.minutes = "We met and talked."
    with pytest.raises(ConflictError):
        mt.save_meeting(demo_file, mine, today=TODAY)
    stored = mt.load_meeting(demo_file, meeting_id)
    assert stored.minutes == "" and len(stored.attendees) == 2

    # Marking an action done moves the meeting on too.
    mt.mark_action_done(demo_file, stored.actions[0], "2025-10-20", today=TODAY)
    stored.actions[0].description = "Share the monthly log"
    with pytest.raises(ConflictError):
        mt.save_meeting(demo_file, stored, today=TODAY)
    fresh = mt.load_meeting(demo_file, meeting_id)
    assert fresh.actions[0].done_on == "2025-10-20" and fresh.actions[0].description == "Share the log"
    fresh.actions = []
    mt.save_meeting(demo_file, fresh, today=TODAY)
    assert mt.load_meeting(demo_file, meeting_id).actions == []


def test_deleting_a_meeting_removes_its_lists_and_documents(demo_file, schools):
    meeting_id = _monthly(demo_file, schools[0], "2025-10-14", attendees=[Attendee("A", "B")],
                          actions=[ActionItem("Do it")])
    meeting = mt.load_meeting(demo_file, meeting_id)
    mt.add_document(demo_file, meeting, ("minutes.png", "image/png", b"\x89PNG"))
    stale = mt.load_meeting(demo_file, meeting_id)
    stale.version -= 1
    with pytest.raises(ConflictError):
        mt.delete_meeting(demo_file, stale)
    mt.delete_meeting(demo_file, mt.load_meeting(demo_file, meeting_id))
    for table in ("meeting", "meeting_school", "meeting_attendee", "meeting_action"):
        assert demo_file.query(f"SELECT count(*) AS n FROM {table}")[0]["n"] == 0
    assert demo_file.query("SELECT count(*) AS n FROM attachment")[0]["n"] == 0
    deleted = demo_file.query("SELECT table_name FROM audit_log WHERE action = 'delete'")
    assert {"meeting", "attachment", "meeting_action"} <= {r["table_name"] for r in deleted}
    with pytest.raises(SroDeskError):
        mt.load_meeting(demo_file, meeting_id)


def test_the_review_meeting_cannot_be_deleted_from_under_the_review(demo_file):
    from sro_desk.records import review as rv

    meeting_id = mt.save_meeting(demo_file, Meeting("annual_review", "2025-06-17"), today=TODAY)
    rv.save_review(demo_file, rv.AnnualReview("2024-2025", meeting_id=meeting_id), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        mt.delete_meeting(demo_file, mt.load_meeting(demo_file, meeting_id))
    assert "2024-2025 annual review" in caught.value.message


def test_open_action_items_soonest_first_with_overdue_marked(demo_file, schools):
    _monthly(demo_file, schools[0], "2025-11-12", actions=[
        ActionItem("Undated"), ActionItem("Late", "Principal", "2026-01-15"), ActionItem("Done", "SRO", "2025-12-01",
                                                                                            "2025-11-30")])
    _monthly(demo_file, schools[1], "2026-01-20", actions=[ActionItem("Soon", "SRO", "2026-02-20")])
    found = mt.open_action_items(demo_file, TODAY)
    assert [(o.item.description, o.overdue) for o in found] == [("Late", True), ("Soon", False), ("Undated", False)]
    assert "was due 2026-01-15" in found[0].sentence()
    mt.mark_action_done(demo_file, found[0].item, "2026-02-09", today=TODAY)
    assert [o.item.description for o in mt.open_action_items(demo_file, TODAY)] == ["Soon", "Undated"]
    with pytest.raises(ConflictError):
        mt.mark_action_done(demo_file, found[0].item, "", today=TODAY)  # stale version
    done = next(a for m in mt.meetings_for(demo_file, "2025-2026") for a in m.actions if a.description == "Late")
    with pytest.raises(ValidationError):
        mt.mark_action_done(demo_file, done, "2026-03-01", today=TODAY)
    mt.mark_action_done(demo_file, done, None, today=TODAY)
    assert len(mt.open_action_items(demo_file, TODAY)) == 3


def test_meetings_for_a_year_follow_the_dates_and_the_kind(demo_file, schools):
    _monthly(demo_file, schools[0], "2025-06-30")
    _monthly(demo_file, schools[0], "2025-07-01")
    mt.save_meeting(demo_file, Meeting("safety", "2026-06-30"), today=TODAY)
    assert [m.held_on for m in mt.meetings_for(demo_file, "2025-2026")] == ["2025-07-01", "2026-06-30"]
    assert [m.held_on for m in mt.meetings_for(demo_file, "2025-2026", "safety")] == ["2026-06-30"]
    assert [m.held_on for m in mt.meetings_for(demo_file, "2024-2025")] == ["2025-06-30"]


# -- which schools have an SRO -----------------------------------------------------------


def test_no_sro_means_no_monthly_meeting_is_expected(demo_file):
    assert mt.placements(demo_file, "2025-2026") == {}
    assert mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY) == []


def test_an_officer_only_marked_as_an_sro_serves_no_school(demo_file, schools):
    # Marked on the Training page, with no selection decision or review saying where: no
    # school is taken to have them, and no month is missed anywhere.
    ortiz = officers.save_officer(demo_file, officers.Officer("Ann Ortiz", assigned_sro=True))
    assert mt.placements(demo_file, "2025-2026") == {}
    assert mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY) == []
    assert mt.unplaced_sros(demo_file, "2025-2026") == ["Ann Ortiz"]
    assert mt.sros_for_year(demo_file, "2025-2026") == [(ortiz, "Ann Ortiz")]  # still the year's SRO for training
    cho = _place(demo_file, "Ben Cho", schools[2])
    assert mt.placements(demo_file, "2025-2026") == {schools[2]: [(cho, "Ben Cho")]}
    assert mt.unplaced_sros(demo_file, "2025-2026") == ["Ann Ortiz"]
    assert [c.school_id for c in mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY)] == [schools[2]]


def test_months_before_a_new_sro_started_are_not_missed(demo_file, schools):
    ortiz = _place(demo_file, "Ann Ortiz", schools[0], decided_on="2025-11-20")
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY)
    assert result.school_id == schools[0] and result.starts == date(2025, 11, 20)
    # September and October ended before she started; November ended after.
    assert result.missing == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert result.due == date(2026, 2, 28)
    assert not result.expected(date(2025, 10, 1)) and result.expected(date(2025, 11, 1))
    # In October, before the month she started in, nothing is missing or due.
    [early] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2025, 10, 15))
    assert early.missing == [] and early.due is None
    # The next year she serves from its start: every month counts.
    [later] = mt.missing_monthly_meetings(demo_file, "2026-2027", today=date(2026, 11, 2))
    assert later.starts is None and later.missing == [date(2026, 9, 1), date(2026, 10, 1)]
    # A decision made before the year (the usual case) expects every month of it.
    cho = _place(demo_file, "Ben Cho", schools[1], decided_on="2025-06-12")
    results = {c.school_id: c for c in mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY)}
    assert results[schools[1]].starts is None or results[schools[1]].starts < date(2025, 9, 1)
    assert results[schools[1]].missing[0] == date(2025, 9, 1)
    assert mt.placements(demo_file, "2025-2026")[schools[0]] == [(ortiz, "Ann Ortiz")]
    assert mt.placements(demo_file, "2025-2026")[schools[1]] == [(cho, "Ben Cho")]


def test_a_district_wide_decision_mid_year_starts_every_school_then(demo_file, schools):
    _place(demo_file, "Ann Ortiz", None, decided_on="2026-01-05")
    results = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2026, 3, 2))
    assert sorted(c.school_id for c in results) == sorted(schools)
    assert all(c.missing == [date(2026, 1, 1), date(2026, 2, 1)] for c in results)


def test_a_school_with_an_sro_carried_in_counts_from_the_years_start(demo_file, schools):
    # Ortiz serves the middle school from last year; Cho is chosen for it in January. The
    # school had an SRO all along, so its autumn months still count.
    _place(demo_file, "Ann Ortiz", schools[1], "2024-2025")
    cho = _place(demo_file, "Ben Cho", schools[1], decided_on="2026-01-15")
    assert mt.placements(demo_file, "2025-2026") == {schools[1]: [(cho, "Ben Cho")]}
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY)
    assert result.starts is None and result.missing[0] == date(2025, 9, 1) and len(result.missing) == 5


def test_an_sro_placed_by_a_review_alone_counts_from_the_years_start(demo_file, schools):
    from sro_desk.records import review as rv

    ortiz = officers.save_officer(demo_file, officers.Officer("Ann Ortiz", assigned_sro=True))
    rv.save_review(demo_file, rv.AnnualReview("2025-2026", held_on="2026-06-17", assignments=[
        rv.Assignment(ortiz, schools[3], "continue", "Good year.")]), today=date(2026, 7, 1))
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2026, 7, 1))
    assert result.school_id == schools[3] and result.starts is None and len(result.missing) == 10


def test_a_selection_decision_places_the_sro_from_its_year_on(demo_file, schools):
    ortiz = _place(demo_file, "Ann Ortiz", schools[1], "2024-2025")
    assert mt.placements(demo_file, "2023-2024") == {}
    assert mt.placements(demo_file, "2024-2025") == {schools[1]: [(ortiz, "Ann Ortiz")]}
    assert mt.placements(demo_file, "2026-2027") == {schools[1]: [(ortiz, "Ann Ortiz")]}
    # An officer no longer marked as an SRO is not carried into later years.
    officer = officers.load_officer(demo_file, ortiz)
    officer.assigned_sro = False
    officers.save_officer(demo_file, officer)
    assert mt.placements(demo_file, "2026-2027") == {}
    assert mt.placements(demo_file, "2024-2025") == {schools[1]: [(ortiz, "Ann Ortiz")]}
    district_wide = _place(demo_file, "Ben Cho", None, "2025-2026")
    assert mt.placements(demo_file, "2025-2026") == {s: [(district_wide, "Ben Cho")] for s in schools}


def test_a_review_that_ends_an_assignment_stops_it_unless_the_chief_keeps_it(demo_file, schools):
    from sro_desk.records import review as rv

    ortiz = _place(demo_file, "Ann Ortiz", schools[0], "2024-2025")
    cho = _place(demo_file, "Ben Cho", schools[1], "2024-2025")
    rv.save_review(demo_file, rv.AnnualReview("2024-2025", held_on="2025-06-17", assignments=[
        rv.Assignment(ortiz, schools[0], "end", "Training not done."),
        rv.Assignment(cho, schools[1], "end", "Training not done.", chief_keeps=True,
                      chief_explanation="Booked for the autumn."),
    ]), today=TODAY)
    assert mt.placements(demo_file, "2024-2025") == {schools[0]: [(ortiz, "Ann Ortiz")],
                                                     schools[1]: [(cho, "Ben Cho")]}
    assert mt.placements(demo_file, "2025-2026") == {schools[1]: [(cho, "Ben Cho")]}
    assert mt.sros_for_year(demo_file, "2025-2026") == [(cho, "Ben Cho")]


# -- who attends -----------------------------------------------------------------------


def _people(attendees) -> list[tuple[str, str]]:
    return [(a.name, a.role) for a in attendees]


def test_the_usual_attendees_are_named_from_the_file(demo_file, schools):
    _place(demo_file, "Ann Ortiz", schools[0])
    # The monthly meeting: the SRO placed at the chosen school that year, and its principal.
    assert _people(mt.usual_attendees(demo_file, "sro_principal", [schools[0]], "2025-10-01")) == [
        ("Ann Ortiz", "SRO"), ("Jonathan Pierce", "Principal")]
    # No school chosen yet, or no SRO placed there: the roles wait for names.
    assert _people(mt.usual_attendees(demo_file, "sro_principal", [], "2025-10-01")) == [("", "SRO"), ("", "Principal")]
    assert _people(mt.usual_attendees(demo_file, "sro_principal", [schools[1]], "2025-10-01")) == [
        ("", "SRO"), ("Alicia Nguyen", "Principal")]
    # Before the SRO's year the school has no SRO yet.
    assert _people(mt.usual_attendees(demo_file, "sro_principal", [schools[0]], "2024-10-01"))[0] == ("", "SRO")
    assert _people(mt.usual_attendees(demo_file, "annual_review", [], "2026-06-17")) == [
        ("Ann Ortiz", "SRO"), ("Daniel O'Connell", "Chief"), ("Keisha Thompson", "Chief"),
        ("Dr. Maria Santos", "Superintendent")]
    assert _people(mt.usual_attendees(demo_file, "agreement_review", [], "2025-08-01")) == [
        ("Daniel O'Connell", "Chief"), ("Keisha Thompson", "Chief"), ("Dr. Maria Santos", "Superintendent")]
    assert _people(mt.usual_attendees(demo_file, "safety", [schools[0]], "2025-10-01")) == [
        ("", "Administrator"), ("", "Teacher"), ("", "Parent"), ("", "Student")]
    assert mt.usual_attendees(demo_file, "other", [schools[0]]) == []
    # A date not typed whole yet is taken as today.
    assert _people(mt.usual_attendees(demo_file, "sro_principal", [schools[0]], "2026-"))[1] == (
        "Jonathan Pierce", "Principal")


# -- the monthly meeting ---------------------------------------------------------------


def test_missing_months_cross_the_new_year_and_the_current_month_is_due(demo_file, schools):
    _place(demo_file, "Ann Ortiz", schools[0])
    for day in ("2025-09-30", "2025-11-01", "2026-01-31"):
        _monthly(demo_file, schools[0], day)
    _monthly(demo_file, schools[1], "2025-10-15")  # another school: no SRO there, and not this one's
    mt.save_meeting(demo_file, Meeting("safety", "2025-10-20", [schools[0]]), today=TODAY)  # not the monthly kind
    _monthly(demo_file, schools[0], "2026-02-25")  # still to come: February is not done yet
    _monthly(demo_file, schools[0], "2025-08-20")  # August is not a meeting month
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY)
    assert result.school_id == schools[0] and result.sros == ["Ann Ortiz"]
    assert result.missing == [date(2025, 10, 1), date(2025, 12, 1)]
    assert result.due == date(2026, 2, 28)
    assert result.sentence().endswith("October 2025 and December 2025.")
    assert "due by Feb 28" in result.due_sentence()

    _monthly(demo_file, schools[0], "2026-02-03")
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=TODAY)
    assert result.due is None
    # On the first of a month the month before has ended.
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2026, 3, 1))
    assert result.missing == [date(2025, 10, 1), date(2025, 12, 1)] and result.due == date(2026, 3, 31)
    # A past year: every month has ended, none is due.
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2026, 9, 1))
    assert result.missing == [date(2025, 10, 1), date(2025, 12, 1), date(2026, 3, 1), date(2026, 4, 1),
                              date(2026, 5, 1), date(2026, 6, 1)]
    assert result.due is None
    # Before the year's first meeting month nothing is missing.
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2025, 8, 31))
    assert result.missing == [] and result.due is None


def test_a_june_meeting_held_in_july_counts_for_neither(demo_file, schools):
    _place(demo_file, "Ann Ortiz", schools[0], "2024-2025")
    _monthly(demo_file, schools[0], "2025-07-01")
    [last] = mt.missing_monthly_meetings(demo_file, "2024-2025", today=TODAY)
    assert date(2025, 6, 1) in last.missing
    [now] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2025, 7, 15))
    assert now.missing == [] and now.due is None


def test_a_school_year_starting_in_september(demo_file, schools):
    set_school_year_start_month(demo_file, 9)
    _place(demo_file, "Ann Ortiz", schools[0])
    _monthly(demo_file, schools[0], "2025-09-05")
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2025, 11, 5))
    assert result.missing == [date(2025, 10, 1)] and result.due == date(2025, 11, 30)
    assert mt.year_months("2025-2026", 9)[0] == date(2025, 9, 1)
    assert mt.year_months("2025-2026", 9)[-1] == date(2026, 8, 1)


def test_a_school_year_starting_in_january(demo_file, schools):
    set_school_year_start_month(demo_file, 1)
    _place(demo_file, "Ann Ortiz", schools[0], "2026-2027")
    for day in ("2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10"):
        _monthly(demo_file, schools[0], day)
    # Under a January start, 2026-2027 is the calendar year 2026.
    [result] = mt.missing_monthly_meetings(demo_file, "2026-2027", today=date(2026, 10, 5))
    assert result.missing == [date(2026, 9, 1)] and result.due == date(2026, 10, 31)
    [result] = mt.missing_monthly_meetings(demo_file, "2026-2027", today=date(2027, 1, 5))
    assert result.missing == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


def test_the_meeting_months_are_a_setting(demo_file, schools):
    assert mt.meeting_months(demo_file) == [9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    mt.set_meeting_months(demo_file, [10, 3, 3])
    assert mt.meeting_months(demo_file) == [3, 10]
    _place(demo_file, "Ann Ortiz", schools[0])
    [result] = mt.missing_monthly_meetings(demo_file, "2025-2026", today=date(2026, 4, 2))
    assert result.missing == [date(2025, 10, 1), date(2026, 3, 1)]
    for bad in ([], [0], [13]):
        with pytest.raises(ValidationError):
            mt.set_meeting_months(demo_file, bad)
    with demo_file.write():
        found = demo_file.query("SELECT id, version FROM setting WHERE key = 'meeting_months'")[0]
        rows.update(demo_file, "setting", found["id"], {"value": "junk"}, expected_version=found["version"])
    assert mt.meeting_months(demo_file) == list(mt.DEFAULT_MEETING_MONTHS)


# -- reading few times -----------------------------------------------------------------


def _statements(data_file) -> list[str]:
    found: list[str] = []
    data_file.conn.set_trace_callback(found.append)
    return found



def _many_actions(data_file, schools) -> None:
    """Open items due over three months around TODAY (some undated, some done), more than the dashboard lists."""
    _place(data_file, "Ann Ortiz", schools[0])
    _monthly(data_file, schools[0], "2025-09-30")
    for month, day in [(11, 3), (12, 1), (1, 5)]:
        year = 2025 if month > 6 else 2026
        _monthly(data_file, schools[0], f"{year}-{month:02d}-{day:02d}", actions=[
            ActionItem(f"Item {month}-{n}", "SRO", f"{year if month > 6 else 2026}-{(month + n // 10) % 12 + 1:02d}-"
                       f"{n % 28 + 1:02d}", "2026-01-31" if n == 3 else "") for n in range(12)
        ] + [ActionItem(f"Undated {month}")])


def test_the_dashboards_action_items_are_those_due_soon_or_late_in_order(demo_file, schools):
    _many_actions(demo_file, schools)
    every = mt.open_action_items(demo_file, TODAY)
    owed = [a for a in every if a.item.due_on and (date.fromisoformat(a.item.due_on) - TODAY).days <= 45]
    assert len(owed) > 8 and len(owed) < len(every)  # the undated and the far ones are left out
    due = mt.action_items_due(demo_file, today=TODAY, within_days=45, limit=8)
    assert due.listed == owed[:8]
    assert due.total == len(owed) and due.late == sum(1 for a in owed if a.overdue) > 0
    assert due.next_due == owed[8].item.due_on
    everything = mt.action_items_due(demo_file, today=TODAY, within_days=45, limit=len(owed))
    assert everything.listed == owed and everything.next_due == ""
    assert mt.overdue_action_count(demo_file, TODAY) == sum(1 for a in every if a.overdue)


def test_the_dashboards_meeting_reads_are_one_statement(demo_file, schools):
    _many_actions(demo_file, schools)
    year = "2025-2026"
    alone = (mt.missing_monthly_meetings(demo_file, year, today=TODAY), mt.action_items_due(demo_file, today=TODAY))
    statements = _statements(demo_file)
    with demo_file.reading():
        mt.school_year_start_month(demo_file)  # the settings: read once per snapshot in any case
        before = len(reads(statements))
        demo_file.prefetch(mt.dashboard_reads(demo_file, year, TODAY))
        together = (mt.missing_monthly_meetings(demo_file, year, today=TODAY),
                    mt.action_items_due(demo_file, today=TODAY, within_days=45, limit=8))
    assert len(reads(statements)) - before == 1
    assert together == alone and alone[0] and alone[1].total


def test_a_years_meetings_and_action_items_prefetched_read_as_alone(demo_file, schools):
    _many_actions(demo_file, schools)
    mt.save_meeting(demo_file, Meeting("safety", "2025-10-20", [schools[0]], attendees=[Attendee("Pat", "Parent")]),
                    documents=[("sign-in.pdf", "application/pdf", b"%PDF-1.4")], today=TODAY)
    year = "2025-2026"
    alone = (mt.meetings_for(demo_file, year), mt.meetings_for(demo_file, year, "safety"),
             mt.open_action_items(demo_file, TODAY), mt.overdue_action_count(demo_file, TODAY))
    statements = _statements(demo_file)
    with demo_file.reading():
        mt.school_year_start_month(demo_file)
        before = len(reads(statements))
        demo_file.prefetch([*mt.meetings_for_reads(demo_file, year), *mt.meetings_for_reads(demo_file, year, "safety"),
                            *mt.open_actions_reads(demo_file), *mt.overdue_count_reads(TODAY)])
        together = (mt.meetings_for(demo_file, year), mt.meetings_for(demo_file, year, "safety"),
                    mt.open_action_items(demo_file, TODAY), mt.overdue_action_count(demo_file, TODAY))
    assert len(reads(statements)) - before == 1
    assert together == alone and alone[1][0].attachments and alone[1][0].attendees


def test_open_action_items_are_read_from_the_partial_index(demo_file):
    for sql, params, _columns in [*mt.open_actions_reads(demo_file), *mt.overdue_count_reads(TODAY),
                                  *mt.dashboard_reads(demo_file, "2025-2026", TODAY)[-2:]]:
        plan = " ".join(r[3] for r in demo_file.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "idx_meeting_action_open" in plan, (sql, plan)
