"""The partial index of open enforcement flags has the condition the readers use, in a new
file and in a file made before the c. 272 rule grew (a partial index serves a query only
when its condition is the same word for word)."""

from __future__ import annotations

import sqlite3

from sro_desk.records.listing import open_flags_sql
from sro_desk.store import DataFile, OpenOptions


def _index_sql(path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = 'idx_enforcement_action_open_flags'"
                            ).fetchone()[0]


def test_the_index_condition_is_the_readers(tmp_path):
    path = tmp_path / "new.db"
    with DataFile.open(path, OpenOptions(create=True)):
        pass
    assert _index_sql(path).endswith(f"WHERE {open_flags_sql()}")


def test_a_file_with_the_old_condition_gets_todays(tmp_path):
    path = tmp_path / "old.db"
    with DataFile.open(path, OpenOptions(create=True)):
        pass
    with sqlite3.connect(path) as conn:  # as a file made before: the old index, 0015 not run
        conn.execute("DROP INDEX idx_enforcement_action_open_flags")
        conn.execute("CREATE INDEX idx_enforcement_action_open_flags ON enforcement_action (school_year) "
                     "WHERE place = 'building'")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0015_open_flags_index'")
    with DataFile.open(path) as data_file:
        plan = data_file.query("EXPLAIN QUERY PLAN SELECT count(*) FROM enforcement_action "
                               f"WHERE school_year = '2026-2027' AND {open_flags_sql()}")
    assert _index_sql(path).endswith(f"WHERE {open_flags_sql()}")
    assert any("idx_enforcement_action_open_flags" in str(row) for row in plan)
