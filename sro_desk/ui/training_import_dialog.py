"""Importing a training log from a spreadsheet: match the columns, see the problems, import.

The dialog reads the file, guesses which column holds what, and checks every row each
time the matching changes. Import is offered only when every row is ready, and saves
them all in one transaction (``training_import.import_plan``), so a sheet is never half
imported. Reading, checking and importing run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sro_desk.records.training_import import (
    FIELDS,
    ImportPlan,
    Table,
    apply_mapping,
    column_letter,
    guess_mapping,
    import_plan,
    read_table,
)
from sro_desk.store import DataFile
from sro_desk.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    error_label,
    error_sentence,
)
from sro_desk.ui.work import BackgroundTask, Work

PREVIEW_ROWS = 20
NOT_IN_FILE = "(not in the file)"
#: The Alt+letter of each field's label; Chec&k, &Import, &Cancel, Pre&view and
#: Prob&lems take k, i, c, v and l.
MNEMONICS = {
    "officer": "o", "date": "d", "title": "t", "hours": "h", "provider": "p",
    "topics": "s", "basic_course": "b", "with_administrators": "a", "notes": "n",
}


def _with_mnemonic(label: str, letter: str) -> str:
    at = label.casefold().index(letter)
    return f"{label[:at]}&{label[at:]}"


class TrainingImportDialog(QDialog):
    """Import a .csv or .xlsx training log into the open file; ``imported`` is the count."""

    def __init__(self, data_file: DataFile, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_file = data_file
        self.path = Path(path)
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.imported = 0
        self.tasks: list[BackgroundTask] = []
        self._check_again = False
        self._importing = False
        self._closed = False
        self.setWindowTitle(f"Import training from {self.path.name}")
        self.resize(960, 640)

        self.file_label = QLabel(f"Reading {self.path.name}…")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        self.error = error_label()

        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for f in FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {f.label.lower()}")
            combo.addItem(NOT_IN_FILE, None)
            combo.setEnabled(False)
            combo.currentIndexChanged.connect(self._mapping_changed)
            label = QLabel(_with_mnemonic(f.label, MNEMONICS[f.key]) + ":")
            label.setBuddy(combo)
            form.addRow(label, combo)
            self.combos[f.key] = combo
        columns = QGroupBox("Columns")
        columns_layout = QVBoxLayout(columns)
        intro = QLabel(
            "Which column holds each part of an entry? Officer, date, title and hours are "
            "required."
        )
        intro.setWordWrap(True)
        columns_layout.addWidget(intro)
        columns_layout.addLayout(form)
        columns_layout.addStretch(1)

        self.preview = QTableWidget()
        self.preview.setAccessibleName(f"Preview of the first {PREVIEW_ROWS} rows")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.horizontalHeader().setStretchLastSection(True)
        preview_label = QLabel(f"Pre&view of the first {PREVIEW_ROWS} rows:")
        preview_label.setBuddy(self.preview)
        preview_box = QVBoxLayout()
        preview_box.addWidget(preview_label)
        preview_box.addWidget(self.preview, 1)

        top = QHBoxLayout()
        top.addWidget(columns)
        top.addLayout(preview_box, 1)

        self.summary = QLabel()
        self.summary.setAccessibleName("Check result")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Rows with problems")
        problems_label = QLabel("Prob&lems (fix them in the sheet, save it, then choose Check):")
        problems_label.setBuddy(self.problems)

        self.check_button = QPushButton("Chec&k")
        self.check_button.setAccessibleName("Read the file again and check every row")
        self.check_button.clicked.connect(self.reload)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.import_button.setAccessibleName("Import the rows")
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Close without importing")
        buttons.accepted.connect(self.start_import)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(top, 3)
        layout.addWidget(self.summary)
        layout.addWidget(problems_label)
        layout.addWidget(self.problems, 2)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._clear_error()
        self._update_buttons()
        self.reload()

    # -- what the person chose ---------------------------------------------------------

    def mapping(self) -> dict[str, int | None]:
        """Field key -> the chosen column's index, or None."""
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def set_mapping(self, mapping: dict[str, int | None]) -> None:
        """Choose the columns without a check per combo; then check once."""
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(key))))
            combo.blockSignals(False)
        self._mapping_changed()

    # -- reading the file --------------------------------------------------------------

    def reload(self) -> None:
        """Read the file (again, after the person fixed it) and check every row."""
        if self.tasks:
            return
        self._run(
            f"Reading {self.path.name}…",
            lambda progress: read_table(self.path, progress=progress),
            self._table_read, self._read_failed,
        )

    def _table_read(self, table: Table) -> None:
        keep = self.table is not None and self.table.headers == table.headers
        mapping = self.mapping() if keep else guess_mapping(table.headers)
        self.table = table
        self._clear_error()
        count = len(table.rows)
        self.file_label.setText(
            f"{self.path.name}: {count} {'row' if count == 1 else 'rows'} under the header row."
        )
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for index, header in enumerate(table.headers):
                combo.addItem(f"{column_letter(index)}: {header}", index)
            combo.blockSignals(False)
        self.set_mapping(mapping)

    def _read_failed(self, exc: BaseException) -> None:
        if self.table is None:
            self.file_label.setText(f"{self.path.name} could not be read.")
        self._check_failed(exc)

    # -- checking ----------------------------------------------------------------------

    def _mapping_changed(self) -> None:
        self.plan = None
        self._fill_preview()
        self.check()

    def check(self) -> None:
        """Check every row as mapped; after a running job if there is one."""
        if self.table is None:
            return
        if self.tasks:
            self._check_again = True
            self._update_buttons()
            return
        table, mapping = self.table, self.mapping()
        self.summary.setText("Checking the rows…")
        self._run(
            "Checking the rows…",
            lambda progress: apply_mapping(self.data_file, table, mapping, progress=progress),
            lambda plan: self._checked(plan, mapping), self._check_failed,
        )

    def _checked(self, plan: ImportPlan, mapping: dict[str, int | None]) -> None:
        if mapping != self.mapping():
            return  # the matching changed meanwhile; its own check follows
        self.plan = plan
        self._clear_error()
        self.summary.setText(plan.summary())
        self.problems.clear()
        self.problems.addItems([str(p) for p in plan.problems])

    def _check_failed(self, exc: BaseException) -> None:
        self.plan = None
        self.summary.setText("")
        self.problems.clear()
        self._show_error(error_sentence(exc))

    def _fill_preview(self) -> None:
        mapping = self.mapping()
        shown = [f for f in FIELDS if mapping[f.key] is not None]
        rows = self.table.rows[:PREVIEW_ROWS] if self.table else []
        self.preview.clear()
        self.preview.setColumnCount(len(shown))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels([f.label for f in shown])
        self.preview.setVerticalHeaderLabels(
            [str(self.table.row_number(i)) for i in range(len(rows))] if self.table else []
        )
        for r, row in enumerate(rows):
            for c, f in enumerate(shown):
                self.preview.setItem(r, c, QTableWidgetItem(row[mapping[f.key]]))
        self.preview.resizeColumnsToContents()

    # -- importing ---------------------------------------------------------------------

    def ready(self) -> bool:
        """True when the checked plan matches the columns chosen and every row is ready."""
        return (
            not self.tasks
            and not self._check_again
            and not self.data_file.read_only
            and self.plan is not None
            and bool(self.plan.entries)
            and not self.plan.problems
        )

    def start_import(self) -> None:
        if not self.ready():
            return
        plan = self.plan
        self._importing = True
        self._run(
            f"Importing {len(plan.entries)} training entries…",
            lambda progress: import_plan(self.data_file, plan),
            self._imported, self._import_failed,
        )

    def _imported(self, count: int) -> None:
        self._importing = False
        self.imported = count
        self.accept()

    def _import_failed(self, exc: BaseException) -> None:
        self._importing = False
        self._show_error(error_sentence(exc))

    # -- running jobs ------------------------------------------------------------------

    def _run(
        self,
        label: str,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        task = BackgroundTask(self, label, work, on_done, on_error)
        self.tasks.append(task)
        task.finished.connect(lambda: self._finished(task))
        self._update_buttons()
        task.start()

    def _finished(self, task: BackgroundTask) -> None:
        self.tasks.remove(task)
        if self._check_again and not self.tasks and not self._closed:
            self._check_again = False
            self.check()
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = bool(self.tasks)
        self.import_button.setEnabled(self.ready())
        self.check_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not self._importing)
        for combo in self.combos.values():
            combo.setEnabled(self.table is not None and not self._importing)

    def _show_error(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.show()

    def _clear_error(self) -> None:
        """No error to show; a read-only file still says why nothing can be imported."""
        if self.data_file.read_only_reason:
            self._show_error(self.data_file.read_only_reason)
        else:
            self.error.hide()
            self.error.clear()

    def reject(self) -> None:
        if self._importing:
            return  # the import is one transaction; it finishes in a moment
        self._closed = True
        for task in list(self.tasks):
            task.abandon()
        super().reject()
