"""The one-page compliance status: every obligation of the program, done or not."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import data_table, escape, heading, make_styles, write_pdf
from sro_desk.records.obligations import Obligation, open_items

GREEN = colors.Color(0.1, 0.45, 0.2)
RED = colors.Color(0.7, 0.1, 0.1)


def compliance_story(items: list[Obligation], *, school_year: str, today: date,
                     district: str = "") -> list[Flowable]:
    """The status as flowables: open obligations first, most urgent first in the
    dashboard's order (``obligations.open_items``), then those done."""
    styles = make_styles()
    story: list[Flowable] = [heading(f"Compliance status, {school_year}", styles.heading)]
    if district:
        story.append(PdfParagraph(escape(district), styles.subheading))
    pending = open_items(items)
    done = [o for o in items if o.done]
    late = sum(1 for o in pending if o.late)
    story.append(PdfParagraph(escape(
        f"As of {today:%B} {today.day}, {today.year}: {len(pending)} open, of which {late} late; "
        f"{len(done)} done."), styles.body))
    small = ParagraphStyle("compliance", styles.cell, fontSize=8, leading=10)
    small_head = ParagraphStyle("compliance_head", styles.cell_head, fontSize=8, leading=10)
    rows = [[PdfParagraph("", small_head), PdfParagraph("Owed", small_head),
             PdfParagraph("Due", small_head), PdfParagraph("Page", small_head)]]
    for item in pending:
        rows.append([
            PdfParagraph(f'<font color="#{RED.hexval()[2:]}">\u2718</font>', small),
            PdfParagraph(escape(item.what), small),
            PdfParagraph(escape(item.when()), small),
            PdfParagraph(escape(item.page), small),
        ])
    if pending:
        story += [Spacer(1, 4), data_table(rows, (0.22, 4.28, 1.3, 0.9), padding=2)]
    if done:
        story += [Spacer(1, 8), PdfParagraph("Done", styles.subheading)]
        story += [PdfParagraph(f'<font color="#{GREEN.hexval()[2:]}">\u2714</font> ' + escape(item.what), small)
                  for item in done]
    return story


def build_compliance_pdf(items: list[Obligation], out: Path | BinaryIO, *, school_year: str,
                         today: date, district: str = "") -> None:
    write_pdf(
        out, compliance_story(items, school_year=school_year, today=today, district=district),
        title=f"SRO program compliance status {school_year}", author=district,
        subject="School Resource Officer program", watermark=None,
        footer_left=f"Compliance status \u2014 {district}" if district else "Compliance status",
    )
