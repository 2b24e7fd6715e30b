"""Opening files: pragmas, the schema, and every kind of bad file refused unchanged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from sro_desk.errors import DamagedFile, FileBusy, FileProblem, ReadOnlyError
from sro_desk.store import DataFile, OpenOptions, schema
from sro_desk.store.backup import make_backup
from tests.helpers import sha256


def test_new_file_uses_rollback_journal_and_full_sync(new_file):
    conn = new_file.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 1000
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    applied = {m.name for m in schema.migrations.applied(new_file.db)}
    assert applied == schema.known_migration_names()


def test_every_record_table_has_the_record_columns(new_file):
    for table in ("district", "school", "police_department"):
        columns = set(new_file.db[table].columns_dict)
        assert {"id", "created_at", "updated_at", "updated_by", "version"} <= columns


def test_a_wal_file_is_switched_to_the_rollback_journal(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)):
        pass
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.close()
    with DataFile.open(db_path) as data_file:
        assert data_file.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_write_transactions_begin_immediate(new_file):
    statements = []
    new_file.conn.set_trace_callback(statements.append)
    with new_file.write():
        new_file.db["meta"].upsert({"key": "k", "value": "v"}, pk="key")
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"


def test_a_failed_write_leaves_nothing_behind(new_file):
    with pytest.raises(RuntimeError):
        with new_file.write():
            new_file.db["meta"].insert({"key": "half", "value": "written"})
            raise RuntimeError("boom")
    assert new_file.query("SELECT * FROM meta WHERE key = 'half'") == []
    assert not new_file.conn.in_transaction


def test_read_only_open_refuses_writes(demo_path):
    before = sha256(demo_path)
    with DataFile.open(demo_path, OpenOptions(edit=False)) as data_file:
        assert data_file.read_only
        with pytest.raises(ReadOnlyError) as caught:
            with data_file.write():
                pass
        assert "Nothing was saved" in caught.value.message
    assert sha256(demo_path) == before


# -- bad files: each refused with a sentence, the bytes unchanged ---------------------------


def _refused(path, error=FileProblem, **options):
    before = sha256(path) if path.is_file() else None
    with pytest.raises(error) as caught:
        DataFile.open(path, OpenOptions(**options))
    if before is not None:
        assert sha256(path) == before
    message = caught.value.message
    assert message.endswith(".") and "Traceback" not in message
    return message


def test_missing_file(tmp_path):
    assert "There is no file" in _refused(tmp_path / "nope.db")


def test_missing_folder_like_an_unplugged_share(tmp_path):
    message = _refused(tmp_path / "share" / "district.db", create=True)
    assert "cannot be found" in message and "reconnect" in message


def test_a_folder_is_not_a_file(tmp_path):
    assert "is a folder" in _refused(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert "is empty" in _refused(path)
    assert path.read_bytes() == b""


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("Minutes of the September meeting\n" * 50)
    assert "not a database" in _refused(path)


def test_another_programs_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    assert "another program" in _refused(path)


def test_file_from_a_newer_version(demo_path):
    conn = sqlite3.connect(demo_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('sro_desk', '9999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    assert "newer version" in _refused(demo_path)
    assert "newer version" in _refused(demo_path, edit=False)


def test_truncated_file_offers_the_latest_backup(demo_path):
    backup = make_backup(demo_path)
    data = demo_path.read_bytes()
    demo_path.write_bytes(data[: len(data) // 2])
    message = _refused(demo_path, error=DamagedFile)
    assert "damaged" in message and backup.name in message


def test_corrupt_schema_is_damaged(demo_path):
    data = bytearray(demo_path.read_bytes())
    # Page 1 after the header holds the schema b-tree; scribble over it.
    data[100:400] = b"\xff" * 300
    demo_path.write_bytes(bytes(data))
    message = _refused(demo_path, error=DamagedFile)
    assert "damaged" in message


def test_a_file_locked_longer_than_the_busy_timeout(demo_path, tmp_path):
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sqlite3, time, pathlib
                conn = sqlite3.connect({str(demo_path)!r}, isolation_level=None)
                conn.execute("BEGIN EXCLUSIVE")
                conn.execute("UPDATE meta SET value = value")
                pathlib.Path({str(ready)!r}).write_text("x")
                time.sleep(30)
                """
            ),
        ]
    )
    try:
        for _ in range(200):
            if ready.exists():
                break
            subprocess.run(["sleep", "0.05"])
        assert ready.exists()
        message = _refused(demo_path, error=FileBusy, edit=False)
        assert "busy" in message
    finally:
        holder.kill()
        holder.wait()


def test_pending_migrations_are_backed_up_first(db_path):
    """A file from an older version: backed up, then brought up to date."""
    from sqlite_utils import Database

    from sro_desk.store.backup import list_backups

    db = Database(db_path)
    schema.migrations.apply(db, stop_before="0002_district")
    db.close()
    assert not list_backups(db_path)
    with DataFile.open(db_path) as data_file:
        assert {m.name for m in schema.migrations.applied(data_file.db)} == (
            schema.known_migration_names()
        )
    backups = list_backups(db_path)
    assert backups and backups[0].name.endswith("-before-update.db")
    old = Database(backups[0])
    assert "district" not in old.table_names()


def test_an_older_file_opened_read_only_is_refused_not_changed(db_path):
    from sqlite_utils import Database

    db = Database(db_path)
    schema.migrations.apply(db, stop_before="0002_district")
    db.close()
    assert "older version" in _refused(db_path, edit=False)


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda data: b"", "it is empty"),
        (lambda data: data[100:], "its start is missing"),
        (lambda data: data[:68] + b"\x00\x00\x00\x01" + data[72:], "its header is damaged"),
    ],
)
def test_a_backed_up_file_that_is_spoilt_points_at_its_backup(demo_path, spoil, words):
    backup = make_backup(demo_path)
    demo_path.write_bytes(spoil(demo_path.read_bytes()))
    message = _refused(demo_path, error=DamagedFile)
    assert words in message and backup.name in message
