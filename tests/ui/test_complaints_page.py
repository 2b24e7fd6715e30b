"""The Complaints page: the passphrase, confidential intake and reveal, the workflow, the
yearly notice, the deadlines, printing, read-only, names and keys."""

from __future__ import annotations

import sys
import threading
import types
from datetime import date, timedelta

import pytest

import tests.ui.test_enforcement_page as enforcement_tests
from sro_desk.records import complaints
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.store import DataFile
from sro_desk.ui import complaints_page as page_module
from sro_desk.ui.complaints_dialogs import (
    AcknowledgeDialog,
    CloseDialog,
    CommunicationDialog,
    FindingDialog,
    FormLanguageDialog,
    IdentityDialog,
    IntakeDialog,
    NoticeDialog,
    PassedDialog,
    PassphraseDialog,
    ReviewDialog,
    UnlockDialog,
    VoidDialog,
)
from sro_desk.ui.complaints_page import IDLE_MINUTES, LOG_MODULE, ComplaintsPage
from sro_desk.ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QEvent,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
)
from tests.reads import opening, reads
from tests.ui.test_enforcement_page import cell, rows
from tests.ui.test_models_accessibility import mnemonic_clashes, unnamed

#: Fixtures: a window on a file (assigned, not imported, so that a test's argument of the
#: same name is not taken for a redefinition).
window, open_window = enforcement_tests.window, enforcement_tests.open_window

PASSPHRASE = "lantern orchard velvet compass"
SECRET = "Evangelina Quixote-Marsh"


def day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def add_page(window) -> ComplaintsPage:
    """The window's Complaints page, wired here the way the window wires its pages
    until main_window.py carries it."""
    page = getattr(window, "complaints_page", None)
    if page is None:
        page = ComplaintsPage()
        window.complaints_page = page
        window.pages.append(page)
        window.sidebar.addItem(page.title)
        window.stack.addWidget(page)
        page.saved.connect(window._page_saved)
        window.refresh_pages()
    window.show_page(window.pages.index(page))
    return page


def file_complaint(data_file, days_ago: int = 10, identity: Identity | None = None, key=None, **changes) -> int:
    """A complaint saved straight through the records API."""
    fields = {"received_on": day(days_ago), "channel": "form", "subject": "sro", "category": "conduct",
              "description": "The officer raised his voice at my son in the hallway.", **changes}
    return complaints.save_complaint(data_file, Complaint(**fields), identity, key=key)


@pytest.fixture
def page(window):
    return add_page(window)


@pytest.fixture
def answer(monkeypatch):
    """Replace a dialog class's exec with ``fill(dialog)``; returns the dialogs seen."""

    def patch(dialog_class, fill):
        seen = []

        def run(dialog):  # the page deletes the dialog afterwards
            seen.append(dialog)
            fill(dialog)
            return dialog.result()

        monkeypatch.setattr(dialog_class, "exec", run)
        return seen

    return patch


def with_passphrase(page) -> None:
    complaints.set_passphrase(page.data_file, PASSPHRASE)
    page.refresh(page.data_file)


def unlock(page, answer) -> None:
    def fill(dialog):
        dialog.passphrase.setText(PASSPHRASE)
        dialog._ok()

    answer(UnlockDialog, fill)
    page.unlock_button.click()
    assert page.key is not None


def pick(combo: QComboBox, key) -> None:
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def fill_intake(dialog, *, confidential: bool) -> None:
    dialog.name.setText(SECRET)
    dialog.contact.setText("617-555-0100")
    dialog.received.setText(day(2))
    pick(dialog.channel, "phone")
    pick(dialog.category, "force")
    dialog.language.setCurrentIndex(dialog.language.findText("Spanish"))
    dialog.description.setPlainText("He pushed my son against the lockers.")
    dialog.confidential.setChecked(confidential)


def table_texts(page) -> str:
    """Everything the list shows or says: texts, tooltips, accessible texts."""
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
    return "\n".join(
        str(cell(page, r, c, role))
        for r in range(rows(page)) for c in range(page.table.model().columnCount()) for role in roles
    )


def step_buttons(page) -> list[bool]:
    return [b.isEnabled() for b in page.detail.step_buttons]


# -- the passphrase ------------------------------------------------------------------------


def test_setting_the_passphrase_warns_first_and_refuses_a_mismatch_or_a_short_one(page, answer):
    assert page.set_passphrase_button.isVisibleTo(page) and not page.unlock_button.isVisibleTo(page)
    assert "locked" in page.lock_text.text()

    def fill(dialog):
        assert "cannot be recovered" in dialog.warning.text()
        assert "not even SRO Desk's makers" in dialog.warning.text()
        assert dialog.form.itemAt(0).widget() is dialog.warning  # said before anything is typed
        for edit in (dialog.passphrase, dialog.again):
            assert edit.echoMode() == QLineEdit.EchoMode.Password
        dialog.passphrase.setText(PASSPHRASE)
        dialog.again.setText(PASSPHRASE + "s")
        dialog._ok()
        assert dialog.error.text() == "The two passphrases differ; type the same one in both boxes."
        assert dialog.result() == 0 and dialog.passphrase.text() == PASSPHRASE
        dialog.passphrase.setText("short")
        dialog.again.setText("short")
        dialog._ok()
        assert dialog.error.text().startswith("Choose a passphrase of at least 10 characters")
        assert not complaints.passphrase_is_set(page.data_file)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.again.setText(PASSPHRASE)
        dialog._ok()

    seen = answer(PassphraseDialog, fill)
    page.set_passphrase_button.click()
    assert seen and seen[0].result() == 1
    assert complaints.passphrase_is_set(page.data_file)
    assert page.key is not None and page.idle_timer.isActive()
    assert page.lock_button.isVisibleTo(page) and page.change_passphrase_button.isVisibleTo(page)
    assert not page.set_passphrase_button.isVisibleTo(page)
    assert complaints.unlock(page.data_file, PASSPHRASE) is not None


def test_changing_the_passphrase_keeps_identities_readable(page, answer):
    with_passphrase(page)
    unlock(page, answer)
    complaint_id = file_complaint(page.data_file, identity=Identity(SECRET), key=page.key, confidential=True)

    def fill(dialog):
        assert "cannot be recovered" in dialog.warning.text()
        dialog.passphrase.setText("a brand new passphrase")
        dialog.again.setText("a brand new passphrase")
        dialog._ok()

    answer(PassphraseDialog, fill)
    page.change_passphrase_button.click()
    fresh = complaints.unlock(page.data_file, "a brand new passphrase")
    assert complaints.reveal(page.data_file, complaints.load_complaint(page.data_file, complaint_id), fresh).name == SECRET


def test_a_wrong_passphrase_gives_one_sentence_and_the_dialog_stays(page, answer):
    with_passphrase(page)
    assert page.unlock_button.isVisibleTo(page) and not page.set_passphrase_button.isVisibleTo(page)
    assert page.lock_text.text() == "Confidential identities are locked."

    def fill(dialog):
        assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
        dialog.passphrase.setText("not the passphrase at all")
        dialog._ok()
        assert dialog.error.text() == "That is not the district's passphrase; try again."
        assert dialog.result() == 0 and dialog.error.isVisibleTo(dialog)
        dialog.passphrase.setText(PASSPHRASE)
        dialog._ok()

    answer(UnlockDialog, fill)
    page.unlock_button.click()
    assert page.key is not None
    assert "unlocked" in page.lock_text.text()
    page.lock_button.click()
    assert page.key is None and page.unlock_button.isVisibleTo(page)
    assert not page.idle_timer.isActive()


# -- confidential intake and reveal --------------------------------------------------------


def test_a_confidential_identity_while_locked_is_refused_and_the_typing_kept(page, answer):
    with_passphrase(page)

    def fill(dialog):
        fill_intake(dialog, confidential=False)
        assert dialog.name.isEnabled() and not dialog.locked_note.isVisibleTo(dialog)
        dialog.confidential.setChecked(True)
        assert not dialog.name.isEnabled() and not dialog.contact.isEnabled() and not dialog.details.isEnabled()
        assert dialog.locked_note.isVisibleTo(dialog)
        assert dialog.locked_note.text() == "Unlock with the district passphrase to record a confidential identity"
        dialog._ok()
        assert dialog.error.text().startswith("Unlock confidential identities with the district passphrase")
        assert dialog.result() == 0
        assert dialog.name.text() == SECRET and dialog.description.toPlainText().startswith("He pushed")

    seen = answer(IntakeDialog, fill)
    page.new_button.click()
    assert seen
    assert page.data_file.query("SELECT count(*) AS n FROM complaint")[0]["n"] == 0


def test_confidential_intake_unlocked_never_shows_the_name_in_the_list(page, answer):
    with_passphrase(page)
    unlock(page, answer)

    def fill(dialog):
        fill_intake(dialog, confidential=True)
        assert dialog.name.isEnabled() and not dialog.locked_note.isVisibleTo(dialog)
        dialog._ok()

    answer(IntakeDialog, fill)
    page.new_button.click()
    assert rows(page) == 1
    assert cell(page, 0, 6) == "Confidential"
    assert SECRET not in table_texts(page)
    stored = complaints.complaints_for(page.data_file, page.school_year())[0]
    assert stored.confidential and stored.has_sealed_identity and stored.preferred_language == "Spanish"
    assert page.selected().id == stored.id  # the new complaint is chosen
    assert SECRET not in page.detail.identity_text.text()
    assert page.detail.identity_text.text().startswith("Confidential complainant")


def test_a_plain_complaint_shows_its_complainant(page, answer):
    def fill(dialog):
        fill_intake(dialog, confidential=False)
        dialog.language.setCurrentText("Tagalog")  # a language not listed is typed in
        dialog._ok()

    answer(IntakeDialog, fill)
    page.new_button.click()
    assert complaints.complaints_for(page.data_file, page.school_year())[0].preferred_language == "Tagalog"
    assert "prefers Tagalog" in page.detail.details.text()
    assert cell(page, 0, 6) == SECRET
    assert SECRET in page.detail.identity_text.text()
    assert not page.detail.reveal_button.isVisibleTo(page)


def test_the_subject_follows_the_track(page, answer):
    def fill(dialog):
        keys = lambda: {dialog.subject.itemData(i) for i in range(dialog.subject.count())}
        assert keys() == complaints.TRACK_SUBJECTS["community"]
        pick(dialog.track, "sro_concern")
        assert keys() == complaints.TRACK_SUBJECTS["sro_concern"]
        assert dialog.role.currentData() == "officer"

    answer(IntakeDialog, fill)
    page.new_button.click()


def test_reveal_is_logged_and_shown_until_another_complaint_or_the_lock(page, answer):
    with_passphrase(page)
    key = complaints.unlock(page.data_file, PASSPHRASE)
    secret_id = file_complaint(page.data_file, 10, Identity(SECRET, "617-555-0100"), key, confidential=True)
    file_complaint(page.data_file, 5, Identity("Tom Baker"))
    page.refresh(page.data_file)
    page.table.selectRow(0)
    assert page.detail.reveal_button.isVisibleTo(page) and not page.detail.reveal_button.isEnabled()  # locked
    unlock(page, answer)
    assert page.detail.reveal_button.isEnabled()
    page.detail.reveal_button.click()
    reveals = page.data_file.query("SELECT * FROM audit_log WHERE action = 'reveal identity'")
    assert len(reveals) == 1 and reveals[0]["row_id"] == secret_id and SECRET not in reveals[0]["changes"]
    assert SECRET in page.detail.identity_text.text() and "617-555-0100" in page.detail.identity_text.text()
    assert page.detail.identity_text.textFormat() == Qt.TextFormat.PlainText
    assert not page.detail.reveal_button.isEnabled()
    assert SECRET not in table_texts(page)
    page.refresh(page.data_file)  # another person's save: still shown
    assert SECRET in page.detail.identity_text.text()
    page.table.selectRow(1)
    page.table.selectRow(0)
    assert SECRET not in page.detail.identity_text.text()
    page.detail.reveal_button.click()
    assert SECRET in page.detail.identity_text.text()
    page.lock_button.click()
    assert SECRET not in page.detail.identity_text.text() and not page.detail.reveal_button.isEnabled()


def test_idle_time_and_another_file_lock_identities(page, window, answer, qtbot, tmp_path, make_demo_file,
                                                    monkeypatch):
    with_passphrase(page)
    unlock(page, answer)
    assert page.idle_timer.interval() == IDLE_MINUTES * 60_000 and page.idle_timer.isActive()
    restarts = []
    timer = types.SimpleNamespace(isActive=lambda: True, start=lambda: restarts.append("start"))
    with monkeypatch.context() as patched:
        patched.setattr(page._watch, "timer", timer)
        qtbot.keyClick(page.table, Qt.Key.Key_Down)  # any key press anywhere counts as use
        assert restarts
        restarts.clear()
        qtbot.mouseClick(page.lock_text, Qt.MouseButton.LeftButton)
        assert restarts
    page.idle_timer.timeout.emit()
    assert page.key is None
    assert page.lock_text.text() == f"Confidential identities are locked after {IDLE_MINUTES} minutes without use."
    unlock(page, answer)
    assert window.open_path(make_demo_file(tmp_path / "other.db"))  # the window closes this file first
    assert page.key is None and page.set_passphrase_button.isVisibleTo(page)


def test_the_idle_watch_is_removed_with_the_page(qtbot, monkeypatch):
    removed = []
    real = page_module._stop_watching

    def stop(app, watch, *args):
        removed.append(watch)
        real(app, watch, *args)

    monkeypatch.setattr(page_module, "_stop_watching", stop)
    page = ComplaintsPage()
    watch = page._watch
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: removed == [watch], timeout=3000)
    other = QLineEdit()
    qtbot.addWidget(other)
    qtbot.keyClick(other, Qt.Key.Key_A)  # the app's events no longer reach the page's timer
    assert other.text() == "a"


# -- the workflow --------------------------------------------------------------------------


def test_the_workflow_moves_in_order_and_refuses_a_date_before_the_step_before(page, answer):
    file_complaint(page.data_file, 10, preferred_language="es")  # a code shows as its name
    page.refresh(page.data_file)
    page.table.selectRow(0)
    assert step_buttons(page) == [True, False, False, False, False] and page.detail.void_button.isEnabled()

    def acknowledge(dialog):
        dialog.on.setText(day(11))
        dialog._ok()
        assert dialog.error.text() == f"The acknowledgement cannot come before the date it was received ({day(10)})."
        assert dialog.result() == 0 and dialog.on.text() == day(11)
        dialog.on.setText(day(9))
        dialog._ok()

    def review(dialog):
        dialog.on.setText(day(8))
        dialog._ok()
        assert dialog.error.text() == "Record who reviews the complaint (a title is enough)."
        dialog.reviewer.setText("Assistant Superintendent")
        dialog.police.setChecked(True)
        dialog._ok()

    def finding(dialog):
        pick(dialog.finding, "not_substantiated")
        dialog.on.setText(day(6))
        dialog._ok()

    def communication(dialog):
        assert dialog.language.currentText() == "Spanish"  # the complainant's preferred language
        dialog.method.setCurrentText("Letter")
        dialog.on.setText(day(5))
        dialog._ok()

    def close(dialog):
        dialog.on.setText(day(4))
        dialog._ok()

    steps = [(AcknowledgeDialog, acknowledge), (ReviewDialog, review), (FindingDialog, finding),
             (CommunicationDialog, communication), (CloseDialog, close)]
    for index, (dialog_class, fill) in enumerate(steps):
        expected = [i == index for i in range(5)]
        assert step_buttons(page) == expected, dialog_class.__name__
        seen = answer(dialog_class, fill)
        page.detail.step_buttons[index].click()
        assert seen and seen[0].result() == 1, dialog_class.__name__
    assert step_buttons(page) == [False] * 5
    complaint = complaints.complaints_for(page.data_file, page.school_year())[0]
    assert complaint.status == "closed" and complaint.police_process
    assert complaint.communicated_language == "Spanish" and complaint.communicated_method == "Letter"
    assert cell(page, 0, 5) == "closed" and cell(page, 0, 7) == "6"
    assert "Review started by Assistant Superintendent" in page.detail.timeline.text()
    assert "Finding: Not substantiated" in page.detail.timeline.text()


def test_void_keeps_the_complaint_shown_as_voided(page, answer):
    file_complaint(page.data_file, 3)
    page.refresh(page.data_file)
    page.table.selectRow(0)

    def fill(dialog):
        assert "stays in the record" in dialog.warning.text()
        dialog.reason.setPlainText("Dup")
        dialog._ok()
        assert dialog.error.text() == "Explain in a sentence why this complaint is voided."
        assert dialog.reason.toPlainText() == "Dup"
        dialog.reason.setPlainText("Entered twice by mistake; complaint 2 is the real one.")
        dialog._ok()

    answer(VoidDialog, fill)
    page.detail.void_button.click()
    assert rows(page) == 1 and cell(page, 0, 5) == "voided"
    assert step_buttons(page) == [False] * 5 and not page.detail.void_button.isEnabled()
    assert "Entered twice by mistake" in page.detail.details.text()
    assert "1 voided" in page.summary.text()


def test_user_text_is_escaped_in_rich_labels(page):
    file_complaint(page.data_file, 3, description="<b>bold</b> & <img src='http://x/y.png'>")
    complaint = complaints.complaints_for(page.data_file, page.school_year())[0]
    complaints.acknowledge(page.data_file, complaint, day(2))
    complaint = complaints.load_complaint(page.data_file, complaint.id)
    complaints.start_review(page.data_file, complaint, day(1), "<i>Reviewer</i>")
    page.refresh(page.data_file)
    page.table.selectRow(0)
    assert page.detail.description.textFormat() == Qt.TextFormat.PlainText
    assert page.detail.description.text() == "<b>bold</b> & <img src='http://x/y.png'>"
    assert "&lt;i&gt;Reviewer&lt;/i&gt;" in page.detail.timeline.text()


# -- the notice and the deadlines ----------------------------------------------------------


def test_notices_and_targets_are_saved(page, answer):
    assert "✘" in page.notice_text.text()
    page.tabs.setCurrentIndex(1)
    for audience in ("students", "families", "staff"):
        def fill(dialog, audience=audience):
            pick(dialog.method, "handbook")
            pick(dialog.audience, audience)
            dialog.notes.setText("Page 14")
            dialog._ok()

        answer(NoticeDialog, fill)
        page.notice_button.click()
        if audience == "students":
            assert "Tell families and staff" in page.notice_text.text()
    assert "✔" in page.notice_text.text()
    assert complaints.notice_status(page.data_file, page.school_year())[0]

    assert not page.has_unsaved_changes()
    page.ack_days.setValue(40)
    page.resolve_days.setValue(20)
    assert page.has_unsaved_changes()
    page.targets_button.click()
    assert page.error.text() == "The acknowledgement target must not be longer than the resolution target."
    assert page.ack_days.value() == 40
    page.ack_days.setValue(3)
    page.refresh(page.data_file)  # another person's save keeps what is typed
    assert page.ack_days.value() == 3 and page.has_unsaved_changes()
    assert page.save() is True
    assert complaints.targets(page.data_file) == (3, 20) and not page.has_unsaved_changes()


def test_late_complaints_are_flagged(page):
    file_complaint(page.data_file, 8)
    page.refresh(page.data_file)
    assert cell(page, 0, 8) == "Late"
    assert "not been acknowledged" in cell(page, 0, 8, Qt.ItemDataRole.ToolTipRole)
    assert "1 past its target" in page.summary.text()


# -- printing -------------------------------------------------------------------------------


def test_the_blank_form_says_so_when_it_cannot_be_printed(page, monkeypatch):
    monkeypatch.setitem(sys.modules, "sro_desk.records.complaint_forms", None)
    page.form_button.click()
    assert page.error.isVisibleTo(page)
    assert page.error.text() == "This copy of SRO Desk cannot print the complaint form yet; update SRO Desk to print it."


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_blank_form_is_built_off_the_gui_thread(page, monkeypatch, tmp_path, answer, messages, qtbot):
    from sro_desk.documents import complaint_form
    from sro_desk.records.complaint_forms import LANGUAGES

    built = []
    real = complaint_form.build_complaint_form_pdf

    def build(form, path):
        built.append((form.text["language"], threading.current_thread() is threading.main_thread()))
        real(form, path)

    monkeypatch.setattr(complaint_form, "build_complaint_form_pdf", build)
    out = tmp_path / "form.pdf"
    monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))

    def fill(dialog):
        combo = dialog.language
        assert [combo.itemData(i) for i in range(combo.count())] == list(LANGUAGES)
        assert combo.itemText(combo.findData("es")) == "Spanish (Español)"
        pick(combo, "es")
        dialog._ok()

    answer(FormLanguageDialog, fill)
    page.form_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=20000)
    assert built == [("es", False)]
    assert any("form.pdf" in m for m in messages.informations)
    assert "Granite Valley" in pdf_text(out)


def test_the_log_button_shows_only_with_its_module(page, monkeypatch, qtbot):
    assert not page.log_button.isHidden()  # the module is there
    monkeypatch.setitem(sys.modules, LOG_MODULE, None)
    without = ComplaintsPage()
    qtbot.addWidget(without)
    assert without.log_button.isHidden()


def test_the_log_pdf_is_built_off_the_gui_thread_without_identities(page, monkeypatch, tmp_path, messages,
                                                                    qtbot):
    from sro_desk.documents import complaint_log

    key = complaints.set_passphrase(page.data_file, PASSPHRASE)
    file_complaint(page.data_file, 3, Identity(SECRET, "617-555-0100"), key, confidential=True)
    page.refresh(page.data_file)
    built = []
    real = complaint_log.build_complaint_log_pdf

    def build(log, path):
        built.append((log.school_year, threading.current_thread() is threading.main_thread()))
        real(log, path)

    monkeypatch.setattr(complaint_log, "build_complaint_log_pdf", build)
    out = tmp_path / "log.pdf"
    monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    page.log_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=20000)
    assert built == [(page.school_year(), False)]
    assert any("log.pdf" in m for m in messages.informations)
    text = pdf_text(out)
    assert page.school_year() in text and SECRET not in text


# -- read-only, names and keys --------------------------------------------------------------


def test_read_only_disables_every_edit_control(open_window, demo_path, answer):
    from sro_desk.store.lease import Lease

    with DataFile.open(demo_path) as data_file:
        key = complaints.set_passphrase(data_file, PASSPHRASE)
        file_complaint(data_file, 3, Identity(SECRET), key, confidential=True)
    holder = Lease(demo_path)
    holder.acquire()
    try:
        window = open_window(demo_path, edit=False)
        page = add_page(window)
        assert page.data_file.read_only
        page.table.selectRow(0)
        unlock(page, answer)  # unlocking writes nothing; revealing would, so it stays off
        shown = {b.accessibleName() for b in page.findChildren(QPushButton)
                 if b.isEnabled() and not b.isHidden() and b.window() is window}
        assert shown - {"Complaint Log PDF"} == {"Lock", "Blank Form"}
        assert not page.detail.reveal_button.isEnabled()
        assert not page.ack_days.isEnabled() and not page.resolve_days.isEnabled()
        assert page.year.isEnabled() and page.table.isEnabled()
        assert not page.has_unsaved_changes() and page.save_targets() is False
        page.lock_button.click()
        assert not page.set_passphrase_button.isEnabled() and not page.change_passphrase_button.isEnabled()
    finally:
        window.close()
        holder.release()


def _dialogs(page):
    complaint = page.selected()
    return [
        PassphraseDialog(page.data_file, None, page), UnlockDialog(page.data_file, page),
        IntakeDialog(page.data_file, page.schools, lambda: page.key, page, open_identities=page.open_identities),
        IdentityDialog(page.data_file, complaint, lambda: page.key, None, page),
        AcknowledgeDialog(page.data_file, complaint, page), ReviewDialog(page.data_file, complaint, page),
        FindingDialog(page.data_file, complaint, page), CommunicationDialog(page.data_file, complaint, page),
        CloseDialog(page.data_file, complaint, page), VoidDialog(page.data_file, complaint, page),
        NoticeDialog(page.data_file, page.school_year(), page), FormLanguageDialog([("en", "English")], page),
        PassedDialog(page.data_file, complaint, page),
    ]


def test_every_control_has_a_name(page, qtbot):
    file_complaint(page.data_file, 3, confidential=True, identity_withheld=True)
    page.refresh(page.data_file)
    page.table.selectRow(0)
    assert unnamed(page) == []
    assert page.table.accessibleName() == "Complaints of the year"  # a view: unnamed() looks at widgets
    for kind in (QCheckBox, QSpinBox, QPlainTextEdit):
        assert [w for w in page.findChildren(kind) if not w.accessibleName()] == []
    for dialog in _dialogs(page):
        qtbot.addWidget(dialog)
        standard = {f"QPushButton {b.text()!r}" for b in dialog.buttons.buttons()}  # named by their text
        assert [w for w in unnamed(dialog) if w not in standard] == [], dialog.windowTitle()
        for kind in (QCheckBox, QSpinBox, QPlainTextEdit):
            assert [w for w in dialog.findChildren(kind) if not w.accessibleName()] == [], dialog.windowTitle()


def test_shortcut_letters_are_distinct_in_every_state(page, window, answer, qtbot):
    window.show()
    file_complaint(page.data_file, 3, confidential=True, identity_withheld=True)
    page.refresh(page.data_file)
    page.table.selectRow(0)

    def check(state: str) -> None:
        for tab in range(page.tabs.count()):
            page.tabs.setCurrentIndex(tab)
            assert mnemonic_clashes(window) == {}, (state, tab)
        page.tabs.setCurrentIndex(0)

    check("no passphrase")
    with_passphrase(page)
    check("locked")
    unlock(page, answer)
    check("unlocked")
    for dialog in _dialogs(page):
        qtbot.addWidget(dialog)
        dialog.show()
        assert mnemonic_clashes(dialog) == {}, dialog.windowTitle()
        dialog.close()


def test_the_page_fits_the_window(page, window, qtbot):
    window.resize(1280, 820)
    window.show()
    qtbot.waitExposed(window)
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert page.minimumSizeHint().width() <= page.width(), tab
        assert page.minimumSizeHint().height() <= page.height(), tab


def test_resolution_letter_button_saves_a_letter(qtbot, monkeypatch, tmp_path, messages):
    from datetime import date as _date

    from sro_desk.records import complaints as cmp
    from sro_desk.records.demo import sample_district
    from sro_desk.records.district import save_district
    from sro_desk.store import DataFile, OpenOptions
    from sro_desk.ui import complaints_page as page_module
    from sro_desk.ui.complaints_page import ComplaintsPage

    data_file = DataFile.open(tmp_path / "d.db", OpenOptions(create=True))
    try:
        save_district(data_file, sample_district())
        today = _date.today()
        day = (today.replace(day=1)).isoformat()
        complaint_id = cmp.save_complaint(
            data_file, cmp.Complaint(received_on=day, channel="email", subject="sro", category="conduct",
                                     description="Raised voice.", preferred_language="Spanish"),
            cmp.Identity("Pat Doe"), today=today)
        for step in (lambda c: cmp.acknowledge(data_file, c, day, today=today),
                     lambda c: cmp.start_review(data_file, c, day, "Principal", today=today),
                     lambda c: cmp.record_finding(data_file, c, "unfounded", day, today=today)):
            step(cmp.load_complaint(data_file, complaint_id))
        page = ComplaintsPage()
        qtbot.addWidget(page)
        page.refresh(data_file)
        page.table.selectRow(0)
        assert page.letter_button.isEnabled()
        out = tmp_path / "letter.pdf"
        monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
        page.letter_button.click()
        qtbot.waitUntil(lambda: not page.tasks, timeout=20000)
        assert out.exists() and out.read_bytes().startswith(b"%PDF")
    finally:
        data_file.close()


def test_unticking_confidential_with_a_typed_identity_asks_first(qtbot, tmp_path, messages):
    from sro_desk.records import complaints as cmp
    from sro_desk.records.demo import sample_district
    from sro_desk.records.district import save_district
    from sro_desk.store import DataFile, OpenOptions
    from sro_desk.ui.complaints_dialogs import IntakeDialog
    from sro_desk.ui.qt import QMessageBox

    data_file = DataFile.open(tmp_path / "d.db", OpenOptions(create=True))
    try:
        save_district(data_file, sample_district())
        dialog = IntakeDialog(data_file, [], lambda: None)
        qtbot.addWidget(dialog)
        dialog.name.setText("Rosa Pierre")
        dialog.confidential.setChecked(True)
        assert not dialog.name.isEnabled()
        dialog.confidential.setChecked(False)
        dialog.description.setPlainText("Shouted at students.")
        messages.answer = QMessageBox.StandardButton.No
        dialog._ok()
        assert "Nothing was saved" in dialog.error.text()
        assert data_file.query("SELECT count(*) AS n FROM complaint")[0]["n"] == 0
        assert dialog.name.text() == "Rosa Pierre"
        assert any("without protection" in q for q in messages.questions)
        del cmp
    finally:
        data_file.close()


# -- reads -----------------------------------------------------------------------------


def test_the_page_opens_in_five_statements(qtbot, tmp_path):
    from sro_desk.records.demo import create_demo
    from sro_desk.store import OpenOptions

    path = tmp_path / "full-demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
    with DataFile.open(path) as data_file:
        late = complaints.overdue(data_file)
        page = ComplaintsPage()
        qtbot.addWidget(page)
        asked = reads(opening(qtbot, data_file, page))
        # The settings, the district, the years with the year's counts, notice and late
        # complaints together, then the list's ids and its first rows.
        assert len(asked) <= 5, asked
        assert not any("identity_sealed," in s or "identity_sealed]" in s for s in asked)
        # Late for a target, or for passing a complaint about an officer on (both, said together).
        expected = {c.id: sentence for c, sentence in late}
        for c, due, sentence in complaints.pass_on_owed(data_file):
            if due < date.today():
                expected[c.id] = " ".join(filter(None, (expected.get(c.id), sentence)))
        assert late and page.late == expected
        assert rows(page) > 0 and "open" in page.summary.text()
        header = page.table.horizontalHeader()
        assert all(header.sectionSize(column) <= 100 for column in range(header.count() - 1))
        page.hide()
