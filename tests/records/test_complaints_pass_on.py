"""A complaint about an officer passed to the police department (555 CMR 1.01(1)): the
business days from receipt it is due by (a setting, 2 by default), recording it once,
the dashboard's reminder, and bias or force flagged never minor. Fixed dates throughout."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sro_desk.errors import ConflictError, SroDeskError, ValidationError
from sro_desk.records import complaints as cmp
from sro_desk.records.complaints import Complaint
from sro_desk.records.obligations import LATE, SOON, dashboard_obligations, urgency
from sro_desk.records.settings import get_setting

FRIDAY = date(2026, 11, 20)


def _new(**changes) -> Complaint:
    base = dict(received_on=FRIDAY.isoformat(), channel="form", subject="sro", category="conduct",
                description="The officer raised his voice at my son in the hallway.")
    return Complaint(**{**base, **changes})


def _file(data_file, **changes) -> Complaint:
    return cmp.load_complaint(data_file, cmp.save_complaint(data_file, _new(**changes), today=date(2026, 11, 30)))


@pytest.mark.parametrize(("received", "days", "due"), [
    (date(2026, 11, 20), 2, date(2026, 11, 24)),  # Friday: across the weekend, Tuesday
    (date(2026, 11, 21), 2, date(2026, 11, 24)),  # Saturday: Monday is the first, Tuesday the second
    (date(2026, 11, 22), 2, date(2026, 11, 24)),  # Sunday
    (date(2026, 11, 18), 2, date(2026, 11, 20)),  # Wednesday: Friday
    (date(2026, 11, 19), 2, date(2026, 11, 23)),  # Thursday: Monday
    (date(2026, 11, 20), 1, date(2026, 11, 23)),
    (date(2026, 11, 20), 5, date(2026, 11, 27)),
])
def test_business_days_skip_the_weekend(received, days, due):
    assert cmp.add_business_days(received, days) == due


def test_due_two_business_days_after_receipt_by_default_or_as_set(demo_file):
    complaint = _file(demo_file)
    assert cmp.pass_on_days(demo_file) == 2
    assert cmp.pass_on_due(demo_file, complaint) == date(2026, 11, 24)
    cmp.set_targets(demo_file, 5, 30, pass_on_days=3)
    assert cmp.pass_on_due(demo_file, complaint) == date(2026, 11, 25)
    assert (get_setting(demo_file, "complaint_ack_days"), get_setting(demo_file, cmp.PASS_ON_SETTING)) == ("5", "3")
    with pytest.raises(ValidationError) as caught:
        cmp.set_targets(demo_file, 6, 31, pass_on_days=11)
    assert caught.value.message == "Choose 1 to 10 business days to pass a complaint on."
    assert get_setting(demo_file, "complaint_ack_days") == "5"  # nothing of a refused save is stored
    assert cmp.pass_on_due(demo_file, _file(demo_file, subject="program")) is None


def test_the_dashboard_reminds_until_it_is_passed_on(demo_file):
    complaint = _file(demo_file)
    key = f"complaint_pass_on_{complaint.id}"

    def item(today):
        return next((o for o in dashboard_obligations(demo_file, today=today, school_year="2026-2027")
                     if o.key == key), None)

    on_monday = item(date(2026, 11, 23))
    assert on_monday.due == date(2026, 11, 24) and urgency(on_monday) == SOON and on_monday.page == "Complaints"
    assert on_monday.what.startswith(f"Pass complaint {complaint.id} (received 2026-11-20) to the police "
                                     "department: the department's head must act on a complaint about an officer "
                                     "within two days")
    assert "(555 CMR 1.01(1); two business days in POST's guidance)" in on_monday.what
    assert "the district's part" in on_monday.what
    assert item(date(2026, 11, 24)).when() == "due today, Nov 24, 2026"
    on_wednesday = item(date(2026, 11, 25))
    assert on_wednesday.days_late == 1 and urgency(on_wednesday) == LATE
    cmp.record_passed_to_department(demo_file, complaint, "2026-11-25", "Chief of Police", today=date(2026, 11, 25))
    assert item(date(2026, 11, 25)) is None


def test_only_open_complaints_about_an_officer_are_owed(demo_file):
    owed = _file(demo_file)
    _file(demo_file, subject="other_officer")
    _file(demo_file, subject="program")
    _file(demo_file, track="sro_concern", subject="teacher", complainant_role="officer")
    voided = _file(demo_file)
    cmp.void(demo_file, voided, "Entered twice by mistake.")
    told = _file(demo_file)
    for step in ("acknowledge", "start_review", "record_finding", "record_communication"):
        told = cmp.load_complaint(demo_file, told.id)
        args = {"acknowledge": ("2026-11-20",), "start_review": ("2026-11-21", "Principal"),
                "record_finding": ("unfounded", "2026-11-22"),
                "record_communication": ("2026-11-23", "Letter", "English")}[step]
        getattr(cmp, step)(demo_file, told, *args, today=date(2026, 11, 30))
    found = cmp.pass_on_owed(demo_file)
    assert [(c.id, c.subject) for c, _due, _s in found] == [(owed.id, "sro"), (owed.id + 1, "other_officer")]


def test_recording_it_once_after_receipt_version_checked_and_audited(demo_file):
    complaint = _file(demo_file)
    refusals = [
        (("2026-11-19",), "cannot come before the date it was received (2026-11-20)"),
        (("2026-12-01",), "is in the future"),
        (("tomorrow",), "like 2026-10-15"),
        (("2026-11-23", "x" * 201), "under 200 characters"),
    ]
    for args, words in refusals:
        with pytest.raises(ValidationError) as caught:
            cmp.record_passed_to_department(demo_file, complaint, *args, today=date(2026, 11, 30))
        assert words in caught.value.message
    cmp.record_passed_to_department(demo_file, complaint, "2026-11-23", " Chief Kane ", today=date(2026, 11, 30))
    with pytest.raises(ConflictError):  # another save began from the version before
        cmp.record_passed_to_department(demo_file, complaint, "2026-11-24", today=date(2026, 11, 30))
    stored = cmp.load_complaint(demo_file, complaint.id)
    assert (stored.passed_on, stored.passed_to) == ("2026-11-23", "Chief Kane")
    with pytest.raises(ValidationError) as caught:
        cmp.record_passed_to_department(demo_file, stored, "2026-11-24", today=date(2026, 11, 30))
    assert caught.value.message == "This complaint was already passed to the police department on 2026-11-23."
    changes = json.loads(demo_file.query("SELECT changes FROM audit_log WHERE table_name = 'complaint' "
                                         "AND action = 'update' ORDER BY id DESC LIMIT 1")[0]["changes"])
    assert changes == {"passed_on": [None, "2026-11-23"], "passed_to": [None, "Chief Kane"]}
    assert ("2026-11-23", "Passed to the police department (Chief Kane)") in stored.timeline()


def test_only_a_complaint_about_an_officer_and_not_voided(demo_file):
    with pytest.raises(ValidationError) as caught:
        cmp.record_passed_to_department(demo_file, _file(demo_file, subject="program"), "2026-11-23",
                                        today=date(2026, 11, 30))
    assert caught.value.message == "Only a complaint about an officer is passed to the police department."
    voided = _file(demo_file)
    cmp.void(demo_file, voided, "Entered twice by mistake.")
    with pytest.raises(SroDeskError):
        cmp.record_passed_to_department(demo_file, cmp.load_complaint(demo_file, voided.id), "2026-11-23",
                                        today=date(2026, 11, 30))


def test_passing_it_on_after_it_is_closed_leaves_its_seal_intact(demo_file):
    from sro_desk.records import seals

    complaint = _file(demo_file)
    for step, args in (("acknowledge", ("2026-11-20",)), ("start_review", ("2026-11-21", "Principal")),
                       ("record_finding", ("unfounded", "2026-11-22")),
                       ("record_communication", ("2026-11-23", "Letter", "English")), ("close", ("2026-11-24",))):
        getattr(cmp, step)(demo_file, cmp.load_complaint(demo_file, complaint.id), *args, today=date(2026, 11, 30))
    cmp.record_passed_to_department(demo_file, cmp.load_complaint(demo_file, complaint.id), "2026-11-25",
                                    today=date(2026, 11, 30))
    assert seals.status(demo_file, "complaint", complaint.id)["intact"]


@pytest.mark.parametrize(("subject", "category", "never"), [
    ("sro", "bias", True), ("other_officer", "force", True), ("sro", "conduct", False),
    ("program", "bias", False), ("sro", "arrest", False)])
def test_bias_or_force_about_an_officer_is_never_minor(demo_file, subject, category, never):
    complaint = _file(demo_file, subject=subject, category=category)
    assert complaint.never_minor == never
    # The reminder is printed in the compliance status too: it says neither whom the
    # complaint is about nor what it alleges (the Complaints page does).
    owed = {c.id: sentence for c, _due, sentence in cmp.pass_on_owed(demo_file)}
    if complaint.about_an_officer:
        sentence = owed[complaint.id]
        assert "minor" not in sentence and "SRO" not in sentence and cmp.CATEGORIES[category].lower() not in sentence


def test_the_reminders_read_is_one_statement_with_the_dashboards(demo_file):
    from tests.reads import reads

    _file(demo_file)
    statements: list[str] = []
    with demo_file.reading():
        demo_file.prefetch(cmp.dashboard_reads(demo_file, "2026-2027", date(2026, 11, 30)))
        demo_file.conn.set_trace_callback(statements.append)
        assert len(cmp.pass_on_owed(demo_file)) == 1
    demo_file.conn.set_trace_callback(None)
    assert reads(statements) == []
