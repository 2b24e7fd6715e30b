"""Long work off the GUI thread: the dialog only when slow, Cancel stops the work."""

from __future__ import annotations

import threading
import time

import pytest

from PySide6.QtCore import QEvent

from sro_desk.store import DataFile
from sro_desk.store.backup import BackupCancelled
from sro_desk.ui.qt import QObject, QPushButton, Qt, QWidget
from sro_desk.ui.work import SHOW_AFTER_MS, BackgroundTask


class ShowWatcher(QObject):
    """Counts Show events of the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = 0

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show:
            self.shown += 1
        return False


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


class SlowWork:
    """Ticks until progress() says stop (or a safety limit), recording what it saw."""

    def __init__(self, limit_seconds: float = 10.0) -> None:
        self.limit = limit_seconds
        self.ticks = 0
        self.answers: list[bool] = []
        self.stopped = threading.Event()

    def __call__(self, progress):
        deadline = time.monotonic() + self.limit
        try:
            while time.monotonic() < deadline:
                self.ticks += 1
                answer = progress(self.ticks, 1000)
                self.answers.append(answer)
                if answer is False:
                    raise BackupCancelled("The backup was cancelled; nothing was kept.")
                time.sleep(0.01)
            return "ran to the limit"
        finally:
            self.stopped.set()


def start(parent, work, done, errors, label="Backing up the file…") -> BackgroundTask:
    return BackgroundTask(parent, label, work, done.append, errors.append).start()


def test_quick_work_never_shows_the_dialog(qtbot, parent):
    done, errors = [], []
    task = BackgroundTask(parent, "Quick job", lambda progress: 42, done.append, errors.append)
    watcher = ShowWatcher()
    task.dialog.installEventFilter(watcher)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert done == [42]
    assert errors == []
    assert not task.running
    # Wait past the moment a slow job's dialog would appear: still never shown.
    qtbot.wait(SHOW_AFTER_MS + 200)
    assert watcher.shown == 0


def test_quick_work_that_ticks_never_shows_the_dialog(qtbot, parent):
    done, errors = [], []

    def work(progress):
        return [progress(i, 10) for i in range(1, 11)]

    task = BackgroundTask(parent, "Quick job", work, done.append, errors.append)
    watcher = ShowWatcher()
    task.dialog.installEventFilter(watcher)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert done == [[True] * 10]
    qtbot.wait(SHOW_AFTER_MS + 200)
    assert watcher.shown == 0


def test_slow_work_shows_the_dialog_and_cancel_stops_it(qtbot, parent):
    work = SlowWork()
    done, errors = [], []
    task = start(parent, work, done, errors)
    dialog = task.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.labelText() == "Backing up the file…"
    assert dialog.accessibleName() == "Backing up the file…"
    assert dialog.maximum() == 1000
    assert task.running

    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    with qtbot.waitSignal(task.finished, timeout=5000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert work.stopped.is_set()
    assert work.answers[-1] is False, "progress() says stop once cancelled"
    assert all(work.answers[:-1])
    assert done == []
    assert len(errors) == 1 and isinstance(errors[0], BackupCancelled)
    assert errors[0].message == "The backup was cancelled; nothing was kept."
    assert not task.running
    assert not task.runner.isRunning()


def test_emitting_canceled_stops_the_work(qtbot, parent):
    work = SlowWork()
    done, errors = [], []
    task = start(parent, work, done, errors)
    qtbot.waitUntil(lambda: work.ticks >= 3, timeout=5000)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.dialog.canceled.emit()
    assert [type(e) for e in errors] == [BackupCancelled]
    assert done == []
    assert work.ticks < 500, "the work stopped well before its safety limit"


def test_escape_on_the_dialog_cancels(qtbot, parent):
    work = SlowWork()
    done, errors = [], []
    task = start(parent, work, done, errors)
    qtbot.waitUntil(task.dialog.isVisible, timeout=5000)
    with qtbot.waitSignal(task.finished, timeout=5000):
        qtbot.keyClick(task.dialog, Qt.Key.Key_Escape)
    assert [type(e) for e in errors] == [BackupCancelled]


def test_an_error_in_the_work_reaches_on_error_on_the_gui_thread(qtbot, parent):
    seen_threads = []

    def work(progress):
        raise ValueError("boom")

    def on_error(exc):
        seen_threads.append(threading.current_thread() is threading.main_thread())
        errors.append(exc)

    errors = []
    task = BackgroundTask(parent, "Failing job", work, lambda r: None, on_error)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert [str(e) for e in errors] == ["boom"]
    assert seen_threads == [True]


def test_window_backup_cancelled_by_closing_shows_no_message(
    qtbot, make_window, settle, demo_path, messages
):
    """Closing the window mid-backup cancels it; no box pops up after the window is gone."""
    window = make_window()
    window.set_data_file(DataFile.open(demo_path))
    settle(window)
    work = SlowWork()
    window._run("Backing up the file…", work, lambda result: None)
    qtbot.waitUntil(lambda: work.ticks >= 2, timeout=5000)
    window.close()
    assert work.stopped.is_set()
    settle(window)
    assert window.data_file is None
    assert messages.warnings == []
