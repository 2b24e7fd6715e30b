"""Law and sources: every source SRO Desk relies on, and what in SRO Desk relies on each.

One non-modal window (Help > Law and Sources): the sources on the left, grouped as law
(statutes and regulations), agency definitions, the model agreement and local choices;
the chosen one's citation, what it requires, when it took effect, how it was checked,
what was not confirmed and where it was read on the right, with the rules, obligations
and clauses that cite it. The address is shown as text to copy: nothing is fetched and
no browser opens. Every text is escaped before it is shown as rich text.
"""

from __future__ import annotations

from datetime import date

from sro_desk.errors import SroDeskError
from sro_desk.records import law_sources
from sro_desk.records.law_sources import CLAUSE, SECTIONS, Reliance, Source
from sro_desk.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    Qt,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    plain,
)

TITLE = "Law and Sources"
#: The item role holding a source's id (None on a group's heading).
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
#: What each group of sources is, shown when its heading is chosen.
GROUP_NOTES = {
    "Law": "Statutes and regulations: what the law itself requires.",
    "Agency definitions": "How a state agency defines what it counts; not law, but what its reports follow.",
    "Model agreement": "The state's model agreement: a pattern for the district and the police, not law in itself.",
    "Local choices": "What the parties chose, or SRO Desk's own default; no law requires it.",
}
#: The headings of what relies on a source (by what each is), in order.
RELIANCE_HEADINGS = {
    SECTIONS["enforcement_rules"]: "Enforcement rules",
    SECTIONS["obligations"]: "Obligations",
    SECTIONS["selection"]: "Selection rules",
    SECTIONS["training"]: "Training requirements",
    SECTIONS["enforcement_data"]: "Enforcement data",
    CLAUSE: "Clauses of the agreement",
}


def header_text(checked: str) -> str:
    """'Checked on December 8, 2026. Not legal advice: ...' (the date as given if it is
    not an ISO date)."""
    try:
        day = date.fromisoformat(checked)
        shown = f"{day:%B} {day.day}, {day.year}"
    except ValueError:
        shown = checked
    return f"Checked on {shown}. Not legal advice: have counsel confirm before relying on it."


def source_html(item: Source, relying: list[Reliance]) -> str:
    """The source and what relies on it, as rich text with every piece escaped."""
    rows = [("Kind", item.kind), ("Requires", item.requires), ("Effective", item.effective),
            ("How checked", item.how_checked), ("Not confirmed", item.unconfirmed), ("Address", item.url)]
    parts = [f"<h2>{plain(item.citation)}</h2>"]
    parts += [f"<p><b>{label}:</b> {plain(text)}</p>" for label, text in rows if text]
    parts.append("<h3>What relies on it</h3>")
    parts.append(reliance_html(relying))
    return "".join(parts)


def reliance_html(relying: list[Reliance]) -> str:
    if not relying:
        return "<p>Nothing in SRO Desk relies on it yet.</p>"
    parts = []
    kinds = [*RELIANCE_HEADINGS, *(r.what for r in relying if r.what not in RELIANCE_HEADINGS)]
    for what in dict.fromkeys(kinds):
        found = [r for r in relying if r.what == what]
        if not found:
            continue
        parts.append(f"<h4>{plain(RELIANCE_HEADINGS.get(what, what))}</h4><ul>")
        for r in found:
            note = f"<br><i>{plain(r.note)}</i>" if r.note else ""
            parts.append(f"<li>{plain(r.title)}{note}</li>")
        parts.append("</ul>")
    return "".join(parts)


class LawSourcesDialog(QDialog):
    """The sources, grouped, beside the chosen one's details and what relies on it.

    Not modal, so it stays open beside the page it explains; Esc closes it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)

        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.header.setAccessibleName("When the sources were checked")
        self.header.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)

        self.sources = QTreeWidget()
        self.sources.setHeaderHidden(True)
        self.sources.setAccessibleName("Sources")
        self.sources.setAccessibleDescription("Choose a source to see what it requires and what relies on it")
        self.sources.setUniformRowHeights(True)
        sources_label = QLabel("&Sources:")
        sources_label.setBuddy(self.sources)

        self.details = QTextBrowser()
        self.details.setAccessibleName("Source details")
        self.details.setOpenLinks(False)  # nothing here is a link; nothing is ever fetched
        self.details.setOpenExternalLinks(False)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.document().setDocumentMargin(12)
        details_label = QLabel("&Details:")
        details_label.setBuddy(self.details)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close law and sources")

        splitter = QSplitter()
        splitter.addWidget(_column(sources_label, self.sources))
        splitter.addWidget(_column(details_label, self.details))
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([420, 580])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.sources, self.details)
        QWidget.setTabOrder(self.details, self.close_button)
        self.resize(1000, 680)

        self.sources.currentItemChanged.connect(lambda item, _previous: self._show(item))
        self._fill()

    def _fill(self) -> None:
        try:
            self.header.setText(header_text(law_sources.checked_on()))
            groups = law_sources.grouped()
        except SroDeskError as exc:
            self.header.setText(exc.message)
            return
        for heading, members in groups:
            group = QTreeWidgetItem([heading])
            group.setData(0, SOURCE_ROLE, None)
            group.setToolTip(0, GROUP_NOTES.get(heading, ""))
            self.sources.addTopLevelItem(group)
            for item in members:
                row = QTreeWidgetItem([item.citation])
                row.setData(0, SOURCE_ROLE, item.id)
                row.setToolTip(0, item.requires)
                group.addChild(row)
            group.setExpanded(True)
        self.sources.resizeColumnToContents(0)
        first = self.sources.topLevelItem(0)
        if first is not None and first.childCount():
            self.sources.setCurrentItem(first.child(0))

    def source_ids(self) -> list[str]:
        """The ids of the sources listed, top to bottom."""
        found = []
        for g in range(self.sources.topLevelItemCount()):
            group = self.sources.topLevelItem(g)
            found += [group.child(i).data(0, SOURCE_ROLE) for i in range(group.childCount())]
        return found

    def shown_source(self) -> str | None:
        """The id of the source shown (None when a group's heading or nothing is chosen)."""
        item = self.sources.currentItem()
        return item.data(0, SOURCE_ROLE) if item is not None else None

    def select_source(self, source_id: str) -> bool:
        """Choose the source with this id; False if it is not listed."""
        for g in range(self.sources.topLevelItemCount()):
            group = self.sources.topLevelItem(g)
            for i in range(group.childCount()):
                if group.child(i).data(0, SOURCE_ROLE) == source_id:
                    self.sources.setCurrentItem(group.child(i))
                    self.sources.scrollToItem(group.child(i))
                    return True
        return False

    def _show(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            self.details.clear()
            return
        source_id = item.data(0, SOURCE_ROLE)
        if source_id is None:
            heading = item.text(0)
            self.details.setHtml(f"<h2>{plain(heading)}</h2><p>{plain(GROUP_NOTES.get(heading, ''))}</p>"
                                 "<p>Choose a source to see what it requires and what relies on it.</p>")
            return
        try:
            html = source_html(law_sources.source(source_id), law_sources.what_relies_on(source_id))
        except SroDeskError as exc:
            html = f"<p>{plain(exc.message)}</p>"
        self.details.setHtml(html)
        self.details.verticalScrollBar().setValue(0)


def _column(label: QLabel, widget: QWidget) -> QWidget:
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return column


_ORPHAN: LawSourcesDialog | None = None


def _dialog(parent: QWidget | None) -> LawSourcesDialog:
    """The one Law and Sources window of ``parent`` (made the first time it is asked for)."""
    global _ORPHAN
    if parent is None:
        try:
            if _ORPHAN is not None:
                _ORPHAN.isVisible()  # RuntimeError once Qt has deleted it
                return _ORPHAN
        except RuntimeError:
            pass
        _ORPHAN = LawSourcesDialog()
        return _ORPHAN
    for child in parent.children():
        if isinstance(child, LawSourcesDialog):
            return child
    return LawSourcesDialog(parent)


def show_law_sources(parent: QWidget | None, source_id: str | None = None) -> LawSourcesDialog:
    """Open (or bring forward) the Law and Sources window, at ``source_id`` if given."""
    dialog = _dialog(parent)
    dialog.show()
    if source_id:
        dialog.select_source(source_id)
    dialog.raise_()
    dialog.activateWindow()
    return dialog
