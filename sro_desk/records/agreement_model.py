"""Agreements as stored: their clauses, blanks, signatories and costs, and reading them."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any, NewType

from sro_desk.errors import SroDeskError
from sro_desk.records import agreement_blanks as blanks_
from sro_desk.records.agreement_text import drafting_notes
from sro_desk.store import DataFile
from sro_desk.store.database import Read

AgreementId = NewType("AgreementId", int)

STATUSES = {
    "draft": "Draft",
    "ready": "Ready for signature",
    "signed": "Signed",
    "filed": "Filed with DESE",
    "superseded": "Superseded",
}
PARTS = {"mou": "Memorandum of understanding", "op": "Operating procedures"}
COST_CATEGORIES = {
    "salary_benefits": "Salary and benefits (district share)",
    "training": "Training",
    "equipment": "Equipment and space",
    "other": "Other costs",
}
SUPERVISION = {
    "police": "The SRO is an officer of the police department",
    "district": "The SRO belongs to a district police force",
}
FROZEN = ("signed", "filed", "superseded")


@dataclass
class Clause:
    id: int
    position: int
    part: str
    key: str | None
    title: str
    text: str
    library_text: str | None
    components: list[str]
    statutory: bool
    included: bool
    version: int

    @property
    def changed(self) -> bool:
        """True when the district edited a library clause."""
        return self.library_text is not None and self.text != self.library_text

    @property
    def notes(self) -> list[str]:
        return drafting_notes(self.text)

    def diff(self) -> list[str]:
        """The edit against the library text, line by line (unified diff)."""
        if self.library_text is None:
            return []
        return list(
            difflib.unified_diff(
                self.library_text.splitlines(),
                self.text.splitlines(),
                "clause library",
                "this agreement",
                lineterm="",
            )
        )


@dataclass
class Blank:
    id: int
    key: str
    label: str
    type: str
    required: bool
    help: str
    choices: list[str]
    value: Any
    version: int

    @property
    def empty(self) -> bool:
        return self.value is None or self.value == "" or self.value == []


@dataclass
class Signature:
    id: int
    position: int
    role: str
    name: str
    title: str
    organisation: str
    signed_on: str
    version: int


@dataclass
class Cost:
    id: int
    category: str
    amount_cents: int
    note: str
    version: int


@dataclass
class ComponentCheck:
    code: str
    part: str
    label: str
    covered: bool
    clauses: list[str] = field(default_factory=list)


@dataclass
class Agreement:
    id: AgreementId
    school_year: str
    title: str
    status: str
    source: str
    library_version: str
    based_on_id: int | None
    options: dict
    ready_reason: str
    signed_on: str
    filed_on: str
    version: int
    updated_at: str
    updated_by: str
    clauses: list[Clause]
    blanks: list[Blank]
    signatures: list[Signature]
    costs: list[Cost]
    attachment_name: str = ""

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def frozen(self) -> bool:
        return self.status in FROZEN

    def blank(self, key: str) -> Blank | None:
        return next((b for b in self.blanks if b.key == key), None)

    def included(self, part: str | None = None) -> list[Clause]:
        return [c for c in self.clauses if c.included and (part is None or c.part == part)]


# -- reading -------------------------------------------------------------------------------


def list_read() -> Read:
    """The read behind ``list_agreements`` (for ``DataFile.prefetch``)."""
    return (
        "SELECT id, school_year, title, status, updated_at FROM agreement "
        "ORDER BY school_year DESC, id DESC",
        (),
        ("id", "school_year", "title", "status", "updated_at"),
    )


def agreement_reads(data_file: DataFile, agreement_id: int) -> list[Read]:
    """The reads behind ``load_agreement`` (for ``DataFile.prefetch``): the agreement, its
    signed copy's name, clauses, blanks, signatures and costs, in that order."""
    key = (agreement_id,)

    def children(table: str, order: str = "position") -> Read:
        return (
            f"SELECT * FROM [{table}] WHERE agreement_id = ? ORDER BY {order}, id",
            key,
            data_file.columns(table),
        )

    return [
        ("SELECT * FROM agreement WHERE id = ?", key, data_file.columns("agreement")),
        ("SELECT file_name FROM agreement_attachment WHERE agreement_id = ? ORDER BY id DESC LIMIT 1",
         key, ("file_name",)),
        children("agreement_clause"),
        children("agreement_blank", "id"),
        children("agreement_signature"),
        children("agreement_cost", "id"),
    ]


def list_agreements(data_file: DataFile) -> list[dict]:
    """id, school_year, title, status of every agreement, newest school year first."""
    return data_file.query(*list_read()[:2])


def load_agreement(data_file: DataFile, agreement_id: int) -> Agreement:
    """One agreement with everything in it; SroDeskError when there is no such agreement."""
    reads = agreement_reads(data_file, agreement_id)
    found = data_file.query(*reads[0][:2])
    if not found:
        raise SroDeskError(
            f"There is no agreement number {agreement_id}; 'sro-desk mou list' shows them."
        )
    row = found[0]
    attachment, clauses, blanks, signatures, costs = (data_file.query(*read[:2]) for read in reads[1:])
    return Agreement(
        id=AgreementId(row["id"]),
        school_year=row["school_year"],
        title=row["title"],
        status=row["status"],
        source=row["source"],
        library_version=row["library_version"] or "",
        based_on_id=row["based_on_id"],
        options=json.loads(row["options"] or "{}"),
        ready_reason=row["ready_reason"] or "",
        signed_on=row["signed_on"] or "",
        filed_on=row["filed_on"] or "",
        version=row["version"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
        clauses=[
            Clause(
                id=c["id"],
                position=c["position"],
                part=c["part"],
                key=c["clause_key"],
                title=c["title"],
                text=c["text"],
                library_text=c["library_text"],
                components=json.loads(c["components"] or "[]"),
                statutory=bool(c["statutory"]),
                included=bool(c["included"]),
                version=c["version"],
            )
            for c in clauses
        ],
        blanks=[
            Blank(
                id=b["id"],
                key=b["key"],
                label=b["label"],
                type=b["type"],
                required=bool(b["required"]),
                help=b["help"] or "",
                choices=json.loads(b["choices"] or "[]"),
                value=blanks_.load(b["value"]),
                version=b["version"],
            )
            for b in blanks
        ],
        signatures=[
            Signature(
                id=s["id"],
                position=s["position"],
                role=s["role"] or "",
                name=s["name"] or "",
                title=s["title"] or "",
                organisation=s["organisation"] or "",
                signed_on=s["signed_on"] or "",
                version=s["version"],
            )
            for s in signatures
        ],
        costs=[
            Cost(
                id=c["id"],
                category=c["category"],
                amount_cents=c["amount_cents"] or 0,
                note=c["note"] or "",
                version=c["version"],
            )
            for c in costs
        ],
        attachment_name=attachment[0]["file_name"] if attachment else "",
    )


def attachment(data_file: DataFile, agreement_id: int) -> tuple[str, str, bytes] | None:
    """(file name, media type, bytes) of the scanned signed copy, if one is attached."""
    found = data_file.query(
        "SELECT file_name, media_type, data FROM agreement_attachment "
        "WHERE agreement_id = ? ORDER BY id DESC LIMIT 1",
        (agreement_id,),
    )
    if not found:
        return None
    return found[0]["file_name"], found[0]["media_type"], found[0]["data"]
