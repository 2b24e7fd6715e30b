"""Versions on every row, conflicts refused, every change audited in its transaction."""

from __future__ import annotations

import json

import pytest

from sro_desk.errors import ConflictError
from sro_desk.store import DataFile, rows


def _district(data_file):
    return data_file.query("SELECT * FROM district")[0]


def test_insert_stamps_version_time_and_user(new_file):
    with new_file.write():
        row_id = rows.insert(new_file, "district", {"name": "Town", "kind": "public"})
    row = rows.get(new_file, "district", row_id)
    assert row["version"] == 1
    assert row["updated_by"] == new_file.user
    assert row["created_at"] == row["updated_at"]


def test_update_bumps_the_version_and_audits_old_and_new(demo_file):
    row = _district(demo_file)
    with demo_file.write():
        version = rows.update(
            demo_file, "district", row["id"], {"name": "New Name"}, expected_version=row["version"]
        )
    assert version == row["version"] + 1
    audit = demo_file.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert audit["action"] == "update" and audit["table_name"] == "district"
    assert json.loads(audit["changes"]) == {"name": [row["name"], "New Name"]}
    assert audit["user"] == demo_file.user


def test_an_unchanged_save_writes_nothing(demo_file):
    row = _district(demo_file)
    count = demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"]
    with demo_file.write():
        version = rows.update(
            demo_file, "district", row["id"], {"name": row["name"]}, expected_version=row["version"]
        )
    assert version == row["version"]
    assert demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"] == count


def test_a_stale_save_is_refused_with_both_versions(demo_file):
    row = _district(demo_file)
    with demo_file.write():
        rows.update(demo_file, "district", row["id"], {"name": "Theirs"}, expected_version=row["version"])
    with pytest.raises(ConflictError) as caught:
        with demo_file.write():
            rows.update(
                demo_file, "district", row["id"], {"name": "Mine"}, expected_version=row["version"]
            )
    error = caught.value
    assert "changed by" in error.message and "since you opened it" in error.message
    assert error.mine == {"name": "Mine"}
    assert error.theirs["name"] == "Theirs"
    assert _district(demo_file)["name"] == "Theirs"


def test_a_stale_save_from_another_connection_is_refused(demo_file):
    """Two windows over time: the second starts from an old version and is refused."""
    row = _district(demo_file)
    demo_file.close()
    with DataFile.open(demo_file.path) as first:
        with first.write():
            rows.update(first, "district", row["id"], {"name": "First"}, expected_version=row["version"])
    with DataFile.open(demo_file.path) as second:
        with pytest.raises(ConflictError):
            with second.write():
                rows.update(
                    second, "district", row["id"], {"name": "Second"}, expected_version=row["version"]
                )
        assert _district(second)["name"] == "First"
    demo_file.lease = None  # already closed above


def test_audit_and_change_roll_back_together(demo_file):
    row = _district(demo_file)
    audits = demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"]
    with pytest.raises(ZeroDivisionError):
        with demo_file.write():
            rows.update(demo_file, "district", row["id"], {"name": "X"}, expected_version=row["version"])
            1 / 0
    assert _district(demo_file)["name"] == row["name"]
    assert demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"] == audits


def test_changes_outside_a_transaction_are_a_bug(demo_file):
    with pytest.raises(RuntimeError):
        rows.insert(demo_file, "district", {"name": "x", "kind": "public"})


def test_delete_is_audited_with_what_the_row_held(demo_file):
    school = demo_file.query("SELECT * FROM school ORDER BY id LIMIT 1")[0]
    with demo_file.write():
        rows.delete(demo_file, "school", school["id"], expected_version=school["version"])
    audit = demo_file.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert audit["action"] == "delete"
    assert json.loads(audit["changes"])["name"] == [school["name"], None]


def test_local_time_text_reads_naturally():
    text = rows.local_time_text("2026-09-01T13:05:00+00:00")
    assert "2026" in text and ("AM" in text or "PM" in text)
    assert rows.local_time_text(None) == "an unknown time"
