"""Law and Sources: every source listed, grouped, with what relies on it; from the keyboard,
with nothing fetched and every text escaped."""

from __future__ import annotations

import pytest

from sro_desk.records import law_sources
from sro_desk.records.law_sources import Reliance, Source
from sro_desk.ui.law_view import LawSourcesDialog, header_text, show_law_sources, source_html
from sro_desk.ui.qt import QMainWindow, Qt, QTextDocument
from tests.ui.test_models_accessibility import mnemonic_clashes

#: What the offscreen platform says when a window is raised or sized; nothing about the app.
OFFSCREEN = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$",
                                      r"^This plugin does not support raise\(\)$")


@pytest.fixture
def dialog(qtbot):
    shown = LawSourcesDialog()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_it_lists_every_source_under_its_group(dialog):
    assert sorted(dialog.source_ids()) == sorted(s.id for s in law_sources.all_sources())
    headings = [dialog.sources.topLevelItem(i).text(0) for i in range(dialog.sources.topLevelItemCount())]
    assert headings == ["Law", "Agency definitions", "Model agreement", "Local choices"]
    law = dialog.sources.topLevelItem(0)
    assert all(law_sources.is_law(law_sources.source(law.child(i).data(0, Qt.ItemDataRole.UserRole + 1)))
               for i in range(law.childCount()))


def test_the_header_gives_the_date_checked_and_says_it_is_not_legal_advice(dialog):
    assert dialog.header.text() == header_text(law_sources.checked_on())
    assert dialog.header.text().startswith("Checked on December 8, 2026.")
    assert "Not legal advice: have counsel confirm before relying on it." in dialog.header.text()


def test_choosing_a_statute_shows_what_it_requires_and_the_rule_relying_on_it(dialog):
    assert dialog.select_source("c272-40")
    assert dialog.shown_source() == "c272-40"
    text = dialog.details.toPlainText()
    source = law_sources.source("c272-40")
    for part in (source.citation, source.requires, source.effective, source.how_checked, source.unconfirmed,
                 source.url):
        assert part in text
    assert "Enforcement rules" in text
    assert "Enforcement at school for disturbing an assembly or disorderly conduct" in text


def test_the_address_is_text_not_a_link(dialog):
    dialog.select_source("c272-40")
    assert "<a " not in dialog.details.toHtml()
    assert not dialog.details.openExternalLinks() and not dialog.details.openLinks()


def test_a_source_nothing_relies_on_says_so(dialog, monkeypatch):
    monkeypatch.setattr(law_sources, "what_relies_on", lambda source_id: [])
    dialog.select_source("cmr555-1")
    assert "Nothing in SRO Desk relies on it yet." in dialog.details.toPlainText()


def test_choosing_a_group_explains_it(dialog):
    dialog.sources.setCurrentItem(dialog.sources.topLevelItem(2))
    assert dialog.shown_source() is None
    assert "not law in itself" in dialog.details.toPlainText()


def test_text_is_escaped():
    item = Source("x", "<b>c. 1</b>", "statute", "A & B <i>.", "2020", "text read", "https://e.org/?a=1&b=<2>")
    html = source_html(item, [Reliance("Clause", "k", "<script>Title</script>", "a <note>")])
    document = QTextDocument()
    document.setHtml(html)
    text = document.toPlainText()
    for typed in ("<b>c. 1</b>", "A & B <i>.", "https://e.org/?a=1&b=<2>", "<script>Title</script>", "a <note>"):
        assert typed in text


def test_keyboard_names_and_escape(qtbot, dialog):
    assert dialog.sources.accessibleName() and dialog.details.accessibleName()
    assert dialog.close_button.accessibleName()
    assert not mnemonic_clashes(dialog)
    for widget in (dialog.sources, dialog.details, dialog.close_button):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert dialog.details.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert dialog.header.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert not dialog.isModal()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


@OFFSCREEN
def test_show_law_sources_opens_one_window_and_brings_it_back(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    first = show_law_sources(window)
    assert first.isVisible() and first.shown_source() is not None
    first.close()
    again = show_law_sources(window, "cmr555-10")
    assert again is first and again.isVisible() and again.shown_source() == "cmr555-10"
    assert "A conditional SRO certification's training to finish by its deadline" in again.details.toPlainText()
    again.close()
