"""The conflict dialog: someone saved this record since you opened it; pick a version."""

from __future__ import annotations

from sro_desk.errors import ConflictError
from sro_desk.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

_HIDDEN = {"id", "created_at", "updated_at", "updated_by", "version", "district_id"}


def _shown(value: object) -> str:
    return "" if value is None else str(value)


class ConflictDialog(QDialog):
    """Both versions side by side; the person saves theirs over, takes the other, or waits."""

    KEEP_MINE, TAKE_THEIRS = 1, 2

    def __init__(self, error: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed by someone else")
        self.choice = 0
        message = QLabel(error.message)
        message.setWordWrap(True)
        fields = [k for k in error.theirs if k not in _HIDDEN]
        table = QTableWidget(len(fields), 3)
        table.setAccessibleName("Your version and theirs")
        table.setHorizontalHeaderLabels(["Field", "Your version", "Their version"])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, key in enumerate(fields):
            mine = _shown(error.mine.get(key, error.theirs.get(key)))
            theirs = _shown(error.theirs.get(key))
            cells = [key.replace("_", " ").capitalize(), mine, theirs]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if mine != theirs:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        buttons = QDialogButtonBox()
        keep = buttons.addButton("&Save Mine Over Theirs", QDialogButtonBox.ButtonRole.AcceptRole)
        take = buttons.addButton("&Use Their Version", QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton("Keep Editing", QDialogButtonBox.ButtonRole.RejectRole)
        keep.clicked.connect(lambda: self._choose(self.KEEP_MINE))
        take.clicked.connect(lambda: self._choose(self.TAKE_THEIRS))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()
