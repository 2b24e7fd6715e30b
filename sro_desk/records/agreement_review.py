"""Looking at agreements: DESE's checklist, what is missing, comparing, printing data."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from sro_desk.records import agreement_blanks as blanks_
from sro_desk.records.agreement_model import (
    COST_CATEGORIES,
    PARTS,
    Agreement,
    Blank,
    Clause,
    ComponentCheck,
)
from sro_desk.records.agreement_text import (
    PrintableAgreement,
    PrintClause,
    PrintPart,
    PrintSignatory,
    blank_keys,
    render,
)
from sro_desk.records.clause_library import ClauseLibrary, load_library
from sro_desk.records.district import District, load_district
from sro_desk.store import DataFile

# -- checking ------------------------------------------------------------------------------


def checklist(agreement: Agreement, library: ClauseLibrary | None = None) -> list[ComponentCheck]:
    """DESE's eight MOU and seven procedure components, each covered or missing."""
    library = library or load_library()
    checks = []
    for component in library.components:
        covering = [
            c.title for c in agreement.included() if component.code in c.components
        ]
        checks.append(
            ComponentCheck(component.code, component.part, component.label, bool(covering), covering)
        )
    return checks


def used_blanks(agreement: Agreement) -> list[Blank]:
    """The blanks that included clauses use, in the order they first appear."""
    keys: list[str] = []
    for clause in agreement.included():
        for key in blank_keys(clause.text):
            if key not in keys:
                keys.append(key)
    return [b for key in keys if (b := agreement.blank(key)) is not None]


def missing_blanks(agreement: Agreement) -> list[Blank]:
    """Required blanks, used by an included clause, still empty."""
    return [b for b in used_blanks(agreement) if b.required and b.empty]


def problems(agreement: Agreement) -> list[str]:
    """Everything that stands between this draft and a complete agreement, as sentences."""
    found = [
        f"Nothing covers {c.code}: {c.label}."
        for c in checklist(agreement)
        if not c.covered
    ]
    found += [f"The blank '{b.label}' is empty." for b in missing_blanks(agreement)]
    return found


def import_report(agreement: Agreement) -> dict:
    """What ``mou import --json`` prints: the draft, its blanks, notes and MOU checklist."""
    return {
        "id": agreement.id,
        "title": agreement.title,
        "school_year": agreement.school_year,
        "sections": [
            {"title": c.title, "part": c.part, "components": c.components, "text": c.text}
            for c in agreement.clauses
        ],
        "blanks": [{"key": b.key, "label": b.label} for b in agreement.blanks],
        "notes": [note for c in agreement.clauses for note in c.notes],
        "checklist": [
            {"component": c.code, "label": c.label, "covered": c.covered, "clauses": c.clauses}
            for c in checklist(agreement)
            if c.part == "mou"
        ],
    }


def money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


# -- comparing and printing ----------------------------------------------------------------


@dataclass
class ClauseDiff:
    title: str
    change: str  # "same", "changed", "added", "removed"
    lines: list[str]


def compare(older: Agreement, newer: Agreement) -> list[ClauseDiff]:
    """Clause by clause: what the newer agreement adds, removes or changes."""
    def keyed(agreement: Agreement) -> dict[str, Clause]:
        return {(c.key or c.title.casefold()): c for c in agreement.included()}

    before, after = keyed(older), keyed(newer)
    result = []
    for key, clause in after.items():
        old = before.get(key)
        if old is None:
            result.append(ClauseDiff(clause.title, "added", clause.text.splitlines()))
        elif old.text == clause.text and old.title == clause.title:
            result.append(ClauseDiff(clause.title, "same", []))
        else:
            result.append(
                ClauseDiff(
                    clause.title,
                    "changed",
                    list(difflib.unified_diff(
                        old.text.splitlines(), clause.text.splitlines(),
                        older.school_year, newer.school_year, lineterm="",
                    )),
                )
            )
    for key, clause in before.items():
        if key not in after:
            result.append(ClauseDiff(clause.title, "removed", clause.text.splitlines()))
    return result


def printable(data_file: DataFile, agreement: Agreement, *, sealed: bool = True) -> PrintableAgreement:
    """The agreement as documents/ prints it: notes dropped, blanks filled or left as lines."""
    district = load_district(data_file) or District(name="")
    department_word = (
        district.departments[0].name if len(district.departments) == 1 else "the Department"
    )
    values = {
        b.key: blanks_.printed(b.type, b.value, department=department_word) for b in agreement.blanks
    }
    known = {b.key for b in agreement.blanks}
    parts = []
    for part, title in PARTS.items():
        clauses = [
            PrintClause(str(number), c.title, c.statutory, render(c.text, values, known=known))
            for number, c in enumerate(agreement.included(part), start=1)
        ]
        if clauses:
            parts.append(PrintPart(title, clauses))
    return PrintableAgreement(
        title=agreement.title,
        district_name=district.name,
        department_names=[d.name for d in district.departments],
        school_year=agreement.school_year,
        status=agreement.status,
        parts=parts,
        signatories=[
            PrintSignatory(s.name, s.title, s.organisation, blanks_.printed("date", s.signed_on or None))
            for s in agreement.signatures
        ],
        library_version=agreement.library_version,
        costs=[(COST_CATEGORIES.get(c.category, c.category), money(c.amount_cents)) for c in agreement.costs],
        **(_seal_lines(data_file, agreement) if sealed else {}),
    )


def _seal_lines(data_file: DataFile, agreement: Agreement) -> dict:
    """The signed text's seal as a line to print, and whether the text still matches it."""
    from sro_desk.records.seals import status

    found = status(data_file, "agreement", agreement.id) if agreement.frozen else None
    if found is None:
        return {}
    line = (f"Sealed when signed ({found['sealed_at'][:10]}): text {found['digest'][:16]}, "
            f"change log at {found['chain_count']:,} changes, {found['chain_head'][:16]}.")
    return {"seal": line, "altered": not found["intact"]}


def reminder_read(school_year: str) -> tuple[str, tuple, tuple[str, ...]]:
    """The read ``agreement_reminder`` makes (for ``DataFile.prefetch``)."""
    return (
        "SELECT id, status, signed_on, filed_on FROM agreement WHERE school_year = ? "
        "ORDER BY CASE status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 WHEN 'ready' THEN 2 "
        "WHEN 'draft' THEN 3 ELSE 4 END, id DESC LIMIT 1",
        (school_year,),
        ("id", "status", "signed_on", "filed_on"),
    )


def agreement_reminder(
    data_file: DataFile, school_year: str, starts: date, today: date
) -> tuple[bool, str]:
    """(done?, sentence) about a school year's agreement: reviewed and signed before the
    year starts, then filed with DESE."""
    found = data_file.query(*reminder_read(school_year)[:2])
    start_text = f"{starts:%B} {starts.day}, {starts.year}"
    if starts > today:
        deadline = f"before the school year starts on {start_text}"
    else:
        late = (today - starts).days
        deadline = f"now: the school year started on {start_text}, {late} days ago"
    if not found:
        return False, (
            f"No agreement for {school_year} yet: review last year's with the chief and sign it "
            f"{deadline}."
        )
    row = found[0]
    if row["status"] == "filed":
        return True, (
            f"The {school_year} agreement was signed {row['signed_on']} and filed with DESE "
            f"{row['filed_on']}."
        )
    if row["status"] == "signed":
        return False, (
            f"The {school_year} agreement was signed {row['signed_on']}; file it with DESE "
            "together with the operating procedures."
        )
    state = "is ready for signature" if row["status"] == "ready" else "is still a draft"
    return False, f"The {school_year} agreement {state}: review and sign it {deadline}."
