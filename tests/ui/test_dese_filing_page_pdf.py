"""The Agreement page's DESE Filing PDF… button prints the whole filing (and Save as PDF…
the agreement alone)."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.documents.dese_filing import COMPONENTS_TITLE, SOURCES_TITLE
from sro_desk.records.demo import create_demo
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui.qt import QFileDialog
from tests.documents.pdftext import flat


@pytest.fixture
def page(make_window, settle, db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    window = make_window()
    window.set_data_file(DataFile.open(db_path))
    settle(window)
    window.show_page(window.pages.index(window.agreement_page))
    return window.agreement_page


@pytest.mark.parametrize("button, whole", [("dese_button", True), ("pdf_button", False)])
def test_the_page_prints_the_filing_or_the_agreement(page, qtbot, tmp_path, monkeypatch, messages, button, whole):
    out = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    getattr(page, button).click()
    qtbot.waitUntil(lambda: not page.tasks, timeout=20000)
    assert messages.informations == [f"Saved {out}."]
    text = flat(out)
    assert (COMPONENTS_TITLE in text) is whole and (SOURCES_TITLE in text) is whole
    assert "Memorandum of understanding" in text
