"""Starting the window: the application object, the first file, the error hook."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from sro_desk import APP_NAME, paths
from sro_desk.resources import resource_path
from sro_desk.ui.main_window import MainWindow
from sro_desk.ui.opening import open_file
from sro_desk.ui.qt import QApplication, QIcon, QMessageBox, QTimer, error_sentence

log = logging.getLogger(__name__)


def first_file(db: Path | None) -> Path:
    """``--db`` if given, else the file used last (if it is still there), else the default."""
    if db is not None:
        return Path(db).expanduser().absolute()
    for recent in paths.recent_files():
        if recent.exists():
            return recent
    return paths.default_database()


def _excepthook(kind, value, traceback) -> None:
    """An unexpected error: its traceback to the log, one sentence on screen."""
    log.error("unexpected error", exc_info=(kind, value, traceback))
    if QApplication.instance() is not None:
        QMessageBox.warning(None, APP_NAME, error_sentence(value))


def make_window(db: Path | None) -> MainWindow:
    """The main window with the first file open (or the empty state if it cannot open)."""
    window = MainWindow()
    path = first_file(db)
    if db is None and path == paths.default_database():
        path.parent.mkdir(parents=True, exist_ok=True)
    data_file = open_file(window, path, create=db is None or not path.exists())
    if data_file is not None:
        window.set_data_file(data_file)
    return window


def run(db: Path | None = None) -> int:
    """Open the window and run until it closes; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "sro-desk.svg"))))
    sys.excepthook = _excepthook
    window = make_window(db)
    window.show()
    _close_on_signals(window)
    return app.exec()


def _close_on_signals(window: MainWindow) -> None:
    """Close the window properly (lease released) when the system asks the program to
    stop, instead of dying with the lease still held."""
    import signal

    def stop(*_args) -> None:
        QTimer.singleShot(0, window.close)

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    # Python only runs signal handlers between bytecodes; a timer gives it the chance.
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)
