"""Complaints: a confidential, multilingual complaint system with deadlines.

Anyone in the school community may complain about the SRO or the program, in their own
language, and may ask that their identity be kept from the SRO. A confidential
complainant's name, contact and identifying details are sealed with the district
passphrase (see ``store/crypto.py``); without it the record says only that a
confidential complainant exists. Reading an identity is itself logged (who, when, which
complaint; never the identity). A second track lets the SRO raise concerns about staff.
Complaints are never deleted: one entered by mistake is voided with a reason.

A confidential complaint is never saved without its complainant unless the person
recording it says the complainant gave no name or contact; that statement is kept on the
complaint (``identity_withheld``, audited with the rest of the intake: who, when), and
the identity can be added or corrected later, sealed.

A complaint about an officer is passed to the police department: POST's rules give the
head of the department two days from receiving it to act on it (555 CMR 1.01(1); POST's
guidance says two business days). That duty is the department's; the district's is to
pass the complaint on promptly, so the file keeps when (and to whom) it was passed, and
the dashboard reminds the district a set number of business days after receipt. A
complaint alleging bias or force is never a minor matter under 555 CMR 1.01.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import NewType

from sro_desk.errors import ReadOnlyError, SroDeskError, ValidationError
from sro_desk.records.calendar import school_year_bounds, school_year_of, years_in_read
from sro_desk.records.settings import get_setting, school_year_start_month, set_settings
from sro_desk.store import DataFile, crypto, rows
from sro_desk.store.database import Read

ComplaintId = NewType("ComplaintId", int)

TRACKS = {"community": "Complaint from the school community", "sro_concern": "Concern raised by the SRO or an officer"}
CHANNELS = {"in_person": "In person", "phone": "Phone", "email": "Email", "letter": "Letter",
            "form": "Complaint form", "drop_box": "Drop box"}
ROLES = {"student": "Student", "parent": "Parent or guardian", "teacher": "Teacher", "staff": "Staff",
         "administrator": "Administrator", "community": "Community member", "anonymous": "Anonymous",
         "officer": "SRO or officer"}
SUBJECTS = {"sro": "The SRO", "program": "The SRO program", "other_officer": "Another officer",
            "teacher": "A teacher", "administrator": "An administrator"}
TRACK_SUBJECTS = {"community": {"sro", "program", "other_officer"}, "sro_concern": {"teacher", "administrator"}}
CATEGORIES = {"conduct": "Conduct", "force": "Use of force", "arrest": "Arrest or citation",
              "bias": "Bias or discrimination", "privacy": "Privacy or information sharing", "other": "Other"}
FINDINGS = {"substantiated": "Substantiated", "not_substantiated": "Not substantiated",
            "exonerated": "Exonerated", "unfounded": "Unfounded", "withdrawn": "Withdrawn",
            "referred": "Referred elsewhere"}
NOTICE_METHODS = {"handbook": "Student handbook", "letter": "Letter home", "website": "Website",
                  "assembly": "Assembly", "meeting": "Staff or parent meeting"}
AUDIENCES = {"students": "Students", "families": "Families", "staff": "Staff"}
STATUSES = ("received", "acknowledged", "under review", "finding", "communicated", "closed")
ACK_DAYS, RESOLVE_DAYS, NOTICE_DAYS = 5, 30, 30
#: Who a complaint is about when it is about an officer (what 555 CMR 1.01(1) covers).
OFFICER_SUBJECTS = ("sro", "other_officer")
#: Kinds of complaint never minor under 555 CMR 1.01(1)(a): bias, and force.
NEVER_MINOR_CATEGORIES = ("bias", "force")
NEVER_MINOR = "never minor under 555 CMR 1.01"
#: Business days from receipt by which the district should have passed a complaint about an
#: officer to the police department (setting ``PASS_ON_SETTING``): POST's guidance gives the
#: department two business days from its own receipt (555 CMR 1.01(1) says two days).
PASS_ON_DAYS = 2
PASS_ON_SETTING = "complaint_pass_on_business_days"
PASS_ON_MOST = 10
#: The sources behind the reminder (ids in resources/law/sources.json).
PASS_ON_SOURCE = "cmr555-1"
KEY_SETTING = "identity_key_record"
#: Audit actions about a confidential identity: they say what happened, never the identity.
IDENTITY_ADDED = "identity added"
IDENTITY_CORRECTED = "identity corrected"
NEEDS_IDENTITY = ("Record the confidential complainant's name or contact, or record that the complainant "
                  "gave none; nothing was saved.")


# -- the passphrase --------------------------------------------------------------------


def passphrase_is_set(data_file: DataFile) -> bool:
    return get_setting(data_file, KEY_SETTING) is not None


def unlock(data_file: DataFile, passphrase: str) -> crypto.IdentityKey:
    """The identity key, if ``passphrase`` is the district's."""
    record = get_setting(data_file, KEY_SETTING)
    if record is None:
        raise SroDeskError("No passphrase is set yet; set one before recording confidential complaints.")
    return crypto.unlock(passphrase, record)


def _need_key(data_file: DataFile) -> None:
    """Refuse to record a confidential identity without the unlocked passphrase."""
    if not passphrase_is_set(data_file):
        raise SroDeskError(
            "Set a district passphrase before recording a confidential identity; nothing was saved."
        )
    raise SroDeskError(
        "Unlock confidential identities with the district passphrase before recording this one; "
        "nothing was saved."
    )


def _check_key(data_file: DataFile, key: crypto.IdentityKey) -> None:
    """Refuse a key unlocked before the passphrase was changed (on another computer, say):
    an identity sealed with it could never be read with the district's passphrase."""
    try:
        key.open(json.loads(get_setting(data_file, KEY_SETTING) or "{}")["check"], "check")
    except (SroDeskError, ValueError, KeyError, TypeError):
        raise SroDeskError(
            "The district passphrase was changed since you unlocked; lock, unlock with the new "
            "passphrase and save again; nothing was saved."
        ) from None


def backups_with_old_passphrase(data_file: DataFile) -> str:
    """After a change of passphrase, what the backups made before it still hold, in plain
    words ("" when there are none): a backup is a whole copy of the file, and opens with
    the passphrase it was made under. They are never rewritten in place."""
    from sro_desk.store.backup import list_backups

    before = list_backups(data_file.path)
    if not before:
        return ""
    folders = sorted({str(p.parent) for p in before})
    return (f"{len(before)} backup{'s' if len(before) != 1 else ''} made before this change still open with "
            f"the old passphrase (in {'; '.join(folders)}). Keep them as safely as the old passphrase, or delete "
            "those you no longer need; new backups use the new one.")


def set_passphrase(
    data_file: DataFile, passphrase: str, *, current: crypto.IdentityKey | None = None
) -> crypto.IdentityKey:
    """Set the district passphrase, or change it (re-sealing every identity) when unlocked.

    A lost passphrase cannot be recovered: the window says so before this is called.
    """
    existing = passphrase_is_set(data_file)
    if existing and current is None:
        raise SroDeskError("Unlock with the current passphrase before changing it.")
    key, record = crypto.new_key_record(passphrase)
    with data_file.write():
        sealed = data_file.query(
            "SELECT id, identity_sealed, version FROM complaint WHERE identity_sealed IS NOT NULL"
        )
        for row in sealed:
            plain = current.open(row["identity_sealed"], f"complaint:{row['id']}")
            rows.update(
                data_file, "complaint", row["id"],
                {"identity_sealed": key.seal(plain, f"complaint:{row['id']}")},
                expected_version=row["version"], label="complaint",
            )
        found = data_file.query("SELECT id, version FROM setting WHERE key = ?", (KEY_SETTING,))
        if found:
            rows.update(data_file, "setting", found[0]["id"], {"value": record},
                        expected_version=found[0]["version"], label="setting")
        else:
            rows.insert(data_file, "setting", {"key": KEY_SETTING, "value": record})
    return key


# -- the record ------------------------------------------------------------------------


@dataclass
class Identity:
    name: str = ""
    contact: str = ""
    details: str = ""

    def empty(self) -> bool:
        return not (self.name.strip() or self.contact.strip() or self.details.strip())


@dataclass
class Complaint:
    received_on: str
    channel: str
    subject: str
    category: str
    description: str = ""
    track: str = "community"
    complainant_role: str = "parent"
    preferred_language: str = "en"
    interpreter: bool = False
    confidential: bool = False
    school_id: int | None = None
    incident_on: str = ""
    acknowledged_on: str = ""
    review_started_on: str = ""
    reviewer: str = ""
    police_process: bool = False
    finding: str = ""
    finding_on: str = ""
    communicated_on: str = ""
    communicated_method: str = ""
    communicated_language: str = ""
    closed_on: str = ""
    voided: bool = False
    void_reason: str = ""
    school_year: str = ""
    #: A non-confidential complainant's identity, kept as typed; never set for a
    #: confidential one (that is sealed, and read only through ``reveal``).
    identity: Identity | None = None
    has_sealed_identity: bool = False
    #: A confidential complainant who gave no name or contact, as recorded at intake
    #: (the complaint's ``identity_withheld``; later saves leave it as it was).
    identity_withheld: bool = False
    id: ComplaintId | None = None
    version: int = 0
    #: When, and to whom, a complaint about an officer was passed to the police department
    #: (``record_passed_to_department``; intake saves leave them as they were).
    passed_on: str = ""
    passed_to: str = ""

    @property
    def about_an_officer(self) -> bool:
        """About the SRO or another officer: the police department must act on it (555 CMR 1.01(1))."""
        return self.subject in OFFICER_SUBJECTS

    @property
    def never_minor(self) -> bool:
        """A complaint about an officer alleging bias or force: never minor under 555 CMR 1.01."""
        return self.about_an_officer and self.category in NEVER_MINOR_CATEGORIES

    @property
    def status(self) -> str:
        for step, when in (("closed", self.closed_on), ("communicated", self.communicated_on),
                           ("finding", self.finding_on), ("under review", self.review_started_on),
                           ("acknowledged", self.acknowledged_on)):
            if when:
                return step
        return "received"

    def timeline(self) -> list[tuple[str, str]]:
        """(date, what happened), in order."""
        steps = [(self.received_on, "Received")]
        if self.acknowledged_on:
            steps.append((self.acknowledged_on, "Acknowledged"))
        if self.review_started_on:
            who = f" by {self.reviewer}" if self.reviewer else ""
            police = " (with the police department's own process)" if self.police_process else ""
            steps.append((self.review_started_on, f"Review started{who}{police}"))
        if self.finding_on:
            steps.append((self.finding_on, f"Finding: {FINDINGS.get(self.finding, self.finding)}"))
        if self.communicated_on:
            # A confidential complainant's language could point to them: left out.
            how = self.communicated_method if self.confidential else (
                f"{self.communicated_method}, {self.communicated_language}")
            steps.append((self.communicated_on, f"Resolution communicated ({how})"))
        if self.closed_on:
            steps.append((self.closed_on, "Closed"))
        if self.passed_on:
            to = f" ({self.passed_to})" if self.passed_to else ""
            steps.append((self.passed_on, f"Passed to the police department{to}"))
            steps.sort(key=lambda step: step[0])  # stable: the steps' own order on a day
        return steps


def _day(text: str, what: str, today: date) -> str:
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(f"Enter {what} like 2026-10-15.") from None
    if day > today:
        raise ValidationError(f"{what[0].upper() + what[1:]} is in the future; check it.")
    return day.isoformat()


def _values(complaint: Complaint) -> dict:
    plain = complaint.identity if (complaint.identity and not complaint.confidential) else Identity()
    return {
        "received_on": complaint.received_on, "school_year": complaint.school_year,
        "track": complaint.track, "channel": complaint.channel,
        "complainant_role": complaint.complainant_role, "preferred_language": complaint.preferred_language,
        "interpreter": int(complaint.interpreter), "confidential": int(complaint.confidential),
        "name": plain.name.strip() or None, "contact": plain.contact.strip() or None,
        "details": plain.details.strip() or None,
        "subject": complaint.subject, "school_id": complaint.school_id,
        "incident_on": complaint.incident_on or None, "category": complaint.category,
        "description": complaint.description.strip(),
    }


def save_complaint(
    data_file: DataFile,
    complaint: Complaint,
    identity: Identity | None = None,
    *,
    key: crypto.IdentityKey | None = None,
    today: date | None = None,
) -> ComplaintId:
    """Record a complaint at intake (or correct its intake details).

    A confidential complainant's identity is sealed with ``key`` (the unlocked district
    passphrase) before anything is written; without the key it cannot be recorded.
    """
    today = today or date.today()
    if complaint.track not in TRACKS:
        raise ValidationError("Choose whether this is a complaint or a concern raised by an officer.")
    received = _day(complaint.received_on, "the date it was received", today)
    checks = [
        (complaint.channel in CHANNELS, "Choose how the complaint came in."),
        (complaint.complainant_role in ROLES, "Choose who is complaining."),
        (complaint.subject in TRACK_SUBJECTS[complaint.track], "Choose who the complaint is about."),
        (complaint.category in CATEGORIES, "Choose the kind of complaint."),
        (bool(complaint.description.strip()), "Describe what happened, in the complainant's words where possible."),
        (len(complaint.description) <= 20_000, "Keep the description under 20,000 characters."),
        (bool(complaint.preferred_language.strip()), "Record the complainant's preferred language."),
    ]
    for ok, sentence in checks:
        if not ok:
            raise ValidationError(sentence)
    incident = _day(complaint.incident_on, "the date it happened", today) if complaint.incident_on else ""
    withheld = complaint.id is None and complaint.confidential and complaint.identity_withheld
    if complaint.id is None and complaint.confidential:
        # A confidential complainant is never lost at intake: their identity, or the
        # person's word that they gave none.
        typed = identity is not None and not identity.empty()
        if withheld and typed:
            raise ValidationError(
                "A name or contact is recorded for a complainant marked as giving none; clear one of "
                "the two; nothing was saved."
            )
        if not withheld and not typed:
            raise ValidationError(NEEDS_IDENTITY)
    if complaint.id is not None:
        stored = load_complaint(data_file, complaint.id)
        if stored.voided:
            raise SroDeskError("This complaint was voided; it stays in the record as it is.")
        if stored.confidential != complaint.confidential:
            raise ValidationError(
                "Whether a complaint is confidential cannot change after intake; void it with a "
                "reason and enter it again."
            )
        if stored.acknowledged_on and received > stored.acknowledged_on:
            raise ValidationError("The date received cannot come after the acknowledgement.")
        if complaint.confidential and identity is None:
            identity = None  # the sealed identity stays as it is
    complaint = Complaint(**{**complaint.__dict__, "received_on": received, "incident_on": incident,
                             "school_year": school_year_of(date.fromisoformat(received),
                                                           starts_month=school_year_start_month(data_file))})
    if identity is not None and not complaint.confidential:
        complaint.identity = identity
    sealing = complaint.confidential and identity is not None and not identity.empty()
    if sealing and key is None:
        _need_key(data_file)
    with data_file.write():
        if sealing:
            _check_key(data_file, key)
        if complaint.id is None:
            complaint_id = ComplaintId(rows.insert(data_file, "complaint", {
                **_values(complaint), "identity_withheld": int(withheld), "voided": 0}))
            version = 1
        else:
            complaint_id = complaint.id
            version = rows.update(data_file, "complaint", complaint_id, _values(complaint),
                                  expected_version=complaint.version, label="complaint")
        if sealing:
            sealed = key.seal(json.dumps(identity.__dict__, ensure_ascii=False), f"complaint:{complaint_id}")
            rows.update(data_file, "complaint", complaint_id, {"identity_sealed": sealed},
                        expected_version=version, label="complaint")
    return complaint_id


def _complaint(row: dict) -> Complaint:
    identity = None
    if not row["confidential"] and (row["name"] or row["contact"] or row["details"]):
        identity = Identity(row["name"] or "", row["contact"] or "", row["details"] or "")
    return Complaint(
        received_on=row["received_on"], channel=row["channel"], subject=row["subject"],
        category=row["category"], description=row["description"] or "", track=row["track"],
        complainant_role=row["complainant_role"] or "", preferred_language=row["preferred_language"] or "",
        interpreter=bool(row["interpreter"]), confidential=bool(row["confidential"]),
        school_id=row["school_id"], incident_on=row["incident_on"] or "",
        acknowledged_on=row["acknowledged_on"] or "", review_started_on=row["review_started_on"] or "",
        reviewer=row["reviewer"] or "", police_process=bool(row["police_process"]),
        finding=row["finding"] or "", finding_on=row["finding_on"] or "",
        communicated_on=row["communicated_on"] or "", communicated_method=row["communicated_method"] or "",
        communicated_language=row["communicated_language"] or "", closed_on=row["closed_on"] or "",
        voided=bool(row["voided"]), void_reason=row["void_reason"] or "", school_year=row["school_year"],
        identity=identity,
        has_sealed_identity=(bool(row["has_sealed_identity"]) if "has_sealed_identity" in row
                             else row["identity_sealed"] is not None),
        identity_withheld=bool(row["identity_withheld"]),
        id=ComplaintId(row["id"]), version=row["version"],
        passed_on=row.get("passed_on") or "", passed_to=row.get("passed_to") or "",
    )


def _unsealed_columns(data_file: DataFile) -> tuple[str, ...]:
    """A complaint's columns but its sealed identity (bytes, never read for a list)."""
    return tuple(c for c in data_file.columns("complaint") if c != "identity_sealed")


def _unsealed_select(data_file: DataFile) -> tuple[str, tuple[str, ...]]:
    """The select list (and its columns) of a complaint read whole but for the sealed
    identity, with ``has_sealed_identity`` in its place: a read that ``prefetch`` can take."""
    columns = _unsealed_columns(data_file)
    select = ", ".join(f"[{c}]" for c in columns) + ", identity_sealed IS NOT NULL AS has_sealed_identity"
    return select, (*columns, "has_sealed_identity")


def years_read() -> Read:
    """The school years with complaints, latest first (see ``calendar.years_in_read``)."""
    return years_in_read("complaint")


def years_with_complaints(data_file: DataFile) -> list[str]:
    """The school years with complaints (voided ones too), latest first."""
    sql, params, _columns = years_read()
    return [r["school_year"] for r in data_file.query(sql, params)]


def complaints_for(data_file: DataFile, school_year: str) -> list[Complaint]:
    """A school year's complaints (voided ones included, marked), oldest first."""
    return [_complaint(r) for r in data_file.query(
        "SELECT * FROM complaint WHERE school_year = ? ORDER BY received_on, id", (school_year,))]


def load_complaint(data_file: DataFile, complaint_id: int) -> Complaint:
    found = data_file.query("SELECT * FROM complaint WHERE id = ?", (complaint_id,))
    if not found:
        raise SroDeskError("That complaint is no longer in the file; reload the page.")
    return _complaint(found[0])


def reveal(data_file: DataFile, complaint: Complaint, key: crypto.IdentityKey) -> Identity:
    """A confidential complainant's identity, for someone holding the passphrase.

    Each reveal is logged (who, when, which complaint; never the identity), so it needs
    the file open for editing.
    """
    found = data_file.query("SELECT identity_sealed FROM complaint WHERE id = ?", (complaint.id,))
    if not found or found[0]["identity_sealed"] is None:
        return complaint.identity or Identity()
    if data_file.read_only:
        raise ReadOnlyError(
            "Every look at a confidential identity is logged, which needs the file open for "
            "editing; open it for editing, then reveal it."
        )
    identity = Identity(**json.loads(key.open(found[0]["identity_sealed"], f"complaint:{complaint.id}")))
    with data_file.write():
        rows.audit(data_file, "complaint", complaint.id, "reveal identity", {})
    return identity


def save_identity(data_file: DataFile, complaint: Complaint, identity: Identity,
                  *, key: crypto.IdentityKey | None) -> None:
    """Add a confidential complainant's identity after intake, or correct it, sealed.

    Version-checked like every save; the audit log says the identity was added or
    corrected (and by whom), never what it is.
    """
    if not complaint.confidential:
        raise ValidationError("Only a confidential complainant's identity is added this way.")
    if complaint.voided:
        raise SroDeskError("This complaint was voided; it stays in the record as it is.")
    if identity.empty():
        raise ValidationError("Type the complainant's name or contact; nothing was saved.")
    if key is None:
        _need_key(data_file)
    identity = Identity(identity.name.strip(), identity.contact.strip(), identity.details.strip())
    with data_file.write():
        _check_key(data_file, key)
        current = rows.get(data_file, "complaint", complaint.id)
        added = current is not None and current["identity_sealed"] is None
        sealed = key.seal(json.dumps(identity.__dict__, ensure_ascii=False), f"complaint:{complaint.id}")
        rows.update(data_file, "complaint", complaint.id, {"identity_sealed": sealed},
                    expected_version=complaint.version, label="complaint", current=current)
        rows.audit(data_file, "complaint", complaint.id, IDENTITY_ADDED if added else IDENTITY_CORRECTED, {})


# -- the workflow ----------------------------------------------------------------------


_STEP_ORDER = ("acknowledged_on", "review_started_on", "finding_on", "communicated_on", "closed_on")


def _step(data_file: DataFile, complaint: Complaint, values: dict) -> None:
    if complaint.voided:
        raise SroDeskError("This complaint was voided; it stays in the record but cannot move on.")
    step = next(k for k in _STEP_ORDER if k in values)
    later = _STEP_ORDER[_STEP_ORDER.index(step):]
    if any(getattr(complaint, k) for k in later):
        raise ValidationError("That step, or a later one, is already recorded for this complaint.")
    with data_file.write():
        rows.update(data_file, "complaint", complaint.id, values,
                    expected_version=complaint.version, label="complaint")
        if values.get("closed_on"):
            from sro_desk.records.seals import seal

            seal(data_file, "complaint", complaint.id)  # a closed complaint's record stays as closed


def _after(day: str, earlier: str, what: str, before_what: str) -> None:
    if earlier and day < earlier:
        raise ValidationError(f"{what} cannot come before {before_what} ({earlier}).")


def acknowledge(data_file: DataFile, complaint: Complaint, on: str, *, today: date | None = None) -> None:
    day = _day(on, "the date it was acknowledged", today or date.today())
    _after(day, complaint.received_on, "The acknowledgement", "the date it was received")
    _step(data_file, complaint, {"acknowledged_on": day})


def start_review(data_file: DataFile, complaint: Complaint, on: str, reviewer: str,
                 *, police_process: bool = False, today: date | None = None) -> None:
    if not complaint.acknowledged_on:
        raise ValidationError("Acknowledge the complaint to the complainant first.")
    day = _day(on, "the date the review started", today or date.today())
    _after(day, complaint.acknowledged_on, "The review", "the acknowledgement")
    if not reviewer.strip():
        raise ValidationError("Record who reviews the complaint (a title is enough).")
    _step(data_file, complaint, {"review_started_on": day, "reviewer": reviewer.strip(),
                                 "police_process": int(police_process)})


def record_finding(data_file: DataFile, complaint: Complaint, finding: str, on: str,
                   *, today: date | None = None) -> None:
    if not complaint.review_started_on:
        raise ValidationError("Start the review before recording a finding.")
    if finding not in FINDINGS:
        raise ValidationError("Choose the finding.")
    day = _day(on, "the date of the finding", today or date.today())
    _after(day, complaint.review_started_on, "The finding", "the start of the review")
    _step(data_file, complaint, {"finding": finding, "finding_on": day})


def record_communication(data_file: DataFile, complaint: Complaint, on: str, method: str, language: str,
                         *, today: date | None = None) -> None:
    if not complaint.finding_on:
        raise ValidationError("Record the finding before telling the complainant the resolution.")
    day = _day(on, "the date the complainant was told", today or date.today())
    _after(day, complaint.finding_on, "Telling the complainant", "the finding")
    if not method.strip() or not language.strip():
        raise ValidationError("Record how, and in which language, the complainant was told.")
    _step(data_file, complaint, {"communicated_on": day, "communicated_method": method.strip(),
                                 "communicated_language": language.strip()})


def close(data_file: DataFile, complaint: Complaint, on: str, *, today: date | None = None) -> None:
    if not complaint.communicated_on:
        raise ValidationError("Tell the complainant the resolution before closing the complaint.")
    day = _day(on, "the date it was closed", today or date.today())
    _after(day, complaint.communicated_on, "Closing", "telling the complainant")
    _step(data_file, complaint, {"closed_on": day})


def record_passed_to_department(data_file: DataFile, complaint: Complaint, on: str, passed_to: str = "",
                                *, today: date | None = None) -> None:
    """Record when (and to whom) a complaint about an officer was passed to the police
    department. Any time after receipt, whatever step the complaint is at; once."""
    if complaint.voided:
        raise SroDeskError("This complaint was voided; it stays in the record but cannot move on.")
    if not complaint.about_an_officer:
        raise ValidationError("Only a complaint about an officer is passed to the police department.")
    if complaint.passed_on:
        raise ValidationError(f"This complaint was already passed to the police department on {complaint.passed_on}.")
    day = _day(on, "the date it was passed to the police department", today or date.today())
    _after(day, complaint.received_on, "Passing it on", "the date it was received")
    if len(passed_to.strip()) > 200:
        raise ValidationError("Keep who received it under 200 characters (a title is enough).")
    with data_file.write():
        rows.update(data_file, "complaint", complaint.id,
                    {"passed_on": day, "passed_to": passed_to.strip() or None},
                    expected_version=complaint.version, label="complaint")


def void(data_file: DataFile, complaint: Complaint, reason: str) -> None:
    """Mark a complaint entered by mistake; it is never deleted and stays in the audit log."""
    if len(reason.strip()) < 10:
        raise ValidationError("Explain in a sentence why this complaint is voided.")
    if complaint.voided:
        raise SroDeskError("This complaint is already voided.")
    with data_file.write():
        rows.update(data_file, "complaint", complaint.id, {"voided": 1, "void_reason": reason.strip()},
                    expected_version=complaint.version, label="complaint")


# -- deadlines and the yearly notice ---------------------------------------------------


def targets(data_file: DataFile) -> tuple[int, int]:
    """(days to acknowledge, days to resolve): district settings."""
    def number(key: str, default: int) -> int:
        try:
            return max(1, int(get_setting(data_file, key, str(default))))
        except (TypeError, ValueError):
            return default
    return number("complaint_ack_days", ACK_DAYS), number("complaint_resolve_days", RESOLVE_DAYS)


def set_targets(data_file: DataFile, ack_days: int, resolve_days: int, *, pass_on_days: int | None = None) -> None:
    """Store the days to acknowledge and to resolve (and, if given, the business days to
    pass a complaint about an officer to the police department), together."""
    if not 1 <= int(ack_days) <= 60 or not 1 <= int(resolve_days) <= 365:
        raise ValidationError("Choose 1 to 60 days to acknowledge and 1 to 365 days to resolve.")
    if int(ack_days) > int(resolve_days):
        raise ValidationError("The acknowledgement target must not be longer than the resolution target.")
    values = {"complaint_ack_days": str(int(ack_days)), "complaint_resolve_days": str(int(resolve_days))}
    if pass_on_days is not None:
        if not 1 <= int(pass_on_days) <= PASS_ON_MOST:
            raise ValidationError(f"Choose 1 to {PASS_ON_MOST} business days to pass a complaint on.")
        values[PASS_ON_SETTING] = str(int(pass_on_days))
    set_settings(data_file, values)


def pass_on_days(data_file: DataFile) -> int:
    """Business days from receipt to pass a complaint about an officer to the police
    department (a district setting; 2 by default, as POST's guidance gives the department)."""
    try:
        days = int(get_setting(data_file, PASS_ON_SETTING, str(PASS_ON_DAYS)))
    except (TypeError, ValueError):
        return PASS_ON_DAYS
    return days if 1 <= days <= PASS_ON_MOST else PASS_ON_DAYS


def add_business_days(start: date, days: int) -> date:
    """The day ``days`` business days after ``start`` (Monday to Friday; SRO Desk does
    not know the holidays, so a holiday counts as a business day)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def pass_on_due(data_file: DataFile, complaint: Complaint) -> date | None:
    """When a complaint about an officer should be with the police department (None for
    any other complaint)."""
    if not complaint.about_an_officer:
        return None
    return add_business_days(date.fromisoformat(complaint.received_on), pass_on_days(data_file))


def pass_on_read(data_file: DataFile) -> Read:
    """The open complaints about an officer not yet recorded as passed to the police
    department, oldest first (from the partial index of migration 0011, whose condition
    this repeats word for word, with conditions of its own after it)."""
    select, columns = _unsealed_select(data_file)
    subjects = ", ".join(f"'{s}'" for s in OFFICER_SUBJECTS)
    return (
        f"SELECT {select} FROM complaint WHERE coalesce(voided, 0) = 0 AND communicated_on IS NULL "
        f"AND passed_on IS NULL AND subject IN ({subjects}) ORDER BY received_on, id",
        (), columns,
    )


def pass_on_owed(data_file: DataFile) -> list[tuple[Complaint, date, str]]:
    """Open complaints about an officer not yet passed to the police department: each with
    the date it should be passed by and a sentence citing 555 CMR 1.01(1).

    The sentence names the complaint by number and date alone, as the targets' do: it is
    printed in the compliance status too, so what the complaint alleges (bias, force) is
    said on the Complaints page, not here."""
    owed = []
    for row in data_file.query(*pass_on_read(data_file)[:2]):
        complaint = _complaint(row)
        owed.append((complaint, pass_on_due(data_file, complaint), (
            f"Pass complaint {complaint.id} (received {complaint.received_on}) to the police department: the "
            "department's head must act on a complaint about an officer within two days of receiving it "
            "(555 CMR 1.01(1); two business days in POST's guidance); passing it on promptly is the "
            "district's part.")))
    return owed


def overdue_read(data_file: DataFile, today: date) -> Read:
    """The read of ``overdue``: the open complaints (from the partial index of migration
    0011, whose condition this repeats word for word) received before the nearer target's
    cutoff, oldest first; ``overdue`` decides which target each one missed."""
    ack_days, resolve_days = targets(data_file)
    select, columns = _unsealed_select(data_file)
    ack_cutoff = (today - timedelta(days=ack_days)).isoformat()
    resolve_cutoff = (today - timedelta(days=resolve_days)).isoformat()
    return (
        f"SELECT {select} FROM complaint WHERE coalesce(voided, 0) = 0 AND communicated_on IS NULL "
        "AND received_on < ? AND (received_on < ? OR (coalesce(acknowledged_on, '') = '' AND received_on < ?)) "
        "ORDER BY received_on, id",
        (max(ack_cutoff, resolve_cutoff), resolve_cutoff, ack_cutoff),
        columns,
    )


def overdue(data_file: DataFile, *, today: date | None = None) -> list[tuple[Complaint, str]]:
    """Open complaints past their acknowledgement or resolution target, with a sentence each."""
    today = today or date.today()
    ack_days, resolve_days = targets(data_file)
    late = []
    sql, params, _columns = overdue_read(data_file, today)
    for row in data_file.query(sql, params):
        complaint = _complaint(row)
        received = date.fromisoformat(complaint.received_on)
        if not complaint.acknowledged_on and (today - received).days > ack_days:
            late.append((complaint, f"Complaint {complaint.id} (received {complaint.received_on}) has not been "
                                    f"acknowledged; the target is {ack_days} days."))
        elif (today - received).days > resolve_days:
            late.append((complaint, f"Complaint {complaint.id} (received {complaint.received_on}) is past its "
                                    f"{resolve_days}-day target for telling the complainant the resolution."))
    return late


def record_notice(data_file: DataFile, school_year: str, given_on: str, method: str, audience: str,
                  notes: str = "", *, today: date | None = None) -> int:
    """When and how students, families or staff were told about the complaint system."""
    day = _day(given_on, "the date of the notice", today or date.today())
    if method not in NOTICE_METHODS or audience not in AUDIENCES:
        raise ValidationError("Choose how the notice was given and to whom.")
    with data_file.write():
        return rows.insert(data_file, "complaint_notice", {
            "school_year": school_year, "given_on": day, "method": method, "audience": audience,
            "notes": notes.strip()})


def notice_due(data_file: DataFile, school_year: str) -> date:
    """When the yearly notice is due: a set number of days after school opens (September
    in a July-to-June year, else the first day of the school year)."""
    start, _ = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    opens = date(start.year, 9, 1) if 7 <= start.month < 9 else start
    return opens + timedelta(days=NOTICE_DAYS)


def notice_read(data_file: DataFile, school_year: str) -> Read:
    """The read of ``notice_status``: the audiences told about the complaint system.

    Notices count when given in the year or in the two months before it (a handbook
    printed in the summer); school opens in September in a July-to-June year."""
    start, end = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    window = (start - timedelta(days=60)).isoformat(), end.isoformat()
    return ("SELECT DISTINCT audience FROM complaint_notice WHERE school_year = ? AND given_on BETWEEN ? AND ?",
            (school_year, *window), ("audience",))


def dashboard_reads(data_file: DataFile, school_year: str, today: date) -> list[Read]:
    """What ``notice_status(data_file, school_year, today=today)``, ``notice_due``,
    ``overdue(data_file, today=today)`` and ``pass_on_owed`` read (besides the settings),
    for ``prefetch``. The sealed identities are never among them (see ``_unsealed_select``)."""
    return [notice_read(data_file, school_year), overdue_read(data_file, today), pass_on_read(data_file)]


def notice_status(data_file: DataFile, school_year: str, *, today: date | None = None) -> tuple[bool, str]:
    """(done?, sentence): everyone must be told about the complaint system every school year."""
    today = today or date.today()
    sql, params, _columns = notice_read(data_file, school_year)
    given = {r["audience"] for r in data_file.query(sql, params)}
    missing_list = [AUDIENCES[a].lower() for a in AUDIENCES if a not in given]
    missing = missing_list if len(missing_list) < 2 else [", ".join(missing_list[:-1]) + " and " + missing_list[-1]]
    due = notice_due(data_file, school_year)
    if not missing:
        return True, f"Students, families and staff were told about the complaint system in {school_year}."
    due_text = f"{due:%B} {due.day}, {due.year}"
    if today <= due:
        return False, f"Tell {', '.join(missing)} about the complaint system for {school_year} by {due_text}."
    return False, (
        f"Tell {', '.join(missing)} about the complaint system for {school_year}; it was due "
        f"{due_text}, {(today - due).days} days ago."
    )


# -- statistics and printing (never an identity) ----------------------------------------


@dataclass
class ComplaintStats:
    school_year: str
    total: int
    voided: int
    by_category: dict[str, int]
    by_finding: dict[str, int]
    by_subject: dict[str, int]
    median_days: float | None
    longest_days: int | None
    on_time_rate: str
    #: (complaint number, category, subject, status, timeline lines) per case
    cases: list[tuple[int, str, str, str, list[tuple[str, str]]]]


def stats(data_file: DataFile, school_year: str, *, today: date | None = None) -> ComplaintStats:
    """The year's complaint log without identities: counts, days to resolution, on time."""
    all_complaints = complaints_for(data_file, school_year)
    counted = [c for c in all_complaints if not c.voided]
    _, resolve_days = targets(data_file)
    durations = [
        (date.fromisoformat(c.communicated_on) - date.fromisoformat(c.received_on)).days
        for c in counted if c.communicated_on
    ]
    on_time = sum(1 for d in durations if d <= resolve_days)
    today = today or date.today()
    open_late = sum(
        1 for c in counted
        if not c.communicated_on and (today - date.fromisoformat(c.received_on)).days > resolve_days
    )

    def count(attr: str, labels: dict) -> dict[str, int]:
        result: dict[str, int] = {}
        for c in counted:
            key = getattr(c, attr)
            if key:
                label = labels.get(key, key)
                result[label] = result.get(label, 0) + 1
        return result

    return ComplaintStats(
        school_year=school_year,
        total=len(counted),
        voided=len(all_complaints) - len(counted),
        by_category=count("category", CATEGORIES),
        by_finding=count("finding", FINDINGS),
        by_subject=count("subject", SUBJECTS),
        median_days=median(durations) if durations else None,
        longest_days=max(durations) if durations else None,
        on_time_rate=(
            f"{on_time} of {len(durations) + open_late} within {resolve_days} days"
            + (f" ({open_late} still open past the target)" if open_late else "")
            if durations or open_late else "none resolved yet"
        ),
        cases=[(c.id, CATEGORIES[c.category], SUBJECTS[c.subject],
                "voided: " + c.void_reason if c.voided else c.status, c.timeline())
               for c in all_complaints],
    )


@dataclass
class PrintableComplaintLog:
    """The year's complaint log for the review: no complainant is ever named in it."""

    district_name: str
    school_year: str
    prepared_on: str
    ack_days: int
    resolve_days: int
    notice: str
    stats: ComplaintStats


def printable_log(data_file: DataFile, school_year: str, *, today: date | None = None) -> PrintableComplaintLog:
    from sro_desk.records.district import load_district

    today = today or date.today()
    district = load_district(data_file)
    ack_days, resolve_days = targets(data_file)
    return PrintableComplaintLog(
        district_name=district.name if district else "",
        school_year=school_year,
        prepared_on=f"{today:%B} {today.day}, {today.year}",
        ack_days=ack_days,
        resolve_days=resolve_days,
        notice=notice_status(data_file, school_year, today=today)[1],
        stats=stats(data_file, school_year, today=today),
    )


# -- the letter to the complainant ------------------------------------------------------

#: How people write their language, to the code of a letter translation.
LANGUAGE_CODES = {
    "english": "en", "en": "en", "spanish": "es", "español": "es", "es": "es",
    "portuguese": "pt", "português": "pt", "pt": "pt", "haitian creole": "ht", "kreyòl": "ht",
    "kreyòl ayisyen": "ht", "ht": "ht", "vietnamese": "vi", "tiếng việt": "vi", "vi": "vi",
    "chinese": "zh", "simplified chinese": "zh", "mandarin": "zh", "中文": "zh", "zh": "zh",
}


@dataclass
class PrintableLetter:
    """A letter telling the complainant the resolution, in their language where there is
    a translation (``note`` says when there is not)."""

    district_name: str
    dated: str
    name: str
    received_on: str
    subject: str
    finding: str
    text: dict
    note: str = ""


def letter_text(language: str) -> tuple[dict, str]:
    """(the letter's text, a note when the language has no translation yet)."""
    from sro_desk.resources import resource_path

    code = LANGUAGE_CODES.get(language.strip().lower(), "")
    path = resource_path("letters", f"complaint-letter.{code}.json") if code else None
    if path is None or not path.exists():
        english = resource_path("letters", "complaint-letter.en.json")
        note = f"There is no letter in {language} yet, so this one is in English; offer an interpreter."
        return json.loads(english.read_text(encoding="utf-8")), note
    return json.loads(path.read_text(encoding="utf-8")), ""


def printable_letter(
    data_file: DataFile,
    complaint: Complaint,
    *,
    key: crypto.IdentityKey | None = None,
    include_name: bool = False,
    today: date | None = None,
) -> PrintableLetter:
    """The resolution letter. A confidential complainant's name is printed only when an
    unlocked user asks for it (``include_name`` with ``key``); that reveal is logged."""
    from sro_desk.records.district import load_district

    if not complaint.finding:
        raise ValidationError("Record the finding before writing to the complainant.")
    today = today or date.today()
    name = ""
    if include_name:
        if complaint.confidential:
            if key is None:
                raise SroDeskError("Unlock with the district passphrase to print the complainant's name.")
            name = reveal(data_file, complaint, key).name
        elif complaint.identity is not None:
            name = complaint.identity.name
    text, note = letter_text(complaint.preferred_language or "English")
    district = load_district(data_file)
    return PrintableLetter(
        district_name=district.name if district else "",
        dated=f"{today:%B} {today.day}, {today.year}" if text["language"] == "en" else today.isoformat(),
        name=name,
        received_on=complaint.received_on,
        subject=complaint.subject,
        finding=complaint.finding,
        text=text,
        note=note,
    )
