"""The dashboard's rules: each obligation at its boundaries (due today, due yesterday, the
school year rolling over), and done once the file shows it done."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sro_desk.records import meetings
from sro_desk.records.meetings import ActionItem, Meeting
from sro_desk.records import obligations as obligations_module
from sro_desk.records.obligations import obligations, open_items
from sro_desk.records.settings import set_setting, set_school_year_start_month
from sro_desk.store import rows
from sro_desk.store.backup import make_backup


def _find(found, key):
    matches = [o for o in found if o.key == key]
    assert matches, f"no obligation {key} among {[o.key for o in found]}"
    return matches[0]


def _agreement(data_file, year="2026-2027", status="draft", **extra):
    with data_file.write():
        return rows.insert(data_file, "agreement", {
            "school_year": year, "title": "School Resource Officer Agreement", "status": status,
            "source": "library", **extra})


@pytest.mark.parametrize("today, late, text", [
    (date(2026, 6, 30), -1, "1 day left"),
    (date(2026, 7, 1), 0, "due today"),
    (date(2026, 7, 2), 1, "1 day late"),
])
def test_the_agreement_review_is_due_when_the_school_year_starts(demo_file, today, late, text):
    found = obligations(demo_file, today=today, school_year="2026-2027")
    review = _find(found, "agreement_reviewed")
    assert review.due == date(2026, 7, 1) and review.days_late == late and not review.done
    assert text in review.when() and review.page == "Meetings"
    assert review.late == (late > 0)


def test_an_agreement_review_meeting_before_the_year_meets_it(demo_file):
    meetings.save_meeting(demo_file, Meeting("agreement_review", "2026-06-10", title="Agreement review",
                                             attendees=[meetings.Attendee("Dr. Ana Ruiz", "Superintendent")]),
                          today=date(2026, 6, 10))
    found = obligations(demo_file, today=date(2026, 8, 1), school_year="2026-2027")
    assert _find(found, "agreement_reviewed").done
    assert "2026-06-10" in _find(found, "agreement_reviewed").what


def test_the_dese_filing_date_is_a_setting_and_filing_meets_it(demo_file):
    _agreement(demo_file, status="signed", signed_on="2026-06-20")
    found = obligations(demo_file, today=date(2026, 8, 31), school_year="2026-2027")
    filing = _find(found, "agreement_filed")
    assert filing.due == date(2026, 8, 31) and filing.days_late == 0 and not filing.done
    assert _find(found, "agreement_signed").done
    set_setting(demo_file, "dese_filing_due", "09-15")
    filing = _find(obligations(demo_file, today=date(2026, 9, 16), school_year="2026-2027"), "agreement_filed")
    assert filing.due == date(2026, 9, 15) and filing.days_late == 1
    with demo_file.write():
        row = demo_file.query("SELECT id, version FROM agreement")[0]
        rows.update(demo_file, "agreement", row["id"], {"status": "filed", "filed_on": "2026-09-16"},
                    expected_version=row["version"], label="agreement")
    assert _find(obligations(demo_file, today=date(2026, 9, 16), school_year="2026-2027"),
                 "agreement_filed").done


def test_the_yearly_complaint_notice_is_due_a_month_into_school(demo_file):
    found = obligations(demo_file, today=date(2026, 10, 1), school_year="2026-2027")
    notice = _find(found, "complaint_notice")
    assert notice.due == date(2026, 10, 1) and notice.days_late == 0 and notice.page == "Complaints"
    yesterday = _find(obligations(demo_file, today=date(2026, 10, 2), school_year="2026-2027"), "complaint_notice")
    assert yesterday.days_late == 1


@pytest.mark.parametrize("today, late", [(date(2026, 10, 31), 0), (date(2026, 11, 1), 1)])
def test_review_metrics_are_due_by_the_end_of_october(demo_file, today, late):
    metrics = _find(obligations(demo_file, today=today, school_year="2026-2027"), "metrics")
    assert metrics.due == date(2026, 10, 31) and metrics.days_late == late
    assert "Agree the 2026-2027 review metrics" in metrics.what and metrics.page == "Review"


def test_metrics_agreed_meet_it_and_a_later_start_month_moves_the_date(demo_file):
    with demo_file.write():
        rows.insert(demo_file, "review_metric", {"school_year": "2026-2027", "position": 1, "name": "Arrests",
                                                 "source": "arrests"})
    assert "1 of the 2026-2027 review metrics" in _find(
        obligations(demo_file, today=date(2026, 11, 1), school_year="2026-2027"), "metrics").what
    with demo_file.write():
        row = demo_file.query("SELECT id, version FROM review_metric")[0]
        rows.update(demo_file, "review_metric", row["id"], {"agreed_on": "2026-09-20", "agreed_by": "Chief"},
                    expected_version=row["version"], label="metric")
    assert _find(obligations(demo_file, today=date(2026, 11, 1), school_year="2026-2027"), "metrics").done
    set_school_year_start_month(demo_file, 9)
    later = _find(obligations(demo_file, today=date(2026, 11, 1), school_year="2025-2026"), "metrics")
    assert later.due == date(2025, 12, 31)


def test_the_school_year_rolls_over_on_its_first_day(demo_file):
    june = obligations(demo_file, today=date(2027, 6, 30))
    july = obligations(demo_file, today=date(2027, 7, 1))
    assert _find(june, "agreement_reviewed").due == date(2026, 7, 1)
    assert _find(july, "agreement_reviewed").due == date(2027, 7, 1)
    assert _find(july, "agreement_reviewed").days_late == 0


def test_the_end_of_year_review_shows_near_the_end_and_stays_until_held(demo_file):
    assert not [o for o in obligations(demo_file, today=date(2026, 11, 1)) if o.key.startswith("review_")]
    near = [o for o in obligations(demo_file, today=date(2027, 6, 1)) if o.key == "review_2026-2027"]
    assert near and near[0].due == date(2027, 6, 30) and near[0].days_late == -29
    # The year after, last year's review is still owed once the program ran that year.
    meetings.save_meeting(demo_file, Meeting("safety", "2026-10-01", title="Safety meeting"),
                          today=date(2026, 10, 1))
    owed = _find(obligations(demo_file, today=date(2027, 7, 2)), "review_2026-2027")
    assert owed.late and owed.days_late == 2
    with demo_file.write():
        rows.insert(demo_file, "annual_review", {"school_year": "2026-2027", "status": "final",
                                                 "held_on": "2027-07-01"})
    assert _find(obligations(demo_file, today=date(2027, 7, 2)), "review_2026-2027").done


def test_action_items_due_soon_or_late_are_listed(demo_file):
    meetings.save_meeting(demo_file, Meeting(
        "safety", "2026-10-01", title="Safety meeting",
        actions=[ActionItem("Update the visitor policy", "Principal Ortiz", "2026-11-20"),
                 ActionItem("Plan the spring drill", "SRO", "2027-04-01")]), today=date(2026, 10, 1))
    found = obligations(demo_file, today=date(2026, 11, 21), school_year="2026-2027")
    actions = [o for o in found if o.key.startswith("action_")]
    assert len(actions) == 1 and actions[0].days_late == 1 and "visitor policy" in actions[0].what


def test_backups_older_than_a_week_are_owed(demo_file, monkeypatch):
    found = _find(obligations(demo_file, today=date(2026, 11, 22)), "backup")
    assert not found.done and found.days_late == 0 and "no backup" in found.what
    make_backup(demo_file.path)
    assert _find(obligations(demo_file, today=date.today()), "backup").done
    made = datetime(2026, 11, 14, 9, 30)
    monkeypatch.setattr(obligations_module, "backup_time", lambda path: made)
    week = _find(obligations(demo_file, today=date(2026, 11, 21)), "backup")
    assert week.done and week.due == date(2026, 11, 21)
    late = _find(obligations(demo_file, today=date(2026, 11, 22)), "backup")
    assert not late.done and late.days_late == 1 and "Back it up now" in late.what


def test_open_items_put_the_latest_first(demo_file):
    found = obligations(demo_file, today=date(2026, 11, 22), school_year="2026-2027")
    pending = open_items(found)
    lates = [o.days_late for o in pending if o.days_late is not None]
    assert lates == sorted(lates, reverse=True)
    assert all(not o.done for o in pending)


def test_many_late_action_items_are_counted_in_one_line(demo_file):
    meetings.save_meeting(demo_file, Meeting(
        "safety", "2026-10-01", title="Safety meeting",
        actions=[ActionItem(f"Task {n}", "Principal Ortiz", f"2026-11-{n + 1:02d}") for n in range(11)]),
        today=date(2026, 10, 1))
    found = obligations(demo_file, today=date(2026, 11, 22), school_year="2026-2027")
    listed = [o for o in found if o.key.startswith("action_")]
    more = [o for o in found if o.key == "actions_more"]
    assert len(listed) == 8 and [o.what.split(" (")[0] for o in listed] == [f"Task {n}" for n in range(8)]
    assert len(more) == 1 and more[0].what.startswith("3 more action items") and "11 late in all" in more[0].what
