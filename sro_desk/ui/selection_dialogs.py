"""Dialogs of the Selection page: a new round, one group's input, a disclosure."""

from __future__ import annotations

from datetime import date

from sro_desk.records import selection
from sro_desk.records.settings import current_school_year
from sro_desk.records.district import District
from sro_desk.records.officers import Officer
from sro_desk.records.selection import Disclosure, InputRecord, Score, SelectionRound
from sro_desk.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    Qt,
)
from sro_desk.ui.training_dialogs import FormDialog

_ID = Qt.ItemDataRole.UserRole


class RoundDialog(FormDialog):
    """Open a selection round: year, school, title, candidates."""

    def __init__(self, data_file, district: District | None, officers: list[Officer], parent=None) -> None:
        super().__init__("New selection round", parent)
        self.data_file = data_file
        first = int(current_school_year(data_file)[:4]) + 1
        next_year = f"{first}-{first + 1}"
        self.year = QLineEdit(next_year)
        self.school = QComboBox()
        self.school.addItem("District-wide", None)
        for school in district.schools if district else []:
            self.school.addItem(school.name, school.id)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(f"e.g. High school SRO {next_year}")
        self.opened = QLineEdit(date.today().isoformat())
        self.candidates = QListWidget()
        for officer in officers:
            item = QListWidgetItem(f"{officer.name} ({officer.department_name or 'no department'})")
            item.setData(_ID, officer.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.candidates.addItem(item)
        self.row("School &year:", self.year, "School year")
        self.row("&School:", self.school, "School")
        self.row("&Title:", self.title_edit, "Round title")
        self.row("&Opened on:", self.opened, "Date opened")
        self.row("&Candidates:", self.candidates, "Candidates (tick each officer)")

    def save(self):
        officer_ids = [
            self.candidates.item(i).data(_ID)
            for i in range(self.candidates.count())
            if self.candidates.item(i).checkState() == Qt.CheckState.Checked
        ]
        return selection.open_round(
            self.data_file, school_year=self.year.text(), title=self.title_edit.text(),
            opened_on=self.opened.text(), school_id=self.school.currentData(), officer_ids=officer_ids,
        )


class InputDialog(FormDialog):
    """One group's input: who, when, and a grid of 1–5 scores with a comment per candidate."""

    def __init__(self, data_file, chosen: SelectionRound, record: InputRecord | None = None, parent=None) -> None:
        super().__init__("Input from the school community", parent)
        self.data_file = data_file
        self.chosen = chosen
        self.record = record or InputRecord(None, "principal", date.today().isoformat())
        self.group = QComboBox()
        for key, label in selection.GROUPS.items():
            self.group.addItem(label, key)
        self.group.setCurrentIndex(max(0, self.group.findData(self.record.source_group)))
        self.gathered_on = QLineEdit(self.record.gathered_on)
        self.gathered_by = QLineEdit(self.record.gathered_by)
        self.participants = QLineEdit(self.record.participants)
        self.participants.setPlaceholderText("e.g. 22 parents at the PTO meeting")
        self.row("&Group:", self.group, "Group the input came from")
        self.row("&Date:", self.gathered_on, "Date gathered")
        self.row("Gathered &by:", self.gathered_by, "Gathered by")
        self.row("&Participants:", self.participants, "Participants")
        names = [c.officer.name for c in chosen.candidates]
        self.grid = QTableWidget(len(chosen.criteria) + 1, len(chosen.candidates))
        self.grid.setHorizontalHeaderLabels(names)
        self.grid.setVerticalHeaderLabels([c.label for c in chosen.criteria] + ["Comment"])
        self.grid.setAccessibleName("Scores from 1 to 5 for each candidate, and a comment")
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setTabKeyNavigation(True)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        existing = {(s.candidate_id, s.criterion_id): s for s in self.record.scores}
        for column, candidate in enumerate(chosen.candidates):
            for row, criterion in enumerate(chosen.criteria):
                score = existing.get((candidate.id, criterion.id))
                self.grid.setItem(row, column, QTableWidgetItem(str(score.score) if score and score.score else ""))
            comment = existing.get((candidate.id, None))
            self.grid.setItem(len(chosen.criteria), column, QTableWidgetItem(comment.comment if comment else ""))
        self.grid.setMinimumSize(640, 360)
        caption = QLabel("Scores: 1 poor, 2 fair, 3 good, 4 very good, 5 excellent; leave blank when the group could not judge.")
        caption.setWordWrap(True)
        self.extra.addWidget(caption)
        self.extra.addWidget(self.grid)

    def scores(self) -> list[Score]:
        """The grid as scores; ValidationError naming the first cell that is not 1–5."""
        from sro_desk.errors import ValidationError

        result = []
        for column, candidate in enumerate(self.chosen.candidates):
            for row, criterion in enumerate(self.chosen.criteria):
                item = self.grid.item(row, column)
                text = item.text().strip() if item else ""
                if not text:
                    continue
                if text not in {"1", "2", "3", "4", "5"}:
                    raise ValidationError(
                        f"{candidate.officer.name}, '{criterion.label}': scores go from 1 to 5."
                    )
                result.append(Score(candidate.id, criterion.id, int(text)))
            comment = self.grid.item(len(self.chosen.criteria), column)
            if comment is not None and comment.text().strip():
                result.append(Score(candidate.id, None, None, comment.text()))
        return result

    def save(self):
        record = InputRecord(
            self.record.id, self.group.currentData(), self.gathered_on.text(),
            self.gathered_by.text(), self.participants.text(), self.record.notes,
            self.scores(), self.record.version,
        )
        return selection.save_input(self.data_file, self.chosen, record)


class DisclosureDialog(FormDialog):
    """A candidate's relationship to a current or expected student or staff member."""

    def __init__(self, data_file, chosen: SelectionRound, parent=None) -> None:
        super().__init__("Conflict of interest disclosure", parent)
        self.data_file = data_file
        self.chosen = chosen
        self.candidate = QComboBox()
        for candidate in chosen.candidates:
            self.candidate.addItem(candidate.officer.name, candidate.id)
        self.relationship = QLineEdit()
        self.relationship.setPlaceholderText("e.g. parent of a grade 9 student (no names)")
        self.description = QLineEdit()
        self.decision = QLineEdit()
        self.decision.setPlaceholderText("What the department decided, and told the district")
        self.row("&Candidate:", self.candidate, "Candidate")
        self.row("&Relationship:", self.relationship, "Relationship")
        self.row("D&etails:", self.description, "Details")
        self.row("Department's &decision:", self.decision, "Department's decision")

    def save(self):
        return selection.save_disclosure(
            self.data_file, self.chosen,
            Disclosure(None, self.candidate.currentData(), self.relationship.text(),
                       self.description.text(), self.decision.text()),
        )
