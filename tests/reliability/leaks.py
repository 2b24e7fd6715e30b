"""Where private text could leak today, and whether it does.

- The enforcement export: exactly its documented columns (codes and descriptors, no
  student name column), so what is typed into the outcome or the reasons stays in the
  file, and the district's own student references are replaced by fresh codes. Free text
  in an exported column (the statute) travels as typed: keeping names out of it is the
  district's responsibility, stated in RELIABILITY.md, not a rule of the code.
- The public enforcement report (counts, suppressed): none of the entries' free text.
- The lock file and the presence file: who and when, never what the file holds.
- The audit log of an attachment: "<N bytes>", never the document; nor the log files.
- Confidential complainant identities (sealed with the district passphrase): never in
  the file's bytes, the audit log, a backup, the log files or a printout, unless an
  unlocked user asks for the name on the resolution letter; each such reveal is logged,
  without the identity. Crashes, hostile passphrases and other
  people's copies of the file are in confidential.py.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, timedelta
from pathlib import Path

from sro_desk.records import agreements, complaints, enforcement, training
from sro_desk.records.demo import DEMO_PASSPHRASE
from sro_desk.records.enforcement_reports import EXPORT_COLUMNS, export_year, printable_enforcement
from sro_desk.store import DataFile
from sro_desk.store.backup import make_backup
from sro_desk.store.lease import Presence, lock_path
from tests.reliability.common import Figures, make_demo_file
from tests.reliability.hostile import enforcement_builder
from tests.helpers import scan_pdf

#: A student's name as someone might type it where it does not belong.
STUDENT = "Zephyrine Quartermaine-Okonkwo"
#: The district's own reference for a student (it stays in the file).
STUDENT_REF = "GV-2026-0042"
#: What a scanned document holds.
SCANNED = b"SCANNED-DOCUMENT-CONTENT-7f3a9c"
LEASE_KEYS = {"user", "machine", "pid", "started_at", "heartbeat_at", "token", "app_version", "beat"}
PRESENCE_KEYS = LEASE_KEYS - {"app_version", "beat"} | {"editing"}
#: A confidential complainant, as recorded at intake.
CONFIDENTIAL = complaints.Identity(
    name="Marisol Featherstonehaugh-Ibarra",
    contact="marisol.fi@example.org, 617-555-0199",
    details="Mother of the grade 7 student in room 12B",
)
#: The sample district's own confidential complainants (records/demo.py).
DEMO_CONFIDENTIAL = ["Lucía Ramírez", "617-555-0142", "Ana Souza", "508-555-0111", "Nguyen Thi Lan",
                     "lan.nguyen@example.org"]


def find_leaks(folder: Path, figures: Figures) -> list[str]:
    """Run every leak check on a demo file in ``folder``; returns what leaked."""
    path = make_demo_file(folder / "leaks" / "district.db")
    leaks: list[str] = []
    with DataFile.open(path) as data_file:
        leaks += _lock_file(path, data_file)
        leaks += _presence_file(path)
        year = _enforcement_entry(data_file)
        leaks += _export(data_file, year, folder / "leaks")
        leaks += _public_report(data_file, year)
        leaks += _attachments(data_file, folder / "leaks")
        leaks += _confidential_identities(data_file, folder / "leaks")
    leaks += _log_files()
    figures.runs += 1
    figures.leaks += leaks
    return leaks


def _lock_file(path: Path, data_file: DataFile) -> list[str]:
    raw = lock_path(path).read_text(encoding="utf-8")
    info = json.loads(raw)
    leaks = []
    if set(info) != LEASE_KEYS:
        leaks.append(f"the lock file holds more than who and when: {sorted(info)}")
    district = data_file.query("SELECT name, superintendent_name FROM district")[0]
    for text in (district["name"], district["superintendent_name"], STUDENT):
        if text in raw:
            leaks.append(f"the lock file holds record text: {text!r}")
    return leaks


def _presence_file(path: Path) -> list[str]:
    presence = Presence(path, editing=True)
    presence.refresh()
    try:
        info = json.loads(presence.path.read_text(encoding="utf-8"))
    finally:
        presence.remove()
    if set(info) != PRESENCE_KEYS:
        return [f"the presence file holds more than who and when: {sorted(info)}"]
    return []


def _enforcement_entry(data_file: DataFile) -> str:
    """An arrest with the student's name typed into every free-text field that is not
    exported, acknowledged with an explanation naming the student too."""
    school = data_file.query("SELECT id FROM school ORDER BY id LIMIT 1")[0]["id"]
    day = (date.today() - timedelta(days=3)).isoformat()
    action_id = enforcement.save_action(data_file, enforcement.Action(
        f"{day} 11:15", school, "grounds", "arrest", offense="assault", statute="c. 265 § 13A",
        warrant=False, last_resort_reason="", principal_consulted=False,
        principal_reason=f"{STUDENT} ran", outcome=f"{STUDENT} was released to a parent",
        student_ref=STUDENT_REF, grade="10", age=16,
    ))
    year = data_file.query("SELECT school_year FROM enforcement_action WHERE id = ?", (action_id,))[0]["school_year"]
    action = next(a for a in enforcement.actions_for(data_file, year) if a.id == action_id)
    enforcement.acknowledge(data_file, action, "arrest_last_resort", f"{STUDENT} had a weapon, so it could not wait.")
    return year


def _export(data_file: DataFile, year: str, folder: Path) -> list[str]:
    leaks = []
    names = [f.name for f in dataclasses.fields(enforcement.Action)]
    if any("name" in n for n in names):
        leaks.append(f"an enforcement entry has a name field: {names}")
    actions, aggregate = export_year(data_file, year, folder / "enforcement.csv")
    with open(actions, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    if header != EXPORT_COLUMNS or any("name" in column for column in header):
        leaks.append(f"the export's columns are not the documented ones: {header}")
    with open(aggregate, encoding="utf-8-sig", newline="") as handle:
        if next(csv.reader(handle)) != ["table", "row", "column", "count"]:
            leaks.append("the aggregate export's columns changed")
    for out in (actions, aggregate):
        written = out.read_text(encoding="utf-8-sig")
        if STUDENT in written:
            leaks.append(f"{out.name} holds the text typed into the outcome or the reasons")
        if STUDENT_REF in written:
            leaks.append(f"{out.name} holds the district's own student reference")
    return leaks


def _public_report(data_file: DataFile, year: str) -> list[str]:
    report = printable_enforcement(data_file, year)
    leaks = []
    for text in (STUDENT, STUDENT_REF, "c. 265 § 13A"):
        if text in repr(report):
            leaks.append(f"the public enforcement report holds an entry's text: {text!r}")
    builder = enforcement_builder()
    if builder is not None:
        from pypdf import PdfReader

        buffer = io.BytesIO()
        builder(report, buffer)
        printed = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)
        for text in (STUDENT, STUDENT_REF):
            if text in printed:
                leaks.append(f"the printed enforcement report shows {text!r}")
    return leaks


def _attachments(data_file: DataFile, folder: Path) -> list[str]:
    """A certificate on a training entry and the signed scan of an agreement."""
    officer = data_file.query("SELECT id FROM officer ORDER BY id LIMIT 1")[0]["id"]
    certificate = SCANNED * 100
    training.save_entry(
        data_file,
        training.TrainingEntry(officer, (date.today() - timedelta(days=2)).isoformat(), "Course", 4),
        certificate=("certificate.pdf", "application/pdf", certificate),
    )
    scan = folder / "signed.pdf"
    scan.write_bytes(scan_pdf(SCANNED * 50))
    draft = next(a for a in agreements.list_agreements(data_file) if a["status"] == "draft")
    agreement = agreements.load_agreement(data_file, draft["id"])
    agreements.record_signing(
        data_file, agreement, {s.id: date.today().isoformat() for s in agreement.signatures}, scan=scan
    )
    leaks = []
    kept = data_file.query("SELECT length(data) AS n FROM agreement_attachment ORDER BY id DESC LIMIT 1")[0]["n"]
    expected = {"attachment": len(certificate), "agreement_attachment": kept}
    for table, size in expected.items():
        rows = data_file.query(
            "SELECT changes FROM audit_log WHERE table_name = ? AND action = 'insert'", (table,)
        )
        kept = [json.loads(r["changes"]).get("data") for r in rows]
        if [None, f"<{size} bytes>"] not in kept:
            leaks.append(f"the audit of {table} does not hold '<{size} bytes>': {kept}")
    everything = "".join(r["changes"] or "" for r in data_file.query("SELECT changes FROM audit_log"))
    if SCANNED.decode() in everything:
        leaks.append("the audit log holds an attached document's content")
    return leaks


def _secrets() -> list[str]:
    return [CONFIDENTIAL.name, CONFIDENTIAL.contact, CONFIDENTIAL.details, *DEMO_CONFIDENTIAL]


def _holds_a_secret(data: bytes) -> list[str]:
    return [text for text in _secrets() if text.encode("utf-8") in data]


def _pdf_words(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    words = "".join(page.extract_text() or "" for page in reader.pages)
    return words + " ".join(str(v) for v in (reader.metadata or {}).values())


def _confidential_identities(data_file: DataFile, folder: Path) -> list[str]:
    """A confidential complaint taken in and resolved; then everywhere the identity could
    surface is searched for it."""
    from sro_desk.documents.complaint_letter import build_complaint_letter_pdf
    from sro_desk.documents.complaint_log import build_complaint_log_pdf

    key = complaints.unlock(data_file, DEMO_PASSPHRASE)
    day = date.today() - timedelta(days=9)
    complaint_id = complaints.save_complaint(data_file, complaints.Complaint(
        received_on=day.isoformat(), channel="form", subject="sro", category="conduct",
        description="The officer raised his voice at my son in the corridor.", confidential=True,
        preferred_language="Spanish", complainant_role="parent",
    ), CONFIDENTIAL, key=key)
    steps = (
        lambda c: complaints.acknowledge(data_file, c, (day + timedelta(days=1)).isoformat()),
        lambda c: complaints.start_review(data_file, c, (day + timedelta(days=2)).isoformat(), "Assistant Superintendent"),
        lambda c: complaints.record_finding(data_file, c, "substantiated", (day + timedelta(days=6)).isoformat()),
        lambda c: complaints.record_communication(data_file, c, (day + timedelta(days=7)).isoformat(), "Letter", "Spanish"),
    )
    for step in steps:
        step(complaints.load_complaint(data_file, complaint_id))
    complaint = complaints.load_complaint(data_file, complaint_id)
    leaks = []
    if complaint.identity is not None or not complaint.has_sealed_identity or _holds_a_secret(repr(complaint).encode()):
        leaks.append("a confidential complaint loaded without the passphrase shows its identity")
    # The file at rest, and a backup of it. (A complainant who did not ask for
    # confidentiality is kept as typed: finding that name shows the search can see text.)
    if b"Tom Becker" not in data_file.path.read_bytes():
        leaks.append("the search of the file's bytes cannot see plain text (the check proves nothing)")
    for what, data in (("the data file", data_file.path.read_bytes()),
                       ("a backup", make_backup(data_file.path, to=folder / "backups").read_bytes())):
        if found := _holds_a_secret(data):
            leaks.append(f"{what} holds a confidential identity in plain text: {found}")
    # Printouts: the year's log, and the letter unless the name is asked for.
    log = io.BytesIO()
    build_complaint_log_pdf(complaints.printable_log(data_file, complaint.school_year), log)
    letter = io.BytesIO()
    build_complaint_letter_pdf(complaints.printable_letter(data_file, complaint), letter)
    for what, data in (("the complaint log", log.getvalue()), ("the resolution letter", letter.getvalue())):
        if found := [t for t in _secrets() if t in _pdf_words(data)]:
            leaks.append(f"{what} prints a confidential identity nobody asked for: {found}")
    # Asked for by an unlocked user: printed, and the look is logged without the identity.
    reveals = _reveals(data_file, complaint_id)
    named = io.BytesIO()
    build_complaint_letter_pdf(
        complaints.printable_letter(data_file, complaint, key=key, include_name=True), named)
    if CONFIDENTIAL.name not in _pdf_words(named.getvalue()):
        leaks.append("the letter asked for with the name does not carry it (the check above proves nothing)")
    if _reveals(data_file, complaint_id) != reveals + 1:
        leaks.append("printing the complainant's name was not logged")
    everything = "".join(
        f"{r['user']} {r['machine']} {r['changes']}" for r in data_file.query("SELECT * FROM audit_log"))
    if found := _holds_a_secret(everything.encode("utf-8")):
        leaks.append(f"the audit log holds a confidential identity: {found}")
    return leaks


def _reveals(data_file: DataFile, complaint_id: int) -> int:
    return data_file.query(
        "SELECT count(*) AS n FROM audit_log WHERE table_name = 'complaint' AND row_id = ? "
        "AND action = 'reveal identity'", (complaint_id,))[0]["n"]


def _log_files() -> list[str]:
    from sro_desk.paths import log_dir

    leaks = []
    folder = log_dir()
    for log in folder.rglob("*") if folder.exists() else []:
        if not log.is_file():
            continue
        data = log.read_bytes()
        if SCANNED in data or STUDENT.encode() in data or _holds_a_secret(data):
            leaks.append(f"the log {log.name} holds record content")
    return leaks
