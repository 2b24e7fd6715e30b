"""The District page: saving, refusing bad input without losing it, and conflicts."""

from __future__ import annotations

import pytest

from sro_desk.errors import ConflictError
from sro_desk.records.district import load_district, save_district
from sro_desk.store import rows
from sro_desk.ui.conflict import ConflictDialog
from sro_desk.ui.district_page import DistrictPage
from sro_desk.ui.qt import QLabel, QPushButton, QTableWidget, Qt

DEMO_NAME = "Granite Valley Regional School District"


@pytest.fixture
def page(qtbot, demo_file):
    page = DistrictPage()
    qtbot.addWidget(page)
    page.refresh(demo_file)
    page.show()
    qtbot.waitExposed(page)
    return page


def retype(qtbot, line_edit, text: str) -> None:
    """Select all and type over, as a person does."""
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line_edit, text)


def district_version(data_file) -> int:
    return data_file.query("SELECT version FROM district")[0]["version"]


def someone_else_renames(data_file, name: str) -> None:
    """Another writer's save: the district row moves on to a new version."""
    current = load_district(data_file)
    with data_file.write():
        rows.update(
            data_file,
            "district",
            current.id,
            {"name": name, "kind": current.kind, "superintendent_name": current.superintendent_name},
            expected_version=current.version,
            label="district's details",
        )


def test_loads_the_district_and_starts_clean(page):
    assert page.basics.name.text() == DEMO_NAME
    assert page.basics.kind.currentData() == "regional"
    assert page.leader.leader.text() == "Dr. Maria Santos"
    assert page.schools.table.rowCount() == 4
    assert page.departments.table.rowCount() == 2
    assert page.departments.table.item(1, 2).text() == "Keisha Thompson"
    assert not page.has_unsaved_changes()
    assert not page.save_button.isEnabled()
    assert not page.revert_button.isEnabled()
    assert not page.error.isVisible()


def test_edit_name_and_save(qtbot, page, demo_file):
    before = district_version(demo_file)
    audit_before = demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"]
    retype(qtbot, page.basics.name, "Granite Valley Schools")
    assert page.has_unsaved_changes()
    assert page.save_button.isEnabled()

    with qtbot.waitSignal(page.saved, timeout=1000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    saved = load_district(demo_file)
    assert saved.name == "Granite Valley Schools"
    assert district_version(demo_file) == before + 1
    assert page.loaded.version == before + 1
    assert not page.save_button.isEnabled()
    assert not page.has_unsaved_changes()
    assert not page.error.isVisible()
    audit = demo_file.query("SELECT * FROM audit_log ORDER BY id")
    assert len(audit) == audit_before + 1
    assert audit[-1]["table_name"] == "district" and audit[-1]["action"] == "update"
    assert "Granite Valley Schools" in audit[-1]["changes"]

    # A second save from the same page starts from the new version.
    retype(qtbot, page.basics.name, "Granite Valley Regional Schools")
    assert page.save() is True
    assert district_version(demo_file) == before + 2


def test_edit_cells_add_and_remove_rows_and_save(page, demo_file):
    last_audit = demo_file.query("SELECT max(id) AS id FROM audit_log")[0]["id"]
    page.schools.table.item(0, 2).setText("Pat Quinn")
    assert page.save_button.isEnabled()
    page.schools.add_button.click()
    row = page.schools.table.rowCount() - 1
    page.schools.table.item(row, 0).setText("Ashby Falls Preschool")
    page.schools.table.item(row, 1).setText("PK")
    page.departments.table.selectRow(1)
    page.departments.remove_button.click()
    assert page.departments.table.rowCount() == 1

    assert page.save() is True
    saved = load_district(demo_file)
    assert saved.schools[0].principal_name == "Pat Quinn"
    assert saved.schools[0].version == 2
    assert [s.name for s in saved.schools][-1] == "Ashby Falls Preschool"
    assert [d.name for d in saved.departments] == ["Ashby Falls Police Department"]
    actions = {
        (r["table_name"], r["action"])
        for r in demo_file.query(
            "SELECT table_name, action FROM audit_log WHERE id > ?", (last_audit,)
        )
    }
    assert actions == {("school", "update"), ("school", "insert"), ("police_department", "delete")}


def test_revert_brings_back_what_the_file_holds(qtbot, page, demo_file):
    retype(qtbot, page.basics.name, "Something else")
    page.schools.table.item(1, 0).setText("Renamed school")
    page.revert_button.click()
    assert page.basics.name.text() == DEMO_NAME
    assert page.schools.table.item(1, 0).text() == "Granite Valley Middle School"
    assert not page.has_unsaved_changes()
    assert load_district(demo_file).name == DEMO_NAME


def test_refresh_never_drops_unsaved_typing(qtbot, page, demo_file):
    retype(qtbot, page.basics.name, "My unsaved name")
    page.refresh(demo_file)
    assert page.basics.name.text() == "My unsaved name"
    assert page.has_unsaved_changes()


def test_empty_name_is_refused_and_typing_kept(qtbot, page, demo_file):
    before = load_district(demo_file)
    audit_before = demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"]
    page.schools.table.item(0, 0).setText("Typed school name")
    retype(qtbot, page.leader.leader, "Dr. New Superintendent")
    retype(qtbot, page.basics.name, "")
    assert page.basics.name.text() == ""

    page.save_button.click()
    assert page.error.isVisible()
    assert page.error.text() == "Enter the district's name."
    # Everything typed is still there, and still counts as unsaved.
    assert page.schools.table.item(0, 0).text() == "Typed school name"
    assert page.leader.leader.text() == "Dr. New Superintendent"
    assert page.has_unsaved_changes()
    assert page.save_button.isEnabled()
    # Nothing in the file changed.
    assert load_district(demo_file) == before
    assert demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"] == audit_before

    # Fixing the name and saving clears the error and saves it all.
    qtbot.keyClicks(page.basics.name, "Fixed District")
    assert page.save() is True
    assert not page.error.isVisible()
    saved = load_district(demo_file)
    assert saved.name == "Fixed District"
    assert saved.superintendent_name == "Dr. New Superintendent"
    assert saved.schools[0].name == "Typed school name"


def test_department_without_chief_is_refused(page, demo_file):
    page.departments.table.item(0, 2).setText("  ")
    assert page.save() is False
    assert page.error.text() == (
        "Enter the name of the chief of Ashby Falls Police Department, who signs the agreement."
    )
    assert load_district(demo_file).departments[0].chief_name == "Daniel O'Connell"


# -- conflicts -------------------------------------------------------------------------


def fake_exec(monkeypatch, choice: int) -> list[ConflictDialog]:
    shown: list[ConflictDialog] = []

    def exec_(dialog):
        shown.append(dialog)
        dialog.choice = choice
        return 1

    monkeypatch.setattr("sro_desk.ui.district_page.ConflictDialog.exec", exec_)
    return shown


def test_conflict_take_theirs_loads_the_other_version(qtbot, page, demo_file, monkeypatch):
    shown = fake_exec(monkeypatch, ConflictDialog.TAKE_THEIRS)
    someone_else_renames(demo_file, "Their District Name")
    theirs_version = district_version(demo_file)

    retype(qtbot, page.basics.name, "My District Name")
    assert page.save() is False
    assert len(shown) == 1
    assert page.basics.name.text() == "Their District Name"
    assert not page.has_unsaved_changes()
    assert not page.save_button.isEnabled()
    assert page.loaded.version == theirs_version
    assert load_district(demo_file).name == "Their District Name"
    assert district_version(demo_file) == theirs_version


def test_conflict_keep_mine_saves_mine_over_theirs(qtbot, page, demo_file, monkeypatch):
    shown = fake_exec(monkeypatch, ConflictDialog.KEEP_MINE)
    someone_else_renames(demo_file, "Their District Name")
    theirs_version = district_version(demo_file)

    retype(qtbot, page.basics.name, "My District Name")
    with qtbot.waitSignal(page.saved, timeout=1000):
        assert page.save() is True
    assert len(shown) == 1
    assert load_district(demo_file).name == "My District Name"
    assert district_version(demo_file) == theirs_version + 1
    assert page.basics.name.text() == "My District Name"
    assert not page.has_unsaved_changes()


def test_conflict_keep_editing_saves_nothing_and_says_so(qtbot, page, demo_file, monkeypatch):
    shown = fake_exec(monkeypatch, 0)
    someone_else_renames(demo_file, "Their District Name")

    retype(qtbot, page.basics.name, "My District Name")
    assert page.save() is False
    assert len(shown) == 1
    assert page.basics.name.text() == "My District Name"
    assert page.has_unsaved_changes()
    assert page.error.isVisible()
    assert "since you opened it; nothing was saved." in page.error.text()
    assert load_district(demo_file).name == "Their District Name"


def test_conflict_on_a_school_keep_mine(qtbot, page, demo_file, monkeypatch):
    shown = fake_exec(monkeypatch, ConflictDialog.KEEP_MINE)
    current = load_district(demo_file)
    school = current.schools[1]
    with demo_file.write():
        rows.update(
            demo_file, "school", school.id,
            {"name": school.name, "grades": "5-8", "principal_name": school.principal_name},
            expected_version=school.version, label="school",
        )
    page.schools.table.item(1, 2).setText("My Principal")
    assert page.save() is True
    assert len(shown) == 1
    assert shown[0].windowTitle() == "Changed by someone else"
    saved = load_district(demo_file).schools[1]
    assert saved.principal_name == "My Principal"
    assert saved.grades == "6-8", "mine (the whole row as I saw it) went over theirs"


def test_saving_the_name_keeps_someone_elses_change_to_another_school(
    qtbot, page, demo_file, monkeypatch
):
    shown = fake_exec(monkeypatch, 0)
    school = load_district(demo_file).schools[2]
    with demo_file.write():
        rows.update(
            demo_file, "school", school.id,
            {"name": school.name, "grades": "K-5", "principal_name": "Their Principal"},
            expected_version=school.version, label="school",
        )
    retype(qtbot, page.basics.name, "My District Name")
    saved = page.save()
    assert shown == [], "no conflict: the person did not touch that school"
    assert saved is True
    district = load_district(demo_file)
    assert district.name == "My District Name"
    assert district.schools[2].principal_name == "Their Principal"


def test_conflict_dialog_shows_both_versions(qtbot, demo_file):
    someone_else_renames(demo_file, "Their District Name")
    stale = load_district(demo_file)
    stale.version -= 1
    stale.name = "My District Name"
    with pytest.raises(ConflictError) as caught:
        save_district(demo_file, stale)
    conflict = caught.value

    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget)
    assert table.accessibleName() == "Your version and theirs"
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Field", "Your version", "Their version"]
    shown = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert shown["Name"] == ("My District Name", "Their District Name")
    assert shown["Superintendent name"] == ("Dr. Maria Santos", "Dr. Maria Santos")
    assert not {"Id", "Version", "Updated at", "Updated by", "Created at"} & set(shown)
    name_row = list(shown).index("Name")
    same_row = list(shown).index("Superintendent name")
    assert table.item(name_row, 1).font().bold()
    assert table.item(name_row, 2).font().bold()
    assert not table.item(same_row, 1).font().bold()
    assert conflict.message in [label.text() for label in dialog.findChildren(QLabel)]


def test_conflict_dialog_buttons_set_the_choice(qtbot, demo_file):
    someone_else_renames(demo_file, "Theirs")
    stale = load_district(demo_file)
    stale.version -= 1
    stale.name = "Mine"
    with pytest.raises(ConflictError) as caught:
        save_district(demo_file, stale)
    for text, expected in (
        ("&Save Mine Over Theirs", ConflictDialog.KEEP_MINE),
        ("&Use Their Version", ConflictDialog.TAKE_THEIRS),
        ("Keep Editing", 0),
    ):
        dialog = ConflictDialog(caught.value)
        qtbot.addWidget(dialog)
        dialog.show()
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
        button.click()
        assert dialog.choice == expected
        assert not dialog.isVisible()


# -- issue 19: typing after Add, and a chief's title ---------------------------------------


@pytest.mark.parametrize("which", ["schools", "departments"])
def test_add_puts_the_typing_in_the_new_rows_first_cell(qtbot, page, which):
    from sro_desk.ui.qt import QApplication, QLineEdit
    from tests.ui.test_setup_wizard import press, type_as_a_person

    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    editor = getattr(page, which)
    before = [texts for texts, *_rest in editor.rows()]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    type_as_a_person(qtbot, " Greene")  # a space no longer presses Add again
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "Maple Brook")
    press(qtbot, Qt.Key.Key_Return)
    assert [texts for texts, *_rest in editor.rows()] == before + [[" Greene", "Maple Brook", ""]]
    assert page.basics.name.text() == DEMO_NAME
    assert page.has_unsaved_changes()


def test_a_chief_typed_with_the_title_is_saved_and_shown_without_it(page, demo_file):
    page.departments.table.item(1, 2).setText("Chief Keisha Thompson")
    page.leader.leader.setText("Superintendent Maria Santos")
    assert page.save() is True
    saved = load_district(demo_file)
    assert saved.departments[1].chief_name == "Keisha Thompson"
    assert saved.superintendent_name == "Maria Santos"
    assert page.departments.table.item(1, 2).text() == "Keisha Thompson"
    assert [(p.name, p.title) for p in saved.signatories()][1:] == [
        ("Daniel O'Connell", "Chief of Police"), ("Keisha Thompson", "Chief of Police"),
    ]
    # The page says so where the name is typed.
    assert "Chief of Police" in page.departments.hint.text()
    assert "Superintendent" in page.leader.leader.toolTip()
