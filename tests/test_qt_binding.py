"""The Qt binding itself: a release that loses a reference to None on every call that
returns nothing (PySide6 6.12.0 on Python 3.11) crashes the window after a few thousand
calls, whatever SRO Desk does. pyproject.toml keeps that release out; this proves it."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_calls_that_return_nothing_keep_none_alive(qapp):
    from sro_desk.ui.qt import QLabel, QTableWidget, QTableWidgetItem, Qt

    label = QLabel()
    table = QTableWidget(2, 2)
    item = QTableWidgetItem("x")
    before = sys.getrefcount(None)
    for number in range(2000):
        label.setText(str(number))
        item.setData(Qt.ItemDataRole.UserRole, number)
        table.setRowCount(2)
    # Immortal on 3.12 and later (the count never moves); on 3.11 a leak shows as -6000.
    assert sys.getrefcount(None) - before > -100
