"""check: a read-only health report that never changes a byte."""

from __future__ import annotations

import pytest

from sro_desk.errors import DamagedFile
from sro_desk.store.check import check_file
from sro_desk.store.lease import lock_path
from tests.helpers import sha256


def test_a_healthy_file(demo_path):
    before = sha256(demo_path)
    report = check_file(demo_path)
    assert report.healthy
    assert any("Granite Valley" in fact for fact in report.facts)
    assert sha256(demo_path) == before
    assert not lock_path(demo_path).exists()
    assert not demo_path.with_name(demo_path.name + "-journal").exists()


def test_a_damaged_page_is_found(demo_path):
    data = bytearray(demo_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    # Give every page after the first an impossible b-tree page type.
    for start in range(page, len(data), page):
        data[start] = 0x77
    demo_path.write_bytes(bytes(data))
    before = sha256(demo_path)
    with pytest.raises(DamagedFile):
        check_file(demo_path)
    assert sha256(demo_path) == before


def test_a_wal_file_is_a_problem_and_is_not_touched(demo_path):
    import sqlite3

    conn = sqlite3.connect(demo_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    before = sha256(demo_path)
    report = check_file(demo_path)
    assert not report.healthy and "WAL mode" in report.problems[0]
    assert sha256(demo_path) == before
    assert not demo_path.with_name(demo_path.name + "-wal").exists()
    assert not demo_path.with_name(demo_path.name + "-shm").exists()


def test_a_file_left_mid_save_says_how_to_recover(demo_path):
    import os
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-c",
         "import os, sqlite3\n"
         f"c = sqlite3.connect({str(demo_path)!r}, isolation_level=None)\n"
         "c.execute('PRAGMA cache_size = 1')\n"
         "c.execute('BEGIN IMMEDIATE')\n"
         "c.execute('CREATE TABLE filler (x)')\n"
         "c.executemany('INSERT INTO filler VALUES (?)', [('y' * 2000,) for _ in range(300)])\n"
         "c.execute('UPDATE district SET name = name')\n"
         "os._exit(0)\n"],
        check=True,
    )
    journal = demo_path.with_name(demo_path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    before = sha256(demo_path)
    from sro_desk.errors import FileProblem

    with pytest.raises(FileProblem) as caught:
        check_file(demo_path)
    assert "in the middle of saving" in caught.value.message
    assert sha256(demo_path) == before and journal.exists()
    from sro_desk.store import DataFile

    with DataFile.open(demo_path):  # opening for editing rolls the journal back
        pass
    assert check_file(demo_path).healthy
    assert not journal.exists() or journal.stat().st_size == 0
    del os
