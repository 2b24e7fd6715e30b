"""The DESE filing's facts (kept as settings), the costs' total and shares, and the filing
as gathered for printing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sro_desk.errors import ValidationError
from sro_desk.records import agreements, dese_filing
from sro_desk.records.obligations import obligations
from sro_desk.records.settings import all_settings
from sro_desk.resources import resource_path

TODAY = date(2026, 12, 9)


@pytest.fixture
def draft(demo_file):
    agreement_id = agreements.new_from_library(demo_file, school_year="2026-2027")
    return agreements.load_agreement(demo_file, agreement_id)


def _with(data_file, agreement, *, split=None, costs=None):
    if split is not None:
        agreements.set_blank(data_file, agreement, "salary_split", split)
        agreement = agreements.load_agreement(data_file, agreement.id)
    if costs is not None:
        agreements.set_costs(data_file, agreement, costs)
    return agreements.load_agreement(data_file, agreement.id)


# -- costs: total and shares ------------------------------------------------------------------


def test_total_and_shares_from_the_split(demo_file, draft):
    draft = _with(demo_file, draft, split="60/40", costs={
        "salary_benefits": (5_880_000, "60% of one officer"),
        "training": (145_000, ""),
        "equipment": (62_500, ""),
        "other": (0, ""),
    })
    costs = agreements.cost_summary(draft)
    # By hand: 58,800 + 1,450 + 625 + 0 = 60,875; 58,800 is 60%, so 40% is 39,200, 100% is 98,000.
    assert costs.total_cents == 6_087_500
    assert costs.split == {"district": 60, "department": 40}
    assert costs.district_salary_cents == 5_880_000
    assert costs.department_salary_cents == 3_920_000
    assert costs.whole_salary_cents == 9_800_000
    assert costs.not_recorded == [] and costs.notes == []
    assert [line.category for line in costs.lines] == list(agreements.COST_CATEGORIES)
    assert costs.lines[0].note == "60% of one officer"


def test_a_share_that_does_not_divide_evenly_is_rounded_to_the_cent(demo_file, draft):
    draft = _with(demo_file, draft, split="75/25", costs={"salary_benefits": (1_000_001, "")})
    costs = agreements.cost_summary(draft)
    # 10,000.01 x 25/75 = 3,333.3366..., so $3,333.34; in all 13,333.35.
    assert costs.department_salary_cents == 333_334
    assert costs.whole_salary_cents == 1_333_335
    assert costs.total_cents == 1_000_001


def test_the_district_paying_everything_leaves_the_department_nothing(demo_file, draft):
    draft = _with(demo_file, draft, split="100/0", costs={"salary_benefits": (9_000_000, "")})
    costs = agreements.cost_summary(draft)
    assert costs.department_salary_cents == 0 and costs.whole_salary_cents == 9_000_000


def test_missing_costs_are_not_recorded_and_left_out_of_the_total(demo_file, draft):
    draft = _with(demo_file, draft, costs={"training": (100_000, "")})
    costs = agreements.cost_summary(draft)
    assert costs.total_cents == 100_000
    assert costs.not_recorded == ["Salary and benefits (district share)", "Equipment and space", "Other costs"]
    assert [line.cents for line in costs.lines] == [None, 100_000, None, None]
    assert costs.district_salary_cents is None and costs.department_salary_cents is None
    assert costs.notes == ["The district's share of salary and benefits is not recorded."]


def test_an_empty_split_gives_no_shares(demo_file, draft):
    draft = _with(demo_file, draft, split="", costs={"salary_benefits": (5_000_000, "")})
    costs = agreements.cost_summary(draft)
    assert costs.split is None and costs.department_salary_cents is None and costs.whole_salary_cents is None
    assert "does not say how" in costs.notes[0]


def test_a_district_share_of_nothing_cannot_show_the_department_s(demo_file, draft):
    draft = _with(demo_file, draft, split="0/100", costs={"salary_benefits": (250_000, "")})
    costs = agreements.cost_summary(draft)
    assert costs.department_salary_cents is None and costs.whole_salary_cents is None
    assert "cannot be worked out" in costs.notes[0]
    assert "$2,500.00" in costs.notes[1] and "0%" in costs.notes[1]


# -- the facts, kept as settings ------------------------------------------------------------------


FACTS = dict(
    contact_name="Dr. Maria Santos", contact_title="Superintendent", contact_email="msantos@gvrsd.org",
    contact_phone="508-555-0142", org_code="06830000", request_on="2021-06-01",
    request_by="Dr. Maria Santos, Superintendent", request_text="One SRO for the high school",
    mental_health_budget="412,500.50", due="9/15",
)


def test_facts_are_stored_as_settings_and_read_back(demo_file):
    assert dese_filing.load_facts(demo_file) == dese_filing.FilingFacts()
    facts = dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **FACTS)
    assert facts.contact_name == "Dr. Maria Santos" and facts.org_code == "06830000"
    assert facts.request_on == "2021-06-01" and facts.due == "09-15"
    assert facts.mental_health_budget("2026-2027") == 41_250_050
    assert facts.mental_health_budget("2025-2026") is None
    stored = all_settings(demo_file)
    assert stored["dese_contact_name"] == "Dr. Maria Santos"
    assert stored["dese_contact_title"] == "Superintendent"
    assert stored["dese_contact_email"] == "msantos@gvrsd.org"
    assert stored["dese_contact_phone"] == "508-555-0142"
    assert stored["dese_org_code"] == "06830000"
    assert stored["sro_request_on"] == "2021-06-01"
    assert stored["sro_request_by"] == "Dr. Maria Santos, Superintendent"
    assert stored["sro_request_text"] == "One SRO for the high school"
    assert stored["mental_health_budget:2026-2027"] == "41250050"
    assert stored["dese_filing_due"] == "09-15"
    assert dese_filing.load_facts(demo_file) == facts


def test_budgets_are_kept_per_school_year(demo_file):
    dese_filing.save_facts(demo_file, school_year="2025-2026", mental_health_budget="300000")
    facts = dese_filing.save_facts(demo_file, school_year="2026-2027", mental_health_budget="350,000")
    assert facts.mental_health_budgets == {"2025-2026": 30_000_000, "2026-2027": 35_000_000}


def test_saving_again_writes_only_what_changed(demo_file):
    dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **FACTS)
    versions = {r["key"]: r["version"] for r in demo_file.query("SELECT key, version FROM setting")}
    dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **{**FACTS, "contact_phone": "508-555-0199"})
    after = {r["key"]: r["version"] for r in demo_file.query("SELECT key, version FROM setting")}
    changed = {key for key in after if after[key] != versions.get(key)}
    assert changed == {"dese_contact_phone"}


def test_emptying_a_fact_clears_it(demo_file):
    dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **FACTS)
    facts = dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY,
                                   **{**FACTS, "org_code": "", "mental_health_budget": " "})
    assert facts.org_code == "" and facts.mental_health_budget("2026-2027") is None


@pytest.mark.parametrize("typed, stored", [
    ("02740000", "02740000"), (" 0274 0000 ", "02740000"), ("00350000", "00350000"), ("", ""),
])
def test_a_district_code_is_eight_digits_with_its_zeros(typed, stored):
    assert dese_filing.parse_org_code(typed) == stored


@pytest.mark.parametrize("typed", ["2740000", "027400001", "0274000A", "0274-0000", "O2740000", "٠٢٧٤٠٠٠٠"])
def test_anything_else_is_refused_as_a_district_code(typed):
    with pytest.raises(ValidationError) as caught:
        dese_filing.parse_org_code(typed)
    assert caught.value.field == "org_code" and "eight digits" in caught.value.message


@pytest.mark.parametrize("name, typed, words", [
    ("org_code", "1234", "eight digits"),
    ("contact_email", "maria at gvrsd", "email address"),
    ("contact_phone", "call the office", "phone number"),
    ("contact_name", "x" * 201, "too long"),
    ("request_on", "June 1st", "2027-06-30"),
    ("request_on", "2027-01-01", "after today"),
    ("request_text", "x" * 2001, "too long"),
    ("due", "Aug 31", "08-31"),
    ("due", "02-30", "08-31"),
    ("mental_health_budget", "a lot", "mental-health budget"),
])
def test_a_bad_fact_is_refused_by_name_and_nothing_is_stored(demo_file, name, typed, words):
    with pytest.raises(ValidationError) as caught:
        dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **{**FACTS, name: typed})
    assert caught.value.field == name and words in caught.value.message
    assert not any(key.startswith(("dese_", "sro_request", "mental_health")) for key in all_settings(demo_file))


def test_the_due_date_is_dese_s_yearly_date_and_the_dashboard_follows_it(demo_file):
    facts = dese_filing.load_facts(demo_file)
    assert facts.due == "" and facts.due_month_day == (8, 31) and dese_filing.due_text(facts) == "August 31"
    dese_filing.save_facts(demo_file, school_year="2026-2027", due="09-15")
    facts = dese_filing.load_facts(demo_file)
    assert facts.due_month_day == (9, 15) and dese_filing.due_text(facts) == "September 15"
    found = obligations(demo_file, today=date(2026, 9, 1), school_year="2026-2027")
    assert next(o for o in found if o.key == "agreement_filed").due == date(2026, 9, 15)


# -- the filing as printed ---------------------------------------------------------------------


def test_the_filing_maps_every_component_to_its_printed_sections(demo_file, draft):
    filing = dese_filing.printable_filing(demo_file, draft, today=TODAY)
    assert [row.code for row in filing.components] == [f"M{i}" for i in range(1, 9)] + [f"O{i}" for i in range(1, 8)]
    assert all(row.sections for row in filing.components)
    short = {"Memorandum of understanding": "MOU", "Operating procedures": "OP"}
    printed = {f"{short[part.title]} {clause.number}. {clause.title}"
               for part in filing.agreement.parts for clause in part.clauses}
    assert {section for row in filing.components for section in row.sections} <= printed
    assert filing.prepared_on == "December 9, 2026"


def test_a_component_left_out_has_no_sections(demo_file, draft):
    uniform = next(c for c in draft.clauses if "O1" in c.components)
    agreements.edit_clause(demo_file, draft, uniform.id, included=False)
    draft = agreements.load_agreement(demo_file, draft.id)
    rows = {row.code: row for row in dese_filing.printable_filing(demo_file, draft).components}
    assert rows["O1"].sections == []


def test_the_filing_names_its_legal_sources_from_the_shipped_list(demo_file, draft):
    data = json.loads(resource_path("law", "sources.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in data["sources"]}
    assert set(dese_filing.FILING_SOURCES) <= set(by_id)
    filing = dese_filing.printable_filing(demo_file, draft)
    assert [s.id for s in filing.sources] == list(dese_filing.FILING_SOURCES)
    assert filing.sources_checked_on == data["checked_on"]
    assign = filing.source("c71-37p-assign")
    assert assign.citation == by_id["c71-37p-assign"]["citation"]
    assert assign.how_checked == "secondary source" and assign.unconfirmed


def test_the_filing_carries_the_facts_and_the_costs(demo_file, draft):
    dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **FACTS)
    draft = _with(demo_file, draft, split="60/40", costs={"salary_benefits": (5_880_000, "")})
    filing = dese_filing.printable_filing(demo_file, draft)
    assert filing.facts.org_code == "06830000"
    assert filing.mental_health_budget == 41_250_050
    assert filing.costs.department_salary_cents == 3_920_000
    assert filing.agreement.school_year == "2026-2027"
