"""The yearly DESE filing: its own facts, and the filing as ``documents/`` prints it.

Besides the agreement, the operating procedures and the district's costs, the filing
names a contact person and the district's DESE organisation code, gives the proposed
budget for mental, social and emotional health staff (every district files it, with an
SRO or not), and records the superintendent's request for an SRO (since the 2020 police
reform act a chief assigns an SRO only at that request). These facts are district
settings (the ``setting`` table, one key each, listed in ``KEYS``): no table of their own.

DESE gives the filing's due date in its yearly instructions; no law sets it. It is the
setting ``dese_filing_due`` ("MM-DD"), which the dashboard's reminder reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sro_desk.errors import SroDeskError, ValidationError, quoted
from sro_desk.records import agreement_blanks as blanks_
from sro_desk.records import agreements
from sro_desk.records.agreement_text import PrintableAgreement
from sro_desk.records.agreements import Agreement, CostSummary
from sro_desk.records.obligations import DESE_FILING_DUE
from sro_desk.records.settings import MONTHS, all_settings, set_setting
from sro_desk.resources import resource_path
from sro_desk.store import DataFile

#: The setting each fact is kept in (the mental-health budget: one key per school year,
#: ``MENTAL_HEALTH_KEY`` followed by the year).
KEYS = {
    "contact_name": "dese_contact_name",
    "contact_title": "dese_contact_title",
    "contact_email": "dese_contact_email",
    "contact_phone": "dese_contact_phone",
    "org_code": "dese_org_code",
    "request_on": "sro_request_on",
    "request_by": "sro_request_by",
    "request_text": "sro_request_text",
    "due": "dese_filing_due",
}
MENTAL_HEALTH_KEY = "mental_health_budget:"

#: The legal sources the filing relies on, by their id in ``resources/law/sources.json``.
FILING_SOURCES = ("c71-37p-mou", "c71-37p-mental-health", "c71-37p-assign", "c71-37p-data", "model-mou")
#: What the filing prints for a fact nobody has recorded (never a blank that looks filled).
NOT_RECORDED = "not recorded"

#: The longest name, title, email or phone number kept; the longest request text.
MAX_LINE = 200
MAX_TEXT = 2000
_ORG_CODE = re.compile(r"[0-9]{8}")  # ASCII digits only (\d takes any script's)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class FilingFacts:
    """The filing's facts as stored ('' where nothing is recorded)."""

    contact_name: str = ""
    contact_title: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    #: DESE's eight-digit organisation code for the district (leading zeros kept).
    org_code: str = ""
    #: The superintendent's request for an SRO: its date (ISO), who made it, what it asked.
    request_on: str = ""
    request_by: str = ""
    request_text: str = ""
    #: DESE's due date this year as "MM-DD" ('' while SRO Desk assumes its default).
    due: str = ""
    #: The proposed mental-health staffing budget in cents, by school year.
    mental_health_budgets: dict[str, int] = field(default_factory=dict)

    def mental_health_budget(self, school_year: str) -> int | None:
        return self.mental_health_budgets.get(school_year)

    @property
    def due_month_day(self) -> tuple[int, int]:
        """The due date (month, day) in force: the one entered, else SRO Desk's default."""
        try:
            return _month_day(self.due)
        except ValueError:
            return DESE_FILING_DUE


def load_facts(data_file: DataFile) -> FilingFacts:
    """The filing's facts from the district's settings (one read)."""
    settings = all_settings(data_file)
    budgets = {}
    for key, value in settings.items():
        if key.startswith(MENTAL_HEALTH_KEY):
            try:
                budgets[key[len(MENTAL_HEALTH_KEY):]] = int(value)
            except (TypeError, ValueError):
                continue  # not a number SRO Desk wrote: treated as not recorded
    return FilingFacts(
        **{name: (settings.get(key) or "").strip() for name, key in KEYS.items()},
        mental_health_budgets=budgets,
    )


def parse_org_code(text: str) -> str:
    """DESE's district code as stored: eight digits, leading zeros kept; '' when empty."""
    code = "".join(str(text).split())
    if not code:
        return ""
    if not _ORG_CODE.fullmatch(code):
        raise ValidationError(
            f"{quoted(text)} is not a DESE district code; it has eight digits, like 02740000 "
            "(see the district's profile on DESE's website).",
            field="org_code",
        )
    return code


def parse_due(text: str) -> str:
    """DESE's due date for this year as "MM-DD" (from "08-31" or "8/31"); '' when empty."""
    if not str(text).strip():
        return ""
    try:
        month, day = _month_day(text)
    except ValueError:
        raise ValidationError(
            f"{quoted(text)} is not a month and day; write DESE's due date like 08-31.", field="due"
        ) from None
    return f"{month:02d}-{day:02d}"


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in re.split(r"\s*[-/]\s*", str(text).strip()))
    date(2024, month, day)  # a leap year: February 29 is a day DESE could choose
    return month, day


def due_text(facts: FilingFacts) -> str:
    """The due date in force as words, like 'August 31'."""
    month, day = facts.due_month_day
    return f"{MONTHS[month - 1]} {day}"


def _line(text: str, label: str, name: str) -> str:
    value = " ".join(str(text).split())
    if len(value) > MAX_LINE:
        raise ValidationError(f"{label} is too long; keep it under {MAX_LINE} characters.", field=name)
    return value


def _email(text: str) -> str:
    value = _line(text, "The email address", "contact_email")
    if value and not _EMAIL.fullmatch(value):
        raise ValidationError(f"{quoted(text)} is not an email address; write it like name@district.org.",
                              field="contact_email")
    return value


def _phone(text: str) -> str:
    value = _line(text, "The phone number", "contact_phone")
    if value and not any(c.isdigit() for c in value):
        raise ValidationError(f"{quoted(text)} is not a phone number; write it like 508-555-0142.",
                              field="contact_phone")
    return value


def _request_on(text: str, today: date) -> str:
    try:
        value = blanks_.parse_value("date", text, label="The date of the request")
    except ValidationError as exc:
        raise ValidationError(exc.message, field="request_on") from None
    if value is not None and date.fromisoformat(value) > today:
        raise ValidationError("The request's date is after today; enter the day it was made.", field="request_on")
    return value or ""


def _request_text(text: str) -> str:
    value = str(text).strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(f"What the request asked is too long; keep it under {MAX_TEXT} characters.",
                              field="request_text")
    return value


def _budget(text: str) -> str:
    """The budget as stored (cents as text), '' when empty."""
    if not str(text).strip():
        return ""
    try:
        return str(agreements.parse_amount(text))
    except ValidationError as exc:
        raise ValidationError(f"The mental-health budget: {exc.message}", field="mental_health_budget") from None


def save_facts(
    data_file: DataFile,
    *,
    school_year: str,
    contact_name: str = "",
    contact_title: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    org_code: str = "",
    request_on: str = "",
    request_by: str = "",
    request_text: str = "",
    due: str = "",
    mental_health_budget: str = "",
    today: date | None = None,
) -> FilingFacts:
    """Check every fact as typed, then store those that changed; ValidationError (naming
    its field) before anything is stored. Empty text clears a fact."""
    values = {
        KEYS["contact_name"]: _line(contact_name, "The contact's name", "contact_name"),
        KEYS["contact_title"]: _line(contact_title, "The contact's title", "contact_title"),
        KEYS["contact_email"]: _email(contact_email),
        KEYS["contact_phone"]: _phone(contact_phone),
        KEYS["org_code"]: parse_org_code(org_code),
        KEYS["request_on"]: _request_on(request_on, today or date.today()),
        KEYS["request_by"]: _line(request_by, "Who made the request", "request_by"),
        KEYS["request_text"]: _request_text(request_text),
        KEYS["due"]: parse_due(due),
        MENTAL_HEALTH_KEY + school_year: _budget(mental_health_budget),
    }
    stored = all_settings(data_file)
    for key, value in values.items():
        # One setting at a time, each audited; only what changed, so a save never
        # overwrites another person's change to a fact this dialog left alone.
        if (stored.get(key) or "") != value:
            set_setting(data_file, key, value)
    return load_facts(data_file)


# -- the filing as printed -------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentRow:
    """One DESE component and the agreement's sections that cover it (none: not covered)."""

    code: str
    part: str
    label: str
    sections: list[str]


@dataclass(frozen=True)
class LawSource:
    """A legal source the filing relies on, as ``resources/law/sources.json`` gives it."""

    id: str
    citation: str
    requires: str
    how_checked: str
    unconfirmed: str


@dataclass
class PrintableFiling:
    """Everything the DESE filing prints; plain data, no database."""

    agreement: PrintableAgreement
    facts: FilingFacts
    #: The date the filing was prepared, as printed ("December 9, 2026").
    prepared_on: str
    components: list[ComponentRow]
    costs: CostSummary
    sources: list[LawSource]
    #: The day SRO Desk's list of sources was last checked (ISO).
    sources_checked_on: str

    @property
    def school_year(self) -> str:
        return self.agreement.school_year

    @property
    def mental_health_budget(self) -> int | None:
        return self.facts.mental_health_budget(self.school_year)

    def source(self, source_id: str) -> LawSource | None:
        return next((s for s in self.sources if s.id == source_id), None)


def printable_filing(data_file: DataFile, agreement: Agreement, *, today: date | None = None) -> PrintableFiling:
    """The filing for ``agreement``'s school year, gathered from the file."""
    checked_on, sources = _law_sources()
    return PrintableFiling(
        agreement=agreements.printable(data_file, agreement),
        facts=load_facts(data_file),
        prepared_on=blanks_.printed("date", (today or date.today()).isoformat()),
        components=component_rows(agreement),
        costs=agreements.cost_summary(agreement),
        sources=[sources[key] for key in FILING_SOURCES if key in sources],
        sources_checked_on=checked_on,
    )


def component_rows(agreement: Agreement) -> list[ComponentRow]:
    """DESE's components, each with the sections covering it, numbered as printed."""
    numbered = {}
    for part, short in (("mou", "MOU"), ("op", "OP")):
        for number, clause in enumerate(agreement.included(part), start=1):
            numbered[clause.id] = f"{short} {number}. {clause.title}"
    return [
        ComponentRow(
            check.code, check.part, check.label,
            [numbered[c.id] for c in agreement.included() if check.code in c.components],
        )
        for check in agreements.checklist(agreement)
    ]


@lru_cache(maxsize=1)
def _law_sources() -> tuple[str, dict[str, LawSource]]:
    """(the day the list was checked, the sources by id) from the shipped list. Kept
    private and minimal: a shared loader of the law sources can take its place."""
    try:
        data = json.loads(resource_path("law", "sources.json").read_text(encoding="utf-8"))
        sources = {
            s["id"]: LawSource(s["id"], s["citation"], s["requires"], s.get("how_checked", ""),
                               s.get("unconfirmed", ""))
            for s in data["sources"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        raise SroDeskError(
            "The list of legal sources is missing or damaged in this installation; reinstall SRO Desk."
        ) from None
    return str(data.get("checked_on", "")), sources
