"""Print page: every printable document in one place, previewed, printed or saved as PDF.

The page is built from ``documents.catalog.CATALOG`` each time it is refreshed, so a
document registered later appears with its options and nothing here changes. A build is
the catalog's two steps: ``prepare`` on the GUI thread (it reads the file), then the
builder off it, into a private temporary folder. Printing paints the built PDF's pages
onto the printer, also off the GUI thread; printing never writes to the data file.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sro_desk.documents import catalog
from sro_desk.documents.catalog import Cancelled, Option, Printable, Progress, check_progress
from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.store import DataFile, one_snapshot
from sro_desk.store.outputs import check_output, replace_output
from sro_desk.ui.qt import (
    QAbstractButton,
    QAbstractPrintDialog,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenuBar,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfDocument,
    QPdfView,
    QPlainTextEdit,
    QPointF,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QRectF,
    QSize,
    QSizeF,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    error_sentence,
    scrolling,
)
from sro_desk.ui.page import Page, side_by_side
from sro_desk.ui.work import BackgroundTask, run_task

_KEY = Qt.ItemDataRole.UserRole
RECORDS = "Records and reports"
FORMS = "Blank forms to hand out"
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
#: Pages are printed as images; at a printer's full 1200 dpi one page would take half a
#: gigabyte of memory, and no printer shows a difference above this.
MAX_PRINT_DPI = 300


def group_of(printable: Printable) -> str:
    """The heading a document is listed under: its own ``extra["group"]``, else by kind."""
    return printable.extra.get("group") or (RECORDS if printable.needs_file else FORMS)


def is_multi_line(option: Option) -> bool:
    return option.key.endswith("_text") or bool(getattr(option, "extra", None) and option.extra.get("multi_line"))


def mnemonic_of(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def with_mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with an Alt+letter not in ``taken`` (a word's first letter when one is free)."""
    escaped = text.replace("&", "&&")
    starts = [m.start() for m in re.finditer(r"\b[A-Za-z]", text)]
    others = [i for i, c in enumerate(text) if c.isascii() and c.isalpha() and i not in starts]
    for index in starts + others:
        letter = text[index].lower()
        if letter not in taken:
            taken.add(letter)
            shift = text[:index].count("&")  # each & before it was doubled
            return escaped[: index + shift] + "&" + escaped[index + shift:]
    return escaped


@dataclass(frozen=True)
class Built:
    """A built PDF in the temporary folder, and what it was built from."""

    key: str
    title: str
    values: dict
    data_file: DataFile | None
    generation: int
    path: Path


def pages_to_print(printer: QPrinter, count: int, current: int) -> list[int]:
    """The 0-based pages the print dialog asked for, in order, copies made when the
    printer cannot make them itself."""
    chosen = printer.printRange()
    if chosen == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if ranges.isEmpty():
            first, last = printer.fromPage() or 1, printer.toPage() or count
            pages = [p for p in range(first, last + 1) if 1 <= p <= count]
        else:
            pages = [p for p in range(1, count + 1) if ranges.contains(p)]
        pages = [p - 1 for p in pages]
    elif chosen == QPrinter.PrintRange.CurrentPage:
        pages = [current]
    else:
        pages = list(range(count))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if copies > 1:
        pages = pages * copies if printer.collateCopies() else [p for p in pages for _ in range(copies)]
    return pages


def paint_pages(path: Path, printer: QPrinter, pages: list[int], progress: Progress) -> int:
    """Paint ``pages`` of the PDF at ``path`` onto ``printer``, each at its own size
    (shrunk to fit smaller paper); safe to run on a worker thread. Returns pages printed."""
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise SroDeskError("The document to print could not be read; choose Preview and print again.")
        painter = QPainter()
        if not painter.begin(printer):
            raise SroDeskError(
                "The printer could not be started; check that it is on and connected, then print again."
            )
        try:
            resolution = printer.resolution()
            dpi = min(resolution, MAX_PRINT_DPI)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            for done, page in enumerate(pages):
                if not progress(done, len(pages)):
                    printer.abort()
                    raise Cancelled()
                if done:
                    printer.newPage()
                points = document.pagePointSize(page)
                image = document.render(page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)))
                size = QSizeF(points.width() * resolution / 72, points.height() * resolution / 72)
                if size.width() > paper.width() or size.height() > paper.height():
                    size = size.scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRectF(
                    paper.x() + (paper.width() - size.width()) / 2,
                    paper.y() + (paper.height() - size.height()) / 2,
                    size.width(), size.height(),
                )
                painter.drawImage(target, image)
            check_progress(progress, len(pages), len(pages))
        finally:
            painter.end()
        return len(pages)
    finally:
        document.close()


def _laid_out(layout, *parts):
    """``layout`` holding ``parts``: widgets, layouts, (widget, stretch) pairs, or a stretch."""
    for part in parts:
        if isinstance(part, int):
            layout.addStretch(part)
        elif isinstance(part, tuple):
            layout.addWidget(*part)
        elif isinstance(part, QWidget):
            layout.addWidget(part)
        else:
            layout.addLayout(part)
    return layout


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _text_label(name: str) -> QLabel:
    """A wrapped label for text as it is (titles and sentences may hold < or &)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


def _button(text: str) -> QPushButton:
    """A button that screen readers announce by its words (no mnemonic, no ellipsis)."""
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


def _column(*parts) -> QWidget:
    """A widget holding ``parts`` top to bottom, with no margin of its own."""
    column = QWidget()
    _laid_out(QVBoxLayout(column), *parts).setContentsMargins(0, 0, 0, 0)
    return column


def _split(orientation, first: QWidget, second: QWidget, stretches: tuple[int, int]) -> QSplitter:
    return side_by_side(first, second, stretches, orientation=orientation)


class PrintCenterPage(Page):
    """The documents on the left with their choices; the built PDF on the right.

    Printing never writes, so a read-only file prints just the same.
    """

    title = "Print"
    #: Every document draws on its own part of the file: any change may alter a preview.
    reads = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks: list[BackgroundTask] = []
        self.printables: list[Printable] = []
        self.shown: Printable | None = None
        #: option key -> its control, for the chosen document.
        self.fields: dict[str, QWidget] = {}
        #: document key -> the values chosen for it, kept across refreshes.
        self.chosen: dict[str, dict] = {}
        self.preview_built: Built | None = None
        self._generation = 0
        self._busy = False
        #: built files a running task reads or writes; tidying leaves them alone.
        self._in_use: set[Path] = set()
        self._folder: Path | None = None
        self._serial = 0
        self._save_folder: Path | None = None
        self._sized = False

        choices = self._build_choices()
        preview = self._build_preview()
        self.splitter = _split(Qt.Orientation.Horizontal, choices, preview, (0, 1))
        self.splitter.setSizes([340, 660])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        #: the page's own Alt+letters, which the options' labels must not take.
        self._fixed = [self.documents_label, self.preview_button, self.print_button, self.save_button,
                       self.zoom_out_button, self.zoom_in_button, self.fit_button]
        self._connect_signals()
        self._set_tab_order()
        self._update_controls()

    # -- building the page ------------------------------------------------------------

    def _build_choices(self) -> QWidget:
        """The left side: the documents over the chosen one's options, then what happened
        and the buttons."""
        self.left_splitter = _split(
            Qt.Orientation.Vertical, self._build_documents(), scrolling(self._build_options()), (2, 3)
        )
        self.status = _text_label("Print status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return _column((self.left_splitter, 1), self.error, self.status, self._build_actions())

    def _build_documents(self) -> QWidget:
        """Every printable document, under its group's heading (filled on refresh)."""
        self.documents = QListWidget()
        self.documents.setWordWrap(True)
        self.documents.setAccessibleName("Documents")
        self.documents_label = QLabel("Do&cuments:")
        self.documents_label.setBuddy(self.documents)
        return _column((self.documents_label, 0), (self.documents, 1))

    def _build_options(self) -> QWidget:
        """The chosen document's title, description and options (its form is filled when
        it is chosen)."""
        self.heading = _text_label("Chosen document")
        self.heading.setStyleSheet("font-weight: bold;")
        self.description = _text_label("About the chosen document")
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        options = QWidget()
        _laid_out(QVBoxLayout(options), self.heading, self.description, self.form, 1)
        return options

    def _build_actions(self) -> QHBoxLayout:
        """Preview, print, or save the chosen document."""
        self.preview_button = _button("Pre&view")
        self.preview_button.setDefault(True)
        self.preview_button.setToolTip("Build the chosen document and show it here (Alt+V).")
        self.print_button = _button("&Print…")
        self.print_button.setToolTip("Print the chosen document through the system print dialog.")
        self.save_button = _button("&Save as PDF…")
        self.save_button.setToolTip("Save the chosen document as a PDF file.")
        return _laid_out(QHBoxLayout(), self.preview_button, self.print_button, self.save_button, 1)

    def _build_preview(self) -> QWidget:
        """The right side: the built PDF, its title, page number and zoom."""
        self.pdf = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Preview of the document")
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.navigator = self.view.pageNavigator()
        self.preview_title = _text_label("Previewed document")
        self.page_label = QLabel()
        self.page_label.setAccessibleName("Page")
        self.zoom_out_button = _button("Zoom &Out")
        self.zoom_in_button = _button("Zoom &In")
        self.fit_button = _button("Fit &Width")
        bar = _laid_out(QHBoxLayout(), (self.preview_title, 1), self.page_label, self.zoom_out_button,
                        self.zoom_in_button, self.fit_button)
        return _column(bar, (self.view, 1))

    def _connect_signals(self) -> None:
        self.left_splitter.splitterMoved.connect(lambda *_a: setattr(self, "_sized", True))
        self.documents.currentItemChanged.connect(lambda _now, _before: self._show_document())
        self.documents.itemActivated.connect(lambda _item: self.preview())
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        self.zoom_in_button.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        self.fit_button.clicked.connect(self._fit_width)
        self.navigator.currentPageChanged.connect(lambda _page: self._show_page_number())
        self.pdf.pageCountChanged.connect(lambda _count: self._show_page_number())
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.discard_files)

    # -- fitting the documents list ---------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._fit_documents()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_documents()

    def _fit_documents(self) -> None:
        """The whole list of documents when it fits (the packet is last: it must not hide
        below the fold), the rest for the chosen document's options; once the person
        drags the divider, theirs is kept."""
        if self._sized or not self.isVisible() or self.documents.count() == 0:
            return
        total = sum(self.left_splitter.sizes())
        if total <= 0:
            return
        rows = sum(self.documents.sizeHintForRow(r) for r in range(self.documents.count()))
        wanted = rows + 2 * self.documents.frameWidth() + self.documents_label.sizeHint().height() + 12
        top = min(wanted, max(total // 2, total - 200))
        self.left_splitter.setSizes([top, total - top])

    # -- the page protocol ------------------------------------------------------------

    def forget_file(self) -> None:
        """Another file is opened: its choices, preview and messages go with it."""
        self.chosen.clear()
        self.shown = None
        self._close_preview()
        self.status.setText("")
        super().forget_file()

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        """Re-read the documents and their choices; what was chosen and typed is kept."""
        self._remember_values()
        if self.data_file is not None and self.data_file.path != data_file.path:
            self.chosen.clear()  # another district's choices mean nothing here
            self.shown = None
            self._close_preview()
        self.data_file = data_file
        self._generation += 1  # a preview built before now may show old records
        self._tidy()
        self._fill_documents()

    def discard_files(self) -> None:
        """Close the preview and delete the temporary folder (the window is closing)."""
        self._close_preview()
        if self._folder is not None and all(task.abandoned for task in self.tasks):
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # -- the documents and their choices ----------------------------------------------

    def current_printable(self) -> Printable | None:
        item = self.documents.currentItem()
        key = item.data(_KEY) if item is not None else None
        return next((p for p in self.printables if p.key == key), None)

    def choose(self, key: str) -> None:
        """Show the document ``key`` with its options (the dashboard's Print Status asks)."""
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            if item.data(_KEY) == key:
                self.documents.setCurrentItem(item)
                self.documents.setFocus()
                return

    def _fill_documents(self) -> None:
        shown = self.current_printable()
        keep = shown.key if shown is not None else None
        self.printables = list(catalog.CATALOG)
        groups: dict[str, list[Printable]] = {}
        for printable in self.printables:
            groups.setdefault(group_of(printable), []).append(printable)
        first_item = kept_item = None
        self.documents.blockSignals(True)
        self.documents.clear()
        for group, printables in groups.items():
            header = QListWidgetItem(group, self.documents)
            header.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: the arrow keys pass over it
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            header.setForeground(self.documents.palette().windowText())
            for printable in printables:
                item = QListWidgetItem(printable.title, self.documents)
                item.setData(_KEY, printable.key)
                item.setToolTip(printable.description)
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, printable.description)
                first_item = first_item or item
                if printable.key == keep:
                    kept_item = item
        if kept_item or first_item:
            self.documents.setCurrentItem(kept_item or first_item)
        self.documents.blockSignals(False)
        self._fit_documents()
        self._show_document()

    def _show_document(self) -> None:
        """Build the chosen document's form, each option filled from the file."""
        self._remember_values()
        printable = self.current_printable()
        focused = next((k for k, w in self.fields.items() if w.hasFocus()), None)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        self.shown = printable
        self.error.hide()
        if printable is None:
            self.heading.setText("Choose a document from the list.")
            self.description.clear()
            self._set_tab_order()
            self._update_controls()
            return
        self.heading.setText(printable.title)
        self.description.setText(printable.description)
        taken = self._taken_letters()
        saved = self.chosen.get(printable.key, {})
        problems: list[str] = []
        for option in printable.options:
            control = self._control(option, saved.get(option.key, option.default), problems)
            control.setAccessibleName(option.label)
            if option.help:
                control.setToolTip(option.help)
                control.setAccessibleDescription(option.help)
            self.fields[option.key] = control
            if isinstance(control, QCheckBox):
                control.setText(with_mnemonic(option.label, taken))
                self.form.addRow(control)
            else:
                label = QLabel(with_mnemonic(option.label, taken) + ":")
                label.setBuddy(control)
                label.setWordWrap(True)
                self.form.addRow(label, control)
        if not printable.options:
            self.form.addRow(QLabel("There is nothing to choose for this document."))
        if problems:
            self._show_error(problems[0])
        if focused in self.fields:
            self.fields[focused].setFocus()
        self._set_tab_order()
        self._update_controls()

    def _control(self, option: Option, value: Any, problems: list[str]) -> QWidget:
        if option.kind == "flag":
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda _on: self._values_changed())
            return box
        if option.kind == "text":
            if is_multi_line(option):
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setPlainText(str(value or ""))
                edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 5 + 12)
                edit.textChanged.connect(self._values_changed)
                return edit
            line = QLineEdit(str(value or ""))
            line.textChanged.connect(lambda _text: self._values_changed())
            line.returnPressed.connect(self.preview)
            return line
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.setPlaceholderText("None in this file")
        try:
            offered = option.choices(self.data_file) if option.choices and self.data_file else []
        except Exception as exc:  # one document's choices failing must not hide the others
            problems.append(error_sentence(exc))
            offered = []
        for label, data in offered:
            combo.addItem(label, data)
            combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        index = next((i for i in range(combo.count()) if combo.itemData(i) == value), 0 if offered else -1)
        combo.setCurrentIndex(index)
        combo.currentIndexChanged.connect(lambda _i: self._values_changed())
        return combo

    def values(self) -> dict:
        """What the form says now, as the catalog's ``prepare`` takes it."""
        values: dict = {}
        for key, control in self.fields.items():
            if isinstance(control, QCheckBox):
                values[key] = control.isChecked()
            elif isinstance(control, QPlainTextEdit):
                values[key] = control.toPlainText()
            elif isinstance(control, QLineEdit):
                values[key] = control.text()
            elif isinstance(control, QComboBox):
                values[key] = control.currentData() if control.currentIndex() >= 0 else None
        return values

    def _remember_values(self) -> None:
        if self.shown is not None and self.fields:
            self.chosen[self.shown.key] = self.values()

    def _values_changed(self) -> None:
        self._remember_values()
        self._update_controls()

    def _taken_letters(self) -> set[str]:
        """Alt+letters already claimed: this page's own, the window's menus and banners."""
        taken = {mnemonic_of(w.text()) for w in self._fixed} - {None}
        window = self.window()
        if window is self:
            return taken
        for bar in window.findChildren(QMenuBar):
            taken.update(mnemonic_of(a.text()) for a in bar.actions())
        for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
            if isinstance(widget, QLabel) and widget.buddy() is None:
                continue
            if not self.isAncestorOf(widget) and not self._on_another_page(widget):
                taken.add(mnemonic_of(widget.text()))
        taken.discard(None)
        return taken

    @staticmethod
    def _on_another_page(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QStackedWidget):
                return True
            parent = parent.parentWidget()
        return False

    def _set_tab_order(self) -> None:
        chain = [self.documents, *self.fields.values(), self.preview_button, self.print_button,
                 self.save_button, self.zoom_out_button, self.zoom_in_button, self.fit_button, self.view]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    # -- showing what happens -------------------------------------------------------

    def _is_current(self, built: Built | None, printable: Printable | None, values: dict) -> bool:
        return (
            built is not None and printable is not None and built.key == printable.key
            and built.values == values and built.generation == self._generation
            and built.data_file is self.data_file
        )

    def _update_controls(self) -> None:
        ready = self.current_printable() is not None and self.data_file is not None and not self._busy
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(ready)
        has_pages = self.preview_built is not None and self.pdf.pageCount() > 0
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            button.setEnabled(has_pages)
        built, chosen = self.preview_built, self.current_printable()
        if built is None:
            self.preview_title.setText("Choose Preview to see the document here.")
        elif self._is_current(built, chosen, self.values()):
            self.preview_title.setText(built.title)
        elif chosen is not None and chosen.key != built.key:
            self.preview_title.setText(f"{built.title} (choose Preview to see {chosen.title})")
        elif built.generation != self._generation:
            self.preview_title.setText(f"{built.title} (the file has changed since; choose Preview to update)")
        else:
            self.preview_title.setText(f"{built.title} (earlier choices; choose Preview to update)")
        self._show_page_number()

    def _show_page_number(self) -> None:
        try:
            count = self.pdf.pageCount() if self.preview_built is not None else 0
        except RuntimeError:  # the page is being destroyed: its document went first
            return
        self.page_label.setText(f"Page {self.navigator.currentPage() + 1} of {count}" if count else "")

    def _show_error(self, sentence: str) -> None:
        self.status.clear()
        self.show_problem(sentence)

    def _show_status(self, sentence: str) -> None:
        self.error.hide()
        self.status.setText(sentence)

    def _fail(self, exc: BaseException, *, reading: bool = False) -> None:
        """Its sentence for an SroDeskError, else a plain one (and the details in the log)."""
        if isinstance(exc, OSError) and reading:
            where = f"{exc.filename} could not be read" if exc.filename else "A file could not be read"
            self._show_error(f"{where}: {exc.strerror or exc}. Check the name and try again.")
        elif isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            self._show_error(
                f"The PDF could not be written{where}: {exc.strerror or exc}. Choose another folder, "
                "or close the file in the program that has it open, and try again."
            )
        else:
            self._show_error(error_sentence(exc))
        field = getattr(exc, "field", None) if isinstance(exc, ValidationError) else None
        if field in self.fields:
            self.fields[field].setFocus()

    # -- building ---------------------------------------------------------------------

    def _prepare(self, printable: Printable, values: dict):
        """The catalog's first step, here on the GUI thread; None (and a sentence) if it fails."""
        self.error.hide()
        self.status.clear()
        try:
            return printable.prepare(self.data_file, values)
        except Exception as exc:
            self._fail(exc, reading=True)  # prepare only reads (the file, a logo...)
            return None

    def _start(self, label: str, work, on_done, *, partial: Path | None = None, uses: tuple[Path, ...] = (),
               cancelled: str = "Cancelled.", late_cancel: bool = False) -> BackgroundTask:
        """Run ``work`` off the GUI thread. A cancel, or a failure, removes ``partial`` and
        says so quietly or in one sentence; with ``late_cancel`` a cancel the work did not
        notice in time still counts (the result is dropped)."""
        self._busy = True
        self._in_use.update(uses)
        self._update_controls()
        task: list[BackgroundTask] = []

        def end() -> None:
            self._busy = False
            self._in_use.difference_update(uses)

        def done(result: Any) -> None:
            end()
            if late_cancel and task[0].runner.cancelled.is_set():
                if partial is not None:
                    partial.unlink(missing_ok=True)
                self._show_status(cancelled)
            else:
                on_done(result)
            self._update_controls()

        def failed(exc: BaseException) -> None:
            end()
            if partial is not None:
                partial.unlink(missing_ok=True)
            if isinstance(exc, Cancelled):
                self._show_status(cancelled)
            else:
                self._fail(exc)
            self._update_controls()

        task.append(run_task(self.tasks, self, label, work, done, failed))
        return task[0]

    def preview(self) -> None:
        """Build the chosen document into the temporary folder and show it."""
        self._build(None)

    def _build(self, then) -> None:
        printable, values = self.current_printable(), self.values()
        if printable is None or self.data_file is None or self._busy:
            return
        builder = self._prepare(printable, values)
        if builder is None:
            return
        path = self._temp_path()
        data_file, generation = self.data_file, self._generation

        def done(_result: Any) -> None:
            if data_file is not self.data_file:  # another file was opened meanwhile
                path.unlink(missing_ok=True)
                return
            built = Built(printable.key, printable.title, values, data_file, generation, path)
            self._show_built(built)
            if then is not None and self.preview_built is built:
                then(built)

        self._start(
            f"Building {printable.title}…", lambda progress: builder(path, progress), done,
            partial=path, uses=(path,), late_cancel=True,
        )

    def _show_built(self, built: Built) -> None:
        self.pdf.close()
        self.preview_built = built
        if self.pdf.load(str(built.path)) != QPdfDocument.Error.None_:
            self.preview_built = None
            self._show_error("The preview could not be shown; use Save as PDF… and open the file in another program.")
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.navigator.jump(0, QPointF())
            self._show_status(f"{built.title}: {_pages(self.pdf.pageCount())}.")
        self._tidy()
        self._update_controls()

    def _close_preview(self) -> None:
        self.pdf.close()
        self.preview_built = None
        self._update_controls()

    def _with_current_build(self, then) -> None:
        """``then(built)`` with a build of what the form says now, building it first if needed."""
        built = self.preview_built
        if self._is_current(built, self.current_printable(), self.values()) and built.path.exists():
            then(built)
        else:
            self._build(then)

    def _temp_path(self) -> Path:
        if self._folder is None or not self._folder.exists():
            self._folder = Path(tempfile.mkdtemp(prefix="sro-desk-print-"))
            weakref.finalize(self, shutil.rmtree, str(self._folder), True)
        self._serial += 1
        return self._folder / f"preview-{self._serial}.pdf"

    def _tidy(self) -> None:
        """Delete built files no longer shown (a running build's file is left to it)."""
        if self._folder is None:
            return
        keep = {self.preview_built.path} if self.preview_built is not None else set()
        for path in self._folder.glob("*.pdf"):
            if path not in keep and path not in self._in_use:
                try:
                    path.unlink()
                except OSError:  # still open in a viewer on Windows: next time
                    pass

    # -- zoom ---------------------------------------------------------------------------

    def _effective_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.pdf.pageCount() == 0:
            return self.view.zoomFactor()
        points = self.pdf.pagePointSize(self.navigator.currentPage())
        margins = self.view.documentMargins()
        available = self.view.viewport().width() - margins.left() - margins.right()
        screen = self.screen() or QApplication.primaryScreen()
        return available / max(points.width() * screen.logicalDotsPerInch() / 72, 1.0)

    def _zoom(self, step: float) -> None:
        factor = min(max(self._effective_zoom() * step, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    def _fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # -- print and save -------------------------------------------------------------

    def print_document(self) -> None:
        """The system print dialog, then the built pages painted onto the printer."""
        self._with_current_build(self._print_built)

    def _print_built(self, built: Built) -> None:
        count = self.pdf.pageCount()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(built.title)
        printer.setCreator("SRO Desk")
        printer.setFullPage(True)  # the PDF has its own margins
        first = self.pdf.pagePointSize(0)
        portrait = QSizeF(min(first.width(), first.height()), max(first.width(), first.height()))
        printer.setPageSize(QPageSize(portrait, QPageSize.Unit.Point))
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if first.width() > first.height() else QPageLayout.Orientation.Portrait
        )
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {built.title}")
        dialog.setMinMax(1, count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        accepted = dialog.exec()
        dialog.deleteLater()
        if not accepted:
            return
        pages = pages_to_print(printer, count, self.navigator.currentPage())
        if not pages:
            self._show_error(f"The pages chosen are not in the document; it has {_pages(count)}.")
            return
        to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName()
        where = printer.outputFileName() if to_file else printer.printerName()

        def done(printed: int) -> None:
            self._show_status(f"Sent {_pages(printed)} of {built.title} to {where or 'the printer'}.")

        self._start(
            f"Printing {built.title}…", lambda progress: paint_pages(built.path, printer, pages, progress),
            done, uses=(built.path,), cancelled="Printing cancelled.",
            partial=Path(where) if to_file else None,  # "print to file" cancelled: no half a file
        )

    def save_pdf(self) -> None:
        """Save the chosen document as a PDF: the preview's copy when it is current, else a build."""
        printable, values = self.current_printable(), self.values()
        if printable is None or self.data_file is None or self._busy:
            return
        suggested = printable.file_name(values)
        start = str(self._save_folder / suggested) if self._save_folder else suggested
        name, _ = QFileDialog.getSaveFileName(self, f"Save {printable.title} as PDF", start, "PDF (*.pdf)")
        if not name:
            return
        out = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        self._save_folder = out.parent
        try:  # never over the data file, part of it, a database or a file not ours to change
            check_output(out, what="the PDF", databases=[self.data_file.path])
        except SroDeskError as exc:
            self._fail(exc)
            return
        part = out.with_name(out.name + ".part")  # the old file stays whole until the new one is
        built = self.preview_built
        if self._is_current(built, printable, values) and built.path.exists():
            try:
                shutil.copyfile(built.path, part)
                replace_output(part, out, what="the PDF")
            except (OSError, SroDeskError) as exc:
                part.unlink(missing_ok=True)
                self._fail(exc)
                return
            self._show_status(f"Saved {out}.")
            return
        builder = self._prepare(printable, values)
        if builder is None:
            return

        def work(progress: Progress) -> None:
            builder(part, progress)
            replace_output(part, out, what="the PDF")

        self._start(
            f"Building {printable.title}…", work, lambda _r: self._show_status(f"Saved {out}."), partial=part,
        )
