"""Careless hands at the command line: each gets one sentence that says what is wrong,
exit 2, and the file untouched (issue 18's low findings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli, sha256


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "d.db"
    made = run_cli("--db", str(db), "demo")
    assert made.returncode == 0, made.stderr
    return db


@pytest.mark.parametrize(("args", "says"), [
    (["print", "agreement", "99999999999999999999999", "-o", "{tmp}/x.pdf"], "no record number"),
    (["print", "agreement", "seven", "-o", "{tmp}/x.pdf"], "not a record number"),
    (["backup", "--to", "/proc"], "system's own folders"),
    (["restore", "{db}"], "the data file itself"),
    (["print", "packet", "1900-1901", "-o", "{tmp}/x.pdf"], "outside the school years"),
    (["print", "review", "3000-3001", "-o", "{tmp}/x.pdf"], "outside the school years"),
    (["print", "packet", "2025-2026", "--meeting-on", "0001-01-01", "-o", "{tmp}/x.pdf"], "check the year"),
])
def test_a_careless_command_gets_one_sentence(demo, tmp_path, args, says):
    before = sha256(demo)
    done = run_cli("--db", str(demo), *(a.format(tmp=tmp_path, db=demo) for a in args), timeout=30)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert sha256(demo) == before
    assert not (tmp_path / "x.pdf").exists()


def test_a_folder_where_the_lock_goes_is_named_as_such(tmp_path):
    db = tmp_path / "d.db"
    assert run_cli("--db", str(db), "demo").returncode == 0
    (tmp_path / "d.db.lock").mkdir()
    done = run_cli("--db", str(db), "demo", timeout=30)
    assert done.returncode == 2
    assert "folder called d.db.lock" in done.stderr and "by root" not in done.stderr, done.stderr
