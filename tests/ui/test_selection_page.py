"""The Selection page: a round from the first input to the chief's decision."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.records import officers, selection
from sro_desk.records.demo import create_demo
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.qt import QPushButton, Qt
from sro_desk.ui.selection_dialogs import InputDialog, RoundDialog


@pytest.fixture
def demo_db(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    return db_path


@pytest.fixture
def window(make_window, settle, demo_db):
    window = make_window()
    window.set_data_file(DataFile.open(demo_db))
    settle(window)
    window.show_page(window.pages.index(window.selection_page))
    return window


def _new_round(page, qtbot):
    dialog = RoundDialog(page.data_file, None, officers.list_officers(page.data_file), page)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Middle school SRO")
    for row in range(2):
        dialog.candidates.item(row).setCheckState(Qt.CheckState.Checked)
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    page._changed(dialog.result_id)
    return page.round


def test_the_demo_round_is_shown_decided(window):
    page = window.selection_page
    assert page.round.decided
    assert page.candidates.count() == 3
    assert "superintendent recommends against" in page.candidates.item(2).text()
    assert "Marcus Bell assigned" in page.decision_text.text()
    assert "Average score by group" in page.summary.toPlainText()
    assert not page.decide_button.isEnabled() and not page.add_input_button.isEnabled()


def test_input_grid_refuses_a_bad_score_and_keeps_the_grid(window, qtbot):
    page = window.selection_page
    chosen = _new_round(page, qtbot)
    assert "Still to hear from" in page.status.text()
    dialog = InputDialog(page.data_file, chosen, None, page)
    qtbot.addWidget(dialog)
    dialog.grid.item(0, 0).setText("9")
    dialog._ok()
    assert "scores go from 1 to 5" in dialog.error.text()
    assert dialog.grid.item(0, 0).text() == "9"
    dialog.grid.item(0, 0).setText("4")
    dialog.grid.item(len(chosen.criteria), 1).setText("Great with students")
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    page._changed()
    assert page.inputs.count() == 1 and "Principals" in page.inputs.item(0).text()


def test_the_decision_form_enforces_the_rules(window, qtbot):
    page = window.selection_page
    _new_round(page, qtbot)
    page.tabs.setCurrentIndex(3)
    for row in range(page.reasons.count()):
        if page.reasons.item(row).data(Qt.ItemDataRole.UserRole) == "seniority":
            page.reasons.item(row).setCheckState(Qt.CheckState.Checked)
    page.decide_button.click()
    assert "seniority alone" in page.decision_error.text()
    page.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    page.decide_button.click()
    assert "No input was recorded from" in page.decision_error.text()
    page.reason_text.setPlainText("The post opened in August; the chief could not wait.")
    page.decide_button.click()
    assert page.round.decided
    assert selection.load_round(page.data_file, page.round.id).decision.reasons[0] == "temperament"


def test_open_training_record_goes_to_the_officer(window):
    page = window.selection_page
    page.candidates.setCurrentRow(0)
    page.training_button.click()
    assert window.stack.currentWidget() is window.training_page
    assert window.training_page.officer().name == "Marcus Bell"


def test_read_only_disables_the_round(make_window, settle, demo_db):
    from sro_desk.store.lease import Lease

    holder = Lease(demo_db)
    holder.acquire()
    try:
        window = make_window()
        window.set_data_file(DataFile.open(demo_db, OpenOptions(edit=False)))
        settle(window)
        page = window.selection_page
        enabled = {b.accessibleName() for b in page.findChildren(QPushButton) if b.isEnabled()}
        assert enabled <= {"Input Form PDF", "Summary PDF", "Open Training Record"}
    finally:
        window.close()
        holder.release()


def test_selection_page_shortcut_letters_are_distinct(window):
    from tests.ui.test_models_accessibility import mnemonic_clashes

    window.show()
    for tab in range(window.selection_page.tabs.count()):
        window.selection_page.tabs.setCurrentIndex(tab)
        assert mnemonic_clashes(window) == {}, tab


def test_the_chiefs_typing_survives_a_refresh(window, qtbot):
    page = window.selection_page
    _new_round(page, qtbot)
    page.explanation.setPlainText("Typed but not yet recorded.")
    page.reasons.item(2).setCheckState(Qt.CheckState.Checked)
    page.refresh(page.data_file)
    assert page.explanation.toPlainText() == "Typed but not yet recorded."
    assert page.reasons.item(2).checkState() == Qt.CheckState.Checked


def test_the_district_can_add_its_own_criterion(window, qtbot, monkeypatch):
    from sro_desk.ui import selection_page as page_module

    page = window.selection_page
    chosen = _new_round(page, qtbot)
    monkeypatch.setattr(page_module.QInputDialog, "getText", staticmethod(lambda *a, **k: ("Speaks Portuguese", True)))
    page.criterion_button.click()
    assert page.round.criteria[-1].label == "Speaks Portuguese"
    assert len(page.round.criteria) == len(chosen.criteria) + 1
    labels = [page.reasons.item(i).text() for i in range(page.reasons.count())]
    assert "Speaks Portuguese" in labels
