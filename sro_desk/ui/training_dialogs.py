"""Dialogs of the Training page: an officer, a training entry, a certification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sro_desk.records import training
from sro_desk.records.attachments import read_document
from sro_desk.records.district import District
from sro_desk.records.officers import Officer
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
            required = key in training.REQUIRED_TOPICS
            item = QListWidgetItem(f"{label}{'  (required every year)' if required else ''}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if key in self.entry.topics else Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.row("&Date:", self.taken_on, "Training date")
        self.row("T&itle:", self.title_edit, "Training title")
        self.row("&Provider:", self.provider, "Provider")
        self.row("&Hours:", self.hours, "Hours")
        self.row("&Topics:", self.topics, "Topics covered")
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


class CertificationDialog(FormDialog):
    """The POST Commission's SRO certification: number, granted, expires, certificate."""

    def __init__(self, data_file, officer: Officer, certification: Certification | None = None, parent=None) -> None:
        super().__init__(f"SRO certification for {officer.name}", parent)
        self.data_file = data_file
        self.certification = certification or Certification(officer.id, granted_on="")
        self.number = QLineEdit(self.certification.number)
        self.granted = QLineEdit(self.certification.granted_on)
        self.granted.setPlaceholderText("YYYY-MM-DD")
        self.expires = QLineEdit(self.certification.expires_on)
        self.expires.setPlaceholderText("YYYY-MM-DD")
        self.row("Certificate &number:", self.number, "Certificate number")
        self.row("&Granted on:", self.granted, "Date granted")
        self.row("&Expires on:", self.expires, "Expiry date")
        _attach_row(self, "certificate")

    def save(self):
        certification = Certification(
            **{
                **self.certification.__dict__,
                "number": self.number.text(),
                "granted_on": self.granted.text(),
                "expires_on": self.expires.text(),
            }
        )
        document = read_document(self.document_path, what="the certificate") if self.document_path else None
        return training.save_certification(self.data_file, certification, document=document)
