"""Selection page: a round's candidates, the community's input, the summary, the decision."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sro_desk.records import selection
from sro_desk.records.district import load_district
from sro_desk.records.officers import list_officers, officers_read
from sro_desk.records.settings import SETTINGS_READ
from sro_desk.records.selection import Decision, SelectionRound
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.page import Page
from sro_desk.ui.qt import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
    error_label,
    error_sentence,
)
from sro_desk.ui.selection_dialogs import DisclosureDialog, InputDialog, RoundDialog
from sro_desk.ui.work import BackgroundTask, run_task

_KEY = Qt.ItemDataRole.UserRole
#: Why a decided round's controls are off (the records layer refuses the writes too).
DECIDED = (
    "This round is decided and kept as the record of the choice: its candidates, input, "
    "disclosures, reasons and notes can no longer change. Open a new round to choose again."
)


@dataclass
class _DecisionDraft:
    officer_id: int | None
    decided_on: str
    reasons: set[str]
    notes: str
    explanation: str


class SelectionPage(Page):
    """One selection round at a time, from the first input to the chief's decision."""

    title = "Selection"
    reads = frozenset({
        "agreement", "agreement_blank", "agreement_clause", "attachment", "certification", "district", "officer",
        "police_department", "school", "selection_candidate", "selection_criterion", "selection_decision",
        "selection_disclosure", "selection_input", "selection_round", "selection_score", "setting",
        "training_entry", "training_topic",
    })
    open_training = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.round: SelectionRound | None = None
        #: The round the decision form was filled for, and whether it holds typing (an
        #: open round) rather than a recorded decision.
        self._form_round: int | None = None
        self._form_is_draft = False
        #: Each open round's unrecorded decision form, so choosing another round and coming
        #: back loses nothing, and one round's typing never shows on (or is saved to) another.
        self._drafts: dict[int, _DecisionDraft] = {}
        self.tasks: list[BackgroundTask] = []

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top_bar())
        layout.addWidget(self._build_status())
        layout.addWidget(self._build_decided_note())
        layout.addWidget(self.error)
        layout.addWidget(self._build_tabs(), 1)
        layout.addWidget(self._build_empty_note(), 1)
        self._name_buttons()
        self._connect_signals()
        self._show(None)

    # -- building the page ------------------------------------------------------------

    def _build_top_bar(self) -> QHBoxLayout:
        """Which round, a new one, and its printouts."""
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Selection round")
        chooser_label = QLabel("&Round:")
        chooser_label.setBuddy(self.chooser)
        self.new_button = QPushButton("&New Round…")
        self.form_button = QPushButton("Input F&orm PDF…")
        self.summary_button = QPushButton("Summary &PDF…")
        top = QHBoxLayout()
        top.addWidget(chooser_label)
        top.addWidget(self.chooser, 1)
        for button in (self.new_button, self.form_button, self.summary_button):
            top.addWidget(button)
        return top

    def _build_status(self) -> QLabel:
        """Where and when the round is, and whom it has still to hear from."""
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAccessibleName("Round status")
        return self.status

    def _build_decided_note(self) -> QLabel:
        """Shown while the round is decided: why nothing in it can be changed any more."""
        self.decided_note = QLabel(DECIDED)
        self.decided_note.setWordWrap(True)
        self.decided_note.setAccessibleName("Why this round cannot be changed")
        return self.decided_note

    def _build_tabs(self) -> QTabWidget:
        """The round's candidates, the input gathered, the summary and the decision."""
        self.summary = QTextBrowser()
        self.summary.setAccessibleName("Summary for the chief")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_candidates_tab(), "Candidates")
        self.tabs.addTab(self._build_input_tab(), "Input")
        self.tabs.addTab(self.summary, "Summary")
        self.tabs.addTab(self._build_decision_tab(), "Decision")
        return self.tabs

    def _build_candidates_tab(self) -> QWidget:
        """The candidates, and the conflicts of interest they disclosed."""
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidates")
        self.add_candidate_button = QPushButton("Add &Candidate…")
        self.disclose_button = QPushButton("Add Disc&losure…")
        self.against_button = QPushButton("Superintendent Recommends &Against…")
        self.training_button = QPushButton("Open &Training Record")
        self.disclosures = QListWidget()
        self.disclosures.setAccessibleName("Conflict of interest disclosures")
        candidates_tab = QWidget()
        c_layout = QVBoxLayout(candidates_tab)
        c_layout.addWidget(self.candidates, 2)
        row = QHBoxLayout()
        for button in (self.add_candidate_button, self.against_button, self.training_button):
            row.addWidget(button)
        row.addStretch(1)
        c_layout.addLayout(row)
        c_layout.addWidget(QLabel("Conflicts of interest disclosed by candidates:"))
        c_layout.addWidget(self.disclosures, 1)
        row = QHBoxLayout()
        row.addWidget(self.disclose_button)
        row.addStretch(1)
        c_layout.addLayout(row)
        return candidates_tab

    def _build_input_tab(self) -> QWidget:
        """The input gathered from each group, and the district's own criteria."""
        self.inputs = QListWidget()
        self.inputs.setAccessibleName("Input gathered")
        self.add_input_button = QPushButton("Add &Input…")
        self.edit_input_button = QPushButton("&Edit Input…")
        self.criterion_button = QPushButton("Add Cri&terion…")
        input_tab = QWidget()
        i_layout = QVBoxLayout(input_tab)
        i_layout.addWidget(self.inputs, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_input_button)
        row.addWidget(self.edit_input_button)
        row.addWidget(self.criterion_button)
        row.addStretch(1)
        i_layout.addLayout(row)
        return input_tab

    def _build_decision_tab(self) -> QWidget:
        """The chief's decision: the form while the round is open, the record once decided."""
        self.assigned = QComboBox()
        self.assigned.setAccessibleName("Officer assigned")
        self.decided_on = QLineEdit(date.today().isoformat())
        self.decided_on.setAccessibleName("Date of the decision")
        self.reasons = QListWidget()
        self.reasons.setAccessibleName("Reasons for the choice (tick each)")
        self.reason_text = QPlainTextEdit()
        self.reason_text.setAccessibleName("Notes on the reasons")
        self.reason_text.setTabChangesFocus(True)
        self.reason_text.setMaximumHeight(70)
        self.explanation = QPlainTextEdit()
        self.explanation.setAccessibleName("Chief's explanation")
        self.explanation.setTabChangesFocus(True)
        self.explanation.setMaximumHeight(70)
        self.decide_button = QPushButton("Re&cord Decision")
        self.decision_error = error_label()
        self.decision_text = QLabel()
        self.decision_text.setWordWrap(True)
        self.decision_text.setTextFormat(Qt.TextFormat.RichText)
        self.decision_text.setAccessibleName("The decision")
        decision_tab = QWidget()
        # (The widgets are named where they are made, so plain labelled rows suffice.)
        form = QFormLayout()
        for text, widget in (
            ("Officer a&ssigned:", self.assigned),
            ("Date of the decision:", self.decided_on),
            ("Reasons:", self.reasons),
            ("Notes:", self.reason_text),
            ("Chief's e&xplanation (required when\nthe superintendent recommended against):", self.explanation),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        d_layout = QVBoxLayout(decision_tab)
        d_layout.addWidget(self.decision_text)
        d_layout.addLayout(form)
        d_layout.addWidget(self.decision_error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.decide_button)
        d_layout.addLayout(row)
        return decision_tab

    def _build_empty_note(self) -> QLabel:
        """What the page says in place of the tabs while the file has no round."""
        self.empty = QLabel(
            "No selection round yet. Choose New Round… when an SRO post opens: gather input "
            "from principals, teachers, parents and students, then record the chief's decision."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return self.empty

    def _name_buttons(self) -> None:
        """Screen readers announce each button as its text, without the mnemonic's & or the …"""
        for button in (
            self.new_button, self.form_button, self.summary_button, self.add_candidate_button,
            self.disclose_button, self.against_button, self.training_button,
            self.add_input_button, self.edit_input_button, self.criterion_button, self.decide_button,
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

    def _connect_signals(self) -> None:
        self.chooser.activated.connect(lambda _i: self._choose(self.chooser.currentData()))
        self.new_button.clicked.connect(self.new_round)
        self.add_candidate_button.clicked.connect(self.add_candidate)
        self.disclose_button.clicked.connect(self.add_disclosure)
        self.against_button.clicked.connect(self.recommend_against)
        self.training_button.clicked.connect(self._open_training)
        self.add_input_button.clicked.connect(lambda: self.edit_input(None))
        self.edit_input_button.clicked.connect(lambda: self.edit_input(self._selected_input()))
        self.inputs.itemDoubleClicked.connect(lambda _i: self.edit_input(self._selected_input()))
        self.candidates.currentRowChanged.connect(lambda _r: self._update_controls())
        self.inputs.currentRowChanged.connect(lambda _r: self._update_controls())
        self.decide_button.clicked.connect(self.decide)
        self.criterion_button.clicked.connect(self.add_criterion)
        self.summary_button.clicked.connect(self.save_summary_pdf)
        self.form_button.clicked.connect(self.save_form_pdf)

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        self.data_file = data_file
        self._fill_chooser(self.round.id if self.round else None)

    # Nothing unsaved to ask about when the file closes (the Page's default): the decision
    # form is saved only by Record Decision, on purpose; its typing is kept in _drafts.

    def forget_file(self) -> None:
        """Another file is being opened: no round of this one, nor its typing, may stay on
        screen or be recorded there (its rounds' ids mean other rounds in that file)."""
        self._drafts.clear()
        self._form_round = None
        self._form_is_draft = False
        super().forget_file()
        self._show(None)

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._update_controls()

    # -- showing ----------------------------------------------------------------------

    def _fill_chooser(self, select: int | None) -> None:
        self.data_file.prefetch([selection.rounds_read(), officers_read(self.data_file), SETTINGS_READ])
        rounds = selection.list_rounds(self.data_file)
        self.chooser.clear()
        for row in rounds:
            self.chooser.addItem(f"{row['school_year']} · {row['title']} · {row['status']}", row["id"])
        ids = [r["id"] for r in rounds]
        if select not in ids:
            select = ids[0] if ids else None
        if select is not None:
            self.chooser.setCurrentIndex(ids.index(select))
        self._choose(select)

    def _choose(self, round_id: int | None) -> None:
        self._show(selection.load_round(self.data_file, round_id) if round_id is not None else None)

    def _show(self, chosen: SelectionRound | None) -> None:
        self.round = chosen
        self.tabs.setVisible(chosen is not None)
        self.empty.setVisible(chosen is None)
        self.error.hide()
        self.decision_error.hide()
        if chosen is None:
            # Nothing of the last round stays behind the empty page (nor in another file).
            self.status.setText("")
            for view in (self.candidates, self.disclosures, self.inputs, self.assigned, self.reasons):
                view.clear()
            self.summary.clear()
            self.decision_text.clear()
            for text in (self.decided_on, self.reason_text, self.explanation):
                text.clear()
            self._form_round = None
            self._update_controls()
            return
        heard = ", ".join(selection.GROUPS[g] for g in chosen.groups_heard()) or "no one yet"
        missing = chosen.missing_groups()
        missing_text = (
            f" <b>Still to hear from: {html.escape(', '.join(selection.GROUPS[g] for g in missing))}.</b>"
            if missing else ""
        )
        where = chosen.school_name or "District-wide"
        self.status.setText(
            f"{html.escape(where)}, {chosen.school_year}; opened {chosen.opened_on}; "
            f"{'decided' if chosen.decided else 'open'}. Input from: {html.escape(heard)}.{missing_text}"
        )
        self.candidates.clear()
        for candidate in chosen.candidates:
            officer = candidate.officer
            note = " — superintendent recommends against" if officer.id == chosen.against_officer_id else ""
            item = QListWidgetItem(
                f"{officer.rank + ' ' if officer.rank else ''}{officer.name}, "
                f"{officer.department_name or 'no department'}"
                + (f", {officer.years_of_service} years" if officer.years_of_service is not None else "")
                + note
            )
            item.setData(_KEY, officer.id)
            self.candidates.addItem(item)
        self.disclosures.clear()
        for disclosure in chosen.disclosures:
            who = chosen.candidate(disclosure.candidate_id).officer.name
            decision = f" — department: {disclosure.department_decision}" if disclosure.department_decision else ""
            self.disclosures.addItem(f"{who}: {disclosure.relationship}{decision}")
        self.inputs.clear()
        for record in chosen.inputs:
            scored = sum(1 for s in record.scores if s.score is not None)
            self.inputs.addItem(
                f"{record.gathered_on} · {selection.GROUPS[record.source_group]} · "
                f"{record.participants or 'participants not recorded'} · gathered by "
                f"{record.gathered_by or 'not recorded'} · {scored} scores"
            )
        self.summary.setHtml(self._summary_html(chosen))
        self._show_decision(chosen)
        self._update_controls()

    def _summary_html(self, chosen: SelectionRound) -> str:
        parts = []
        for summary in selection.summarize(self.data_file, chosen):
            officer = summary.candidate.officer
            overall = "; ".join(
                f"{html.escape(selection.GROUPS[g])} {avg:g}" for g, avg in summary.overall.items()
            ) or "no scores yet"
            parts.append(f"<h3>{html.escape(officer.name)}</h3><p><b>Average score by group:</b> {overall}</p>")
            parts.append("<p>" + "<br>".join(html.escape(line) for line in summary.training) + "</p>")
            for d in summary.disclosures:
                parts.append(f"<p><b>Disclosure:</b> {html.escape(d.relationship)}"
                             f"{' — ' + html.escape(d.department_decision) if d.department_decision else ''}</p>")
            if summary.comments:
                parts.append("<ul>" + "".join(
                    f"<li><i>{html.escape(selection.GROUPS[g])}:</i> {html.escape(c)}</li>"
                    for g, c in summary.comments) + "</ul>")
        return "\n".join(parts) or "<p>No candidates yet.</p>"

    def _keep_draft(self) -> None:
        """Remember the decision form's typing for the open round it was filled for."""
        if self._form_round is None or not self._form_is_draft:
            return
        self._drafts[self._form_round] = _DecisionDraft(
            officer_id=self.assigned.currentData(),
            decided_on=self.decided_on.text(),
            reasons={
                self.reasons.item(i).data(_KEY)
                for i in range(self.reasons.count())
                if self.reasons.item(i).checkState() == Qt.CheckState.Checked
            },
            notes=self.reason_text.toPlainText(),
            explanation=self.explanation.toPlainText(),
        )

    def _show_decision(self, chosen: SelectionRound) -> None:
        self._keep_draft()
        decision = chosen.decision
        draft = self._drafts.get(chosen.id) if decision is None else None
        self.assigned.clear()
        for candidate in chosen.candidates:
            self.assigned.addItem(candidate.officer.name, candidate.officer.id)
        officer_id = decision.officer_id if decision else (draft.officer_id if draft else None)
        if officer_id is not None:
            self.assigned.setCurrentIndex(max(0, self.assigned.findData(officer_id)))
        self.reasons.clear()
        keep = set(decision.reasons) if decision else (draft.reasons if draft else set())
        choices = [(c.key, c.label) for c in chosen.criteria] + list(selection.OTHER_REASONS.items())
        for key, label in choices:
            item = QListWidgetItem(label)
            item.setData(_KEY, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in keep else Qt.CheckState.Unchecked)
            self.reasons.addItem(item)
        self._form_round = chosen.id
        self._form_is_draft = decision is None
        if decision is None:
            # The round's own typing, or a fresh form: never another round's.
            self.decision_text.setText("Not decided yet.")
            self.decided_on.setText(draft.decided_on if draft else date.today().isoformat())
            self.reason_text.setPlainText(draft.notes if draft else "")
            self.explanation.setPlainText(draft.explanation if draft else "")
            return
        self._drafts.pop(chosen.id, None)
        officer = next(c.officer.name for c in chosen.candidates if c.officer.id == decision.officer_id)
        labels = dict(choices)
        explanation = (
            f"<br><b>Chief's explanation:</b> {html.escape(decision.chief_explanation)}"
            if decision.chief_explanation else ""
        )
        self.decision_text.setText(
            f"<b>Decided {decision.decided_on}: {html.escape(officer)} assigned.</b> Reasons: "
            + html.escape("; ".join(labels.get(r, r) for r in decision.reasons))
            + (f"<br>{html.escape(decision.reason_text)}" if decision.reason_text else "")
            + explanation
        )
        self.assigned.setCurrentIndex(max(0, self.assigned.findData(decision.officer_id)))
        self.decided_on.setText(decision.decided_on)
        self.reason_text.setPlainText(decision.reason_text)
        self.explanation.setPlainText(decision.chief_explanation)

    def _update_controls(self) -> None:
        has = self.round is not None
        decided = has and self.round.decided
        open_round = has and not decided and self.editable
        self.new_button.setEnabled(self.editable and self.data_file is not None)
        self.summary_button.setEnabled(has)
        self.form_button.setEnabled(self.data_file is not None)
        # Off, not just read-only: a read-only text box looks as if it took typing.
        frozen = (self.add_candidate_button, self.against_button, self.add_input_button,
                  self.criterion_button, self.disclose_button, self.assigned, self.decided_on,
                  self.reasons, self.reason_text, self.explanation, self.decide_button)
        for widget in frozen:
            widget.setEnabled(open_round)
            widget.setToolTip(DECIDED if decided else "")
        self.disclose_button.setEnabled(open_round and bool(self.round.candidates))
        self.edit_input_button.setEnabled(open_round and self.inputs.currentRow() >= 0)
        self.edit_input_button.setToolTip(DECIDED if decided else "")
        self.training_button.setEnabled(self.candidates.currentRow() >= 0)
        self.decided_note.setVisible(decided)

    def _selected_input(self):
        row = self.inputs.currentRow()
        return self.round.inputs[row] if self.round and 0 <= row < len(self.round.inputs) else None

    # -- actions ----------------------------------------------------------------------

    def _changed(self, select: int | None = None) -> None:
        self._fill_chooser(select if select is not None else (self.round.id if self.round else None))
        self.saved.emit()

    def new_round(self) -> None:
        dialog = RoundDialog(self.data_file, load_district(self.data_file), list_officers(self.data_file), self)
        if dialog.exec():
            self._changed(dialog.result_id)

    def add_candidate(self) -> None:
        taken = {c.officer.id for c in self.round.candidates}
        others = [o for o in list_officers(self.data_file) if o.id not in taken]
        if not others:
            QMessageBox.information(self, "SRO Desk", "Every officer is already a candidate; add officers on the Training page.")
            return
        labels = [f"{o.name} ({o.department_name or 'no department'})" for o in others]
        label, ok = QInputDialog.getItem(self, "Add candidate", "Officer:", labels, 0, False)
        if ok:
            try:
                selection.add_candidate(self.data_file, self.round, others[labels.index(label)].id)
            except Exception as exc:
                self.show_problem(exc)
                return
            self._changed()

    def add_criterion(self) -> None:
        label, ok = QInputDialog.getText(
            self, "Add a criterion", "A quality of the district's own to weigh (e.g. speaks Spanish):"
        )
        if ok:
            try:
                selection.add_criterion(self.data_file, self.round, label)
            except Exception as exc:
                self.show_problem(exc)
                return
            self._changed()

    def add_disclosure(self) -> None:
        if not self.disclose_button.isEnabled():
            return
        if DisclosureDialog(self.data_file, self.round, self).exec():
            self._changed()

    def recommend_against(self) -> None:
        row = self.candidates.currentRow()
        if row < 0:
            QMessageBox.information(self, "SRO Desk", "Select the candidate first.")
            return
        officer = self.round.candidates[row].officer
        reason, ok = QInputDialog.getMultiLineText(
            self, "Recommend against",
            f"Why does the superintendent recommend that {officer.name} not serve here?",
        )
        if ok:
            try:
                selection.recommend_against(self.data_file, self.round, officer.id, reason)
            except Exception as exc:
                self.show_problem(exc)
                return
            self._changed()

    def edit_input(self, record) -> None:
        if not (self.edit_input_button if record else self.add_input_button).isEnabled():
            return  # a double-click on a decided round's input: it cannot change
        if not self.round.candidates:
            QMessageBox.information(self, "SRO Desk", "Add the candidates before recording input.")
            return
        if InputDialog(self.data_file, self.round, record, self).exec():
            self._changed()

    def decide(self) -> None:
        reasons = [
            self.reasons.item(i).data(_KEY)
            for i in range(self.reasons.count())
            if self.reasons.item(i).checkState() == Qt.CheckState.Checked
        ]
        decision = Decision(
            officer_id=self.assigned.currentData(),
            decided_on=self.decided_on.text(),
            reasons=reasons,
            reason_text=self.reason_text.toPlainText(),
            chief_explanation=self.explanation.toPlainText(),
        )
        try:
            selection.decide(self.data_file, self.round, decision)
        except Exception as exc:
            self.decision_error.setText(error_sentence(exc))
            self.decision_error.show()
            return
        self._form_is_draft = False  # recorded: the form is the decision now, not typing
        self._drafts.pop(self.round.id, None)
        self._changed()

    def _open_training(self) -> None:
        row = self.candidates.currentRow()
        if self.round and row >= 0:
            self.open_training.emit(self.round.candidates[row].officer.id)

    def _build(self, label: str, out: Path, build) -> None:
        run_task(
            self.tasks, self, label, lambda progress: build(out),
            lambda _r: QMessageBox.information(self, "SRO Desk", f"Saved {out}."), self.show_problem,
        )

    def save_summary_pdf(self) -> None:
        from sro_desk.documents.selection import build_selection_summary_pdf

        name, _ = QFileDialog.getSaveFileName(
            self, "Save the selection summary", f"SRO selection {self.round.title}.pdf", "PDF (*.pdf)"
        )
        if name:
            try:
                document = selection.printable_selection(self.data_file, self.round)
            except Exception as exc:
                self.show_problem(exc)
                return
            self._build("Building the summary…", Path(name), lambda out: build_selection_summary_pdf(document, out))

    def save_form_pdf(self) -> None:
        from sro_desk.documents.selection import build_selection_input_form_pdf

        labels = list(selection.GROUPS.values())
        label, ok = QInputDialog.getItem(self, "Input form", "Form for:", labels, 0, False)
        if not ok:
            return
        group = list(selection.GROUPS)[labels.index(label)]
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the input form", f"SRO input form {label}.pdf", "PDF (*.pdf)"
        )
        if name:
            try:
                form = selection.printable_input_form(self.data_file, group, selection=self.round)
            except Exception as exc:
                self.show_problem(exc)
                return
            self._build("Building the form…", Path(name), lambda out: build_selection_input_form_pdf(form, out))
