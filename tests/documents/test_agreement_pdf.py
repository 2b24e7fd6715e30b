"""The agreement PDF, checked by its content: text, fonts, lines, pages, metadata."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

from sro_desk.documents.agreement import build_agreement_pdf
from sro_desk.documents.common import clean, escape
from sro_desk.records.agreement_text import (
    Paragraph,
    PrintableAgreement,
    PrintClause,
    PrintPart,
    PrintSignatory,
    Run,
)


def _agreement(status: str = "draft", **changes) -> PrintableAgreement:
    """A regional district's agreement: two parts, three signatories, blanks and bullets."""
    mou = PrintPart(
        "Memorandum of understanding",
        [
            PrintClause(
                "1",
                "Purpose of the program",
                statutory=True,
                paragraphs=[
                    Paragraph([Run("The officer shall forthwith support a safe school climate.")]),
                    Paragraph([Run("Keep students safe"), Run("")], bullet=True),
                    Paragraph([Run("Build positive relationships")], bullet=True),
                ],
            ),
            PrintClause(
                "2",
                "Assignment of officers",
                statutory=False,
                paragraphs=[
                    Paragraph(
                        [
                            Run("The chief assigns "),
                            Run("two", blank="officer_count"),
                            Run(" officers, reporting to "),
                            Run("", blank="supervisor"),
                            Run(". Ordinary wording stays plainly printed."),
                        ]
                    ),
                    Paragraph([Run("Officers "), Run("must not", bold=True), Run(" discipline students.")]),
                ],
            ),
            PrintClause("3", "Term of the agreement", False, [Paragraph([Run("Three years.")])]),
        ],
    )
    procedures = PrintPart(
        "Operating procedures",
        [
            PrintClause(
                "OP-1",
                "Daily check-in",
                statutory=False,
                paragraphs=[Paragraph([Run("The officer meets the principal at "), Run("7:30 am", blank="time")])],
            ),
            PrintClause(
                "OP-2",
                "Student records",
                statutory=True,
                paragraphs=[Paragraph([Run("Records are confidential under state law.")])],
            ),
        ],
    )
    values = dict(
        title="School Resource Officer Agreement",
        district_name="Quabbin Valley Regional School District",
        department_names=["Amherton Police Department", "Belfield Police Department"],
        school_year="2025-2026",
        status=status,
        parts=[mou, procedures],
        signatories=[
            PrintSignatory("Maria Alvarez", "Superintendent", "Quabbin Valley Regional School District"),
            PrintSignatory("Thomas Reed", "Chief of Police", "Amherton Police Department", "2025-08-15"),
            PrintSignatory("Priya Natarajan", "Chief of Police", "Belfield Police Department"),
        ],
        library_version="2025.2",
        costs=[("Officer salary share", "$48,000.00"), ("Training", "$1,250.00")],
    )
    values.update(changes)
    return PrintableAgreement(**values)


def _build(tmp_path: Path, agreement: PrintableAgreement, **options) -> Path:
    out = tmp_path / "agreement.pdf"
    build_agreement_pdf(agreement, out, **options)
    return out


def _texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _all_text(path: Path) -> str:
    return "\n".join(_texts(path))


def _words(path: Path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return [w for page in pdf.pages for w in page.extract_words(extra_attrs=["fontname"])]


def test_prints_parties_year_clauses_and_filled_blanks(tmp_path):
    text = _all_text(_build(tmp_path, _agreement()))
    for expected in (
        "School Resource Officer Agreement",
        "Quabbin Valley Regional School District",
        "Amherton Police Department",
        "Belfield Police Department",
        "2025-2026",
        "Memorandum of understanding",
        "Operating procedures",
        "1. Purpose of the program",
        "2. Assignment of officers",
        "3. Term of the agreement",
        "OP-1. Daily check-in",
        "OP-2. Student records",
        "The chief assigns two officers",
        "7:30 am",
        "required by a statute or regulation",
    ):
        assert expected in text, expected
    assert "[[" not in text


def test_unfilled_blank_prints_a_line(tmp_path):
    text = _all_text(_build(tmp_path, _agreement()))
    assert re.search(r"reporting to _{8,}\.", text)


def test_statutory_text_and_bold_runs_are_bold_plain_text_is_not(tmp_path):
    words = _words(_build(tmp_path, _agreement()))

    def fonts(word: str) -> set[str]:
        found = {w["fontname"] for w in words if w["text"].strip(".,") == word}
        assert found, word
        return found

    assert all("Bold" in name for name in fonts("forthwith"))
    assert all("Bold" in name for name in fonts("confidential"))
    assert all("Bold" in name for name in fonts("must"))
    assert not any("Bold" in name for name in fonts("plainly"))
    assert not any("Bold" in name for name in fonts("discipline"))


def test_fonts_are_embedded(tmp_path):
    reader = PdfReader(_build(tmp_path, _agreement()))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]


def test_every_page_says_page_n_of_total(tmp_path):
    long_part = PrintPart(
        "Operating procedures",
        [PrintClause(str(n), f"Procedure {n}", False, [Paragraph([Run("Words " * 150)])]) for n in range(12)],
    )
    agreement = _agreement()
    agreement.parts[1] = long_part
    texts = _texts(_build(tmp_path, agreement))
    total = len(texts)
    assert total > 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert "School Resource Officer Agreement \u2014 School year 2025-2026" in text


def test_draft_watermark_only_until_signed(tmp_path):
    draft = _all_text(_build(tmp_path, _agreement("draft")))
    signed = _all_text(_build(tmp_path, _agreement("signed")))
    assert "DRAFT" in draft
    assert "DRAFT" not in signed
    for page_text in _texts(_build(tmp_path, _agreement("draft"))):
        assert "DRAFT" in page_text


def test_signature_blocks_for_every_signatory(tmp_path):
    text = _all_text(_build(tmp_path, _agreement()))
    assert "Signatures" in text
    for name in ("Maria Alvarez", "Thomas Reed", "Priya Natarajan"):
        assert name in text
    assert "2025-08-15" in text
    assert text.count("Chief of Police") == 2


def test_signature_blocks_are_never_split_across_pages(tmp_path):
    people = [PrintSignatory(f"Signer Number{n}", "Member", f"Town {n}") for n in range(14)]
    texts = _texts(_build(tmp_path, _agreement(signatories=people)))
    heading_page = next(i for i, t in enumerate(texts) if "Signatures" in t)
    assert "Signer Number0" in texts[heading_page]
    for n in range(14):
        (page,) = [t for t in texts if f"Signer Number{n}" in t.splitlines()]
        assert f"Member, Town {n}" in page.splitlines()
    assert "Operating procedures" in texts[heading_page]  # no needless page break


def test_metadata_and_bookmarks(tmp_path):
    reader = PdfReader(_build(tmp_path, _agreement()))
    meta = reader.metadata
    assert "School Resource Officer Agreement" in meta.title
    assert "2025-2026" in meta.title
    assert meta.author == "Quabbin Valley Regional School District"
    assert meta.creator == "SRO Desk"
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Memorandum of understanding", "Operating procedures", "Signatures"]
    page_of = {item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
    assert page_of["Memorandum of understanding"] == 0
    assert page_of["Operating procedures"] > 0
    assert page_of["Signatures"] >= page_of["Operating procedures"]
    clauses = [item.title for item in reader.outline[1]]
    assert clauses[0] == "1. Purpose of the program"


HOSTILE = [
    "<b>unclosed",
    "<img src='http://example.com/x.png'/>",
    "&amp; &lt;",
    "<para>",
    "🚓👮",
    "مرحبا بالعالم",
    "שלום עולם",
    "bell\x00\x07end",
    "<font name='Nope'>",
]


def test_hostile_text_everywhere_prints_literally(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    nasty = " ".join(HOSTILE)
    clause = PrintClause(
        nasty,
        nasty,
        True,
        [
            Paragraph([Run(nasty), Run(nasty, bold=True), Run(nasty, blank="x")]),
            Paragraph([Run(nasty)], bullet=True),
            Paragraph([Run("long " * 2000)]),
            Paragraph([Run("x" * 10_000)]),
        ],
    )
    agreement = _agreement(
        title=nasty,
        district_name=nasty,
        department_names=[nasty, nasty],
        school_year=nasty,
        parts=[PrintPart(nasty, [clause]), PrintPart(nasty, [])],
        signatories=[PrintSignatory(nasty, nasty, nasty, nasty)],
        library_version=nasty,
        costs=[(nasty, nasty)],
    )
    path = _build(tmp_path, agreement)
    text = _all_text(path)
    assert fetched == []
    assert "<img src='http://example.com/x.png'/>" in text
    assert "<b>unclosed" in text
    assert "&amp; &lt;" in text
    assert "<para>" in text
    assert "bellend" in text  # NUL and BEL dropped
    assert PdfReader(path).metadata.author == clean(nasty)


def test_escape_and_clean():
    assert escape("<b>&x</b>") == "&lt;b&gt;&amp;x&lt;/b&gt;"
    assert escape("a\x00b\x07c\td\ne\r\nf") == "abc\td\ne\nf"
    assert escape("🚓 שלום") == "🚓 שלום"
    assert clean("\ud800x\x7f") == "x"


def test_writes_to_a_binary_file_object():
    buffer = io.BytesIO()
    build_agreement_pdf(_agreement(), buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    assert "Thomas Reed" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
