"""Every printable document in one list, for the print center and the packet.

Each entry says what it needs chosen (an agreement, a school year, a language...), and
prints in two steps: ``prepare`` reads the file and gathers what the document shows
(quick, and done on the caller's thread), and the builder it returns lays the PDF out
(slow, safe to run on a worker thread: it touches only what was gathered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.documents.progress import Cancelled, Progress, check_progress
from sro_desk.store import DataFile

__all__ = ["CATALOG", "Builder", "Cancelled", "Option", "Printable", "Progress", "check_progress",
           "defaults", "find", "register", "school_years"]

#: Lays out a gathered document into a path or a binary file object.
Builder = Callable[[Path | BinaryIO, Progress], None]


@dataclass(frozen=True)
class Option:
    """One thing a document needs chosen before it can print."""

    key: str
    label: str
    #: "choice": one of ``choices``; "flag": yes or no; "text": free text.
    kind: str = "choice"
    #: (label, value) pairs to choose from, read from the file.
    choices: Callable[[DataFile], list[tuple[str, Any]]] | None = None
    help: str = ""
    default: Any = None


@dataclass(frozen=True)
class Printable:
    key: str
    title: str
    description: str
    options: tuple[Option, ...]
    #: Reads the file (on the caller's thread) and returns the builder.
    prepare: Callable[[DataFile, dict], Builder]
    #: A file name to offer when saving, from the chosen values.
    file_name: Callable[[dict], str]
    #: Counted in the packet; documents that need the file (False for blank forms).
    needs_file: bool = True
    extra: dict = field(default_factory=dict)


# -- choices read from the file ------------------------------------------------------------


def school_years(data_file: DataFile) -> list[tuple[str, str]]:
    """Every school year the file holds records for, and the current one; newest first."""
    from sro_desk.records.settings import current_school_year

    found = {current_school_year(data_file)}
    for table in ("agreement", "training_entry", "enforcement_action", "complaint", "meeting",
                  "review_metric", "annual_review", "selection_round"):
        try:
            found.update(r["school_year"] for r in data_file.query(
                f"SELECT DISTINCT school_year FROM [{table}] WHERE school_year IS NOT NULL"))
        except Exception:  # a table a future migration adds: nothing to offer from it
            continue
    return [(year, year) for year in sorted(found, reverse=True)]


def _agreements(data_file: DataFile) -> list[tuple[str, int]]:
    from sro_desk.records.agreement_model import list_agreements

    return [(f"{a['school_year']}: {a['title']} ({a['status']})", a["id"]) for a in list_agreements(data_file)]


def _rounds(data_file: DataFile) -> list[tuple[str, int]]:
    from sro_desk.records.selection import list_rounds

    return [(f"{r['school_year']}: {r['title']}", r["id"]) for r in list_rounds(data_file)]


def _rounds_or_generic(data_file: DataFile) -> list[tuple[str, int | None]]:
    return [("A generic form (no round)", None)] + _rounds(data_file)


def _officers(data_file: DataFile) -> list[tuple[str, int]]:
    from sro_desk.records.officers import list_officers

    return [(o.name + (" (SRO)" if o.assigned_sro else ""), o.id) for o in list_officers(data_file)]


def _complaint_languages(_data_file: DataFile) -> list[tuple[str, str]]:
    from sro_desk.records.complaint_forms import LANGUAGES
    from sro_desk.resources import language_name

    return [(language_name(code), code) for code in LANGUAGES]


def _selection_languages(_data_file: DataFile) -> list[tuple[str, str]]:
    from sro_desk.records.selection import FORM_LANGUAGES
    from sro_desk.resources import language_name

    return [(language_name(code), code) for code in FORM_LANGUAGES]


def _groups(_data_file: DataFile) -> list[tuple[str, str]]:
    from sro_desk.records.selection import GROUPS

    return [(label, key) for key, label in GROUPS.items()]


def _district_name(data_file: DataFile) -> str:
    from sro_desk.records.district import load_district

    district = load_district(data_file)
    return district.name if district else ""


def _required(values: dict, key: str, sentence: str) -> Any:
    value = values.get(key)
    if value in (None, ""):
        raise ValidationError(sentence, field=key)
    return value


def _year(values: dict) -> str:
    from sro_desk.records.calendar import parse_school_year

    year = str(_required(values, "school_year", "Choose the school year."))
    try:
        parse_school_year(year)
    except ValueError as exc:
        raise ValidationError(str(exc), field="school_year") from None
    return year


# -- the documents -------------------------------------------------------------------------


def _prepare_agreement(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.agreement import build_agreement_pdf
    from sro_desk.records import agreements

    agreement_id = _required(values, "agreement_id", "Choose the agreement to print.")
    agreement = agreements.load_agreement(data_file, int(agreement_id))
    if values.get("dese"):
        from sro_desk.documents.dese_filing import build_filing_pdf
        from sro_desk.records.dese_filing import printable_filing

        filing = printable_filing(data_file, agreement)
        return lambda out, progress: build_filing_pdf(filing, out)
    document = agreements.printable(data_file, agreement)
    return lambda out, progress: build_agreement_pdf(document, out)


def _prepare_training(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.training import build_training_pdf
    from sro_desk.records.training import printable_training

    officer_id = _required(values, "officer_id", "Choose the officer.")
    record = printable_training(data_file, int(officer_id), _year(values))
    return lambda out, progress: build_training_pdf(record, out)


def _prepare_selection(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.selection import build_selection_summary_pdf
    from sro_desk.records import selection

    round_id = _required(values, "round_id", "Choose the selection round.")
    summary = selection.printable_selection(data_file, selection.load_round(data_file, int(round_id)))
    return lambda out, progress: build_selection_summary_pdf(summary, out)


def _prepare_selection_form(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.selection import build_selection_input_form_pdf
    from sro_desk.records import selection

    group = _required(values, "group", "Choose who the form is for.")
    round_id = values.get("round_id")
    chosen = selection.load_round(data_file, int(round_id)) if round_id else None
    form = selection.printable_input_form(
        data_file, group, language=values.get("language") or "en", selection=chosen)
    return lambda out, progress: build_selection_input_form_pdf(form, out)


def _prepare_complaint_form(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.complaint_form import build_complaint_form_pdf
    from sro_desk.records.complaint_forms import printable_complaint_form

    language = _required(values, "language", "Choose the language of the form.")
    form = printable_complaint_form(_district_name(data_file), language)
    return lambda out, progress: build_complaint_form_pdf(form, out)


def _prepare_complaint_log(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.complaint_log import build_complaint_log_pdf
    from sro_desk.records.complaints import printable_log

    log = printable_log(data_file, _year(values))
    return lambda out, progress: build_complaint_log_pdf(log, out)


def _prepare_enforcement(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.enforcement import build_enforcement_pdf
    from sro_desk.records.enforcement_reports import printable_enforcement

    report = printable_enforcement(data_file, _year(values))
    return lambda out, progress: build_enforcement_pdf(report, out)


def _attendees(data_file: DataFile) -> list[tuple[str, Any]]:
    """Whom a review copy can be named for: every attendee of any year's review meeting,
    plus one PDF with a named copy for each attendee, or an unnamed copy."""
    names = data_file.query(
        "SELECT DISTINCT a.name, a.role FROM meeting_attendee a JOIN meeting m ON m.id = a.meeting_id "
        "WHERE m.kind = 'annual_review' ORDER BY a.name")
    return ([("One named copy for each attendee", "*"), ("An unnamed copy", "")]
            + [(f"{r['name']} ({r['role']})" if r["role"] else r["name"], r["name"]) for r in names])


def _prepare_review(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.review import attendee_named, build_review_pdf
    from sro_desk.records.review import printable_review

    review = printable_review(data_file, _year(values), public=bool(values.get("public")))
    copy_for = str(values.get("copy_for") or "")
    if copy_for == "*" and review.attendees:
        return lambda out, progress: build_review_pdf(review, out, all_copies=True)
    if copy_for == "*":  # no review meeting yet: one copy, named for no one
        copy_for = ""
    named = attendee_named(review, copy_for) if copy_for else None
    return lambda out, progress: build_review_pdf(review, out, copy_for=named)


def _prepare_minutes(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.minutes import build_minutes_pdf, printable_minutes

    minutes = printable_minutes(data_file, _year(values))
    return lambda out, progress: build_minutes_pdf(minutes, out)


def _prepare_compliance(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.compliance import build_compliance_pdf
    from sro_desk.records.obligations import obligations

    year = _year(values)
    today = date.today()
    items = obligations(data_file, today=today, school_year=year)
    district = _district_name(data_file)
    return lambda out, progress: build_compliance_pdf(items, out, school_year=year, today=today,
                                                      district=district)


def _prepare_packet(data_file: DataFile, values: dict) -> Builder:
    from sro_desk.documents.packet import build_packet, prepare_packet, read_logo
    from sro_desk.documents.packet_sections import SECTIONS

    chosen = [key for key in SECTIONS if values.get(f"section_{key}")]
    logo_path = str(values.get("logo_path") or "").strip()
    packet = prepare_packet(
        data_file, _year(values), sections=chosen or None,
        agenda=str(values.get("agenda_text") or "").splitlines(),
        logo=read_logo(Path(logo_path).expanduser()) if logo_path else None,
        meeting_on=str(values.get("meeting_on") or "").strip(),
    )
    return lambda out, progress: build_packet(packet, out, progress)


def _packet_options() -> tuple[Option, ...]:
    from sro_desk.documents.packet_sections import SECTIONS

    return (
        _YEAR,
        Option("meeting_on", "Committee meeting date", kind="text",
               help="Optional, like 2027-06-14; printed on the cover."),
        Option("agenda_text", "Agenda (one item per line)", kind="text", help="Optional."),
        Option("logo_path", "District logo (PNG or JPEG file)", kind="text", help="Optional."),
        *(Option(f"section_{key}", title, kind="flag", default=True) for key, title in SECTIONS.items()),
    )


_YEAR = Option("school_year", "School year", choices=school_years)

CATALOG: list[Printable] = [
    Printable(
        "agreement", "Agreement (MOU and operating procedures)",
        "The agreement as signed or as drafted; or enclosed in the whole yearly DESE filing if chosen.",
        (Option("agreement_id", "Agreement", choices=_agreements),
         Option("dese", "Print it as the yearly DESE filing", kind="flag", default=False)),
        _prepare_agreement,
        lambda v: "SRO agreement.pdf" if not v.get("dese") else "SRO agreement DESE filing.pdf",
        extra={"group": "Agreement and selection"},
    ),
    Printable(
        "selection", "Selection summary",
        "One selection round: the input gathered, the candidates and the decision.",
        (Option("round_id", "Selection round", choices=_rounds),),
        _prepare_selection,
        lambda v: "SRO selection summary.pdf",
        extra={"group": "Agreement and selection"},
    ),
    Printable(
        "selection_input", "Selection input form (blank)",
        "A form for principals, teachers, parents or students to give their input.",
        (Option("group", "For", choices=_groups),
         Option("language", "Language", choices=_selection_languages, default="en"),
         Option("round_id", "Round", choices=_rounds_or_generic)),
        _prepare_selection_form,
        lambda v: f"SRO selection input form {v.get('group') or ''}.pdf".replace("  ", " "),
        needs_file=False,
    ),
    Printable(
        "training", "Training record",
        "One officer's training for a school year against the required topics and hours.",
        (Option("officer_id", "Officer", choices=_officers), _YEAR),
        _prepare_training,
        lambda v: f"SRO training record {v.get('school_year') or ''}.pdf",
        extra={"group": "Training"},
    ),
    Printable(
        "complaint_form", "Complaint form (blank)",
        "The complaint form to hand out, in a family's language.",
        (Option("language", "Language", choices=_complaint_languages, default="en"),),
        _prepare_complaint_form,
        lambda v: f"SRO complaint form {v.get('language') or ''}.pdf",
        needs_file=False,
    ),
    Printable(
        "complaint_log", "Complaint log",
        "The year's complaints counted by kind, finding and timeliness; no complainant named.",
        (_YEAR,),
        _prepare_complaint_log,
        lambda v: f"SRO complaint log {v.get('school_year') or ''}.pdf",
        extra={"group": "Complaints"},
    ),
    Printable(
        "enforcement", "Enforcement report",
        "School-based arrests, citations and referrals with small counts hidden.",
        (_YEAR,),
        _prepare_enforcement,
        lambda v: f"SRO enforcement report {v.get('school_year') or ''}.pdf",
        extra={"group": "Enforcement data"},
    ),
    Printable(
        "review", "End-of-year review report",
        "The year's review: metrics against targets, charts, training, complaints, feedback, "
        "findings and recommendations, with a copy named for each attendee.",
        (_YEAR, Option("copy_for", "Copies", choices=_attendees, default="*"),
         Option("public", "For the public (hide small counts)", kind="flag", default=False)),
        _prepare_review,
        lambda v: f"SRO review {v.get('school_year') or ''}.pdf",
        extra={"group": "Meetings, review and the school committee"},
    ),
    Printable(
        "minutes", "Meeting minutes",
        "A school year's meetings: the register, then each meeting's attendees, agenda, "
        "minutes, decisions and action items.",
        (_YEAR,),
        _prepare_minutes,
        lambda v: f"SRO meeting minutes {v.get('school_year') or ''}.pdf",
        extra={"group": "Meetings, review and the school committee"},
    ),
    Printable(
        "compliance", "Compliance status",
        "One page: every obligation of the program for a school year, done or not, with due dates.",
        (_YEAR,),
        _prepare_compliance,
        lambda v: f"SRO compliance status {v.get('school_year') or ''}.pdf",
        extra={"group": "Meetings, review and the school committee"},
    ),
    Printable(
        "packet", "School-committee packet",
        "Chosen sections in one PDF with a cover, agenda and contents, numbered and bookmarked "
        "as one; nothing confidential and no small counts.",
        _packet_options(),
        _prepare_packet,
        lambda v: f"SRO school committee packet {v.get('school_year') or ''}.pdf",
        extra={"group": "Meetings, review and the school committee"},
    ),
]


def register(printable: Printable) -> None:
    """Add or replace a document (modules that print new kinds call this)."""
    for index, existing in enumerate(CATALOG):
        if existing.key == printable.key:
            CATALOG[index] = printable
            return
    CATALOG.append(printable)


def find(key: str) -> Printable:
    for printable in CATALOG:
        if printable.key == key:
            return printable
    raise SroDeskError(f"There is no document called {key}.")


def defaults(printable: Printable, data_file: DataFile) -> dict:
    """A first choice for every option: the default, else the first choice offered."""
    values = {}
    for option in printable.options:
        if option.default is not None:
            values[option.key] = option.default
        elif option.choices is not None:
            offered = option.choices(data_file)
            values[option.key] = offered[0][1] if offered else None
        else:
            values[option.key] = "" if option.kind == "text" else False
    return values


def today_text(today: date | None = None) -> str:
    day = today or date.today()
    return day.strftime("%B %d, %Y").replace(" 0", " ")
