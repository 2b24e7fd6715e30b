"""Qt through one door: the pages import Qt from here, plus a few small helpers."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
)
from PySide6 import QtGui
from PySide6.QtGui import QAction, QBrush, QColor, QDesktopServices, QFont, QIcon, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QTextBrowser,
    QTabWidget,
    QSplitter,
    QSpinBox,
    QPlainTextEdit,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenuBar,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sro_desk.errors import SroDeskError
from sro_desk.logs import log_file

log = logging.getLogger(__name__)

__all__ = [
    "QAbstractItemDelegate", "QAbstractItemView", "QAction", "QDate", "QEvent", "QTextBrowser", "QTabWidget", "QSplitter", "QSpinBox", "QPlainTextEdit", "QCheckBox", "QApplication", "QComboBox", "QDialog",
    "QDialogButtonBox", "QFileDialog", "QFont", "QFormLayout", "QFrame", "QGridLayout",
    "QGroupBox", "QHBoxLayout", "QHeaderView", "QIcon", "QInputDialog", "QKeySequence", "QLabel",
    "QLineEdit", "QListWidget", "QListWidgetItem", "QMainWindow", "QMessageBox",
    "QObject", "QProgressDialog", "QPushButton", "QScrollArea", "QSize", "QSizePolicy",
    "QStackedWidget", "QTableWidget", "QTableWidgetItem", "QThread", "QTimer",
    "QVBoxLayout", "QWidget", "QWizard", "QWizardPage", "Qt", "Signal",
    "QAbstractTextDocumentLayout", "QPalette", "QStyle", "QStyleOptionViewItem", "QTextDocument",
    "error_sentence", "show_error", "error_label", "plain", "plain_sentence", "scrolling", "year_chooser",
    "QAbstractButton", "QAbstractPrintDialog", "QImage", "QMenuBar", "QPageLayout", "QPageSize",
    "QPainter", "QPdfDocument", "QPdfView", "QPointF", "QPrintDialog", "QPrinter", "QRectF",
    "QSizeF", "QTreeWidget", "QTreeWidgetItem", "QBrush", "QColor",
    "QAbstractItemModel", "QAbstractTableModel", "QModelIndex", "QPersistentModelIndex", "QTableView",
    "QDesktopServices", "QStyledItemDelegate", "QUrl",
]


def error_sentence(exc: BaseException) -> str:
    """What to tell the person about ``exc``: its sentence, or where the details are."""
    if isinstance(exc, SroDeskError):
        return exc.message
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return (
        "SRO Desk hit an unexpected problem; nothing more was changed. "
        f"Details were written to {log_file()}."
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str = "SRO Desk") -> None:
    """One sentence in a message box; a bug's traceback goes to the log, never the screen."""
    QMessageBox.warning(parent, title, plain_sentence(error_sentence(exc)))


def plain_sentence(text: str) -> str:
    """Text for a message box that guesses rich text: if it would be taken for markup
    (a name typed with < or &), escape it and make it rich text, so it shows as typed."""
    if QtGui.Qt.mightBeRichText(text):
        return "<p>" + plain(text) + "</p>"
    return text


class _ErrorLabel(QLabel):
    """An error line that makes room for itself: a dialog already on screen grows to show
    the whole sentence (a small dialog used to cut it off after its first line)."""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        if self.isVisible():
            QTimer.singleShot(0, self._make_room)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        QTimer.singleShot(0, self._make_room)

    def _make_room(self) -> None:
        try:
            window = self.window()
        except RuntimeError:  # deleted meanwhile
            return
        if not isinstance(window, QDialog) or window.layout() is None or not window.isVisible():
            return
        layout = window.layout()
        layout.activate()
        wanted = (layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if wanted > window.height():
            window.resize(window.width(), wanted)


def error_label() -> QLabel:
    """A label for a form's one-sentence error, announced to screen readers."""
    label = _ErrorLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # sentences may quote what people typed
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    label.setAccessibleName("Error")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area, so a page fits any window and scaling."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(content)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
    return scroll


def year_chooser() -> QComboBox:
    """A page's school-year chooser: named for screen readers, and as wide as its longest
    year whenever the years change (pages fill it after their first show)."""
    chooser = QComboBox()
    chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    chooser.setAccessibleName("School year")
    return chooser


def plain(text: str) -> str:
    """Escape user text for a rich-text label."""
    import html

    return html.escape(text or "")


_viewing_folder: Path | None = None


def open_in_viewer(attachment_id: int, name: str, media: str, data: bytes) -> None:
    """Open a kept document in the computer's own viewer: a clean copy, named from its
    number and its real type (never from the name it was stored under, which could end
    in ".bat"), only a PDF, PNG or JPEG, in a private folder removed when SRO Desk quits."""
    import atexit
    import shutil
    import tempfile

    from sro_desk.errors import SroDeskError
    from sro_desk.records.attachments import EXTENSIONS, printable

    global _viewing_folder
    media, clean = printable(name, media, data)
    extension = EXTENSIONS.get(media)
    if extension is None:
        raise SroDeskError(f"{name} is not a PDF or an image this computer can show; save a copy instead.")
    if _viewing_folder is None or not _viewing_folder.is_dir():
        _viewing_folder = Path(tempfile.mkdtemp(prefix="sro-desk-view-"))
        folder = _viewing_folder
        atexit.register(shutil.rmtree, folder, True)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: shutil.rmtree(folder, True))
    path = _viewing_folder / f"sro-desk-document-{int(attachment_id)}{extension}"
    try:
        path.write_bytes(clean)
    except OSError as exc:
        raise SroDeskError(f"{name} cannot be opened here ({exc.strerror or exc}); save a copy instead.") from None
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise SroDeskError(f"No program on this computer opens {name}; save a copy instead.")
