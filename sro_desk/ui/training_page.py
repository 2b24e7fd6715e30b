"""Training page: each SRO's log, hours against the yearly minimum, topics, certification
(the SRO certification and the officer's own POST certification)."""

from __future__ import annotations

from pathlib import Path

from sro_desk.records import training
from sro_desk.records.district import load_district
from sro_desk.records.officers import Officer, list_officers
from sro_desk.records.settings import current_school_year
from sro_desk.records.calendar import years_to_offer
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.page import Page, fill_years, read_only_table, year_bar
from sro_desk.ui.qt import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Qt,
    plain,
    plain_sentence,
    year_chooser,
)
from sro_desk.ui.training_dialogs import (
    CertificationDialog,
    EntryDialog,
    OfficerDialog,
    PostCertificationDialog,
)
from sro_desk.ui.work import BackgroundTask, run_task

_ID = Qt.ItemDataRole.UserRole
COLUMNS = ["Date", "Title", "Provider", "Hours", "Topics", "Basic course", "With administrators", "Certificate"]


def _button(text: str) -> QPushButton:
    """A button that screen readers announce by its words (no mnemonic, no ellipsis)."""
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


class TrainingPage(Page):
    """Officers on the left; the chosen officer's year, status and log on the right.

    Every change is saved by its dialog: the page itself never holds unsaved work.
    """

    title = "Training"
    reads = frozenset({
        "agreement", "agreement_blank", "agreement_clause", "attachment", "certification", "district", "officer",
        "police_department", "setting", "training_entry", "training_topic",
    })

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.officers: list[Officer] = []
        self.entries: list[training.TrainingEntry] = []
        self.certifications: list[training.Certification] = []
        self.tasks: list[BackgroundTask] = []
        #: The current school year, as of the last refresh (the status box says "This year" over it alone).
        self._current_year = ""

        splitter = QSplitter()
        splitter.addWidget(self._build_officers())
        splitter.addWidget(self._build_year_shown())
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._connect_signals()

    # -- building the page ------------------------------------------------------------

    def _build_officers(self) -> QWidget:
        """The left side: the officers, and adding or editing one."""
        self.officer_list = QListWidget()
        self.officer_list.setAccessibleName("Officers")
        self.officer_list.setWordWrap(True)
        self.add_officer_button = _button("Add &Officer…")
        self.edit_officer_button = _button("Edit Offi&cer…")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        officers_label = QLabel("Office&rs (SROs first):")
        officers_label.setBuddy(self.officer_list)
        left_layout.addWidget(officers_label)
        left_layout.addWidget(self.officer_list, 1)
        left_layout.addWidget(self.add_officer_button)
        left_layout.addWidget(self.edit_officer_button)
        return left

    def _build_year_shown(self) -> QWidget:
        """The right side: the chosen officer's year, status, log and certification."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(self._build_year_bar())
        right_layout.addWidget(self._build_status())
        right_layout.addWidget(self._build_log(), 1)
        right_layout.addLayout(self._build_entry_buttons())
        right_layout.addWidget(self._build_certification())
        right_layout.addWidget(self.error)
        return right

    def _build_year_bar(self) -> QHBoxLayout:
        """The school year shown, and the whole log's import and printout."""
        self.year = year_chooser()
        self.import_button = _button("&Import Log…")
        self.print_button = _button("&Save Training Record as PDF…")
        return year_bar(self.year, self.import_button, self.print_button)

    def _build_status(self) -> QGroupBox:
        """The year's hours against the minimum, and the required topics missing."""
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAccessibleName("Training status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_box = QGroupBox("This year")
        QVBoxLayout(self.status_box).addWidget(self.status)
        return self.status_box

    def _build_log(self) -> QTableWidget:
        """The year's training entries, one a row."""
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        read_only_table(self.table, "Training log")
        return self.table

    def _build_entry_buttons(self) -> QHBoxLayout:
        """Logging, correcting and removing an entry."""
        self.log_button = _button("&Log Training…")
        self.edit_entry_button = _button("&Edit Entry…")
        self.remove_entry_button = _button("Remo&ve Entry")
        entry_buttons = QHBoxLayout()
        entry_buttons.addWidget(self.log_button)
        entry_buttons.addWidget(self.edit_entry_button)
        entry_buttons.addWidget(self.remove_entry_button)
        entry_buttons.addStretch(1)
        return entry_buttons

    def _build_certification(self) -> QGroupBox:
        """The officer's POST Commission SRO certifications and own POST certification, and
        recording or correcting them."""
        self.certification_list = QListWidget()
        self.certification_list.setAccessibleName("SRO certifications")
        self.certification_list.setWordWrap(True)
        self.certification_list.setMaximumHeight(90)
        self.certification_text = QLabel()
        self.certification_text.setWordWrap(True)
        self.certification_text.setTextFormat(Qt.TextFormat.RichText)
        self.certification_text.setAccessibleName("SRO certification")
        self.certify_button = QPushButton("Record Cer&tification…")
        self.certify_button.setAccessibleName("Record certification")
        self.edit_certification_button = _button("Edit Certific&ation…")
        self.post_button = _button("Officer's &POST Certification…")
        certification_box = QGroupBox("POST Commission certification")
        cert_layout = QHBoxLayout(certification_box)
        shown = QVBoxLayout()
        shown.addWidget(self.certification_list)
        shown.addWidget(self.certification_text)
        cert_layout.addLayout(shown, 1)
        buttons = QVBoxLayout()
        for button in (self.certify_button, self.edit_certification_button, self.post_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        cert_layout.addLayout(buttons)
        return certification_box

    def _connect_signals(self) -> None:
        self.officer_list.currentRowChanged.connect(lambda _row: self._show())
        self.year.activated.connect(lambda _i: self._show())
        self.add_officer_button.clicked.connect(lambda: self.edit_officer(None))
        self.edit_officer_button.clicked.connect(lambda: self.edit_officer(self.officer()))
        self.log_button.clicked.connect(lambda: self.edit_entry(None))
        self.edit_entry_button.clicked.connect(lambda: self.edit_entry(self.selected_entry()))
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_entry(self.selected_entry()))
        self.table.itemSelectionChanged.connect(self._update_controls)
        self.remove_entry_button.clicked.connect(self.remove_entry)
        self.certify_button.clicked.connect(self.certify)
        self.edit_certification_button.clicked.connect(self.edit_certification)
        self.certification_list.itemDoubleClicked.connect(lambda _item: self.edit_certification())
        self.certification_list.currentRowChanged.connect(lambda _row: self._update_controls())
        self.post_button.clicked.connect(self.record_post_certification)
        self.import_button.clicked.connect(self.import_log)
        self.print_button.clicked.connect(self.save_pdf)

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        self.data_file = data_file
        keep = self.officer().id if self.officer() else None
        data_file.prefetch(training.page_reads(data_file))
        self.officers = list_officers(data_file)
        self.officer_list.blockSignals(True)
        self.officer_list.clear()
        row = 0
        for index, officer in enumerate(self.officers):
            role = "SRO" if officer.assigned_sro else "officer"
            where = f", {officer.department_name}" if officer.department_name else ""
            item = QListWidgetItem(f"{officer.rank + ' ' if officer.rank else ''}{officer.name} ({role}{where})")
            item.setData(_ID, officer.id)
            self.officer_list.addItem(item)
            if officer.id == keep:
                row = index
        if self.officers:
            self.officer_list.setCurrentRow(row)  # shown once, below
        self.officer_list.blockSignals(False)
        self._fill_years()
        self._show()

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._update_controls()

    # -- showing ----------------------------------------------------------------------

    def _this_year(self) -> str:
        return current_school_year(self.data_file)

    def _fill_years(self) -> None:
        self._current_year = this_year = self._this_year()
        fill_years(self.year, years_to_offer(this_year, training.logged_school_years(self.data_file), last=True),
                   self.year.currentText() or this_year)

    def officer(self) -> Officer | None:
        row = self.officer_list.currentRow()
        return self.officers[row] if 0 <= row < len(self.officers) else None

    def selected_entry(self) -> training.TrainingEntry | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.entries[min(rows)] if rows else None

    def _show(self) -> None:
        if self.data_file is None:
            self._show_officer()
            return
        with self.data_file.reading():  # one snapshot, its reads asked together
            self._show_officer()

    def _show_officer(self) -> None:
        officer = self.officer()
        self.error.hide()
        self._title_year()
        if self.data_file is None or officer is None:
            self.entries = []
            self.table.setRowCount(0)
            self.status.setText("Add the officers of your police department(s), starting with the SRO.")
            self.certifications = []
            self.certification_list.clear()
            self.certification_list.hide()
            self.certification_text.setText("")
            self._update_controls()
            return
        year = self.year.currentText()
        self.data_file.prefetch(training.officer_reads(self.data_file, officer.id, year))
        status, self.entries = training.status_and_entries(self.data_file, officer.id, year)
        topics = training.all_topics(self.data_file)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = [
                entry.taken_on, entry.title, entry.provider, entry.hours,
                ", ".join(topics.get(t, t) for t in entry.topics),
                "Yes" if entry.basic_course else "", entry.with_administrators,
                ", ".join(entry.certificates),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        mark = "✔ Complete" if status.complete else "✘ Not complete"
        missing = (
            "Missing topics the agreement requires every year: "
            + ", ".join(training.REQUIRED_TOPICS.get(t, t) for t in status.topics_missing) + "."
            if status.topics_missing else
            "Every topic the agreement requires every year is covered." if status.requirement.topics else
            "The agreement requires no topic every year."
        )
        days = (
            f"{status.days_left} days left in {year}."
            if status.days_left else f"The {year} school year has ended."
        )
        basic = (
            f"<br>{training.hours_text(status.basic_quarters)} hours of the basic SRO course are "
            "logged separately; they do not count toward the minimum."
            if status.basic_quarters else ""
        )
        self.status.setText(
            f"<b>{mark}</b> — {training.hours_text(status.done_quarters)} of "
            f"{training.hours_text(status.requirement.quarter_hours)} hours. {plain(missing)} {days}"
            f"<br><i>{plain(status.requirement.source)}</i>{basic}"
        )
        self._show_certifications(officer)
        self._update_controls()

    def _show_certifications(self, officer: Officer) -> None:
        """The officer's SRO certifications, one a line with its state and why, and their own
        POST certification beneath."""
        self.certifications = training.certifications_of(self.data_file, officer.id)
        keep = self.certification_list.currentRow()
        self.certification_list.clear()
        for c in self.certifications:
            number = f", no. {c.number}" if c.number else ""
            docs = f" ({', '.join(c.documents)})" if c.documents else ""
            self.certification_list.addItem(f"{c.describe()} Effective {c.granted_on}{number}{docs}")
        if self.certifications:
            self.certification_list.setCurrentRow(min(max(keep, 0), len(self.certifications) - 1))
        self.certification_list.setVisible(bool(self.certifications))
        lines = []
        if not self.certifications:
            warning = " An assigned SRO must hold it." if officer.assigned_sro else ""
            lines.append(f"No certification recorded.{warning}")
        lines.append(plain(training.officer_certification_sentence(officer)))
        self.certification_text.setText("<br>".join(lines))

    def selected_certification(self) -> training.Certification | None:
        row = self.certification_list.currentRow()
        return self.certifications[row] if 0 <= row < len(self.certifications) else None

    def _title_year(self) -> None:
        """The status box names the year shown; "This year" only when it is the current one."""
        year = self.year.currentText()
        if not year or self.data_file is None:
            self.status_box.setTitle("This year")
            return
        named = year.replace("-", "\u2013")
        self.status_box.setTitle(f"This year, {named}" if year == self._current_year else named)

    def _update_controls(self) -> None:
        editable = self.editable and self.data_file is not None
        has_officer = self.officer() is not None
        selected = self.selected_entry() is not None
        self.add_officer_button.setEnabled(editable)
        self.edit_officer_button.setEnabled(editable and has_officer)
        self.log_button.setEnabled(editable and has_officer)
        self.edit_entry_button.setEnabled(editable and selected)
        self.remove_entry_button.setEnabled(editable and selected)
        self.import_button.setEnabled(editable and bool(self.officers))
        self.certify_button.setEnabled(editable and has_officer)
        self.edit_certification_button.setEnabled(editable and self.selected_certification() is not None)
        self.post_button.setEnabled(editable and has_officer)
        self.print_button.setEnabled(has_officer)

    # -- actions ----------------------------------------------------------------------

    def _after_change(self) -> None:
        self.refresh(self.data_file)
        self.saved.emit()

    def edit_officer(self, officer: Officer | None) -> None:
        dialog = OfficerDialog(self.data_file, load_district(self.data_file), officer, self)
        if dialog.exec():
            self._after_change()
            for row, known in enumerate(self.officers):
                if known.id == dialog.result_id:
                    self.officer_list.setCurrentRow(row)

    def edit_entry(self, entry: training.TrainingEntry | None) -> None:
        officer = self.officer()
        if officer is None or not self.editable:
            return
        if EntryDialog(self.data_file, officer, entry, self).exec():
            self._after_change()

    def remove_entry(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        answer = QMessageBox.question(
            self, "SRO Desk",
            plain_sentence(f"Remove the entry '{entry.title}' of {entry.taken_on}? The removal is recorded in the audit log."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.attempt(lambda: training.delete_entry(self.data_file, entry)):
            self._after_change()

    def certify(self) -> None:
        officer = self.officer()
        if officer is not None and CertificationDialog(self.data_file, officer, None, self).exec():
            self._after_change()

    def edit_certification(self) -> None:
        """Correct the chosen certification, or record its new status (suspended, say)."""
        officer, chosen = self.officer(), self.selected_certification()
        if officer is None or chosen is None or not self.editable:
            return
        if CertificationDialog(self.data_file, officer, chosen, self).exec():
            self._after_change()

    def record_post_certification(self) -> None:
        officer = self.officer()
        if officer is None or not self.editable:
            return
        if PostCertificationDialog(self.data_file, officer, self).exec():
            self._after_change()

    def import_log(self) -> None:
        from sro_desk.ui.training_import_dialog import TrainingImportDialog

        name, _ = QFileDialog.getOpenFileName(
            self, "Import a training log", "", "Spreadsheets (*.xlsx *.csv);;All files (*)"
        )
        if not name:
            return
        dialog = TrainingImportDialog(self.data_file, Path(name), self)
        imported = dialog.imported if dialog.exec() else 0
        dialog.deleteLater()
        if imported:
            self._after_change()
            QMessageBox.information(self, "SRO Desk", f"Imported {imported} training entries.")

    def save_pdf(self) -> None:
        from sro_desk.documents.training import build_training_pdf

        officer = self.officer()
        if officer is None:
            return
        year = self.year.currentText()
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the training record", f"Training record {officer.name} {year}.pdf", "PDF (*.pdf)"
        )
        if not name:
            return
        try:
            record = training.printable_training(self.data_file, officer.id, year)
        except Exception as exc:
            self.show_problem(exc)
            return
        out = Path(name)
        run_task(
            self.tasks, self, "Building the training record…",
            lambda progress: build_training_pdf(record, out),
            lambda _r: QMessageBox.information(self, "SRO Desk", f"Saved {out}."),
            self.show_problem,
        )
