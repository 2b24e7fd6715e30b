"""The Complaints page and a complaint about an officer: Record Passed to Department…
(shown for those complaints alone, once), the never-minor flag, the business days to pass
one on, and what the page says of the department's duty and the district's."""

from __future__ import annotations

from datetime import date, timedelta

from sro_desk.records import complaints
from sro_desk.ui.complaints_dialogs import PassedDialog
import tests.ui.test_complaints_page as complaints_tests
import tests.ui.test_enforcement_page as enforcement_tests
from tests.ui.test_complaints_page import file_complaint

#: Fixtures: a window on a file, its Complaints page, and dialogs answered (assigned, not
#: imported, so that a test's argument of the same name is not taken for a redefinition).
window, open_window = enforcement_tests.window, enforcement_tests.open_window
page, answer = complaints_tests.page, complaints_tests.answer


def _choose(page, complaint_id: int) -> None:
    page.refresh(page.data_file)
    page.table.selectRow(page.model.row_of(complaint_id))


def test_the_step_is_offered_for_a_complaint_about_an_officer_alone(page):
    about_sro = file_complaint(page.data_file, 1, category="bias")
    about_program = file_complaint(page.data_file, 1, subject="program")
    _choose(page, about_program)
    assert page.detail.pass_button.isHidden()
    assert "police department" not in page.detail.details.text()
    _choose(page, about_sro)
    button = page.detail.pass_button
    assert not button.isHidden() and button.isEnabled() and button.accessibleName() == "Record Passed to Department"
    details = page.detail.details.text()
    assert "Never minor under 555 CMR 1.01:</b> it alleges bias or discrimination" in details
    assert "Not yet recorded as passed to the police department: pass it on by" in details
    assert "within two days of receiving it (555 CMR 1.01(1))" in details


def test_recording_it_then_the_step_is_done(page, answer):
    complaint_id = file_complaint(page.data_file, 10, category="force")  # past its two business days
    _choose(page, complaint_id)
    assert "to the police department" in page.late[complaint_id]
    assert "Never minor under 555 CMR 1.01:</b> it alleges use of force" in page.detail.details.text()
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    def fill(dialog):
        dialog.on.setText(yesterday)
        dialog.passed_to.setText("Chief of Police")
        dialog._ok()

    seen = answer(PassedDialog, fill)
    page.detail.pass_button.click()
    assert seen and seen[0].result() == seen[0].DialogCode.Accepted
    stored = complaints.load_complaint(page.data_file, complaint_id)
    assert (stored.passed_on, stored.passed_to) == (yesterday, "Chief of Police")
    assert f"Passed to the police department on {yesterday} (Chief of Police)." in page.detail.details.text()
    assert not page.detail.pass_button.isEnabled()
    assert "to the police department" not in page.late.get(complaint_id, "")


def test_the_dialog_says_whose_duty_it_is_and_keeps_a_refusal(page, qtbot):
    complaint_id = file_complaint(page.data_file, 2, confidential=False, category="bias")
    complaint = complaints.load_complaint(page.data_file, complaint_id)
    dialog = PassedDialog(page.data_file, complaint, page)
    qtbot.addWidget(dialog)
    note = dialog.note.text()
    assert "Acting on it is the department's duty; the district's part is to pass it on promptly" in note
    assert "555 CMR 1.01(1); POST's guidance says two business days" in note
    assert "never minor under 555 CMR 1.01" in note
    dialog.on.setText((date.today() - timedelta(days=5)).isoformat())  # before it was received
    dialog._ok()
    assert "cannot come before the date it was received" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_the_business_days_are_a_setting_saved_with_the_targets(page):
    assert page.pass_on_days.value() == 2 and page.pass_on_days.accessibleName() == "Business days to pass on"
    page.pass_on_days.setValue(3)
    assert page.has_unsaved_changes()
    assert page.save() is True
    assert complaints.pass_on_days(page.data_file) == 3 and not page.has_unsaved_changes()
