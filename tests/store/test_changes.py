"""A write reports the tables it changed, so the window reads again only the pages that
show them: every table, whoever wrote the SQL, triggers' tables included; nothing for a
write that did not land."""

from __future__ import annotations

import pytest

from sro_desk.errors import ValidationError
from sro_desk.records.demo import sample_district
from sro_desk.records.district import save_district
from sro_desk.records.officers import Officer, save_officer
from sro_desk.records.settings import set_setting


def test_a_save_reports_its_tables_and_its_audit_rows(new_file):
    new_file.take_changes()
    save_district(new_file, sample_district())
    changed = new_file.take_changes()
    assert {"district", "school", "police_department", "audit_log"} <= changed
    assert "officer" not in changed
    assert new_file.take_changes() == frozenset()  # forgotten once taken


def test_changes_add_up_until_taken(new_file):
    new_file.take_changes()
    save_officer(new_file, Officer(name="Pat Doe"))
    set_setting(new_file, "meeting_months", "9,10")
    assert {"officer", "setting"} <= new_file.take_changes()


def test_an_update_is_reported_even_when_its_statement_was_prepared_before(new_file):
    """sqlite3 keeps prepared statements; the recording must still see a repeated one."""
    officer_id = save_officer(new_file, Officer(name="Pat Doe"))
    new_file.take_changes()
    for name in ("Pat Roe", "Pat Moe"):
        version = new_file.query("SELECT version FROM officer WHERE id = ?", (officer_id,))[0]["version"]
        save_officer(new_file, Officer(name=name, id=officer_id, version=version))
        assert "officer" in new_file.take_changes()


def test_a_refused_or_failed_write_reports_nothing(new_file):
    new_file.take_changes()
    with pytest.raises(ValidationError):
        save_officer(new_file, Officer(name=""))
    with pytest.raises(RuntimeError):
        with new_file.write():
            new_file.conn.execute("UPDATE officer SET name = 'changed' WHERE 0")
            raise RuntimeError("the save failed midway")
    assert new_file.take_changes() == frozenset()


def test_reads_outside_a_write_are_not_recorded_or_refused(new_file):
    save_officer(new_file, Officer(name="Pat Doe"))
    new_file.take_changes()
    assert new_file.query("SELECT name FROM officer") == [{"name": "Pat Doe"}]
    assert new_file.take_changes() == frozenset()
