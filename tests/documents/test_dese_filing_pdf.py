"""The yearly DESE filing PDF, read back: cover, components, agreement, costs and shares,
mental-health budget, the superintendent's request, sources; missing facts say so."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from sro_desk.documents import catalog
from sro_desk.documents.agreement import COSTS_TITLE, FILING_TITLE
from sro_desk.documents.dese_filing import (
    COMPONENTS_TITLE,
    MENTAL_HEALTH_TITLE,
    REQUEST_TITLE,
    SOURCES_TITLE,
    build_filing_pdf,
)
from sro_desk.records import agreements, dese_filing
from tests.documents.pdftext import HOSTILE, flat, lines, texts

TODAY = date(2026, 12, 9)
FACTS = dict(
    contact_name="Dr. Maria Santos", contact_title="Superintendent", contact_email="msantos@gvrsd.org",
    contact_phone="508-555-0142", org_code="06830000", request_on="2021-06-01",
    request_by="Dr. Maria Santos, Superintendent", request_text="One SRO for the high school",
    mental_health_budget="412,500.50",
)


@pytest.fixture
def draft(demo_file):
    agreement_id = agreements.new_from_library(demo_file, school_year="2026-2027")
    agreement = agreements.load_agreement(demo_file, agreement_id)
    agreements.set_blank(demo_file, agreement, "salary_split", "60/40")
    return agreements.load_agreement(demo_file, agreement_id)


def _costs(data_file, agreement, costs=None):
    agreements.set_costs(data_file, agreement, costs if costs is not None else {
        "salary_benefits": (5_880_000, "60% of one officer's salary and benefits"),
        "training": (145_000, "Conference fees"),
        "equipment": (62_500, ""),
        "other": (0, ""),
    })
    return agreements.load_agreement(data_file, agreement.id)


def _build(tmp_path: Path, filing) -> Path:
    out = tmp_path / "filing.pdf"
    build_filing_pdf(filing, out)
    return out


@pytest.fixture
def full(tmp_path, demo_file, draft):
    dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **FACTS)
    agreement = _costs(demo_file, draft)
    return _build(tmp_path, dese_filing.printable_filing(demo_file, agreement, today=TODAY))


def test_the_cover_names_the_district_its_code_the_year_and_the_contact(full):
    cover = " ".join(texts(full)[0].split())
    assert FILING_TITLE in cover
    for expected in ("School district Granite Valley Regional School District", "DESE district code 06830000",
                     "School year 2026-2027", "Contact person Dr. Maria Santos", "Contact's title Superintendent",
                     "Contact's email msantos@gvrsd.org", "Contact's phone 508-555-0142",
                     "Date prepared December 9, 2026", "Ashby Falls Police Department"):
        assert expected in cover
    for enclosed in (COMPONENTS_TITLE, COSTS_TITLE, MENTAL_HEALTH_TITLE, REQUEST_TITLE, SOURCES_TITLE):
        assert enclosed in cover
    assert "not recorded" not in cover


def test_every_component_is_mapped_to_the_sections_that_cover_it(full):
    page = " ".join(texts(full)[1].split())
    assert COMPONENTS_TITLE in page and "All 15 components are covered." in page
    text = flat(full)
    for code in [f"M{i}" for i in range(1, 9)] + [f"O{i}" for i in range(1, 8)]:
        assert f" {code} " in text
    assert "MOU 2. Mission" in text and "OP 1. Uniform" in text


def test_the_agreement_and_procedures_are_printed_whole(full):
    text = flat(full)
    assert "Memorandum of understanding" in text and "Operating procedures" in text and "Signatures" in text
    assert "[[" not in text and "DRAFT" in text  # a draft says so on every page


def test_costs_print_each_category_the_total_and_each_party_s_share(full):
    text = flat(full)
    # By hand: 58,800 + 1,450 + 625 + 0 = 60,875; 40% beside the district's 60% is 39,200.
    for expected in ("Salary and benefits (district share) $58,800.00", "Training $1,450.00 Conference fees",
                     "Equipment and space $625.00", "Other costs $0.00", "Total cost to the district $60,875.00",
                     "The district 60% $58,800.00", "The police department(s) 40% $39,200.00 (worked out)",
                     "Salary and benefits in all 100% $98,000.00 (worked out)"):
        assert expected in text, expected
    assert "(of the costs recorded)" not in text


def test_the_mental_health_budget_is_footnoted_as_read_in_dese_s_paraphrase(full):
    text = flat(full)
    assert "$412,500.50" in text
    assert "school year 2026-2027" in text
    assert "G.L. c. 71, § 37P (mental-health staffing budget)" in text
    assert "Read in DESE's paraphrase, not in the statute." in text


def test_the_superintendent_s_request_is_printed(full):
    text = flat(full)
    assert "Date of the request June 1, 2021" in text
    assert "Made by Dr. Maria Santos, Superintendent" in text
    assert "What it asked One SRO for the high school" in text
    assert "G.L. c. 71, § 37P (assignment; subsection letter not confirmed)" in text
    assert "Since 2020 a district need not" not in text


def test_the_last_page_lists_the_sources_with_how_and_when_they_were_checked(full):
    last = " ".join(texts(full)[-1].split()).removeprefix("DRAFT ")
    assert last.startswith(SOURCES_TITLE)
    with pdfplumber.open(full) as pdf:  # the first column alone (no watermark): each citation whole
        page = pdf.pages[-1].filter(lambda obj: obj.get("size", 0) < 50)
        column = " ".join((page.crop((0, 0, 0.9 * 72 + 1.4 * 72, page.height)).extract_text() or "").split())
    for source_id in dese_filing.FILING_SOURCES:
        assert dese_filing._law_sources()[1][source_id].citation in column, source_id
    assert "secondary source" in last and "Not confirmed" in last
    assert "December 8, 2026" in last
    assert "no law sets it" in last


def test_headings_are_bookmarked_and_the_metadata_names_the_filing(full):
    reader = PdfReader(full)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in (FILING_TITLE, COMPONENTS_TITLE, COSTS_TITLE, SOURCES_TITLE):
        assert title in top
    assert reader.metadata.subject == FILING_TITLE
    assert reader.metadata.title.startswith("DESE filing: ")


def test_missing_facts_print_as_not_recorded_never_blank(tmp_path, demo_file, draft):
    agreement = _costs(demo_file, draft, {"training": (100_000, "")})
    path = _build(tmp_path, dese_filing.printable_filing(demo_file, agreement, today=TODAY))
    laid_out = lines(path)
    for label in ("DESE district code", "Contact person", "Contact's title", "Contact's email", "Contact's phone",
                  "Date of the request", "Made by", "What it asked"):
        assert f"{label} not recorded" in laid_out, label
    text = flat(path)
    assert "Salary and benefits (district share) not recorded" in text
    assert "Equipment and space not recorded" in text
    assert "Total cost to the district (of the costs recorded) $1,000.00" in text
    assert "The police department(s) 40% not recorded" in text
    assert "The district's share of salary and benefits is not recorded." in text
    assert "health support staff, school year 2026-2027 not recorded" in text
    assert "Since 2020 a district need not have a school resource officer" in text
    assert "the assignment rests on that request" in text


def test_a_component_nothing_covers_says_so(tmp_path, demo_file, draft):
    uniform = next(c for c in draft.clauses if "O1" in c.components)
    agreements.edit_clause(demo_file, draft, uniform.id, included=False)
    agreement = agreements.load_agreement(demo_file, draft.id)
    text = flat(_build(tmp_path, dese_filing.printable_filing(demo_file, agreement)))
    assert "O1 Uniform not covered" in text
    assert "1 of 15 components are not covered by any section." in text


def test_hostile_text_in_every_fact_prints_literally(tmp_path, demo_file, draft, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    nasty = " ".join(HOSTILE)
    filing = dese_filing.printable_filing(demo_file, _costs(demo_file, draft, {
        "salary_benefits": (5_000_000, nasty)}))
    facts = dese_filing.FilingFacts(
        contact_name=nasty, contact_title=nasty, contact_email=nasty, contact_phone=nasty, org_code=nasty,
        request_on="2021-06-01", request_by=nasty, request_text=nasty,
        mental_health_budgets={"2026-2027": 100},
    )
    agreement = dataclasses.replace(filing.agreement, district_name=nasty, department_names=[nasty])
    path = _build(tmp_path, dataclasses.replace(filing, facts=facts, agreement=agreement))
    text = flat(path)
    assert fetched == []
    assert "<img src='http://example.com/x.png'/>" in text
    assert "<b>x" in text and "&amp;" in text and "<font name='Nope'>" in text
    assert "bellend" in text


def test_the_print_center_s_dese_choice_prints_the_whole_filing(tmp_path, demo_file, draft):
    agreement = _costs(demo_file, draft)
    entry = catalog.find("agreement")
    filing = tmp_path / "filing.pdf"
    entry.prepare(demo_file, {"agreement_id": agreement.id, "dese": True})(filing, None)
    plain = tmp_path / "plain.pdf"
    entry.prepare(demo_file, {"agreement_id": agreement.id, "dese": False})(plain, None)
    assert COMPONENTS_TITLE in flat(filing) and "$39,200.00" in flat(filing)
    assert COMPONENTS_TITLE not in flat(plain) and FILING_TITLE not in flat(plain)
