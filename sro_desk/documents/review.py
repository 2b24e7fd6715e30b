"""The end-of-year review of the SRO program, as a PDF for every attendee to keep.

The state's model agreement asks that the SRO, the Chief and the Superintendent meet at
the end of each school year and that every attendee gets a copy of the review; G.L. c. 71,
§ 37P asks the superintendent and the chief to review the SRO's performance every year. The report opens with a
cover (district, year, when the review was held, draft or final, whose copy it is, and a
contents list with page numbers); then the summary, who attended, the program's goals,
the metrics agreed in advance, charts of arrests, citations and court referrals by month
and against earlier years, training, complaints (counts only), community feedback, the
findings on each goal and metric, the SRO's performance, the recommendations on the
assignment with the Chief's explanation, the monthly meetings missed, and a signature
line for each attendee.

``review_story`` gives the flowables alone, so the school-committee packet can embed the
report; ``build_review_pdf`` prints one copy, a copy named for one attendee, or one named
copy per attendee in a single PDF, each numbered "Page n of N" on its own.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.graphics.shapes import Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    GREY,
    RULE,
    Styles,
    bookmarked,
    clean,
    data_table,
    escape,
    heading,
    make_styles,
    outline_title,
    write_pdf,
)

# The numbered canvas and the document template are common.py's own; the review reuses
# them to number each attendee's copy on its own, which ``write_pdf`` cannot do yet.
from sro_desk.documents.common import _NumberedCanvas
from sro_desk.documents.enforcement import (
    HIDDEN_INK,
    LIGHT_RULE,
    PALETTE,
    Chart,
    _month_labels,
    _scale_top,
    _shorten,
    grouped_bars,
)
from sro_desk.errors import SroDeskError

if TYPE_CHECKING:
    from sro_desk.records.review import AssignmentRow, FindingRow, MetricRow, PrintableReview

TITLE = "End-of-year SRO program review"
COVER_TITLE = "Cover"
CONTENTS_TITLE = "Contents"
SUMMARY_TITLE = "Summary"
ATTENDEES_TITLE = "Attendees"
GOALS_TITLE = "Program goals"
METRICS_TITLE = "Metrics"
ENFORCEMENT_TITLE = "Arrests, citations and court referrals"
MONTHLY_TITLE = "By month"
BY_YEAR_TITLE = "Against earlier years"
TRAINING_TITLE = "SRO training"
COMPLAINTS_TITLE = "Complaints"
FEEDBACK_TITLE = "Feedback from the community"
FINDINGS_TITLE = "Findings"
GOAL_FINDINGS_TITLE = "On the program goals"
METRIC_FINDINGS_TITLE = "On the metrics"
PERFORMANCE_TITLE = "The SRO's performance"
ASSIGNMENT_TITLE = "Recommendations on the assignment"
MEETINGS_TITLE = "Monthly meetings missed"
SIGNATURES_TITLE = "Signatures"
#: The sections after the cover, in order: what the contents list names.
SECTIONS = (
    SUMMARY_TITLE, ATTENDEES_TITLE, GOALS_TITLE, METRICS_TITLE, ENFORCEMENT_TITLE,
    TRAINING_TITLE, COMPLAINTS_TITLE, FEEDBACK_TITLE, FINDINGS_TITLE, PERFORMANCE_TITLE,
    ASSIGNMENT_TITLE, MEETINGS_TITLE, SIGNATURES_TITLE,
)

NO_SUMMARY = "No summary was written for this review."
NO_ATTENDEES = "No attendees were recorded for the review meeting."
NO_GOALS = "No program goals were recorded."
NO_METRICS = "No metrics were agreed for this year."
NO_ENFORCEMENT = "No arrests, citations or court referrals were recorded this year."
NOT_BY_DATE = ("Not shown by date: too few actions were recorded to show them by month or quarter "
               "without risk of identifying a student. The year's totals are below.")
NO_EARLIER_YEARS = "No earlier years are recorded to compare with."
NO_TRAINING = "No SRO training was recorded this year."
NO_COMPLAINTS = "No complaints were recorded this year."
NO_FEEDBACK = "No feedback was recorded this year."
NO_FINDINGS = "No findings were recorded yet."
NO_PERFORMANCE = "No assessment of the SRO's performance was written."
NO_ASSIGNMENTS = "No recommendation on the SRO assignment was recorded."
NO_MEETINGS_MISSED = "No monthly meeting between the SRO and a principal was missed."
NO_SIGNERS = "No attendees were recorded, so there is no one to sign yet."
NOT_ENTERED = "Not entered"
NOT_AGREED = "Agreement not recorded"
NOT_RATED = "Not rated"
HIDDEN_LEGEND = "\u25cb not shown, to protect students: no bar drawn"
SIGNATURE_LABEL = "Signature"
DATE_LABEL = "Date"

METRIC_HEADERS = ("Metric", "What it measures", "Target", "This year", "Last year", "Source")
METRIC_WIDTHS = (1.6, 1.45, 1.05, 0.95, 0.7, 0.95)
FINDING_WIDTHS = (2.2, 0.9, 3.6)
FEEDBACK_WIDTHS = (0.85, 1.45, 4.4)
ASSIGNMENT_WIDTHS = (1.55, 2.5, 2.65)
SIGNATURE_WIDTHS = (2.4, 2.7, 0.25, 1.35)

#: The width a flowable gets (the page between its margins), in points and in inches.
WIDTH = CONTENT_WIDTH
PAGE_WIDTH = WIDTH / inch

GREEN = colors.Color(0.11, 0.45, 0.2)
AMBER = colors.Color(0.6, 0.38, 0.0)
AMBER_TINT = colors.Color(1.0, 0.95, 0.85)
RED = colors.Color(0.7, 0.1, 0.1)
NOTE_TINT = colors.Color(0.93, 0.95, 0.98)
NOTE_RULE = colors.Color(0.45, 0.55, 0.7)
RATING_COLOURS = {"met": GREEN, "partly met": AMBER, "not met": RED}


# -- the public calls ------------------------------------------------------------------


def build_review_pdf(
    review: PrintableReview,
    out: Path | str | BinaryIO,
    *,
    copy_for: tuple[str, str] | None = None,
    all_copies: bool = False,
) -> None:
    """Print the review to ``out`` (a path or a binary file): one copy, the copy named for
    ``copy_for`` (name, role), or with ``all_copies`` one named copy per attendee."""
    if all_copies and copy_for is not None:
        raise SroDeskError("Print either one named copy or a copy for every attendee, not both.")
    if all_copies and not review.attendees:
        raise SroDeskError(
            f"No attendees are recorded for the {clean(review.school_year)} review, so there "
            "are no copies to name; add who attended, or print a single copy."
        )
    styles = make_styles()
    watermark = "DRAFT" if _is_draft(review) else None
    title = f"{TITLE} {review.school_year}"
    subject = f"Annual review of the School Resource Officer program, school year {review.school_year}"
    # A first build finds the page each section starts on, for the cover's contents. Every
    # copy is laid out alike (the holder's name is on the cover page only), so one will do.
    pages: dict[str, int] = {}
    first = review.attendees[0] if all_copies else copy_for
    write_pdf(
        io.BytesIO(), review_story(review, styles, copy_for=first, contents=pages),
        title=title, author=review.district, subject=subject, watermark=watermark,
        footer_left="",
    )
    if not all_copies:
        story = review_story(review, styles, copy_for=copy_for, contents=pages)
        write_pdf(
            out, story, title=title, author=review.district, subject=subject,
            watermark=watermark, footer_left=_footer(review, copy_for),
        )
        return
    story = []
    for number, attendee in enumerate(review.attendees):
        story.append(bookmarked(_CopyStart(number, _footer(review, attendee)), _copy_label(attendee)))
        story += review_story(review, styles, copy_for=attendee, level=1, contents=pages)
        if number < len(review.attendees) - 1:
            story.append(PageBreak())
    _write_copies(out, story, title=title, author=review.district, subject=subject, watermark=watermark)


def review_story(
    review: PrintableReview,
    styles: Styles | None = None,
    *,
    copy_for: tuple[str, str] | None = None,
    level: int = 0,
    cover: bool = True,
    contents: dict[str, int] | None = None,
) -> list[Flowable]:
    """The review as flowables, its sections bookmarked at ``level``: to print on its own or
    inside the school-committee packet (``cover=False`` leaves out the cover page).

    ``contents`` maps section titles to the page each starts on, counted from the cover;
    the cover's contents list prints those numbers, and an empty dict is filled in as the
    story is built (so a first build can find them).
    """
    styles = styles or make_styles()
    looks = _Looks(styles)
    sink = contents if contents is not None else {}

    def section(title: str, room: float = 1.3) -> list[Flowable]:
        return [
            CondPageBreak(room * inch),
            heading(title, looks.section, level=level),
            _PageMark(title, sink),
        ]

    story: list[Flowable] = []
    if cover:
        story += _cover(review, looks, copy_for, level, contents, sink)
    story += section(SUMMARY_TITLE) + _text_or(review.summary, NO_SUMMARY, looks)
    story += section(ATTENDEES_TITLE) + _attendees(review, looks)
    story += section(GOALS_TITLE) + _goals(review, looks)
    story += section(METRICS_TITLE, 1.8) + _metrics(review, looks)
    story += section(ENFORCEMENT_TITLE, 3.9) + _enforcement(review, looks, level + 1)
    story += section(TRAINING_TITLE) + _bullets(review.training, NO_TRAINING, looks)
    story += section(COMPLAINTS_TITLE) + _complaints(review, looks)
    story += section(FEEDBACK_TITLE, 1.6) + _feedback(review, looks)
    story += section(FINDINGS_TITLE, 1.8) + _findings(review, looks, level + 1)
    story += section(PERFORMANCE_TITLE) + _text_or(review.performance, NO_PERFORMANCE, looks)
    story += section(ASSIGNMENT_TITLE, 1.6) + _assignments(review, looks)
    story += section(MEETINGS_TITLE) + _meetings_missed(review, looks)
    # the signature lines kept on one page when they fit on one
    signing = min(8.5, 0.9 + 0.9 * len(review.attendees))
    story += section(SIGNATURES_TITLE, signing) + _signatures(review, looks)
    return story


def attendee_named(review: PrintableReview, name: str) -> tuple[str, str]:
    """The attendee (name, role) called ``name`` (case and spacing aside), for a named
    copy; a plain error listing who attended when nobody by that name did."""
    wanted = _key(name)
    for attendee in review.attendees:
        if _key(attendee[0]) == wanted:
            return attendee
    year = clean(review.school_year)
    if not review.attendees:
        raise SroDeskError(
            f"No attendees are recorded for the {year} review, so no copy can be named; "
            "add who attended, or print a copy without a name."
        )
    names = [" ".join(clean(n).split()) for n, _ in review.attendees]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    raise SroDeskError(
        f"'{' '.join(clean(name).split())}' is not among the attendees of the {year} review; "
        f"name one of {listed}."
    )


# -- shared bits -----------------------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(clean(name).split()).casefold()


def _is_draft(review: PrintableReview) -> bool:
    return str(review.status).strip().lower() != "final"


def _copy_label(attendee: tuple[str, str]) -> str:
    """'Copy for NAME, ROLE' on one line, not too long (for bookmarks and footers)."""
    name, role = (outline_title(part, 60) for part in attendee)
    return f"Copy for {name}, {role}" if role else f"Copy for {name}"


def _footer(review: PrintableReview, copy_for: tuple[str, str] | None) -> str:
    """The footer's left side: whose copy first (it must survive being shortened). Each
    part is cut short first: the footer is fitted to the page once per page."""
    parts = [_copy_label(copy_for)] if copy_for else []
    parts.append(f"SRO review {outline_title(review.school_year, 30)}")
    if str(review.prepared_on).strip():
        parts.append(f"Prepared on {outline_title(_long_date(review.prepared_on), 30)}")
    return " \u2014 ".join(parts)


def _label(text: str, width: float, size: float) -> str:
    """Chart text on one line, cut to fit ``width`` points (no page holds more than a few
    hundred characters, so longer text is cut before it is measured)."""
    return _shorten(clean(text)[:400], width, FONT, size)


def _long_date(text: str) -> str:
    """'June 18, 2026' for '2026-06-18'; anything else as it is."""
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        return str(text)
    return f"{day:%B} {day.day}, {day.year}"


class _Looks:
    """The paragraph styles of the review, and section headings that do not drag a whole
    table to the next page with them (``CondPageBreak`` keeps them with its first rows)."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.body = styles.body
        self.bullet = styles.bullet
        self.note = styles.note
        self.cell = ParagraphStyle("rev_cell", styles.cell, fontSize=9, leading=11.5)
        self.bold = ParagraphStyle("rev_bold", self.cell, fontName=FONT_BOLD)
        self.small = ParagraphStyle("rev_small", self.cell, fontSize=8, leading=10, textColor=GREY)
        self.head = ParagraphStyle("rev_head", styles.cell_head, fontSize=8.5, leading=10.5)
        self.right = ParagraphStyle("rev_right", self.cell, alignment=2)
        self.head_right = ParagraphStyle("rev_head_right", self.head, alignment=2)
        self.section = ParagraphStyle("rev_section", styles.heading, keepWithNext=False)
        self.sub = ParagraphStyle("rev_sub", styles.subheading, keepWithNext=False)
        self.box = ParagraphStyle("rev_box", styles.body, spaceAfter=2)


def _table(rows: list[list], widths: tuple[float, ...], *commands: tuple, header: bool = True) -> Table:
    """A table (widths in inches) that repeats its header and splits inside tall rows."""
    return data_table(rows, widths, *commands, header=int(header))


def _markup(text: str) -> str:
    """User text for a ``Paragraph``: escaped, its line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """User text as paragraphs, one per blank-line-separated block."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", clean(text)) if block.strip()]
    return [PdfParagraph(_markup(block), style) for block in blocks]


def _text_or(text: str, empty: str, looks: _Looks) -> list[Flowable]:
    return (_paragraphs(text, looks.body) or [PdfParagraph(empty, looks.body)]) + [Spacer(1, 0.12 * inch)]


def _bullets(items: list[str], empty: str, looks: _Looks) -> list[Flowable]:
    lines = [item for item in items if str(item).strip()]
    if not lines:
        return [PdfParagraph(empty, looks.body), Spacer(1, 0.12 * inch)]
    return [PdfParagraph(_markup(item), looks.bullet, bulletText="\u2022") for item in lines] + [
        Spacer(1, 0.12 * inch)
    ]


def _coloured(markup: str, colour: colors.Color, *, bold: bool = True) -> str:
    text = f"<font color='{colour.hexval()}'>{markup}</font>"
    return f"<b>{text}</b>" if bold else text


def _box(paragraphs: list[Flowable], edge: colors.Color, tint: colors.Color) -> Table:
    """Paragraphs in a tinted, ruled box the page's width."""
    return _table(
        [[paragraph] for paragraph in paragraphs],
        (PAGE_WIDTH,),
        ("BOX", (0, 0), (-1, -1), 1, edge),
        ("BACKGROUND", (0, 0), (-1, -1), tint),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        header=False,
    )


class _PageMark(Flowable):
    """Takes no room; notes in ``sink`` the page the section it follows starts on."""

    def __init__(self, title: str, sink: dict[str, int]) -> None:
        super().__init__()
        self.title, self.sink = title, sink
        self.width = self.height = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        self.sink.setdefault(self.title, self.canv._doctemplate.page)


# -- the cover -------------------------------------------------------------------------


def _cover(
    review: PrintableReview,
    looks: _Looks,
    copy_for: tuple[str, str] | None,
    level: int,
    contents: dict[str, int] | None,
    sink: dict[str, int],
) -> list[Flowable]:
    styles = looks.styles
    district = escape(review.district) or "(no district named)"
    draft = _is_draft(review)
    status = (
        _coloured("Draft", AMBER) + " \u2014 not final yet"
        if draft else _coloured("Final", GREEN)
    )
    held = (
        escape(_long_date(review.held_on)) if str(review.held_on).strip()
        else _coloured("No review meeting has been held yet.", AMBER, bold=False)
    )
    facts = [
        ("School district", district),
        ("School year", escape(review.school_year)),
        ("Review meeting", held),
        ("Status", status),
        ("Prepared on", escape(_long_date(review.prepared_on)) or "not recorded"),
    ]
    table = _table(
        [[PdfParagraph(label, styles.cell_head), PdfParagraph(value, styles.cell)] for label, value in facts],
        (1.8, PAGE_WIDTH - 1.8),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        header=False,
    )
    title = bookmarked(PdfParagraph(TITLE, styles.title), COVER_TITLE, level=level)
    story: list[Flowable] = [
        PdfParagraph(district, styles.subtitle),
        Spacer(1, 0.1 * inch),
        title,
        _PageMark(COVER_TITLE, sink),
        PdfParagraph(f"School year {escape(review.school_year)}", styles.subtitle),
        Spacer(1, 0.15 * inch),
        table,
        Spacer(1, 0.2 * inch),
    ]
    if copy_for is not None:
        name, role = escape(copy_for[0]), escape(copy_for[1])
        copy = ParagraphStyle("rev_copy", looks.box, fontSize=12, leading=16)
        story += [
            _box(
                [
                    PdfParagraph(f"<b>Copy for {name}</b>" + (f", {role}" if role else ""), copy),
                    PdfParagraph(
                        "Every attendee of the review receives a copy of it.", looks.note
                    ),
                ],
                NOTE_RULE, NOTE_TINT,
            ),
            Spacer(1, 0.2 * inch),
        ]
    if draft:
        story += [
            PdfParagraph(
                "This is a draft: its findings and recommendations may still change.",
                ParagraphStyle("rev_draft", looks.body, textColor=AMBER, fontName=FONT_BOLD),
            ),
            Spacer(1, 0.1 * inch),
        ]
    story += [PdfParagraph(CONTENTS_TITLE, styles.subheading), _contents_table(looks, contents), PageBreak()]
    return story


def _contents_table(looks: _Looks, contents: dict[str, int] | None) -> Table:
    rows = []
    for title in SECTIONS:
        page = (contents or {}).get(title)
        rows.append([
            PdfParagraph(title, looks.cell),
            PdfParagraph("" if page is None else str(page), looks.right),
        ])
    return _table(rows, (PAGE_WIDTH - 0.8, 0.8), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT_RULE),
                  header=False)


# -- who came, what the program aims at, what was measured -----------------------------


def _attendees(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    if not review.attendees:
        return [PdfParagraph(NO_ATTENDEES, looks.body), Spacer(1, 0.12 * inch)]
    rows: list[list] = [[PdfParagraph("Name", looks.head), PdfParagraph("Role", looks.head)]]
    rows += [
        [PdfParagraph(escape(name), looks.cell), PdfParagraph(escape(role), looks.cell)]
        for name, role in review.attendees
    ]
    return [_table(rows, (3.0, PAGE_WIDTH - 3.0)), Spacer(1, 0.2 * inch)]


def _goals(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    goals = [goal for goal in review.goals if str(goal).strip()]
    if not goals:
        return [PdfParagraph(NO_GOALS, looks.body), Spacer(1, 0.12 * inch)]
    return [
        PdfParagraph(_markup(goal), looks.bullet, bulletText=f"{number}.")
        for number, goal in enumerate(goals, start=1)
    ] + [Spacer(1, 0.12 * inch)]


def _metrics(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    story: list[Flowable] = []
    if str(review.late_note).strip():
        story += [
            _box([PdfParagraph(f"<b>{_markup(review.late_note)}</b>", looks.box)], AMBER, AMBER_TINT),
            Spacer(1, 0.12 * inch),
        ]
    if review.duty_notes:  # the SRO on duties the model agreement keeps SROs off
        from sro_desk.records.sro_duties import SOURCE_NOTE

        notes = [PdfParagraph(_markup(note), looks.box) for note in review.duty_notes]
        story += [_box([*notes, PdfParagraph(_markup(SOURCE_NOTE), looks.box)], AMBER, AMBER_TINT),
                  Spacer(1, 0.12 * inch)]
    if not review.metrics:
        return story + [PdfParagraph(NO_METRICS, looks.body), Spacer(1, 0.12 * inch)]
    agreements = {_agreement(metric) for metric in review.metrics}
    shared = agreements.pop() if len(agreements) == 1 else None
    if shared:  # said once rather than under every metric
        story.append(PdfParagraph(f"All the metrics were {shared}.", looks.body))
    rows: list[list] = [[
        PdfParagraph(text, looks.head_right if number in (3, 4) else looks.head)
        for number, text in enumerate(METRIC_HEADERS)
    ]]
    for metric in review.metrics:
        rows.append(_metric_row(metric, looks, agreement=not shared))
    story += [
        _table(rows, METRIC_WIDTHS),
        Spacer(1, 4),
        PdfParagraph(
            "Metrics are agreed by the Chief and the Superintendent before the year they "
            "measure. \u201cFrom the file\u201d figures are counted by SRO Desk from the year's "
            "records; \u201cBy hand\u201d figures were entered by the district.",
            looks.note,
        ),
        Spacer(1, 0.12 * inch),
    ]
    return story


def _agreement(metric: MetricRow) -> str:
    """'agreed on June 10, 2025 by NAMES' (markup), or '' when no agreement is recorded."""
    if not str(metric.agreed_on).strip():
        return ""
    agreed = f"agreed on {escape(_long_date(metric.agreed_on))}"
    if str(metric.agreed_by).strip():
        agreed += f" by {escape(metric.agreed_by)}"
    return agreed


def _figure(text: str, looks: _Looks, *, bold: bool = False) -> PdfParagraph:
    """A metric's figure: a short one right-aligned like a number, a long one as text."""
    markup = escape(text)
    if len(" ".join(clean(text).split())) > 10:
        return PdfParagraph(markup, looks.cell)
    return PdfParagraph(f"<b>{markup}</b>" if bold else markup, looks.right)


def _metric_row(metric: MetricRow, looks: _Looks, *, agreement: bool) -> list:
    name = [PdfParagraph(escape(metric.name), looks.bold)]
    if agreement:
        agreed = _agreement(metric)
        name.append(PdfParagraph(
            agreed[0].upper() + agreed[1:] if agreed else _coloured(NOT_AGREED, AMBER, bold=False),
            looks.small,
        ))
    if str(metric.actual).strip():
        actual = _figure(metric.actual, looks, bold=True)
    else:
        actual = PdfParagraph(f"<i>{NOT_ENTERED}</i>", ParagraphStyle("rev_missing", looks.small, alignment=2))
    return [
        name,
        PdfParagraph(_markup(metric.measures), looks.cell),
        PdfParagraph(_markup(metric.target), looks.cell),
        actual,
        _figure(metric.last_year, looks) if str(metric.last_year).strip() else PdfParagraph("\u2014", looks.right),
        PdfParagraph(escape(metric.source), looks.cell),
    ]


# -- charts ----------------------------------------------------------------------------


def bar_chart(
    labels: list[tuple[str, str]],
    series: dict[str, list[int | None]],
    *,
    height: float = 2.7 * inch,
    widest_bar: float = 14.0,
) -> Chart:
    """Grouped bars, one group per label (a first line, and a second under it or ""), one
    bar per series. A zero draws nothing; a hidden value (None) draws no bar but a small circle in
    the series' colour, and the legend says why. ``bars`` and ``markers`` list them."""
    names = list(series)
    count = max(len(labels), max((len(values) for values in series.values()), default=0), 1)
    shown = [v for values in series.values() for v in values if v is not None]
    hidden = any(v is None for values in series.values() for v in values)
    top, step = _scale_top(shown)

    chart = Chart(WIDTH, height)
    left, right, bottom = 30.0, WIDTH - 4, 30.0
    plot_top = chart.height - 26
    span = plot_top - bottom
    _legend(chart, names, chart.height - 10, hidden=hidden)
    for tick in range(0, top + 1, step):
        y = bottom + span * tick / top
        chart.add(Line(left, y, right, y, strokeColor=LIGHT_RULE if tick else colors.black,
                       strokeWidth=0.4 if tick else 0.8))
        chart.add(String(left - 4, y - 2.5, str(tick), fontName=FONT, fontSize=7,
                         fillColor=GREY, textAnchor="end"))
    group = (right - left) / count
    bar = min(widest_bar, group * 0.78 / max(1, len(names)))
    for number, (first, second) in enumerate(labels):
        centre = left + group * (number + 0.5)
        chart.add(String(centre, bottom - 10, _label(first, group - 2, 7.5), fontName=FONT,
                         fontSize=7.5, fillColor=colors.black, textAnchor="middle"))
        if second:
            chart.add(String(centre, bottom - 19, _label(second, 2 * group - 4, 6.5),
                             fontName=FONT, fontSize=6.5, fillColor=GREY, textAnchor="middle"))
    grouped_bars(chart, names, series, [PALETTE[n % len(PALETTE)] for n in range(len(names))],
                 left=left, group=group, bar=bar, bottom=bottom, height=span, top=top, count=count)
    return chart


def _legend(chart: Chart, names: list[str], y: float, *, hidden: bool) -> None:
    """Swatches and names along the top, and, if anything is hidden, what the circle means."""
    size = 7.5
    note_width = pdfmetrics.stringWidth(HIDDEN_LEGEND, FONT, 7) if hidden else 0
    each = max(40.0, (chart.width - note_width - 12) / max(1, len(names)))
    x = 0.0
    for number, name in enumerate(names):
        chart.add(Rect(x, y - 1, 8, 8, fillColor=PALETTE[number % len(PALETTE)], strokeColor=None))
        text = _label(name, each - 24, size)
        chart.add(String(x + 11, y, text, fontName=FONT, fontSize=size, fillColor=colors.black))
        x += pdfmetrics.stringWidth(text, FONT, size) + 24
    if hidden:
        chart.add(String(chart.width, y, HIDDEN_LEGEND, fontName=FONT, fontSize=7,
                         fillColor=HIDDEN_INK, textAnchor="end"))


def monthly_chart(review: PrintableReview) -> Chart:
    """Arrests, citations and court referrals, month by month through the school year."""
    return bar_chart(_month_labels(list(review.month_labels)), dict(review.monthly))


def by_year_chart(review: PrintableReview) -> Chart:
    """The same three counts, this year against up to four earlier years."""
    names = _by_year_names(review)
    series = {name: [counts.get(name) for _, counts in review.by_year] for name in names}
    return bar_chart([(outline_title(year, 30), "") for year, _ in review.by_year], series, height=2.4 * inch,
                     widest_bar=24.0)


def _by_year_names(review: PrintableReview) -> list[str]:
    names = list(review.monthly)
    for _, counts in review.by_year:
        names += [name for name in counts if name not in names]
    return names


def _enforcement(review: PrintableReview, looks: _Looks, level: int) -> list[Flowable]:
    values = [v for counts in review.monthly.values() for v in counts]
    by_quarter = any("\u2013" in label for label in review.month_labels)
    monthly: list[Flowable] = [heading("By quarter" if by_quarter else MONTHLY_TITLE, looks.sub, level=level)]
    if not review.month_labels or (values and all(v is None for v in values)):
        monthly.append(PdfParagraph(NOT_BY_DATE, looks.body))
    elif not any(v is None or v for v in values):
        monthly.append(PdfParagraph(NO_ENFORCEMENT, looks.body))
    else:
        period = "quarter" if by_quarter else "month"
        monthly += [
            monthly_chart(review),
            Spacer(1, 6),
            PdfParagraph(
                f"Actions counted by the {period} they happened in. A {period} with none draws no "
                f"bar; a {period} whose count is not shown draws a small circle instead.",
                looks.note,
            ),
        ]
    story: list[Flowable] = [KeepTogether(monthly)]
    earlier = heading(BY_YEAR_TITLE, looks.sub, level=level)
    if len(review.by_year) <= 1:  # this year alone is no comparison: its totals only
        story += [KeepTogether([earlier, PdfParagraph(NO_EARLIER_YEARS, looks.body)])]
        story += [_by_year_table(review, looks)] if review.by_year else []
    else:
        story += [KeepTogether([earlier, by_year_chart(review)]), Spacer(1, 8), _by_year_table(review, looks)]
    if str(review.suppression_note).strip():
        story += [Spacer(1, 6), PdfParagraph(_markup(review.suppression_note), looks.note)]
    return story + [Spacer(1, 0.15 * inch)]


def _by_year_table(review: PrintableReview, looks: _Looks) -> Table:
    names = _by_year_names(review)
    each = min(1.3, (PAGE_WIDTH - 1.4) / max(1, len(names)))
    rows: list[list] = [[PdfParagraph("School year", looks.head)] + [
        PdfParagraph(escape(outline_title(name, 60)), looks.head_right) for name in names
    ]]
    for year, counts in review.by_year:
        cells = []
        for name in names:
            value = counts.get(name)
            cells.append(PdfParagraph(
                _coloured("<i>not shown</i>", HIDDEN_INK, bold=False) if value is None else escape(str(value)), looks.right
            ))
        rows.append([PdfParagraph(escape(outline_title(year, 30)), looks.cell), *cells])
    return _table(rows, (1.4, *[each] * len(names)))


# -- complaints and feedback -----------------------------------------------------------


def _complaints(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    if not review.complaints:
        return [PdfParagraph(NO_COMPLAINTS, looks.body), Spacer(1, 0.12 * inch)]
    rows = [
        [PdfParagraph(escape(label), looks.cell), PdfParagraph(escape(value), looks.right)]
        for label, value in review.complaints
    ]
    return [
        _table(rows, (4.2, 0.9), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), header=False),
        Spacer(1, 4),
        PdfParagraph("Counts only: no complainant, student or witness is named in this report.", looks.note),
        Spacer(1, 0.12 * inch),
    ]


def _feedback(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    if not review.feedback:
        return [PdfParagraph(NO_FEEDBACK, looks.body), Spacer(1, 0.12 * inch)]
    rows: list[list] = [[PdfParagraph(text, looks.head) for text in ("Date", "From", "Summary")]]
    rows += [
        [
            PdfParagraph(escape(received), looks.cell),
            PdfParagraph(escape(group), looks.cell),
            PdfParagraph(_markup(summary), looks.cell),
        ]
        for received, group, summary in review.feedback
    ]
    return [_table(rows, FEEDBACK_WIDTHS), Spacer(1, 0.15 * inch)]


# -- findings, performance, the assignment ---------------------------------------------


def _rating(rating: str) -> str:
    text = " ".join(clean(rating).split())
    colour = RATING_COLOURS.get(text.lower())
    if not text:
        return f"<i>{_coloured(NOT_RATED, GREY, bold=False)}</i>"
    return _coloured(escape(text), colour) if colour else escape(text)


def _findings(review: PrintableReview, looks: _Looks, level: int) -> list[Flowable]:
    if not review.findings:
        return [PdfParagraph(NO_FINDINGS, looks.body), Spacer(1, 0.12 * inch)]
    story: list[Flowable] = []
    groups = (
        (GOAL_FINDINGS_TITLE, "Goal", [f for f in review.findings if f.kind == "goal"]),
        (METRIC_FINDINGS_TITLE, "Metric", [f for f in review.findings if f.kind == "metric"]),
        ("Other findings", "Subject", [f for f in review.findings if f.kind not in ("goal", "metric")]),
    )
    for title, subject, findings in groups:
        if not findings:
            continue
        rows: list[list] = [[PdfParagraph(text, looks.head) for text in (subject, "Rating", "Finding")]]
        rows += [_finding_row(finding, looks) for finding in findings]
        story += [
            CondPageBreak(1.2 * inch),
            heading(title, looks.sub, level=level),
            _table(rows, FINDING_WIDTHS),
            Spacer(1, 0.1 * inch),
        ]
    return story + [Spacer(1, 0.05 * inch)]


def _finding_row(finding: FindingRow, looks: _Looks) -> list:
    return [
        PdfParagraph(_markup(finding.subject), looks.bold),
        PdfParagraph(_rating(finding.rating), looks.cell),
        PdfParagraph(_markup(finding.finding) or f"<i>{_coloured('No finding written.', GREY, bold=False)}</i>",
                     looks.cell),
    ]


def _chief_decision(row: AssignmentRow) -> str:
    ending = "end" in str(row.recommendation).lower()
    if row.chief_keeps is None:
        decision = _coloured("The Chief has not decided yet.", AMBER, bold=False)
    elif row.chief_keeps:
        decision = "<b>The Chief keeps the assignment.</b>"
    else:
        decision = "<b>The Chief ends the assignment.</b>"
    explanation = str(row.chief_explanation).strip()
    if explanation:
        return f"{decision}<br/>{_markup(row.chief_explanation)}"
    if row.chief_keeps and ending:  # the model agreement asks the Chief to say why
        return decision + "<br/>" + _coloured(
            "The Chief must explain why the assignment continues; no explanation is recorded.", RED
        )
    return decision


def _assignments(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    if not review.assignments:
        return [PdfParagraph(NO_ASSIGNMENTS, looks.body), Spacer(1, 0.12 * inch)]
    rows: list[list] = [[
        PdfParagraph(text, looks.head)
        for text in ("Officer and school", "Recommendation and reason", "The Chief's decision")
    ]]
    for row in review.assignments:
        school = escape(row.school) if str(row.school).strip() else "The whole district"
        reason = _markup(row.reason)
        rows.append([
            [PdfParagraph(escape(row.officer), looks.bold), PdfParagraph(school, looks.small)],
            PdfParagraph(f"<b>{escape(row.recommendation)}</b>" + (f"<br/>{reason}" if reason else ""),
                         looks.cell),
            PdfParagraph(_chief_decision(row), looks.cell),
        ])
    return [
        _table(rows, ASSIGNMENT_WIDTHS),
        Spacer(1, 4),
        PdfParagraph(
            "The Superintendent recommends whether each assignment continues; the Chief "
            "decides, and explains why when keeping an officer the Superintendent recommended "
            "moving.",
            looks.note,
        ),
        Spacer(1, 0.12 * inch),
    ]


# -- meetings and signatures -----------------------------------------------------------


def _meetings_missed(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    missing = [item for item in review.meetings_missing if str(item).strip()]
    if not missing:
        return [PdfParagraph(NO_MEETINGS_MISSED, looks.body), Spacer(1, 0.12 * inch)]
    return [
        PdfParagraph(
            "The SRO and each principal are to meet at least once a month. No meeting is "
            "recorded for these:",
            looks.body,
        ),
        *_bullets(missing, "", looks),
    ]


def _signatures(review: PrintableReview, looks: _Looks) -> list[Flowable]:
    if not review.attendees:
        return [PdfParagraph(NO_SIGNERS, looks.body)]
    story: list[Flowable] = [
        PdfParagraph("Signed by each attendee of the review meeting.", looks.body),
        Spacer(1, 0.1 * inch),
    ]
    for name, role in review.attendees:
        rows = [
            [[PdfParagraph(escape(name), looks.bold), PdfParagraph(escape(role), looks.small)], "", "", ""],
            ["", PdfParagraph(SIGNATURE_LABEL, looks.small), "", PdfParagraph(DATE_LABEL, looks.small)],
        ]
        block = _table(
            rows, SIGNATURE_WIDTHS,
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
            ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
            ("TOPPADDING", (0, 0), (-1, 0), 20),
            header=False,
        )
        story += [KeepTogether([block]), Spacer(1, 0.12 * inch)]
    return story


# -- one PDF holding every attendee's copy ---------------------------------------------


class _CopyStart(Flowable):
    """Takes no room; tells the canvas that the pages from here on are copy ``number``."""

    def __init__(self, number: int, footer: str) -> None:
        super().__init__()
        self.number, self.footer = number, clean(footer)
        self.width = self.height = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        self.canv._review_copy = (self.number, self.footer)


class _CopiesCanvas(_NumberedCanvas):
    """Numbers the pages of each copy on their own ("Page 2 of 9" within its copy), with
    the copy's holder in the footer. The page state it keeps holds the copy marker."""

    def save(self) -> None:
        copies = [state.get("_review_copy", (0, ""))[0] for state in self._held_pages]
        sizes = Counter(copies)
        starts: dict[int, int] = {}
        for page, copy in enumerate(copies, start=1):
            starts.setdefault(copy, page)
        self._copy_pages = [(starts[copy], sizes[copy]) for copy in copies]
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        start, size = self._copy_pages[number - 1]
        self._footer_left = getattr(self, "_review_copy", (0, self._footer_left))[1]
        super()._draw_footer(number - start + 1, size)


def _write_copies(out: Path | str | BinaryIO, story: list[Flowable], *, title: str, author: str,
                  subject: str, watermark: str | None) -> None:
    write_pdf(out, story, title=title, author=author, subject=subject, watermark=watermark,
              footer_left="", canvas_class=_CopiesCanvas)
