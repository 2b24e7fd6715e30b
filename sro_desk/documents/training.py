"""One officer's training record for one school year, as a PDF for the annual review.

The record opens with who and which year, then a status box (hours counted against the
requirement, basic-course hours apart, complete or incomplete), the training log, hours
by topic with the agreement's yearly topics marked, and the officer's certifications (the
SRO certification's state and why, and the officer's own POST certification).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import (
    RULE,
    data_table,
    FONT_BOLD,
    GREY,
    Styles,
    escape,
    heading,
    make_styles,
    write_pdf,
)
from sro_desk.records.training import PrintableTraining

TITLE = "SRO training record"
STATUS_TITLE = "Status"
LOG_TITLE = "Training log"
TOPICS_TITLE = "Hours by topic"
CERTIFICATIONS_TITLE = "Certification"
NO_ENTRIES = "No training logged for this year."
NO_CERTIFICATIONS = "No certification recorded."
COMPLETE = "COMPLETE"
INCOMPLETE = "INCOMPLETE"
NOT_COVERED = "Not covered"
BASIC_MARK = "Yes"
LOG_HEADERS = (
    "Date", "Training and provider", "Hours", "Topics", "Basic course",
    "With administrators", "Certificates",
)
#: Widths of the log's columns, in inches (6.7 in all: the page between its margins).
LOG_WIDTHS = (0.76, 1.33, 0.45, 1.29, 0.52, 1.05, 1.3)

GREEN = colors.Color(0.11, 0.45, 0.2)
GREEN_TINT = colors.Color(0.9, 0.96, 0.91)
RED = colors.Color(0.7, 0.1, 0.1)
RED_TINT = colors.Color(0.99, 0.9, 0.9)
AMBER = colors.Color(0.6, 0.38, 0.0)
AMBER_TINT = colors.Color(1.0, 0.95, 0.85)
#: Certification states worth a flag, with the colour and words they print in.
_CERT_FLAGS = {
    "revoked": (RED, RED_TINT, "Revoked"),
    "suspended": (RED, RED_TINT, "Suspended"),
    "lapsed": (RED, RED_TINT, "Lapsed"),
    "conditions overdue": (RED, RED_TINT, "Conditions overdue"),
    "expiring": (AMBER, AMBER_TINT, "Expiring soon"),
    "expiry not recorded": (AMBER, AMBER_TINT, "Expiry not recorded"),
    "conditional": (AMBER, AMBER_TINT, "Conditional"),
    "not yet valid": (AMBER, AMBER_TINT, "Not yet valid"),
}
#: What the "Required" mark means: the agreement's yearly topics, not the statute's.
TOPICS_NOTE = (
    "Required: a topic the agreement in force requires every year. G.L. c. 6, \u00a7 116H lists the "
    "topics of the SRO in-service program but sets no frequency."
)


def build_training_pdf(record: PrintableTraining, out: Path | BinaryIO) -> None:
    """Print ``record`` (one officer, one school year) to ``out``, a path or binary file."""
    styles = make_styles()
    small = _Extra(styles)
    story: list[Flowable] = []
    story += _opening(record, styles)
    story += _status(record, styles)
    story += _log(record, styles, small)
    story += _topics(record, styles, small)
    story += _certifications(record, styles, small)
    label = f"{TITLE} \u2014 {record.officer_name} \u2014 {record.school_year}"
    write_pdf(
        out,
        story,
        title=label,
        author=record.district_name,
        subject=f"Training of {record.officer_name}, school year {record.school_year}",
        watermark=None,
        footer_left=label,
    )


class _Extra:
    """Eight-point cell styles, so the seven-column log fits the page, and section headings."""

    def __init__(self, styles: Styles) -> None:
        self.cell = ParagraphStyle("small_cell", styles.cell, fontSize=8, leading=10)
        self.right = ParagraphStyle("small_right", self.cell, alignment=2)
        self.head = ParagraphStyle("small_head", styles.cell_head, fontSize=7.5, leading=10)
        self.head_right = ParagraphStyle("small_head_right", self.head, alignment=2)
        self.provider = ParagraphStyle("small_provider", self.cell, textColor=GREY)
        #: Section headings that do not drag a whole table to the next page with them
        #: (``CondPageBreak`` keeps them with the table's first rows instead).
        self.heading = ParagraphStyle("section", styles.heading, keepWithNext=False)


def _lines(items: list[str]) -> str:
    """User strings, escaped, one to a line."""
    return "<br/>".join(escape(item) for item in items if str(item).strip())


def _coloured(markup: str, colour: colors.Color, *, bold: bool = True) -> str:
    text = f"<font color='{colour.hexval()}'>{markup}</font>"
    return f"<b>{text}</b>" if bold else text


def _table(rows: list[list], widths: tuple[float, ...], *commands: tuple, header: bool = True) -> Table:
    """A table the page's width that splits inside over-long rows rather than failing."""
    return data_table(rows, widths, *commands, header=int(header))


# -- the opening: who, which year ------------------------------------------------------


def _opening(record: PrintableTraining, styles: Styles) -> list[Flowable]:
    officer = escape(record.officer_name) or "(no officer named)"
    facts = [
        ("School district", escape(record.district_name) or "(no district named)"),
        ("Officer", f"<b>{officer}</b>"),
        ("Rank", escape(record.rank) or "not recorded"),
        ("Police department", escape(record.department) or "not recorded"),
        ("School year", escape(record.school_year)),
        ("Prepared on", escape(record.prepared_on)),
    ]
    table = _table(
        [[PdfParagraph(label, styles.cell_head), PdfParagraph(value, styles.cell)]
         for label, value in facts],
        (1.8, 4.9),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        header=False,
    )
    return [
        PdfParagraph(TITLE, styles.title),
        PdfParagraph(f"School year {escape(record.school_year)}", styles.subtitle),
        Spacer(1, 0.1 * inch),
        table,
        Spacer(1, 0.25 * inch),
    ]


# -- the status box --------------------------------------------------------------------


def _status(record: PrintableTraining, styles: Styles) -> list[Flowable]:
    colour, tint = (GREEN, GREEN_TINT) if record.complete else (RED, RED_TINT)
    verdict = COMPLETE if record.complete else INCOMPLETE
    verdict_style = ParagraphStyle(
        "verdict", styles.cell, fontName=FONT_BOLD, fontSize=14, leading=18, textColor=colors.white
    )
    big = ParagraphStyle("hours", styles.cell, fontSize=12, leading=16)
    done, required = escape(record.done_hours), escape(record.required_hours)
    basic = escape(record.basic_hours)
    rows = [
        [PdfParagraph(f"Training requirement: {verdict}", verdict_style)],
        [PdfParagraph(f"<b>{done} of {required} hours</b> counted toward the yearly minimum", big)],
        [PdfParagraph(
            f"Basic SRO course: <b>{basic} hours</b>, listed separately; "
            "they do not count toward the minimum.",
            styles.cell,
        )],
        [PdfParagraph(escape(record.requirement_source), styles.cell)],
        [PdfParagraph(f"<b>{escape(record.status_sentence)}</b>", styles.cell)],
    ]
    box = _table(
        rows,
        (6.7,),
        ("BOX", (0, 0), (-1, -1), 1.5, colour),
        ("BACKGROUND", (0, 0), (-1, 0), colour),
        ("BACKGROUND", (0, 1), (-1, -1), tint),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, 0), 5),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
        ("TOPPADDING", (0, 1), (-1, 1), 7),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        header=False,
    )
    return [heading(STATUS_TITLE, styles.heading, level=0), box, Spacer(1, 0.2 * inch)]


# -- the log ---------------------------------------------------------------------------


def _log(record: PrintableTraining, styles: Styles, small: _Extra) -> list[Flowable]:
    room = 1.6 if record.entries else 0.7  # for the heading and what follows it
    story: list[Flowable] = [CondPageBreak(room * inch), heading(LOG_TITLE, small.heading, level=0)]
    if not record.entries:
        story += [PdfParagraph(NO_ENTRIES, styles.body), Spacer(1, 0.15 * inch)]
        return story
    header = [
        PdfParagraph(text, small.head_right if text == "Hours" else small.head) for text in LOG_HEADERS
    ]
    rows: list[list] = [header]
    for entry in record.entries:
        taken_on, title, provider, hours, topics, basic, with_admins, certificates = entry
        training = [PdfParagraph(escape(title), small.cell)]
        if str(provider).strip():
            training.append(PdfParagraph(escape(provider), small.provider))
        rows.append([
            PdfParagraph(escape(taken_on), small.cell),
            training,
            PdfParagraph(escape(hours), small.right),
            PdfParagraph(_lines(topics), small.cell),
            PdfParagraph(f"<b>{BASIC_MARK}</b>" if basic else "", small.cell),
            PdfParagraph(escape(with_admins), small.cell),
            PdfParagraph(_lines(certificates), small.cell),
        ])
    table = _table(rows, LOG_WIDTHS)
    story.append(table)
    if any(entry[5] for entry in record.entries):
        story.append(Spacer(1, 4))
        story.append(PdfParagraph(
            "Entries marked as the basic course are listed for the record; their hours do "
            "not count toward the yearly minimum.",
            styles.note,
        ))
    story.append(Spacer(1, 0.15 * inch))
    return story


# -- hours by topic --------------------------------------------------------------------


def _topics(record: PrintableTraining, styles: Styles, small: _Extra) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(1.6 * inch), heading(TOPICS_TITLE, small.heading, level=0)]
    if not record.hours_by_topic:
        story += [PdfParagraph("No topics recorded.", styles.body), Spacer(1, 0.15 * inch)]
        return story
    rows: list[list] = [[
        PdfParagraph("Topic", styles.cell_head),
        PdfParagraph("<b>Hours</b>", styles.cell_right),
        PdfParagraph("Required", styles.cell_head),
    ]]
    flags: list[tuple] = []
    for number, (label, hours, required) in enumerate(record.hours_by_topic, start=1):
        missing = required and _is_zero(hours)
        if missing:
            mark = _coloured(f"Required \u2014 {NOT_COVERED.lower()}", RED)
            flags.append(("BACKGROUND", (0, number), (-1, number), RED_TINT))
        else:
            mark = "Required" if required else ""
        hours_markup = escape(hours)
        rows.append([
            PdfParagraph(escape(label), styles.cell),
            PdfParagraph(_coloured(hours_markup, RED) if missing else hours_markup, styles.cell_right),
            PdfParagraph(mark, styles.cell),
        ])
    story.append(_table(rows, (3.6, 0.8, 2.3), *flags))
    story.append(Spacer(1, 4))
    story.append(PdfParagraph(
        "An entry that covers several topics counts toward each of them. Basic-course hours "
        "are not counted here. " + TOPICS_NOTE,
        styles.note,
    ))
    story.append(Spacer(1, 0.15 * inch))
    return story


def _is_zero(hours: str) -> bool:
    try:
        return float(str(hours).strip() or "0") == 0
    except ValueError:
        return False


# -- certifications --------------------------------------------------------------------


def _certifications(record: PrintableTraining, styles: Styles, small: _Extra) -> list[Flowable]:
    room = 1.6 if record.certifications else 0.7  # for the heading and what follows it
    story: list[Flowable] = [
        CondPageBreak(room * inch), heading(CERTIFICATIONS_TITLE, small.heading, level=0)
    ]
    if not record.certifications:
        story.append(PdfParagraph(NO_CERTIFICATIONS, styles.body))
        story += _certification_notes(record, styles)
        return story
    rows: list[list] = [[
        PdfParagraph(text, small.head)
        for text in ("Kind", "Number", "Effective", "Expires", "State", "Certificates")
    ]]
    flags: list[tuple] = []
    for number, (kind, cert_number, granted, expires, state, documents) in enumerate(
        record.certifications, start=1
    ):
        flag = _CERT_FLAGS.get(str(state).strip().lower())
        if flag:
            colour, tint, words = flag
            state_markup = _coloured(escape(words), colour)
            flags.append(("BACKGROUND", (0, number), (-1, number), tint))
        else:
            state_markup = escape(str(state).capitalize())
        rows.append([
            PdfParagraph(escape(kind), small.cell),
            PdfParagraph(escape(cert_number) or "\u2014", small.cell),
            PdfParagraph(escape(granted), small.cell),
            PdfParagraph(escape(expires) or "Unknown", small.cell),
            PdfParagraph(state_markup, small.cell),
            PdfParagraph(_lines(documents), small.cell),
        ])
    story.append(_table(rows, (1.85, 1.1, 0.75, 0.75, 0.95, 1.3), *flags))
    story += _certification_notes(record, styles)
    return story


def _certification_notes(record: PrintableTraining, styles: Styles) -> list[Flowable]:
    """Each certification's state and why, and the officer's own POST certification."""
    if not record.certification_notes:
        return []
    return [Spacer(1, 4), PdfParagraph(_lines(record.certification_notes), styles.note)]
