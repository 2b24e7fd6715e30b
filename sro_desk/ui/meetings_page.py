"""Meetings page: the year's meetings with their minutes and documents, the monthly SRO
and principal meeting school by school, and the action items still open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sro_desk.errors import ConflictError, SroDeskError
from sro_desk.records import meetings as mt
from sro_desk.records.calendar import school_year_of
from sro_desk.records.district import load_district
from sro_desk.records.listing import label_sql
from sro_desk.records.meetings import Meeting, OpenAction
from sro_desk.records.settings import MONTHS, current_school_year, school_year_start_month
from sro_desk.records.calendar import years_to_offer
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.enforcement_form import choose, read_only_table, wrapped_label
from sro_desk.ui.meetings_dialogs import (
    DocumentsDialog,
    DoneDialog,
    MeetingDialog,
    MonthsDialog,
    enter_presses_focused_buttons,
)
from sro_desk.ui.page import Page, fill_years, side_by_side
from sro_desk.ui.page import read_only_table as shared_read_only_table  # sets up a view made elsewhere
from sro_desk.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QComboBox,
    QDialog,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Qt,
    plain,
    plain_sentence,
    year_chooser,
)
from sro_desk.ui.table_model import Column, SqlTableModel
from sro_desk.ui.work import BackgroundTask

__all__ = ["MeetingsPage", "KIND_SHORT", "MEETING_COLUMNS", "ACTION_COLUMNS"]

_ID = Qt.ItemDataRole.UserRole
_FONT = Qt.ItemDataRole.FontRole
#: The tabs filled only when shown.
MONTHLY_TAB, ACTIONS_TAB = 1, 2
MEETING_COLUMNS = ["Date", "Kind", "Title or agenda", "Schools", "Attendees", "Open actions"]
ACTION_COLUMNS = ["Due", "Action", "Owner", "From the meeting", "State"]
#: Kinds of meeting, short enough for a list column.
KIND_SHORT = {
    "sro_principal": "SRO and principal",
    "annual_review": "Annual review",
    "agreement_review": "Agreement review",
    "safety": "Safety meeting",
    "other": "Other",
}
#: The school years that have meetings, for the list of years.
_YEARS = ("SELECT DISTINCT school_year FROM meeting", (), ("school_year",))
HELD, MISSING, DUE = "✔", "✘", "due"
_COLOURS = {HELD: "#1b6e20", MISSING: "#b00020", DUE: "#8a4b00"}
RED = "#b00020"


def _first_line(text: str, most: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= most else line[: most - 1] + "…"


def _item(text: str, tooltip: str = "", *, align_right: bool = False, tip: bool = True) -> QTableWidgetItem:
    """A cell; its tip is ``tooltip`` or its whole text (none when ``tip`` is false and no
    tooltip is given: a short cell always shown whole, like a date or a count)."""
    item = QTableWidgetItem(text)
    if tooltip or tip:
        item.setToolTip(plain_sentence(tooltip or text))  # a tip guesses rich text: typed text stays as typed
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


_BRUSHES: dict[str, QBrush] = {}
#: Fonts that set only bold or italic (the rest is the list's own font), by (bold, italic).
_FONTS: dict[tuple[bool, bool], QFont] = {}


def _mark(item: QTableWidgetItem, *, colour: str = "", bold: bool = False, italic: bool = False) -> None:
    """Colour a cell's text, or make it bold or italic (one brush and font shared by every cell)."""
    if colour:
        item.setForeground(_brush(colour))
    if bold or italic:
        current = item.data(_FONT)
        if current is not None:
            bold, italic = bold or current.bold(), italic or current.italic()
        item.setFont(_font(bold, italic))


def _brush(colour: str) -> QBrush:
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


def _font(bold: bool, italic: bool) -> QFont:
    font = _FONTS.get((bold, italic))
    if font is None:
        font = _FONTS[(bold, italic)] = QFont()
        font.setBold(bold)
        font.setItalic(italic)
    return font


def _fill_rows(table: QTableWidget, rows: list[tuple[int, list[QTableWidgetItem]]], keep: int | None) -> None:
    """Put (record id, cells) rows in a list, choosing again the row of ``keep``."""
    table.blockSignals(True)
    table.clearSelection()
    table.setRowCount(len(rows))
    keep_row = None
    for row, (record_id, cells) in enumerate(rows):
        cells[0].setData(_ID, record_id)
        for column, item in enumerate(cells):
            table.setItem(row, column, item)
        if record_id == keep:
            keep_row = row
    table.horizontalHeader().setResizeContentsPrecision(60)  # widths from the first rows only
    table.resizeColumnsToContents()
    table.blockSignals(False)
    if keep_row is not None:
        table.selectRow(keep_row)
        table.scrollToItem(table.item(keep_row, 0))


def _meeting_text(row: dict) -> str:
    return f"{row['title'] or mt.MEETING_KINDS.get(row['kind'], row['kind'])} ({row['held_on']})"


def _state_text(row: dict, today: str) -> str:
    due = row["due_on"] or ""
    return "Overdue" if due and due < today else ("" if due else "No due date")


#: The order of the list by due date: the dated items soonest first, then the undated ones,
#: each by its meeting's date and its place in the meeting (as ``open_action_items``
#: orders them), in one key so that a descending sort turns the whole order round.
_DUE_ORDER = ("((CASE WHEN a.due_on IS NULL OR a.due_on = '' THEN '1' ELSE '0' || a.due_on END) "
              "|| m.held_on || printf('%010d', a.position))")
#: Overdue first, then the items not yet due, then those with no due date.
_STATE_ORDER = (f"((CASE WHEN a.due_on IS NULL OR a.due_on = '' THEN '2' WHEN a.due_on < :today THEN '0' "
                f"ELSE '1' END) || {_DUE_ORDER})")


class ActionsModel(SqlTableModel):
    """The open action items of every year, as a list over SQL: the ids of the open items
    (from the partial index of open items) in the order chosen, their rows read a page at a
    time when shown (a large file has thousands of items open). The overdue ones (as of
    ``today``) have their due date and state in bold red."""

    _TIP = int(Qt.ItemDataRole.ToolTipRole.value)
    _FOREGROUND, _FONT = int(Qt.ItemDataRole.ForegroundRole.value), int(Qt.ItemDataRole.FontRole.value)
    _RECORD = int(_ID.value)
    _OWN = frozenset((_TIP, _FOREGROUND, _FONT, _RECORD))
    #: The columns with no tip (short texts, always shown whole), and those marked when overdue.
    _NO_TIP = _MARKED = (0, 4)

    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column(ACTION_COLUMNS[0], text=lambda r: r["due_on"] or "", sort_sql=_DUE_ORDER),
            Column(ACTION_COLUMNS[1], text=lambda r: r["description"], sort_sql="a.description"),
            Column(ACTION_COLUMNS[2], text=lambda r: r["owner"] or "", sort_sql="coalesce(a.owner, '')"),
            Column(ACTION_COLUMNS[3], text=_meeting_text,
                   sort_sql=(f"(coalesce(nullif(m.title, ''), {label_sql('m.kind', mt.MEETING_KINDS)}) "
                             "|| ' (' || m.held_on || ')')")),
            Column(ACTION_COLUMNS[4], text=lambda r: _state_text(r, self.today), sort_sql=_STATE_ORDER),
        ]
        super().__init__(source=mt.ACTIONS_SOURCE, id_sql="a.id", columns=columns, fields=mt.ACTION_FIELDS,
                         parent=parent)
        self.set_filter("open", mt.OPEN_ACTION)  # word for word, for the partial index
        self.set_today(date.today())

    def set_today(self, today: date) -> None:
        """The day the items are overdue as of (read again with ``refresh``)."""
        self.today = today.isoformat()
        self.set_params(today=self.today)

    def action(self, row: int) -> OpenAction | None:
        """The item of a row shown (None off the end, or for a row no longer in the file)."""
        values = self.row_dict(row)
        return mt.open_action(values, date.fromisoformat(self.today)) if values else None

    def _overdue(self, row: int) -> bool:
        values = self.row_dict(row)
        return bool(values) and bool(values["due_on"]) and values["due_on"] < self.today

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # Asked for every role of every cell painted: the roles not served leave at once.
        if role not in self._OWN:
            return super().data(index, role)
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < self.rowCount() or not 0 <= column < len(self.columns):
            return None
        if role == self._RECORD:
            return self.id_at(row) if column == 0 else None
        if role == self._TIP:
            if column in self._NO_TIP:
                return None
            values = self.row_dict(row)
            if not values:
                return None
            key = f"_tip{column}"
            if key not in values:
                tips = {1: lambda: self.action(row).sentence(), 2: lambda: values["owner"] or "",
                        3: lambda: _meeting_text(values)}
                values[key] = plain_sentence(tips[column]())
            return values[key]
        if column in self._MARKED and self._overdue(row):
            return _brush(RED) if role == self._FOREGROUND else _font(True, False)
        return None


class _OpenItems(Sequence):
    """The open action items as their list shows them, in its order, made when asked for."""

    def __init__(self, model: ActionsModel) -> None:
        self.model = model

    def __len__(self) -> int:
        return self.model.total()

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        while row >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        return self.model.action(row)


class MeetingsPage(Page):
    """Three tabs over one school year: the meetings, the monthly meeting grid, open action items.
    Every change is saved by its dialog, so the page never holds unsaved changes."""

    title = "Meetings"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks: list[BackgroundTask] = []
        self.schools: list[tuple[int, str]] = []
        #: The meetings in the list, in its order (the year's, of the chosen kind).
        self.meetings: list[Meeting] = []
        #: How many action items of every year were overdue when the year was read.
        self._overdue = 0
        self.compliance: list[mt.MonthlyCompliance] = []
        #: The officers marked as SROs whom nothing places at a school in the year shown.
        self.unplaced: list[str] = []
        #: The months shown in the grid (first day of each).
        self.months: list[date] = []
        #: The year shown, its meetings of every kind, and the day they were read on.
        self._shown_year = ""
        self._every: list[Meeting] = []
        self._today = date.today()
        #: The tabs not yet filled with the year shown: each is filled when it is shown.
        self._stale: set[int] = set()

        top = self._build_year_bar()
        self.tabs = self._build_tabs(self._build_meetings_tab(), self._build_monthly_tab(),
                                     self._build_actions_tab())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        self._finish_controls()
        self._connect_signals()
        self._update_controls()

    # -- building the page ------------------------------------------------------------

    def _build_year_bar(self) -> QHBoxLayout:
        """The school year chosen and its summary."""
        self.year = year_chooser()
        year_label = QLabel("School &year:")
        year_label.setBuddy(self.year)
        self.summary = wrapped_label("Year summary")
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.summary, 1)
        return top

    def _build_kind_bar(self) -> QHBoxLayout:
        """The kind of meeting shown, and the buttons acting on the meetings."""
        self.kind = QComboBox()
        self.kind.addItem("All kinds", "")
        for key, label in mt.MEETING_KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setAccessibleName("Kind of meeting shown")
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        self.new_button = QPushButton("&New Meeting…")
        self.edit_button = QPushButton("Ed&it…")
        self.delete_button = QPushButton("De&lete…")
        self.documents_button = QPushButton("Do&cuments…")
        bar = QHBoxLayout()
        bar.addWidget(kind_label)
        bar.addWidget(self.kind)
        bar.addStretch(1)
        for button in (self.new_button, self.edit_button, self.delete_button, self.documents_button):
            bar.addWidget(button)
        return bar

    def _build_meetings_tab(self) -> QWidget:
        """The year's meetings: the list beside the one chosen, shown in full."""
        bar = self._build_kind_bar()
        self.table = read_only_table(MEETING_COLUMNS, "Meetings of the year")
        self.table.horizontalHeader().setMaximumSectionSize(170)  # the whole text is the tooltip
        list_label = QLabel("Meetings of the year, &by date (any still to come in italics):")
        list_label.setBuddy(self.table)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Chosen meeting")
        self.detail.setOpenLinks(False)
        self.detail.setTabChangesFocus(True)
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(list_label)
        list_layout.addWidget(self.table, 1)
        splitter = side_by_side(list_box, self.detail, (3, 2), [640, 400])
        meetings_tab = QWidget()
        meetings_layout = QVBoxLayout(meetings_tab)
        meetings_layout.addLayout(bar)
        meetings_layout.addWidget(splitter, 1)
        return meetings_tab

    def _build_monthly_tab(self) -> QWidget:
        """The monthly SRO and principal meeting: a grid of schools by month, with its legend."""
        self.monthly_text = wrapped_label("Monthly meetings summary")
        # Set up by hand, not with read_only_table: a month is a cell, chosen on its own (not
        # its row), and the columns are sized as the grid is filled.
        self.grid = QTableWidget(0, 0)
        self.grid.setAccessibleName("Monthly SRO and principal meetings")
        self.grid.verticalHeader().setVisible(False)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setTabKeyNavigation(False)
        self.grid.setWordWrap(False)
        self.grid.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.grid.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.grid.horizontalHeader().setMinimumSectionSize(self.grid.fontMetrics().horizontalAdvance("May 2026"))
        grid_label = QLabel("SRO and &principal meetings by month:")
        grid_label.setBuddy(self.grid)
        legend = wrapped_label("Legend", rich=False)
        legend.setText(f"{HELD} held (the date is in the tip)   {MISSING} the month ended with no meeting   "
                       f"{DUE}: this month's meeting is still to be held   blank: a month to come. "
                       "Double-click a month to open or record its meeting.")
        self.months_button = QPushButton("Meeting Month&s…")
        monthly_tab = QWidget()
        monthly_layout = QVBoxLayout(monthly_tab)
        monthly_layout.addWidget(self.monthly_text)
        monthly_layout.addWidget(grid_label)
        monthly_layout.addWidget(self.grid)
        monthly_layout.addWidget(legend)
        monthly_layout.addWidget(self.months_button, 0, Qt.AlignmentFlag.AlignLeft)
        monthly_layout.addStretch(1)
        return monthly_tab

    def _build_actions_tab(self) -> QWidget:
        """The action items still open, of every year, over SQL."""
        self.actions_text = wrapped_label("Action items summary")
        self.actions_model = ActionsModel(self)
        self.actions_table = QTableView()
        self.actions_table.setModel(self.actions_model)
        shared_read_only_table(self.actions_table, "Open action items")
        self.actions_table.setWordWrap(False)
        header = self.actions_table.horizontalHeader()
        header.setMaximumSectionSize(420)  # long texts are cut short; the whole text is the tooltip
        header.setResizeContentsPrecision(30)  # widths from the first rows only
        header.setSortIndicator(*self.actions_model.sort_column())
        self.actions_table.setSortingEnabled(True)  # a header click sorts in SQL
        actions_label = QLabel("Action items still open, every year, soonest d&ue first:")
        actions_label.setBuddy(self.actions_table)
        self.done_button = QPushButton("Ma&rk Done…")
        self.open_meeting_button = QPushButton("&Open Meeting…")
        action_buttons = QHBoxLayout()
        action_buttons.addWidget(self.done_button)
        action_buttons.addWidget(self.open_meeting_button)
        action_buttons.addStretch(1)
        actions_tab = QWidget()
        actions_layout = QVBoxLayout(actions_tab)
        actions_layout.addWidget(self.actions_text)
        actions_layout.addWidget(actions_label)
        actions_layout.addWidget(self.actions_table, 1)
        actions_layout.addLayout(action_buttons)
        return actions_tab

    @staticmethod
    def _build_tabs(meetings_tab: QWidget, monthly_tab: QWidget, actions_tab: QWidget) -> QTabWidget:
        """The three views of the year, in their order."""
        tabs = QTabWidget()
        tabs.addTab(meetings_tab, "&Meetings")
        tabs.addTab(monthly_tab, "Mon&thly Meetings")
        tabs.addTab(actions_tab, "&Action Items")
        tabs.setAccessibleName("Meetings views")
        tabs.tabBar().setAccessibleName("Meetings views")
        return tabs

    def _finish_controls(self) -> None:
        """Even rows, the buttons' names for screen readers, Enter on a focused button, the tab order."""
        for table in (self.table, self.grid, self.actions_table):
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        for button in self.findChildren(QPushButton):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        enter_presses_focused_buttons(self)
        chain = [self.year, self.tabs, self.kind, self.new_button, self.edit_button, self.delete_button,
                 self.documents_button, self.table, self.detail, self.grid, self.months_button,
                 self.actions_table, self.done_button, self.open_meeting_button]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    def _connect_signals(self) -> None:
        """What each control does."""
        self.tabs.currentChanged.connect(self._fill_tab)
        self.year.activated.connect(lambda _i: self._show_year())
        self.kind.activated.connect(lambda _i: self._show_year())
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_meeting())
        self.actions_table.selectionModel().selectionChanged.connect(lambda *_: self._update_controls())
        self.actions_table.doubleClicked.connect(lambda _index: self.open_meeting())
        self.grid.cellDoubleClicked.connect(self.record_month)
        self.new_button.clicked.connect(lambda: self.new_meeting())
        self.edit_button.clicked.connect(self.edit_meeting)
        self.delete_button.clicked.connect(self.delete_meeting)
        self.documents_button.clicked.connect(self.show_documents)
        self.months_button.clicked.connect(self.choose_months)
        self.done_button.clicked.connect(self.mark_done)
        self.open_meeting_button.clicked.connect(self.open_meeting)

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        if self.actions_model.data_file is not data_file:  # another file: its items are read when shown
            self.actions_model.set_data_file(None)
        self.data_file = data_file
        district = load_district(data_file)
        self.schools = [(s.id, s.name) for s in district.schools] if district else []
        # Everything the page shows first, asked for in one statement.
        year = self.year.currentData() or current_school_year(data_file)
        data_file.prefetch([_YEARS, *self._reads(year, date.today())])
        self._fill_years()
        self._show_year()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._update_controls()

    # -- showing ----------------------------------------------------------------------

    def school_year(self) -> str:
        return self.year.currentData() or ""

    def _fill_years(self) -> None:
        this_year = current_school_year(self.data_file)
        keep = self.year.currentData() or this_year
        known = {r["school_year"] for r in self.data_file.query(_YEARS[0])}
        fill_years(self.year, years_to_offer(this_year, known, keep=keep, last=True), keep)

    def _reads(self, year: str, today: date) -> list:
        """What showing ``year`` reads, for ``DataFile.prefetch`` (the action items' list
        reads them itself, when its tab is shown)."""
        reads = [*mt.meetings_for_reads(self.data_file, year), *mt.monthly_reads(self.data_file, year, today=today),
                 *mt.overdue_count_reads(today)]
        return reads

    def _show_year(self, select: int | None = None) -> None:
        self.error.hide()
        if self.data_file is None:
            return
        with self.data_file.reading():
            self._read_year(select)

    def _read_year(self, select: int | None) -> None:
        """Show the chosen year: the list of meetings and the tab shown are filled now,
        the other tabs when they are shown."""
        chosen = self.selected()
        keep = select if select is not None else (chosen.id if chosen else None)
        year = self.school_year()
        today = date.today()
        self.data_file.prefetch(self._reads(year, today))
        every = mt.meetings_for(self.data_file, year)
        kind = self.kind.currentData()
        self.meetings = [m for m in every if not kind or m.kind == kind]
        self._shown_year, self._every, self._today = year, every, today
        starts = school_year_start_month(self.data_file)
        wanted = set(mt.meeting_months(self.data_file))
        self.months = [m for m in mt.year_months(year, starts) if m.month in wanted]
        self.compliance = mt.missing_monthly_meetings(self.data_file, year, today=today)
        self.unplaced = mt.unplaced_sros(self.data_file, year)
        overdue = self._overdue = mt.overdue_action_count(self.data_file, today)
        self._fill_meetings(today, keep)
        self._stale = {MONTHLY_TAB, ACTIONS_TAB}
        self._fill_tab(self.tabs.currentIndex())
        missed = sum(len(c.missing) for c in self.compliance)
        parts = [f"<b>{plain(year)}: {len(every)} {'meeting' if len(every) == 1 else 'meetings'}</b>"]
        if missed:
            parts.append(f"<b style='color:{RED}'>{missed} monthly {'meeting' if missed == 1 else 'meetings'} "
                         "missed</b>")
        if overdue:
            parts.append(f"<b style='color:{RED}'>{overdue} action {'item' if overdue == 1 else 'items'} "
                         "overdue</b>")
        self.summary.setText(" · ".join(parts))
        self._show_detail()

    def _fill_tab(self, index: int) -> None:
        """Fill a tab with the year shown, unless it already is."""
        if index not in self._stale or self.data_file is None:
            return
        self._stale.discard(index)
        if index == MONTHLY_TAB:
            self._fill_monthly(self._shown_year, self._every, self._today)
        elif index == ACTIONS_TAB:
            self._fill_actions(self._today)

    @property
    def open_items(self) -> Sequence[OpenAction]:
        """The open action items of every year, as their tab lists them, in its order (filled
        now if it was not yet); each is read when asked for."""
        self._fill_tab(ACTIONS_TAB)
        return _OpenItems(self.actions_model)

    def _fill_meetings(self, today: date, keep: int | None) -> None:
        names = dict(self.schools)
        rows = []
        for meeting in self.meetings:
            to_come = meeting.held_on > today.isoformat()
            open_actions = [a for a in meeting.actions if not a.done_on]
            late = sum(1 for a in open_actions if a.due_on and a.due_on < today.isoformat())
            cells = [
                _item(meeting.held_on, f"{meeting.held_on}: still to come" if to_come else "", tip=False),
                _item(KIND_SHORT.get(meeting.kind, meeting.kind), meeting.kind_label),
                _item(meeting.title or _first_line(meeting.agenda), meeting.title or meeting.agenda),
                _item(", ".join(names.get(s, "?") for s in meeting.school_ids)),
                _item(str(len(meeting.attendees)), align_right=True, tip=False),
                _item(f"{len(open_actions)}" + (f" ({late} overdue)" if late else "") if open_actions else "",
                      align_right=True, tip=False),
            ]
            if late:
                _mark(cells[5], colour=RED)
            if to_come:  # entered ahead of time: shown in italics until its day
                for item in cells:
                    _mark(item, italic=True)
            rows.append((meeting.id, cells))
        _fill_rows(self.table, rows, keep)

    def _fill_monthly(self, year: str, every: list[Meeting], today: date) -> None:
        """The grid of ``self.months`` for each school of ``self.compliance`` (read with the year)."""
        held: dict[tuple[int, int, int], list[Meeting]] = {}
        for meeting in every:
            if meeting.kind == "sro_principal":
                day = date.fromisoformat(meeting.held_on)
                for school in meeting.school_ids:
                    held.setdefault((school, day.year, day.month), []).append(meeting)
        grid = self.grid
        grid.clear()
        grid.setColumnCount(1 + len(self.months))
        grid.setHorizontalHeaderLabels(["School (SRO)"] + [f"{MONTHS[m.month - 1][:3]}\n{m.year}"
                                                           for m in self.months])
        grid.setRowCount(len(self.compliance))
        for row, school in enumerate(self.compliance):
            sros = ", ".join(school.sros)
            name = _item(f"{school.school_name} ({sros})" if sros else school.school_name,
                         f"{school.school_name}; SRO: {sros or 'none recorded'}")
            name.setData(_ID, school.school_id)
            grid.setItem(row, 0, name)
            for column, month in enumerate(self.months, start=1):
                found = held.get((school.school_id, month.year, month.month), [])
                grid.setItem(row, column, self._month_cell(school, month, found, today))
        header = grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, grid.columnCount()):
            # Sized to the months' cells once (to contents at every layout pass, the grid
            # would measure every cell again each time).
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            grid.resizeColumnToContents(column)
        self.monthly_text.setText(self._monthly_sentence(year))

    @staticmethod
    def _month_cell(school: mt.MonthlyCompliance, month: date, found: list[Meeting],
                    today: date) -> QTableWidgetItem:
        """A school's month: held, missing, due or to come; its data is the first meeting's id."""
        name = f"{MONTHS[month.month - 1]} {month.year}"
        done = [m.held_on for m in found if m.held_on <= today.isoformat()]
        planned = [m.held_on for m in found if m.held_on > today.isoformat()]
        plan = f" Planned for {', '.join(planned)}." if planned else ""
        if done:
            text, tip = HELD, f"{name}: held {', '.join(done)}."
        elif not school.expected(month):
            text, tip = "", f"{name}: before the SRO started on {school.starts.isoformat()}; no meeting was due."
        elif month in school.missing:
            text, tip = MISSING, f"{name}: no SRO and principal meeting was recorded."
        elif school.due is not None and (school.due.year, school.due.month) == (month.year, month.month):
            text, tip = DUE, f"{name}: this month's meeting is due by {school.due.isoformat()}.{plan}"
        else:
            text, tip = "", f"{name}: a month to come.{plan}"
        item = QTableWidgetItem(text)
        item.setToolTip(plain_sentence(tip))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, tip)
        item.setData(_ID, found[0].id if found else None)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if text:
            _mark(item, colour=_COLOURS[text], bold=True)
        return item

    def _monthly_sentence(self, year: str) -> str:
        unplaced = self._unplaced_sentence()
        if not self.compliance:
            return (f"No school has an SRO recorded for {plain(year)}, so no monthly meeting is expected. "
                    "A school has an SRO once the Selection page records the chief's decision for it (or for "
                    "the whole district), or the year's review assigns an SRO to it."
                    + (f"<br>{plain(unplaced)}" if unplaced else ""))
        gaps = [c.sentence() for c in self.compliance if c.missing]
        dues = [c.due_sentence() for c in self.compliance if c.due]
        missed = sum(len(c.missing) for c in self.compliance)
        if gaps:
            lines = [f"<b style='color:{RED}'>{missed} {'month' if missed == 1 else 'months'} with no SRO and "
                     "principal meeting:</b>"] + [plain(s) for s in gaps]
        else:
            lines = ["<b>Every month so far had its SRO and principal meeting at each school with an SRO.</b>"]
        started = [f"{c.school_name}: the SRO started on {c.starts.isoformat()}; the months before are not "
                   "counted." for c in self.compliance if c.starts is not None and c.starts > self.months[0]] \
            if self.months else []
        return "<br>".join(lines + [plain(s) for s in dues + started + ([unplaced] if unplaced else [])])

    def _unplaced_sentence(self) -> str:
        """'' or a sentence naming the officers marked as SROs that no record places at a school."""
        names = self.unplaced
        if not names:
            return ""
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        one = len(names) == 1
        return (f"{listed} {'is' if one else 'are'} marked as {'an SRO' if one else 'SROs'} but no selection "
                "decision or review says at which school, so no monthly meeting is counted for them; record "
                "the chief's decision on the Selection page.")

    def _fill_actions(self, today: date) -> None:
        keep = self._selected_action_id()
        model, table = self.actions_model, self.actions_table
        table.selectionModel().blockSignals(True)
        if model.data_file is not self.data_file:
            model.set_data_file(self.data_file)
        model.set_today(today)
        model.refresh()  # the ids, in the order chosen; the rows are read when shown
        table.resizeColumnsToContents()
        table.selectionModel().blockSignals(False)
        row = model.row_of(keep)
        if row is not None:
            table.selectRow(row)
            table.scrollTo(model.index(row, 0))
        self._update_controls()
        # Counted with the year (the summary above says the same number).
        overdue = self._overdue
        count = model.total()
        if not count:
            self.actions_text.setText("Every action item from every meeting is done.")
        else:
            self.actions_text.setText(
                f"<b>{count} action {'item' if count == 1 else 'items'} open</b>"
                + (f" · <b style='color:{RED}'>{overdue} overdue</b>" if overdue else "")
                + ". Mark each done when it is, or open its meeting to change it.")

    def selected(self) -> Meeting | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.meetings[min(rows)] if rows and min(rows) < len(self.meetings) else None

    def selected_action(self) -> OpenAction | None:
        rows = {i.row() for i in self.actions_table.selectionModel().selectedRows()}
        return self.actions_model.action(min(rows)) if rows else None

    def _selected_action_id(self) -> int | None:
        """The id of the action item chosen (its row is not read)."""
        rows = {i.row() for i in self.actions_table.selectionModel().selectedRows()}
        return self.actions_model.id_at(min(rows)) if rows else None

    def _show_detail(self) -> None:
        meeting = self.selected()
        if meeting is None:
            empty = ("Choose a meeting in the list to see its minutes, decisions and action items."
                     if self.meetings else f"No meetings are recorded for {self._shown_year or 'this year'}. "
                     "Use New Meeting… to record one.")
            self.detail.setHtml(f"<p>{plain(empty)}</p>")
        else:
            self.detail.setHtml(self._meeting_html(meeting))
        self._update_controls()

    def _meeting_html(self, meeting: Meeting) -> str:
        names = dict(self.schools)
        today = date.today().isoformat()
        when = f"{plain(meeting.held_on)}" + (" (still to come)" if meeting.held_on > today else "")
        place = f", {plain(meeting.location)}" if meeting.location else ""
        kind = f"{plain(meeting.kind_label)}, " if meeting.title else ""
        parts = [f"<h3>{plain(meeting.display_title)}</h3>", f"<p>{kind}{when}{place}.</p>"]
        if meeting.school_ids:
            parts.append(f"<p><b>Schools:</b> {plain(', '.join(names.get(s, '?') for s in meeting.school_ids))}</p>")
        if meeting.attendees:
            people = ", ".join(p.name + (f" ({p.role})" if p.role else "") for p in meeting.attendees)
            parts.append(f"<p><b>Attended:</b> {plain(people)}</p>")
        for heading, text in (("Agenda", meeting.agenda), ("Minutes", meeting.minutes),
                              ("Decisions", meeting.decisions)):
            if text:
                parts.append(f"<p><b>{heading}:</b><br>{plain(text).replace(chr(10), '<br>')}</p>")
        if meeting.actions:
            lines = []
            for item in meeting.actions:
                owner = f" ({item.owner})" if item.owner else ""
                if item.done_on:
                    state = f"done {item.done_on}"
                elif item.due_on and item.due_on < today:
                    state = f"<b style='color:{RED}'>overdue, was due {plain(item.due_on)}</b>"
                else:
                    state = f"due {plain(item.due_on)}" if item.due_on else "open"
                lines.append(f"<li>{plain(item.description + owner)}: {state}</li>")
            parts.append("<p><b>Action items:</b></p><ul>" + "".join(lines) + "</ul>")
        if meeting.attachments:
            files = ", ".join(a["file_name"] for a in meeting.attachments)
            parts.append(f"<p><b>Documents:</b> {plain(files)}</p>")
        return "".join(parts)

    def _update_controls(self) -> None:
        editable = self.editable and self.data_file is not None
        chosen = self.selected() is not None
        action = self._selected_action_id() is not None
        self.new_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and chosen)
        self.delete_button.setEnabled(editable and chosen)
        self.documents_button.setEnabled(chosen)
        self.months_button.setEnabled(editable)
        self.done_button.setEnabled(editable and action)
        self.open_meeting_button.setEnabled(action)

    # -- actions ----------------------------------------------------------------------

    def _changed(self, select: int | None = None, year: str | None = None) -> None:
        if year:
            if self.year.findData(year) < 0:
                self.year.addItem(year, year)
            choose(self.year, year)
        if self.data_file is not None:
            with self.data_file.reading():
                self._fill_years()
                self._show_year(select)
        self.saved.emit()

    def _year_of(self, meeting: Meeting) -> str:
        return school_year_of(date.fromisoformat(meeting.held_on),
                              starts_month=school_year_start_month(self.data_file))

    @staticmethod
    def _exec(dialog: QDialog) -> bool:
        accepted = dialog.exec()
        dialog.deleteLater()
        return bool(accepted)

    def _run_meeting_dialog(self, dialog: MeetingDialog) -> None:
        if self._exec(dialog):
            saved = mt.load_meeting(self.data_file, dialog.result_id)
            if self.kind.currentData() and self.kind.currentData() != saved.kind:
                choose(self.kind, "")
            self._changed(select=saved.id, year=self._year_of(saved))

    def new_meeting(self, meeting: Meeting | None = None, focus_date: bool = False) -> None:
        if self.data_file is None or not self.editable:
            return
        if meeting is None and self.kind.currentData():
            meeting = Meeting(self.kind.currentData(), date.today().isoformat())
        dialog = MeetingDialog(self.data_file, self.schools, meeting, self)
        if focus_date:  # the day is chosen, ready to type over
            dialog.held_on.setFocus()
            dialog.held_on.setSelection(len("2026-10-"), len("15"))
        self._run_meeting_dialog(dialog)

    def edit_meeting(self, meeting: Meeting | None = None) -> None:
        meeting = meeting or self.selected()
        if meeting is None or self.data_file is None or not self.editable:
            return
        try:
            meeting = mt.load_meeting(self.data_file, meeting.id)  # as it stands now
        except SroDeskError as exc:
            self._show_year()
            self.show_problem(exc)
            return
        self._run_meeting_dialog(MeetingDialog(self.data_file, self.schools, meeting, self))

    def delete_meeting(self) -> None:
        meeting = self.selected()
        if meeting is None or not self.editable:
            return
        documents = len(meeting.attachments)
        answer = QMessageBox.question(
            self, "SRO Desk",
            plain_sentence(f"Delete the meeting '{meeting.display_title}' of {meeting.held_on}, with its attendees, "
                           f"action items{f' and {documents} documents' if documents else ''}? Delete only a "
                           "meeting entered by mistake; the removal is recorded in the audit log."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            mt.delete_meeting(self.data_file, meeting)
        except ConflictError as exc:
            self._show_year()
            self.show_problem(exc)
            return
        except Exception as exc:
            self.show_problem(exc)
            return
        self._changed()

    def show_documents(self) -> None:
        meeting = self.selected()
        if meeting is None or self.data_file is None:
            return
        dialog = DocumentsDialog(self.data_file, meeting, editable=self.editable, parent=self)
        dialog.exec()
        changed = dialog.changed
        dialog.deleteLater()
        if changed:
            self._changed(select=meeting.id)

    def choose_months(self) -> None:
        if self.data_file is None or not self.editable:
            return
        if self._exec(MonthsDialog(self.data_file, school_year_start_month(self.data_file), self)):
            self._changed()

    def record_month(self, row: int, column: int) -> None:
        """A month double-clicked: open its meeting, or record the school's meeting for it."""
        self._fill_tab(MONTHLY_TAB)
        if column == 0 or row >= len(self.compliance) or column > len(self.months):
            return
        meeting_id = self.grid.item(row, column).data(_ID)
        if meeting_id is not None:
            self.show_meeting(meeting_id)
            return
        if not self.editable:
            return
        month = self.months[column - 1]
        today = date.today()
        if month > today:
            return
        school = self.compliance[row].school_id
        same_month = (month.year, month.month) == (today.year, today.month)
        # A whole date: today in this month, else the month's first day with the day chosen to type over.
        held_on = today.isoformat() if same_month else month.isoformat()
        self.new_meeting(Meeting("sro_principal", held_on, [school]), focus_date=not same_month)

    def mark_done(self) -> None:
        action = self.selected_action()
        if action is None or not self.editable:
            return
        if self._exec(DoneDialog(self.data_file, action.item, self)):
            self._changed()

    def open_meeting(self) -> None:
        """Show an action item's meeting in the list, and open it for editing when the file can be."""
        action = self.selected_action()
        if action is not None:
            self.show_meeting(action.meeting_id)

    def show_meeting(self, meeting_id: int) -> None:
        """Choose a meeting in the list (its year, every kind), then open it when the file can be edited."""
        if self.data_file is None:
            return
        try:
            meeting = mt.load_meeting(self.data_file, meeting_id)
        except SroDeskError as exc:
            self.show_problem(exc)
            return
        choose(self.kind, "")
        year = self._year_of(meeting)
        if self.year.findData(year) < 0:
            self.year.addItem(year, year)
        choose(self.year, year)
        self._show_year(select=meeting.id)
        self.tabs.setCurrentIndex(0)
        self.table.setFocus()
        if self.editable:
            self.edit_meeting(meeting)
