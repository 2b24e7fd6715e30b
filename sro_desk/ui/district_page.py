"""District page: edit the district, its schools, its police departments and signatories."""

from __future__ import annotations

from dataclasses import replace

from sro_desk.errors import ConflictError, SroDeskError
from sro_desk.records.district import District, load_district, save_district
from sro_desk.records.settings import MONTHS, school_year_start_month, set_school_year_start_month
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.conflict import ConflictDialog
from sro_desk.ui.district_form import DepartmentsEditor, DistrictBasics, LeaderEditor, SchoolsEditor
from sro_desk.ui.page import Page
from sro_desk.ui.qt import (
    QComboBox,
    QLabel,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
    error_sentence,
    scrolling,
)


class DistrictPage(Page):
    """The district's details, saved against the versions they were loaded at."""

    title = "District"
    reads = frozenset({"district", "school", "police_department", "setting"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded: District | None = None
        self.dirty = False
        self.basics = DistrictBasics()
        self.leader = LeaderEditor()
        self.schools = SchoolsEditor()
        self.departments = DepartmentsEditor()
        self.save_button = QPushButton("&Save Changes")
        self.save_button.setAccessibleName("Save district changes")
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setAccessibleName("Discard district changes")

        self.year_start = QComboBox()
        self.year_start.setAccessibleName("Month the school year starts")
        for number, month in enumerate(MONTHS, start=1):
            self.year_start.addItem(month, number)
        self.year_start.currentIndexChanged.connect(self._edited)
        year_label = QLabel("School &year starts on the first of:")
        year_label.setBuddy(self.year_start)
        year_box = QGroupBox("School year")
        year_layout = QHBoxLayout(year_box)
        year_layout.addWidget(year_label)
        year_layout.addWidget(self.year_start)
        year_layout.addStretch(1)
        basics_box = QGroupBox("District and signatory")
        basics_layout = QVBoxLayout(basics_box)
        basics_layout.addWidget(self.basics)
        basics_layout.addWidget(self.leader)
        schools_box = QGroupBox("Schools")
        QVBoxLayout(schools_box).addWidget(self.schools)
        departments_box = QGroupBox("Police departments and chiefs")
        QVBoxLayout(departments_box).addWidget(self.departments)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(basics_box)
        layout.addWidget(schools_box)
        layout.addWidget(departments_box)
        layout.addWidget(year_box)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))

        self.parts = (self.basics, self.leader, self.schools, self.departments)
        for part in self.parts:
            part.changed.connect(self._edited)
        self.basics.kind.currentIndexChanged.connect(
            lambda: self.leader.set_kind(self.basics.kind.currentData())
        )
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.editable = True
        self._update_buttons()

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        """Reload from the file, unless the person has unsaved typing (never lost)."""
        self.data_file = data_file
        if self.dirty:
            return
        self._load(load_district(data_file))
        self._load_year_start()

    def _load_year_start(self) -> None:
        if self.data_file is None:
            return
        self.year_start.blockSignals(True)
        self.year_start.setCurrentIndex(school_year_start_month(self.data_file) - 1)
        self.year_start.blockSignals(False)

    def forget_file(self) -> None:
        """Another file is opened: the form empties (the typing was saved or discarded)."""
        super().forget_file()
        self._load(None)

    def has_unsaved_changes(self) -> bool:
        return self.dirty or self.schools.editing() or self.departments.editing()

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        for part in self.parts:
            part.setEnabled(editable)
        self.year_start.setEnabled(editable)
        self._update_buttons()

    # -- editing ----------------------------------------------------------------------

    def _load(self, district: District | None) -> None:
        self.loaded = district
        # A file without a district yet shows an empty form, never the last file's.
        for part in self.parts:
            part.blockSignals(True)
            part.load(district if district is not None else District(name=""))
            part.blockSignals(False)
        self.dirty = False
        self.error.hide()
        self._update_buttons()

    def _edited(self) -> None:
        self.dirty = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.editable and self.dirty)
        self.revert_button.setEnabled(self.editable and self.dirty)

    def current(self) -> District:
        """The district as the form shows it, with the loaded ids and versions."""
        district = self.loaded or District(name="")
        for part in self.parts:
            district = part.apply(district)
        return district

    def revert(self) -> None:
        self.dirty = False
        if self.data_file is not None:
            self._load(load_district(self.data_file))
            self._load_year_start()

    def save(self) -> bool:
        """Save the form; a conflict shows both versions and lets the person choose."""
        if self.data_file is None:
            return False
        for editor in (self.schools, self.departments):
            editor.commit_edits()
        return self._save(self.current())

    def _save(self, district: District) -> bool:
        assert self.data_file is not None
        self.error.hide()
        month = self.year_start.currentData()
        if month != school_year_start_month(self.data_file):
            # Saved first: it carries no version, so a district conflict after it loses nothing.
            try:
                set_school_year_start_month(self.data_file, month)
            except Exception as exc:
                self._show_error(error_sentence(exc))
                return False
        try:
            saved = save_district(self.data_file, district)
        except ConflictError as conflict:
            return self._resolve(conflict, district)
        except SroDeskError as exc:
            self._show_error(exc.message)
            return False
        except Exception as exc:
            self._show_error(error_sentence(exc))
            return False
        self._load(saved)
        self.saved.emit()
        return True

    def _show_error(self, sentence: str) -> None:
        self.show_problem(sentence)

    def _resolve(self, conflict: ConflictError, mine: District) -> bool:
        dialog = ConflictDialog(conflict, self)
        dialog.exec()
        assert self.data_file is not None
        latest = load_district(self.data_file)
        if dialog.choice == ConflictDialog.TAKE_THEIRS:
            self.dirty = False
            self._load(latest)
            return False
        if dialog.choice == ConflictDialog.KEEP_MINE and latest is not None:
            return self._save(_rebase(mine, latest))
        self._show_error(conflict.message)
        return False


def _rebase(mine: District, latest: District) -> District:
    """Mine, but stamped with the latest versions, so saving puts mine over theirs."""
    school_versions = {s.id: s.version for s in latest.schools}
    department_versions = {d.id: d.version for d in latest.departments}
    now = {"school": school_versions, "police_department": department_versions}
    return replace(
        mine,
        version=latest.version,
        loaded_rows={
            table: {row_id: now[table][row_id] for row_id in loaded if row_id in now[table]}
            for table, loaded in mine.loaded_rows.items()
        },
        schools=[
            replace(s, version=school_versions[s.id]) if s.id in school_versions else replace(s, id=None)
            for s in mine.schools
        ],
        departments=[
            replace(d, version=department_versions[d.id])
            if d.id in department_versions
            else replace(d, id=None)
            for d in mine.departments
        ],
    )
