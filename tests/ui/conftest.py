"""Fixtures for the window tests: no real modal dialog ever opens, windows close cleanly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sro_desk.records.demo import sample_district
from sro_desk.records.district import save_district
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui import opening
from sro_desk.ui.main_window import MainWindow
from sro_desk.ui.qt import QMessageBox
from sro_desk.ui.setup_wizard import SetupWizard


#: The offscreen platform's own complaint when a window's size hints change (a wizard
#: turning a page); it says nothing about the app.
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)$"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@dataclass
class Messages:
    """What the app tried to tell or ask the person, instead of modal boxes."""

    warnings: list[str] = field(default_factory=list)
    informations: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    wizards: list[SetupWizard] = field(default_factory=list)
    #: What QMessageBox.question returns.
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Discard
    #: What opening.ask returns ("read", "take", "restore" or "" for dismissed).
    choice: str = ""


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread():
    """Free each test's Qt objects here, on the GUI thread, not later on a worker."""
    yield
    import gc

    gc.collect()


@pytest.fixture(autouse=True)
def messages(monkeypatch) -> Messages:
    """Replace every modal the app can open with a recorder, so no test can block."""
    seen = Messages()

    def warning(parent, title, text, *args, **kwargs):
        seen.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def information(parent, title, text, *args, **kwargs):
        seen.informations.append(text)
        return QMessageBox.StandardButton.Ok

    def question(parent, title, text, *args, **kwargs):
        seen.questions.append(text)
        return seen.answer

    def ask(parent, text, buttons, detail=""):
        seen.asked.append(text)
        return seen.choice

    def wizard_exec(wizard):
        seen.wizards.append(wizard)
        return 0

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(information))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(information))
    monkeypatch.setattr(opening, "ask", ask)
    monkeypatch.setattr(SetupWizard, "exec", wizard_exec)
    return seen


def _settle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks, timeout=10000)


@pytest.fixture
def settle(qtbot):
    """Wait until a window's background work (the backup at open, say) is done."""
    return lambda window: _settle(qtbot, window)


@pytest.fixture
def make_window(qtbot):
    """Make main windows; each is waited for and closed at the end, its lease let go."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        _settle(qtbot, window)
        window.close()
        assert window.data_file is None


@pytest.fixture
def make_demo_file():
    """Make a closed file at a path holding the sample district."""

    def make(path: Path) -> Path:
        with DataFile.open(path, OpenOptions(create=True)) as data_file:
            save_district(data_file, sample_district())
        return path

    return make
