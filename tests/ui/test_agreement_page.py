"""The Agreement page: drafting with a live preview, typed blanks, the checklist, signing."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.records.demo import create_demo
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui import agreement_page as page_module
from sro_desk.ui.agreement_panels import SigningDialog
from sro_desk.ui.qt import QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, Qt
from tests.reads import opening, reads


@pytest.fixture
def demo_agreements(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    return db_path


@pytest.fixture
def page(make_window, settle, demo_agreements):
    window = make_window()
    window.set_data_file(DataFile.open(demo_agreements))
    settle(window)
    window.show_page(window.pages.index(window.agreement_page))
    return window.agreement_page


def _select(page, key):
    clause = next(c for c in page.agreement.clauses if c.key == key)
    page._select_clause(clause.id)
    assert page.clause.id == clause.id
    return clause


def test_this_years_draft_is_shown_with_its_checklist_and_preview(page):
    assert page.agreement.status == "draft"
    assert page.chooser.count() == 2
    assert "Draft" in page.status.text()
    assert "15 of 15 required components covered" in page.checklist.summary.text()
    html = page.preview.toPlainText()
    assert "DRAFT" in html and "Granite Valley Regional School District" in html
    assert "[[" not in html
    headers = [page.clauses.item(r).text() for r in range(page.clauses.count())]
    assert "MEMORANDUM OF UNDERSTANDING" in headers and "OPERATING PROCEDURES" in headers


def test_editing_a_clause_updates_the_preview_and_saves(page, qtbot):
    clause = _select(page, "mou.duty_hours")
    page.clause_text.setPlainText(clause.text + "\n\nAlso on the evening of graduation.")
    assert page.save_clause_button.isEnabled()
    qtbot.waitUntil(lambda: "evening of graduation" in page.preview.toPlainText(), timeout=3000)
    page.save_clause_button.click()
    assert not page.has_unsaved_changes()
    saved = next(c for c in page.agreement.clauses if c.id == clause.id)
    assert saved.changed and "evening of graduation" in saved.text
    assert page.revert_clause_button.isEnabled()
    item = next(
        page.clauses.item(r) for r in range(page.clauses.count())
        if page.clauses.item(r).data(Qt.ItemDataRole.UserRole) == clause.id
    )
    assert "(changed)" in item.text()


def test_an_empty_clause_is_refused_and_the_typing_is_kept(page):
    _select(page, "mou.mission")
    page.clause_title.setText("My own heading")
    page.clause_text.setPlainText("   ")
    assert page.save_clause() is False
    assert page.clause_error.isVisibleTo(page)
    assert "cannot be empty" in page.clause_error.text()
    assert page.clause_title.text() == "My own heading"


def test_leaving_a_clause_out_flags_it_and_ready_asks_why(page, monkeypatch):
    clause = _select(page, "op.uniform")
    page.included.setChecked(False)
    assert not next(c for c in page.agreement.clauses if c.id == clause.id).included
    assert "14 of 15" in page.checklist.summary.text()
    asked = []

    def reason(*args, **kwargs):
        asked.append(args[2])
        return ("Uniform rules are in the department's manual.", True)

    monkeypatch.setattr(page_module.QInputDialog, "getMultiLineText", staticmethod(reason))
    page.ready_button.click()
    assert asked and "missing" in asked[0]
    assert page.agreement.status == "ready"
    assert "Marked ready anyway because: Uniform rules" in page.checklist.summary.text()
    assert not page.clause_text.isEnabled() or page.clause_text.isReadOnly()


def test_a_split_that_does_not_total_100_is_refused(page):
    page.tabs.setCurrentWidget(page.blanks)
    field = next(f for f in page.blanks.fields if f.blank.key == "salary_split")
    field.district.setValue(60)
    field.department.setValue(30)
    assert "must be 100" in field.total.text()
    assert page.save_blanks() is False
    assert "add up to 100%" in page.blanks.error.text()
    assert field.district.value() == 60  # what was typed is kept
    field.department.setValue(40)
    assert page.save_blanks() is True
    assert page.agreement.blank("salary_split").value == {"district": 60, "department": 40}


def test_recording_the_signing(page, monkeypatch, messages):
    def sign(dialog):
        for edit in dialog.dates.values():
            edit.setText("2026-08-20")
        return 1

    monkeypatch.setattr(SigningDialog, "exec", sign)
    messages.answer = QMessageBox.StandardButton.Yes
    page.sign_button.click()
    assert any("frozen" in question for question in messages.questions)
    assert page.agreement.status == "signed"
    assert page.file_button.isVisibleTo(page) and page.redraft_button.isVisibleTo(page)
    assert page.clause_text.isReadOnly()
    assert "DRAFT" not in page.preview.toPlainText()


def test_signing_asks_first_and_cancel_records_nothing(page, monkeypatch, messages):
    """Signing freezes the agreement for good: it is never recorded without a yes."""
    monkeypatch.setattr(SigningDialog, "exec", lambda dialog: 1)
    messages.answer = QMessageBox.StandardButton.Cancel
    version = page.agreement.version
    page.sign_button.click()
    assert messages.questions and "Record this agreement as signed?" in messages.questions[-1]
    assert page.agreement.status == "draft" and page.agreement.version == version
    assert page.data_file.query("SELECT status FROM agreement WHERE id = ?", (page.agreement.id,))[0]["status"] == "draft"


def _shown_at(qtbot, settle, page, width, height):
    window = page.window()
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    return window


def test_long_clause_headings_and_checklist_rows_wrap_at_1280_by_800(page, settle, qtbot):
    """At the commonest laptop size nothing of a heading is hidden past the edge."""
    window = _shown_at(qtbot, settle, page, 1280, 800)
    for view in (page.clauses, page.checklist.list):
        assert view.wordWrap()
        assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    page.tabs.setCurrentWidget(page.checklist)
    settle(window)
    qtbot.wait(100)
    for view in (page.clauses, page.checklist.list):
        for row in range(view.count()):
            rect = view.visualItemRect(view.item(row))
            assert rect.right() <= view.viewport().width(), view.item(row).text()


def test_the_blanks_tab_has_no_crowded_labels_at_1280_by_800(page, settle, qtbot):
    """Labels sat on top of their fields ("Distri 5( Depa 5(") until a divider was dragged."""
    window = _shown_at(qtbot, settle, page, 1280, 800)
    page.tabs.setCurrentWidget(page.blanks)
    settle(window)
    qtbot.wait(100)  # the fields are made as the tab is first shown, and laid out after
    assert page.blanks.fields
    for field in page.blanks.fields:
        label = page.blanks.form.labelForField(field)
        top_left = label.mapTo(page, label.rect().topLeft())
        field_top = field.mapTo(page, field.rect().topLeft()).y()
        assert top_left.y() + label.height() <= field_top, label.text()  # the label above its field
        boxes = [field.district, field.department] if field.blank.type == "split" else []
        for box in boxes:
            assert box.width() >= box.sizeHint().width(), field.blank.key


def test_save_as_pdf_runs_off_the_gui_thread(page, qtbot, monkeypatch, tmp_path, messages):
    out = tmp_path / "agreement.pdf"
    monkeypatch.setattr(
        page_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    page.pdf_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=20000)
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert any("Saved" in text for text in messages.informations)


def test_read_only_disables_every_edit_control(make_window, settle, demo_agreements, messages):
    from sro_desk.store.lease import Lease

    holder = Lease(demo_agreements)
    holder.acquire()
    try:
        window = make_window()
        window.set_data_file(DataFile.open(demo_agreements, OpenOptions(edit=False)))
        settle(window)
        page = window.agreement_page
        for widget in page.findChildren(QLineEdit) + page.findChildren(QPlainTextEdit):
            assert not widget.isEnabled() or widget.isReadOnly(), widget.accessibleName()
        enabled = {b.accessibleName() for b in page.findChildren(QPushButton) if b.isEnabled()}
        assert enabled <= {
            "Compare with another agreement",
            "Save the agreement as PDF",
            "Save the yearly DESE filing as PDF",
            "Show changes from the library text",
        }
    finally:
        window.close()
        holder.release()


def test_new_agreement_from_the_library(page, monkeypatch):
    from sro_desk.ui.agreement_panels import NewAgreementDialog

    def fill(dialog):
        dialog.year.setText("2030-2031")
        dialog.start.setCurrentIndex(0)
        return 1

    monkeypatch.setattr(NewAgreementDialog, "exec", fill)
    page.new_button.click()
    assert page.agreement.school_year == "2030-2031"
    assert page.agreement.source == "library"
    assert page.chooser.count() == 3


def test_every_control_has_an_accessible_name(page):
    for widget in page.findChildren(QLineEdit) + page.findChildren(QPushButton):
        assert widget.accessibleName() or widget.text(), widget


def test_agreement_page_shortcut_letters_are_distinct(page):
    from tests.ui.test_models_accessibility import mnemonic_clashes

    window = page.window()
    window.show()
    assert mnemonic_clashes(window) == {}
    page.tabs.setCurrentWidget(page.blanks)
    assert mnemonic_clashes(window) == {}


def test_typed_costs_survive_a_reload_and_count_as_unsaved(page):
    page.costs.amounts["training"].setText("4,321.00")
    page.costs.amounts["training"].textEdited.emit("4,321.00")
    assert page.has_unsaved_changes()
    clause = next(c for c in page.agreement.clauses if c.key == "mou.mission")
    page._run_edit(lambda: __import__("sro_desk.records.agreements", fromlist=["x"]).edit_clause(
        page.data_file, page.agreement, clause.id, included=False))
    assert page.costs.amounts["training"].text() == "4,321.00"
    assert page.save() is True
    assert not page.has_unsaved_changes()
    assert any(c.amount_cents == 432100 for c in page.agreement.costs)


def test_a_signed_agreements_clauses_cannot_be_ticked(page):
    from sro_desk.records import agreements

    agreements.record_signing(page.data_file, page.agreement, {s.id: "2026-08-20" for s in page.agreement.signatures})
    page.refresh(page.data_file)
    items = [page.clauses.item(r) for r in range(page.clauses.count())]
    clause_items = [i for i in items if i.data(Qt.ItemDataRole.UserRole) is not None]
    assert clause_items and not any(i.flags() & Qt.ItemFlag.ItemIsUserCheckable for i in clause_items)


def test_the_page_opens_with_few_statements(qtbot, demo_agreements):
    from sro_desk.ui.agreement_page import AgreementPage

    with DataFile.open(demo_agreements) as data_file:
        page = AgreementPage()
        qtbot.addWidget(page)
        statements = opening(qtbot, data_file, page)
        # 3 today: settings and the list, the agreement, the district (for the preview)
        assert len(reads(statements)) <= 5
        assert page.agreement.status == "draft" and page.clauses.count() > 0
        statements.clear()
        other = page.chooser.itemData(1)
        page.chooser.setCurrentIndex(1)
        page._choose(other)  # another agreement: one snapshot, read together
        assert page.agreement.id == other
        assert len(reads(statements)) <= 2
        page.hide()
        data_file.conn.set_trace_callback(None)


def test_an_edit_never_lands_in_a_clause_other_than_the_one_on_screen(page, qtbot):
    """Edit a clause, click another: the edit saved, the list showed the new clause, the
    editor still the old one, and the next Save wrote into the old clause."""
    first = _select(page, "mou.duty_hours")
    page.clause_text.setPlainText(first.text + "\n\nFirst edit.")
    second = next(c for c in page.agreement.clauses if c.key != first.key and c.part == first.part)
    row = next(r for r in range(page.clauses.count())
               if page.clauses.item(r).data(Qt.ItemDataRole.UserRole) == second.id)
    rect = page.clauses.visualItemRect(page.clauses.item(row))
    qtbot.mouseClick(page.clauses.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.clauses.currentItem().data(Qt.ItemDataRole.UserRole) == second.id
    assert page.clause.id == second.id
    assert page.clause_title.text() == second.title and page.clause_text.toPlainText() == second.text
    page.clause_text.setPlainText(second.text + "\n\nSecond edit.")
    page.save_clause_button.click()
    stored = {c.id: c for c in page.agreement.clauses}
    assert stored[first.id].text.endswith("First edit.") and "Second edit." not in stored[first.id].text
    assert stored[second.id].text.endswith("Second edit.")


def test_the_costs_tab_shows_each_amount_and_note_whole_at_125_percent(page, settle, qtbot):
    """1366x768 at 125% leaves 1093x614: the notes were squeezed to "N…"."""
    _shown_at(qtbot, settle, page, 1093, 614)
    page.tabs.setCurrentWidget(page.costs)
    qtbot.wait(100)
    for key, note in page.costs.notes.items():
        amount = page.costs.amounts[key]
        for edit in (amount, note):
            assert edit.width() >= edit.minimumSizeHint().width()
        assert note.width() >= note.fontMetrics().horizontalAdvance("Note (optional)")


def _draft_from_the_first_edition(page):
    from sro_desk.records import agreements

    new_id = agreements.new_from_library(page.data_file, school_year="2031-2032", edition="2026.1")
    page._fill_chooser(new_id)
    assert page.agreement.id == new_id and page.agreement.library_version == "2026.1"
    return page.agreement


def test_a_draft_behind_the_library_takes_one_clause_from_the_updates_dialog(page, monkeypatch):
    from sro_desk.records.clause_library import load_library
    from sro_desk.ui.agreement_panels import LibraryUpdatesDialog

    assert page.updates_button.isHidden()  # the demo's draft is from the current edition
    draft = _draft_from_the_first_edition(page)
    assert not page.updates_button.isHidden() and page.updates_button.isEnabled()
    count = len(page.pending_updates)
    assert f"{count} update(s) in clause library {load_library().version}" in page.status.text()
    before = {c.key: (c.text, c.version) for c in draft.clauses}
    seen = {}

    def review(dialog):
        keys = [u.key for u in dialog.updates]
        dialog.list.setCurrentRow(keys.index("op.enforcement_limits"))
        seen["old"] = dialog.current.toPlainText()
        seen["new"] = dialog.library.toPlainText()
        seen["what"] = dialog.what.text()
        dialog.take_button.click()
        seen["left"] = [u.key for u in dialog.updates]
        seen["next"] = dialog.updates[dialog.list.currentRow()].key
        return 0

    monkeypatch.setattr(LibraryUpdatesDialog, "exec", review)
    page.updates_button.click()
    assert "takes no enforcement action inside a school" in seen["old"]
    assert "school-related event" in seen["new"] and "delinquent" in seen["new"]
    assert "text changed" in seen["what"]
    assert "op.enforcement_limits" not in seen["left"] and len(seen["left"]) == count - 1
    assert seen["next"] == "op.enforcement_limits.local"  # the list moves on to the next one
    after = {c.key: (c.text, c.version) for c in page.agreement.clauses}
    changed = {key for key in before if after[key] != before[key]}
    assert changed == {"op.enforcement_limits"}
    assert after["op.enforcement_limits"][1] == before["op.enforcement_limits"][1] + 1
    assert len(page.pending_updates) == count - 1
    audit = page.data_file.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE table_name = 'agreement_clause' AND action = 'update' "
        "AND row_id = ?",
        (next(c.id for c in page.agreement.clauses if c.key == "op.enforcement_limits"),),
    )
    assert audit[0]["n"] == 1


def test_take_all_asks_before_replacing_the_districts_own_edits(page, monkeypatch, messages):
    from sro_desk.ui.agreement_panels import LibraryUpdatesDialog
    from sro_desk.ui.qt import QMessageBox

    _draft_from_the_first_edition(page)
    clause = _select(page, "mou.selection.process")
    page.clause_text.setPlainText(clause.text + "\n\nOur own sentence.")
    page.save_clause_button.click()
    outcome = {}

    def take_all(dialog):
        messages.answer = QMessageBox.StandardButton.Cancel
        dialog.take_all_button.click()
        outcome["after_cancel"] = len(dialog.updates)
        messages.answer = QMessageBox.StandardButton.Yes
        dialog.take_all_button.click()
        outcome["after_yes"] = len(dialog.updates)
        outcome["heading"] = dialog.heading.text()
        outcome["buttons"] = dialog.take_button.isEnabled() or dialog.take_all_button.isEnabled()
        return 0

    monkeypatch.setattr(LibraryUpdatesDialog, "exec", take_all)
    page.updates_button.click()
    assert any("were edited in this draft" in q for q in messages.questions)
    assert outcome["after_cancel"] > 0 and outcome["after_yes"] == 0
    assert "every change in the current clause library" in outcome["heading"] and not outcome["buttons"]
    assert page.pending_updates == [] and page.updates_button.isHidden()
    taken = next(c for c in page.agreement.clauses if c.key == "mou.selection.process")
    assert "Our own sentence." not in taken.text and "Superintendent's request" in taken.text
    assert "15 of 15 required components covered" in page.checklist.summary.text()


def test_a_signed_agreement_offers_no_library_updates(page):
    from sro_desk.records import agreements

    draft = _draft_from_the_first_edition(page)
    agreements.record_signing(page.data_file, draft, {s.id: "2031-08-20" for s in draft.signatures})
    page.refresh(page.data_file)
    assert page.agreement.status == "signed"
    assert page.pending_updates == []
    assert page.updates_button.isHidden() and not page.updates_button.isEnabled()
    assert "update(s) in clause library" not in page.status.text()


def test_the_clause_says_why_it_reads_as_it_does(page):
    _select(page, "op.enforcement_limits")
    assert "Required by law" in page.clause_info.text()
    _select(page, "mou.student_records")
    assert "from the state's model agreement" in page.clause_info.text()
    _select(page, "mou.public_copies")
    assert "A local choice" in page.clause_info.text()
