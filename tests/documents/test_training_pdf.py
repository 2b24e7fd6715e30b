"""The training record PDF, checked by its content: text, flags, pages, fonts, metadata."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from sro_desk.documents.common import clean
from sro_desk.documents.training import build_training_pdf
from sro_desk.records.demo import sample_district
from sro_desk.records.district import save_district
from sro_desk.records.officers import Officer, save_officer
from sro_desk.records.training import (
    Certification,
    PrintableTraining,
    TrainingEntry,
    printable_training,
    save_certification,
    save_entry,
)
from sro_desk.store import DataFile, OpenOptions
from tests.documents.pdftext import texts as _texts, flat as _flat, lines as _lines, words as _words

OFFICER = "Jordan Whitaker"
YEAR = "2025-2026"
DISTRICT = "Quabbin Valley Regional School District"


def _entry(day: str, title: str, hours: str, topics: list[str], *, basic: bool = False,
           provider: str = "MPTC Western Academy", admins: str = "", certificates=()) -> tuple:
    return (day, title, provider, hours, topics, basic, admins, list(certificates))


def _record(**changes) -> PrintableTraining:
    """An incomplete year: 9.5 of 12 hours, a basic course, one required topic not covered."""
    values = dict(
        district_name=DISTRICT,
        officer_name=OFFICER,
        rank="Patrol Officer",
        department="Ashby Falls Police Department",
        school_year=YEAR,
        entries=[
            _entry("2025-08-20", "Basic SRO course", "40", ["De-escalation tactics"], basic=True,
                   provider="NASRO"),
            _entry("2025-09-12", "De-escalation for school settings", "4",
                   ["De-escalation tactics", "Mental health and trauma-informed care"],
                   admins="Maria Alvarez", certificates=["deesc-2025.pdf"]),
            _entry("2025-10-03", "Restorative circles", "2.5",
                   ["Restorative practices", "Conflict resolution"]),
            _entry("2025-11-14", "Diversion options for juveniles", "3", ["Diversion strategies"],
                   provider="County DA's office", certificates=["diversion.pdf", "sign-in.jpg"]),
        ],
        hours_by_topic=[
            ("Child and adolescent development", "0", True),
            ("Conflict resolution", "2.5", True),
            ("Diversion strategies", "3", True),
            ("De-escalation tactics", "4", True),
            ("Restorative practices", "2.5", False),
            ("Mental health and trauma-informed care", "4", False),
        ],
        done_hours="9.5",
        required_hours="12",
        basic_hours="40",
        requirement_source="The 2025-2026 agreement sets 12 hours a year.",
        status_sentence=(
            f"{OFFICER}: 9.5 of 12 hours; 2.5 hours short; missing Child and adolescent "
            "development; 180 days left in 2025-2026."
        ),
        complete=False,
        certifications=[
            ("POST Commission school resource officer certification", "SRO-0193",
             "2024-07-01", "2025-12-01", "lapsed", ["post.pdf"]),
            ("First aid", "FA-77", "2025-01-05", "2026-02-01", "expiring", []),
            ("CPR", "", "2025-01-05", "", "current", []),
        ],
        prepared_on="January 5, 2026",
    )
    values.update(changes)
    return PrintableTraining(**values)


def _build(tmp_path: Path, record: PrintableTraining, name: str = "training.pdf") -> Path:
    out = tmp_path / name
    build_training_pdf(record, out)
    return out


def test_prints_who_which_year_and_every_entry(tmp_path):
    text = _flat(_build(tmp_path, _record()))
    for expected in (
        "SRO training record",
        DISTRICT,
        OFFICER,
        "Patrol Officer",
        "Ashby Falls Police Department",
        YEAR,
        "January 5, 2026",
        "Basic SRO course",
        "De-escalation for school settings",
        "Restorative circles",
        "Diversion options for juveniles",
        "MPTC Western Academy",
        "County DA's office",
        "Maria Alvarez",
        "deesc-2025.pdf",
        "sign-in.jpg",
        "2025-11-14",
    ):
        assert expected in text, expected


def test_status_box_shows_hours_source_and_verdict(tmp_path):
    path = _build(tmp_path, _record())
    text = _flat(path)
    assert "9.5 of 12 hours counted toward the yearly minimum" in text
    assert re.search(r"Basic SRO course: 40 hours, listed separately; they do not count toward the minimum", text)
    assert "The 2025-2026 agreement sets 12 hours a year." in text
    assert "2.5 hours short; missing Child and adolescent development" in text
    assert "INCOMPLETE" in text
    assert "INCOMPLETE" in _texts(path)[0]

    done = _record(
        complete=True, done_hours="14", status_sentence=f"{OFFICER}: 14 of 12 hours; every required topic covered. Complete."
    )
    text = _flat(_build(tmp_path, done, "done.pdf"))
    assert "14 of 12 hours" in text
    assert "COMPLETE" in text
    assert "INCOMPLETE" not in text


def test_verdict_is_coloured_and_bold(tmp_path):
    words = _words(_build(tmp_path, _record()))
    verdict = [w for w in words if w["text"] == "INCOMPLETE"]
    assert verdict and all("Bold" in w["fontname"] for w in verdict)


def test_basic_course_is_marked_in_the_log(tmp_path):
    lines = _lines(_build(tmp_path, _record()))
    (basic,) = [line for line in lines if line.startswith("2025-08-20")]
    assert "Basic SRO course" in basic and "40" in basic and "Yes" in basic
    (plain,) = [line for line in lines if line.startswith("2025-10-03")]
    assert "Yes" not in plain


def test_hours_by_topic_marks_required_and_flags_the_uncovered(tmp_path):
    path = _build(tmp_path, _record())
    lines = _lines(path)
    (missing,) = [line for line in lines if line.startswith("Child and adolescent development")]
    assert missing.endswith("0 Required — not covered")
    (covered,) = [line for line in lines if line.startswith("Conflict resolution 2.5")]
    assert covered.endswith("Required")
    (optional,) = [line for line in lines if line.startswith("Restorative practices 2.5")]
    assert "Required" not in optional
    flagged = [w for w in _words(path) if w["text"] == "covered"]
    assert flagged and all("Bold" in w["fontname"] for w in flagged)
    assert all(w["non_stroking_color"] != (0, 0, 0) for w in flagged)


def test_certifications_with_lapsed_and_expiring_flagged(tmp_path):
    lines = _lines(_build(tmp_path, _record()))
    (lapsed,) = [line for line in lines if "SRO-0193" in line]
    assert "2024-07-01" in lapsed and "2025-12-01" in lapsed and "Lapsed" in lapsed and "post.pdf" in lapsed
    (expiring,) = [line for line in lines if "FA-77" in line]
    assert "2026-02-01" in expiring and "Expiring soon" in expiring
    (current,) = [line for line in lines if line.startswith("CPR")]
    assert "Unknown" in current and "Current" in current


def test_empty_log_and_no_certification_say_so(tmp_path):
    record = _record(
        entries=[],
        hours_by_topic=[(label, "0", True) for label in (
            "Child and adolescent development", "Conflict resolution", "Diversion strategies",
            "De-escalation tactics",
        )],
        done_hours="0",
        basic_hours="0",
        certifications=[],
    )
    path = _build(tmp_path, record)
    text = _flat(path)
    assert "No training logged for this year." in text
    assert "No certification recorded." in text
    assert "0 of 12 hours" in text
    assert text.count("Required — not covered") == 4
    assert "Training and provider" not in text  # no empty table


def test_every_page_says_page_n_of_total(tmp_path):
    texts = _texts(_build(tmp_path, _record()))
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert f"SRO training record — {OFFICER} — {YEAR}" in text


def test_long_log_spans_pages_and_repeats_its_header(tmp_path):
    start = date(2025, 7, 1)
    entries = [
        _entry((start + timedelta(days=n)).isoformat(), f"Session number {n}", "1", ["Conflict resolution"])
        for n in range(200)
    ]
    texts = _texts(_build(tmp_path, _record(entries=entries)))
    total = len(texts)
    assert total >= 5
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
    flat = " ".join(" ".join(texts).split())
    for n in range(200):
        assert f"Session number {n} " in flat, n
    log_pages = [text for text in texts if "Session number" in text]
    assert len(log_pages) >= 4
    for text in log_pages:
        header = " ".join(text.split())
        assert "Date Training and provider Hours Topics Basic course With administrators Certificates" in header


def test_metadata_and_bookmarks(tmp_path):
    reader = PdfReader(_build(tmp_path, _record()))
    meta = reader.metadata
    assert meta.title == f"SRO training record — {OFFICER} — {YEAR}"
    assert meta.author == DISTRICT
    assert meta.creator == "SRO Desk"
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Status", "Training log", "Hours by topic", "Certification"]
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages[0] == 0
    assert pages == sorted(pages)


def test_fonts_are_the_embedded_dejavu_faces(tmp_path):
    reader = PdfReader(_build(tmp_path, _record()))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?", n) for n in names), names
    assert any("Bold" in name for name in names)


HOSTILE = [
    "<b>x",
    "<img src='http://example.com/a.png'/>",
    "&amp;",
    "🚓👮",
    "مرحبا بالعالم",
    "שלום עולם",
    "bell\x00\x07end",
    "<font name='Nope'>",
]


def test_hostile_text_everywhere_builds_and_prints_literally(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    nasty = " ".join(HOSTILE)
    long_title = "Ж" * 5000  # one unbroken word, wrapped over lines and pages
    record = _record(
        district_name=nasty,
        officer_name=nasty,
        rank=nasty,
        department=nasty,
        school_year=nasty,
        entries=[
            _entry(nasty, long_title, nasty, [nasty, nasty], basic=True, provider=nasty,
                   admins=nasty, certificates=[nasty]),
            _entry("2025-10-03", nasty, "2", [nasty], provider=nasty),
        ],
        hours_by_topic=[(nasty, "0", True), (nasty, nasty, False)],
        done_hours=nasty,
        required_hours=nasty,
        basic_hours=nasty,
        requirement_source=nasty,
        status_sentence=nasty,
        certifications=[(nasty, nasty, nasty, nasty, "lapsed", [nasty]), (nasty, nasty, nasty, "", nasty, [])],
        prepared_on=nasty,
    )
    assert len(long_title) == 5000
    path = _build(tmp_path, record)
    assert fetched == []
    text = _flat(path)
    for expected in ("<b>x", "<img src='http://example.com/a.png'/>", "&amp;", "<font name='Nope'>"):
        assert expected in text, expected
    assert "&lt;" not in text
    assert "bellend" in text  # NUL and BEL dropped
    letters = set("مرحبا بالعالم שלום עולם") - {" "}
    assert letters <= set(text)  # right-to-left text printed (extractors differ in order)
    pieces = [w["text"] for w in _words(path) if re.fullmatch("Ж+", w["text"])]
    assert len(pieces) > 100
    assert "".join(pieces) == long_title  # every character printed, none lost in a split
    reader = PdfReader(path)
    assert len(reader.pages) > 2
    assert reader.metadata.author == clean(nasty)
    assert reader.metadata.title == clean(f"SRO training record — {nasty} — {nasty}")
    for number, page_text in enumerate(_texts(path), start=1):
        assert f"Page {number} of {len(reader.pages)}" in page_text


def test_writes_to_a_binary_file_object():
    buffer = io.BytesIO()
    build_training_pdf(_record(), buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    assert OFFICER in text


def test_end_to_end_from_a_data_file(tmp_path):
    today = date(2026, 1, 15)
    with DataFile.open(tmp_path / "district.db", OpenOptions(create=True)) as data_file:
        district = save_district(data_file, sample_district())
        department = district.departments[0]
        officer_id = save_officer(
            data_file,
            Officer("Casey Morgan", rank="Sergeant", department_id=department.id, assigned_sro=True),
        )
        for taken_on, title, quarters, topics, basic in (
            ("2025-08-04", "Basic school resource officer course", 160, ["de_escalation"], True),
            ("2025-09-18", "Talking with teenagers", 14, ["child_development", "conflict_resolution"], False),
            ("2025-10-22", "Diversion in practice", 12, ["diversion", "restorative_practices"], False),
            ("2025-12-02", "Calm voices", 12, ["de_escalation"], False),
        ):
            save_entry(
                data_file,
                TrainingEntry(officer_id, taken_on, title, quarters, provider="MPTC", topics=topics,
                              basic_course=basic),
                certificate=("calm.pdf", "application/pdf", b"%PDF-1.4") if title == "Calm voices" else None,
                today=today,
            )
        save_certification(
            data_file,
            Certification(officer_id, "2023-01-10", expires_on="2025-12-31", number="SRO-42"),
        )
        record = printable_training(data_file, officer_id, YEAR, today=today)
        path = tmp_path / "record.pdf"
        build_training_pdf(record, path)

    text = _flat(path)
    for expected in (
        "Casey Morgan",
        "Sergeant",
        department.name,
        district.name,
        YEAR,
        "January 15, 2026",
        "Basic school resource officer course",
        "Talking with teenagers",
        "Diversion in practice",
        "Calm voices",
        "calm.pdf",
        "9.5 of 12 hours",
        "Basic SRO course: 40 hours",
        "INCOMPLETE",
        "2.5 hours short",
        "Child and adolescent development 3.5 Required",
        "Restorative practices 3",
        "SRO-42",
        "Lapsed",
    ):
        assert expected in text, expected
    assert "No certification recorded." not in text
    reader = PdfReader(path)
    assert reader.metadata.title == f"SRO training record — Casey Morgan — {YEAR}"
    assert reader.metadata.author == district.name


def test_the_certifications_state_and_why_and_the_officers_own(tmp_path):
    """Issue 20: a certification revoked with the officer's own POST certification says so
    and cites 555 CMR 10.09(10); what "Required" means is said (the agreement's, not § 116H's)."""
    today = date(2026, 1, 15)
    with DataFile.open(tmp_path / "district.db", OpenOptions(create=True)) as data_file:
        department = save_district(data_file, sample_district()).departments[0]
        officer_id = save_officer(data_file, Officer(
            "Casey Morgan", department_id=department.id, assigned_sro=True, post_status="revoked",
            post_expires_on="2027-03-31"))
        save_certification(data_file, Certification(officer_id, "2024-01-10", expires_on="2027-01-10",
                                                    number="SRO-43"))
        record = printable_training(data_file, officer_id, YEAR, today=today)
    assert record.certifications[0][4] == "revoked"
    text = _flat(_build(tmp_path, record))
    for expected in (
        "Revoked",
        "Revoked with the officer's own POST certification (555 CMR 10.09(10)).",
        "The officer's own POST certification: revoked, expires 2027-03-31. The SRO certification is deemed "
        "the same (555 CMR 10.09(9)-(10)).",
        "Required: a topic the agreement in force requires every year. G.L. c. 6, § 116H lists the topics of "
        "the SRO in-service program but sets no frequency.",
    ):
        assert expected in text, expected
