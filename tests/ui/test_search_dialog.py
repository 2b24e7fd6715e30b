"""Find in This File: Ctrl+K, grouped results, the keyboard, and opening a hit on its page."""

from __future__ import annotations

import pytest

from sro_desk.records.demo import sample_district
from sro_desk.records.district import save_district
from sro_desk.records.search import Hit, KINDS
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.qt import QApplication, Qt
from sro_desk.ui.search_dialog import DEBOUNCE_MS, HIT_ROLE, hit_html, hit_text, snippet_html
from tests.records.test_search import add_records
from tests.ui.test_models_accessibility import mnemonic, mnemonic_clashes, tab_chain, unnamed


@pytest.fixture
def records_path(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        save_district(data_file, sample_district())
        records = add_records(data_file)
    return db_path, records


@pytest.fixture
def window(qtbot, make_window, settle, records_path):
    window = make_window()
    window.set_data_file(DataFile.open(records_path[0]))
    window.show()
    settle(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def records(records_path):
    return records_path[1]


def _open_search(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.search_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.field)
    return dialog


def _type(qtbot, dialog, text: str) -> None:
    dialog.field.clear()
    if text.isascii():
        qtbot.keyClicks(dialog.field, text)
    else:  # QTest types ASCII only
        dialog.field.setText(text)
    qtbot.waitUntil(lambda: not dialog.timer.isActive(), timeout=2000)


def _headings(dialog) -> list[str]:
    return [dialog.results.topLevelItem(i).text(0) for i in range(dialog.results.topLevelItemCount())]


def test_ctrl_k_opens_the_dialog_with_the_words_in_focus(qtbot, window):
    assert window.find_action.shortcut().toString() == "Ctrl+K"
    assert window.find_action.isEnabled()
    dialog = _open_search(qtbot, window)
    assert dialog.windowTitle() == "Find in This File"
    assert dialog.status.text().startswith("Type words")


def test_find_sits_in_the_file_menu_with_its_own_mnemonic(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    assert "&Find…" in texts
    keys = [mnemonic(t) for t in texts if mnemonic(t)]
    assert len(keys) == len(set(keys)), texts
    assert mnemonic_clashes(window) == {}


def test_find_waits_for_a_file(qtbot, make_window):
    window = make_window()
    window.show()
    assert not window.find_action.isEnabled()
    window.show_search()
    assert window.search_dialog is None


def test_typing_shows_results_grouped_by_kind_after_a_pause(qtbot, window, records):
    dialog = _open_search(qtbot, window)
    qtbot.keyClicks(dialog.field, "drill")
    assert dialog.timer.isActive() and dialog.results.topLevelItemCount() == 0  # debounced
    qtbot.wait(DEBOUNCE_MS // 3)
    assert dialog.results.topLevelItemCount() == 0
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() > 0, timeout=2000)
    labels = [label for _, label in KINDS]
    headings = [h.split(" (")[0] for h in _headings(dialog)]
    assert headings == [label for label in labels if label in headings]
    assert "Meetings" in headings
    for top in range(dialog.results.topLevelItemCount()):
        heading = dialog.results.topLevelItem(top)
        assert heading.data(0, HIT_ROLE) is None and not heading.flags() & Qt.ItemFlag.ItemIsSelectable
        assert heading.childCount() >= 1 and heading.isExpanded()
        for row in range(heading.childCount()):
            hit = heading.child(row).data(0, HIT_ROLE)
            assert isinstance(hit, Hit) and heading.child(row).text(0) == hit_text(hit)
    assert "found" in dialog.status.text()


def test_nothing_found_and_hostile_words_say_so(qtbot, window):
    dialog = _open_search(qtbot, window)
    for text in ('"', "NEAR(", "AND OR (", "*", "😀", "x" * 1000, "col:pep", "pep NOT rally"):
        _type(qtbot, dialog, text)
        found = dialog.results.topLevelItemCount() > 0
        assert dialog.status.text().startswith(
            ("Nothing in this file matches", "Type words") if not found else tuple("0123456789")), text
    _type(qtbot, dialog, "<b>zzyzx</b>")
    assert dialog.status.text() == "Nothing in this file matches “<b>zzyzx</b>”."


def test_down_moves_into_the_results_and_enter_opens_the_complaint(qtbot, window, records):
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "pep rally")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is dialog.results
    first = dialog.results.currentItem()
    assert first is dialog.hit_items()[0] and first.data(0, HIT_ROLE).record_id == records.complaint
    qtbot.keyClick(dialog.results, Qt.Key.Key_Up)  # up from the first hit: back to the words
    assert QApplication.focusWidget() is dialog.field
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    page = window.complaints_page
    assert window.stack.currentWidget() is page
    assert page.selected() is not None and page.selected().id == records.complaint
    assert f"Complaint {records.complaint}" in window.statusBar().currentMessage()


def test_down_skips_group_headings(qtbot, window):
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "drill")
    items = dialog.hit_items()
    assert len(items) >= 2
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    for expected in items[1:]:
        qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
        assert dialog.results.currentItem() is expected
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)  # stays on the last
    assert dialog.results.currentItem() is items[-1]


def test_enter_in_the_words_opens_the_best_training_entry(qtbot, window, records):
    dialog = _open_search(qtbot, window)
    qtbot.keyClicks(dialog.field, "adolescent")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # searches at once, then opens the first
    page = window.training_page
    assert window.stack.currentWidget() is page
    assert page.officer().id == records.officer
    assert page.selected_entry() is not None and page.selected_entry().id == records.entry


def test_an_officer_opens_on_the_training_page(qtbot, window, records):
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "Bellweather")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.training_page
    assert window.training_page.officer().id == records.officer


def test_a_clause_opens_on_the_agreement_page(qtbot, window, records):
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "handcuffs")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    page = window.agreement_page
    assert window.stack.currentWidget() is page
    assert page.chooser.currentData() == records.agreement
    assert page.clause is not None and page.clause.id == records.clause


def test_a_meeting_opens_on_the_meetings_page(qtbot, window, records):
    page = window.meetings_page
    page.kind.setCurrentIndex(page.kind.count() - 1)  # showing another kind of meeting
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "Okonkwo")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.meetings_reviews_page
    assert window.meetings_reviews_page.tabs.currentWidget() is page
    assert page.selected() is not None and page.selected().id == records.meeting


def test_the_dialog_controls_are_named_and_tab_in_order(qtbot, window):
    dialog = _open_search(qtbot, window)
    assert unnamed(dialog) == []
    assert dialog.field.accessibleName() == "Search words"
    assert dialog.results.accessibleName() == "Search results"
    assert dialog.status.accessibleName() == "Search status"
    assert mnemonic_clashes(dialog) == {}
    _type(qtbot, dialog, "drill")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    assert dialog.open_button.isEnabled()
    chain = tab_chain(qtbot, dialog.field, 4)
    assert chain == [dialog.field, dialog.results, dialog.open_button, dialog.close_button]


def test_escape_closes_and_ctrl_k_brings_back_the_words(qtbot, window):
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "drill")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    again = _open_search(qtbot, window)
    assert again is dialog and dialog.field.text() == "drill" and dialog.field.selectedText() == "drill"
    assert dialog.hit_items()


def test_record_text_is_escaped_and_only_matches_are_bold():
    hit = Hit(kind="complaint", record_id=1, title="Complaint 1: <i>Other</i>",
              snippet=(("He wrote ", False), ("<script>", True), (" & left", False)), on="2026-10-01")
    assert snippet_html(hit) == "He wrote <b>&lt;script&gt;</b> &amp; left"
    html = hit_html(hit)
    assert "&lt;i&gt;Other&lt;/i&gt;" in html and "<i>" not in html and "<script>" not in html
    assert hit_text(hit) == "Complaint 1: <i>Other</i>, 2026-10-01: He wrote <script> & left"
