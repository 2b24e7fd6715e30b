"""The one-page compliance status: every obligation of the program, done or not."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import data_table, escape, heading, make_styles, write_pdf
from sro_desk.records.obligations import Obligation

GREEN = colors.Color(0.1, 0.45, 0.2)
RED = colors.Color(0.7, 0.1, 0.1)


def compliance_story(items: list[Obligation], *, school_year: str, today: date,
                     district: str = "") -> list[Flowable]:
    """The status as flowables: open obligations first (latest first), then those done."""
    styles = make_styles()
    story: list[Flowable] = [heading(f"Compliance status, {school_year}", styles.heading)]
    if district:
        story.append(PdfParagraph(escape(district), styles.subheading))
    pending = sorted((o for o in items if not o.done),
                     key=lambda o: (o.days_late is None, -(o.days_late or 0)))
    done = [o for o in items if o.done]
    late = sum(1 for o in pending if o.late)
    story.append(PdfParagraph(escape(
        f"As of {today:%B} {today.day}, {today.year}: {len(pending)} open, of which {late} late; "
        f"{len(done)} done."), styles.body))
    rows = [[PdfParagraph("", styles.cell_head), PdfParagraph("Obligation", styles.cell_head),
             PdfParagraph("Due", styles.cell_head), PdfParagraph("Where to fix it", styles.cell_head)]]
    for item in pending + done:
        mark, colour = ("✔", GREEN) if item.done else ("✘", RED)
        rows.append([
            PdfParagraph(f'<font color="#{colour.hexval()[2:]}">{mark}</font>', styles.cell),
            PdfParagraph(escape(item.what), styles.cell),
            PdfParagraph(escape(item.when() or ("done" if item.done else "")), styles.cell),
            PdfParagraph(escape(f"{item.page} page"), styles.cell),
        ])
    story += [Spacer(1, 4), data_table(rows, (0.3, 3.9, 1.45, 1.05))]
    return story


def build_compliance_pdf(items: list[Obligation], out: Path | BinaryIO, *, school_year: str,
                         today: date, district: str = "") -> None:
    write_pdf(
        out, compliance_story(items, school_year=school_year, today=today, district=district),
        title=f"SRO program compliance status {school_year}", author=district,
        subject="School Resource Officer program", watermark=None,
        footer_left=f"Compliance status \u2014 {district}" if district else "Compliance status",
    )
