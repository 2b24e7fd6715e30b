"""The Print page: every catalog document, its choices, preview, print and save as PDF."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import date
from pathlib import Path

import pypdf
import pytest

from sro_desk.documents import catalog
from sro_desk.documents.catalog import Option, Printable, check_progress
from sro_desk.records.demo import create_demo
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui import print_center
from sro_desk.ui.print_center import PrintCenterPage, with_mnemonic
from sro_desk.ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPrintDialog,
    QPrinter,
    QPushButton,
    Qt,
)
from tests.ui.test_models_accessibility import mnemonic_clashes, unnamed


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """The sample district made once (it takes seconds); each test gets a copy."""
    folder = tmp_path_factory.mktemp("print-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SRO_DESK_HOME", str(folder / "home"))
        with DataFile.open(folder / "demo.db", OpenOptions(create=True)) as data_file:
            create_demo(data_file, today=date.today())
    return folder / "demo.db"


@pytest.fixture
def demo_db(demo_template, db_path):
    shutil.copyfile(demo_template, db_path)
    return db_path


def _shown_on(qtbot, path: Path):
    """The page over the file at ``path``, alone in a window the size of the real one's
    page area; its work is stopped and its files deleted at the end."""
    data_file = DataFile.open(path)
    host = QMainWindow()
    qtbot.addWidget(host)
    page = PrintCenterPage()
    host.setCentralWidget(page)
    host.resize(1200, 800)
    page.refresh(data_file)
    host.show()
    qtbot.waitExposed(host)
    yield page
    for task in list(page.tasks):
        task.abandon()  # a failed test's slow build stops here
    qtbot.waitUntil(lambda: not page.tasks, timeout=20000)
    page.discard_files()
    data_file.close()


@pytest.fixture
def page(qtbot, demo_db):
    yield from _shown_on(qtbot, demo_db)


@pytest.fixture
def bare_page(qtbot, demo_path):
    """A file holding only the district: no agreement, round or officer to choose."""
    yield from _shown_on(qtbot, demo_path)


def choose(page: PrintCenterPage, key: str) -> Printable:
    for row in range(page.documents.count()):
        if page.documents.item(row).data(Qt.ItemDataRole.UserRole) == key:
            page.documents.setCurrentRow(row)
            assert page.current_printable().key == key
            return page.current_printable()
    raise AssertionError(f"{key} is not listed")


def built(qtbot, page: PrintCenterPage) -> None:
    qtbot.waitUntil(lambda: not page.tasks and not page._busy, timeout=20000)


def press_cancel(qtbot, page: PrintCenterPage) -> None:
    """Click Cancel on the progress dialog, as a person would once it shows."""
    dialog = page.tasks[0].dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)


def pdf_pages(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


def slow_printable(calls: list) -> Printable:
    """A document whose build writes part of a file, then ticks until cancelled."""

    def prepare(data_file, values):
        def build(out, progress):
            calls.append(threading.current_thread())
            Path(out).write_bytes(b"%PDF-1.4 half a document")
            for tick in range(2000):
                check_progress(progress, tick, 2000)
                time.sleep(0.01)

        return build

    return Printable("slow", "Slow report", "Takes its time.", (), prepare, lambda v: "slow.pdf")


# -- the list and the choices ------------------------------------------------------------


def test_the_list_shows_every_catalog_document_under_headings(page):
    items = [page.documents.item(r) for r in range(page.documents.count())]
    documents = [i for i in items if i.flags() & Qt.ItemFlag.ItemIsSelectable]
    headings = [i for i in items if not i.flags() & Qt.ItemFlag.ItemIsEnabled]
    assert {i.data(Qt.ItemDataRole.UserRole) for i in documents} == {p.key for p in catalog.CATALOG}
    assert len(documents) == len(catalog.CATALOG)
    expected = list(dict.fromkeys(print_center.group_of(p) for p in catalog.CATALOG))
    assert [h.text() for h in headings] == expected and print_center.FORMS in expected
    for item in documents:
        printable = catalog.find(item.data(Qt.ItemDataRole.UserRole))
        assert item.text() == printable.title
        assert item.toolTip() == printable.description
        assert item.data(Qt.ItemDataRole.AccessibleDescriptionRole) == printable.description
    assert page.current_printable() is catalog.CATALOG[0]


def test_a_document_registered_later_appears_with_every_kind_of_option(page, monkeypatch):
    later = Printable(
        "minutes_test", "Meeting minutes (test)", "Minutes of one meeting.",
        (Option("school_year", "School year", choices=catalog.school_years),
         Option("signed", "Add signature lines", kind="flag", default=True),
         Option("title", "Heading", kind="text", default="Minutes"),
         Option("notes_text", "Notes", kind="text", help="One line each.")),
        lambda data_file, values: None, lambda v: "minutes.pdf",
        extra={"group": "Meetings and reviews"},
    )
    monkeypatch.setattr(catalog, "CATALOG", [*catalog.CATALOG, later])
    page.refresh(page.data_file)
    choose(page, "minutes_test")
    fields = page.fields
    assert isinstance(fields["school_year"], QComboBox)
    assert isinstance(fields["signed"], QCheckBox) and fields["signed"].isChecked()
    assert isinstance(fields["title"], QLineEdit) and fields["title"].text() == "Minutes"
    assert isinstance(fields["notes_text"], QPlainTextEdit)
    assert fields["notes_text"].accessibleDescription() == "One line each."
    headings = [page.documents.item(r).text() for r in range(page.documents.count())
                if not page.documents.item(r).flags() & Qt.ItemFlag.ItemIsEnabled]
    assert "Meetings and reviews" in headings
    assert page.values() == {"school_year": catalog.school_years(page.data_file)[0][1], "signed": True,
                             "title": "Minutes", "notes_text": ""}


def test_choosing_a_document_builds_its_options_from_the_file(page):
    training = choose(page, "training")
    officers = page.fields["officer_id"]
    offered = training.options[0].choices(page.data_file)
    assert [(officers.itemText(i), officers.itemData(i)) for i in range(officers.count())] == offered
    years = page.fields["school_year"]
    assert years.count() == len(catalog.school_years(page.data_file)) >= 2
    assert page.heading.text() == training.title and page.description.text() == training.description

    choose(page, "agreement")
    assert isinstance(page.fields["agreement_id"], QComboBox) and page.fields["agreement_id"].count() == 2
    assert isinstance(page.fields["dese"], QCheckBox) and not page.fields["dese"].isChecked()
    form = choose(page, "selection_input")
    rounds = page.fields["round_id"]
    assert rounds.itemData(0) is None and rounds.count() == len(form.options[2].choices(page.data_file))


def test_choices_survive_switching_documents_and_a_refresh(page):
    choose(page, "agreement")
    page.fields["agreement_id"].setCurrentIndex(1)
    page.fields["dese"].setChecked(True)
    choose(page, "complaint_form")
    page.refresh(page.data_file)
    assert page.current_printable().key == "complaint_form"
    choose(page, "agreement")
    assert page.fields["agreement_id"].currentIndex() == 1
    assert page.fields["dese"].isChecked()


# -- building ---------------------------------------------------------------------------


def test_preview_builds_off_the_gui_thread_and_shows_every_page(page, qtbot, messages):
    agreement = choose(page, "agreement")
    page.preview_button.click()
    assert page.tasks and not page.preview_button.isEnabled()  # running in the background
    built(qtbot, page)
    path = page.preview_built.path
    assert path.exists() and path.parent != Path.cwd()
    assert page.pdf.pageCount() == pdf_pages(path) > 3
    assert page.page_label.text() == f"Page 1 of {page.pdf.pageCount()}"
    assert page.preview_title.text() == agreement.title
    assert page.zoom_in_button.isEnabled()
    assert messages.warnings == [] and messages.informations == []

    page.zoom_in_button.click()
    assert page.view.zoomMode() == page.view.ZoomMode.Custom
    page.fit_button.click()
    assert page.view.zoomMode() == page.view.ZoomMode.FitToWidth

    # A second preview replaces the first; the first file is deleted.
    page.fields["dese"].setChecked(True)
    assert "choose Preview" in page.preview_title.text()
    page.preview_button.click()
    built(qtbot, page)
    assert not path.exists() and page.preview_built.path.exists()
    assert page.pdf.pageCount() == pdf_pages(page.preview_built.path)


def test_the_builder_runs_on_a_worker_thread(page, qtbot, monkeypatch):
    calls: list = []
    real = catalog.find("complaint_form")

    def prepare(data_file, values):
        builder = real.prepare(data_file, values)
        return lambda out, progress: (calls.append(threading.current_thread()), builder(out, progress))

    monkeypatch.setattr(catalog, "CATALOG", [Printable(
        "form", "Form", "A form.", real.options, prepare, real.file_name, needs_file=False)])
    page.refresh(page.data_file)
    page.preview()
    built(qtbot, page)
    assert calls and calls[0] is not threading.main_thread()
    assert page.pdf.pageCount() == pdf_pages(page.preview_built.path)


def test_a_prepare_error_shows_its_sentence_and_keeps_the_choices(bare_page, qtbot, messages):
    page = bare_page
    choose(page, "agreement")
    assert page.fields["agreement_id"].count() == 0
    page.fields["dese"].setChecked(True)
    page.preview_button.click()
    assert not page.tasks
    assert page.error.isVisible() and page.error.text() == "Choose the agreement to print."
    assert page.current_printable().key == "agreement" and page.fields["dese"].isChecked()
    assert page.preview_built is None
    assert messages.warnings == [] and messages.informations == []


def test_an_unexpected_failure_shows_a_plain_sentence_and_is_logged(page, qtbot, monkeypatch, messages, caplog):
    def prepare(data_file, values):
        def build(out, progress):
            raise KeyError("a bug")
        return build

    monkeypatch.setattr(catalog, "CATALOG", [Printable("bug", "Buggy", "Fails.", (), prepare, lambda v: "b.pdf")])
    page.refresh(page.data_file)
    page.preview()
    built(qtbot, page)
    assert page.error.isVisible() and "unexpected problem" in page.error.text()
    assert "KeyError" not in page.error.text()
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
    assert list(page._folder.glob("*")) == []
    assert messages.warnings == []


def test_cancelling_a_slow_build_leaves_no_file_and_no_message(page, qtbot, monkeypatch, messages):
    calls: list = []
    monkeypatch.setattr(catalog, "CATALOG", [*catalog.CATALOG, slow_printable(calls)])
    page.refresh(page.data_file)
    choose(page, "slow")
    page.preview_button.click()
    qtbot.waitUntil(lambda: bool(calls) and any(page._folder.glob("*.pdf")), timeout=5000)
    press_cancel(qtbot, page)
    built(qtbot, page)
    assert list(page._folder.glob("*")) == []
    assert page.status.text() == "Cancelled." and not page.error.isVisible()
    assert page.preview_built is None
    assert messages.warnings == [] and messages.informations == []
    assert page.preview_button.isEnabled()


def test_a_cancel_the_build_did_not_notice_still_drops_its_file(page, qtbot, monkeypatch):
    started = threading.Event()

    def prepare(data_file, values):
        def build(out, progress):
            started.set()
            time.sleep(0.5)  # never asks whether to stop
            Path(out).write_bytes(b"%PDF-1.4")
        return build

    monkeypatch.setattr(catalog, "CATALOG", [Printable("deaf", "Deaf", "Ignores Cancel.", (), prepare, lambda v: "d.pdf")])
    page.refresh(page.data_file)
    page.preview()
    qtbot.waitUntil(started.is_set, timeout=5000)
    page.tasks[0].dialog.canceled.emit()
    built(qtbot, page)
    assert list(page._folder.glob("*")) == [] and page.preview_built is None
    assert page.status.text() == "Cancelled."


# -- save and print -----------------------------------------------------------------------


def test_save_as_pdf_builds_straight_to_the_chosen_file(page, qtbot, monkeypatch, tmp_path):
    asked = []

    def get_save(parent, caption, start, filter_):
        asked.append(start)
        return str(tmp_path / "out" / "the log"), "PDF (*.pdf)"

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    log = choose(page, "complaint_log")
    page.save_button.click()
    built(qtbot, page)
    out = tmp_path / "out" / "the log.pdf"
    assert asked == [log.file_name(page.values())]
    assert out.exists() and pdf_pages(out) >= 1
    assert [p.name for p in out.parent.iterdir()] == ["the log.pdf"]  # no .part left behind
    assert page.status.text() == f"Saved {out}."
    assert page.preview_built is None


def test_save_as_pdf_copies_the_current_preview(page, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "agreement.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(out), "")))
    choose(page, "agreement")
    page.preview()
    built(qtbot, page)
    page.save_pdf()
    assert not page.tasks  # a copy, no second build
    assert out.read_bytes() == page.preview_built.path.read_bytes()


def test_cancelling_a_save_leaves_no_file(page, qtbot, monkeypatch, tmp_path, messages):
    calls: list = []
    out = tmp_path / "slow.pdf"
    monkeypatch.setattr(catalog, "CATALOG", [slow_printable(calls)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(out), "")))
    page.refresh(page.data_file)
    page.save_pdf()
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    press_cancel(qtbot, page)
    built(qtbot, page)
    assert list(tmp_path.glob("slow*")) == []
    assert page.status.text() == "Cancelled." and messages.warnings == []


def _print_to(path: Path, monkeypatch, pages: tuple[int, int] | None = None) -> list:
    seen = []

    def fake_exec(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        if pages:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*pages)
        seen.append((printer.docName(), printer.fullPage()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    return seen


def test_print_paints_every_page_onto_the_printer(page, qtbot, monkeypatch, tmp_path, messages):
    out = tmp_path / "printed.pdf"
    seen = _print_to(out, monkeypatch)
    form = choose(page, "complaint_form")
    page.print_button.click()  # no preview yet: built first, then printed
    built(qtbot, page)
    assert seen == [(form.title, True)]
    assert pdf_pages(out) == page.pdf.pageCount() == pdf_pages(page.preview_built.path)
    assert page.status.text().startswith(f"Sent {pdf_pages(out)} pages of {form.title}")
    assert messages.warnings == []


def test_print_honours_the_page_range(page, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "two pages.pdf"
    choose(page, "agreement")
    page.preview()
    built(qtbot, page)
    _print_to(out, monkeypatch, pages=(2, 3))
    page.print_document()
    built(qtbot, page)
    assert pdf_pages(out) == 2


def test_cancelling_a_print_stops_between_pages(page, qtbot, monkeypatch, tmp_path, messages):
    out = tmp_path / "cancelled.pdf"
    choose(page, "agreement")
    page.preview()
    built(qtbot, page)
    _print_to(out, monkeypatch)
    page.print_document()
    page.tasks[0].dialog.canceled.emit()
    built(qtbot, page)
    assert page.status.text() == "Printing cancelled." and not out.exists()
    assert not page.error.isVisible() and messages.warnings == []
    assert page.preview_built.path.exists()  # the preview stays


def test_a_refused_print_dialog_prints_nothing(page, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    choose(page, "complaint_form")
    page.preview()
    built(qtbot, page)
    page.print_document()
    assert not page.tasks and page.status.text().endswith("pages.")


# -- refresh and clean-up -----------------------------------------------------------------


def test_a_refresh_marks_the_preview_stale_and_another_file_clears_it(page, qtbot, tmp_path, make_demo_file):
    choose(page, "complaint_form")
    page.preview()
    built(qtbot, page)
    first = page.preview_built.path
    page.refresh(page.data_file)
    assert "file has changed" in page.preview_title.text() and first.exists()
    original, other = page.data_file, DataFile.open(make_demo_file(tmp_path / "other.db"))
    try:
        page.refresh(other)
        assert page.preview_built is None and page.pdf.pageCount() == 0
        assert not first.exists()
        assert page.current_printable().key == "complaint_form"
    finally:
        page.refresh(original)
        other.close()


def test_discard_files_removes_the_temporary_folder(page, qtbot):
    page.preview()
    built(qtbot, page)
    folder = page._folder
    assert folder.exists()
    page.discard_files()
    assert not folder.exists() and page.pdf.pageCount() == 0


# -- keyboard and names ---------------------------------------------------------------------


def test_every_control_is_named_for_every_document(page):
    for printable in catalog.CATALOG:
        choose(page, printable.key)
        assert unnamed(page) == [], printable.key
        for control in page.fields.values():
            assert control.accessibleName(), printable.key
    for widget in (page.documents, page.view, page.page_label, page.status, page.error):
        assert widget.accessibleName()


def test_tab_walks_the_list_the_options_the_buttons_and_the_preview(page, qtbot):
    choose(page, "agreement")
    page.preview()
    built(qtbot, page)
    page.window().activateWindow()
    qtbot.waitUntil(page.window().isActiveWindow)
    page.documents.setFocus()
    chain = []
    for _ in range(10):
        widget = QApplication.focusWidget()
        chain.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert chain == [
        page.documents, page.fields["agreement_id"], page.fields["dese"], page.preview_button,
        page.print_button, page.save_button, page.zoom_out_button, page.zoom_in_button,
        page.fit_button, page.view,
    ]


def test_alt_v_previews(page, qtbot):
    choose(page, "complaint_form")
    page.window().activateWindow()
    qtbot.waitUntil(page.window().isActiveWindow)
    page.documents.setFocus()
    qtbot.keyClick(page.documents, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(250)  # a mnemonic click is animated
    built(qtbot, page)
    assert page.preview_built is not None


def test_mnemonics_are_distinct_in_the_main_window_for_every_document(make_window, settle, demo_db):
    window = make_window()
    page = PrintCenterPage()
    window.stack.addWidget(page)  # as the window will hold it
    window.set_data_file(DataFile.open(demo_db))
    settle(window)
    page.refresh(window.data_file)
    window.show()
    window.stack.setCurrentWidget(page)
    for printable in catalog.CATALOG:
        choose(page, printable.key)
        assert mnemonic_clashes(window) == {}, printable.key
    page.discard_files()


def test_with_mnemonic_prefers_a_free_word_initial():
    taken = {"a", "d"}
    assert with_mnemonic("Add the DESE filing cover", taken) == "Add &the DESE filing cover"
    assert with_mnemonic("R&D budget", {"r"}) == "R&&&D budget"
    assert with_mnemonic("xx", {"x"}) == "xx"


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_the_whole_list_of_documents_shows_at_laptop_sizes(qtbot, make_window, settle, demo_db, size):
    """The list showed four or five rows, the packet (last) hidden below them."""
    window = make_window()
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.set_data_file(DataFile.open(demo_db))
    settle(window)
    window.show_page(window.pages.index(window.print_page))
    qtbot.wait(100)
    documents = window.print_page.documents
    last = documents.item(documents.count() - 1)
    assert "packet" in last.data(Qt.ItemDataRole.UserRole)
    assert documents.visualItemRect(last).bottom() <= documents.viewport().height()
    # ...and the chosen document's options keep room below it.
    assert window.print_page.left_splitter.sizes()[1] >= 150
