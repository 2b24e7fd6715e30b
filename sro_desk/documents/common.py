"""What every printed document shares: fonts, styles, escaping, page furniture, saving.

All user text goes through ``escape`` (for ``Paragraph`` markup) or ``clean`` (for text
drawn straight on the canvas or put in metadata). ``write_pdf`` builds a story into a
PDF with "Page n of N" footers, an optional watermark and bookmarks, and only replaces
the target once the whole document has been built.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.errors import SroDeskError
from sro_desk.resources import resource_path

FONT = "SroDeskSans"
FONT_BOLD = "SroDeskSans-Bold"
FONT_ITALIC = "SroDeskSans-Oblique"
FONT_BOLD_ITALIC = "SroDeskSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

PAGE_SIZE = LETTER
MARGIN = 0.9 * inch
FOOTER_Y = 0.5 * inch
GREY = colors.Color(0.35, 0.35, 0.35)
WATERMARK_GREY = colors.Color(0.86, 0.86, 0.86)
CREATOR = "SRO Desk"

# C0 controls except tab and newline, DEL, C1 controls and lone surrogates: reportlab
# either chokes on them or prints boxes.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces once, as a family so ``<b>`` finds bold."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


def clean(text: str) -> str:
    """User text without the characters a PDF cannot carry (line breaks normalised)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", text)


def escape(text: str) -> str:
    """User text made safe for ``Paragraph`` markup: it prints literally, tags and all."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles printed documents use."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    centred: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle


def make_styles() -> Styles:
    """Fresh styles in the shipped font (fonts are registered on the way)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, bulletFontName=FONT, fontSize=10, leading=14, spaceAfter=6,
        splitLongWords=True,
    )
    return Styles(
        title=ParagraphStyle(
            "title", body, fontName=FONT_BOLD, fontSize=20, leading=25,
            alignment=TA_CENTER, spaceAfter=10,
        ),
        subtitle=ParagraphStyle(
            "subtitle", body, fontSize=13, leading=18, alignment=TA_CENTER, spaceAfter=6
        ),
        heading=ParagraphStyle(
            "heading", body, fontName=FONT_BOLD, fontSize=15, leading=19,
            spaceBefore=6, spaceAfter=10, keepWithNext=True,
        ),
        subheading=ParagraphStyle(
            "subheading", body, fontName=FONT_BOLD, fontSize=11, leading=15,
            spaceBefore=10, spaceAfter=4, keepWithNext=True,
        ),
        body=body,
        bullet=ParagraphStyle(
            "bullet", body, leftIndent=18, bulletIndent=6, spaceAfter=3
        ),
        centred=ParagraphStyle("centred", body, alignment=TA_CENTER),
        note=ParagraphStyle(
            "note", body, fontName=FONT_ITALIC, fontSize=9, leading=12, textColor=GREY
        ),
        cell=ParagraphStyle("cell", body, spaceAfter=0),
        cell_right=ParagraphStyle("cell_right", body, spaceAfter=0, alignment=2),
        cell_head=ParagraphStyle("cell_head", body, fontName=FONT_BOLD, spaceAfter=0),
    )


def table_style(*commands: tuple) -> TableStyle:
    """A table style in the shipped font (reportlab would otherwise add Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


#: Colours of a data table's rules and alternate rows.
RULE = colors.Color(0.55, 0.55, 0.55)
STRIPE = colors.Color(0.96, 0.96, 0.96)


def data_table(
    rows: list[list],
    widths: Sequence[float],
    *commands: tuple,
    header: int = 1,
    padding: float = 3,
    split_by_row: int = 1,
    header_at_bottom: bool = False,
) -> Table:
    """A table of data (widths in inches): ``header`` rows repeated on every page, striped
    rows, and over-tall rows split rather than failing the build."""
    base: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
    ]
    if header and header_at_bottom:
        base.append(("VALIGN", (0, 0), (-1, header - 1), "BOTTOM"))
    if header:
        base += [
            ("LINEBELOW", (0, header - 1), (-1, header - 1), 0.8, colors.black),
            ("LINEBELOW", (0, header), (-1, -1), 0.3, RULE),
            ("ROWBACKGROUNDS", (0, header), (-1, -1), [colors.white, STRIPE]),
        ]
    return Table(
        rows,
        colWidths=[w * inch for w in widths],
        repeatRows=header,
        splitByRow=split_by_row,
        splitInRow=1,  # any sliver rather than a row no page can hold (reportlab gives up below it)
        hAlign="LEFT",
        style=table_style(*base, *commands),
    )


class WriteLine(Flowable):
    """A line to write on by hand, ``height`` tall with the line at its foot."""

    def __init__(self, width: float, height: float = 0.3 * inch, colour=colors.black) -> None:
        super().__init__()
        self.width, self.height, self.colour = width, height, colour

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 0, self.width, 0)
        self.canv.restoreState()


def bookmarked(flowable: Flowable, title: str, *, level: int = 0) -> Flowable:
    """Mark a flowable (usually a heading) to get a PDF bookmark where it is drawn."""
    flowable._sro_outline = (outline_title(title), level)  # type: ignore[attr-defined]
    return flowable


def outline_title(text: str, limit: int = 100) -> str:
    """User text fit for a bookmark: one line, not too long."""
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def heading(text: str, style: ParagraphStyle, *, level: int = 0) -> PdfParagraph:
    """A heading paragraph from plain (unescaped) text, bookmarked at ``level``."""
    return bookmarked(PdfParagraph(escape(text), style), text, level=level)  # type: ignore[return-value]


#: False while a document is built as a part of a larger one (the school-committee
#: packet), which numbers all its pages itself.
footers_wanted: ContextVar[bool] = ContextVar("footers_wanted", default=True)


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "Page n of N".

    Bookmarks made on a held page are replayed when it is written, so they point at
    the right page rather than the first.
    """

    def __init__(self, *args, footer_left: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer_left = footer_left
        self._held_pages: list[dict] = []
        self._page_bookmarks: list[tuple[str, tuple, dict]] = []

    def bookmarkPage(self, key, *args, **kwargs):  # noqa: N802 (reportlab's name)
        self._page_bookmarks.append((key, args, kwargs))

    def showPage(self) -> None:  # noqa: N802
        self._held_pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            for key, args, kwargs in self._page_bookmarks:
                Canvas.bookmarkPage(self, key, *args, **kwargs)
            self._draw_footer(number, total)
            Canvas.showPage(self)
        self.showOutline()
        Canvas.save(self)

    def _draw_footer(self, number: int, total: int) -> None:
        if footers_wanted.get():
            draw_footer(self, self._pagesize[0], self._footer_left, number, total)


def draw_footer(canvas: Canvas, width: float, left: str, number: int, total: int) -> None:
    """The footer every printed page carries: a rule, ``left`` and "Page n of N"."""
    right = f"Page {number} of {total}"
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, FOOTER_Y + 12, width - MARGIN, FOOTER_Y + 12)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.drawRightString(width - MARGIN, FOOTER_Y, right)
    room = width - 2 * MARGIN - pdfmetrics.stringWidth(right, FONT, 8) - 24
    canvas.drawString(MARGIN, FOOTER_Y, _fit(left, room, FONT, 8))
    canvas.restoreState()


def _fit(text: str, width: float, font: str, size: float) -> str:
    """``text`` on one line, shortened with an ellipsis to fit ``width`` points."""
    text = " ".join(text.split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


#: The width every flowable gets: the page between its margins.
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN


class _Document(BaseDocTemplate):
    """Letter pages with one frame, a watermark under the text and bookmarks."""

    def __init__(self, target, *, watermark: str | None, **kwargs) -> None:
        super().__init__(
            target, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN, bottomMargin=MARGIN, creator=CREATOR, initialFontName=FONT,
            **kwargs,
        )
        self._watermark = watermark
        # No frame padding: a flowable gets the whole width between the margins
        # (CONTENT_WIDTH), so tables sized to it line up with the footer rule.
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        self._bookmarks = 0

    def _decorate(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if not self._watermark:
            return
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(WATERMARK_GREY)
        canvas.setFont(FONT_BOLD, 110)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -40, self._watermark)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        outline = getattr(flowable, "_sro_outline", None)
        if outline is None:
            return
        title, level = outline
        self._bookmarks += 1
        key = f"sro-{self._bookmarks}"
        top = self.frame._y + flowable.height + 12  # the frame's cursor is below it now
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
        self.canv.addOutlineEntry(title, key, level=level, closed=level == 0)


def write_pdf(
    out: Path | str | BinaryIO,
    story: Sequence[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    watermark: str | None,
    footer_left: str,
    canvas_class: type | None = None,
) -> None:
    """Build ``story`` into a PDF at ``out`` (a path or a binary file object); a
    ``canvas_class`` (a _NumberedCanvas) may number the pages its own way.

    A path is written through a temporary file beside it and renamed at the end, so a
    failed build leaves any earlier file as it was and no half-written one.
    """
    register_fonts()
    canvas_class = canvas_class or _NumberedCanvas

    def build(target) -> None:
        _build(target, story, title, author, subject, watermark, footer_left, canvas_class)

    if isinstance(out, (str, os.PathLike)):
        save_atomically(Path(out), build)
    else:
        buffer = io.BytesIO()
        build(buffer)
        out.write(buffer.getvalue())


def _build(target, story, title, author, subject, watermark, footer_left, canvas_class) -> None:
    document = _Document(
        target, watermark=watermark, title=clean(title), author=clean(author),
        subject=clean(subject),
    )

    def canvas_maker(*args, **kwargs) -> Canvas:
        return canvas_class(*args, footer_left=clean(footer_left), **kwargs)

    document.build(list(story), canvasmaker=canvas_maker)


def save_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a PDF at ``target`` through a temporary file beside it, renamed at the end, so
    a failed build leaves any earlier file as it was and no half-written one. A target that
    is the data file, part of it, a database or a file the person may not change is
    refused before anything is written (``store.outputs``)."""
    from sro_desk.store.outputs import check_output, replace_output

    target = check_output(target)
    folder = target.parent
    if not folder.is_dir():
        raise SroDeskError(
            f"The folder {folder} does not exist; choose another place to save the PDF."
        )
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise SroDeskError(
            f"The PDF cannot be saved in {folder} ({error.strerror or error}); "
            "choose a folder you can write to."
        ) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        replace_output(temporary, target)
    except OSError as error:
        raise SroDeskError(
            f"The PDF could not be saved as {target} ({error.strerror or error}); if it is "
            "open in another program, close it and try again."
        ) from error
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
