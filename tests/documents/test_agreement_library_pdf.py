"""The demo district's agreement, drafted from the current clause library, printed: every
item the 2026.2 edition added or corrected is on paper, bold only where the law requires."""

from __future__ import annotations

from datetime import date

import pdfplumber
import pytest

from sro_desk.documents.agreement import build_agreement_pdf
from sro_desk.records import agreements
from sro_desk.records.clause_library import load_library
from sro_desk.records.demo import create_demo


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(the page text with runs of white space made single, the words with their fonts)."""
    from sro_desk.store import DataFile, OpenOptions

    folder = tmp_path_factory.mktemp("library_pdf")
    with DataFile.open(folder / "demo.db", OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date(2026, 11, 22))
        draft = next(
            agreements.load_agreement(data_file, row["id"])
            for row in agreements.list_agreements(data_file)
            if row["status"] == "draft"
        )
        assert draft.library_version == load_library().version
        out = folder / "agreement.pdf"
        build_agreement_pdf(agreements.printable(data_file, draft), out)
    with pdfplumber.open(out) as pdf:
        # without the large "DRAFT" watermark, whose letters land among the words
        pages = [page.filter(lambda obj: obj.get("size", 0) < 50) for page in pdf.pages]
        text = " ".join(" ".join((page.extract_text() or "") for page in pages).split())
        words = [w for page in pages for w in page.extract_words(extra_attrs=["fontname"])]
    return text, words


def _bold(words: list[dict], word: str) -> set[bool]:
    found = {"Bold" in w["fontname"] for w in words if w["text"].strip(".,;:()") == word}
    assert found, word
    return found


@pytest.mark.parametrize(
    "phrase",
    [
        # assignment at the superintendent's request; no district must have an SRO
        "No school district is required to have a School Resource Officer",
        "only at the Superintendent's request",
        # c. 272: buildings, grounds and events; adjudication, then the local commitment
        "in a school building, on school grounds or during a school-related event",
        "cannot be adjudged a delinquent child",
        "The parties go further than the law requires",
        # § 37L's categories
        "immigration status; • citizenship; • neighborhood of residence; • religion; • national origin; "
        "• ethnicity; • suspected, alleged or confirmed gang affiliation",
        "germane to a specific unlawful incident",
        # posting as a local choice; the DESE filing
        "posts the current agreement and operating procedures on its website",
        "reports to DESE what assigning school resource officers costs the District",
        # certification and the yearly performance review
        "special school resource officer certification",
        "review the SRO's performance together every year",
        # the model agreement's protections
        "It does not create any right or claim",
        "Family Educational Rights and Privacy Act (FERPA)",
        "Health Insurance Portability and Accountability Act (HIPAA)",
        "state student record regulations",
        "privileged or confidential",
        "individualized education program (IEP) or Section 504 plan",
        "only when the student's parent or guardian",
        "to supervise hallways, the cafeteria, recess",
        "to act as a substitute",
        "School staff do not act as agents of the police",
        "A school matter becomes a matter for the SRO only when",
    ],
)
def test_every_new_item_prints(printed, phrase):
    text, _words = printed
    assert phrase in text


def test_what_the_law_requires_is_bold_and_local_choices_are_not(printed):
    text, words = printed
    assert "[[" not in text and "A local choice" not in text  # drafting notes never print
    assert _bold(words, "citizenship") == {True}  # § 37L
    assert _bold(words, "adjudged") == {True}  # c. 272
    assert _bold(words, "website") == {False}  # posting: a local choice
    assert _bold(words, "HIPAA") == {False}  # the model agreement's protections
    assert _bold(words, "cafeteria") == {False}
