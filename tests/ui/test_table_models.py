"""The lists' SQL table models: Qt's model tester through load, fetchMore, sort, filter and
refresh; lazy loading on a generated district; the SQL rules agree with the Python ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from benchmarks.generate import generate
from sro_desk.records import complaints, enforcement as enf, listing
from sro_desk.records.calendar import school_year_of
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.complaints_page import COLUMNS, ComplaintsPage, complaints_model
from sro_desk.ui.enforcement_form import ENTRY_COLUMNS, entries_model, read_only_view
from sro_desk.ui.enforcement_page import EnforcementPage
from sro_desk.ui.qt import QApplication, Qt
from sro_desk.ui.table_model import ID_ROLE, Column, SqlTableModel

ENTRIES = 5_000  # at scale 0.025
SECRET = "Evangelina Quixote-Marsh"
TODAY = date.today()
THIS_YEAR = school_year_of(TODAY)
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


@pytest.fixture(scope="module")
def generated_path(tmp_path_factory):
    """A generated district with 5,000 entries and 500 complaints (closed; copied per test)."""
    folder = tmp_path_factory.mktemp("generated")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SRO_DESK_HOME", str(folder / "home"))
        path = folder / "district.db"
        counts = generate(path, scale=ENTRIES / 200_000, seed=7, today=TODAY, with_agreements=False)
    assert counts["enforcement_action"] == ENTRIES
    return path


@pytest.fixture
def generated(generated_path, tmp_path):
    """The generated district, a private copy open for editing."""
    path = tmp_path / "generated.db"
    path.write_bytes(generated_path.read_bytes())
    data_file = DataFile.open(path, OpenOptions())
    yield data_file
    data_file.close()


def model_tester(model) -> QAbstractItemModelTester:
    """Qt's own model checks, run at every change; a failure aborts the run (Fatal)."""
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def texts(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def ids(model) -> list[int]:
    return [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]


def record_entry(data_file, **values) -> int:
    school_id = data_file.query("SELECT id FROM school ORDER BY id LIMIT 1")[0]["id"]
    moment = (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    fields = {"occurred_at": moment, "school_id": school_id, "place": "grounds", "kind": "citation", **values}
    return enf.save_action(data_file, enf.Action(**fields))


# -- Qt's model tester ----------------------------------------------------------------------


def test_entries_model_passes_the_model_tester(qtbot, generated):
    model = entries_model()
    checker = model_tester(model)
    model.set_data_file(generated)
    model.set_filter("year", "e.school_year = :year", {"year": THIS_YEAR})
    year_total = listing.year_entry_counts(generated, THIS_YEAR)["entries"]
    assert model.total() == year_total > 0
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == year_total
    for column in range(model.columnCount()):
        for order in (ASC, DESC):
            model.sort(column, order)
            assert model.rowCount() == year_total
    model.set_filter("flagged", listing.flagged_sql("e."))
    assert 0 < model.total() < year_total
    model.set_filter("flagged", None)
    new_id = record_entry(generated, student_ref="NEW-1")
    model.refresh()
    assert model.total() == year_total + 1 and new_id in ids(model)
    model.set_data_file(None)
    assert model.rowCount() == 0
    del checker


def test_complaints_model_passes_the_model_tester(qtbot, generated):
    late = {c.id: sentence for c, sentence in complaints.overdue(generated)}
    model = complaints_model(late)
    checker = model_tester(model)
    model.set_data_file(generated)
    model.set_params(today=TODAY.isoformat(), late=str(sorted(late)))
    model.set_filter("year", "c.school_year = :year", {"year": THIS_YEAR})
    assert model.total() == listing.complaint_year_counts(generated, THIS_YEAR)["total"] > 0
    model.fetchMore(model.index(-1, -1))
    for column in range(model.columnCount()):
        for order in (DESC, ASC):
            model.sort(column, order)
    model.set_filter("year", "c.school_year = :year", {"year": "1999-2000"})
    assert model.rowCount() == 0
    model.set_filter("year", None)
    assert model.total() == 500
    model.refresh()
    del checker


# -- lazy loading ---------------------------------------------------------------------------


def test_the_first_screen_reads_one_page_in_two_queries(qtbot, generated):
    model = entries_model()
    model.set_data_file(generated)
    statements: list[str] = []
    generated.conn.set_trace_callback(statements.append)
    try:
        model.set_filters({})  # every entry of every year: 5,000 rows
        for row in range(50):
            for column in range(model.columnCount()):
                model.index(row, column).data()
                model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    finally:
        generated.conn.set_trace_callback(None)
    assert model.total() == ENTRIES
    assert model.rowCount() == model.batch_size < ENTRIES  # the view is given ids in batches
    assert model.rows_fetched == model.page_size  # one page of rows read, not 5,000
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) == 2 and len(statements) <= 4, statements  # the ids, then the page (in a savepoint)
    assert selects[0].startswith("SELECT e.id AS _id") and "ORDER BY" in selects[0]
    assert " IN (" in selects[1]


def test_a_view_reads_only_what_it_shows(qtbot, generated):
    model = entries_model()
    view = read_only_view(model, "Entries")
    qtbot.addWidget(view)
    view.resize(900, 500)
    model.set_data_file(generated)
    model.set_filters({})
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    assert 0 < model.rows_fetched <= 2 * model.page_size < ENTRIES
    fetched = model.rows_fetched
    view.scrollToBottom()  # the view asks for the next batch of ids, and one more page of rows
    QApplication.processEvents()
    assert model.rowCount() > model.batch_size
    assert model.rows_fetched <= fetched + 2 * model.page_size


@pytest.mark.parametrize("page_class", [EnforcementPage, ComplaintsPage])
def test_a_shown_page_reads_only_the_rows_in_view(qtbot, generated, page_class):
    page = page_class()
    qtbot.addWidget(page)
    page.model.page_size = 20  # small pages, so what is read shows what is painted
    page.resize(1200, 800)
    page.refresh(generated)
    page.model.set_filter("year", None)  # every year: 5,000 entries or 500 complaints
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    assert page.table.isVisible() and page.model.total() >= 500
    assert 0 < page.model.rows_fetched <= 3 * page.model.page_size


def test_the_row_cache_is_bounded_and_rereads_when_needed(qtbot, generated):
    model = entries_model()
    model.cache_rows = 400
    model.set_data_file(generated)
    model.set_filters({})
    model.fetchMore(model.index(-1, -1))
    first = model.index(0, 0).data()
    for row in range(0, 1000, 100):
        model.index(row, 0).data()
    assert len(model._rows) <= 400
    before = model.rows_fetched
    assert model.index(0, 0).data() == first
    assert model.rows_fetched == before + model.page_size  # read again, the same


def test_row_of_reaches_rows_not_yet_shown(qtbot, generated):
    model = entries_model()
    model.set_data_file(generated)
    model.set_filters({})
    last_id = generated.query("SELECT id FROM enforcement_action ORDER BY occurred_at DESC, id DESC LIMIT 1")[0]["id"]
    assert model.rowCount() < ENTRIES
    assert model.row_of(last_id) == ENTRIES - 1
    assert model.rowCount() == ENTRIES and model.id_at(ENTRIES - 1) == last_id
    assert model.row_of(10**9) is None and model.row_of(None) is None


# -- sorting and filtering in SQL -------------------------------------------------------------


def test_sorting_is_by_the_columns_sql_and_keeps_the_selection(qtbot, generated):
    model = entries_model()
    view = read_only_view(model, "Entries")
    qtbot.addWidget(view)
    model.set_data_file(generated)
    model.set_filter("year", "e.school_year = :year", {"year": THIS_YEAR})
    dates = texts(model, 0)
    assert dates == sorted(dates)  # oldest first, as before
    view.selectRow(3)
    chosen = model.index(3, 0).data(ID_ROLE)
    kind = ENTRY_COLUMNS.index("Kind")
    view.sortByColumn(kind, DESC)
    assert texts(model, kind) == sorted(texts(model, kind), reverse=True)  # by label, not by code
    assert [model.index(i.row(), 0).data(ID_ROLE) for i in view.selectionModel().selectedRows()] == [chosen]
    flags = ENTRY_COLUMNS.index("Flags")
    view.sortByColumn(flags, DESC)
    assert model.index(0, flags).data() != "" and model.index(model.rowCount() - 1, flags).data() == ""
    assert [model.index(i.row(), 0).data(ID_ROLE) for i in view.selectionModel().selectedRows()] == [chosen]


def test_a_selected_row_sorted_beyond_the_batch_stays_selected(qtbot, generated):
    model = entries_model()
    view = read_only_view(model, "Entries")
    qtbot.addWidget(view)
    model.set_data_file(generated)
    model.set_filters({})
    view.selectRow(0)  # the oldest entry: last when sorted newest first
    chosen = model.id_at(0)
    view.sortByColumn(0, DESC)
    rows = view.selectionModel().selectedRows()
    assert [model.id_at(i.row()) for i in rows] == [chosen] and rows[0].row() == ENTRIES - 1


def test_the_flag_sql_agrees_with_the_rules(generated):
    """Every generated entry, plus the edge cases, gets the same flags from SQL as from Python."""
    record_entry(generated, kind="arrest", place="building", offense="", warrant=False, last_resort_reason="  ")
    record_entry(generated, kind="questioning", parent_told_before_questioning=True)
    record_entry(generated, kind="custody", principal_consulted=False, principal_reason="\t")
    rules = listing.flag_sql()
    select = ", ".join(f"{sql} AS [{rule}]" for rule, sql in rules.items())
    found = generated.query(f"SELECT *, {select}, {listing.flag_count_sql()} AS n, "
                            f"{listing.open_flags_sql()} AS open FROM enforcement_action")
    assert len(found) == ENTRIES + 3
    flagged = 0
    for row in found:
        action = listing.action_of(row)
        assert [rule for rule in rules if row[rule]] == action.flags(), row["id"]
        assert row["n"] == len(action.flags()) and bool(row["open"]) == bool(action.open_flags())
        flagged += bool(action.flags())
    assert 0 < flagged < len(found)
    for year in {r["school_year"] for r in found}:
        actions = enf.actions_for(generated, year)
        assert listing.year_entry_counts(generated, year) == {
            "entries": len(actions), "open_flags": sum(1 for a in actions if a.open_flags())}


def test_complaint_sql_agrees_with_the_records(generated):
    rows = generated.query(
        f"SELECT c.*, {listing.complaint_status_sql('c.', voided=False)} AS status, "
        f"{listing.days_open_sql('c.')} AS days FROM complaint AS c", {"today": TODAY.isoformat()})
    assert len(rows) == 500
    for row in rows:
        complaint = complaints.load_complaint(generated, row["id"])
        assert row["status"] == complaint.status
        end = date.fromisoformat(complaint.closed_on) if complaint.closed_on else TODAY
        expected = None if complaint.voided else (end - date.fromisoformat(complaint.received_on)).days
        assert row["days"] == expected
    counts = listing.complaint_year_counts(generated, THIS_YEAR)
    year = complaints.complaints_for(generated, THIS_YEAR)
    assert counts == {"total": len(year), "voided": sum(c.voided for c in year),
                      "open": sum(1 for c in year if not c.voided and not c.closed_on)}


def test_no_identity_of_a_confidential_complainant_reaches_the_list(qtbot, generated):
    key = complaints.set_passphrase(generated, "lantern orchard velvet compass")
    secret_id = complaints.save_complaint(
        generated, Complaint(received_on=TODAY.isoformat(), channel="phone", subject="sro", category="force",
                             description="Pushed against the lockers.", confidential=True),
        Identity(SECRET, "617-555-0100", "Grade 10, Tuesday lunch"), key=key)
    plain_id = complaints.save_complaint(
        generated, Complaint(received_on=TODAY.isoformat(), channel="email", subject="sro", category="conduct",
                             description="Raised voice."), Identity("Tom Baker"))
    model = complaints_model({})
    model.set_data_file(generated)
    model.set_params(today=TODAY.isoformat(), late="[]")
    model.set_filter("year", "c.school_year = :year", {"year": THIS_YEAR})
    complainant = COLUMNS.index("Complainant")
    secret_row, plain_row = model.row_of(secret_id), model.row_of(plain_id)
    assert model.index(secret_row, complainant).data() == "Confidential"
    assert model.index(plain_row, complainant).data() == "Tom Baker"
    for row in range(model.rowCount()):
        values = model.row_dict(row)
        assert not {"name", "contact", "details", "identity_sealed"} & set(values)
        everything = " ".join(str(v) for v in values.values())
        assert SECRET not in everything and "617-555-0100" not in everything


# -- the generic parts ------------------------------------------------------------------------


def test_roles_headers_and_an_unsortable_column(qtbot, generated):
    model = SqlTableModel(
        source="school", columns=[
            Column("Name", "name"),
            Column("Grades", text=lambda row: f"grades {row['grades']}", tooltip=lambda row: "Grade span"),
            Column("Shown only"),
        ], fields=["grades"],
    )
    checker = model_tester(model)
    model.set_data_file(generated)
    model.set_filters({"grades": ("grades = :span", {"span": "6-8"})})
    assert model.total() == 8
    index = model.index(0, 1)
    assert index.data() == index.data(Qt.ItemDataRole.AccessibleTextRole) == "grades 6-8"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Grade span"
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == model.index(0, 0).data()
    assert model.index(0, 2).data() == "" and model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Grades"
    order = ids(model)
    model.sort(2, DESC)  # nothing to sort by: the order stays
    assert ids(model) == order
    model.sort(0, DESC)
    names = texts(model, 0)
    assert names == sorted(names, reverse=True)
    del checker


def test_a_row_deleted_after_the_ids_were_read_shows_blank(qtbot, generated):
    model = SqlTableModel(source="meeting_action", columns=[Column("What", "description")])
    model.set_data_file(generated)
    model.set_filters({})
    gone = model.id_at(0)
    with generated.write():
        generated.conn.execute("DELETE FROM meeting_action WHERE id = ?", (gone,))
    assert model.index(0, 0).data() == "" and model.index(1, 0).data() != ""
    model.sort(0, ASC)  # the ids changed underneath: read afresh
    assert gone not in ids(model)
