"""The selection summary and the blank input form, checked by their content."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from sro_desk.documents.common import clean
from sro_desk.documents.selection import (
    build_selection_input_form_pdf,
    build_selection_summary_pdf,
)
from sro_desk.errors import SroDeskError
from sro_desk.records.demo import sample_district
from sro_desk.records.district import save_district
from sro_desk.records.officers import Officer, save_officer
from sro_desk.records.selection import (
    FACTORS,
    PREFERENCES,
    Decision,
    Disclosure,
    InputRecord,
    PrintableCandidate,
    PrintableInputForm,
    PrintableSelection,
    Score,
    decide,
    form_text,
    load_round,
    open_round,
    printable_input_form,
    printable_selection,
    recommend_against,
    save_disclosure,
    save_input,
)
from sro_desk.store import DataFile, OpenOptions
from tests.documents.pdftext import texts as _texts, flat as _flat, lines as _lines, words as _words

DISTRICT = "Quabbin Valley Regional School District"
ROUND = "High school SRO 2026-2027"
YEAR = "2026-2027"
GROUPS = ["Principals", "Teachers", "Parents and guardians", "Superintendent"]
CRITERIA = list(PREFERENCES.values()) + list(FACTORS.values())
EXPLANATION = "The complaints concerned traffic stops years ago; none involved a school."


def _candidate(name: str, **changes) -> PrintableCandidate:
    values = dict(
        name=name,
        rank="Sergeant",
        department="Ashby Falls Police Department",
        years_of_service="12",
        training=[
            "Training in 2025-2026: 14 of 12 hours; complete.",
            "SRO certification: current (granted 2024-01-10, expires 2027-01-10)",
        ],
        score_rows=[
            (CRITERIA[0], {"Principals": "4.5 (3)", "Teachers": "4 (2)"}),
            (CRITERIA[2], {"Parents and guardians": "3.5 (2)"}),
            (CRITERIA[9], {"Superintendent": "5 (1)", "Principals": "2 (1)"}),
        ],
        overall={"Principals": "3.8", "Teachers": "4", "Parents and guardians": "3.5",
                 "Superintendent": "5"},
        disclosures=[],
        comments=[
            ("Teachers", "Calm with students and knows the families."),
            ("Parents and guardians", "Spoke well at the PTO night."),
            ("Teachers", "Visits classrooms."),
        ],
    )
    values.update(changes)
    return PrintableCandidate(**values)


def _summary(**changes) -> PrintableSelection:
    values = dict(
        district_name=DISTRICT,
        title=ROUND,
        school_year=YEAR,
        school_name="Quabbin Regional High School",
        opened_on="2026-03-01",
        prepared_on="May 14, 2026",
        groups=list(GROUPS),
        inputs=[
            ("Principals", "2026-03-10", "Dr. Ames", "Principals of all five schools"),
            ("Teachers", "2026-03-12", "Ms. Lee", "12 teachers"),
            ("Parents and guardians", "2026-03-15", "PTO board", "30 parents"),
            ("Superintendent", "2026-03-20", "", ""),
        ],
        missing_groups=["Students"],
        candidates=[
            _candidate("Jordan Whitaker"),
            _candidate(
                "Casey Morgan",
                recommended_against="Two sustained complaints in 2024.",
                disclosures=[
                    ("Parent of a grade 9 student", "Child attends the high school",
                     "Will not handle matters involving the child"),
                    ("Cousin of a teacher", "", ""),
                ],
            ),
        ],
        decision=(
            "Casey Morgan",
            "2026-05-01",
            ["Temperament suited to working with children and educators", "Seniority"],
            "Students could not be heard before the summer.",
            EXPLANATION,
        ),
    )
    values.update(changes)
    return PrintableSelection(**values)


def _form(**changes) -> PrintableInputForm:
    values = dict(
        district_name=DISTRICT,
        title=ROUND,
        school_year=YEAR,
        group="Parents and guardians",
        candidates=["Jordan Whitaker", "Casey Morgan"],
        criteria=list(CRITERIA),
        text=form_text("en"),
    )
    values.update(changes)
    return PrintableInputForm(**values)


def _build_summary(tmp_path: Path, summary: PrintableSelection, name: str = "summary.pdf") -> Path:
    out = tmp_path / name
    build_selection_summary_pdf(summary, out)
    return out


def _build_form(tmp_path: Path, form: PrintableInputForm, name: str = "form.pdf") -> Path:
    out = tmp_path / name
    build_selection_input_form_pdf(form, out)
    return out


def _count(path: Path, word: str) -> int:
    """How many times ``word`` is printed as a word of its own (long text wraps and splits)."""
    return sum(1 for w in _words(path) if w["text"] == word)


def _main_table(path: Path, page: int = 0) -> list[list]:
    """The largest table on a page (the form's grid, not its scale legend)."""
    with pdfplumber.open(path) as pdf:
        return max(pdf.pages[page].extract_tables(), key=len)


def _page_with(texts: list[str], needle: str) -> int:
    return next(n for n, text in enumerate(texts) if needle in " ".join(text.split()))


# -- the summary -----------------------------------------------------------------------


def test_summary_opens_with_the_round_and_the_input(tmp_path):
    path = _build_summary(tmp_path, _summary())
    first = " ".join(_texts(path)[0].split())
    for expected in (
        "SRO selection summary", DISTRICT, ROUND, YEAR, "Quabbin Regional High School",
        "Opened on 2026-03-01", "Prepared on May 14, 2026", "Input gathered",
        "Principals 2026-03-10 Dr. Ames Principals of all five schools",
        "Parents and guardians 2026-03-15 PTO board 30 parents",
        "1 (poor) to 5 (excellent)", "5 excellent",
    ):
        assert expected in first, expected


def test_district_wide_round_says_so(tmp_path):
    first = _texts(_build_summary(tmp_path, _summary(school_name="")))[0]
    assert "District-wide" in first


def test_missing_groups_are_flagged_in_red(tmp_path):
    path = _build_summary(tmp_path, _summary())
    assert "Input missing from: Students." in " ".join(_texts(path)[0].split())
    flagged = [w for w in _words(path) if w["text"] == "missing" and w["page"] == 0]
    assert flagged and all("Bold" in w["fontname"] for w in flagged)
    assert all(w["non_stroking_color"] not in ((0,), (0, 0, 0), [0], [0, 0, 0]) for w in flagged)

    complete = _summary(missing_groups=[], groups=GROUPS + ["Students"])
    text = _flat(_build_summary(tmp_path, complete, "complete.pdf"))
    assert "Input missing from" not in text
    assert "Decided without input" not in text


def test_no_input_says_so(tmp_path):
    summary = _summary(inputs=[], groups=[], missing_groups=["Principals", "Teachers",
                       "Parents and guardians", "Students"],
                       candidates=[_candidate("Jordan Whitaker", score_rows=[], overall={},
                                              comments=[])],
                       decision=None)
    text = _flat(_build_summary(tmp_path, summary))
    assert "No input has been recorded yet." in text
    assert "Input missing from: Principals, Teachers, Parents and guardians, Students." in text
    assert "No scores recorded for this candidate." in text
    assert "No comments." in text
    assert "Decision" not in text


def test_each_candidate_gets_its_own_page_and_bookmark(tmp_path):
    path = _build_summary(tmp_path, _summary())
    texts = _texts(path)
    whitaker, morgan = _page_with(texts, "Jordan Whitaker"), _page_with(texts, "Casey Morgan")
    assert 0 < whitaker < morgan
    page = " ".join(texts[whitaker].split())
    for expected in ("Rank Sergeant", "Police department Ashby Falls Police Department",
                     "Years of service 12", "14 of 12 hours; complete.",
                     "SRO certification: current"):
        assert expected in page, expected
    reader = PdfReader(path)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Input gathered", "Jordan Whitaker", "Casey Morgan", "Decision"]
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages == sorted(pages) and pages[1] == whitaker and pages[2] == morgan


def test_scores_table_has_a_column_per_group_and_an_overall_row(tmp_path):
    path = _build_summary(tmp_path, _summary())
    lines = _lines(path)
    header = [line for line in lines if line.startswith("Criterion")]
    assert len(header) >= 2  # each candidate's table
    assert all(line.startswith("Criterion Principals Teachers Parents and Superintendent") for line in header)
    (first,) = {line for line in lines if line.startswith("Temperament suited")}
    assert first.endswith("4.5 (3) 4 (2)")  # principals, teachers; the rest blank
    judgment = [line for line in lines if line.startswith(CRITERIA[9][:20])]
    assert judgment and all(line.endswith("2 (1) 5 (1)") for line in judgment)  # in column order
    overall = [line for line in lines if line.startswith("Overall")]
    assert overall == ["Overall 3.8 4 3.5 5"] * 2
    # a blank cell for a group without a score: the de-escalation row has one score only
    (escalation,) = {line for line in lines if line.startswith(CRITERIA[2])}
    assert escalation.endswith(" 3.5 (2)") and escalation.count("(") == 1
    words = [w for w in _words(path) if w["text"] == "3.5" and w["page"] == 1]
    principals = [w for w in _words(path) if w["text"] == "Principals" and w["page"] == 1 and w["top"] > 200]
    parents = [w for w in _words(path) if w["text"] == "Parents" and w["page"] == 1]
    assert words and principals and parents
    assert abs(words[0]["x0"] - parents[0]["x0"]) < 30  # under its group's column


def test_long_scores_table_repeats_its_header_and_wraps_labels(tmp_path):
    long_label = "Districtcriterion " * 40
    rows = [(f"{CRITERIA[n % len(CRITERIA)]} {n}", {"Principals": f"{n % 5 + 1} (2)"}) for n in range(60)]
    rows.append((long_label, {"Teachers": "4.5 (3)"}))
    path = _build_summary(tmp_path, _summary(candidates=[_candidate("Jordan Whitaker", score_rows=rows)],
                                             decision=None))
    texts = _texts(path)
    score_pages = [" ".join(t.split()) for t in texts if "(2)" in t]
    assert len(score_pages) >= 2
    for text in score_pages:
        assert "Criterion Principals Teachers" in text
    flat = _flat(path)
    assert _count(path, "Districtcriterion") == 40
    for n in range(60):
        assert f"{CRITERIA[n % len(CRITERIA)]} {n} " in flat, n
    widths = [w["x1"] for w in _words(path) if w["text"] == "Districtcriterion"]
    assert widths and max(widths) < 612  # wrapped inside the page


def test_recommended_against_is_flagged_on_that_candidate(tmp_path):
    texts = _texts(_build_summary(tmp_path, _summary()))
    morgan = " ".join(texts[_page_with(texts, "Casey Morgan Rank")].split())
    assert "The superintendent recommends that this officer not serve." in morgan
    assert "Two sustained complaints in 2024." in morgan
    whitaker = " ".join(texts[_page_with(texts, "Jordan Whitaker Rank")].split())
    assert "recommends that this officer not serve" not in whitaker


def test_disclosures_and_comment_digest(tmp_path):
    path = _build_summary(tmp_path, _summary())
    texts = [" ".join(t.split()) for t in _texts(path)]
    text = " ".join(texts)
    assert "Relationship Description Department's decision" in text
    assert "Parent of a grade 9 student Child attends the high school Will not handle matters" in text
    assert "Cousin of a teacher Not decided yet" in text
    assert "No disclosures." in texts[_page_with(texts, "Jordan Whitaker Rank")] + texts[
        _page_with(texts, "Jordan Whitaker Rank") + 1]
    # comments grouped under their group, in the order of the groups
    digest = text[text.index("Comments Teachers (2)"):]
    assert digest.index("Calm with students") < digest.index("Visits classrooms.") < digest.index(
        "Parents and guardians (1)") < digest.index("Spoke well at the PTO night.")


def test_decision_section_with_reasons_explanation_and_signatures(tmp_path):
    path = _build_summary(tmp_path, _summary())
    texts = _texts(path)
    last = " ".join(texts[-1].split())
    for expected in (
        "Decision", "Officer assigned Casey Morgan", "Date of decision 2026-05-01",
        "Reasons for the choice",
        "• Temperament suited to working with children and educators", "• Seniority",
        "Notes Students could not be heard before the summer.",
        "Decided without input from: Students.",
        "The chief's explanation", "superintendent recommended that this officer not serve",
        EXPLANATION,
        "Chief of Police", "Superintendent", "Signature", "Date", "Printed name",
    ):
        assert expected in last, expected
    assert last.count("Signature Date") == 2
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[-1]
        rules = [ln for ln in page.lines if ln["x1"] - ln["x0"] > 100] + [
            r for r in page.rects if r["width"] > 100 and r["height"] < 2]
    assert len(rules) >= 6  # signature, date and name lines for both


def test_no_decision_no_decision_section(tmp_path):
    text = _flat(_build_summary(tmp_path, _summary(decision=None)))
    assert "Officer assigned" not in text and "Chief of Police" not in text
    assert "Not decided yet" in text


def test_summary_pages_metadata_and_fonts(tmp_path):
    path = _build_summary(tmp_path, _summary())
    texts = _texts(path)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert f"SRO selection summary — {ROUND}" in text
    reader = PdfReader(path)
    assert reader.metadata.title == f"SRO selection summary — {ROUND}"
    assert reader.metadata.author == DISTRICT
    assert reader.metadata.creator == "SRO Desk"
    _assert_dejavu_only(reader)


def _assert_dejavu_only(reader: PdfReader) -> None:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert names and all(
        re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?", n) for n in names
    ), names


# -- the input form --------------------------------------------------------------------


def test_form_prints_the_json_texts_title_and_group(tmp_path):
    text = form_text("en")
    path = _build_form(tmp_path, _form())
    flat = _flat(path)
    for key in ("intro", "how_to", "criteria_caption", "candidate_caption", "comments_caption",
                "about_you_caption", "closing", "scale_caption"):
        assert " ".join(text[key].split()) in flat, key
    for field in text["about_you_fields"]:
        assert field in flat, field
    first = " ".join(_texts(path)[0].split())
    assert ROUND in first and DISTRICT in first and YEAR in first and "Parents and guardians" in first
    reader = PdfReader(path)
    assert reader.metadata.title == f"{ROUND} — Parents and guardians"
    assert reader.metadata.author == DISTRICT
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height  # portrait
    for number, page_text in enumerate(_texts(path), start=1):
        assert f"Page {number} of {len(reader.pages)}" in page_text
    _assert_dejavu_only(reader)


def test_form_grid_has_a_column_per_candidate_and_every_criterion(tmp_path):
    path = _build_form(tmp_path, _form(candidates=["Jordan Whitaker", "Casey Morgan", "Sam Rivera"]))
    flat = _flat(path)
    for number, criterion in enumerate(CRITERIA, start=1):
        assert f"{number}. {criterion}" in flat, criterion
    table = _main_table(path)
    assert len(table[0]) == 4  # the criteria, then one column per candidate
    names = " ".join(" ".join(str(c or "").split()) for c in table[1])
    assert "Jordan Whitaker" in names and "Casey Morgan" in names and "Sam Rivera" in names
    body = table[2:]
    assert body and all(not any(cell for cell in row[1:]) for row in body)  # boxes left empty


def test_blank_form_has_three_numbered_candidates(tmp_path):
    text = form_text("en")
    form = PrintableInputForm(DISTRICT, text["title"], "", "Students", [], list(CRITERIA), text)
    path = _build_form(tmp_path, form)
    flat = _flat(path)
    for number in (1, 2, 3):
        assert f"{text['blank_candidate']} {number}" in flat
    assert "Candidate 4" not in flat
    assert text["title"] in flat and "Students" in flat
    table = _main_table(path)
    assert len(table[0]) == 4


def test_six_candidates_print_landscape_with_the_header_repeated(tmp_path):
    names = [f"Officer Number {n}" for n in range(1, 7)]
    path = _build_form(tmp_path, _form(candidates=names))
    reader = PdfReader(path)
    for page in reader.pages:
        assert page.mediabox.width > page.mediabox.height  # landscape Letter
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (792, 612)
    table = _main_table(path)
    assert len(table[0]) == 7
    texts = [" ".join(t.split()) for t in _texts(path)]
    grid_pages = [t for t in texts if re.search(r"\b\d+\. ", t)]
    assert len(grid_pages) >= 2
    for text in grid_pages:
        assert "What we look for Candidate" in text
        assert all(name in text for name in names)
    # the footer sits inside the landscape page
    footer = [w for w in _words(path) if w["text"] == "Page"]
    assert footer and all(w["x1"] < 792 for w in footer)


def test_four_candidates_stay_portrait_and_many_split_into_grids(tmp_path):
    four = PdfReader(_build_form(tmp_path, _form(candidates=[f"Officer {n}" for n in range(4)])))
    assert all(p.mediabox.width < p.mediabox.height for p in four.pages)
    eleven = _build_form(tmp_path, _form(candidates=[f"Officer {n}" for n in range(11)]), "eleven.pdf")
    flat = _flat(eleven)
    for n in range(11):
        assert f"Officer {n}" in flat
    assert flat.count(f"1. {CRITERIA[0]}") == 2  # two grids, every criterion in each


def test_printable_input_form_from_the_json_builds(tmp_path):
    form = printable_input_form(None, "teacher")
    text = _flat(_build_form(tmp_path, form))
    assert form.text["title"] in text and "Teachers" in text
    assert "Candidate 1" in text


# -- hostile text, files ---------------------------------------------------------------

HOSTILE = [
    "<b>x",
    "<img src='http://example.com/a.png'/>",
    "&amp;",
    "🚓👮",
    "مرحبا بالعالم",
    "שלום עולם",
    "bell\x00\x07end",
]
NASTY = " ".join(HOSTILE)
LONG = ("Longcomment " * 300)[:3000]  # 250 words of twelve characters


def _check_literal(path: Path) -> str:
    text = _flat(path)
    for expected in ("<b>x", "<img src='http://example.com/a.png'/>", "&amp;"):
        assert expected in text, expected
    assert "&lt;" not in text
    assert "bellend" in text
    assert set("مرحبا بالعالم שלום עולם") - {" "} <= set(text)
    return text


def test_hostile_text_in_the_summary_prints_literally(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    assert len(LONG) == 3000
    candidate = _candidate(
        NASTY, rank=NASTY, department=NASTY, years_of_service=NASTY, training=[NASTY],
        score_rows=[(NASTY, {NASTY: NASTY}), (LONG, {NASTY: "4.5 (3)"})],
        overall={NASTY: NASTY}, disclosures=[(NASTY, LONG, NASTY)],
        comments=[(NASTY, NASTY), (NASTY, LONG), ("Teachers", "x" * 3000)],
        recommended_against=NASTY,
    )
    summary = _summary(
        district_name=NASTY, title=NASTY, school_year=NASTY, school_name=NASTY, opened_on=NASTY,
        prepared_on=NASTY, groups=[NASTY], inputs=[(NASTY, NASTY, NASTY, LONG)],
        missing_groups=[NASTY], candidates=[candidate],
        decision=(NASTY, NASTY, [NASTY, LONG], LONG, NASTY),
    )
    path = _build_summary(tmp_path, summary)
    assert fetched == []
    _check_literal(path)
    assert _count(path, "Longcomment") == 250 * 6  # every copy whole, however it wraps
    assert "".join(w["text"] for w in _words(path) if re.fullmatch("x+", w["text"])).count("x") == 3000
    reader = PdfReader(path)
    assert reader.metadata.title == clean(f"SRO selection summary — {NASTY}")
    assert reader.metadata.author == clean(NASTY)
    for number, page_text in enumerate(_texts(path), start=1):
        assert f"Page {number} of {len(reader.pages)}" in page_text


def test_hostile_text_in_the_form_prints_literally(tmp_path, monkeypatch):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    text = {key: NASTY for key in form_text("en")}
    text["about_you_fields"] = [NASTY, LONG]
    form = PrintableInputForm(NASTY, NASTY, NASTY, NASTY, [NASTY, "Officer " * 30], [NASTY, LONG], text)
    path = _build_form(tmp_path, form)
    assert fetched == []
    _check_literal(path)
    assert _count(path, "Longcomment") == 250 * 2  # the criterion and the about-you field
    assert PdfReader(path).metadata.title == clean(f"{NASTY} — {NASTY}")
    blank = PrintableInputForm("", NASTY, "", NASTY, [], [NASTY], text)
    blank_text = _flat(_build_form(tmp_path, blank, "blank.pdf"))
    for number in (1, 2, 3):  # the blank candidate's heading, numbered
        assert re.search(rf"bellend {number}\b", blank_text), number


def test_writes_to_a_binary_file_object():
    for build, document in ((build_selection_summary_pdf, _summary()),
                            (build_selection_input_form_pdf, _form())):
        buffer = io.BytesIO()
        build(document, buffer)
        assert buffer.getvalue().startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
        assert "Casey Morgan" in text


@pytest.mark.parametrize("which", ["summary", "form"])
def test_missing_folder_is_a_plain_error_and_leaves_nothing(tmp_path, which):
    target = tmp_path / "missing" / f"{which}.pdf"
    with pytest.raises(SroDeskError, match="does not exist"):
        if which == "summary":
            build_selection_summary_pdf(_summary(), target)
        else:
            build_selection_input_form_pdf(_form(), target)
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


# -- end to end ------------------------------------------------------------------------


def test_end_to_end_from_a_data_file(tmp_path):
    today = date(2026, 5, 14)
    with DataFile.open(tmp_path / "district.db", OpenOptions(create=True)) as data_file:
        district = save_district(data_file, sample_district())
        department = district.departments[0]
        ids = [
            save_officer(data_file, Officer(name, rank=rank, department_id=department.id,
                                            years_of_service=years))
            for name, rank, years in (("Casey Morgan", "Sergeant", 14), ("Riley Chen", "Patrol Officer", 6))
        ]
        round_id = open_round(data_file, school_year=YEAR, title=ROUND, opened_on="2026-03-01",
                              officer_ids=ids)
        selection = load_round(data_file, round_id)
        morgan, chen = selection.candidates
        first, second = selection.criteria[0], selection.criteria[1]
        for group, scores in (
            ("principal", [(morgan, first, 5), (morgan, first, 4), (chen, second, 3)]),
            ("teacher", [(morgan, first, 3), (chen, first, 4)]),
        ):
            save_input(data_file, selection, InputRecord(
                None, group, "2026-03-10", gathered_by="Dr. Ames", participants="Five principals",
                scores=[Score(c.id, k.id, v) for c, k, v in scores]
                + [Score(morgan.id, None, None, f"{group} comment on Casey")],
            ))
        save_disclosure(data_file, selection, Disclosure(
            None, morgan.id, "Parent of a grade 9 student", "Child at the high school",
            "Handles no matters involving the child"))
        selection = load_round(data_file, round_id)
        recommend_against(data_file, selection, ids[0], "Two sustained complaints in 2024.")
        selection = load_round(data_file, round_id)
        decide(data_file, selection, Decision(
            ids[0], "2026-05-01", [first.key, "seniority"],
            reason_text="Parents and students could not meet before the summer.",
            chief_explanation=EXPLANATION,
        ))
        summary = printable_selection(data_file, load_round(data_file, round_id), today=today)
        path = tmp_path / "summary.pdf"
        build_selection_summary_pdf(summary, path)
        form = printable_input_form(data_file, "parent", selection=load_round(data_file, round_id))
        form_path = _build_form(tmp_path, form)

    text = _flat(path)
    for expected in (
        district.name, ROUND, YEAR, "District-wide", "May 14, 2026",
        "Casey Morgan", "Riley Chen", "Sergeant", department.name, "Years of service 14",
        "4.5 (2)",  # two principals' scores for Casey on the first criterion
        "Input missing from: Parents and guardians, Students.",
        "The superintendent recommends that this officer not serve.",
        "Two sustained complaints in 2024.",
        "Parent of a grade 9 student", "Handles no matters involving the child",
        "Principals (1) • principal comment on Casey", "Teachers (1) • teacher comment on Casey",
        "Officer assigned Casey Morgan", "Seniority", EXPLANATION,
        "Parents and students could not meet before the summer.",
        "Chief of Police", "Superintendent",
    ):
        assert expected in text, expected
    lines = _lines(path)
    assert any(line.startswith(first.label[:25]) and line.endswith("4.5 (2) 3 (1)") for line in lines)
    reader = PdfReader(path)
    assert reader.metadata.title == f"SRO selection summary — {ROUND}"
    assert reader.metadata.author == district.name
    form_text_ = _flat(form_path)
    assert "Casey Morgan" in form_text_ and "Riley Chen" in form_text_
    assert "Parents and guardians" in form_text_ and district.name in form_text_
