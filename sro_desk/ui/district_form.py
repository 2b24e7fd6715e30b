"""The widgets that edit a district: its basics, its schools, its police departments.

The setup wizard shows them one per page; the District page shows them together.
Each widget reads its part into a District and writes it back, keeping every row's
id and version so a save can tell when someone else changed it.
"""

from __future__ import annotations

from dataclasses import replace

from sro_desk.records.district import CHIEF_TITLE, KINDS, District, PoliceDepartment, School
from sro_desk.ui.qt import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

_ID_ROLE = Qt.ItemDataRole.UserRole
_VERSION_ROLE = Qt.ItemDataRole.UserRole + 1
_LOADED_ROLE = Qt.ItemDataRole.UserRole + 2
#: Button texts with shortcut letters that clash with nothing else on the page or menus.
_BUTTON_TEXTS = {
    "school": ("Add s&chool", "Rem&ove school"),
    "department": ("Add de&partment", "Remove depar&tment"),
}


class DistrictBasics(QWidget):
    """The district's name and kind."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setAccessibleName("District name")
        self.name.setPlaceholderText("e.g. Granite Valley Regional School District")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of district")
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        name_label = QLabel("Dist&rict name:")
        name_label.setBuddy(self.name)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        form.addRow(name_label, self.name)
        form.addRow(kind_label, self.kind)
        self.name.textEdited.connect(self.changed)
        self.kind.currentIndexChanged.connect(self.changed)

    def load(self, district: District) -> None:
        self.name.setText(district.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(district.kind)))

    def apply(self, district: District) -> District:
        return replace(district, name=self.name.text(), kind=self.kind.currentData())


class LeaderEditor(QWidget):
    """The superintendent (or a charter school's head), who signs for the schools."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leader = QLineEdit()
        self.leader.setPlaceholderText("Full name as it should be printed, e.g. Dr. Maria Santos")
        self.label = QLabel()
        self.label.setBuddy(self.leader)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.label, self.leader)
        self.leader.textEdited.connect(self.changed)
        self.set_kind("public")

    def set_kind(self, kind: str) -> None:
        """Name the field for this kind of district."""
        title = "Head of school" if kind == "charter" else "Superintendent"
        self.label.setText(f"{title}'s na&me:")
        self.leader.setAccessibleName(f"{title}'s name")
        printed = District(name="", kind=kind).leader_title
        self.leader.setToolTip(f"The name only; the title \"{printed}\" is printed beside it.")

    def load(self, district: District) -> None:
        self.set_kind(district.kind)
        self.leader.setText(district.superintendent_name)

    def apply(self, district: District) -> District:
        return replace(district, superintendent_name=self.leader.text())


class _RowsTable(QTableWidget):
    """A table whose Tab in the last cell leaves the table (to its Add button) and whose
    Shift+Tab in the first cell leaves it backwards, instead of wrapping round to open the
    first (or last) cell, where the next keys would replace a name already typed."""

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        current = self.currentIndex()
        at = (current.row(), current.column())
        leave_forward = (
            hint == QAbstractItemDelegate.EndEditHint.EditNextItem
            and at == (self.rowCount() - 1, self.columnCount() - 1)
        )
        leave_back = hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem and at == (0, 0)
        if not (leave_forward or leave_back):
            super().closeEditor(editor, hint)
            return
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if leave_forward:
            self.focusNextChild()
        else:
            self.focusPreviousChild()


class RowsEditor(QWidget):
    """A small editable table of named rows with Add and Remove buttons."""

    changed = Signal()

    def __init__(
        self,
        headers: list[str],
        *,
        noun: str,
        accessible_name: str,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.table = _RowsTable(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(accessible_name)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Cells, not rows, are selected, so the cell that typing goes into is the one shown.
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        add_text, remove_text = _BUTTON_TEXTS.get(noun, (f"Add {noun}", f"Remove {noun}"))
        self.add_button = QPushButton(add_text)
        self.add_button.setAccessibleName(f"Add {noun}")
        self.remove_button = QPushButton(remove_text)
        self.remove_button.setAccessibleName(f"Remove selected {noun}")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        if hint:
            self.hint = QLabel(hint)
            self.hint.setWordWrap(True)
            self.hint.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(self.hint)
        layout.addLayout(buttons)
        # Not add_row itself: clicked passes a bool, which add_row took for the row's values
        # (so it added a blank row without opening it, and focus stayed on the button).
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.isEnabled() and bool(self.table.selectedIndexes()))

    def _add_clicked(self) -> None:
        """Add an empty row and put the cursor in its first cell, so typing lands there."""
        self.commit_edits()
        self.add_row()

    def add_row(
        self,
        values: list[str] | None = None,
        *,
        row_id=None,
        version: int = 0,
        edit: bool = True,
    ) -> int:
        """Append a row (empty when ``values`` is None) and, if ``edit``, start typing in it."""
        new_row = values is None
        values = values or [""] * self.table.columnCount()
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 0:
                item.setData(_ID_ROLE, row_id)
                item.setData(_VERSION_ROLE, version)
                item.setData(_LOADED_ROLE, list(values) if row_id is not None else None)
            self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if new_row and edit:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.setCurrentCell(row, 0)
            self.table.scrollToItem(self.table.item(row, 0))
            self.table.editItem(self.table.item(row, 0))
        if new_row:
            self.changed.emit()
        return row

    def editing(self) -> bool:
        """True while a cell editor is open (its text is not in the table yet)."""
        return self.table.state() == QAbstractItemView.State.EditingState

    def commit_edits(self) -> None:
        """Put the text of an open cell editor into the table and close the editor."""
        if not self.editing():
            return
        for editor in self.table.viewport().findChildren(QWidget):
            if editor.isVisible() and editor.parent() is self.table.viewport():
                self.table.commitData(editor)
                self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def start_editing(self) -> None:
        """Focus the table and, when its first row is empty, open that cell for typing."""
        self.table.setFocus()
        if self.table.rowCount() == 0:
            return
        self.table.setCurrentCell(0, 0)
        first = self.table.item(0, 0)
        if first is not None and not first.text():
            self.table.editItem(first)

    def remove_selected(self) -> None:
        """Remove the rows with a selected cell; focus moves to Add, never on to another field."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._update_buttons()
        if rows:
            self.changed.emit()
            # Remove is disabled now (nothing is selected): Qt would pass its focus on to
            # the next button, the wizard's Next, where a second Space would turn the page.
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.table.setRowCount(0)

    def rows(self) -> list[tuple[list[str], object, int, tuple | None]]:
        """(cell texts, id, version, texts as loaded) for each row, in order."""
        result = []
        for row in range(self.table.rowCount()):
            texts = []
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                texts.append(item.text() if item else "")
            first = self.table.item(row, 0)
            row_id = first.data(_ID_ROLE) if first else None
            version = first.data(_VERSION_ROLE) if first else 0
            loaded = first.data(_LOADED_ROLE) if first else None
            result.append((texts, row_id, int(version or 0), tuple(loaded) if loaded else None))
        return result

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 (Qt's name)
        super().setEnabled(enabled)
        self._update_buttons()


class SchoolsEditor(RowsEditor):
    """The schools the SRO serves, with grades and principal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            ["School name", "Grades", "Principal"],
            noun="school",
            accessible_name="Schools",
            parent=parent,
        )

    def load(self, district: District) -> None:
        self.clear()
        for school in district.schools:
            self.add_row(
                [school.name, school.grades, school.principal_name],
                row_id=school.id,
                version=school.version,
            )

    def apply(self, district: District) -> District:
        schools = [
            School(
                name=t[0], grades=t[1], principal_name=t[2], id=row_id, version=version,
                loaded=loaded,
            )
            for t, row_id, version, loaded in self.rows()
        ]
        return replace(district, schools=schools)


class DepartmentsEditor(RowsEditor):
    """The police departments party to the agreement, with each chief."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            ["Police department", "Town", "Chief's name"],
            noun="department",
            accessible_name="Police departments",
            hint=f"Type each chief's name only; \"{CHIEF_TITLE}\" is printed beside it.",
            parent=parent,
        )

    def load(self, district: District) -> None:
        self.clear()
        for department in district.departments:
            self.add_row(
                [department.name, department.town, department.chief_name],
                row_id=department.id,
                version=department.version,
            )

    def apply(self, district: District) -> District:
        departments = [
            PoliceDepartment(
                name=t[0], town=t[1], chief_name=t[2], id=row_id, version=version,
                loaded=loaded,
            )
            for t, row_id, version, loaded in self.rows()
        ]
        return replace(district, departments=departments)
