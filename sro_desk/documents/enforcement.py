"""The enforcement report: school-based arrests, citations and referrals, for the public.

It goes to the annual review and to the school committee, so every count in it is the
protected one the records module hands over: no student is named, immigration status is
never recorded, and hidden counts print as the words "not shown". The report opens with the district, the
year and a plain-language note on privacy; then the two measures the state publishes
(students arrested, students referred, with shares of enrolment) per school and for the
district; a chart of actions by month and one of students by school; every count table;
the rule checks; and the officer's other activity.

The charts are drawn with ``reportlab.graphics`` shapes in the shipped font. A hidden
count draws no bar: a small open circle stands where the bar would be, and the legend says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.validators import isAnything
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import (
    RULE,
    data_table,
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    GREY,
    Styles,
    clean,
    escape,
    heading,
    make_styles,
    write_pdf,
)
from sro_desk.records.disclosure import NOT_SHOWN, PublicTable
from sro_desk.records.enforcement import MEASURES_NOTE
from sro_desk.records.enforcement_reports import PrintableEnforcement

TITLE = "School-based arrests, citations and referrals"
ABOUT_TITLE = "About this report"
HEADLINE_TITLE = "Students arrested and referred"
MONTHLY_TITLE = "Arrests, citations and court referrals by month"
SCHOOLS_TITLE = "Students arrested and referred, by school"
COUNTS_TITLE = "Counts of actions"
RULES_TITLE = "Rule checks"
ACTIVITY_TITLE = "SRO activity"
NO_ACTIVITY = "No activity logged."
NO_SCHOOLS = "No schools recorded."
NOT_SET = "not set"
HEADLINE_HEADERS = (
    "School", "Enrolled", "Students arrested", "Share of enrolment",
    "Students referred (no arrest)", "Share of enrolment",
)
HEADLINE_WIDTHS = (2.33, 0.72, 0.87, 0.87, 0.87, 0.87)
RULE_HEADERS = ("Rule", "Entries flagged", "Acknowledged")
RULE_WIDTHS = (3.83, 1.35, 1.35)
ACTIVITY_HEADERS = ("Activity", "Count")
ARRESTED = "Students arrested"
REFERRED = "Students referred (no arrest)"

#: The width a flowable gets (the page between its margins), in points and in inches.
WIDTH = CONTENT_WIDTH
PAGE_WIDTH = WIDTH / inch
#: The most count columns in one grid (a wider table is printed as several grids, each
#: with the row labels); narrow columns get their headers turned to read upwards.
MAX_COLUMNS = 14
#: A count table with at most this many rows is kept on one page with its title.
KEEP_TOGETHER_ROWS = 16
#: At most this many schools in one school chart; more get further charts.
SCHOOLS_PER_CHART = 18

LIGHT_RULE = colors.Color(0.82, 0.82, 0.82)
TOTAL_TINT = colors.Color(0.9, 0.9, 0.9)
HIDDEN_TINT = colors.Color(1.0, 0.93, 0.78)
HIDDEN_INK = colors.Color(0.6, 0.33, 0.0)
RED = colors.Color(0.7, 0.1, 0.1)
RED_TINT = colors.Color(0.99, 0.9, 0.9)
NOTE_TINT = colors.Color(0.93, 0.95, 0.98)
NOTE_RULE = colors.Color(0.45, 0.55, 0.7)
#: Series colours, distinguishable by most colour-blind readers (Okabe and Ito).
PALETTE = (
    colors.HexColor("#D55E00"),  # vermillion
    colors.HexColor("#0072B2"),  # blue
    colors.HexColor("#009E73"),  # bluish green
    colors.HexColor("#E69F00"),  # orange
    colors.HexColor("#CC79A7"),  # reddish purple
    colors.HexColor("#56B4E9"),  # sky blue
)


def build_enforcement_pdf(report: PrintableEnforcement, out: Path | BinaryIO) -> None:
    """Print the year's enforcement report to ``out``, a path or a binary file."""
    styles = make_styles()
    small = _Small(styles)
    story: list[Flowable] = []
    story += _opening(report, styles, small)
    story += _headline(report, styles, small)
    story += _monthly(report, styles, small)
    story += _schools(report, styles, small)
    story += _counts(report, styles, small)
    story += _rules(report, styles, small)
    story += _activities(report, styles, small)
    label = f"Enforcement report \u2014 {report.school_year}"
    district = " ".join(clean(report.district_name).split())
    write_pdf(
        out,
        story,
        title=label,
        author=report.district_name,
        subject=f"{TITLE}, school year {report.school_year}",
        watermark=None,
        footer_left=f"{label} \u2014 {district}" if district else label,
    )


# -- shared bits -----------------------------------------------------------------------


class _Small:
    """Cell styles for the report's tables, and section headings that do not drag a whole
    table to the next page with them (``CondPageBreak`` keeps them with its first rows)."""

    def __init__(self, styles: Styles) -> None:
        self.cell = ParagraphStyle("enf_cell", styles.cell, fontSize=8.5, leading=10.5)
        self.right = ParagraphStyle("enf_right", self.cell, alignment=TA_RIGHT)
        self.bold = ParagraphStyle("enf_bold", self.cell, fontName=FONT_BOLD)
        self.bold_right = ParagraphStyle("enf_bold_right", self.bold, alignment=TA_RIGHT)
        self.head = ParagraphStyle("enf_head", styles.cell_head, fontSize=8, leading=10)
        self.head_right = ParagraphStyle("enf_head_right", self.head, alignment=TA_RIGHT)
        self.section = ParagraphStyle("enf_section", styles.heading, keepWithNext=False)
        self.sub = ParagraphStyle("enf_sub", styles.subheading, keepWithNext=False)
        self.note = ParagraphStyle("enf_note", styles.note, fontSize=8.5, leading=11)
        self.box = ParagraphStyle("enf_box", styles.body, spaceAfter=4)


def _table(rows: list[list], widths: list[float], *commands: tuple, header: bool = True) -> Table:
    """A table (widths in inches) that repeats its header and splits inside tall rows."""
    return data_table(rows, widths, *commands, header=int(header), header_at_bottom=True)


def _is_hidden(value: object) -> bool:
    """Whether a printed count is hidden ("not shown", "fewer than 6", "Yes, fewer than 6")."""
    text = str(value).strip()
    return text.endswith(NOT_SHOWN) or "fewer than" in text


def _number(value: object, style: ParagraphStyle, *, bold: bool = False, width: float = 0) -> PdfParagraph:
    """A count for a cell: hidden ones print their words, in italics in the marking colour,
    small enough (given the cell's ``width`` in points) that no word is broken."""
    if _is_hidden(value):
        text = str(value)
        if width:
            longest = max(pdfmetrics.stringWidth(w, FONT, 1) for w in text.split())
            size = min(style.fontSize, max(5.5, (width - 6) / longest))
            style = ParagraphStyle(f"{style.name}_hidden_{size:.2f}", style, fontSize=size, leading=size * 1.2)
        return PdfParagraph(f"<i><font color='{HIDDEN_INK.hexval()}'>{escape(text)}</font></i>", style)
    markup = escape(str(value))
    return PdfParagraph(f"<b>{markup}</b>" if bold else markup, style)


def _hidden_range(threshold: int) -> str:
    """'below 6 (zero included)', or '' when nothing is hidden."""
    return "" if int(threshold) <= 1 else f"below {int(threshold)} (zero included)"


def _hidden_note(threshold: int) -> str:
    span = _hidden_range(threshold)
    if not span:
        return "No counts are hidden in this report (the threshold is set to 1)."
    return (
        f"<i><font color='{HIDDEN_INK.hexval()}'>{NOT_SHOWN}</font></i>: a count {span}, or a larger "
        "count hidden with it so that no small count can be worked out from what is printed."
    )


def _fitted(style: ParagraphStyle, texts: list[str], width: float, smallest: float = 6.0) -> ParagraphStyle:
    """``style`` made small enough that the longest word of ``texts`` fits ``width`` points
    (headers then wrap between words; a word too long even at ``smallest`` is broken)."""
    words = [word for text in texts for word in clean(text).split()] or [""]
    longest = max(pdfmetrics.stringWidth(word, style.fontName, 1) for word in words)
    size = style.fontSize if longest == 0 else min(style.fontSize, max(smallest, width / longest))
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}_{size:.2f}", style, fontSize=size, leading=size * 1.25)


def _shorten(text: str, width: float, font: str, size: float) -> str:
    """``text`` on one line, cut with an ellipsis to fit ``width`` points (for charts)."""
    text = " ".join(clean(text).split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# -- the opening -----------------------------------------------------------------------


def _opening(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    facts = [
        ("School district", escape(report.district_name) or "(no district named)"),
        ("School year", escape(report.school_year)),
        ("Prepared on", escape(report.prepared_on)),
    ]
    table = _table(
        [[PdfParagraph(label, styles.cell_head), PdfParagraph(value, styles.cell)] for label, value in facts],
        [1.8, PAGE_WIDTH - 1.8],
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        header=False,
    )
    threshold = int(report.threshold)
    span = _hidden_range(threshold)
    if span:
        hiding = (
            f"To protect students in small groups, every count {span} is printed as "
            f"<i>{NOT_SHOWN}</i>, and so are enough other counts that no hidden count can be "
            "worked out from the totals or from the other tables in this report. Every school, "
            "month and group is listed, so a hidden count may be 0. The threshold is "
            f"{threshold} (the state uses 6)."
        )
    else:
        hiding = (
            "The threshold for hiding small counts is set to 1, so no count is hidden in this "
            "report (the state uses 6)."
        )
    note = [
        "No student is named in this report, and immigration status is never recorded.",
        hiding,
        escape(MEASURES_NOTE) + " A student counts once however many actions there were; the "
        "charts and count tables count actions.",
    ]
    box = _table(
        [[PdfParagraph(sentence, small.box)] for sentence in note],
        [PAGE_WIDTH],
        ("BOX", (0, 0), (-1, -1), 1, NOTE_RULE),
        ("BACKGROUND", (0, 0), (-1, -1), NOTE_TINT),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, 0), 7),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
        header=False,
    )
    return [
        PdfParagraph(TITLE, styles.title),
        PdfParagraph(f"School year {escape(report.school_year)}", styles.subtitle),
        Spacer(1, 0.1 * inch),
        table,
        Spacer(1, 0.2 * inch),
        heading(ABOUT_TITLE, small.section, level=0),
        box,
        Spacer(1, 0.2 * inch),
    ]


# -- the headline measures -------------------------------------------------------------


def _share(share: str, count: str) -> str:
    """The share cell: hidden beside a hidden count, a dash where enrolment is not set."""
    if _is_hidden(count):
        return NOT_SHOWN
    return share if str(share).strip() else "\u2014"


def _headline(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(1.8 * inch), heading(HEADLINE_TITLE, small.section, level=0)]
    if not report.headline:
        return story + [PdfParagraph(NO_SCHOOLS, styles.body), Spacer(1, 0.15 * inch)]
    rows: list[list] = [[
        PdfParagraph(text, small.head if number == 0 else small.head_right)
        for number, text in enumerate(HEADLINE_HEADERS)
    ]]
    marks: list[tuple] = []
    last = len(report.headline)
    for number, (school, enrolled, arrested, arrested_share, referred, referred_share) in enumerate(
        report.headline, start=1
    ):
        bold = number == last
        cells = [
            enrolled if str(enrolled).strip() else NOT_SET,
            arrested, _share(arrested_share, arrested),
            referred, _share(referred_share, referred),
        ]
        row = [PdfParagraph(escape(school), small.bold if bold else small.cell)]
        for column, value in enumerate(cells, start=1):
            row.append(_number(value, small.bold_right if bold else small.right, bold=bold))
            if _is_hidden(value):
                marks.append(("BACKGROUND", (column, number), (column, number), HIDDEN_TINT))
        rows.append(row)
    table = _table(
        rows, list(HEADLINE_WIDTHS),
        ("BACKGROUND", (0, last), (-1, last), TOTAL_TINT),
        ("LINEABOVE", (0, last), (-1, last), 0.8, colors.black),
        *marks,
    )
    notes = [_hidden_note(report.threshold)]
    if any(not str(row[1]).strip() for row in report.headline):
        notes.append(f"\u2014 no share: enrolment is {NOT_SET} for that school and year.")
    return story + [
        table,
        Spacer(1, 4),
        PdfParagraph(" ".join(notes), small.note),
        Spacer(1, 0.15 * inch),
    ]


# -- charts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartBar:
    """One bar drawn: which series and category, the value it shows, and its shape."""

    series: str
    category: int
    value: int
    rect: Rect


class Chart(Drawing):
    """A drawing that remembers its bars and its markers (hidden values), for checks."""

    _attrMap = AttrMap(
        BASE=Drawing,
        bars=AttrMapValue(isAnything, desc="the ChartBar for each bar drawn"),
        markers=AttrMapValue(isAnything, desc="(series, category) where a hidden value stands"),
    )

    def __init__(self, width: float, height: float) -> None:
        super().__init__(width, height)
        # The renderer would otherwise start from Helvetica, which is never embedded.
        self.initialFontName = FONT
        self.bars: list[ChartBar] = []
        self.markers: list[tuple[str, int]] = []


def _colour(number: int) -> colors.Color:
    return PALETTE[number % len(PALETTE)]


def _step(top: float) -> int:
    """A round tick step giving at most five steps up to ``top``."""
    top = max(1.0, float(top))
    magnitude = 10 ** int(math.floor(math.log10(top)))
    for factor in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        step = max(1, int(round(factor * magnitude)))
        if top / step <= 5:
            return step
    return int(10 * magnitude)


def _scale_top(values: list[int]) -> tuple[int, int]:
    """The axis's top and its tick step for counts up to max(values)."""
    step = _step(max([*values, 4]))
    return step * max(1, math.ceil(max([*values, 4]) / step)), step


def _legend(drawing: Chart, names: list[str], y: float, *, threshold: int, hidden: bool) -> None:
    """Swatches and names along the top, and, if anything is hidden, what the circle means."""
    size = 7.5
    note = ""
    span = _hidden_range(threshold)
    if hidden and span:
        note = f"\u25cb {NOT_SHOWN}: no bar drawn"
    note_width = pdfmetrics.stringWidth(note, FONT, 7) if note else 0
    room = drawing.width - note_width - 12
    each = max(40.0, room / max(1, len(names)))
    x = 0.0
    for number, name in enumerate(names):
        drawing.add(Rect(x, y - 1, 8, 8, fillColor=_colour(number), strokeColor=None))
        text = _shorten(name, each - 24, FONT, size)
        drawing.add(String(x + 11, y, text, fontName=FONT, fontSize=size, fillColor=colors.black))
        x += pdfmetrics.stringWidth(text, FONT, size) + 24
    if note:
        drawing.add(String(drawing.width, y, note, fontName=FONT, fontSize=7, fillColor=HIDDEN_INK,
                           textAnchor="end"))


def _marker(drawing: Chart, x: float, y: float, colour: colors.Color, *, anchor: str = "middle") -> None:
    drawing.add(String(x, y, "\u25cb", fontName=FONT_BOLD, fontSize=8, fillColor=colour,
                       textAnchor=anchor))


def _month_labels(months: list[str]) -> list[tuple[str, str]]:
    """('Jul', '2025') for 'Jul 2025'; the year only under the first month and each January."""
    labels = []
    previous_year = None
    for label in months:
        parts = " ".join(clean(label).split()).split(" ")
        month = (parts[0] if "\u2013" in parts[0] else parts[0][:3]) if parts else ""
        year = parts[-1] if len(parts) > 1 else ""
        labels.append((month, year if year != previous_year else ""))
        previous_year = year
    return labels


def monthly_chart(report: PrintableEnforcement) -> Chart:
    """Grouped bars: each series (arrests, citations, court referrals) month by month.

    A zero draws nothing; a hidden value (None) draws no bar and a small circle in the
    series' colour where the bar would stand. The drawing's ``bars`` and ``markers`` list them.
    """
    names = list(report.series)
    months = list(report.months)
    count = max(len(months), max((len(values) for values in report.series.values()), default=0), 1)
    values_shown = [v for values in report.series.values() for v in values if v is not None]
    hidden = any(v is None for values in report.series.values() for v in values)
    top, step = _scale_top(values_shown)

    chart = Chart(WIDTH, 2.9 * inch)
    left, right, bottom = 30.0, WIDTH - 4, 30.0
    plot_top = chart.height - 26
    height = plot_top - bottom
    _legend(chart, names, chart.height - 10, threshold=report.threshold, hidden=hidden)

    for tick in range(0, top + 1, step):
        y = bottom + height * tick / top
        chart.add(Line(left, y, right, y, strokeColor=LIGHT_RULE if tick else colors.black,
                       strokeWidth=0.4 if tick else 0.8))
        chart.add(String(left - 4, y - 2.5, str(tick), fontName=FONT, fontSize=7,
                         fillColor=GREY, textAnchor="end"))

    group = (right - left) / count
    bar = min(14.0, group * 0.78 / max(1, len(names)))
    for month, (short, year) in enumerate(_month_labels(months)):
        centre = left + group * (month + 0.5)
        chart.add(String(centre, bottom - 10, _shorten(short, group - 2, FONT, 7.5), fontName=FONT,
                         fontSize=7.5, fillColor=colors.black, textAnchor="middle"))
        if year:
            chart.add(String(centre, bottom - 19, _shorten(year, 2 * group - 4, FONT, 6.5), fontName=FONT,
                             fontSize=6.5,
                             fillColor=GREY, textAnchor="middle"))
    grouped_bars(chart, names, report.series, [_colour(n) for n in range(len(names))],
                 left=left, group=group, bar=bar, bottom=bottom, height=height, top=top)
    return chart


def grouped_bars(chart: Chart, names: list[str], series: dict, colours: list, *, left: float, group: float,
                 bar: float, bottom: float, height: float, top: int, count: int | None = None) -> None:
    """One bar per series in each category's group, its value above it; a hidden value
    (None) draws a marker instead of a bar. Every bar and marker is recorded on the chart."""
    for number, name in enumerate(names):
        colour = colours[number]
        for category, value in enumerate(series[name][:count]):
            x = left + group * (category + 0.5) + bar * (number - len(names) / 2)
            if value is None:
                _marker(chart, x + bar / 2, bottom + 2, colour)
                chart.markers.append((name, category))
                continue
            if not value:
                continue
            rect = Rect(x, bottom, bar, height * value / top, fillColor=colour, strokeColor=None)
            chart.add(rect)
            chart.bars.append(ChartBar(name, category, int(value), rect))
            chart.add(String(x + bar / 2, bottom + rect.height + 2, str(value), fontName=FONT,
                             fontSize=6, fillColor=colors.black, textAnchor="middle"))


def _count(value: object) -> int | None:
    """A headline count as a number; None when hidden or not a number."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def schools_charts(report: PrintableEnforcement) -> list[Chart]:
    """Horizontal bars: students arrested and students referred, school by school (the
    district's own row left out), as many charts as it takes to fit the page."""
    schools = report.headline[:-1] if len(report.headline) > 1 else []
    counts = [_count(row[2]) for row in schools] + [_count(row[4]) for row in schools]
    top, step = _scale_top([c for c in counts if c is not None])
    chunks = [schools[i:i + SCHOOLS_PER_CHART] for i in range(0, len(schools), SCHOOLS_PER_CHART)]
    return [_schools_chart(chunk, top, step, report.threshold) for chunk in chunks]


def _schools_chart(schools: list[tuple], top: int, step: int, threshold: int) -> Chart:
    band, bar = 30.0, 10.0
    legend_room, axis_room = 22.0, 20.0
    chart = Chart(WIDTH, legend_room + band * len(schools) + axis_room)
    left, right, bottom = 1.9 * inch, WIDTH - 24, axis_room
    plot_top = bottom + band * len(schools)
    hidden = any(_is_hidden(row[2]) or _is_hidden(row[4]) for row in schools)
    _legend(chart, [ARRESTED, REFERRED], chart.height - 10, threshold=threshold, hidden=hidden)
    for tick in range(0, top + 1, step):
        x = left + (right - left) * tick / top
        chart.add(Line(x, bottom, x, plot_top, strokeColor=LIGHT_RULE if tick else colors.black,
                       strokeWidth=0.4 if tick else 0.8))
        chart.add(String(x, bottom - 10, str(tick), fontName=FONT, fontSize=7, fillColor=GREY,
                         textAnchor="middle"))
    for number, row in enumerate(schools):
        band_top = plot_top - band * number
        name = _shorten(str(row[0]) or "(no name)", left - 8, FONT, 7.5)
        chart.add(String(left - 6, band_top - band / 2 - 2.5, name, fontName=FONT, fontSize=7.5,
                         fillColor=colors.black, textAnchor="end"))
        for series, (label, value) in enumerate(((ARRESTED, row[2]), (REFERRED, row[4]))):
            y = band_top - 5 - bar * (series + 1)
            colour = _colour(series)
            count = _count(value)
            if _is_hidden(value) or count is None:
                _marker(chart, left + 3, y + 1, colour, anchor="start")
                chart.markers.append((label, number))
                continue
            length = (right - left) * count / top
            if count:
                rect = Rect(left, y, length, bar, fillColor=colour, strokeColor=None)
                chart.add(rect)
                chart.bars.append(ChartBar(label, number, count, rect))
            chart.add(String(left + length + 3, y + 2.5, str(count), fontName=FONT, fontSize=7,
                             fillColor=colors.black))
    return chart


def _monthly(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    by_quarter = any("\u2013" in month for month in report.months)
    title = MONTHLY_TITLE.replace("month", "quarter") if by_quarter else MONTHLY_TITLE
    values = [v for series in report.series.values() for v in series]
    if not report.months or all(v is None for v in values):
        # Nothing by date could be printed: say so in words, never an empty chart.
        return [CondPageBreak(1.2 * inch), heading(title, small.section, level=0),
                PdfParagraph("Not shown: too few actions were recorded to show them by date without "
                             "risk of identifying a student. The year's totals are in the tables below.",
                             styles.body),
                Spacer(1, 0.2 * inch)]
    caption = (
        f"Actions counted by the {'quarter' if by_quarter else 'month'} they happened in: arrests; "
        "citations and tickets; and court referrals. A period with none draws no bar."
    )
    return [
        CondPageBreak(3.9 * inch),
        heading(title, small.section, level=0),
        KeepTogether([monthly_chart(report), Spacer(1, 6), PdfParagraph(caption, small.note)]),
        Spacer(1, 0.2 * inch),
    ]


def _schools(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    charts = schools_charts(report)
    story: list[Flowable] = [CondPageBreak(2.6 * inch), heading(SCHOOLS_TITLE, small.section, level=0)]
    if not charts:
        return story + [PdfParagraph(NO_SCHOOLS, styles.body), Spacer(1, 0.15 * inch)]
    for chart in charts:
        story += [chart, Spacer(1, 6)]
    story += [
        PdfParagraph(
            "The same counts as the table of students arrested and referred, school by school; "
            "the district's totals are in the table.",
            small.note,
        ),
        Spacer(1, 0.2 * inch),
    ]
    return story


# -- the count tables ------------------------------------------------------------------


def _counts(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(2.2 * inch), heading(COUNTS_TITLE, small.section, level=0)]
    story.append(PdfParagraph(
        "Each table counts the year's actions, with a total row and column. "
        + _hidden_note(report.threshold),
        small.note,
    ))
    story.append(Spacer(1, 4))
    for table in report.tables:
        grids: list[Flowable] = []
        for grid in count_grids(table, small):
            grids += [grid, Spacer(1, 8)]
        note = report.table_notes.get(table.title)
        if note:
            grids += [PdfParagraph(escape(note), small.note), Spacer(1, 8)]
        title = heading(table.title, small.sub, level=1)
        if len(table.rows) <= KEEP_TOGETHER_ROWS:  # a short table is not split over pages
            story.append(KeepTogether([title, *grids]))
        else:
            story += [CondPageBreak(1.5 * inch), title, *grids]
    for sentence in report.omitted:
        story.append(PdfParagraph(escape(sentence), small.note))
    return story


def count_grids(table: PublicTable, small: _Small | None = None) -> list[Table]:
    """One count table as printed tables the page's width: the row labels, then at most
    ``MAX_COLUMNS`` count columns a grid (a wider table continues in further grids)."""
    small = small or _Small(make_styles())
    shown = table.shown()
    columns = list(range(len(table.columns)))
    chunks = [columns[i:i + MAX_COLUMNS] for i in range(0, len(columns), MAX_COLUMNS)] or [[]]
    if len(chunks) > 1 and len(chunks[-1]) < 3:  # keep a lone Total with its neighbours
        chunks[-2:] = [chunks[-2][:-2], chunks[-2][-2:] + chunks[-1]]
    return [_grid(table, shown, chunk, small) for chunk in chunks]


class _Rotated(Flowable):
    """A header turned to read upwards, wrapped to ``length`` points, for narrow columns."""

    def __init__(self, markup: str, style: ParagraphStyle, length: float) -> None:
        super().__init__()
        self.paragraph = PdfParagraph(markup, style)
        self.length = length
        self._thickness = 0.0

    def lines(self) -> int:
        """How many lines the header takes (wrapping it if need be)."""
        self.wrap(0, 0)
        return len(self.paragraph.blPara.lines)

    def wrap(self, available_width, available_height):
        _, self._thickness = self.paragraph.wrap(self.length, 10_000)
        widths = self.paragraph.getActualLineWidths0() or [0]
        self.width, self.height = self._thickness, max(widths)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.rotate(90)
        self.paragraph.drawOn(canvas, 0, -self._thickness)
        canvas.restoreState()


#: Lengths (points) a turned header may wrap to, tried shortest first.
_TURNED_LENGTHS = (1.0 * inch, 1.4 * inch, 1.9 * inch, 2.5 * inch)


def _grid(table: PublicTable, shown: list[list[str]], chunk: list[int], small: _Small) -> Table:
    last_row, last_column = len(table.rows) - 1, len(table.columns) - 1
    columns = max(1, len(chunk))
    longest_label = max(
        (pdfmetrics.stringWidth(" ".join(clean(label).split()), FONT_BOLD, small.cell.fontSize)
         for label in table.rows),
        default=0,
    )
    label_width = min(max(0.9, (longest_label + 10) / inch), 1.8, PAGE_WIDTH - 0.38 * columns)
    label_width = max(0.9, label_width)
    cell_width = min(1.1, (PAGE_WIDTH - label_width) / columns)
    labels = [table.columns[c] for c in chunk]

    narrow = cell_width < 0.55
    size = 7.5 if narrow else small.right.fontSize
    right = ParagraphStyle(f"enf_grid_{size}", small.right, fontSize=size, leading=size * 1.25)
    bold_right = ParagraphStyle(f"enf_grid_bold_{size}", right, fontName=FONT_BOLD)
    row_head = ParagraphStyle(f"enf_grid_label_{size}", small.cell, fontSize=size, leading=size * 1.25)
    row_head_bold = ParagraphStyle(f"enf_grid_label_bold_{size}", row_head, fontName=FONT_BOLD)

    head = _fitted(small.head_right, labels, cell_width * inch - 6, smallest=6.5)
    words = [word for label in labels for word in clean(label).split()] or [""]
    fits = max(pdfmetrics.stringWidth(w, head.fontName, head.fontSize) for w in words) <= cell_width * inch - 6
    header: list[Flowable] = []
    if not fits:
        turned = ParagraphStyle("enf_turned", small.head, fontSize=7, leading=8.2)
        room = max(1, int((cell_width * inch - 6) // turned.leading))
        for length in _TURNED_LENGTHS:
            candidates = [_Rotated(escape(label), turned, length) for label in labels]
            if all(candidate.lines() <= room for candidate in candidates):
                header = candidates
                break
    if not header:  # plain headers, wrapped (and words broken) as narrow as need be
        header = [PdfParagraph(escape(label), head) for label in labels]
    rows: list[list] = [[PdfParagraph("", small.head), *header]]
    marks: list[tuple] = []
    for r, label in enumerate(table.rows):
        total_row = r == last_row
        row = [PdfParagraph(escape(label), row_head_bold if total_row else row_head)]
        for position, c in enumerate(chunk, start=1):
            total = total_row or c == last_column
            row.append(_number(shown[r][c], bold_right if total else right, bold=total, width=cell_width * inch))
            if (r, c) in table.hidden:
                marks.append(("BACKGROUND", (position, r + 1), (position, r + 1), HIDDEN_TINT))
        rows.append(row)
    commands: list[tuple] = [
        ("ALIGN", (1, 0), (-1, 0), "RIGHT"),
        ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), TOTAL_TINT),
        ("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 0.8, colors.black),
    ]
    if last_column in chunk:
        position = chunk.index(last_column) + 1
        commands += [
            ("BACKGROUND", (position, 1), (position, -1), TOTAL_TINT),
            ("LINEBEFORE", (position, 0), (position, -1), 0.8, colors.black),
        ]
    return _table(rows, [label_width] + [cell_width] * len(chunk), *commands, *marks)


# -- rule checks and activity ----------------------------------------------------------


def _rules(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(1.6 * inch), heading(RULES_TITLE, small.section, level=0)]
    story.append(PdfParagraph(
        "Every entry is checked against the law and the district's agreement with the police. "
        "A flag stays on the record; an acknowledged flag has a written explanation of why it "
        "happened.",
        small.note,
    ))
    story.append(Spacer(1, 4))
    if not report.rule_checks:
        return story + [PdfParagraph("No rules to check.", styles.body), Spacer(1, 0.15 * inch)]
    rows: list[list] = [[
        PdfParagraph(RULE_HEADERS[0], small.head),
        PdfParagraph(RULE_HEADERS[1], small.head_right),
        PdfParagraph(RULE_HEADERS[2], small.head_right),
    ]]
    marks: list[tuple] = []
    for number, (sentence, flagged, acknowledged) in enumerate(report.rule_checks, start=1):
        rows.append([
            PdfParagraph(escape(sentence), small.cell),
            _number(flagged, small.right),
            _number(acknowledged, small.right),
        ])
        for column, value in ((1, flagged), (2, acknowledged)):
            if _is_hidden(value):
                marks.append(("BACKGROUND", (column, number), (column, number), HIDDEN_TINT))
        if str(flagged).startswith("Yes"):
            marks.append(("LINEBEFORE", (0, number), (0, number), 2.5, RED))
    story += [_table(rows, list(RULE_WIDTHS), *marks), Spacer(1, 0.2 * inch)]
    return story


def _activities(report: PrintableEnforcement, styles: Styles, small: _Small) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(1.2 * inch), heading(ACTIVITY_TITLE, small.section, level=0)]
    if not report.activities:
        return story + [PdfParagraph(NO_ACTIVITY, styles.body)]
    rows: list[list] = [[PdfParagraph(ACTIVITY_HEADERS[0], small.head),
                         PdfParagraph(ACTIVITY_HEADERS[1], small.head_right)]]
    rows += [
        [PdfParagraph(escape(activity), small.cell), _number(count, small.right)]
        for activity, count in report.activities
    ]
    story.append(_table(rows, [4.9, 0.9]))
    story.append(Spacer(1, 4))
    story.append(PdfParagraph(
        "Community-building, presentations, counselling and mentoring contacts, safety "
        "meetings and calls for service the officer logged during the year.",
        small.note,
    ))
    return story
