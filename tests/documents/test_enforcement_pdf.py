"""The enforcement report PDF, checked by its content: text, hidden cells, charts, pages,
fonts, metadata, hostile text, and end to end from a data file."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect, String
from reportlab.lib.units import inch

from sro_desk.documents import enforcement as doc
from sro_desk.documents.common import clean
from sro_desk.documents.enforcement import build_enforcement_pdf, count_grids, monthly_chart, schools_charts
from sro_desk.records import enforcement as enf
from sro_desk.records.demo import sample_district
from sro_desk.records.district import load_district, save_district
from sro_desk.records.disclosure import NOT_SHOWN, Release, add_grid
from sro_desk.records.enforcement_reports import PrintableEnforcement, printable_enforcement
from sro_desk.store import DataFile, OpenOptions
from tests.documents.pdftext import texts as _texts, flat as _flat, lines as _lines, words as _words, HOSTILE

YEAR = "2025-2026"
DISTRICT = "Quabbin Valley Regional School District"
SCHOOLS = ["North High", "South Middle", "East Elementary"]
MONTHS = [f"{m} {y}" for m, y in zip(
    "Jul Aug Sep Oct Nov Dec Jan Feb Mar Apr May Jun".split(), [2025] * 6 + [2026] * 6
)]
SERIES = {
    "Arrests": [0, 0, 6, 8, None, 0, 7, None, 12, 0, 0, 0],
    "Citations and tickets": [0, None, 0, 6, 9, 0, 0, 0, None, 10, 0, 0],
    "Court referrals": [0, 0, 0, 0, 0, 7, 0, None, 0, 6, 0, 0],
}
#: Every kind of action: a table with all of them has a count column each, and a total.
ALL_KINDS = list(enf.KINDS.values())
RULES = list(enf.RULES.values())


def count_table(title, row_labels, column_labels, counts):
    """A grid of counts with its total row and column (for layout tests)."""
    grid = [list(row) + [sum(row)] for row in counts]
    totals = [sum(grid[r][c] for r in range(len(grid))) for c in range(len(column_labels) + 1)]
    return title, [*row_labels, "Total"], [*column_labels, "Total"], [*grid, totals]


def suppress(table, threshold):
    """The grid as a protected public table of its own release."""
    title, rows, columns, counts = table
    release = Release(threshold)
    keys = [[(title, r, c) for c in range(len(columns))] for r in range(len(rows))]
    printed = add_grid(release, title, rows, columns, keys, counts)
    release.protect()
    return printed


def _tables(threshold: int = 6) -> list:
    by_school = count_table(
        "Actions by kind and school", ["Arrest", "Citation"], SCHOOLS, [[12, 3, 7], [9, 7, 8]]
    )
    by_month = count_table(
        "Actions by month", MONTHS, ALL_KINDS,
        [[(m * k + 3) % 13 for k in range(len(ALL_KINDS))] for m in range(12)],
    )
    by_gender = count_table(
        "Actions by gender", ["Female", "Male", "Not recorded"], ["Arrest", "Citation"],
        [[6, 8], [14, 9], [0, 2]],
    )
    return [suppress(t, threshold) for t in (by_school, by_month, by_gender)]


def _report(**changes) -> PrintableEnforcement:
    values = dict(
        district_name=DISTRICT,
        school_year=YEAR,
        prepared_on="January 15, 2026",
        threshold=6,
        headline=[
            ("North High", "812", "14", "1.7%", "9", "1.1%"),
            ("South Middle", "640", "7", "1.1%", NOT_SHOWN, ""),
            ("East Elementary", "", "0", "", "0", ""),
            ("District", "1452", "21", "1.4%", "13", "0.9%"),
        ],
        tables=_tables(),
        months=list(MONTHS),
        series={name: list(values) for name, values in SERIES.items()},
        rule_checks=[(RULES[0], "Yes, fewer than 6", "Yes, fewer than 6"), (RULES[1], "No", "No"),
                     (RULES[2], "Yes, 7", "Yes, 6")],
        activities=[("Community-building event", 14), ("Presentation or class", 22)],
    )
    values.update(changes)
    return PrintableEnforcement(**values)


def _build(tmp_path: Path, report: PrintableEnforcement, name: str = "enforcement.pdf") -> Path:
    out = tmp_path / name
    build_enforcement_pdf(report, out)
    return out


def _close(colour, expected, tolerance: float = 0.01) -> bool:
    colour = tuple(colour or ())
    return len(colour) == 3 and all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def _rgb(colour) -> tuple[float, float, float]:
    return (colour.red, colour.green, colour.blue)


# -- the opening and the headline ------------------------------------------------------


def test_opening_names_district_year_and_explains_privacy(tmp_path):
    path = _build(tmp_path, _report())
    first = " ".join(_texts(path)[0].split())
    for expected in (
        "School-based arrests, citations and referrals",
        DISTRICT,
        f"School year {YEAR}",
        "Prepared on January 15, 2026",
        "No student is named in this report, and immigration status is never recorded.",
        "every count below 6 (zero included) is printed as not shown",
        "no hidden count can be worked out from the totals or from the other tables",
        "The threshold is 6",
        "protective custody, or a report to the police whether or not they acted",
        "School Safety and Discipline Report",
    ):
        assert expected in first, expected


def test_note_follows_the_threshold(tmp_path):
    text = _flat(_build(tmp_path, _report(threshold=11, tables=_tables(11))))
    assert "every count below 11 (zero included) is printed as not shown" in text
    assert "The threshold is 11" in text
    text = _flat(_build(tmp_path, _report(threshold=1, tables=_tables(1)), "none.pdf"))
    assert "no count is hidden in this report" in text
    assert "from 1 to 0" not in text


def test_headline_prints_numbers_and_shares_with_the_district_bold(tmp_path):
    path = _build(tmp_path, _report())
    lines = _lines(path)
    assert "North High 812 14 1.7% 9 1.1%" in lines
    assert "South Middle 640 7 1.1% not shown not shown" in lines  # the hidden count's share is hidden too
    assert "East Elementary not set 0 — 0 —" in lines
    assert "District 1452 21 1.4% 13 0.9%" in lines
    words = _words(path)
    (total,) = [w for w in words if w["text"] == "1452"]
    district = [w for w in words if abs(w["top"] - total["top"]) < 1]
    assert [w["text"] for w in district] == ["District", "1452", "21", "1.4%", "13", "0.9%"]
    assert all("Bold" in w["fontname"] for w in district)
    plain = [w for w in words if w["text"] in ("812", "1.7%")]
    assert plain and not any("Bold" in w["fontname"] for w in plain)


# -- suppressed cells ------------------------------------------------------------------


def test_a_hidden_cell_prints_a_marked_star_not_its_number(tmp_path):
    report = _report()
    table = report.tables[0]
    assert (0, 1) in table.hidden and table.release.values[table.keys[0][1]] == 3  # the small count
    path = _build(tmp_path, report)
    lines = _lines(path)
    shown = table.shown()
    for r, label in enumerate(table.rows):
        expected = " ".join([label, *shown[r]])
        assert expected in lines, expected
    arrest = next(line for line in lines if line.startswith("Arrest "))
    assert arrest.split() == ["Arrest", *" ".join(shown[0]).split()]
    assert shown[0][1] == NOT_SHOWN
    assert "3" not in arrest.split()  # nor can the row's total give it away: 7 is hidden too
    with pdfplumber.open(path) as pdf:  # the pages of tables (the charts' legends say NOT_SHOWN plainly)
        words = [
            w for page in pdf.pages if "no bar drawn" not in (page.extract_text() or "")
            for w in page.extract_words(extra_attrs=["fontname", "non_stroking_color"])
        ]
    marked = [w for w in words if w["text"] == "shown" and _close(w["non_stroking_color"], _rgb(doc.HIDDEN_INK))]
    assert len(marked) >= sum(len(t.hidden) for t in report.tables)
    assert all("Oblique" in w["fontname"] for w in marked)


def test_hidden_cells_are_tinted(tmp_path):
    report = _report()
    path = _build(tmp_path, report)
    with pdfplumber.open(path) as pdf:
        tinted = [
            rect for page in pdf.pages for rect in page.rects
            if _close(rect.get("non_stroking_color"), _rgb(doc.HIDDEN_TINT))
        ]
    hidden = sum(len(t.hidden) for t in report.tables)
    assert len(tinted) >= hidden


def test_totals_are_bold(tmp_path):
    path = _build(tmp_path, _report())
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if "Actions by kind and school" in (p.extract_text() or ""))
        words = page.extract_words(extra_attrs=["fontname"])
    rows: dict[float, list[dict]] = {}
    for word in words:
        rows.setdefault(round(word["top"]), []).append(word)
    total_row = next(ws for ws in rows.values() if ws[0]["text"] == "Total" and len(ws) > 2)
    assert all("Bold" in w["fontname"] for w in total_row if w["text"] not in ("not", "shown"))
    citation = next(ws for ws in rows.values() if ws[0]["text"] == "Citation")
    assert "Bold" in citation[-1]["fontname"]  # the Total column
    assert not any("Bold" in w["fontname"] for w in citation[:-1] if w["text"] not in ("not", "shown"))


def test_every_table_is_printed_with_its_title(tmp_path):
    report = _report()
    path = _build(tmp_path, report)
    text = _flat(path)
    for title in ("Students arrested and referred", "Arrests, citations and court referrals by month",
                  "Students arrested and referred, by school", "Counts of actions", "Rule checks",
                  "SRO activity"):
        assert title in text, title
    for table in report.tables:
        assert table.title in text, table.title


def test_a_wide_table_fits_the_page_and_keeps_every_cell(tmp_path):
    report = _report()
    by_month = report.tables[1]
    assert len(by_month.columns) == len(enf.KINDS) + 1 == 12
    (grid,) = count_grids(by_month)
    assert sum(grid._colWidths) <= 6.7 * inch + 0.01
    path = _build(tmp_path, report)
    lines = _lines(path)
    shown = by_month.shown()
    numbers = [" ".join([label, *(v for v in shown[r] if v != NOT_SHOWN)]) for r, label in enumerate(by_month.rows)]
    stripped = [" ".join(t for t in line.split() if t not in ("not", "shown")) for line in lines]
    for expected in numbers:
        assert expected in stripped, expected
    with pdfplumber.open(path) as pdf:  # the narrow columns' headers read upwards
        turned = " ".join(
            w["text"] for page in pdf.pages
            for w in page.extract_words(char_dir_rotated="btt", line_dir_rotated="ltr")
            if not w["upright"]
        )
    for kind in ALL_KINDS:
        assert kind in turned, kind
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert 0.9 * inch - 1 <= char["x0"] and char["x1"] <= page.width - 0.9 * inch + 1


def test_a_table_wider_than_the_page_continues_in_a_second_grid(tmp_path):
    schools = [f"School {n}" for n in range(16)]
    table = suppress(count_table("Actions by kind and school", ["Arrest", "Citation"], schools,
                                 [[n % 9 for n in range(16)], [(n * 5) % 11 for n in range(16)]]), 6)
    grids = count_grids(table)
    assert len(grids) == 2
    assert all(sum(g._colWidths) <= 6.7 * inch + 0.01 for g in grids)
    path = _build(tmp_path, _report(tables=[table]))
    text = _flat(path)
    assert "Total" in text and "Arrest" in text
    shown = table.shown()
    lines = _lines(path)
    first = [line for line in lines if line.startswith("Arrest ")]
    tokens = [token for line in first for token in line.split()[1:] if token not in ("not", "shown")]
    assert tokens == [v for v in shown[0] if v != NOT_SHOWN]


def test_a_long_table_repeats_its_header(tmp_path):
    rows = [f"Row {n}" for n in range(90)]
    table = suppress(count_table("Actions by grade", rows, ["Arrest", "Citation"],
                                 [[n % 7 + 6, n % 5 + 6] for n in range(90)]), 6)
    texts = _texts(_build(tmp_path, _report(tables=[table])))
    pages = [t for t in texts if "Row " in t]
    assert len(pages) >= 2
    for text in pages:
        assert "Arrest Citation Total" in " ".join(text.split())


# -- charts ----------------------------------------------------------------------------


def test_monthly_chart_draws_one_bar_per_shown_count():
    report = _report()
    chart = monthly_chart(report)
    expected = [
        (name, month, value)
        for name, values in SERIES.items()
        for month, value in enumerate(values)
        if value  # neither None (hidden) nor zero
    ]
    assert [(b.series, b.category, b.value) for b in chart.bars] == expected
    assert len(chart.bars) == sum(1 for values in SERIES.values() for v in values if v)
    hidden = [(name, m) for name, values in SERIES.items() for m, v in enumerate(values) if v is None]
    assert chart.markers == hidden
    # The bars are really in the drawing, and their heights are in proportion to the values.
    rects = [shape for shape in chart.contents if isinstance(shape, Rect)]
    assert all(any(bar.rect is r for r in rects) for bar in chart.bars)
    assert len(rects) == len(chart.bars) + len(SERIES)  # the bars and the legend's swatches
    unit = chart.bars[0].rect.height / chart.bars[0].value
    for bar in chart.bars:
        assert bar.rect.height == pytest.approx(unit * bar.value)
    strings = [s.text for s in chart.contents if isinstance(s, String)]
    assert strings.count("\u25cb") == len(hidden)  # one marker per hidden value
    for month in ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"):
        assert month in strings
    for name in SERIES:
        assert name in strings
    assert "\u25cb not shown: no bar drawn" in strings
    assert all(s.fontName.startswith("SroDeskSans") for s in chart.contents if isinstance(s, String))


def test_monthly_chart_with_nothing_to_draw():
    report = _report(series={name: [0] * 12 for name in SERIES})
    chart = monthly_chart(report)
    assert chart.bars == [] and chart.markers == []
    assert not any(isinstance(s, String) and "not shown" in s.text for s in chart.contents)


def test_monthly_chart_in_the_pdf(tmp_path):
    report = _report()
    path = _build(tmp_path, report)
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if "by month" in (p.extract_text() or "")
                    and "Jul" in (p.extract_text() or ""))
        text = page.extract_text()
        coloured = [
            rect for rect in page.rects
            if any(_close(rect.get("non_stroking_color"), _rgb(c)) for c in doc.PALETTE[:3])
        ]
    for label in ("Jul", "Dec", "Jan", "Jun", "2025", "2026", "Arrests", "Citations and tickets",
                  "Court referrals", "not shown: no bar drawn"):
        assert label in text, label
    bars = sum(1 for values in SERIES.values() for v in values if v)
    school_bars = sum(1 for row in report.headline[:-1] for v in (row[2], row[4]) if v not in (NOT_SHOWN, "0"))
    on_page = len(coloured) - len(SERIES)  # the legend's swatches
    if "Students arrested and referred, by school" in text:
        on_page -= 2 + school_bars
    assert on_page == bars


def test_schools_chart_leaves_out_the_district_and_marks_hidden_counts():
    (chart,) = schools_charts(_report())
    assert [(b.series, b.category, b.value) for b in chart.bars] == [
        (doc.ARRESTED, 0, 14), (doc.REFERRED, 0, 9), (doc.ARRESTED, 1, 7),
    ]
    assert chart.markers == [(doc.REFERRED, 1)]
    strings = [s.text for s in chart.contents if isinstance(s, String)]
    for school in SCHOOLS:
        assert school in strings
    assert "District" not in strings


def test_many_schools_make_several_charts(tmp_path):
    headline = [(f"School {n}", "100", str(n + 6), "", "0", "") for n in range(40)]
    headline.append(("District", "4000", "1020", "25.5%", "0", "0.0%"))
    charts = schools_charts(_report(headline=headline))
    assert len(charts) == 3
    assert sum(len(c.bars) for c in charts) == 40
    assert all(c.height < 9 * inch for c in charts)
    assert _build(tmp_path, _report(headline=headline)).exists()


# -- rule checks and activity ----------------------------------------------------------


def test_rule_checks_and_activity(tmp_path):
    path = _build(tmp_path, _report())
    text = _flat(path)
    assert "Rule Entries flagged Acknowledged" in text
    assert f"{RULES[2]} Yes, 7 Yes, 6" in text
    assert "Community-building event 14" in text
    assert "Presentation or class 22" in text
    assert "No activity logged." not in text
    lines = _lines(path)
    (flagged,) = [line for line in lines if line.startswith("Enforcement for disturbing an assembly")]
    assert flagged.endswith("Yes, fewer than 6 Yes, fewer than 6")


def test_no_activity_says_so(tmp_path):
    text = _flat(_build(tmp_path, _report(activities=[])))
    assert "No activity logged." in text
    assert "Activity Count" not in text


# -- pages, metadata, fonts ------------------------------------------------------------


def test_every_page_says_page_n_of_total(tmp_path):
    texts = _texts(_build(tmp_path, _report()))
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert f"Enforcement report — {YEAR}" in text


def test_metadata_and_bookmarks(tmp_path):
    report = _report()
    reader = PdfReader(_build(tmp_path, report))
    assert reader.metadata.title == f"Enforcement report — {YEAR}"
    assert reader.metadata.author == DISTRICT
    assert reader.metadata.creator == "SRO Desk"
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [
        "About this report", "Students arrested and referred",
        "Arrests, citations and court referrals by month",
        "Students arrested and referred, by school", "Counts of actions", "Rule checks",
        "SRO activity",
    ]
    (nested,) = [item for item in reader.outline if isinstance(item, list)]
    assert [item.title for item in nested] == [t.title for t in report.tables]
    flat = [item for entry in reader.outline for item in (entry if isinstance(entry, list) else [entry])]
    pages = [reader.get_destination_page_number(item) for item in flat]
    assert pages[0] == 0


def test_fonts_are_the_embedded_dejavu_faces(tmp_path):
    reader = PdfReader(_build(tmp_path, _report()))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?", n) for n in names), names


# -- hostile text ----------------------------------------------------------------------


def test_hostile_text_builds_and_prints_literally(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    nasty = " ".join(HOSTILE)
    school = "Ж" * 150 + " " + nasty  # as long as a school's name may be
    table = suppress(count_table(nasty, [nasty, "Arrest"], [school, "Plain"], [[3, 9], [12, 0]]), 6)
    many = suppress(count_table("Actions by month", MONTHS, [nasty] * 10, [[7] * 10] * 12), 6)
    report = _report(
        district_name=nasty,
        school_year=nasty,
        prepared_on=nasty,
        headline=[(school, nasty, "7", nasty, NOT_SHOWN, ""), (nasty, "", "0", "", "0", ""),
                  ("District", "10", "7", "70.0%", NOT_SHOWN, "")],
        tables=[table, many],
        months=[nasty] * 12,
        series={nasty: [1, None, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0], "Arrests": [0] * 12},
        rule_checks=[(nasty, NOT_SHOWN, "0")],
        activities=[(nasty, 3)],
    )
    path = _build(tmp_path, report)
    assert fetched == []
    text = _flat(path)
    for expected in ("<b>x", "<img src='http://example.com/x.png'/>", "&amp;", "<font name='Nope'>"):
        assert expected in text, expected
    assert "&lt;" not in text
    assert "bellend" in text
    assert set("مرحبا שלום") - {" "} <= set(text)
    assert "Ж" * 10 in text
    reader = PdfReader(path)
    assert reader.metadata.author == clean(nasty)
    assert reader.metadata.title == clean(f"Enforcement report — {nasty}")
    texts = _texts(path)
    for number, page_text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page_text
    chart = monthly_chart(report)
    assert [(b.series, b.value) for b in chart.bars] == [(nasty, 1), (nasty, 4)]
    assert all("\x00" not in s.text for s in chart.contents if isinstance(s, String))


# -- output ----------------------------------------------------------------------------


def test_writes_to_a_binary_file_object():
    buffer = io.BytesIO()
    build_enforcement_pdf(_report(), buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    assert DISTRICT in text


# -- end to end ------------------------------------------------------------------------


def test_end_to_end_from_a_data_file(tmp_path):
    today = date(2026, 1, 15)
    with DataFile.open(tmp_path / "district.db", OpenOptions(create=True)) as data_file:
        save_district(data_file, sample_district())
        district = load_district(data_file)
        high, middle = district.schools[0], district.schools[1]
        actions = [
            enf.Action(f"2025-10-{day:02d} 10:00", high.id, "grounds", "arrest", offense="weapon",
                       warrant=True, principal_consulted=True,
                       parent_notified_at=f"2025-10-{day:02d} 12:00", student_ref=f"H{day}",
                       gender="M" if day % 2 else "F")
            for day in range(1, 8)
        ]
        actions += [
            enf.Action(f"2025-11-{day:02d} 09:00", middle.id, "building", "citation", offense="theft",
                       principal_consulted=True, student_ref=f"M{day}", gender="F")
            for day in range(3, 11)
        ]
        actions.append(enf.Action("2025-12-04 11:00", middle.id, "building", "citation",
                                  offense="disorderly", principal_consulted=False, student_ref="M99"))
        actions.append(enf.Action("2025-12-09 11:00", middle.id, "grounds", "citation",
                                  offense="theft", principal_consulted=True, student_ref="M98"))
        actions += [
            enf.Action(f"2026-01-0{day} 11:00", middle.id, "grounds", "citation", offense="theft",
                       principal_consulted=True, student_ref=f"J{day}")
            for day in (5, 6, 7)
        ]
        enf.save_actions(data_file, actions, today=today)
        enf.set_enrolment(data_file, high.id, YEAR, 700)
        enf.set_enrolment(data_file, middle.id, YEAR, 400)
        for school in district.schools[2:]:  # a district share needs every school's enrolment
            enf.set_enrolment(data_file, school.id, YEAR, 300)
        enf.save_activity(data_file, enf.Activity("2025-10-05", "community", 3), today=today)
        report = printable_enforcement(data_file, YEAR, today=today)
        path = tmp_path / "report.pdf"
        build_enforcement_pdf(report, path)

    # Whatever the chart shows is what the period table shows, and a shown count is true.
    true = {("Arrests", "2025-10"): 7, ("Citations and tickets", "2025-11"): 8}
    period = next((t for t in report.tables if t.title in ("Actions by month", "Actions by quarter")), None)
    charted = (("Arrests", "Arrest"), ("Citations and tickets", "Citation or ticket"))
    for name, column in () if period is None else charted:
        c = period.columns.index(column)
        assert report.series[name] == [period.value(r, c) for r in range(len(period.rows) - 1)]
    if period is not None and period.title == "Actions by month":
        for (name, month), value in true.items():
            index = ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11"].index(month)
            assert report.series[name][index] in (value, None)
    chart = monthly_chart(report)
    assert all(b.value == report.series[b.series][b.category] for b in chart.bars)
    assert sorted(chart.markers) == sorted((name, i) for name, values in report.series.items()
                                           for i, v in enumerate(values) if v is None)

    text = _flat(path)
    lines = _lines(path)
    for expected in (
        district.name, YEAR, "January 15, 2026", "The threshold is 6",
        "Community-building event 3",
    ):
        assert expected in text, expected
    totals = next(line for line in lines if line.startswith("District 1700 "))
    assert set(totals.split()[2:]) <= {"7", "0.4%", "13", "0.8%", "not", "shown"}, totals  # true or hidden
    assert not any(line.startswith(f"{high.name} 700 0 ") or " 0 0.0%" in line for line in lines)  # zeros hidden
    for table in report.tables:
        assert table.title in text, table.title
    assert ("Dec" in text and "Citations and tickets" in text) or \
        "by date without risk of identifying a student" in text
    (c272,) = [line for line in lines if line.startswith("Enforcement for disturbing an assembly")]
    assert c272.endswith("Yes, fewer than 6 No")  # one flagged entry: broken, its count hidden
    reader = PdfReader(path)
    assert reader.metadata.title == f"Enforcement report — {YEAR}"
    assert reader.metadata.author == district.name
    texts = _texts(path)
    for number, page_text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page_text


# -- "Low income" ----------------------------------------------------------------------


def test_low_income_is_printed_and_a_year_before_2021_22_carries_the_definition_note(tmp_path):
    """DESE's label since 2021-22 in the table, and under it, for an earlier year, the
    note that the definition changed (the stored code stays econ_disadvantaged)."""
    today = date(2026, 1, 15)
    with DataFile.open(tmp_path / "district.db", OpenOptions(create=True)) as data_file:
        save_district(data_file, sample_district())
        district = load_district(data_file)
        actions = [
            enf.Action(f"{year}-{month:02d}-{n % 28 + 1:02d} 10:00", district.schools[n % 2].id, "grounds",
                       ["citation", "reported"][n % 3 % 2], offense="theft", principal_consulted=True,
                       econ_disadvantaged=n % 2 == 0, student_ref=f"S{year}-{n}", grade="9", gender="F",
                       race_ethnicity="WH", disability="none")
            for year, month in ((2021, 3), (2025, 10)) for n in range(60)
        ]
        enf.save_actions(data_file, actions, today=today)
        old = printable_enforcement(data_file, "2020-2021", today=today)
        new = printable_enforcement(data_file, YEAR, today=today)
    note = enf.low_income_note("2020-2021")
    assert old.table_notes == {"Actions by low-income status": note} and new.table_notes == {}
    assert any(t.title == "Actions by low-income status" for t in old.tables)
    old_text = _flat(_build(tmp_path, old, "old.pdf"))
    new_text = _flat(_build(tmp_path, new, "new.pdf"))
    for text in (old_text, new_text):
        assert "Actions by low-income status" in text and "Low income" in text and "Not low income" in text
        assert "Economically disadvantaged" not in text
    assert " ".join(clean(note).split()) in old_text
    assert "under an older definition" not in new_text
