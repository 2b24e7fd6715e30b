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


# -- issue 19: a decided round looks as it is: kept, not editable -------------------------


def test_a_decided_rounds_notes_and_disclosures_are_off_and_the_page_says_why(window, qtbot, monkeypatch):
    from sro_desk.ui import selection_page as page_module
    from sro_desk.ui.selection_dialogs import DisclosureDialog

    page = window.selection_page
    window.show()
    assert page.round.decided
    notes = page.reason_text.toPlainText()
    for widget in (page.reason_text, page.explanation, page.disclose_button, page.decide_button,
                   page.add_input_button, page.edit_input_button, page.reasons):
        assert not widget.isEnabled(), widget.accessibleName()
    assert page.disclose_button.toolTip() == page_module.DECIDED
    assert page.reason_text.toolTip() == page_module.DECIDED
    page.tabs.setCurrentIndex(3)
    assert page.decided_note.isVisible() and "This round is decided" in page.decided_note.text()

    # No key reaches the notes, and neither Add Disclosure nor a double-click opens a dialog.
    qtbot.keyClicks(page.reason_text, "typed over the record")
    assert page.reason_text.toPlainText() == notes
    opened = []
    monkeypatch.setattr(DisclosureDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    monkeypatch.setattr(InputDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    page.add_disclosure()
    page.inputs.setCurrentRow(0)
    page.inputs.itemDoubleClicked.emit(page.inputs.item(0))
    assert opened == []


def test_an_open_round_offers_notes_and_disclosures_then_deciding_turns_them_off(window, qtbot):
    page = window.selection_page
    window.show()
    _new_round(page, qtbot)
    page.tabs.setCurrentIndex(3)
    assert page.reason_text.isEnabled() and page.explanation.isEnabled()
    assert page.disclose_button.isEnabled() and page.disclose_button.toolTip() == ""
    assert not page.decided_note.isVisible()
    page.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    page.reason_text.setPlainText("The post opened in August; the chief could not wait.")
    page.decide_button.click()
    assert page.round.decided
    assert not page.reason_text.isEnabled() and not page.disclose_button.isEnabled()
    assert page.decided_note.isVisible()
    assert page.reason_text.toPlainText() == "The post opened in August; the chief could not wait."


def test_the_records_layer_refuses_a_disclosure_on_a_decided_round(window):
    from sro_desk.errors import SroDeskError

    page = window.selection_page
    chosen = page.round
    assert chosen.decided
    with pytest.raises(SroDeskError, match="This round is decided"):
        selection.save_disclosure(
            page.data_file, chosen,
            selection.Disclosure(None, chosen.candidates[0].id, "coach of a grade 9 team", "", ""),
        )


# -- the decision form belongs to one round -------------------------------------------------


def _choose(page, round_id: int) -> None:
    """Pick a round in the chooser, as a person does."""
    page.chooser.setCurrentIndex(page.chooser.findData(round_id))
    page.chooser.activated.emit(page.chooser.currentIndex())
    assert page.round.id == round_id


def test_each_rounds_decision_typing_stays_with_that_round(window, qtbot):
    page = window.selection_page
    first = _new_round(page, qtbot)
    page.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    page.reason_text.setPlainText("Notes for the middle school round.")
    page.explanation.setPlainText("Explanation for the middle school round.")

    second = _new_round(page, qtbot)
    assert second.id != first.id
    assert page.reason_text.toPlainText() == "" and page.explanation.toPlainText() == ""
    assert all(page.reasons.item(i).checkState() == Qt.CheckState.Unchecked for i in range(page.reasons.count()))

    _choose(page, first.id)
    assert page.reason_text.toPlainText() == "Notes for the middle school round."
    assert page.explanation.toPlainText() == "Explanation for the middle school round."
    assert page.reasons.item(0).checkState() == Qt.CheckState.Checked

    # Recording the second round's decision saves the second round's form, nothing of the first.
    _choose(page, second.id)
    page.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    page.reason_text.setPlainText("Notes for the second round.")
    page.decide_button.click()
    assert selection.load_round(page.data_file, second.id).decision.reason_text == "Notes for the second round."
    assert not selection.load_round(page.data_file, first.id).decided
    _choose(page, first.id)
    assert page.reason_text.toPlainText() == "Notes for the middle school round."


def test_typing_on_a_round_of_one_file_never_shows_on_another_files_round(window, qtbot, settle, tmp_path):
    page = window.selection_page
    mine = _new_round(page, qtbot)
    page.reason_text.setPlainText("Typed in the first file.")
    other_path = tmp_path / "other.db"
    with DataFile.open(other_path, OpenOptions(create=True)) as other:
        create_demo(other, today=date.today())
        officer_ids = [o.id for o in officers.list_officers(other)][:2]
        same_id = selection.open_round(other, school_year="2027-2028", title="Another district's round",
                                       opened_on=date.today().isoformat(), school_id=None,
                                       officer_ids=officer_ids)
    assert same_id == mine.id  # the same number means another round in the other file

    window.set_data_file(DataFile.open(other_path))
    settle(window)
    window.show_page(window.pages.index(page))
    _choose(page, same_id)
    assert page.round.title == "Another district's round"
    assert page.reason_text.toPlainText() == ""


def test_the_selection_dialogs_shortcut_letters_are_distinct(window, qtbot):
    from sro_desk.ui.selection_dialogs import DisclosureDialog
    from tests.ui.test_models_accessibility import mnemonic_clashes

    page = window.selection_page
    for dialog in (RoundDialog(page.data_file, None, officers.list_officers(page.data_file), page),
                   InputDialog(page.data_file, page.round, None, page), DisclosureDialog(page.data_file, page.round, page)):
        qtbot.addWidget(dialog)
        dialog.show()
        assert mnemonic_clashes(dialog) == {}, dialog.windowTitle()
        dialog.close()
