"""Read-only mode: someone else holds the write lease; the window shows it and edits nothing."""

from __future__ import annotations

import os

import pytest

from sro_desk.records.district import load_district, save_district
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import list_backups
from sro_desk.store.lease import Lease, read_lease
from sro_desk.ui.opening import open_file
from sro_desk.ui.qt import QComboBox, QLineEdit, QPushButton, QTableWidget


@pytest.fixture
def other_writer(demo_path):
    """Someone else editing the demo file (a fresh lease with its own token)."""
    lease = Lease(demo_path)
    lease.acquire()
    yield lease
    lease.release()


@pytest.fixture
def read_only_window(qtbot, make_window, settle, demo_path, other_writer, messages):
    messages.choice = "read"
    window = make_window()
    data_file = open_file(window, demo_path)
    assert data_file is not None
    assert data_file.read_only
    assert len(messages.asked) == 1
    assert "is open for editing by" in messages.asked[0]
    window.set_data_file(data_file)
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    return window


def edit_controls(page):
    found = []
    for kind in (QLineEdit, QComboBox, QTableWidget, QPushButton):
        found += [w for w in page.findChildren(kind) if not _is_cell_editor(w)]
    return found


def _is_cell_editor(widget) -> bool:
    parent = widget.parentWidget()
    return parent is not None and isinstance(parent.parentWidget(), QTableWidget)


def test_cancel_at_the_question_opens_nothing(make_window, demo_path, other_writer, messages):
    messages.choice = ""
    window = make_window()
    assert open_file(window, demo_path) is None
    assert len(messages.asked) == 1
    assert read_lease(demo_path).token == other_writer.info.token


def test_read_only_window_shows_banner_status_and_disables_editing(
    read_only_window, demo_path, other_writer
):
    window = read_only_window
    assert window.banner.isVisible()
    assert window.banner_text.text()
    assert window.status_label.text() == f"Read-only: {demo_path}"
    assert not window.edit_button.isVisible(), "the other writer is still there"
    assert not window.restore_action.isEnabled()
    assert not window.setup_action.isEnabled()
    assert window.backup_action.isEnabled(), "a read-only file can still be backed up"

    page = window.district_page
    window.show_page(window.pages.index(window.district_page))
    assert page.basics.name.text() == "Granite Valley Regional School District"
    controls = edit_controls(page)
    assert len(controls) >= 10
    enabled = [c.accessibleName() or c.objectName() for c in controls if c.isEnabled()]
    assert enabled == []
    for editor in (page.schools, page.departments):
        assert not editor.table.isEnabled()
        assert not editor.add_button.isEnabled()
        assert not editor.remove_button.isEnabled()
    assert not page.save_button.isEnabled()
    assert not page.revert_button.isEnabled()

    file_text = window.dashboard.file_text.text()
    assert "Read-only:" in file_text
    assert "Being edited by:" in file_text

    # The other writer's lease is untouched.
    assert read_lease(demo_path).token == other_writer.info.token
    assert list_backups(demo_path) == [], "no backup at open for a read-only window"


def test_read_only_remove_stays_disabled_after_selecting_a_row(read_only_window):
    page = read_only_window.district_page
    page.schools.table.selectRow(0)
    assert not page.schools.remove_button.isEnabled()


def test_read_only_save_writes_nothing(read_only_window, demo_path):
    read_only_window.show_page(read_only_window.pages.index(read_only_window.district_page))
    page = read_only_window.district_page
    page.basics.name.setText("Changed while read-only")
    assert page.save() is False
    assert page.error.isVisible()
    assert page.error.text().startswith("Nothing was saved:")
    with DataFile.open(demo_path, OpenOptions(edit=False)) as reader:
        assert load_district(reader).name == "Granite Valley Regional School District"


def test_switch_to_editing_after_the_other_writer_leaves(
    read_only_window, demo_path, other_writer, settle, messages
):
    window = read_only_window
    other_writer.release()
    assert read_lease(demo_path) is None

    window.switch_to_editing()
    settle(window)
    assert not window.data_file.read_only
    assert not window.banner.isVisible()
    assert window.status_label.text() == f"Editing: {demo_path}"
    assert window.restore_action.isEnabled()
    page = window.district_page
    assert page.basics.name.isEnabled()
    assert page.schools.table.isEnabled()
    assert page.schools.add_button.isEnabled()
    assert page.departments.add_button.isEnabled()
    assert read_lease(demo_path) is not None
    assert read_lease(demo_path).token == window.data_file.lease.info.token
    assert messages.informations == []


def test_switch_to_editing_while_the_other_writer_is_still_there(
    read_only_window, demo_path, other_writer, messages
):
    window = read_only_window
    window.switch_to_editing()
    assert window.data_file.read_only
    assert window.banner.isVisible()
    assert len(messages.informations) == 1
    assert "is open for editing by" in messages.informations[0]
    assert read_lease(demo_path).token == other_writer.info.token


def test_switch_to_editing_button_appears_when_editing_frees_up(
    read_only_window, demo_path, other_writer
):
    window = read_only_window
    assert not window.edit_button.isVisible()
    other_writer.release()
    window.watch()
    window._update_edit_button()
    assert window.edit_button.isVisible()
    assert "Editing is free now" in window.banner_text.text()


def test_chosen_read_only_never_offers_editing(
    qtbot, make_window, settle, demo_path
):
    window = make_window()
    window.set_data_file(DataFile.open(demo_path, OpenOptions(edit=False)))
    window.show()
    qtbot.waitExposed(window)
    assert window.banner.isVisible()
    window.watch()
    assert not window.edit_button.isVisible()
    assert read_lease(demo_path) is None


def test_read_only_window_picks_up_the_writers_saves(
    qtbot, make_window, settle, demo_path, messages
):
    """The writer here is another DataFile in this process, holding the lease."""
    writer = DataFile.open(demo_path)
    try:
        messages.choice = "read"
        window = make_window()
        window.set_data_file(open_file(window, demo_path))
        window.show()
        assert window.data_file.read_only
        assert window.dashboard.heading.text() == "Granite Valley Regional School District"

        district = load_district(writer)
        district.name = "Renamed by the writer"
        save_district(writer, district)
        window.watch()
        assert window.dashboard.heading.text() == "Renamed by the writer"
        window.show_page_of(window.district_page)
        assert window.district_page.basics.name.text() == "Renamed by the writer"
        assert window.data_file.read_only
    finally:
        writer.close()


def test_dashboard_names_who_else_has_the_file_open(
    qtbot, make_window, settle, demo_path, messages
):
    editor = make_window()
    editor.set_data_file(DataFile.open(demo_path))
    settle(editor)
    assert "Also open by:</b> no one else" in editor.dashboard.file_text.text()

    messages.choice = "read"
    reader = make_window()
    reader.set_data_file(open_file(reader, demo_path))
    text = reader.dashboard.file_text.text()
    assert "Being edited by:" in text
    also = next(line for line in text.split("<br>") if line.startswith("<b>Also open by:</b>"))
    assert also != "<b>Also open by:</b> no one else"
    assert f"{editor.data_file.user} on {editor.data_file.machine} since " in also

    editor.heartbeat()
    assert "Also open by:</b> no one else" not in editor.dashboard.file_text.text()
    reader.close()
    editor.heartbeat()
    assert "Also open by:</b> no one else" in editor.dashboard.file_text.text()


def test_lease_taken_over_turns_the_window_read_only(
    qtbot, make_window, settle, demo_path, messages
):
    window = make_window()
    window.set_data_file(DataFile.open(demo_path))
    window.show()
    settle(window)
    window.show_page(window.pages.index(window.district_page))
    page = window.district_page
    page.basics.name.setText("Typed before the laptop slept")
    page.basics.changed.emit()

    # While this laptop slept, someone else took the lease over.
    lock = window.data_file.lease.path
    lock.unlink()
    taker = Lease(demo_path)
    taker.acquire()
    try:
        window.heartbeat()
        assert len(messages.warnings) == 1
        assert messages.warnings[0].startswith("Editing was taken over by")
        assert window.data_file.read_only
        assert window.banner.isVisible()
        assert window.status_label.text() == f"Read-only: {demo_path}"
        assert not page.basics.name.isEnabled()
        assert not page.save_button.isEnabled()
        assert page.basics.name.text() == "Typed before the laptop slept", "typing kept"
        assert read_lease(demo_path).token == taker.info.token
        assert not window.edit_button.isVisible()
    finally:
        taker.release()

    # When they let go, editing is offered again.
    window.watch()
    assert window.edit_button.isVisible()
    assert "Editing is free now" in window.banner_text.text()
    window.edit_button.click()
    settle(window)
    assert not window.data_file.read_only
    assert not window.banner.isVisible()
    assert page.basics.name.isEnabled()


def test_switch_to_editing_over_a_stale_lease_warns_first(read_only_window, demo_path, other_writer, messages):
    import json

    from sro_desk.store.lease import STALE_AFTER_SECONDS, lock_path

    lock = lock_path(demo_path)
    data = json.loads(lock.read_text())
    data["heartbeat_at"] -= STALE_AFTER_SECONDS + 60
    data["machine"] = "FRONT-OFFICE-PC"
    lock.write_text(json.dumps(data))
    import time

    then = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(lock, (then, then))
    window = read_only_window
    messages.choice = ""
    window.switch_to_editing()
    assert messages.asked and "has not been heard from" in messages.asked[-1]
    assert window.data_file.read_only
    messages.choice = "take"
    window.switch_to_editing()
    assert not window.data_file.read_only


def test_a_failing_heartbeat_pauses_editing_in_plain_view_and_resumes(
    qtbot, make_window, settle, demo_path, messages, monkeypatch
):
    """The folder turned read-only: the heartbeat failed silently while the lock aged,
    and five minutes later others were offered a take-over of a live editor."""
    window = make_window()
    window.set_data_file(DataFile.open(demo_path))
    window.show()
    settle(window)
    lease = window.data_file.lease

    def refused() -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lease, "heartbeat", refused)
    window.heartbeat()
    assert window.data_file.read_only and window.banner.isVisible()
    assert "editing is paused" in window.data_file.read_only_reason
    assert window.status_label.text() == f"Read-only: {demo_path}"
    monkeypatch.undo()
    window.heartbeat()  # the drive answers again
    assert not window.data_file.read_only and window.data_file.lease is lease
