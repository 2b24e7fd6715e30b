"""The blank complaint form, printed in the complainant's language.

Every fixed piece of text comes from the form's JSON (``resources/forms``), so a
translated form prints translated; the district adds only its name and where the form
goes back to, both escaped. The JSON names the font its script needs: DejaVu Sans (the
body font of every document) for most languages, the Droid Sans fallback for Chinese.
Droid carries no Latin letters, digits or spaces, so in a Droid form every run of
characters it lacks (an "SRO" in the text, a district's name) is set in DejaVu Sans.

The form fits on one or two Letter pages: who may complain and what happens next,
where to return it, boxes to tick and ruled lines to write on.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import (
    WriteLine,
    CONTENT_WIDTH,
    FONT,
    MARGIN,
    PAGE_SIZE,
    Styles,
    clean,
    escape,
    make_styles,
    register_fonts,
    table_style,
    write_pdf,
)
from sro_desk.errors import SroDeskError
from sro_desk.records.complaint_forms import PrintableComplaintForm
from sro_desk.resources import resource_path

#: Fonts a form's JSON may name besides DejaVu Sans, and their files in resources/fonts.
EXTRA_FONTS = {"DroidSansFallback": "DroidSansFallbackFull.ttf"}
DEJAVU = "DejaVuSans"

#: Lines for "what happened" on each page, within these bounds.
MIN_LINES, MAX_LINES = 3, 24
OUTCOME_LINES = 5
LINE_HEIGHT = 0.33 * inch
BOX_SIZE = 9.5
FRAME_HEIGHT = PAGE_SIZE[1] - 2 * MARGIN
LIGHT_RULE = colors.Color(0.6, 0.6, 0.6)
TINT = colors.Color(0.95, 0.95, 0.95)
GREY = colors.Color(0.4, 0.4, 0.4)


def register_form_font(name: str) -> str:
    """The reportlab name of the font a form's JSON names, registered once."""
    register_fonts()
    if name == DEJAVU:
        return FONT
    filename = EXTRA_FONTS.get(name)
    if filename is None:
        raise SroDeskError(
            f"The complaint form asks for the font '{name}', which SRO Desk does not ship; "
            "reinstall SRO Desk."
        )
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        # One face only: bold and italic markup fall back to it rather than failing.
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


class Lettering:
    """The form's font, its styles, and its text turned into paragraph markup."""

    def __init__(self, font_name: str) -> None:
        base = make_styles()
        self.font = register_form_font(font_name)
        if self.font == FONT:
            self.styles = base
            self._glyphs: dict | None = None
        else:
            self.styles = Styles(**{
                field.name: ParagraphStyle(
                    f"{getattr(base, field.name).name}_{self.font}",
                    getattr(base, field.name),
                    fontName=self.font,
                    bulletFontName=self.font,
                    wordWrap="CJK",
                )
                for field in fields(Styles)
            })
            self._glyphs = pdfmetrics.getFont(self.font).face.charToGlyph
        self.cell = ParagraphStyle("complaint_cell", self.styles.cell, leading=13)
        self.small = ParagraphStyle("complaint_small", self.styles.cell, fontSize=8.5, leading=11)
        self.hint = ParagraphStyle(
            "complaint_hint", self.styles.note, spaceBefore=0, spaceAfter=2, textColor=GREY
        )
        self.caption = ParagraphStyle(
            "complaint_caption", self.styles.subheading, spaceBefore=8, spaceAfter=3
        )
        self.label = ParagraphStyle(
            "complaint_label", self.styles.cell, fontName=self.styles.cell_head.fontName,
            spaceBefore=6, spaceAfter=2, keepWithNext=True,
        )
        self._headings = {self.styles.title.name, self.caption.name, self.label.name}

    def markup(self, text: str) -> str:
        """Text (the JSON's or the district's) escaped, line breaks kept, in the right fonts."""
        text = clean(text)
        if self._glyphs is None:
            return escape(text).replace("\n", "<br/>")
        runs: list[tuple[bool, str]] = []
        for char in text:
            own = char == "\n" or ord(char) in self._glyphs
            if runs and runs[-1][0] == own:
                runs[-1] = (own, runs[-1][1] + char)
            else:
                runs.append((own, char))
        parts = []
        for own, run in runs:
            run = escape(run).replace("\n", "<br/>")
            parts.append(run if own else f'<font name="{FONT}">{run}</font>')
        return "".join(parts)

    def para(self, text: str, style: ParagraphStyle, *, bold: bool = False) -> PdfParagraph:
        """A paragraph of ``text``; bold (and headings) drawn heavier where the font has no bold."""
        markup = self.markup(text)
        if self._glyphs is not None and (bold or style.name in self._headings):
            return _Heavy(markup, style)
        return PdfParagraph(f"<b>{markup}</b>" if bold else markup, style)

    def table(self, rows: list[list], widths: list[float], *commands: tuple, **kwargs) -> Table:
        """A layout table (widths in points) with no padding unless asked, in the form's font."""
        return Table(
            rows,
            colWidths=widths,
            hAlign="LEFT",
            style=table_style(
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *commands,
            ),
            **kwargs,
        )


class _Heavy(PdfParagraph):
    """A paragraph whose letters are filled and outlined: bold for a font with one face."""

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineWidth(self.style.fontSize * 0.04)
        canvas.addLiteral("2 Tr")  # text render mode "fill, then stroke"; undone by restoreState
        super().draw()
        canvas.restoreState()


class _FillLines(Flowable):
    """Lines to write on down to the foot of the frame: at least ``least``, at most ``most``.

    With fewer than ``least`` lines' room left it moves to the next page whole.
    """

    def __init__(self, least: int, most: int, width: float = CONTENT_WIDTH,
                 height: float = LINE_HEIGHT) -> None:
        super().__init__()
        self.least, self.most, self.line_height = least, most, height
        self.width = width
        self.height = least * height

    def wrap(self, available_width, available_height):
        fit = int(available_height // self.line_height)
        self.height = max(self.least, min(self.most, fit)) * self.line_height
        return self.width, self.height

    def split(self, available_width, available_height):
        return []

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(LIGHT_RULE)
        self.canv.setLineWidth(0.6)
        y = self.height - self.line_height
        while y >= -0.01:
            self.canv.line(0, y, self.width, y)
            y -= self.line_height
        self.canv.restoreState()


class _TickBox(Flowable):
    """An empty square to tick, drawn so it prints the same in every font."""

    def __init__(self, size: float = BOX_SIZE) -> None:
        super().__init__()
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        self.canv.restoreState()


# -- building blocks -------------------------------------------------------------------


def _ticks(kind: Lettering, labels: list[str], most: int, width: float = CONTENT_WIDTH) -> Table:
    """Options with a box each, in as many columns (up to ``most``) as fit unbroken.

    Each column is as wide as its longest option, the spare width shared out; when even
    one column cannot hold an option on one line, it wraps in ``most`` equal columns.
    """
    box_column = BOX_SIZE + 6
    gap = 12
    natural = [_natural_width(kind, label, kind.cell) + gap for label in labels]
    for columns in range(min(most, len(labels)), 0, -1):
        label_widths = [max(natural[c::columns]) for c in range(columns)]
        spare = width - columns * box_column - sum(label_widths)
        if spare >= 0:
            label_widths = [w + spare / columns for w in label_widths]
            break
    else:
        columns = min(most, len(labels))
        label_widths = [width / columns - box_column] * columns
    cells: list = []
    for label in labels:
        cells += [_TickBox(), kind.para(label, kind.cell)]
    rows = [cells[start:start + 2 * columns] for start in range(0, len(cells), 2 * columns)]
    for row in rows:
        row += [""] * (2 * columns - len(row))
    boxes = [("TOPPADDING", (c, 0), (c, -1), 4.5) for c in range(0, 2 * columns, 2)]
    return kind.table(
        rows,
        [w for label_width in label_widths for w in (box_column, label_width)],
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (1, 0), (-1, -1), gap - 2),
        *boxes,  # the boxes level with the text beside them
    )


def _natural_width(kind: Lettering, text: str, style: ParagraphStyle) -> float:
    """How wide ``text`` is on one line in ``style``."""
    paragraph = kind.para(text, style)
    return sum(
        pdfmetrics.stringWidth(frag.text, frag.fontName, frag.fontSize)
        for frag in paragraph.frags if hasattr(frag, "text")
    )


def _fields(kind: Lettering, labels: list[str], width: float = CONTENT_WIDTH,
            style: ParagraphStyle | None = None) -> list[Flowable]:
    """Labels side by side, each followed by a line to write on.

    A single label too long to leave room for writing beside it goes above a full line.
    """
    style = style or kind.cell
    gap = 14
    share = (width - gap * (len(labels) - 1)) / len(labels)
    natural = [_natural_width(kind, label, style) + 7 for label in labels]
    if len(labels) == 1 and natural[0] > share * 0.6:
        return [Spacer(1, 6), kind.para(labels[0], style), WriteLine(width, 0.3 * inch, colors.black)]
    widths: list[float] = []
    row: list = []
    for number, (label, label_width) in enumerate(zip(labels, natural)):
        label_width = min(label_width, share * 0.6)
        if number:
            widths.append(gap)
            row.append("")
        widths += [label_width, share - label_width]
        row += [kind.para(label, style), ""]
    lines = [("LINEBELOW", (column, 0), (column, 0), 0.6, colors.black)
             for column in range(1, len(row), 3)]
    labels_padding = [("RIGHTPADDING", (column, 0), (column, 0), 6)
                      for column in range(0, len(row), 3)]
    return [kind.table([row], widths, *lines, *labels_padding,
                       ("TOPPADDING", (0, 0), (-1, -1), 12), ("BOTTOMPADDING", (0, 0), (-1, -1), 1))]


def _lines(count: int, width: float = CONTENT_WIDTH) -> list[Flowable]:
    return [WriteLine(width, LINE_HEIGHT, LIGHT_RULE) for _ in range(count)]


# -- the form --------------------------------------------------------------------------


def build_complaint_form_pdf(form: PrintableComplaintForm, out: Path | BinaryIO) -> None:
    """Print a blank complaint form, in the form's language, to ``out``."""
    text = form.text
    kind = Lettering(str(text.get("font", DEJAVU)))
    outcome = _outcome(text, kind)
    about_you = _about_you(text, kind)
    ending = [Spacer(1, 0.12 * inch), kind.para(text["closing"], kind.styles.centred),
              *_office_use(text, kind)]
    # "What happened" fills the first page and carries on at the top of the second
    # with as many lines as leave room for the rest.
    room = FRAME_HEIGHT - _height(outcome + about_you + ending) - 6
    continued = max(0, min(MAX_LINES, int(room // LINE_HEIGHT)))
    story: list[Flowable] = [
        *_opening(form, kind),
        *_return_box(form, kind),
        *_complaint(text, kind),
        *_lines(continued),
        *outcome,
        KeepTogether(about_you),
        *ending,
    ]
    title = str(text["title"])
    write_pdf(
        out,
        story,
        title=title,
        author=form.district_name,
        subject=title,
        watermark=None,
        footer_left=_footer(title, form.district_name),
    )


def _height(flowables: list[Flowable]) -> float:
    """About how tall ``flowables`` stand on a page, spacing included (never less)."""
    return sum(
        flowable.wrap(CONTENT_WIDTH, FRAME_HEIGHT)[1]
        + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        for flowable in flowables
    )


def _footer(title: str, district: str) -> str:
    """The footer's words, in DejaVu Sans: the title too unless that font cannot print it."""
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    parts = [district] if district.strip() else []
    if all(ord(char) in glyphs for char in clean(title) if not char.isspace()):
        parts.insert(0, title)
    return " \u2014 ".join(parts)


def _opening(form: PrintableComplaintForm, kind: Lettering) -> list[Flowable]:
    text = form.text
    story: list[Flowable] = [kind.para(text["title"], kind.styles.title)]
    if form.district_name.strip():
        story.append(kind.para(form.district_name, kind.styles.subtitle))
    story.append(Spacer(1, 0.06 * inch))
    for key in ("who_can_complain", "own_language", "confidential", "what_happens_next"):
        story.append(kind.para(text[key], kind.styles.body, bold=key == "confidential"))
    return story


def _return_box(form: PrintableComplaintForm, kind: Lettering) -> list[Flowable]:
    """Where the form goes back to: the district's words, or lines for it to fill in."""
    text = form.text
    inner = CONTENT_WIDTH - 20
    cell: list[Flowable] = [
        kind.para(text["return_caption"], kind.cell, bold=True),
        kind.para(text["return_text"], kind.cell),
    ]
    if form.return_to.strip():
        cell += [Spacer(1, 3), kind.para(form.return_to.strip(), kind.cell)]
    else:
        cell += _lines(2, inner)
    box = kind.table(
        [[cell]],
        [CONTENT_WIDTH],
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        splitInRow=1,  # an address longer than a page carries on over the next
    )
    return [Spacer(1, 0.04 * inch), box, Spacer(1, 0.06 * inch)]


def _complaint(text: dict, kind: Lettering) -> list[Flowable]:
    story: list[Flowable] = [
        kind.para(text["complaint_caption"], kind.caption),
        *_fields(kind, [text["date_label"], text["school_label"]]),
        *_fields(kind, [text["when_label"]]),
        Spacer(1, 4),
        kind.para(text["about_whom_label"], kind.label),
        _ticks(kind, [text["about_sro"], text["about_other_officer"], text["about_program"]], 3),
        *_fields(kind, [text["officer_name_label"]]),
        Spacer(1, 4),
        # Room for the heading and the fewest lines, or all of it starts a page.
        CondPageBreak(0.6 * inch + MIN_LINES * LINE_HEIGHT),
        kind.para(text["what_happened_label"], kind.label),
        kind.para(text["what_happened_hint"], kind.hint),
        _FillLines(MIN_LINES, MAX_LINES),
    ]
    return story


def _outcome(text: dict, kind: Lettering) -> list[Flowable]:
    return [Spacer(1, 4), kind.para(text["outcome_label"], kind.label), *_lines(OUTCOME_LINES)]


def _about_you(text: dict, kind: Lettering) -> list[Flowable]:
    interpreter = kind.table(
        [[kind.para(text["interpreter_label"], kind.cell), _TickBox(), kind.para(text["yes"], kind.cell),
          _TickBox(), kind.para(text["no"], kind.cell)]],
        [_natural_width(kind, text["interpreter_label"], kind.cell) + 14, BOX_SIZE + 6,
         _natural_width(kind, text["yes"], kind.cell) + 18, BOX_SIZE + 6,
         _natural_width(kind, text["no"], kind.cell) + 6],
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (1, 0), (1, 0), 1.5),
        ("TOPPADDING", (3, 0), (3, 0), 1.5),
    )
    block: list[Flowable] = [
        kind.para(text["about_you_caption"], kind.caption),
        kind.para(text["anonymous_note"], kind.hint),
        *_fields(kind, [text["name_label"]]),
        *_fields(kind, [text["contact_label"]]),
        WriteLine(CONTENT_WIDTH, 0.3 * inch, colors.black),
        Spacer(1, 6),
        _ticks(kind, [text["keep_confidential"]], 1),
        *_fields(kind, [text["preferred_language_label"]]),
        Spacer(1, 8),
        interpreter,
        Spacer(1, 4),
        kind.para(text["role_label"], kind.label),
        _ticks(kind, [text[key] for key in ("role_student", "role_parent", "role_teacher",
                                            "role_staff", "role_administrator", "role_community")], 3),
    ]
    return block


def _office_use(text: dict, kind: Lettering) -> list[Flowable]:
    """A small box the district fills in when the form comes back: labels over lines."""
    labels = [text["received_label"], text["acknowledged_label"], text["reference_label"]]
    gap = 16
    column = (CONTENT_WIDTH - 16 - gap * (len(labels) - 1)) / len(labels)
    widths = [column, gap] * (len(labels) - 1) + [column]
    heads: list = []
    for number, label in enumerate(labels):
        heads += ([""] if number else []) + [kind.para(label, kind.small)]
    grid = kind.table(
        [heads, [""] * len(heads)],
        widths,
        *[("LINEBELOW", (c, 1), (c, 1), 0.6, colors.black) for c in range(0, len(heads), 2)],
        rowHeights=[None, 20],
    )
    box = kind.table(
        [[[kind.para(text["office_caption"], kind.small, bold=True), Spacer(1, 3), grid]]],
        [CONTENT_WIDTH],
        ("BOX", (0, 0), (-1, -1), 0.6, GREY),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    )
    return [Spacer(1, 0.15 * inch), box]
