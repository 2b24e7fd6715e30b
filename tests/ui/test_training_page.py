"""The Training page: officers, the yearly status, logging and correcting entries."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.records.demo import create_demo
from sro_desk.records.calendar import previous_school_year, school_year_of
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.qt import QMessageBox, QPushButton, Qt
from sro_desk.ui.training_dialogs import CertificationDialog, EntryDialog, OfficerDialog, PostCertificationDialog
from tests.reads import opening, reads


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
    window.show_page(window.pages.index(window.training_page))
    return window


def _pick_year(page, year):
    page.year.setCurrentIndex(page.year.findText(year))
    page._show()


def test_officers_and_this_years_status(window):
    page = window.training_page
    names = [page.officer_list.item(i).text() for i in range(page.officer_list.count())]
    assert any("Marcus Bell (SRO" in n for n in names) and any("Priya Raman (SRO" in n for n in names)
    assert page.year.currentText() == school_year_of(date.today())
    assert "of 12 hours" in page.status.text()
    assert "agreement sets 12 hours" in page.status.text()


def test_last_year_bell_complete_raman_short(window):
    page = window.training_page
    _pick_year(page, previous_school_year(school_year_of(date.today())))
    page.officer_list.setCurrentRow(0)
    assert "Complete" in page.status.text() and "basic SRO course" in page.status.text()
    page.officer_list.setCurrentRow(1)
    assert "Not complete" in page.status.text() and "Diversion strategies" in page.status.text()
    assert page.table.rowCount() == 3


def test_the_status_heading_names_the_year_shown(window, qtbot):
    page = window.training_page
    this_year = school_year_of(date.today())
    assert page.status_box.title() == f"This year, {this_year.replace('-', '–')}"
    # A past year chosen from the list with the keyboard: the heading names it, not "This year".
    page.year.setFocus()
    while page.year.currentText() >= this_year:
        qtbot.keyClick(page.year, Qt.Key.Key_Down)
    shown = page.year.currentText()
    assert shown == previous_school_year(this_year)
    assert page.status_box.title() == shown.replace("-", "–")
    assert "This year" not in page.status_box.title()
    assert "The " + shown + " school year has ended." in page.status.text()
    page.officer_list.setCurrentRow(1)  # another officer: still the year shown
    assert page.status_box.title() == shown.replace("-", "–")
    qtbot.keyClick(page.year, Qt.Key.Key_Up)
    assert page.status_box.title().startswith("This year")


def test_logging_an_entry_and_a_refusal_that_keeps_the_typing(window, qtbot):
    page = window.training_page
    officer = page.officer()
    dialog = EntryDialog(page.data_file, officer, None, page)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Restorative circles")
    dialog.hours.setText("1.3")
    dialog._ok()
    assert dialog.error.isVisibleTo(dialog) and "quarter hours" in dialog.error.text()
    assert dialog.title_edit.text() == "Restorative circles"
    dialog.hours.setText("1.75")
    for row in range(dialog.topics.count()):
        item = dialog.topics.item(row)
        if item.data(0x0100) in ("diversion", "restorative_practices"):
            item.setCheckState(item.checkState().Checked)
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.refresh(page.data_file)
    titles = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert "Restorative circles" in titles
    entry = next(e for e in page.entries if e.title == "Restorative circles")
    assert entry.quarter_hours == 7 and set(entry.topics) == {"diversion", "restorative_practices"}


def test_removing_an_entry_asks_first(window, messages):
    page = window.training_page
    before = page.table.rowCount()
    page.table.selectRow(0)
    messages.answer = QMessageBox.StandardButton.No
    page.remove_entry_button.click()
    assert page.table.rowCount() == before
    messages.answer = QMessageBox.StandardButton.Yes
    page.remove_entry_button.click()
    assert page.table.rowCount() == before - 1
    assert any("Remove the entry" in q for q in messages.questions)


def test_adding_an_officer_and_a_certification(window, qtbot):
    page = window.training_page
    dialog = OfficerDialog(page.data_file, None, None, page)
    qtbot.addWidget(dialog)
    dialog._ok()
    assert "Enter the officer's name." in dialog.error.text()
    dialog.name.setText("Dana Ortiz")
    dialog.assigned.setChecked(True)
    dialog._ok()
    page.refresh(page.data_file)
    row = next(i for i, o in enumerate(page.officers) if o.name == "Dana Ortiz")
    page.officer_list.setCurrentRow(row)
    assert "No certification recorded. An assigned SRO must hold it." in page.certification_text.text()
    window.dashboard.refresh(page.data_file, window.presence)
    owed = window.dashboard.owed
    alert = [row for row in range(owed.rowCount())
             if "Dana Ortiz is assigned as SRO with no SRO certification" in owed.item(row, 0).text()]
    assert alert and owed.item(alert[0], 2).text() == "Training page"
    certify = CertificationDialog(page.data_file, page.officer(), None, page)
    qtbot.addWidget(certify)
    certify.granted.setText("2026-06-30")
    assert certify.expires.text() == "2029-06-30"  # offered: three years on (555 CMR 10.09(4))
    certify.expires.setText("2026-01-01")
    certify._ok()
    assert "after the effective date" in certify.error.text()
    certify.expires.setText("2029-06-30")
    certify._ok()
    page._show()
    assert page.certification_list.item(0).text() == "Current until 2029-06-30. Effective 2026-06-30"
    assert "own POST certification: not recorded" in page.certification_text.text()


def test_read_only_disables_logging(make_window, settle, demo_db):
    from sro_desk.store.lease import Lease

    holder = Lease(demo_db)
    holder.acquire()
    try:
        window = make_window()
        window.set_data_file(DataFile.open(demo_db, OpenOptions(edit=False)))
        settle(window)
        page = window.training_page
        window.show_page_of(page)
        enabled = {b.accessibleName() for b in page.findChildren(QPushButton) if b.isEnabled()}
        assert enabled == {"Save Training Record as PDF"}
    finally:
        window.close()
        holder.release()


def test_the_school_year_start_month_is_a_district_setting(window):
    page = window.district_page
    window.show_page_of(page)
    assert page.year_start.currentText() == "July"
    page.year_start.setCurrentIndex(8)  # September
    assert page.save_button.isEnabled()
    assert page.save() is True
    from sro_desk.records.settings import school_year_start_month

    assert school_year_start_month(page.data_file) == 9


def test_training_page_shortcut_letters_are_distinct(window):
    from tests.ui.test_models_accessibility import mnemonic_clashes

    window.show()
    assert mnemonic_clashes(window) == {}


def test_import_log_opens_the_mapping_dialog_and_refreshes(window, monkeypatch, tmp_path, messages, qtbot):
    from sro_desk.ui import training_page as page_module
    from sro_desk.ui.training_import_dialog import TrainingImportDialog

    sheet = tmp_path / "log.csv"
    sheet.write_text(
        "Officer,Date,Course,Hours,Topics\n"
        "Marcus Bell,2026-09-03,Mental health first aid,2.25,Mental health and trauma-informed care\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(page_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(sheet), "")))
    seen = []

    def run(dialog):
        seen.append(dialog)
        qtbot.waitUntil(lambda: not dialog.tasks, timeout=10000)  # the file is read off the GUI thread
        dialog.imported = 1
        return 1

    monkeypatch.setattr(TrainingImportDialog, "exec", run)
    window.training_page.import_button.click()
    assert seen and seen[0].windowTitle()
    assert "Imported 1 training entries." in messages.informations


def test_the_page_opens_with_few_statements(qtbot, demo_db):
    from sro_desk.ui.training_page import TrainingPage

    with DataFile.open(demo_db) as data_file:
        page = TrainingPage()
        qtbot.addWidget(page)
        statements = opening(qtbot, data_file, page)
        assert len(reads(statements)) <= 5  # 2 today: the page's lists, then the officer's year
        assert "of 12 hours" in page.status.text() and page.table.rowCount() > 0
        statements.clear()
        page.officer_list.setCurrentRow(1)  # another officer: one snapshot, read together
        assert len(reads(statements)) == 1
        assert page.officer().id == page.officers[1].id
        page.hide()
        data_file.conn.set_trace_callback(None)


# -- issue 19: a new officer's department ------------------------------------------------


def _one_department(data_file) -> None:
    from sro_desk.records.district import District, PoliceDepartment, School, save_district

    save_district(data_file, District(
        "Maple Brook Public Schools", superintendent_name="Ana Ruiz",
        schools=[School("Maple Brook High School")],
        departments=[PoliceDepartment("Maple Brook Police Department", chief_name="Robert Kane")],
    ))


def _officer_dialog_from_the_page(page, monkeypatch, officer=None) -> OfficerDialog:
    """The dialog the page's own button opens, held open instead of run modally."""
    opened: list[OfficerDialog] = []
    monkeypatch.setattr(OfficerDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    if officer is None:
        page.add_officer_button.click()
    else:
        page.edit_officer(officer)
    assert len(opened) == 1
    return opened[0]


def test_a_new_officer_of_the_only_department_defaults_to_it(make_window, settle, new_file, monkeypatch):
    from sro_desk.records.district import load_district
    from sro_desk.records.officers import list_officers

    _one_department(new_file)
    only = load_district(new_file).departments[0]
    window = make_window()
    window.set_data_file(new_file)
    settle(window)
    page = window.training_page
    window.show_page_of(page)

    dialog = _officer_dialog_from_the_page(page, monkeypatch)
    assert dialog.department.currentText() == "Maple Brook Police Department"
    dialog.name.setText("Dana Ortiz")
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [(o.name, o.department_id) for o in list_officers(new_file)] == [("Dana Ortiz", only.id)]


def test_with_two_departments_a_new_officers_department_is_chosen_by_hand(window, monkeypatch):
    page = window.training_page
    dialog = _officer_dialog_from_the_page(page, monkeypatch)
    assert dialog.department.currentText() == "(not set)"
    assert dialog.department.count() == 3


def test_an_officer_saved_without_a_department_keeps_none(make_window, settle, new_file, monkeypatch):
    """Editing an officer never changes their department unasked."""
    from sro_desk.records.officers import Officer, list_officers, save_officer

    _one_department(new_file)
    save_officer(new_file, Officer("Sam Lee"))
    window = make_window()
    window.set_data_file(new_file)
    settle(window)
    page = window.training_page
    window.show_page_of(page)
    dialog = _officer_dialog_from_the_page(page, monkeypatch, list_officers(new_file)[0])
    assert dialog.department.currentText() == "(not set)"


def test_the_training_dialogs_shortcut_letters_are_distinct(window, qtbot):
    from tests.ui.test_models_accessibility import mnemonic_clashes

    page = window.training_page
    officer = page.officer()
    for dialog in (OfficerDialog(page.data_file, None, None, page), EntryDialog(page.data_file, officer, None, page),
                   CertificationDialog(page.data_file, officer, None, page),
                   PostCertificationDialog(page.data_file, officer, page)):
        qtbot.addWidget(dialog)
        dialog.show()
        assert mnemonic_clashes(dialog) == {}, dialog.windowTitle()
        dialog.close()


# -- issue 20: the SRO certification since 2020 -------------------------------------------


def test_a_certification_edited_to_conditional_then_the_officers_own_revoked(window, qtbot, monkeypatch):
    page = window.training_page
    page.officer_list.setCurrentRow(0)
    officer = page.officer()
    assert page.certification_list.count() >= 1 and page.edit_certification_button.isEnabled()
    opened: list[CertificationDialog] = []
    monkeypatch.setattr(CertificationDialog, "exec", lambda dialog: opened.append(dialog) or dialog.result())

    def edit(fill) -> None:
        opened.clear()
        page.edit_certification_button.click()
        (dialog,) = opened
        qtbot.addWidget(dialog)
        fill(dialog)

    def conditional(dialog):
        assert not dialog.conditions.isEnabled() and not dialog.conditions_due.isEnabled()
        dialog.status.setCurrentIndex(dialog.status.findData("conditional"))
        assert dialog.conditions.isEnabled() and dialog.conditions_due.isEnabled()
        dialog._ok()
        assert dialog.error.text() == "Say which training the conditional certification requires."
        dialog.conditions.setText("SRO in-service course")
        dialog.conditions_due.setText("2099-01-31")
        dialog._ok()
        assert dialog.result() == dialog.DialogCode.Accepted

    edit(conditional)
    page._after_change()
    assert "Conditional: SRO in-service course to finish by 2099-01-31." in page.certification_list.item(0).text()

    post: list[PostCertificationDialog] = []
    monkeypatch.setattr(PostCertificationDialog, "exec", lambda dialog: post.append(dialog) or dialog.result())
    page.post_button.click()
    (dialog,) = post
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("revoked"))
    dialog.expires.setText("2099-03-31")
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    page._after_change()
    assert page.officer().id == officer.id
    assert page.certification_list.item(0).text().startswith(
        "Revoked with the officer's own POST certification (555 CMR 10.09(10)).")
    assert "own POST certification: revoked, expires 2099-03-31" in page.certification_text.text()
    window.dashboard.refresh(page.data_file, window.presence)
    owed = window.dashboard.owed
    said = [owed.item(row, 0).text() for row in range(owed.rowCount())]
    assert any(f"{officer.name}'s SRO certification is revoked with" in text for text in said)


def test_the_topics_say_whose_they_are(window, qtbot):
    page = window.training_page
    dialog = EntryDialog(page.data_file, page.officer(), None, page)
    qtbot.addWidget(dialog)
    items = {dialog.topics.item(i).data(0x0100): dialog.topics.item(i) for i in range(dialog.topics.count())}
    assert items["diversion"].text() == "Diversion strategies  (required yearly by the agreement; § 116H)"
    assert items["hate_crimes"].text() == "Hate-crime identification and prevention  (§ 116H)"
    assert "behavioural addictions" in items["child_development"].toolTip()
    assert "sets no frequency" in dialog.topics_note.text()
    assert "statute" not in page.status.text().lower()
