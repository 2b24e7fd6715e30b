"""The setup wizard: page-by-page checks, kept typing, the charter label, Finish saves."""

from __future__ import annotations

import pytest

from sro_desk.records import agreements
from sro_desk.records.agreement_model import load_agreement
from sro_desk.records.agreement_review import printable
from sro_desk.records.district import load_district
from sro_desk.ui.qt import QApplication, QLineEdit, Qt, QWizard
from sro_desk.ui.setup_wizard import SetupWizard


@pytest.fixture
def wizard(qtbot, new_file):
    wizard = SetupWizard(new_file)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    wizard.close()


def next_button(wizard: SetupWizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def set_cell(editor, row: int, column: int, text: str) -> None:
    """Type ``text`` into a RowsEditor cell, as committing an edit does."""
    item = editor.table.item(row, column)
    assert item is not None, f"no cell at {row},{column}"
    item.setText(text)


def error_of(wizard: SetupWizard, index: int) -> str:
    page = wizard.pages[index]
    assert page.error.isVisible(), f"page {index} shows no error"
    return page.error.text()


def test_starts_on_the_district_page_with_one_empty_row_per_list(wizard):
    assert wizard.currentId() == 0
    assert wizard.windowTitle() == "Set up your district"
    assert wizard.schools.table.rowCount() == 1
    assert wizard.departments.table.rowCount() == 1
    assert not wizard.pages[0].error.isVisible()


def test_empty_district_name_is_refused_on_the_first_page(qtbot, wizard):
    next_button(wizard).click()
    assert wizard.currentId() == 0
    assert error_of(wizard, 0) == "Enter the district's name."

    # Only spaces is no name either, and what was typed stays in the field.
    qtbot.keyClicks(wizard.basics.name, "   ")
    wizard.next()
    assert wizard.currentId() == 0
    assert error_of(wizard, 0) == "Enter the district's name."
    assert wizard.basics.name.text() == "   "


def test_fill_page_by_page_with_refusals_then_finish_saves(qtbot, wizard, new_file):
    # Page 0: name and kind.
    qtbot.keyClicks(wizard.basics.name, "Ashby Falls Public Schools")
    wizard.basics.kind.setCurrentIndex(wizard.basics.kind.findData("public"))
    next_button(wizard).click()
    assert wizard.currentId() == 1
    assert not wizard.pages[0].error.isVisible()

    # Page 1: the empty first school is refused, with one sentence.
    next_button(wizard).click()
    assert wizard.currentId() == 1
    assert error_of(wizard, 1) == "School 1 has no name; enter its name or remove it."

    set_cell(wizard.schools, 0, 0, "Ashby Falls High School")
    set_cell(wizard.schools, 0, 1, "9-12")
    set_cell(wizard.schools, 0, 2, "Jonathan Pierce")
    wizard.schools.add_button.click()
    assert wizard.schools.table.rowCount() == 2
    # A second school with a principal but no name: refused, typing kept.
    set_cell(wizard.schools, 1, 2, "Alicia Nguyen")
    next_button(wizard).click()
    assert wizard.currentId() == 1
    assert error_of(wizard, 1) == "School 2 has no name; enter its name or remove it."
    assert wizard.schools.table.item(0, 0).text() == "Ashby Falls High School"
    assert wizard.schools.table.item(1, 2).text() == "Alicia Nguyen"
    set_cell(wizard.schools, 1, 0, "Ashby Falls Middle School")
    set_cell(wizard.schools, 1, 1, "6-8")
    next_button(wizard).click()
    assert wizard.currentId() == 2
    assert not wizard.pages[1].error.isVisible()

    # Page 2: a department with no chief is refused, naming the department.
    set_cell(wizard.departments, 0, 0, "Ashby Falls Police Department")
    set_cell(wizard.departments, 0, 1, "Ashby Falls")
    next_button(wizard).click()
    assert wizard.currentId() == 2
    assert error_of(wizard, 2) == (
        "Enter the name of the chief of Ashby Falls Police Department, who signs the agreement."
    )
    assert wizard.departments.table.item(0, 0).text() == "Ashby Falls Police Department"
    assert wizard.departments.table.item(0, 1).text() == "Ashby Falls"
    set_cell(wizard.departments, 0, 2, "Daniel O'Connell")
    next_button(wizard).click()
    assert wizard.currentId() == 3

    # Page 3: who signs, listed from what was typed; no superintendent yet.
    signers = wizard.signers.text()
    assert "(name not entered yet)</i>, Superintendent, Ashby Falls Public Schools" in signers
    assert "Daniel O&#x27;Connell, Chief of Police, Ashby Falls Police Department" in signers
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible()
    finish.click()
    assert wizard.saved is None
    assert error_of(wizard, 3) == (
        "Enter the superintendent's name; they sign the agreement for the schools."
    )
    assert load_district(new_file) is None

    qtbot.keyClicks(wizard.leader.leader, "Dr. Maria Santos")
    with qtbot.waitSignal(wizard.accepted, timeout=2000):
        finish.click()
    assert wizard.result() == QWizard.DialogCode.Accepted

    saved = load_district(new_file)
    assert saved is not None
    assert wizard.saved == saved
    assert saved.name == "Ashby Falls Public Schools"
    assert saved.kind == "public"
    assert saved.superintendent_name == "Dr. Maria Santos"
    assert [(s.name, s.grades, s.principal_name) for s in saved.schools] == [
        ("Ashby Falls High School", "9-12", "Jonathan Pierce"),
        ("Ashby Falls Middle School", "6-8", "Alicia Nguyen"),
    ]
    assert [(d.name, d.town, d.chief_name) for d in saved.departments] == [
        ("Ashby Falls Police Department", "Ashby Falls", "Daniel O'Connell"),
    ]
    audit = new_file.query("SELECT table_name, action FROM audit_log")
    assert {"district", "school", "police_department"} <= {r["table_name"] for r in audit}
    assert all(r["action"] == "insert" for r in audit)
    assert len(audit) == 1 + 2 + 1


def test_a_school_removed_again_is_not_saved(qtbot, wizard, new_file):
    qtbot.keyClicks(wizard.basics.name, "Millbrook Schools")
    wizard.next()
    set_cell(wizard.schools, 0, 0, "Millbrook Elementary School")
    wizard.schools.add_button.click()
    wizard.schools.table.selectRow(1)
    assert wizard.schools.remove_button.isEnabled()
    wizard.schools.remove_button.click()
    assert wizard.schools.table.rowCount() == 1
    wizard.next()
    assert wizard.currentId() == 2
    set_cell(wizard.departments, 0, 0, "Millbrook Police Department")
    set_cell(wizard.departments, 0, 2, "Keisha Thompson")
    wizard.next()
    qtbot.keyClicks(wizard.leader.leader, "Hannah Lindqvist")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    saved = load_district(new_file)
    assert saved is not None
    assert [s.name for s in saved.schools] == ["Millbrook Elementary School"]


def test_no_school_at_all_is_refused(qtbot, wizard):
    qtbot.keyClicks(wizard.basics.name, "Millbrook Schools")
    wizard.next()
    wizard.schools.table.selectRow(0)
    wizard.schools.remove_button.click()
    assert wizard.schools.table.rowCount() == 0
    wizard.next()
    assert wizard.currentId() == 1
    assert error_of(wizard, 1) == "Add at least one school that the SRO serves."


def test_two_schools_with_one_name_are_refused(qtbot, wizard):
    qtbot.keyClicks(wizard.basics.name, "Millbrook Schools")
    wizard.next()
    set_cell(wizard.schools, 0, 0, "Millbrook Elementary School")
    wizard.schools.add_button.click()
    set_cell(wizard.schools, 1, 0, "  millbrook elementary school ")
    wizard.next()
    assert wizard.currentId() == 1
    assert error_of(wizard, 1) == (
        "Two schools are named millbrook elementary school; give each school its own name."
    )


def test_charter_relabels_the_leader_field(qtbot, wizard, new_file):
    leader = wizard.leader
    assert leader.label.text() == "Superintendent's na&me:"
    assert leader.leader.accessibleName() == "Superintendent's name"

    wizard.basics.kind.setCurrentIndex(wizard.basics.kind.findData("charter"))
    assert leader.label.text() == "Head of school's na&me:"
    assert leader.leader.accessibleName() == "Head of school's name"
    assert leader.label.buddy() is leader.leader

    qtbot.keyClicks(wizard.basics.name, "Granite Charter School")
    wizard.next()
    set_cell(wizard.schools, 0, 0, "Granite Charter School")
    wizard.next()
    set_cell(wizard.departments, 0, 0, "Ashby Falls Police Department")
    set_cell(wizard.departments, 0, 2, "Daniel O'Connell")
    wizard.next()
    assert wizard.currentId() == 3
    assert "(name not entered yet)</i>, Head of School, Granite Charter School" in wizard.signers.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert error_of(wizard, 3) == (
        "Enter the head of school's name; they sign the agreement for the schools."
    )

    # Back to public: the label follows.
    wizard.basics.kind.setCurrentIndex(wizard.basics.kind.findData("public"))
    assert leader.label.text() == "Superintendent's na&me:"


def test_back_keeps_what_was_typed(qtbot, wizard):
    qtbot.keyClicks(wizard.basics.name, "Granite Valley")
    wizard.next()
    set_cell(wizard.schools, 0, 0, "Granite Valley High School")
    wizard.next()
    assert wizard.currentId() == 2
    wizard.back()
    wizard.back()
    assert wizard.currentId() == 0
    assert wizard.basics.name.text() == "Granite Valley"
    assert wizard.schools.table.item(0, 0).text() == "Granite Valley High School"


def test_html_in_names_is_shown_as_text_on_the_signing_page(qtbot, wizard):
    qtbot.keyClicks(wizard.basics.name, "<b>Bold</b> & Co")
    wizard.next()
    set_cell(wizard.schools, 0, 0, "School")
    wizard.next()
    set_cell(wizard.departments, 0, 0, "<i>PD</i>")
    set_cell(wizard.departments, 0, 2, "Chief <img src=x>")
    wizard.next()
    text = wizard.signers.text()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in text
    assert "<img" not in text and "<i>PD" not in text


def _activate(qtbot, wizard: SetupWizard) -> None:
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)


def test_typing_on_arrival_at_the_schools_page_fills_the_first_school(qtbot, wizard):
    _activate(qtbot, wizard)
    qtbot.keyClicks(wizard.basics.name, "Granite Valley")
    next_button(wizard).click()
    assert wizard.currentId() == 1
    typed_into = QApplication.focusWidget()
    qtbot.keyClicks(typed_into, "Granite Valley High School")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on the next turn of the loop
    assert wizard.schools.table.item(0, 0).text() == "Granite Valley High School"


def test_next_by_keyboard_uses_the_text_in_an_open_cell_editor(qtbot, wizard):
    _activate(qtbot, wizard)
    qtbot.keyClicks(wizard.basics.name, "Granite Valley")
    next_button(wizard).click()
    assert wizard.currentId() == 1
    editor = wizard.schools.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.setFocus()
    qtbot.keyClicks(editor, "Granite Valley High School")
    qtbot.keyClick(editor, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == 2 or wizard.pages[1].error.isVisible())
    assert not wizard.pages[1].error.isVisible(), wizard.pages[1].error.text()
    assert wizard.currentId() == 2


# -- issue 19: typing goes where the focus is shown ---------------------------------------


def type_as_a_person(qtbot, text: str) -> None:
    """Each key to whatever has the focus when it is pressed, as a keyboard sends it."""
    for character in text:
        focused = QApplication.focusWidget()
        assert focused is not None, f"nothing has the focus to type {character!r} into"
        qtbot.keyClicks(focused, character)
        QApplication.processEvents()


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    QApplication.processEvents()  # a cell editor commits on the next turn of the loop


def cells(editor) -> list[list[str]]:
    return [texts for texts, *_rest in editor.rows()]


def _to_page(qtbot, wizard: SetupWizard, page: int) -> None:
    """Alt+N, as a person presses it (the button clicks after its short animation)."""
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == page or wizard.pages[page - 1].error.isVisible())
    assert wizard.currentId() == page, wizard.pages[page - 1].error.text()


@pytest.mark.parametrize("which", ["schools", "departments"])
def test_after_add_by_mouse_typing_goes_into_the_new_rows_first_cell(qtbot, wizard, which):
    """The button kept the focus: a space added blank rows and the name went nowhere."""
    _activate(qtbot, wizard)
    type_as_a_person(qtbot, "Maple Brook Public Schools")
    _to_page(qtbot, wizard, 1)
    type_as_a_person(qtbot, "Maple Brook High School")
    press(qtbot, Qt.Key.Key_Return)
    if which == "departments":
        _to_page(qtbot, wizard, 2)
        type_as_a_person(qtbot, "Maple Brook Police Department")
        press(qtbot, Qt.Key.Key_Return)
    editor = getattr(wizard, which)
    first = cells(editor)[0]

    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    assert editor.editing() and editor.table.currentRow() == 1 and editor.table.currentColumn() == 0
    type_as_a_person(qtbot, " Greene")
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "K-5")
    press(qtbot, Qt.Key.Key_Return)

    assert cells(editor) == [first, [" Greene", "K-5", ""]]
    assert wizard.basics.name.text() == "Maple Brook Public Schools"


def test_the_whole_setup_by_keyboard_lands_every_key_in_its_field(qtbot, wizard, new_file):
    _activate(qtbot, wizard)
    type_as_a_person(qtbot, "Maple Brook Public Schools")
    _to_page(qtbot, wizard, 1)
    type_as_a_person(qtbot, "Maple Brook High School")
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "9-12")
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "Ann Lee")
    # Tab from the last cell leaves the table for Add (it used to wrap round to the first
    # school's name, opened for typing over).
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is wizard.schools.add_button
    type_as_a_person(qtbot, " Greene Elementary")  # Space presses Add; the rest is the name
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "K-5")
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "Robin Greene")
    press(qtbot, Qt.Key.Key_Return)
    # Alt+C adds a school from anywhere on the page; Remove then leaves the focus on Add.
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(cells(wizard.schools)) == 3)  # after the button's animation
    assert wizard.schools.editing() and wizard.schools.table.currentRow() == 2
    type_as_a_person(qtbot, "Oops")
    press(qtbot, Qt.Key.Key_Return)
    assert len(cells(wizard.schools)) == 3
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(cells(wizard.schools)) == 2)
    assert QApplication.focusWidget() is wizard.schools.add_button
    assert cells(wizard.schools) == [
        ["Maple Brook High School", "9-12", "Ann Lee"],
        ["Greene Elementary", "K-5", "Robin Greene"],
    ]
    _to_page(qtbot, wizard, 2)
    type_as_a_person(qtbot, "Maple Brook Police Department")
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "Maple Brook")
    press(qtbot, Qt.Key.Key_Tab)
    type_as_a_person(qtbot, "Chief Robert Kane")
    press(qtbot, Qt.Key.Key_Return)
    _to_page(qtbot, wizard, 3)
    assert QApplication.focusWidget() is wizard.leader.leader
    type_as_a_person(qtbot, "Dr. Ana Ruiz")
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.saved is not None or wizard.pages[3].error.isVisible())

    saved = load_district(new_file)
    assert saved.name == "Maple Brook Public Schools"
    assert [(s.name, s.grades, s.principal_name) for s in saved.schools] == [
        ("Maple Brook High School", "9-12", "Ann Lee"),
        ("Greene Elementary", "K-5", "Robin Greene"),
    ]
    assert [(d.name, d.town, d.chief_name) for d in saved.departments] == [
        ("Maple Brook Police Department", "Maple Brook", "Robert Kane"),
    ]
    assert saved.superintendent_name == "Dr. Ana Ruiz"


def test_shift_tab_from_the_first_cell_leaves_the_table(qtbot, wizard):
    _activate(qtbot, wizard)
    type_as_a_person(qtbot, "Maple Brook Public Schools")
    _to_page(qtbot, wizard, 1)
    type_as_a_person(qtbot, "Maple Brook High School")
    press(qtbot, Qt.Key.Key_Backtab)
    assert not wizard.schools.editing()
    assert QApplication.focusWidget() is not wizard.schools.table
    type_as_a_person(qtbot, "x")
    assert cells(wizard.schools) == [["Maple Brook High School", "", ""]]


def _to_signing_page(qtbot, wizard: SetupWizard, chief: str) -> None:
    qtbot.keyClicks(wizard.basics.name, "Maple Brook Public Schools")
    wizard.next()
    set_cell(wizard.schools, 0, 0, "Maple Brook High School")
    wizard.next()
    set_cell(wizard.departments, 0, 0, "Maple Brook Police Department")
    set_cell(wizard.departments, 0, 2, chief)
    wizard.next()
    assert wizard.currentId() == 3


def test_the_signatures_preview_shows_the_superintendent_as_typed_live(qtbot, wizard):
    _to_signing_page(qtbot, wizard, "Robert Kane")
    assert "name not entered yet" in wizard.signers.text()
    qtbot.keyClicks(wizard.leader.leader, "Dr. Ana")
    assert "Dr. Ana, Superintendent, Maple Brook Public Schools" in wizard.signers.text()
    qtbot.keyClicks(wizard.leader.leader, " Ruiz")
    assert "Dr. Ana Ruiz, Superintendent, Maple Brook Public Schools" in wizard.signers.text()
    assert "Robert Kane, Chief of Police, Maple Brook Police Department" in wizard.signers.text()
    wizard.leader.leader.clear()
    assert "name not entered yet" in wizard.signers.text()


@pytest.mark.parametrize("typed", ["Chief Robert Kane", "Chief of Police Robert Kane", "police chief Robert Kane"])
def test_a_chief_typed_with_the_title_is_not_titled_twice(qtbot, wizard, new_file, tmp_path, typed):
    _to_signing_page(qtbot, wizard, typed)
    text = wizard.signers.text()
    assert "Robert Kane, Chief of Police, Maple Brook Police Department" in text
    assert "Chief Robert" not in text and "Police Robert" not in text
    qtbot.keyClicks(wizard.leader.leader, "Superintendent Ana Ruiz")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    saved = load_district(new_file)
    assert saved.departments[0].chief_name == "Robert Kane"
    assert saved.superintendent_name == "Ana Ruiz"

    # What the agreement prints: each name once, each title once.
    from pypdf import PdfReader

    from sro_desk.documents.agreement import build_agreement_pdf

    agreement = load_agreement(new_file, agreements.new_from_library(new_file, school_year="2026-2027"))
    out = tmp_path / "agreement.pdf"
    build_agreement_pdf(printable(new_file, agreement), out)
    printed = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "Robert Kane" in printed and "Ana Ruiz" in printed
    assert "Chief Robert Kane" not in printed and "Superintendent Ana Ruiz" not in printed
