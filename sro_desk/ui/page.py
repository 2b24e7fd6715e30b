"""What every sidebar page is to the window, and the widgets the pages share.

A page shows part of one data file. The window talks to every page the same way:

- ``title``: the sidebar's name for it (and its guide's, under Help > Guide).
- ``reads``: the tables the page shows. A save reports the tables it changed
  (``DataFile.take_changes``); the window reads the file again into the pages that show
  one of them, the one on screen at once and the others when they are next shown.
- ``refresh(data_file, presence)``: read the file into the page (in one snapshot), keeping
  what the person is typing.
- ``set_editable(editable)``: a read-only file shows everything and changes nothing.
- ``has_unsaved_changes()`` / ``save()``: asked before the file is closed or another opened.
- ``forget_file()``: another file is being opened; nothing of this one may stay on screen.
- ``saved``: emitted after the page wrote to the file.
- ``error``: the page's one-sentence error line (``show_problem`` / ``clear_problem``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sro_desk.store import DataFile
from sro_desk.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
    Qt,
    Signal,
    error_label,
    error_sentence,
)


class Page(QWidget):
    """A sidebar page: the contract above, with what most pages do by default."""

    #: The sidebar's name for the page.
    title = ""
    #: The tables whose change the page shows; None for "any change" (the safe default).
    reads: frozenset[str] | None = None
    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_file: DataFile | None = None
        self.presence = None
        self.editable = True
        self.error = error_label()
        self.error.setParent(self)  # never a window of its own; the page lays it out

    # -- the contract -----------------------------------------------------------------

    def refresh(self, data_file: DataFile, presence=None) -> None:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must read the file into itself")

    def set_editable(self, editable: bool) -> None:
        self.editable = editable

    def has_unsaved_changes(self) -> bool:
        return False

    def save(self) -> bool:
        """Save what the person typed; False (with the reason on the error line) if refused."""
        return True

    def forget_file(self) -> None:
        """Drop everything shown of the file (another one is being opened)."""
        self.data_file = None
        self.presence = None
        self.clear_problem()

    def shows_any(self, tables: Iterable[str]) -> bool:
        """Whether a change to ``tables`` changes what this page shows."""
        return self.reads is None or not self.reads.isdisjoint(tables)

    # -- the error line ---------------------------------------------------------------

    def show_problem(self, problem: BaseException | str) -> None:
        """One sentence on the page's error line (a bug's details go to the log)."""
        self.error.setText(problem if isinstance(problem, str) else error_sentence(problem))
        self.error.show()

    def clear_problem(self) -> None:
        self.error.hide()
        self.error.clear()

    def attempt(self, work: Callable[[], object]) -> bool:
        """Run ``work`` (a save, a printout); a refusal or failure becomes the error line's
        sentence and False, and nothing the person typed is touched."""
        self.clear_problem()
        try:
            work()
        except Exception as exc:
            self.show_problem(exc)
            return False
        return True


# -- widgets the pages share ------------------------------------------------------------


def form_row(form: QFormLayout, text: str, widget: QWidget, name: str) -> QLabel:
    """A labelled row: the label's mnemonic moves to ``widget``, which screen readers
    announce as ``name``. The label is not word-wrapped: a form row is one line high, and
    a wrapped label was cut off in it."""
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(name)
    form.addRow(label, widget)
    return label


def read_only_table(table: QTableView | QTableWidget, name: str) -> None:
    """A list of records shown as a table: one row chosen at a time, not edited in place,
    Tab leaving it (arrows move within), columns the person can widen."""
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)


def year_bar(chooser: QComboBox, *right: QWidget) -> QHBoxLayout:
    """A page's top row: "School year:" with its chooser on the left (Alt+Y), and the
    year's own actions (exports, printouts) on the right."""
    label = QLabel("School &year:")
    label.setBuddy(chooser)
    bar = QHBoxLayout()
    bar.addWidget(label)
    bar.addWidget(chooser)
    bar.addStretch(1)
    for widget in right:
        bar.addWidget(widget)
    return bar


def stacked(*parts: QWidget) -> QWidget:
    """Boxes one above the other at the top of a tab, the room left below them (a
    settings tab)."""
    column = QWidget()
    layout = QVBoxLayout(column)
    for part in parts:
        layout.addWidget(part)
    layout.addStretch(1)
    return column


def side_by_side(first: QWidget, second: QWidget, stretches: tuple[int, int],
                 sizes: list[int] | None = None, orientation=Qt.Orientation.Horizontal) -> QSplitter:
    """Two parts with a divider the person can drag (a list beside the chosen record),
    neither collapsible to nothing; ``stretches`` share out a growing window."""
    splitter = QSplitter(orientation)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setChildrenCollapsible(False)
    for index, stretch in enumerate(stretches):
        splitter.setStretchFactor(index, stretch)
    if sizes:
        splitter.setSizes(sizes)
    return splitter


def fill_years(chooser: QComboBox, years: list[str], keep: str) -> None:
    """Put ``years`` (from ``calendar.years_to_offer``) into a school-year chooser and
    choose ``keep``, telling no one: the page shows the year itself."""
    chooser.blockSignals(True)
    try:
        chooser.clear()
        for year in years:
            chooser.addItem(year, year)
        chooser.setCurrentIndex(max(0, chooser.findData(keep)))
    finally:
        chooser.blockSignals(False)
