"""Agreements (MOU and operating procedures): drafting, signing, filing.

An agreement is a list of clauses (from the clause library, from last year's agreement
or imported from a document), typed blanks, signatories and the year's costs. It moves
draft -> ready for signature -> signed -> filed with DESE -> superseded; once signed it is
frozen, and changes start a new draft. The stored shape is in ``agreement_model``; the
checklist, comparison and printing data in ``agreement_review``. Both are re-exported
here, so callers use this module alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sro_desk.errors import SroDeskError, ValidationError, quoted
from sro_desk.records import agreement_blanks as blanks_
from sro_desk.records.agreement_model import (
    COST_CATEGORIES,
    FROZEN,
    PARTS,
    STATUSES,
    SUPERVISION,
    Agreement,
    AgreementId,
    Blank,
    Clause,
    ComponentCheck,
    Cost,
    Signature,
    agreement_reads,
    attachment,
    list_agreements,
    list_read,
    load_agreement,
)
from sro_desk.records.agreement_review import (
    ClauseDiff,
    checklist,
    compare,
    import_report,
    missing_blanks,
    money,
    printable,
    problems,
    used_blanks,
)
from sro_desk.records.attachments import read_document
from sro_desk.records.calendar import parse_school_year, school_year_bounds
from sro_desk.records.clause_library import BlankSpec, load_library
from sro_desk.records.district import District, leader_name, load_district
from sro_desk.records.settings import SETTINGS_READ, school_year_start_month
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

__all__ = [
    "COST_CATEGORIES", "FROZEN", "PARTS", "STATUSES", "SUPERVISION", "Agreement",
    "AgreementId", "Blank", "Clause", "ClauseDiff", "ComponentCheck", "Cost", "CostLine", "CostSummary",
    "Signature", "cost_summary",
    "add_clause", "attachment", "back_to_draft", "checklist", "compare", "default_title",
    "district_options", "edit_clause", "import_document", "import_report", "list_agreements",
    "load_agreement", "mark_ready", "missing_blanks", "money", "new_from_library",
    "new_from_previous", "parse_amount", "printable", "problems", "record_filing",
    "record_signing", "set_blank", "set_costs", "set_signatory", "used_blanks",
    "agreement_reads", "list_read", "page_reads",
]


# -- the reads a page makes ------------------------------------------------------------------


def page_reads(data_file: DataFile) -> list[Read]:
    """What the Agreement page reads before it knows which agreement to show (for
    ``DataFile.prefetch``; the agreement's own are ``agreement_reads``)."""
    return [SETTINGS_READ, list_read()]


# -- creating ------------------------------------------------------------------------------


def default_title(district: District, school_year: str) -> str:
    return f"School Resource Officer Agreement {school_year}"


def district_options(district: District, supervision: str = "police") -> dict[str, str]:
    return {
        "kind": district.kind,
        "departments": "several" if len(district.departments) > 1 else "one",
        "supervision": supervision,
    }


def _prefill(source: str, district: District, school_year: str) -> Any:
    def joined(names: list[str]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    return {
        "district.name": district.name,
        "district.departments": joined([d.name for d in district.departments]),
        "district.schools": joined([s.name for s in district.schools]),
        "district.leader_name": leader_name(district.superintendent_name),
        "district.leader_title": district.leader_title,
        "agreement.school_year": school_year,
    }.get(source)


def _require_district(data_file: DataFile) -> District:
    district = load_district(data_file)
    if district is None:
        raise SroDeskError("Set up the district first (District > Set Up District).")
    return district


def _check_year(school_year: str) -> str:
    try:
        parse_school_year(school_year)
    except ValueError as exc:
        raise ValidationError(str(exc), field="school_year") from None
    return school_year.strip()


def _insert_agreement(data_file: DataFile, values: dict) -> AgreementId:
    return AgreementId(rows.insert(data_file, "agreement", values))


def _insert_clause(
    data_file: DataFile,
    agreement_id: int,
    *,
    position: int,
    part: str,
    key: str | None,
    title: str,
    text: str,
    library_text: str | None,
    components: list[str],
    statutory: bool,
    included: bool = True,
) -> int:
    return rows.insert(
        data_file,
        "agreement_clause",
        {
            "agreement_id": agreement_id,
            "position": position,
            "part": part,
            "clause_key": key,
            "title": title,
            "text": text,
            "library_text": library_text,
            "components": json.dumps(list(components)),
            "statutory": int(statutory),
            "included": int(included),
        },
    )


def _insert_blank(
    data_file: DataFile,
    agreement_id: int,
    *,
    key: str,
    label: str,
    kind: str,
    required: bool,
    help: str,
    choices: list[str],
    value: Any,
) -> int:
    return rows.insert(
        data_file,
        "agreement_blank",
        {
            "agreement_id": agreement_id,
            "key": key,
            "label": label,
            "type": kind,
            "required": int(required),
            "help": help,
            "choices": json.dumps(list(choices)),
            "value": blanks_.dump(value),
        },
    )


def _insert_signatories(data_file: DataFile, agreement_id: int, district: District) -> None:
    for position, person in enumerate(district.signatories(), start=1):
        rows.insert(
            data_file,
            "agreement_signature",
            {
                "agreement_id": agreement_id,
                "position": position,
                "role": "school" if position == 1 else "police",
                "name": person.name,
                "title": person.title,
                "organisation": person.organisation,
                "signed_on": None,
            },
        )


def new_from_library(
    data_file: DataFile,
    *,
    school_year: str,
    supervision: str = "police",
    title: str | None = None,
    edition: str | None = None,
) -> AgreementId:
    """A new draft from the newest clause library (or the ``edition`` named: an older one
    only to reproduce an agreement drafted from it), with blanks filled from the district.
    The draft keeps its edition; ``library_updates`` offers it a newer edition's text."""
    school_year = _check_year(school_year)
    if supervision not in SUPERVISION:
        raise ValidationError("Choose who the SRO reports to.", field="supervision")
    district = _require_district(data_file)
    library = load_library(edition)
    options = district_options(district, supervision)
    with data_file.write():
        agreement_id = _insert_agreement(
            data_file,
            {
                "school_year": school_year,
                "title": title or default_title(district, school_year),
                "status": "draft",
                "source": "library",
                "library_version": library.version,
                "options": json.dumps(options),
            },
        )
        for position, spec in enumerate(library.clauses_for(options), start=1):
            _insert_clause(
                data_file, agreement_id, position=position, part=spec.part, key=spec.key,
                title=spec.title, text=spec.text, library_text=spec.text,
                components=list(spec.components), statutory=spec.statutory,
            )
        for spec in library.blanks:
            _insert_library_blank(data_file, agreement_id, spec, district, school_year)
        _insert_signatories(data_file, agreement_id, district)
    return agreement_id


def _insert_library_blank(
    data_file: DataFile, agreement_id: int, spec: BlankSpec, district: District, school_year: str
) -> int:
    """A clause library blank in an agreement, with its first value: filled from the
    district, the library's default, or (a review-by date) the school year's end."""
    value = _prefill(spec.prefill, district, school_year) if spec.prefill else spec.default
    if spec.type == "date" and value is None and spec.key.endswith("end_date"):
        value = school_year_bounds(
            school_year, starts_month=school_year_start_month(data_file)
        )[1].isoformat()
    return _insert_blank(
        data_file, agreement_id, key=spec.key, label=spec.label, kind=spec.type,
        required=spec.required, help=spec.help, choices=list(spec.choices), value=value,
    )


def new_from_previous(
    data_file: DataFile, previous_id: int, *, school_year: str, title: str | None = None
) -> AgreementId:
    """A new draft copying an earlier agreement's clauses, blanks and costs' categories."""
    school_year = _check_year(school_year)
    district = _require_district(data_file)
    previous = load_agreement(data_file, previous_id)
    library = _library_or_none(previous.library_version)
    with data_file.write():
        agreement_id = _insert_agreement(
            data_file,
            {
                "school_year": school_year,
                "title": title
                or (previous.title.replace(previous.school_year, school_year)
                    if previous.school_year in previous.title
                    else previous.title),
                "status": "draft",
                "source": "previous",
                "library_version": previous.library_version,
                "based_on_id": previous.id,
                "options": json.dumps(previous.options),
            },
        )
        for clause in previous.clauses:
            _insert_clause(
                data_file, agreement_id, position=clause.position, part=clause.part,
                key=clause.key, title=clause.title, text=clause.text,
                library_text=clause.library_text, components=clause.components,
                statutory=clause.statutory, included=clause.included,
            )
        for blank in previous.blanks:
            _insert_blank(
                data_file, agreement_id, key=blank.key, label=blank.label, kind=blank.type,
                required=blank.required, help=blank.help, choices=blank.choices,
                value=_carried_value(data_file, blank, library, district, school_year),
            )
        _insert_signatories(data_file, agreement_id, district)
    return agreement_id


def _library_or_none(version: str):
    """The clause library edition a draft came from (or the newest); None for imports."""
    if not version:
        return None
    try:
        return load_library(version)
    except SroDeskError:
        return load_library()


def _carried_value(data_file: DataFile, blank: Blank, library, district: District, school_year: str) -> Any:
    """A blank's value in next year's draft: names and dates that follow the district or
    the school year are filled afresh; everything the district chose is kept."""
    spec = library.blank(blank.key) if library is not None else None
    if spec is not None and spec.prefill:
        return _prefill(spec.prefill, district, school_year)
    if blank.type == "date" and blank.key.endswith("end_date"):
        return school_year_bounds(
            school_year, starts_month=school_year_start_month(data_file)
        )[1].isoformat()
    return blank.value


def import_document(
    data_file: DataFile, path: Path, *, school_year: str, title: str | None = None, document=None
) -> AgreementId:
    """A new draft from a .txt, .md or .docx agreement (``document``: the file already read,
    so that a caller can parse it before it locks the data file); sections matched to DESE
    components."""
    from sro_desk.records.mou_import import read_agreement_file

    school_year = _check_year(school_year)
    district = load_district(data_file)
    document = document or read_agreement_file(Path(path))
    if not any(section.text.strip() for section in document.sections):
        raise SroDeskError(
            f"SRO Desk found no agreement text in {Path(path).name}, so nothing was imported; "
            "check that it is the agreement itself."
        )
    with data_file.write():
        agreement_id = _insert_agreement(
            data_file,
            {
                "school_year": school_year,
                "title": title or document.title or Path(path).stem,
                "status": "draft",
                "source": "import",
                "library_version": None,
                "options": json.dumps(district_options(district) if district else {}),
            },
        )
        for position, section in enumerate(document.sections, start=1):
            part = "op" if section.components and all(c.startswith("O") for c in section.components) else "mou"
            _insert_clause(
                data_file, agreement_id, position=position, part=part, key=None,
                title=section.heading or f"Section {position}", text=section.text,
                library_text=None, components=section.components, statutory=False,
            )
        for blank in document.blanks:
            _insert_blank(
                data_file, agreement_id, key=blank.key, label=blank.label, kind="text",
                required=True, help="From the imported document.", choices=[], value=None,
            )
        if district is not None:
            _insert_signatories(data_file, agreement_id, district)
    return agreement_id


# -- editing a draft -----------------------------------------------------------------------


def _still_draft(data_file: DataFile, agreement: Agreement) -> None:
    """Inside the write: the stored agreement, not the caller's copy, must be a draft
    (someone may have signed it since this copy was loaded)."""
    found = data_file.query("SELECT status FROM agreement WHERE id = ?", (agreement.id,))
    if not found:
        raise SroDeskError("This agreement is no longer in the file; reload the page.")
    stored = Agreement(**{**agreement.__dict__, "status": found[0]["status"]})
    _require_draft(stored)


def _require_draft(agreement: Agreement) -> None:
    if agreement.frozen:
        raise SroDeskError(
            f"The {agreement.school_year} agreement is {agreement.status_label.lower()} and "
            "cannot change; start a new draft from it to make changes."
        )
    if agreement.status != "draft":
        raise SroDeskError(
            "The agreement is ready for signature; move it back to draft to change it."
        )


def edit_clause(
    data_file: DataFile,
    agreement: Agreement,
    clause_id: int,
    *,
    text: str | None = None,
    title: str | None = None,
    included: bool | None = None,
) -> None:
    """Change a clause's text or title, or include or leave it out."""
    _require_draft(agreement)
    clause = next((c for c in agreement.clauses if c.id == clause_id), None)
    if clause is None:
        raise SroDeskError("That clause is no longer in this agreement; reload it.")
    values: dict[str, Any] = {}
    if text is not None:
        if not text.strip():
            raise ValidationError("A clause cannot be empty; leave it out instead.", field="text")
        values["text"] = text
    if title is not None:
        if not title.strip():
            raise ValidationError("Give the clause a heading.", field="title")
        values["title"] = title.strip()
    if included is not None:
        values["included"] = int(included)
    with data_file.write():
        _still_draft(data_file, agreement)
        rows.update(
            data_file, "agreement_clause", clause_id, values,
            expected_version=clause.version, label="clause",
        )


def add_clause(data_file: DataFile, agreement: Agreement, *, part: str, title: str, text: str) -> int:
    """A clause of the district's own, at the end of its part."""
    _require_draft(agreement)
    if part not in PARTS:
        raise ValidationError("Choose the agreement or the operating procedures.", field="part")
    if not title.strip() or not text.strip():
        raise ValidationError("Give the new clause a heading and some text.", field="text")
    position = max((c.position for c in agreement.clauses), default=0) + 1
    with data_file.write():
        _still_draft(data_file, agreement)
        return _insert_clause(
            data_file, agreement.id, position=position, part=part, key=None,
            title=title.strip(), text=text, library_text=None, components=[], statutory=False,
        )


def set_blank(data_file: DataFile, agreement: Agreement, key: str, raw: Any) -> Any:
    """Fill (or empty) a blank; the value is checked against the blank's type."""
    _require_draft(agreement)
    blank = agreement.blank(key)
    if blank is None:
        raise SroDeskError(f"This agreement has no blank called {key}.")
    value = blanks_.parse_value(blank.type, raw, label=blank.label)
    with data_file.write():
        _still_draft(data_file, agreement)
        rows.update(
            data_file, "agreement_blank", blank.id, {"value": blanks_.dump(value)},
            expected_version=blank.version, label=f"blank '{blank.label}'",
        )
    return value


#: The longest name or title a signatory may have (as for the district's names).
MAX_SIGNATORY = 200


def set_signatory(
    data_file: DataFile, agreement: Agreement, signature_id: int, *, name: str, title: str
) -> None:
    _require_draft(agreement)
    signature = next((s for s in agreement.signatures if s.id == signature_id), None)
    if signature is None:
        raise SroDeskError("That signatory is no longer on this agreement; reload it.")
    if not name.strip():
        raise ValidationError("Enter the signatory's name.", field="name")
    # Each prints in a signature block; no real name or title comes near the limit, and
    # a pasted page would only fill the printout.
    if len(name.strip()) > MAX_SIGNATORY:
        raise ValidationError(
            f"The signatory's name is too long; keep it under {MAX_SIGNATORY} characters.", field="name"
        )
    if len(title.strip()) > MAX_SIGNATORY:
        raise ValidationError(
            f"The signatory's title is too long; keep it under {MAX_SIGNATORY} characters.", field="title"
        )
    with data_file.write():
        _still_draft(data_file, agreement)
        rows.update(
            data_file, "agreement_signature", signature_id,
            {"name": name.strip(), "title": title.strip()},
            expected_version=signature.version, label="signatory",
        )




def parse_amount(text: str) -> int:
    """Cents from '$12,345.67' or '12345'; ValidationError otherwise."""
    cleaned = str(text).replace("$", "").replace(",", "").strip()
    try:
        cents = round(Decimal(cleaned) * 100)
    except (InvalidOperation, ValueError, OverflowError):
        raise ValidationError(f"{quoted(text)} is not an amount; write it like 12,500.00.") from None
    if cents < 0 or cents > 10**12:
        raise ValidationError("Enter an amount between 0 and 10,000,000,000.")
    return cents


def set_costs(data_file: DataFile, agreement: Agreement, amounts: dict[str, tuple[int, str]]) -> None:
    """Record the year's actual costs (category -> (cents, note)); allowed at any status."""
    unknown = set(amounts) - set(COST_CATEGORIES)
    if unknown:
        raise ValidationError(f"Unknown cost category {sorted(unknown)[0]}.")
    existing = {c.category: c for c in agreement.costs}
    with data_file.write():
        for category, (cents, note) in amounts.items():
            if category in existing:
                rows.update(
                    data_file, "agreement_cost", existing[category].id,
                    {"amount_cents": cents, "note": note},
                    expected_version=existing[category].version, label="cost",
                )
            else:
                rows.insert(
                    data_file, "agreement_cost",
                    {"agreement_id": agreement.id, "category": category,
                     "amount_cents": cents, "note": note},
                )


@dataclass(frozen=True)
class CostLine:
    """One cost category as recorded for the year (``cents`` None: not recorded)."""

    category: str
    label: str
    cents: int | None
    note: str


@dataclass(frozen=True)
class CostSummary:
    """The year's costs to the district, their total, and the salary split's two shares.

    The costs recorded are the district's own (DESE asks for the district's cost of
    assigning SROs; the salary line is the district's share). The department's share of
    salary and benefits is worked out from the district's share and the agreement's
    split; None wherever a fact is missing or cannot be worked out.
    """

    lines: list[CostLine]
    #: The total of the recorded lines (the district's cost of the program).
    total_cents: int
    #: The agreement's salary split in percent ({"district": 60, "department": 40}) or None.
    split: dict[str, int] | None
    district_salary_cents: int | None
    department_salary_cents: int | None
    whole_salary_cents: int | None
    #: Plain sentences on what is missing or could not be worked out.
    notes: list[str]

    @property
    def not_recorded(self) -> list[str]:
        return [line.label for line in self.lines if line.cents is None]


def cost_summary(agreement: Agreement) -> CostSummary:
    """The agreement's costs by category, their total and each party's share of salary and
    benefits (from the blank ``salary_split``)."""
    recorded = {c.category: c for c in agreement.costs}
    lines = [
        CostLine(key, label, recorded[key].amount_cents if key in recorded else None,
                 recorded[key].note if key in recorded else "")
        for key, label in COST_CATEGORIES.items()
    ]
    total = sum(line.cents for line in lines if line.cents is not None)
    blank = agreement.blank("salary_split")
    split = _split(blank.value if blank is not None else None)
    district = next(line.cents for line in lines if line.category == "salary_benefits")
    department = whole = None
    notes: list[str] = []
    if split is None:
        notes.append("The agreement does not say how the SRO's salary and benefits are shared "
                     "(its blank for who pays them is empty).")
    elif district is None:
        notes.append("The district's share of salary and benefits is not recorded.")
    elif split["district"] == 0:
        notes.append("The agreement gives the district no share of salary and benefits, so the "
                     "department's share cannot be worked out from the district's.")
        if district:
            notes.append(f"The district recorded {money(district)} for salary and benefits although "
                         "its share in the agreement is 0%; check the agreement or the amount.")
    else:
        department = _share(district, split["department"], split["district"])
        whole = district + department
    return CostSummary(lines, total, split, district, department, whole, notes)


def _split(value: Any) -> dict[str, int] | None:
    """The stored split as two whole percentages adding to 100, or None."""
    if not isinstance(value, dict):
        return None
    try:
        district, department = int(value.get("district")), int(value.get("department"))
    except (TypeError, ValueError):
        return None
    if min(district, department) < 0 or district + department != 100:
        return None
    return {"district": district, "department": department}


def _share(cents: int, numerator: int, denominator: int) -> int:
    """``cents`` times numerator/denominator, rounded to the cent (halves up)."""
    return int((Decimal(cents) * numerator / denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# -- the lifecycle -------------------------------------------------------------------------


def _set_status(data_file: DataFile, agreement: Agreement, values: dict) -> None:
    rows.update(
        data_file, "agreement", agreement.id, values,
        expected_version=agreement.version, label="agreement",
    )


def mark_ready(data_file: DataFile, agreement: Agreement, *, reason: str = "") -> None:
    """Draft -> ready for signature; refused while something required is missing, unless
    the person records why."""
    _require_draft(agreement)
    missing = problems(agreement)
    if missing and not reason.strip():
        raise ValidationError(
            f"{len(missing)} required item(s) are missing ({missing[0]}); complete them, or "
            "record why the agreement is ready anyway."
        )
    with data_file.write():
        _set_status(data_file, agreement, {"status": "ready", "ready_reason": reason.strip() or None})


def back_to_draft(data_file: DataFile, agreement: Agreement) -> None:
    if agreement.status != "ready":
        raise SroDeskError("Only an agreement that is ready for signature can go back to draft.")
    with data_file.write():
        _set_status(data_file, agreement, {"status": "draft"})


def record_signing(
    data_file: DataFile,
    agreement: Agreement,
    signed: dict[int, str],
    *,
    scan: Path | None = None,
) -> None:
    """Record each signatory's signing date (signature id -> ISO date) and, optionally,
    attach the scanned wet-signed copy (PDF or image). Earlier signed agreements are
    superseded."""
    if agreement.status not in ("draft", "ready"):
        raise SroDeskError("This agreement has already been signed.")
    if not agreement.signatures:
        raise ValidationError(
            "This agreement has no signatories; set up the district, then start a new "
            "draft from this one."
        )
    dates = {}
    for signature in agreement.signatures:
        raw = signed.get(signature.id, "")
        value = blanks_.parse_value("date", raw, label=f"{signature.name}'s signing date")
        if value is None:
            raise ValidationError(f"Enter the date {signature.name or 'each signatory'} signed.")
        if not signature.name.strip():
            raise ValidationError("Every signatory needs a name before the signing is recorded.")
        dates[signature.id] = value
    document = read_document(scan, what="the signed copy") if scan is not None else None
    with data_file.write():
        for signature in agreement.signatures:
            rows.update(
                data_file, "agreement_signature", signature.id,
                {"signed_on": dates[signature.id]},
                expected_version=signature.version, label="signatory",
            )
        _set_status(data_file, agreement, {"status": "signed", "signed_on": max(dates.values())})
        for older in data_file.query(
            "SELECT id, version FROM agreement WHERE id != ? AND status IN ('signed', 'filed') "
            "AND school_year <= ?",
            (agreement.id, agreement.school_year),
        ):
            rows.update(
                data_file, "agreement", older["id"], {"status": "superseded"},
                expected_version=older["version"], label="earlier agreement",
            )
        if document is not None:
            name, media, data = document
            rows.insert(
                data_file, "agreement_attachment",
                {"agreement_id": agreement.id, "file_name": name, "media_type": media, "data": data},
            )
        from sro_desk.records.seals import seal

        seal(data_file, "agreement", agreement.id)  # the signed text, tamper-evident from now on


def replace_signed_copy(data_file: DataFile, agreement: Agreement, scan: Path) -> None:
    """Attach a new scan of the signed agreement (a clearer or whole copy), audited, without
    unfreezing the signed text; the earlier scan stays in the file as history."""
    if agreement.status not in ("signed", "filed", "superseded"):
        raise SroDeskError("Attach the signed copy when you record the signing; this agreement is not signed yet.")
    name, media, data = read_document(scan, what="the signed copy")
    with data_file.write():
        rows.insert(
            data_file, "agreement_attachment",
            {"agreement_id": agreement.id, "file_name": name, "media_type": media, "data": data},
        )


def record_filing(data_file: DataFile, agreement: Agreement, filed_on: str | date) -> None:
    """Signed -> filed with DESE on a date."""
    if agreement.status != "signed":
        raise SroDeskError("Only a signed agreement can be recorded as filed with DESE.")
    value = blanks_.parse_value("date", filed_on, label="The filing date")
    if value is None:
        raise ValidationError("Enter the date the agreement was filed with DESE.")
    with data_file.write():
        _set_status(data_file, agreement, {"status": "filed", "filed_on": value})
