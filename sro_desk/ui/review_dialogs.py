"""The Review page's parts: the review form (meeting, findings, narrative, assignments),
and its dialogs (a goal, a metric, the metrics' agreement, feedback, the copies to print)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sro_desk.records import review as rv
from sro_desk.records.calendar import parse_school_year
from sro_desk.records.meetings import Meeting
from sro_desk.records.review import AnnualReview, Assignment, Feedback, Finding, Goal, ReviewMetric
from sro_desk.store import DataFile
from sro_desk.ui.page import form_row, read_only_table
from sro_desk.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    plain,
)
from sro_desk.ui.training_dialogs import FormDialog


def text_box(text: str = "", lines: int = 4, *, grows: bool = True) -> QPlainTextEdit:
    """Room for a few ``lines`` of plain text (more only if ``grows``); Tab moves on, as in
    every form of the app."""
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    margins = box.contentsMargins()
    height = box.fontMetrics().lineSpacing() * lines + 2 * int(box.document().documentMargin()) \
        + margins.top() + margins.bottom() + 2
    box.setMinimumHeight(height)
    if not grows:
        box.setMaximumHeight(height)
    return box


def _fits(combo: QComboBox) -> QComboBox:
    """A combo as wide as its longest choice, not as wide as the form."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return combo


def caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class GoalDialog(FormDialog):
    """Add a goal of the program, or reword one."""

    def __init__(self, data_file: DataFile, goal: Goal | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Program goal" if goal else "Add a program goal", parent)
        self.data_file = data_file
        self.goal = goal or Goal("")
        self.text = text_box(self.goal.text, 3)
        self.text.setPlaceholderText("One sentence, e.g. Students feel safe talking to the SRO.")
        self.row("&Goal:", self.text, "Goal")
        self.resize(560, self.minimumSizeHint().height())

    def save(self):
        return rv.save_goal(self.data_file, Goal(**{**self.goal.__dict__, "text": self.text.toPlainText()}))


class MetricDialog(FormDialog):
    """A metric the review measures: entered by hand, or counted from the file."""

    def __init__(
        self, data_file: DataFile, school_year: str, metric: ReviewMetric | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Review metric, {school_year}", parent)
        self.data_file = data_file
        self.school_year = school_year
        self.original = metric or ReviewMetric(school_year, "")
        self.source = QComboBox()
        self.source.addItem("Entered by hand", rv.MANUAL)
        for key, label in rv.COMPUTED.items():
            self.source.addItem(f"Counted from the file: {label}", key)
        self.source.setCurrentIndex(max(0, self.source.findData(self.original.source)))
        self.name = QLineEdit(self.original.name)
        self.measures = text_box(self.original.measures, 3, grows=False)
        self.target = QLineEdit(self.original.target)
        self.target.setPlaceholderText("e.g. Fewer than last year")
        self.value = QLineEdit(self.original.manual_value)
        self.value.setPlaceholderText("The value found, e.g. 84%")
        self.counted = caption("")
        self.counted.setAccessibleName("Value counted from the file")
        self.row("&Source:", self.source, "Source of the value")
        self.row("&Name:", self.name, "Metric name")
        self.row("What it &measures:", self.measures, "What the metric measures")
        self.row("&Target:", self.target, "Target")
        self.row("&Value:", self.value, "Value entered by hand")
        self.form.addRow("", self.counted)
        if self.original.agreed_on:
            self.extra.addWidget(caption(
                f"Agreed on {self.original.agreed_on}. Changing its name, what it measures, its target or "
                "its source means the Chief and the Superintendent must agree it again."))
        self.source.currentIndexChanged.connect(lambda _i: self._source_chosen())
        self._source_chosen()
        self.resize(620, self.minimumSizeHint().height())

    def _source_chosen(self) -> None:
        key = self.source.currentData()
        computed = key in rv.COMPUTED
        self.value.setEnabled(not computed)
        self.name.setPlaceholderText(rv.COMPUTED.get(key, "e.g. Students who say they feel safe at school"))
        self.measures.setPlaceholderText(rv.COMPUTED_MEASURES.get(key, "How the value is found"))
        if not computed:
            self.counted.setText("")
            self.counted.hide()
            return
        try:
            found = rv.compute_metric(self.data_file, key, self.school_year).text or "nothing yet"
        except Exception:  # a preview only; the page shows the value after saving
            found = "not available"
        self.counted.setText(f"Counted from the file for {self.school_year} now: {found}")
        self.counted.show()

    def save(self):
        metric = ReviewMetric(**{
            **self.original.__dict__,
            "name": self.name.text(),
            "measures": self.measures.toPlainText(),
            "target": self.target.text(),
            "source": self.source.currentData(),
            "manual_value": self.value.text(),
        })
        return rv.save_metric(self.data_file, metric)


class AgreeMetricsDialog(FormDialog):
    """Record that the Chief and the Superintendent agreed the year's metrics."""

    def __init__(self, data_file: DataFile, school_year: str, count: int, agreed_by: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Metrics agreed for {school_year}", parent)
        self.data_file = data_file
        self.school_year = school_year
        self.on = QLineEdit(date.today().isoformat())
        self.on.setPlaceholderText("YYYY-MM-DD")
        self.by = QLineEdit(agreed_by)
        self.by.setPlaceholderText("e.g. Chief Dana Ortiz and Superintendent Maria Santos")
        self.by.setMinimumWidth(380)
        self.extra.addWidget(caption(
            f"The Chief and the Superintendent agree the {count} metric{'s' if count != 1 else ''} for "
            f"{school_year} in advance, before the school year starts."))
        self.row("Agreed &on:", self.on, "Date the metrics were agreed")
        self.row("Agreed &by:", self.by, "Who agreed the metrics")

    def save(self):
        return rv.agree_metrics(self.data_file, self.school_year, self.on.text(), self.by.text())


class FeedbackDialog(FormDialog):
    """Feedback gathered from a group of the school community: a summary, no names needed."""

    def __init__(self, data_file: DataFile, schools: list[tuple[int, str]], feedback: Feedback | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Community feedback", parent)
        self.data_file = data_file
        self.feedback = feedback or Feedback(date.today().isoformat(), "principals", "")
        self.received_on = QLineEdit(self.feedback.received_on)
        self.received_on.setPlaceholderText("YYYY-MM-DD")
        self.group = QComboBox()
        for key, label in rv.SOURCE_GROUPS.items():
            self.group.addItem(label, key)
        self.group.setCurrentIndex(max(0, self.group.findData(self.feedback.source_group)))
        self.school = QComboBox()
        self.school.addItem("Not one school (district-wide)", None)
        for school_id, name in schools:
            self.school.addItem(name, school_id)
        self.school.setCurrentIndex(max(0, self.school.findData(self.feedback.school_id)))
        self.summary = text_box(self.feedback.summary, 6)
        self.summary.setPlaceholderText("What the group said, in a few sentences; no names are needed.")
        self.row("&Date gathered:", self.received_on, "Date the feedback was gathered")
        self.row("&From:", self.group, "Who the feedback came from")
        self.row("&School:", self.school, "School")
        self.row("S&ummary:", self.summary, "Summary of the feedback")
        self.resize(560, self.minimumSizeHint().height())

    def save(self):
        feedback = Feedback(**{
            **self.feedback.__dict__,
            "received_on": self.received_on.text(),
            "source_group": self.group.currentData(),
            "school_id": self.school.currentData(),
            "summary": self.summary.toPlainText(),
        })
        return rv.save_feedback(self.data_file, feedback)


class CopiesDialog(FormDialog):
    """Which copy of the review report to print: plain, one attendee's, or everyone's."""

    def __init__(self, school_year: str, attendees: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(f"Review report {school_year}", parent)
        self.copies = QComboBox()
        if attendees:
            self.copies.addItem("A named copy for every attendee, in one PDF", ("all", None))
            for name, role in attendees:
                self.copies.addItem(f"The copy for {name}{', ' + role if role else ''}", ("one", (name, role)))
        self.copies.addItem("One copy, not named", ("plain", None))
        self.row("&Copies:", self.copies, "Which copies to print")
        self.extra.addWidget(caption(
            "Every attendee of the review meeting gets a copy; each named copy carries its holder's name."
            if attendees else
            "No attendees are recorded for the review meeting, so the copies cannot be named; record who "
            "attended on the meeting to print a copy for each."))

    def save(self):
        return self.copies.currentData()

    def choice(self) -> tuple[tuple[str, str] | None, bool]:
        """(copy_for, all_copies) for build_review_pdf."""
        kind, attendee = self.copies.currentData()
        return (attendee if kind == "one" else None), kind == "all"


# -- the review form -------------------------------------------------------------------

_RATINGS = [("", "Not rated yet"), *rv.RATINGS.items()]
#: Whether the chief keeps an officer the superintendent recommended ending.
_KEEPS = [("", None, "Not recorded yet"), ("yes", True, "Yes, the chief keeps the officer"),
          ("no", False, "No, the assignment ends")]
_NO_ID = 0  # a combo's "none" choice (ids start at 1)


def list_table(columns: list[str], name: str, *, wrap: bool = False) -> QTableWidget:
    """A read-only table of rows chosen one at a time; Tab leaves it, arrows move in it.
    With ``wrap`` long text wraps and rows grow to fit it as the columns are resized."""
    table = QTableWidget(0, len(columns))
    table.setWordWrap(wrap)
    if wrap:
        header = table.verticalHeader()
        header.setMinimumSectionSize(header.defaultSectionSize())
        # Once the columns have settled (a resize moves several of them in turn).
        timer = QTimer(table)
        timer.setSingleShot(True)
        timer.timeout.connect(table.resizeRowsToContents)
        table.horizontalHeader().sectionResized.connect(lambda *_a: timer.start(0))
    table.setHorizontalHeaderLabels(columns)
    read_only_table(table, name)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return table


def cell(text: str, *, wrap: bool = False) -> QTableWidgetItem:
    """A table cell showing ``text`` (on one line unless ``wrap``), all of it in the tooltip."""
    item = QTableWidgetItem(text if wrap else " ".join(text.split()))
    if text:
        item.setToolTip(text)
    return item


class ReviewForm(QWidget):
    """The year's review as a working copy: the meeting, a finding per goal and per metric,
    the narrative, the summary and the assignments. Every edit changes the copy and emits
    ``changed``; the page saves it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = AnnualReview("")
        self.subjects: list[tuple[tuple[str, int], str]] = []
        self.findings: dict[tuple[str, int], Finding] = {}
        self.assignments: list[Assignment] = []
        self.meetings: list[Meeting] = []
        self.officers: list[tuple[int, str]] = []
        self.schools: list[tuple[int, str]] = []
        self.placed: list[tuple[int, int | None]] = []
        self._loading = False
        self._editable = True

        boxes = (self._build_meeting_box(), self._build_findings_box(), self._build_narrative_box(),
                 self._build_assignment_box())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in boxes:
            layout.addWidget(box)
        self._connect_signals()

    # -- building the form ---------------------------------------------------------------

    def _build_meeting_box(self) -> QGroupBox:
        """The meeting the review was held at, with its date and attendees."""
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Review meeting")
        self.meeting.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        meeting_label = QLabel("Re&view meeting:")
        meeting_label.setBuddy(self.meeting)
        self.meeting_info = QLabel()
        self.meeting_info.setTextFormat(Qt.TextFormat.RichText)
        self.meeting_info.setWordWrap(True)
        self.meeting_info.setAccessibleName("Date and attendees of the review meeting")
        meeting_box = QGroupBox("The review meeting")
        meeting_layout = QVBoxLayout(meeting_box)
        row = QHBoxLayout()
        row.addWidget(meeting_label)
        row.addWidget(self.meeting)
        row.addStretch(1)
        meeting_layout.addLayout(row)
        meeting_layout.addWidget(self.meeting_info)
        return meeting_box

    def _build_findings_box(self) -> QGroupBox:
        """A finding per goal and per metric: the list, and the chosen one's rating and text."""
        self.findings_table = list_table(["Goal or metric", "Rating", "Finding"], "Findings on each goal and metric")
        self.findings_table.setWordWrap(True)  # two lines of each; the chosen one is shown in full below
        self.findings_table.setMinimumHeight(240)
        self.findings_table.setColumnWidth(0, 400)
        self.findings_table.setColumnWidth(1, 90)
        self.subject = caption("")
        self.subject.setAccessibleName("Goal or metric chosen")
        self.rating = _fits(QComboBox())
        for key, label in _RATINGS:
            self.rating.addItem(label, key)
        self.finding = text_box("", 3, grows=False)
        self.finding.setPlaceholderText("What the review found on this goal or metric.")
        findings_box = QGroupBox("Findings on each goal and metric")
        findings_layout = QVBoxLayout(findings_box)
        findings_layout.addWidget(self.findings_table, 1)
        findings_layout.addWidget(self.subject)
        findings_form = QFormLayout()
        for text, widget, name in (("Rating:", self.rating, "Rating"), ("Finding:", self.finding, "Finding")):
            self._labelled(findings_form, text, widget, name)
        findings_layout.addLayout(findings_form)
        return findings_box

    def _build_narrative_box(self) -> QGroupBox:
        """The SRO's performance and the review's summary, in words."""
        self.performance = text_box("", 4, grows=False)
        self.performance.setPlaceholderText("How the SRO did in the year: work with students, families and "
                                            "staff, prevention, de-escalation, avoiding arrests and court "
                                            "referrals.")
        self.summary = text_box("", 4, grows=False)
        self.summary.setPlaceholderText("The review in a few sentences, for the attendees and the school committee.")
        narrative_box = QGroupBox("The SRO's performance and the summary")
        narrative_form = QFormLayout(narrative_box)
        self._labelled(narrative_form, "Performance:", self.performance, "The SRO's performance")
        self._labelled(narrative_form, "Summary:", self.summary, "Summary of the review")
        return narrative_box

    def _build_assignment_controls(self) -> None:
        """The assignments' list, its buttons, and the fields of the assignment chosen."""
        self.assignment_table = list_table(
            ["Officer", "School", "Superintendent recommends", "Chief keeps the officer?", "Reason"], "Assignments")
        # Room for four officers without a scroll bar, as most districts have one or two.
        rows = self.assignment_table.verticalHeader().defaultSectionSize() * 4
        self.assignment_table.setFixedHeight(rows + self.assignment_table.horizontalHeader().sizeHint().height() + 4)
        for column, width in enumerate((160, 230, 200, 170)):
            self.assignment_table.setColumnWidth(column, width)
        self.add_button = QPushButton("Add Assignment")
        self.add_button.setAccessibleName("Add an assignment")
        self.remove_button = QPushButton("Remove Assignment")
        self.remove_button.setAccessibleName("Remove the assignment")
        self.officer = _fits(QComboBox())
        self.school = _fits(QComboBox())
        self.recommendation = _fits(QComboBox())
        for key, label in rv.RECOMMENDATIONS.items():
            self.recommendation.addItem(label, key)
        self.reason = text_box("", 3, grows=False)
        self.keeps = _fits(QComboBox())
        for key, _value, label in _KEEPS:
            self.keeps.addItem(label, key)
        self.explanation = text_box("", 3, grows=False)
        self.explanation.setPlaceholderText("Required when the chief keeps an officer the superintendent "
                                            "recommended ending: why, in writing.")

    def _build_assignment_box(self) -> QGroupBox:
        """The superintendent's recommendation on each SRO's assignment, and the chief's answer."""
        self._build_assignment_controls()
        self.assignment_box = assignment_box = QGroupBox("Assignments for the next school year")
        assignment_layout = QVBoxLayout(assignment_box)
        assignment_layout.addWidget(caption(
            "The superintendent's recommendation on each SRO's assignment. When the chief keeps an officer "
            "the superintendent recommended ending, the chief must explain why in writing."))
        assignment_layout.addWidget(self.assignment_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        assignment_layout.addLayout(row)
        assignment_layout.addLayout(self._build_assignment_grid())
        return assignment_box

    def _build_assignment_grid(self) -> QGridLayout:
        """The chosen assignment's fields in two columns: the choices on the left, the writing on the right."""
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        for number, (text, widget, name) in enumerate((
            ("Officer:", self.officer, "Officer"),
            ("School:", self.school, "School"),
            ("Superintendent recommends:", self.recommendation, "Superintendent's recommendation"),
            ("Chief keeps the officer?", self.keeps, "Does the chief keep the officer?"),
        )):
            grid.addWidget(self._label(text, widget, name), number, 0)
            grid.addWidget(widget, number, 1)
        for top, (text, widget, name) in zip((0, 2), (
            ("Reason:", self.reason, "Reason for the recommendation"),
            ("Chief's e&xplanation:", self.explanation, "Chief's explanation"),
        )):
            grid.addWidget(self._label(text, widget, name), top, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, top, 3, 2, 1)
        return grid

    def _connect_signals(self) -> None:
        """Every edit changes the working copy."""
        self.meeting.currentIndexChanged.connect(lambda _i: self._meeting_chosen())
        self.findings_table.currentCellChanged.connect(lambda *_a: self._show_finding())
        self.rating.currentIndexChanged.connect(lambda _i: self._finding_edited())
        self.finding.textChanged.connect(self._finding_edited)
        self.performance.textChanged.connect(self._edited)
        self.summary.textChanged.connect(self._edited)
        self.assignment_table.currentCellChanged.connect(lambda *_a: self._show_assignment())
        for combo in (self.officer, self.school, self.recommendation, self.keeps):
            combo.currentIndexChanged.connect(lambda _i: self._assignment_edited())
        self.reason.textChanged.connect(self._assignment_edited)
        self.explanation.textChanged.connect(self._assignment_edited)
        self.add_button.clicked.connect(self.add_assignment)
        self.remove_button.clicked.connect(self.remove_assignment)

    @staticmethod
    def _label(text: str, widget: QWidget, name: str) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(name)
        return label

    def _labelled(self, form: QFormLayout, text: str, widget: QWidget, name: str) -> None:
        form_row(form, text, widget, name)

    def tab_chain(self) -> list[QWidget]:
        """The form's controls in reading order."""
        return [self.meeting, self.findings_table, self.rating, self.finding, self.performance, self.summary,
                self.assignment_table, self.add_button, self.remove_button, self.officer, self.school,
                self.recommendation, self.reason, self.keeps, self.explanation]

    # -- loading and reading back --------------------------------------------------------

    def load(
        self,
        review: AnnualReview,
        goals: list[Goal],
        metrics: list[ReviewMetric],
        meetings: list[Meeting],
        officers: list[tuple[int, str]],
        schools: list[tuple[int, str]],
        placed: list[tuple[int, int | None]],
    ) -> None:
        """Show ``review`` (kept as the working copy) against the goals and metrics as they stand.
        The goal or metric chosen stays chosen, wherever its row is now."""
        finding_key = self._finding_key()
        finding_row = max(0, self.findings_table.currentRow())
        assignment_row = max(0, self.assignment_table.currentRow())
        self._loading = True
        try:
            self.review = review
            try:
                first, _ = parse_school_year(review.school_year)
                self.assignment_box.setTitle(f"Assignments for {first + 1}\u2013{first + 2}")
            except ValueError:
                self.assignment_box.setTitle("Assignments for the next school year")
            self.meetings, self.officers, self.schools, self.placed = meetings, officers, schools, placed
            by_subject = {_subject(f): f for f in review.findings}
            self.subjects = []
            number = 0
            for goal in goals:
                key = ("goal", goal.id)
                if goal.id is None or (goal.retired and key not in by_subject):
                    continue
                if goal.retired:
                    label = f"Retired goal: {goal.text}"
                else:
                    number += 1
                    label = f"Goal {number}: {goal.text}"
                self.subjects.append((key, label))
            self.subjects += [(("metric", m.id), f"Metric: {m.name}") for m in metrics if m.id is not None]
            self.findings = {
                key: by_subject.get(key) or Finding(goal_id=key[1] if key[0] == "goal" else None,
                                                    metric_id=key[1] if key[0] == "metric" else None)
                for key, _label in self.subjects
            }
            self.assignments = list(review.assignments)
            self.meeting.clear()
            self.meeting.addItem("Not chosen yet" if meetings else "None recorded for the year", _NO_ID)
            for meeting in meetings:
                self.meeting.addItem(f"{meeting.held_on} · {meeting.display_title}", meeting.id)
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(review.meeting_id or _NO_ID)))
            self.officer.clear()
            for officer_id, name in officers:
                self.officer.addItem(name, officer_id)
            self.school.clear()
            self.school.addItem("District-wide", _NO_ID)
            for school_id, name in schools:
                self.school.addItem(name, school_id)
            self.performance.setPlainText(review.performance)
            self.summary.setPlainText(review.summary)
            self.findings_table.setRowCount(len(self.subjects))
            for row in range(len(self.subjects)):
                self._fill_finding_row(row)
            self.assignment_table.setRowCount(len(self.assignments))
            for row in range(len(self.assignments)):
                self._fill_assignment_row(row)
            if self.subjects:
                keys = [key for key, _label in self.subjects]
                row = keys.index(finding_key) if finding_key in keys else min(finding_row, len(keys) - 1)
                self.findings_table.setCurrentCell(row, 0)
            if self.assignments:
                self.assignment_table.setCurrentCell(min(assignment_row, len(self.assignments) - 1), 0)
        finally:
            self._loading = False
        self._show_meeting()
        self._show_finding()
        self._show_assignment()

    def current(self) -> AnnualReview:
        """The review as it stands in the form."""
        return replace(
            self.review,
            performance=self.performance.toPlainText(),
            summary=self.summary.toPlainText(),
            findings=[self.findings[key] for key, _label in self.subjects],
            assignments=list(self.assignments),
        )

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._update_enabled()

    def _update_enabled(self) -> None:
        editable = self._editable
        has_finding = 0 <= self.findings_table.currentRow() < len(self.subjects)
        self.meeting.setEnabled(editable and bool(self.meetings))
        self.rating.setEnabled(editable and has_finding)
        self.finding.setReadOnly(not (editable and has_finding))
        self.performance.setReadOnly(not editable)
        self.summary.setReadOnly(not editable)
        chosen = self._assignment()
        self.add_button.setEnabled(editable and bool(self.officers))
        self.remove_button.setEnabled(editable and chosen is not None)
        for widget in (self.officer, self.school, self.recommendation):
            widget.setEnabled(editable and chosen is not None)
        self.reason.setReadOnly(not (editable and chosen is not None))
        ending = chosen is not None and chosen.recommendation == "end"
        self.keeps.setEnabled(editable and ending)
        kept = ending and chosen.chief_keeps is True
        self.explanation.setEnabled(kept)
        self.explanation.setReadOnly(not editable)

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    # -- the meeting ---------------------------------------------------------------------

    def _meeting_chosen(self) -> None:
        if self._loading:
            return
        chosen = self.meeting.currentData() or None
        meeting = next((m for m in self.meetings if m.id == chosen), None)
        self.review = replace(self.review, meeting_id=chosen, held_on=meeting.held_on if meeting else "")
        self._show_meeting()
        self.changed.emit()

    def _show_meeting(self) -> None:
        chosen = self.meeting.currentData() or None
        meeting = next((m for m in self.meetings if m.id == chosen), None)
        if meeting is not None:
            people = ", ".join(f"{a.name} ({a.role})" if a.role else a.name for a in meeting.attendees)
            where = f" at {plain(meeting.location)}" if meeting.location else ""
            self.meeting_info.setText(
                f"Held on <b>{plain(meeting.held_on)}</b>{where}. "
                + (f"Attended: {plain(people)}." if people else
                   "No attendees are recorded; record who attended on the meeting, so each gets a copy."))
        elif self.review.held_on:
            self.meeting_info.setText(f"Held on <b>{plain(self.review.held_on)}</b>.")
        elif self.meetings:
            self.meeting_info.setText("Choose the end-of-year review meeting above; its date is the review's date.")
        else:
            self.meeting_info.setText(
                "No end-of-year review meeting is recorded for this school year yet. Record it (its date and "
                "who attended) on the Meetings page, then choose it here.")

    # -- findings ------------------------------------------------------------------------

    def _finding_key(self) -> tuple[str, int] | None:
        row = self.findings_table.currentRow()
        return self.subjects[row][0] if 0 <= row < len(self.subjects) else None

    def _fill_finding_row(self, row: int) -> None:
        key, label = self.subjects[row]
        finding = self.findings[key]
        self.findings_table.setItem(row, 0, cell(label))
        self.findings_table.setItem(row, 1, cell(rv.RATINGS.get(finding.rating, "")))
        self.findings_table.setItem(row, 2, cell(finding.finding))

    def _show_finding(self) -> None:
        if self._loading:
            return
        key = self._finding_key()
        self._loading = True
        try:
            if key is None:
                self.subject.setText("Choose a goal or metric above to write its finding.")
                self.rating.setCurrentIndex(0)
                self.finding.clear()
            else:
                finding = self.findings[key]
                self.subject.setText(dict(self.subjects)[key])
                self.rating.setCurrentIndex(max(0, self.rating.findData(finding.rating)))
                self.finding.setPlainText(finding.finding)
        finally:
            self._loading = False
        self._update_enabled()

    def _finding_edited(self) -> None:
        key = self._finding_key()
        if self._loading or key is None:
            return
        finding = self.findings[key]
        finding.rating = self.rating.currentData()
        finding.finding = self.finding.toPlainText()
        self._fill_finding_row(self.findings_table.currentRow())
        self.changed.emit()

    # -- assignments ---------------------------------------------------------------------

    def _assignment(self) -> Assignment | None:
        row = self.assignment_table.currentRow()
        return self.assignments[row] if 0 <= row < len(self.assignments) else None

    def _fill_assignment_row(self, row: int) -> None:
        item = self.assignments[row]
        officers, schools = dict(self.officers), dict(self.schools)
        keeps = next(label for _k, value, label in _KEEPS if value == item.chief_keeps)
        cells = [
            officers.get(item.officer_id, "(not in the file)"),
            schools.get(item.school_id, "District-wide") if item.school_id else "District-wide",
            rv.RECOMMENDATIONS.get(item.recommendation, ""),
            keeps.split(",")[0] if item.recommendation == "end" else "",
            item.reason,
        ]
        for column, text in enumerate(cells):
            self.assignment_table.setItem(row, column, cell(text))

    def _show_assignment(self) -> None:
        if self._loading:
            return
        chosen = self._assignment()
        self._loading = True
        try:
            if chosen is None:
                for combo in (self.officer, self.school, self.recommendation, self.keeps):
                    combo.setCurrentIndex(0 if combo.count() else -1)
                self.reason.clear()
                self.explanation.clear()
            else:
                self.officer.setCurrentIndex(max(0, self.officer.findData(chosen.officer_id)))
                self.school.setCurrentIndex(max(0, self.school.findData(chosen.school_id or _NO_ID)))
                self.recommendation.setCurrentIndex(max(0, self.recommendation.findData(chosen.recommendation)))
                keeps = next(key for key, value, _label in _KEEPS if value == chosen.chief_keeps)
                self.keeps.setCurrentIndex(max(0, self.keeps.findData(keeps)))
                self.reason.setPlainText(chosen.reason)
                self.explanation.setPlainText(chosen.chief_explanation)
        finally:
            self._loading = False
        self._update_enabled()

    def _assignment_edited(self) -> None:
        chosen = self._assignment()
        if self._loading or chosen is None:
            return
        chosen.officer_id = self.officer.currentData()
        chosen.school_id = self.school.currentData() or None
        chosen.recommendation = self.recommendation.currentData()
        chosen.reason = self.reason.toPlainText()
        keeps = {key: value for key, value, _label in _KEEPS}[self.keeps.currentData()]
        chosen.chief_keeps = keeps if chosen.recommendation == "end" else None
        chosen.chief_explanation = self.explanation.toPlainText()
        self._fill_assignment_row(self.assignment_table.currentRow())
        self._update_enabled()
        self.changed.emit()

    def add_assignment(self) -> None:
        """A new assignment: the next SRO placed this year not listed yet, else the first officer."""
        listed = {(a.officer_id, a.school_id) for a in self.assignments}
        officer_id, school_id = next(
            (pair for pair in self.placed if pair not in listed), (self.officers[0][0], None))
        self.assignments.append(Assignment(officer_id, school_id))
        row = len(self.assignments) - 1
        self._loading = True
        try:
            self.assignment_table.setRowCount(len(self.assignments))
            self._fill_assignment_row(row)
        finally:
            self._loading = False
        self.assignment_table.setCurrentCell(row, 0)
        self.officer.setFocus()
        self.changed.emit()

    def remove_assignment(self) -> None:
        row = self.assignment_table.currentRow()
        if not 0 <= row < len(self.assignments):
            return
        del self.assignments[row]
        self.assignment_table.removeRow(row)
        self._show_assignment()
        self.changed.emit()

    # -- a refusal -----------------------------------------------------------------------

    def focus_problem(self, field: str | None) -> QWidget | None:
        """Put the cursor where a refusal of the records layer points; returns that control."""
        widget: QWidget | None = None
        if field in ("chief_explanation", "assignments"):
            for row, item in enumerate(self.assignments):
                if item.recommendation != "end":
                    continue
                if not item.reason.strip():
                    widget = self.reason
                elif item.chief_keeps is None:
                    widget = self.keeps
                elif item.chief_keeps and len(item.chief_explanation.strip()) < 10:
                    widget = self.explanation
                else:
                    continue
                self.assignment_table.setCurrentCell(row, 0)
                break
            widget = widget or self.assignment_table
        elif field in ("held_on", "meeting_id"):
            widget = self.meeting if self.meeting.isEnabled() else self.meeting_info
        elif field == "findings":
            widget = self.findings_table
        elif field in ("performance", "summary"):
            widget = self.performance
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget


def _subject(finding: Finding) -> tuple[str, int]:
    return ("goal", finding.goal_id) if finding.goal_id is not None else ("metric", finding.metric_id)
