"""SRO training: the log, the yearly requirement from the agreement, status and certification.

Hours are kept as whole quarter hours, so totals never drift the way floating-point sums
do. Hours taken in the certified basic SRO course do not count toward the yearly minimum:
the model agreement asks for the minimum beyond that course.

Two sources, kept apart: G.L. c. 6, § 116H names the topics of the SRO in-service
program but sets no frequency; which topics are required every year, and how many hours,
is the agreement's (its clause on required yearly training, after the model agreement
and DESE's list of what an agreement covers).

The SRO certification (555 CMR 10.07, 10.09) has an effective date and an expiry (three
calendar years later unless POST sets another, so the expiry is stored as given), a
status (active, conditional, suspended, revoked), and follows the officer's own POST
certification: suspended or revoked with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NewType

from sro_desk.errors import ValidationError, quoted
from sro_desk.records.attachments import add_attachment, attachments_of
from sro_desk.records.calendar import parse_school_year, school_year_bounds, school_year_of
from sro_desk.records.officers import (
    RENEWAL_WARNING_DAYS,
    Officer,
    list_officers,
    load_officer,
    officers_read,
)
from sro_desk.records.settings import SETTINGS_READ, school_year_start_month
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

EntryId = NewType("EntryId", int)

#: The topics required every year when the agreement in force says so (its clause
#: ``YEARLY_TOPICS_CLAUSE``) or names none SRO Desk can read (the model agreement's and
#: DESE's list). Not the statute's: § 116H sets no frequency. Stored keys, kept as they were.
REQUIRED_TOPICS: dict[str, str] = {
    "child_development": "Child and adolescent development",
    "conflict_resolution": "Conflict resolution",
    "diversion": "Diversion strategies",
    "de_escalation": "De-escalation tactics",
}
#: The agreement's clause that makes ``REQUIRED_TOPICS`` yearly (SRO Desk's clause library).
YEARLY_TOPICS_CLAUSE = "mou.training.required"
#: Where the in-service topics come from (source "c6-116h" in resources/law/sources.json).
STATUTE_CITATION = "G.L. c. 6, § 116H"
#: The in-service topics G.L. c. 6, § 116H lists for SROs, in its order (four of them are
#: also the agreement's yearly topics, under the keys stored before).
STATUTE_TOPICS: dict[str, str] = {
    "juvenile_standards": "Juvenile and adult standards for police contact and arrest",
    "child_development": REQUIRED_TOPICS["child_development"],
    "de_escalation": REQUIRED_TOPICS["de_escalation"],
    "conflict_resolution": REQUIRED_TOPICS["conflict_resolution"],
    "diversion": REQUIRED_TOPICS["diversion"],
    "hate_crimes": "Hate-crime identification and prevention",
    "anti_bias": "Anti-bias, anti-racism and anti-harassment strategies",
    "bullying": "Bullying and cyberbullying",
    "school_partnership": "Working with school staff and victim communities",
}
#: What § 116H says a topic covers, where its label is shorter (our words).
STATUTE_TOPIC_NOTES: dict[str, str] = {
    "juvenile_standards": "How the legal standards for police interaction and arrest differ for juveniles and adults.",
    "child_development": "Including the effect of trauma, mental illness, behavioural addictions (such as gaming "
                         "and gambling disorder) and developmental disabilities.",
    "de_escalation": "Engagement and de-escalation tactics that work with young people.",
    "conflict_resolution": "Strategies for resolving conflict.",
    "diversion": "Diverting young people instead of arresting them.",
    "hate_crimes": "Preventing, responding to and investigating hate crimes and incidents, and their impact.",
    "school_partnership": "Working with school staff and victim communities, and building public confidence.",
}
#: Further topics the model agreement suggests.
SUGGESTED_TOPICS: dict[str, str] = {
    "mptc": "Municipal Police Training Committee requirements",
    "restorative_practices": "Restorative practices",
    "implicit_bias": "Implicit bias and disproportionality in school arrests",
    "cultural_competency": "Cultural competency",
    "mental_health": "Mental health and trauma-informed care",
    "behavior_supports": "Positive behavior supports",
    "restraint": "Restraint policy",
    "dating_violence": "Teen dating violence",
    "civil_rights": "Civil rights in schools",
    "special_education": "Special education law",
    "student_privacy": "Student privacy law",
    "cyber_safety": "Cyber safety",
    "emergency_management": "Emergency management",
    "threat_assessment": "Threat assessment",
    "sel": "Social-emotional learning",
}
#: The model agreement's recommended minimum when no agreement sets one.
MODEL_MINIMUM_HOURS = 12
POST_CERTIFICATION = "POST Commission school resource officer certification"
#: The SRO certification's statuses (555 CMR 10.07, 10.09(2)); a row with none is active.
CERTIFICATION_STATUSES = {"active": "Active", "conditional": "Conditional", "suspended": "Suspended",
                          "revoked": "Revoked"}
#: Unless POST provides otherwise, an SRO certification expires three calendar years
#: after its effective date (555 CMR 10.09(4)): the expiry offered, never imposed.
TERM_YEARS = 3
#: How the certification rules are cited (source "cmr555-10").
CERTIFICATION_CITATION = "555 CMR 10.07, 10.09"


# -- the reads -------------------------------------------------------------------------
#
# Each read is built by one small function returning (sql, params, columns), used both by
# the function that reads and by the lists of reads a page or the dashboard prefetches
# (``DataFile.prefetch``), so that a page asks the file once or twice, not once per read.

def topics_read() -> Read:
    return ("SELECT key, label FROM training_topic ORDER BY label", (), ("key", "label"))


def school_years_read() -> Read:
    """Every school year with training logged. Read by skipping through the index on
    (officer_id, school_year), one step per officer and year, rather than reading every
    entry (a plain SELECT DISTINCT reads all of them: milliseconds on a large file)."""
    return (
        "WITH RECURSIVE logged(officer_id) AS ("
        "SELECT min(officer_id) FROM training_entry "
        "UNION ALL SELECT (SELECT min(officer_id) FROM training_entry "
        "WHERE officer_id > logged.officer_id) FROM logged WHERE logged.officer_id IS NOT NULL"
        "), years(officer_id, school_year) AS ("
        "SELECT officer_id, (SELECT min(t.school_year) FROM training_entry t "
        "WHERE t.officer_id = logged.officer_id) FROM logged WHERE officer_id IS NOT NULL "
        "UNION ALL SELECT officer_id, (SELECT min(t.school_year) FROM training_entry t "
        "WHERE t.officer_id = years.officer_id AND t.school_year > years.school_year) "
        "FROM years WHERE school_year IS NOT NULL"
        ") SELECT DISTINCT school_year FROM years WHERE school_year IS NOT NULL",
        (),
        ("school_year",),
    )


def entries_read(data_file: DataFile, officer_id: int, school_year: str) -> Read:
    return (
        "SELECT * FROM training_entry WHERE officer_id = ? AND school_year = ? "
        "ORDER BY taken_on, id",
        (officer_id, school_year),
        data_file.columns("training_entry"),
    )


def entry_certificates_read(officer_id: int, school_year: str) -> Read:
    """The certificates' file names of one officer's entries in a school year."""
    return (
        "SELECT owner_id, file_name FROM attachment WHERE owner_table = 'training_entry' "
        "AND owner_id IN (SELECT id FROM training_entry WHERE officer_id = ? AND school_year = ?) "
        "ORDER BY id",
        (officer_id, school_year),
        ("owner_id", "file_name"),
    )


def sro_entries_read(school_year: str) -> Read:
    """What a status needs of every assigned SRO's entries in a school year: one read
    for all of them, so the dashboard's statuses do not ask once per officer."""
    return (
        "SELECT officer_id, quarter_hours, basic_course, topics FROM training_entry "
        "WHERE school_year = ? AND officer_id IN (SELECT id FROM officer WHERE assigned_sro = 1) "
        "ORDER BY taken_on, id",
        (school_year,),
        ("officer_id", "quarter_hours", "basic_course", "topics"),
    )


def requirement_read(school_year: str) -> Read:
    """The agreement in force for ``school_year``: its hours blank, and whether it carries
    the clause on yearly topics (1 included, 0 left out, None: no such clause)."""
    return (
        "SELECT a.id, a.school_year, b.value, (SELECT c.included FROM agreement_clause c "
        "WHERE c.agreement_id = a.id AND c.clause_key = ? ORDER BY c.position LIMIT 1) AS topics_clause "
        "FROM agreement a "
        "LEFT JOIN agreement_blank b ON b.agreement_id = a.id AND b.key = 'training_hours' "
        "WHERE a.status IN ('signed', 'filed', 'superseded') AND a.school_year <= ? "
        "ORDER BY a.school_year DESC, a.id DESC LIMIT 1",
        (YEARLY_TOPICS_CLAUSE, school_year),
        ("id", "school_year", "value", "topics_clause"),
    )


def certifications_read(data_file: DataFile, officer_id: int) -> Read:
    """One officer's certifications, newest first, each with the officer's own POST
    certification status (which the SRO certification follows)."""
    return (
        "SELECT c.*, (SELECT o.post_status FROM officer o WHERE o.id = c.officer_id) AS officer_status "
        "FROM certification c WHERE c.officer_id = ? ORDER BY c.granted_on DESC, c.id DESC",
        (officer_id,),
        (*data_file.columns("certification"), "officer_status"),
    )


def certification_documents_read(officer_id: int) -> Read:
    """The documents' file names of all of one officer's certifications, oldest first."""
    return (
        "SELECT owner_id, file_name FROM attachment WHERE owner_table = 'certification' "
        "AND owner_id IN (SELECT id FROM certification WHERE officer_id = ?) ORDER BY id",
        (officer_id,),
        ("owner_id", "file_name"),
    )


def sro_officers_read() -> Read:
    """The assigned SROs, as the certification alerts name them, with their own POST certification."""
    return ("SELECT id, name, post_status, post_expires_on FROM officer WHERE assigned_sro = 1 ORDER BY name",
            (), ("id", "name", "post_status", "post_expires_on"))


def sro_certifications_read(data_file: DataFile) -> Read:
    """Every assigned SRO's certifications, newest first, with the officer's own status."""
    return (
        "SELECT c.*, o.post_status AS officer_status FROM certification c "
        "JOIN officer o ON o.id = c.officer_id WHERE o.assigned_sro = 1 "
        "ORDER BY c.granted_on DESC, c.id DESC",
        (),
        (*data_file.columns("certification"), "officer_status"),
    )


def page_reads(data_file: DataFile) -> list[Read]:
    """What the Training page reads before it knows the officer and the year."""
    return [SETTINGS_READ, officers_read(data_file), school_years_read(), topics_read()]


def officer_reads(data_file: DataFile, officer_id: int, school_year: str) -> list[Read]:
    """What the Training page reads to show one officer's year (``status_and_entries``,
    ``certifications_of``): status, log, certification."""
    return [
        SETTINGS_READ,  # these three: already answered on opening, read again when another
        officers_read(data_file),  # officer is chosen (a new snapshot)
        topics_read(),
        requirement_read(school_year),
        entries_read(data_file, officer_id, school_year),
        entry_certificates_read(officer_id, school_year),
        certifications_read(data_file, officer_id),
        certification_documents_read(officer_id),
    ]


def dashboard_reads(data_file: DataFile, school_year: str, today: date | None = None) -> list[Read]:
    """What the dashboard reads for training: after ``data_file.prefetch`` of these in a
    snapshot, ``list_officers(sros_only=True)``, ``training_status`` of every assigned
    SRO (or ``training_statuses``) and ``certification_alerts`` ask the file nothing more."""
    return [
        SETTINGS_READ,
        officers_read(data_file, sros_only=True),
        officers_read(data_file),
        requirement_read(school_year),
        sro_entries_read(school_year),
        sro_officers_read(),
        sro_certifications_read(data_file),
    ]


def logged_school_years(data_file: DataFile) -> set[str]:
    """Every school year with training logged."""
    sql, params, _ = school_years_read()
    return {r["school_year"] for r in data_file.query(sql, params)}


# -- hours -----------------------------------------------------------------------------




def parse_hours(text: object) -> int:
    """Quarter hours from '1.25', '3.5', '2' or '0.75'; ValidationError otherwise."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ValidationError(f"{quoted(text)} is not a number of hours; write it like 1.5.") from None
    quarters = value * 4
    if quarters != quarters.to_integral_value():
        raise ValidationError("Enter hours in quarter hours, like 0.25, 1.5 or 2.75.")
    if not 0 < quarters <= 24 * 4 * 10:
        raise ValidationError("Enter between a quarter hour and 240 hours.")
    return int(quarters)


def hours_text(quarters: int) -> str:
    """'1.25', '3.5' or '12' from quarter hours."""
    whole, rest = divmod(int(quarters), 4)
    return str(whole) if rest == 0 else f"{whole}.{(25, 5, 75)[rest - 1]}"


# -- topics ----------------------------------------------------------------------------


def all_topics(data_file: DataFile) -> dict[str, str]:
    """Every topic key and label: the agreement's yearly ones, the rest of § 116H's, the
    model's suggestions, then the district's own."""
    sql, params, _ = topics_read()
    own = {r["key"]: r["label"] for r in data_file.query(sql, params)}
    return {**REQUIRED_TOPICS, **STATUTE_TOPICS, **SUGGESTED_TOPICS, **own}


def topic_marks(key: str) -> list[str]:
    """Where a topic comes from, in words for a list: 'required yearly by the agreement'
    (the model's yearly topics) and '§ 116H' (a topic of the statute's in-service program)."""
    marks = []
    if key in REQUIRED_TOPICS:
        marks.append("required yearly by the agreement")
    if key in STATUTE_TOPICS:
        marks.append("§ 116H")
    return marks


def add_topic(data_file: DataFile, label: str) -> str:
    """Add a district topic; returns its key."""
    label = label.strip()
    if not label:
        raise ValidationError("Enter the topic's name.")
    if len(label) > 200:
        raise ValidationError("Keep the topic's name under 200 characters.")
    existing = all_topics(data_file)
    if label.casefold() in {v.casefold() for v in existing.values()}:
        raise ValidationError(f"There is already a topic called {label}.")
    key = "own_" + "".join(c if c.isalnum() else "_" for c in label.lower())[:40]
    suffix = 1
    base = key
    while key in existing:
        suffix += 1
        key = f"{base}_{suffix}"
    with data_file.write():
        rows.insert(data_file, "training_topic", {"key": key, "label": label})
    return key


# -- entries ---------------------------------------------------------------------------


@dataclass
class TrainingEntry:
    officer_id: int
    taken_on: str
    title: str
    quarter_hours: int
    provider: str = ""
    topics: list[str] = field(default_factory=list)
    basic_course: bool = False
    with_administrators: str = ""
    notes: str = ""
    school_year: str = ""
    id: EntryId | None = None
    version: int = 0
    certificates: list[str] = field(default_factory=list)

    @property
    def hours(self) -> str:
        return hours_text(self.quarter_hours)


def _entry(row: dict, certificates: list[str]) -> TrainingEntry:
    return TrainingEntry(
        officer_id=row["officer_id"],
        taken_on=row["taken_on"],
        title=row["title"],
        quarter_hours=row["quarter_hours"],
        provider=row["provider"] or "",
        topics=json.loads(row["topics"] or "[]"),
        basic_course=bool(row["basic_course"]),
        with_administrators=row["with_administrators"] or "",
        notes=row["notes"] or "",
        school_year=row["school_year"],
        id=EntryId(row["id"]),
        version=row["version"],
        certificates=certificates,
    )


def entries_for(data_file: DataFile, officer_id: int, school_year: str) -> list[TrainingEntry]:
    """One officer's entries in a school year, by date."""
    found = data_file.query(*entries_read(data_file, officer_id, school_year)[:2])
    names: dict[int, list[str]] = {}
    if found:
        ids = {r["id"] for r in found}
        for row in data_file.query(*entry_certificates_read(officer_id, school_year)[:2]):
            if row["owner_id"] in ids:
                names.setdefault(row["owner_id"], []).append(row["file_name"])
    return [_entry(r, names.get(r["id"], [])) for r in found]


def validate_entry(data_file: DataFile, entry: TrainingEntry, *, today: date | None = None) -> TrainingEntry:
    """A tidied copy with its school year set, or ValidationError naming what to fix."""
    today = today or date.today()
    load_officer(data_file, entry.officer_id)
    try:
        taken = date.fromisoformat(str(entry.taken_on).strip())
    except ValueError:
        raise ValidationError("Enter the training date like 2026-10-15.", field="taken_on") from None
    if taken > today:
        raise ValidationError(
            "Log training once it has happened; that date is in the future.", field="taken_on"
        )
    if taken.year < 1980:
        raise ValidationError("Check the training date; it is before 1980.", field="taken_on")
    title = entry.title.strip()
    if not title:
        raise ValidationError("Enter the training's title.", field="title")
    if len(title) > 300 or len(entry.provider) > 300:
        raise ValidationError("Keep the title and provider under 300 characters each.", field="title")
    if not 0 < entry.quarter_hours <= 960:
        raise ValidationError("Enter between a quarter hour and 240 hours.", field="hours")
    known = all_topics(data_file)
    unknown = [t for t in entry.topics if t not in known]
    if unknown:
        raise ValidationError(f"Unknown topic {unknown[0]}; choose topics from the list.", field="topics")
    return TrainingEntry(
        **{
            **entry.__dict__,
            "taken_on": taken.isoformat(),
            "title": title,
            "provider": entry.provider.strip(),
            "with_administrators": entry.with_administrators.strip(),
            "notes": entry.notes.strip(),
            "topics": list(dict.fromkeys(entry.topics)),
            "school_year": school_year_of(taken, starts_month=school_year_start_month(data_file)),
        }
    )


def _entry_values(entry: TrainingEntry) -> dict:
    return {
        "officer_id": entry.officer_id,
        "taken_on": entry.taken_on,
        "school_year": entry.school_year,
        "title": entry.title,
        "provider": entry.provider,
        "quarter_hours": entry.quarter_hours,
        "topics": json.dumps(entry.topics),
        "basic_course": int(entry.basic_course),
        "with_administrators": entry.with_administrators,
        "notes": entry.notes,
    }


def save_entry(
    data_file: DataFile,
    entry: TrainingEntry,
    *,
    certificate: tuple[str, str, bytes] | None = None,
    today: date | None = None,
) -> EntryId:
    """Log or correct a training entry (and attach a certificate) in one transaction."""
    entry = validate_entry(data_file, entry, today=today)
    with data_file.write():
        if entry.id is None:
            entry_id = EntryId(rows.insert(data_file, "training_entry", _entry_values(entry)))
        else:
            entry_id = entry.id
            rows.update(
                data_file, "training_entry", entry.id, _entry_values(entry),
                expected_version=entry.version, label="training entry",
            )
        if certificate is not None:
            add_attachment(data_file, "training_entry", entry_id, certificate)
    return entry_id


def save_entries(data_file: DataFile, entries: list[TrainingEntry], *, today: date | None = None) -> int:
    """Log many entries at once (an import): all of them, or none if any is refused."""
    checked = [validate_entry(data_file, e, today=today) for e in entries]
    with data_file.write():
        for entry in checked:
            rows.insert(data_file, "training_entry", _entry_values(entry))
    return len(checked)


def delete_entry(data_file: DataFile, entry: TrainingEntry) -> None:
    with data_file.write():
        for attachment in attachments_of(data_file, "training_entry", entry.id):
            data_file.conn.execute("DELETE FROM attachment WHERE id = ?", (attachment["id"],))
            rows.audit(data_file, "attachment", attachment["id"], "delete",
                       {"file_name": [attachment["file_name"], None]})
        rows.delete(data_file, "training_entry", entry.id, expected_version=entry.version,
                    label="training entry")


# -- the yearly requirement and status -------------------------------------------------


@dataclass
class Requirement:
    quarter_hours: int
    topics: list[str]
    #: Where the requirement comes from, as a sentence for the screen and the record.
    source: str
    agreement_id: int | None = None


def requirement_for(data_file: DataFile, school_year: str) -> Requirement:
    """The minimum hours and yearly topics in force for a school year: the agreement's.

    The agreement in force is the signed one for that year, or else the latest signed
    one before it (an agreement runs until it is replaced). Its hours blank sets the
    hours; its clause on yearly training makes ``REQUIRED_TOPICS`` yearly, and leaving
    the clause out leaves no topic required. Without an agreement, or without a clause
    SRO Desk can read (an imported agreement), the model agreement's 12 hours and yearly
    topics apply, and the source says so. G.L. c. 6, § 116H names topics but no frequency,
    so it is never the source of a yearly requirement.
    """
    parse_school_year(school_year)
    found = data_file.query(*requirement_read(school_year)[:2])
    if not found:
        return Requirement(
            MODEL_MINIMUM_HOURS * 4, list(REQUIRED_TOPICS),
            f"No signed agreement is in force, so the model's recommended {MODEL_MINIMUM_HOURS} hours "
            "and its yearly topics apply.",
        )
    row = found[0]
    try:
        hours = int(json.loads(row["value"])) if row["value"] else None
    except (TypeError, ValueError):
        hours = None
    if hours is not None:
        source = f"The {row['school_year']} agreement sets {hours} hours a year"
    else:
        source = (f"The {row['school_year']} agreement sets no minimum, so the model's recommended "
                  f"{MODEL_MINIMUM_HOURS} hours apply")
        hours = MODEL_MINIMUM_HOURS
    clause = row["topics_clause"]
    if clause is None:
        topics = list(REQUIRED_TOPICS)
        source += "; it names no yearly topics SRO Desk can read, so the model's yearly topics apply."
    elif clause:
        topics = list(REQUIRED_TOPICS)
        source += " and names the topics required every year."
    else:
        topics = []
        source += "; its clause on yearly topics is left out, so no topic is required every year."
    return Requirement(hours * 4, topics, source, row["id"])


@dataclass
class TrainingStatus:
    officer_id: int
    officer_name: str
    school_year: str
    requirement: Requirement
    done_quarters: int
    basic_quarters: int
    topics_done: list[str]
    topics_missing: list[str]
    ends_on: date
    days_left: int
    hours_by_topic: dict[str, int]

    @property
    def complete(self) -> bool:
        return self.done_quarters >= self.requirement.quarter_hours and not self.topics_missing

    @property
    def short_quarters(self) -> int:
        return max(0, self.requirement.quarter_hours - self.done_quarters)

    def summary(self) -> str:
        """One sentence: done against required, what is missing, how long is left."""
        done = f"{hours_text(self.done_quarters)} of {hours_text(self.requirement.quarter_hours)} hours"
        if self.complete:
            return f"{self.officer_name}: {done}; every required topic covered. Complete."
        missing = []
        if self.short_quarters:
            missing.append(f"{hours_text(self.short_quarters)} hours short")
        if self.topics_missing:
            missing.append("missing " + ", ".join(REQUIRED_TOPICS[t] for t in self.topics_missing))
        when = (
            f"{self.days_left} days left in {self.school_year}"
            if self.days_left > 0
            else f"the {self.school_year} school year has ended"
        )
        return f"{self.officer_name}: {done}; {'; '.join(missing)}; {when}."


def training_status(
    data_file: DataFile, officer_id: int, school_year: str, *, today: date | None = None
) -> TrainingStatus:
    """Hours done against the requirement, topics covered and missing, days left.

    For an assigned SRO its reads are the same whichever SRO is asked about (all
    officers, every SRO's entries of the year, the requirement), so the statuses of many
    SROs read the file once (see ``dashboard_reads`` and ``training_statuses``)."""
    officer = _find_officer(data_file, officer_id)
    if officer is None:
        officer = load_officer(data_file, officer_id)  # says it is no longer in the file
    read = sro_entries_read(school_year) if officer.assigned_sro else entries_read(
        data_file, officer_id, school_year
    )
    found = [r for r in data_file.query(*read[:2]) if r["officer_id"] == officer_id]
    return _status(data_file, officer, school_year, found, today)


def status_reads(data_file: DataFile, officer: Officer, school_year: str) -> list[Read]:
    """What ``training_status`` reads for ``officer`` in ``school_year`` (for prefetch)."""
    entries = sro_entries_read(school_year) if officer.assigned_sro else entries_read(
        data_file, officer.id, school_year)
    return [SETTINGS_READ, officers_read(data_file), requirement_read(school_year), entries]


def certification_reads(data_file: DataFile, officer_id: int) -> list[Read]:
    """What ``certifications_of`` reads (for prefetch)."""
    return [certifications_read(data_file, officer_id), certification_documents_read(officer_id)]


def status_and_entries(
    data_file: DataFile, officer_id: int, school_year: str, *, today: date | None = None
) -> tuple[TrainingStatus, list[TrainingEntry]]:
    """One officer's status and entries in a school year (as ``training_status`` and
    ``entries_for``), from that officer's entries alone: for showing one officer."""
    officer = _find_officer(data_file, officer_id)
    if officer is None:
        officer = load_officer(data_file, officer_id)
    entries = entries_for(data_file, officer_id, school_year)
    found = [
        {"quarter_hours": e.quarter_hours, "basic_course": e.basic_course, "topics": e.topics}
        for e in entries
    ]
    return _status(data_file, officer, school_year, found, today), entries


def training_statuses(
    data_file: DataFile, school_year: str, *, today: date | None = None
) -> list[TrainingStatus]:
    """The status of every assigned SRO (in ``list_officers`` order), from one read of
    their entries (each entry looked at once, not once per officer)."""
    entries: dict[int, list[dict]] = {}
    for row in data_file.query(*sro_entries_read(school_year)[:2]):
        entries.setdefault(row["officer_id"], []).append(row)
    return [
        _status(data_file, officer, school_year, entries.get(officer.id, []), today)
        for officer in list_officers(data_file, sros_only=True)
    ]


def _find_officer(data_file: DataFile, officer_id: int) -> Officer | None:
    """The officer from the list of all officers (one read shared by every lookup)."""
    return next((o for o in list_officers(data_file) if o.id == officer_id), None)


@lru_cache(maxsize=512)
def _decoded_topics(text: str) -> tuple[str, ...]:
    """An entry's topics from their stored text; a year's entries repeat a few lists."""
    return tuple(json.loads(text))


def _topic_list(text: str) -> list[str]:
    return list(_decoded_topics(text))


def _status(
    data_file: DataFile, officer: Officer, school_year: str, found: list[dict], today: date | None
) -> TrainingStatus:
    """The status from the officer's entries of the year (rows with quarter_hours,
    basic_course and topics, by date)."""
    today = today or date.today()
    requirement = requirement_for(data_file, school_year)
    entries = [
        (r["quarter_hours"], bool(r["basic_course"]),
         r["topics"] if isinstance(r["topics"], list) else _topic_list(r["topics"] or "[]"))
        for r in found
    ]
    counted = [(quarters, topics) for quarters, basic_course, topics in entries if not basic_course]
    done = sum(quarters for quarters, _topics in counted)
    basic = sum(quarters for quarters, basic_course, _topics in entries if basic_course)
    covered = list(dict.fromkeys(t for _quarters, topics in counted for t in topics))
    by_topic: dict[str, int] = {}
    for quarters, topics in counted:
        for topic in topics:
            by_topic[topic] = by_topic.get(topic, 0) + quarters
    _, ends = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    return TrainingStatus(
        officer_id=officer.id,
        officer_name=officer.name,
        school_year=school_year,
        requirement=requirement,
        done_quarters=done,
        basic_quarters=basic,
        topics_done=covered,
        topics_missing=[t for t in requirement.topics if t not in covered],
        ends_on=ends,
        days_left=max(0, (ends - today).days + 1) if today <= ends else 0,
        hours_by_topic=by_topic,
    )


# -- certification ---------------------------------------------------------------------


def default_expiry(effective: date) -> date:
    """Three calendar years after the effective date (555 CMR 10.09(4)), the expiry a new
    certification is offered; a 29 February start gives 28 February."""
    try:
        return effective.replace(year=effective.year + TERM_YEARS)
    except ValueError:
        return effective.replace(year=effective.year + TERM_YEARS, day=28)


@dataclass
class Certification:
    officer_id: int
    #: The effective date POST recognises (stored as ``granted_on``, its name from before).
    granted_on: str
    expires_on: str = ""
    number: str = ""
    kind: str = POST_CERTIFICATION
    id: int | None = None
    version: int = 0
    documents: list[str] = field(default_factory=list)
    #: One of CERTIFICATION_STATUSES; a row from before 0014 has none and is active.
    status: str = "active"
    #: For a conditional certification: the training to finish, and by when.
    conditions: str = ""
    conditions_due: str = ""
    #: The officer's own POST certification status as read with it (officers.POST_STATUSES).
    officer_status: str = ""

    @property
    def effective_on(self) -> str:
        return self.granted_on

    def standing(self) -> str:
        """The status that counts: revoked or suspended when the officer's own POST
        certification is (555 CMR 10.09(9)-(10)), else its own."""
        own = self.status or "active"
        for worst in ("revoked", "suspended"):
            if worst in (own, self.officer_status):
                return worst
        return own

    def follows_officer(self) -> bool:
        """Whether its standing is the officer's own certification's, not its own."""
        return self.standing() != (self.status or "active")

    def state(self, today: date | None = None) -> str:
        """'revoked', 'suspended', 'not yet valid', 'lapsed', 'conditions overdue',
        'expiring' (within 90 days, the 90th included), 'expiry not recorded',
        'conditional' or 'current'. A blank expiry is never taken as lasting for ever."""
        today = today or date.today()
        standing = self.standing()
        if standing in ("revoked", "suspended"):
            return standing
        if date.fromisoformat(self.granted_on) > today:
            return "not yet valid"
        if self.expires_on and date.fromisoformat(self.expires_on) < today:
            return "lapsed"
        conditional = standing == "conditional"
        if conditional and self.conditions_due and date.fromisoformat(self.conditions_due) < today:
            return "conditions overdue"
        if self.expires_on and date.fromisoformat(self.expires_on) - today <= timedelta(days=RENEWAL_WARNING_DAYS):
            return "expiring"
        if not self.expires_on:
            return "expiry not recorded"
        return "conditional" if conditional else "current"

    def describe(self, today: date | None = None) -> str:
        """One sentence: its state and why, for the page and the printed record."""
        today = today or date.today()
        state = self.state(today)
        conditions = self._conditions_text()
        if state in ("revoked", "suspended"):
            if self.follows_officer():
                rule = "10.09(10)" if state == "revoked" else "10.09(9)"
                return (f"{state.capitalize()} with the officer's own POST certification "
                        f"(555 CMR {rule}).")
            return f"{state.capitalize()}."
        if state == "expiring":
            days = (date.fromisoformat(self.expires_on) - today).days
            sentence = f"Expires on {self.expires_on}, in {days} day{'s' if days != 1 else ''}."
        else:
            sentence = {
                "not yet valid": f"Takes effect on {self.granted_on}.",
                "lapsed": f"Lapsed: it expired on {self.expires_on}.",
                "conditions overdue": f"Conditional: {conditions} was due by {self.conditions_due}.",
                "expiry not recorded": "Expiry not recorded; unless POST set another, it is three years after the "
                                       "effective date (555 CMR 10.09(4)).",
                "conditional": f"Conditional: {conditions} to finish by {self.conditions_due}.",
                "current": f"Current until {self.expires_on}.",
            }[state]
        if self.standing() == "conditional" and state not in ("conditional", "conditions overdue"):
            sentence += f" Conditional: {conditions} to finish by {self.conditions_due or 'a date not recorded'}."
        return sentence

    def _conditions_text(self) -> str:
        return self.conditions or "the training it requires"


def certifications_of(data_file: DataFile, officer_id: int) -> list[Certification]:
    """An officer's certifications, newest first (each knowing the officer's own status)."""
    found = data_file.query(*certifications_read(data_file, officer_id)[:2])
    documents: dict[int, list[str]] = {}
    if found:
        for row in data_file.query(*certification_documents_read(officer_id)[:2]):
            documents.setdefault(row["owner_id"], []).append(row["file_name"])
    return [_certification(r, documents.get(r["id"], [])) for r in found]


def _certification(row: dict, documents: list[str]) -> Certification:
    return Certification(
        officer_id=row["officer_id"],
        granted_on=row["granted_on"],
        expires_on=row["expires_on"] or "",
        number=row["number"] or "",
        kind=row["kind"],
        id=row["id"],
        version=row["version"],
        documents=documents,
        status=row.get("status") or "active",
        conditions=row.get("conditions") or "",
        conditions_due=row.get("conditions_due") or "",
        officer_status=row.get("officer_status") or "",
    )


def _date(text: str, sentence: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(sentence, field=field_name) from None


def save_certification(
    data_file: DataFile,
    certification: Certification,
    *,
    document: tuple[str, str, bytes] | None = None,
) -> int:
    """Record (or correct) a certification, with its certificate if given.

    The expiry is stored as given (POST may set another than three years), or left blank
    when it is not known, which the dashboard then asks for."""
    load_officer(data_file, certification.officer_id)
    effective = _date(certification.granted_on, "Enter the effective date like 2025-06-30.", "granted_on")
    expires = None
    if certification.expires_on.strip():
        expires = _date(certification.expires_on, "Enter the expiry date like 2028-06-30.", "expires_on")
        if expires <= effective:
            raise ValidationError("The expiry date must come after the effective date.", field="expires_on")
    status = certification.status or "active"
    if status not in CERTIFICATION_STATUSES:
        raise ValidationError("Choose the certification's status from the list.", field="status")
    conditions, due = certification.conditions.strip(), None
    if status == "conditional":
        if not conditions:
            raise ValidationError("Say which training the conditional certification requires.", field="conditions")
        if len(conditions) > 500:
            raise ValidationError("Keep the training to finish under 500 characters.", field="conditions")
        if not certification.conditions_due.strip():
            raise ValidationError("Enter the date the training must be finished by.", field="conditions_due")
        due = _date(certification.conditions_due, "Enter the date to finish the training by like 2026-12-31.",
                    "conditions_due")
        if due <= effective:
            raise ValidationError("The date to finish the training by must come after the effective date.",
                                  field="conditions_due")
    values = {
        "officer_id": certification.officer_id,
        "kind": certification.kind.strip() or POST_CERTIFICATION,
        "number": certification.number.strip(),
        "granted_on": effective.isoformat(),
        "expires_on": expires.isoformat() if expires else None,
        "status": status,
        "conditions": conditions if due else None,
        "conditions_due": due.isoformat() if due else None,
    }
    with data_file.write():
        if certification.id is None:
            cert_id = rows.insert(data_file, "certification", values)
        else:
            cert_id = certification.id
            rows.update(
                data_file, "certification", cert_id, values,
                expected_version=certification.version, label="certification",
            )
        if document is not None:
            add_attachment(data_file, "certification", cert_id, document)
    return cert_id


@dataclass(frozen=True)
class CertificationWarning:
    """One thing wrong, or about to be, with an assigned SRO's certifications."""

    #: The dashboard's key: what kind of warning, and whose (``WARNING_SOURCES`` names the kinds).
    key: str
    what: str
    #: The date it is due by (an expiry, a condition's deadline), or None: act now.
    due: date | None
    #: The id of its source in resources/law/sources.json.
    source: str
    #: To act on now (listed with the urgent items until it is late); a conditional
    #: certification's deadline is listed by its date like any other.
    urgent: bool = True


#: The kinds of warning (each key is the kind and the officer's id), with their source.
WARNING_SOURCES: dict[str, str] = {
    "sro_certification_missing": "c71-37p-a",
    "sro_certification_not_started": "c71-37p-a",
    "sro_certification_revoked": "cmr555-10",
    "sro_certification_suspended": "cmr555-10",
    "sro_certification_lapsed": "cmr555-10",
    "sro_certification_expiring": "cmr555-10",
    "sro_certification_expiry_unknown": "cmr555-10",
    "sro_certification_conditional": "cmr555-10",
    "officer_certification_lapsed": "c71-37p-a",
    "officer_certification_expiring": "c71-37p-a",
}


def _warning(kind: str, officer_id: int, what: str, due: date | None = None) -> CertificationWarning:
    return CertificationWarning(f"{kind}_{officer_id}", what, due, WARNING_SOURCES[kind],
                                urgent=kind != "sro_certification_conditional")


def certification_warnings(data_file: DataFile, *, today: date | None = None) -> list[CertificationWarning]:
    """For each assigned SRO: the SRO certification missing, not yet started, revoked or
    suspended (its own or with the officer's), lapsed, expiring within 90 days or with no
    expiry recorded, or conditional (by its deadline); and the officer's own POST
    certification lapsed or expiring. Each sentence cites its source.

    The certification that counts is the latest that has taken effect; a renewal already
    recorded that takes effect by the day after the expiry answers an expiring one."""
    today = today or date.today()
    warnings: list[CertificationWarning] = []
    by_officer: dict[int, list[Certification]] = {}
    for row in data_file.query(*sro_certifications_read(data_file)[:2]):
        by_officer.setdefault(row["officer_id"], []).append(_certification(row, []))
    for row in data_file.query(*sro_officers_read()[:2]):
        officer_id, name = row["id"], row["name"]
        warnings += _sro_certification_warnings(officer_id, name, by_officer.get(officer_id, []), today)
        own = Officer(name, post_status=row["post_status"] or "", post_expires_on=row["post_expires_on"] or "")
        state = own.post_state(today)
        if state in ("lapsed", "expiring"):
            verb = "expired" if state == "lapsed" else "expires"
            warnings.append(_warning(
                f"officer_certification_{state}", officer_id,
                f"{name}'s own POST officer certification {verb} on {own.post_expires_on}; see that it is "
                "renewed and record the new expiry: an SRO holds current certificates (G.L. c. 71, § 37P(a)), "
                "and the SRO certification is suspended or revoked with it (555 CMR 10.09).",
                date.fromisoformat(own.post_expires_on)))
    return warnings


def _sro_certification_warnings(officer_id: int, name: str, all_certs: list[Certification],
                                today: date) -> list[CertificationWarning]:
    """The warnings about one SRO's SRO certification (``all_certs`` newest first)."""
    certs = [c for c in all_certs if c.kind == POST_CERTIFICATION]
    if not certs:
        return [_warning("sro_certification_missing", officer_id,
                         f"{name} is assigned as SRO with no SRO certification recorded; an SRO must hold "
                         "POST's SRO certification (G.L. c. 71, § 37P(a)).")]
    upcoming = [c for c in certs if date.fromisoformat(c.granted_on) > today]
    started = [c for c in certs if c not in upcoming]
    if not started:
        starts = min(c.granted_on for c in upcoming)
        return [_warning("sro_certification_not_started", officer_id,
                         f"{name} is assigned as SRO, but the SRO certification only starts on {starts}; an SRO "
                         "must hold it (G.L. c. 71, § 37P(a)).")]
    current = started[0]  # the latest to take effect (newest first)
    standing = current.standing()
    if standing in ("revoked", "suspended"):
        how = (f"with {name}'s own POST certification (555 CMR {'10.09(10)' if standing == 'revoked' else '10.09(9)'})"
               if current.follows_officer() else "by POST (555 CMR 10.09(2))")
        return [_warning(f"sro_certification_{standing}", officer_id,
                         f"{name}'s SRO certification is {standing} {how}; an SRO must hold the certification "
                         "(G.L. c. 71, § 37P(a)).")]
    found = []
    if not current.expires_on:
        found.append(_warning("sro_certification_expiry_unknown", officer_id,
                              f"{name}'s SRO certification has no expiry recorded; record it from the certificate "
                              "(three years after the effective date unless POST set another, 555 CMR 10.09(4))."))
    else:
        expires = date.fromisoformat(current.expires_on)
        renewal = min((c.granted_on for c in upcoming), default="")
        in_time = bool(renewal) and date.fromisoformat(renewal) <= expires + timedelta(days=1)
        if expires < today:
            then = f" The renewal recorded only starts on {renewal}." if renewal else " Record the renewal."
            found.append(_warning("sro_certification_lapsed", officer_id,
                                  f"{name}'s SRO certification has lapsed: it expired on {current.expires_on} "
                                  f"(555 CMR 10.09(4)).{then}", expires))
        elif expires - today <= timedelta(days=RENEWAL_WARNING_DAYS) and not in_time:
            found.append(_warning("sro_certification_expiring", officer_id,
                                  f"{name}'s SRO certification expires on {current.expires_on}; renew it "
                                  "(555 CMR 10.09(4)).", expires))
    if standing == "conditional":
        due = date.fromisoformat(current.conditions_due) if current.conditions_due else None
        training = current.conditions or "the training it requires"
        found.append(_warning("sro_certification_conditional", officer_id,
                              f"{name}'s SRO certification is conditional: {training} must be finished by "
                              f"{current.conditions_due or 'the date POST set'} (555 CMR 10.07).", due))
    return found


def certification_alerts(data_file: DataFile, *, today: date | None = None) -> list[str]:
    """The sentences of ``certification_warnings`` (for the packet and the dashboard)."""
    return [w.what for w in certification_warnings(data_file, today=today)]


# -- the printed training record -------------------------------------------------------


@dataclass
class PrintableTraining:
    """What documents/ prints for one officer and school year."""

    district_name: str
    officer_name: str
    rank: str
    department: str
    school_year: str
    #: Rows: (date, title, provider, hours as text, topic labels, basic course?, with administrators, certificate file names)
    entries: list[tuple[str, str, str, str, list[str], bool, str, list[str]]]
    #: (topic label, hours as text, required?) for every topic with hours or required.
    hours_by_topic: list[tuple[str, str, bool]]
    done_hours: str
    required_hours: str
    basic_hours: str
    requirement_source: str
    status_sentence: str
    complete: bool
    #: (kind, number, effective date, expires, state, certificate file names)
    certifications: list[tuple[str, str, str, str, str, list[str]]]
    prepared_on: str
    #: One sentence per certification saying its state and why, then the officer's own
    #: POST certification.
    certification_notes: list[str] = field(default_factory=list)


def printable_training(
    data_file: DataFile, officer_id: int, school_year: str, *, today: date | None = None
) -> PrintableTraining:
    from sro_desk.records.district import load_district

    today = today or date.today()
    officer = load_officer(data_file, officer_id)
    status, entries = status_and_entries(data_file, officer_id, school_year, today=today)
    topics = all_topics(data_file)
    district = load_district(data_file)
    certifications = certifications_of(data_file, officer_id)
    required = status.requirement.topics
    by_topic = [
        (label, hours_text(status.hours_by_topic.get(key, 0)), key in required)
        for key, label in topics.items()
        if key in required or key in status.hours_by_topic
    ]
    return PrintableTraining(
        district_name=district.name if district else "",
        officer_name=officer.name,
        rank=officer.rank,
        department=officer.department_name,
        school_year=school_year,
        entries=[
            (e.taken_on, e.title, e.provider, e.hours, [topics.get(t, t) for t in e.topics],
             e.basic_course, e.with_administrators, e.certificates)
            for e in entries
        ],
        hours_by_topic=by_topic,
        done_hours=hours_text(status.done_quarters),
        required_hours=hours_text(status.requirement.quarter_hours),
        basic_hours=hours_text(status.basic_quarters),
        requirement_source=status.requirement.source,
        status_sentence=status.summary(),
        complete=status.complete,
        certifications=[
            (c.kind, c.number, c.granted_on, c.expires_on, c.state(today), c.documents)
            for c in certifications
        ],
        prepared_on=f"{today:%B} {today.day}, {today.year}",
        certification_notes=[
            *(f"{c.kind} ({c.granted_on}): {c.describe(today)}" for c in certifications),
            officer_certification_sentence(officer, today),
        ],
    )


def officer_certification_sentence(officer: Officer, today: date | None = None) -> str:
    """The officer's own POST certification, in a sentence."""
    state = officer.post_state(today)
    if state == "not recorded":
        return "The officer's own POST certification: not recorded."
    expiry = f", expires {officer.post_expires_on}" if officer.post_expires_on else ""
    status = (officer.post_status or "status not recorded").lower()
    flag = {"lapsed": " (lapsed)", "expiring": " (expires within 90 days)",
            "expiry not recorded": " (expiry not recorded)"}.get(state, "")
    followed = (" The SRO certification is deemed the same (555 CMR 10.09(9)-(10))."
                if state in ("suspended", "revoked") else "")
    return f"The officer's own POST certification: {status}{expiry}{flag}.{followed}"
