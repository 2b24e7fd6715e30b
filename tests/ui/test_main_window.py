"""The main window over the demo file: pages, status, backups, Open and Open Recent."""

from __future__ import annotations

from pathlib import Path


from sro_desk import APP_NAME, paths
from sro_desk.records.district import load_district
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import latest_backup, list_backups
from sro_desk.store.lease import read_lease
from sro_desk.ui.qt import QApplication, QMessageBox, Qt, QWizard
from sro_desk.ui.setup_wizard import SetupWizard


def open_demo(make_window, settle, path: Path):
    window = make_window()
    window.set_data_file(DataFile.open(path))
    window.show()
    settle(window)
    return window


def test_empty_window_says_no_file_is_open(qtbot, make_window):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == APP_NAME
    assert window.status_label.text() == "No file open"
    assert window.empty.isVisible()
    assert not window.body.isVisible()
    assert not window.banner.isVisible()
    assert not window.backup_action.isEnabled()
    assert not window.restore_action.isEnabled()
    assert not window.check_action.isEnabled()


def test_demo_file_shows_district_pages_status_and_title(
    qtbot, make_window, settle, demo_path, messages
):
    window = open_demo(make_window, settle, demo_path)
    assert window.dashboard.heading.text() == "Granite Valley Regional School District"
    summary = window.dashboard.district_text.text()
    assert "Regional school district" in summary
    assert "4 school(s)" in summary
    assert "Dr. Maria Santos, Superintendent" in summary
    assert "Keisha Thompson, Chief of Police" in summary
    assert "You are editing this file." in window.dashboard.file_text.text()

    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [page.title for page in window.pages]
    assert titles[0] == "Dashboard"
    assert "District" in titles
    assert window.stack.currentWidget() is window.dashboard
    assert window.status_label.text() == f"Editing: {demo_path}"
    assert window.windowTitle() == f"{demo_path.name} – {APP_NAME}"
    assert not window.banner.isVisible()
    assert window.body.isVisible() and not window.empty.isVisible()
    assert window.backup_action.isEnabled()
    assert window.restore_action.isEnabled()
    assert not window.setup_action.isEnabled(), "the district is already set up"
    assert read_lease(demo_path) is not None
    # Pages read the file when they are shown.
    assert window.show_page_of(window.district_page)
    assert window.district_page.basics.name.text() == "Granite Valley Regional School District"
    assert messages.wizards == [], "a file with a district must not start the wizard"
    assert messages.warnings == []


def test_go_menu_shortcuts_and_show_page_switch_pages(qtbot, make_window, settle, demo_path):
    window = open_demo(make_window, settle, demo_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    district = window.pages.index(window.district_page)
    assert 0 < district < 9

    digit = getattr(Qt.Key, f"Key_{district + 1}")
    qtbot.keyClick(window, digit, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.district_page
    assert window.sidebar.currentRow() == district
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.dashboard
    assert window.sidebar.currentRow() == 0

    window.show_page(district)
    assert window.stack.currentWidget() is window.district_page
    window.sidebar.setCurrentRow(0)
    assert window.stack.currentWidget() is window.dashboard


def test_backup_at_open_then_back_up_now(qtbot, make_window, settle, demo_path, messages):
    assert list_backups(demo_path) == []
    window = open_demo(make_window, settle, demo_path)
    at_open = list_backups(demo_path)
    assert at_open, "opening a file never backed up makes a backup"
    assert "Last backup:" in window.dashboard.backup_text.text()

    window.backup_now()
    assert window.tasks, "the backup runs as a background task"
    settle(window)
    after = list_backups(demo_path)
    assert len(after) > len(at_open)
    assert after[0] not in at_open
    assert latest_backup(demo_path) == after[0]
    assert "Last backup:" in window.dashboard.backup_text.text()
    assert str(after[0]) in window.dashboard.backup_text.text()
    assert str(after[0]) in window.statusBar().currentMessage()
    assert messages.warnings == []

    # The backup is a sound copy holding the district.
    with DataFile.open(after[0], OpenOptions(edit=False)) as copy:
        assert load_district(copy).name == "Granite Valley Regional School District"


def test_reopening_an_unchanged_file_makes_no_new_backup(make_window, settle, demo_path, tmp_path):
    window = open_demo(make_window, settle, demo_path)
    count = len(list_backups(demo_path))
    window.close()
    window = open_demo(make_window, settle, demo_path)
    assert len(list_backups(demo_path)) == count


def test_open_path_switches_files_and_releases_the_first_lease(
    make_window, settle, demo_path, tmp_path, make_demo_file, messages
):
    other = make_demo_file(tmp_path / "other district.db")
    window = open_demo(make_window, settle, demo_path)
    assert read_lease(demo_path) is not None

    assert window.open_path(other) is True
    settle(window)
    assert window.data_file.path == other
    assert not window.data_file.read_only
    assert read_lease(demo_path) is None, "the first file's lease was let go"
    assert read_lease(other) is not None
    assert window.windowTitle() == f"{other.name} – {APP_NAME}"
    assert window.status_label.text() == f"Editing: {other}"
    assert paths.recent_files()[:2] == [other, demo_path]

    # Opening the first again puts it back on top of the recent list.
    assert window.open_path(demo_path) is True
    settle(window)
    assert read_lease(other) is None
    assert paths.recent_files()[:2] == [demo_path, other]
    assert messages.warnings == []


def test_open_recent_menu_lists_files_newest_first(
    make_window, settle, demo_path, tmp_path, make_demo_file
):
    other = make_demo_file(tmp_path / "other.db")
    window = open_demo(make_window, settle, demo_path)
    window.open_path(other)
    settle(window)
    window.recent_menu.aboutToShow.emit()
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == [f"&1 {other}", f"&2 {demo_path}"]
    actions[1].trigger()
    settle(window)
    assert window.data_file.path == demo_path
    assert read_lease(other) is None


def test_open_recent_with_no_recent_files(make_window):
    window = make_window()
    window.recent_menu.aboutToShow.emit()
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == ["No recent files"]
    assert not actions[0].isEnabled()


def test_opening_a_text_file_says_one_sentence_and_keeps_the_current_file(
    make_window, settle, demo_path, tmp_path, messages
):
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting notes, not a database.\n" * 20, encoding="utf-8")
    window = open_demo(make_window, settle, demo_path)

    window.open_path(notes)
    settle(window)
    assert len(messages.warnings) == 1
    sentence = messages.warnings[0]
    assert "not an SRO Desk file" in sentence
    assert "Traceback" not in sentence
    assert sentence.count(". ") == 0 and sentence.endswith(".")
    assert window.data_file is not None
    assert window.data_file.path == demo_path
    assert not window.data_file.read_only
    assert read_lease(demo_path) is not None
    assert window.status_label.text() == f"Editing: {demo_path}"
    assert paths.recent_files()[0] == demo_path
    assert notes not in paths.recent_files()
    assert notes.read_text(encoding="utf-8").startswith("Meeting notes")


def test_opening_a_missing_file_from_the_open_dialog_is_refused(
    make_window, settle, demo_path, tmp_path, messages, monkeypatch
):
    window = open_demo(make_window, settle, demo_path)
    missing = tmp_path / "gone.db"
    monkeypatch.setattr(
        "sro_desk.ui.main_window.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(missing), "SRO Desk files (*.db)"),
    )
    window.open_dialog()
    settle(window)
    assert len(messages.warnings) == 1
    assert "There is no file at" in messages.warnings[0]
    assert not missing.exists(), "opening never creates a file"
    assert window.data_file.path == demo_path


def test_new_file_runs_the_setup_wizard(make_window, settle, tmp_path, monkeypatch, messages):
    window = make_window()
    target = tmp_path / "new district"
    monkeypatch.setattr(
        "sro_desk.ui.main_window.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(target), "SRO Desk files (*.db)"),
    )
    window.new_file()
    settle(window)
    created = target.with_suffix(".db")
    assert created.exists()
    assert window.data_file.path == created
    assert len(messages.wizards) == 1, "an empty file starts the setup wizard"
    assert window.setup_action.isEnabled(), "setup can be run later from the menu"
    assert window.dashboard.heading.text() == "No district set up yet"


def test_new_file_refuses_an_existing_name(make_window, settle, demo_path, monkeypatch, messages):
    window = make_window()
    monkeypatch.setattr(
        "sro_desk.ui.main_window.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(demo_path), ""),
    )
    window.new_file()
    assert window.data_file is None
    assert len(messages.warnings) == 1
    assert messages.warnings[0].startswith(f"{demo_path.name} already exists")


def test_leaving_with_unsaved_typing_asks_first(
    qtbot, make_window, settle, demo_path, tmp_path, make_demo_file, messages
):
    other = make_demo_file(tmp_path / "other.db")
    window = open_demo(make_window, settle, demo_path)
    window.show_page(window.pages.index(window.district_page))
    qtbot.keyClicks(window.district_page.basics.name, " (draft)")

    messages.answer = QMessageBox.StandardButton.Cancel
    assert window.open_path(other) is False
    assert messages.questions == [
        "You have unsaved changes on the District page. Save them first?"
    ]
    assert window.data_file.path == demo_path
    assert window.district_page.basics.name.text().endswith(" (draft)")

    messages.answer = QMessageBox.StandardButton.Save
    assert window.open_path(other) is True
    settle(window)
    assert window.data_file.path == other
    assert read_lease(demo_path) is None


def test_leaving_with_save_writes_the_typing_to_the_first_file(
    qtbot, make_window, settle, demo_path, tmp_path, make_demo_file, messages
):
    other = make_demo_file(tmp_path / "other.db")
    window = open_demo(make_window, settle, demo_path)
    window.show_page_of(window.district_page)
    qtbot.keyClicks(window.district_page.basics.name, " (draft)")
    messages.answer = QMessageBox.StandardButton.Save
    assert window.open_path(other) is True
    settle(window)
    window.close()
    with DataFile.open(demo_path) as first:
        assert load_district(first).name == "Granite Valley Regional School District (draft)"


def test_check_file_reports_a_healthy_file(make_window, settle, demo_path, messages):
    window = open_demo(make_window, settle, demo_path)
    window.check_now()
    assert len(messages.informations) == 1
    assert "The file is healthy." in messages.informations[0]


def test_closing_the_window_releases_the_lease(make_window, settle, demo_path):
    window = open_demo(make_window, settle, demo_path)
    presence = window.presence.path
    assert presence.exists()
    window.close()
    assert read_lease(demo_path) is None
    assert not presence.exists()
    assert window.data_file is None


def test_open_path_reports_failure_when_the_other_file_cannot_open(
    make_window, settle, demo_path, tmp_path
):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    window = open_demo(make_window, settle, demo_path)
    opened = window.open_path(notes)
    settle(window)
    assert window.data_file.path == demo_path
    assert opened is False


def test_closing_while_typing_in_a_cell_asks_first(qtbot, make_window, settle, demo_path, messages):
    window = open_demo(make_window, settle, demo_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page(window.pages.index(window.district_page))
    table = window.district_page.schools.table
    table.setFocus()
    table.setCurrentCell(2, 2)
    qtbot.keyClick(table, "J")  # opens the cell's editor
    qtbot.keyClicks(QApplication.focusWidget(), "ane Roe")
    messages.answer = QMessageBox.StandardButton.Cancel
    window.close()
    assert messages.questions, "the person is asked before typing is thrown away"
    assert window.isVisible()
    messages.answer = QMessageBox.StandardButton.Discard  # let the fixture close it


def test_restore_from_backup_puts_the_old_district_back(
    qtbot, make_window, settle, demo_path, monkeypatch, messages
):
    window = open_demo(make_window, settle, demo_path)
    assert list_backups(demo_path), "the backup made at open"
    page = window.district_page
    window.show_page_of(page)
    page.basics.name.setText("Renamed after the backup")
    page.basics.changed.emit()
    assert page.save() is True

    offered = []

    def get_item(parent, title, label, items, current=0, editable=False):
        offered.extend(items)
        return items[0], True

    monkeypatch.setattr("sro_desk.ui.main_window.QInputDialog.getItem", get_item)
    messages.answer = QMessageBox.StandardButton.Yes
    before = len(list_backups(demo_path))
    window.restore_from_backup()
    settle(window)
    assert offered and len(offered) == before
    assert len(messages.questions) == 1
    assert messages.questions[0].startswith(f"Replace everything in {demo_path.name}")
    assert window.data_file is not None and not window.data_file.read_only
    assert load_district(window.data_file).name == "Granite Valley Regional School District"
    assert page.basics.name.text() == "Granite Valley Regional School District"
    window.show_page(window.pages.index(window.dashboard))  # (read again as it is shown)
    assert window.dashboard.heading.text() == "Granite Valley Regional School District"
    names = [b.name for b in list_backups(demo_path)]
    assert any(n.endswith("-before-restore.db") for n in names), "what it replaced was kept"
    assert read_lease(demo_path).token == window.data_file.lease.info.token
    assert messages.warnings == []


def test_restore_answered_no_changes_nothing(
    make_window, settle, demo_path, monkeypatch, messages
):
    window = open_demo(make_window, settle, demo_path)
    monkeypatch.setattr(
        "sro_desk.ui.main_window.QInputDialog.getItem",
        lambda parent, title, label, items, *a: (items[0], True),
    )
    messages.answer = QMessageBox.StandardButton.No
    data_file = window.data_file
    window.restore_from_backup()
    assert window.data_file is data_file, "the file was not closed and reopened"
    assert not any("before-restore" in b.name for b in list_backups(demo_path))


def test_setup_wizard_finished_from_the_window_shows_the_district(
    make_window, settle, db_path, monkeypatch, messages
):
    def fill_and_finish(wizard):
        wizard.show()  # what exec() does first; it also starts the wizard at page 0
        wizard.basics.name.setText("Millbrook Public Schools")
        wizard.next()
        wizard.schools.table.item(0, 0).setText("Millbrook Elementary School")
        wizard.next()
        wizard.departments.table.item(0, 0).setText("Millbrook Police Department")
        wizard.departments.table.item(0, 2).setText("Keisha Thompson")
        wizard.next()
        wizard.leader.leader.setText("Hannah Lindqvist")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        return wizard.result()

    monkeypatch.setattr(SetupWizard, "exec", fill_and_finish)
    window = make_window()
    shown = []
    window.statusBar().messageChanged.connect(shown.append)
    window.set_data_file(DataFile.open(db_path, OpenOptions(create=True)))
    settle(window)
    assert window.dashboard.heading.text() == "Millbrook Public Schools"
    window.show_page_of(window.district_page)
    assert window.district_page.basics.name.text() == "Millbrook Public Schools"
    assert "Saved Millbrook Public Schools." in shown
    assert not window.setup_action.isEnabled(), "set up once; edit on the District page"
    assert load_district(window.data_file).departments[0].chief_name == "Keisha Thompson"


def test_nothing_of_the_previous_file_stays_on_screen(qtbot, make_window, settle, tmp_path, messages):
    """After opening another file, the Agreement editor kept the first file's clause
    (saving it was refused) and the Print page its 'Saved …' message."""
    import sqlite3
    from datetime import date

    from sro_desk.records.demo import create_demo

    paths_ = []
    for name in ("first.db", "second.db"):
        path = tmp_path / name
        with DataFile.open(path, OpenOptions(create=True)) as data_file:
            create_demo(data_file, today=date(2026, 11, 22))
        paths_.append(path)
    conn = sqlite3.connect(paths_[1])
    conn.execute("UPDATE agreement_clause SET text = 'The second district words it its own way.'")
    conn.commit()
    conn.close()
    window = open_demo(make_window, settle, paths_[0])
    page = window.agreement_page
    window.show_page(window.pages.index(page))
    page.clause_text.setPlainText("Typed into the first file's clause.")
    assert page.has_unsaved_changes()
    window.print_page.status.setText("Saved /somewhere/first packet.pdf.")
    messages.answer = QMessageBox.StandardButton.Discard
    assert window.open_path(paths_[1]) is True
    settle(window)
    assert not page.has_unsaved_changes()
    assert page.clause is not None and page.clause_text.toPlainText() == "The second district words it its own way."
    assert page.clause.id in {c.id for c in page.agreement.clauses}
    assert window.print_page.status.text() == ""


def test_the_sidebar_shows_every_title_whole_on_a_small_screen_at_125_percent(make_window, qtbot, make_demo_file,
                                                                             tmp_path, settle):
    """1280x800 at 125% leaves 1024x640: "Meetings & Reviews" was cut under a scroll bar."""
    from sro_desk.store import DataFile

    window = make_window()
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    window.set_data_file(DataFile.open(make_demo_file(tmp_path / "d.db")))
    settle(window)
    sidebar = window.sidebar
    assert sidebar.sizeHintForColumn(0) <= sidebar.viewport().width()
    assert not sidebar.horizontalScrollBar().isVisible()


def test_the_window_fits_the_smallest_screen_it_is_made_for(make_window, qtbot, tmp_path, settle):
    """1280x800 at 125% leaves 1024x640 (1366x768 at 125%: 1093x614, less a taskbar): with
    every page shown the window must fit, not run 16 pixels past the edge as the
    Agreement page's 30-character chooser made it."""
    from sro_desk.records.demo import create_demo
    from sro_desk.store import DataFile, OpenOptions

    path = tmp_path / "demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
    window = make_window()
    window.resize(1024, 600)
    window.show()
    qtbot.waitExposed(window)
    window.set_data_file(DataFile.open(path))
    settle(window)
    for index in range(len(window.pages)):
        window.show_page(index)
        qtbot.wait(1)
        assert window.minimumSizeHint().width() <= 1024, window.pages[index].title
        assert window.minimumSizeHint().height() <= 600, window.pages[index].title
