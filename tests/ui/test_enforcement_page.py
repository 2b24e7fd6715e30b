"""The Enforcement Data page: fast entry checked against the rules, flags, activity, exports."""

from __future__ import annotations

import re
import sys
import threading
import types
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint

from sro_desk.records import enforcement as enf
from sro_desk.records.district import load_district
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui import enforcement_page as page_module
from sro_desk.ui.enforcement_page import (
    AcknowledgeDialog,
    ActivityDialog,
    EnforcementPage,
    EnrolmentDialog,
)
from sro_desk.ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
)
from tests.ui.test_models_accessibility import mnemonic_clashes, tab_chain, unnamed
from tests.reads import opening, reads

YESTERDAY = (datetime.now() - timedelta(days=1)).replace(hour=10, minute=15).strftime("%Y-%m-%d %H:%M")


def add_page(window) -> EnforcementPage:
    """The window's Enforcement Data page, wired here the way the window wires its pages
    until main_window.py carries it."""
    page = getattr(window, "enforcement_page", None)
    if page is None:
        page = EnforcementPage()
        window.enforcement_page = page
        window.pages.append(page)
        window.sidebar.addItem(page.title)
        window.stack.addWidget(page)
        page.saved.connect(window._page_saved)
        window.refresh_pages()
    window.show_page(window.pages.index(page))
    return page


def school_ids(data_file) -> list[int]:
    return [s.id for s in load_district(data_file).schools]


def record(data_file, **values) -> int:
    """An action saved straight through the records API."""
    fields = {"occurred_at": YESTERDAY, "school_id": school_ids(data_file)[0], "place": "grounds",
              "kind": "citation", **values}
    return enf.save_action(data_file, enf.Action(**fields))


@pytest.fixture
def open_window(make_window, settle):
    def make(path, **options):
        window = make_window()
        window.set_data_file(DataFile.open(path, OpenOptions(**options)))
        settle(window)
        return window

    return make


@pytest.fixture
def window(open_window, demo_path):
    return open_window(demo_path)


@pytest.fixture
def page(window):
    return add_page(window)


def pick(combo: QComboBox, key) -> None:
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def fill_citation(page, school_id: int, ref: str = "GV-101") -> None:
    form = page.form
    form.when.setText(YESTERDAY)
    pick(form.school, school_id)
    pick(form.place, "grounds")
    pick(form.kind, "citation")
    pick(form.offense, "drugs")
    form.student_ref.setText(ref)
    pick(form.grade, "10")
    form.age.setValue(15)
    pick(form.gender, "F")
    pick(form.race, "HL")
    form.english_learner.setChecked(True)


def rows(page) -> int:
    """How many rows the page's list shows."""
    return page.table.model().rowCount()


def cell(page, row: int, column: int, role=Qt.ItemDataRole.DisplayRole) -> str:
    """A cell of the page's list, as the view and screen readers get it."""
    return page.table.model().index(row, column).data(role)


def activate(qtbot, window) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


# -- fast entry --------------------------------------------------------------------------


def test_fast_entry_saves_and_keeps_only_school_and_date(page, window, qtbot):
    activate(qtbot, window)
    second = school_ids(page.data_file)[1]
    assert not page.has_unsaved_changes()
    fill_citation(page, second)
    assert page.has_unsaved_changes()
    with qtbot.waitSignal(page.saved):
        page.form.save_button.click()
    saved = enf.actions_for(page.data_file, page.school_year())
    assert len(saved) == 1
    action = saved[0]
    assert (action.school_id, action.kind, action.offense, action.student_ref, action.age) == (
        second, "citation", "drugs", "GV-101", 15)
    assert action.english_learner and action.occurred_at == YESTERDAY.replace(" ", "T")
    form = page.form
    assert form.when.text() == YESTERDAY and form.school.currentData() == second
    assert form.kind.currentData() == "" and form.offense.currentData() == ""
    assert form.student_ref.text() == "" and form.age.value() == form.age.minimum()
    assert not form.english_learner.isChecked()
    assert not page.has_unsaved_changes()
    assert QApplication.focusWidget() is form.when
    assert rows(page) == 1 and cell(page, 0, 2) == "Citation or ticket"
    assert "1 student with a non-arrest referral" in page.headline.text()


def test_ctrl_enter_saves_the_form(page, window, qtbot):
    activate(qtbot, window)
    fill_citation(page, school_ids(page.data_file)[0])
    page.form.statute.setFocus()
    qtbot.keyClick(page.form.statute, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(enf.actions_for(page.data_file, page.school_year())) == 1


def test_a_bad_date_gives_one_sentence_and_keeps_the_typing(page):
    fill_citation(page, school_ids(page.data_file)[0])
    page.form.when.setText("15/10/2026 1:40pm")
    assert page.save() is False
    assert page.form.error.isVisibleTo(page)
    assert page.form.error.text() == "Enter when it happened like 2026-10-15 13:40."
    assert page.form.when.text() == "15/10/2026 1:40pm"
    assert page.form.student_ref.text() == "GV-101" and page.form.kind.currentData() == "citation"
    assert page.has_unsaved_changes()
    assert enf.years_with_actions(page.data_file) == []


def test_typing_survives_a_refresh_and_clear_form_discards_it(page):
    page.form.student_ref.setText("GV-7")
    page.refresh(page.data_file)
    assert page.form.student_ref.text() == "GV-7" and page.has_unsaved_changes()
    page.form.clear_button.click()
    assert page.form.student_ref.text() == "" and not page.has_unsaved_changes()


# -- the live rule check -----------------------------------------------------------------


def test_the_rule_label_flags_c272_and_questioning_without_notice(page):
    form = page.form
    assert form.live_flags == []
    pick(form.place, "building")
    pick(form.kind, "arrest")
    pick(form.offense, "disorderly")
    assert "c272_in_school" in form.live_flags
    assert "G.L. c. 272, §§ 40, 53" in form.flags_label.text()
    form.warrant.setChecked(True)
    form.notified_at.setText(YESTERDAY)
    assert form.live_flags == ["c272_in_school"]
    pick(form.kind, "questioning")
    pick(form.offense, "theft")
    assert form.live_flags == ["questioning_without_notice"]
    assert "Custodial questioning without telling a parent first" in form.flags_label.text()
    form.told_before.setChecked(True)
    form.offered.setChecked(True)
    assert form.live_flags == []
    assert "no flags" in form.flags_label.text()


def test_questioning_checkboxes_apply_only_to_questioning(page):
    form = page.form
    for kind in enf.KINDS:
        pick(form.kind, kind)
        assert form.told_before.isEnabled() == (kind == "questioning"), kind
        assert form.offered.isEnabled() == (kind == "questioning"), kind
    pick(form.principal, "no")
    assert form.principal_reason.isEnabled()
    pick(form.principal, "yes")
    assert not form.principal_reason.isEnabled()


def _settled(window) -> None:
    for _ in range(5):  # layouts, then the scroll area's own second look, then painting
        QApplication.processEvents()


def _places(window, form) -> dict[str, tuple]:
    """Where each control of the form is in the window, and how big."""
    return {widget.accessibleName(): (widget.mapTo(window, QPoint(0, 0)).toTuple(), widget.size().toTuple())
            for widget in (*form.fields, form.save_button, form.clear_button)}


def _needed_height(label) -> int:
    """The height ``label``'s text takes wrapped at its width (a fresh label measures it)."""
    probe = QLabel()
    probe.setTextFormat(label.textFormat())
    probe.setWordWrap(True)
    probe.setFont(label.font())
    probe.setText(label.text())
    return probe.heightForWidth(label.width())


def _flag_everything(form) -> None:
    """An arrest for disorderly conduct inside a school, principal not consulted: four flags."""
    pick(form.kind, "arrest")
    pick(form.place, "building")
    pick(form.offense, "disorderly")
    pick(form.principal, "no")


# 1366x768 and 1280x800 at 100%, and as large as those screens are at 125% (1093x614, 1024x640).
@pytest.mark.parametrize("size", [(1366, 768), (1280, 800), (1093, 614), (1024, 640)])
def test_flags_never_move_the_form_and_the_rule_check_shows_in_full(page, window, qtbot, size):
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    form = page.form
    _settled(window)
    before = _places(window, form)
    _flag_everything(form)
    _settled(window)
    assert len(form.live_flags) == 4
    after = _places(window, form)
    assert {name: (before[name], after[name]) for name in before if before[name] != after[name]} == {}
    label = form.flags_label
    assert label.wordWrap() and label.width() > 0
    assert _needed_height(label) <= label.height(), (label.width(), label.height(), label.text())
    if size == (1366, 768):  # the whole form fits: the whole rule check is in view
        assert label.visibleRegion().boundingRect().size() == label.size()
    # Never wider than its place: a field too wide for its label's side goes under it.
    assert not page.entries_splitter.widget(0).horizontalScrollBar().isVisible()
    pick(form.place, "transport")  # the daily bus: the c. 272 flag gives way to the note on why
    _settled(window)
    assert "c272_in_school" not in form.live_flags and "Not flagged" in label.text()
    assert _places(window, form) == before and _needed_height(label) <= label.height()
    form.clear()
    _settled(window)
    assert _places(window, form) == before


def test_c272_at_school_reaches_grounds_and_events_but_not_the_daily_bus(page):
    form = page.form
    pick(form.kind, "citation")
    pick(form.offense, "disorderly")
    for place in ("building", "grounds", "event", "event_transport"):
        pick(form.place, place)
        assert form.live_flags == ["c272_in_school"], place
        assert "Not flagged" not in form.flags_label.text()
    pick(form.place, "transport")
    assert form.live_flags == []
    assert "Not flagged: G.L. c. 272, § 40 names school buildings" in form.flags_label.text()
    assert form.place.toolTip() == enf.TRANSPORT_NOTE
    pick(form.place, "off_campus")
    assert form.live_flags == [] and "Not flagged" not in form.flags_label.text()
    pick(form.place, "grounds")
    pick(form.kind, "reported")  # reported to the police, no action taken: nothing enforced
    assert form.live_flags == []
    labels = [form.kind.itemText(i) for i in range(form.kind.count())]
    assert "Reported to police, no action taken" in labels and "Protective custody, no arrest" in labels
    assert "arrest" in form.kind.toolTip()


def test_low_income_is_the_label_on_the_form(page):
    form = page.form
    assert form.econ.text() == "Low income" and form.econ.accessibleName() == "Low income"
    assert "2021-22" in form.econ.toolTip() and "economically disadvantaged" in form.econ.toolTip()
    assert not any("conomically" in box.text() for box in page.findChildren(QCheckBox))
    form.econ.setChecked(True)
    assert form.action().econ_disadvantaged is True  # the stored code is kept


def test_an_acknowledged_entry_loaded_for_correction_shows_its_rule_check_in_full(page, window, qtbot):
    action_id = record(page.data_file, kind="arrest", place="building", offense="disorderly",
                       principal_consulted=False)
    action = next(a for a in enf.actions_for(page.data_file, page.school_year()) if a.id == action_id)
    for rule in action.flags():
        enf.acknowledge(page.data_file, action, rule, "Explained at the review meeting in full.")
        action = next(a for a in enf.actions_for(page.data_file, page.school_year()) if a.id == action_id)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    _settled(window)
    before = _places(window, page.form)
    page.form.load(action)
    _settled(window)
    label = page.form.flags_label
    assert label.text().count("(acknowledged)") == 4
    assert _needed_height(label) <= label.height()
    moved = _places(window, page.form)
    assert {name: moved[name] for name in before if name != "Cancel correction" and name != "Clear form"
            and before[name] != moved[name]} == {}


# -- the year's entries ------------------------------------------------------------------


def test_acknowledging_a_flag_keeps_it_visible(page, monkeypatch, qtbot):
    record(page.data_file, kind="arrest", place="building", offense="disorderly", warrant=True,
           parent_notified_at=YESTERDAY, principal_consulted=True)
    page.refresh(page.data_file)
    page.table.selectRow(0)
    assert cell(page, 0, 8) == "c. 272 at school"
    assert page.acknowledge_button.isEnabled()
    seen = []

    def run(dialog):
        qtbot.addWidget(dialog)
        seen.append(dialog)
        assert dialog.rule.currentData() == "c272_in_school"
        dialog.explanation.setPlainText("Short")
        dialog._ok()
        assert "Explain in a sentence" in dialog.error.text()
        assert dialog.explanation.toPlainText() == "Short"
        dialog.explanation.setPlainText("The student struck a teacher; the charge was filed wrongly.")
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(AcknowledgeDialog, "exec", run)
    page.acknowledge_button.click()
    assert seen
    assert cell(page, 0, 8) == "c. 272 at school (acknowledged)"
    action = enf.actions_for(page.data_file, page.school_year())[0]
    assert action.acknowledged == {"c272_in_school": "The student struck a teacher; the charge was filed wrongly."}
    assert action.flags() == ["c272_in_school"] and action.open_flags() == []
    page.table.selectRow(0)
    assert not page.acknowledge_button.isEnabled()


def test_show_only_flagged_entries(page):
    record(page.data_file, student_ref="A1")
    record(page.data_file, kind="questioning", place="building", student_ref="A2")
    page.refresh(page.data_file)
    assert rows(page) == 2
    page.only_flagged.setChecked(True)
    assert rows(page) == 1
    assert cell(page, 0, 8) == "Questioning without notice"
    page.only_flagged.setChecked(False)
    assert rows(page) == 2


def test_the_list_is_chosen_from_by_keys_and_opened_by_a_double_click(page, window, qtbot):
    activate(qtbot, window)
    first = record(page.data_file, student_ref="K1")
    second = record(page.data_file, student_ref="K2", occurred_at=YESTERDAY.replace("10:15", "11:30"))
    page.refresh(page.data_file)
    table = page.table
    assert table.accessibleName() == "Entries of the year"
    assert cell(page, 0, 0, Qt.ItemDataRole.AccessibleTextRole) == YESTERDAY
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    assert page.selected_entry().id == first and page.edit_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert page.selected_entry().id == second
    qtbot.keyClick(table, Qt.Key.Key_Tab)  # Tab leaves the list
    assert QApplication.focusWidget() is not table
    rect = table.visualRect(table.model().index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.form.editing is not None and page.form.editing.id == first
    assert page.form.student_ref.text() == "K1"


def test_a_header_click_sorts_and_the_choice_survives(page, window, qtbot):
    activate(qtbot, window)
    ids = [record(page.data_file, kind=kind, student_ref=kind) for kind in ("summons", "arrest", "citation")]
    page.refresh(page.data_file)
    page.table.selectRow(2)
    assert page.selected_entry().id == ids[2]
    header = page.table.horizontalHeader()
    where = header.sectionViewportPosition(2) + header.sectionSize(2) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where, header.height() // 2))
    assert header.sortIndicatorSection() == 2  # Kind: by its label
    kinds = [cell(page, r, 2) for r in range(rows(page))]
    assert sorted(kinds) in (kinds, kinds[::-1])
    assert page.selected_entry().id == ids[2]
    record(page.data_file, student_ref="later")
    page.refresh(page.data_file)  # the sort and the choice are kept
    assert page.selected_entry().id == ids[2] and rows(page) == 4


def test_editing_an_entry_corrects_it(page, messages):
    action_id = record(page.data_file, student_ref="E1")
    page.refresh(page.data_file)
    page.form.student_ref.setText("typed first")
    page.table.selectRow(0)
    page.edit_button.click()
    assert any("Discard it" in q for q in messages.questions)
    form = page.form
    assert form.editing.id == action_id and form.student_ref.text() == "E1"
    assert form.title().startswith("Correcting the entry of")
    assert not page.has_unsaved_changes()
    form.outcome.setText("Released to a parent")
    assert page.has_unsaved_changes()
    assert page.save() is True
    actions = enf.actions_for(page.data_file, page.school_year())
    assert len(actions) == 1
    assert actions[0].outcome == "Released to a parent" and actions[0].version == 2
    assert form.editing is None and form.title() == "New entry" and form.student_ref.text() == ""


def test_a_stale_correction_is_refused_and_keeps_the_typing(page):
    record(page.data_file, student_ref="S1")
    page.refresh(page.data_file)
    page.table.selectRow(0)
    page.edit_button.click()
    page.form.outcome.setText("Mine")
    theirs = enf.actions_for(page.data_file, page.school_year())[0]
    theirs.outcome = "Theirs"
    enf.save_action(page.data_file, theirs)
    assert page.save() is False
    assert "since you opened it" in page.form.error.text()
    assert page.form.outcome.text() == "Mine"
    assert enf.actions_for(page.data_file, page.school_year())[0].outcome == "Theirs"


# -- activity and settings ---------------------------------------------------------------


def test_logging_activity_shows_it_and_the_totals(page, monkeypatch, qtbot):
    def run(dialog):
        qtbot.addWidget(dialog)
        pick(dialog.kind, "presentation")
        dialog.count.setValue(3)
        pick(dialog.school, school_ids(page.data_file)[1])
        dialog.notes.setText("Internet safety, grade 7")
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(ActivityDialog, "exec", run)
    page.tabs.setCurrentIndex(1)
    page.log_button.click()
    assert page.activity_table.rowCount() == 1
    assert page.activity_table.item(0, 4).text() == "Internet safety, grade 7"
    assert "Presentation or class: 3" in page.activity_totals.text()
    activity = enf.activities_for(page.data_file, page.school_year())[0]
    assert (activity.kind, activity.count, activity.school_id) == ("presentation", 3, school_ids(page.data_file)[1])


def test_enrolment_and_threshold_are_saved(page, monkeypatch, qtbot):
    ids = school_ids(page.data_file)
    record(page.data_file, kind="arrest", warrant=True, parent_notified_at=YESTERDAY, student_ref="R1")
    page.refresh(page.data_file)

    def run(dialog):
        qtbot.addWidget(dialog)
        for number, school_id in enumerate(ids):
            dialog.spins[school_id].setValue(400 + number)
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(EnrolmentDialog, "exec", run)
    page.tabs.setCurrentIndex(2)
    page.enrolment_button.click()
    assert enf.enrolment(page.data_file, page.school_year()) == {sid: 400 + n for n, sid in enumerate(ids)}
    assert "1 student arrested (0.1%)" in page.headline.text()  # 1 of 1,606
    assert "400" in page.enrolment_text.text()
    page.threshold.setValue(10)
    page.threshold_button.click()
    assert enf.suppression_threshold(page.data_file) == 10


def test_the_headline_says_one_student_and_never_a_zero_share_for_someone(page):
    ids = school_ids(page.data_file)
    record(page.data_file, kind="arrest", warrant=True, parent_notified_at=YESTERDAY, student_ref="R1")
    record(page.data_file, kind="citation", student_ref="R2", school_id=ids[1])
    record(page.data_file, kind="citation", student_ref="R3", school_id=ids[1])
    for school_id in ids:
        enf.set_enrolment(page.data_file, school_id, page.school_year(), 4000)
    page.refresh(page.data_file)
    text = page.headline.text()
    # 1 of 16,000 students is 0.006%: never printed as 0.0% of the district.
    assert "1 student arrested (&lt;0.1%)" in text and "2 students with a non-arrest referral (&lt;0.1%)" in text
    assert "students arrested" not in text and "1 student with" not in text
    assert "1 arrested (&lt;0.1%), 0 referred (0.0%)" in text  # 1 of 4,000 at the first school
    shares = re.findall(r"(\d+) [a-z -]+? \(([^)]*)\)", text.replace("&lt;", "<"))
    assert shares and all(share != "0.0%" for count, share in shares if count != "0"), shares


def test_one_entry_with_open_flags_and_open_flags_in_another_year(page):
    record(page.data_file, kind="citation", place="building", offense="disorderly")
    record(page.data_file, kind="citation", place="building", offense="disorderly",
           occurred_at=(datetime.now() - timedelta(days=400)).strftime("%Y-%m-%d 09:00"))
    page.refresh(page.data_file)
    text = page.headline.text()
    assert "1 entry has open flags" in text
    last_year = enf.years_with_actions(page.data_file)[-1]
    assert f"Open flags in other years:</b> {last_year} (1 entry)." in text


def test_share_text_is_one_rule_for_every_share():
    assert enf.share_text(1, None) == "" and enf.share_text(0, 0) == ""
    assert enf.share_text(0, 4000) == "0.0%"
    assert enf.share_text(1, 4000) == "<0.1%"  # 0.025%
    assert enf.share_text(1, 1606) == "0.1%"
    assert enf.share_text(3, 8) == "37.5%"
    assert enf.share_text(3999, 4000) == ">99.9%" and enf.share_text(4000, 4000) == "100.0%"
    assert enf.Headline(None, "District", 4000, 1, 0).share(1) == "<0.1%"


# -- exports -----------------------------------------------------------------------------


def test_export_csv_writes_both_files(page, monkeypatch, tmp_path, messages, qtbot):
    record(page.data_file, student_ref="X1")
    page.refresh(page.data_file)
    out = tmp_path / "export" / "enforcement"
    out.parent.mkdir()
    monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    page.export_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=10000)
    entries, counts = out.with_suffix(".csv"), out.parent / "enforcement-aggregate.csv"
    assert entries.exists() and counts.exists()
    text = entries.read_text(encoding="utf-8-sig")
    assert "citation" in text and "X1," not in text  # the district's own reference never leaves
    assert any("enforcement.csv" in m and "enforcement-aggregate.csv" in m for m in messages.informations)


def test_report_pdf_is_built_off_the_gui_thread(page, monkeypatch, tmp_path, messages, qtbot):
    out = tmp_path / "report.pdf"
    built = []

    def build_enforcement_pdf(report, path):
        built.append((report.school_year, threading.current_thread() is threading.main_thread()))
        path.write_bytes(b"%PDF-1.4\n")

    fake = types.ModuleType("sro_desk.documents.enforcement")
    fake.build_enforcement_pdf = build_enforcement_pdf
    monkeypatch.setitem(sys.modules, "sro_desk.documents.enforcement", fake)
    monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    page.pdf_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=10000)
    assert built == [(page.school_year(), False)]
    assert out.exists() and any("report.pdf" in m for m in messages.informations)


# -- read-only, names and keys -----------------------------------------------------------


def test_read_only_disables_every_edit_control(open_window, demo_path):
    from sro_desk.store.lease import Lease

    with DataFile.open(demo_path) as data_file:
        record(data_file, kind="questioning", place="building")
    holder = Lease(demo_path)
    holder.acquire()
    try:
        window = open_window(demo_path, edit=False)
        page = add_page(window)
        assert page.data_file.read_only
        page.table.selectRow(0)
        page.activity_table.selectRow(0)
        enabled_buttons = {b.accessibleName() for b in page.findChildren(QPushButton) if b.isEnabled()}
        assert enabled_buttons == {"Export CSV", "Report PDF"}
        fields = [w for kind in (QLineEdit, QComboBox, QSpinBox, QCheckBox) for w in page.form.findChildren(kind)]
        assert len(fields) >= 20 and [w.accessibleName() for w in fields if w.isEnabled()] == []
        assert not page.threshold.isEnabled()
        assert page.year.isEnabled() and page.only_flagged.isEnabled()
        assert page.save() is False
    finally:
        window.close()
        holder.release()


def test_every_control_has_a_name(page, qtbot):
    record(page.data_file)
    page.refresh(page.data_file)
    assert unnamed(page) == []
    assert page.table.accessibleName() == "Entries of the year"  # a view: unnamed() looks at widgets
    for kind in (QCheckBox, QSpinBox, QPlainTextEdit):
        assert [w for w in page.findChildren(kind) if not w.accessibleName()] == []
    page.table.selectRow(0)
    dialogs = [
        AcknowledgeDialog(page.data_file, page.selected_entry(), page),
        ActivityDialog(page.data_file, page.schools, None, page),
        EnrolmentDialog(page.data_file, page.school_year(), page.schools, page),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        standard = {f"QPushButton {b.text()!r}" for b in dialog.buttons.buttons()}  # named by their text
        assert [w for w in unnamed(dialog) if w not in standard] == [], dialog.windowTitle()
        assert [w for w in dialog.findChildren(QSpinBox) if not w.accessibleName()] == []


def test_shortcut_letters_are_distinct_on_every_tab(page, window):
    window.show()
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert mnemonic_clashes(window) == {}, tab
    record(page.data_file)
    page.refresh(page.data_file)
    page.tabs.setCurrentIndex(0)
    page.table.selectRow(0)
    page.edit_button.click()
    assert mnemonic_clashes(window) == {}


def test_tab_walks_the_form_in_reading_order(page, window, qtbot):
    activate(qtbot, window)
    form = page.form
    pick(form.kind, "questioning")
    pick(form.principal, "no")
    chain = tab_chain(qtbot, form.when, 16)
    assert chain == [
        form.when, form.school, form.place, form.kind, form.offense, form.statute, form.warrant,
        form.principal, form.principal_reason, form.notified_at, form.told_before, form.offered,
        form.outcome, form.student_ref, form.grade, form.age,
    ]


# -- reads -----------------------------------------------------------------------------


@pytest.fixture
def full_demo(tmp_path):
    from sro_desk.records.demo import create_demo

    path = tmp_path / "full-demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
    return path


def test_the_page_opens_in_five_statements_and_reads_activity_when_shown(qtbot, full_demo):
    with DataFile.open(full_demo) as data_file:
        page = EnforcementPage()
        qtbot.addWidget(page)
        statements = opening(qtbot, data_file, page)
        # The settings, the district, the years with the year's counts and headline
        # together, then the list's ids and its first rows.
        assert len(reads(statements)) <= 5, reads(statements)
        assert rows(page) == page.entry_count > 0 and "arrested" in page.headline.text()
        assert page.activity_table.rowCount() == 0  # the hidden tab is read when shown
        year = next(y for y in enf.years_with_actions(data_file) if enf.activities_for(data_file, y))
        statements.clear()
        pick(page.year, year)
        page.year.activated.emit(page.year.currentIndex())
        page.repaint()
        assert len(reads(statements)) <= 3, reads(statements)  # its reads together, the list's two
        assert rows(page) == page.entry_count > 0
        statements.clear()
        page.tabs.setCurrentWidget(page.activity_tab)
        assert len([s for s in reads(statements) if "sro_activity" in s]) == 1, reads(statements)
        assert page.activity_table.rowCount() == len(enf.activities_for(data_file, year)) > 0
        assert "Totals for" in page.activity_totals.text()
        statements.clear()
        page.tabs.setCurrentIndex(0)
        page.tabs.setCurrentWidget(page.activity_tab)
        assert not [s for s in reads(statements) if "sro_activity" in s]  # filled once per year
        statements.clear()
        page.refresh(data_file)  # with the tab in view: read with the rest
        assert len(reads(statements)) <= 4, reads(statements)
        assert page.activity_table.rowCount() > 0
        page.hide()


def test_the_years_and_counts_agree_with_plain_sql(full_demo):
    from sro_desk.records import listing

    with DataFile.open(full_demo) as data_file:
        years = [r["school_year"] for r in data_file.query(
            "SELECT DISTINCT school_year FROM enforcement_action ORDER BY school_year DESC")]
        assert enf.years_with_actions(data_file) == years and len(years) > 1
        for year in years:
            actions = enf.actions_for(data_file, year)
            assert listing.year_entry_counts(data_file, year) == {
                "entries": len(actions), "open_flags": sum(1 for a in actions if a.open_flags())}
