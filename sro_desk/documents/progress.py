"""Progress and Cancel for long builds, without the PDF machinery (the window imports
this at start-up; reportlab loads only when something is printed)."""

from __future__ import annotations

from collections.abc import Callable

from sro_desk.errors import SroDeskError

#: progress(done, total) -> False once the person has asked to cancel.
Progress = Callable[[int, int], bool]


class Cancelled(SroDeskError):
    """The person cancelled a long build; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Printing was cancelled; nothing was saved.")


def check_progress(progress: Progress, done: int, total: int) -> None:
    """Report progress; raise Cancelled when the person has asked to stop."""
    if not progress(done, total):
        raise Cancelled()
