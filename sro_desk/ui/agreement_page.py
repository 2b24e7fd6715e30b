"""Agreement page: draft the MOU and operating procedures, check, sign, file and print."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sro_desk.errors import ConflictError, SroDeskError
from sro_desk.records import agreements, library_updates
from sro_desk.records.agreements import Agreement, Clause
from sro_desk.records.settings import current_school_year
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.agreement_panels import (
    BlanksPanel,
    ChecklistPanel,
    CompareDialog,
    CostsPanel,
    LibraryUpdatesDialog,
    NewAgreementDialog,
    SigningDialog,
)
from sro_desk.ui.agreement_preview import preview_html
from sro_desk.ui.qt import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QTextBrowser,
    QTimer,
    QVBoxLayout,
    QWidget,
    error_label,
    error_sentence,
    plain,
)
from sro_desk.ui.page import Page
from sro_desk.ui.work import BackgroundTask, run_task

_CLAUSE_ROLE = Qt.ItemDataRole.UserRole


class AgreementPage(Page):
    """One agreement at a time: clauses, blanks, checklist, preview and its lifecycle."""

    title = "Agreement"
    reads = frozenset({
        "agreement", "agreement_attachment", "agreement_blank", "agreement_clause", "agreement_cost",
        "agreement_signature", "attachment", "district", "police_department", "school", "setting", "seal",
    })

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agreement: Agreement | None = None
        self.clause: Clause | None = None
        #: what the newest clause library edition would change in the draft shown
        self.pending_updates: list[library_updates.LibraryUpdate] = []
        self._clause_dirty = False
        self.tasks: list[BackgroundTask] = []
        #: The agreement whose blanks the Blanks tab is still to show: its fields are made
        #: when the tab is first shown, not every time an agreement is.
        self._blanks_pending: Agreement | None = None

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top_bar())
        layout.addLayout(self._build_lifecycle())
        layout.addWidget(self.error)  # the page's own line (the clause editor has its own)
        layout.addWidget(self._build_workspace(), 1)
        layout.addWidget(self._build_empty_note(), 1)

        #: The preview follows the typing once it pauses, not at every key.
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(400)

        self._connect_signals()
        self._show(None)

    # -- building the page ------------------------------------------------------------

    def _build_top_bar(self) -> QHBoxLayout:
        """Which agreement, and what to do with it."""
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Agreement")
        self.chooser.setMinimumContentsLength(16)  # (the whole title is in its list; 30 kept the
        # window wider than a 1280x800 screen at 125%)
        chooser_label = QLabel("&Agreement:")
        chooser_label.setBuddy(self.chooser)
        self.new_button = QPushButton("&New…")
        self.new_button.setAccessibleName("New agreement")
        self.import_button = QPushButton("&Import…")
        self.import_button.setAccessibleName("Import an agreement document")
        self.compare_button = QPushButton("Com&pare…")
        self.compare_button.setAccessibleName("Compare with another agreement")
        self.pdf_button = QPushButton("Sa&ve as PDF…")
        self.pdf_button.setAccessibleName("Save the agreement as PDF")
        self.dese_button = QPushButton("D&ESE Filing PDF…")
        self.dese_button.setAccessibleName("Save the yearly DESE filing as PDF")
        top = QHBoxLayout()
        top.addWidget(chooser_label)
        top.addWidget(self.chooser, 1)
        for button in (self.new_button, self.import_button, self.compare_button, self.pdf_button, self.dese_button):
            top.addWidget(button)
        return top

    def _build_lifecycle(self) -> QHBoxLayout:
        """The agreement's status, and the step it can take next (ready, signed, filed…)."""
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Agreement status")
        self.updates_button = QPushButton("Library Up&dates…")
        self.updates_button.setToolTip(
            "What the current clause library says differently from this draft, with the "
            "library's text beside the draft's, to take clause by clause."
        )
        self.ready_button = QPushButton("Mark &Ready for Signature")
        self.draft_button = QPushButton("&Back to Draft")
        self.sign_button = QPushButton("Record &Signing…")
        self.file_button = QPushButton("Record Filing &with DESE…")
        self.redraft_button = QPushButton("Start a New Draft from This")
        self.scan_button = QPushButton("Replace Signed &Copy…")
        lifecycle = QHBoxLayout()
        lifecycle.addWidget(self.status, 1)
        for button in (self.updates_button, self.ready_button, self.draft_button, self.sign_button,
                       self.file_button, self.scan_button, self.redraft_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            lifecycle.addWidget(button)
        return lifecycle

    def _build_workspace(self) -> QSplitter:
        """Clauses on the left, the clause editor in the middle, preview and panels on the right."""
        self.splitter = QSplitter()
        self.splitter.addWidget(self._build_clause_list())
        self.splitter.addWidget(self._build_clause_editor())
        self.splitter.addWidget(self._build_side_tabs())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([260, 420, 420])
        self.splitter.setChildrenCollapsible(False)
        return self.splitter

    def _build_clause_list(self) -> QListWidget:
        """The agreement's clauses under their parts' headings, each ticked to include it."""
        self.clauses = QListWidget()
        self.clauses.setAccessibleName("Clauses (tick to include)")
        # Long headings wrap instead of running off under a sideways scroll bar.
        self.clauses.setWordWrap(True)
        self.clauses.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return self.clauses

    def _build_clause_editor(self) -> QWidget:
        """The chosen clause's heading and text, what it is, and its own error line."""
        self.clause_title = QLineEdit()
        self.clause_title.setAccessibleName("Clause heading")
        self.clause_text = QPlainTextEdit()
        self.clause_text.setAccessibleName("Clause text")
        self.clause_text.setTabChangesFocus(True)
        self.clause_info = QLabel()
        self.clause_info.setWordWrap(True)
        self.clause_info.setTextFormat(Qt.TextFormat.RichText)
        self.included = QCheckBox("In&clude this clause")
        self.save_clause_button = QPushButton("Save Cla&use")
        self.save_clause_button.setAccessibleName("Save clause")
        self.revert_clause_button = QPushButton("Use &Library Text")
        self.revert_clause_button.setAccessibleName("Put back the clause library text")
        self.diff_button = QPushButton("Sh&ow Changes")
        self.diff_button.setAccessibleName("Show changes from the library text")
        self.clause_error = error_label()
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        heading_label = QLabel("Clause &title:")
        heading_label.setBuddy(self.clause_title)
        text_label = QLabel(
            "Te&xt ({{blank}} fills a blank, **words** prints bold, [[note]] is a drafting note never printed):"
        )
        text_label.setWordWrap(True)
        text_label.setBuddy(self.clause_text)
        editor_layout.addWidget(heading_label)
        editor_layout.addWidget(self.clause_title)
        editor_layout.addWidget(text_label)
        editor_layout.addWidget(self.clause_text, 1)
        editor_layout.addWidget(self.clause_info)
        editor_layout.addWidget(self.included)
        editor_layout.addWidget(self.clause_error)
        clause_buttons = QHBoxLayout()
        clause_buttons.addWidget(self.diff_button)
        clause_buttons.addWidget(self.revert_clause_button)
        clause_buttons.addStretch(1)
        clause_buttons.addWidget(self.save_clause_button)
        editor_layout.addLayout(clause_buttons)
        return editor

    def _build_side_tabs(self) -> QTabWidget:
        """Preview, blanks, checklist and costs, one tab each."""
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview of the agreement")
        self.blanks = BlanksPanel()
        self.checklist = ChecklistPanel()
        self.costs = CostsPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, "Preview")
        self.tabs.addTab(self.blanks, "Blanks")
        self.tabs.addTab(self.checklist, "Checklist")
        self.tabs.addTab(self.costs, "Costs")
        return self.tabs

    def _build_empty_note(self) -> QLabel:
        """What the page says in place of the workspace while the file has no agreement."""
        self.empty = QLabel(
            "No agreement yet. Choose New… to draft this year's agreement from the clause "
            "library, or Import… to bring in your own document."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return self.empty

    def _connect_signals(self) -> None:
        self.chooser.activated.connect(lambda _i: self._choose(self.chooser.currentData()))
        self.new_button.clicked.connect(self.new_agreement)
        self.import_button.clicked.connect(self.import_agreement)
        self.compare_button.clicked.connect(self.compare)
        self.pdf_button.clicked.connect(lambda: self.save_pdf(submission=False))
        self.dese_button.clicked.connect(lambda: self.save_pdf(submission=True))
        self.updates_button.clicked.connect(self.show_library_updates)
        self.ready_button.clicked.connect(self.mark_ready)
        self.draft_button.clicked.connect(lambda: self._act(agreements.back_to_draft))
        self.sign_button.clicked.connect(self.record_signing)
        self.file_button.clicked.connect(self.record_filing)
        self.scan_button.clicked.connect(self.replace_signed_copy)
        self.redraft_button.clicked.connect(self.redraft)
        self.clauses.currentItemChanged.connect(self._clause_selected)
        self.clauses.itemChanged.connect(self._clause_ticked)
        self.clause_text.textChanged.connect(self._clause_edited)
        self.clause_title.textEdited.connect(self._clause_edited)
        self.save_clause_button.clicked.connect(self.save_clause)
        self.revert_clause_button.clicked.connect(self.revert_clause)
        self.diff_button.clicked.connect(self.show_diff)
        self.included.toggled.connect(self._included_toggled)
        self.tabs.currentChanged.connect(lambda _index: self._load_blanks_if_shown())
        self.blanks.save_button.clicked.connect(self.save_blanks)
        self.costs.save_button.clicked.connect(self.save_costs)
        self.preview_timer.timeout.connect(self._update_preview)

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        self.data_file = data_file
        if self.has_unsaved_changes():
            return
        current = self.agreement.id if self.agreement else None
        self._fill_chooser(current)

    def has_unsaved_changes(self) -> bool:
        return self._clause_dirty or bool(self.blanks.dirty) or self.costs.dirty

    def forget_file(self) -> None:
        """Another file is opened: drop this one's agreement, clause and typing, so the
        editor can never show (or save) a clause of the file before."""
        self.preview_timer.stop()  # a preview of the other file's typing is not wanted
        self._clause_dirty = False
        self.blanks.dirty = set()
        self.costs.dirty = False
        self.clause = None
        self.agreement = None
        self.clause_title.clear()
        self.clause_text.blockSignals(True)
        self.clause_text.clear()
        self.clause_text.blockSignals(False)
        self.clause_error.hide()
        self.chooser.clear()
        self._show(None)
        super().forget_file()

    def save(self) -> bool:
        ok = True
        if self._clause_dirty:
            ok = self.save_clause() and ok
        if self.blanks.dirty:
            ok = self.save_blanks() and ok
        if self.costs.dirty:
            ok = self.save_costs() and ok
        return ok

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._apply_clause_flags()
        self._update_controls()

    def _apply_clause_flags(self) -> None:
        """Clause ticks can be changed only in an editable draft."""
        can_tick = bool(self.agreement) and self.agreement.status == "draft" and self.editable
        self.clauses.blockSignals(True)
        for row in range(self.clauses.count()):
            item = self.clauses.item(row)
            if item.data(_CLAUSE_ROLE) is None:
                continue
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if can_tick:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
        self.clauses.blockSignals(False)

    # -- choosing ---------------------------------------------------------------------

    def _fill_chooser(self, select: int | None) -> None:
        assert self.data_file is not None
        with self.data_file.reading():  # one snapshot: its reads asked together
            self.data_file.prefetch(agreements.page_reads(self.data_file))
            found = agreements.list_agreements(self.data_file)
            this_year = current_school_year(self.data_file)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for row in found:
            label = agreements.STATUSES.get(row["status"], row["status"])
            self.chooser.addItem(f"{row['school_year']} · {label} · {row['title']}", row["id"])
        self.chooser.blockSignals(False)
        ids = [row["id"] for row in found]
        if select not in ids:
            preferred = [r["id"] for r in found if r["school_year"] == this_year]
            select = preferred[0] if preferred else (ids[0] if ids else None)
        if select is not None:
            self.chooser.setCurrentIndex(ids.index(select))
        self._choose(select)

    def _choose(self, agreement_id: int | None) -> None:
        if self.has_unsaved_changes() and self.agreement and agreement_id != self.agreement.id:
            if not self._ask_to_save():
                self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.agreement.id)))
                return
        if agreement_id is None or self.data_file is None:
            self._show(None)
            return
        with self.data_file.reading():  # one snapshot: its reads asked together
            self.data_file.prefetch(agreements.agreement_reads(self.data_file, agreement_id))
            self._show(agreements.load_agreement(self.data_file, agreement_id))

    def _ask_to_save(self) -> bool:
        answer = QMessageBox.question(
            self,
            "SRO Desk",
            "Save your changes to this agreement first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._clause_dirty = False
            self.blanks.dirty = set()
            self.costs.dirty = False
            return True
        return False

    def _reload(self) -> None:
        if self.data_file is not None and self.agreement is not None:
            self._clause_dirty = False
            self.blanks.dirty = set()
            self._fill_chooser(self.agreement.id)
            self.saved.emit()

    def _show(self, agreement: Agreement | None) -> None:
        self.agreement = agreement
        self.pending_updates = (
            library_updates.behind_current_edition(agreement)
            if agreement is not None and agreement.status == "draft" else []
        )
        self.splitter.setVisible(agreement is not None)
        self.empty.setVisible(agreement is None)
        self.error.hide()
        if agreement is None:
            self.clause = None
            self.clauses.clear()
            self.status.setText("")
            self.preview.clear()
            self._blanks_pending = None
            for panel in (self.blanks, self.checklist, self.costs):
                panel.clear()
            self._update_controls()
            return
        keep = self.clause.id if self.clause else None
        self.clauses.blockSignals(True)
        self.clauses.clear()
        part = None
        select_row = 0
        for clause in agreement.clauses:
            if clause.part != part:
                part = clause.part
                header = QListWidgetItem(agreements.PARTS[part].upper())
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                self.clauses.addItem(header)
            marks = (" (changed)" if clause.changed else "") + (" ★" if clause.statutory else "")
            item = QListWidgetItem(f"{clause.title}{marks}")
            item.setData(_CLAUSE_ROLE, clause.id)
            item.setCheckState(Qt.CheckState.Checked if clause.included else Qt.CheckState.Unchecked)
            item.setToolTip(clause.title + ("\nRequired by law: printed in bold" if clause.statutory else ""))
            self.clauses.addItem(item)
            if clause.id == keep or (keep is None and select_row == 0):
                select_row = self.clauses.count() - 1
        self.clauses.blockSignals(False)
        self._apply_clause_flags()
        self.clauses.setCurrentRow(select_row)
        self._clause_selected(self.clauses.currentItem(), None)
        self.blanks.dirty = set()  # (as loading them does; the typing was saved or discarded)
        self._blanks_pending = agreement
        self._load_blanks_if_shown()
        self.checklist.load(agreement)
        self.costs.load(agreement)
        missing = len(agreements.problems(agreement))
        origin = {
            "library": f"from clause library {agreement.library_version}",
            "previous": "copied from an earlier agreement",
            "import": "imported from a document",
        }.get(agreement.source, agreement.source)
        dates = ""
        if agreement.signed_on:
            dates += f" · signed {agreement.signed_on}"
        if agreement.filed_on:
            dates += f" · filed with DESE {agreement.filed_on}"
        if agreement.attachment_name:
            dates += f" · signed copy: {plain(agreement.attachment_name)}"
        updates = (
            f" · {len(self.pending_updates)} update(s) in clause library "
            f"{self.pending_updates[0].edition} (see Library Updates)" if self.pending_updates else ""
        )
        self.status.setText(
            f"<b>{plain(agreement.status_label)}</b> · {plain(origin)}{dates}{updates} · "
            + ("complete" if not missing else f"{missing} item(s) missing (see Checklist)")
            + ("<br>Review the agreement every year before the school year starts."
               if agreement.status == "draft" else "")
        )
        self._update_preview()
        self._update_controls()

    def _update_controls(self) -> None:
        agreement = self.agreement
        editable = self.editable
        draft = bool(agreement) and agreement.status == "draft" and editable
        self.new_button.setEnabled(editable)
        self.import_button.setEnabled(editable)
        self.compare_button.setEnabled(bool(agreement) and self.chooser.count() > 1)
        self.pdf_button.setEnabled(bool(agreement))
        self.dese_button.setEnabled(bool(agreement))
        self.updates_button.setVisible(bool(self.pending_updates))
        self.updates_button.setEnabled(draft and bool(self.pending_updates))
        self.ready_button.setVisible(bool(agreement) and agreement.status == "draft")
        self.ready_button.setEnabled(draft)
        self.draft_button.setVisible(bool(agreement) and agreement.status == "ready")
        self.draft_button.setEnabled(editable)
        self.sign_button.setVisible(bool(agreement) and agreement.status in ("draft", "ready"))
        self.sign_button.setEnabled(editable)
        self.file_button.setVisible(bool(agreement) and agreement.status == "signed")
        self.file_button.setEnabled(editable)
        self.scan_button.setVisible(bool(agreement) and agreement.status in ("signed", "filed", "superseded"))
        self.scan_button.setEnabled(editable)
        self.redraft_button.setVisible(bool(agreement) and agreement.frozen)
        self.redraft_button.setEnabled(editable)
        for widget in (self.clause_title, self.clause_text, self.included):
            widget.setEnabled(draft)
        self.clause_text.setReadOnly(not draft)
        self.clauses.setEnabled(bool(agreement))
        self.blanks.setEnabled(draft)
        self.blanks.save_button.setEnabled(draft and bool(self.blanks.dirty))
        self.costs.setEnabled(editable and bool(agreement))
        clause = self.clause
        self.save_clause_button.setEnabled(draft and self._clause_dirty)
        self.revert_clause_button.setEnabled(
            draft and clause is not None and clause.library_text is not None
            and self.clause_text.toPlainText() != clause.library_text
        )
        self.diff_button.setEnabled(clause is not None and clause.library_text is not None)

    # -- clauses ----------------------------------------------------------------------

    def _clause_selected(self, item, _previous) -> None:
        if self.agreement is None or item is None:
            return
        clause_id = item.data(_CLAUSE_ROLE)
        clause = next((c for c in self.agreement.clauses if c.id == clause_id), None)
        if clause is None:
            return
        if self._clause_dirty and self.clause and clause.id != self.clause.id:
            chosen = clause.id
            if not self.save_clause():
                self.clauses.blockSignals(True)
                self._select_clause(self.clause.id)
                self.clauses.blockSignals(False)
                return
            # Saved (the list was filled again, still on the clause just saved): now show
            # exactly the clause the person chose, so the editor and the list never differ
            # and typing can only ever land in the clause on screen.
            clause = next((c for c in self.agreement.clauses if c.id == chosen), None)
            if clause is None:
                return
            self.clauses.blockSignals(True)
            self._select_clause(chosen)
            self.clauses.blockSignals(False)
        self.clause = clause
        self.clause_title.setText(clause.title)
        self.clause_text.blockSignals(True)
        self.clause_text.setPlainText(clause.text)
        self.clause_text.blockSignals(False)
        self.included.blockSignals(True)
        self.included.setChecked(clause.included)
        self.included.blockSignals(False)
        self._clause_dirty = False
        self.clause_error.hide()
        self._describe_clause()
        self._update_controls()

    def _select_clause(self, clause_id: int) -> None:
        for row in range(self.clauses.count()):
            if self.clauses.item(row).data(_CLAUSE_ROLE) == clause_id:
                self.clauses.setCurrentRow(row)
                return

    def _describe_clause(self) -> None:
        clause = self.clause
        if clause is None:
            return
        facts = [_why(clause, library_updates.clause_sources(self.agreement, clause))]
        if clause.components:
            facts.append("Covers " + ", ".join(clause.components) + ".")
        if clause.library_text is None:
            facts.append("Not from the clause library.")
        elif self.clause_text.toPlainText() != clause.library_text:
            facts.append("<b>Changed from the library text.</b>")
        notes = clause.notes
        if notes:
            facts.append("<br><b>Drafting notes</b> (never printed): " + " · ".join(plain(n) for n in notes))
        self.clause_info.setText(" ".join(facts))

    def _clause_edited(self, *_args) -> None:
        if self.clause is None:
            return
        self._clause_dirty = (
            self.clause_text.toPlainText() != self.clause.text
            or self.clause_title.text() != self.clause.title
        )
        self._describe_clause()
        self._update_controls()
        self.preview_timer.start()

    def _clause_ticked(self, item: QListWidgetItem) -> None:
        clause_id = item.data(_CLAUSE_ROLE)
        if clause_id is None or self.agreement is None:
            return
        included = item.checkState() == Qt.CheckState.Checked
        clause = next((c for c in self.agreement.clauses if c.id == clause_id), None)
        if clause is None or clause.included == included:
            return
        self._run_edit(
            lambda: agreements.edit_clause(self.data_file, self.agreement, clause_id, included=included)
        )

    def _included_toggled(self, checked: bool) -> None:
        if self.clause is not None and self.clause.included != checked:
            clause_id = self.clause.id
            self._run_edit(
                lambda: agreements.edit_clause(self.data_file, self.agreement, clause_id, included=checked)
            )

    def save_clause(self) -> bool:
        if self.clause is None or self.agreement is None:
            return False
        clause_id = self.clause.id
        title, text = self.clause_title.text(), self.clause_text.toPlainText()
        try:
            agreements.edit_clause(self.data_file, self.agreement, clause_id, text=text, title=title)
        except ConflictError as exc:
            self.clause_error.setText(exc.message + " Your text is kept here; copy it, then reload.")
            self.clause_error.show()
            return False
        except Exception as exc:
            self.clause_error.setText(error_sentence(exc))
            self.clause_error.show()
            return False
        self._clause_dirty = False
        self._reload()
        return True

    def revert_clause(self) -> None:
        if self.clause is not None and self.clause.library_text is not None:
            self.clause_text.setPlainText(self.clause.library_text)

    def show_diff(self) -> None:
        if self.clause is None:
            return
        current = Clause(**{**self.clause.__dict__, "text": self.clause_text.toPlainText()})
        lines = current.diff() or ["No changes from the clause library text."]
        box = QMessageBox(self)
        box.setWindowTitle("Changes from the library text")
        box.setText(f"{self.clause.title}: lines starting with - were removed, + were added.")
        box.setDetailedText("\n".join(lines))
        box.exec()

    def _run_edit(self, action) -> bool:
        """Run a small change; on failure show its sentence and reload what is stored."""
        try:
            action()
        except Exception as exc:
            self.show_problem(exc)
            self._reload()
            return False
        self._reload()
        return True

    # -- blanks and costs -------------------------------------------------------------

    def _load_blanks_if_shown(self) -> None:
        if self._blanks_pending is not None and self.tabs.currentWidget() is self.blanks:
            agreement, self._blanks_pending = self._blanks_pending, None
            self.blanks.load(agreement)

    def save_blanks(self) -> bool:
        if self.agreement is None:
            return False
        agreement = self.agreement
        for key, raw in self.blanks.changed_values():
            try:
                agreements.set_blank(self.data_file, agreement, key, raw)
            except Exception as exc:
                self.blanks.show_error(error_sentence(exc))
                return False
            agreement = agreements.load_agreement(self.data_file, agreement.id)
            self.blanks.dirty.discard(key)
        self._reload()
        return True

    def save_costs(self) -> bool:
        if self.agreement is None:
            return False
        try:
            agreements.set_costs(self.data_file, self.agreement, self.costs.values())
        except Exception as exc:
            self.costs.error.setText(error_sentence(exc))
            self.costs.error.show()
            return False
        self.costs.dirty = False
        self._reload()
        return True

    # -- preview ----------------------------------------------------------------------

    def _update_preview(self) -> None:
        if self.agreement is None or self.data_file is None:
            self.preview.clear()
            return
        agreement = self.agreement
        if self.clause is not None and self._clause_dirty:
            edited = Clause(
                **{**self.clause.__dict__, "text": self.clause_text.toPlainText(),
                   "title": self.clause_title.text()}
            )
            agreement = Agreement(
                **{**agreement.__dict__,
                   "clauses": [edited if c.id == edited.id else c for c in agreement.clauses]}
            )
        try:
            # (the on-screen preview: the seal is read and printed when the PDF is made)
            document = agreements.printable(self.data_file, agreement, sealed=False)
        except SroDeskError as exc:
            self.preview.setPlainText(exc.message)
            return
        scroll = self.preview.verticalScrollBar().value()
        self.preview.setHtml(preview_html(document))
        self.preview.verticalScrollBar().setValue(scroll)

    # -- actions ----------------------------------------------------------------------

    def new_agreement(self) -> None:
        if self.data_file is None or (self.has_unsaved_changes() and not self._ask_to_save()):
            return
        dialog = NewAgreementDialog(
            agreements.list_agreements(self.data_file), current_school_year(self.data_file), self
        )
        while dialog.exec():
            year = dialog.year.text()
            try:
                if dialog.start.currentData() is None:
                    new_id = agreements.new_from_library(
                        self.data_file, school_year=year, supervision=dialog.supervision.currentData()
                    )
                else:
                    new_id = agreements.new_from_previous(
                        self.data_file, dialog.start.currentData(), school_year=year
                    )
            except Exception as exc:
                dialog.error.setText(error_sentence(exc))
                dialog.error.show()
                continue
            self._fill_chooser(new_id)
            self.saved.emit()
            return

    def import_agreement(self) -> None:
        if self.data_file is None or (self.has_unsaved_changes() and not self._ask_to_save()):
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Import an agreement", "", "Agreements (*.docx *.txt *.md);;All files (*)"
        )
        if not name:
            return
        year, ok = QInputDialog.getText(
            self, "Import an agreement", "School year (like 2026-2027):",
            text=current_school_year(self.data_file),
        )
        if not ok:
            return
        data_file = self.data_file

        def done(new_id: int) -> None:
            self._fill_chooser(new_id)
            self.saved.emit()
            self.tabs.setCurrentWidget(self.checklist)

        run_task(
            self.tasks, self, "Importing the agreement…",
            lambda progress: agreements.import_document(data_file, Path(name), school_year=year),
            done, self.show_problem,
        )

    def compare(self) -> None:
        if self.agreement is None or self.data_file is None:
            return
        others = [r for r in agreements.list_agreements(self.data_file) if r["id"] != self.agreement.id]
        if not others:
            return
        labels = [f"{r['school_year']} · {r['title']}" for r in others]
        default = next((i for i, r in enumerate(others) if r["id"] == self.agreement.based_on_id), 0)
        label, ok = QInputDialog.getItem(self, "Compare", "Compare with:", labels, default, False)
        if not ok:
            return
        other = agreements.load_agreement(self.data_file, others[labels.index(label)]["id"])
        older, newer = sorted((other, self.agreement), key=lambda a: (a.school_year, a.id))
        CompareDialog(older, newer, self).exec()

    def mark_ready(self) -> None:
        if self.agreement is None:
            return
        missing = agreements.problems(self.agreement)
        reason = ""
        if missing:
            reason, ok = QInputDialog.getMultiLineText(
                self, "Not complete",
                f"{len(missing)} required item(s) are missing, for example: {missing[0]}\n"
                "To mark it ready anyway, record why:",
            )
            if not ok or not reason.strip():
                return
        self._act(lambda df, a: agreements.mark_ready(df, a, reason=reason))

    def record_signing(self) -> None:
        if self.agreement is None:
            return
        dialog = SigningDialog(self.agreement, self)
        while dialog.exec():
            if not self._confirm_signing():
                return
            try:
                agreements.record_signing(self.data_file, self.agreement, dialog.signed(), scan=dialog.scan)
            except Exception as exc:
                dialog.error.setText(error_sentence(exc))
                dialog.error.show()
                continue
            self._reload()
            return

    def _confirm_signing(self) -> bool:
        """Signing cannot be undone: say what it does before it is done."""
        answer = QMessageBox.question(
            self,
            "Record signing",
            "Record this agreement as signed? Its text is then frozen: no clause, blank or "
            "cost can be changed, and a later change needs a new draft (Start a New Draft "
            "from This). The signing is sealed into the file's change log.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def record_filing(self) -> None:
        if self.agreement is None:
            return
        text, ok = QInputDialog.getText(
            self, "Filed with DESE", "Date filed with DESE (YYYY-MM-DD):", text=date.today().isoformat()
        )
        if ok:
            self._act(lambda df, a: agreements.record_filing(df, a, text))

    def replace_signed_copy(self) -> None:
        """A new scan of the signed agreement; the signed text stays frozen."""
        if self.agreement is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Replace the signed copy", "",
                                              "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        if name:
            self._act(lambda df, a: agreements.replace_signed_copy(df, a, Path(name)))

    def show_library_updates(self) -> None:
        """The clauses the newest clause library edition changes or adds, to take one by one."""
        if self.agreement is None or not self.pending_updates:
            return
        if self.has_unsaved_changes() and not self._ask_to_save():
            return
        LibraryUpdatesDialog(self.agreement, self.pending_updates, self._take_library_updates, self).exec()

    def _take_library_updates(self, keys: list[str]) -> list[library_updates.LibraryUpdate]:
        """Save the library's text for these clauses (version-checked and audited), show the
        draft as stored, and return what is still to take."""
        agreement = self.agreement
        try:
            library_updates.take_library_updates(self.data_file, agreement, keys)
        finally:
            self._reload()
        return list(self.pending_updates)

    def redraft(self) -> None:
        if self.agreement is None:
            return
        first = int(self.agreement.school_year[:4]) + 1
        year, ok = QInputDialog.getText(
            self, "New draft", "School year of the new draft:", text=f"{first}-{first + 1}"
        )
        if not ok:
            return
        try:
            new_id = agreements.new_from_previous(self.data_file, self.agreement.id, school_year=year)
        except Exception as exc:
            self.show_problem(exc)
            return
        self._fill_chooser(new_id)
        self.saved.emit()

    def _act(self, action) -> None:
        if self.agreement is None:
            return
        agreement = self.agreement
        self._run_edit(lambda: action(self.data_file, agreement))

    def save_pdf(self, *, submission: bool) -> None:
        if self.agreement is None or self.data_file is None:
            return
        from sro_desk.documents.agreement import build_agreement_pdf

        kind = "DESE filing" if submission else "agreement"
        suggested = f"SRO {kind} {self.agreement.school_year}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, f"Save the {kind} as PDF", suggested, "PDF (*.pdf)")
        if not name:
            return
        out = Path(name)
        try:
            if submission:
                from sro_desk.documents.dese_filing import build_filing_pdf
                from sro_desk.records.dese_filing import printable_filing

                filing = printable_filing(self.data_file, self.agreement)
                build = lambda progress: build_filing_pdf(filing, out)  # noqa: E731
            else:
                document = agreements.printable(self.data_file, self.agreement)
                build = lambda progress: build_agreement_pdf(document, out)  # noqa: E731
        except Exception as exc:
            self.show_problem(exc)
            return

        def done(_result) -> None:
            QMessageBox.information(self, "SRO Desk", f"Saved {out}.")

        run_task(self.tasks, self, f"Building the {kind}…", build, done, self.show_problem)


def _why(clause: Clause, sources: tuple[str, ...]) -> str:
    """Why a clause says what it does, from its bold and its clause library sources."""
    if clause.statutory:
        return "Required by law: printed in bold."
    if "model-mou" in sources:
        also = " and local choices" if "local" in sources else ""
        return f"Not required by law: from the state's model agreement{also}."
    return "A local choice, not required by law."
