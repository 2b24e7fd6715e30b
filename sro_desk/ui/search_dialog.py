"""Find in This File (Ctrl+K): words typed, records found, grouped by kind; Enter opens one.

Searching runs on the GUI thread a moment after typing stops: each search is one FTS5
query per kind, bounded in cost (see ``records/search.py``). Matched words are shown in
bold through escaped rich text, so text from a record never acts as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from sro_desk.records.search import Hit, SearchGroup, search
from sro_desk.store import DataFile
from sro_desk.ui.qt import (
    QAbstractTextDocumentLayout,
    QApplication,
    QDialog,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPalette,
    QPushButton,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    error_sentence,
    plain,
)

#: How long typing must pause before the search runs.
DEBOUNCE_MS = 150
#: The item role holding a row's rich text (escaped; only our own <b> and <br> tags).
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
#: The item role holding a hit (None on a group's heading).
HIT_ROLE = Qt.ItemDataRole.UserRole + 2
EMPTY_HINT = "Type words from a complaint, meeting, agreement, training entry or officer's name."


def snippet_html(hit: Hit) -> str:
    """The snippet as rich text: every piece escaped, the matched words in bold."""
    return "".join(f"<b>{plain(text)}</b>" if matched else plain(text) for text, matched in hit.snippet)


def hit_html(hit: Hit) -> str:
    # No colours of its own: the palette's, so a selected row stays readable.
    when = f" · {plain(hit.when)}" if hit.when else ""
    return f"{plain(hit.title)}{when}<br>{snippet_html(hit)}"


def hit_text(hit: Hit) -> str:
    """The hit as plain text, for screen readers and tooltips."""
    when = f", {hit.when}" if hit.when else ""
    return f"{hit.title}{when}: {hit.snippet_text}"


class RichTextDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE rich text, in the selection's colours when selected."""

    def _document(self, option: QStyleOptionViewItem, html: str, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        document.setHtml(html)
        if width > 0:
            document.setTextWidth(width)
        return document

    def paint(self, painter, option, index) -> None:
        html = index.data(HTML_ROLE)
        if html is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        document = self._document(item, html, area.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        role = (QPalette.ColorRole.HighlightedText if item.state & QStyle.StateFlag.State_Selected
                else QPalette.ColorRole.Text)
        context.palette.setColor(QPalette.ColorRole.Text, item.palette.color(QPalette.ColorGroup.Active, role))
        painter.save()
        painter.translate(area.topLeft())
        painter.setClipRect(area.translated(-area.topLeft()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt's name)
        html = index.data(HTML_ROLE)
        if html is None:
            return super().sizeHint(option, index)
        view = self.parent()
        width = view.viewport().width() - view.indentation() * 2 if view is not None else 480
        document = self._document(option, html, max(width, 200))
        return QSize(int(document.idealWidth()), int(document.size().height()))


class SearchDialog(QDialog):
    """Words in, records out: a line edit over a tree of hits grouped by kind."""

    #: A hit the person chose to open.
    chosen = Signal(object)

    def __init__(self, data_file: Callable[[], DataFile | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data_file = data_file
        #: The file the shown results came from; a hit is opened only from that file.
        self._results_file: DataFile | None = None
        self.groups: list[SearchGroup] = []
        self.setWindowTitle("Find in This File")
        self.resize(720, 520)

        self.field = QLineEdit()
        self.field.setAccessibleName("Search words")
        self.field.setPlaceholderText("Words in complaints, meetings, agreements, training…")
        self.field.setClearButtonEnabled(True)
        field_label = QLabel("&Find:")
        field_label.setBuddy(self.field)

        self.results = QTreeWidget()
        self.results.setAccessibleName("Search results")
        self.results.setHeaderHidden(True)
        self.results.setColumnCount(1)
        self.results.setRootIsDecorated(False)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.status = QLabel(EMPTY_HINT)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")

        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the chosen record")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close search")
        for button in (self.open_button, self.close_button):
            # Enter opens the hit in focus; no button may take it as the default as well.
            button.setAutoDefault(False)
            button.setDefault(False)

        top = QHBoxLayout()
        top.addWidget(field_label)
        top.addWidget(self.field, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.field, self.results)
        QWidget.setTabOrder(self.results, self.open_button)
        QWidget.setTabOrder(self.open_button, self.close_button)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _text: self.timer.start())
        self.field.returnPressed.connect(self._open_from_field)
        self.field.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(lambda item, _column: self.open_item(item))
        self.results.currentItemChanged.connect(lambda *_: self._update_open())
        self.open_button.clicked.connect(lambda: self.open_item(self.results.currentItem()))
        self.close_button.clicked.connect(self.reject)
        self._update_open()

    # -- showing ------------------------------------------------------------------------

    def present(self) -> None:
        """Show the dialog with the last words selected, searching the file as it is now."""
        self.show()
        self.activateWindow()
        self.field.setFocus()
        self.field.selectAll()
        self.run_search()

    def run_search(self) -> None:
        """Search for the words in the field now (the timer calls this after typing)."""
        self.timer.stop()
        data_file = self._data_file()
        text = self.field.text()
        self.results.clear()
        self.groups = []
        self._results_file = data_file
        if data_file is None:
            self.status.setText("Open a file to search it.")
        elif not text.strip():
            self.status.setText(EMPTY_HINT)
        else:
            try:
                self.groups = search(data_file, text)
            except Exception as exc:
                self.status.setText(error_sentence(exc))
            else:
                self._fill(text)
        self._update_open()

    def _fill(self, text: str) -> None:
        found = sum(len(g.hits) for g in self.groups)
        if not found:
            self.status.setText(f"Nothing in this file matches “{text.strip()}”.")
            return
        for group in self.groups:
            heading = QTreeWidgetItem(self.results)
            more = ", best first; add a word to narrow them" if group.more else ""
            label = f"{group.label} ({len(group.hits)}{'+' if group.more else ''}{more})"
            heading.setText(0, label)
            heading.setData(0, HTML_ROLE, f"<b>{plain(label)}</b>")
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, not a choice
            for hit in group.hits:
                item = QTreeWidgetItem(heading)
                item.setText(0, hit_text(hit))
                item.setToolTip(0, hit_text(hit))
                item.setData(0, HTML_ROLE, hit_html(hit))
                item.setData(0, HIT_ROLE, hit)
            heading.setExpanded(True)
        more = any(g.more for g in self.groups)
        self.status.setText(
            f"{found} {'record' if found == 1 else 'records'} found"
            + (" (the best of each kind are shown)" if more else "")
            + ". Press Down to move through them and Enter to open one."
        )

    def hit_items(self) -> list[QTreeWidgetItem]:
        """The items that are hits, in order (group headings left out)."""
        items = []
        for top in range(self.results.topLevelItemCount()):
            heading = self.results.topLevelItem(top)
            items += [heading.child(row) for row in range(heading.childCount())]
        return items

    def _update_open(self) -> None:
        item = self.results.currentItem()
        self.open_button.setEnabled(item is not None and item.data(0, HIT_ROLE) is not None)

    # -- keyboard -----------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.field and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self._step_into_results()
            return True
        if watched is self.results and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._step(1 if key == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)

    def _step_into_results(self) -> None:
        if self.timer.isActive():
            self.run_search()
        items = self.hit_items()
        if items:
            self.results.setCurrentItem(items[0])
            self.results.setFocus()

    def _step(self, by: int) -> None:
        """Move to the next or previous hit, over the group headings; up from the first
        hit goes back to the words."""
        items = self.hit_items()
        current = self.results.currentItem()
        index = items.index(current) if current in items else -1
        target = index + by
        if target < 0:
            self.field.setFocus()
            return
        if target < len(items):
            self.results.setCurrentItem(items[target])

    # -- opening ------------------------------------------------------------------------

    def _open_from_field(self) -> None:
        if self.timer.isActive():
            self.run_search()
        current = self.results.currentItem()
        items = self.hit_items()
        self.open_item(current if current in items else (items[0] if items else None))

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        """Open the hit ``item`` holds on its page, and close the dialog."""
        hit = item.data(0, HIT_ROLE) if item is not None else None
        if hit is None:
            return
        if self._results_file is not self._data_file():
            # Another file was opened since these results were found: search that one.
            self.run_search()
            return
        self.accept()
        self.chosen.emit(hit)


# -- showing a record on its page ---------------------------------------------------------


def _choose_data(combo, value: str) -> None:
    """Choose ``value`` in a combo box of school years, adding it when it is not listed."""
    if combo.findData(value) < 0:
        combo.addItem(value, value)
    combo.setCurrentIndex(combo.findData(value))


def show_record(window, hit: Hit) -> str:
    """Show ``hit`` on its page in ``window`` (chosen in the page's list where the page
    allows it); returns, and shows in the status bar, a sentence saying which record."""
    sentence = f"Showing {hit.title}" + (f" ({hit.when})" if hit.when else "") + "."
    if hit.kind in ("training", "officer"):
        window._show_training_of(hit.officer_id)
        page = window.training_page
        if hit.kind == "training":
            if page.year.findText(hit.school_year) < 0:
                page.year.addItem(hit.school_year)
            page.year.setCurrentIndex(page.year.findText(hit.school_year))
            page._show()
            for row, entry in enumerate(page.entries):
                if entry.id == hit.record_id:
                    page.table.selectRow(row)
            page.table.setFocus()
    elif hit.kind == "agreement":
        page = window.agreement_page
        window.show_page(window.pages.index(page))
        index = page.chooser.findData(hit.record_id)
        if index >= 0:
            page.chooser.setCurrentIndex(index)
            page._choose(hit.record_id)
            if hit.clause_id is not None:
                page._select_clause(hit.clause_id)
                page.clauses.setFocus()
    else:
        page = window.complaints_page if hit.kind == "complaint" else window.meetings_page
        if not window.show_page_of(page):
            sentence = f"{hit.title} ({hit.when}) is on a page this window does not have yet."
        else:
            kind = getattr(page, "kind", None)
            if kind is not None and kind.findData("") >= 0:
                kind.setCurrentIndex(kind.findData(""))  # all kinds of meeting
            _choose_data(page.year, hit.school_year)
            page._show_year(select=hit.record_id)
            tabs = getattr(page, "tabs", None)
            if tabs is not None:
                tabs.setCurrentIndex(0)  # the tab with the list
            page.table.setFocus()
    window.statusBar().showMessage(sentence, 10000)
    return sentence
