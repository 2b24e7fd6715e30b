"""Issue 19: a confidential complainant is never lost. The passphrase is set or unlocked
from inside the New Complaint dialog, a confidential complaint without an identity is
refused unless the complainant gave none, the identity can be added or corrected later
(sealed, logged without it), and the complaint's buttons stay put as its timeline grows."""

from __future__ import annotations

import json

import pytest

import tests.ui.test_complaints_page as page_tests
from sro_desk.records import complaints
from sro_desk.records.complaints import Identity
from sro_desk.ui.complaints_dialogs import (
    GAVE_NONE,
    NO_PASSPHRASE_YET,
    IdentityDialog,
    IntakeDialog,
    PassphraseDialog,
)
from sro_desk.ui.qt import QApplication, Qt
from tests.reliability.common import sentence_problem
from tests.ui.test_complaints_page import (
    PASSPHRASE,
    SECRET,
    day,
    file_complaint,
    fill_intake,
    table_texts,
    unlock,
    with_passphrase,
)
from tests.ui.test_models_accessibility import mnemonic_clashes

CONTACT = "617-555-0143"
#: Fixtures: the Complaints page on a window on a file, and dialogs answered by a function.
page, answer, window, open_window = page_tests.page, page_tests.answer, page_tests.window, page_tests.open_window


def count(page) -> int:
    return page.data_file.query("SELECT count(*) AS n FROM complaint")[0]["n"]


def audit_of(page, complaint_id: int) -> list[dict]:
    return page.data_file.query(
        "SELECT action, changes FROM audit_log WHERE table_name = 'complaint' AND row_id = ? ORDER BY id",
        (complaint_id,))


def set_passphrase_in(dialog) -> None:
    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE)
    dialog._ok()


def without_identity(dialog) -> None:
    """An intake typed in full but for the complainant, ticked confidential."""
    fill_intake(dialog, confidential=True)
    dialog.name.clear()
    dialog.contact.clear()


# -- setting the passphrase from the dialog ------------------------------------------------


def test_confidential_with_no_passphrase_yet_is_set_in_the_dialog_and_the_name_saved_sealed(page, answer, qtbot):
    assert not complaints.passphrase_is_set(page.data_file)
    set_in_dialog = answer(PassphraseDialog, set_passphrase_in)

    def fill(dialog):
        qtbot.addWidget(dialog)
        without_identity(dialog)
        assert not dialog.name.isEnabled() and not dialog.contact.isEnabled()
        assert dialog.locked_note.isVisibleTo(dialog) and dialog.locked_note.text() == NO_PASSPHRASE_YET
        assert dialog.open_button.isVisibleTo(dialog) and dialog.open_button.isEnabled()
        assert dialog.open_button.text() == "Set &Passphrase…"
        assert dialog.open_button.accessibleName() == "Set Passphrase"
        assert dialog.open_button.focusPolicy() & Qt.FocusPolicy.TabFocus
        dialog.show()
        assert mnemonic_clashes(dialog) == {}
        dialog.open_button.click()
        assert set_in_dialog and set_in_dialog[0].result() == 1
        # Unlocked in place: Name and Contact open, nothing typed is lost.
        assert dialog.name.isEnabled() and dialog.contact.isEnabled() and dialog.details.isEnabled()
        assert not dialog.open_button.isVisibleTo(dialog) and not dialog.locked_note.isVisibleTo(dialog)
        assert dialog.description.toPlainText() == "He pushed my son against the lockers."
        assert dialog.confidential.isChecked() and dialog.channel.currentData() == "phone"
        dialog.name.setText(SECRET)
        dialog.contact.setText(CONTACT)
        dialog._ok()

    seen = answer(IntakeDialog, fill)
    page.new_button.click()
    assert seen and seen[0].result() == 1
    assert complaints.passphrase_is_set(page.data_file)
    assert page.key is not None and page.lock_button.isVisibleTo(page)  # the page is unlocked too
    stored = complaints.complaints_for(page.data_file, page.school_year())[0]
    assert stored.confidential and stored.has_sealed_identity and stored.identity is None
    row = page.data_file.query("SELECT name, contact, identity_sealed FROM complaint")[0]
    assert row["name"] is None and row["contact"] is None and SECRET not in row["identity_sealed"]
    assert SECRET not in table_texts(page) and SECRET not in page.detail.identity_text.text()
    key = complaints.unlock(page.data_file, PASSPHRASE)
    assert complaints.reveal(page.data_file, stored, key) == Identity(SECRET, CONTACT)
    audit = " ".join(r["changes"] for r in page.data_file.query("SELECT changes FROM audit_log"))
    assert SECRET not in audit and CONTACT not in audit


def test_unlock_from_the_dialog_when_a_passphrase_is_set(page, answer):
    with_passphrase(page)

    def unlock_in(dialog):
        dialog.passphrase.setText(PASSPHRASE)
        dialog._ok()

    from sro_desk.ui.complaints_dialogs import UnlockDialog

    unlocked = answer(UnlockDialog, unlock_in)

    def fill(dialog):
        fill_intake(dialog, confidential=False)  # typed first, then ticked
        dialog.confidential.setChecked(True)
        assert dialog.open_button.text() == "&Unlock…" and dialog.open_button.accessibleName() == "Unlock"
        assert not dialog.name.isEnabled()
        dialog.open_button.click()
        assert unlocked and dialog.name.isEnabled() and dialog.name.text() == SECRET
        dialog._ok()

    answer(IntakeDialog, fill)
    page.new_button.click()
    stored = complaints.complaints_for(page.data_file, page.school_year())[0]
    assert stored.has_sealed_identity and page.key is not None


def test_locked_while_the_dialog_is_open_offers_unlock_again_and_keeps_the_name(page, answer):
    with_passphrase(page)
    unlock(page, answer)

    def fill(dialog):
        fill_intake(dialog, confidential=True)
        assert dialog.name.isEnabled()
        page.idle_timer.timeout.emit()  # fifteen idle minutes
        dialog._ok()
        assert dialog.error.text().startswith("Unlock confidential identities with the district passphrase")
        assert dialog.open_button.isVisibleTo(dialog) and dialog.name.text() == SECRET and count(page) == 0
        dialog.open_button.click()
        dialog._ok()

    seen = answer(IntakeDialog, fill)
    page.new_button.click()
    assert seen[0].result() == 1
    assert complaints.complaints_for(page.data_file, page.school_year())[0].has_sealed_identity


def test_cancelling_the_passphrase_keeps_the_dialog_locked_and_the_typing(page, answer):
    answer(PassphraseDialog, lambda dialog: dialog.reject())

    def fill(dialog):
        without_identity(dialog)
        dialog.open_button.click()
        assert not dialog.name.isEnabled() and dialog.open_button.isVisibleTo(dialog)
        assert dialog.description.toPlainText() == "He pushed my son against the lockers."

    answer(IntakeDialog, fill)
    page.new_button.click()
    assert page.key is None and not complaints.passphrase_is_set(page.data_file) and count(page) == 0


# -- no identity without saying so ---------------------------------------------------------


def test_ok_without_an_identity_is_refused_until_the_complainant_is_said_to_have_given_none(page, answer):
    def fill(dialog):
        without_identity(dialog)
        assert dialog.no_identity.isVisibleTo(dialog) and dialog.no_identity.accessibleName() == GAVE_NONE
        dialog._ok()
        said = dialog.error.text()
        assert said == ('Press Set Passphrase… and type the complainant\'s name or contact, or tick '
                        f'"{GAVE_NONE}"; nothing was saved.')
        assert sentence_problem(said) is None
        assert dialog.result() == 0 and dialog.error.isVisibleTo(dialog) and count(page) == 0
        assert dialog.description.toPlainText() == "He pushed my son against the lockers."
        dialog.no_identity.setChecked(True)
        dialog._ok()

    seen = answer(IntakeDialog, fill)
    page.new_button.click()
    assert seen[0].result() == 1 and count(page) == 1
    assert not complaints.passphrase_is_set(page.data_file)  # none was needed
    stored = complaints.complaints_for(page.data_file, page.school_year())[0]
    assert stored.confidential and stored.identity_withheld and not stored.has_sealed_identity
    said = audit_of(page, stored.id)  # kept on the complaint, audited with its intake
    assert [r["action"] for r in said] == ["insert"]
    assert json.loads(said[0]["changes"])["identity_withheld"] == [None, 1]
    assert "gave no name or contact" in page.detail.identity_text.text()  # visible later
    assert "Unlock" in page.detail.identity_text.text()


def test_unlocked_the_refusal_says_to_type_it(page, answer):
    with_passphrase(page)
    unlock(page, answer)

    def fill(dialog):
        without_identity(dialog)
        assert dialog.name.isEnabled() and not dialog.open_button.isVisibleTo(dialog)
        dialog._ok()
        assert dialog.error.text() == (f'Type the complainant\'s name or contact, or tick "{GAVE_NONE}"; '
                                       "nothing was saved.")
        dialog.no_identity.setChecked(True)
        dialog.contact.setText(CONTACT)
        dialog._ok()
        assert dialog.error.text() == f'Clear the name, contact and details, or untick "{GAVE_NONE}".'
        assert dialog.result() == 0 and dialog.contact.text() == CONTACT
        dialog.reject()

    answer(IntakeDialog, fill)
    page.new_button.click()
    assert count(page) == 0


def test_the_gave_none_box_shows_only_for_a_confidential_complaint(page, answer):
    def fill(dialog):
        assert not dialog.no_identity.isVisibleTo(dialog) and not dialog.open_button.isVisibleTo(dialog)
        dialog.confidential.setChecked(True)
        assert dialog.no_identity.isVisibleTo(dialog)
        dialog.confidential.setChecked(False)
        assert not dialog.no_identity.isVisibleTo(dialog)

    answer(IntakeDialog, fill)
    page.new_button.click()


# -- the identity added or corrected later -------------------------------------------------


def test_an_identity_is_added_later_read_after_unlock_and_never_in_the_audit(page, answer):
    complaint_id = file_complaint(page.data_file, 3, confidential=True, identity_withheld=True)
    with_passphrase(page)
    page.table.selectRow(0)
    button = page.detail.identity_button
    assert button.isVisibleTo(page) and not button.isEnabled()  # locked
    assert button.text() == "Add Iden&tity…" and button.accessibleName() == "Add Identity"
    unlock(page, answer)
    assert button.isEnabled() and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert page.detail.reveal_button.nextInFocusChain() is button  # reachable with Tab
    version = page.selected().version

    def add(dialog):
        assert dialog.windowTitle() == f"Add the Complainant's Identity: Complaint {complaint_id}"
        dialog._ok()
        assert dialog.error.text() == "Type the complainant's name or contact; nothing was saved."
        dialog.name.setText(SECRET)
        dialog.contact.setText(CONTACT)
        dialog._ok()

    seen = answer(IdentityDialog, add)
    button.click()
    assert seen and seen[0].result() == 1
    stored = complaints.load_complaint(page.data_file, complaint_id)
    assert stored.has_sealed_identity and stored.version == version + 1
    actions = [r["action"] for r in audit_of(page, complaint_id)]
    assert actions[-2:] == ["update", complaints.IDENTITY_ADDED]
    assert button.text() == "Correct Iden&tity…" and button.accessibleName() == "Correct Identity"
    assert SECRET not in page.detail.identity_text.text()  # shown only by a logged reveal

    page.lock_button.click()
    unlock(page, answer)
    page.detail.reveal_button.click()
    assert SECRET in page.detail.identity_text.text() and CONTACT in page.detail.identity_text.text()

    def correct(dialog):
        assert dialog.name.text() == SECRET and dialog.contact.text() == CONTACT  # as sealed
        dialog.contact.setText("617-555-0199")
        dialog._ok()

    answer(IdentityDialog, correct)
    button.click()
    assert [r["action"] for r in audit_of(page, complaint_id)][-1] == complaints.IDENTITY_CORRECTED
    key = complaints.unlock(page.data_file, PASSPHRASE)
    again = complaints.reveal(page.data_file, complaints.load_complaint(page.data_file, complaint_id), key)
    assert again == Identity(SECRET, "617-555-0199")
    audit = json.dumps(page.data_file.query("SELECT * FROM audit_log"))
    for clear in (SECRET, CONTACT, "617-555-0199"):
        assert clear not in audit
        assert clear.encode() not in page.data_file.path.read_bytes()


def test_correcting_reveals_first_and_a_stale_complaint_is_a_conflict(page, answer):
    with_passphrase(page)
    key = complaints.unlock(page.data_file, PASSPHRASE)
    complaint_id = file_complaint(page.data_file, 3, Identity(SECRET), key, confidential=True)
    page.refresh(page.data_file)
    page.table.selectRow(0)
    unlock(page, answer)
    stale = page.selected()
    complaints.acknowledge(page.data_file, stale, day(1))  # someone else's save since

    def correct(dialog):
        assert dialog.name.text() == SECRET
        dialog.name.setText("Another Name")
        dialog._ok()
        assert "since you opened it" in dialog.error.text() and dialog.name.text() == "Another Name"
        assert sentence_problem(dialog.error.text()) is None
        dialog.reject()

    answer(IdentityDialog, correct)
    page.detail.identity_button.click()
    reveals = [r for r in audit_of(page, complaint_id) if r["action"] == "reveal identity"]
    assert len(reveals) == 1  # filling the dialog in was a reveal, and logged
    assert complaints.reveal(page.data_file, complaints.load_complaint(page.data_file, complaint_id),
                             key).name == SECRET


def test_a_plain_or_voided_complaint_offers_no_identity_button(page, answer):
    with_passphrase(page)
    unlock(page, answer)
    file_complaint(page.data_file, 4, Identity("Tom Baker"))
    voided = file_complaint(page.data_file, 3, confidential=True, identity_withheld=True)
    complaints.void(page.data_file, complaints.load_complaint(page.data_file, voided), "Entered twice by mistake.")
    page.refresh(page.data_file)
    page.table.selectRow(0)
    assert not page.detail.identity_button.isVisibleTo(page)
    page.table.selectRow(1)
    assert page.detail.identity_button.isVisibleTo(page) and not page.detail.identity_button.isEnabled()


def test_shortcut_letters_stay_distinct_with_the_new_controls(page, window, answer, qtbot):
    window.show()
    file_complaint(page.data_file, 3, confidential=True, identity_withheld=True)
    with_passphrase(page)
    page.table.selectRow(0)
    unlock(page, answer)
    assert page.detail.identity_button.isVisible()
    assert mnemonic_clashes(window) == {}
    page.lock_button.click()
    assert mnemonic_clashes(window) == {}
    for key in (None, page.key):
        dialog = IntakeDialog(page.data_file, page.schools, lambda key=key: key, page)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.confidential.setChecked(True)
        assert dialog.no_identity.isVisible()
        assert mnemonic_clashes(dialog) == {}
        dialog.close()


# -- the buttons stay put ------------------------------------------------------------------


def _places(page) -> list[tuple]:
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    buttons = [*page.detail.step_buttons, page.detail.void_button, page.detail.reveal_button,
               page.detail.identity_button]
    return [(b.mapTo(page, b.rect().topLeft()), b.size()) for b in buttons]


@pytest.mark.parametrize("confidential", [False, True])
def test_the_step_buttons_keep_their_place_as_the_timeline_grows(page, window, qtbot, confidential):
    window.resize(1280, 820)
    window.show()
    qtbot.waitExposed(window)
    extra = {"confidential": True, "identity_withheld": True} if confidential else {"identity": Identity("Tom Baker")}
    complaint_id = file_complaint(page.data_file, 20, **extra)
    file_complaint(page.data_file, 19, description="What happened, at length. " * 120, **extra)
    page.refresh(page.data_file)
    page.table.selectRow(0)
    before = _places(page)
    reviewer = "The Assistant Superintendent for Student Services, with the district's counsel " * 2

    def fresh():
        return complaints.load_complaint(page.data_file, complaint_id)

    for step in (lambda: complaints.acknowledge(page.data_file, fresh(), day(18)),
                 lambda: complaints.start_review(page.data_file, fresh(), day(16), reviewer, police_process=True),
                 lambda: complaints.record_finding(page.data_file, fresh(), "not_substantiated", day(12)),
                 lambda: complaints.record_communication(page.data_file, fresh(), day(10), "Letter", "English"),
                 lambda: complaints.close(page.data_file, fresh(), day(9))):
        lines = page.detail.timeline.text().count("<br>")
        step()
        page.refresh(page.data_file)
        assert page.detail.timeline.text().count("<br>") == lines + 1  # the timeline grew
        assert _places(page) == before
    page.table.selectRow(1)  # a complaint with a long description
    assert "at length" in page.detail.description.text()
    assert _places(page) == before
