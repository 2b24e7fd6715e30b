"""The sample district's meetings, goals, metrics, feedback and last year's finished review.

Last school year: a monthly SRO-principal meeting at the high school and the middle
school (two months missed), the agreement review before school started, a safety
meeting, community feedback, agreed metrics and a final review in which the chief keeps
an officer the superintendent recommended against, with the chief's explanation. This
year: the meetings held so far (one month missed), one still to come, the agreement
review, and open action items.
"""

from __future__ import annotations

from datetime import date, timedelta

from sro_desk.records import meetings as mt
from sro_desk.records import review as rv
from sro_desk.records.meetings import ActionItem, Attendee, Meeting

SUPERINTENDENT = Attendee("Dr. Maria Santos", "Superintendent")
CHIEF_ASHBY = Attendee("Daniel O'Connell", "Chief of Police, Ashby Falls")
CHIEF_MILLBROOK = Attendee("Keisha Thompson", "Chief of Police, Millbrook")
BELL = Attendee("Marcus Bell", "SRO")
RAMAN = Attendee("Priya Raman", "SRO")

_TOPICS = [
    ("Start of year: arrival and dismissal routines; the complaint notice.",
     "Walked the arrival routine together; the principal will share the complaint notice at the open house."),
    ("Lunch supervision; a student support referral.",
     "Agreed the SRO joins lunch duty twice a week to know students by name."),
    ("Attendance concerns and home visits.",
     "The SRO will not take part in truancy enforcement; the counsellor leads home visits."),
    ("Winter events and the holiday assembly.",
     "Reviewed the staff guide on when to call the SRO; two staff calls this month were school discipline."),
    ("Mid-year review of referrals and diversions.",
     "Diversions outnumber court referrals; the principal asked for the restorative circle schedule."),
    ("Vaping on school grounds.",
     "Vaping stays a school discipline matter; the SRO will give a health talk with the nurse."),
    ("Spring safety drill planning.",
     "Set the lockdown drill date; the SRO observes and the principal leads."),
    ("State testing weeks.",
     "The SRO keeps a low profile during testing; no classroom visits."),
    ("End-of-year events and graduation.",
     "Agreed traffic and crowd plans for graduation with the town."),
    ("Year in review for the principal and the SRO.",
     "Both sides want more student-led activities next year."),
]


def create_sample_meetings(data_file, district, last: str, current: str, today: date) -> int:
    """Add the sample meetings and review; returns how many meetings were recorded."""
    high, middle = district.schools[0], district.schools[1]
    first_last, first_now = int(last[:4]), int(current[:4])
    officers = {r["name"]: r["id"] for r in data_file.query("SELECT id, name FROM officer")}
    count = 0

    def add(meeting: Meeting) -> int:
        nonlocal count
        count += 1
        return mt.save_meeting(data_file, meeting, today=today)

    def monthly(year_first: int, skip: set[tuple[int, int]]) -> None:
        for number, month in enumerate((9, 10, 11, 12, 1, 2, 3, 4, 5, 6)):
            year = year_first if month >= 7 else year_first + 1
            for school, sro, day in ((high, BELL, 8 + number % 5), (middle, RAMAN, 15 + number % 6)):
                held = date(year, month, day)
                if held > today or (school.id, month) in skip:
                    continue
                agenda, minutes = _TOPICS[number]
                due = held + timedelta(days=21)
                done = due - timedelta(days=3)
                actions = [ActionItem("Send the principal the month's SRO activity log.", sro.name, due.isoformat(),
                                      done.isoformat() if done <= today - timedelta(days=7) else "")]
                add(Meeting("sro_principal", held.isoformat(), [school.id], location=f"Principal's office, {school.name}",
                            agenda=agenda, minutes=minutes,
                            attendees=[Attendee(school.principal_name, "Principal"), sro],
                            actions=actions))

    # Last year: two months missed (December at the high school, April at the middle school).
    monthly(first_last, {(high.id, 12), (middle.id, 4)})
    add(Meeting(
        "agreement_review", date(first_last, 8, 6).isoformat(), title=f"Agreement review before {last}",
        location="Central office", agenda="Read last year's agreement clause by clause; agree the year's metrics.",
        minutes="The parties kept the agreement's text, set the salary split at 60/40 and agreed the review metrics.",
        decisions="Sign the renewed agreement by mid-August; file it with DESE by the end of the month.",
        attendees=[SUPERINTENDENT, CHIEF_ASHBY, CHIEF_MILLBROOK],
        actions=[ActionItem("File the signed agreement with DESE.", "Dr. Maria Santos",
                            date(first_last, 8, 31).isoformat(), date(first_last, 8, 29).isoformat())],
    ))
    add(Meeting(
        "safety", date(first_last, 10, 22).isoformat(), [high.id, middle.id], title="School safety meeting",
        location="High school library",
        agenda="Emergency plans, the SRO's role, and what students and parents want from the program.",
        minutes="Parents asked how searches are decided; students asked for the SRO at club fairs. Teachers asked "
                "for a one-page guide on when to call the SRO.",
        decisions="Publish the one-page staff guide; invite the SRO to the spring club fair.",
        attendees=[Attendee(high.principal_name, "Principal"), Attendee(middle.principal_name, "Principal"),
                   Attendee("Carla Mendes", "Teacher"), Attendee("Owen Fitzgerald", "Parent"),
                   Attendee("Imani Brooks", "Student council"), BELL, RAMAN],
        actions=[ActionItem("Publish the one-page guide on when to call the SRO.", middle.principal_name,
                            date(first_last, 12, 1).isoformat(), date(first_last, 11, 20).isoformat())],
    ))
    review_meeting = add(Meeting(
        "annual_review", date(first_last + 1, 6, 17).isoformat(), title=f"Annual review {last}",
        location="Central office", agenda="Goals, metrics, feedback, training and the assignments for next year.",
        minutes="The attendees went through each goal and metric; each attendee receives a copy of the review.",
        decisions="Continue Officer Bell at the high school; the chief keeps Sergeant Raman at the middle school.",
        attendees=[SUPERINTENDENT, CHIEF_ASHBY, CHIEF_MILLBROOK, BELL, RAMAN],
        actions=[
            ActionItem("Schedule Sergeant Raman's missing required training before October.", "Keisha Thompson",
                       date(first_now, 9, 30).isoformat()),
            ActionItem("Send each attendee a copy of the review.", "Dr. Maria Santos",
                       date(first_last + 1, 6, 30).isoformat(), date(first_last + 1, 6, 24).isoformat()),
            ActionItem("Put the complaint notice in Spanish on the district website.", "Dr. Maria Santos",
                       date(first_last + 1, 6, 30).isoformat()),
        ],
    ))

    # This year so far: the middle school's first meeting was missed.
    monthly(first_now, {(middle.id, 9)})
    if date(first_now, 8, 5) <= today:
        add(Meeting(
            "agreement_review", date(first_now, 8, 5).isoformat(), title=f"Agreement review before {current}",
            location="Central office", agenda="Changes for the new year: training hours.",
            minutes="The parties proposed raising the yearly training minimum to 16 hours.",
            attendees=[SUPERINTENDENT, CHIEF_ASHBY, CHIEF_MILLBROOK],
            actions=[ActionItem("Send the draft agreement to both town counsels.", "Dr. Maria Santos",
                                date(first_now, 8, 20).isoformat()),
                     ActionItem("Sign the new agreement.", "Dr. Maria Santos", (today + timedelta(days=30)).isoformat())],
        ))
    add(Meeting(
        "safety", (today + timedelta(days=24)).isoformat(), [high.id, middle.id], title="School safety meeting",
        location="High school library", agenda="Emergency plans and questions from families and students.",
        attendees=[SUPERINTENDENT, Attendee(high.principal_name, "Principal"), BELL, RAMAN],
    ))

    _sample_review(data_file, district, last, current, today, review_meeting, officers)
    return count


def _sample_review(data_file, district, last: str, current: str, today: date, meeting_id: int,
                   officers: dict[str, int]) -> None:
    high, middle = district.schools[0], district.schools[1]
    first_last, first_now = int(last[:4]), int(current[:4])
    goals = rv.list_goals(data_file, school_year=last)
    agreed_by = "Dr. Maria Santos and Chiefs Daniel O'Connell and Keisha Thompson"
    plan = [
        ("arrests", "Fewer than last year; each one a last resort or on a warrant"),
        ("citations", "Fewer than last year"),
        ("court_referrals", "Fewer than the diversions"),
        ("diversions", "More than the court referrals"),
        ("substantiated_complaints", "None"),
        ("training_hours", "At least 12 hours for each SRO"),
        ("required_topics", "All four for each SRO"),
        ("community_activities", "At least 20"),
    ]
    for key, target in plan:
        rv.save_metric(data_file, rv.ReviewMetric(last, rv.COMPUTED[key], key, target=target), today=today)
    rv.save_metric(data_file, rv.ReviewMetric(
        last, "Students who say they feel safe at school", measures="The spring student climate survey.",
        target="At least 80%", manual_value="84%"), today=today)
    rv.agree_metrics(data_file, last, date(first_last, 8, 6).isoformat(), agreed_by, today=today)
    rv.copy_metrics_from(data_file, last, current)
    if date(first_now, 8, 5) <= today:
        rv.agree_metrics(data_file, current, date(first_now, 8, 5).isoformat(), agreed_by, today=today)

    for day, group, school, summary in [
        (date(first_last, 10, 22), "families", high, "Parents at the safety meeting want to know how searches are "
                                                   "decided and asked for it in the handbook."),
        (date(first_last, 11, 30), "principals", None, "All four principals find the monthly meetings useful; the "
                                                      "elementary schools would like a visit each term."),
        (date(first_last + 1, 1, 25), "teachers", middle, "Teachers value the one-page guide; a few still call the "
                                                         "SRO for classroom disruptions."),
        (date(first_last + 1, 3, 14), "students", high, "Student council: the SRO is approachable; some students "
                                                       "feel watched at dismissal."),
        (date(first_last + 1, 5, 9), "families", middle, "PTO survey: 71% of families who answered trust the SRO; "
                                                        "Spanish-speaking families asked for information in Spanish."),
        (date(first_now, 10, 3), "teachers", high, "Staff meeting: teachers asked for a refresher on the guide."),
    ]:
        if day <= today:
            rv.save_feedback(data_file, rv.Feedback(day.isoformat(), group, summary,
                                                    school.id if school else None), today=today)

    ratings = ["met", "met", "partly", "met", "partly", "met", "partly", "met", "met"]
    notes = [
        "No incidents of bias were substantiated; families asked for information in Spanish.",
        "Roles were clear; the monthly meetings were held in all but two months.",
        "Joint decisions on most incidents; two arrests were made without consulting the principal beforehand.",
        "Staff calls for discipline fell after the one-page guide.",
        "Diversions outnumbered court referrals, but arrests did not fall.",
        "Many counselling and mentoring contacts were logged.",
        "One SRO fell short of the required hours and topics.",
        "The SROs joined the emergency drills and the threat assessment team.",
        "Fourteen presentations and classes.",
    ]
    findings = [rv.Finding(goal_id=g.id, rating=ratings[n % len(ratings)], finding=notes[n % len(notes)])
                for n, g in enumerate(goals)]
    metric_notes = {
        "arrests": ("partly", "Each arrest was reviewed; two lacked a recorded reason."),
        "diversions": ("met", "Diversion was the most common response."),
        "substantiated_complaints": ("not_met", "One complaint about the SRO's conduct was substantiated."),
        "training_hours": ("not_met", "Sergeant Raman logged fewer than the required hours."),
        "community_activities": ("met", "Well above the target."),
    }
    for metric in rv.metrics_for(data_file, last):
        rating, text = metric_notes.get(metric.source, ("met", "Met the agreed target."))
        findings.append(rv.Finding(metric_id=metric.id, rating=rating, finding=text))
    review = rv.AnnualReview(
        school_year=last, meeting_id=meeting_id,
        performance=("Officer Bell built trust with students and staff and used diversion first. Sergeant Raman "
                     "was well regarded at the middle school but did not complete the required training."),
        summary=("A good year with clear roles; the district and the departments will focus on training, on "
                 "information for Spanish-speaking families, and on consulting principals before any arrest."),
        findings=findings,
        assignments=[
            rv.Assignment(officers["Marcus Bell"], high.id, "continue", "Strong feedback from every group."),
            rv.Assignment(officers["Priya Raman"], middle.id, "end",
                          "The required yearly training was not completed.", chief_keeps=True,
                          chief_explanation=("Sergeant Raman's training is booked for September and October; "
                                             "no other trained officer is free, and the middle school asked to "
                                             "keep her.")),
        ],
    )
    rv.save_review(data_file, review, today=today)
    rv.finalise(data_file, rv.load_review(data_file, last), today=today)
