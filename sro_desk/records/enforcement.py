"""Enforcement data: school-based arrests, citations, referrals and related actions.

Each action is recorded without the student's name: only the descriptors the state's
School Safety and Discipline Report and its public profiles break down by, and an
optional anonymous reference (a code the district assigns) so that a student with two
actions counts once. Immigration status is never recorded. Every entry is checked
against the rules of the statute and the agreement; a flag can be acknowledged with an
explanation, never hidden.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NewType

from sro_desk.errors import ValidationError
from sro_desk.records.calendar import parse_school_year, school_year_of, years_in_read
from sro_desk.records.settings import get_setting, school_year_start_month, set_setting
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

ActionId = NewType("ActionId", int)

#: Kinds of action, with the codes used in exports.
KINDS: dict[str, str] = {
    "arrest": "Arrest",
    "citation": "Citation or ticket",
    "summons": "Summons",
    "court_referral": "Court referral or complaint application",
    "delinquency_petition": "Delinquency petition",
    "custody": "Protective custody, no arrest",
    "reported": "Reported to police, no action taken",
    "search": "Search of a person or property",
    "questioning": "Custodial questioning",
    "probation_referral": "Referral to probation",
    "diversion": "Diversion or restorative referral",
}
#: Kinds that are enforcement (the rules about principals and c. 272 apply to them). A
#: report to the police on which they took no action is not: it is counted as a
#: referral, but nothing was enforced.
ENFORCEMENT_KINDS = {"arrest", "citation", "summons", "court_referral", "delinquency_petition", "custody"}
#: Non-arrest referrals to law enforcement, as DESE's School Safety and Discipline Report
#: counts them (its definitions, taken from the federal civil-rights data collection): a
#: student reported to the police counts whether or not the police act, and citations,
#: tickets and court referrals are referrals; arrests are counted apart. A custody that
#: is an arrest is entered as an arrest; "custody" is protective custody without one (a
#: student in police hands, so referred; counted so until DESE's handbook says otherwise).
REFERRAL_KINDS = {"citation", "summons", "court_referral", "delinquency_petition", "custody", "reported"}
#: Where an action happened. DESE counts all of them as school-related (school
#: transportation included; an action away from school when a school official referred
#: the student); c. 272 reaches only some of them (``C272_PLACES``).
PLACES = {
    "building": "Inside a school building",
    "grounds": "On school grounds",
    "event": "At a school-related event",
    "event_transport": "On school transportation to or from a school-related event",
    "transport": "On school transportation (not an event)",
    "off_campus": "Off school grounds, after a school official's referral",
}
#: The places G.L. c. 272, § 40 names: school buildings, school grounds and school-related
#: events. School transportation is not named, so a bus is in only when its ride is part
#: of a school-related event (a field trip, a team's away game).
C272_PLACES = {"building", "grounds", "event", "event_transport"}
#: Why a bus on its daily route is not flagged under c. 272 (shown with the place).
TRANSPORT_NOTE = (
    "G.L. c. 272, § 40 names school buildings, school grounds and school-related events, not school "
    "transportation: an action on the daily bus is not flagged under it; one on a bus to or from a "
    "school-related event is. DESE counts both as school-related."
)
OFFENSES: dict[str, str] = {
    "disturbing_assembly": "Disturbing a school assembly (c. 272 § 40)",
    "disorderly": "Disorderly conduct or disturbing the peace (c. 272 § 53)",
    "assault": "Assault or fight with injury",
    "weapon": "Weapon",
    "drugs": "Drugs",
    "alcohol": "Alcohol",
    "theft": "Theft",
    "vandalism": "Vandalism",
    "threat": "Threat",
    "trespass": "Trespass",
    "other": "Other",
}
#: Offenses for which c. 272 says a student is not adjudged delinquent at school.
SCHOOL_SHIELDED = {"disturbing_assembly", "disorderly"}
GENDERS = {"F": "Female", "M": "Male", "N": "Nonbinary"}
#: The state's seven race/ethnicity groups.
RACES = {
    "AA": "African American/Black",
    "AS": "Asian",
    "HL": "Hispanic/Latino",
    "MR": "Multi-race, not Hispanic/Latino",
    "NA": "Native American",
    "NH": "Native Hawaiian/Pacific Islander",
    "WH": "White",
}
DISABILITY = {"none": "No disability plan", "iep": "IEP", "504": "Section 504 plan"}
#: DESE's name for the stored ``econ_disadvantaged`` descriptor since 2021-22, when it
#: also changed the definition (source "dese-low-income"); the stored code is kept.
LOW_INCOME = "Low income"
LOW_INCOME_FIRST_YEAR = 2021
GRADES = ("PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "SP")
ACTIVITY_KINDS = {
    "community": "Community-building event",
    "presentation": "Presentation or class",
    "counselling": "Counselling or mentoring contact",
    "safety_meeting": "Safety meeting",
    "call_for_service": "Call for service",
}
#: The rules each entry is checked against, as one sentence each.
RULES: dict[str, str] = {
    "c272_in_school": (
        "Enforcement for disturbing an assembly or disorderly conduct in a school building, on school grounds or "
        "at a school-related event, where the law says a student is not to be adjudged delinquent for it; it "
        "does not bar the arrest itself (G.L. c. 272, §§ 40, 53; § 53's amended text was not read, only "
        "summaries of it)."
    ),
    "arrest_last_resort": "An arrest without a warrant and with no reason recorded for it being the last resort.",
    "principal_not_consulted": "The principal was not consulted beforehand and no reason is recorded.",
    "parent_not_notified": "No record that a parent was told after the arrest or custody.",
    "questioning_without_notice": "Custodial questioning without telling a parent first and offering them the chance to attend.",
}
#: The rules a statute makes (each cites it in its sentence); the others are the
#: agreement's, following the state's model, and are never presented as law.
STATUTE_RULES = {"c272_in_school"}
SUPPRESSION_DEFAULT = 6
#: What the two published measures count, in the words printed beside them.
MEASURES_NOTE = (
    "Students arrested are students with a school-based arrest. Students referred are students with a "
    "non-arrest referral to law enforcement and no arrest: a citation or ticket, a summons, a court referral, "
    "a delinquency petition, protective custody, or a report to the police whether or not they acted, as the "
    "state education department (DESE) counts them in its School Safety and Discipline Report."
)


def low_income_note(school_year: str) -> str:
    """'' from 2021-22 on; for an earlier year, the sentence that says its 'low income'
    counts are not like for like with later years'."""
    if int(school_year[:4]) >= LOW_INCOME_FIRST_YEAR:
        return ""
    return (f"Low income in {school_year}: before 2021-22 the state counted \"economically disadvantaged\" "
            "students, under an older definition; from 2021-22 it counts \"low income\" students under a new "
            "one, so this year's counts are not like for like with later years'.")


@dataclass
class Action:
    occurred_at: str
    school_id: int
    place: str
    kind: str
    offense: str = ""
    statute: str = ""
    warrant: bool = False
    last_resort_reason: str = ""
    principal_consulted: bool | None = None
    principal_reason: str = ""
    parent_notified_at: str = ""
    parent_told_before_questioning: bool = False
    parent_offered_to_attend: bool = False
    outcome: str = ""
    student_ref: str = ""
    grade: str = ""
    age: int | None = None
    gender: str = ""
    race_ethnicity: str = ""
    disability: str = ""
    english_learner: bool = False
    econ_disadvantaged: bool = False
    high_needs: bool = False
    #: rule -> the explanation given when acknowledging its flag
    acknowledged: dict[str, str] = field(default_factory=dict)
    school_year: str = ""
    id: ActionId | None = None
    version: int = 0

    def flags(self) -> list[str]:
        """The rules this entry breaks (acknowledged or not)."""
        return rule_flags(self)

    def open_flags(self) -> list[str]:
        return [rule for rule in self.flags() if rule not in self.acknowledged]


def rule_flags(action: Action) -> list[str]:
    """Check one action against the statute and the agreement."""
    found = []
    enforcement = action.kind in ENFORCEMENT_KINDS
    if enforcement and action.place in C272_PLACES and action.offense in SCHOOL_SHIELDED:
        found.append("c272_in_school")
    if action.kind == "arrest" and not action.warrant and not action.last_resort_reason.strip():
        found.append("arrest_last_resort")
    if enforcement and action.principal_consulted is False and not action.principal_reason.strip():
        found.append("principal_not_consulted")
    if action.kind in ("arrest", "custody") and not action.parent_notified_at.strip():
        found.append("parent_not_notified")
    if action.kind == "questioning" and not (
        action.parent_told_before_questioning and action.parent_offered_to_attend
    ):
        found.append("questioning_without_notice")
    return found


def rule_notes(action: Action) -> list[str]:
    """Why an entry is not flagged where one might expect it: enforcement for an offense
    c. 272 covers, on school transportation that is not part of a school-related event."""
    if action.kind in ENFORCEMENT_KINDS and action.offense in SCHOOL_SHIELDED and action.place == "transport":
        return [TRANSPORT_NOTE]
    return []


def _flag(value: object) -> int | None:
    return None if value is None else int(bool(value))


#: Dates before this are typing mistakes ("0026-10-02" for "2026-10-02"); a school year
#: of such a date could not even be written the usual way, so they are refused.
EARLIEST_YEAR = 1980


def _kept_school_year(data_file: DataFile, day: date, field: str | None = None) -> str:
    """The school year ``day`` falls in, refused (one sentence) when it is outside the years
    SRO Desk keeps: January 1980 belongs to 1979-1980, which no report could print."""
    year = school_year_of(day, starts_month=school_year_start_month(data_file))
    try:
        parse_school_year(year)
    except ValueError as exc:
        raise ValidationError(f"Check the date: {exc}", field=field) from None
    return year


def validate(data_file: DataFile, action: Action, *, today: date | None = None) -> Action:
    """A tidied copy with its school year, or ValidationError naming the field to fix."""
    today = today or date.today()
    try:
        moment = datetime.fromisoformat(str(action.occurred_at).strip())
    except ValueError:
        raise ValidationError("Enter when it happened like 2026-10-15 13:40.", field="occurred_at") from None
    if moment.date() > today:
        raise ValidationError("That date is in the future; check it.", field="occurred_at")
    if moment.year < EARLIEST_YEAR:
        raise ValidationError(f"Check the date; it is before {EARLIEST_YEAR}.", field="occurred_at")
    if not data_file.query("SELECT id FROM school WHERE id = ?", (action.school_id,)):
        raise ValidationError("Choose the school.", field="school_id")
    checks = [
        (action.place in PLACES, "Choose where it happened.", "place"),
        (action.kind in KINDS, "Choose the kind of action.", "kind"),
        (not action.offense or action.offense in OFFENSES, "Choose the offense from the list.", "offense"),
        (not action.gender or action.gender in GENDERS, "Choose the gender from the list.", "gender"),
        (not action.race_ethnicity or action.race_ethnicity in RACES, "Choose race/ethnicity from the state's seven groups.", "race_ethnicity"),
        (not action.disability or action.disability in DISABILITY, "Choose IEP, 504 plan or none.", "disability"),
        (not action.grade or action.grade in GRADES, "Choose the grade from the list.", "grade"),
        (action.age is None or 3 <= int(action.age) <= 22, "Enter an age from 3 to 22, or leave it empty.", "age"),
    ]
    for ok, sentence, name in checks:
        if not ok:
            raise ValidationError(sentence, field=name)
    notified = action.parent_notified_at.strip()
    if notified:
        try:
            told = datetime.fromisoformat(notified)
        except ValueError:
            raise ValidationError("Enter when the parent was told like 2026-10-15 15:00.", field="parent_notified_at") from None
        if told.date() > today:
            raise ValidationError("Check when the parent was told; it is in the future.", field="parent_notified_at")
        if told.year < EARLIEST_YEAR:
            raise ValidationError(
                f"Check when the parent was told; it is before {EARLIEST_YEAR}.", field="parent_notified_at"
            )
        notified = told.isoformat(timespec="minutes")
    for text in (action.outcome, action.last_resort_reason, action.principal_reason, action.statute):
        if len(text) > 2000:
            raise ValidationError("Keep each note under 2,000 characters.", field="outcome")
    if len(action.student_ref) > 40:
        raise ValidationError("Keep the student reference short: a code, never a name.", field="student_ref")
    return Action(
        **{
            **action.__dict__,
            "occurred_at": moment.isoformat(timespec="minutes"),
            "parent_notified_at": notified,
            "student_ref": action.student_ref.strip(),
            "school_year": _kept_school_year(data_file, moment.date(), "occurred_at"),
        }
    )


def _values(action: Action) -> dict:
    return {
        "occurred_at": action.occurred_at,
        "school_year": action.school_year,
        "school_id": action.school_id,
        "place": action.place,
        "kind": action.kind,
        "offense": action.offense or None,
        "statute": action.statute.strip(),
        "warrant": int(action.warrant),
        "last_resort_reason": action.last_resort_reason.strip(),
        "principal_consulted": _flag(action.principal_consulted),
        "principal_reason": action.principal_reason.strip(),
        "parent_notified_at": action.parent_notified_at or None,
        "parent_told_before_questioning": int(action.parent_told_before_questioning),
        "parent_offered_to_attend": int(action.parent_offered_to_attend),
        "outcome": action.outcome.strip(),
        "student_ref": action.student_ref or None,
        "grade": action.grade or None,
        "age": action.age,
        "gender": action.gender or None,
        "race_ethnicity": action.race_ethnicity or None,
        "disability": action.disability or None,
        "english_learner": int(action.english_learner),
        "econ_disadvantaged": int(action.econ_disadvantaged),
        "high_needs": int(action.high_needs),
        "acknowledged": json.dumps(action.acknowledged, ensure_ascii=False) if action.acknowledged else None,
    }


def save_action(data_file: DataFile, action: Action, *, today: date | None = None) -> ActionId:
    """Record or correct an action; returns its id (its flags are computed, not stored)."""
    action = validate(data_file, action, today=today)
    with data_file.write():
        if action.id is None:
            return ActionId(rows.insert(data_file, "enforcement_action", _values(action)))
        rows.update(data_file, "enforcement_action", action.id, _values(action),
                    expected_version=action.version, label="entry")
        return action.id


def save_actions(data_file: DataFile, actions: list[Action], *, today: date | None = None) -> int:
    """Record many actions in one transaction (the demo, an import)."""
    checked = [validate(data_file, a, today=today) for a in actions]
    with data_file.write():
        for action in checked:
            rows.insert(data_file, "enforcement_action", _values(action))
    return len(checked)


def acknowledge(data_file: DataFile, action: Action, rule: str, explanation: str) -> None:
    """Keep a flag, with the explanation of why it happened; flags are never hidden."""
    if rule not in action.flags():
        raise ValidationError("That entry does not have that flag.")
    if len(explanation.strip()) < 10:
        raise ValidationError("Explain in a sentence why this happened; the flag stays visible with it.")
    acknowledged = {**action.acknowledged, rule: explanation.strip()}
    with data_file.write():
        rows.update(data_file, "enforcement_action", action.id,
                    {"acknowledged": json.dumps(acknowledged, ensure_ascii=False)},
                    expected_version=action.version, label="entry")


def _action(row: dict) -> Action:
    consulted = row["principal_consulted"]
    return Action(
        occurred_at=row["occurred_at"],
        school_id=row["school_id"],
        place=row["place"],
        kind=row["kind"],
        offense=row["offense"] or "",
        statute=row["statute"] or "",
        warrant=bool(row["warrant"]),
        last_resort_reason=row["last_resort_reason"] or "",
        principal_consulted=None if consulted is None else bool(consulted),
        principal_reason=row["principal_reason"] or "",
        parent_notified_at=row["parent_notified_at"] or "",
        parent_told_before_questioning=bool(row["parent_told_before_questioning"]),
        parent_offered_to_attend=bool(row["parent_offered_to_attend"]),
        outcome=row["outcome"] or "",
        student_ref=row["student_ref"] or "",
        grade=row["grade"] or "",
        age=row["age"],
        gender=row["gender"] or "",
        race_ethnicity=row["race_ethnicity"] or "",
        disability=row["disability"] or "",
        english_learner=bool(row["english_learner"]),
        econ_disadvantaged=bool(row["econ_disadvantaged"]),
        high_needs=bool(row["high_needs"]),
        acknowledged=json.loads(row["acknowledged"]) if row["acknowledged"] else {},
        school_year=row["school_year"],
        id=ActionId(row["id"]),
        version=row["version"],
    )


def actions_for(data_file: DataFile, school_year: str, *, school_id: int | None = None) -> list[Action]:
    """A school year's actions (one school's, if given), oldest first."""
    if school_id is None:
        found = data_file.query(
            "SELECT * FROM enforcement_action WHERE school_year = ? ORDER BY occurred_at, id", (school_year,)
        )
    else:
        found = data_file.query(
            "SELECT * FROM enforcement_action WHERE school_year = ? AND school_id = ? ORDER BY occurred_at, id",
            (school_year, school_id),
        )
    return [_action(r) for r in found]


def flagged(data_file: DataFile, school_year: str) -> list[Action]:
    """Every action of the year that breaks a rule, acknowledged or not."""
    return [a for a in actions_for(data_file, school_year) if a.flags()]


def years_read() -> Read:
    """The school years with entries, latest first (see ``calendar.years_in_read``)."""
    return years_in_read("enforcement_action")


def years_with_actions(data_file: DataFile) -> list[str]:
    """The school years with entries, latest first."""
    sql, params, _columns = years_read()
    return [r["school_year"] for r in data_file.query(sql, params)]


# -- enrolment and settings ------------------------------------------------------------


def set_enrolment(data_file: DataFile, school_id: int, school_year: str, students: int) -> None:
    if not 0 < int(students) < 100_000:
        raise ValidationError("Enter the number of students enrolled, a whole number above 0.")
    with data_file.write():
        found = data_file.query(
            "SELECT id, version FROM enrolment WHERE school_id = ? AND school_year = ?", (school_id, school_year)
        )
        if found:
            rows.update(data_file, "enrolment", found[0]["id"], {"students": int(students)},
                        expected_version=found[0]["version"], label="enrolment")
        else:
            rows.insert(data_file, "enrolment", {"school_id": school_id, "school_year": school_year,
                                                 "students": int(students)})


def enrolment_read(school_year: str) -> Read:
    return ("SELECT school_id, students FROM enrolment WHERE school_year = ?", (school_year,),
            ("school_id", "students"))


def enrolment(data_file: DataFile, school_year: str) -> dict[int, int]:
    """school id -> students enrolled that year."""
    sql, params, _columns = enrolment_read(school_year)
    return {r["school_id"]: r["students"] for r in data_file.query(sql, params)}


def suppression_threshold(data_file: DataFile) -> int:
    """Counts below this (but above zero) are hidden in anything printed for the public."""
    try:
        return max(1, int(get_setting(data_file, "suppression_threshold", str(SUPPRESSION_DEFAULT))))
    except (TypeError, ValueError):
        return SUPPRESSION_DEFAULT


def set_suppression_threshold(data_file: DataFile, threshold: int) -> None:
    if not 1 <= int(threshold) <= 50:
        raise ValidationError("Choose a threshold from 1 to 50 (the state uses 6).")
    set_setting(data_file, "suppression_threshold", str(int(threshold)))


# -- SRO activity ----------------------------------------------------------------------


@dataclass
class Activity:
    occurred_on: str
    kind: str
    count: int = 1
    school_id: int | None = None
    notes: str = ""
    school_year: str = ""
    id: int | None = None
    version: int = 0


def save_activity(data_file: DataFile, activity: Activity, *, today: date | None = None) -> int:
    """Log community-building, presentations, counselling contacts, meetings, calls."""
    today = today or date.today()
    try:
        day = date.fromisoformat(str(activity.occurred_on).strip())
    except ValueError:
        raise ValidationError("Enter the date like 2026-10-15.") from None
    if day > today:
        raise ValidationError("That date is in the future; check it.")
    if day.year < EARLIEST_YEAR:
        raise ValidationError(f"Check the date; it is before {EARLIEST_YEAR}.")
    if activity.kind not in ACTIVITY_KINDS:
        raise ValidationError("Choose the kind of activity.")
    if not 1 <= int(activity.count) <= 10_000:
        raise ValidationError("Enter how many, from 1 up.")
    values = {"occurred_on": day.isoformat(), "kind": activity.kind, "count": int(activity.count),
              "school_id": activity.school_id, "notes": activity.notes.strip(),
              "school_year": _kept_school_year(data_file, day)}
    with data_file.write():
        if activity.id is None:
            return rows.insert(data_file, "sro_activity", values)
        rows.update(data_file, "sro_activity", activity.id, values,
                    expected_version=activity.version, label="activity")
        return activity.id


def activities_read(school_year: str) -> Read:
    return ("SELECT id, occurred_on, kind, count, school_id, notes, school_year, version FROM sro_activity "
            "WHERE school_year = ? ORDER BY occurred_on, id", (school_year,),
            ("id", "occurred_on", "kind", "count", "school_id", "notes", "school_year", "version"))


def activities_for(data_file: DataFile, school_year: str) -> list[Activity]:
    sql, params, _columns = activities_read(school_year)
    return [
        Activity(r["occurred_on"], r["kind"], r["count"], r["school_id"], r["notes"] or "",
                 r["school_year"], r["id"], r["version"])
        for r in data_file.query(sql, params)
    ]


# -- the two measures the state publishes ----------------------------------------------


@dataclass
class Headline:
    school_id: int | None
    school_name: str
    enrolled: int | None
    arrested: int
    referred: int

    def share(self, count: int) -> str:
        """'1.2%' of enrolment, or '' when enrolment is not set (see ``share_text``)."""
        return share_text(count, self.enrolled)


def share_text(count: int, enrolled: int | None) -> str:
    """``count`` as a share of ``enrolled`` to one decimal ('1.2%'), or '' without an
    enrolment. A share that would round to 0.0% of a nonzero count prints '<0.1%' (and
    one that would round to 100.0% short of everyone '>99.9%'): a reader must never take
    one student for none, or nearly all for all."""
    if not enrolled:
        return ""
    text = f"{100 * count / enrolled:.1f}%"
    if count > 0 and text == "0.0%":
        return "<0.1%"
    if count < enrolled and text == "100.0%":
        return ">99.9%"
    return text


def _student(action: Action) -> str:
    """Who an action is about: the anonymous reference, or the action itself."""
    return f"ref:{action.student_ref}" if action.student_ref else f"action:{action.id}"


#: The schools, for the headline (every school in the file, as it always counted them).
_SCHOOLS_READ: Read = ("SELECT id, name FROM school ORDER BY id", (), ("id", "name"))


def _headline_counts_read(school_year: str) -> Read:
    """Counted in SQL, one statement: who each arrest or referral is about (as _student
    says); per school and student, whether arrested there (else referred without an arrest
    there); then per school, and per student over the district (arrested anywhere, else
    referred). The two lists are built once each (MATERIALIZED): left to itself, SQLite
    would group through an index that makes it read every entry of the year from the table."""
    referral = ", ".join(f"'{kind}'" for kind in sorted(REFERRAL_KINDS))
    return (
        f"""WITH acts AS MATERIALIZED (
              SELECT school_id, kind = 'arrest' AS arrest,
                     CASE WHEN coalesce(student_ref, '') != '' THEN 'ref:' || student_ref
                          ELSE 'action:' || id END AS who
              FROM enforcement_action WHERE school_year = ? AND kind IN ('arrest', {referral})),
            per_school AS MATERIALIZED (
              SELECT school_id, who, max(arrest) AS arrested FROM acts GROUP BY school_id, who)
            SELECT school_id, sum(arrested) AS arrested, sum(1 - arrested) AS referred
            FROM per_school GROUP BY school_id
            UNION ALL SELECT NULL, coalesce(sum(arrested), 0), coalesce(sum(1 - arrested), 0)
                      FROM (SELECT max(arrested) AS arrested FROM per_school GROUP BY who)""",
        (school_year,),
        ("school_id", "arrested", "referred"),
    )


def headline_reads(school_year: str) -> list[Read]:
    """The reads of ``headline_measures`` (and of ``enrolment``), to prefetch together."""
    return [_SCHOOLS_READ, enrolment_read(school_year), _headline_counts_read(school_year)]


def headline_measures(data_file: DataFile, school_year: str) -> list[Headline]:
    """Per school and for the district: students with a school-based arrest, and students
    with a non-arrest law-enforcement referral (and no arrest), with shares of enrolment."""
    schools = data_file.query(*_SCHOOLS_READ[:2])
    enrolled = enrolment(data_file, school_year)
    counts = data_file.query(*_headline_counts_read(school_year)[:2])
    found = {(row["school_id"], measure): row[measure] for row in counts for measure in ("arrested", "referred")}
    results = [
        Headline(school["id"], school["name"], enrolled.get(school["id"]),
                 found.get((school["id"], "arrested"), 0), found.get((school["id"], "referred"), 0))
        for school in schools
    ]
    # A district share needs every school's enrolment; a partial sum would understate it.
    total_enrolled = sum(enrolled[s["id"]] for s in schools) if all(s["id"] in enrolled for s in schools) else None
    results.append(Headline(None, "District", total_enrolled, found.get((None, "arrested"), 0),
                            found.get((None, "referred"), 0)))
    return results
