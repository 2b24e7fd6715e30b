"""Review page: a school year's goals, agreed metrics, community feedback and the annual review."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path

from sro_desk.errors import ConflictError
from sro_desk.records import review as rv
from sro_desk.records.calendar import previous_school_year
from sro_desk.records.district import load_district
from sro_desk.records.meetings import meetings_for, placements, sros_for_year
from sro_desk.records.officers import list_officers
from sro_desk.records.review import AnnualReview, Assignment, Feedback, Goal, ReviewMetric
from sro_desk.records.settings import current_school_year
from sro_desk.records.sro_duties import SOURCE_NOTE, duties_recorded
from sro_desk.records.calendar import years_to_offer
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.conflict import ConflictDialog
from sro_desk.ui.page import Page, fill_years
from sro_desk.ui.qt import (
    QAction,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Qt,
    error_label,
    error_sentence,
    plain,
    plain_sentence,
    scrolling,
    year_chooser,
)
from sro_desk.ui.meetings_dialogs import enter_presses_focused_buttons
from sro_desk.ui.review_dialogs import (
    AgreeMetricsDialog,
    CopiesDialog,
    FeedbackDialog,
    GoalDialog,
    MetricDialog,
    ReviewForm,
    caption,
    cell,
    list_table,
)
from sro_desk.ui.work import BackgroundTask, run_task

APP = "SRO Desk"
#: The school years with a review, metrics or feedback, for the list of years.
_YEARS_READS = [(f"SELECT DISTINCT school_year FROM {table}", (), ("school_year",))
                for table in ("annual_review", "review_metric", "community_feedback")]
METRIC_COLUMNS = ["Metric", "What it measures", "Target", "Source", "Now", "Last year", "Agreed on", "Agreed by"]
_YES, _NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def _named(text: str, name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name or text.replace("&", "").rstrip("…"))
    return button


class ReviewPage(Page):
    """One school year at a time: what the program aims at, how it is measured, what the
    school community said, and the end-of-year review with its findings and assignments."""

    title = "Review"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.school_year = ""
        self.goals: list[Goal] = []
        self.metrics: list[ReviewMetric] = []
        self.feedback: list[Feedback] = []
        self.stored: AnnualReview | None = None
        self.schools: list[tuple[int, str]] = []
        self._dirty = False
        self.tasks: list[BackgroundTask] = []
        self._shown: list[Goal] = []
        self._metric_rows: list[ReviewMetric] = []
        self._feedback_rows: list[Feedback] = []
        self._metric_cells: dict[int, list[str]] = {}

        top = self._build_year_bar()
        self.tabs = self._build_tabs(self._build_goals_tab(), self._build_metrics_tab(),
                                     self._build_feedback_tab(), self._build_review_tab())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.late)
        layout.addWidget(self.duties)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        self._add_save_shortcut()
        enter_presses_focused_buttons(self)
        self._set_tab_order()
        self._connect_signals()
        self._update_controls()

    # -- building the page ------------------------------------------------------------

    def _build_year_bar(self) -> QHBoxLayout:
        """The school year chosen, the year at a glance and its report; also the lines warning
        of metrics not agreed in advance and of the SRO on duties outside the role (shown
        under the bar)."""
        self.year = year_chooser()
        year_label = QLabel("School &year:")
        year_label.setBuddy(self.year)
        self.pdf_button = _named("Review Report &PDF…", "Save the review report as PDF")
        self.overview = QLabel()
        self.overview.setTextFormat(Qt.TextFormat.RichText)
        self.overview.setWordWrap(True)
        self.overview.setAccessibleName("The year at a glance")
        self.late = QLabel()
        self.late.setTextFormat(Qt.TextFormat.PlainText)
        self.late.setWordWrap(True)
        self.late.setAccessibleName("Metrics not agreed in advance")
        self.late.setStyleSheet("QLabel { background: #fff4ce; color: #3b2f00; border: 1px solid #d8b600; "
                                "padding: 6px; font-weight: bold; }")
        self.duties = QLabel()
        self.duties.setTextFormat(Qt.TextFormat.PlainText)
        self.duties.setWordWrap(True)
        self.duties.setAccessibleName("SRO on duties outside the role")
        self.duties.setStyleSheet(self.late.styleSheet())
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.overview, 1)
        top.addWidget(self.pdf_button)
        return top

    def _build_goals_tab(self) -> QWidget:
        """The program's goals, in their order, with the retired ones on request."""
        self.goal_table = list_table(["No.", "Goal", "From"], "Program goals", wrap=True)
        self.goal_table.setColumnWidth(0, 60)
        self.goal_table.setColumnWidth(2, 150)
        self.goal_table.horizontalHeader().setStretchLastSection(False)
        self.goal_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.show_retired = QCheckBox("Show retired goals")
        self.show_retired.setAccessibleName("Show retired goals")
        self.add_goal_button = _named("&Add Goal…")
        self.edit_goal_button = _named("Ed&it Goal…")
        self.retire_goal_button = _named("&Retire Goal", "Retire or restore the goal")
        self.up_button = _named("Move &Up", "Move the goal up")
        self.down_button = _named("Move Do&wn", "Move the goal down")
        self.import_button = _named("I&mport from Agreement", "Import goals from the agreement")
        goals_tab = QWidget()
        goals_layout = QVBoxLayout(goals_tab)
        goals_layout.addWidget(caption(
            "The program's goals, which the annual review measures the program against. A retired goal "
            "is kept, since past reviews have findings on it."))
        goals_layout.addWidget(self.goal_table, 1)
        row = _buttons(self.add_goal_button, self.edit_goal_button, self.retire_goal_button, self.up_button,
                       self.down_button, self.import_button)
        row.addWidget(self.show_retired)
        goals_layout.addLayout(row)
        return goals_tab

    def _build_metrics_tab(self) -> QWidget:
        """The year's metrics, one line each, the chosen one shown in full below."""
        self.metric_table = list_table(METRIC_COLUMNS, "Review metrics")
        for column, width in enumerate((200, 200, 150, 150, 140, 80, 90)):
            self.metric_table.setColumnWidth(column, width)
        self.metric_detail = QLabel()
        self.metric_detail.setTextFormat(Qt.TextFormat.RichText)
        self.metric_detail.setWordWrap(True)
        self.metric_detail.setAccessibleName("The metric chosen")
        self.metric_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_metric_button = _named("Add Me&tric…")
        self.edit_metric_button = _named("Edit Metric…")
        self.delete_metric_button = _named("Delete Metric")
        self.copy_metrics_button = _named("Copy from &Last Year", "Copy the metrics from last year")
        self.agree_button = _named("Agree Metri&cs…", "Record that the metrics were agreed")
        metrics_tab = QWidget()
        metrics_layout = QVBoxLayout(metrics_tab)
        metrics_layout.addWidget(caption(
            "The Chief and the Superintendent agree the year's metrics in advance. A metric is entered by "
            "hand, or counted from the file (enforcement data, complaints, training, the SRO's activity)."))
        metrics_layout.addWidget(self.metric_table, 1)
        metrics_layout.addWidget(self.metric_detail)
        metrics_layout.addLayout(_buttons(self.add_metric_button, self.edit_metric_button,
                                          self.delete_metric_button, self.copy_metrics_button, self.agree_button))
        return metrics_tab

    def _build_feedback_tab(self) -> QWidget:
        """What the school community said in the year."""
        self.feedback_table = list_table(["Date", "From", "School", "Summary"], "Community feedback", wrap=True)
        for column, width in enumerate((100, 130, 260)):
            self.feedback_table.setColumnWidth(column, width)
        self.add_feedback_button = _named("Add Feed&back…")
        self.edit_feedback_button = _named("Edit Feedbac&k…")
        self.delete_feedback_button = _named("Delete Feedback")
        feedback_tab = QWidget()
        feedback_layout = QVBoxLayout(feedback_tab)
        self.feedback_caption = caption("")
        feedback_layout.addWidget(self.feedback_caption)
        feedback_layout.addWidget(self.feedback_table, 1)
        feedback_layout.addLayout(_buttons(self.add_feedback_button, self.edit_feedback_button,
                                           self.delete_feedback_button))
        return feedback_tab

    def _build_review_tab(self) -> QWidget:
        """The annual review's form, with its own error line and its save, finalise and reopen."""
        self.review_status = QLabel()
        self.review_status.setTextFormat(Qt.TextFormat.RichText)
        self.review_status.setWordWrap(True)
        self.review_status.setAccessibleName("Review status")
        self.form = ReviewForm()
        self.review_scroll = scrolling(self.form)
        self.review_error = error_label()
        self.reopen_button = _named("Re&open…", "Reopen the review as a draft")
        self.finalise_button = _named("Fi&nalise…", "Make the review final")
        self.save_button = _named("&Save Review", "Save the review")
        self.save_button.setToolTip("Save the review (Ctrl+S).")
        self.review_tab = review_tab = QWidget()
        review_layout = QVBoxLayout(review_tab)
        review_layout.addWidget(self.review_status)
        review_layout.addWidget(self.review_scroll, 1)
        review_layout.addWidget(self.review_error)
        row = QHBoxLayout()
        row.addWidget(self.reopen_button)
        row.addStretch(1)
        row.addWidget(self.finalise_button)
        row.addWidget(self.save_button)
        review_layout.addLayout(row)
        return review_tab

    @staticmethod
    def _build_tabs(*tabs: QWidget) -> QTabWidget:
        """The goals, metrics, feedback and review tabs, in that order."""
        widget = QTabWidget()
        widget.setAccessibleName("Parts of the review")
        widget.tabBar().setAccessibleName("Parts of the review")
        for tab, text in zip(tabs, ("Goals", "Metrics", "Feedback", "Review"), strict=True):
            widget.addTab(tab, text)
        return widget

    def _add_save_shortcut(self) -> None:
        """Ctrl+S saves the review while the focus is anywhere on this page."""
        self.save_action = QAction("Save the review", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)

    def _set_tab_order(self) -> None:
        """Tab goes through the controls in reading order, tab by tab."""
        chain = [self.year, self.pdf_button, self.tabs.tabBar(),
                 self.goal_table, self.add_goal_button, self.edit_goal_button, self.retire_goal_button,
                 self.up_button, self.down_button, self.import_button, self.show_retired,
                 self.metric_table, self.add_metric_button, self.edit_metric_button, self.delete_metric_button,
                 self.copy_metrics_button, self.agree_button,
                 self.feedback_table, self.add_feedback_button, self.edit_feedback_button,
                 self.delete_feedback_button,
                 *self.form.tab_chain(), self.reopen_button, self.finalise_button, self.save_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        """What each control does."""
        self.year.activated.connect(lambda _i: self.choose_year(self.year.currentData()))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.goal_table.itemSelectionChanged.connect(self._update_controls)
        self.goal_table.itemActivated.connect(lambda _item: self.edit_goal())
        self.show_retired.toggled.connect(lambda _on: self._fill_goals())
        self.add_goal_button.clicked.connect(lambda: self._dialog(GoalDialog(self.data_file, None, self)))
        self.edit_goal_button.clicked.connect(self.edit_goal)
        self.retire_goal_button.clicked.connect(self.retire_goal)
        self.up_button.clicked.connect(lambda: self.move_goal(-1))
        self.down_button.clicked.connect(lambda: self.move_goal(1))
        self.import_button.clicked.connect(self.import_goals)
        self.metric_table.itemSelectionChanged.connect(self._update_controls)
        self.metric_table.itemSelectionChanged.connect(self._show_metric)
        self.metric_table.itemActivated.connect(lambda _item: self.edit_metric())
        self.add_metric_button.clicked.connect(
            lambda: self._dialog(MetricDialog(self.data_file, self.school_year, None, self)))
        self.edit_metric_button.clicked.connect(self.edit_metric)
        self.delete_metric_button.clicked.connect(self.delete_metric)
        self.copy_metrics_button.clicked.connect(self.copy_metrics)
        self.agree_button.clicked.connect(self.agree_metrics)
        self.feedback_table.itemSelectionChanged.connect(self._update_controls)
        self.feedback_table.itemActivated.connect(lambda _item: self.edit_feedback())
        self.add_feedback_button.clicked.connect(
            lambda: self._dialog(FeedbackDialog(self.data_file, self.schools, None, self)))
        self.edit_feedback_button.clicked.connect(self.edit_feedback)
        self.delete_feedback_button.clicked.connect(self.delete_feedback)
        self.form.changed.connect(self._form_changed)
        self.save_button.clicked.connect(self.save)
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button.clicked.connect(self.reopen)

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        if data_file is not self.data_file:
            self.data_file = data_file
            self.school_year = ""
            self._dirty = False
        # What the year shown first needs, asked for in one statement (its metrics' counts in one more).
        year = self.school_year or current_school_year(data_file)
        data_file.prefetch([*_YEARS_READS, *rv.page_reads(data_file, year)])
        district = load_district(data_file)
        self.schools = [(s.id, s.name) for s in district.schools] if district else []
        self._fill_years()
        self._show_year()

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        """Save the review's unsaved edits (goals, metrics and feedback are saved by their dialogs)."""
        if not self._dirty:
            return True
        if self.data_file is None or not self.editable:
            return False
        return self._save_review(self.form.current())

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._update_controls()

    # -- the year ---------------------------------------------------------------------

    def _fill_years(self) -> None:
        this_year = current_school_year(self.data_file)
        known: set[str] = set()
        for sql, _params, _columns in _YEARS_READS:
            known |= {r["school_year"] for r in self.data_file.query(sql)}
        self.school_year = self.school_year or this_year
        fill_years(self.year, years_to_offer(this_year, known, keep=self.school_year, last=True, next_year=True),
                   self.school_year)

    def choose_year(self, year: str) -> bool:
        """Show another school year, asking first about unsaved edits to the review."""
        if year == self.school_year or self.data_file is None:
            return True
        if self._dirty and not self._ask_to_save():
            self.year.setCurrentIndex(self.year.findData(self.school_year))
            return False
        self._dirty = False
        self.school_year = year
        self.review_scroll.verticalScrollBar().setValue(0)
        if self.year.findData(year) < 0:
            self._fill_years()
        self.year.setCurrentIndex(self.year.findData(year))
        self._show_year()
        return True

    def _ask_to_save(self) -> bool:
        answer = QMessageBox.question(
            self, APP, f"Save your changes to the {self.school_year} review first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._dirty = False
            return True
        return False

    # -- showing ----------------------------------------------------------------------

    def _show_year(self) -> None:
        """Read the year afresh; unsaved typing in the review is kept."""
        if self.data_file is None:
            return
        with self.data_file.reading():
            self._read_year()

    def _read_year(self) -> None:
        data_file, year = self.data_file, self.school_year
        self.error.hide()
        data_file.prefetch(rv.page_reads(data_file, year))
        self.goals = rv.list_goals(data_file, include_retired=True, school_year=year)
        self.metrics = rv.metrics_for(data_file, year)
        # The counted metrics, this year's and the year before's, in one more statement.
        data_file.prefetch([*rv.metric_reads(data_file, self.metrics, year),
                            *rv.metric_reads(data_file, self.metrics, previous_school_year(year))])
        self.feedback = rv.feedback_for(data_file, year)
        self.stored = rv.load_review(data_file, year)
        self.feedback_caption.setText(
            f"What principals, teachers, students and families said about the program in {year_name(year)}; "
            "the review weighs it. A summary is enough: no names are needed.")
        self._fill_goals()
        self._fill_metrics()
        self._fill_feedback()
        late = rv.metrics_agreed_late(data_file, year)
        self.late.setText(late or "")
        self.late.setVisible(bool(late))
        duties = [note.sentence() for note in duties_recorded(data_file, year)]
        self.duties.setText("\n".join([*duties, SOURCE_NOTE]) if duties else "")
        self.duties.setVisible(bool(duties))
        self._load_form()
        self._update_controls()

    def _load_form(self) -> None:
        data_file, year = self.data_file, self.school_year
        meetings = meetings_for(data_file, year, "annual_review")
        placed = [(officer_id, school_id) for school_id, officers in placements(data_file, year).items()
                  for officer_id, _name in officers]
        placed = list(dict.fromkeys(placed)) or [(officer_id, None) for officer_id, _ in sros_for_year(data_file, year)]
        if self._dirty:
            review = self.form.current()
        elif self.stored is not None:
            review = copy.deepcopy(self.stored)
        else:
            review = AnnualReview(year, meeting_id=meetings[-1].id if meetings else None,
                                  assignments=[Assignment(o, s) for o, s in placed])
        officers = [(o.id, o.name) for o in list_officers(data_file)]
        self.form.load(review, self.goals, self.metrics, meetings, officers, self.schools, placed)

    @staticmethod
    def _selected(table, items: list):
        rows = {index.row() for index in table.selectedIndexes()}
        return items[min(rows)] if rows and min(rows) < len(items) else None

    def _shown_goals(self) -> list[Goal]:
        return [g for g in self.goals if self.show_retired.isChecked() or not g.retired]

    def _fill_goals(self, select: int | None = None) -> None:
        keep = select if select is not None else getattr(self._selected_goal(), "id", None)
        self._shown = self._shown_goals()
        self.goal_table.setRowCount(len(self._shown))
        labels = {"default": "Model agreement", "agreement": "The agreement", "district": "The district"}
        number = 0
        for row, goal in enumerate(self._shown):
            if not goal.retired:
                number += 1
            self.goal_table.setItem(row, 0, cell("Retired" if goal.retired else str(number)))
            self.goal_table.setItem(row, 1, cell(goal.text, wrap=True))
            self.goal_table.setItem(row, 2, cell(labels.get(goal.source, goal.source)))
        self.goal_table.resizeRowsToContents()
        self._reselect(self.goal_table, [g.id for g in self._shown], keep)
        self._update_controls()

    def _fill_metrics(self) -> None:
        keep = getattr(self._selected_metric(), "id", None)
        data_file, year = self.data_file, self.school_year
        previous = previous_school_year(year)
        before = {m.name.casefold(): m.manual_value for m in rv.metrics_for(data_file, previous)
                  if not m.computed}
        # As the printed review does: no count for a year with nothing recorded.
        counted_before = rv._has_records(data_file, previous)
        self._metric_rows = list(self.metrics)
        self._metric_cells = {}
        self.metric_table.setRowCount(len(self.metrics))
        for row, metric in enumerate(self.metrics):
            try:
                now = rv.metric_actual(data_file, metric)
                last = (rv.compute_metric(data_file, metric.source, previous).text if counted_before else "") \
                    if metric.computed else before.get(metric.name.casefold(), "")
            except Exception as exc:
                now, last = error_sentence(exc), ""
            source = f"Counted: {rv.COMPUTED[metric.source]}" if metric.computed else "Entered by hand"
            cells = [metric.name, metric.measures, metric.target, source, now, last, metric.agreed_on,
                     metric.agreed_by or ("Not agreed yet" if not metric.agreed_on else "")]
            for column, text in enumerate(cells):
                self.metric_table.setItem(row, column, cell(text))
            self._metric_cells[metric.id] = cells
        self._reselect(self.metric_table, [m.id for m in self.metrics], keep)
        self._show_metric()

    def _show_metric(self) -> None:
        """The chosen metric in full (the table shows one line of each)."""
        metric = self._selected_metric()
        if metric is None:
            agreed = {(m.agreed_on, m.agreed_by) for m in self.metrics if m.agreed_on}
            if not self.metrics:
                text = (f"No metrics for {plain(self.school_year)} yet: add them, or copy last year's, and record "
                        "when the Chief and the Superintendent agreed them.")
            elif len(agreed) == 1 and all(m.agreed_on for m in self.metrics):
                on, by = agreed.pop()
                text = f"All {len(self.metrics)} metrics were agreed on <b>{plain(on)}</b> by {plain(by)}."
            else:
                text = "Choose a metric to see it in full."
            self.metric_detail.setText(text)
            return
        name, measures, target, source, now, last, on, by = self._metric_cells[metric.id]
        agreed = f"agreed on {plain(on)} by {plain(by)}" if on else "<b>not agreed yet</b>"
        self.metric_detail.setText(
            f"<b>{plain(name)}</b>: {plain(measures) or 'what it measures is not written yet'}<br>"
            f"Target: {plain(target) or 'none set'} · Source: {plain(source)} · Now: <b>{plain(now) or '—'}</b> · "
            f"Last year: {plain(last) or '—'} · {agreed}.")

    def _fill_feedback(self) -> None:
        keep = getattr(self._selected_feedback(), "id", None)
        schools = dict(self.schools)
        self._feedback_rows = list(self.feedback)
        self.feedback_table.setRowCount(len(self.feedback))
        for row, item in enumerate(self.feedback):
            where = schools.get(item.school_id, "") if item.school_id else "District-wide"
            for column, text in enumerate((item.received_on, item.group_label, where, item.summary)):
                self.feedback_table.setItem(row, column, cell(text, wrap=column == 3))
        self.feedback_table.resizeRowsToContents()
        self._reselect(self.feedback_table, [f.id for f in self.feedback], keep)

    @staticmethod
    def _reselect(table, ids: list, keep) -> None:
        if keep in ids:
            table.selectRow(ids.index(keep))
        else:
            table.clearSelection()

    def _selected_goal(self) -> Goal | None:
        return self._selected(self.goal_table, self._shown)

    def _selected_metric(self) -> ReviewMetric | None:
        return self._selected(self.metric_table, self._metric_rows)

    def _selected_feedback(self) -> Feedback | None:
        return self._selected(self.feedback_table, self._feedback_rows)

    def _overview_text(self) -> str:
        goals = sum(1 for g in self.goals if not g.retired)
        agreed = sorted({m.agreed_on for m in self.metrics if m.agreed_on})
        unagreed = sum(1 for m in self.metrics if not m.agreed_on)
        metrics = f"{len(self.metrics)} metric{'s' if len(self.metrics) != 1 else ''}"
        if unagreed:
            metrics += f" ({unagreed} not agreed yet)"
        elif agreed:
            metrics += f" (agreed {agreed[-1]})"
        if self.stored is None:
            review = "no review yet"
        else:
            review = f"review {rv.STATUSES[self.stored.status].lower()}"
        return (f"{goals} goals · {metrics} · {len(self.feedback)} feedback "
                f"entr{'ies' if len(self.feedback) != 1 else 'y'} · <b>{plain(review)}</b>")

    def _show_review_status(self) -> None:
        stored, year = self.stored, plain(self.school_year)
        held = self.form.review.held_on
        when = f" Held on {plain(held)}." if held else " The review meeting is not chosen yet."
        if stored is None:
            text = (f"<b>No review of {year} yet.</b> Write the findings below and choose Save Review to keep "
                    "a draft; choose Finalise… once the review meeting has been held.")
        elif stored.final:
            text = f"<b>Final.</b>{when} The review is read-only; choose Reopen… to correct it."
        else:
            text = (f"<b>Draft.</b>{when} Choose Finalise… once the review meeting has been held and "
                    "every finding is written.")
        if self._dirty:
            text += " <i>You have unsaved changes.</i>"
        self.review_status.setText(text)

    def _update_controls(self) -> None:
        editable = self.editable and self.data_file is not None
        goal, metric, feedback = self._selected_goal(), self._selected_metric(), self._selected_feedback()
        has_goal = goal is not None and goal.id is not None
        shown = self._shown
        position = shown.index(goal) if goal in shown else -1
        self.add_goal_button.setEnabled(editable)
        self.edit_goal_button.setEnabled(editable and has_goal)
        self.retire_goal_button.setEnabled(editable and has_goal)
        self.retire_goal_button.setText("&Restore Goal" if goal is not None and goal.retired else "&Retire Goal")
        self.up_button.setEnabled(editable and has_goal and position > 0)
        self.down_button.setEnabled(editable and has_goal and 0 <= position < len(shown) - 1)
        self.import_button.setEnabled(editable)
        self.add_metric_button.setEnabled(editable)
        self.edit_metric_button.setEnabled(editable and metric is not None)
        self.delete_metric_button.setEnabled(editable and metric is not None)
        self.copy_metrics_button.setEnabled(editable)
        self.agree_button.setEnabled(editable and bool(self.metrics))
        self.add_feedback_button.setEnabled(editable)
        self.edit_feedback_button.setEnabled(editable and feedback is not None)
        self.delete_feedback_button.setEnabled(editable and feedback is not None)
        final = self.stored is not None and self.stored.final
        self.form.set_editable(editable and not final)
        self.save_button.setEnabled(editable and not final and self._dirty)
        self.save_action.setEnabled(editable and not final)
        self.finalise_button.setEnabled(editable and not final)
        self.reopen_button.setEnabled(editable and final)
        self.pdf_button.setEnabled(self.data_file is not None)
        if self.data_file is not None:
            self.overview.setText(self._overview_text())
            self._show_review_status()

    def _form_changed(self) -> None:
        if not self._dirty:
            self._dirty = True
            self._update_controls()

    # -- goals, metrics, feedback -------------------------------------------------------

    def _changed(self) -> None:
        """Something was saved: read the year again (the review's typing is kept)."""
        self._show_year()
        self.saved.emit()

    def _dialog(self, dialog) -> bool:
        if self.data_file is None or not dialog.exec():
            return False
        self._changed()
        return True

    def _act(self, action) -> bool:
        self.error.hide()
        try:
            action()
        except Exception as exc:
            self._show_year()
            self.show_problem(exc)
            return False
        self._changed()
        return True

    def edit_goal(self) -> None:
        goal = self._selected_goal()
        if goal is not None and goal.id is not None and self.editable:
            self._dialog(GoalDialog(self.data_file, goal, self))

    def retire_goal(self) -> None:
        goal = self._selected_goal()
        if goal is None or goal.id is None:
            return
        if self._act(lambda: rv.retire_goal(self.data_file, goal, retired=not goal.retired)):
            self._fill_goals(select=goal.id)  # still listed when retired goals are shown

    def move_goal(self, step: int) -> None:
        goal = self._selected_goal()
        shown = self._shown
        if goal is None or goal not in shown or not 0 <= shown.index(goal) + step < len(shown):
            return
        neighbour = shown[shown.index(goal) + step]
        order = list(self.goals)
        a, b = order.index(goal), order.index(neighbour)
        order[a], order[b] = order[b], order[a]
        if self._act(lambda: rv.reorder_goals(self.data_file, order)):
            self._fill_goals(select=goal.id)
            self.goal_table.setFocus()

    def import_goals(self) -> None:
        added: list[int] = []
        if self._act(lambda: added.append(rv.import_goals_from_agreement(self.data_file, self.school_year))):
            n = added[0]
            QMessageBox.information(
                self, APP,
                f"Added {n} goal{'s' if n != 1 else ''} from the agreement." if n
                else "Every goal of the agreement is already listed.")

    def edit_metric(self) -> None:
        metric = self._selected_metric()
        if metric is not None and self.editable:
            self._dialog(MetricDialog(self.data_file, self.school_year, metric, self))

    def delete_metric(self) -> None:
        metric = self._selected_metric()
        if metric is None:
            return
        answer = QMessageBox.question(self, APP, plain_sentence(f"Delete the metric {metric.name}?"), _YES | _NO, _NO)
        if answer == _YES:
            self._act(lambda: rv.delete_metric(self.data_file, metric))

    def copy_metrics(self) -> None:
        previous = previous_school_year(self.school_year)
        added: list[int] = []
        if self._act(lambda: added.append(rv.copy_metrics_from(self.data_file, previous, self.school_year))):
            n = added[0]
            QMessageBox.information(
                self, APP,
                f"Copied {n} metric{'s' if n != 1 else ''} from {previous}; enter the targets for "
                f"{self.school_year} and record when the Chief and the Superintendent agree them." if n
                else f"Every metric of {previous} is already listed for {self.school_year}.")

    def agree_metrics(self) -> None:
        if not self.metrics:
            return
        earlier = [m.agreed_by for m in self.metrics if m.agreed_by] or [
            m.agreed_by for m in rv.metrics_for(self.data_file, previous_school_year(self.school_year))
            if m.agreed_by]
        self._dialog(AgreeMetricsDialog(self.data_file, self.school_year, len(self.metrics),
                                        earlier[0] if earlier else "", self))

    def edit_feedback(self) -> None:
        item = self._selected_feedback()
        if item is not None and self.editable:
            self._dialog(FeedbackDialog(self.data_file, self.schools, item, self))

    def delete_feedback(self) -> None:
        item = self._selected_feedback()
        if item is None:
            return
        answer = QMessageBox.question(
            self, APP, f"Delete the feedback from {item.group_label.lower()} of {item.received_on}?", _YES | _NO, _NO)
        if answer == _YES:
            self._act(lambda: rv.delete_feedback(self.data_file, item))

    # -- the review -------------------------------------------------------------------

    def _save_review(self, review: AnnualReview, *, final: bool = False) -> bool:
        self.review_error.hide()
        try:
            if final:
                rv.finalise(self.data_file, review)
            else:
                rv.save_review(self.data_file, review)
        except ConflictError as conflict:
            return self._resolve(conflict, review, final)
        except Exception as exc:
            self._refused(exc)
            return False
        self._dirty = False
        self._show_year()
        self.saved.emit()
        return True

    def _refused(self, exc: BaseException) -> None:
        """Show the sentence and put the cursor where it points; the typing stays."""
        self.review_error.setText(error_sentence(exc))
        self.review_error.show()
        self.tabs.setCurrentWidget(self.review_tab)
        widget = self.form.focus_problem(getattr(exc, "field", None))
        if widget is not None:
            self.review_scroll.ensureWidgetVisible(widget)

    def _resolve(self, conflict: ConflictError, mine: AnnualReview, final: bool) -> bool:
        dialog = ConflictDialog(conflict, self)
        dialog.exec()
        latest = rv.load_review(self.data_file, self.school_year)
        if dialog.choice == ConflictDialog.TAKE_THEIRS:
            self._dirty = False
            self._show_year()
            return False
        if dialog.choice == ConflictDialog.KEEP_MINE and latest is not None and not latest.final:
            return self._save_review(_rebase(mine, latest), final=final)
        self._refused(conflict)
        return False

    def finalise(self) -> None:
        """Ask first, saying what finalising does; then save the review as final and sealed."""
        if self.data_file is None or not self.editable or (self.stored is not None and self.stored.final):
            return
        answer = QMessageBox.question(
            self, APP, finalise_question(self.school_year, self._dirty),
            _YES | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == _YES:
            self._save_review(self.form.current(), final=True)

    def reopen(self) -> None:
        if self.data_file is None or self.stored is None or not self.stored.final:
            return
        answer = QMessageBox.question(
            self, APP,
            f"Reopen the final {self.school_year} review as a draft to correct it? The reopening is "
            "recorded in the audit log.", _YES | _NO, _NO)
        if answer != _YES:
            return
        self.review_error.hide()
        try:
            rv.reopen(self.data_file, self.stored)
        except Exception as exc:
            self._refused(exc)
            return
        self._show_year()
        self.saved.emit()

    # -- the report -------------------------------------------------------------------

    def save_pdf(self) -> None:
        from sro_desk.documents.review import build_review_pdf

        if self.data_file is None:
            return
        self.error.hide()
        if self._dirty:
            answer = QMessageBox.question(
                self, APP, "The report is printed from what is saved. Save your changes to the review first?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Save or not self.save():
                return
        year = self.school_year
        try:
            printable = rv.printable_review(self.data_file, year)
        except Exception as exc:
            self.show_problem(exc)
            return
        dialog = CopiesDialog(year, printable.attendees, self)
        if not dialog.exec():
            return
        copy_for, all_copies = dialog.choice()
        suffix = f" - {copy_for[0]}" if copy_for else " - every attendee" if all_copies else ""
        suggested = re.sub(r'[\\/:*?"<>|]', "", f"SRO annual review {year}{suffix}.pdf")
        name, _ = QFileDialog.getSaveFileName(self, "Save the review report", suggested, "PDF (*.pdf)")
        if not name:
            return
        out = Path(name)
        what = (f"the copy for {copy_for[0]}" if copy_for else
                "a named copy for each attendee" if all_copies else "the review report")
        run_task(
            self.tasks, self, "Building the review report…",
            lambda progress: build_review_pdf(printable, out, copy_for=copy_for, all_copies=all_copies),
            lambda _r: QMessageBox.information(self, APP, plain_sentence(f"Saved {what} to {out}.")),
            self.show_problem,
        )


def year_name(school_year: str) -> str:
    """A school year as a heading or a sentence names it: 2025–2026."""
    return school_year.replace("-", "\u2013")


def finalise_question(school_year: str, unsaved: bool) -> str:
    """What finalising a review does, asked before it is done (see ``rv.finalise`` and ``records.seals``)."""
    saved = "Your unsaved changes are saved with it. " if unsaved else ""
    return (f"Finalise the {school_year} review? It is saved as the final review, as the form shows it now, "
            f"and becomes read-only. {saved}It is also sealed: the file keeps a fingerprint of its meeting, "
            "findings, performance, summary and assignments, so any later change to them shows in File > Check File. "
            "To correct it afterwards, choose Reopen…: it becomes a draft again, the reopening is recorded "
            "in the audit log, and it is sealed again when you finalise it.")


def _rebase(mine: AnnualReview, latest: AnnualReview) -> AnnualReview:
    """Mine, stamped with the latest versions, so saving puts mine over theirs."""
    def subject(finding):
        return ("goal", finding.goal_id) if finding.goal_id is not None else ("metric", finding.metric_id)

    theirs = {subject(f): f for f in latest.findings}
    assignments = {a.id: a for a in latest.assignments}
    findings = []
    for finding in mine.findings:
        match = theirs.get(subject(finding))
        findings.append(replace(finding, id=match.id, version=match.version) if match
                        else replace(finding, id=None, version=0))
    return replace(
        mine, id=latest.id, version=latest.version, findings=findings,
        assignments=[replace(a, version=assignments[a.id].version) if a.id in assignments
                     else replace(a, id=None, version=0) for a in mine.assignments],
    )
