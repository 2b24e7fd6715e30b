"""Dashboard: what the district owes and by when, the district, the file, the backups.

The list of obligations comes from records/obligations.py, one rule per obligation, with
the open enforcement flags, in the order ``open_items`` gives (what is late, then what to
act on now, then what is due soon, then later); each open item says what is owed, when it
is due or how late it is, and opens the page that fixes it (double-click, Enter, or Open
Page).
"""

from __future__ import annotations

from datetime import date, datetime

from sro_desk.records.district import District, load_district
from sro_desk.records.obligations import NOW, SOON, Obligation, dashboard_obligations, open_items, urgency
from sro_desk.records.settings import current_school_year
from sro_desk.store import DataFile, one_snapshot
from sro_desk.store.backup import backup_time, latest_backup
from sro_desk.store.lease import Presence, read_lease
from sro_desk.ui.page import Page, read_only_table
from sro_desk.ui.qt import (
    QBrush,
    QColor,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    plain,
    scrolling,
)

LATE_INK = QColor(170, 20, 20)
SOON_INK = QColor(150, 90, 0)
PAGE_ROLE = Qt.ItemDataRole.UserRole


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def _boxed(title: str, text: QLabel) -> QGroupBox:
    """A titled box around one label (more may be added to its layout)."""
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(text)
    return box


def _when(moment: datetime) -> str:
    return moment.strftime("%b %d, %Y at %I:%M %p").replace(" 0", " ")


class DashboardPage(Page):
    """What this file holds and how it stands; refreshed whenever the file changes.

    It edits nothing, and backups only read the file: a read-only file shows it all the same.
    """

    backup_requested = Signal()
    #: The title of the page that fixes the chosen obligation.
    page_requested = Signal(str)
    #: Print the one-page compliance status.
    status_print_requested = Signal()
    title = "Dashboard"
    #: What the district owes draws on nearly every record: any change may alter it.
    reads = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self._build_heading())
        layout.addWidget(self._build_owed())
        layout.addWidget(self._build_done())
        layout.addWidget(self._build_district())
        layout.addWidget(self._build_file())
        layout.addWidget(self._build_backups())
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))
        self._connect_signals()
        self._set_tab_order()
        self._enable_open()

    # -- building the page ------------------------------------------------------------

    def _build_heading(self) -> QLabel:
        """The district's name, large."""
        self.heading = QLabel()
        self.heading.setAccessibleName("District name")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        return self.heading

    def _build_owed(self) -> QGroupBox:
        """What the district owes, and opening the page that fixes it or printing it all."""
        self.owed_summary = _label("What the district owes")
        self.open_button = QPushButton("&Open Page")
        self.open_button.setAccessibleName("Open the page that fixes it")
        self.status_button = QPushButton("&Print Status…")
        self.status_button.setAccessibleName("Print the compliance status")
        owed_box = QGroupBox("What the district owes, and by when")
        owed_layout = QVBoxLayout(owed_box)
        owed_layout.addWidget(self.owed_summary)
        owed_layout.addWidget(self._build_owed_table())
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.status_button)
        buttons.addStretch(1)
        owed_layout.addLayout(buttons)
        return owed_box

    def _build_owed_table(self) -> QTableWidget:
        """One open obligation a row, its sentence wrapped to the width it is given."""
        self.owed = QTableWidget(0, 3)
        self.owed.setHorizontalHeaderLabels(["Owed", "When", "Fix on"])
        read_only_table(self.owed, "Obligations owed")
        self.owed.setWordWrap(True)
        self.owed.setAlternatingRowColors(True)
        self.owed.setAccessibleDescription("Press Enter or double-click to open the page that fixes it.")
        header = self.owed.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)  # "Owed" takes the room; "Fix on" only its words
        # The rows grow to fit their wrapped sentences at the column's width: measured once
        # after the columns settle (a layout pass resizes them several times).
        self._size_rows = QTimer(self)
        self._size_rows.setSingleShot(True)
        self._size_rows.setInterval(0)
        self._size_rows.timeout.connect(self.owed.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._size_rows.start())
        self.owed.setMinimumHeight(340)
        return self.owed

    def _build_done(self) -> QGroupBox:
        self.done_text = _label("Up to date")
        return _boxed("Up to date", self.done_text)

    def _build_district(self) -> QGroupBox:
        self.district_text = _label("District summary")
        # One short line per signatory and school: unwrapped, the label is measured once
        # rather than at every layout pass (40 schools cost 40 ms to re-wrap).
        self.district_text.setWordWrap(False)
        return _boxed("District", self.district_text)

    def _build_file(self) -> QGroupBox:
        self.file_text = _label("About this file")
        return _boxed("This file", self.file_text)

    def _build_backups(self) -> QGroupBox:
        """The last backup, and making one now."""
        self.backup_text = _label("Backups")
        self.backup_button = QPushButton("&Back Up Now")
        self.backup_button.setAccessibleName("Back up now")
        backup_box = _boxed("Backups", self.backup_text)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        backup_box.layout().addLayout(row)
        return backup_box

    def _connect_signals(self) -> None:
        self.owed.itemActivated.connect(self._open)
        self.owed.currentItemChanged.connect(lambda *_: self._enable_open())
        self.open_button.clicked.connect(lambda: self._open(self.owed.currentItem()))
        self.status_button.clicked.connect(self.status_print_requested)
        self.backup_button.clicked.connect(self.backup_requested)

    def _set_tab_order(self) -> None:
        QWidget.setTabOrder(self.owed, self.open_button)
        QWidget.setTabOrder(self.open_button, self.status_button)
        QWidget.setTabOrder(self.status_button, self.backup_button)

    # -- the page protocol ------------------------------------------------------------

    def forget_file(self) -> None:
        super().forget_file()
        self.heading.clear()
        self.owed.setRowCount(0)
        self.owed_summary.clear()

    @one_snapshot
    def refresh(self, data_file: DataFile, presence: Presence | None = None,
                today: date | None = None) -> None:
        district = load_district(data_file)
        self._show_district(district)
        self._show_obligations(dashboard_obligations(data_file, today=today), current_school_year(data_file, today))
        self._show_file(data_file, presence)
        self._show_backup(data_file)

    def _show_obligations(self, found: list[Obligation], year: str) -> None:
        pending = open_items(found)
        late = sum(1 for o in pending if o.late)
        now = sum(1 for o in pending if urgency(o) == NOW)
        if pending:
            self.owed_summary.setText(
                f"<b>{len(pending)}</b> open for {plain(year)}"
                + (f", <b style='color:#aa1414'>{late} late</b>" if late else "")
                + (f", <b style='color:#aa1414'>{now} to act on now</b>" if now else "")
                + ". The most urgent come first. Choose one and press Enter to open the page that fixes it."
            )
        else:
            self.owed_summary.setText(f"Nothing is owed for {plain(year)} right now.")
        self.owed.setRowCount(0)
        self.owed.setRowCount(len(pending))
        for number, item in enumerate(pending):
            cells = [QTableWidgetItem(item.what), QTableWidgetItem(item.when()),
                     QTableWidgetItem(f"{item.page} page")]
            for column, cell in enumerate(cells):
                cell.setData(PAGE_ROLE, item.page)
                cell.setToolTip(item.what)
                self.owed.setItem(number, column, cell)
            group = urgency(item)
            if item.late or group == NOW:
                cells[1].setForeground(QBrush(LATE_INK))
            elif group == SOON and item.days_late > -14:
                cells[1].setForeground(QBrush(SOON_INK))
        if self.owed.isVisible():  # else the first layout sizes the rows, at the real width
            self.owed.resizeRowsToContents()
        if pending:
            self.owed.setCurrentCell(0, 0)
        self._enable_open()
        done = [o for o in found if o.done]
        self.done_text.setText(
            "<br>".join(f"✔ {plain(o.what)}" for o in done) if done else "Nothing yet."
        )

    def _enable_open(self) -> None:
        self.open_button.setEnabled(self.owed.currentItem() is not None)

    def _open(self, item: QTableWidgetItem | None) -> None:
        if item is not None:
            self.page_requested.emit(item.data(PAGE_ROLE))

    def _show_district(self, district: District | None) -> None:
        if district is None:
            self.heading.setText("No district set up yet")
            self.district_text.setText("Use District > Set Up District to enter it.")
            return
        self.heading.setText(plain(district.name))
        signers = "".join(
            f"<li>{plain(s.name)}, {plain(s.title)}, {plain(s.organisation)}</li>"
            for s in district.signatories()
        )
        schools = "".join(
            f"<li>{plain(s.name)}"
            + (f" ({plain(s.grades)})" if s.grades else "")
            + (f", principal {plain(s.principal_name)}" if s.principal_name else "")
            + "</li>"
            for s in district.schools
        )
        self.district_text.setText(
            f"{plain(district.kind_label)}<br>"
            f"<b>Signatories</b><ul>{signers}</ul>"
            f"<b>{len(district.schools)} school(s)</b><ul>{schools}</ul>"
        )

    def _show_file(self, data_file: DataFile, presence: Presence | None) -> None:
        lines = [f"<b>Location:</b> {plain(str(data_file.path))}"]
        if data_file.read_only:
            lines.append(f"<b>Read-only:</b> {plain(data_file.read_only_reason or '')}")
            holder = read_lease(data_file.path)
            if holder is not None:
                lines.append(f"<b>Being edited by:</b> {plain(holder.describe())}")
        else:
            lines.append("<b>You are editing this file.</b> Others who open it see it read-only.")
        others = presence.others() if presence is not None else []
        if others:
            names = ", ".join(plain(o.describe()) for o in others)
            lines.append(f"<b>Also open by:</b> {names}")
        else:
            lines.append("<b>Also open by:</b> no one else")
        self.file_text.setText("<br>".join(lines))

    def _show_backup(self, data_file: DataFile) -> None:
        latest = latest_backup(data_file.path)
        if latest is None:
            self.backup_text.setText("No backup of this file yet.")
            return
        made = backup_time(latest)
        self.backup_text.setText(
            f"<b>Last backup:</b> {_when(made) if made else ''}<br>{plain(str(latest))}"
        )
