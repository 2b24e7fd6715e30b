"""Dashboard: the district at a glance, the file, who else has it open, the last backup."""

from __future__ import annotations

from datetime import date, datetime

from sro_desk.records import complaints, training
from sro_desk.records.agreement_review import agreement_reminder
from sro_desk.records.calendar import school_year_bounds, school_year_of
from sro_desk.records.district import District, load_district
from sro_desk.records.officers import list_officers
from sro_desk.records.settings import current_school_year, school_year_start_month
from sro_desk.store import DataFile
from sro_desk.store.backup import backup_time, latest_backup
from sro_desk.store.lease import Presence, read_lease
from sro_desk.ui.qt import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    plain,
    scrolling,
)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def _when(moment: datetime) -> str:
    return moment.strftime("%b %d, %Y at %I:%M %p").replace(" 0", " ")


class DashboardPage(QWidget):
    """What this file holds and how it stands; refreshed whenever the file changes."""

    backup_requested = Signal()
    title = "Dashboard"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setAccessibleName("District name")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.district_text = _label("District summary")
        self.agreement_text = _label("Agreement status")
        self.training_text = _label("Training and certification")
        self.complaints_text = _label("Complaints")
        self.file_text = _label("About this file")
        self.backup_text = _label("Backups")
        self.backup_button = QPushButton("&Back Up Now")
        self.backup_button.setAccessibleName("Back up now")
        self.backup_button.clicked.connect(self.backup_requested)

        district_box = QGroupBox("District")
        QVBoxLayout(district_box).addWidget(self.district_text)
        agreement_box = QGroupBox("Agreement")
        QVBoxLayout(agreement_box).addWidget(self.agreement_text)
        complaints_box = QGroupBox("Complaints")
        QVBoxLayout(complaints_box).addWidget(self.complaints_text)
        training_box = QGroupBox("SRO training and certification")
        QVBoxLayout(training_box).addWidget(self.training_text)
        file_box = QGroupBox("This file")
        QVBoxLayout(file_box).addWidget(self.file_text)
        backup_box = QGroupBox("Backups")
        backup_layout = QVBoxLayout(backup_box)
        backup_layout.addWidget(self.backup_text)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        backup_layout.addLayout(row)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(district_box)
        layout.addWidget(agreement_box)
        layout.addWidget(training_box)
        layout.addWidget(complaints_box)
        layout.addWidget(file_box)
        layout.addWidget(backup_box)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))

    def set_editable(self, editable: bool) -> None:
        """The dashboard edits nothing; backups only read the file."""

    def has_unsaved_changes(self) -> bool:
        return False

    def refresh(self, data_file: DataFile, presence: Presence | None = None) -> None:
        district = load_district(data_file)
        self._show_district(district)
        self._show_agreement(data_file)
        self._show_training(data_file)
        self._show_complaints(data_file)
        self._show_file(data_file, presence)
        self._show_backup(data_file)

    def _show_district(self, district: District | None) -> None:
        if district is None:
            self.heading.setText("No district set up yet")
            self.district_text.setText("Use District > Set Up District to enter it.")
            return
        self.heading.setText(plain(district.name))
        signers = "".join(
            f"<li>{plain(s.name)}, {plain(s.title)}, {plain(s.organisation)}</li>"
            for s in district.signatories()
        )
        schools = "".join(
            f"<li>{plain(s.name)}"
            + (f" ({plain(s.grades)})" if s.grades else "")
            + (f", principal {plain(s.principal_name)}" if s.principal_name else "")
            + "</li>"
            for s in district.schools
        )
        self.district_text.setText(
            f"{plain(district.kind_label)}<br>"
            f"<b>Signatories</b><ul>{signers}</ul>"
            f"<b>{len(district.schools)} school(s)</b><ul>{schools}</ul>"
        )

    def _show_agreement(self, data_file: DataFile) -> None:
        month = school_year_start_month(data_file)
        today = date.today()
        this_year = school_year_of(today, starts_month=month)
        start, _ = school_year_bounds(this_year, starts_month=month)
        lines = []
        upcoming = None
        if (start.replace(year=start.year + 1) - today).days <= 120:
            upcoming = school_year_of(start.replace(year=start.year + 1), starts_month=month)
        for year, starts in ((this_year, start), (upcoming, start.replace(year=start.year + 1))):
            if year is None:
                continue
            done, sentence = agreement_reminder(data_file, year, starts, today)
            lines.append(f"{'✔' if done else '✘'} {plain(sentence)}")
        self.agreement_text.setText("<br>".join(lines))

    def _show_training(self, data_file: DataFile) -> None:
        year = school_year_of(date.today(), starts_month=school_year_start_month(data_file))
        sros = list_officers(data_file, sros_only=True)
        if not sros:
            self.training_text.setText("No SRO recorded yet; add them on the Training page.")
            return
        lines = []
        for officer in sros:
            status = training.training_status(data_file, officer.id, year)
            mark = "✔" if status.complete else "✘"
            lines.append(f"{mark} {plain(status.summary())}")
        lines += [f"⚠ {plain(alert)}" for alert in training.certification_alerts(data_file)]
        self.training_text.setText("<br>".join(lines))

    def _show_complaints(self, data_file: DataFile) -> None:
        year = current_school_year(data_file)
        done, notice = complaints.notice_status(data_file, year)
        lines = [f"{'✔' if done else '✘'} {plain(notice)}"]
        late = complaints.overdue(data_file)
        lines += [f"✘ {plain(sentence)}" for _, sentence in late]
        if not late:
            lines.append("✔ No complaint is past its targets.")
        self.complaints_text.setText("<br>".join(lines))

    def _show_file(self, data_file: DataFile, presence: Presence | None) -> None:
        lines = [f"<b>Location:</b> {plain(str(data_file.path))}"]
        if data_file.read_only:
            lines.append(f"<b>Read-only:</b> {plain(data_file.read_only_reason or '')}")
            holder = read_lease(data_file.path)
            if holder is not None:
                lines.append(f"<b>Being edited by:</b> {plain(holder.describe())}")
        else:
            lines.append("<b>You are editing this file.</b> Others who open it see it read-only.")
        others = presence.others() if presence is not None else []
        if others:
            names = ", ".join(plain(o.describe()) for o in others)
            lines.append(f"<b>Also open by:</b> {names}")
        else:
            lines.append("<b>Also open by:</b> no one else")
        self.file_text.setText("<br>".join(lines))

    def _show_backup(self, data_file: DataFile) -> None:
        latest = latest_backup(data_file.path)
        if latest is None:
            self.backup_text.setText("No backup of this file yet.")
            return
        made = backup_time(latest)
        self.backup_text.setText(
            f"<b>Last backup:</b> {_when(made) if made else ''}<br>{plain(str(latest))}"
        )
