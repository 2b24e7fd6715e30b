"""The annual review: goals, metrics counted against hand-counted fixtures, the
late-agreement flag, the chief's explanation, feedback, and the printed review."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.errors import ConflictError, SroDeskError, ValidationError
from sro_desk.records import agreements, complaints, enforcement, officers, training
from sro_desk.records import meetings as mt
from sro_desk.records import review as rv
from sro_desk.records.district import load_district
from sro_desk.records.review import AnnualReview, Assignment, Finding, ReviewMetric
from sro_desk.store import rows

TODAY = date(2026, 11, 22)
YEAR, LAST = "2025-2026", "2024-2025"
HOSTILE = "<para>Met & more</para> <img src='http://x/y.png'/> \U0001F393\u200b \u05e9\u05dc\u05d5\u05dd {{x}} [[y]]"
NAMES = ("Zelda Quarrington", "zq@example.org", "Ignatius Plumtree")


@pytest.fixture
def schools(demo_file):
    return [s.id for s in load_district(demo_file).schools]


def _complaint(data_file, received: str, finding: str | None = None, *, track: str = "community",
               void: bool = False, who: int = 0) -> None:
    """A complaint walked through to its finding (or left open), optionally voided."""
    concern = track == "sro_concern"
    complaint_id = complaints.save_complaint(
        data_file,
        complaints.Complaint(received_on=received, channel="email", subject="teacher" if concern else "sro",
                             category="conduct", track=track, complainant_role="officer" if concern else "parent",
                             description="What happened, in the complainant's words."),
        complaints.Identity(NAMES[who % 3], NAMES[1]), today=TODAY,
    )
    if finding:
        day = date.fromisoformat(received)
        for step, offset in ((lambda c, d: complaints.acknowledge(data_file, c, d, today=TODAY), 1),
                             (lambda c, d: complaints.start_review(data_file, c, d, "Assistant Superintendent",
                                                                   today=TODAY), 2),
                             (lambda c, d: complaints.record_finding(data_file, c, finding, d, today=TODAY), 10),
                             (lambda c, d: complaints.record_communication(data_file, c, d, "Letter", "English",
                                                                           today=TODAY), 12)):
            step(complaints.load_complaint(data_file, complaint_id), date.fromordinal(day.toordinal() + offset).isoformat())
    if void:
        complaints.void(data_file, complaints.load_complaint(data_file, complaint_id), "Entered twice by mistake.")


def _action(school_id: int, when: str, kind: str, ref: str) -> enforcement.Action:
    return enforcement.Action(occurred_at=f"{when} 10:00", school_id=school_id, place="grounds", kind=kind,
                              offense="theft", warrant=True, principal_consulted=True,
                              parent_notified_at=f"{when} 15:00", student_ref=ref)


@pytest.fixture
def counted(demo_file, schools):
    """A year whose every count was made by hand (comments give the tallies)."""
    s0, s1 = schools[0], schools[1]
    ann = officers.save_officer(demo_file, officers.Officer("Ann Ortiz", assigned_sro=True))
    ben = officers.save_officer(demo_file, officers.Officer("Ben Cho", assigned_sro=True))
    enforcement.save_actions(demo_file, [
        # 2025-2026: arrests 3 (Oct 2, Mar 1), citations 4 (Nov 3, Jan 1), court referrals 1 (Feb),
        # diversions 5 (Dec), searches 2 (counted nowhere).
        _action(s0, "2025-10-06", "arrest", "A1"), _action(s0, "2025-10-20", "arrest", "A2"),
        _action(s1, "2026-03-03", "arrest", "A3"),
        *[_action(s0, f"2025-11-{10 + n:02d}", "citation", f"C{n}") for n in range(3)],
        _action(s1, "2026-01-12", "citation", "C9"),
        _action(s1, "2026-02-02", "court_referral", "R1"),
        *[_action(s0, f"2025-12-{1 + n:02d}", "diversion", f"D{n}") for n in range(5)],
        _action(s0, "2025-12-09", "search", "S1"), _action(s0, "2026-04-09", "search", "S2"),
        # 2024-2025: one arrest, two citations. 2026-2027: one arrest on its first day.
        _action(s0, "2025-05-05", "arrest", "L1"), _action(s0, "2024-09-09", "citation", "L2"),
        _action(s0, "2024-09-10", "citation", "L3"), _action(s0, "2026-07-01", "arrest", "N1"),
    ], today=TODAY)
    # Substantiated community complaints in 2025-2026: 2 (a voided one and the SRO's own
    # concern about a teacher do not count; one not substantiated, one open). 2024-2025: 1.
    _complaint(demo_file, "2025-10-01", "substantiated", who=0)
    _complaint(demo_file, "2026-01-05", "substantiated", who=1)
    _complaint(demo_file, "2026-02-05", "substantiated", void=True, who=2)
    _complaint(demo_file, "2026-03-05", "substantiated", track="sro_concern")
    _complaint(demo_file, "2026-04-05", "not_substantiated", who=2)
    _complaint(demo_file, "2026-05-05", who=0)
    _complaint(demo_file, "2025-03-05", "substantiated", who=1)
    # Training: Ann 10 hours and all four topics (the 40-hour basic course does not count);
    # Ben 3 hours and one topic.
    hours = training.parse_hours
    training.save_entries(demo_file, [
        training.TrainingEntry(ann, "2025-07-20", "Basic SRO course", hours("40"), topics=["mptc"], basic_course=True),
        training.TrainingEntry(ann, "2025-09-15", "Development", hours("6"),
                               topics=["child_development", "conflict_resolution"]),
        training.TrainingEntry(ann, "2026-01-15", "Diversion", hours("4"), topics=["diversion", "de_escalation"]),
        training.TrainingEntry(ben, "2025-10-15", "De-escalation", hours("3"), topics=["de_escalation"]),
    ], today=TODAY)
    # Community-building events and presentations: 5 + 3 = 8 (counselling is not one). 2024-2025: 2.
    for day, kind, count in (("2025-10-10", "community", 5), ("2026-01-10", "presentation", 3),
                             ("2026-02-10", "counselling", 10), ("2025-02-10", "community", 2)):
        enforcement.save_activity(demo_file, enforcement.Activity(day, kind, count, s0), today=TODAY)
    return {"ann": ann, "ben": ben}


# -- counted metrics ---------------------------------------------------------------------


def test_counted_metrics_match_the_hand_counts(demo_file, counted):
    expected = {
        "arrests": (3, "3"), "citations": (4, "4"), "court_referrals": (1, "1"), "diversions": (5, "5"),
        "substantiated_complaints": (2, "2"), "community_activities": (8, "8"),
        "training_hours": (3, "Ann Ortiz 10 h; Ben Cho 3 h"),
        "required_topics": (1, "Ann Ortiz 4 of 4; Ben Cho 1 of 4"),
    }
    assert set(expected) == set(rv.COMPUTED)
    for key, (value, text) in expected.items():
        measured = rv.compute_metric(demo_file, key, YEAR, today=TODAY)
        assert (measured.value, measured.text) == (value, text), key
    assert rv.compute_metric(demo_file, "arrests", LAST).value == 1
    assert rv.compute_metric(demo_file, "substantiated_complaints", LAST).value == 1
    with pytest.raises(ValidationError):
        rv.compute_metric(demo_file, "vibes", YEAR)


def test_training_metrics_follow_the_years_sros(demo_file, counted, schools):
    from sro_desk.records import selection

    # Once Ann is placed at a school by a selection decision, she alone is the year's SRO.
    round_id = selection.open_round(demo_file, school_year=YEAR, title="High school SRO", opened_on="2025-05-01",
                                    school_id=schools[0], officer_ids=[counted["ann"]])
    selection.decide(demo_file, selection.load_round(demo_file, round_id), selection.Decision(
        counted["ann"], "2025-06-01", ["youth_experience"], "No time to gather input."))
    measured = rv.compute_metric(demo_file, "training_hours", YEAR, today=TODAY)
    assert (measured.value, measured.text) == (10, "10 h")


# -- metrics and their agreement ---------------------------------------------------------


def test_metrics_are_added_copied_and_agreed(demo_file):
    arrests = rv.save_metric(demo_file, ReviewMetric(YEAR, "", "arrests", target="Fewer than last year"), today=TODAY)
    survey = rv.save_metric(demo_file, ReviewMetric(YEAR, HOSTILE, measures="Climate survey", target="80%",
                                                    manual_value="84%"), today=TODAY)
    first, second = rv.metrics_for(demo_file, YEAR)
    assert (first.id, first.name, first.source_label) == (arrests, "Arrests", "From the file")
    assert first.measures == rv.COMPUTED_MEASURES["arrests"]
    assert (second.id, second.name, second.manual_value, second.source_label) == (survey, HOSTILE, "84%", "By hand")
    with pytest.raises(ValidationError) as caught:
        rv.save_metric(demo_file, ReviewMetric(YEAR, "arrests", "citations"), today=TODAY)
    assert caught.value.field == "name"
    for bad in (ReviewMetric(YEAR, "x", "vibes"), ReviewMetric("2025", "x"), ReviewMetric(YEAR, "x", agreed_on="2025-08-01"),
                ReviewMetric(YEAR, "x", target="t" * 1001)):
        with pytest.raises(ValidationError):
            rv.save_metric(demo_file, bad, today=TODAY)
    with pytest.raises(ValidationError):
        rv.agree_metrics(demo_file, "2030-2031", "2025-08-01", "Chief", today=TODAY)
    with pytest.raises(ValidationError):
        rv.agree_metrics(demo_file, YEAR, "2025-08-01", "  ", today=TODAY)
    assert rv.agree_metrics(demo_file, YEAR, "2025-08-01", "Chief and Superintendent", today=TODAY) == 2

    # Entering the value keeps the agreement; changing the target undoes it.
    second = rv.metrics_for(demo_file, YEAR)[1]
    second.manual_value = "86%"
    rv.save_metric(demo_file, second, today=TODAY)
    assert rv.metrics_for(demo_file, YEAR)[1].agreed_on == "2025-08-01"
    first = rv.metrics_for(demo_file, YEAR)[0]
    first.target = "None at all"
    rv.save_metric(demo_file, first, today=TODAY)
    assert (rv.metrics_for(demo_file, YEAR)[0].agreed_on, rv.metrics_for(demo_file, YEAR)[0].agreed_by) == ("", "")
    with pytest.raises(ConflictError):
        rv.save_metric(demo_file, first, today=TODAY)

    assert rv.copy_metrics_from(demo_file, YEAR, "2026-2027") == 2
    assert rv.copy_metrics_from(demo_file, YEAR, "2026-2027") == 0
    copied = rv.metrics_for(demo_file, "2026-2027")
    assert [(m.name, m.manual_value, m.agreed_on) for m in copied] == [("Arrests", "", ""), (HOSTILE, "", "")]
    with pytest.raises(SroDeskError):
        rv.copy_metrics_from(demo_file, "2019-2020", YEAR)

    rv.save_review(demo_file, AnnualReview(YEAR, findings=[Finding(metric_id=arrests, rating="met")]), today=TODAY)
    with pytest.raises(ValidationError):
        rv.delete_metric(demo_file, rv.metrics_for(demo_file, YEAR)[0])
    rv.delete_metric(demo_file, copied[0])
    assert len(rv.metrics_for(demo_file, "2026-2027")) == 1


def test_metrics_agreed_late_or_never_are_flagged(demo_file):
    assert "No metrics were agreed" in rv.metrics_agreed_late(demo_file, YEAR)
    rv.save_metric(demo_file, ReviewMetric(YEAR, "", "arrests"), today=TODAY)
    assert "were not agreed in advance" in rv.metrics_agreed_late(demo_file, YEAR)
    rv.agree_metrics(demo_file, YEAR, "2025-08-20", "Chief and Superintendent", today=TODAY)
    assert rv.metrics_agreed_late(demo_file, YEAR) is None
    rv.save_review(demo_file, AnnualReview(YEAR, held_on="2026-06-17"), today=TODAY)
    assert rv.metrics_agreed_late(demo_file, YEAR) is None

    rv.agree_metrics(demo_file, YEAR, "2026-06-20", "Chief and Superintendent", today=TODAY)
    late = rv.metrics_agreed_late(demo_file, YEAR)
    assert "agreed on 2026-06-20, after the review meeting of 2026-06-17" in late
    assert rv.printable_review(demo_file, YEAR, today=TODAY).late_note == late

    rv.agree_metrics(demo_file, YEAR, "2025-10-01", "Chief and Superintendent", today=TODAY)
    assert "after school started (2025-09-01)" in rv.metrics_agreed_late(demo_file, YEAR)

    rv.agree_metrics(demo_file, YEAR, "2025-09-01", "Chief and Superintendent", today=TODAY)
    assert rv.metrics_agreed_late(demo_file, YEAR) is None
    rv.save_metric(demo_file, ReviewMetric(YEAR, "Survey"), today=TODAY)
    assert "1 of the 2 metrics" in rv.metrics_agreed_late(demo_file, YEAR)


# -- goals -----------------------------------------------------------------------------


def test_goals_start_from_the_model_and_are_edited(demo_file):
    goals = rv.list_goals(demo_file)
    assert [g.text for g in goals] == list(rv.DEFAULT_GOALS)
    assert {g.source for g in goals} == {"default"}
    assert rv.list_goals(demo_file) == goals  # seeded once
    new = rv.save_goal(demo_file, rv.Goal("  Students   know the SRO by name. "))
    goals = rv.list_goals(demo_file)
    assert (goals[-1].id, goals[-1].text, goals[-1].source) == (new, "Students know the SRO by name.", "district")
    goals[0].text = HOSTILE
    rv.save_goal(demo_file, goals[0])
    with pytest.raises(ConflictError):
        rv.save_goal(demo_file, goals[0])
    with pytest.raises(ValidationError):
        rv.save_goal(demo_file, rv.Goal("   "))
    rv.retire_goal(demo_file, rv.list_goals(demo_file)[1])
    assert len(rv.list_goals(demo_file)) == len(rv.DEFAULT_GOALS)
    assert len(rv.list_goals(demo_file, include_retired=True)) == len(rv.DEFAULT_GOALS) + 1
    current = rv.list_goals(demo_file)
    rv.reorder_goals(demo_file, list(reversed(current)))
    assert [g.id for g in rv.list_goals(demo_file)] == [g.id for g in reversed(current)]
    assert rv.list_goals(demo_file)[-1].text == HOSTILE


def test_goals_come_from_the_agreement_in_force(demo_file):
    with pytest.raises(SroDeskError):
        rv.import_goals_from_agreement(demo_file, YEAR)
    agreement_id = agreements.new_from_library(demo_file, school_year=LAST)
    assert rv.goals_from_agreement(demo_file, YEAR) == []  # a draft is not in force
    with demo_file.write():
        rows.update(demo_file, "agreement", agreement_id, {"status": "signed"}, expected_version=1)
    texts = rv.goals_from_agreement(demo_file, YEAR)
    assert len(texts) >= 5 and not any("[[" in t or "{{" in t for t in texts)
    assert rv.goals_from_agreement(demo_file, "2023-2024") == []
    goals = rv.list_goals(demo_file, school_year=YEAR)
    assert [g.text for g in goals] == texts and {g.source for g in goals} == {"agreement"}
    assert rv.import_goals_from_agreement(demo_file, YEAR) == 0
    rv.retire_goal(demo_file, goals[0])
    assert rv.import_goals_from_agreement(demo_file, YEAR) == 0  # a retired goal is still known


# -- feedback --------------------------------------------------------------------------


def test_feedback_is_kept_by_year(demo_file, schools):
    first = rv.save_feedback(demo_file, rv.Feedback("2025-07-01", "students", HOSTILE, schools[0]), today=TODAY)
    rv.save_feedback(demo_file, rv.Feedback("2025-06-30", "families", "Late in the year."), today=TODAY)
    [entry] = rv.feedback_for(demo_file, YEAR)
    assert (entry.id, entry.summary, entry.group_label, entry.school_year) == (first, HOSTILE, "Students", YEAR)
    for bad, field in ((rv.Feedback("2025-10-01", "aliens", "x"), "source_group"),
                       (rv.Feedback("2025-10-01", "teachers", "  "), "summary"),
                       (rv.Feedback("2027-10-01", "teachers", "x"), "received_on"),
                       (rv.Feedback("2025-10-01", "teachers", "x", 9999), "school_id")):
        with pytest.raises(ValidationError) as caught:
            rv.save_feedback(demo_file, bad, today=TODAY)
        assert caught.value.field == field
    entry.summary = "Edited."
    rv.save_feedback(demo_file, entry, today=TODAY)
    with pytest.raises(ConflictError):
        rv.delete_feedback(demo_file, entry)
    rv.delete_feedback(demo_file, rv.feedback_for(demo_file, YEAR)[0])
    assert rv.feedback_for(demo_file, YEAR) == []


# -- the review ------------------------------------------------------------------------


def _officer(data_file, name: str = "Ann Ortiz") -> int:
    return officers.save_officer(data_file, officers.Officer(name, assigned_sro=True))


def test_a_review_round_trips_and_refuses_a_stale_save(demo_file, schools):
    goals = rv.list_goals(demo_file)
    metric = rv.save_metric(demo_file, ReviewMetric(YEAR, "", "arrests"), today=TODAY)
    meeting = mt.save_meeting(demo_file, mt.Meeting("annual_review", "2026-06-17", attendees=[
        mt.Attendee("Dr. Maria Santos", "Superintendent")]), today=TODAY)
    ann = _officer(demo_file)
    review_id = rv.save_review(demo_file, AnnualReview(
        YEAR, performance=HOSTILE, summary=HOSTILE,
        findings=[Finding(goal_id=goals[0].id, rating="met", finding=HOSTILE), Finding(goal_id=goals[1].id),
                  Finding(metric_id=metric, rating="not_met", finding="Too many.")],
        assignments=[Assignment(ann, schools[0], "continue", HOSTILE, chief_keeps=True, chief_explanation="x")],
    ), today=TODAY)
    review = rv.load_review(demo_file, YEAR)
    assert review.id == review_id and review.meeting_id == meeting and review.held_on == "2026-06-17"
    assert review.performance == review.summary == HOSTILE
    assert [(f.goal_id, f.metric_id, f.rating, f.finding) for f in review.findings] == [
        (goals[0].id, None, "met", HOSTILE), (None, metric, "not_met", "Too many.")]
    [assignment] = review.assignments
    assert (assignment.reason, assignment.chief_keeps, assignment.chief_explanation) == (HOSTILE, None, "")

    mine, theirs = rv.load_review(demo_file, YEAR), rv.load_review(demo_file, YEAR)
    theirs.findings[1].finding = "Fewer than last year."
    rv.save_review(demo_file, theirs, today=TODAY)
    mine.summary = "Mine."
    with pytest.raises(ConflictError):
        rv.save_review(demo_file, mine, today=TODAY)
    assert rv.load_review(demo_file, YEAR).summary == HOSTILE
    with pytest.raises(ValidationError):
        rv.save_review(demo_file, AnnualReview(YEAR), today=TODAY)  # a second review for the year


@pytest.mark.parametrize("finding, assignment, field", [
    (Finding(rating="met"), None, "findings"),
    (Finding(goal_id=1, metric_id=1, rating="met"), None, "findings"),
    (Finding(goal_id=99999, rating="met"), None, "findings"),
    (Finding(goal_id=1, rating="superb"), None, "findings"),
    (None, Assignment(99999), "assignments"),
    (None, Assignment(1, recommendation="promote"), "assignments"),
])
def test_a_malformed_review_is_refused(demo_file, finding, assignment, field):
    rv.list_goals(demo_file)
    _officer(demo_file)
    review = AnnualReview(YEAR, findings=[finding] if finding else [], assignments=[assignment] if assignment else [])
    with pytest.raises(ValidationError) as caught:
        rv.save_review(demo_file, review, today=TODAY)
    assert caught.value.field == field
    assert demo_file.query("SELECT count(*) AS n FROM annual_review")[0]["n"] == 0


def test_a_final_review_needs_the_chiefs_explanation(demo_file, schools):
    ann, ben = _officer(demo_file), _officer(demo_file, "Ben Cho")
    kept = Assignment(ann, schools[0], "end", "Training not completed.", chief_keeps=True)
    rv.save_review(demo_file, AnnualReview(YEAR, assignments=[kept, Assignment(ben)]), today=TODAY)  # a draft may wait
    draft = rv.load_review(demo_file, YEAR)
    with pytest.raises(ValidationError) as caught:
        rv.finalise(demo_file, draft, today=TODAY)
    assert caught.value.field == "held_on"
    draft.held_on = "2026-06-17"
    with pytest.raises(ValidationError) as caught:
        rv.finalise(demo_file, draft, today=TODAY)
    assert caught.value.field == "chief_explanation" and "Ann Ortiz" in caught.value.message
    assert rv.load_review(demo_file, YEAR).status == "draft"
    draft.assignments[0].chief_keeps = None
    with pytest.raises(ValidationError) as caught:
        rv.finalise(demo_file, draft, today=TODAY)
    assert "whether the chief keeps" in caught.value.message
    draft.assignments[0].chief_keeps = True
    draft.assignments[0].chief_explanation = "No other trained officer is free; her training is booked."
    rv.finalise(demo_file, draft, today=TODAY)
    final = rv.load_review(demo_file, YEAR)
    assert final.final and final.assignments[0].chief_explanation.startswith("No other")
    assert rv.printable_review(demo_file, YEAR, today=TODAY).status == "Final"
    with pytest.raises(SroDeskError):
        rv.save_review(demo_file, final, today=TODAY)
    with pytest.raises(SroDeskError):
        rv.finalise(demo_file, final, today=TODAY)
    rv.reopen(demo_file, final)
    reopened = rv.load_review(demo_file, YEAR)
    assert reopened.status == "draft"
    reopened.assignments[0].chief_keeps = False
    rv.finalise(demo_file, reopened, today=TODAY)
    assert rv.load_review(demo_file, YEAR).assignments[0].chief_explanation == ""


def test_the_review_meeting_must_be_an_end_of_year_review(demo_file):
    other = mt.save_meeting(demo_file, mt.Meeting("safety", "2026-05-01"), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        rv.save_review(demo_file, AnnualReview(YEAR, meeting_id=other), today=TODAY)
    assert caught.value.field == "meeting_id"
    later = mt.save_meeting(demo_file, mt.Meeting("annual_review", "2027-06-17"), today=TODAY)
    with pytest.raises(ValidationError):
        rv.finalise(demo_file, AnnualReview("2026-2027", meeting_id=later), today=TODAY)
    held = mt.save_meeting(demo_file, mt.Meeting("annual_review", "2026-06-17"), today=TODAY)
    rv.save_review(demo_file, AnnualReview(YEAR), today=TODAY)
    assert rv.load_review(demo_file, YEAR).meeting_id == held
    moved = mt.load_meeting(demo_file, held)
    moved.held_on = "2026-06-19"
    mt.save_meeting(demo_file, moved, today=TODAY)
    assert rv.load_review(demo_file, YEAR).held_on == "2026-06-19"
    assert rv.printable_review(demo_file, YEAR, today=TODAY).held_on == "2026-06-19"


# -- the printed review ----------------------------------------------------------------


@pytest.mark.parametrize("year", ["2025", "2025-2027", "twenty-twenty", ""])
def test_printing_a_malformed_year_is_refused(demo_file, year):
    with pytest.raises(ValidationError) as caught:
        rv.printable_review(demo_file, year, today=TODAY)
    assert "write it like 2025-2026" in caught.value.message


def test_printing_a_year_with_nothing_recorded_is_refused(demo_file):
    with pytest.raises(SroDeskError) as caught:
        rv.printable_review(demo_file, "2019-2020", today=TODAY)
    assert "2019-2020" in caught.value.message and caught.value.message.count(".") == 1
    rv.save_feedback(demo_file, rv.Feedback("2019-10-01", "teachers", "One note."), today=TODAY)
    printed = rv.printable_review(demo_file, "2019-2020", today=TODAY)
    assert printed.status == "Draft" and printed.held_on == "" and printed.feedback == [
        ("2019-10-01", "Teachers", "One note.")]


def _decide_district_wide(data_file, officer_id: int, year: str = YEAR) -> None:
    """Record a selection decision placing an SRO at every school, before the year starts."""
    from sro_desk.records import selection

    round_id = selection.open_round(data_file, school_year=year, title=f"District SRO {officer_id}",
                                    opened_on=f"{year[:4]}-05-01", officer_ids=[officer_id])
    selection.decide(data_file, selection.load_round(data_file, round_id), selection.Decision(
        officer_id, f"{year[:4]}-06-01", ["youth_experience"], "No time to gather input."))


def test_the_printed_review_counts_by_month_and_year(demo_file, counted):
    for officer_id in counted.values():
        _decide_district_wide(demo_file, officer_id)
    rv.save_metric(demo_file, ReviewMetric(YEAR, "", "arrests"), today=TODAY)
    rv.save_metric(demo_file, ReviewMetric(YEAR, "", "substantiated_complaints"), today=TODAY)
    rv.save_metric(demo_file, ReviewMetric(YEAR, "Survey", manual_value="84%"), today=TODAY)
    rv.save_metric(demo_file, ReviewMetric(LAST, "survey", manual_value="79%"), today=TODAY)
    printed = rv.printable_review(demo_file, YEAR, today=TODAY)
    assert printed.month_labels == ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    assert printed.monthly == {
        "Arrests": [0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0],
        "Citations": [0, 0, 0, 0, 3, 0, 1, 0, 0, 0, 0, 0],
        "Court referrals": [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    }
    assert printed.by_year == [(LAST, {"Arrests": 1, "Citations": 2, "Court referrals": 0}),
                               (YEAR, {"Arrests": 3, "Citations": 4, "Court referrals": 1})]
    assert [(m.name, m.actual, m.last_year, m.source) for m in printed.metrics] == [
        ("Arrests", "3", "1", "From the file"),
        ("Substantiated complaints about the SRO or the program", "2", "1", "From the file"),
        ("Survey", "84%", "79%", "By hand"),
    ]
    assert dict(printed.complaints)["Complaints about the SRO or the program"] == "4"
    assert dict(printed.complaints)["Substantiated"] == "2"
    assert dict(printed.complaints)["Concerns raised by the SRO or officers about staff"] == "1"
    assert printed.training == [
        training.training_status(demo_file, counted[k], YEAR, today=TODAY).summary() for k in ("ann", "ben")]
    assert printed.prepared_on == TODAY.isoformat() and printed.suppression_note == ""
    assert printed.goals == list(rv.DEFAULT_GOALS)
    assert [(f.kind, f.rating) for f in printed.findings] == [("goal", "")] * len(rv.DEFAULT_GOALS) + [
        ("metric", "")] * 3
    # Every SRO school (the decisions placed both at all four) missed every month of a year with no meetings.
    assert len(printed.meetings_missing) == 4
    assert not any(name in repr(printed) for name in NAMES)


def test_the_public_review_hides_small_counts(demo_file, counted):
    rv.save_metric(demo_file, ReviewMetric(YEAR, "", "arrests"), today=TODAY)
    rv.save_metric(demo_file, ReviewMetric(YEAR, "", "substantiated_complaints"), today=TODAY)
    printed = rv.printable_review(demo_file, YEAR, public=True, today=TODAY)
    full = rv.printable_review(demo_file, YEAR, today=TODAY)
    for label, series in printed.monthly.items():
        if len(series) == len(full.monthly[label]):  # by month (by quarter when too sparse)
            for shown, actual in zip(series, full.monthly[label]):
                assert shown is None or (shown == actual and shown >= 6)
        assert all(v is None or v >= 6 for v in series)
    assert printed.by_year[-1][1]["Arrests"] is None
    assert all(value is None or value >= 6 for _, counts in printed.by_year for value in counts.values())
    complaint_values = dict(printed.complaints)
    assert complaint_values["Complaints about the SRO or the program"] == "not shown"
    assert complaint_values["Concerns raised by the SRO or officers about staff"] == "not shown"
    assert [m.actual for m in printed.metrics] == ["not shown", "not shown"]
    assert printed.suppression_note and "below 6 (zero included)" in printed.suppression_note
    assert not any(name in repr(printed) for name in NAMES)

    enforcement.set_suppression_threshold(demo_file, 1)
    unhidden = rv.printable_review(demo_file, YEAR, public=True, today=TODAY)
    assert unhidden.monthly == full.monthly and unhidden.suppression_note == ""


# -- the demo --------------------------------------------------------------------------


@pytest.mark.parametrize("today", [date(2026, 11, 22), date(2027, 7, 3)])
def test_the_demo_has_a_year_of_meetings_and_a_finished_review(new_file, today):
    from sro_desk.records.calendar import previous_school_year, school_year_of
    from sro_desk.records.demo import create_demo

    create_demo(new_file, today=today)
    last = previous_school_year(school_year_of(today))
    first = int(last[:4])
    compliance = mt.missing_monthly_meetings(new_file, last, today=today)
    assert len(compliance) == 2 and sum(len(c.missing) for c in compliance) == 2
    held = mt.meetings_for(new_file, last)
    kinds = {m.kind for m in held}
    assert kinds == {"sro_principal", "agreement_review", "safety", "annual_review"}
    assert all(m.held_on < f"{first}-09-01" for m in held if m.kind == "agreement_review")
    review = rv.load_review(new_file, last)
    assert review.final and any(a.chief_keeps and a.chief_explanation for a in review.assignments)
    printed = rv.printable_review(new_file, last, today=today)
    assert printed.status == "Final" and printed.late_note == "" and len(printed.meetings_missing) == 2
    assert {g for _, g, _ in printed.feedback} >= {"Principals", "Teachers", "Students", "Families"}
    assert all(m.agreed_on and m.actual for m in printed.metrics)
    assert len(printed.attendees) == 5 and printed.findings and all(f.rating for f in printed.findings)
    assert any(o.overdue for o in mt.open_action_items(new_file, today))
    assert rv.printable_review(new_file, last, public=True, today=today).suppression_note
