"""The Enforcement Data page's parts: the keyboard-first entry form, its dialogs and
small table helpers."""

from __future__ import annotations

from datetime import date, datetime

from sro_desk.records import enforcement as enf
from sro_desk.records import listing
from sro_desk.records.enforcement import Action, Activity
from sro_desk.store import DataFile
from sro_desk.ui.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    error_label,
    plain,
)
from sro_desk.ui.page import read_only_table as shared_read_only_table  # sets up a table made elsewhere
from sro_desk.ui.table_model import Column, SqlTableModel
from sro_desk.ui.training_dialogs import FormDialog

#: Short names of the rules, for the table's Flags column (the full sentence is the tooltip).
FLAG_NAMES = {
    "c272_in_school": "c. 272 at school",
    "arrest_last_resort": "Arrest not shown as last resort",
    "principal_not_consulted": "Principal not consulted",
    "parent_not_notified": "Parent not told",
    "questioning_without_notice": "Questioning without notice",
}
ENTRY_COLUMNS = ["Date", "School", "Kind", "Offense", "Place", "Grade", "Gender", "Race/ethnicity", "Flags"]
ACTIVITY_COLUMNS = ["Date", "Kind", "Count", "School", "Notes"]
NOT_RECORDED = "(not recorded)"
#: The principal-consulted combo's values, stored as text so None and False stay apart.
CONSULTED = {"": NOT_RECORDED, "yes": "Yes", "no": "No"}


def now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def shown_time(moment: str) -> str:
    return moment.replace("T", " ")


def name_control(widget: QWidget, name: str) -> None:
    """Name a control for screen readers, and a spin box's own editor with it."""
    widget.setAccessibleName(name)
    if isinstance(widget, QSpinBox):
        editor = widget.findChild(QLineEdit)
        if editor is not None:
            editor.setAccessibleName(name)


def choice_combo(choices: dict[str, str], blank: str | None) -> QComboBox:
    """A combo of ``choices`` (key -> label), with a first item for 'no choice' if given."""
    combo = narrow_combo()
    if blank is not None:
        combo.addItem(blank, "")
    for key, label in choices.items():
        combo.addItem(label, key)
    return combo


def narrow_combo() -> QComboBox:
    """A combo that does not widen its column to its longest choice."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def choose(combo: QComboBox, key) -> None:
    combo.setCurrentIndex(max(0, combo.findData(key)))


def flags_text(action: Action) -> str:
    """The entry's flags, open first; acknowledged ones say so and stay visible."""
    parts = [FLAG_NAMES[r] for r in action.open_flags()]
    parts += [f"{FLAG_NAMES[r]} (acknowledged)" for r in action.flags() if r in action.acknowledged]
    return "; ".join(parts)


def read_only_table(columns: list[str], name: str) -> QTableWidget:
    """A read-only table of ``columns``, for ``fill_table`` to fill."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    _read_only(table, name)
    return table


def read_only_view(model: SqlTableModel, name: str) -> QTableView:
    """A list over a SQL model: one row chosen at a time, sorted by a header click."""
    view = QTableView()
    view.setModel(model)
    _read_only(view, name)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)  # uniform rows: no measuring
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(0)  # size columns by the rows in view, never by reading them all
    column, order = model.sort_column()
    header.setSortIndicator(column, order)
    view.setSortingEnabled(True)
    return view


def _read_only(table: QTableView, name: str) -> None:
    """The pages' read-only table, each row one line and no column past 190 pixels."""
    shared_read_only_table(table, name)
    table.setWordWrap(False)
    table.horizontalHeader().setMaximumSectionSize(190)  # long texts are cut short; the whole text is the tooltip


def entries_model(parent: QWidget | None = None) -> SqlTableModel:
    """The year's enforcement entries, oldest first: filter it with ``year`` and ``flagged``."""

    def flags_tooltip(row: dict) -> str:
        action = listing.action_of(row)
        return "\n".join(
            enf.RULES[rule] + (f"\nAcknowledged: {action.acknowledged[rule]}" if rule in action.acknowledged else "")
            for rule in action.flags()
        )

    columns = [
        Column("Date", "replace(e.occurred_at, 'T', ' ')", sort_sql="e.occurred_at"),
        Column("School", "(SELECT name FROM school WHERE school.id = e.school_id)"),
        Column("Kind", listing.label_sql("e.kind", enf.KINDS)),
        Column("Offense", listing.label_sql("e.offense", enf.OFFENSES, otherwise="''")),
        Column("Place", listing.label_sql("e.place", enf.PLACES)),
        Column("Grade", "e.grade"),
        Column("Gender", listing.label_sql("e.gender", enf.GENDERS, otherwise="''")),
        Column("Race/ethnicity", listing.label_sql("e.race_ethnicity", enf.RACES, otherwise="''")),
        Column("Flags", text=lambda row: flags_text(listing.action_of(row)), tooltip=flags_tooltip,
               sort_sql=listing.flag_count_sql("e.")),
    ]
    assert [c.header for c in columns] == ENTRY_COLUMNS
    # Pages of 50 rows: a row is read whole (for the Flags column and editing), and the
    # list shows a few dozen rows at most under the form.
    return SqlTableModel(
        source="enforcement_action AS e",
        id_sql="e.id", fields=["e.*"], columns=columns, page_size=50, parent=parent,
    )


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.clearSelection()
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(str(text))
            item.setToolTip(str(text))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def wrapped_label(name: str, rich: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def rule_check_html(flags: list[str], acknowledged: dict[str, str] | None = None,
                    notes: list[str] | None = None) -> str:
    """What the rule check says about an entry with ``flags`` (those in ``acknowledged``
    marked so), and ``notes`` on why it is not flagged (``enforcement.rule_notes``)."""
    said = "".join(f"<br><i>Not flagged: {plain(note)}</i>" for note in notes or [])
    if not flags:
        return "Rule check: no flags so far." + said
    items = "".join(
        f"<br>• {plain(enf.RULES[r])}{' <i>(acknowledged)</i>' if r in (acknowledged or {}) else ''}"
        for r in flags
    )
    return f"<b>This entry would be flagged:</b>{items}{said}"


def _fullest_rule_checks() -> list[str]:
    """The most the rule check can say, for each kind of action: every flag the kind can
    raise at once (inside a building, for an offense the law shields, the principal not
    consulted, nothing else recorded), each acknowledged; and the same on the daily bus,
    where the c. 272 flag gives way to the note on why it is not raised."""
    texts = []
    for kind in enf.KINDS:
        for place in ("building", "transport"):
            action = Action(occurred_at="", school_id=0, place=place, kind=kind,
                            offense=sorted(enf.SCHOOL_SHIELDED)[0], principal_consulted=False)
            flags = enf.rule_flags(action)
            text = rule_check_html(flags, dict.fromkeys(flags, ""), enf.rule_notes(action))
            if text not in texts:
                texts.append(text)
    return texts


class RuleCheck(QWidget):
    """The live rule check and the form's error, in a space as tall as the fullest rule
    check needs at the width given: flags coming and going never move a control of the
    form (nor bring up a scroll bar that would narrow it), and the text is never cut.

    The space is held by hidden labels, one per fullest text, in the same cell as the
    shown ones: a hidden widget that keeps its size is laid out, never drawn."""

    def __init__(self, label: QLabel, error: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        shown = QVBoxLayout()
        shown.setContentsMargins(0, 0, 0, 0)
        shown.addWidget(label)
        shown.addWidget(error)
        shown.addStretch(1)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.struts: list[QLabel] = []
        for text in _fullest_rule_checks():
            strut = wrapped_label("Room for the rule check")
            strut.setText(text)
            policy = strut.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            strut.setSizePolicy(policy)
            strut.hide()
            layout.addWidget(strut, 0, 0, Qt.AlignmentFlag.AlignTop)
            self.struts.append(strut)
        layout.addLayout(shown, 0, 0)


class EntryForm(QGroupBox):
    """The keyboard-first form for one action, with its rule check shown as it is filled."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New entry", parent)
        self.editing: Action | None = None
        self._baseline: tuple = ()
        #: the date and school of the last new entry saved, kept for the next one
        self.last_when: str | None = None
        self.last_school: int | None = None

        self._build_fields()
        action_columns = self._build_action_columns()
        student = self._build_student_column()
        self._name_check_boxes()
        self._build_rule_check_and_buttons()
        columns = self._build_columns(action_columns, student)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addStretch(1)

        self._build_save_shortcut()
        self._chain_fields()
        self._editable = True
        self._on_change()
        self.mark_saved()

    # -- building the form ------------------------------------------------------------
    # (Called in __init__'s order: a widget joins the Tab chain when it is laid out.)

    def _build_fields(self) -> None:
        """The form's fields, in the order the Tab key visits them."""
        self.when = QLineEdit(now_text())
        self.when.setPlaceholderText("YYYY-MM-DD HH:MM")
        self.school = narrow_combo()
        self.place = choice_combo(enf.PLACES, "Choose…")
        self.place.setToolTip(enf.TRANSPORT_NOTE)
        self.kind = choice_combo(enf.KINDS, "Choose…")
        self.kind.setToolTip("A custody that is an arrest is entered as an arrest. A report to the police "
                             "counts as a referral even when they take no action.")
        self.offense = choice_combo(enf.OFFENSES, "(none)")
        self.statute = QLineEdit()
        self.statute.setPlaceholderText("e.g. c. 269 § 10")
        self.warrant = QCheckBox("On a warrant")
        self.last_resort = QLineEdit()
        self.last_resort.setPlaceholderText("Why nothing short of arrest would do")
        self.principal = choice_combo({k: v for k, v in CONSULTED.items() if k}, NOT_RECORDED)
        self.principal_reason = QLineEdit()
        self.notified_at = QLineEdit()
        self.notified_at.setPlaceholderText("YYYY-MM-DD HH:MM")
        self.told_before = QCheckBox("Parent told &before questioning")
        self.offered = QCheckBox("Parent offered the chance to attend")
        self.outcome = QLineEdit()
        self.student_ref = QLineEdit()
        self.student_ref.setPlaceholderText("A code, never a name")
        self.grade = choice_combo({g: g for g in enf.GRADES}, NOT_RECORDED)
        self.age = QSpinBox()
        self.age.setRange(2, 22)
        self.age.setSpecialValueText("—")  # the minimum stands for 'not recorded'
        self.gender = choice_combo(enf.GENDERS, NOT_RECORDED)
        self.race = choice_combo(enf.RACES, NOT_RECORDED)
        self.disability = choice_combo(enf.DISABILITY, NOT_RECORDED)
        self.english_learner = QCheckBox("English learner")
        self.econ = QCheckBox(enf.LOW_INCOME)
        self.econ.setToolTip("The state's \"low income\" since 2021-22, under a new definition; before "
                             "2021-22 it counted \"economically disadvantaged\" students.")
        self.high_needs = QCheckBox("High needs")

    def _build_action_columns(self) -> QHBoxLayout:
        """Where and what happened beside what the rules ask of it: two columns of fields."""
        fields = QHBoxLayout()
        where = self._column(fields, [
            ("&When:", self.when, "Date and time"),
            ("S&chool:", self.school, "School"),
            ("P&lace:", self.place, "Place"),
            ("&Kind:", self.kind, "Kind of action"),
            ("&Offense:", self.offense, "Offense"),
            ("Stat&ute:", self.statute, "Statute"),
        ])
        where.addRow("", self.warrant)
        rules = self._column(fields, [
            ("Last-&resort reason:", self.last_resort, "Why the arrest was the last resort"),
            ("Pr&incipal consulted:", self.principal, "Principal consulted beforehand"),
            ("Why not practicable:", self.principal_reason, "Why consulting the principal was not practicable"),
            ("Paren&t notified at:", self.notified_at, "When the parent was told"),
        ])
        rules.addRow("", self.told_before)
        rules.addRow("", self.offered)
        rules.addRow(self._label("Outco&me:", self.outcome, "Outcome"), self.outcome)
        return fields

    def _build_student_column(self) -> QFormLayout:
        """The student's descriptors (a code, never a name)."""
        student = self._column(None, [
            ("Student refere&nce:", self.student_ref, "Student reference"),
            ("Grade:", self.grade, "Grade"),
            ("Age:", self.age, "Age"),
            ("Gender:", self.gender, "Gender"),
            ("Race/ethnicity:", self.race, "Race or ethnicity"),
            ("Disability:", self.disability, "Disability plan"),
        ])
        for box in (self.english_learner, self.econ, self.high_needs):
            student.addRow("", box)
        return student

    def _name_check_boxes(self) -> None:
        """Each check box named for screen readers as it reads, without its mnemonic."""
        for box, name in (
            (self.warrant, "On a warrant"), (self.told_before, "Parent told before questioning"),
            (self.offered, "Parent offered the chance to attend"), (self.english_learner, "English learner"),
            (self.econ, enf.LOW_INCOME), (self.high_needs, "High needs"),
        ):
            name_control(box, name)

    def _build_rule_check_and_buttons(self) -> None:
        """The live rule check with the form's error line, and Save and Clear."""
        self.flags_label = wrapped_label("Rule check")
        self.error = error_label()
        self.check = RuleCheck(self.flags_label, self.error)
        self.save_button = QPushButton("&Save Entry")
        self.save_button.setAccessibleName("Save entry")
        self.save_button.setToolTip("Save this entry (Ctrl+Enter)")
        self.clear_button = QPushButton("Clear Form")
        self.clear_button.setAccessibleName("Clear form")

    def _build_columns(self, action_columns: QHBoxLayout, student: QFormLayout) -> QHBoxLayout:
        """Two columns of fields on the left with the rule check below them, the student's
        descriptors on the right with the buttons below: the rule check's space is
        reserved (RuleCheck), so nothing moves when flags come and go."""
        left = QVBoxLayout()
        left.addLayout(action_columns)
        left.addWidget(self.check)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(student)
        right.addStretch(1)
        right.addLayout(buttons)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 1)
        return columns

    def _build_save_shortcut(self) -> None:
        """Ctrl+Enter saves from anywhere in the form."""
        self.save_shortcut = QAction("Save entry", self)
        self.save_shortcut.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.save_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_shortcut.triggered.connect(self.save_button.click)
        self.addAction(self.save_shortcut)

    def _chain_fields(self) -> None:
        """The fields in order: Tab visits them so, then Save and Clear; any change to one
        checks the rules again."""
        self.fields: list[QWidget] = [
            self.when, self.school, self.place, self.kind, self.offense, self.statute, self.warrant,
            self.last_resort, self.principal, self.principal_reason, self.notified_at,
            self.told_before, self.offered, self.outcome, self.student_ref, self.grade, self.age,
            self.gender, self.race, self.disability, self.english_learner, self.econ, self.high_needs,
        ]
        chain = [*self.fields, self.save_button, self.clear_button]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)
        for widget in self.fields:
            signal = {
                QLineEdit: "textChanged", QComboBox: "currentIndexChanged",
                QCheckBox: "toggled", QSpinBox: "valueChanged",
            }[type(widget)]
            getattr(widget, signal).connect(self._on_change)

    def _label(self, text: str, widget: QWidget, name: str) -> QLabel:
        # Not ui.page.form_row: these labels stay on one line, and a spin box's editor is named too.
        label = QLabel(text)
        label.setBuddy(widget)
        name_control(widget, name)
        return label

    def _column(self, columns: QHBoxLayout | None, rows: list[tuple[str, QWidget, str]]) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Too narrow for label and field side by side (a small screen at 125%), the field
        # goes under its label rather than out of view.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, widget, name in rows:
            form.addRow(self._label(text, widget, name), widget)
        if columns is not None:
            columns.addLayout(form, 1)
        return form

    # -- schools ----------------------------------------------------------------------

    def set_schools(self, schools: list[tuple[int, str]]) -> None:
        """Fill the school choices, keeping the one chosen (or the last one used)."""
        keep = self.school.currentData() if self.school.count() else self.last_school
        dirty = self.has_typing()
        self.school.blockSignals(True)
        self.school.clear()
        if len(schools) != 1:
            self.school.addItem("Choose…", None)
        for school_id, name in schools:
            self.school.addItem(name, school_id)
        choose(self.school, keep)
        self.school.blockSignals(False)
        if not dirty:
            self.mark_saved()
        self._on_change()

    # -- values -----------------------------------------------------------------------

    def action(self) -> Action:
        """The action the form describes (not yet checked: save_action does that)."""
        base = self.editing or Action(occurred_at="", school_id=0, place="", kind="")
        kind = self.kind.currentData()
        questioning = kind == "questioning"
        consulted = self.principal.currentData()
        return Action(**{
            **base.__dict__,
            "occurred_at": self.when.text(),
            "school_id": self.school.currentData(),
            "place": self.place.currentData(),
            "kind": kind,
            "offense": self.offense.currentData(),
            "statute": self.statute.text(),
            "warrant": self.warrant.isChecked(),
            "last_resort_reason": self.last_resort.text() if kind == "arrest" else "",
            "principal_consulted": {"": None, "yes": True, "no": False}[consulted],
            "principal_reason": self.principal_reason.text() if consulted == "no" else "",
            "parent_notified_at": self.notified_at.text(),
            "parent_told_before_questioning": questioning and self.told_before.isChecked(),
            "parent_offered_to_attend": questioning and self.offered.isChecked(),
            "outcome": self.outcome.text(),
            "student_ref": self.student_ref.text(),
            "grade": self.grade.currentData(),
            "age": None if self.age.value() == self.age.minimum() else self.age.value(),
            "gender": self.gender.currentData(),
            "race_ethnicity": self.race.currentData(),
            "disability": self.disability.currentData(),
            "english_learner": self.english_learner.isChecked(),
            "econ_disadvantaged": self.econ.isChecked(),
            "high_needs": self.high_needs.isChecked(),
        })

    def _snapshot(self) -> tuple:
        values = []
        for widget in self.fields:
            if isinstance(widget, QLineEdit):
                values.append(widget.text())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentData())
            elif isinstance(widget, QCheckBox):
                values.append(widget.isChecked())
            else:
                values.append(widget.value())
        return tuple(values)

    def mark_saved(self) -> None:
        """What the form holds now is not typing (a fresh form, or an entry as loaded)."""
        self._baseline = self._snapshot()

    def has_typing(self) -> bool:
        return self._snapshot() != self._baseline

    def load(self, action: Action) -> None:
        """Put a saved entry in the form, for correction."""
        self.editing = action
        self.when.setText(shown_time(action.occurred_at))
        choose(self.school, action.school_id)
        for combo, key in (
            (self.place, action.place), (self.kind, action.kind), (self.offense, action.offense),
            (self.grade, action.grade), (self.gender, action.gender),
            (self.race, action.race_ethnicity), (self.disability, action.disability),
            (self.principal, {None: "", True: "yes", False: "no"}[action.principal_consulted]),
        ):
            choose(combo, key)
        for edit, text in (
            (self.statute, action.statute), (self.last_resort, action.last_resort_reason),
            (self.principal_reason, action.principal_reason),
            (self.notified_at, shown_time(action.parent_notified_at)), (self.outcome, action.outcome),
            (self.student_ref, action.student_ref),
        ):
            edit.setText(text)
        for box, checked in (
            (self.warrant, action.warrant), (self.told_before, action.parent_told_before_questioning),
            (self.offered, action.parent_offered_to_attend), (self.english_learner, action.english_learner),
            (self.econ, action.econ_disadvantaged), (self.high_needs, action.high_needs),
        ):
            box.setChecked(checked)
        self.age.setValue(action.age if action.age is not None else self.age.minimum())
        self.setTitle(f"Correcting the entry of {shown_time(action.occurred_at)}")
        self.clear_button.setText("Cancel Correction")
        self.clear_button.setAccessibleName("Cancel correction")
        self.error.hide()
        self.mark_saved()
        self._on_change()

    def clear(self) -> None:
        """A fresh form: everything empty but the date and the school last used."""
        self.editing = None
        for widget in self.fields:
            if isinstance(widget, QLineEdit):
                widget.clear()
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(False)
        self.age.setValue(self.age.minimum())
        self.when.setText(self.last_when or now_text())
        choose(self.school, self.last_school)
        self.setTitle("New entry")
        self.clear_button.setText("Clear Form")
        self.clear_button.setAccessibleName("Clear form")
        self.error.hide()
        self.mark_saved()
        self._on_change()

    def show_error(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.show()

    # -- the live rule check and which fields apply --------------------------------------

    def _on_change(self, *_args) -> None:
        action = self.action()
        self.live_flags = enf.rule_flags(action)
        self.flags_label.setText(rule_check_html(self.live_flags, action.acknowledged, enf.rule_notes(action)))
        self.set_editable(self._editable)
        self.changed.emit()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for widget in (*self.fields, self.save_button, self.clear_button):
            widget.setEnabled(editable)
        self.save_shortcut.setEnabled(editable)
        kind = self.kind.currentData()
        self.told_before.setEnabled(editable and kind == "questioning")
        self.offered.setEnabled(editable and kind == "questioning")
        self.last_resort.setEnabled(editable and kind == "arrest")
        self.principal_reason.setEnabled(editable and self.principal.currentData() == "no")


class AcknowledgeDialog(FormDialog):
    """Keep one of an entry's flags with the explanation of why it happened."""

    def __init__(self, data_file: DataFile, action: Action, parent: QWidget | None = None) -> None:
        super().__init__("Acknowledge a flag", parent)
        self.data_file = data_file
        self.action = action
        self.rule = QComboBox()
        for rule in action.open_flags():
            self.rule.addItem(FLAG_NAMES[rule], rule)
        self.sentence = wrapped_label("The rule", rich=False)
        self.explanation = QPlainTextEdit()
        self.explanation.setTabChangesFocus(True)
        self.explanation.setPlaceholderText("Why it happened; the flag stays visible with this explanation.")
        self.row("&Flag:", self.rule, "Flag to acknowledge")
        self.form.addRow("", self.sentence)
        self.row("&Explanation:", self.explanation, "Explanation")
        self.rule.currentIndexChanged.connect(self._show_rule)
        self._show_rule()

    def _show_rule(self, *_args) -> None:
        self.sentence.setText(enf.RULES.get(self.rule.currentData(), ""))

    def save(self):
        enf.acknowledge(self.data_file, self.action, self.rule.currentData(), self.explanation.toPlainText())
        return self.action.id


class ActivityDialog(FormDialog):
    """Log (or correct) community-building, presentations, counselling, meetings, calls."""

    def __init__(self, data_file: DataFile, schools: list[tuple[int, str]], activity: Activity | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("SRO activity", parent)
        self.data_file = data_file
        self.activity = activity or Activity(occurred_on=date.today().isoformat(), kind="")
        self.occurred_on = QLineEdit(self.activity.occurred_on)
        self.occurred_on.setPlaceholderText("YYYY-MM-DD")
        self.kind = choice_combo(enf.ACTIVITY_KINDS, "Choose…")
        choose(self.kind, self.activity.kind)
        self.count = QSpinBox()
        self.count.setRange(1, 10_000)
        self.count.setValue(self.activity.count)
        self.school = QComboBox()
        self.school.addItem("(district-wide)", None)
        for school_id, name in schools:
            self.school.addItem(name, school_id)
        choose(self.school, self.activity.school_id)
        self.notes = QLineEdit(self.activity.notes)
        self.row("&Date:", self.occurred_on, "Activity date")
        self.row("&Kind:", self.kind, "Kind of activity")
        self.row("&How many:", self.count, "How many")
        name_control(self.count, "How many")
        self.row("&School:", self.school, "School")
        self.row("&Notes:", self.notes, "Notes")

    def save(self):
        activity = Activity(**{
            **self.activity.__dict__,
            "occurred_on": self.occurred_on.text(),
            "kind": self.kind.currentData(),
            "count": self.count.value(),
            "school_id": self.school.currentData(),
            "notes": self.notes.text(),
        })
        return enf.save_activity(self.data_file, activity)


class EnrolmentDialog(FormDialog):
    """How many students each school enrols in a year, for the headline shares."""

    def __init__(self, data_file: DataFile, school_year: str, schools: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Enrolment {school_year}", parent)
        self.data_file = data_file
        self.school_year = school_year
        known = enf.enrolment(data_file, school_year)
        self.spins: dict[int, QSpinBox] = {}
        for school_id, name in schools:
            spin = QSpinBox()
            spin.setRange(0, 99_999)
            spin.setSpecialValueText("not set")
            spin.setValue(known.get(school_id, 0))
            label = QLabel(name.replace("&", "&&") + ":")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(spin)
            name_control(spin, f"Students enrolled at {name}")
            self.form.addRow(label, spin)
            self.spins[school_id] = spin
        self.known = known

    def save(self):
        for school_id, spin in self.spins.items():
            if spin.value() and spin.value() != self.known.get(school_id):
                enf.set_enrolment(self.data_file, school_id, self.school_year, spin.value())
        return None
