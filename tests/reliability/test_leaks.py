"""What could leak today does not: the export's columns, the public enforcement report,
the lock and presence files, the audit log of attachments, the log files, and
confidential complainants' identities (see leaks.py; crashes, hostile passphrases and
other people's copies are in test_confidential.py)."""

from __future__ import annotations

import csv
import json

import pytest

from sro_desk.errors import ReadOnlyError, ValidationError
from sro_desk.records import complaints
from sro_desk.records.demo import DEMO_PASSPHRASE
from sro_desk.records.enforcement_reports import EXPORT_COLUMNS
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.lease import lock_path
from tests.helpers import run_cli
from tests.reliability.common import Figures, assert_sentence, sha256
from tests.reliability.leaks import LEASE_KEYS, find_leaks


def test_nothing_leaks(scratch):
    figures = Figures()
    assert find_leaks(scratch, figures) == []


def test_the_export_through_the_command_line_has_the_documented_columns(demo_copy, tmp_path):
    with DataFile.open(demo_copy) as data_file:
        year = data_file.query("SELECT max(school_year) AS y FROM enforcement_action")[0]["y"]
    out = tmp_path / "enforcement.csv"
    result = run_cli("--db", str(demo_copy), "export", "enforcement", year, "-o", str(out))
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == EXPORT_COLUMNS and len(rows) > 1
    assert all(len(row) == len(EXPORT_COLUMNS) for row in rows)


def test_the_lock_file_says_who_and_when_only(demo_copy):
    with DataFile.open(demo_copy):
        info = json.loads(lock_path(demo_copy).read_text(encoding="utf-8"))
    assert set(info) == LEASE_KEYS
    assert isinstance(info["pid"], int) and len(info["token"]) == 32


def test_a_confidential_identity_is_not_read_where_the_look_cannot_be_logged(demo_copy):
    before = sha256(demo_copy)
    with DataFile.open(demo_copy, OpenOptions(edit=False)) as reader:
        with pytest.raises(ValidationError) as wrong:
            complaints.unlock(reader, "not the district's passphrase")
        assert_sentence(wrong.value.message)
        key = complaints.unlock(reader, DEMO_PASSPHRASE)
        year = reader.query("SELECT max(school_year) AS y FROM complaint WHERE identity_sealed IS NOT NULL")[0]["y"]
        sealed = next(c for c in complaints.complaints_for(reader, year) if c.has_sealed_identity)
        assert sealed.identity is None
        with pytest.raises(ReadOnlyError) as refused:
            complaints.reveal(reader, sealed, key)
        assert_sentence(refused.value.message)
    assert sha256(demo_copy) == before
