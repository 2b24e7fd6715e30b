"""Importing an existing agreement from .txt, .md and .docx files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records.agreement_text import BLANK, drafting_notes, render, without_notes
from sro_desk.records.mou_components import COMPONENT_KEYWORDS, match_components
from sro_desk.records.mou_import import SourceLine, parse_lines, read_agreement_file

PLAIN_TEXT = """\
MEMORANDUM OF UNDERSTANDING
BETWEEN THE HILLVIEW PUBLIC SCHOOLS AND THE HILLVIEW POLICE DEPARTMENT

This agreement is made by ________ [insert name of school district] and the
Police Department: __________ under G.L. c. 71, § 37P and subsection (a).

I. PURPOSE AND GOALS

The parties share these goals:
· a safe and supportive school for every student;
• as few students as possible arrested at school,
  or sent to court;
- administrators handle routine discipline;
* the SRO connects students to help.

A. Selection of the SRO

The Chief assigns the SRO after hearing from the Superintendent. [Or in cases in which
the district is served by several departments: each Chief assigns an officer after
hearing from the Superintendent.]

1. Training

The SRO completes at least _____ hours of training every year. Any cost is paid by ____.
[NOTE: the model recommends at least 12 hours.] The report [sic] names [the District].

1.2 Data collection

2) Uniform

The SRO wears the department uniform.
"""

MARKDOWN = """\
# Model School Resource Officer Agreement

Signed on behalf of the district.

## 1. Purpose

The purpose of this **agreement** is to set out the program's mission and goals.

*[Insert language here describing local goals]*

## Roles and Responsibilities

- The SRO is responsible for safety; the school is responsible for discipline.
- The principal names a contact: ____ _[identify the position]_
"""


def _write_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Memorandum of Understanding", style="Title")
    document.add_heading("I. Purpose", level=1)
    paragraph = document.add_paragraph("The parties agree that ")
    paragraph.add_run("the SRO is never assigned on seniority alone").bold = True
    paragraph.add_run(".")
    document.add_heading("II. Information Sharing", level=1)
    document.add_paragraph(
        "Points of contact for sharing information: ______ [insert title of school contact]"
    )
    document.add_paragraph("student records stay confidential under FERPA", style="List Bullet")
    document.add_paragraph("[NOTE: use titles, never names.]")
    document.add_heading("III. SIGNATURES", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Signed by both parties"
    table.cell(1, 0).text = "Superintendent: ______"
    table.cell(1, 1).text = "Chief of Police: ______"
    document.save(str(path))
    return path


def _sections(document):
    return {section.heading: section for section in document.sections}


# --- .txt ------------------------------------------------------------------------------


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "hillview.txt"
    path.write_text(PLAIN_TEXT, encoding="utf-8")
    return read_agreement_file(path)


def test_txt_title_and_headings(plain):
    assert plain.title == (
        "Memorandum of Understanding between the Hillview Public Schools "
        "and the Hillview Police Department"
    )
    assert [(s.number, s.heading) for s in plain.sections] == [
        ("", "Preamble"),
        ("I", "Purpose and goals"),
        ("A", "Selection of the SRO"),
        ("1", "Training"),
        ("1.2", "Data collection"),
        ("2", "Uniform"),
    ]


def test_txt_paragraphs_and_every_bullet_character(plain):
    purpose = _sections(plain)["Purpose and goals"]
    assert purpose.text == (
        "The parties share these goals:\n\n"
        "- a safe and supportive school for every student;\n"
        "- as few students as possible arrested at school, or sent to court;\n"
        "- administrators handle routine discipline;\n"
        "- the SRO connects students to help."
    )
    paragraphs = render(purpose.text, {})
    assert [p.bullet for p in paragraphs] == [False, True, True, True, True]


def test_txt_blanks_with_hint_and_from_preceding_words(plain):
    assert [(b.key, b.label) for b in plain.blanks] == [
        ("blank_1", "Name of school district"),
        ("blank_2", "Police Department"),
        ("blank_3", "SRO completes"),
        ("blank_4", "Any cost is paid"),
    ]
    preamble = _sections(plain)["Preamble"]
    assert preamble.text == (
        "This agreement is made by {{blank_1}} and the Police Department: {{blank_2}} "
        "under G.L. c. 71, § 37P and subsection (a)."
    )
    assert preamble.notes == []  # the hint became the label; citations are not notes


def test_txt_notes_and_alternatives_kept_out_of_print(plain):
    selection = _sections(plain)["Selection of the SRO"]
    alternative = (
        "Or in cases in which the district is served by several departments: each Chief "
        "assigns an officer after hearing from the Superintendent."
    )
    assert selection.notes == [alternative]
    assert f"[[{alternative}]]" in selection.text
    assert without_notes(selection.text).strip() == (
        "The Chief assigns the SRO after hearing from the Superintendent."
    )
    training = _sections(plain)["Training"]
    assert training.notes == ["NOTE: the model recommends at least 12 hours."]
    assert "[sic]" in training.text and "[the District]" in training.text
    assert "NOTE" not in without_notes(training.text)
    assert plain.notes == [alternative, "NOTE: the model recommends at least 12 hours."]
    for section in plain.sections:
        assert section.notes == drafting_notes(section.text)


def test_cp1252_text_is_read(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes("I. PURPOSE\n\nThe SRO\u2019s role \u2013 caf\u00e9.\n".encode("cp1252"))
    document = read_agreement_file(path)
    assert document.sections[0].text == "The SRO\u2019s role \u2013 caf\u00e9."
    assert document.title == "windows"


def test_a_literal_double_bracket_is_not_a_note(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("Title\n\nKeep [[this]] and {{blank_1}} and **that**.\n", encoding="utf-8")
    section = read_agreement_file(path).sections[0]
    assert section.notes == [] and drafting_notes(section.text) == []
    assert BLANK.findall(section.text) == []
    assert render(section.text, {})[0].plain() == "Keep [ [this] ] and { {blank_1}} and that."


def test_unbalanced_and_nested_brackets_do_not_crash(tmp_path):
    path = tmp_path / "brackets.txt"
    path.write_text(
        "Title\n\nOpen [insert never closed. Nested [Or a [insert b] c] end\n",
        encoding="utf-8",
    )
    section = read_agreement_file(path).sections[0]
    assert section.notes == ["Or a [insert b] c"]
    assert section.text.startswith("Open [insert never closed.")
    assert section.notes == drafting_notes(section.text)
    lines = [SourceLine("T"), SourceLine(""), SourceLine("] stray ]] close [ [[ open ] [Note")]
    stray = parse_lines(lines).sections[0]
    assert stray.notes == [] and stray.text == "] stray ] ] close [ [ [ open ] [Note"


def test_numbered_list_items_are_not_headings():
    texts = ["I. SELECTION", "", "1. Experience with youth", "2. Good judgment", ""]
    lines = [SourceLine(text) for text in texts]
    document = parse_lines(lines)
    assert [s.heading for s in document.sections] == ["Selection"]
    assert document.sections[0].text == "1. Experience with youth\n\n2. Good judgment"


def test_article_number_on_its_own_line_joins_the_heading():
    texts = ["ARTICLE IV", "CHAIN OF COMMAND", "Text."]
    document = parse_lines([SourceLine(text) for text in texts])
    assert [(s.number, s.heading, s.text) for s in document.sections] == [
        ("IV", "Chain of command", "Text.")
    ]


# --- .md -------------------------------------------------------------------------------


def test_markdown(tmp_path):
    path = tmp_path / "model.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    document = read_agreement_file(path)
    assert document.title == "Model School Resource Officer Agreement"
    assert [(s.number, s.heading) for s in document.sections] == [
        ("", "Preamble"),
        ("1", "Purpose"),
        ("", "Roles and Responsibilities"),
    ]
    purpose = _sections(document)["Purpose"]
    assert "**agreement**" in purpose.text
    assert purpose.notes == ["Insert language here describing local goals"]
    assert "*" not in purpose.text.replace("**agreement**", "")
    assert without_notes(purpose.text).strip().endswith("mission and goals.")
    roles = _sections(document)["Roles and Responsibilities"]
    assert roles.text.splitlines()[1] == "- The principal names a contact: {{blank_1}}"
    assert [(b.key, b.label) for b in document.blanks] == [("blank_1", "Position")]
    assert "M2" in roles.components


# --- .docx -----------------------------------------------------------------------------


def test_docx(tmp_path):
    document = read_agreement_file(_write_docx(tmp_path / "mou.docx"))
    assert document.title == "Memorandum of Understanding"
    assert [(s.number, s.heading) for s in document.sections] == [
        ("I", "Purpose"),
        ("II", "Information Sharing"),
        ("III", "Signatures"),
    ]
    purpose, sharing, signatures = document.sections
    assert purpose.text == (
        "The parties agree that **the SRO is never assigned on seniority alone**."
    )
    runs = render(purpose.text, {})[0].runs
    assert [run.bold for run in runs] == [False, True, False]
    assert sharing.text == (
        "Points of contact for sharing information: {{blank_1}}\n\n"
        "- student records stay confidential under FERPA\n\n"
        "[[NOTE: use titles, never names.]]"
    )
    assert signatures.text == (
        "Signed by both parties\n\nSuperintendent: {{blank_2}}\n\nChief of Police: {{blank_3}}"
    )
    assert [(b.key, b.label) for b in document.blanks] == [
        ("blank_1", "Title of school contact"),
        ("blank_2", "Superintendent"),
        ("blank_3", "Chief of Police"),
    ]
    assert document.notes == ["NOTE: use titles, never names."]
    assert "M5" in sharing.components


# --- DESE components -------------------------------------------------------------------

COMPONENT_SECTIONS = {
    "M1": (
        "Mission",
        "The program aims to keep every school safe and welcoming; these goals guide the "
        "partnership.",
    ),
    "M2": (
        "Roles and responsibilities",
        "The SRO is responsible for safety. The principal is responsible for discipline, "
        "and the department is responsible for supervising patrol duties.",
    ),
    "M3": (
        "How the SRO is chosen",
        "The Chief picks candidates with the right temperament; selection is never based "
        "on seniority.",
    ),
    "M4": (
        "Joining the school community",
        "The SRO is integrated into the school environment and attends the school safety meetings.",
    ),
    "M5": (
        "Sharing information",
        "Information sharing between the SRO, school staff and partners respects FERPA and "
        "keeps student records confidential.",
    ),
    "M6": (
        "Organisational structure",
        "The SRO's supervisor is a police sergeant; lines of communication run between the "
        "Superintendent and the Chief.",
    ),
    "M7": (
        "Training",
        "Every year the SRO completes training in child and adolescent development, conflict "
        "resolution and de-escalation.",
    ),
    "M8": (
        "Data",
        "The SRO and the principal collect and report school-based arrests, citations and "
        "court referrals to DESE.",
    ),
    "O1": ("Dress", "The SRO wears the department uniform unless the Chief agrees otherwise."),
    "O2": (
        "Use of force and arrest",
        "Arrest on school property is a last resort; any use of force follows department policy.",
    ),
    "O3": (
        "Students' legal rights",
        "Before questioning or a search the SRO respects students' rights and tells a parent.",
    ),
    "O4": (
        "Chain of command",
        "The principal and the SRO work together; a disagreement goes to the Superintendent "
        "and the Chief.",
    ),
    "O5": (
        "Performance evaluation",
        "The annual evaluation monitors compliance with this agreement and the use of arrest.",
    ),
    "O6": (
        "Diversion",
        "At-risk students are referred to counseling, mental health services and restorative "
        "programs instead of court; diversion comes first.",
    ),
    "O7": (
        "Keeping families informed",
        "The SRO and staff notify parents and guardians and keep families informed.",
    ),
}


@pytest.mark.parametrize("code", sorted(COMPONENT_SECTIONS))
def test_component_matching(code):
    heading, text = COMPONENT_SECTIONS[code]
    assert code in match_components(heading, text)


def test_components_table_covers_every_dese_code():
    assert sorted(COMPONENT_KEYWORDS) == sorted(COMPONENT_SECTIONS)


def test_unrelated_text_matches_nothing():
    assert match_components("Counterparts", "This agreement may be signed in counterparts.") == []
    assert match_components("Preamble", "") == []


def test_notes_do_not_count_for_components():
    note = "[[insert uniform, training and selection rules]]"
    assert match_components("Miscellaneous", note) == []


# --- Problems the person is told about -------------------------------------------------


def _one_sentence(error: SroDeskError) -> str:
    message = str(error)
    assert message and message[0].isupper() and message.endswith(".")
    assert len(re.findall(r"[.!?](\s|$)", message)) == 1, message
    assert "Traceback" not in message
    return message


def test_unsupported_extension(tmp_path):
    path = tmp_path / "mou.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValidationError) as caught:
        read_agreement_file(path)
    assert _one_sentence(caught.value) == (
        "SRO Desk can import .txt, .md and .docx files; "
        "save the agreement in one of those formats first."
    )


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.md", b"  \r\n\n\t", "is empty"),
        ("x.docx", os.urandom(2048), "could not be opened as a Word document"),
        ("binary.txt", b"I. PURPOSE\x81\x8d\x8f\x90\x9d", "is not a text file"),
        ("utf16.txt", "I. PURPOSE".encode("utf-16-le"), "is not a text file"),
    ],
)
def test_unreadable_files_get_one_sentence(tmp_path, name, raw, expected):
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(SroDeskError) as caught:
        read_agreement_file(path)
    message = _one_sentence(caught.value)
    assert name in message and expected in message


def test_missing_file(tmp_path):
    with pytest.raises(SroDeskError) as caught:
        read_agreement_file(tmp_path / "gone.md")
    assert "gone.md" in _one_sentence(caught.value)


def test_utf16_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("I. PURPOSE\r\n\r\nSafe schools.\r\n".encode("utf-16"))
    assert read_agreement_file(path).sections[0].text == "Safe schools."


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_text_imports_or_fails_politely(tmp_path, text):
    path = tmp_path / "any.txt"
    path.write_text(text, encoding="utf-8")
    try:
        document = read_agreement_file(path)
    except SroDeskError:
        return
    keys = {blank.key for blank in document.blanks}
    numbered = [f"blank_{n}" for n in range(1, len(keys) + 1)]
    assert [blank.key for blank in document.blanks] == numbered
    for section in document.sections:
        assert set(BLANK.findall(section.text)) <= keys
        assert set(re.findall(r"\{\{(.*?)\}\}", section.text)) <= keys
        assert section.notes == drafting_notes(section.text)
        render(section.text, {key: "" for key in keys})


AGREEMENT_LIKE_LINES = [
    "I. PURPOSE", "A. Goals", "1. Item", "ARTICLE II", "____", "[insert x]", "[Or y", "]",
    "- a", "\u2022 b", "", "**b**", "[[", "{{", "*[Note z]*", "DATE: ___ [identify]",
]  # fmt: skip


@settings(max_examples=300)
@given(
    lines=st.lists(
        st.builds(
            SourceLine,
            st.sampled_from(AGREEMENT_LIKE_LINES) | st.text(max_size=20),
            st.integers(0, 3),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_parse_lines_survives_agreement_like_input(lines):
    document = parse_lines(lines)
    keys = {blank.key for blank in document.blanks}
    for section in document.sections:
        assert set(BLANK.findall(section.text)) <= keys
        assert section.notes == drafting_notes(section.text)
