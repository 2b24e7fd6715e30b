"""The window shows the file as it is: a save reads the file again into exactly the pages
that show what it changed, every page declares what it shows (checked against what it
really reads), and nothing of one file stays on screen after another is opened."""

from __future__ import annotations

import shutil
from dataclasses import replace
import sqlite3
from datetime import date

import pytest

from sro_desk.records.demo import create_demo, sample_district
from sro_desk.records.district import save_district
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.page import Page
from sro_desk.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QWidget,
    Qt,
)
from sro_desk.ui.training_dialogs import OfficerDialog

#: Full-text index tables: kept by triggers, never shown as such.
_INDEX = ("_fts", "_data", "_idx", "_docsize", "_config")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("refresh") / "demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    return path


@pytest.fixture
def demo(demo_template, tmp_path):
    path = tmp_path / "granite.db"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def window(make_window, settle, demo, qtbot):
    made = make_window()
    made.resize(1366, 768)
    made.show()
    qtbot.waitExposed(made)
    made.set_data_file(DataFile.open(demo))
    settle(made)
    return made


def screen_text(widget) -> str:
    """Every piece of text ``widget`` and its children on screen show: labels, fields,
    lists, tables and combo boxes (what a person could read on the page)."""
    parts = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisible():  # a hidden tab is read again before it shows
            continue
        if isinstance(child, QLabel):
            parts.append(child.text())
        elif isinstance(child, QLineEdit):
            parts.append(child.text())
        elif isinstance(child, (QPlainTextEdit, QTextBrowser)):
            parts.append(child.toPlainText())
        elif isinstance(child, QComboBox):
            parts += [child.itemText(i) for i in range(child.count())]
        elif isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list's model: one column, its count not public
                columns = 1
            for row in range(min(model.rowCount(), 200)):
                for column in range(columns):
                    value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def _every_view(window):
    """Show every page, and every tab of it, in turn (each reads the file as shown)."""
    for index, page in enumerate(window.pages):
        window.show_page(index)
        yield page
        for tabs in page.findChildren(QTabWidget):
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                yield page


def _tables_read(data_file: DataFile, action) -> set[str]:
    """The file's own tables ``action`` reads (not SQLite's catalogue or functions)."""
    seen: set[str] = set()
    tables = {r["name"] for r in data_file.query("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r["name"].startswith("sqlite_")}

    def authorize(kind, first, _second, _database, _trigger):
        if kind == sqlite3.SQLITE_READ and first in tables and not first.endswith(_INDEX):
            seen.add(first)
        return sqlite3.SQLITE_OK

    data_file.conn.set_authorizer(authorize)  # (statements prepare again: every read is seen)
    try:
        action()
    finally:
        data_file.conn.set_authorizer(None)
    return seen


def test_every_page_declares_what_it_shows(window, qtbot):
    """A page's ``reads`` covers every table it reads as it opens, as its tabs are shown
    and as rows are chosen in its lists: a table left out would leave the page stale."""
    data_file = window.data_file
    for index, page in enumerate(window.pages):
        assert isinstance(page, Page), f"{page.title} is not a Page"
        if page.reads is None:  # shows any change (the dashboard, the Print page)
            continue

        def open_and_browse(page=page):
            page.refresh(data_file, window.presence)
            window.show_page(index)
            for inner in [page, *getattr(page, "subpages", {}).values()]:
                for tabs in inner.findChildren(QTabWidget):
                    for tab in range(tabs.count()):
                        tabs.setCurrentIndex(tab)
                        qtbot.wait(1)
                for view in inner.findChildren(QAbstractItemView):
                    model = view.model()
                    for row in range(min(model.rowCount(), 3) if model is not None else 0):
                        view.setCurrentIndex(model.index(row, 0))
                        qtbot.wait(1)

        read = _tables_read(data_file, open_and_browse)
        missing = read - page.reads
        assert not missing, f"the {page.title} page reads {sorted(missing)} without declaring them"


def test_renaming_an_officer_on_training_shows_on_selection(window, qtbot, monkeypatch):
    """Found by a new superintendent: Selection kept the old name until a full refresh."""
    selection = window.selection_page
    window.show_page(window.pages.index(selection))
    officer = window.data_file.query("SELECT o.name FROM selection_candidate c JOIN officer o "
                                     "ON o.id = c.officer_id LIMIT 1")[0]["name"]
    assert officer in screen_text(selection)

    training = window.training_page
    window.show_page(window.pages.index(training))
    row = next(i for i, o in enumerate(training.officers) if o.name == officer)
    training.officer_list.setCurrentRow(row)

    def rename(dialog):
        dialog.name.setText("Renamed Officer-Smith")
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(OfficerDialog, "exec", rename)
    training.edit_officer_button.click()
    assert selection in window._stale  # marked, and read again when shown
    window.show_page(window.pages.index(selection))
    shown = screen_text(selection)
    assert "Renamed Officer-Smith" in shown and officer not in shown


def test_a_save_marks_stale_only_the_pages_that_show_what_it_changed(window):
    window.show_page(window.pages.index(window.training_page))
    window._stale.clear()
    with window.data_file.write():
        window.data_file.conn.execute("UPDATE enrolment SET version = version + 1 WHERE rowid = "
                                      "(SELECT min(rowid) FROM enrolment)")
    window._page_saved(window.training_page)
    marked = {page.title for page in window._stale}
    assert "Enforcement Data" in marked and "Meetings & Reviews" in marked  # both count from enrolment
    assert {"Agreement", "Training", "District", "Complaints", "Selection"}.isdisjoint(marked)
    assert {"Dashboard", "Print"} <= marked  # they draw on everything


def test_the_page_on_screen_is_read_again_at_once(window, qtbot):
    shown = window.enforcement_page
    window.show_page(window.pages.index(shown))
    with window.data_file.write():
        window.data_file.conn.execute("UPDATE school SET name = 'Renamed Hill School' WHERE id = "
                                      "(SELECT min(id) FROM school)")
    window._page_saved(window.district_page)  # (as if saved on another page)
    assert shown not in window._stale
    assert "Renamed Hill School" in screen_text(shown)


def test_writes_no_page_reported_are_picked_up_by_the_watch(window):
    window.show_page(window.pages.index(window.agreement_page))
    window._stale.clear()
    with window.data_file.write():
        window.data_file.conn.execute("UPDATE officer SET rank = 'Sergeant' WHERE id = (SELECT min(id) FROM officer)")
    window.watch()
    marked = {page.title for page in window._stale}
    assert {"Training", "Selection"} <= marked and "District" not in marked


def test_nothing_of_the_last_file_stays_on_screen_after_opening_another(window, qtbot, tmp_path, settle):
    first = window.data_file
    names = [r["name"] for r in first.query("SELECT name FROM officer UNION SELECT name FROM school "
                                            "UNION SELECT name FROM district")]
    for _page in _every_view(window):  # every page and tab read the first file
        qtbot.wait(1)
    other = tmp_path / "maple.db"
    with DataFile.open(other, OpenOptions(create=True)) as data_file:
        district = sample_district()
        save_district(data_file, replace(
            district, name="Maple Brook Public Schools", superintendent_name="Pat Maple",
            schools=[replace(school, name=f"Maple School {n}") for n, school in enumerate(district.schools)],
            departments=[replace(d, name=f"Maple Police {n}", chief_name=f"Chief Maple {n}")
                         for n, d in enumerate(district.departments)]))
    assert window.open_path(other)
    settle(window)
    for page in _every_view(window):
        shown = screen_text(page)
        left = [name for name in names if name and name in shown]
        assert not left, f"the {page.title} page still shows {left} of the other file"
    assert window.search_dialog is None
