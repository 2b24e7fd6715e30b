"""A realistic sample district, so a newcomer sees a living program.

The district, its towns and its people are invented. Each kind of record adds its own
sample here, spanning the last complete school year and the current one.
"""

from __future__ import annotations

from datetime import date, timedelta

from sro_desk.errors import SroDeskError
from sro_desk.records import agreements, complaints, enforcement, officers, selection, training
from sro_desk.records.calendar import previous_school_year, school_year_of
from sro_desk.records.demo_meetings import create_sample_meetings
from sro_desk.records.district import District, PoliceDepartment, School, load_district, save_district
from sro_desk.store import DataFile


def sample_district() -> District:
    """A regional district served by two towns' police departments."""
    return District(
        name="Granite Valley Regional School District",
        kind="regional",
        superintendent_name="Dr. Maria Santos",
        schools=[
            School("Granite Valley Regional High School", "9-12", "Jonathan Pierce"),
            School("Granite Valley Middle School", "6-8", "Alicia Nguyen"),
            School("Ashby Falls Elementary School", "PK-5", "Robert Okafor"),
            School("Millbrook Elementary School", "K-5", "Hannah Lindqvist"),
        ],
        departments=[
            PoliceDepartment("Ashby Falls Police Department", "Ashby Falls", "Daniel O'Connell"),
            PoliceDepartment("Millbrook Police Department", "Millbrook", "Keisha Thompson"),
        ],
    )


def create_demo(data_file: DataFile, *, today: date | None = None) -> str:
    """Fill an empty file with the sample district; returns a one-line summary.

    A file that already holds a district is refused, so the demo never mixes with
    real records.
    """
    if load_district(data_file) is not None:
        raise SroDeskError(
            f"{data_file.path.name} already holds a district, so no sample was added; "
            "run the demo on a new file."
        )
    today = today or date.today()
    current = school_year_of(today)
    last = previous_school_year(current)
    district = save_district(data_file, sample_district())
    signed, draft = _sample_agreements(data_file, last, current)
    officers = _sample_training(data_file, district, last, current, today)
    _sample_selection(data_file, district, last)
    entries = _sample_enforcement(data_file, district, last, current, today)
    complaint_count = _sample_complaints(data_file, district, last, current, today)
    create_sample_meetings(data_file, district, last, current, today)
    return (
        f"Created the sample {district.name} ({len(district.schools)} schools, "
        f"{len(district.departments)} police departments) for {last} and {current} "
        f"in {data_file.path}: agreement {signed} ({last}, signed and filed), "
        f"agreement {draft} ({current}, draft), the training logs of "
        f"{' and '.join(officers)}, the {last} selection of the high school's SRO, "
        f"{entries} enforcement entries and {complaint_count} complaints (the sample passphrase "
        f"for confidential identities is '{DEMO_PASSPHRASE}')."
    )


def _sample_training(data_file: DataFile, district, last: str, current: str, today: date) -> list[str]:
    """Two SROs: one whose training last year was complete, one who fell short."""
    ashby, millbrook = district.departments
    bell = officers.save_officer(
        data_file,
        officers.Officer("Marcus Bell", "Officer", ashby.id, 11, assigned_sro=True),
    )
    raman = officers.save_officer(
        data_file,
        officers.Officer("Priya Raman", "Sergeant", millbrook.id, 8, assigned_sro=True),
    )
    first_last = int(last[:4])
    first_now = int(current[:4])
    plan = [
        # (officer, date, title, provider, hours, topics, basic course?, with administrators)
        (bell, date(first_last, 7, 14), "Basic School Resource Officer Course",
         "Municipal Police Training Committee", "40", ["mptc"], True, ""),
        (bell, date(first_last, 8, 19), "Adolescent brain development for school officers",
         "Regional Juvenile Justice Center", "4", ["child_development", "mental_health"], False,
         "Assistant principal, Granite Valley Middle School"),
        (bell, date(first_last, 10, 7), "De-escalation and conflict resolution in schools",
         "Massachusetts Juvenile Police Officers Association", "6",
         ["de_escalation", "conflict_resolution"], False, ""),
        (bell, date(first_last + 1, 1, 23), "Diversion and restorative responses",
         "County District Attorney's Office", "3.5", ["diversion", "restorative_practices"],
         False, "Director of Student Services"),
        (bell, date(first_last + 1, 4, 2), "Special education law for SROs", "District legal counsel",
         "1.5", ["special_education", "student_privacy"], False, "Principals of all four schools"),
        (raman, date(first_last, 9, 9), "Crisis intervention and de-escalation",
         "Millbrook Police Department", "4", ["de_escalation", "mental_health"], False, ""),
        (raman, date(first_last + 1, 2, 12), "Understanding child and adolescent development",
         "Regional Juvenile Justice Center", "2.75", ["child_development"], False, ""),
        (raman, date(first_last + 1, 5, 20), "Conflict resolution workshop", "Mediation Services",
         "1.25", ["conflict_resolution"], False, ""),
        (bell, date(first_now, 8, 18), "Threat assessment teams", "State School Safety Center",
         "3", ["threat_assessment", "emergency_management"], False, "Principal, Granite Valley Regional High School"),
        (bell, date(first_now, 10, 14), "Implicit bias in school discipline", "Equity Institute",
         "2.5", ["implicit_bias", "cultural_competency"], False, ""),
        (raman, date(first_now, 9, 22), "Diversion options for first-time offenders",
         "Juvenile Court Probation Department", "2", ["diversion"], False, ""),
    ]
    entries = [
        training.TrainingEntry(
            officer_id=who, taken_on=day.isoformat(), title=title, provider=provider,
            quarter_hours=training.parse_hours(hours), topics=topics, basic_course=basic,
            with_administrators=admins,
        )
        for who, day, title, provider, hours, topics, basic, admins in plan
        if day <= today
    ]
    training.save_entries(data_file, entries, today=today)
    training.save_certification(
        data_file,
        training.Certification(
            bell, granted_on=date(first_last - 1, 6, 30).isoformat(),
            expires_on=date(first_last + 2, 6, 30).isoformat(), number="SRO-2024-0117",
        ),
    )
    training.save_certification(
        data_file,
        training.Certification(
            raman, granted_on=date(first_last - 2, 3, 1).isoformat(),
            expires_on=(today + timedelta(days=45)).isoformat(), number="SRO-2023-0042",
        ),
    )
    return ["Officer Marcus Bell", "Sergeant Priya Raman"]


def _sample_agreements(data_file: DataFile, last: str, current: str) -> tuple[int, int]:
    """Last year's agreement, signed in August and filed; this year's draft from it."""
    first_year = int(last[:4])
    signed_id = agreements.new_from_library(data_file, school_year=last)
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.set_blank(data_file, signed, "salary_split", "60/40")
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.mark_ready(data_file, signed)
    signed = agreements.load_agreement(data_file, signed_id)
    signing_days = [date(first_year, 8, 12), date(first_year, 8, 14), date(first_year, 8, 15)]
    agreements.record_signing(
        data_file,
        signed,
        {s.id: signing_days[min(i, 2)].isoformat() for i, s in enumerate(signed.signatures)},
    )
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.set_costs(
        data_file,
        signed,
        {
            "salary_benefits": (5_880_000, "60% of one officer's salary and benefits"),
            "training": (145_000, "Conference fees and substitute coverage"),
            "equipment": (62_500, "Office furniture and a school radio"),
            "other": (0, ""),
        },
    )
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.record_filing(data_file, signed, date(first_year, 8, 29))

    draft_id = agreements.new_from_previous(data_file, signed_id, school_year=current)
    draft = agreements.load_agreement(data_file, draft_id)
    agreements.set_blank(data_file, draft, "training_hours", 16)
    return signed_id, draft_id


def _sample_selection(data_file: DataFile, district, last: str) -> None:
    """The round that chose the high school's SRO for last year: three candidates, input
    from every group, a disclosure, a recommendation against one officer, the decision."""
    ashby, millbrook = district.departments
    first = int(last[:4])
    bell = next(o for o in officers.list_officers(data_file) if o.name == "Marcus Bell")
    herrera = officers.save_officer(
        data_file, officers.Officer("Luis Herrera", "Officer", ashby.id, 15))
    walsh = officers.save_officer(
        data_file, officers.Officer("Jenna Walsh", "Officer", millbrook.id, 4))
    round_id = selection.open_round(
        data_file,
        school_year=last,
        title=f"High school SRO {last}",
        opened_on=date(first, 4, 27).isoformat(),
        school_id=district.schools[0].id,
        officer_ids=[bell.id, herrera, walsh],
    )
    chosen = selection.load_round(data_file, round_id)
    candidates = {c.officer.name: c.id for c in chosen.candidates}
    criteria = chosen.criteria
    # Each group's view of each candidate: a base score, nudged per criterion.
    views = {
        "principal": ({"Marcus Bell": 5, "Luis Herrera": 3, "Jenna Walsh": 4}, date(first, 5, 4),
                      "Dr. Maria Santos", "All four principals",
                      {"Marcus Bell": "Already trusted by our staff; runs the bike-safety program.",
                       "Luis Herrera": "Experienced, but little time in schools."}),
        "teacher": ({"Marcus Bell": 4, "Luis Herrera": 3, "Jenna Walsh": 4}, date(first, 5, 11),
                    "Alicia Nguyen", "14 teachers from the high school and middle school",
                    {"Jenna Walsh": "Spoke well about restorative circles at the forum."}),
        "parent": ({"Marcus Bell": 4, "Luis Herrera": 4, "Jenna Walsh": 3}, date(first, 5, 14),
                   "Jonathan Pierce", "22 parents at the PTO meeting",
                   {"Marcus Bell": "Approachable at games and events."}),
        "student": ({"Marcus Bell": 5, "Luis Herrera": 2, "Jenna Walsh": 3}, date(first, 5, 18),
                    "Jonathan Pierce", "Student council, 11 students",
                    {"Marcus Bell": "Treats students with respect.",
                     "Luis Herrera": "We have not met him."}),
    }
    for group, (bases, day, by, who, comments) in views.items():
        scores = []
        for name, candidate_id in candidates.items():
            for number, criterion in enumerate(criteria):
                value = max(1, min(5, bases[name] + (1 if number % 5 == 0 else 0) - (1 if number % 7 == 3 else 0)))
                scores.append(selection.Score(candidate_id, criterion.id, value))
            if name in comments:
                scores.append(selection.Score(candidate_id, None, None, comments[name]))
        selection.save_input(
            data_file, chosen,
            selection.InputRecord(None, group, day.isoformat(), by, who, scores=scores),
        )
    selection.save_disclosure(
        data_file, chosen,
        selection.Disclosure(None, candidates["Luis Herrera"], "Uncle of a grade 10 student at the high school",
                             "Described without the student's name.",
                             "He would not handle matters involving the student; another officer would."),
    )
    selection.recommend_against(
        data_file, selection.load_round(data_file, round_id), walsh,
        "Has not yet completed the basic SRO course.",
    )
    selection.decide(
        data_file, selection.load_round(data_file, round_id),
        selection.Decision(
            bell.id, date(first, 6, 12).isoformat(),
            ["youth_experience", "train_de_escalation", "restorative", "judgment", "seniority"],
            "The strongest input from students and principals; certified; seniority was also weighed.",
        ),
    )


def _sample_enforcement(data_file: DataFile, district, last: str, current: str, today: date) -> int:
    """A year of entries (a few breaking each rule, one flag acknowledged), enrolment,
    and the SRO's activity; plus this year's entries so far."""
    import random

    rng = random.Random(2026)
    schools = district.schools
    first_last, first_now = int(last[:4]), int(current[:4])
    for school, students in zip(schools, (812, 640, 388, 301)):
        for year in (last, current):
            enforcement.set_enrolment(data_file, school.id, year, students)
    kinds = (["diversion"] * 9 + ["citation"] * 8 + ["court_referral"] * 6 + ["search"] * 6
             + ["arrest"] * 4 + ["questioning"] * 3 + ["custody"] * 2 + ["summons"])
    offenses = ["assault", "drugs", "vandalism", "theft", "threat", "alcohol", "weapon", "trespass"]
    races = list(enforcement.RACES)
    weights = [12, 4, 22, 3, 1, 1, 57]
    actions = []

    def student(number: int) -> dict:
        grade = rng.choice(["9", "10", "11", "12"]) if number % 3 else rng.choice(["6", "7", "8"])
        return {
            "student_ref": f"S{number:03d}",
            "grade": grade,
            "age": 11 + int(grade) - 6 if grade.isdigit() else None,
            "gender": rng.choice(["F", "M", "M"]),
            "race_ethnicity": rng.choices(races, weights)[0],
            "disability": rng.choice(["none", "none", "none", "iep", "504"]),
            "english_learner": rng.random() < 0.12,
            "econ_disadvantaged": rng.random() < 0.35,
            "high_needs": rng.random() < 0.45,
        }

    for number, kind in enumerate(kinds, start=1):
        month = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6][number % 10]
        year = first_last if month >= 7 else first_last + 1
        day = date(year, month, 3 + number % 24)
        school = schools[0] if number % 3 else schools[1]
        actions.append(enforcement.Action(
            occurred_at=f"{day.isoformat()} {9 + number % 6:02d}:{(number * 7) % 60:02d}",
            school_id=school.id, place=rng.choice(["building", "grounds", "event"]), kind=kind,
            offense=rng.choice(offenses), warrant=kind == "arrest" and number % 2 == 0,
            last_resort_reason="Student had a weapon and refused to hand it over." if kind == "arrest" else "",
            principal_consulted=True, parent_notified_at=f"{day.isoformat()} 16:00" if kind in ("arrest", "custody") else "",
            parent_told_before_questioning=kind == "questioning", parent_offered_to_attend=kind == "questioning",
            outcome="Referred to the school's student support team." if kind == "diversion" else "",
            **student(number),
        ))
    # One entry breaking each rule; the c. 272 one on school grounds, outside any building.
    breaking = [
        dict(kind="arrest", place="grounds", offense="disorderly", warrant=False,
             last_resort_reason="Would not leave the parking lot after dismissal.",
             parent_notified_at=f"{first_last + 1}-02-10 15:30"),
        dict(kind="arrest", place="grounds", offense="assault", warrant=False, last_resort_reason="",
             parent_notified_at=f"{first_last + 1}-03-05 15:00"),
        dict(kind="citation", place="grounds", offense="vandalism", principal_consulted=False),
        dict(kind="custody", place="event", offense="alcohol", parent_notified_at=""),
        dict(kind="questioning", place="building", offense="theft"),
    ]
    for number, changes in enumerate(breaking, start=100):
        day = date(first_last + 1, 2 + number % 4, 10)
        actions.append(enforcement.Action(
            occurred_at=f"{day.isoformat()} 11:15", school_id=(schools[0] if number % 3 else schools[1]).id,
            **{"principal_consulted": True, **changes}, **student(number),
        ))
    # A student reported to the police from the daily bus, who took no action: a referral
    # in DESE's counts, and no c. 272 flag (nothing was enforced, and no bus is named there).
    actions.append(enforcement.Action(
        occurred_at=f"{first_last + 1}-01-22 07:40", school_id=schools[1].id, place="transport", kind="reported",
        offense="disorderly", principal_consulted=True, outcome="The police took no action; the school followed up.",
        student_ref="S150", grade="7", age=12, gender="M", race_ethnicity="WH", disability="none",
    ))
    for number in range(3):
        day = date(first_now, 9 + number, 12)
        if day <= today:
            actions.append(enforcement.Action(
                occurred_at=f"{day.isoformat()} 10:20", school_id=schools[number % 2].id,
                place="grounds", kind=["diversion", "citation", "search"][number], offense="drugs",
                principal_consulted=True, **student(200 + number),
            ))
    enforcement.save_actions(data_file, actions, today=today)
    questioning = next(
        a for a in enforcement.actions_for(data_file, last) if "questioning_without_notice" in a.flags()
    )
    enforcement.acknowledge(
        data_file, questioning, "questioning_without_notice",
        "The parent could not be reached before the interview; the principal attended instead.",
    )
    for number, (kind, count) in enumerate(
        [("presentation", 14), ("community", 9), ("counselling", 37), ("safety_meeting", 11), ("call_for_service", 52)]
    ):
        enforcement.save_activity(data_file, enforcement.Activity(
            date(first_last + 1, 1 + number, 15).isoformat(), kind, count, schools[number % 4].id,
            "Logged by the SRO each month."), today=today)
    return len(actions)


#: The sample district's passphrase for confidential identities (sample data only).
DEMO_PASSPHRASE = "granite valley sample passphrase"


def _sample_complaints(data_file: DataFile, district, last: str, current: str, today: date) -> int:
    """A year of complaints in several languages, some confidential, at every stage; the
    yearly notices; and a few this year, one of them overdue."""
    key = complaints.set_passphrase(data_file, DEMO_PASSPHRASE)
    first = int(last[:4])
    high, middle = district.schools[0].id, district.schools[1].id
    plan = [
        # (received, language, confidential, identity, subject, category, school, finding, days to tell)
        (date(first, 9, 18), "Spanish", True, ("Lucía Ramírez", "617-555-0142", "Mother of a grade 10 student"),
         "sro", "conduct", high, "substantiated", 21),
        (date(first, 10, 7), "English", False, ("Tom Becker", "tbecker@example.org", ""),
         "program", "privacy", high, "not_substantiated", 18),
        (date(first, 11, 12), "Portuguese", True, ("Ana Souza", "508-555-0111", "Aunt and guardian of a grade 7 student"),
         "sro", "bias", middle, "unfounded", 35),
        (date(first + 1, 1, 20), "Haitian Creole", False, ("Jean-Baptiste Pierre", "508-555-0190", ""),
         "other_officer", "force", high, "referred", 26),
        (date(first + 1, 3, 3), "Vietnamese", True, ("Nguyen Thi Lan", "lan.nguyen@example.org", ""),
         "sro", "arrest", high, "exonerated", 14),
        (date(first + 1, 4, 28), "English", False, ("Grace Whitfield", "grace.w@example.org", "Teacher"),
         "program", "other", middle, "withdrawn", 9),
    ]
    for received, language, confidential, who, subject, category, school, finding, days in plan:
        complaint_id = complaints.save_complaint(
            data_file,
            complaints.Complaint(
                received_on=received.isoformat(), channel="form" if confidential else "email",
                subject=subject, category=category, school_id=school, preferred_language=language,
                interpreter=language not in ("English",), confidential=confidential,
                complainant_role="parent", incident_on=(received - timedelta(days=3)).isoformat(),
                description="Written in the complainant's words on the complaint form; details are in the file.",
            ),
            complaints.Identity(*who), key=key, today=today,
        )
        steps = [
            lambda c: complaints.acknowledge(data_file, c, (received + timedelta(days=2)).isoformat(), today=today),
            lambda c: complaints.start_review(data_file, c, (received + timedelta(days=4)).isoformat(),
                                              "Assistant Superintendent", police_process=subject != "program",
                                              today=today),
            lambda c: complaints.record_finding(data_file, c, finding, (received + timedelta(days=days - 2)).isoformat(),
                                                today=today),
            lambda c: complaints.record_communication(data_file, c, (received + timedelta(days=days)).isoformat(),
                                                      "Letter", language, today=today),
            lambda c: complaints.close(data_file, c, (received + timedelta(days=days + 3)).isoformat(), today=today),
        ]
        for step in steps:
            step(complaints.load_complaint(data_file, complaint_id))
    mistaken = complaints.save_complaint(
        data_file,
        complaints.Complaint(received_on=date(first, 10, 8).isoformat(), channel="email", subject="program",
                             category="privacy", description="The same email as the day before, sent twice."),
        today=today,
    )
    complaints.void(data_file, complaints.load_complaint(data_file, mistaken),
                    "The same complaint was entered the day before; this copy was a mistake.")
    concern = complaints.save_complaint(
        data_file,
        complaints.Complaint(received_on=date(first + 1, 2, 2).isoformat(), channel="in_person",
                             track="sro_concern", subject="administrator", category="conduct",
                             complainant_role="officer", school_id=middle,
                             description="The SRO was asked to search a student's locker for a lost phone, "
                                         "a school matter; raised so staff know when to call the SRO."),
        today=today,
    )
    for step in (
        lambda c: complaints.acknowledge(data_file, c, date(first + 1, 2, 3).isoformat(), today=today),
        lambda c: complaints.start_review(data_file, c, date(first + 1, 2, 4).isoformat(), "Principal", today=today),
        lambda c: complaints.record_finding(data_file, c, "substantiated", date(first + 1, 2, 10).isoformat(), today=today),
        lambda c: complaints.record_communication(data_file, c, date(first + 1, 2, 11).isoformat(), "Meeting",
                                                  "English", today=today),
    ):
        step(complaints.load_complaint(data_file, concern))
    for audience, method in (("students", "assembly"), ("families", "letter"), ("staff", "meeting")):
        complaints.record_notice(data_file, last, date(first, 9, 8).isoformat(), method, audience, today=today)
    recent = today - timedelta(days=12)
    if recent.isoformat() >= f"{current[:4]}-07-01":
        complaints.save_complaint(
            data_file,
            complaints.Complaint(received_on=recent.isoformat(), channel="phone", subject="sro",
                                 category="conduct", preferred_language="Spanish", interpreter=True,
                                 confidential=True, school_id=high,
                                 description="Called about how a search at dismissal was done."),
            complaints.Identity("Rosa Delgado", "617-555-0177"), key=key, today=today,
        )
    if date.fromisoformat(f"{current[:4]}-09-03") <= today:
        complaints.record_notice(data_file, current, f"{current[:4]}-09-03", "handbook", "students", today=today)
    return len(plan) + 2
