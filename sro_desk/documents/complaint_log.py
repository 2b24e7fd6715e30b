"""The year's complaint log: counts, days to resolution, each case's timeline. No names."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, Spacer

from sro_desk.documents.common import CONTENT_WIDTH, data_table, escape, heading, make_styles, write_pdf
from sro_desk.records.complaints import PrintableComplaintLog

WIDTH = CONTENT_WIDTH / inch


def _counts(title: str, counts: dict[str, int], styles) -> list:
    story = [heading(title, styles.subheading, level=1)]
    if not counts:
        return story + [Paragraph("None this year.", styles.body)]
    rows = [[Paragraph(f"<b>{escape(title.split(' by ')[-1].capitalize())}</b>", styles.cell),
             Paragraph("<b>Complaints</b>", styles.cell_right)]]
    rows += [[Paragraph(escape(label), styles.cell), Paragraph(str(n), styles.cell_right)]
             for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return story + [data_table(rows, [WIDTH - 1.2, 1.2]), Spacer(1, 0.15 * inch)]


def build_complaint_log_pdf(log: PrintableComplaintLog, out: Path | BinaryIO) -> None:
    """Build the complaint log; complainants appear only as case numbers."""
    styles = make_styles()
    stats = log.stats
    story: list = [
        Paragraph("Complaints about the SRO program", styles.title),
        Paragraph(escape(f"{log.district_name} · School year {log.school_year} · prepared {log.prepared_on}"),
                  styles.subtitle),
        Paragraph(
            "No complainant is named in this log. Confidential identities are kept sealed "
            "with the district passphrase and never printed here.", styles.note),
        heading("Summary", styles.heading),
    ]
    median = "—" if stats.median_days is None else f"{stats.median_days:g} days"
    longest = "—" if stats.longest_days is None else f"{stats.longest_days} days"
    summary = [
        ("Complaints received", str(stats.total)),
        ("Voided (entered by mistake; kept in the record)", str(stats.voided)),
        ("Median days from receipt to telling the complainant", median),
        ("Longest", longest),
        (f"On time (target {log.resolve_days} days; acknowledgement within {log.ack_days})", stats.on_time_rate),
        ("Yearly notice of the complaint system", log.notice),
    ]
    story.append(data_table(
        [[Paragraph(escape(a), styles.cell), Paragraph(escape(b), styles.cell)] for a, b in summary],
        [3.2, WIDTH - 3.2], header=0,
    ))
    story.append(Spacer(1, 0.2 * inch))
    story += _counts("Complaints by category", stats.by_category, styles)
    story += _counts("Complaints by finding", stats.by_finding, styles)
    story += _counts("Complaints by subject", stats.by_subject, styles)
    story.append(heading("Each case", styles.heading))
    if not stats.cases:
        story.append(Paragraph("No complaints this year.", styles.body))
    else:
        rows = [[Paragraph(f"<b>{h}</b>", styles.cell) for h in ("No.", "Category", "About", "Status", "Timeline")]]
        for number, category, subject, status, timeline in stats.cases:
            steps = "<br/>".join(f"{escape(day)}: {escape(what)}" for day, what in timeline)
            rows.append([Paragraph(str(number), styles.cell), Paragraph(escape(category), styles.cell),
                         Paragraph(escape(subject), styles.cell), Paragraph(escape(status), styles.cell),
                         Paragraph(steps, styles.cell)])
        story.append(data_table(rows, [0.45, 1.1, 1.1, 1.25, WIDTH - 3.9]))
    write_pdf(
        out, story, title=f"Complaint log — {log.school_year}", author=log.district_name,
        subject="SRO program complaints", watermark=None,
        footer_left=f"Complaint log — {log.school_year} — {log.district_name}",
    )
