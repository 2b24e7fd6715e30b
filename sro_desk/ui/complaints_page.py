"""Complaints page: intake in the complainant's language, each complaint's timeline and
next step, confidential identities behind the district passphrase, the yearly notice,
the deadlines and the printed form."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from functools import partial
from pathlib import Path

from sro_desk.errors import SroDeskError
from sro_desk.records import complaints, listing
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.records.district import load_district
from sro_desk.records.settings import current_school_year
from sro_desk.records.calendar import years_to_offer
from sro_desk.store import DataFile, crypto, one_snapshot
from sro_desk.ui.complaints_dialogs import (
    IDLE_MINUTES,
    LANGUAGE_NAMES,
    AcknowledgeDialog,
    CloseDialog,
    CommunicationDialog,
    ComplaintPanel,
    FindingDialog,
    FormLanguageDialog,
    IdentityDialog,
    IntakeDialog,
    NoticeDialog,
    PassedDialog,
    PassphraseDialog,
    ReviewDialog,
    VoidDialog,
    ask_for_key,
)
from sro_desk.ui.enforcement_form import (
    choose,
    name_control,
    read_only_view,
    wrapped_label,
)
from sro_desk.ui.page import Page, fill_years, side_by_side, stacked
from sro_desk.ui.qt import (
    QApplication,
    QDialog,
    QEvent,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QObject,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    plain,
    plain_sentence,
    scrolling,
    year_chooser,
)
from sro_desk.ui.table_model import Column, SqlTableModel
from sro_desk.ui.work import BackgroundTask, run_task

__all__ = ["ComplaintsPage", "IDLE_MINUTES"]

COLUMNS = ["No.", "Received", "Track", "Category", "About", "Status", "Complainant", "Days", "Late"]
TRACK_SHORT = {"community": "Complaint", "sro_concern": "Officer concern"}
LOG_MODULE = "sro_desk.documents.complaint_log"
_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)


def module_exists(name: str) -> bool:
    """Whether ``name`` can be imported, without importing it."""
    if name in sys.modules:
        return sys.modules[name] is not None  # None: its import is blocked
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class IdleWatch(QObject):
    """Restarts the idle timer at every key press or mouse click anywhere in SRO Desk."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self.timer = timer

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in _ACTIVITY:
            try:
                if self.timer.isActive():
                    self.timer.start()
            except RuntimeError:  # the page is being destroyed
                pass
        return False


def _stop_watching(app: QApplication, watch: IdleWatch, *_args) -> None:
    try:
        app.removeEventFilter(watch)
    except RuntimeError:  # SRO Desk is quitting and the watch went first
        pass


def complaints_model(late: dict[int, str], parent: QObject | None = None) -> SqlTableModel:
    """The year's complaints, oldest first. No identity is ever read for the list: a
    confidential complainant shows as "Confidential". ``late`` (complaint id -> why) is the
    page's own, so the Late column follows it; its ids are also the ``:late`` parameter."""
    columns = [
        Column("No.", "c.id"),
        Column("Received", "c.received_on"),
        Column("Track", listing.label_sql("c.track", TRACK_SHORT)),
        Column("Category", listing.label_sql("c.category", complaints.CATEGORIES)),
        Column("About", listing.label_sql("c.subject", complaints.SUBJECTS)),
        Column("Status", listing.complaint_status_sql("c.")),
        Column("Complainant", listing.complainant_sql("c.")),
        Column("Days", listing.days_open_sql("c.")),
        Column("Late", "CASE WHEN c.id IN (SELECT value FROM json_each(:late)) THEN 'Late' ELSE '' END",
               tooltip=lambda row: late.get(row["_id"])),
    ]
    assert [c.header for c in columns] == COLUMNS
    return SqlTableModel(source="complaint AS c", id_sql="c.id", columns=columns, sort_column=1, parent=parent)


class ComplaintsPage(Page):
    """The year's complaints on the left; the chosen one's timeline and next step on the right."""

    title = "Complaints"
    reads = frozenset({"complaint", "complaint_notice", "district", "school", "police_department", "setting",
                       "officer", "attachment", "audit_log"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The unlocked identity key: in memory only, dropped when locked, idle or another file opens.
        self.key: crypto.IdentityKey | None = None
        #: complaint id -> why it is late, for every open complaint past a target
        self.late: dict[int, str] = {}
        #: the chosen complaint as loaded, while it stays chosen
        self._chosen: Complaint | None = None
        self.schools: list[tuple[int, str]] = []
        #: (complaint id, identity) while a revealed identity is shown.
        self.revealed: tuple[int, Identity] | None = None
        self._targets = (complaints.ACK_DAYS, complaints.RESOLVE_DAYS, complaints.PASS_ON_DAYS)
        #: complaint id -> the date it is to be passed to the police department by, for each
        #: open complaint about an officer not yet passed on
        self.pass_by: dict[int, str] = {}
        self.tasks: list[BackgroundTask] = []

        lock_bar = self._build_lock_bar()
        year_bar = self._build_year_bar()
        self.summary = wrapped_label("Year summary")
        complaints_tab = self._build_complaints_tab()
        settings_tab = self._build_settings_tab()
        self.tabs = QTabWidget()
        self.tabs.addTab(complaints_tab, "Complaints")
        self.tabs.addTab(scrolling(settings_tab), "Notice and deadlines")
        layout = QVBoxLayout(self)
        layout.addWidget(lock_bar)
        layout.addLayout(year_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)

        self._name_and_order_controls()
        self._build_idle_lock()
        self._connect_signals()
        self._show_lock()
        self._show_detail()

    # -- building the page ------------------------------------------------------------
    # (Called in __init__'s order: a widget joins the Tab chain when it is laid out.)

    def _build_lock_bar(self) -> QFrame:
        """The bar saying whether confidential identities are locked, with its buttons."""
        self.lock_text = wrapped_label("Confidential identities", rich=False)
        self.unlock_button = QPushButton("&Unlock…")
        self.lock_button = QPushButton("Loc&k")
        self.set_passphrase_button = QPushButton("Set &Passphrase…")
        self.change_passphrase_button = QPushButton("Change &Passphrase…")
        lock_bar = QFrame()
        lock_bar.setObjectName("lockBar")
        lock_bar.setStyleSheet("QFrame#lockBar { background: #eef2f7; border-radius: 4px; }")
        lock_layout = QHBoxLayout(lock_bar)
        lock_layout.setContentsMargins(8, 4, 8, 4)
        lock_layout.addWidget(self.lock_text, 1)
        for button in (self.unlock_button, self.set_passphrase_button, self.change_passphrase_button,
                       self.lock_button):
            lock_layout.addWidget(button)
        return lock_bar

    def _build_year_bar(self) -> QHBoxLayout:
        """The school year and what applies to all of it: a new complaint, the printouts."""
        self.year = year_chooser()
        year_label = QLabel("School &year:")
        year_label.setBuddy(self.year)
        self.new_button = QPushButton("&New Complaint…")
        self.form_button = QPushButton("&Blank Form…")
        self.log_button = QPushButton("Complaint &Log PDF…")
        self.letter_button = QPushButton("Resolution L&etter…")
        if not module_exists(LOG_MODULE):
            self.log_button.hide()
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.new_button)
        top.addStretch(1)
        top.addWidget(self.letter_button)
        top.addWidget(self.form_button)
        top.addWidget(self.log_button)
        return top

    def _build_complaints_tab(self) -> QSplitter:
        """The year's list beside the chosen complaint (its buttons in a fixed place, what
        grows scrolled below them)."""
        list_box = self._build_list()
        self.detail = ComplaintPanel()
        return side_by_side(list_box, self.detail, (3, 2), [700, 340])

    def _build_list(self) -> QWidget:
        """The year's complaints, under their label."""
        self.model = complaints_model(self.late, self)
        self.table = read_only_view(self.model, "Complaints of the year")
        header = self.table.horizontalHeader()
        header.setMaximumSectionSize(100)  # the whole text is the tooltip
        # Sized to the rows in view once, when first shown with rows (see _size_columns):
        # sized to contents at every layout pass, the view would measure every cell again.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._columns_sized = False
        list_label = QLabel("Co&mplaints of the year:")
        list_label.setBuddy(self.table)
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(list_label)
        list_layout.addWidget(self.table, 1)
        return list_box

    def _build_settings_tab(self) -> QWidget:
        """The yearly notice and the deadlines, one above the other."""
        return stacked(self._build_notice_box(), self._build_targets_box())

    def _build_notice_box(self) -> QGroupBox:
        """Whether this year's notice of the complaint system was given, and recording it."""
        self.notice_text = wrapped_label("Notice status")
        self.notice_button = QPushButton("Record No&tice…")
        notice_box = QGroupBox("Telling everyone about the complaint system")
        notice_layout = QVBoxLayout(notice_box)
        explain = QLabel(
            "Students, families and staff must be told at the start of every school year how to "
            "complain, in their own language and confidentially if they wish."
        )
        explain.setWordWrap(True)
        notice_layout.addWidget(explain)
        notice_layout.addWidget(self.notice_text)
        notice_layout.addWidget(self.notice_button, 0, Qt.AlignmentFlag.AlignLeft)
        return notice_box

    def _build_targets_box(self) -> QGroupBox:
        """The days to acknowledge and to resolve a complaint, past which it is late, and the
        business days to pass a complaint about an officer to the police department."""
        self.ack_days = self._days_spin(60, "Days to acknowledge")
        self.resolve_days = self._days_spin(365, "Days to resolve")
        self.pass_on_days = self._days_spin(complaints.PASS_ON_MOST, "Business days to pass on")
        self.pass_on_days.setSuffix(" business days")
        self.targets_button = QPushButton("Sa&ve Targets")
        targets_box = QGroupBox("Deadlines")
        targets_layout = QGridLayout(targets_box)
        targets_note = QLabel(
            "Complaints not acknowledged, or not resolved and told to the complainant, within these "
            "many days are marked late here and on the dashboard."
        )
        targets_note.setWordWrap(True)
        targets_layout.addWidget(targets_note, 0, 0, 1, 3)
        for row, (text, spin) in enumerate((("Days to &acknowledge:", self.ack_days),
                                            ("Days to re&solve:", self.resolve_days)), start=1):
            label = QLabel(text)
            label.setBuddy(spin)
            targets_layout.addWidget(label, row, 0)
            targets_layout.addWidget(spin, row, 1)
        pass_on_note = QLabel(
            "A complaint about an officer goes to the police department: POST's rules give the department's head "
            "two days from receiving it to act on it (555 CMR 1.01(1); POST's guidance says two business days). "
            "That is the department's duty; the district's part is to pass the complaint on promptly. A complaint "
            "not recorded as passed on within these many business days of receipt (weekends skipped; holidays "
            "are not known to SRO Desk) is listed on the dashboard."
        )
        pass_on_note.setWordWrap(True)
        targets_layout.addWidget(pass_on_note, 3, 0, 1, 3)
        pass_on_label = QLabel("Business days to pass &on:")
        pass_on_label.setBuddy(self.pass_on_days)
        targets_layout.addWidget(pass_on_label, 4, 0)
        targets_layout.addWidget(self.pass_on_days, 4, 1)
        targets_layout.addWidget(self.targets_button, 5, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        targets_layout.setColumnStretch(2, 1)
        return targets_box

    def _name_and_order_controls(self) -> None:
        """Every button named for screen readers as it reads; Tab from the lock bar down."""
        for button in self.findChildren(QPushButton):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        chain = [self.unlock_button, self.set_passphrase_button, self.change_passphrase_button,
                 self.lock_button, self.year, self.new_button, self.letter_button, self.form_button, self.log_button,
                 self.tabs, self.table, *self.detail.step_buttons, self.detail.void_button,
                 self.detail.pass_button, self.detail.reveal_button, self.detail.identity_button]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    def _build_idle_lock(self) -> None:
        """Unlocked identities lock again after a while without a key press or a click."""
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_MINUTES * 60_000)
        self.idle_timer.timeout.connect(self._idle)
        # The watch sees every event of the application, so it is installed only while unlocked.
        self._watch = IdleWatch(self.idle_timer)
        self.destroyed.connect(partial(_stop_watching, QApplication.instance(), self._watch))

    def _connect_signals(self) -> None:
        self.year.activated.connect(lambda _i: self._show_year())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.unlock_button.clicked.connect(self.unlock)
        self.lock_button.clicked.connect(lambda: self.lock())
        self.set_passphrase_button.clicked.connect(self.set_passphrase)
        self.change_passphrase_button.clicked.connect(self.change_passphrase)
        self.new_button.clicked.connect(self.new_complaint)
        self.detail.reveal_button.clicked.connect(self.reveal_identity)
        self.detail.identity_button.clicked.connect(self.edit_identity)
        steps = (AcknowledgeDialog, ReviewDialog, FindingDialog, CommunicationDialog, CloseDialog, VoidDialog)
        for button, dialog in zip([*self.detail.step_buttons, self.detail.void_button], steps):
            button.clicked.connect(partial(self.run_step, dialog))
        self.detail.pass_button.clicked.connect(partial(self.run_step, PassedDialog))
        self.notice_button.clicked.connect(self.record_notice)
        self.targets_button.clicked.connect(self.save_targets)
        self.form_button.clicked.connect(self.print_blank_form)
        self.log_button.clicked.connect(self.save_log_pdf)
        self.letter_button.clicked.connect(self.save_letter_pdf)

    @property
    def _today(self) -> date:
        return date.today()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._size_columns()

    def _size_columns(self) -> None:
        """Fit the columns to the rows in view, once: the first time the list shows rows."""
        if self._columns_sized or not self.model.rowCount() or not self.table.isVisible():
            return
        self._columns_sized = True
        self.table.resizeColumnsToContents()

    @staticmethod
    def _days_spin(most: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, most)
        spin.setSuffix(" days")
        name_control(spin, name)
        return spin

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        """Show the file's complaints; another file locks identities again."""
        # Deadlines typed but not saved survive another person's save, not another file.
        other_file = data_file is not self.data_file
        keep_typing = not other_file and self._typed_targets() != self._targets
        self.data_file = data_file
        if other_file:
            self.model.set_data_file(data_file)
            self.lock()
        # The years and what the year to show needs, in one statement: the year kept (or
        # this year) is the one shown unless it has no complaints any more.
        year = self.year.currentData() or current_school_year(data_file)
        data_file.prefetch([complaints.years_read(), *self._year_reads(year)])
        district = load_district(data_file)
        self.schools = [(s.id, s.name) for s in district.schools] if district else []
        self._targets = (*complaints.targets(data_file), complaints.pass_on_days(data_file))
        if not keep_typing:
            self.ack_days.setValue(self._targets[0])
            self.resolve_days.setValue(self._targets[1])
            self.pass_on_days.setValue(self._targets[2])
        self._fill_years()
        self._show_year()
        self._show_lock()

    def _year_reads(self, year: str) -> list:
        """What showing ``year`` reads (besides the list itself), to read in one statement."""
        return [*complaints.dashboard_reads(self.data_file, year, self._today),
                listing.complaint_year_counts_read(year)]

    def has_unsaved_changes(self) -> bool:
        return self.data_file is not None and self.editable and self._typed_targets() != self._targets

    def save(self) -> bool:
        """Only the deadlines are typed on the page; everything else is saved by its dialog."""
        if not self.has_unsaved_changes():
            return True
        return self.save_targets()

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._update_controls()

    def forget_file(self) -> None:
        """Another file is opened: its key and any identity shown go at once, not at the
        next refresh (a key never outlives the file it opens)."""
        super().forget_file()  # (the file is closed: nothing below may read it)
        self._chosen = None
        self.lock()

    # -- the passphrase -----------------------------------------------------------------

    def _show_lock(self, note: str = "") -> None:
        data_file = self.data_file
        is_set = data_file is not None and complaints.passphrase_is_set(data_file)
        unlocked = self.key is not None
        if unlocked:
            text = (f"Confidential identities are unlocked on this computer; they lock again after "
                    f"{IDLE_MINUTES} minutes without use.")
        elif data_file is not None and not is_set:
            text = ("Confidential identities are locked: no district passphrase is set yet. Set one "
                    "before recording a confidential complainant's identity.")
        else:
            text = "Confidential identities are locked" + (f" {note}." if note else ".")
        self.lock_text.setText(text)
        self.unlock_button.setVisible(is_set and not unlocked)
        self.set_passphrase_button.setVisible(data_file is not None and not is_set)
        self.lock_button.setVisible(unlocked)
        self.change_passphrase_button.setVisible(unlocked)
        self._update_controls()

    def _unlocked(self, key: crypto.IdentityKey) -> None:
        self.key = key
        self.idle_timer.start()
        QApplication.instance().installEventFilter(self._watch)
        self._show_lock()
        self._show_detail()

    def lock(self, note: str = "") -> None:
        """Forget the key and any identity on screen."""
        self.key = None
        self.revealed = None
        self.idle_timer.stop()
        QApplication.instance().removeEventFilter(self._watch)
        self._show_lock(note)
        self._show_detail()

    def _idle(self) -> None:
        self.lock(f"after {IDLE_MINUTES} minutes without use")

    def open_identities(self, parent: QWidget | None = None) -> crypto.IdentityKey | None:
        """Set the district passphrase when none is set yet, else unlock: from the lock bar,
        or from a dialog (``parent``) that needs the key. The key, or None if cancelled."""
        if self.data_file is None:
            return None
        if not self.editable and not complaints.passphrase_is_set(self.data_file):
            return None  # setting one writes
        got = ask_for_key(self.data_file, parent or self)
        if got is None:
            return None
        key, just_set = got
        self._unlocked(key)
        if just_set:
            self.saved.emit()
        return key

    def unlock(self) -> None:
        self.open_identities()

    def set_passphrase(self) -> None:
        self.open_identities()

    def change_passphrase(self) -> None:
        if self.data_file is None or not self.editable or self.key is None:
            return
        dialog = PassphraseDialog(self.data_file, self.key, self)
        if self._exec(dialog):
            self._unlocked(dialog.key)
            self.saved.emit()
            older = complaints.backups_with_old_passphrase(self.data_file)
            if older:
                QMessageBox.information(self, "Passphrase changed", older)

    # -- showing ----------------------------------------------------------------------

    def school_year(self) -> str:
        return self.year.currentData() or ""

    def _fill_years(self) -> None:
        this_year = current_school_year(self.data_file)
        fill_years(self.year, years_to_offer(this_year, complaints.years_with_complaints(self.data_file)),
                   self.year.currentData() or this_year)

    def _typed_targets(self) -> tuple[int, int, int]:
        return self.ack_days.value(), self.resolve_days.value(), self.pass_on_days.value()

    def _show_year(self, select: int | None = None) -> None:
        self.error.hide()
        if self.data_file is None:
            return
        year = self.school_year()
        chosen = self.selected()
        keep = select if select is not None else (chosen.id if chosen else None)
        self._chosen = None  # the file may have changed: read the chosen one again
        with self.data_file.reading():
            self.data_file.prefetch(self._year_reads(year))
            overdue = complaints.overdue(self.data_file, today=self._today)
            owed = complaints.pass_on_owed(self.data_file)
            self.late.clear()
            self.late.update((c.id, sentence) for c, sentence in overdue)
            self.pass_by = {c.id: f"{due:%b} {due.day}, {due.year}" for c, due, _sentence in owed}
            for complaint, due, sentence in owed:
                if due < self._today:  # past the day to pass it on: late too, for that
                    self.late[complaint.id] = " ".join(filter(None, (self.late.get(complaint.id), sentence)))
            late_ids = {c.id for c, _sentence in overdue} | {c.id for c, due, _s in owed if due < self._today}
            self.model.set_params(today=self._today.isoformat(), late=json.dumps(sorted(self.late)))
            self.model.set_filter("year", "c.school_year = :year", {"year": year})
            row = self.model.row_of(keep)
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            counts = listing.complaint_year_counts(self.data_file, year)
            done, sentence = complaints.notice_status(self.data_file, year, today=self._today)
        counted = counts["total"] - counts["voided"]
        years = {c.id: c.school_year for c, _sentence in overdue} | {c.id: c.school_year for c, _due, _s in owed}
        late = sum(1 for complaint_id in late_ids if years[complaint_id] == year)
        self.summary.setText(
            f"<b>{plain(year)}: {counted} {'complaint' if counted == 1 else 'complaints'}, "
            f"{counts['open']} open</b>"
            + (f" · <b style='color:#b00020'>{late} past {'its' if late == 1 else 'their'} target</b>" if late else "")
            + (f" · {counts['voided']} voided" if counts["voided"] else "")
        )
        self.notice_text.setText(f"<b>{'✔' if done else '✘'}</b> {plain(sentence)}")
        self._size_columns()
        self._selection_changed()

    def selected(self) -> Complaint | None:
        """The chosen complaint, loaded once while it stays chosen."""
        rows = self.table.selectionModel().selectedRows()
        complaint_id = self.model.id_at(rows[0].row()) if rows else None
        if complaint_id is None or self.data_file is None:
            return None
        if self._chosen is None or self._chosen.id != complaint_id:
            try:
                self._chosen = complaints.load_complaint(self.data_file, complaint_id)
            except SroDeskError:  # gone since the list was read
                return None
        return self._chosen

    def _selection_changed(self) -> None:
        complaint = self.selected()
        if self.revealed is not None and (complaint is None or complaint.id != self.revealed[0]):
            self.revealed = None
        self._show_detail()

    def _revealed_for(self, complaint: Complaint | None) -> Identity | None:
        if self.revealed is None or complaint is None or self.revealed[0] != complaint.id:
            return None
        return self.revealed[1]

    def _show_detail(self) -> None:
        complaint = self.selected()
        self.detail.show_complaint(
            complaint, schools=self.schools, late=self.late.get(complaint.id, "") if complaint else "",
            pass_by=self.pass_by.get(complaint.id, "") if complaint else "",
            revealed=self._revealed_for(complaint), unlocked=self.key is not None,
            empty="Choose a complaint in the list to see its timeline and next step." if self.model.total()
            else "No complaints are recorded for this year. Use New Complaint… to record one as it comes in.",
        )
        self._update_controls()

    def _update_controls(self) -> None:
        editable = self.editable and self.data_file is not None
        complaint = self.selected()
        self.detail.enable(complaint, editable=editable, can_reveal=editable and self.key is not None
                           and self._revealed_for(complaint) is None, unlocked=self.key is not None)
        for control in (self.new_button, self.notice_button, self.ack_days, self.resolve_days, self.pass_on_days,
                        self.targets_button, self.set_passphrase_button, self.change_passphrase_button):
            control.setEnabled(editable)
        has_file = self.data_file is not None
        for control in (self.unlock_button, self.lock_button, self.form_button, self.log_button):
            control.setEnabled(has_file)
        self.letter_button.setEnabled(has_file and complaint is not None and bool(complaint.finding)
                                      and not complaint.voided)

    # -- actions ----------------------------------------------------------------------

    @staticmethod
    def _exec(dialog: QDialog) -> bool:
        accepted = dialog.exec()
        dialog.deleteLater()
        return bool(accepted)

    def _fail(self, exc: BaseException) -> None:
        self.show_problem(exc)

    def _changed(self, select: int | None = None, year: str | None = None) -> None:
        self._fill_years()
        if year:
            choose(self.year, year)
        self._show_year(select)
        self.saved.emit()

    def new_complaint(self) -> None:
        if self.data_file is None or not self.editable:
            return
        dialog = IntakeDialog(self.data_file, self.schools, lambda: self.key, self,
                              open_identities=self.open_identities)
        if self._exec(dialog):
            saved = complaints.load_complaint(self.data_file, dialog.result_id)
            self.tabs.setCurrentIndex(0)
            self._changed(select=saved.id, year=saved.school_year)

    def run_step(self, dialog_class) -> None:
        """Acknowledge, review, find, tell, close or void the chosen complaint."""
        complaint = self.selected()
        if complaint is None or not self.editable:
            return
        if self._exec(dialog_class(self.data_file, complaint, self)):
            self._changed(select=complaint.id)

    def reveal_identity(self) -> None:
        """Show a confidential complainant's identity here; the reveal is logged."""
        complaint = self.selected()
        if complaint is None or self.key is None or not self.editable:
            return
        try:
            identity = complaints.reveal(self.data_file, complaint, self.key)
        except Exception as exc:
            self._fail(exc)
            return
        self.revealed = (complaint.id, identity)
        self._show_detail()
        self.saved.emit()

    def edit_identity(self) -> None:
        """Add a confidential complainant's identity given after intake, or correct it.

        Correcting starts from the identity as sealed, which is a reveal and logged as one.
        """
        complaint = self.selected()
        if complaint is None or self.key is None or not self.editable or not complaint.confidential:
            return
        self.error.hide()
        current = self._revealed_for(complaint)
        revealed_now = False
        if complaint.has_sealed_identity and current is None:
            try:
                current = complaints.reveal(self.data_file, complaint, self.key)
            except Exception as exc:
                self._fail(exc)
                return
            revealed_now = True
        if self._exec(IdentityDialog(self.data_file, complaint, lambda: self.key, current, self)):
            self.revealed = None  # shown again only by a logged reveal
            self._changed(select=complaint.id)
        elif revealed_now:
            self.saved.emit()  # the reveal was logged

    def record_notice(self) -> None:
        if self.data_file is None or not self.editable:
            return
        if self._exec(NoticeDialog(self.data_file, self.school_year(), self)):
            self._changed()

    def save_targets(self) -> bool:
        if self.data_file is None or not self.editable:
            return False
        try:
            ack_days, resolve_days, pass_on_days = self._typed_targets()
            complaints.set_targets(self.data_file, ack_days, resolve_days, pass_on_days=pass_on_days)
        except Exception as exc:
            self._fail(exc)
            return False
        self._targets = self._typed_targets()
        self._changed()
        return True

    def _cannot_print(self, what: str) -> None:
        self._fail(SroDeskError(f"This copy of SRO Desk cannot print {what} yet; update SRO Desk to print it."))

    def _print(self, label: str, caption: str, suggested: str, printable, build) -> None:
        """Ask where to save; gather ``printable()`` here, then ``build(it, out)`` off the GUI thread."""
        name, _ = QFileDialog.getSaveFileName(self, caption, suggested, "PDF (*.pdf)")
        if not name:
            return
        out = Path(name) if Path(name).suffix else Path(name).with_suffix(".pdf")
        try:
            document = printable()
        except Exception as exc:
            self._fail(exc)
            return
        run_task(
            self.tasks, self, label, lambda progress: build(document, out),
            lambda _r: QMessageBox.information(self, "SRO Desk", plain_sentence(f"Saved {out}.")), self._fail,
        )

    def print_blank_form(self) -> None:
        """A blank complaint form in the chosen language, to print and hand out."""
        if self.data_file is None:
            return
        self.error.hide()
        # Imported here, on the GUI thread: PySide's import hook is not safe on a worker.
        try:
            from sro_desk.documents.complaint_form import build_complaint_form_pdf
            from sro_desk.records.complaint_forms import (
                LANGUAGES,
                form_text,
                printable_complaint_form,
            )
        except ImportError:
            self._cannot_print("the complaint form")
            return
        choices = []
        for code in LANGUAGES:
            english = LANGUAGE_NAMES.get(code, code)
            try:
                native = form_text(code).get("language_name", english)
            except SroDeskError:
                continue  # a translation missing from this copy is not offered
            choices.append((code, english if native == english else f"{english} ({native})"))
        dialog = FormLanguageDialog(choices, self)
        if not self._exec(dialog):
            return
        language = dialog.result_id
        district = load_district(self.data_file)
        self._print(
            "Building the complaint form…", "Save the blank complaint form",
            f"Complaint form {LANGUAGE_NAMES.get(language, language)}.pdf",
            lambda: printable_complaint_form(district.name if district else "", language), build_complaint_form_pdf,
        )

    def save_letter_pdf(self) -> None:
        """The letter telling the complainant the result, in their language."""
        complaint = self.selected()
        if self.data_file is None or complaint is None:
            return
        self.error.hide()
        from sro_desk.documents.complaint_letter import build_complaint_letter_pdf

        include_name = not complaint.confidential
        if complaint.confidential and self.key is not None and self.editable:
            answer = QMessageBox.question(
                self, "SRO Desk",
                "Print the complainant's name on the letter? This reveals a confidential identity, "
                "and the reveal is logged.",
            )
            include_name = answer == QMessageBox.StandardButton.Yes
        key = self.key
        self._print(
            "Building the letter…", "Save the resolution letter", f"Complaint {complaint.id} letter.pdf",
            lambda: complaints.printable_letter(self.data_file, complaint, key=key, include_name=include_name),
            build_complaint_letter_pdf,
        )

    def save_log_pdf(self) -> None:
        """The year's complaint log, with no identity in it."""
        if self.data_file is None:
            return
        self.error.hide()
        try:
            from sro_desk.documents.complaint_log import build_complaint_log_pdf
        except ImportError:
            self._cannot_print("the complaint log")
            return
        year = self.school_year()
        self._print("Building the complaint log…", "Save the complaint log", f"Complaint log {year}.pdf",
                    lambda: complaints.printable_log(self.data_file, year), build_complaint_log_pdf)
