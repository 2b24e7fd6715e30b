"""Help a person can use without a manual: a short guide per page, shipped with the app.

The guides are Markdown files in ``resources/help/`` (found like every other resource,
from a checkout or inside the bundle), shown in one non-modal window by F1 or
Help > Guide. Links between guides are plain relative links (``training.md``, with an
optional ``#heading``) followed here, so nothing is ever fetched and no browser opens.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from sro_desk import APP_NAME
from sro_desk.resources import resource_path
from sro_desk.ui.qt import (
    QAction,
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QLabel,
    QListWidget,
    QSplitter,
    Qt,
    QTextBrowser,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

#: The folder of ``resources/`` holding the guides.
GUIDE_FOLDER = "help"
#: Each page's guide, by the page's title, in the sidebar's order.
GUIDES: dict[str, str] = {
    "Dashboard": "dashboard.md",
    "Agreement": "agreement.md",
    "Selection": "selection.md",
    "Training": "training.md",
    "Complaints": "complaints.md",
    "Meetings & Reviews": "meetings_reviews.md",
    "Enforcement Data": "enforcement.md",
    "Print": "print.md",
    "District": "district.md",
}
#: Tabs of a page that the window may name instead of the page (the dashboard's
#: obligations say "Meetings" and "Review"): the page whose guide covers the tab, and
#: the heading in that guide to open at.
SUBPAGES: dict[str, tuple[str, str]] = {
    "Meetings": ("Meetings & Reviews", "The Meetings tab"),
    "Review": ("Meetings & Reviews", "The Annual Review tab"),
    "Annual Review": ("Meetings & Reviews", "The Annual Review tab"),
}
#: The guide shown when the page on screen has none (no file open, say).
DEFAULT_TITLE = "Dashboard"


def guide_path(title: str) -> Path:
    """The guide file of the page called ``title`` (or of the page holding that tab)."""
    page, _heading = resolve(title)
    return resource_path(GUIDE_FOLDER, GUIDES[page])


def resolve(title: str) -> tuple[str, str]:
    """The page whose guide covers ``title`` and the heading to open at ('' for the top);
    an unknown title gets the default guide."""
    title = (title or "").strip()
    if title in GUIDES:
        return title, ""
    if title in SUBPAGES:
        return SUBPAGES[title]
    return DEFAULT_TITLE, ""


def guide_text(title: str) -> str:
    """The Markdown of a page's guide; if its file is missing, a sentence saying so."""
    path = guide_path(title)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        page, _heading = resolve(title)
        return (f"# {page}\n\nThe guide for this page is missing: {path} could not be read. "
                "Reinstall SRO Desk to put it back.\n")


def slug(text: str) -> str:
    """A heading as a link names it: 'The Annual Review tab' -> 'the-annual-review-tab'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class HelpWindow(QDialog):
    """The guides: a list of pages on the left, the chosen page's guide on the right.

    Not modal, so the guide stays open beside the page it explains; Esc closes it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setWindowTitle(f"{APP_NAME} Guide")
        self.setAccessibleName(f"{APP_NAME} Guide")
        self._title = ""

        self.guides = QListWidget()
        self.guides.setAccessibleName("Pages")
        self.guides.setAccessibleDescription("Choose a page to read its guide")
        self.guides.addItems(list(GUIDES))
        self.guides.setMaximumWidth(self.guides.sizeHintForColumn(0) + 40)
        guides_label = QLabel("&Pages:")
        guides_label.setBuddy(self.guides)

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Guide")
        self.browser.setOpenLinks(False)  # links are followed here, between guides only
        self.browser.setOpenExternalLinks(False)
        # Links by Tab and Enter, and text selectable (and readable line by line) from the keyboard too.
        self.browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.browser.document().setDocumentMargin(12)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close the guide")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(guides_label)
        left_layout.addWidget(self.guides, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.guides, self.browser)
        QWidget.setTabOrder(self.browser, self.close_button)
        self.resize(960, 680)

        self.guides.currentTextChanged.connect(self._chosen)
        self.browser.anchorClicked.connect(self.follow)

    def current_title(self) -> str:
        """The title of the page whose guide is shown."""
        return self._title

    def show_guide(self, title: str) -> None:
        """Show the guide of the page (or tab) called ``title``, at its heading if a tab's."""
        page, heading = resolve(title)
        self._show(page)
        self._scroll_to(slug(heading))

    def _chosen(self, title: str) -> None:
        if title and title != self._title:
            self._show(title)

    def _show(self, page: str) -> None:
        if page != self._title:
            self._title = page
            self.browser.setMarkdown(guide_text(page))
            self.browser.verticalScrollBar().setValue(0)
        self.setWindowTitle(f"{APP_NAME} Guide: {page}")
        row = list(GUIDES).index(page)
        if self.guides.currentRow() != row:
            self.guides.blockSignals(True)
            self.guides.setCurrentRow(row)
            self.guides.blockSignals(False)

    def follow(self, url: QUrl) -> None:
        """Follow a link to another guide (or a heading of one); any other link is ignored,
        since the guides work offline and open nothing outside SRO Desk."""
        if url.scheme() not in ("", "file"):
            return
        name = Path(url.path()).name
        pages = {file: page for page, file in GUIDES.items()}
        if name:
            if name not in pages:
                return
            self._show(pages[name])
        self._scroll_to(url.fragment())

    def _scroll_to(self, fragment: str) -> None:
        """Bring the heading whose slug is ``fragment`` to the top ('' scrolls to the top),
        now and again once the window has its size (the text wraps to the window)."""
        self._scroll_now(fragment)
        if fragment:
            QTimer.singleShot(0, self, lambda: self._scroll_now(fragment))

    def _scroll_now(self, fragment: str) -> None:
        bar = self.browser.verticalScrollBar()
        if not fragment:
            bar.setValue(0)
            return
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and slug(block.text()) == fragment:
                top = document.documentLayout().blockBoundingRect(block).top()
                bar.setValue(int(top))
                return
            block = block.next()


def _help_window(parent: QWidget | None) -> HelpWindow:
    """The one guide window of ``parent`` (made the first time it is asked for)."""
    global _ORPHAN
    if parent is None:
        if _ORPHAN is None:
            _ORPHAN = HelpWindow()
        return _ORPHAN
    for child in parent.children():
        if isinstance(child, HelpWindow):
            return child
    return HelpWindow(parent)


_ORPHAN: HelpWindow | None = None


def show_help(parent: QWidget | None, page_title: str) -> HelpWindow:
    """Open (or bring forward) the guide window showing the guide of ``page_title``."""
    window = _help_window(parent)
    window.show()
    window.show_guide(page_title)
    window.raise_()
    window.activateWindow()
    return window


def install_help(window: QWidget, help_menu, current_title: Callable[[], str]) -> QAction:
    """Add Help > Guide (F1) to ``help_menu``, opening the guide of the page on screen.

    The action is also added to ``window`` itself, so F1 works wherever the focus is in
    the window, inside any page's widget."""
    action = QAction("&Guide", window)
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)
    f1 = QKeySequence(Qt.Key.Key_F1)
    if f1 not in keys:
        keys.insert(0, f1)  # (macOS binds help to Cmd+? only)
    action.setShortcuts(keys)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setStatusTip("Open the guide to the page on screen")
    action.setToolTip("What this page is for, the law behind it and how to do the common tasks (F1)")

    def open_guide() -> None:
        try:
            title = current_title() or DEFAULT_TITLE
        except Exception:  # a bug in the caller: logged, and a guide is still shown
            log.exception("could not tell which page is on screen")
            title = DEFAULT_TITLE
        show_help(window, title)

    action.triggered.connect(open_guide)
    existing = help_menu.actions()
    if existing:
        help_menu.insertAction(existing[0], action)
        help_menu.insertSeparator(existing[0])
    else:
        help_menu.addAction(action)
    window.addAction(action)
    return action
