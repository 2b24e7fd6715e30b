"""Hostile input into every kind of record: it round-trips exactly or is refused in a
ValidationError sentence, the caller's object is untouched, and every printout still
builds (see hostile.py). 12 hypothesis examples per kind by default, 30 when CI=true."""

from __future__ import annotations

import io
import socket
from datetime import date

import pytest
from pypdf import PdfReader

from sro_desk.documents.agreement import build_agreement_pdf
from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records import agreements, training
from sro_desk.records import enforcement as enf
from sro_desk.records.agreement_text import PrintSignatory
from sro_desk.records.district import load_district, save_district
from sro_desk.records.enforcement_reports import printable_enforcement
from sro_desk.store import DataFile
from tests.reliability.common import Figures, assert_sentence, sha256
from tests.reliability.hostile import KINDS, enforcement_builder, run_kind


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_input(kind, demo_copy, battery_counts, scratch):
    figures = Figures()
    run_kind(kind, demo_copy, battery_counts.examples, out=scratch, figures=figures)
    assert figures.failures == []
    assert figures.inputs_tried == battery_counts.examples
    assert figures.saved + figures.refused > 0 and figures.printouts > 0
    assert figures.known_defects == {}


def test_the_enforcement_report_prints_hostile_text(demo_copy, battery_counts, scratch):
    pytest.importorskip("sro_desk.documents.enforcement")
    if enforcement_builder() is None:
        pytest.skip("documents.enforcement has no build_..._pdf function yet")
    figures = Figures()
    run_kind("enforcement", demo_copy, battery_counts.examples, out=scratch, figures=figures)
    assert figures.failures == [] and figures.printouts > 0


def _draft(data_file: DataFile) -> agreements.Agreement:
    found = next(a for a in agreements.list_agreements(data_file) if a["status"] == "draft")
    return agreements.load_agreement(data_file, found["id"])


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_markup_prints_as_typed_and_fetches_nothing(demo_copy, monkeypatch):
    """An <img> tag in a clause would make reportlab fetch its URL; it must print as text."""
    typed = 'Call <img src="http://127.0.0.1:9/pixel.png" width="400"/> & <b>not bold</b>'

    def no_network(*args, **kwargs):
        raise AssertionError("printing tried to reach the network")

    with DataFile.open(demo_copy) as data_file:
        draft = _draft(data_file)
        agreements.edit_clause(data_file, draft, draft.clauses[0].id, text=typed)
        printable = agreements.printable(data_file, _draft(data_file))
    monkeypatch.setattr(socket.socket, "connect", no_network)
    out = io.BytesIO()
    build_agreement_pdf(printable, out)
    text = " ".join(_pdf_text(out.getvalue()).split())
    assert '<img src="http://127.0.0.1:9/pixel.png" width="400"/>' in text
    assert "& <b>not bold</b>" in text
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert not any(page.images for page in reader.pages)


# Reported by this battery (a year-1 typo was accepted, and that year's report and export
# then raised ValueError) and fixed in records/enforcement.py validate and save_activity.
@pytest.mark.parametrize("typed", ["0001-01-01 10:00", "0026-10-02 09:30", "1000-06-30 12:00"])
def test_an_enforcement_date_in_the_distant_past_is_refused_or_reportable(demo_copy, typed):
    with DataFile.open(demo_copy) as data_file:
        school = data_file.query("SELECT id FROM school ORDER BY id LIMIT 1")[0]["id"]
        before = sha256(demo_copy)
        day = typed.split()[0]
        for save in (
            lambda: enf.save_action(data_file, enf.Action(typed, school, "grounds", "citation")),
            lambda: enf.save_action(data_file, enf.Action(
                "2026-10-02 09:30", school, "grounds", "arrest", parent_notified_at=typed), today=date(2026, 10, 3)),
            lambda: enf.save_activity(data_file, enf.Activity(day, next(iter(enf.ACTIVITY_KINDS)), 1, school)),
        ):
            with pytest.raises(ValidationError) as refused:
                save()
            assert_sentence(refused.value.message)
            assert "1980" in refused.value.message
        assert sha256(demo_copy) == before
        for year in enf.years_with_actions(data_file):
            printable_enforcement(data_file, year)


# Reported by this battery (a signatory's name of ~3,000 characters made reportlab raise
# LayoutError, so the agreement could not be printed) and fixed on both sides:
# records/agreements.py set_signatory and records/district.py validate refuse names and
# titles over 200 characters, and documents/agreement.py _signature_block prints name and
# role as paragraphs that break long words and flow on to the next page.
def test_a_very_long_signatory_name_is_refused_or_printed(demo_copy):
    with DataFile.open(demo_copy) as data_file:
        draft = _draft(data_file)
        before = sha256(demo_copy)
        for name, title in (("Ana " * 1500, "Superintendent"), ("Ana Ruiz", "Superintendent " * 100)):
            with pytest.raises(ValidationError) as refused:
                agreements.set_signatory(data_file, draft, draft.signatures[0].id, name=name, title=title)
            assert_sentence(refused.value.message)
            assert "200 characters" in refused.value.message
        assert sha256(demo_copy) == before
        district = load_district(data_file)
        district.superintendent_name = "Ana " * 1500
        with pytest.raises(ValidationError):
            save_district(data_file, district)
        district = load_district(data_file)
        district.departments[0].chief_name = "Sam " * 1500
        with pytest.raises(ValidationError):
            save_district(data_file, district)
        printable = agreements.printable(data_file, _draft(data_file))
    # What the file may already hold (saved before the limit, or by hand) still prints:
    # names, titles and organisations of thousands of characters, with and without spaces.
    printable.signatories[0] = PrintSignatory("Ana " * 1500, "Superintendent " * 300, "District " * 400, "")
    printable.signatories[-1] = PrintSignatory("A" * 9000, "T" * 3000, "O" * 3000, "2026-10-01" * 500)
    out = io.BytesIO()
    build_agreement_pdf(printable, out)
    text = _pdf_text(out.getvalue())
    assert "Ana Ana Ana" in text and "AAAAAAAAAA" in text
    # ...and inside the yearly DESE filing.
    from dataclasses import replace

    from sro_desk.documents.dese_filing import build_filing_pdf
    from sro_desk.records.dese_filing import printable_filing

    with DataFile.open(demo_copy) as data_file:
        filing = replace(printable_filing(data_file, _draft(data_file)), agreement=printable)
    out = io.BytesIO()
    build_filing_pdf(filing, out)
    text = _pdf_text(out.getvalue())
    assert "Ana Ana Ana" in text and "AAAAAAAAAA" in text


# Reported by this battery (a refusal quoted the whole pasted input: many lines, thousands
# of characters) and fixed in records/training.py parse_hours, records/agreements.py
# parse_amount (errors.quoted) and the district's sentences naming a school or department.
@pytest.mark.parametrize("parse", [training.parse_hours, agreements.parse_amount], ids=["hours", "amount"])
def test_a_refusal_quotes_at_most_a_short_line_of_what_was_typed(parse):
    with pytest.raises(SroDeskError) as refused:
        parse("12\nhours\n" + "x" * 3000)
    assert "\n" not in refused.value.message and len(refused.value.message) < 300
    assert refused.value.message.startswith("'12\u2026' is not")
    with pytest.raises(SroDeskError) as refused:
        parse("\u202e" + "y" * 3000)
    assert_sentence(refused.value.message)
    assert refused.value.message.startswith("'" + "y" * 40 + "\u2026' is not")
    with pytest.raises(SroDeskError) as refused:
        parse("twelve")
    assert refused.value.message.startswith("'twelve' is not")


def test_the_districts_sentences_name_a_pasted_name_in_a_short_line(demo_copy):
    pasted = "Line one of a pasted cell\nline two\n" + "z" * 150
    with DataFile.open(demo_copy) as data_file:
        district = load_district(data_file)
        district.schools[1].name = district.schools[0].name = pasted
        with pytest.raises(ValidationError) as refused:
            save_district(data_file, district)
        assert_sentence(refused.value.message)
        assert "Line one of a pasted cell\u2026" in refused.value.message
        district = load_district(data_file)
        district.departments.append(type(district.departments[0])(pasted, "", ""))
        district.departments[0].name = pasted
        with pytest.raises(ValidationError) as refused:
            save_district(data_file, district)
        assert_sentence(refused.value.message)
        assert len(refused.value.message) < 150
