"""The printed compliance status lists what is open in the dashboard's order: late first,
then what has no date but must be done now, then what is due soon, then later."""

from __future__ import annotations

from datetime import date

import pdfplumber

from sro_desk.documents.compliance import build_compliance_pdf
from sro_desk.records.obligations import Obligation, open_items


def test_the_printed_status_follows_the_dashboards_order(tmp_path):
    today = date(2026, 12, 8)
    items = [
        Obligation("later", "Hold the end-of-year review", date(2027, 6, 30), False, "Review", days_late=-204),
        Obligation("undated", "Agree the review metrics", None, False, "Review"),
        Obligation("soon", "Hold the December meeting", date(2026, 12, 20), False, "Meetings", days_late=-12),
        Obligation("now", "Certify Officer Bell (lapsed)", None, False, "Training", urgent=True),
        Obligation("late", "Acknowledge complaint 2026-004", date(2026, 11, 20), False, "Complaints",
                   days_late=18),
        Obligation("done", "File the agreement with DESE", date(2026, 9, 1), True, "Agreement"),
    ]
    out = tmp_path / "status.pdf"
    build_compliance_pdf(items, out, school_year="2026-2027", today=today, district="Granite Valley")
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    printed = [text.index(item.what) for item in open_items(items)]
    assert printed == sorted(printed)
    assert [o.key for o in open_items(items)] == ["late", "now", "soon", "later", "undated"]
