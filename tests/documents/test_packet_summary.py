"""The packet's compliance summary: late complaints as one protected count, complaints
about an officer to pass on as a line of their own (no count), and every other complaints
item (the yearly notice) kept as it is."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber

from sro_desk.documents import packet
from sro_desk.records import obligations as obligations_module
from sro_desk.records.obligations import COMPLAINTS, Obligation


class _Figures:
    def text(self, _key) -> str:
        return "fewer than 6"


def test_the_summary_says_only_what_each_line_counts(monkeypatch):
    items = [
        Obligation("complaint_12", "Complaint 12 (received 2026-11-02) has not been acknowledged.",
                   date(2026, 11, 9), False, COMPLAINTS, days_late=29),
        Obligation("complaint_pass_on_12", "Complaint 12 goes to the police department.", date(2026, 11, 4),
                   False, COMPLAINTS, days_late=34),
        Obligation("complaint_notice", "Tell students, families and staff about the complaint system.",
                   date(2026, 10, 1), False, COMPLAINTS, days_late=68),
    ]
    monkeypatch.setattr(obligations_module, "obligations", lambda *a, **k: list(items))
    section = packet._gather_summary(None, "2026-2027", date(2026, 12, 8), _Figures())
    out = io.BytesIO()
    section.build(out)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "Complaints past their targets: fewer than 6" in text
    assert "Complaints about an officer to pass to the police department" in text
    assert "Tell students, families and staff about the complaint system." in text  # not folded away
    assert "Complaint 12" not in text  # no complaint named in a public document
