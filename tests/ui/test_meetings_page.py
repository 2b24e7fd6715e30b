"""The Meetings page: the year's meetings, recording and correcting one, conflicts,
documents, the monthly meeting grid, action items, read-only, names and keys."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sro_desk.records import meetings as mt
from sro_desk.records.calendar import previous_school_year
from sro_desk.records.demo import create_demo
from sro_desk.records.meetings import ActionItem, Attendee, Meeting
from sro_desk.records.settings import MONTHS, current_school_year
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui import meetings_dialogs as dialogs_module
from sro_desk.ui import meetings_page as page_module
from sro_desk.ui import qt as qt_module
from sro_desk.ui.conflict import ConflictDialog
from sro_desk.ui.meetings_dialogs import DocumentsDialog, DoneDialog, MeetingDialog, MonthsDialog
from sro_desk.ui.meetings_page import MeetingsPage
from sro_desk.ui.qt import (
    QCheckBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    plain_sentence,
)
from tests.reads import opening, reads
from tests.ui.test_models_accessibility import mnemonic, mnemonic_clashes, tab_chain, unnamed
from tests.helpers import scan_pdf

PDF = scan_pdf(b"sign-in sheet")
MENU_KEYS = {"f", "d", "g", "h"}


@pytest.fixture
def demo_db(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    return db_path


@pytest.fixture
def data_file(demo_db):
    data_file = DataFile.open(demo_db)
    yield data_file
    data_file.close()


@pytest.fixture
def page(qtbot, data_file):
    """The page on its own, as the window will hold it."""
    page = MeetingsPage()
    qtbot.addWidget(page)
    page.refresh(data_file)
    page.set_editable(True)
    page.resize(1200, 800)
    return page


def add_page(window) -> MeetingsPage:
    """The window's Meetings page (a tab of Meetings & Reviews), shown."""
    page = window.meetings_page
    assert window.show_page_of(page)
    return page


@pytest.fixture
def open_window(make_window, settle):
    def make(path, **options):
        window = make_window()
        window.set_data_file(DataFile.open(path, OpenOptions(**options)))
        settle(window)
        return window

    return make


def this_year(page) -> str:
    return current_school_year(page.data_file)


def last_year(page) -> str:
    return previous_school_year(this_year(page))


def pick_year(page, year: str) -> None:
    page.year.setCurrentIndex(page.year.findData(year))
    page._show_year()


def pick_kind(page, kind: str) -> None:
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page._show_year()


def column(table, number: int) -> list[str]:
    """A list's column as shown (a table of items, or a view over a model)."""
    if not hasattr(table, "item"):
        model = table.model()
        return [model.index(r, number).data() or "" for r in range(model.rowCount())]
    return [table.item(r, number).text() if table.item(r, number) else "" for r in range(table.rowCount())]


def select_meeting(page, meeting_id: int) -> None:
    row = next(i for i, m in enumerate(page.meetings) if m.id == meeting_id)
    page.table.selectRow(row)


def drive(monkeypatch, cls, fill=None):
    """Run ``cls`` dialogs without a modal loop: ``fill`` types, then OK is pressed."""
    seen = []

    def run(dialog):
        seen.append(dialog)
        if fill is not None:
            fill(dialog)
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(cls, "exec", run)
    return seen


def school_ids(data_file) -> dict[str, int]:
    return {r["name"]: r["id"] for r in data_file.query("SELECT id, name FROM school")}


# -- the list ------------------------------------------------------------------------------


def test_the_list_shows_the_years_meetings(page):
    assert page.year.currentData() == this_year(page)
    now = mt.meetings_for(page.data_file, this_year(page))
    assert column(page.table, 0) == [m.held_on for m in now]
    pick_year(page, last_year(page))
    assert page.table.rowCount() == 21  # 18 monthly meetings, two reviews and a safety meeting
    kinds = column(page.table, 1)
    assert kinds.count("SRO and principal") == 18
    assert {"Agreement review", "Safety meeting", "Annual review"} <= set(kinds)
    assert "21 meetings" in page.summary.text() and "2 monthly meetings missed" in page.summary.text()
    pick_kind(page, "annual_review")
    assert column(page.table, 2) == [f"Annual review {last_year(page)}"]
    page.table.selectRow(0)
    text = page.detail.toPlainText()
    assert "Marcus Bell (SRO)" in text and "Continue Officer Bell" in text
    assert "Put the complaint notice in Spanish" in text and "overdue" in text
    pick_kind(page, "")
    assert page.table.rowCount() == 21


def test_user_text_is_shown_as_typed(page):
    hostile = "<b>Bold</b> & <img src='http://example.com/x.png'>"
    mt.save_meeting(page.data_file, Meeting("other", date.today().isoformat(), title=hostile, minutes=hostile,
                                            attendees=[Attendee(hostile, "Parent")]))
    page.refresh(page.data_file)
    pick_kind(page, "other")
    page.table.selectRow(0)
    assert page.table.item(0, 2).text() == hostile
    assert page.table.item(0, 2).toolTip() == "<p>&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;img src=&#x27;http://example.com/x.png&#x27;&gt;</p>"
    text = page.detail.toPlainText()
    assert text.count(hostile) >= 3
    assert "<img" not in page.detail.toHtml().replace("&lt;img", "")


# -- recording and correcting ---------------------------------------------------------------


def test_choosing_a_kind_and_school_suggests_who_attends_by_name(page, qtbot):
    dialog = MeetingDialog(page.data_file, page.schools, None, page)
    qtbot.addWidget(dialog)
    dialog.show()

    def people():
        return [tuple(texts) for texts, *_ in dialog.attendees.rows()]

    # No school ticked yet: the roles wait for names.
    assert people() == [("", "SRO"), ("", "Principal")]
    assert dialog.held_on.text() == date.today().isoformat()
    assert "(required)" in dialog.schools_label.text()
    # Ticking a school names its SRO this year and its principal.
    middle = next(r for r in range(dialog.schools.count())
                  if dialog.schools.item(r).text() == "Granite Valley Middle School")
    dialog.schools.item(middle).setCheckState(Qt.CheckState.Checked)
    assert people() == [("Priya Raman", "SRO"), ("Alicia Nguyen", "Principal")]
    dialog.kind.setCurrentIndex(dialog.kind.findData("annual_review"))
    assert people() == [("Marcus Bell", "SRO"), ("Priya Raman", "SRO"), ("Daniel O'Connell", "Chief"),
                        ("Keisha Thompson", "Chief"), ("Dr. Maria Santos", "Superintendent")]
    assert "Chief" in dialog.usual.text()
    assert "(required)" not in dialog.schools_label.text()
    # A name typed is never replaced.
    dialog.attendees.table.setCurrentCell(4, 0)
    dialog.attendees.table.editItem(dialog.attendees.table.item(4, 0))
    editor = next(w for w in dialog.attendees.table.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, "Acting Supt. Lee")
    dialog.kind.setCurrentIndex(dialog.kind.findData("safety"))
    assert people()[4] == ("Acting Supt. Lee", "Superintendent") and len(people()) == 5
    dialog.schools.item(middle).setCheckState(Qt.CheckState.Unchecked)
    assert people()[4] == ("Acting Supt. Lee", "Superintendent")


def test_new_meeting_with_attendees_and_action_items(page, qtbot, monkeypatch):
    schools = school_ids(page.data_file)
    held = (date.today() - timedelta(days=2)).isoformat()
    due = (date.today() + timedelta(days=14)).isoformat()

    def fill(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("safety"))
        dialog.held_on.setText(held)
        dialog.title_edit.setText("Winter safety meeting")
        dialog.location.setText("Middle school library")
        for row in range(dialog.schools.count()):
            if dialog.schools.item(row).text() == "Granite Valley Middle School":
                dialog.schools.item(row).setCheckState(Qt.CheckState.Checked)
        dialog.attendees.clear()
        dialog.attendees.add_row(["Alicia Nguyen", "Principal"], edit=False)
        dialog.attendees.add_row(["Priya Raman", "SRO"], edit=False)
        dialog.show()
        dialog.attendees.add_button.click()  # a row typed into the editor that opens
        editor = next(w for w in dialog.attendees.table.viewport().findChildren(QLineEdit) if w.isVisible())
        qtbot.keyClicks(editor, "Sam Ortiz")
        dialog.attendees.table.item(2, 1).setText("Parent")
        dialog.agenda.setPlainText("Drills and dismissal.")
        dialog.minutes.setPlainText("Families asked about the drill schedule.")
        dialog.decisions.setPlainText("Send the drill calendar home.")
        dialog.actions.add_row(["Send the drill calendar home.", "Alicia Nguyen", due, ""], edit=False)
        dialog.actions.add_row(["Post the minutes.", "Priya Raman", "", held], edit=False)

    seen = drive(monkeypatch, page_module.MeetingDialog, fill)
    saved = []
    page.saved.connect(lambda: saved.append(True))
    pick_kind(page, "annual_review")  # the new meeting's kind is shown, whatever the filter was
    page.new_button.click()
    assert seen and seen[0].result() == seen[0].DialogCode.Accepted
    assert saved
    stored = mt.load_meeting(page.data_file, seen[0].result_id)
    assert (stored.kind, stored.held_on, stored.title, stored.location) == (
        "safety", held, "Winter safety meeting", "Middle school library")
    assert stored.school_ids == [schools["Granite Valley Middle School"]]
    assert [(a.name, a.role) for a in stored.attendees] == [
        ("Alicia Nguyen", "Principal"), ("Priya Raman", "SRO"), ("Sam Ortiz", "Parent")]
    assert [(a.description, a.owner, a.due_on, a.done_on) for a in stored.actions] == [
        ("Send the drill calendar home.", "Alicia Nguyen", due, ""), ("Post the minutes.", "Priya Raman", "", held)]
    assert stored.minutes == "Families asked about the drill schedule."
    assert page.kind.currentData() == ""
    assert page.selected().id == stored.id
    assert "Sam Ortiz (Parent)" in page.detail.toPlainText()


def test_a_refusal_keeps_the_typing_and_goes_to_the_field(page, qtbot):
    dialog = MeetingDialog(page.data_file, page.schools, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_edit.setText("October check-in")
    dialog.minutes.setPlainText("We talked about lunch duty.")
    dialog._ok()
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == "Choose the school whose principal met the SRO."
    assert dialog.focusWidget() is dialog.schools
    assert dialog.title_edit.text() == "October check-in"
    assert dialog.minutes.toPlainText() == "We talked about lunch duty."
    dialog.schools.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.held_on.setText("2026-13-45")
    dialog._ok()
    assert dialog.error.text() == "Enter the meeting's date like 2026-10-15."
    assert dialog.focusWidget() is dialog.held_on
    dialog.held_on.setText((date.today() - timedelta(days=1)).isoformat())
    # The school's SRO and principal were named when it was ticked; a name taken out is
    # where to type.
    assert [texts[0] for texts, *_ in dialog.attendees.rows()] == ["Marcus Bell", "Jonathan Pierce"]
    dialog.attendees.table.item(1, 0).setText("")
    dialog._ok()
    assert "Enter the name of every attendee" in dialog.error.text()
    assert dialog.focusWidget() is dialog.attendees.table and dialog.attendees.table.currentRow() == 1
    dialog.attendees.table.item(1, 0).setText("Dr. Helen Park")
    dialog.actions.add_row(["Share the lunch rota.", "", "next week", ""], edit=False)
    dialog._ok()
    assert "due date" in dialog.error.text()
    assert dialog.focusWidget() is dialog.actions.table and dialog.actions.table.currentRow() == 0
    assert dialog.title_edit.text() == "October check-in"
    dialog.actions.table.item(0, 2).setText((date.today() + timedelta(days=7)).isoformat())
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert mt.load_meeting(page.data_file, dialog.result_id).title == "October check-in"


def test_editing_a_meeting_and_a_stale_version(page, qtbot, monkeypatch):
    pick_year(page, last_year(page))
    pick_kind(page, "safety")
    meeting = page.meetings[0]
    page.table.selectRow(0)

    def fill(dialog):
        dialog.decisions.setPlainText("Publish the guide; invite the SRO to the club fair.")
        dialog.actions.table.item(0, 1).setText("Alicia Nguyen, principal")

    drive(monkeypatch, page_module.MeetingDialog, fill)
    page.edit_button.click()
    stored = mt.load_meeting(page.data_file, meeting.id)
    assert stored.decisions == "Publish the guide; invite the SRO to the club fair."
    assert stored.actions[0].owner == "Alicia Nguyen, principal"
    assert stored.version > meeting.version

    # Someone else saves while this dialog is open.
    dialog = MeetingDialog(page.data_file, page.schools, stored, page)
    qtbot.addWidget(dialog)
    mt.save_meeting(page.data_file, Meeting(**{**stored.__dict__, "location": "Gymnasium"}))
    choices = []

    def choose(conflict_dialog):
        conflict_dialog.choice = choices.pop(0)
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", choose)
    dialog.minutes.setPlainText("Mine: parents asked about searches.")
    choices.append(0)  # keep editing
    dialog._ok()
    assert dialog.error.isVisibleTo(dialog) and "since you opened it" in dialog.error.text()
    assert dialog.minutes.toPlainText() == "Mine: parents asked about searches."
    assert mt.load_meeting(page.data_file, meeting.id).minutes != "Mine: parents asked about searches."
    choices.append(ConflictDialog.KEEP_MINE)
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    after = mt.load_meeting(page.data_file, meeting.id)
    assert after.minutes == "Mine: parents asked about searches."
    assert after.location == stored.location  # mine, over theirs

    # Taking theirs shows their version and saves nothing.
    dialog = MeetingDialog(page.data_file, page.schools, after, page)
    qtbot.addWidget(dialog)
    mt.save_meeting(page.data_file, Meeting(**{**after.__dict__, "title": "Their title"}))
    dialog.title_edit.setText("My title")
    choices.append(ConflictDialog.TAKE_THEIRS)
    dialog._ok()
    assert dialog.title_edit.text() == "Their title" and "nothing of yours was saved" in dialog.error.text()
    dialog._ok()  # saving their version as it is changes nothing and goes through
    assert dialog.result() == dialog.DialogCode.Accepted


def test_deleting_asks_first_and_refuses_the_reviews_meeting(page, messages):
    pick_year(page, last_year(page))
    before = page.table.rowCount()
    pick_kind(page, "safety")
    page.table.selectRow(0)
    safety = page.selected()
    messages.answer = QMessageBox.StandardButton.No
    page.delete_button.click()
    assert mt.meetings_for(page.data_file, last_year(page), kind="safety")
    messages.answer = QMessageBox.StandardButton.Yes
    page.delete_button.click()
    assert "Delete the meeting 'School safety meeting'" in messages.questions[0]
    assert mt.meetings_for(page.data_file, last_year(page), kind="safety") == []
    assert page.data_file.query("SELECT count(*) AS n FROM meeting_action WHERE meeting_id = ?",
                                (safety.id,))[0]["n"] == 0
    pick_kind(page, "")
    assert page.table.rowCount() == before - 1
    pick_kind(page, "annual_review")
    page.table.selectRow(0)
    page.delete_button.click()
    assert page.error.isVisibleTo(page)
    assert page.error.text().startswith(f"This meeting is where the {last_year(page)} annual review was held")
    assert page.table.rowCount() == 1


# -- documents ---------------------------------------------------------------------------


def test_documents_attach_open_save_and_remove(page, qtbot, monkeypatch, tmp_path, messages):
    scan = tmp_path / "sign-in sheet.pdf"
    scan.write_bytes(PDF)
    picked = [str(scan)]
    monkeypatch.setattr(dialogs_module.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (picked[0], "")))
    pick_year(page, last_year(page))
    page.table.selectRow(1)
    meeting = page.selected()

    def attach(dialog):
        dialog.attach_button.click()
        return 0

    monkeypatch.setattr(page_module.DocumentsDialog, "exec", attach)
    page.documents_button.click()
    stored = mt.load_meeting(page.data_file, meeting.id)
    assert [a["file_name"] for a in stored.attachments] == ["sign-in sheet.pdf"]
    from sro_desk.records.attachments import attachment_data

    kept = attachment_data(page.data_file, stored.attachments[0]["id"])[2]  # the clean copy kept
    assert kept.startswith(b"%PDF-") and stored.attachments[0]["size"] == len(kept)
    assert page.selected().id == meeting.id and "sign-in sheet.pdf" in page.detail.toPlainText()

    dialog = DocumentsDialog(page.data_file, stored, editable=True, parent=page)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and dialog.list.item(0).text().startswith("sign-in sheet.pdf")
    opened = []
    monkeypatch.setattr(qt_module.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    dialog.open_button.click()
    assert opened and open(opened[0], "rb").read() == kept
    assert Path(opened[0]).name == f"sro-desk-document-{stored.attachments[0]['id']}.pdf"  # never the stored name
    copy = tmp_path / "copy.pdf"
    monkeypatch.setattr(dialogs_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    dialog.save_button.click()
    assert copy.read_bytes() == kept and any("copy.pdf" in m for m in messages.informations)
    picked[0] = str(tmp_path / "notes.docx")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    dialog.attach_button.click()
    assert "as a PDF or an image" in dialog.error.text() and dialog.list.count() == 1
    messages.answer = QMessageBox.StandardButton.Yes
    dialog.remove_button.click()
    assert dialog.list.count() == 0 and dialog.changed
    assert mt.load_meeting(page.data_file, meeting.id).attachments == []

    read_only = DocumentsDialog(page.data_file, stored, editable=False, parent=page)
    qtbot.addWidget(read_only)
    assert not read_only.attach_button.isEnabled() and not read_only.remove_button.isEnabled()


# -- the monthly meeting -----------------------------------------------------------------


def grid_cells(page) -> dict[tuple[str, str], str]:
    """(school, 'Dec 2025') -> the cell's text, as its tab shows it (filled when shown)."""
    page.tabs.setCurrentIndex(1)
    headers = [page.grid.horizontalHeaderItem(c).text().replace("\n", " ") for c in range(page.grid.columnCount())]
    found = {}
    for row in range(page.grid.rowCount()):
        school = page.grid.item(row, 0).text().split(" (")[0]
        for col in range(1, page.grid.columnCount()):
            found[(school, headers[col])] = page.grid.item(row, col).text()
    return found


def test_the_monthly_grid_shows_last_years_gaps(page, monkeypatch):
    pick_year(page, last_year(page))
    page.tabs.setCurrentIndex(1)
    first = int(last_year(page)[:4])
    cells = grid_cells(page)
    high, middle = "Granite Valley Regional High School", "Granite Valley Middle School"
    assert {school for school, _ in cells} == {high, middle}  # only schools with an SRO
    assert page.grid.columnCount() == 11  # September to June
    missing = sorted(key for key, text in cells.items() if text == "✘")
    assert missing == sorted([(high, f"Dec {first}"), (middle, f"Apr {first + 1}")])
    assert all(text == "✔" for key, text in cells.items() if key not in missing)
    row = [page.grid.item(r, 0).text() for r in range(2)].index(f"{high} (Marcus Bell)")
    assert page.grid.item(row, 1).toolTip() == f"September {first}: held {first}-09-08."
    text = page.monthly_text.text()
    assert "2 months with no SRO and principal meeting" in text
    assert f"{high}: no SRO and principal meeting was recorded in December {first}." in text
    assert f"{middle}: no SRO and principal meeting was recorded in April {first + 1}." in text

    # A month held opens its meeting; a month missed records one: a whole date (the month's
    # first day, its day chosen to type over) and the school's SRO and principal by name.
    def fill(dialog):
        if dialog.meeting.id is None:
            assert dialog.held_on.text() == f"{first}-12-01" and dialog.focusWidget() is dialog.held_on
            assert dialog.held_on.selectedText() == "01"
            assert dialog.checked_schools() == [school_ids(page.data_file)[high]]
            assert [texts for texts, *_ in dialog.attendees.rows()] == [
                ["Marcus Bell", "SRO"], ["Jonathan Pierce", "Principal"]]
            dialog.held_on.insert("19")
            assert dialog.held_on.text() == f"{first}-12-19"

    opened = drive(monkeypatch, page_module.MeetingDialog, fill)
    page.grid.cellDoubleClicked.emit(row, 1)
    assert opened[0].meeting.held_on == f"{first}-09-08" and page.tabs.currentIndex() == 0
    page.tabs.setCurrentIndex(1)
    row = [page.grid.item(r, 0).text() for r in range(2)].index(f"{high} (Marcus Bell)")
    page.grid.cellDoubleClicked.emit(row, 4)  # December
    assert opened[1].result() == opened[1].DialogCode.Accepted
    stored = mt.load_meeting(page.data_file, opened[1].result_id)
    assert stored.held_on == f"{first}-12-19"
    assert [(a.name, a.role) for a in stored.attendees] == [("Marcus Bell", "SRO"), ("Jonathan Pierce", "Principal")]
    assert grid_cells(page)[(high, f"Dec {first}")] == "✔"
    assert "1 month with no SRO and principal meeting" in page.monthly_text.text()


def test_the_grid_shows_this_months_meeting_as_due_and_the_months_can_change(page, monkeypatch):
    mt.set_meeting_months(page.data_file, list(range(1, 13)))
    today = date.today()
    high = school_ids(page.data_file)["Granite Valley Regional High School"]
    for meeting in mt.meetings_for(page.data_file, this_year(page), kind="sro_principal"):
        if meeting.held_on[:7] == today.isoformat()[:7] and high in meeting.school_ids:
            mt.delete_meeting(page.data_file, meeting)
    page.refresh(page.data_file)
    label = f"{MONTHS[today.month - 1][:3]} {today.year}"
    cells = grid_cells(page)
    assert cells[("Granite Valley Regional High School", label)] == "due"
    assert "SRO and principal meeting is due by" in page.monthly_text.text()
    headers = [page.grid.horizontalHeaderItem(c).text().replace("\n", " ") for c in range(page.grid.columnCount())]
    after = headers[headers.index(label) + 1:]
    assert all(cells[(school, month)] == "" for school, month in cells if month in after)  # months to come

    # Double-clicking the due month records its meeting, dated today, for that school.
    def fill(dialog):
        assert dialog.kind.currentData() == "sro_principal" and dialog.held_on.text() == today.isoformat()
        assert dialog.checked_schools() == [high]
        assert [texts for texts, *_ in dialog.attendees.rows()] == [
            ["Marcus Bell", "SRO"], ["Jonathan Pierce", "Principal"]]

    seen = drive(monkeypatch, page_module.MeetingDialog, fill)
    row = [page.grid.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(page.grid.rowCount())].index(high)
    col = [page.grid.horizontalHeaderItem(c).text().replace("\n", " ") for c in
           range(page.grid.columnCount())].index(label)
    page.grid.cellDoubleClicked.emit(row, col)
    assert seen and seen[0].result() == seen[0].DialogCode.Accepted
    page.tabs.setCurrentIndex(1)
    assert grid_cells(page)[("Granite Valley Regional High School", label)] == "✔"

    # Meeting Months…: the month left out leaves the grid.
    def untick(dialog):
        for box in dialog.months:
            box.setChecked(int(box.property("month")) != 12)

    drive(monkeypatch, page_module.MonthsDialog, untick)
    page.months_button.click()
    assert 12 not in mt.meeting_months(page.data_file)
    headers = [page.grid.horizontalHeaderItem(c).text() for c in range(page.grid.columnCount())]
    assert not any(h.startswith("Dec") for h in headers) and page.grid.columnCount() == 12


class _February10(date):
    """A day for the page to take as today: 2026-02-10."""

    @classmethod
    def today(cls):
        return cls(2026, 2, 10)


def test_a_new_sro_is_placed_by_the_decision_alone_and_earlier_months_are_not_missed(
        qtbot, make_demo_file, tmp_path, monkeypatch):
    from sro_desk.records import officers, selection

    monkeypatch.setattr(page_module, "date", _February10)
    path = make_demo_file(tmp_path / "new.db")  # the sample district: four schools, nothing else
    data_file = DataFile.open(path)
    try:
        page = MeetingsPage()
        qtbot.addWidget(page)
        # A new SRO added on the Training page: no school is taken to have her.
        ortiz = officers.save_officer(data_file, officers.Officer("Ann Ortiz", assigned_sro=True))
        page.refresh(data_file)
        if page.year.findData("2025-2026") < 0:
            page.year.addItem("2025-2026", "2025-2026")
        page.year.setCurrentIndex(page.year.findData("2025-2026"))
        page.year.activated.emit(page.year.currentIndex())
        assert grid_cells(page) == {} and page.grid.rowCount() == 0
        assert "missed" not in page.summary.text()
        text = page.monthly_text.text()
        assert "No school has an SRO recorded for 2025-2026" in text
        assert "Ann Ortiz is marked as an SRO but no selection decision or review says at which school" in text

        # The chief's decision for the high school on November 20: she serves there from then.
        high = school_ids(data_file)["Granite Valley Regional High School"]
        round_id = selection.open_round(data_file, school_year="2025-2026", title="High school SRO",
                                        opened_on="2025-10-01", school_id=high, officer_ids=[ortiz])
        selection.decide(data_file, selection.load_round(data_file, round_id), selection.Decision(
            ortiz, "2025-11-20", ["youth_experience"], "The post fell vacant in October."))
        page.refresh(data_file)
        cells = grid_cells(page)
        assert {school for school, _ in cells} == {"Granite Valley Regional High School"}
        shown = {month: text for (_school, month), text in cells.items()}
        assert shown["Sep 2025"] == shown["Oct 2025"] == ""
        assert shown["Nov 2025"] == shown["Dec 2025"] == shown["Jan 2026"] == "✘"
        assert shown["Feb 2026"] == "due" and shown["Mar 2026"] == ""
        assert page.grid.item(0, 1).toolTip() == plain_sentence(
            "September 2025: before the SRO started on 2025-11-20; no meeting was due.")
        assert "3 monthly meetings missed" in page.summary.text()
        text = page.monthly_text.text()
        assert "3 months with no SRO and principal meeting" in text
        assert "the SRO started on 2025-11-20; the months before are not counted" in text
        assert "marked as an SRO but" not in text
    finally:
        data_file.close()


def test_months_dialog_refuses_no_month(page, qtbot):
    dialog = MonthsDialog(page.data_file, 7, page)
    qtbot.addWidget(dialog)
    assert [box.text() for box in dialog.months][:2] == ["July", "August"]
    for box in dialog.months:
        box.setChecked(False)
    dialog._ok()
    assert "Choose at least one month" in dialog.error.text()


# -- action items ------------------------------------------------------------------------


def test_action_items_mark_done_and_open_the_meeting(page, monkeypatch):
    page.tabs.setCurrentIndex(2)
    overdue = [a for a in page.open_items if a.overdue]
    assert overdue and column(page.actions_table, 4).count("Overdue") == len(overdue)
    assert f"{len(overdue)} overdue" in page.actions_text.text()
    first = page.open_items[0]
    page.actions_table.selectRow(0)
    assert page.done_button.isEnabled()

    def fill(dialog):
        assert dialog.done_on.text() == date.today().isoformat()
        dialog.done_on.setText("1999-01-01")  # before the meeting: refused, and typed again
        dialog._ok()
        assert "before the meeting" in dialog.error.text() and dialog.focusWidget() is dialog.done_on
        dialog.done_on.setText(date.today().isoformat())

    drive(monkeypatch, page_module.DoneDialog, fill)
    page.done_button.click()
    done = page.data_file.query("SELECT done_on FROM meeting_action WHERE id = ?", (first.item.id,))
    assert done[0]["done_on"] == date.today().isoformat()
    assert first.item.id not in [a.item.id for a in page.open_items]

    page.actions_table.selectRow(0)
    target = page.open_items[0]
    opened = drive(monkeypatch, page_module.MeetingDialog)
    page.open_meeting_button.click()
    assert page.tabs.currentIndex() == 0 and page.selected().id == target.meeting_id
    assert opened and opened[0].meeting.id == target.meeting_id


def test_mark_done_on_a_stale_item_is_a_conflict(page, qtbot, monkeypatch):
    first = page.open_items[0]
    meeting = mt.load_meeting(page.data_file, first.meeting_id)
    mt.save_meeting(page.data_file, Meeting(**{**meeting.__dict__, "actions": [
        ActionItem(**{**a.__dict__, "owner": "Someone else"}) if a.id == first.item.id else a
        for a in meeting.actions]}))
    dialog = DoneDialog(page.data_file, first.item, page)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(ConflictDialog, "exec", lambda d: setattr(d, "choice", 0) or 1)
    dialog._ok()
    assert "since you opened it" in dialog.error.text()
    monkeypatch.setattr(ConflictDialog, "exec", lambda d: setattr(d, "choice", ConflictDialog.KEEP_MINE) or 1)
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted


def _more_actions(page) -> None:
    """Add to a meeting an undated item and two due the same day (one overdue), so that
    every part of the list's order shows."""
    meeting = mt.load_meeting(page.data_file, page.meetings[0].id)
    late = (date.today() - timedelta(days=3)).isoformat()
    extra = [ActionItem("Undated follow-up", "Chief"), ActionItem("Zeta task", "", late),
             ActionItem("Alpha task", "Principal", late)]
    mt.save_meeting(page.data_file, Meeting(**{**meeting.__dict__, "actions": meeting.actions + extra}))
    page._changed()


def _expected(action: mt.OpenAction) -> tuple[list[str], list[str | None]]:
    """A row's texts and tips, as the list has always made them."""
    state = "Overdue" if action.overdue else ("" if action.item.due_on else "No due date")
    meeting = f"{action.meeting_title} ({action.held_on})"
    texts = [action.item.due_on, action.item.description, action.item.owner, meeting, state]
    tips = [None, plain_sentence(action.sentence()), plain_sentence(action.item.owner) or None,
            plain_sentence(meeting), None]
    return texts, tips


def test_action_items_list_reads_sql_as_the_records_do(page):
    _more_actions(page)
    page.tabs.setCurrentIndex(2)
    model = page.actions_model
    expected = mt.open_action_items(page.data_file)
    assert [a.item.id for a in page.open_items] == [a.item.id for a in expected]  # soonest due, undated last
    assert list(page.open_items) == expected and len(page.open_items) == model.total() == len(expected)
    assert expected[-1].item.description == "Undated follow-up"
    for row, action in enumerate(expected):
        texts, tips = _expected(action)
        assert [model.index(row, c).data() for c in range(5)] == texts
        assert [model.index(row, c).data(Qt.ItemDataRole.ToolTipRole) or None for c in range(5)] == tips
        assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == action.item.id
        for c in range(5):
            colour = model.index(row, c).data(Qt.ItemDataRole.ForegroundRole)
            font = model.index(row, c).data(Qt.ItemDataRole.FontRole)
            marked = action.overdue and c in (0, 4)
            assert (colour.color().name() if colour else None) == (page_module.RED if marked else None)
            assert (font.bold() if font else False) is marked
    overdue = sum(a.overdue for a in expected)
    assert f"{len(expected)} action items open" in page.actions_text.text()
    assert f"{overdue} overdue" in page.actions_text.text() and f"{overdue} action items overdue" in page.summary.text()


def test_action_items_sort_in_sql_and_keep_the_choice(page, qtbot, monkeypatch):
    _more_actions(page)
    page.tabs.setCurrentIndex(2)
    view = page.actions_table
    default = [a.item.id for a in page.open_items]
    assert view.isSortingEnabled() and view.horizontalHeader().sortIndicatorSection() == 0
    sort_by = view.horizontalHeader().setSortIndicator  # as a click on the header does
    chosen = page.open_items[2]
    view.selectRow(2)
    statements: list[str] = []
    page.data_file.conn.set_trace_callback(statements.append)
    try:
        sort_by(1, Qt.SortOrder.AscendingOrder)  # by the action's text
    finally:
        page.data_file.conn.set_trace_callback(None)
    ids_read = [s for s in statements if s.startswith("SELECT a.id AS _id FROM") and "ORDER BY" in s]
    assert len(ids_read) == 1 and "(a.done_on IS NULL OR a.done_on = '')" in ids_read[0]
    plan = " ".join(r[-1] for r in page.data_file.conn.execute("EXPLAIN QUERY PLAN " + ids_read[0]))
    assert "idx_meeting_action_open" in plan  # the partial index of the open items
    texts = column(view, 1)
    assert texts == sorted(texts) and page.selected_action() == chosen
    sort_by(1, Qt.SortOrder.DescendingOrder)
    assert column(view, 1) == sorted(texts, reverse=True) and page.selected_action() == chosen
    sort_by(0, Qt.SortOrder.DescendingOrder)  # the whole default order turned round
    assert [a.item.id for a in page.open_items] == default[::-1]
    sort_by(4, Qt.SortOrder.AscendingOrder)  # overdue first, undated last
    states = column(view, 4)
    assert states == sorted(states, key=["Overdue", "", "No due date"].index)
    sort_by(3, Qt.SortOrder.AscendingOrder)
    assert column(view, 3) == sorted(column(view, 3))
    sort_by(2, Qt.SortOrder.AscendingOrder)
    assert column(view, 2) == sorted(column(view, 2))
    # What the page does with the chosen item follows the sort.
    view.selectRow(0)
    target = page.open_items[0]
    assert page.selected_action() == target and page.done_button.isEnabled()
    drive(monkeypatch, page_module.DoneDialog)
    page.done_button.click()
    assert target.item.id not in [a.item.id for a in page.open_items]
    assert column(view, 2) == sorted(column(view, 2))  # the sort chosen stays
    assert page.summary.text().count("overdue") == 1


def test_action_items_model_passes_the_model_tester(page, monkeypatch):
    from PySide6.QtTest import QAbstractItemModelTester

    _more_actions(page)
    model = page.actions_model
    checker = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    page.tabs.setCurrentIndex(2)
    assert model.total() == len(mt.open_action_items(page.data_file)) > 0
    for c in range(model.columnCount()):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            model.sort(c, order)
            assert model.rowCount() == model.total()
    page.actions_table.selectRow(1)
    before = model.total()
    drive(monkeypatch, page_module.DoneDialog)
    page.done_button.click()  # read again after the item is marked done
    assert model.total() == before - 1
    model.sort(0, Qt.SortOrder.AscendingOrder)
    page.refresh(page.data_file)
    model.set_data_file(None)
    assert model.rowCount() == 0
    del checker


def test_the_page_opens_on_its_action_items_in_few_statements(qtbot, data_file):
    page = MeetingsPage()
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.tabs.setCurrentIndex(2)
    _opened(qtbot, data_file, page)  # fonts and first imports
    page = MeetingsPage()
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.tabs.setCurrentIndex(2)
    assert len(_opened(qtbot, data_file, page)) <= 5
    assert page.actions_model.total() == len(mt.open_action_items(data_file)) > 0


# -- read-only, names and keys -------------------------------------------------------------


def test_read_only_disables_every_editing_control(open_window, demo_db, monkeypatch):
    from sro_desk.store.lease import Lease

    holder = Lease(demo_db)
    holder.acquire()
    try:
        window = open_window(demo_db, edit=False)
        page = add_page(window)
        assert page.data_file.read_only
        page.table.selectRow(0)
        page.tabs.setCurrentIndex(2)  # the action items are listed when their tab is shown
        page.actions_table.selectRow(0)
        page.tabs.setCurrentIndex(0)
        enabled = {b.accessibleName() for b in page.findChildren(QPushButton) if b.isEnabled()}
        assert enabled == {"Documents", "Open Meeting"}
        assert page.year.isEnabled() and page.kind.isEnabled() and page.table.isEnabled()
        opened = drive(monkeypatch, page_module.MeetingDialog)
        page.table.itemDoubleClicked.emit(page.table.item(0, 0))
        page.open_meeting_button.click()  # shows the meeting; opens nothing to edit
        page.grid.cellDoubleClicked.emit(0, 1)
        assert opened == [] and page.tabs.currentIndex() == 0
        docs = []
        monkeypatch.setattr(page_module.DocumentsDialog, "exec", lambda d: docs.append(d) or 0)
        page.documents_button.click()
        assert docs and not docs[0].attach_button.isEnabled()
        assert not page.has_unsaved_changes() and page.save() is True
    finally:
        window.close()
        holder.release()


def _dialogs(page):
    meeting = page.meetings[0]
    return [MeetingDialog(page.data_file, page.schools, None, page),
            MeetingDialog(page.data_file, page.schools, mt.load_meeting(page.data_file, meeting.id), page),
            DoneDialog(page.data_file, page.open_items[0].item, page), MonthsDialog(page.data_file, 7, page),
            DocumentsDialog(page.data_file, meeting, editable=True, parent=page)]


def test_every_control_has_a_name(page, qtbot):
    page.table.selectRow(0)
    assert unnamed(page) == []
    for kind in (QCheckBox, QPlainTextEdit, QListWidget, QTabWidget):
        assert [w for w in page.findChildren(kind) if not w.accessibleName()] == []
    assert page.detail.accessibleName() == "Chosen meeting" and page.grid.accessibleName()
    for dialog in _dialogs(page):
        qtbot.addWidget(dialog)
        standard = {f"QPushButton {b.text()!r}" for b in dialog.buttons.buttons()}  # named by their text
        assert [w for w in unnamed(dialog) if w not in standard] == [], dialog.windowTitle()
        for kind in (QCheckBox, QPlainTextEdit, QListWidget):
            assert [w for w in dialog.findChildren(kind) if not w.accessibleName()] == [], dialog.windowTitle()


def test_shortcut_letters_are_distinct_and_leave_the_menus_alone(open_window, demo_db, qtbot):
    window = open_window(demo_db)
    page = add_page(window)
    window.show()
    page.table.selectRow(0)
    tabs = [mnemonic(page.tabs.tabText(i)) for i in range(page.tabs.count())]
    page_keys = [mnemonic(b.text()) for b in page.findChildren(QPushButton)]
    page_keys += [mnemonic(label.text()) for label in page.findChildren(page_module.QLabel) if label.buddy()]
    page_keys = [k for k in page_keys + tabs if k]
    assert len(page_keys) == len(set(page_keys)), page_keys  # distinct across all three tabs
    assert not set(page_keys) & MENU_KEYS
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert mnemonic_clashes(window) == {}, tab
    for dialog in _dialogs(page):
        qtbot.addWidget(dialog)
        dialog.show()
        assert mnemonic_clashes(dialog) == {}, dialog.windowTitle()
        dialog.close()


def test_enter_presses_the_button_that_has_the_focus(open_window, demo_db, qtbot, monkeypatch):
    window = open_window(demo_db)
    page = add_page(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # No button of the page is a default that would take Enter from another.
    buttons = page.findChildren(QPushButton)
    assert buttons and all(b.autoDefault() and not b.isDefault() for b in buttons)
    opened: list = []
    monkeypatch.setattr(page_module.MeetingDialog, "exec", lambda d: opened.append(d.meeting) or 0)
    page.table.selectRow(0)
    chosen = page.selected()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        page.edit_button.setFocus()
        qtbot.waitUntil(lambda: page.edit_button.hasFocus())
        qtbot.keyClick(page.edit_button, key)
    assert [m.id for m in opened] == [chosen.id, chosen.id]  # Edit, not New
    page.new_button.setFocus()
    qtbot.keyClick(page.new_button, Qt.Key.Key_Return)
    assert len(opened) == 3 and opened[2].id is None
    page.tabs.setCurrentIndex(1)
    months = []
    monkeypatch.setattr(page_module.MonthsDialog, "exec", lambda d: months.append(d) or 0)
    page.months_button.setFocus()
    qtbot.keyClick(page.months_button, Qt.Key.Key_Return)
    assert len(months) == 1 and len(opened) == 3


def test_tab_walks_the_page_in_reading_order(open_window, demo_db, qtbot):
    window = open_window(demo_db)
    page = add_page(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.selectRow(0)
    chain = tab_chain(qtbot, page.year, 9)
    assert chain == [page.year, page.tabs.tabBar(), page.kind, page.new_button, page.edit_button,
                     page.delete_button, page.documents_button, page.table, page.detail]
    assert all(w.accessibleName() for w in chain if w is not page.tabs.tabBar())
    page.tabs.setCurrentIndex(2)
    page.actions_table.selectRow(0)
    assert tab_chain(qtbot, page.actions_table, 3) == [page.actions_table, page.done_button,
                                                       page.open_meeting_button]


def test_meeting_dialog_tab_order(page, qtbot):
    dialog = MeetingDialog(page.data_file, page.schools, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    chain = tab_chain(qtbot, dialog.kind, 8)
    assert chain == [dialog.kind, dialog.held_on, dialog.title_edit, dialog.location, dialog.schools,
                     dialog.attendees.table, dialog.attendees.add_button, dialog.agenda]


def test_the_page_fits_the_window(open_window, demo_db, qtbot):
    window = open_window(demo_db)
    page = add_page(window)
    window.resize(1280, 820)
    window.show()
    qtbot.waitExposed(window)
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert page.minimumSizeHint().width() <= page.width(), tab
        assert page.minimumSizeHint().height() <= page.height(), tab


# -- reading few times -------------------------------------------------------------------


def _opened(qtbot, data_file, page, show=lambda: None) -> list[str]:
    """The statements opening ``page`` (refreshed, shown and painted) issues, then ``show``."""
    return reads(opening(qtbot, data_file, page, show))


def test_meetings_and_reviews_opens_in_few_statements_and_fills_tabs_when_shown(qtbot, data_file, monkeypatch):
    from sro_desk.ui.meetings_reviews import MeetingsReviewsPage

    def make() -> MeetingsReviewsPage:
        made = MeetingsReviewsPage()
        qtbot.addWidget(made)
        made.resize(1000, 760)
        return made

    _opened(qtbot, data_file, make())  # fonts and first imports
    page = make()
    assert len(_opened(qtbot, data_file, page)) <= 5
    meetings = page.meetings
    # The review, the grid and the action items wait until they are shown.
    assert page._review is None and meetings.grid.rowCount() == 0 and meetings.actions_model.rowCount() == 0
    assert "overdue" in meetings.summary.text() and meetings.table.rowCount() > 0

    open_items = len(mt.open_action_items(data_file))
    statements: list[str] = []
    data_file.conn.set_trace_callback(statements.append)
    meetings.tabs.setCurrentIndex(1)
    assert meetings.grid.rowCount() == 2 and reads(statements) == []  # read with the year
    meetings.tabs.setCurrentIndex(2)
    # The ids of the open items in their order, then the rows in view: two statements.
    assert meetings.actions_model.rowCount() == open_items and len(reads(statements)) <= 2
    statements.clear()
    page.tabs.setCurrentIndex(1)  # the annual review, built and read when first shown
    assert page.tabs.currentWidget() is page.review and page.review.school_year == this_year(meetings)
    assert 0 < len(reads(statements)) <= 5

    # The file read again under the review: the meetings wait until they are shown.
    statements.clear()
    page.refresh(data_file)
    assert 0 < len(reads(statements)) <= 5
    data_file.conn.set_trace_callback(None)
    calls = []
    monkeypatch.setattr(page.review, "refresh", lambda *args: calls.append(args))
    monkeypatch.setattr(page.meetings, "refresh", lambda *args: calls.append(args))
    page.tabs.setCurrentIndex(0)
    assert len(calls) == 1
    page.tabs.setCurrentIndex(1)
    page.tabs.setCurrentIndex(0)
    assert len(calls) == 1
    # A meeting saved reads the review again when it is next shown.
    page.meetings.saved.emit()
    assert len(calls) == 1
    page.tabs.setCurrentIndex(1)
    assert len(calls) == 2
    assert page.subpages == {"Meetings": page.meetings, "Review": page.review}
    assert page.show_subpage("Meetings") and page.tabs.currentIndex() == 0


def test_a_year_shown_again_keeps_the_tabs_current(page):
    page.tabs.setCurrentIndex(2)
    first = page.open_items[0]
    page.actions_table.selectRow(0)
    pick_year(page, last_year(page))  # the action items (of every year) are read again, the choice kept
    assert page.selected_action() == first
    page.tabs.setCurrentIndex(1)
    assert page.grid.columnCount() == 11 and page.school_year() == last_year(page)
    pick_year(page, this_year(page))
    page.tabs.setCurrentIndex(0)
    page.tabs.setCurrentIndex(1)
    assert page.school_year() == this_year(page) and page.grid.rowCount() == 2
