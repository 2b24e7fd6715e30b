"""First start: a short walk through the district's setup, saved in one transaction."""

from __future__ import annotations

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records.district import District, save_district, validate
from sro_desk.store import DataFile
from sro_desk.ui.district_form import (
    DepartmentsEditor,
    DistrictBasics,
    LeaderEditor,
    SchoolsEditor,
)
from sro_desk.ui.qt import (
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Qt,
    error_label,
    error_sentence,
    plain,
)

#: Which page fixes each field that validation can name.
_FIELD_PAGE = {"name": 0, "kind": 0, "schools": 1, "departments": 2, "superintendent_name": 3}


class _Page(QWizardPage):
    def __init__(self, wizard: SetupWizard, title: str, intro: str, body: QWidget) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(title)
        self.setSubTitle(intro)
        self.body = body
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(body)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        return self._wizard.check_page(self)


class SetupWizard(QWizard):
    """Name and kind, schools, police departments, then who signs; Finish saves it all."""

    def __init__(self, data_file: DataFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_file = data_file
        self.saved: District | None = None
        self.setWindowTitle("Set up your district")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.basics = DistrictBasics()
        self.schools = SchoolsEditor()
        self.departments = DepartmentsEditor()
        self.leader = LeaderEditor()
        self.signers = QLabel()
        self.signers.setWordWrap(True)
        self.signers.setTextFormat(Qt.TextFormat.RichText)
        self.signers.setAccessibleName("Who signs the agreement")
        signing = QWidget()
        signing_layout = QVBoxLayout(signing)
        signing_layout.setContentsMargins(0, 0, 0, 0)
        signing_layout.addWidget(self.leader)
        signing_layout.addWidget(self.signers)
        signing_layout.addStretch(1)
        self.pages = [
            _Page(
                self,
                "Your district",
                "SRO Desk keeps your School Resource Officer program in one file. "
                "Start with the district's name and kind; you can change all of this later.",
                self.basics,
            ),
            _Page(
                self,
                "Schools",
                "List the schools the SRO serves. Type in a cell to edit it.",
                self.schools,
            ),
            _Page(
                self,
                "Police departments",
                "List each police department party to the agreement and its chief. A "
                "regional district may have several.",
                self.departments,
            ),
            _Page(
                self,
                "Who signs",
                "The agreement is signed for the schools and by every chief.",
                signing,
            ),
        ]
        for page in self.pages:
            self.addPage(page)
        self.basics.kind.currentIndexChanged.connect(self._sync_kind)
        self.currentIdChanged.connect(self._page_shown)
        # The preview follows every keystroke of the leader's name (it is on the same page).
        self.leader.leader.textChanged.connect(self._show_signers)
        self.schools.add_row(edit=False)
        self.departments.add_row(edit=False)
        self.basics.name.setFocus()

    def _sync_kind(self) -> None:
        self.leader.set_kind(self.basics.kind.currentData())

    def district(self) -> District:
        """What the person has typed so far, as a District."""
        district = District(name="")
        for part in (self.basics, self.schools, self.departments, self.leader):
            district = part.apply(district)
        return district

    def _page_shown(self, page_id: int) -> None:
        if page_id == 0:
            self.basics.name.setFocus()
        elif page_id == 1:
            self.schools.start_editing()
        elif page_id == 2:
            self.departments.start_editing()
        elif page_id == 3:
            self._show_signers()
            self.leader.leader.setFocus()

    def _show_signers(self) -> None:
        """Who signs, as the agreement will print them: name, title, organisation."""
        lines = []
        for person in self.district().signatories():
            name = plain(person.name) if person.name else "<i>(name not entered yet)</i>"
            lines.append(f"{name}, {plain(person.title)}, {plain(person.organisation.strip())}")
        self.signers.setText("<b>Signatures:</b><br>" + "<br>".join(lines))

    def check_page(self, page: _Page) -> bool:
        """Accept a page unless validation names a field on it (or, on Finish, saves)."""
        index = self.pages.index(page)
        page.error.hide()
        for editor in (self.schools, self.departments):
            editor.commit_edits()
        try:
            validate(self.district())
        except ValidationError as exc:
            if _FIELD_PAGE.get(exc.field or "", 0) <= index:
                page.error.setText(exc.message)
                page.error.show()
                self._focus(exc.field)
                return False
        if index < len(self.pages) - 1:
            return True
        try:
            self.saved = save_district(self.data_file, self.district())
        except SroDeskError as exc:
            page.error.setText(exc.message)
            page.error.show()
            return False
        except Exception as exc:  # a bug: logged with its traceback, a sentence shown
            page.error.setText(error_sentence(exc))
            page.error.show()
            return False
        return True

    def _focus(self, field: str | None) -> None:
        target = {
            "name": self.basics.name,
            "kind": self.basics.kind,
            "schools": self.schools.table,
            "departments": self.departments.table,
            "superintendent_name": self.leader.leader,
        }.get(field or "")
        if target is not None:
            target.setFocus()
