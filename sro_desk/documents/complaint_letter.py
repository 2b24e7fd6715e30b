"""The letter telling a complainant the resolution, in their language."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Spacer

from sro_desk.documents.common import write_pdf
from sro_desk.documents.complaint_form import Lettering
from sro_desk.records.complaints import PrintableLetter


def build_complaint_letter_pdf(letter: PrintableLetter, out: Path | BinaryIO) -> None:
    """One page: the district, the date, the greeting, the finding in plain words."""
    text = letter.text
    kind = Lettering(text.get("font", "DejaVuSans"))
    styles = kind.styles
    subject = text["subjects"].get(letter.subject, letter.subject)
    greeting = text["greeting_named"].format(name=letter.name) if letter.name else text["greeting"]
    story = [
        kind.para(letter.district_name, styles.subheading, bold=True),
        kind.para(letter.dated, styles.body),
        Spacer(1, 0.2 * inch),
        kind.para(text["title"], styles.heading, bold=True),
        kind.para(greeting, styles.body),
        kind.para(text["received"].format(received_on=letter.received_on, subject=subject), styles.body),
        kind.para(text["reviewed"], styles.body),
        kind.para(text["finding_intro"], styles.body, bold=True),
        kind.para(text["findings"].get(letter.finding, letter.finding), styles.body),
        kind.para(text["questions"], styles.body),
        Spacer(1, 0.3 * inch),
        kind.para(text["signoff"], styles.body),
        Spacer(1, 0.5 * inch),
        kind.para(letter.district_name, styles.body),
    ]
    if letter.note:
        story += [Spacer(1, 0.2 * inch), kind.para(letter.note, styles.note)]
    story += [Spacer(1, 0.3 * inch), kind.para(text["confidential"], styles.note)]
    write_pdf(
        out, story, title=text["title"], author=letter.district_name, subject="Complaint resolution",
        watermark=None, footer_left=letter.district_name,
    )
