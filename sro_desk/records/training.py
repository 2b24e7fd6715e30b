"""SRO training: the log, the yearly requirement from the agreement, status and certification.

Hours are kept as whole quarter hours, so totals never drift the way floating-point sums
do. Hours taken in the certified basic SRO course do not count toward the yearly minimum:
the model agreement asks for the minimum beyond that course.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import NewType

from sro_desk.errors import ValidationError, quoted
from sro_desk.records.attachments import add_attachment, attachments_of
from sro_desk.records.calendar import parse_school_year, school_year_bounds, school_year_of
from sro_desk.records.officers import load_officer
from sro_desk.records.settings import school_year_start_month
from sro_desk.store import DataFile, rows

EntryId = NewType("EntryId", int)

#: Required every year: the statute's three, and de-escalation, which DESE also names.
REQUIRED_TOPICS: dict[str, str] = {
    "child_development": "Child and adolescent development",
    "conflict_resolution": "Conflict resolution",
    "diversion": "Diversion strategies",
    "de_escalation": "De-escalation tactics",
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
    "bullying": "Bullying prevention",
    "cyber_safety": "Cyber safety",
    "emergency_management": "Emergency management",
    "threat_assessment": "Threat assessment",
    "sel": "Social-emotional learning",
}
#: The model agreement's recommended minimum when no agreement sets one.
MODEL_MINIMUM_HOURS = 12
POST_CERTIFICATION = "POST Commission school resource officer certification"
RENEWAL_WARNING_DAYS = 90


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
    """Every topic key and label: required, suggested, then the district's own."""
    own = {r["key"]: r["label"] for r in data_file.query("SELECT key, label FROM training_topic ORDER BY label")}
    return {**REQUIRED_TOPICS, **SUGGESTED_TOPICS, **own}


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
    found = data_file.query(
        "SELECT * FROM training_entry WHERE officer_id = ? AND school_year = ? "
        "ORDER BY taken_on, id",
        (officer_id, school_year),
    )
    names: dict[int, list[str]] = {}
    if found:
        ids = [r["id"] for r in found]
        for row in data_file.query(
            "SELECT owner_id, file_name FROM attachment WHERE owner_table = 'training_entry' "
            f"AND owner_id IN ({','.join('?' for _ in ids)}) ORDER BY id",
            tuple(ids),
        ):
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
    """The minimum hours and required topics in force for a school year.

    The agreement in force is the signed one for that year, or else the latest signed
    one before it (an agreement runs until it is replaced). Without one, the model
    agreement's recommended 12 hours apply.
    """
    parse_school_year(school_year)
    found = data_file.query(
        "SELECT a.id, a.school_year, b.value FROM agreement a "
        "LEFT JOIN agreement_blank b ON b.agreement_id = a.id AND b.key = 'training_hours' "
        "WHERE a.status IN ('signed', 'filed', 'superseded') AND a.school_year <= ? "
        "ORDER BY a.school_year DESC, a.id DESC LIMIT 1",
        (school_year,),
    )
    topics = list(REQUIRED_TOPICS)
    if found:
        row = found[0]
        try:
            hours = int(json.loads(row["value"])) if row["value"] else None
        except (TypeError, ValueError):
            hours = None
        if hours is not None:
            return Requirement(
                hours * 4, topics,
                f"The {row['school_year']} agreement sets {hours} hours a year.", row["id"],
            )
        return Requirement(
            MODEL_MINIMUM_HOURS * 4, topics,
            f"The {row['school_year']} agreement sets no minimum, so the model's "
            f"recommended {MODEL_MINIMUM_HOURS} hours apply.", row["id"],
        )
    return Requirement(
        MODEL_MINIMUM_HOURS * 4, topics,
        f"No signed agreement is in force, so the model's recommended "
        f"{MODEL_MINIMUM_HOURS} hours apply.",
    )


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
    """Hours done against the requirement, topics covered and missing, days left."""
    today = today or date.today()
    officer = load_officer(data_file, officer_id)
    requirement = requirement_for(data_file, school_year)
    entries = entries_for(data_file, officer_id, school_year)
    counted = [e for e in entries if not e.basic_course]
    done = sum(e.quarter_hours for e in counted)
    basic = sum(e.quarter_hours for e in entries if e.basic_course)
    covered = list(dict.fromkeys(t for e in counted for t in e.topics))
    by_topic: dict[str, int] = {}
    for entry in counted:
        for topic in entry.topics:
            by_topic[topic] = by_topic.get(topic, 0) + entry.quarter_hours
    _, ends = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    return TrainingStatus(
        officer_id=officer_id,
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


@dataclass
class Certification:
    officer_id: int
    granted_on: str
    expires_on: str = ""
    number: str = ""
    kind: str = POST_CERTIFICATION
    id: int | None = None
    version: int = 0
    documents: list[str] = field(default_factory=list)

    def state(self, today: date | None = None) -> str:
        """'current', 'expiring' (within 90 days), 'lapsed' or 'not yet valid'."""
        today = today or date.today()
        if date.fromisoformat(self.granted_on) > today:
            return "not yet valid"
        if not self.expires_on:
            return "current"
        expires = date.fromisoformat(self.expires_on)
        if expires < today:
            return "lapsed"
        if expires - today <= timedelta(days=RENEWAL_WARNING_DAYS):
            return "expiring"
        return "current"


def certifications_of(data_file: DataFile, officer_id: int) -> list[Certification]:
    """An officer's certifications, newest first."""
    found = data_file.query(
        "SELECT * FROM certification WHERE officer_id = ? ORDER BY granted_on DESC, id DESC",
        (officer_id,),
    )
    return [
        Certification(
            officer_id=r["officer_id"],
            granted_on=r["granted_on"],
            expires_on=r["expires_on"] or "",
            number=r["number"] or "",
            kind=r["kind"],
            id=r["id"],
            version=r["version"],
            documents=[a["file_name"] for a in attachments_of(data_file, "certification", r["id"])],
        )
        for r in found
    ]


def save_certification(
    data_file: DataFile,
    certification: Certification,
    *,
    document: tuple[str, str, bytes] | None = None,
) -> int:
    """Record (or correct) a certification, with its certificate if given."""
    load_officer(data_file, certification.officer_id)
    try:
        granted = date.fromisoformat(certification.granted_on.strip())
    except ValueError:
        raise ValidationError("Enter the date granted like 2025-06-30.", field="granted_on") from None
    expires = None
    if certification.expires_on.strip():
        try:
            expires = date.fromisoformat(certification.expires_on.strip())
        except ValueError:
            raise ValidationError("Enter the expiry date like 2028-06-30.", field="expires_on") from None
        if expires <= granted:
            raise ValidationError("The expiry date must come after the date granted.", field="expires_on")
    values = {
        "officer_id": certification.officer_id,
        "kind": certification.kind.strip() or POST_CERTIFICATION,
        "number": certification.number.strip(),
        "granted_on": granted.isoformat(),
        "expires_on": expires.isoformat() if expires else None,
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


def certification_alerts(data_file: DataFile, *, today: date | None = None) -> list[str]:
    """Sentences for assigned SROs whose certification is missing, lapsed or expiring."""
    today = today or date.today()
    alerts = []
    for officer in data_file.query("SELECT id, name FROM officer WHERE assigned_sro = 1 ORDER BY name"):
        certs = [c for c in certifications_of(data_file, officer["id"]) if c.kind == POST_CERTIFICATION]
        states = [c.state(today) for c in certs]
        upcoming = [c for c in certs if c.state(today) == "not yet valid"]
        if "current" in states:
            continue
        if "expiring" in states:
            soonest = min(c.expires_on for c in certs if c.state(today) == "expiring")
            if any(c.granted_on <= soonest for c in upcoming):
                continue  # the renewal is already recorded and starts in time
            alerts.append(f"{officer['name']}'s SRO certification expires on {soonest}; renew it.")
        elif upcoming:
            starts = min(c.granted_on for c in upcoming)
            alerts.append(
                f"{officer['name']} is assigned as SRO, but the SRO certification only starts on {starts}."
            )
        elif certs:
            alerts.append(f"{officer['name']} is assigned as SRO but the SRO certification has lapsed.")
        else:
            alerts.append(f"{officer['name']} is assigned as SRO with no SRO certification recorded.")
    return alerts


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
    #: (kind, number, granted, expires, state, certificate file names)
    certifications: list[tuple[str, str, str, str, str, list[str]]]
    prepared_on: str


def printable_training(
    data_file: DataFile, officer_id: int, school_year: str, *, today: date | None = None
) -> PrintableTraining:
    from sro_desk.records.district import load_district

    today = today or date.today()
    officer = load_officer(data_file, officer_id)
    status = training_status(data_file, officer_id, school_year, today=today)
    topics = all_topics(data_file)
    entries = entries_for(data_file, officer_id, school_year)
    district = load_district(data_file)
    by_topic = [
        (label, hours_text(status.hours_by_topic.get(key, 0)), key in REQUIRED_TOPICS)
        for key, label in topics.items()
        if key in REQUIRED_TOPICS or key in status.hours_by_topic
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
            for c in certifications_of(data_file, officer_id)
        ],
        prepared_on=f"{today:%B} {today.day}, {today.year}",
    )
