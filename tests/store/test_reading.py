"""One snapshot for a page's reads: repeated reads answered once, reads together in one
statement, prefetched answers, and a write ending the snapshot."""

from __future__ import annotations

import sqlite3

import pytest

from sro_desk.records.settings import get_setting, set_setting
from sro_desk.store import DataFile, OpenOptions, one_snapshot


@pytest.fixture
def traced(new_file):
    statements: list[str] = []
    new_file.conn.set_trace_callback(statements.append)
    new_file.statements = statements
    return new_file


def _reads(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def _make_rows(data_file: DataFile) -> None:
    data_file.conn.execute("CREATE TABLE sample (id INTEGER PRIMARY KEY, name TEXT, hours REAL, note TEXT)")
    data_file.conn.executemany(
        "INSERT INTO sample (name, hours, note) VALUES (?, ?, ?)",
        [("O'Brien, \"Pat\"", 1.25, None), ("Zoë 中文 \\ /", 2.0, "x"), ("plain", 3, "")],
    )
    data_file._read_columns()


def test_a_repeated_read_in_one_snapshot_is_asked_once(traced):
    with traced.reading():
        for _ in range(5):
            assert get_setting(traced, "missing", "fallback") == "fallback"
        first = traced.query("SELECT key FROM setting")
        first.append({"key": "changed by the caller"})
        assert traced.query("SELECT key FROM setting") != first  # each caller gets its own copy
    assert _reads(traced.statements).count("SELECT key, value FROM setting") == 1
    assert traced.statements[0] == "BEGIN DEFERRED" and traced.statements[-1] == "COMMIT"
    assert not traced.conn.in_transaction


def test_outside_a_snapshot_every_read_asks_the_file(traced):
    get_setting(traced, "a")
    get_setting(traced, "a")
    assert _reads(traced.statements).count("SELECT key, value FROM setting") == 2


def test_a_write_ends_the_snapshot_and_later_reads_are_fresh(traced):
    with traced.reading():
        assert get_setting(traced, "colour") is None
        set_setting(traced, "colour", "blue")
        assert get_setting(traced, "colour") == "blue"
        with traced.reading():  # nested: joins the (now ended) snapshot, no new transaction
            assert get_setting(traced, "colour") == "blue"
    assert not traced.conn.in_transaction
    assert get_setting(traced, "colour") == "blue"


def test_reading_inside_a_write_reads_the_write(traced):
    with traced.write():
        set_setting_rows = traced.query("SELECT count(*) AS n FROM setting")[0]["n"]
        with traced.reading():
            assert traced.query("SELECT count(*) AS n FROM setting")[0]["n"] == set_setting_rows
    assert not traced.conn.in_transaction


def test_an_error_inside_the_snapshot_drops_the_lock(traced):
    with pytest.raises(ZeroDivisionError), traced.reading():
        traced.query("SELECT 1")
        1 / 0
    assert not traced.conn.in_transaction
    # another connection can write at once: no lock is left behind
    other = sqlite3.connect(traced.path, timeout=0.1)
    other.execute("CREATE TABLE other_writer (x)")
    other.commit()
    other.close()


def test_reads_together_equal_the_reads_alone(traced):
    _make_rows(traced)
    reads = {
        "by_name": ("SELECT * FROM sample ORDER BY name DESC", (), traced.columns("sample")),
        "some": ("SELECT id, hours * 2 AS double FROM sample WHERE hours > ? ORDER BY id", (1.5,), ("id", "double")),
        "none": ("SELECT * FROM sample WHERE id < ?", (0,), traced.columns("sample")),
    }
    traced.statements.clear()
    together = traced.query_together(reads)
    assert len(_reads(traced.statements)) == 1
    for name, (sql, params, _columns) in reads.items():
        alone = traced.query(sql, params)
        assert together[name] == alone
        assert [type(v) for row in together[name] for v in row.values()] == \
            [type(v) for row in alone for v in row.values()]


def test_prefetched_reads_are_answered_without_asking(traced):
    _make_rows(traced)
    sql = "SELECT * FROM sample WHERE hours >= ? ORDER BY hours DESC"
    traced.statements.clear()
    with traced.reading():
        traced.prefetch([(sql, (2,), traced.columns("sample")), ("SELECT key, value FROM setting", (), ("key", "value"))])
        asked = len(_reads(traced.statements))
        assert [r["name"] for r in traced.query(sql, (2,))] == ["plain", "Zoë 中文 \\ /"]
        assert get_setting(traced, "x") is None
        assert len(_reads(traced.statements)) == asked == 1
    traced.statements.clear()
    traced.prefetch([(sql, (2,), traced.columns("sample"))])  # outside a snapshot: nothing
    assert traced.statements == []


def test_a_prefetch_that_cannot_be_made_leaves_the_reads_right(traced):
    _make_rows(traced)
    traced.conn.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)")
    traced.conn.execute("INSERT INTO blobs (data) VALUES (x'00ff')")
    with traced.reading():
        traced.prefetch([("SELECT * FROM sample ORDER BY id", (), ("id", "no_such_column")),
                         ("SELECT data FROM blobs", (), ("data",))])
        assert traced.query("SELECT * FROM sample ORDER BY id")[0]["name"] == "O'Brien, \"Pat\""
        assert traced.query("SELECT data FROM blobs") == [{"data": b"\x00\xff"}]


def test_a_page_refresh_reads_in_one_snapshot(traced):
    class Page:
        @one_snapshot
        def refresh(self, data_file):
            self.inside = data_file.conn.in_transaction
            return get_setting(data_file, "a"), get_setting(data_file, "b")

    page = Page()
    assert page.refresh(traced) == (None, None)
    assert page.inside and not traced.conn.in_transaction
    assert len(_reads(traced.statements)) == 1
    assert Page().refresh.__name__ == "refresh"


def test_read_only_files_read_in_snapshots_too(db_path, new_file):
    new_file.close()
    with DataFile.open(db_path, OpenOptions(edit=False)) as reader, reader.reading():
        assert get_setting(reader, "a", "b") == "b"
        assert reader.columns("setting")[:2] == ("id", "key") or "key" in reader.columns("setting")


def test_changing_a_setting_is_three_statements_in_its_transaction(traced):
    set_setting(traced, "colour", "blue")
    traced.statements.clear()
    set_setting(traced, "colour", "green")
    statements = traced.statements
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert [s.split()[0] for s in statements[1:-1]] == ["SELECT", "UPDATE", "INSERT"]
    assert get_setting(traced, "colour") == "green"
    last = traced.query("SELECT changes FROM audit_log ORDER BY id DESC LIMIT 1")[0]["changes"]
    assert "blue" in last and "green" in last


def test_reads_together_answer_the_same_reads_made_alone_later(traced):
    _make_rows(traced)
    sql = "SELECT * FROM sample ORDER BY id"
    with traced.reading():
        together = traced.query_together({"all": (sql, (), traced.columns("sample"))})
        traced.statements.clear()
        assert traced.query(sql) == together["all"]
        assert _reads(traced.statements) == []


def test_the_snapshot_tells_parameters_apart_by_type(traced):
    with traced.reading():
        assert traced.query("SELECT 7 / ? AS q", (2,)) == [{"q": 3}]
        assert traced.query("SELECT 7 / ? AS q", (2.0,)) == [{"q": 3.5}]


def test_reads_together_take_any_column_name(traced):
    traced.conn.execute('CREATE TABLE odd ("it\'s", "a]b", "say ""hi""")')
    traced.conn.execute("INSERT INTO odd VALUES (1, 2, 3)")
    traced._read_columns()
    sql = "SELECT * FROM odd"
    assert traced.query_together({"odd": (sql, (), traced.columns("odd"))})["odd"] == traced.query(sql)


def test_a_write_on_another_thread_waits_for_the_snapshot_and_never_ends_it(traced):
    import threading

    set_setting(traced, "colour", "blue")
    inside, written = threading.Event(), threading.Event()

    def other_thread():
        inside.wait(5)
        set_setting(traced, "colour", "green")  # waits until the snapshot is over
        written.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with traced.reading():
        assert get_setting(traced, "colour") == "blue"
        inside.set()
        assert not written.wait(0.3)  # the write is held back...
        assert get_setting(traced, "colour") == "blue" and traced.conn.in_transaction
    worker.join(5)
    assert written.is_set() and get_setting(traced, "colour") == "green"


def test_a_snapshot_on_another_thread_during_a_write_reads_plainly(traced):
    import threading

    found = []
    with traced.write():
        worker = threading.Thread(target=lambda: found.append(_snapshot_taken(traced)))
        worker.start()
        worker.join(5)
    assert found == [False]  # no BEGIN of its own inside someone else's write
    assert not traced.conn.in_transaction


def _snapshot_taken(data_file) -> bool:
    with data_file.reading():
        return data_file._answers is not None
