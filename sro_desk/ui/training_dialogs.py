"""Dialogs of the Training page: an officer, a training entry, an SRO certification, and
the officer's own POST certification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sro_desk.records import training
from sro_desk.records.attachments import read_document
from sro_desk.records.district import District
from sro_desk.records.officers import POST_STATUSES, Officer
from sro_desk.records.training import Certification, TrainingEntry
from sro_desk.ui.page import form_row
from sro_desk.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    error_label,
    error_sentence,
)


class FormDialog(QDialog):
    """A dialog with a form, an error line and OK/Cancel; ``save`` does the work.

    OK runs ``save``; a refusal shows its sentence and keeps everything typed.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_id = None

    def row(self, text: str, widget: QWidget, accessible: str) -> None:
        form_row(self.form, text, widget, accessible)

    def _ok(self) -> None:
        self.error.hide()
        try:
            self.result_id = self.save()
        except Exception as exc:
            self.error.setText(error_sentence(exc))
            self.error.show()
            return
        self.accept()

    def save(self):  # pragma: no cover - every dialog overrides it
        raise NotImplementedError


def _attach_row(dialog: FormDialog, what: str) -> QLabel:
    """An 'Attach…' button and the chosen file's name; the path lands in dialog.document."""
    dialog.document_path = None
    chosen = QLabel("No file attached.")
    chosen.setTextFormat(Qt.TextFormat.PlainText)
    button = QPushButton(f"&Attach {what}…")
    button.setAccessibleName(f"Attach {what}")

    def choose() -> None:
        name, _ = QFileDialog.getOpenFileName(
            dialog, f"Attach {what}", "", "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
        )
        if name:
            dialog.document_path = Path(name)
            chosen.setText(Path(name).name)

    button.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addWidget(chosen, 1)
    dialog.extra.addLayout(row)
    return chosen


class OfficerDialog(FormDialog):
    """Add or edit an officer of a participating police department."""

    def __init__(self, data_file, district: District | None, officer: Officer | None = None, parent=None) -> None:
        super().__init__("Officer", parent)
        self.data_file = data_file
        self.officer = officer or Officer(name="")
        self.name = QLineEdit(self.officer.name)
        self.rank = QLineEdit(self.officer.rank)
        self.rank.setPlaceholderText("e.g. Officer, Sergeant")
        self.department = QComboBox()
        self.department.addItem("(not set)", None)
        departments = district.departments if district else []
        for department in departments:
            self.department.addItem(department.name, department.id)
        chosen = self.officer.department_id
        if self.officer.id is None and chosen is None and len(departments) == 1:
            chosen = departments[0].id  # a new officer of the district's only department
        self.department.setCurrentIndex(max(0, self.department.findData(chosen)))
        self.years = QSpinBox()
        self.years.setRange(0, 60)
        self.years.setValue(self.officer.years_of_service or 0)
        self.assigned = QCheckBox("Assigned as a School Resource Officer")
        self.assigned.setChecked(self.officer.assigned_sro)
        self.row("&Name:", self.name, "Officer's name")
        self.row("&Rank:", self.rank, "Rank")
        self.row("&Department:", self.department, "Police department")
        self.row("&Years of service:", self.years, "Years of service")
        self.assigned.setAccessibleName("Assigned as SRO")
        self.form.addRow("", self.assigned)

    def save(self):
        from sro_desk.records.officers import save_officer

        officer = Officer(
            **{
                **self.officer.__dict__,
                "name": self.name.text(),
                "rank": self.rank.text(),
                "department_id": self.department.currentData(),
                "years_of_service": self.years.value(),
                "assigned_sro": self.assigned.isChecked(),
            }
        )
        return save_officer(self.data_file, officer)


class EntryDialog(FormDialog):
    """Log (or correct) one training: date, title, provider, hours, topics, certificate."""

    def __init__(self, data_file, officer: Officer, entry: TrainingEntry | None = None, parent=None) -> None:
        super().__init__(f"Training for {officer.name}", parent)
        self.data_file = data_file
        self.entry = entry or TrainingEntry(officer.id, date.today().isoformat(), "", 0)
        self.taken_on = QLineEdit(self.entry.taken_on)
        self.taken_on.setPlaceholderText("YYYY-MM-DD")
        self.title_edit = QLineEdit(self.entry.title)
        self.provider = QLineEdit(self.entry.provider)
        self.hours = QLineEdit(self.entry.hours if self.entry.quarter_hours else "")
        self.hours.setPlaceholderText("Quarter hours, e.g. 1.5")
        self.basic = QCheckBox("Part of the certified basic SRO course (does not count toward the yearly minimum)")
        self.basic.setChecked(self.entry.basic_course)
        self.basic.setAccessibleName("Basic SRO course")
        self.admins = QLineEdit(self.entry.with_administrators)
        self.admins.setPlaceholderText("Administrators who attended, by name or title")
        self.topics = QListWidget()
        self.topics.setMinimumHeight(160)
        for key, label in training.all_topics(data_file).items():
            marks = training.topic_marks(key)
            item = QListWidgetItem(f"{label}{'  (' + '; '.join(marks) + ')' if marks else ''}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            note = training.STATUTE_TOPIC_NOTES.get(key)
            if note:
                item.setToolTip(f"{training.STATUTE_CITATION}: {note}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if key in self.entry.topics else Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.topics_note = QLabel(
            "Which topics are required every year is the agreement's. § 116H (G.L. c. 6) lists the topics of "
            "the SRO in-service program but sets no frequency."
        )
        self.topics_note.setWordWrap(True)
        self.topics_note.setAccessibleName("About the topics")
        self.row("&Date:", self.taken_on, "Training date")
        self.row("T&itle:", self.title_edit, "Training title")
        self.row("&Provider:", self.provider, "Provider")
        self.row("&Hours:", self.hours, "Hours")
        self.row("&Topics:", self.topics, "Topics covered")
        self.form.addRow("", self.topics_note)
        self.row("Attended &with:", self.admins, "Administrators who attended")
        self.form.addRow("", self.basic)
        existing = ", ".join(self.entry.certificates)
        chosen = _attach_row(self, "certificate")
        if existing:
            chosen.setText(f"Already attached: {existing}")

    def checked_topics(self) -> list[str]:
        return [
            self.topics.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.topics.count())
            if self.topics.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save(self):
        entry = TrainingEntry(
            **{
                **self.entry.__dict__,
                "taken_on": self.taken_on.text(),
                "title": self.title_edit.text(),
                "provider": self.provider.text(),
                "quarter_hours": training.parse_hours(self.hours.text()),
                "topics": self.checked_topics(),
                "basic_course": self.basic.isChecked(),
                "with_administrators": self.admins.text(),
            }
        )
        document = read_document(self.document_path, what="the certificate") if self.document_path else None
        return training.save_entry(self.data_file, entry, certificate=document)


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class CertificationDialog(FormDialog):
    """The POST Commission's SRO certification: number, effective date, expiry (offered as
    three years on, stored as typed), status, and a conditional one's training and deadline."""

    def __init__(self, data_file, officer: Officer, certification: Certification | None = None, parent=None) -> None:
        super().__init__(f"SRO certification for {officer.name}", parent)
        self.data_file = data_file
        self.certification = certification or Certification(officer.id, granted_on="")
        self.number = QLineEdit(self.certification.number)
        self.granted = QLineEdit(self.certification.granted_on)
        self.granted.setPlaceholderText("YYYY-MM-DD")
        self.expires = QLineEdit(self.certification.expires_on)
        self.expires.setPlaceholderText("YYYY-MM-DD, from the certificate")
        self.status = QComboBox()
        for key, label in training.CERTIFICATION_STATUSES.items():
            self.status.addItem(label, key)
        self.status.setCurrentIndex(max(0, self.status.findData(self.certification.status or "active")))
        self.conditions = QLineEdit(self.certification.conditions)
        self.conditions.setPlaceholderText("The training POST requires, e.g. the SRO in-service course")
        self.conditions_due = QLineEdit(self.certification.conditions_due)
        self.conditions_due.setPlaceholderText("YYYY-MM-DD")
        self.note = QLabel(
            "Unless POST sets another date, an SRO certification expires three years after its effective date "
            "(555 CMR 10.09(4)): SRO Desk offers that date; type the one on the certificate. It is suspended or "
            "revoked with the officer's own POST certification (555 CMR 10.09(9)-(10))."
        )
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About the certification")
        self.form.addRow(self.note)
        self.row("Certificate &number:", self.number, "Certificate number")
        self.row("&Effective on:", self.granted, "Effective date")
        self.row("E&xpires on:", self.expires, "Expiry date")
        self.row("&Status:", self.status, "Status")
        self.row("&Training to finish:", self.conditions, "Training a conditional certification requires")
        self.row("Finish &by:", self.conditions_due, "Date to finish the training by")
        _attach_row(self, "certificate")
        #: The expiry last offered, replaced when the effective date changes unless typed over.
        self._offered = ""
        self.granted.textChanged.connect(self._offer_expiry)
        self.status.currentIndexChanged.connect(lambda _i: self._show_conditions())
        self._show_conditions()
        self.setMinimumWidth(480)

    def _offer_expiry(self, text: str) -> None:
        """Offer the expiry three years after a complete effective date, unless one was typed."""
        effective = _date_or_none(text)
        if effective is None or self.expires.text().strip() not in ("", self._offered):
            return
        self._offered = training.default_expiry(effective).isoformat()
        self.expires.setText(self._offered)

    def _show_conditions(self) -> None:
        conditional = self.status.currentData() == "conditional"
        self.conditions.setEnabled(conditional)
        self.conditions_due.setEnabled(conditional)

    def save(self):
        certification = Certification(
            **{
                **self.certification.__dict__,
                "number": self.number.text(),
                "granted_on": self.granted.text(),
                "expires_on": self.expires.text(),
                "status": self.status.currentData(),
                "conditions": self.conditions.text(),
                "conditions_due": self.conditions_due.text(),
            }
        )
        document = read_document(self.document_path, what="the certificate") if self.document_path else None
        return training.save_certification(self.data_file, certification, document=document)


class PostCertificationDialog(FormDialog):
    """The officer's own POST certification: its status and expiry (the SRO certification
    follows it when it is suspended or revoked)."""

    def __init__(self, data_file, officer: Officer, parent=None) -> None:
        super().__init__(f"POST certification of {officer.name}", parent)
        self.data_file = data_file
        self.officer = officer
        self.status = QComboBox()
        self.status.addItem("(not recorded)", "")
        for key, label in POST_STATUSES.items():
            self.status.addItem(label, key)
        self.status.setCurrentIndex(max(0, self.status.findData(officer.post_status)))
        self.expires = QLineEdit(officer.post_expires_on)
        self.expires.setPlaceholderText("YYYY-MM-DD")
        note = QLabel(
            "The officer's own certification as a police officer, from POST. When it is suspended or revoked, "
            "the SRO certification is deemed suspended or revoked too (555 CMR 10.09(9)-(10))."
        )
        note.setWordWrap(True)
        note.setAccessibleName("About the officer's certification")
        self.form.addRow(note)
        self.row("&Status:", self.status, "Officer's POST certification status")
        self.row("&Expires on:", self.expires, "Officer's POST certification expiry")
        self.setMinimumWidth(440)

    def save(self):
        from sro_desk.records.officers import save_officer

        officer = Officer(**{**self.officer.__dict__, "post_status": self.status.currentData(),
                             "post_expires_on": self.expires.text()})
        return save_officer(self.data_file, officer)
