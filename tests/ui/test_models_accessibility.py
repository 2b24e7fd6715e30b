"""Accessibility and keyboard: names for every control, Tab order, unambiguous mnemonics."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from sro_desk.store import DataFile
from sro_desk.ui.district_page import DistrictPage
from sro_desk.ui.qt import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QWidget,
)
from sro_desk.ui.setup_wizard import SetupWizard
from PySide6.QtWidgets import QAbstractButton, QMenuBar

CONTROL_KINDS = (QLineEdit, QComboBox, QTableWidget, QPushButton)


def _is_cell_editor(widget: QWidget) -> bool:
    """An open cell editor: named by its table and cell, not by itself."""
    parent = widget.parentWidget()
    return parent is not None and isinstance(parent.parentWidget(), QAbstractItemView)


def controls(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for kind in CONTROL_KINDS:
        found += [w for w in root.findChildren(kind) if not _is_cell_editor(w)]
    return found


def buddies(root: QWidget) -> dict[int, str]:
    """id(widget) -> the text of the label that names it."""
    named = {}
    for label in root.findChildren(QLabel):
        if label.buddy() is not None and label.text().replace("&", "").strip():
            named[id(label.buddy())] = label.text()
    return named


def unnamed(root: QWidget) -> list[str]:
    labelled = buddies(root)
    return [
        f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}"
        for w in controls(root)
        if not w.accessibleName().strip() and id(w) not in labelled
    ]


def mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def mnemonic_clashes(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter keys claimed by more than one visible control of ``window``."""
    claims: dict[str, list[str]] = defaultdict(list)
    for button in window.findChildren(QAbstractButton):
        key = mnemonic(button.text())
        if key and button.isVisible():
            claims[key].append(button.text())
    for label in window.findChildren(QLabel):
        key = mnemonic(label.text())
        if key and label.buddy() is not None and label.isVisible():
            claims[key].append(label.text())
    for bar in window.findChildren(QMenuBar):
        for action in bar.actions():
            key = mnemonic(action.text())
            if key and bar.isVisible():
                claims[key].append(action.text())
    return {key: texts for key, texts in claims.items() if len(texts) > 1}


@pytest.fixture
def district_page(qtbot, demo_file):
    page = DistrictPage()
    qtbot.addWidget(page)
    page.refresh(demo_file)
    page.show()
    return page


@pytest.fixture
def wizard(qtbot, new_file):
    wizard = SetupWizard(new_file)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    wizard.close()


@pytest.fixture
def window(qtbot, make_window, settle, demo_path):
    window = make_window()
    window.set_data_file(DataFile.open(demo_path))
    window.show()
    settle(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


# -- names -----------------------------------------------------------------------------


def test_every_district_page_control_has_a_name(district_page):
    found = controls(district_page)
    assert len(found) >= 10
    assert unnamed(district_page) == []


def test_district_page_names_say_what_each_control_is(district_page):
    page = district_page
    assert page.basics.name.accessibleName() == "District name"
    assert page.basics.kind.accessibleName() == "Kind of district"
    assert page.leader.leader.accessibleName() == "Superintendent's name"
    assert page.schools.table.accessibleName() == "Schools"
    assert page.departments.table.accessibleName() == "Police departments"
    assert page.schools.remove_button.accessibleName() == "Remove selected school"
    assert page.save_button.accessibleName() == "Save district changes"
    assert page.error.accessibleName() == "Error"
    # Each field's label points at it, so clicking or Alt+letter reaches it.
    labelled = buddies(page)
    for field in (page.basics.name, page.basics.kind, page.leader.leader):
        assert id(field) in labelled


def test_charter_renames_the_leader_field_on_the_district_page(district_page):
    page = district_page
    page.basics.kind.setCurrentIndex(page.basics.kind.findData("charter"))
    assert page.leader.leader.accessibleName() == "Head of school's name"
    assert page.leader.label.text() == "Head of school's na&me:"


def test_every_wizard_page_control_has_a_name(wizard):
    for index, page in enumerate(wizard.pages):
        assert controls(page), f"page {index} has controls"
        assert unnamed(page) == [], f"page {index}"


def test_table_headers_name_each_column(district_page):
    def headers(table):
        return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]

    assert headers(district_page.schools.table) == ["School name", "Grades", "Principal"]
    assert headers(district_page.departments.table) == [
        "Police department", "Town", "Chief's name"
    ]


def test_main_window_status_and_banner_are_named(window):
    assert window.sidebar.accessibleName() == "Pages"
    assert window.status_label.accessibleName() == "File status"
    assert window.banner.accessibleName() == "Read-only notice"
    assert window.edit_button.accessibleName() == "Switch to editing"
    assert window.dashboard.backup_button.accessibleName() == "Back up now"


# -- keyboard ---------------------------------------------------------------------------


def tab_chain(qtbot, start: QWidget, steps: int) -> list[QWidget]:
    start.setFocus()
    chain = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        chain.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return chain


def test_tab_walks_the_district_page_in_reading_order(qtbot, window):
    window.show_page(window.pages.index(window.district_page))
    page = window.district_page
    qtbot.keyClicks(page.basics.name, " (draft)")  # so Save and Revert take focus
    chain = tab_chain(qtbot, page.basics.name, 10)
    assert chain == [
        page.basics.name,
        page.basics.kind,
        page.leader.leader,
        page.schools.table,
        page.schools.add_button,
        page.departments.table,
        page.departments.add_button,
        page.year_start,
        page.revert_button,
        page.save_button,
    ]


def test_arrow_keys_move_inside_a_table_and_tab_leaves_it(qtbot, window):
    window.show_page(window.pages.index(window.district_page))
    table = window.district_page.schools.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentRow() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.district_page.schools.add_button


def test_typing_in_a_district_page_cell_edits_it(qtbot, window):
    window.show_page(window.pages.index(window.district_page))
    page = window.district_page
    table = page.schools.table
    table.setFocus()
    table.setCurrentCell(2, 2)
    qtbot.keyClick(table, "J")  # the first key opens the cell's editor
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and _is_cell_editor(editor)
    qtbot.keyClicks(editor, "ane Roe")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on the next turn of the loop
    assert table.item(2, 2).text() == "Jane Roe"
    assert page.has_unsaved_changes()
    assert page.save_button.isEnabled()


def test_every_tab_stop_in_the_window_has_a_name(qtbot, window):
    window.show_page(window.pages.index(window.district_page))
    qtbot.keyClicks(window.district_page.basics.name, " (draft)")
    stops = tab_chain(qtbot, window.district_page.basics.name, 14)
    nameless = [type(w).__name__ for w in stops if not w.accessibleName()]
    assert nameless == []


def test_wizard_pages_after_the_first_have_distinct_mnemonics(wizard):
    wizard.basics.name.setText("Granite Valley")
    wizard.next()
    wizard.schools.table.item(0, 0).setText("Granite Valley High School")
    for index in (1, 2, 3):
        assert wizard.currentId() == index
        assert mnemonic_clashes(wizard) == {}, f"page {index}"
        if index == 2:
            wizard.departments.table.item(0, 0).setText("Ashby Falls Police Department")
            wizard.departments.table.item(0, 2).setText("Daniel O'Connell")
        wizard.next()


def test_dashboard_mnemonics_are_distinct(window):
    window.show_page(window.pages.index(window.dashboard))
    assert mnemonic_clashes(window) == {}


def test_wizard_first_page_mnemonics_are_distinct(wizard):
    assert mnemonic_clashes(wizard) == {}


def test_alt_n_turns_the_wizard_first_page(qtbot, wizard):
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.keyClicks(wizard.basics.name, "Granite Valley")
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        qtbot.wait(250)  # a mnemonic click is animated
    assert wizard.currentId() == 1


@pytest.mark.parametrize("kind", ["regional", "charter"])
def test_district_page_mnemonics_are_distinct(window, kind):
    window.show_page(window.pages.index(window.district_page))
    basics = window.district_page.basics
    basics.kind.setCurrentIndex(basics.kind.findData(kind))
    assert mnemonic_clashes(window) == {}


def test_alt_s_saves_the_district_page(qtbot, window):
    window.show_page(window.pages.index(window.district_page))
    page = window.district_page
    qtbot.keyClicks(page.basics.name, " (draft)")
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        qtbot.wait(250)  # a mnemonic click is animated
    assert not page.has_unsaved_changes()
    assert window.data_file.query("SELECT name FROM district")[0]["name"].endswith("(draft)")


def test_a_dialogs_error_line_is_never_cut_off(qtbot):
    """A small dialog kept its size when a long sentence appeared, and cut it after a line."""
    from sro_desk.ui.qt import QDialog, QLineEdit, QVBoxLayout, error_label

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLineEdit())
    error = error_label()
    layout.addWidget(error)
    dialog.resize(260, 60)
    dialog.show()
    qtbot.waitExposed(dialog)
    error.setText("The date must be written like 2026-09-15, and it cannot be before the complaint "
                  "was received; correct it and press OK again.")
    error.show()
    qtbot.waitUntil(lambda: error.height() >= error.heightForWidth(error.width()), timeout=2000)
    assert error.geometry().bottom() <= dialog.height()
