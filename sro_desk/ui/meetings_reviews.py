"""The "Meetings & Reviews" page: the meetings (with the monthly-meeting grid and action
items) and the annual review (goals, metrics, feedback, the review itself) side by side
as two tabs of one sidebar entry, as the design lays the window out."""

from __future__ import annotations

from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.meetings_page import MeetingsPage
from sro_desk.ui.qt import QTabWidget, QVBoxLayout, QWidget, Signal
from sro_desk.ui.review_page import ReviewPage


class MeetingsReviewsPage(QWidget):
    """Two pages in tabs; the window talks to it as to one page."""

    saved = Signal()
    title = "Meetings & Reviews"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meetings = MeetingsPage()
        self.review = ReviewPage()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Meetings or the annual review")
        self.tabs.addTab(self.meetings, "Meetings")
        self.tabs.addTab(self.review, "Annual Review")
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.data_file: DataFile | None = None
        self.meetings.saved.connect(self._meetings_saved)
        self.review.saved.connect(self.saved)

    @property
    def tasks(self) -> list:
        return [*self.meetings.tasks, *self.review.tasks]

    @property
    def subpages(self) -> dict[str, QWidget]:
        """The inner pages by the titles obligations name them with."""
        return {self.meetings.title: self.meetings, self.review.title: self.review}

    def show_subpage(self, title: str) -> bool:
        page = self.subpages.get(title)
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        return True

    def _meetings_saved(self) -> None:
        # The review lists the year's review meetings and counts from them: read them again.
        if self.data_file is not None:
            self.review.refresh(self.data_file)
        self.saved.emit()

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        self.data_file = data_file
        self.meetings.refresh(data_file, presence)
        self.review.refresh(data_file, presence)

    def set_editable(self, editable: bool) -> None:
        self.meetings.set_editable(editable)
        self.review.set_editable(editable)

    def has_unsaved_changes(self) -> bool:
        return self.meetings.has_unsaved_changes() or self.review.has_unsaved_changes()

    def save(self) -> bool:
        return self.meetings.save() and self.review.save()
