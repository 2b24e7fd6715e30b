"""Damaged files: check and open (read-only) never crash, never change a byte, and say
one sentence, naming the backup where there is one (see damage.py).

150 fuzzed files by default, 500 when CI=true; and a handful through the real CLI.
"""

from __future__ import annotations

import sqlite3

import pytest

from sro_desk.errors import SroDeskError
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import make_backup
from sro_desk.store.check import check_file
from tests.helpers import run_cli
from tests.reliability.common import CAN_FORK, assert_sentence, file_state, journal_of
from tests.reliability.damage import leave_hot_journal, run_fuzz

pytestmark = pytest.mark.skipif(not CAN_FORK, reason="the hot journals are made by forked writers")


def test_fuzzed_files_are_refused_in_one_sentence_and_never_changed(scratch, battery_counts):
    figures = run_fuzz(scratch, battery_counts.fuzzed_files)
    assert figures.failures == []
    assert figures.files_fuzzed == battery_counts.fuzzed_files
    assert figures.calls == 2 * battery_counts.fuzzed_files
    assert figures.known_defects == {}
    # The damage reached every kind of answer: refusals, damaged files, and files that
    # still open (damage outside what opening reads).
    assert {"check: DamagedFile", "open: DamagedFile", "check: FileProblem", "open: opened"} <= set(figures.outcomes)


# -- through the real command line ----------------------------------------------------------


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _bad_page_types(path):
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page, len(data), page):
        data[start] = 0x77
    path.write_bytes(bytes(data))


def _hot_journal(path):
    leave_hot_journal(path)


def _another_program(path):
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


def _wal(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize(("damage", "backed_up", "exit_code", "words"), [
    (None, True, 0, "The file is healthy."),
    (_truncate, True, 1, "is damaged (it is cut short)"),
    (_truncate, False, 1, "no backup of it was found"),
    (_bad_page_types, True, 1, "is damaged"),
    (_hot_journal, True, 2, "in the middle of saving"),
    (_another_program, False, 2, "made by another program"),
    (_another_program, True, 1, "is damaged"),  # it was ours: SRO Desk backed it up
    (_wal, True, 1, "WAL mode"),
])
def test_check_through_the_command_line(demo_copy, damage, backed_up, exit_code, words):
    backup = make_backup(demo_copy) if backed_up else None
    if damage is not None:
        damage(demo_copy)
    before = file_state(demo_copy)
    journal_before = journal_of(demo_copy).exists()
    result = run_cli("--db", str(demo_copy), "check")
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    said = (result.stdout if exit_code == 0 else result.stderr).strip().splitlines()
    assert any(words in line for line in said), said
    if exit_code:
        problem = result.stderr.strip()
        assert len(problem.splitlines()) == 1, problem
        assert_sentence(problem.removeprefix("Problem: "))
        if "damaged" in problem and backup is not None:
            assert backup.name in problem
    assert file_state(demo_copy) == before
    assert journal_of(demo_copy).exists() == journal_before


# -- the defects the fuzzing found ----------------------------------------------------------


def _refusal(path, call):
    before = file_state(path)
    try:
        call(path)
    except SroDeskError as exc:
        assert_sentence(exc.message)
        message = exc.message
    else:
        message = None
    assert file_state(path) == before
    return message


def _check(path):
    check_file(path)


def _open(path):
    DataFile.open(path, OpenOptions(edit=False)).close()


def test_check_names_a_missing_table_in_a_sentence(demo_copy):
    conn = sqlite3.connect(demo_copy)
    conn.executescript("PRAGMA foreign_keys = OFF; DROP TABLE school;")
    conn.close()
    assert _refusal(demo_copy, _check) is not None


@pytest.mark.parametrize("call", [_check, _open])
def test_a_damaged_schema_format_number_is_refused_in_a_sentence(demo_copy, call):
    data = bytearray(demo_copy.read_bytes())
    data[47] ^= 0x40
    demo_copy.write_bytes(bytes(data))
    assert _refusal(demo_copy, call) is not None


@pytest.mark.parametrize("call", [_check, _open])
def test_a_schema_name_that_is_not_text_is_refused_in_a_sentence(demo_copy, call):
    conn = sqlite3.connect(demo_copy)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET name = CAST(X'ff6d657461' AS TEXT), sql = 'CREATE TABLE broken broken' "
        "WHERE name = 'meta'"
    )
    conn.commit()
    conn.close()
    assert _refusal(demo_copy, call) is not None


def _emptied(path):
    path.write_bytes(b"")


def _first_bytes_lost(path):
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def _application_id_flipped(path):
    data = bytearray(path.read_bytes())
    data[70] ^= 0x01
    path.write_bytes(bytes(data))


# Reported by this battery and fixed meanwhile (inspect.py _damaged_if_backed_up): kept as
# a regression test.
@pytest.mark.parametrize("damage", [_emptied, _first_bytes_lost, _application_id_flipped])
def test_a_file_with_a_backup_is_pointed_at_it(demo_copy, damage):
    backup = make_backup(demo_copy)
    damage(demo_copy)
    message = _refusal(demo_copy, _open)
    assert message is not None and backup.name in message
