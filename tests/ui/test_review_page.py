"""The Review page: goals, agreed metrics, community feedback and the annual review."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from sro_desk.records import review as rv
from sro_desk.records import seals
from sro_desk.records.calendar import previous_school_year
from sro_desk.records.demo import create_demo
from sro_desk.records.settings import current_school_year
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
)
from sro_desk.ui.review_dialogs import AgreeMetricsDialog, CopiesDialog, FeedbackDialog, GoalDialog, MetricDialog
from sro_desk.ui.review_page import ReviewPage
from tests.reads import reads
from tests.ui.test_models_accessibility import mnemonic, mnemonic_clashes, tab_chain, unnamed

YES = QMessageBox.StandardButton.Yes


@pytest.fixture
def demo_db(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    return db_path


def _page(qtbot, data_file) -> ReviewPage:
    page = ReviewPage()
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.refresh(data_file)
    page.set_editable(True)
    return page


@pytest.fixture
def page(qtbot, demo_db):
    data_file = DataFile.open(demo_db)
    page = _page(qtbot, data_file)
    yield page
    qtbot.waitUntil(lambda: not page.tasks, timeout=30000)
    data_file.close()


@pytest.fixture
def shown(qtbot, page):
    """The page in an active window, so focus and shortcuts work."""
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def years(page) -> tuple[str, str]:
    this_year = current_school_year(page.data_file)
    return this_year, previous_school_year(this_year)


def accepting(monkeypatch, dialog_class, fill):
    """Make ``dialog_class.exec`` fill the dialog and press OK, as a person would."""

    def exec_(dialog):
        fill(dialog)
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)


def column(table, number: int) -> list[str]:
    return [table.item(row, number).text() for row in range(table.rowCount())]


# -- showing the demo ------------------------------------------------------------------


def test_the_demo_year_shows_goals_metrics_feedback_and_the_final_review(page):
    _this_year, last = years(page)
    page.choose_year(last)
    data_file = page.data_file
    goals = rv.list_goals(data_file)
    assert column(page.goal_table, 1) == [g.text for g in goals]
    assert column(page.goal_table, 0)[:2] == ["1", "2"]

    metrics = rv.metrics_for(data_file, last)
    assert column(page.metric_table, 0) == [m.name for m in metrics]
    now = column(page.metric_table, 4)
    for metric, shown_now in zip(metrics, now):
        if metric.computed:
            assert shown_now == rv.compute_metric(data_file, metric.source, last).text
        else:
            assert shown_now == metric.manual_value == "84%"
    assert "Counted: Arrests" in column(page.metric_table, 3)
    assert "Entered by hand" in column(page.metric_table, 3)
    assert set(column(page.metric_table, 6)) == {metrics[0].agreed_on}
    assert "All 9 metrics were agreed on" in page.metric_detail.text()
    assert not page.late.isVisible() and page.late.text() == ""

    feedback = rv.feedback_for(data_file, last)
    assert column(page.feedback_table, 0) == [f.received_on for f in feedback]
    assert "Principals" in column(page.feedback_table, 1)
    assert "District-wide" in column(page.feedback_table, 2)

    form = page.form
    assert "<b>Final.</b>" in page.review_status.text()
    assert "review final" in page.overview.text()
    assert form.findings_table.rowCount() == len(goals) + len(metrics)
    assert column(form.findings_table, 1)[:3] == ["Met", "Met", "Partly met"]
    assert "Marcus Bell (SRO)" in form.meeting_info.text()
    assert column(form.assignment_table, 0) == ["Marcus Bell", "Priya Raman"]
    assert column(form.assignment_table, 3) == ["", "Yes"]
    # A final review is read-only until reopened.
    assert not page.save_button.isEnabled() and not page.finalise_button.isEnabled()
    assert page.reopen_button.isEnabled()
    assert not form.rating.isEnabled() and not form.meeting.isEnabled() and not form.add_button.isEnabled()
    assert form.performance.isReadOnly() and form.finding.isReadOnly()
    assert not page.has_unsaved_changes()


def test_choosing_a_metric_shows_it_in_full(page):
    _this_year, last = years(page)
    page.choose_year(last)
    row = column(page.metric_table, 0).index("SRO training hours beyond the basic course")
    page.metric_table.selectRow(row)
    assert "Marcus Bell 15 h; Priya Raman 8 h" in page.metric_detail.text()
    assert page.edit_metric_button.isEnabled()


# -- metrics ---------------------------------------------------------------------------


def test_add_a_metric_shows_the_late_flag_and_agreeing_records_it(page, monkeypatch):
    this_year, _last = years(page)
    assert page.school_year == this_year

    def fill(dialog):
        dialog.name.setText("Families who trust the SRO")
        dialog.target.setText("At least 75%")
        dialog.value.setText("71%")

    accepting(monkeypatch, MetricDialog, fill)
    page.add_metric_button.click()
    names = column(page.metric_table, 0)
    assert names[-1] == "Families who trust the SRO"
    assert column(page.metric_table, 4)[-1] == "71%"
    assert column(page.metric_table, 7)[-1] == "Not agreed yet"
    assert page.late.isVisibleTo(page) and "were not agreed in advance" in page.late.text()

    today = date.today().isoformat()

    def agree(dialog):
        assert dialog.by.text() == "Dr. Maria Santos and Chiefs Daniel O'Connell and Keisha Thompson"
        dialog.on.setText(today)
        dialog.by.setText("Chief Dana Ortiz and Superintendent Maria Santos")

    accepting(monkeypatch, AgreeMetricsDialog, agree)
    page.agree_button.click()
    stored = rv.metrics_for(page.data_file, this_year)
    assert {m.agreed_on for m in stored} == {today}
    assert {m.agreed_by for m in stored} == {"Chief Dana Ortiz and Superintendent Maria Santos"}
    assert set(column(page.metric_table, 6)) == {today}
    late = rv.metrics_agreed_late(page.data_file, this_year)
    assert page.late.text() == (late or "") and page.late.isVisibleTo(page) == bool(late)


def test_a_computed_metric_is_counted_and_a_bad_one_keeps_the_dialog_open(page, qtbot):
    this_year, _last = years(page)
    rv.delete_metric(page.data_file, next(m for m in rv.metrics_for(page.data_file, this_year)
                                           if m.source == "arrests"))
    page.refresh(page.data_file)
    dialog = MetricDialog(page.data_file, this_year, None, page)
    qtbot.addWidget(dialog)
    dialog.source.setCurrentIndex(dialog.source.findData("arrests"))
    assert not dialog.value.isEnabled()
    assert rv.compute_metric(page.data_file, "arrests", this_year).text in dialog.counted.text()
    dialog.name.setText("Students who say they feel safe at school")  # taken
    dialog._ok()
    assert "already has a metric called" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.name.setText("")
    dialog._ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    page._changed()
    row = column(page.metric_table, 0).index("Arrests")
    assert page.metric_table.item(row, 4).text() == rv.compute_metric(page.data_file, "arrests", this_year).text


def test_copy_and_delete_metrics(page, monkeypatch, messages):
    this_year, last = years(page)
    for metric in rv.metrics_for(page.data_file, this_year):
        rv.delete_metric(page.data_file, metric)
    page.refresh(page.data_file)
    assert page.metric_table.rowCount() == 0
    assert "No metrics were agreed" in page.late.text()
    page.copy_metrics_button.click()
    assert messages.informations[-1].startswith(f"Copied 9 metrics from {last}")
    assert page.metric_table.rowCount() == 9
    page.metric_table.selectRow(0)
    messages.answer = YES
    page.delete_metric_button.click()
    assert page.metric_table.rowCount() == 8


# -- goals and feedback ----------------------------------------------------------------


def test_goals_add_move_retire_and_import(page, monkeypatch, messages):
    accepting(monkeypatch, GoalDialog, lambda d: d.text.setPlainText("Students know how to reach the SRO."))
    page.add_goal_button.click()
    assert column(page.goal_table, 1)[-1] == "Students know how to reach the SRO."
    last_row = page.goal_table.rowCount() - 1
    page.goal_table.selectRow(last_row)
    page.up_button.click()
    texts = [g.text for g in rv.list_goals(page.data_file)]
    assert texts[-2] == "Students know how to reach the SRO."
    assert page._selected_goal().text == "Students know how to reach the SRO."
    page.retire_goal_button.click()
    assert "Students know how to reach the SRO." not in column(page.goal_table, 1)
    page.show_retired.setChecked(True)
    assert "Retired" in column(page.goal_table, 0)
    page.goal_table.selectRow(column(page.goal_table, 0).index("Retired"))
    assert page.retire_goal_button.text() == "&Restore Goal"
    page.retire_goal_button.click()
    assert "Retired" not in column(page.goal_table, 0)
    page.import_button.click()
    assert messages.informations[-1] == "Every goal of the agreement is already listed."


def test_feedback_add_edit_delete(page, monkeypatch, messages):
    this_year, _last = years(page)
    before = page.feedback_table.rowCount()

    def fill(dialog):
        dialog.received_on.setText(date.today().isoformat())
        dialog.group.setCurrentIndex(dialog.group.findData("students"))
        dialog.school.setCurrentIndex(1)
        dialog.summary.setPlainText("Students asked for the SRO at the <b>spring</b> fair.")

    accepting(monkeypatch, FeedbackDialog, fill)
    page.add_feedback_button.click()
    assert page.feedback_table.rowCount() == before + 1
    row = column(page.feedback_table, 3).index("Students asked for the SRO at the <b>spring</b> fair.")
    assert page.feedback_table.item(row, 1).text() == "Students"
    page.feedback_table.selectRow(row)
    accepting(monkeypatch, FeedbackDialog, lambda d: d.summary.setPlainText("Corrected."))
    page.edit_feedback_button.click()
    assert "Corrected." in column(page.feedback_table, 3)
    page.feedback_table.selectRow(column(page.feedback_table, 3).index("Corrected."))
    messages.answer = YES
    page.delete_feedback_button.click()
    assert page.feedback_table.rowCount() == before
    assert len(rv.feedback_for(page.data_file, this_year)) == before


# -- the review ------------------------------------------------------------------------


def test_a_new_draft_review_is_edited_saved_and_read_back(page):
    this_year, _last = years(page)
    form = page.form
    assert "No review of" in page.review_status.text()
    assert page.finalise_button.isEnabled() and not page.reopen_button.isEnabled()
    # The year's SROs are listed for the superintendent's recommendation.
    assert column(form.assignment_table, 0) == ["Marcus Bell", "Priya Raman"]
    form.findings_table.setCurrentCell(0, 0)
    form.rating.setCurrentIndex(form.rating.findData("partly"))
    form.finding.setPlainText("Families asked for information in Spanish.")
    assert form.findings_table.item(0, 1).text() == "Partly met"
    form.performance.setPlainText("A steady start to the year.")
    assert page.has_unsaved_changes() and page.save_button.isEnabled()
    assert "unsaved changes" in page.review_status.text()
    assert page.save()
    assert not page.has_unsaved_changes()
    stored = rv.load_review(page.data_file, this_year)
    goal = rv.list_goals(page.data_file)[0]
    finding = next(f for f in stored.findings if f.goal_id == goal.id)
    assert (finding.rating, finding.finding) == ("partly", "Families asked for information in Spanish.")
    assert stored.performance == "A steady start to the year."
    assert [a.officer_id for a in stored.assignments] == [1, 2]
    assert "<b>Draft.</b>" in page.review_status.text()
    # Read back into a fresh page.
    other = ReviewPage()
    other.refresh(page.data_file)
    assert other.form.findings_table.item(0, 2).text() == "Families asked for information in Spanish."
    other.deleteLater()


def test_ctrl_s_saves_the_review(shown, qtbot):
    page = shown
    page.tabs.setCurrentWidget(page.review_tab)
    page.form.summary.setFocus()
    qtbot.keyClicks(page.form.summary, "Typed, then saved with Ctrl+S.")
    assert page.has_unsaved_changes()
    qtbot.keyClick(page.form.summary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.has_unsaved_changes()
    assert rv.load_review(page.data_file, page.school_year).summary == "Typed, then saved with Ctrl+S."


def test_reopen_then_the_chiefs_explanation_is_required_to_finalise(shown, messages):
    page = shown
    form = page.form
    _this_year, last = years(page)
    page.choose_year(last)
    messages.answer = YES
    page.reopen_button.click()
    assert rv.load_review(page.data_file, last).status == "draft"
    assert "<b>Draft.</b>" in page.review_status.text() and form.rating.isEnabled()
    page.tabs.setCurrentWidget(page.review_tab)
    form.assignment_table.setCurrentCell(1, 0)
    assert form.keeps.isEnabled() and form.explanation.isEnabled()
    form.explanation.setPlainText("Because.")
    form.assignment_table.setCurrentCell(0, 0)  # the cursor is elsewhere when Finalise is chosen
    page.finalise_button.click()
    assert "must explain why in writing" in page.review_error.text()
    assert page.review_error.isVisible()
    assert QApplication.focusWidget() is form.explanation
    assert form.assignment_table.currentRow() == 1
    assert form.explanation.toPlainText() == "Because."
    assert page.has_unsaved_changes()
    assert rv.load_review(page.data_file, last).status == "draft"
    form.explanation.setPlainText("No other trained officer is free until the winter.")
    page.finalise_button.click()
    stored = rv.load_review(page.data_file, last)
    assert stored.final and seals.status(page.data_file, "annual_review", stored.id)["intact"]
    assert stored.assignments[1].chief_explanation == "No other trained officer is free until the winter."
    assert not page.has_unsaved_changes() and "<b>Final.</b>" in page.review_status.text()
    assert not form.rating.isEnabled()


def test_finalise_asks_first(page, messages):
    page.form.performance.setPlainText("Draft text.")
    for answer in (QMessageBox.StandardButton.No, QMessageBox.StandardButton.Cancel):
        messages.answer = answer
        page.finalise_button.click()
        assert rv.load_review(page.data_file, page.school_year) is None
        assert page.has_unsaved_changes() and page.form.performance.toPlainText() == "Draft text."
    # The question says what finalising does: final, read-only, sealed; and what Reopen does.
    asked = messages.questions[-1]
    assert asked.startswith(f"Finalise the {page.school_year} review?")
    for words in ("read-only", "sealed", "fingerprint", "Check File", "Reopen", "draft again", "audit log",
                  "unsaved changes are saved"):
        assert words in asked, words
    assert "gets a copy" not in asked  # nothing is sent to anyone
    # A draft already saved: nothing happens on Cancel either.
    assert page.save()
    messages.answer = QMessageBox.StandardButton.Cancel
    page.finalise_button.click()
    assert rv.load_review(page.data_file, page.school_year).status == "draft"
    assert "unsaved changes" not in messages.questions[-1]


def test_switching_year_asks_about_unsaved_changes(page, messages):
    this_year, last = years(page)
    page.form.summary.setPlainText("Not saved yet.")
    messages.answer = QMessageBox.StandardButton.Cancel
    assert not page.choose_year(last)
    assert page.school_year == this_year and page.year.currentData() == this_year
    assert page.form.summary.toPlainText() == "Not saved yet."
    messages.answer = QMessageBox.StandardButton.Save
    assert page.choose_year(last)
    assert rv.load_review(page.data_file, this_year).summary == "Not saved yet."
    assert page.school_year == last
    page.choose_year(this_year)
    page.form.summary.setPlainText("Thrown away.")
    messages.answer = QMessageBox.StandardButton.Discard
    assert page.choose_year(last)
    assert not page.has_unsaved_changes()
    assert rv.load_review(page.data_file, this_year).summary == "Not saved yet."
    assert len(messages.questions) == 3


def test_typing_survives_a_refresh_and_a_new_metric(page, monkeypatch):
    page.form.findings_table.setCurrentCell(1, 0)
    page.form.finding.setPlainText("Kept across the refresh.")
    accepting(monkeypatch, MetricDialog, lambda d: d.name.setText("Visits to elementary schools"))
    page.add_metric_button.click()
    page.refresh(page.data_file)
    assert page.has_unsaved_changes()
    assert page.form.findings_table.item(1, 2).text() == "Kept across the refresh."
    assert column(page.form.findings_table, 0)[-1] == "Metric: Visits to elementary schools"


# -- the report ------------------------------------------------------------------------


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def test_the_report_pdf_is_saved_with_the_attendees_copy(page, qtbot, monkeypatch, messages, tmp_path):
    _this_year, last = years(page)
    page.choose_year(last)
    out = tmp_path / "review.pdf"
    offered = []

    def choose(dialog, wanted):
        offered.extend(dialog.copies.itemText(i) for i in range(dialog.copies.count()))
        dialog.copies.setCurrentIndex(dialog.copies.findText(wanted, Qt.MatchFlag.MatchStartsWith))
        dialog._ok()
        return dialog.result()

    monkeypatch.setattr(CopiesDialog, "exec", lambda d: choose(d, "The copy for Marcus Bell"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "PDF (*.pdf)")))
    page.pdf_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=30000)
    assert "The copy for Priya Raman, SRO" in offered
    assert messages.informations[-1] == f"Saved the copy for Marcus Bell to {out}."
    text = _text(out)
    assert "Copy for Marcus Bell" in text and "Copy for Priya Raman" not in text

    every = tmp_path / "every.pdf"
    monkeypatch.setattr(CopiesDialog, "exec", lambda d: choose(d, "A named copy for every attendee"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(every), "PDF (*.pdf)")))
    page.pdf_button.click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=30000)
    text = _text(every)
    for name in ("Dr. Maria Santos", "Daniel O'Connell", "Keisha Thompson", "Marcus Bell", "Priya Raman"):
        assert f"Copy for {name}" in text
    assert not page.error.isVisible()


def test_the_report_of_an_empty_year_is_refused_in_one_sentence(page, monkeypatch):
    monkeypatch.setattr(CopiesDialog, "exec", lambda d: pytest.fail("no copies to choose"))
    page.choose_year("2001-2002")
    page.pdf_button.click()
    assert page.error.isVisibleTo(page)
    assert page.error.text().startswith("Nothing is recorded for 2001-2002 yet")


# -- read-only, names and keys ---------------------------------------------------------


def test_read_only_disables_every_editing_control(qtbot, demo_db):
    from sro_desk.store.lease import Lease

    holder = Lease(demo_db)
    holder.acquire()
    data_file = DataFile.open(demo_db, OpenOptions(edit=False))
    try:
        assert data_file.read_only
        page = _page(qtbot, data_file)
        page.set_editable(False)
        for year in years(page):
            page.choose_year(year)
            enabled = {b.accessibleName() for b in page.findChildren(QPushButton) if b.isEnabled()}
            assert enabled <= {"Save the review report as PDF"}
            combos = {c.accessibleName() for c in page.findChildren(QComboBox) if c.isEnabled()}
            assert combos <= {"School year"}
            assert all(box.isReadOnly() for box in page.findChildren(QPlainTextEdit))
            assert not page.save_action.isEnabled() and not page.has_unsaved_changes()
        assert page.metric_table.rowCount() == 9 and page.goal_table.rowCount() == 9
    finally:
        data_file.close()
        holder.release()


def test_every_control_is_named_and_mnemonics_are_unique(page):
    page.show()
    assert unnamed(page) == []
    for table in (page.goal_table, page.metric_table, page.feedback_table, page.form.findings_table,
                  page.form.assignment_table):
        assert table.accessibleName()
    for box in page.findChildren(QPlainTextEdit) + page.findChildren(QCheckBox):
        assert box.accessibleName(), box
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert mnemonic_clashes(page) == {}, tab
    # Unique across the whole page (hidden tabs too), and never a menu bar letter.
    keys = [mnemonic(b.text()) for b in page.findChildren(QPushButton) + page.findChildren(QCheckBox)]
    keys += [mnemonic(label.text()) for label in page.findChildren(QLabel) if label.buddy() is not None]
    keys = [k for k in keys if k]
    assert len(keys) == len(set(keys)) >= 15
    assert not set(keys) & {"f", "d", "g", "h", "e"}


def test_tab_walks_the_page_in_reading_order(shown, qtbot):
    page = shown
    _this_year, last = years(page)
    page.choose_year(last)
    page.goal_table.selectRow(1)
    chain = tab_chain(qtbot, page.year, 11)
    assert chain == [page.year, page.pdf_button, page.tabs.tabBar(), page.goal_table, page.add_goal_button,
                     page.edit_goal_button, page.retire_goal_button, page.up_button, page.down_button,
                     page.import_button, page.show_retired]
    assert all(w.accessibleName() for w in chain)
    # The review of this year, a draft: its controls in reading order, disabled ones skipped.
    page.choose_year(years(page)[0])
    page.tabs.setCurrentWidget(page.review_tab)
    form = page.form
    chain = tab_chain(qtbot, form.findings_table, 14)
    assert chain == [form.findings_table, form.rating, form.finding, form.performance, form.summary,
                     form.assignment_table, form.add_button, form.remove_button, form.officer, form.school,
                     form.recommendation, form.reason, page.finalise_button, page.tabs.tabBar()]
    assert all(w.accessibleName() for w in chain)


def test_hostile_text_shows_as_typed(page, monkeypatch):
    accepting(monkeypatch, MetricDialog, lambda d: d.name.setText("<img src='http://x/y.png'> & <b>co</b>"))
    page.add_metric_button.click()
    row = column(page.metric_table, 0).index("<img src='http://x/y.png'> & <b>co</b>")
    page.metric_table.selectRow(row)
    assert "&lt;img src=&#x27;http://x/y.png&#x27;&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in page.metric_detail.text()


def test_no_mnemonic_clashes_inside_the_main_window(make_window, settle, demo_db):
    window = make_window()
    window.set_data_file(DataFile.open(demo_db))
    settle(window)
    page = ReviewPage()
    page.refresh(window.data_file)
    page.set_editable(True)
    window.stack.addWidget(page)
    window.stack.setCurrentWidget(page)
    window.show()
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert mnemonic_clashes(window) == {}, tab


@pytest.mark.parametrize("keep_mine", [True, False])
def test_a_stale_save_shows_both_versions(page, monkeypatch, keep_mine):
    from sro_desk.ui.conflict import ConflictDialog

    year = page.school_year
    page.form.summary.setPlainText("First.")
    assert page.save()
    theirs = rv.load_review(page.data_file, year)
    theirs.summary = "Theirs."
    rv.save_review(page.data_file, theirs)  # someone else, meanwhile
    page.form.performance.setPlainText("Mine.")
    shown = []

    def exec_(dialog):
        shown.append(dialog)
        dialog.choice = ConflictDialog.KEEP_MINE if keep_mine else ConflictDialog.TAKE_THEIRS
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    assert page.save() is keep_mine
    assert len(shown) == 1
    stored = rv.load_review(page.data_file, year)
    assert not page.has_unsaved_changes()
    if keep_mine:
        assert (stored.summary, stored.performance) == ("First.", "Mine.")
    else:
        assert (stored.summary, stored.performance) == ("Theirs.", "")
        assert page.form.summary.toPlainText() == "Theirs."


def test_assignments_are_added_removed_and_the_chiefs_answer_follows_the_recommendation(page):
    form = page.form
    assert column(form.assignment_table, 0) == ["Marcus Bell", "Priya Raman"]
    form.assignment_table.setCurrentCell(1, 0)
    form.remove_button.click()
    assert column(form.assignment_table, 0) == ["Marcus Bell"]
    form.add_button.click()  # the year's SRO not listed comes back, at her school
    assert column(form.assignment_table, 0) == ["Marcus Bell", "Priya Raman"]
    assert form.assignment_table.currentRow() == 1
    assert not form.keeps.isEnabled() and not form.explanation.isEnabled()
    form.recommendation.setCurrentIndex(form.recommendation.findData("end"))
    form.reason.setPlainText("Training not done.")
    assert form.keeps.isEnabled() and not form.explanation.isEnabled()
    form.keeps.setCurrentIndex(form.keeps.findData("yes"))
    assert form.explanation.isEnabled() and not form.explanation.isReadOnly()
    form.explanation.setPlainText("Booked for the autumn; no other trained officer is free.")
    assert column(form.assignment_table, 3)[1] == "Yes"
    assert page.save()
    stored = rv.load_review(page.data_file, page.school_year).assignments[1]
    assert (stored.recommendation, stored.chief_keeps, stored.reason) == ("end", True, "Training not done.")
    assert stored.chief_explanation.startswith("Booked for the autumn")


def _click_row(qtbot, table, row: int) -> None:
    """Choose a row of a list with the mouse, as a person would."""
    table.scrollToItem(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(row, 0)).center())


def _type_into(qtbot, box: QPlainTextEdit, text: str) -> None:
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
    box.moveCursor(box.textCursor().MoveOperation.End)
    qtbot.keyClicks(box, text)


def test_a_finding_typed_stays_with_its_goal_when_another_is_chosen(shown, qtbot):
    page, form = shown, shown.form
    page.tabs.setCurrentWidget(page.review_tab)
    table = form.findings_table
    _click_row(qtbot, table, 0)
    _type_into(qtbot, form.finding, "Families felt safer.")
    # Another goal chosen with the mouse while the typing is unsaved: it shows its own (empty) finding.
    _click_row(qtbot, table, 2)
    assert table.currentRow() == 2 and form.finding.toPlainText() == ""
    assert form.subject.text() == table.item(2, 0).text()
    _type_into(qtbot, form.finding, "Roles were clear.")
    table.setFocus()  # and with the keyboard
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert table.currentRow() == 1 and form.finding.toPlainText() == ""
    _click_row(qtbot, table, 0)
    assert form.finding.toPlainText() == "Families felt safer."
    assert column(table, 2)[:3] == ["Families felt safer.", "", "Roles were clear."]
    assert page.save()
    goals = rv.list_goals(page.data_file)
    stored = {f.goal_id: f.finding for f in rv.load_review(page.data_file, page.school_year).findings}
    assert (stored.get(goals[0].id), stored.get(goals[1].id, ""), stored.get(goals[2].id)) == (
        "Families felt safer.", "", "Roles were clear.")


def test_the_finding_chosen_stays_chosen_when_the_year_is_read_again(shown, qtbot, monkeypatch):
    page, form = shown, shown.form
    page.tabs.setCurrentWidget(page.review_tab)
    table = form.findings_table
    metric_row = next(r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("Metric: "))
    chosen = table.item(metric_row, 0).text()
    _click_row(qtbot, table, metric_row)
    _type_into(qtbot, form.finding, "Fewer than last year.")
    # A goal added meanwhile (its dialog saves, the year is read again): the rows move down one,
    # and the metric stays the one chosen, with the typing.
    accepting(monkeypatch, GoalDialog, lambda d: d.text.setPlainText("Students know how to reach the SRO."))
    page.add_goal_button.click()
    assert table.item(table.currentRow(), 0).text() == chosen and table.currentRow() == metric_row + 1
    assert form.subject.text() == chosen and form.finding.toPlainText() == "Fewer than last year."
    _type_into(qtbot, form.finding, " Met.")
    assert page.save()
    metric = next(m for m in rv.metrics_for(page.data_file, page.school_year) if chosen.endswith(m.name))
    stored = rv.load_review(page.data_file, page.school_year)
    assert [f.finding for f in stored.findings if f.metric_id == metric.id] == ["Fewer than last year. Met."]
    assert [f.finding for f in stored.findings if f.finding] == ["Fewer than last year. Met."]


def test_an_assignments_reason_stays_with_its_officer(shown, qtbot):
    page, form = shown, shown.form
    page.tabs.setCurrentWidget(page.review_tab)
    table = form.assignment_table
    _click_row(qtbot, table, 0)
    _type_into(qtbot, form.reason, "Strong feedback.")
    _click_row(qtbot, table, 1)
    assert form.reason.toPlainText() == "" and form.officer.currentText() == "Priya Raman"
    _type_into(qtbot, form.reason, "Training booked.")
    _click_row(qtbot, table, 0)
    assert form.reason.toPlainText() == "Strong feedback." and form.officer.currentText() == "Marcus Bell"
    assert page.save()
    stored = rv.load_review(page.data_file, page.school_year).assignments
    assert [(a.reason) for a in stored] == ["Strong feedback.", "Training booked."]


def test_enter_presses_the_focused_button_and_no_button_takes_it(shown, qtbot, monkeypatch):
    page = shown
    buttons = page.findChildren(QPushButton)
    assert buttons and all(b.autoDefault() and not b.isDefault() for b in buttons)
    opened: list[str] = []
    for dialog in (AgreeMetricsDialog, GoalDialog, MetricDialog, FeedbackDialog):
        monkeypatch.setattr(dialog, "exec", lambda d, name=dialog.__name__: opened.append(name) or 0)
    page.tabs.setCurrentIndex(1)  # Metrics
    page.agree_button.setFocus()
    qtbot.waitUntil(page.agree_button.hasFocus)
    qtbot.keyClick(page.agree_button, Qt.Key.Key_Return)
    assert opened == ["AgreeMetricsDialog"]
    qtbot.keyClick(page.agree_button, Qt.Key.Key_Enter)
    assert opened == ["AgreeMetricsDialog"] * 2
    page.tabs.setCurrentIndex(0)  # Goals
    page.add_goal_button.setFocus()
    qtbot.keyClick(page.add_goal_button, Qt.Key.Key_Return)
    assert opened[-1] == "GoalDialog" and len(opened) == 3


def test_headings_name_the_year_shown(page):
    this_year, last = years(page)
    first = int(this_year[:4])
    assert f"in {this_year.replace('-', '–')};" in page.feedback_caption.text()
    assert page.form.assignment_box.title() == f"Assignments for {first + 1}–{first + 2}"
    page.choose_year(last)
    assert f"in {last.replace('-', '–')};" in page.feedback_caption.text()
    assert "this year" not in page.feedback_caption.text()
    assert page.form.assignment_box.title() == f"Assignments for {first}–{first + 1}"
    assert "this year" not in page.form.performance.placeholderText()


# -- reading few times -------------------------------------------------------------------


def test_the_review_opens_in_few_statements_with_the_counts_as_read_alone(qtbot, demo_db):
    with DataFile.open(demo_db) as data_file:
        _page(qtbot, data_file)  # fonts and first imports
        statements: list[str] = []
        data_file.conn.set_trace_callback(statements.append)
        page = _page(qtbot, data_file)
        page.show()
        qtbot.waitExposed(page)
        page.repaint()
        data_file.conn.set_trace_callback(None)
        assert len(reads(statements)) <= 5, reads(statements)
        this_year, last_year = years(page)
        computed = [m for m in page.metrics if m.computed]
        assert {m.source for m in computed} >= {"arrests", "training_hours"}
        for metric in computed:  # each count as the page shows it, read on its own
            now, last = page._metric_cells[metric.id][4:6]
            assert now == rv.compute_metric(data_file, metric.source, this_year).text
            assert last == (rv.compute_metric(data_file, metric.source, last_year).text
                            if rv._has_records(data_file, last_year) else "")
        assert page.stored == rv.load_review(data_file, this_year)
        statements.clear()
        data_file.conn.set_trace_callback(statements.append)
        assert page.choose_year(last_year)
        data_file.conn.set_trace_callback(None)
        assert len([s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]) <= 5
        assert page.stored == rv.load_review(data_file, last_year) and page.stored is not None
        page.close()
