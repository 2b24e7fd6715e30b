"""The guides behind F1: one per page, found like every resource, honest about the UI and
the law, and shown in one window that works from the keyboard."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from sro_desk import resources
from sro_desk.ui import help as guide
from sro_desk.ui.agreement_page import AgreementPage
from sro_desk.ui.complaints_page import ComplaintsPage
from sro_desk.ui.dashboard import DashboardPage
from sro_desk.ui.district_page import DistrictPage
from sro_desk.ui.enforcement_page import EnforcementPage
from sro_desk.ui.help import GUIDES, SUBPAGES, HelpWindow, guide_path, guide_text, install_help, show_help, slug
from sro_desk.ui.meetings_page import MeetingsPage
from sro_desk.ui.meetings_reviews import REVIEW_TAB, MeetingsReviewsPage
from sro_desk.ui.print_center import PrintCenterPage
from sro_desk.ui.qt import (
    QFont,
    QLineEdit,
    QMainWindow,
    Qt,
    QTextDocument,
    QUrl,
    QWidget,
)
from sro_desk.ui.selection_page import SelectionPage
from sro_desk.ui.training_page import TrainingPage

#: What the offscreen platform says when a window is raised or sized (show_help raises its
#: window); it says nothing about the app. (The tests that open windows carry it.)
OFFSCREEN = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$",
                                      r"^This plugin does not support raise\(\)$")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sro_desk"
#: The sidebar's pages: their guides must exist and name them.
PAGES = [DashboardPage, AgreementPage, SelectionPage, TrainingPage, ComplaintsPage, MeetingsReviewsPage,
         EnforcementPage, PrintCenterPage, DistrictPage]
TITLES = [page.title for page in PAGES]


@pytest.fixture(autouse=True)
def application(qapp):
    """Every test here reads Markdown into Qt documents, which need the application."""
    return qapp


def _read(title: str) -> str:
    return guide_path(title).read_text(encoding="utf-8")


def _document(title: str) -> QTextDocument:
    document = QTextDocument()
    document.setMarkdown(_read(title))
    return document


def _blocks(document: QTextDocument):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def _spans(document: QTextDocument) -> list[tuple[str, str, str]]:
    """(kind, text, href) of each bold, italic or linked run of the body as Qt renders it;
    headings (bold by their nature) are left out."""
    spans = []
    for block in _blocks(document):
        if block.blockFormat().headingLevel():
            continue
        found: list[list[str]] = []  # adjacent fragments of one kind make one span
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            char = fragment.charFormat()
            kind = ("link" if char.isAnchor() else "bold" if char.fontWeight() >= QFont.Weight.Bold
                    else "italic" if char.fontItalic() else "")
            href = char.anchorHref() if char.isAnchor() else ""
            if kind and found and found[-1][0] == kind and found[-1][2] == href and found[-1][3] == "open":
                found[-1][1] += fragment.text()
            elif kind:
                found.append([kind, fragment.text(), href, "open"])
            elif found:
                found[-1][3] = "closed"
            it += 1
        spans.extend((kind, text, href) for kind, text, href, _state in found)
    return spans


def _headings(document: QTextDocument) -> list[str]:
    return [block.text() for block in _blocks(document) if block.blockFormat().headingLevel()]


def _label(text: str) -> str:
    """A label as the person reads it: no mnemonic '&', no trailing '…' or ':'."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split()).rstrip(":").rstrip("…").strip()


def _literals(folder: Path) -> set[str]:
    """Every string written in the code under ``folder``, read as a label."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(_label(node.value))
    return found


# -- the guide files ------------------------------------------------------------------


def test_every_page_has_its_own_guide_naming_it():
    assert list(GUIDES) == TITLES  # in the sidebar's order, one per page
    assert len(set(GUIDES.values())) == len(GUIDES)
    for title in TITLES:
        path = guide_path(title)
        assert path.is_file(), path
        text = _read(title)
        assert text.strip(), path
        assert text.splitlines()[0] == f"# {title}", path
        headings = _headings(_document(title))
        tasks = ["Common tasks"] if "Common tasks" in headings else [
            heading for page, heading in SUBPAGES.values() if page == title]  # a page of tabs: one section each
        for section in ("The law behind it", *tasks, "When the page is empty"):
            assert section in headings, (path, section)
    for tab, (page, heading) in SUBPAGES.items():
        assert page in GUIDES and heading in _headings(_document(page)), tab
    # The tabs the window names (the dashboard's obligations) have their guide too.
    assert {MeetingsPage.title, "Review", REVIEW_TAB} <= set(SUBPAGES)


def test_guides_are_short():
    for title in TITLES:
        words = len(_read(title).split())
        assert words < 800, f"The {title} guide has {words} words; keep it to a screen or two."


def test_guides_are_found_the_way_the_bundle_finds_resources(tmp_path, monkeypatch):
    # From the checkout, through the same lookup as every other resource.
    assert guide_path("Training") == resources.resource_path("help", "training.md")
    assert guide_path("Training").parent == resources.resources_dir() / "help"
    # Inside a PyInstaller bundle, sys._MEIPASS holds resources/help.
    bundle = tmp_path / "bundle"
    shutil.copytree(ROOT / "resources" / "help", bundle / "resources" / "help")
    (bundle / "resources" / "help" / "training.md").write_text("# Training\n\nFrom the bundle.\n", encoding="utf-8")
    monkeypatch.setattr("sys._MEIPASS", str(bundle), raising=False)
    assert guide_path("Training") == bundle / "resources" / "help" / "training.md"
    assert "From the bundle." in guide_text("Training")
    # The spec bundles the whole resources folder, the guides with it.
    spec = (ROOT / "installer" / "sro_desk.spec").read_text(encoding="utf-8")
    assert re.search(r'\(str\(ROOT / "resources"\), "resources"\)', spec)


def test_a_missing_guide_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    text = guide_text("Print")
    assert text.startswith("# Print") and "missing" in text


# -- honest about the window ----------------------------------------------------------


def test_every_label_in_bold_is_in_the_ui_code():
    """Bold marks what a person clicks (a button, tab, menu or check box): each must be a
    label written in sro_desk/ui, so a renamed button fails here until its guide follows."""
    labels = _literals(PACKAGE / "ui")
    missing = []
    for title in TITLES:
        for kind, text, _href in _spans(_document(title)):
            if kind == "bold":
                parts = [_label(part) for part in text.split(" > ")]  # a menu path
                missing += [f"{title}: {part!r}" for part in parts if part not in labels]
    assert not missing


def test_every_choice_in_italics_is_in_the_code():
    """Italics mark a tab, field, list choice or document name: each must be written in
    the code, so the guides never name a choice that does not exist."""
    literals = _literals(PACKAGE)
    missing = [f"{title}: {text!r}" for title in TITLES for kind, text, _href in _spans(_document(title))
               if kind == "italic" and _label(text) not in literals]
    assert not missing


def test_guides_name_the_page_buttons_they_explain():
    # A spot check that the convention is used: each guide names some of its buttons.
    for title in TITLES:
        bold = [text for kind, text, _href in _spans(_document(title)) if kind == "bold"]
        assert len(bold) >= 3, title


# -- honest about the law -------------------------------------------------------------


#: Where each kind of citation is mentioned, and the full citation it must be part of.
CITATION = {
    r"G\.L\.": re.compile(r"G\.L\. c\. \d+[A-Z]?, §§? \d+[A-Z]?"),
    r"U\.S\.C\.": re.compile(r"\d+ U\.S\.C\. §§? \d+"),
    r"\bCFR\b": re.compile(r"\d+ CFR §§? \d+(\.\d+)?"),
    r"\bCMR\b": re.compile(r"\d+ CMR \d+\.\d+"),
    r"\bc\. \d+": re.compile(r"\bc\. \d+[A-Z]?, §§? \d+[A-Z]?"),  # a chapter never without its section
}


def test_every_law_cited_has_its_section():
    for title in TITLES:
        text = " ".join(_read(title).split())
        for mention, full in CITATION.items():
            cited = [match.span() for match in full.finditer(text)]
            for found in re.finditer(mention, text):
                assert any(start <= found.start() < end for start, end in cited), (
                    f"{title}: {text[max(0, found.start() - 10):found.end() + 30]!r} has no section number")


def test_every_guide_states_the_law_with_its_source_or_says_it_is_a_local_choice():
    for title in TITLES:
        text = _read(title)
        law = text.split("## The law behind it", 1)[1].split("\n## ", 1)[0]
        items = [" ".join(item.split()) for item in re.split(r"\n- ", law)[1:]]
        assert items, title
        for item in items:
            if item.startswith("Law"):
                assert re.search(r"G\.L\.|U\.S\.C\.|CFR|CMR", item), f"{title}: law without a source: {item[:60]}"


# -- links ----------------------------------------------------------------------------


def test_links_lead_only_to_guides_and_their_headings():
    files = {file: title for title, file in GUIDES.items()}
    for title in TITLES:
        for kind, text, href in _spans(_document(title)):
            if kind != "link":
                continue
            url = QUrl(href)
            assert url.scheme() == "", f"{title}: {href} leaves SRO Desk"
            assert url.path() in files, f"{title}: {href} is no guide"
            if url.fragment():
                headings = [slug(h) for h in _headings(_document(files[url.path()]))]
                assert url.fragment() in headings, f"{title}: {href}"


# -- the window -----------------------------------------------------------------------


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _first_heading(window: HelpWindow) -> str:
    block = window.browser.document().begin()
    assert block.blockFormat().headingLevel() == 1
    return block.text()


@OFFSCREEN
def test_show_help_opens_the_guide_of_the_page(qtbot, parent):
    window = show_help(parent, "Training")
    assert window.isVisible() and not window.isModal()
    assert window.current_title() == "Training" and _first_heading(window) == "Training"
    for title in TITLES:
        assert show_help(parent, title) is window  # one window, raised again
        assert _first_heading(window) == title
        assert window.guides.currentItem().text() == title
        assert title in window.windowTitle()
    # An unknown page gets the Dashboard's guide rather than nothing.
    show_help(parent, "No such page")
    assert window.current_title() == "Dashboard"


@OFFSCREEN
def test_a_tab_opens_its_section_of_the_page_guide(qtbot, parent):
    window = show_help(parent, "Review")
    assert window.current_title() == "Meetings & Reviews"
    browser = window.browser
    heading = next(b for b in _blocks(browser.document()) if b.text() == "The Annual Review tab")

    def heading_in_view() -> bool:
        top = browser.document().documentLayout().blockBoundingRect(heading).top()
        shown = top - browser.verticalScrollBar().value()
        return 0 <= shown < browser.viewport().height() / 2

    qtbot.waitUntil(heading_in_view)
    assert browser.verticalScrollBar().value() > 0


@OFFSCREEN
def test_choosing_a_guide_in_the_list_shows_it(qtbot, parent):
    window = show_help(parent, "Dashboard")
    window.guides.setCurrentRow(TITLES.index("Complaints"))
    assert window.current_title() == "Complaints" and _first_heading(window) == "Complaints"


@OFFSCREEN
def test_links_between_guides_work_offline(qtbot, parent):
    window = show_help(parent, "Dashboard")
    window.follow(QUrl("agreement.md"))
    assert _first_heading(window) == "Agreement"
    assert window.guides.currentItem().text() == "Agreement"
    window.follow(QUrl("meetings_reviews.md#the-annual-review-tab"))
    assert window.current_title() == "Meetings & Reviews"
    # Anything outside the guides is ignored: nothing is fetched, no browser opens.
    for url in ("https://example.org/", "mailto:someone@example.org", "nowhere.md"):
        window.follow(QUrl(url))
        assert window.current_title() == "Meetings & Reviews"
    assert not window.browser.openLinks() and not window.browser.openExternalLinks()


@OFFSCREEN
def test_the_window_is_named_selectable_and_closes_with_escape(qtbot, parent):
    window = show_help(parent, "Selection")
    flags = window.browser.textInteractionFlags()
    for flag in (Qt.TextInteractionFlag.TextSelectableByMouse, Qt.TextInteractionFlag.TextSelectableByKeyboard,
                 Qt.TextInteractionFlag.LinksAccessibleByMouse, Qt.TextInteractionFlag.LinksAccessibleByKeyboard):
        assert flags & flag
    assert window.guides.accessibleName() and window.browser.accessibleName()
    assert window.close_button.accessibleName()
    # Tab goes from the list to the guide to Close.
    assert window.guides.nextInFocusChain() is not None
    chain, widget = [], window.guides
    for _ in range(40):
        chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain.index(window.browser) < chain.index(window.close_button)
    window.browser.setFocus()
    qtbot.keyClick(window.browser, Qt.Key.Key_Escape)
    assert not window.isVisible()


@OFFSCREEN
def test_f1_opens_the_guide_of_the_page_on_screen(qtbot):
    main = QMainWindow()
    qtbot.addWidget(main)
    help_menu = main.menuBar().addMenu("&Help")
    about = help_menu.addAction("&About")
    field = QLineEdit()  # a page's widget holding the focus
    main.setCentralWidget(field)
    on_screen = ["Enforcement Data"]
    action = install_help(main, help_menu, lambda: on_screen[0])
    assert help_menu.actions()[0] is action and about in help_menu.actions()
    assert action.text() == "&Guide"
    assert "F1" in [key.toString() for key in action.shortcuts()]
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus())

    qtbot.keyClick(field, Qt.Key.Key_F1)
    window = main.findChild(HelpWindow)
    assert window is not None and window.isVisible()
    assert window.current_title() == "Enforcement Data"

    # Another page on screen: F1 shows its guide in the same window.
    on_screen[0] = "Print"
    main.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus())
    qtbot.keyClick(field, Qt.Key.Key_F1)
    assert main.findChildren(HelpWindow) == [window]
    assert window.current_title() == "Print"

    # Help > Guide does the same.
    on_screen[0] = "District"
    action.trigger()
    assert window.current_title() == "District"


@OFFSCREEN
def test_guide_title_errors_fall_back_to_the_dashboard(qtbot, caplog):
    main = QMainWindow()
    qtbot.addWidget(main)
    menu = main.menuBar().addMenu("&Help")

    def broken() -> str:
        raise RuntimeError("no page")

    action = install_help(main, menu, broken)
    action.trigger()
    assert main.findChild(HelpWindow).current_title() == "Dashboard"
    assert "could not tell which page" in caplog.text
    assert guide.DEFAULT_TITLE == "Dashboard"


@OFFSCREEN
def test_f1_works_with_the_focus_inside_a_real_page(qtbot, make_window, settle, demo_path):
    from sro_desk.store import DataFile

    window = make_window()
    window.set_data_file(DataFile.open(demo_path))
    window.show()
    settle(window)
    assert [page.title for page in window.pages] == TITLES  # every page of the window has its guide
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    # Wired into the window already, or installed here as the window would.
    if not any(a.text() == "&Guide" for a in help_menu.actions()):
        install_help(window, help_menu, lambda: window.stack.currentWidget().title)
    window.show_page(window.pages.index(window.enforcement_page))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    field = window.enforcement_page.form.when  # a field deep inside the page
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_F1)
    guide_window = window.findChild(HelpWindow)
    assert guide_window is not None and guide_window.isVisible()
    assert guide_window.current_title() == "Enforcement Data"
    guide_window.close()
