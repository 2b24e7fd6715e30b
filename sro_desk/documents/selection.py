"""Selecting the SRO on paper: the chief's summary and the blank input form.

The summary opens with the round (district, school year, school, dates) and the input
gathered, flagging any of the groups the state's model agreement asks to hear
(principals, teachers, parents, students) that were not; then one section per candidate with the scores each
group gave, disclosures and comments; then, once decided, the decision with lines for
the chief and the superintendent to sign.

The input form is for one group to fill in by hand, in the form's own language: every
fixed piece of text comes from the form's JSON, so a translated form prints translated.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
)
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.doctemplate import ActionFlowable

from sro_desk.documents.common import (
    WriteLine,
    RULE,
    data_table,
    Styles,
    clean,
    escape,
    heading,
    make_styles,
    table_style,
    write_pdf,
)
from sro_desk.records.selection import SCALE, PrintableCandidate, PrintableInputForm, PrintableSelection

# -- the summary's words ---------------------------------------------------------------

SUMMARY_TITLE = "SRO selection summary"
INPUT_TITLE = "Input gathered"
DECISION_TITLE = "Decision"
NO_INPUT = "No input has been recorded yet."
NO_SCORES = "No scores recorded for this candidate."
NO_DISCLOSURES = "No disclosures."
NO_COMMENTS = "No comments."
NO_TRAINING = "No training recorded."
NOT_RECORDED = "not recorded"
NOT_DECIDED = "Not decided yet"
OVERALL = "Overall"
INPUT_HEADERS = ("Group", "Date", "Gathered by", "Participants")
DISCLOSURE_HEADERS = ("Relationship", "Description", "Department's decision")
SIGNATORIES = ("Chief of Police", "Superintendent")
SCALE_LEGEND = (
    "Scores run from 1 (poor) to 5 (excellent): "
    + ", ".join(f"{value} {label.lower()}" for value, label in sorted(SCALE.items()))
    + ". Each cell is the group's average score, with the number of scores given in "
    "brackets: 4.5 (3) is an average of 4.5 from three scores. A blank cell means the group "
    "gave no score. The overall row averages every score the group gave the candidate."
)

#: Page-wide widths, in inches, of the portrait page between its margins.
PORTRAIT_WIDTH = 6.7
LANDSCAPE_WIDTH = 9.2
#: The input form turns landscape from this many candidates.
LANDSCAPE_FROM = 5
#: At most this many candidate columns in one grid; more candidates get further grids.
MAX_COLUMNS = 8
#: Blank columns on a form printed before the candidates are known.
BLANK_COLUMNS = 3
COMMENT_LINES = 12
#: The least height of a row of the form's grid: room to write a score by hand.
BOX_HEIGHT = 0.34 * inch

LIGHT_RULE = colors.Color(0.7, 0.7, 0.7)
HEAD_TINT = colors.Color(0.9, 0.9, 0.9)
RED = colors.Color(0.7, 0.1, 0.1)
RED_TINT = colors.Color(0.99, 0.9, 0.9)
AMBER = colors.Color(0.6, 0.38, 0.0)
AMBER_TINT = colors.Color(1.0, 0.95, 0.85)


# -- shared bits -----------------------------------------------------------------------


def _text(text: str) -> str:
    """User text escaped for a paragraph, its own line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _table(rows: list[list], widths: list[float], *commands: tuple, header: int = 1) -> Table:
    """A table (widths in inches) that repeats its header and splits inside tall rows."""
    return data_table(rows, widths, *commands, header=header, padding=4, split_by_row=0)


def _box(markup: str, style: ParagraphStyle, colour: colors.Color, tint: colors.Color,
         width: float = PORTRAIT_WIDTH) -> Table:
    """A flagged paragraph: tinted, with a coloured border."""
    return _table(
        [[PdfParagraph(markup, style)]],
        [width],
        ("BOX", (0, 0), (-1, -1), 1.2, colour),
        ("BACKGROUND", (0, 0), (-1, -1), tint),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        header=0,
    )


def _facts(facts: list[tuple[str, str]], styles: Styles, widths=(1.8, 4.9)) -> Table:
    """Label / value rows; values are markup already escaped."""
    return _table(
        [[PdfParagraph(label, styles.cell_head), PdfParagraph(value, styles.cell)]
         for label, value in facts],
        list(widths),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        header=0,
    )


def _fitted(style: ParagraphStyle, texts: list[str], width: float, smallest: float = 6.5) -> ParagraphStyle:
    """``style`` made small enough that the longest word of ``texts`` fits ``width`` points.

    Column headings such as "Superintendent" then wrap between words rather than inside
    one; a word too long even at ``smallest`` is still broken (the style splits words).
    """
    words = [word for text in texts for word in clean(text).split()] or [""]
    longest = max(pdfmetrics.stringWidth(word, style.fontName, 1) for word in words)
    size = style.fontSize if longest == 0 else min(style.fontSize, max(smallest, width / longest))
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}_{size:.2f}", style, fontSize=size, leading=size * 1.25)


class _Small:
    """Smaller cell styles for wide tables, and headings that do not drag tables along."""

    def __init__(self, styles: Styles) -> None:
        self.cell = ParagraphStyle("sel_cell", styles.cell, fontSize=8.5, leading=10.5)
        self.centre = ParagraphStyle("sel_centre", self.cell, alignment=TA_CENTER)
        self.head = ParagraphStyle("sel_head", styles.cell_head, fontSize=8.5, leading=10.5)
        self.head_centre = ParagraphStyle("sel_head_centre", self.head, alignment=TA_CENTER)
        self.section = ParagraphStyle("sel_section", styles.heading, keepWithNext=False)
        self.sub = ParagraphStyle("sel_sub", styles.subheading, keepWithNext=False)
        self.flag = ParagraphStyle("sel_flag", styles.cell, fontSize=10, leading=14)
        self.group = ParagraphStyle(
            "sel_group", styles.body, fontName=styles.cell_head.fontName, spaceBefore=4,
            spaceAfter=2, keepWithNext=True,
        )


# -- the summary for the chief ---------------------------------------------------------


def build_selection_summary_pdf(summary: PrintableSelection, out: Path | BinaryIO) -> None:
    """Print the selection summary (and the decision, once made) to ``out``."""
    styles = make_styles()
    small = _Small(styles)
    story: list[Flowable] = []
    story += _summary_opening(summary, styles)
    story += _inputs(summary, styles, small)
    for candidate in summary.candidates:
        story.append(PageBreak())
        story += _candidate(candidate, summary, styles, small)
    if summary.decision is not None:
        story.append(PageBreak())
        story += _decision(summary, styles, small)
    label = f"{SUMMARY_TITLE} \u2014 {summary.title}"
    write_pdf(
        out,
        story,
        title=label,
        author=summary.district_name,
        subject=f"Choosing the school resource officer, school year {summary.school_year}",
        watermark=None,
        footer_left=label,
    )


def _summary_opening(summary: PrintableSelection, styles: Styles) -> list[Flowable]:
    decided = summary.decision is not None
    facts = [
        ("School district", escape(summary.district_name) or "(no district named)"),
        ("Selection round", f"<b>{escape(summary.title)}</b>"),
        ("School year", escape(summary.school_year)),
        ("School", escape(summary.school_name) or "District-wide"),
        ("Opened on", escape(summary.opened_on) or NOT_RECORDED),
        ("Candidates", str(len(summary.candidates))),
        ("Status", f"Decided on {escape(summary.decision[1])}" if decided else NOT_DECIDED),
        ("Prepared on", escape(summary.prepared_on)),
    ]
    return [
        PdfParagraph(SUMMARY_TITLE, styles.title),
        PdfParagraph(escape(summary.title), styles.subtitle),
        Spacer(1, 0.1 * inch),
        _facts(facts, styles),
        Spacer(1, 0.25 * inch),
    ]


def _inputs(summary: PrintableSelection, styles: Styles, small: _Small) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(1.6 * inch), heading(INPUT_TITLE, small.section, level=0)]
    if summary.inputs:
        rows: list[list] = [[PdfParagraph(text, small.head) for text in INPUT_HEADERS]]
        rows += [
            [PdfParagraph(_text(value), small.cell) for value in (group, on, by, who)]
            for group, on, by, who in summary.inputs
        ]
        story.append(_table(rows, [1.6, 0.9, 1.6, 2.6]))
    else:
        story.append(PdfParagraph(NO_INPUT, styles.body))
    story.append(Spacer(1, 0.12 * inch))
    if summary.missing_groups:
        missing = ", ".join(escape(group) for group in summary.missing_groups)
        story.append(_box(
            f"<font color='{RED.hexval()}'><b>Input missing from: {missing}.</b></font> "
            "The state's model agreement asks the superintendent to hear principals and "
            "representative groups of teachers, parents and students before the chief assigns "
            "the officer.",
            small.flag, RED, RED_TINT,
        ))
    else:
        story.append(PdfParagraph(
            "Input was gathered from principals, teachers, parents and students, as the state's "
            "model agreement asks.",
            styles.note,
        ))
    story += [Spacer(1, 0.12 * inch), PdfParagraph(escape(SCALE_LEGEND), styles.note)]
    return story


def _candidate(candidate: PrintableCandidate, summary: PrintableSelection, styles: Styles,
               small: _Small) -> list[Flowable]:
    name = candidate.name if candidate.name.strip() else "(no name)"
    story: list[Flowable] = [heading(name, styles.heading, level=0)]
    years = candidate.years_of_service.strip()
    story.append(_facts(
        [
            ("Rank", escape(candidate.rank) or NOT_RECORDED),
            ("Police department", escape(candidate.department) or NOT_RECORDED),
            ("Years of service", escape(years) if years else NOT_RECORDED),
        ],
        styles,
    ))
    story.append(Spacer(1, 0.12 * inch))
    if candidate.recommended_against.strip():
        story.append(_box(
            f"<font color='{RED.hexval()}'><b>The superintendent recommends that this officer "
            f"not serve.</b></font> Reason given: {_text(candidate.recommended_against)}<br/>"
            "If the chief assigns this officer all the same, the chief must explain why in writing.",
            small.flag, RED, RED_TINT,
        ))
        story.append(Spacer(1, 0.08 * inch))

    story.append(PdfParagraph("Training", small.sub))
    lines = [line for line in candidate.training if str(line).strip()]
    if lines:
        story += [PdfParagraph(_text(line), styles.bullet, bulletText="\u2022") for line in lines]
    else:
        story.append(PdfParagraph(NO_TRAINING, styles.body))

    story += [CondPageBreak(1.4 * inch), PdfParagraph("Scores", small.sub)]
    story += _scores(candidate, summary, styles, small)

    story += [CondPageBreak(1.2 * inch), PdfParagraph("Conflict-of-interest disclosures", small.sub)]
    if candidate.disclosures:
        rows: list[list] = [[PdfParagraph(text, small.head) for text in DISCLOSURE_HEADERS]]
        for relationship, description, decision in candidate.disclosures:
            rows.append([
                PdfParagraph(_text(relationship), small.cell),
                PdfParagraph(_text(description), small.cell),
                PdfParagraph(_text(decision) if decision.strip() else
                             f"<i>{NOT_DECIDED}</i>", small.cell),
            ])
        story.append(_table(rows, [1.9, 2.6, 2.2]))
    else:
        story.append(PdfParagraph(NO_DISCLOSURES, styles.body))

    story += [CondPageBreak(1.0 * inch), PdfParagraph("Comments", small.sub)]
    story += _comments(candidate, summary, styles, small)
    return story


def _columns(candidate: PrintableCandidate, summary: PrintableSelection) -> list[str]:
    """The summary's groups, then any group this candidate's scores name that it lacks."""
    columns = list(dict.fromkeys(summary.groups))
    for _label, cells in candidate.score_rows:
        columns += [group for group in cells if group not in columns]
    columns += [group for group in candidate.overall if group not in columns]
    return columns


def _scores(candidate: PrintableCandidate, summary: PrintableSelection, styles: Styles,
            small: _Small) -> list[Flowable]:
    columns = _columns(candidate, summary)
    if not candidate.score_rows or not columns:
        return [PdfParagraph(NO_SCORES, styles.body)]
    label_width = 2.5 if len(columns) <= 4 else 2.0
    cell_width = (PORTRAIT_WIDTH - label_width) / len(columns)
    head = _fitted(small.head_centre, columns, cell_width * inch - 9)
    rows: list[list] = [[PdfParagraph("Criterion", small.head)] + [
        PdfParagraph(escape(group), head) for group in columns
    ]]
    for label, cells in candidate.score_rows:
        rows.append([PdfParagraph(_text(label), small.cell)] + [
            PdfParagraph(escape(cells.get(group, "")), small.centre) for group in columns
        ])
    overall_style = ParagraphStyle("sel_overall", small.centre, fontName=small.head.fontName)
    rows.append([PdfParagraph(OVERALL, small.head)] + [
        PdfParagraph(escape(candidate.overall.get(group, "")), overall_style) for group in columns
    ])
    table = _table(
        rows,
        [label_width] + [cell_width] * len(columns),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, -1), (-1, -1), HEAD_TINT),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.3, RULE),
        ("NOSPLIT", (0, -2), (-1, -1)),  # the overall row never alone on a page
    )
    return [table]


def _comments(candidate: PrintableCandidate, summary: PrintableSelection, styles: Styles,
              small: _Small) -> list[Flowable]:
    comments = [(group, text) for group, text in candidate.comments if str(text).strip()]
    if not comments:
        return [PdfParagraph(NO_COMMENTS, styles.body)]
    order = list(dict.fromkeys(list(summary.groups) + [group for group, _ in comments]))
    story: list[Flowable] = []
    for group in order:
        said = [text for g, text in comments if g == group]
        if not said:
            continue
        story.append(PdfParagraph(f"{escape(group)} ({len(said)})", small.group))
        story += [PdfParagraph(_text(text), styles.bullet, bulletText="\u2022") for text in said]
    return story


def _decision(summary: PrintableSelection, styles: Styles, small: _Small) -> list[Flowable]:
    assert summary.decision is not None
    officer, decided_on, reasons, notes, explanation = summary.decision
    story: list[Flowable] = [heading(DECISION_TITLE, styles.heading, level=0)]
    story.append(_facts(
        [
            ("Officer assigned", f"<b>{escape(officer)}</b>"),
            ("Date of decision", escape(decided_on)),
            ("Selection round", escape(summary.title)),
            ("School", escape(summary.school_name) or "District-wide"),
        ],
        styles,
    ))
    story += [Spacer(1, 0.1 * inch), PdfParagraph("Reasons for the choice", small.sub)]
    listed = [reason for reason in reasons if str(reason).strip()]
    if listed:
        story += [PdfParagraph(_text(reason), styles.bullet, bulletText="\u2022") for reason in listed]
    else:
        story.append(PdfParagraph("No reasons recorded.", styles.body))
    if notes.strip():
        story += [PdfParagraph("Notes", small.sub), PdfParagraph(_text(notes), styles.body)]
    if summary.missing_groups:
        missing = ", ".join(escape(group) for group in summary.missing_groups)
        story.append(PdfParagraph(
            f"<font color='{RED.hexval()}'><b>Decided without input from: {missing}.</b></font>",
            styles.body,
        ))
    against = any(c.name == officer and c.recommended_against.strip() for c in summary.candidates)
    if explanation.strip() or against:
        story.append(PdfParagraph("The chief's explanation", small.sub))
        if against:
            story.append(PdfParagraph(
                "The superintendent recommended that this officer not serve; the chief keeps the "
                "assignment for these reasons:",
                styles.note,
            ))
        story.append(_box(_text(explanation) or f"<i>{NOT_RECORDED}</i>", styles.cell, AMBER, AMBER_TINT))
    story += _signatures(styles)
    return story


def _signatures(styles: Styles) -> list[Flowable]:
    """Signature and date lines for the chief and the superintendent, kept together."""
    gap = Spacer(1, 0.3 * inch)
    blocks: list[Flowable] = [
        PdfParagraph("Signatures", styles.subheading),
        PdfParagraph("The chief of police and the superintendent sign to record the decision.",
                     styles.body),
        Spacer(1, 0.1 * inch),
    ]
    for role in SIGNATORIES:
        blocks.append(Table(
            [
                [PdfParagraph(f"<b>{role}</b>", styles.cell), "", ""],
                [Spacer(1, 0.4 * inch), "", ""],
                [PdfParagraph("Signature", styles.note), "", PdfParagraph("Date", styles.note)],
                [Spacer(1, 0.3 * inch), "", ""],
                [PdfParagraph("Printed name", styles.note), "", ""],
            ],
            colWidths=[3.6 * inch, 0.4 * inch, 2.0 * inch],
            hAlign="LEFT",
            style=table_style(
                ("SPAN", (0, 0), (-1, 0)),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 1), (0, 1), 0.8, colors.black),
                ("LINEBELOW", (2, 1), (2, 1), 0.8, colors.black),
                ("LINEBELOW", (0, 3), (0, 3), 0.8, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ),
        ))
        blocks.append(gap)
    return [CondPageBreak(3.5 * inch), KeepTogether(blocks)]


# -- the blank input form --------------------------------------------------------------


class _PageSize(ActionFlowable):
    """Put first in a story: lays every page out at ``size`` (the first page included).

    ``write_pdf`` builds Letter portrait pages; a wide grid needs them turned. Nothing is
    drawn on the first page before this runs, so its frame and size can still change.
    """

    def __init__(self, size: tuple[float, float]) -> None:
        super().__init__()
        self.size = size

    def apply(self, doc) -> None:
        doc.pagesize = self.size
        doc._calc()  # the frame's width and height from the new size and the margins
        for template in doc.pageTemplates:
            template.pagesize = self.size
            template.frames = [
                Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id=frame.id)
                for frame in template.frames
            ]
        doc.canv.setPageSize(self.size)
        current, doc.frame = doc.frame, doc.pageTemplate.frames[0]
        for name in ("_leftExtraIndent", "_rightExtraIndent", "_frameBGs"):
            if hasattr(current, name):  # set when the frame began; carried to the new one
                setattr(doc.frame, name, getattr(current, name))


class _Grid(Table):
    """The form's grid: every row under the header at least ``BOX_HEIGHT`` tall.

    Set here rather than through ``minRowHeights``, which reportlab drops from the parts
    of a table split over pages.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        head = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        self._minRowHeights = [0] * head + [BOX_HEIGHT] * (self._nrows - head)


def build_selection_input_form_pdf(form: PrintableInputForm, out: Path | BinaryIO) -> None:
    """Print a blank input form for one group, in the form's language, to ``out``."""
    styles = make_styles()
    small = _Small(styles)
    text = form.text
    wide = len(form.candidates) >= LANDSCAPE_FROM
    width = LANDSCAPE_WIDTH if wide else PORTRAIT_WIDTH
    story: list[Flowable] = [_PageSize(landscape(LETTER) if wide else LETTER)]
    story += _form_opening(form, styles, width)
    story += _grids(form, styles, small, width)
    story += _legend(text, styles, small)
    story += _comment_lines(text, styles, width)
    story += _about_you(text, styles, width)
    story += [Spacer(1, 0.2 * inch), PdfParagraph(_text(text.get("closing", "")), styles.centred)]
    label = f"{form.title} \u2014 {form.group}"
    write_pdf(
        out,
        story,
        title=label,
        author=form.district_name,
        subject=label,
        watermark=None,
        footer_left=label,
    )


def _form_opening(form: PrintableInputForm, styles: Styles, width: float) -> list[Flowable]:
    text = form.text
    story: list[Flowable] = [PdfParagraph(escape(form.title), styles.title)]
    place = " \u00b7 ".join(escape(part) for part in (form.district_name, form.school_year) if part.strip())
    if place:
        story.append(PdfParagraph(place, styles.subtitle))
    story.append(PdfParagraph(f"<b>{escape(form.group)}</b>", styles.subtitle))
    story.append(Spacer(1, 0.12 * inch))
    for key in ("intro", "how_to"):
        if str(text.get(key, "")).strip():
            story.append(PdfParagraph(_text(text[key]), styles.body))
    story.append(Spacer(1, 0.08 * inch))
    return story


def _candidate_heads(form: PrintableInputForm, small: _Small, column: float) -> list[list[Flowable]]:
    """One header cell per column: the candidate's name, or a numbered blank to fill in."""
    if form.candidates:
        head = _fitted(small.head_centre, form.candidates, column - 9)
        return [[PdfParagraph(escape(name), head)] for name in form.candidates]
    blank = form.text.get("blank_candidate", "")
    return [
        [PdfParagraph(f"{escape(blank)} {number}", small.head_centre),
         WriteLine(column - 8, 0.24 * inch, colors.black)]
        for number in range(1, BLANK_COLUMNS + 1)
    ]


def _grids(form: PrintableInputForm, styles: Styles, small: _Small, width: float) -> list[Flowable]:
    """The scoring grid: criteria down, candidates across, an empty box per score.

    More candidates than fit across the page are split over several grids, each with
    every criterion, so no column gets too narrow to write in.
    """
    text = form.text
    count = len(form.candidates) or BLANK_COLUMNS
    label_width = 3.0 if width == PORTRAIT_WIDTH else 3.2
    grids = -(-count // MAX_COLUMNS)
    per_grid = -(-count // grids)  # spread evenly: eleven candidates make grids of 6 and 5
    column = (width - label_width) / per_grid
    heads = _candidate_heads(form, small, column * inch)
    criteria = [c for c in form.criteria if str(c).strip()]
    story: list[Flowable] = []
    for start in range(0, count, per_grid):
        part = heads[start:start + per_grid]
        rows: list[list] = [
            [PdfParagraph(_text(text.get("criteria_caption", "")), small.head),
             PdfParagraph(_text(text.get("candidate_caption", "")), small.head_centre)]
            + [""] * (len(part) - 1),
            [""] + part,
        ]
        for number, criterion in enumerate(criteria, start=1):
            rows.append([PdfParagraph(f"{number}. {_text(criterion)}", small.cell)] + [""] * len(part))
        table = _Grid(
            rows,
            colWidths=[label_width * inch] + [column * inch] * len(part),
            repeatRows=2,
            splitByRow=0,  # as in ``_table``
            splitInRow=1,
            hAlign="LEFT",
            style=table_style(
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (-1, 0)),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 1), HEAD_TINT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (1, 1), (-1, 1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ),
        )
        if start:
            story.append(CondPageBreak(3 * inch))
        story += [table, Spacer(1, 0.15 * inch)]
    return story


def _legend(text: dict, styles: Styles, small: _Small) -> list[Flowable]:
    """The scale: each score in a box, with its word under it when the form gives one."""
    words = text.get("scale") or {}
    values = range(1, 6)
    caption = PdfParagraph(f"<b>{_text(text.get('scale_caption', ''))}</b>", small.cell)
    row = [caption] + [PdfParagraph(f"<b>{value}</b>", small.head_centre) for value in values]
    rows = [row]
    if words:
        rows.append([""] + [PdfParagraph(_text(str(words.get(str(value), ""))), small.centre)
                            for value in values])
    table = Table(
        rows,
        colWidths=[1.4 * inch] + [0.9 * inch] * 5,
        hAlign="LEFT",
        style=table_style(
            ("BOX", (1, 0), (-1, 0), 0.6, colors.black),
            ("INNERGRID", (1, 0), (-1, 0), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (0, 0), (0, -1)),
        ),
    )
    return [KeepTogether([table]), Spacer(1, 0.15 * inch)]


def _comment_lines(text: dict, styles: Styles, width: float) -> list[Flowable]:
    caption = PdfParagraph(_text(text.get("comments_caption", "")), styles.subheading)
    lines = [WriteLine(width * inch, 0.34 * inch, LIGHT_RULE) for _ in range(COMMENT_LINES)]
    return [CondPageBreak(1.6 * inch), caption, *lines, Spacer(1, 0.2 * inch)]


def _about_you(text: dict, styles: Styles, width: float) -> list[Flowable]:
    fields = [str(f) for f in text.get("about_you_fields", []) if str(f).strip()]
    caption = PdfParagraph(_text(text.get("about_you_caption", "")), styles.subheading)
    if not fields:
        return [caption]
    label_width = 3.2
    rows = [[PdfParagraph(_text(field), styles.cell), ""] for field in fields]
    table = Table(
        rows,
        colWidths=[label_width * inch, (width - label_width) * inch],
        splitInRow=1,
        hAlign="LEFT",
        style=table_style(
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 10),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ),
    )
    return [KeepTogether([caption, table])]
