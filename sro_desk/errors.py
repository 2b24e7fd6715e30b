"""Errors a person is shown, as opposed to bugs.

Every ``SroDeskError`` carries one plain sentence that says what is wrong and what to
do next; the window and the command line show that sentence and nothing else. Any
other exception is a bug: it is logged with its traceback and the person is told where
the log is.
"""

from __future__ import annotations


class SroDeskError(Exception):
    """A problem the person can act on; ``str()`` is the sentence to show them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FileProblem(SroDeskError):
    """The data file cannot be opened as an SRO Desk file."""


class DamagedFile(FileProblem):
    """The file is an SRO Desk file but it is damaged; a backup may restore it."""

    def __init__(self, message: str, *, latest_backup: str | None = None) -> None:
        super().__init__(message)
        self.latest_backup = latest_backup


class FileBusy(FileProblem):
    """Another program held a lock on the file for longer than the busy timeout."""


class ReadOnlyError(SroDeskError):
    """A write was attempted on a file opened read-only."""


class ValidationError(SroDeskError):
    """The person's input is not acceptable; nothing was saved."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(SroDeskError):
    """A save started from a version that someone else has changed since."""

    def __init__(
        self,
        message: str,
        *,
        table: str,
        row_id: int,
        mine: dict,
        theirs: dict,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.row_id = row_id
        self.mine = mine
        self.theirs = theirs


#: Text-direction controls: quoted in a sentence they would turn the rest of it around.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown(text: object, limit: int = 60) -> str:
    """Typed text as a sentence names it: its first line, at most ``limit`` characters,
    with an ellipsis when anything was left out (a pasted cell may hold many lines or
    thousands of characters), without control or text-direction characters."""
    import unicodedata

    lines = str(text).strip().splitlines() or [""]
    first = "".join(c for c in lines[0].strip() if unicodedata.category(c) != "Cc" and c not in _BIDI)
    if len(lines) > 1 or len(first) > limit:
        return first[:limit].rstrip() + "\u2026"
    return first


def quoted(text: object, limit: int = 40) -> str:
    """``shown`` in single quotes, for a sentence that refuses what was typed."""
    return f"'{shown(text, limit)}'"

