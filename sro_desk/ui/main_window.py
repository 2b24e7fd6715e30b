"""The main window: sidebar of pages, menus, the read-only banner, the heartbeat."""

from __future__ import annotations

import logging
from pathlib import Path

from sro_desk import APP_NAME, __version__, paths
from sro_desk.errors import SroDeskError
from sro_desk.records.district import load_district
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import backup_if_changed, backup_time, list_backups, make_backup
from sro_desk.store.check import check_file
from sro_desk.store.lease import HEARTBEAT_SECONDS, LeaseHeld, LeaseLost, Presence, read_lease
from sro_desk.ui.agreement_page import AgreementPage
from sro_desk.ui.complaints_page import ComplaintsPage
from sro_desk.ui.dashboard import DashboardPage
from sro_desk.ui.enforcement_page import EnforcementPage
from sro_desk.ui.district_page import DistrictPage
from sro_desk.ui import opening
from sro_desk.ui.help import install_help
from sro_desk.ui.law_view import show_law_sources
from sro_desk.ui.meetings_reviews import MeetingsReviewsPage
from sro_desk.ui.opening import open_file, restore_with_lease
from sro_desk.ui.print_center import PrintCenterPage
from sro_desk.ui.qt import (
    QAction,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    error_sentence,
    show_error,
)
from sro_desk.ui.search_dialog import SearchDialog, show_record
from sro_desk.ui.selection_page import SelectionPage
from sro_desk.ui.setup_wizard import SetupWizard
from sro_desk.ui.training_page import TrainingPage
from sro_desk.ui.work import BackgroundTask, run_task

log = logging.getLogger(__name__)

FILE_FILTER = "SRO Desk files (*.db);;All files (*)"
WATCH_MS = 3000


class MainWindow(QMainWindow):
    """One window over one data file at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.data_file: DataFile | None = None
        self.presence: Presence | None = None
        self.tasks: list[BackgroundTask] = []
        self._seen_version: int | None = None
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 820)

        self.dashboard = DashboardPage()
        self.district_page = DistrictPage()
        self.agreement_page = AgreementPage()
        self.selection_page = SelectionPage()
        self.training_page = TrainingPage()
        self.complaints_page = ComplaintsPage()
        self.enforcement_page = EnforcementPage()
        self.meetings_reviews_page = MeetingsReviewsPage()
        self.meetings_page = self.meetings_reviews_page.meetings
        self.print_page = PrintCenterPage()
        self.pages = [
            self.dashboard, self.agreement_page, self.selection_page, self.training_page,
            self.complaints_page, self.meetings_reviews_page, self.enforcement_page, self.print_page,
            self.district_page,
        ]
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Pages")
        self.stack = QStackedWidget()
        for page in self.pages:
            self.sidebar.addItem(page.title)
            self.stack.addWidget(page)
        # As wide as its longest title, never squeezed into a sideways scroll bar on a
        # small screen at 125% (the pages give up the room instead).
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setFixedWidth(self.sidebar.sizeHintForColumn(0) + 2 * self.sidebar.frameWidth() + 12)
        self._stale: set = set()
        self.stack.currentChanged.connect(lambda index: self._refresh_if_stale(self.stack.widget(index)))
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.banner = QFrame()
        self.banner.setAccessibleName("Read-only notice")
        self.banner.setStyleSheet("QFrame { background: #fff4ce; } QLabel { color: #3b2f00; }")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.edit_button = QPushButton("Switch to &Editing")
        self.edit_button.setAccessibleName("Switch to editing")
        self.edit_button.clicked.connect(self.switch_to_editing)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.edit_button)
        self.banner.hide()

        self.empty = QLabel(
            "No file is open. Use File > New File to start one, or File > Open File."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No file open")

        self.body = QWidget()
        body_layout = QHBoxLayout(self.body)
        body_layout.addWidget(self.sidebar)
        body_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.status_label.setAccessibleName("File status")
        self.statusBar().addPermanentWidget(self.status_label)

        self.search_dialog: SearchDialog | None = None
        self._make_menus()
        self.dashboard.backup_requested.connect(self.backup_now)
        self.dashboard.page_requested.connect(self.show_page_titled)
        self.dashboard.status_print_requested.connect(lambda: self.show_print("compliance"))
        for page in self.pages:
            signal = getattr(page, "saved", None)
            if signal is not None:
                signal.connect(lambda page=page: self._page_saved(page))
        self.selection_page.open_training.connect(self._show_training_of)

        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(HEARTBEAT_SECONDS * 1000)
        self.heartbeat_timer.timeout.connect(self.heartbeat)
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_MS)
        self.watch_timer.timeout.connect(self.watch)
        self._show_state()

    # -- menus ------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New File…", self.new_file, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open File…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.find_action = self._action(file_menu, "&Find…", self.show_search, "Ctrl+K")
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, "&Back Up Now", self.backup_now, "Ctrl+B")
        self.restore_action = self._action(
            file_menu, "Restore from Bac&kup…", self.restore_from_backup
        )
        self.check_action = self._action(file_menu, "&Check File", self.check_now)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        district_menu = bar.addMenu("&District")
        self.setup_action = self._action(
            district_menu, "&Set Up District…", self.run_setup
        )

        go_menu = bar.addMenu("&Go")
        for number, page in enumerate(self.pages, start=1):
            self._action(
                go_menu, f"&{number} {page.title.replace('&', '&&')}", lambda _=False, n=number - 1: self.show_page(n),
                f"Ctrl+{number}",
            )
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, f"&About {APP_NAME}", self.about)
        self.guide_action = install_help(self, help_menu, self._help_title)
        self.law_action = self._action(help_menu, "&Law and Sources…", lambda: show_law_sources(self))

    def _help_title(self) -> str:
        """The page on screen, for its guide (Meetings & Reviews: the tab shown)."""
        page = self.stack.currentWidget()
        if page is self.meetings_reviews_page:
            return getattr(page.tabs.currentWidget(), "title", page.title)
        return getattr(page, "title", "")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = paths.recent_files()
        if not files:
            action = self.recent_menu.addAction("No recent files")
            action.setEnabled(False)
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path}")
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))

    def show_page_titled(self, title: str) -> None:
        """Show the page called ``title`` (the dashboard names the page that fixes an item)."""
        for index, page in enumerate(self.pages):
            if page.title == title or title in getattr(page, "subpages", {}):
                self.show_page(index)
                if title != page.title:
                    page.show_subpage(title)
                return

    def show_page_of(self, widget) -> bool:
        """Show the sidebar page that is ``widget`` or holds it in a tab; False if none does."""
        for index, page in enumerate(self.pages):
            if page is widget:
                self.show_page(index)
                return True
            inner = getattr(page, "subpages", {})
            if widget in inner.values():
                self.show_page(index)
                page.tabs.setCurrentWidget(widget)
                return True
        return False

    def show_print(self, key: str) -> None:
        """The Print page with one document chosen."""
        self.show_page(self.pages.index(self.print_page))
        self.print_page.choose(key)

    def show_page(self, index: int) -> None:
        self.sidebar.setCurrentRow(index)
        self.stack.currentWidget().setFocus()

    # -- the open file ----------------------------------------------------------------

    @property
    def review_page(self):
        """The Annual Review page (built when first asked for or shown)."""
        return self.meetings_reviews_page.review

    def set_data_file(self, data_file: DataFile) -> None:
        """Show ``data_file``, closing the one shown before."""
        # (open_path closes the old file first, so the pages remember which one they show)
        previous = getattr(self, "_shown_path", None)
        self._close_data_file()
        self._shown_path = data_file.path
        if previous is not None:
            # Nothing of the other file (or of this one before a restore) may stay on
            # screen or be saved into this one: pages drop its records, their editors and
            # their messages (the person was asked about unsaved typing before leaving it),
            # and the window's own dialogs close.
            self._forget_shown()
        self.data_file = data_file
        self.presence = Presence(data_file.path, editing=not data_file.read_only)
        self.presence.refresh()
        self._seen_version = data_file.data_version()
        paths.remember_file(data_file.path)
        self.heartbeat_timer.start()
        self.watch_timer.start()
        if not data_file.read_only and load_district(data_file) is None:
            self.run_setup()
        self.refresh_pages()
        self._show_state()
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)
        if not data_file.read_only:
            self._run(
                "Backing up the file…",
                lambda progress: backup_if_changed(data_file.path, progress=progress),
                self._backed_up,
            )

    def _forget_shown(self) -> None:
        for page in self.pages:
            forget = getattr(page, "forget_file", None)
            if forget is not None:
                forget()
        if self.search_dialog is not None:
            self.search_dialog.close()
            self.search_dialog.deleteLater()
            self.search_dialog = None

    def _close_data_file(self) -> None:
        self.heartbeat_timer.stop()
        self.watch_timer.stop()
        self.agreement_page.preview_timer.stop()  # its debounced preview reads the file
        if self.presence is not None:
            self.presence.remove()
            self.presence = None
        if self.data_file is not None:
            try:
                self.data_file.close()
            except Exception:
                log.exception("closing the data file failed")
            self.data_file = None

    def refresh_pages(self) -> None:
        """Read the file again into the page on screen; the others read it when shown,
        so opening a large file or another writer's save costs one page, not all."""
        if self.data_file is None:
            return
        self._stale = set(self.pages)
        self._refresh_if_stale(self.stack.currentWidget())
        self._show_state()

    def _refresh_if_stale(self, page) -> None:
        if page not in self._stale or self.data_file is None:
            return
        self._stale.discard(page)
        try:
            page.refresh(self.data_file, self.presence)
        except Exception as exc:
            show_error(self, exc)

    def _show_training_of(self, officer_id: int) -> None:
        """Go to the Training page with this officer chosen."""
        page = self.training_page
        self.show_page(self.pages.index(page))
        for row, officer in enumerate(page.officers):
            if officer.id == officer_id:
                page.officer_list.setCurrentRow(row)

    def show_search(self) -> None:
        """Find in This File (Ctrl+K); a record chosen there is shown on its page."""
        if self.data_file is None:
            return
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(lambda: self.data_file, self)
            self.search_dialog.chosen.connect(lambda hit: show_record(self, hit))
        self.search_dialog.present()

    def _page_saved(self, page=None) -> None:
        """A page saved: the pages showing what it changed read the file again (the one
        on screen now, the others when shown); the page that saved has shown its save."""
        if self.data_file is not None:
            self._seen_version = self.data_file.data_version()
            self.pages_changed(self.data_file.take_changes(), saved_by=page)

    def pages_changed(self, tables, *, saved_by=None) -> None:
        """Mark stale every page that shows one of ``tables``; refresh the one on screen
        unless it made the change itself (it showed it as it saved)."""
        if self.data_file is None or not tables:
            return
        for page in self.pages:
            if page is saved_by:
                continue
            if _shows_any(page, tables):
                self._stale.add(page)
        if self.stack.currentWidget() is not saved_by:
            self._refresh_if_stale(self.stack.currentWidget())

    def _show_state(self) -> None:
        """Title, banner, status and which controls work, for the file as it stands."""
        data_file = self.data_file
        has_file = data_file is not None
        self.body.setVisible(has_file)
        self.empty.setVisible(not has_file)
        editable = has_file and not data_file.read_only
        for page in self.pages:
            page.set_editable(editable)
        self.backup_action.setEnabled(has_file)
        self.check_action.setEnabled(has_file)
        self.find_action.setEnabled(has_file)
        self.restore_action.setEnabled(editable)
        self.setup_action.setEnabled(editable and load_district(data_file) is None)
        if not has_file:
            self.setWindowTitle(APP_NAME)
            self.status_label.setText("No file open")
            self.banner.hide()
            return
        self.setWindowTitle(f"{data_file.path.name} – {APP_NAME}")
        if data_file.read_only:
            self.status_label.setText(f"Read-only: {data_file.path}")
            self.banner_text.setText(data_file.read_only_reason or "Read-only.")
            self.banner.show()
            self._update_edit_button()
        else:
            self.status_label.setText(f"Editing: {data_file.path}")
            self.banner.hide()
        warning = getattr(data_file, "tamper_warning", None)
        if warning:  # the change log was rewritten since this computer last opened the file
            self.banner_text.setText(f"{warning} Run File > Check File for details.")
            self.banner.show()

    def _update_edit_button(self) -> None:
        data_file = self.data_file
        if data_file is None or not data_file.read_only:
            return
        holder = read_lease(data_file.path)
        free = data_file.waiting_for_lease and (holder is None or holder.is_stale())
        self.edit_button.setVisible(free)
        if free and holder is None:
            self.banner_text.setText("Editing is free now: no one else is editing this file.")

    def heartbeat(self) -> None:
        """Refresh the lease and presence; a lost lease turns this window read-only."""
        data_file = self.data_file
        if data_file is None:
            return
        if self.presence is not None:
            self.presence.refresh(editing=not data_file.read_only)
        paused = getattr(data_file, "heartbeat_failing", False)
        if data_file.lease is not None and (not data_file.read_only or paused):
            try:
                data_file.lease.heartbeat()
            except LeaseLost as exc:
                data_file.heartbeat_failing = False
                data_file.read_only_reason = exc.message
                data_file.waiting_for_lease = True
                data_file.lease = None
                self._show_state()
                QMessageBox.warning(self, APP_NAME, exc.message)
            except OSError as exc:
                # The lock beside the file cannot be refreshed (the folder turned
                # read-only, the share dropped): others would soon see it as abandoned,
                # so editing stops here, in plain view, until the lock can be refreshed.
                log.warning("heartbeat failed: %s", exc)
                if not paused:
                    data_file.heartbeat_failing = True
                    data_file.read_only_reason = (
                        f"SRO Desk cannot refresh its lock beside {data_file.path.name} "
                        f"({exc.strerror or exc}), so editing is paused to keep anyone else from taking "
                        "the file over while you work; it resumes by itself when the drive answers again.")
                    self._show_state()
            else:
                if paused:
                    data_file.heartbeat_failing = False
                    data_file.read_only_reason = None
                    self._show_state()
        self.dashboard.refresh(data_file, self.presence)

    def watch(self) -> None:
        """Pick up other people's saves, and notice when editing frees up."""
        data_file = self.data_file
        if data_file is None:
            return
        try:
            version = data_file.data_version()
        except Exception as exc:
            log.warning("could not watch the file: %s", exc)
            return
        changed = data_file.take_changes()
        if version != self._seen_version:
            self._seen_version = version
            self.refresh_pages()  # another person's save: what it changed is not known here
            return
        if changed:
            # This window's writes that no page reported (a dialog's, a background task's):
            # the pages showing those tables are read again when next shown.
            shown = self.stack.currentWidget()
            self._stale |= {p for p in self.pages if p is not shown and _shows_any(p, changed)}
        if data_file.read_only:
            self._update_edit_button()

    def switch_to_editing(self) -> None:
        """Reopen this file for editing now that no one else is."""
        if self.data_file is None:
            return
        path = self.data_file.path
        holder = read_lease(path)
        take_over = False
        if holder is not None and holder.is_stale() and not holder.is_own_crashed_window():
            choice = opening.ask(
                self,
                LeaseHeld(holder).message,
                [("take", "&Take Over Editing"), ("cancel", "Cancel")],
                "Take over only if you know they are not working in it: anything they "
                "have not saved will be refused when they try.",
            )
            if choice != "take":
                return
            take_over = True
        try:
            reopened = DataFile.open(path, OpenOptions(take_over_stale=take_over))
        except LeaseHeld as exc:
            QMessageBox.information(self, APP_NAME, exc.message)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        if reopened.read_only:
            QMessageBox.information(self, APP_NAME, reopened.read_only_reason or "")
            reopened.close()
            return
        self.set_data_file(reopened)

    # -- file menu --------------------------------------------------------------------

    def _confirm_leave(self) -> bool:
        """Ask about unsaved typing before the file is closed; False to stay."""
        dirty = [p for p in self.pages if p.has_unsaved_changes()]
        if not dirty:
            return True
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"You have unsaved changes on the {dirty[0].title} page. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return all(p.save() for p in dirty)
        return answer == QMessageBox.StandardButton.Discard

    def new_file(self) -> None:
        if not self._confirm_leave():
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "New SRO Desk file", str(paths.data_dir() / "sro-desk.db"), FILE_FILTER
        )
        if not name:
            return
        path = Path(name)
        if path.suffix == "":
            path = path.with_suffix(".db")
        if path.exists():
            QMessageBox.warning(
                self,
                APP_NAME,
                f"{path.name} already exists; to use it, choose File > Open File, or pick a new name.",
            )
            return
        data_file = open_file(self, path, create=True)
        if data_file is not None:
            self.set_data_file(data_file)

    def open_dialog(self) -> None:
        start = str(self.data_file.path.parent) if self.data_file else str(paths.data_dir())
        name, _ = QFileDialog.getOpenFileName(self, "Open SRO Desk file", start, FILE_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        """Open another file in this window; the current one stays open if that fails."""
        if self.data_file is not None and Path(path).absolute() == self.data_file.path:
            return True
        if not self._confirm_leave():
            return False
        if self.data_file is not None:
            # Let go of our lease first, so that opening the same file again works.
            current = self.data_file.path
            self._close_data_file()
            data_file = open_file(self, Path(path))
            if data_file is None:
                reopened = open_file(self, current)
                if reopened is not None:
                    self.set_data_file(reopened)
                else:
                    self._show_state()
                return False
        else:
            data_file = open_file(self, Path(path))
        if data_file is None:
            self._show_state()
            return False
        self.set_data_file(data_file)
        return True

    def run_setup(self) -> None:
        if self.data_file is None or self.data_file.read_only:
            return
        wizard = SetupWizard(self.data_file, self)
        if wizard.exec() and wizard.saved is not None:
            self.statusBar().showMessage(f"Saved {wizard.saved.name}.", 8000)
        self.refresh_pages()

    def _run(self, label: str, work, on_done) -> BackgroundTask:
        return run_task(self.tasks, self, label, work, on_done, lambda exc: show_error(self, exc))

    def backup_now(self) -> None:
        if self.data_file is None:
            return
        path = self.data_file.path
        self._run(
            "Backing up the file…",
            lambda progress: make_backup(path, progress=progress),
            self._backed_up,
        )

    def _backed_up(self, made: Path | None) -> None:
        if made is None:
            return
        self.statusBar().showMessage(f"Backed up to {made}", 8000)
        if self.data_file is not None:
            self.dashboard.refresh(self.data_file, self.presence)

    def restore_from_backup(self) -> None:
        if self.data_file is None or self.data_file.read_only:
            return
        backups = list_backups(self.data_file.path)
        if not backups:
            QMessageBox.information(self, APP_NAME, "There is no backup of this file yet.")
            return
        labels = [
            f"{backup_time(b):%b %d, %Y %I:%M:%S %p} – {b.parent.name}" for b in backups
        ]
        label, ok = QInputDialog.getItem(
            self, "Restore from Backup", "Choose the backup to restore:", labels, 0, False
        )
        if not ok:
            return
        chosen = backups[labels.index(label)]
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Replace everything in {self.data_file.path.name} with the backup from {label}? "
            "What the file holds now is backed up first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not self._confirm_leave():
            return
        path = self.data_file.path
        self._close_data_file()
        restored = restore_with_lease(self, path, chosen)
        data_file = open_file(self, path)
        if data_file is not None:
            self.set_data_file(data_file)
            if restored:
                self.statusBar().showMessage(f"Restored the backup from {label}.", 8000)
        else:
            self._show_state()

    def check_now(self) -> None:
        if self.data_file is None:
            return
        try:
            report = check_file(self.data_file.path)
        except SroDeskError as exc:
            show_error(self, exc)
            return
        except Exception as exc:
            QMessageBox.warning(self, APP_NAME, error_sentence(exc))
            return
        verdict = "The file is healthy." if report.healthy else "\n".join(report.problems)
        QMessageBox.information(self, APP_NAME, "\n".join([*report.facts, "", verdict]))

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\nKeeps a School Resource Officer program in one file.",
        )

    # -- closing ----------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self._confirm_leave():
            event.ignore()
            return
        for task in [*self.tasks, *(t for p in self.pages for t in getattr(p, "tasks", []))]:
            task.abandon()
        self._close_data_file()
        event.accept()


def _shows_any(page, tables) -> bool:
    """Whether ``page`` shows one of ``tables`` (a page declaring nothing shows all)."""
    shows_any = getattr(page, "shows_any", None)
    return shows_any is None or shows_any(tables)
