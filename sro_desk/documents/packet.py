"""The school-committee packet: chosen sections in one PDF, numbered and bookmarked as one.

Each section is laid out by the document that prints it on its own (without its own page
footers), then the sections are put together with pypdf: every page gets the packet's
footer ("Page n of N" across the whole packet), every section a bookmark with the
section's own bookmarks under it, and the contents page lists where each section starts.

A packet is public. It carries no complainant's identity (complaints appear as counts
only), no selection disclosures or comments (decisions and who was heard only), and no
count below the district's suppression threshold: the enforcement tables come from the
report that hides small cells, and other student counts are hidden the same way.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Spacer, Table
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents import common
from sro_desk.documents.common import (
    CONTENT_WIDTH,
    Styles,
    data_table,
    escape,
    make_styles,
    table_style,
)
from sro_desk.documents.packet_sections import FRONT, SECTIONS
from sro_desk.documents.progress import Progress, check_progress
from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.store import one_snapshot


@dataclass
class Section:
    """One body section: its title and how to lay it out into a PDF (bytes)."""

    key: str
    title: str
    #: Writes the section as a PDF into the given binary file.
    build: Callable[[BinaryIO], None]
    #: Pages of a PDF to add after the section's own pages (a scanned signed agreement).
    appendix: bytes | None = None
    appendix_title: str = ""


@dataclass
class PreparedPacket:
    district: str
    school_year: str
    prepared_on: str
    meeting_on: str
    agenda: list[str]
    logo: bytes | None
    front: list[str]
    sections: list[Section] = field(default_factory=list)


def parse_sections(text: str | Sequence[str] | None) -> list[str]:
    """Section keys from a comma list (or a list); every section when empty."""
    if not text:
        return list(SECTIONS)
    items = text.split(",") if isinstance(text, str) else list(text)
    chosen = [item.strip().lower() for item in items if item.strip()]
    unknown = [item for item in chosen if item not in SECTIONS]
    if unknown:
        raise ValidationError(
            f"There is no packet section called {unknown[0]}; choose from "
            + ", ".join(SECTIONS) + ".", field="sections"
        )
    if not [key for key in chosen if key not in FRONT]:
        raise ValidationError("Choose at least one section besides the cover, agenda and contents.",
                              field="sections")
    return [key for key in SECTIONS if key in chosen]


def read_logo(path: Path | None) -> bytes | None:
    """The bytes of a PNG or JPEG logo, or a sentence saying what is wrong."""
    if path is None:
        return None
    path = Path(path)
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise ValidationError("Give the logo as a PNG or JPEG image.", field="logo")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SroDeskError(f"The logo {path.name} cannot be read ({exc.strerror or exc}).") from None
    try:
        from reportlab.lib.utils import ImageReader

        ImageReader(io.BytesIO(data)).getSize()
    except Exception:
        raise ValidationError(f"{path.name} is not an image SRO Desk can print; save it as PNG.",
                              field="logo") from None
    return data


# -- gathering (reads the file) ------------------------------------------------------------


@one_snapshot
def prepare_packet(
    data_file,
    school_year: str,
    *,
    sections: Sequence[str] | str | None = None,
    agenda: Sequence[str] = (),
    logo: bytes | None = None,
    meeting_on: str = "",
    today: date | None = None,
) -> PreparedPacket:
    """Read everything the packet shows for ``school_year``; the layout comes later."""
    from sro_desk.records.calendar import parse_school_year
    from sro_desk.records.district import load_district

    try:
        parse_school_year(school_year)
    except ValueError as exc:
        raise ValidationError(str(exc), field="school_year") from None
    if meeting_on:
        try:
            meeting = date.fromisoformat(meeting_on)
        except ValueError:
            raise ValidationError("Enter the meeting date like 2027-06-14.", field="meeting_on") from None
        if not 1980 <= meeting.year <= 2100:
            raise ValidationError(f"{meeting_on} cannot be the school committee's meeting date; check the year.",
                                  field="meeting_on")
    chosen = parse_sections(sections)
    today = today or date.today()
    district = load_district(data_file)
    if district is None:
        raise SroDeskError("Set up the district before printing a packet (District > Set Up District).")
    packet = PreparedPacket(
        district=district.name,
        school_year=school_year,
        prepared_on=today.isoformat(),
        meeting_on=meeting_on,
        agenda=[" ".join(line.split()) for line in agenda if line.strip()],
        logo=logo,
        front=[key for key in chosen if key in FRONT],
    )
    # Every count the packet prints comes from one protected release of the year's
    # figures, so the packet is audited as a whole and a count printed twice is one count.
    figures = None
    if any(key in _COUNTED for key in chosen):
        from sro_desk.records.public_figures import year_figures

        figures = year_figures(data_file, school_year, today=today)
    for key in chosen:
        if key in FRONT:
            continue
        gather = _GATHER.get(key)
        if gather is None:
            raise SroDeskError(f"The {SECTIONS[key].lower()} section cannot be printed by this version.")
        if key in _COUNTED:
            packet.sections.append(gather(data_file, school_year, today, figures))
        else:
            packet.sections.append(gather(data_file, school_year, today))
    return packet


def _flowables_section(key: str, title: str, story: list[Flowable]) -> Section:
    def build(out: BinaryIO) -> None:
        common.write_pdf(out, story, title=title, author="", subject=title,
                         watermark=None, footer_left="")

    return Section(key, title, build)


def _gather_summary(data_file, school_year: str, today: date, figures) -> Section:
    from sro_desk.documents.compliance import compliance_story
    from sro_desk.records.law_sources import obligation_kind
    from sro_desk.records.obligations import COMPLAINTS, Obligation, obligations
    from sro_desk.records.public_figures import OVERDUE

    items = obligations(data_file, today=today, school_year=school_year)
    # One line, from the release, instead of a line per late complaint (their number is a
    # count); complaints about an officer still to pass to the police department get a line
    # of their own, without a count, so the late count says only what it counts.
    pending = [o for o in items if o.page == COMPLAINTS and not o.done]
    passing = [o for o in pending if obligation_kind(o.key) in ("complaint_pass_on", "complaints_pass_on_more")]
    late = [o for o in pending if obligation_kind(o.key) in ("complaint", "complaints", "complaints_more")]
    if late:
        items = [o for o in items if o not in late]
        items.append(Obligation("complaints", f"Complaints past their targets: {figures.text(OVERDUE)}; the "
                                "Complaints page lists them.", None, False, COMPLAINTS))
    if passing:
        items = [o for o in items if o not in passing]
        items.append(Obligation("complaints_pass_on", "Complaints about an officer to pass to the police "
                                "department (555 CMR 1.01(1)); the Complaints page lists them.", None, False,
                                COMPLAINTS, urgent=True))
    return _flowables_section("summary", SECTIONS["summary"],
                              compliance_story(items, school_year=school_year, today=today))


def _gather_agreement(data_file, school_year: str, today: date) -> Section:
    from sro_desk.documents.agreement import build_agreement_pdf
    from sro_desk.records import agreements
    from sro_desk.records.agreement_model import attachment, list_agreements

    styles = make_styles()
    found = [a for a in list_agreements(data_file) if a["school_year"] == school_year]
    if not found:
        return _flowables_section("agreement", SECTIONS["agreement"], [
            _title(SECTIONS["agreement"], styles),
            PdfParagraph(escape(f"There is no agreement for {school_year} in the file."), styles.body),
        ])
    rank = {"signed": 0, "filed": 0, "ready": 1, "draft": 2, "superseded": 3}
    chosen = sorted(found, key=lambda a: (rank.get(a["status"], 4), -a["id"]))[0]
    agreement = agreements.load_agreement(data_file, chosen["id"])
    document = agreements.printable(data_file, agreement)
    scan = attachment(data_file, agreement.id)
    appendix, appendix_title = None, ""
    if scan is not None:
        appendix, appendix_title = _scan_pages(*scan), "Signed copy"
    return Section("agreement", SECTIONS["agreement"],
                   lambda out: build_agreement_pdf(document, out),
                   appendix=appendix, appendix_title=appendix_title)


def _gather_selection(data_file, school_year: str, today: date) -> Section:
    from sro_desk.records import selection

    styles = make_styles()
    story: list[Flowable] = [_title(SECTIONS["selection"], styles)]
    rounds = [r for r in selection.list_rounds(data_file) if r["school_year"] == school_year]
    if not rounds:
        story.append(PdfParagraph(escape(f"No SRO was selected for {school_year}."), styles.body))
    for listed in rounds:
        summary = selection.printable_selection(data_file, selection.load_round(data_file, listed["id"]),
                                                today=today)
        story.append(common.heading(summary.title, styles.subheading))
        facts = [
            ["School", summary.school_name or "Every school"],
            ["Opened", summary.opened_on],
            ["Input gathered from", ", ".join(summary.groups) or "no one yet"],
        ]
        if summary.missing_groups:
            facts.append(["Not yet heard", ", ".join(summary.missing_groups)])
        facts.append(["Candidates considered", str(len(summary.candidates))])
        if summary.decision is not None:
            officer, on, reasons, _notes, explanation = summary.decision
            facts += [["Officer assigned", officer], ["Decided on", on],
                      ["Reasons", "; ".join(reasons)]]
            if explanation:
                facts.append(["Chief's explanation", explanation])
        else:
            facts.append(["Decision", "not yet made"])
        story.append(_facts(facts, styles))
    story.append(Spacer(1, 6))
    story.append(PdfParagraph(
        "Candidates' disclosures, scores and comments are kept out of the packet.", styles.note))
    return _flowables_section("selection", SECTIONS["selection"], story)


def _gather_training(data_file, school_year: str, today: date) -> Section:
    from sro_desk.records import training
    from sro_desk.records.officers import list_officers

    styles = make_styles()
    requirement = training.requirement_for(data_file, school_year)
    story: list[Flowable] = [
        _title(SECTIONS["training"], styles),
        PdfParagraph(escape(
            f"Each SRO must complete {training.hours_text(requirement.quarter_hours)} hours of training "
            f"in {school_year}, covering the required topics. {requirement.source}"), styles.body),
    ]
    sros = list_officers(data_file, sros_only=True)
    if not sros:
        story.append(PdfParagraph("No SRO is recorded in the file.", styles.body))
    rows = [["Officer", "Hours", "Required topics", "Status"]]
    for officer in sros:
        status = training.training_status(data_file, officer.id, school_year, today=today)
        missing = [training.REQUIRED_TOPICS.get(t, t) for t in status.topics_missing]
        rows.append([
            officer.name,
            f"{training.hours_text(status.done_quarters)} of {training.hours_text(requirement.quarter_hours)}",
            "all covered" if not missing else "missing " + ", ".join(missing),
            "Complete" if status.complete else (
                f"{status.days_left} days left" if status.days_left > 0 else "Not complete"),
        ])
    if len(rows) > 1:
        story.append(_table(rows, (1.9, 1.0, 2.6, 1.2), styles))
    for alert in training.certification_alerts(data_file, today=today):
        story.append(PdfParagraph(escape("\u26a0 " + alert), styles.body))
    return _flowables_section("training", SECTIONS["training"], story)


def _gather_complaints(data_file, school_year: str, today: date, figures) -> Section:
    from sro_desk.records import complaints
    from sro_desk.records.disclosure import NOT_SHOWN

    styles = make_styles()
    numbers = figures.complaints
    release = figures.release
    _, notice = complaints.notice_status(data_file, school_year, today=today)
    told, on_time = release.value(numbers.told), release.value(numbers.on_time)
    facts = [
        ["Complaints and concerns received", figures.text(numbers.all)],
        [f"Complainants told the outcome within {numbers.resolve_days} days",
         f"{on_time} of {told}" if told is not None and on_time is not None else NOT_SHOWN],
        [f"Still open past {numbers.resolve_days} days", figures.text(numbers.open_late)],
    ]
    if told is not None and numbers.median_days is not None:
        facts.insert(2, ["Median days to telling the outcome", f"{numbers.median_days:g}"])
    story: list[Flowable] = [
        _title(SECTIONS["complaints"], styles),
        PdfParagraph(escape(notice), styles.body),
        _facts(facts, styles),
    ]
    for title, counts in (("By kind", numbers.by_category), ("By finding", numbers.by_finding),
                          ("About", numbers.by_subject)):
        story.append(common.heading(title, styles.subheading))
        rows = [[title, "Complaints"]] + [[label, figures.text(key)] for label, key in counts]
        story.append(_table(rows, (4.0, 1.5), styles))
    story.append(PdfParagraph(escape(
        f"No complainant is named. Counts below {figures.threshold} (zero included) print as "
        f"\"{NOT_SHOWN}\", and so do counts from which one could be worked out, so that no one "
        "can be recognized."), styles.note))
    return _flowables_section("complaints", SECTIONS["complaints"], story)


def _gather_enforcement(data_file, school_year: str, today: date, figures) -> Section:
    from sro_desk.documents.enforcement import build_enforcement_pdf
    from sro_desk.records.enforcement_reports import printable_enforcement

    report = printable_enforcement(data_file, school_year, today=today, figures=figures)
    return Section("enforcement", SECTIONS["enforcement"], lambda out: build_enforcement_pdf(report, out))


def _gather_review(data_file, school_year: str, today: date, figures) -> Section:
    from sro_desk.documents.review import build_review_pdf
    from sro_desk.records.review import printable_review

    try:
        review = printable_review(data_file, school_year, public=True, today=today, figures=figures)
    except SroDeskError:  # no review and no records for the year: say so in the packet
        styles = make_styles()
        return _flowables_section("review", SECTIONS["review"], [
            _title(SECTIONS["review"], styles),
            PdfParagraph(escape(f"No end-of-year review has been recorded for {school_year}."), styles.body),
        ])
    return Section("review", SECTIONS["review"], lambda out: build_review_pdf(review, out))


def _gather_minutes(data_file, school_year: str, today: date) -> Section:
    from sro_desk.documents.minutes import build_minutes_pdf, printable_minutes

    minutes = printable_minutes(data_file, school_year, public=True, today=today)
    return Section("minutes", SECTIONS["minutes"], lambda out: build_minutes_pdf(minutes, out))


#: Sections that print counts of students' actions or complaints (from one release).
_COUNTED = {"summary", "complaints", "enforcement", "review"}
_GATHER: dict[str, Callable[..., Section]] = {
    "summary": _gather_summary,
    "agreement": _gather_agreement,
    "selection": _gather_selection,
    "training": _gather_training,
    "complaints": _gather_complaints,
    "enforcement": _gather_enforcement,
    "review": _gather_review,
    "minutes": _gather_minutes,
}


# -- layout (touches only what was gathered; safe on a worker thread) ----------------------


def build_packet(packet: PreparedPacket, out: Path | BinaryIO, progress: Progress = lambda d, t: True) -> int:
    """Lay the packet out into ``out``; returns its number of pages."""
    from pypdf import PdfReader, PdfWriter

    total_steps = len(packet.sections) + 2
    built: list[tuple[Section, bytes]] = []
    token = common.footers_wanted.set(False)
    try:
        for step, section in enumerate(packet.sections):
            check_progress(progress, step, total_steps)
            buffer = io.BytesIO()
            section.build(buffer)
            built.append((section, buffer.getvalue()))
        check_progress(progress, len(packet.sections), total_steps)
        counts = [len(PdfReader(io.BytesIO(data)).pages) + _appendix_pages(section) for section, data in built]
        # The front matter's length moves the page numbers the contents page shows: lay it out
        # until its length settles (it does at once unless the contents run long).
        front_pages = 1 if packet.front else 0
        for _ in range(4):
            starts, page = [], front_pages + 1
            for count in counts:
                starts.append(page)
                page += count
            front = _front_matter(packet, [(s.title, start) for (s, _), start in zip(built, starts)])
            length = len(PdfReader(io.BytesIO(front)).pages) if front else 0
            if length == front_pages:
                break
            front_pages = length
    finally:
        common.footers_wanted.reset(token)
    check_progress(progress, len(packet.sections) + 1, total_steps)

    writer = PdfWriter()
    if front:
        writer.append(PdfReader(io.BytesIO(front)), outline_item="Cover and contents", import_outline=False)
    for section, data in built:
        before = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), outline_item=section.title)
        if section.appendix:
            first = len(writer.pages)
            writer.append(PdfReader(io.BytesIO(section.appendix)), import_outline=False)
            writer.add_outline_item(title=section.appendix_title or "Appendix", page_number=first,
                                    parent=_last_outline(writer))
        assert len(writer.pages) > before
    _stamp_footers(writer, f"School committee packet \u2014 {packet.district} \u2014 {packet.school_year}")
    writer.add_metadata({
        "/Title": common.clean(f"School committee packet {packet.school_year}: SRO program"),
        "/Author": common.clean(packet.district),
        "/Subject": "School Resource Officer program",
        "/Creator": common.CREATOR,
    })
    writer.page_mode = "/UseOutlines"
    pages = len(writer.pages)
    check_progress(progress, total_steps, total_steps)
    if isinstance(out, (str, Path)):
        common.save_atomically(Path(out), writer.write)
    else:
        writer.write(out)
    return pages


def _appendix_pages(section: Section) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(section.appendix)).pages) if section.appendix else 0


def _last_outline(writer):
    root = writer.get_outline_root()
    last = root.get("/Last")
    return last.get_object() if last is not None else None


def _stamp_footers(writer, left: str) -> None:
    """Draw the packet's footer on every page: its title and "Page n of N"."""
    from pypdf import PdfReader

    common.register_fonts()
    total = len(writer.pages)
    left = common.clean(left)
    for number, page in enumerate(writer.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(width, height), initialFontName=common.FONT)
        common.draw_footer(canvas, width, left, number, total)
        canvas.showPage()
        canvas.save()
        page.merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])


def _front_matter(packet: PreparedPacket, starts: list[tuple[str, int]]) -> bytes:
    if not packet.front:
        return b""
    styles = make_styles()
    story: list[Flowable] = []
    if "cover" in packet.front:
        story += _cover(packet, styles)
    if "agenda" in packet.front:
        if story:
            story.append(PageBreak())
        story.append(common.heading("Agenda", styles.heading))
        if packet.agenda:
            for number, item in enumerate(packet.agenda, start=1):
                story.append(PdfParagraph(escape(item), styles.bullet, bulletText=f"{number}."))
        else:
            story.append(PdfParagraph("No agenda was given for this packet.", styles.body))
    if "contents" in packet.front:
        if story:
            story.append(PageBreak())
        story.append(common.heading("Contents", styles.heading))
        rows = [[PdfParagraph(escape(title), styles.cell), PdfParagraph(str(start), styles.cell_right)]
                for title, start in starts]
        table = Table(rows, colWidths=[CONTENT_WIDTH - 0.9 * inch, 0.9 * inch], hAlign="LEFT",
                      style=table_style(("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.Color(0.8, 0.8, 0.8)),
                                        ("VALIGN", (0, 0), (-1, -1), "TOP")))
        story.append(table)
    buffer = io.BytesIO()
    common.write_pdf(buffer, story, title="Packet", author=packet.district, subject="",
                     watermark=None, footer_left="")
    return buffer.getvalue()


def _cover(packet: PreparedPacket, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 1.2 * inch)]
    if packet.logo:
        image = Image(io.BytesIO(packet.logo))
        scale = min(2.2 * inch / image.imageWidth, 1.6 * inch / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        story += [image, Spacer(1, 0.3 * inch)]
    story += [
        PdfParagraph(escape(packet.district), styles.title),
        Spacer(1, 0.2 * inch),
        PdfParagraph("School Resource Officer program", styles.subtitle),
        PdfParagraph(escape(f"Report to the school committee, {packet.school_year}"), styles.subtitle),
        Spacer(1, 0.5 * inch),
    ]
    if packet.meeting_on:
        story.append(PdfParagraph(escape(f"For the meeting of {_long_date(packet.meeting_on)}"), styles.centred))
    story.append(PdfParagraph(escape(f"Prepared on {_long_date(packet.prepared_on)}"), styles.centred))
    return [KeepTogether(story)]


def _title(text: str, styles: Styles) -> Flowable:
    """A section's heading: the packet bookmarks the section itself, so this one is not."""
    return PdfParagraph(escape(text), styles.heading)


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


def _facts(rows: list[list[str]], styles: Styles) -> Table:
    cells = [[PdfParagraph(escape(a), styles.cell_head), PdfParagraph(escape(b), styles.cell)] for a, b in rows]
    return Table(cells, colWidths=[1.9 * inch, CONTENT_WIDTH - 1.9 * inch], hAlign="LEFT",
                 style=table_style(("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))


def _table(rows: list[list[str]], widths: Sequence[float], styles: Styles) -> Table:
    cells = [[PdfParagraph(escape(c), styles.cell_head if i == 0 else styles.cell) for c in row]
             for i, row in enumerate(rows)]
    return data_table(cells, widths)


def _scan_pages(name: str, media: str, data: bytes) -> bytes:
    """The signed copy as clean PDF pages; a copy that cannot be used is a page that says
    so, never a packet that fails (one bad scan must not stop the school committee's)."""
    from pypdf import PdfReader

    from sro_desk.records.attachments import printable

    try:
        media, data = printable(name, media, data)
        pages = data if media == "application/pdf" else _image_pages(data, f"Signed copy: {name}")
        PdfReader(io.BytesIO(pages)).pages[0]  # it opens, and has a page
        return pages
    except Exception as exc:  # a damaged or hostile scan: say so in the packet
        reason = exc.message if isinstance(exc, SroDeskError) else "it is damaged"
        styles = make_styles()
        buffer = io.BytesIO()
        token = common.footers_wanted.set(False)
        try:
            common.write_pdf(buffer, [PdfParagraph(escape(
                f"The scanned signed copy ({name}) could not be included: {reason} Replace it on the "
                "Agreement page (Replace Signed Copy\u2026)."), styles.body)],
                title="Signed copy", author="", subject="", watermark=None, footer_left="")
        finally:
            common.footers_wanted.reset(token)
        return buffer.getvalue()


def _image_pages(data: bytes, caption: str) -> bytes:
    """A scanned image laid on a page of its own, as PDF bytes."""
    styles = make_styles()
    image = Image(io.BytesIO(data))
    room_w, room_h = CONTENT_WIDTH, 8.2 * inch
    scale = min(room_w / image.imageWidth, room_h / image.imageHeight, 1.0)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    buffer = io.BytesIO()
    token = common.footers_wanted.set(False)
    try:
        common.write_pdf(buffer, [PdfParagraph(escape(caption), styles.note), image], title=caption,
                         author="", subject="", watermark=None, footer_left="")
    finally:
        common.footers_wanted.reset(token)
    return buffer.getvalue()

