"""Every page asks the file few times to show itself: at most five SQL statements (the lazy
lists' reads of their first screen included), all in one snapshot of the file, so a file
on a network drive is locked and checked once per page rather than once per statement."""

from __future__ import annotations

import pytest

from sro_desk.records.demo import create_demo
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.main_window import MainWindow
from tests.reads import opening, reads

MOST_STATEMENTS = 5


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("reads") / "demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
    return path


@pytest.fixture
def window(qtbot):
    made = MainWindow()
    qtbot.addWidget(made)
    return made


def _open_page(qtbot, page_class, data_file: DataFile) -> list[str]:
    page = page_class()
    qtbot.addWidget(page)
    statements = opening(qtbot, data_file, page)
    data_file.conn.set_trace_callback(None)
    page.hide()
    return statements


def test_every_page_opens_in_at_most_five_statements_in_one_snapshot(qtbot, full_demo, window):
    counts = {}
    with DataFile.open(full_demo, OpenOptions(edit=True)) as data_file:
        for shown in window.pages:
            page_class = type(shown)
            _open_page(qtbot, page_class, data_file)  # imports, fonts, first reads of the model
            statements = _open_page(qtbot, page_class, data_file)
            counts[shown.title] = len(reads(statements))
            # The page's own reads come from one snapshot: begun before them, ended after.
            if statements:
                assert statements[0] == "BEGIN DEFERRED", (shown.title, statements[:3])
            assert not data_file.conn.in_transaction, shown.title
    assert set(counts) >= {"Dashboard", "Agreement", "Training", "Complaints", "Meetings & Reviews",
                           "Enforcement Data"}
    assert all(n <= MOST_STATEMENTS for n in counts.values()), counts
