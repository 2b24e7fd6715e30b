"""The agreement (MOU and operating procedures) as a PDF, optionally as the DESE filing.

Statutory provisions print in bold, blanks print filled or as a line to fill by hand,
each signatory gets a signature block, and the pages say "DRAFT" until it is signed.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
)
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import (
    CONTENT_WIDTH,
    Styles,
    escape,
    heading,
    make_styles,
    table_style,
    write_pdf,
)
from sro_desk.records.agreement_text import (
    Paragraph,
    PrintableAgreement,
    PrintClause,
    PrintPart,
    PrintSignatory,
    Run,
)

#: What an unfilled blank prints as: a line to write on.
BLANK_LINE = "_" * 16
LEGEND = (
    "Provisions printed in bold are required by a statute or regulation (G.L. c. 71, §§ 37L "
    "and 37P; G.L. c. 272, §§ 40 and 53; 555 CMR 10.00). Everything else follows the state's "
    "model agreement or was chosen locally by the parties."
)
FILING_TITLE = "Annual filing with the Department of Elementary and Secondary Education"
COSTS_TITLE = "Cost of assigning school resource officers"
RULE = colors.Color(0.55, 0.55, 0.55)


def build_agreement_pdf(agreement: PrintableAgreement, out: Path | BinaryIO) -> None:
    """Print ``agreement`` to ``out`` (the yearly DESE filing that encloses it is
    ``documents.dese_filing.build_filing_pdf``)."""
    styles = make_styles()
    year = f"School year {agreement.school_year}"
    write_pdf(
        out,
        agreement_story(agreement, styles),
        title=f"{agreement.title} ({year.lower()})",
        author=agreement.district_name,
        subject=f"{agreement.title}, {year.lower()}",
        watermark=watermark(agreement),
        footer_left=("ALTERED AFTER SIGNING \u2014 " if agreement.altered else "") + f"{agreement.title} \u2014 {year}",
    )


def agreement_story(agreement: PrintableAgreement, styles: Styles) -> list[Flowable]:
    """The agreement itself: parties, each part on its own pages, signatures and seal."""
    story: list[Flowable] = []
    if agreement.altered:
        story.append(PdfParagraph(
            "<b>This text was changed outside SRO Desk after the agreement was signed; it is not the "
            "signed agreement.</b> Print the signed copy from a backup made before the change.", styles.body))
    story += _parties(agreement, styles)
    for index, part in enumerate(agreement.parts):
        if index:
            story.append(PageBreak())
        story += _part(part, styles)
    story += _signatures(agreement.signatories, styles)
    if agreement.seal:
        story.append(PdfParagraph(escape(agreement.seal), styles.note))
    return story


def watermark(agreement: PrintableAgreement) -> str | None:
    """What every page says across it: ALTERED, DRAFT until signed, or nothing."""
    return "ALTERED" if agreement.altered else (None if agreement.signed else "DRAFT")


def department_names(agreement: PrintableAgreement) -> list[str]:
    """The police departments named, or a line saying none is."""
    return [name for name in agreement.department_names if name.strip()] or ["(no police department named)"]


def _parties(agreement: PrintableAgreement, styles: Styles) -> list[Flowable]:
    """The first page's heading: title, school year, the parties and the legend."""
    story: list[Flowable] = [
        Spacer(1, 0.3 * inch),
        PdfParagraph(escape(agreement.title), styles.title),
        PdfParagraph(f"School year {escape(agreement.school_year)}", styles.subtitle),
        Spacer(1, 0.15 * inch),
        PdfParagraph("between", styles.centred),
        PdfParagraph(f"<b>{escape(agreement.district_name)}</b>", styles.centred),
        PdfParagraph("and", styles.centred),
    ]
    story += [
        PdfParagraph(f"<b>{escape(name)}</b>", styles.centred) for name in department_names(agreement)
    ]
    legend = Table(
        [[PdfParagraph(escape(LEGEND), styles.note)]],
        colWidths=[5.5 * inch],
        style=table_style(
            *[
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        ),
    )
    story += [Spacer(1, 0.2 * inch), legend, Spacer(1, 0.35 * inch)]
    return story


def _part(part: PrintPart, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [heading(part.title, styles.heading, level=0)]
    for clause in part.clauses:
        story += _clause(clause, styles)
    return story


def _clause(clause: PrintClause, styles: Styles) -> list[Flowable]:
    number = clause.number.strip()
    title = f"{number}. {clause.title}" if number else clause.title
    story: list[Flowable] = [heading(title, styles.subheading, level=1)]
    for paragraph in clause.paragraphs:
        markup = _markup(paragraph, statutory=clause.statutory)
        if not markup.strip():
            continue
        if paragraph.bullet:
            story.append(PdfParagraph(markup, styles.bullet, bulletText="\u2022"))
        else:
            story.append(PdfParagraph(markup, styles.body))
    return story


def _markup(paragraph: Paragraph, *, statutory: bool) -> str:
    return "".join(_run_markup(run, statutory=statutory) for run in paragraph.runs)


def _run_markup(run: Run, *, statutory: bool) -> str:
    if run.blank is not None and not run.text.strip():
        text = BLANK_LINE
    else:
        text = escape(run.text)
    return f"<b>{text}</b>" if (statutory or run.bold) and text else text


def _signatures(signatories: list[PrintSignatory], styles: Styles) -> list[Flowable]:
    """A heading, then one block per signatory, each kept whole on a page when it fits."""
    title = heading("Signatures", styles.heading, level=0)
    intro = PdfParagraph(
        "Each party signs below to show that it agrees to the terms above.", styles.body
    )
    if not signatories:
        return [CondPageBreak(2 * inch), title, intro,
                PdfParagraph("No signatories have been named yet.", styles.note)]
    gap = Spacer(1, 0.3 * inch)
    blocks = [_signature_block(person, styles) for person in signatories]
    # The heading travels with the first block so it never sits alone at a page's foot.
    # (KeepTogether lets a block taller than a page flow on instead of failing.)
    first = KeepTogether([title, intro, Spacer(1, 0.1 * inch), *blocks[0], gap])
    return [CondPageBreak(2.5 * inch), first, *(KeepTogether([*b, gap]) for b in blocks[1:])]


#: The most of a date the signature block prints (a date is ten characters; anything
#: longer came from elsewhere, and must not grow the row past a page).
DATE_PRINTED = 40


def _signature_block(person: PrintSignatory, styles: Styles) -> list[Flowable]:
    """The line to sign on and the date, then the signatory's name and role.

    The name and role are paragraphs under the table, not rows of it: a paragraph breaks
    long words and flows on to the next page, where a table row taller than a page would
    stop the whole printout (reportlab's LayoutError).
    """
    date = person.signed_on.strip()
    if len(date) > DATE_PRINTED:
        date = date[: DATE_PRINTED - 1] + "\u2026"
    role = ", ".join(escape(text) for text in (person.title, person.organisation) if text.strip())
    lines = Table(
        [
            # The spacer leaves room to sign; a long date grows the row instead of overlapping.
            [Spacer(1, 0.4 * inch), "", PdfParagraph(escape(date), styles.cell)],
            [PdfParagraph("Signature", styles.note), "", PdfParagraph("Date", styles.note)],
        ],
        colWidths=[3.6 * inch, 0.4 * inch, 2.0 * inch],
        hAlign="LEFT",
        style=table_style(
            *[
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("LINEBELOW", (0, 0), (0, 0), 0.8, colors.black),
                ("LINEBELOW", (2, 0), (2, 0), 0.8, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    # Spaced as the table's rows were: 1 point above, 2 below.
    style = ParagraphStyle("signatory", styles.cell, spaceBefore=1, spaceAfter=2)
    block: list[Flowable] = [lines, PdfParagraph(f"<b>{escape(person.name)}</b>", style)]
    if role:
        block.append(PdfParagraph(role, style))
    return block


def facts_table(rows: list[tuple[str, str]], styles: Styles, *, label_width: float = 2.0) -> Table:
    """A cover's label and value rows (values already markup), each ruled below."""
    return Table(
        [[PdfParagraph(escape(label), styles.cell_head), PdfParagraph(value, styles.cell)] for label, value in rows],
        colWidths=[label_width * inch, CONTENT_WIDTH - label_width * inch],
        hAlign="LEFT",
        style=table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ),
    )
