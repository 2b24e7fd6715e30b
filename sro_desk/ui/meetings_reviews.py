"""The "Meetings & Reviews" page: the meetings (with the monthly-meeting grid and action
items) and the annual review (goals, metrics, feedback, the review itself) side by side
as two tabs of one sidebar entry, as the design lays the window out.

The page opens on the meetings: the annual review is built when it is first needed and
read from the file when its tab is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.meetings_page import MeetingsPage
from sro_desk.ui.page import Page
from sro_desk.ui.qt import QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from sro_desk.ui.review_page import ReviewPage

REVIEW_TAB = "Annual Review"


class MeetingsReviewsPage(Page):
    """Two pages in tabs; the window talks to it as to one page."""

    title = "Meetings & Reviews"
    #: The review counts from nearly every record of the year (arrests, complaints,
    #: training, activities, meetings); the meetings name the schools and officers.
    reads = frozenset({
        "agreement", "agreement_blank", "agreement_clause", "annual_review", "attachment", "certification", "community_feedback",
        "complaint", "district", "enforcement_action", "enrolment", "meeting", "meeting_action",
        "meeting_attendee", "meeting_school", "officer", "police_department", "program_goal",
        "review_assignment", "review_finding", "review_metric", "school", "selection_decision",
        "selection_round", "setting", "sro_activity", "training_entry", "training_topic",
    })

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meetings = MeetingsPage()
        self._review: ReviewPage | None = None
        #: Holds the review's tab until the review page is built (see ``review``).
        self._review_spot: QWidget | None = QWidget()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Meetings or the annual review")
        self.tabs.addTab(self.meetings, "Meetings")
        self.tabs.addTab(self._review_spot, REVIEW_TAB)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._presence = None
        #: The tabs to read the file again into when next shown ("meetings", "review").
        self._stale: set[str] = set()
        self.tabs.currentChanged.connect(lambda _index: self._refresh_shown())
        self.meetings.saved.connect(self._meetings_saved)

    @property
    def review(self) -> ReviewPage:
        """The annual review page, built (and its module loaded) the first time it is
        asked for."""
        if self._review is None:
            from sro_desk.ui.review_page import ReviewPage

            page = ReviewPage()
            page.set_editable(self.editable)
            page.saved.connect(self.saved)
            spot = self._review_spot
            index, current = self.tabs.indexOf(spot), self.tabs.currentIndex()
            self.tabs.blockSignals(True)  # the same tab stays shown: nothing to tell
            try:
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, page, REVIEW_TAB)
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(False)
            self._review, self._review_spot = page, None
            spot.deleteLater()
        return self._review

    @property
    def tasks(self) -> list:
        return [*self.meetings.tasks, *(self._review.tasks if self._review is not None else [])]

    @property
    def subpages(self) -> dict[str, QWidget]:
        """The inner pages by the titles obligations name them with."""
        review = self.review
        return {self.meetings.title: self.meetings, review.title: review}

    def show_subpage(self, title: str) -> bool:
        page = self.subpages.get(title)
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        return True

    def _meetings_saved(self) -> None:
        # The review lists the year's review meetings and counts from them: read them again
        # (when it is next shown).
        self._stale.add("review")
        self.saved.emit()

    def _refresh_shown(self) -> None:
        """Read the file into the tab shown if it changed since that tab last read it."""
        if self.tabs.currentWidget() is self.meetings:
            name, page = "meetings", self.meetings
        else:
            name, page = "review", self.review  # built when first shown
        if name in self._stale and self.data_file is not None:
            self._stale.discard(name)
            page.refresh(self.data_file, self._presence)

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        """Read the file into the tab shown; the other tab reads it when it is shown."""
        self.data_file, self._presence = data_file, presence
        self._stale = {"meetings", "review"}
        self._refresh_shown()

    def forget_file(self) -> None:
        super().forget_file()
        self._stale = {"meetings", "review"}
        for page in (self.meetings, self._review):
            forget = getattr(page, "forget_file", None)
            if forget is not None:
                forget()

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.meetings.set_editable(editable)
        if self._review is not None:
            self._review.set_editable(editable)

    def has_unsaved_changes(self) -> bool:
        return self.meetings.has_unsaved_changes() or (
            self._review is not None and self._review.has_unsaved_changes())

    def save(self) -> bool:
        return self.meetings.save() and (self._review is None or self._review.save())
