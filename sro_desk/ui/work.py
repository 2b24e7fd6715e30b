"""Long work off the GUI thread, with a progress dialog only when it is slow.

As in Anki and qutebrowser: the work reports ticks; the dialog (with Cancel) appears
only if the work is still running after half a second, so quick jobs never flash.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from sro_desk.ui.qt import QObject, QProgressDialog, Qt, QThread, QWidget, Signal

SHOW_AFTER_MS = 500

#: The work receives a progress callback: progress(done, total) -> False when cancelled.
Work = Callable[[Callable[[int, int], bool]], Any]


_collector_lock = threading.Lock()
_workers = 0


def _pause_collector() -> None:
    global _workers
    with _collector_lock:
        _workers += 1
        gc.disable()


def _resume_collector() -> None:
    global _workers
    with _collector_lock:
        _workers -= 1
        if _workers == 0:
            gc.enable()


class _Runner(QThread):
    ticked = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.work = work
        self.cancelled = threading.Event()

    def _progress(self, done: int, total: int) -> bool:
        self.ticked.emit(done, total)
        return not self.cancelled.is_set()

    def run(self) -> None:
        # Python's garbage collector must not run on this thread: it could free Qt objects
        # that belong to the GUI thread, which crashes Qt. It is paused while any worker runs.
        _pause_collector()
        try:
            result = self.work(self._progress)
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            _resume_collector()


class BackgroundTask(QObject):
    """Run ``work`` on a worker thread; ``on_done`` or ``on_error`` runs on the GUI thread."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle("SRO Desk")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setAccessibleName(label)
        self.runner = _Runner(work)
        self.runner.ticked.connect(self._ticked)
        self.runner.succeeded.connect(lambda result: self._end(on_done, result))
        self.runner.failed.connect(lambda exc: self._end(on_error, exc))
        self.dialog.canceled.connect(self.runner.cancelled.set)
        self.running = True
        self.abandoned = False

    def start(self) -> BackgroundTask:
        self.dialog.setValue(0)
        self.runner.start()
        return self

    def _ticked(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total - 1))

    def abandon(self) -> None:
        """Cancel the work and wait for it; neither callback runs (the window is closing)."""
        self.abandoned = True
        self.runner.cancelled.set()
        self.runner.wait()

    def _end(self, callback: Callable[[Any], None], value: Any) -> None:
        self.runner.wait()
        if self.abandoned:
            self.running = False
            self.dialog.hide()
            self.finished.emit()
            return
        self.dialog.reset()
        self.dialog.hide()
        self.running = False
        try:
            callback(value)
        finally:
            self.finished.emit()
            self.dialog.deleteLater()


def run_task(
    tasks: list[BackgroundTask],
    parent: QWidget,
    label: str,
    work: Work,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> BackgroundTask:
    """Start a BackgroundTask kept in ``tasks`` (so closing can abandon it) until it ends."""
    task = BackgroundTask(parent, label, work, on_done, on_error)
    tasks.append(task)
    task.finished.connect(lambda: tasks.remove(task))
    return task.start()
