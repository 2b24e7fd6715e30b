"""The training import dialog: columns guessed, a preview, problems listed, all-or-nothing import."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from sro_desk.errors import SroDeskError
from sro_desk.records.officers import Officer, save_officer
from sro_desk.ui import training_import_dialog as dialog_module
from sro_desk.ui.qt import QComboBox, QDialog, QLabel, QPushButton
from sro_desk.ui.training_import_dialog import NOT_IN_FILE, TrainingImportDialog

LAST_MONTH = date.today() - timedelta(days=30)
HEADER = "Officer,Date,Course,Credit hours,Provider,Notes"
GOOD_ROWS = [
    f"Jane Rivera,{LAST_MONTH.isoformat()},De-escalation,1.25,MPTC,",
    f"Jane Rivera,{LAST_MONTH:%m/%d/%Y},Restorative circles,0.75,District,first session",
    f"Marcus Bell,{LAST_MONTH.isoformat()},Threat assessment,2.5,MPTC,",
]


@pytest.fixture
def officers(demo_file):
    for name in ("Jane Rivera", "Marcus Bell"):
        save_officer(demo_file, Officer(name=name, assigned_sro=True))
    return demo_file


@pytest.fixture
def open_dialog(qtbot, officers, tmp_path):
    """Write ``lines`` to a .csv (or use ``path``), open the dialog on it, wait for its check."""

    def make(lines=None, *, path=None) -> TrainingImportDialog:
        if path is None:
            path = tmp_path / "training.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        dialog = TrainingImportDialog(officers, path)
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot, dialog)
        return dialog

    return make


def settle(qtbot, dialog: TrainingImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.tasks, timeout=10000)


def entries(data_file) -> list[dict]:
    return data_file.query("SELECT title, quarter_hours FROM training_entry ORDER BY id")


def choose(dialog, field: str, header: str | None) -> None:
    combo = dialog.combos[field]
    if header is None:
        combo.setCurrentIndex(combo.findText(NOT_IN_FILE))
    else:
        combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).endswith(f": {header}")))


def test_columns_are_preselected_and_the_preview_shows_the_rows(open_dialog):
    dialog = open_dialog([HEADER, *GOOD_ROWS])
    assert dialog.mapping() == {
        "officer": 0, "date": 1, "title": 2, "hours": 3, "provider": 4, "topics": None,
        "basic_course": None, "with_administrators": None, "notes": 5,
    }
    assert dialog.combos["title"].currentText() == "C: Course"
    assert dialog.combos["topics"].currentText() == NOT_IN_FILE
    preview = dialog.preview
    assert preview.rowCount() == 3
    headers = [preview.horizontalHeaderItem(c).text() for c in range(preview.columnCount())]
    assert headers == ["Officer", "Date", "Title", "Hours", "Provider", "Notes"]
    assert preview.item(1, 2).text() == "Restorative circles"
    assert preview.verticalHeaderItem(0).text() == "2"  # the sheet's own row number
    assert preview.editTriggers() == preview.EditTrigger.NoEditTriggers
    assert dialog.summary.text() == "3 rows ready to import; 0 rows have problems."
    assert dialog.problems.count() == 0
    assert dialog.import_button.isEnabled()


def test_the_preview_stops_at_20_rows(open_dialog):
    dialog = open_dialog([HEADER] + [f"Jane Rivera,{LAST_MONTH},Course {i},1,," for i in range(30)])
    assert dialog.preview.rowCount() == 20
    assert dialog.summary.text() == "30 rows ready to import; 0 rows have problems."


def test_a_clean_file_imports_every_row(open_dialog, officers, qtbot):
    dialog = open_dialog([HEADER, *GOOD_ROWS])
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10000)
    settle(qtbot, dialog)
    assert dialog.imported == 3
    saved = entries(officers)
    assert [r["title"] for r in saved] == ["De-escalation", "Restorative circles", "Threat assessment"]
    assert sum(r["quarter_hours"] for r in saved) == 18  # 1.25 + 0.75 + 2.5 hours, exactly


def test_bad_rows_are_listed_and_import_stays_disabled(open_dialog, officers):
    dialog = open_dialog([
        HEADER,
        *GOOD_ROWS,
        f"Jim Unknown,{LAST_MONTH},CPR,2,,",
        f"Jane Rivera,{LAST_MONTH},Odd hours,1.3,,",
        f"Jane Rivera,{date.today() + timedelta(days=10)},Next week,2,,",
    ])
    items = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert items[0] == "Row 5: No officer called Jim Unknown is in the file; add the officer first or correct the name."
    assert items[1] == "Row 6: Enter hours in quarter hours, like 0.25, 1.5 or 2.75."
    assert items[2].startswith("Row 7: ") and "future" in items[2]
    assert dialog.summary.text() == "3 rows ready to import; 3 rows have problems."
    assert not dialog.import_button.isEnabled()
    dialog.start_import()  # Enter or a stray call imports nothing either
    assert entries(officers) == [] and dialog.result() == 0


def test_changing_a_column_checks_again(open_dialog, qtbot):
    dialog = open_dialog([
        "Officer,Date,Course,Hours,Hours (decimal)",
        f"Jane Rivera,{LAST_MONTH},De-escalation,about two,2",
        f"Marcus Bell,{LAST_MONTH},Diversion,most of the day,1.5",
    ])
    assert dialog.mapping()["hours"] == 3
    assert dialog.summary.text() == "0 rows ready to import; 2 rows have problems."
    assert not dialog.import_button.isEnabled()

    choose(dialog, "hours", None)
    settle(qtbot, dialog)
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == "Choose which column holds the hours."
    assert not dialog.import_button.isEnabled()
    assert "Hours" not in [dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())]

    choose(dialog, "hours", "Hours (decimal)")
    settle(qtbot, dialog)
    assert not dialog.error.isVisibleTo(dialog)
    assert dialog.summary.text() == "2 rows ready to import; 0 rows have problems."
    assert dialog.problems.count() == 0
    assert dialog.import_button.isEnabled()


def test_check_reads_the_fixed_file_again_and_keeps_the_columns(open_dialog, qtbot, tmp_path):
    lines = ["Name,Date,Training,Hrs,Notes", f"Jane Rivera,{LAST_MONTH},CPR,1.3,"]
    dialog = open_dialog(lines)
    choose(dialog, "notes", None)
    settle(qtbot, dialog)
    assert dialog.problems.count() == 1
    (tmp_path / "training.csv").write_text(
        "\n".join(["Name,Date,Training,Hrs,Notes", f"Jane Rivera,{LAST_MONTH},CPR,1.25,"]) + "\n"
    )
    dialog.check_button.click()
    settle(qtbot, dialog)
    assert dialog.combos["notes"].currentText() == NOT_IN_FILE  # the person's choice is kept
    assert dialog.problems.count() == 0 and dialog.import_button.isEnabled()


def test_a_file_that_cannot_be_read_shows_one_sentence(open_dialog, tmp_path):
    path = tmp_path / "training.pdf"
    path.write_bytes(b"%PDF-1.4")
    dialog = open_dialog(path=path)
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith("SRO Desk reads training logs saved as .xlsx or .csv")
    assert not dialog.import_button.isEnabled()
    assert not any(combo.isEnabled() for combo in dialog.combos.values())
    assert dialog.cancel_button.isEnabled()


def test_a_failed_import_keeps_the_columns_and_imports_nothing(open_dialog, officers, monkeypatch, qtbot):
    dialog = open_dialog([HEADER, *GOOD_ROWS])
    choose(dialog, "provider", None)
    settle(qtbot, dialog)

    def refuse(data_file, plan):
        raise SroDeskError("The file is busy; try again in a moment.")

    monkeypatch.setattr(dialog_module, "import_plan", refuse)
    dialog.import_button.click()
    settle(qtbot, dialog)
    assert dialog.error.text() == "The file is busy; try again in a moment."
    assert dialog.result() == 0 and dialog.imported == 0
    assert dialog.combos["provider"].currentText() == NOT_IN_FILE
    assert dialog.import_button.isEnabled()
    assert entries(officers) == []


def test_every_control_is_named_and_every_mnemonic_is_distinct(open_dialog):
    dialog = open_dialog([HEADER, *GOOD_ROWS])

    def own(kind):  # not the progress dialogs of finished jobs, which are deleted later
        return [w for w in dialog.findChildren(kind) if w.window() is dialog]

    combos = own(QComboBox)
    assert len(combos) == 9
    assert all(combo.accessibleName().startswith("Column for ") for combo in combos)
    assert dialog.combos["basic_course"].accessibleName() == "Column for basic sro course"
    assert dialog.preview.accessibleName() and dialog.problems.accessibleName()
    for button in own(QPushButton):
        assert button.accessibleName(), button.text()
    labels = [label for label in own(QLabel) if label.buddy() is not None]
    assert {id(combo) for combo in combos} <= {id(label.buddy()) for label in labels}

    keys = []
    for widget in own(QPushButton) + labels:
        match = re.search(r"&([^&\s])", widget.text().replace("&&", ""))
        if match:
            keys.append(match.group(1).lower())
    assert len(keys) == len(set(keys)) >= 13


def test_a_read_only_file_says_why_and_offers_no_import(qtbot, officers, db_path, tmp_path):
    from sro_desk.store import DataFile, OpenOptions

    path = tmp_path / "training.csv"
    path.write_text("\n".join([HEADER, *GOOD_ROWS]) + "\n", encoding="utf-8")
    with DataFile.open(db_path, OpenOptions(edit=False)) as read_only:
        dialog = TrainingImportDialog(read_only, path)
        qtbot.addWidget(dialog)
        settle(qtbot, dialog)
        assert dialog.summary.text() == "3 rows ready to import; 0 rows have problems."
        assert dialog.error.text() == "You opened this file read-only."
        assert not dialog.import_button.isEnabled()
        dialog.close()


def test_cancel_while_reading_closes_at_once(qtbot, officers, tmp_path):
    path = tmp_path / "training.csv"
    path.write_text("\n".join([HEADER, *GOOD_ROWS]) + "\n", encoding="utf-8")
    dialog = TrainingImportDialog(officers, path)
    qtbot.addWidget(dialog)
    dialog.reject()
    settle(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.imported == 0 and entries(officers) == []
