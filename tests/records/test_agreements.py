"""Agreements: drafting from the library, checking, the lifecycle, comparing, printing data."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.errors import ConflictError, SroDeskError, ValidationError
from sro_desk.records import agreement_blanks, agreements
from sro_desk.records.agreement_text import without_notes
from sro_desk.records.clause_library import load_library
from sro_desk.records.demo import create_demo
from sro_desk.records.district import load_district, save_district
from tests.reads import reads
from tests.helpers import scan_pdf


@pytest.fixture
def draft(demo_file):
    agreement_id = agreements.new_from_library(demo_file, school_year="2026-2027")
    return agreements.load_agreement(demo_file, agreement_id)


def _reload(data_file, agreement):
    return agreements.load_agreement(data_file, agreement.id)


def test_a_library_draft_covers_every_component_and_is_prefilled(demo_file, draft):
    assert draft.status == "draft" and draft.source == "library"
    assert draft.library_version == load_library().version
    checks = agreements.checklist(draft)
    assert [c.code for c in checks] == [f"M{i}" for i in range(1, 9)] + [f"O{i}" for i in range(1, 8)]
    assert all(c.covered for c in checks)
    assert draft.blank("district_name").value == "Granite Valley Regional School District"
    assert "Ashby Falls Police Department" in draft.blank("department_names").value
    assert agreements.problems(draft) == []
    parties = [c for c in draft.clauses if c.key.startswith("mou.parties")]
    assert [c.key for c in parties] == ["mou.parties.several"]
    assert [s.name for s in draft.signatures] == ["Dr. Maria Santos", "Daniel O'Connell", "Keisha Thompson"]


def test_leaving_out_a_clause_flags_its_component(demo_file, draft):
    uniform = next(c for c in draft.clauses if "O1" in c.components)
    agreements.edit_clause(demo_file, draft, uniform.id, included=False)
    draft = _reload(demo_file, draft)
    missing = [c.code for c in agreements.checklist(draft) if not c.covered]
    assert missing == ["O1"]
    with pytest.raises(ValidationError) as caught:
        agreements.mark_ready(demo_file, draft)
    assert "missing" in caught.value.message and "O1" in caught.value.message
    agreements.mark_ready(demo_file, draft, reason="Uniform policy is in the department's manual.")
    assert _reload(demo_file, draft).status == "ready"


def test_required_empty_blanks_are_listed(demo_file, draft):
    agreements.set_blank(demo_file, draft, "sro_supervisor_title", "")
    draft = _reload(demo_file, draft)
    assert [b.key for b in agreements.missing_blanks(draft)] == ["sro_supervisor_title"]


def test_edited_clause_shows_its_change(demo_file, draft):
    clause = draft.clauses[5]
    agreements.edit_clause(demo_file, draft, clause.id, text=clause.text + "\n\nAn extra local sentence.")
    edited = next(c for c in _reload(demo_file, draft).clauses if c.id == clause.id)
    assert edited.changed
    assert any(line.startswith("+An extra local sentence.") for line in edited.diff())


@pytest.mark.parametrize(
    ("key", "raw", "stored"),
    [
        ("salary_split", "70/30", {"district": 70, "department": 30}),
        ("salary_split", {"district": 0, "department": 100}, {"district": 0, "department": 100}),
        ("training_hours", "16", 16),
        ("district_contact_titles", "Principal\nDean of Students", ["Principal", "Dean of Students"]),
        ("review_end_date", "2027-06-30", "2027-06-30"),
    ],
)
def test_typed_blanks_accept_good_values(demo_file, draft, key, raw, stored):
    assert agreements.set_blank(demo_file, draft, key, raw) == stored
    assert _reload(demo_file, draft).blank(key).value == stored


@pytest.mark.parametrize(
    ("key", "raw", "words"),
    [
        ("salary_split", "60/30", "add up to 100%"),
        ("salary_split", "half", "like 50/50"),
        ("training_hours", "twelve", "whole hours"),
        ("training_hours", "-3", "from 0 to 2000"),
        ("review_end_date", "June 30", "like 2027-06-30"),
    ],
)
def test_typed_blanks_refuse_bad_values_with_a_sentence(demo_file, draft, key, raw, words):
    before = draft.blank(key).value
    with pytest.raises(ValidationError) as caught:
        agreements.set_blank(demo_file, draft, key, raw)
    assert words in caught.value.message
    assert _reload(demo_file, draft).blank(key).value == before


def test_printed_blank_values_read_naturally():
    assert agreement_blanks.printed("split", {"district": 60, "department": 40}) == (
        "the District 60% and the Department 40%"
    )
    assert agreement_blanks.printed("titles", ["A", "B", "C"]) == "A, B and C"
    assert agreement_blanks.printed("date", "2027-06-30") == "June 30, 2027"
    assert agreement_blanks.printed("hours", None) == ""


def test_the_lifecycle_and_the_freeze(demo_file, draft):
    agreements.mark_ready(demo_file, draft)
    draft = _reload(demo_file, draft)
    with pytest.raises(SroDeskError):
        agreements.set_blank(demo_file, draft, "training_hours", 20)
    agreements.back_to_draft(demo_file, draft)
    draft = _reload(demo_file, draft)
    agreements.mark_ready(demo_file, draft)
    draft = _reload(demo_file, draft)
    with pytest.raises(ValidationError):
        agreements.record_signing(demo_file, draft, {})
    agreements.record_signing(
        demo_file, draft, {s.id: "2026-08-20" for s in draft.signatures}
    )
    signed = _reload(demo_file, draft)
    assert signed.status == "signed" and signed.signed_on == "2026-08-20"
    assert all(s.signed_on == "2026-08-20" for s in signed.signatures)
    with pytest.raises(SroDeskError) as caught:
        agreements.edit_clause(demo_file, signed, signed.clauses[0].id, text="changed")
    assert "start a new draft" in caught.value.message
    with pytest.raises(SroDeskError):
        agreements.record_filing(demo_file, _reload(demo_file, draft), "2026-13-01")
    agreements.record_filing(demo_file, signed, date(2026, 8, 29))
    assert _reload(demo_file, draft).status == "filed"


def test_signing_supersedes_the_earlier_agreement(demo_file):
    create_demo_ids = []
    for year in ("2024-2025", "2025-2026"):
        agreement_id = agreements.new_from_library(demo_file, school_year=year)
        agreement = agreements.load_agreement(demo_file, agreement_id)
        agreements.record_signing(
            demo_file, agreement, {s.id: f"{year[:4]}-08-15" for s in agreement.signatures}
        )
        create_demo_ids.append(agreement_id)
    first, second = (agreements.load_agreement(demo_file, i) for i in create_demo_ids)
    assert first.status == "superseded" and second.status == "signed"


def test_scanned_copy_is_attached_and_not_copied_into_the_audit(demo_file, draft, tmp_path):
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(scan_pdf(b"pretend scan " + b"x" * 5000))
    agreements.record_signing(
        demo_file, draft, {s.id: "2026-08-20" for s in draft.signatures}, scan=scan
    )
    name, media, data = agreements.attachment(demo_file, draft.id)
    assert (name, media) == ("signed.pdf", "application/pdf") and b"pretend scan" in data  # a clean copy
    audit = demo_file.query(
        "SELECT changes FROM audit_log WHERE table_name = 'agreement_attachment'"
    )[0]["changes"]
    assert f"{len(data)} bytes" in audit and "pretend scan" not in audit
    bad = tmp_path / "signed.exe"
    bad.write_bytes(b"MZ")
    other = agreements.load_agreement(
        demo_file, agreements.new_from_library(demo_file, school_year="2027-2028")
    )
    with pytest.raises(ValidationError):
        agreements.record_signing(demo_file, other, {s.id: "2027-08-20" for s in other.signatures}, scan=bad)


def test_next_year_starts_from_last_year_and_compare_shows_changes(demo_file, draft):
    clause = next(c for c in draft.clauses if c.key == "mou.duty_hours")
    agreements.edit_clause(demo_file, draft, clause.id, text="The SRO works a set schedule.")
    draft = _reload(demo_file, draft)
    nxt_id = agreements.new_from_previous(demo_file, draft.id, school_year="2027-2028")
    nxt = agreements.load_agreement(demo_file, nxt_id)
    assert nxt.based_on_id == draft.id and nxt.title.endswith("2027-2028")
    assert [c.text for c in nxt.clauses] == [c.text for c in draft.clauses]
    duty = next(c for c in nxt.clauses if c.key == "mou.duty_hours")
    agreements.edit_clause(demo_file, nxt, duty.id, text="The SRO works school days only.")
    goals = next(c for c in nxt.clauses if c.key == "mou.goals")
    agreements.edit_clause(demo_file, nxt, goals.id, included=False)
    nxt = agreements.load_agreement(demo_file, nxt_id)
    changes = {d.title: d.change for d in agreements.compare(draft, nxt)}
    assert changes[duty.title] == "changed"
    assert changes[goals.title] == "removed"
    assert list(changes.values()).count("same") > 30


def test_a_stale_clause_edit_is_a_conflict(demo_file, draft):
    clause = draft.clauses[0]
    agreements.edit_clause(demo_file, draft, clause.id, text="First edit.")
    with pytest.raises(ConflictError):
        agreements.edit_clause(demo_file, draft, clause.id, text="Second edit from an old copy.")


def test_costs_are_recorded_and_printed(demo_file, draft):
    agreements.set_costs(
        demo_file, draft,
        {"salary_benefits": (agreements.parse_amount("$58,800.00"), ""), "training": (145_000, "")},
    )
    printable = agreements.printable(demo_file, _reload(demo_file, draft))
    assert ("Salary and benefits (district share)", "$58,800.00") in printable.costs
    with pytest.raises(ValidationError):
        agreements.parse_amount("lots")


def test_printable_drops_notes_and_marks_statutory_clauses(demo_file, draft):
    agreements.set_blank(demo_file, draft, "sro_supervisor_title", "")
    draft = _reload(demo_file, draft)
    printable = agreements.printable(demo_file, draft)
    assert [p.title for p in printable.parts] == ["Memorandum of understanding", "Operating procedures"]
    texts = [p.plain() for part in printable.parts for c in part.clauses for p in c.paragraphs]
    assert not any("[[" in t for t in texts)
    assert any(c.statutory for part in printable.parts for c in part.clauses)
    blank_runs = [
        r for part in printable.parts for c in part.clauses for p in c.paragraphs
        for r in p.runs if r.blank == "sro_supervisor_title"
    ]
    assert blank_runs and all(r.text == "" for r in blank_runs)
    assert len(printable.signatories) == 3
    assert not printable.signed


def test_new_agreement_needs_a_district_and_a_good_year(tmp_path, demo_file):
    from sro_desk.store import DataFile, OpenOptions

    with DataFile.open(tmp_path / "empty.db", OpenOptions(create=True)) as empty:
        with pytest.raises(SroDeskError):
            agreements.new_from_library(empty, school_year="2026-2027")
    with pytest.raises(ValidationError):
        agreements.new_from_library(demo_file, school_year="2026")


def test_the_charter_variant_is_signed_by_the_head_of_school(demo_file):
    district = load_district(demo_file)
    district.kind = "charter"
    district.departments = district.departments[:1]
    save_district(demo_file, district)
    agreement = agreements.load_agreement(
        demo_file, agreements.new_from_library(demo_file, school_year="2026-2027", supervision="district")
    )
    keys = [c.key for c in agreement.clauses]
    assert "mou.parties.charter" in keys and "mou.supervision.district" in keys
    assert "mou.supervision.police" not in keys
    assert agreement.signatures[0].title == "Head of School"


def test_the_demo_has_a_signed_agreement_and_a_draft(new_file):
    create_demo(new_file, today=date(2026, 11, 22))
    found = {r["school_year"]: r["status"] for r in agreements.list_agreements(new_file)}
    assert found == {"2025-2026": "filed", "2026-2027": "draft"}
    draft = next(
        agreements.load_agreement(new_file, r["id"])
        for r in agreements.list_agreements(new_file)
        if r["status"] == "draft"
    )
    assert draft.blank("training_hours").value == 16
    assert all(not without_notes(c.text).count("[[") for c in draft.clauses)


def test_the_reminder_says_how_late_an_unsigned_agreement_is(demo_file):
    from sro_desk.records.agreement_review import agreement_reminder

    starts = date(2026, 7, 1)
    done, sentence = agreement_reminder(demo_file, "2026-2027", starts, date(2026, 6, 1))
    assert not done and "before the school year starts on July 1, 2026" in sentence
    done, sentence = agreement_reminder(demo_file, "2026-2027", starts, date(2026, 7, 11))
    assert not done and "started on July 1, 2026, 10 days ago" in sentence
    agreement = agreements.load_agreement(
        demo_file, agreements.new_from_library(demo_file, school_year="2026-2027")
    )
    assert "still a draft" in agreement_reminder(demo_file, "2026-2027", starts, date(2026, 6, 1))[1]
    agreements.record_signing(demo_file, agreement, {s.id: "2026-06-20" for s in agreement.signatures})
    done, sentence = agreement_reminder(demo_file, "2026-2027", starts, date(2026, 6, 21))
    assert not done and "file it with DESE" in sentence
    agreements.record_filing(demo_file, agreements.load_agreement(demo_file, agreement.id), "2026-06-25")
    assert agreement_reminder(demo_file, "2026-2027", starts, date(2026, 6, 26))[0]


def test_a_stale_copy_cannot_change_a_signed_agreement(demo_file, draft):
    stale = draft
    fresh = agreements.load_agreement(demo_file, draft.id)
    agreements.record_signing(demo_file, fresh, {s.id: "2026-08-20" for s in fresh.signatures})
    with pytest.raises(SroDeskError) as caught:
        agreements.edit_clause(demo_file, stale, stale.clauses[0].id, text="Altered after signing.")
    assert "start a new draft" in caught.value.message
    for change in (
        lambda: agreements.set_blank(demo_file, stale, "training_hours", 40),
        lambda: agreements.add_clause(demo_file, stale, part="mou", title="Extra", text="Added late."),
    ):
        with pytest.raises(SroDeskError):
            change()
    assert agreements.load_agreement(demo_file, draft.id).clauses[0].text == draft.clauses[0].text


def test_next_years_draft_refreshes_year_and_names_but_keeps_choices(demo_file, draft):
    agreements.set_blank(demo_file, draft, "training_hours", 20)
    district = load_district(demo_file)
    district.superintendent_name = "Dr. New Superintendent"
    district.name = "Granite Valley Regional Schools"
    save_district(demo_file, district)
    nxt = agreements.load_agreement(
        demo_file, agreements.new_from_previous(demo_file, draft.id, school_year="2027-2028")
    )
    assert nxt.blank("school_year").value == "2027-2028"
    assert nxt.blank("review_end_date").value == "2028-06-30"
    assert nxt.blank("district_name").value == "Granite Valley Regional Schools"
    assert nxt.blank("training_hours").value == 20
    assert nxt.signatures[0].name == "Dr. New Superintendent"


def test_the_agreement_pages_reads_are_prefetched_in_two_statements(new_file, tmp_path):
    """``page_reads`` and ``agreement_reads`` are the very statements ``list_agreements``
    and ``load_agreement`` make, so after prefetching them neither asks the file."""
    create_demo(new_file, today=date(2026, 11, 22))
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(scan_pdf(b"pretend scan"))
    draft = agreements.load_agreement(new_file, agreements.list_agreements(new_file)[0]["id"])
    agreements.record_signing(new_file, draft, {s.id: "2026-08-20" for s in draft.signatures}, scan=scan)
    expected = {row["id"]: agreements.load_agreement(new_file, row["id"]) for row in agreements.list_agreements(new_file)}
    assert len(expected) == 2
    statements: list[str] = []
    new_file.conn.set_trace_callback(statements.append)
    with new_file.reading():
        new_file.prefetch(agreements.page_reads(new_file))
        found = agreements.list_agreements(new_file)
        for agreement_id in expected:
            new_file.prefetch(agreements.agreement_reads(new_file, agreement_id))
            assert agreements.load_agreement(new_file, agreement_id) == expected[agreement_id]
    assert len(reads(statements)) == 3 and [r["id"] for r in found] == list(expected)
    assert [a.attachment_name for a in expected.values()] == ["signed.pdf", ""]
