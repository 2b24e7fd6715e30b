"""Importing a training log from .csv and .xlsx: reading, matching columns, row problems."""

from __future__ import annotations

import os
from datetime import date, datetime

import openpyxl
import pytest

from sro_desk.errors import SroDeskError
from sro_desk.records import training
from sro_desk.records.officers import Officer, save_officer
from sro_desk.records.training_import import (
    FIELDS,
    MAX_ROWS,
    Table,
    apply_mapping,
    guess_mapping,
    import_plan,
    parse_date,
    read_table,
)

TODAY = date(2026, 1, 15)
HEADER = "Officer,Date,Course,Credit hours,Provider,Topics,Basic,Notes"


@pytest.fixture
def officers(demo_file):
    """Two officers in the demo district: name -> id."""
    return {
        name: save_officer(demo_file, Officer(name=name, assigned_sro=True))
        for name in ("Jane Rivera", "Marcus Bell")
    }


def write_csv(path, lines, encoding="utf-8"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def entry_count(data_file) -> int:
    return data_file.query("SELECT count(*) AS n FROM training_entry")[0]["n"]


def plan_for(data_file, path):
    table = read_table(path)
    return apply_mapping(data_file, table, guess_mapping(table.headers), today=TODAY)


def plan_of(data_file, tmp_path, rows):
    """The plan for a .csv of ``HEADER`` and ``rows``, columns as guessed."""
    return plan_for(data_file, write_csv(tmp_path / "log.csv", [HEADER, *rows]))


def reasons_by_row(plan) -> dict[int, str]:
    return {p.row_number: p.reason for p in plan.problems}


# -- reading ---------------------------------------------------------------------------


def test_a_csv_is_read_as_text_with_its_header(tmp_path):
    path = write_csv(tmp_path / "log.csv", [
        HEADER,
        "Jane Rivera,2025-10-15,De-escalation in schools,1.25,MPTC,De-escalation tactics,no,",
        "Marcus Bell,10/20/2025,Restorative circles,0.75,District,,,first session",
    ])
    table = read_table(path)
    assert table.headers == HEADER.split(",")
    assert table.rows[1] == [
        "Marcus Bell", "10/20/2025", "Restorative circles", "0.75", "District", "", "", "first session"
    ]
    assert table.row_number(0) == 2


def test_headers_are_matched_to_fields_whatever_their_case_and_spacing():
    mapping = guess_mapping(
        ["  OFFICER NAME ", "Training_Date", "Course", "Credit Hours", "Instructor", "topics",
         "Basic?", "Comments", "Trained with"]
    )
    assert mapping == {
        "officer": 0, "date": 1, "title": 2, "hours": 3, "provider": 4, "topics": 5,
        "basic_course": 6, "notes": 7, "with_administrators": 8,
    }
    assert list(mapping) == [f.key for f in FIELDS]


def test_an_exact_header_beats_a_partial_one_and_unknown_headers_stay_unmatched():
    mapping = guess_mapping(["Name", "Course name", "Date", "Hours (decimal)", "Badge number"])
    assert mapping["officer"] == 0
    assert mapping["title"] == 1
    assert mapping["hours"] == 3
    assert mapping["provider"] is None and mapping["notes"] is None


def test_an_xlsx_gives_iso_dates_and_plain_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Officer", "Date", "Training", "Hours"])
    sheet.append(["Jane Rivera", datetime(2025, 10, 15), "Threat assessment", 1.5])
    sheet.append(["Jane Rivera", date(2025, 11, 3), "Cyber safety", 0.75])
    sheet.append(["Marcus Bell", datetime(2025, 12, 1), "Crisis intervention", 2])
    sheet.append(["Marcus Bell", datetime(2025, 12, 2), "Computed hours", 0.1 + 0.2 + 1.2000000000000002])
    sheet.append([None, None, None, None])  # trailing blank rows are not rows
    book.create_sheet("Second sheet").append(["not", "read"])
    path = tmp_path / "log.xlsx"
    book.save(path)

    table = read_table(path)
    assert table.headers == ["Officer", "Date", "Training", "Hours"]
    assert [r[1] for r in table.rows] == ["2025-10-15", "2025-11-03", "2025-12-01", "2025-12-02"]
    assert [r[3] for r in table.rows] == ["1.5", "0.75", "2", "1.5"]


def test_a_semicolon_csv_and_a_tab_csv_are_split_on_their_delimiter(tmp_path):
    semi = write_csv(tmp_path / "semi.csv", [
        "Officer;Date;Title;Hours",
        "Jane Rivera;15 October 2025;Diversion, restorative options;1,5",
    ])
    table = read_table(semi)
    assert table.headers == ["Officer", "Date", "Title", "Hours"]
    assert table.rows == [["Jane Rivera", "15 October 2025", "Diversion, restorative options", "1,5"]]
    tabbed = write_csv(tmp_path / "tabbed.csv", ["Officer\tDate\tTitle\tHours", "Jane Rivera\tOct 15, 2025\tCPR\t2"])
    assert read_table(tabbed).rows == [["Jane Rivera", "Oct 15, 2025", "CPR", "2"]]


def test_a_cp1252_csv_and_a_utf8_csv_with_bom_are_both_read(tmp_path):
    cp = write_csv(tmp_path / "excel.csv", [HEADER, "Jane Rivera,2025-10-15,Résolution de conflits – niveau 1,2,,,,"], "cp1252")
    assert read_table(cp).rows[0][2] == "Résolution de conflits – niveau 1"
    bom = write_csv(tmp_path / "bom.csv", [HEADER, "Jane Rivera,2025-10-15,Café talk,2,,,,"], "utf-8-sig")
    table = read_table(bom)
    assert table.headers[0] == "Officer"
    assert table.rows[0][2] == "Café talk"


def test_blank_rows_are_skipped_but_row_numbers_stay_the_sheets(tmp_path, demo_file, officers):
    path = write_csv(tmp_path / "log.csv", [
        "",
        "Officer,Date,Title,Hours",
        "Jane Rivera,2025-10-15,Good,1",
        ",,,",
        "Nobody Known,2025-10-16,Bad,1",
        "",
        "",
    ])
    table = read_table(path)
    assert table.header_row == 2
    plan = apply_mapping(demo_file, table, guess_mapping(table.headers), today=TODAY)
    assert len(plan.entries) == 1 and plan.entry_rows == [3]
    assert list(reasons_by_row(plan)) == [5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-10-15", date(2025, 10, 15)),
        ("2025-10-15 00:00:00", date(2025, 10, 15)),
        ("10/15/2025", date(2025, 10, 15)),
        ("1/5/2026", date(2026, 1, 5)),
        ("10/15/25", date(2025, 10, 15)),
        ("Oct 15, 2025", date(2025, 10, 15)),
        ("October 15 2025", date(2025, 10, 15)),
        ("Sept. 3, 2025", date(2025, 9, 3)),
        ("15 October 2025", date(2025, 10, 15)),
        ("15 oct 2025", date(2025, 10, 15)),
        ("2/30/2026", None),
        ("15/10/2025", None),
        ("next Tuesday", None),
        ("Octo 15, 2025", date(2025, 10, 15)),
        ("Ox 15, 2025", None),
    ],
)
def test_dates_in_the_usual_spellings(text, expected):
    assert parse_date(text, today=TODAY) == expected


# -- refusals of the file itself ---------------------------------------------------------


def test_an_unsupported_file_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "log.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    with pytest.raises(SroDeskError, match=r"log\.xls.*save it as one of those"):
        read_table(path)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", b",,,\n,,\n"])
def test_an_empty_csv_is_refused(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(SroDeskError, match=r"^empty\.csv is empty; choose"):
        read_table(path)


def test_an_empty_workbook_is_refused(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(SroDeskError, match=r"empty\.xlsx is empty"):
        read_table(path)


def test_a_corrupt_xlsx_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(SroDeskError, match=r"broken\.xlsx is not an Excel workbook SRO Desk can read"):
        read_table(path)


def test_a_binary_file_named_csv_is_refused(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SroDeskError, match=r"photo\.csv is not a CSV file"):
        read_table(path)


def test_a_missing_file_is_refused(tmp_path):
    for name in ("gone.csv", "gone.xlsx"):
        with pytest.raises(SroDeskError, match=rf"could not read {name}; check that the file exists"):
            read_table(tmp_path / name)


def test_a_sheet_without_a_header_row_is_refused(tmp_path):
    path = write_csv(tmp_path / "bare.csv", ["Jane Rivera,10/15/2025,CPR,2"])
    with pytest.raises(SroDeskError, match=r"first row of bare\.csv should name the columns"):
        read_table(path)


def test_a_header_with_no_rows_is_refused(tmp_path):
    path = write_csv(tmp_path / "header.csv", [HEADER])
    with pytest.raises(SroDeskError, match=r"no rows under them"):
        read_table(path)


def test_more_than_the_row_limit_is_refused(tmp_path):
    path = write_csv(tmp_path / "huge.csv", ["Officer,Date,Title,Hours"] + ["A,2025-10-15,T,1"] * (MAX_ROWS + 1))
    with pytest.raises(SroDeskError, match=r"more than 20,000 rows; split it"):
        read_table(path)
    path = write_csv(tmp_path / "full.csv", ["Officer,Date,Title,Hours"] + ["A,2025-10-15,T,1"] * MAX_ROWS)
    assert len(read_table(path).rows) == MAX_ROWS


# -- rows into entries -----------------------------------------------------------------


def test_good_rows_import_with_exact_quarter_hours(tmp_path, demo_file, officers):
    plan = plan_of(demo_file, tmp_path, [
        "Jane Rivera,2025-10-15,De-escalation in schools,1.25,MPTC,De-escalation tactics; diversion,no,",
        "jane  RIVERA,10/20/2025,Restorative circles,0.75,District,restorative_practices,,first session",
        'Jane Rivera,"Nov 3, 2025",SRO basic course,2.5,MPTC,"Conflict resolution, Child and adolescent development",yes,',
    ])
    assert plan.problems == []
    assert plan.summary() == "3 rows ready to import; 0 rows have problems."
    first, second, third = plan.entries
    assert first.officer_id == officers["Jane Rivera"] == second.officer_id
    assert first.topics == ["de_escalation", "diversion"]
    assert second.topics == ["restorative_practices"] and second.notes == "first session"
    assert third.topics == ["conflict_resolution", "child_development"] and third.basic_course
    assert third.taken_on == "2025-11-03" and third.school_year == "2025-2026"

    assert import_plan(demo_file, plan) == 3
    saved = demo_file.query("SELECT quarter_hours, title FROM training_entry ORDER BY taken_on")
    assert [r["quarter_hours"] for r in saved] == [5, 3, 10]
    assert sum(r["quarter_hours"] for r in saved) == 18
    assert training.hours_text(18) == "4.5"


def test_xlsx_rows_import(tmp_path, demo_file, officers):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Training date", "Title", "Hours", "Basic SRO course"])
    sheet.append(["Marcus Bell", datetime(2025, 9, 10), "Mental health first aid", 1.5, False])
    sheet.append(["Marcus Bell", datetime(2025, 9, 11), "Cyber safety", 0.75, None])
    sheet.append(["Jane Rivera", datetime(2025, 9, 12), "SRO basic", 40, True])
    path = tmp_path / "log.xlsx"
    book.save(path)
    plan = plan_for(demo_file, path)
    assert plan.problems == []
    assert [e.quarter_hours for e in plan.entries] == [6, 3, 160]
    assert [e.basic_course for e in plan.entries] == [False, False, True]
    assert import_plan(demo_file, plan) == 3


def test_bad_rows_are_listed_with_their_row_numbers_and_reasons(tmp_path, demo_file, officers):
    training.save_entry(
        demo_file,
        training.TrainingEntry(officers["Marcus Bell"], "2025-09-01", "Threat assessment", 8),
        today=TODAY,
    )
    plan = plan_of(demo_file, tmp_path, [
        "Jane Rivera,2025-10-15,Good course,2,,,,",                  # 2: fine
        "Jim Unknown,2025-10-15,Good course,2,,,,",                  # 3
        "Jane Rivera,the fifteenth,Good course,2,,,,",               # 4
        "Jane Rivera,2025-10-16,Odd hours,1.3,,,,",                  # 5
        "Jane Rivera,2026-03-01,Next spring,2,,,,",                  # 6: after TODAY
        "Jane Rivera,2025-10-17,Topics,2,,Knitting; Diversion,,",    # 7
        "Jane Rivera,2025-10-15,good  COURSE,2,,,,",                 # 8: same as row 2
        "Marcus Bell,9/1/2025,Threat assessment,2,,,,",              # 9: already in the file
        ",2025-10-18,,2,,,maybe,",                                   # 10
    ])
    reasons = reasons_by_row(plan)
    assert plan.entry_rows == [2]
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert reasons[3] == "No officer called Jim Unknown is in the file; add the officer first or correct the name."
    assert reasons[4].startswith("'the fifteenth' is not a date")
    assert reasons[5] == "Enter hours in quarter hours, like 0.25, 1.5 or 2.75."
    assert "in the future" in reasons[6]
    assert reasons[7].startswith("Unknown topic 'Knitting'")
    assert "already logged on row 2" in reasons[8].lower()
    assert "already logged in the file" in reasons[9].lower()
    row_10 = [p.reason for p in plan.problems if p.row_number == 10]
    assert row_10 == [
        "The officer is blank.", "The title is blank.",
        "'maybe' in the basic course column should be yes or no.",
    ]
    assert plan.rows_with_problems == 8
    assert plan.summary() == "1 row ready to import; 8 rows have problems."
    assert str(plan.problems[0]) == f"Row 3: {reasons[3]}"


def test_a_plan_with_problems_imports_nothing(tmp_path, demo_file, officers):
    plan = plan_of(demo_file, tmp_path, [
        "Jane Rivera,2025-10-15,Good course,2,,,,",
        "Jane Rivera,2025-10-16,Odd hours,1.3,,,,",
        "Jim Unknown,2025-10-15,Good course,2,,,,",
    ])
    with pytest.raises(SroDeskError) as refused:
        import_plan(demo_file, plan)
    assert str(refused.value) == (
        "Fix the 2 listed rows (or remove them from the sheet) and import again; "
        "nothing was imported."
    )
    assert entry_count(demo_file) == 0


def test_a_refusal_while_saving_leaves_nothing_behind(tmp_path, demo_file, officers):
    plan = plan_of(demo_file, tmp_path, [
        "Jane Rivera,2025-10-15,First,2,,,,", "Marcus Bell,2025-10-16,Second,2,,,,",
    ])
    plan.entries[1].officer_id = 999_999  # as if the officer were removed since the check
    with pytest.raises(SroDeskError, match="no longer in the file"):
        import_plan(demo_file, plan)
    assert entry_count(demo_file) == 0


def test_an_empty_plan_is_refused(demo_file):
    table = Table(["Officer", "Date", "Title", "Hours"], [["", "", "", ""]])
    plan = apply_mapping(demo_file, table, guess_mapping(table.headers), today=TODAY)
    assert plan.entries == [] and plan.problems == []
    with pytest.raises(SroDeskError, match="no rows to import"):
        import_plan(demo_file, plan)


def test_a_mapping_without_a_required_column_is_refused(demo_file, officers):
    table = Table(["Officer", "Date", "Title", "Minutes"], [["Jane Rivera", "2025-10-15", "CPR", "90"]])
    mapping = guess_mapping(table.headers)
    assert mapping["hours"] is None
    with pytest.raises(SroDeskError, match=r"^Choose which column holds the hours\.$"):
        apply_mapping(demo_file, table, mapping, today=TODAY)
    with pytest.raises(SroDeskError, match=r"^Choose which column holds the officer\.$"):
        apply_mapping(demo_file, table, {"date": 1, "title": 2, "hours": 3}, today=TODAY)


def test_one_column_chosen_for_two_fields_is_refused(demo_file, officers):
    table = Table(["Officer", "Date", "Title", "Hours"], [["Jane Rivera", "2025-10-15", "CPR", "2"]])
    mapping = {**guess_mapping(table.headers), "notes": 2}
    with pytest.raises(SroDeskError, match="Title column is chosen for both title and notes"):
        apply_mapping(demo_file, table, mapping, today=TODAY)


def test_two_officers_with_one_name_are_not_guessed_between(demo_file, officers):
    save_officer(demo_file, Officer(name="JANE RIVERA"))
    table = Table(["Officer", "Date", "Title", "Hours"], [["Jane Rivera", "2025-10-15", "CPR", "2"]])
    plan = apply_mapping(demo_file, table, guess_mapping(table.headers), today=TODAY)
    assert plan.problems[0].reason.startswith("More than one officer is called Jane Rivera")


@pytest.mark.parametrize(
    ("cell", "basic"), [("yes", True), ("X", True), ("1", True), ("TRUE", True), ("no", False), ("0", False), ("", False)]
)
def test_basic_course_cells(demo_file, officers, cell, basic):
    table = Table(["Officer", "Date", "Title", "Hours", "Basic"], [["Jane Rivera", "2025-10-15", "CPR", "2", cell]])
    plan = apply_mapping(demo_file, table, guess_mapping(table.headers), today=TODAY)
    assert plan.problems == []
    assert plan.entries[0].basic_course is basic


def test_a_district_topic_with_a_comma_is_one_topic(demo_file, officers):
    key = training.add_topic(demo_file, "Drugs, alcohol and vaping")
    table = Table(
        ["Officer", "Date", "Title", "Hours", "Topics"],
        [["Jane Rivera", "2025-10-15", "Vaping", "2", "drugs, alcohol and vaping; SEL"]],
    )
    plan = apply_mapping(demo_file, table, guess_mapping(table.headers), today=TODAY)
    assert plan.problems == []
    assert plan.entries[0].topics == [key, "sel"]


def test_a_refusal_quotes_a_huge_cell_short(tmp_path, demo_file, officers):
    """A refusal quoted a 50 MB cell whole."""
    huge = "X" * 100_000
    plan = plan_of(demo_file, tmp_path, [
        f"{huge},2025-10-15,Good course,2,,,,",
        f"Jane Rivera,{huge},Good course,2,,,,",
        f"Jane Rivera,2025-10-15,Topics,2,,{huge},,",
    ])
    for reason in reasons_by_row(plan).values():
        assert len(reason) < 300 and "\u2026" in reason, reason[:200]
