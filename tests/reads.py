"""Counting what the app asks the file: the statements a read or a page's opening issues
(sqlite3's trace), without the transaction statements around them."""

from __future__ import annotations

from collections.abc import Callable


def reads(statements: list[str]) -> list[str]:
    """The statements that ask the file something (BEGIN, COMMIT and ROLLBACK left out)."""
    return [s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def traced(data_file) -> list[str]:
    """Start recording ``data_file``'s statements; the list fills as they run."""
    statements: list[str] = []
    data_file.conn.set_trace_callback(statements.append)
    return statements


def opening(qtbot, data_file, page, then: Callable[[], object] = lambda: None) -> list[str]:
    """Every statement (transactions included) of giving ``page`` the file, showing and
    painting it, then ``then()``: what a person's first screen of the page costs. The list
    goes on recording what follows (clear it to count the next step)."""
    statements = traced(data_file)
    page.resize(1000, 760)
    page.refresh(data_file)
    page.set_editable(True)
    page.show()
    qtbot.waitExposed(page)
    page.repaint()
    then()
    return statements
