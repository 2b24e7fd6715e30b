"""The dashboard's order, with fixed dates: what is late, then what needs acting on now
though it has no date (a late complaint's, an open enforcement flag, a lapsing
certification), then what is due soon, then later; and the open enforcement flags, each
with its source, listed on the dashboard only."""

from __future__ import annotations

from datetime import date

from sro_desk.records import complaints as cmp
from sro_desk.records import enforcement as enf
from sro_desk.records import officers, training
from sro_desk.records.complaints import Complaint
from sro_desk.records.district import load_district
from sro_desk.records.obligations import (
    LATE,
    LATER,
    LISTED,
    NOW,
    SOON,
    UNDATED,
    Obligation,
    dashboard_obligations,
    obligations,
    open_items,
    urgency,
)
from sro_desk.records.training import Certification

TODAY = date(2026, 11, 22)


def _item(key: str, due: date | None, *, urgent: bool = False, done: bool = False) -> Obligation:
    return Obligation(key, key, due, done, "Dashboard", None if due is None else (TODAY - due).days, urgent)


def test_late_then_urgent_undated_then_soon_then_later_then_undated():
    found = [
        _item("june", date(2027, 6, 30)),
        _item("undated", None),
        _item("flag", None, urgent=True),
        _item("in_a_week", date(2026, 11, 29)),
        _item("three_days_late", date(2026, 11, 19)),
        _item("today", TODAY),
        _item("certification", None, urgent=True),
        _item("done", date(2026, 10, 1), done=True),
        _item("a_month_late", date(2026, 10, 23)),
        _item("in_45_days", date(2027, 1, 6)),
        _item("in_46_days", date(2027, 1, 7)),
    ]
    ordered = [o.key for o in open_items(found)]
    assert ordered == ["a_month_late", "three_days_late", "flag", "certification", "today", "in_a_week",
                       "in_45_days", "in_46_days", "june", "undated"]
    groups = {o.key: urgency(o) for o in found if not o.done}
    assert groups == {"a_month_late": LATE, "three_days_late": LATE, "flag": NOW, "certification": NOW,
                      "today": SOON, "in_a_week": SOON, "in_45_days": SOON, "in_46_days": LATER,
                      "june": LATER, "undated": UNDATED}


def test_when_says_now_for_urgent_undated_items():
    assert _item("flag", None, urgent=True).when() == "now"
    assert _item("undated", None).when() == ""
    assert _item("flag", None, urgent=True, done=True).when() == ""


def _school(data_file) -> int:
    return load_district(data_file).schools[0].id


def _c272_citation(data_file, when: str = "2026-03-10 10:15") -> int:
    """A citation for disorderly conduct inside a school building: the c. 272 flag only."""
    return enf.save_action(data_file, enf.Action(
        occurred_at=when, school_id=_school(data_file), place="building", kind="citation",
        offense="disorderly", parent_notified_at=when), today=TODAY)


def test_a_late_complaint_a_flag_and_a_lapsing_certification_come_before_next_june(demo_file):
    complaint_id = cmp.save_complaint(demo_file, Complaint(received_on="2026-11-10", channel="form", subject="sro",
                                                           category="conduct", description="Raised voice."),
                                      today=TODAY)
    department = load_district(demo_file).departments[0]
    officer = officers.save_officer(demo_file, officers.Officer("Marcus Bell", "Officer", department.id, 11,
                                                                assigned_sro=True))
    training.save_certification(demo_file, Certification(officer, "2024-01-10", "2027-01-10"))
    flagged = _c272_citation(demo_file)  # last school year: still open, still listed
    pending = open_items(dashboard_obligations(demo_file, today=TODAY, school_year="2026-2027"))
    keys = [o.key for o in pending]

    complaint = next(o for o in pending if o.key == f"complaint_{complaint_id}")
    assert complaint.due == date(2026, 11, 15) and complaint.days_late == 7 and urgency(complaint) == LATE
    assert "7 days late" in complaint.when()
    # Received on a Tuesday: to be with the police department two business days later.
    passed = next(o for o in pending if o.key == f"complaint_pass_on_{complaint_id}")
    assert passed.due == date(2026, 11, 12) and urgency(passed) == LATE and "555 CMR 1.01(1)" in passed.what
    flag = next(o for o in pending if o.key == f"enforcement_flag_{flagged}")
    certification = next(o for o in pending if o.key == f"sro_certification_expiring_{officer}")
    assert urgency(flag) == urgency(certification) == NOW
    assert flag.page == "Enforcement Data" and flag.when() == "now"
    # Expiring in 49 days: dated, and listed with what to act on now, after the undated.
    assert certification.due == date(2027, 1, 10) and certification.when() == "due Jan 10, 2027, 49 days left"
    assert keys.index(flag.key) < keys.index(certification.key)
    june = next(o for o in pending if o.key.startswith("training_"))
    assert june.due == date(2027, 6, 30)
    # Every late item, then the undated urgent ones, then whatever is due: next June last.
    groups = [urgency(o) for o in pending]
    assert groups == sorted(groups)
    assert keys.index(passed.key) < keys.index(complaint.key) < keys.index(flag.key) < keys.index(june.key)
    assert keys.index(certification.key) < keys.index(june.key)


def test_a_flag_names_the_entry_its_rule_with_the_source_and_what_to_do(demo_file):
    flagged = _c272_citation(demo_file)
    school = load_district(demo_file).schools[0].name
    (flag,) = [o for o in dashboard_obligations(demo_file, today=TODAY) if o.key.startswith("enforcement_flag")]
    assert flag.key == f"enforcement_flag_{flagged}" and flag.urgent and not flag.done
    assert flag.what.startswith(f"Citation or ticket on Mar 10, 2026 at {school} (2025-2026 entry) is flagged:")
    assert "(G.L. c. 272, §§ 40, 53;" in flag.what
    assert "agreement" not in flag.what  # the statute's rule is the law's, and says so
    assert flag.what.endswith("Correct the entry if it is wrong, or acknowledge the flag with an explanation.")


def test_the_agreements_rules_are_not_presented_as_law(demo_file):
    arrest = enf.save_action(demo_file, enf.Action(
        occurred_at="2026-11-02 09:00", school_id=_school(demo_file), place="grounds", kind="arrest",
        offense="assault"), today=TODAY)
    (flag,) = [o for o in dashboard_obligations(demo_file, today=TODAY) if o.key == f"enforcement_flag_{arrest}"]
    assert enf.rule_flags(enf.Action("2026-11-02 09:00", 1, "grounds", "arrest")) == [
        "arrest_last_resort", "parent_not_notified"]
    assert flag.what.count("(a rule of the agreement, not a statute).") == 2
    assert "c. 272" not in flag.what and "acknowledge each flag" in flag.what


def test_an_acknowledged_flag_leaves_the_dashboard(demo_file):
    flagged = _c272_citation(demo_file)
    assert any(o.key == f"enforcement_flag_{flagged}" for o in dashboard_obligations(demo_file, today=TODAY))
    action = next(a for a in enf.actions_for(demo_file, "2025-2026") if a.id == flagged)
    enf.acknowledge(demo_file, action, "c272_in_school", "The officer misread the place; retrained since.")
    assert not any(o.key.startswith("enforcement_flag") for o in dashboard_obligations(demo_file, today=TODAY))


def test_flags_stay_off_the_printed_status_and_packet(demo_file):
    _c272_citation(demo_file)
    assert not any(o.page == "Enforcement Data" for o in obligations(demo_file, today=TODAY))


def test_many_flags_list_the_statutes_first_then_count_the_rest(demo_file):
    for day in range(1, LISTED + 3):
        enf.save_action(demo_file, enf.Action(
            occurred_at=f"2026-10-{day:02d} 09:00", school_id=_school(demo_file), place="grounds",
            kind="questioning"), today=TODAY)
    c272 = _c272_citation(demo_file, "2026-11-20 12:00")  # the latest, yet first: it breaks a statute
    flags = [o for o in dashboard_obligations(demo_file, today=TODAY) if o.page == "Enforcement Data"]
    assert len(flags) == LISTED + 1 and flags[0].key == f"enforcement_flag_{c272}"
    assert [o.what.split(" on ")[1].split(" at ")[0] for o in flags[1:LISTED]] == [
        f"Oct {day}, 2026" for day in range(1, LISTED)]
    assert flags[-1].key == "enforcement_flags_more"
    assert flags[-1].what.startswith("3 more enforcement entries have open flags")
