"""The end-of-year review PDF, checked by its content: every section's text, named copies,
charts, pages, bookmarks, fonts, metadata and hostile text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect, String
from reportlab.lib.units import inch

from sro_desk.documents import review as doc
from sro_desk.documents.common import clean
from sro_desk.documents.review import (
    attendee_named,
    build_review_pdf,
    by_year_chart,
    monthly_chart,
    review_story,
)
from sro_desk.errors import SroDeskError
from sro_desk.records.review import AssignmentRow, FindingRow, MetricRow, PrintableReview
from tests.documents.pdftext import texts as _texts, flat as _flat, lines as _lines, HOSTILE

YEAR = "2025-2026"
DISTRICT = "Quabbin Valley Regional School District"
ATTENDEES = [
    ("Dana Whitfield", "Superintendent"),
    ("Ray Ortiz", "Chief of Police"),
    ("Sam Lee", "School Resource Officer"),
]
MONTHS = [f"{m} {y}" for m, y in zip(
    "Jul Aug Sep Oct Nov Dec Jan Feb Mar Apr May Jun".split(), [2025] * 6 + [2026] * 6
)]
MONTHLY = {
    "Arrests": [0, 0, 7, None, 0, 0, 8, 0, 0, 0, 0, 0],
    "Citations": [0, 0, 0, 9, 11, None, 0, 0, 6, 0, 0, 0],
    "Court referrals": [0, 0, 0, 0, 0, 0, 0, 7, 0, None, 0, 0],
}
BY_YEAR = [
    ("2022-2023", {"Arrests": 31, "Citations": 40, "Court referrals": 12}),
    ("2023-2024", {"Arrests": 24, "Citations": None, "Court referrals": 9}),
    ("2024-2025", {"Arrests": 19, "Citations": 33, "Court referrals": 8}),
    ("2025-2026", {"Arrests": 15, "Citations": 26, "Court referrals": 7}),
]
COMPLAINTS = [("Complaints received", "4"), ("Resolved", "3"), ("Still open", "1")]
LATE = "The metrics were agreed on 2025-10-02, after the school year began."


def _review(**changes) -> PrintableReview:
    values = dict(
        district=DISTRICT,
        school_year=YEAR,
        held_on="2026-06-18",
        status="Draft",
        attendees=list(ATTENDEES),
        goals=["Fewer arrests at school", "Students trust the SRO"],
        metrics=[
            MetricRow("School-based arrests", "Arrests made on school grounds", "Fewer than last year",
                      "15", "19", "From the file", "2025-06-10", "Dana Whitfield and Ray Ortiz"),
            MetricRow("Hours of training", "Training hours logged", "At least 40 h", "", "36.5 h",
                      "By hand", "", ""),
        ],
        late_note=LATE,
        month_labels=list(MONTHS),
        monthly={name: list(values) for name, values in MONTHLY.items()},
        by_year=[(year, dict(counts)) for year, counts in BY_YEAR],
        training=["Sam Lee completed 42 of 40 required hours."],
        complaints=list(COMPLAINTS),
        feedback=[
            ("2026-03-04", "Principals", "Quick to calm a lunchroom fight."),
            ("2026-04-11", "Families", "Wants more visits to the middle school."),
        ],
        findings=[
            FindingRow("goal", "Fewer arrests at school", "Met", "Arrests fell from 19 to 15."),
            FindingRow("metric", "Hours of training", "Partly met", "Hours not entered yet."),
            FindingRow("metric", "School-based arrests", "", ""),
        ],
        performance="Officer Lee built trust.\n\nHe led three restorative circles.",
        summary="A good year with fewer arrests.",
        assignments=[
            AssignmentRow("Sam Lee", "North High", "Continue the assignment", "Trusted by staff.",
                          True, ""),
            AssignmentRow("Pat Kim", "", "End the assignment", "Too many arrests.", True, ""),
        ],
        meetings_missing=["October 2025 \u2014 North High", "February 2026 \u2014 South Middle"],
        prepared_on="2026-06-20",
        suppression_note="Counts from 1 to 5 are hidden to protect students.",
    )
    values.update(changes)
    return PrintableReview(**values)


def _build(tmp_path: Path, review: PrintableReview, name: str = "review.pdf", **options) -> Path:
    out = tmp_path / name
    build_review_pdf(review, out, **options)
    return out


def _body(path: Path) -> str:
    """The text after the cover, without the footers or the watermark, on one line."""
    with pdfplumber.open(path) as pdf:
        texts = [
            page.crop((0, 0, page.width, page.height - 0.75 * inch))
            .filter(lambda obj: obj.get("size", 0) < 40).extract_text() or ""
            for page in pdf.pages[1:]
        ]
    return " ".join("\n".join(texts).split())


def _between(text: str, start: str, end: str) -> str:
    """The text of a section: from its heading to the next one."""
    return text[text.index(start) + len(start): text.index(end, text.index(start))].strip()


def _outline(items, depth: int = 0) -> list[tuple[int, str]]:
    flat = []
    for item in items:
        if isinstance(item, list):
            flat += _outline(item, depth + 1)
        else:
            flat.append((depth, item.title))
    return flat


# -- the cover -------------------------------------------------------------------------


def test_cover_names_district_year_meeting_and_status(tmp_path):
    path = _build(tmp_path, _review())
    first = " ".join(_texts(path)[0].split())
    for expected in (
        DISTRICT, "End-of-year SRO program review", f"School year {YEAR}",
        "Review meeting June 18, 2026", "Status Draft", "Prepared on June 20, 2026",
        "This is a draft", "Contents",
    ):
        assert expected in first, expected
    assert "Copy for" not in first


def test_contents_gives_the_page_each_section_starts_on(tmp_path):
    path = _build(tmp_path, _review())
    texts = _texts(path)
    cover = _lines(path)[: len(texts[0].splitlines())]
    for title in doc.SECTIONS:
        (line,) = [line for line in cover if line.startswith(title + " ") and line.split()[-1].isdigit()]
        page = int(line.split()[-1])
        assert title in " ".join(texts[page - 1].split()), (title, page)


def test_a_draft_has_a_watermark_and_a_final_review_none(tmp_path):
    draft = _flat(_build(tmp_path, _review()))
    assert "DRAFT" in draft
    final = _flat(_build(tmp_path, _review(status="Final"), "final.pdf"))
    assert "DRAFT" not in final and "This is a draft" not in final
    assert "Status Final" in final


def test_no_meeting_yet_says_so(tmp_path):
    first = " ".join(_texts(_build(tmp_path, _review(held_on="")))[0].split())
    assert "No review meeting has been held yet." in first


# -- every section ---------------------------------------------------------------------


def test_every_section_prints_its_content(tmp_path):
    path = _build(tmp_path, _review())
    text = _body(path)
    lines = _lines(path)
    assert _between(text, "Summary", "Attendees").strip() == "A good year with fewer arrests."
    for name, role in ATTENDEES:
        assert f"{name} {role}" in lines
    assert "1. Fewer arrests at school" in lines and "2. Students trust the SRO" in lines
    assert LATE in text
    metrics = _between(text, "Metrics", "Arrests, citations and court referrals")
    assert "Metric What it measures Target This year Last year Source" in metrics
    assert "School-based arrests Arrests made on Fewer than last 15 19 From the file" in metrics
    assert "Agreed on June 10, 2025" in metrics and "by Dana Whitfield and Ray Ortiz" in metrics
    assert "Not entered 36.5 h By hand" in metrics and "Agreement not recorded" in metrics
    assert "Sam Lee completed 42 of 40 required hours." in text
    assert "2026-03-04 Principals Quick to calm a lunchroom fight." in text
    findings = _between(text, "Findings", "The SRO's performance")
    assert "On the program goals" in findings and "On the metrics" in findings
    assert "Fewer arrests at school Met Arrests fell from 19 to 15." in findings
    assert "Hours of training Partly met Hours not entered yet." in findings
    assert "School-based arrests Not rated No finding written." in findings
    assert _between(text, "The SRO's performance", "Recommendations on the assignment").strip() == (
        "Officer Lee built trust. He led three restorative circles."
    )
    assignment = _between(text, "Recommendations on the assignment", "Monthly meetings missed")
    assert "Sam Lee Continue the assignment The Chief keeps the assignment. North High Trusted by staff." in assignment
    assert "Pat Kim End the assignment The Chief keeps the assignment. The whole district" in assignment
    assert "The Chief must explain why the assignment continues" in assignment  # Pat Kim
    missed = _between(text, "Monthly meetings missed", "Signatures")
    assert "October 2025 — North High" in missed and "February 2026 — South Middle" in missed
    assert "Counts from 1 to 5 are hidden to protect students." in text


def test_an_agreement_shared_by_every_metric_is_said_once(tmp_path):
    metrics = [
        MetricRow(name, "", "", value, "", "From the file", "2025-06-10", "Dana Whitfield and Ray Ortiz")
        for name, value in (("Arrests", "417"), ("Training hours by officer", "Sam Lee 42 h; Ana Cruz 38 h"))
    ]
    text = _body(_build(tmp_path, _review(metrics=metrics, late_note="")))
    section = _between(text, "Metrics", "Arrests, citations and court referrals")
    assert section.startswith(
        "All the metrics were agreed on June 10, 2025 by Dana Whitfield and Ray Ortiz."
    )
    assert section.count("Dana Whitfield") == 1
    with pdfplumber.open(tmp_path / "review.pdf") as pdf:
        words = [w for page in pdf.pages for w in page.extract_words(extra_attrs=["fontname"])]
    (short,) = [w for w in words if w["text"] == "417"]
    (long,) = [w for w in words if w["text"] == "Ana"]
    assert "Bold" in short["fontname"] and "Bold" not in long["fontname"]
    assert long["x0"] < short["x0"] - 20  # a long figure reads as text, a number sits right


def test_one_year_alone_is_not_compared(tmp_path):
    path = _build(tmp_path, _review(by_year=BY_YEAR[-1:]))
    text = _body(path)
    assert doc.NO_EARLIER_YEARS in text
    assert "2025-2026 15 26 7" in _lines(path)


def test_the_chiefs_explanation_is_printed(tmp_path):
    rows = [
        AssignmentRow("Pat Kim", "South Middle", "End the assignment", "Too many arrests.", True,
                      "No other officer is trained for the middle school."),
        AssignmentRow("Lee Park", "East Elementary", "End the assignment", "", False, ""),
        AssignmentRow("Ana Cruz", "", "Continue the assignment", "", None, ""),
    ]
    text = _flat(_build(tmp_path, _review(assignments=rows)))
    assert "The Chief keeps the assignment. No other officer is trained for the middle school." in text
    assert "The Chief ends the assignment." in text
    assert "The Chief has not decided yet." in text
    assert "must explain why" not in text


def test_complaints_hold_only_the_given_labels(tmp_path):
    path = _build(tmp_path, _review())
    section = _between(_body(path), "Complaints", "Feedback from the community")
    expected = " ".join(f"{label} {value}" for label, value in COMPLAINTS)
    assert section.strip() == (
        expected + " Counts only: no complainant, student or witness is named in this report."
    )


def test_empty_sections_say_so(tmp_path):
    review = _review(
        attendees=[], goals=[], metrics=[], late_note="", monthly={}, by_year=[], training=[],
        complaints=[], feedback=[], findings=[], performance="", summary="", assignments=[],
        meetings_missing=[], suppression_note="",
    )
    text = _flat(_build(tmp_path, review))
    for sentence in (
        doc.NO_SUMMARY, doc.NO_ATTENDEES, doc.NO_GOALS, doc.NO_METRICS, doc.NO_ENFORCEMENT,
        doc.NO_EARLIER_YEARS, doc.NO_TRAINING, doc.NO_COMPLAINTS, doc.NO_FEEDBACK,
        doc.NO_FINDINGS, doc.NO_PERFORMANCE, doc.NO_ASSIGNMENTS, doc.NO_MEETINGS_MISSED,
        doc.NO_SIGNERS,
    ):
        assert sentence in text, sentence
    assert "No feedback was recorded this year." in text
    zeros = _review(monthly={name: [0] * 12 for name in MONTHLY})
    assert doc.NO_ENFORCEMENT in _flat(_build(tmp_path, zeros, "zeros.pdf"))


def test_signature_lines_for_every_attendee(tmp_path):
    path = _build(tmp_path, _review())
    section = _body(path).split("Signatures")[-1]
    for name, role in ATTENDEES:
        assert f"{name} {role}" in section
    assert section.count("Signature Date") == len(ATTENDEES)
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if "Signed by each attendee" in (p.extract_text() or ""))
        rules = [line for line in page.lines if line["width"] > 100 and line["top"] < page.height - 60]
    assert len(rules) >= 2 * len(ATTENDEES)  # a signature line and a date line each


# -- charts ----------------------------------------------------------------------------


def test_monthly_chart_draws_one_bar_per_shown_count():
    chart = monthly_chart(_review())
    expected = [
        (name, month, value) for name, values in MONTHLY.items()
        for month, value in enumerate(values) if value
    ]
    assert [(b.series, b.category, b.value) for b in chart.bars] == expected
    hidden = [(name, m) for name, values in MONTHLY.items() for m, v in enumerate(values) if v is None]
    assert chart.markers == hidden
    unit = chart.bars[0].rect.height / chart.bars[0].value
    for bar in chart.bars:
        assert bar.rect.height == pytest.approx(unit * bar.value)
    rects = [shape for shape in chart.contents if isinstance(shape, Rect)]
    assert len(rects) == len(chart.bars) + len(MONTHLY)  # the bars and the legend's swatches
    strings = [s.text for s in chart.contents if isinstance(s, String)]
    bar_tops = [s.text for s in chart.contents if isinstance(s, String) and s.fontSize == 6]
    assert bar_tops == [str(b.value) for b in chart.bars]  # a number over each bar, none elsewhere
    assert strings.count("\u25cb") == len(hidden)
    assert doc.HIDDEN_LEGEND in strings
    for month in ("Jul", "Dec", "Jan", "Jun", "2025", "2026", *MONTHLY):
        assert month in strings, month
    assert all(s.fontName.startswith("SroDeskSans") for s in chart.contents if isinstance(s, String))


def test_suppressed_months_are_left_out_of_the_chart():
    monthly = {"Arrests": [None] * 3 + [4] + [0] * 8, "Citations": [0] * 12, "Court referrals": [0] * 12}
    chart = monthly_chart(_review(monthly=monthly))
    assert [(b.series, b.category, b.value) for b in chart.bars] == [("Arrests", 3, 4)]
    assert chart.markers == [("Arrests", 0), ("Arrests", 1), ("Arrests", 2)]
    bar_tops = [s for s in chart.contents if isinstance(s, String) and s.fontSize == 6]
    assert [s.text for s in bar_tops] == ["4"]
    plain = monthly_chart(_review(monthly={"Arrests": [1] + [0] * 11}))
    assert plain.markers == [] and doc.HIDDEN_LEGEND not in [
        s.text for s in plain.contents if isinstance(s, String)
    ]


def test_by_year_chart_matches_the_series():
    chart = by_year_chart(_review())
    expected = [
        (name, number, counts[name]) for name in MONTHLY
        for number, (_, counts) in enumerate(BY_YEAR) if counts[name]
    ]
    assert [(b.series, b.category, b.value) for b in chart.bars] == expected
    assert chart.markers == [("Citations", 1)]
    strings = [s.text for s in chart.contents if isinstance(s, String)]
    for year, _ in BY_YEAR:
        assert year in strings


def test_charts_are_in_the_pdf(tmp_path):
    path = _build(tmp_path, _review())
    lines = _lines(path)
    assert "School year Arrests Citations Court referrals" in lines
    assert "2023-2024 24 not shown 9" in lines and "2025-2026 15 26 7" in lines
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if "By month" in (p.extract_text() or ""))
        text = page.extract_text()
        coloured = [
            r for page in pdf.pages for r in page.rects
            if any(_close(r.get("non_stroking_color"), (c.red, c.green, c.blue)) for c in doc.PALETTE[:3])
        ]
    assert "hidden to protect students" in text
    bars = sum(1 for values in MONTHLY.values() for v in values if v)
    bars += sum(1 for _, counts in BY_YEAR for v in counts.values() if v)
    assert len(coloured) == bars + 2 * len(MONTHLY)  # and each chart's legend swatches


def _close(colour, expected, tolerance: float = 0.01) -> bool:
    colour = tuple(colour or ())
    return len(colour) == 3 and all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


# -- copies ----------------------------------------------------------------------------


def test_a_named_copy_says_whose_on_every_page(tmp_path):
    path = _build(tmp_path, _review(), copy_for=ATTENDEES[1])
    texts = _texts(path)
    assert "Copy for Ray Ortiz, Chief of Police" in " ".join(texts[0].split())
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert "Copy for Ray Ortiz, Chief of Police" in flat, number
        assert f"Page {number} of {len(texts)}" in flat
    assert PdfReader(path).metadata.title == f"End-of-year SRO program review {YEAR}"


def test_all_copies_gives_one_numbered_copy_per_attendee(tmp_path):
    single = len(_texts(_build(tmp_path, _review(), "one.pdf", copy_for=ATTENDEES[0])))
    path = _build(tmp_path, _review(), all_copies=True)
    texts = [" ".join(t.split()) for t in _texts(path)]
    assert len(texts) == single * len(ATTENDEES)
    for copy, (name, role) in enumerate(ATTENDEES):
        pages = texts[copy * single:(copy + 1) * single]
        assert f"Copy for {name}, {role}" in pages[0].split("Contents")[0]  # on the cover
        for number, text in enumerate(pages, start=1):
            assert f"Copy for {name}, {role}" in text
            assert f"Page {number} of {single}" in text
    reader = PdfReader(path)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [f"Copy for {name}, {role}" for name, role in ATTENDEES]
    starts = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    assert starts == [n * single for n in range(len(ATTENDEES))]
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert len(nested) == len(ATTENDEES)
    assert [t for depth, t in _outline(nested[0]) if depth == 0][:3] == ["Cover", "Summary", "Attendees"]


def test_copies_need_attendees_and_a_name_among_them(tmp_path):
    with pytest.raises(SroDeskError, match="no copies to name"):
        build_review_pdf(_review(attendees=[]), tmp_path / "x.pdf", all_copies=True)
    with pytest.raises(SroDeskError, match="not both"):
        build_review_pdf(_review(), tmp_path / "x.pdf", all_copies=True, copy_for=ATTENDEES[0])
    assert attendee_named(_review(), "  ray   ORTIZ ") == ATTENDEES[1]
    with pytest.raises(SroDeskError) as error:
        attendee_named(_review(), "Pat Doe")
    assert error.value.message == (
        f"'Pat Doe' is not among the attendees of the {YEAR} review; "
        "name one of Dana Whitfield, Ray Ortiz and Sam Lee."
    )
    with pytest.raises(SroDeskError, match="No attendees are recorded"):
        attendee_named(_review(attendees=[]), "Pat Doe")
    assert list(tmp_path.iterdir()) == []


# -- pages, bookmarks, metadata, fonts -------------------------------------------------


def test_every_page_says_page_n_of_total_and_prepared_on(tmp_path):
    texts = _texts(_build(tmp_path, _review()))
    assert len(texts) >= 4
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert f"Page {number} of {len(texts)}" in flat
        assert f"SRO review {YEAR} — Prepared on June 20, 2026" in flat


def test_metadata_and_bookmarks(tmp_path):
    reader = PdfReader(_build(tmp_path, _review()))
    assert reader.metadata.title == f"End-of-year SRO program review {YEAR}"
    assert reader.metadata.author == DISTRICT
    assert reader.metadata.creator == "SRO Desk"
    outline = _outline(reader.outline)
    assert [t for depth, t in outline if depth == 0] == ["Cover", *doc.SECTIONS]
    assert [t for depth, t in outline if depth == 1] == [
        "By month", "Against earlier years", "On the program goals", "On the metrics",
    ]
    flat = [item for entry in reader.outline for item in (entry if isinstance(entry, list) else [entry])]
    pages = [reader.get_destination_page_number(item) for item in flat]
    assert pages[0] == 0 and pages == sorted(pages) and pages[1] == 1


def test_fonts_are_the_embedded_dejavu_faces(tmp_path):
    reader = PdfReader(_build(tmp_path, _review(), all_copies=True))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?", n) for n in names), names


def test_the_story_can_be_embedded_without_its_cover():
    story = review_story(_review(), cover=False, level=1)
    titles = [getattr(f, "_sro_outline", None) for f in story]
    outlines = [t for t in titles if t]
    assert outlines[0] == ("Summary", 1)
    assert ("Cover", 1) not in outlines


# -- hostile text ----------------------------------------------------------------------


def test_hostile_text_builds_and_prints_literally(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    nasty = " ".join(HOSTILE)
    word = "Ж" * 5000
    review = _review(
        district=nasty, school_year=nasty, held_on=nasty, prepared_on=nasty,
        attendees=[(nasty, nasty), (word, word)],
        goals=[nasty, word],
        metrics=[MetricRow(nasty, word, nasty, nasty, nasty, nasty, nasty, word)],
        late_note=nasty,
        month_labels=[nasty] * 12,
        monthly={nasty: [1, None, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0], word: [0] * 12},
        by_year=[(nasty, {nasty: 3, word: None}), (word, {nasty: 1, word: 2})],
        training=[nasty, word],
        complaints=[(nasty, nasty), (word, word)],
        feedback=[(nasty, nasty, word), (word, word, nasty)],
        findings=[FindingRow("goal", nasty, nasty, word), FindingRow("metric", word, "Met", nasty),
                  FindingRow(nasty, nasty, "", "")],
        performance=nasty + "\n\n" + word,
        summary=word + "\n" + nasty,
        assignments=[AssignmentRow(nasty, word, nasty, word, True, nasty)],
        meetings_missing=[nasty, word],
        suppression_note=nasty,
    )
    path = _build(tmp_path, review, all_copies=True)  # a copy named for each hostile attendee
    assert fetched == []
    text = _flat(path)
    for expected in ("<b>x", "<img src='http://example.com/x.png'/>", "&amp;", "<font name='Nope'>"):
        assert expected in text, expected
    assert "&lt;" not in text
    assert "bellend" in text
    assert set("مرحبا שלום") - {" "} <= set(text)
    assert "Ж" * 40 in text
    reader = PdfReader(path)
    assert reader.metadata.author == clean(nasty)
    for page_text in _texts(path):
        assert "Copy for " in page_text and re.search(r"Page \d+ of \d+", page_text)
    assert [item.title[:12] for item in reader.outline if not isinstance(item, list)] == ["Copy for <b>"] + [
        "Copy for " + "Ж" * 3
    ]


# -- output ----------------------------------------------------------------------------


def test_writes_to_a_binary_file_object():
    for options in ({}, {"all_copies": True}):
        buffer = io.BytesIO()
        build_review_pdf(_review(), buffer, **options)
        assert buffer.getvalue().startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
        assert DISTRICT in text


@pytest.mark.parametrize("options", [{}, {"all_copies": True}])
def test_missing_folder_is_a_plain_error_and_leaves_nothing(tmp_path, options):
    target = tmp_path / "missing" / "review.pdf"
    with pytest.raises(SroDeskError, match="does not exist"):
        build_review_pdf(_review(), target, **options)
    assert list(tmp_path.iterdir()) == []
