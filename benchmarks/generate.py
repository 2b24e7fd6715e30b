"""Write a large invented district into a new SRO Desk file, to measure speed at scale.

    python benchmarks/generate.py OUT.db [--scale 1.0] [--seed N] [--today YYYY-MM-DD]

At scale 1: 40 schools, 20 school years, 30 officers, 200,000 enforcement entries,
20,000 complaints, 60,000 training entries and 5,000 meetings with their attendees and
action items, plus enrolment, SRO activity, yearly notices and a signed agreement per
year. The same seed and day give the same file. The file is made through
``DataFile.open`` (so the migrations and the application id are those of a real file),
the district through the records API, and the bulk rows with sqlite-utils'
``insert_all`` in one write transaction. Confidential complaints carry no identity at
all (no plaintext name, no sealed one), so the file needs no passphrase.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sro_desk.records import agreements, complaints, enforcement as enf, meetings, training  # noqa: E402
from sro_desk.records.calendar import school_year_of  # noqa: E402
from sro_desk.records.district import District, PoliceDepartment, School, save_district  # noqa: E402
from sro_desk.store import DataFile, OpenOptions  # noqa: E402

#: Rows at scale 1 (schools, years and officers do not scale).
SCHOOLS, YEARS, OFFICERS = 40, 20, 30
AT_SCALE_1 = {"enforcement_action": 200_000, "complaint": 20_000, "training_entry": 60_000, "meeting": 5_000}
USERS = ("mhernandez", "jokafor", "lchen", "sro.office", "dsantos")

FIRST_NAMES = (
    "Maria", "James", "Aisha", "Nguyen", "Carlos", "Emily", "Darnell", "Sofia", "Liam", "Priya", "Mateus",
    "Fatima", "Noah", "Keisha", "Wei", "Rosa", "Ethan", "Amara", "Jonah", "Lucia", "Tomasz", "Hannah",
    "Malik", "Ines", "Patrick", "Yara", "Samuel", "Guerline", "Owen", "Thu",
)
LAST_NAMES = (
    "Santos", "O'Connell", "Nguyen", "Pierre", "Okafor", "Lindqvist", "Baptiste", "Rivera", "Kowalski",
    "Chen", "Thompson", "Silva", "Haddad", "Murphy", "Tran", "Goldberg", "Mendes", "Walsh", "Diaz", "Ali",
    "Fitzgerald", "Joseph", "Park", "Costa", "Brennan", "Osei", "Moreau", "Sullivan", "Pham", "Reyes",
)
TOWNS = ("Ashby Falls", "Millbrook", "Granite Hill", "North Haven", "Cedar Crossing", "Wexford")
SCHOOL_WORDS = (
    "Maple", "Riverside", "Lincoln", "Harbor", "Summit", "Oak Grove", "Pine Ridge", "Washington", "Brook",
    "Hillcrest", "Lakeview", "Meadow", "Jefferson", "Willow", "Eastfield", "Westgate", "Union", "Central",
    "Highland", "Fairview",
)
LANGUAGES = ("English", "English", "English", "Spanish", "Portuguese", "Haitian Creole", "Vietnamese",
             "Chinese", "Cape Verdean Creole", "Arabic")

# -- prose: varied sentences from a few fragment lists -----------------------------------

WHEN = ("During lunch", "After dismissal", "Before first period", "At the bus loop", "In the afternoon",
        "During a fire drill", "At the Friday game", "Between classes", "During the assembly",
        "On the way to the gym", "After the dance", "During homeroom")
WHO = ("a student", "two students", "a group of ninth graders", "the SRO", "an assistant principal",
       "a teacher", "the school counselor", "a parent", "the principal", "a bus driver",
       "a custodian", "a substitute teacher")
DID = ("reported", "described", "raised concerns about", "asked for help with", "was told about",
       "wrote down", "called the office about", "followed up on", "talked through", "mediated")
WHAT = ("a fight near the lockers", "a vape found in a backpack", "a threat posted online",
        "a missing phone", "graffiti in the stairwell", "a student leaving campus",
        "shouting in the cafeteria", "a knife seen at the bus stop", "a pushing match in the hallway",
        "a stranger in the parking lot", "damage to a classroom door", "a rumour of a fight after school")
AFTER = ("The student was returned to class.", "A parent was called within the hour.",
         "The matter was handled as school discipline.", "The counselor met with everyone involved.",
         "Nobody was hurt.", "The principal was told the same day.", "A restorative circle followed.",
         "The family was offered an interpreter.", "A safety plan was written.",
         "The item was kept in the office for a parent to collect.", "No further action was needed.",
         "Staff were reminded of the procedure at the next meeting.")


class Prose:
    """Plain, varied sentences drawn from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        return f"{r.choice(WHEN)}, {r.choice(WHO)} {r.choice(DID)} {r.choice(WHAT)}. {r.choice(AFTER)}"

    def sentences(self, low: int = 1, high: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def short(self) -> str:
        return self.rng.choice(AFTER)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def stamp(day: date, rng: random.Random) -> str:
    """A record's created/updated time: UTC ISO like the app's, on ``day``."""
    moment = datetime(day.year, day.month, day.day, rng.randint(7, 18), rng.randint(0, 59), rng.randint(0, 59))
    return moment.replace(tzinfo=timezone.utc).isoformat(timespec="seconds")


def record(day: date, rng: random.Random) -> dict:
    """The columns every record row carries."""
    made = stamp(day, rng)
    return {"created_at": made, "updated_at": made, "updated_by": rng.choice(USERS), "version": 1}


# -- the generator -----------------------------------------------------------------------


class GeneratedDistrict:
    """What the bulk rows point at: schools with their grade span, officers, the years."""

    def __init__(self, rng: random.Random, today: date, school_ids: list[int], spans: list[str],
                 officer_ids: list[int], years: list[str]) -> None:
        self.rng, self.today = rng, today
        self.school_ids, self.spans, self.officer_ids, self.years = school_ids, spans, officer_ids, years
        self.prose = Prose(rng)

    def day_in(self, year: str) -> date:
        """A school day of ``year`` (September to June), never after today."""
        first = int(year[:4])
        start = date(first, 9, 1)
        end = min(date(first + 1, 6, 20), self.today)
        if end < start:
            start = date(first, 7, 1)
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))


GRADES_BY_SPAN = {"9-12": ("9", "10", "11", "12", "SP"), "6-8": ("6", "7", "8"),
                  "K-5": ("K", "1", "2", "3", "4", "5"), "PK-5": ("PK", "K", "1", "2", "3", "4", "5")}
CHAPTERS = ("265", "266", "269", "272", "94C")
KIND_WEIGHTS = {"arrest": 6, "citation": 14, "summons": 6, "court_referral": 8, "delinquency_petition": 3,
                "custody": 4, "search": 14, "questioning": 12, "probation_referral": 5, "diversion": 28}


def enforcement_rows(d: GeneratedDistrict, count: int) -> Iterator[dict]:
    rng, prose = d.rng, d.prose
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    offenses = list(enf.OFFENSES)
    for number in range(count):
        year = d.years[number % len(d.years)]
        school = rng.randrange(len(d.school_ids))
        day = d.day_in(year)
        moment = datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        kind = rng.choices(kinds, weights)[0]
        grade = rng.choice(GRADES_BY_SPAN[d.spans[school]])
        base_age = {"PK": 4, "K": 5, "SP": 19}.get(grade) or int(grade) + 5
        arrest = kind == "arrest"
        warrant = arrest and rng.random() < 0.3
        consulted = None if rng.random() < 0.1 else rng.random() < 0.9
        questioning = kind == "questioning"
        told = questioning and rng.random() < 0.9
        notified = None
        if kind in ("arrest", "custody", "questioning") and rng.random() < 0.93:
            notified = (moment + timedelta(minutes=rng.randint(5, 180))).isoformat(timespec="minutes")
        row = {
            "id": number + 1,
            "occurred_at": moment.isoformat(timespec="minutes"),
            "school_year": year,
            "school_id": d.school_ids[school],
            "place": rng.choices(("building", "grounds", "event"), (6, 3, 1))[0],
            "kind": kind,
            "offense": rng.choice(offenses) if rng.random() < 0.9 else None,
            "statute": f"c. {rng.choice(CHAPTERS)} § {rng.randint(1, 60)}",
            "warrant": int(warrant),
            "last_resort_reason": prose.sentence() if arrest and not warrant and rng.random() < 0.9 else "",
            "principal_consulted": None if consulted is None else int(consulted),
            "principal_reason": prose.sentence() if consulted is False and rng.random() < 0.8 else "",
            "parent_notified_at": notified,
            "parent_told_before_questioning": int(told),
            "parent_offered_to_attend": int(told and rng.random() < 0.95),
            "outcome": prose.sentences(1, 2),
            "student_ref": f"S{school:02d}-{rng.randint(1, 900):04d}" if rng.random() < 0.85 else None,
            "grade": grade,
            "age": min(22, max(3, base_age + rng.randint(0, 1))),
            "gender": rng.choices(("F", "M", "N", None), (45, 50, 2, 3))[0],
            "race_ethnicity": rng.choice(list(enf.RACES) + [None]),
            "disability": rng.choices(("none", "iep", "504", None), (70, 18, 8, 4))[0],
            "english_learner": int(rng.random() < 0.12),
            "econ_disadvantaged": int(rng.random() < 0.35),
            "high_needs": int(rng.random() < 0.45),
            "acknowledged": None,
            **record(day, rng),
        }
        action = enf._action(row)  # the app's own rule check decides what is flagged
        flags = action.flags()
        if flags and rng.random() < 0.4:
            row["acknowledged"] = json.dumps({flag: prose.sentence() for flag in flags[: rng.randint(1, len(flags))]})
            row["version"] = 2
        yield row


def complaint_rows(d: GeneratedDistrict, count: int) -> Iterator[dict]:
    rng, prose = d.rng, d.prose
    for number in range(count):
        year = d.years[number % len(d.years)]
        received = d.day_in(year)
        track = "sro_concern" if rng.random() < 0.12 else "community"
        confidential = rng.random() < 0.2
        language = rng.choice(LANGUAGES)
        row = {
            "id": number + 1, "received_on": received.isoformat(), "school_year": year, "track": track,
            "channel": rng.choice(list(complaints.CHANNELS)),
            "complainant_role": "officer" if track == "sro_concern" else rng.choice(
                ("student", "parent", "parent", "teacher", "staff", "community", "anonymous")),
            "preferred_language": language, "interpreter": int(language != "English" and rng.random() < 0.6),
            "confidential": int(confidential),
            # A confidential identity would be sealed with the passphrase; here there is none at all.
            "name": None if confidential else person(rng),
            "contact": None if confidential else f"617-555-{rng.randint(0, 9999):04d}",
            "details": None if confidential else prose.short(),
            "identity_sealed": None,
            "subject": rng.choice(sorted(complaints.TRACK_SUBJECTS[track])),
            "school_id": rng.choice(d.school_ids) if rng.random() < 0.9 else None,
            "incident_on": (received - timedelta(days=rng.randint(0, 10))).isoformat(),
            "category": rng.choice(list(complaints.CATEGORIES)),
            "description": prose.sentences(2, 4),
            "voided": 0, "void_reason": None, "police_process": 0,
        }
        # Old complaints ran their course; recent ones stop partway.
        age = (d.today - received).days
        steps = 5 if age > 120 and rng.random() < 0.97 else min(5, age // 12)
        day = received
        for step in range(steps):
            day = min(d.today, day + timedelta(days=rng.randint(1, 6 if step == 0 else 9)))
            if step == 0:
                row["acknowledged_on"] = day.isoformat()
            elif step == 1:
                row.update(review_started_on=day.isoformat(), police_process=int(rng.random() < 0.3),
                           reviewer=rng.choice(("Assistant Superintendent", "Principal", "Director of Student Services")))
            elif step == 2:
                row.update(finding=rng.choice(list(complaints.FINDINGS)), finding_on=day.isoformat())
            elif step == 3:
                row.update(communicated_on=day.isoformat(), communicated_language=language,
                           communicated_method=rng.choice(("Letter", "Phone call", "Meeting", "Email")))
            else:
                row["closed_on"] = day.isoformat()
        if rng.random() < 0.01:
            row.update(voided=1, void_reason="Entered twice by mistake; " + prose.short().lower())
        for column in ("acknowledged_on", "review_started_on", "reviewer", "finding", "finding_on",
                       "communicated_on", "communicated_method", "communicated_language", "closed_on"):
            row.setdefault(column, None)
        row.update(record(received, rng))
        yield row


TRAINING_SUBJECTS = ("De-escalation", "Adolescent development", "Restorative practices", "Threat assessment",
                     "Implicit bias", "Special education law", "Crisis intervention", "Cyber safety",
                     "Trauma-informed policing", "Diversion options", "Bullying prevention", "Student privacy")
TRAINING_FORMS = ("workshop", "for school officers", "refresher", "seminar", "in practice", "online module")
PROVIDERS = ("Municipal Police Training Committee", "Regional Juvenile Justice Center",
             "County District Attorney's Office", "State School Safety Center", "Equity Institute",
             "Mediation Services", "District legal counsel")


def training_rows(d: GeneratedDistrict, count: int) -> Iterator[dict]:
    rng, prose = d.rng, d.prose
    topics = list(training.REQUIRED_TOPICS) + list(training.SUGGESTED_TOPICS)
    for number in range(count):
        year = d.years[number % len(d.years)]
        day = d.day_in(year)
        yield {
            "id": number + 1, "officer_id": d.officer_ids[number % len(d.officer_ids)],
            "taken_on": day.isoformat(), "school_year": year,
            "title": f"{rng.choice(TRAINING_SUBJECTS)} {rng.choice(TRAINING_FORMS)}",
            "provider": rng.choice(PROVIDERS), "quarter_hours": rng.randint(2, 32),
            "topics": json.dumps(rng.sample(topics, rng.randint(1, 3))),
            "basic_course": int(number < len(d.officer_ids)),
            "with_administrators": f"Principal {person(rng)}" if rng.random() < 0.3 else "",
            "notes": prose.sentence(),
            **record(day, rng),
        }


#: How often each of ``meetings.MEETING_KINDS`` is held, relatively.
MEETING_WEIGHTS = {"sro_principal": 85, "safety": 6, "other": 6, "annual_review": 2, "agreement_review": 1}
ROLES = ("SRO", "Principal", "Assistant principal", "Police chief", "Superintendent", "Counselor",
         "Parent representative", "Student representative", "Teacher")


def meeting_rows(d: GeneratedDistrict, count: int) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    rng, prose = d.rng, d.prose
    held, schools, attendees, actions = [], [], [], []
    kinds, weights = list(MEETING_WEIGHTS), list(MEETING_WEIGHTS.values())
    for number in range(count):
        meeting_id = number + 1
        year = d.years[number % len(d.years)]
        day = d.day_in(year)
        kind = rng.choices(kinds, weights)[0]
        held.append({
            "id": meeting_id, "kind": kind, "held_on": day.isoformat(), "school_year": year,
            "title": f"{meetings.MEETING_KINDS[kind]}, {day:%B %Y}",
            "location": rng.choice(("Main office", "Library", "Police station", "Central office", "Cafeteria")),
            "agenda": prose.sentences(1, 2), "minutes": prose.sentences(2, 5), "decisions": prose.sentences(1, 2),
            **record(day, rng),
        })
        for school_id in rng.sample(d.school_ids, 1 if kind == "sro_principal" else rng.randint(1, 3)):
            schools.append({"meeting_id": meeting_id, "school_id": school_id, **record(day, rng)})
        for position in range(1, rng.randint(2, 8) + 1):
            attendees.append({"meeting_id": meeting_id, "position": position, "name": person(rng),
                              "role": ROLES[position - 1] if position <= len(ROLES) else rng.choice(ROLES),
                              **record(day, rng)})
        for position in range(1, rng.choice((0, 0, 1, 2, 3, 4)) + 1):
            due = day + timedelta(days=rng.randint(7, 45))
            done = due - timedelta(days=rng.randint(-5, 6))
            actions.append({"meeting_id": meeting_id, "position": position, "description": prose.sentence(),
                            "owner": person(rng), "due_on": due.isoformat(),
                            "done_on": done.isoformat() if done <= d.today and rng.random() < 0.85 else None,
                            **record(day, rng)})
    return held, schools, attendees, actions


def school_name(number: int, span: str) -> str:
    """A distinct name: 'Maple High School', then 'Maple Elementary School (Millbrook)'."""
    level = {"9-12": "High", "6-8": "Middle"}.get(span, "Elementary")
    town = f" ({TOWNS[number // len(SCHOOL_WORDS) - 1]})" if number >= len(SCHOOL_WORDS) else ""
    return f"{SCHOOL_WORDS[number % len(SCHOOL_WORDS)]} {level} School{town}"


def generate(path: Path, *, scale: float = 1.0, seed: int = 0, today: date | None = None,
             with_agreements: bool = True) -> dict[str, int]:
    """Make ``path`` (which must not exist) and fill it; returns rows per table."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} already exists; choose a new file name.")
    today = today or date.today()
    rng = random.Random(seed)
    current = int(school_year_of(today)[:4])
    years = [f"{y}-{y + 1}" for y in range(current - YEARS + 1, current + 1)]
    counts = {table: max(1, round(n * scale)) for table, n in AT_SCALE_1.items()}
    spans = [("9-12", "6-8", "K-5", "PK-5", "K-5")[i % 5] for i in range(SCHOOLS)]
    district = District(
        name="Granite Valley Regional School District (generated)", kind="regional",
        superintendent_name=person(rng),
        schools=[School(school_name(i, spans[i]), spans[i], person(rng)) for i in range(SCHOOLS)],
        departments=[PoliceDepartment(f"{town} Police Department", town, person(rng)) for town in TOWNS],
    )
    data_file = DataFile.open(path, OpenOptions(create=True))
    try:
        district = save_district(data_file, district)
        school_ids = [s.id for s in district.schools]
        department_ids = [p.id for p in district.departments]
        d = GeneratedDistrict(rng, today, school_ids, spans, list(range(1, OFFICERS + 1)), years)
        officers = [{"id": i + 1, "name": person(rng), "rank": rng.choice(("Officer", "Sergeant", "Detective")),
                     "department_id": department_ids[i % len(department_ids)],
                     "years_of_service": rng.randint(2, 25), "assigned_sro": int(i < 12),
                     "notes": d.prose.sentence(), **record(today - timedelta(days=3000), rng)}
                    for i in range(OFFICERS)]
        certifications = [{"officer_id": o["id"], "kind": training.POST_CERTIFICATION, "number": f"SRO-{o['id']:04d}",
                           "granted_on": (today - timedelta(days=rng.randint(100, 900))).isoformat(),
                           "expires_on": (today + timedelta(days=rng.randint(-30, 900))).isoformat(),
                           **record(today - timedelta(days=900), rng)} for o in officers[:12]]
        enrolment = [{"school_id": s, "school_year": y, "students": rng.randint(250, 1600),
                      **record(date(int(y[:4]), 10, 1), rng)} for y in years for s in school_ids]
        notices = [{"school_year": y, "given_on": f"{y[:4]}-09-{rng.randint(2, 20):02d}",
                    "method": rng.choice(list(complaints.NOTICE_METHODS)), "audience": audience,
                    "notes": d.prose.short(), **record(date(int(y[:4]), 9, 1), rng)}
                   for y in years[:-1] for audience in complaints.AUDIENCES]
        activities = []
        for number in range(max(1, round(10_000 * scale))):
            day = d.day_in(years[number % len(years)])
            activities.append({"occurred_on": day.isoformat(), "school_year": years[number % len(years)],
                               "school_id": rng.choice(school_ids + [None]),
                               "kind": rng.choice(list(enf.ACTIVITY_KINDS)), "count": rng.randint(1, 30),
                               "notes": d.prose.sentence(), **record(day, rng)})
        held, meeting_schools, attendees, actions = meeting_rows(d, counts["meeting"])
        with data_file.write():
            db = data_file.db
            for table, rows in (
                ("officer", officers), ("certification", certifications), ("enrolment", enrolment),
                ("complaint_notice", notices), ("sro_activity", activities),
                ("enforcement_action", enforcement_rows(d, counts["enforcement_action"])),
                ("complaint", complaint_rows(d, counts["complaint"])),
                ("training_entry", training_rows(d, counts["training_entry"])),
                ("meeting", held), ("meeting_school", meeting_schools),
                ("meeting_attendee", attendees), ("meeting_action", actions),
            ):
                db[table].insert_all(rows, batch_size=500)
        if with_agreements:
            _agreements(data_file, years, today)
        tables = ("school", "police_department", "officer", "enforcement_action", "complaint", "training_entry",
                  "meeting", "meeting_school", "meeting_attendee", "meeting_action", "enrolment",
                  "sro_activity", "complaint_notice", "agreement")
        found = data_file.query(
            "SELECT " + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in tables))[0]
        found["school_years"] = len(years)
        return found
    finally:
        data_file.close()


def _agreements(data_file: DataFile, years: list[str], today: date) -> None:
    """An agreement per year through the records API: signed and filed, but this year's."""
    previous = None
    for year in years:
        if previous is None:
            agreement_id = agreements.new_from_library(data_file, school_year=year)
        else:
            agreement_id = agreements.new_from_previous(data_file, previous, school_year=year)
        if year != years[-1]:
            agreement = agreements.load_agreement(data_file, agreement_id)
            signed_on = date(int(year[:4]), 8, 20).isoformat()
            agreements.record_signing(data_file, agreement, {s.id: signed_on for s in agreement.signatures})
            agreements.record_filing(data_file, agreements.load_agreement(data_file, agreement_id),
                                     min(today, date(int(year[:4]), 9, 1)))
        previous = agreement_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the new file to write (never overwritten)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 gives 200,000 enforcement entries")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} already exists; choose a new file name.", file=sys.stderr)
        return 2
    if args.scale <= 0:
        print("Give a scale above 0.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    counts = generate(args.out, scale=args.scale, seed=args.seed, today=args.today)
    seconds = time.perf_counter() - start
    for table, n in counts.items():
        print(f"{table:>20}: {n:,}")
    print(f"Wrote {args.out} in {seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
