"""No output can destroy the data file: the print and export commands refuse, in one
sentence, any target that is the file, part of it, its backups, another database, or a
file the person may not change; and outputs get the permissions of the person's umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sro_desk.errors import SroDeskError
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import backup_folders, make_backup
from sro_desk.store.outputs import check_output, current_umask

PRINT = ["print", "agreement", "1"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sro_desk.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})


@pytest.fixture
def demo_db(tmp_path):
    from sro_desk.records.demo import create_demo

    path = tmp_path / "d.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
    return path


def _targets(db: Path) -> dict[str, Path]:
    os.link(db, db.with_name("hard.db"))
    os.symlink(db, db.with_name("soft.pdf"))
    backup = make_backup(db)
    return {
        "the file": db,
        "its journal": db.with_name(db.name + "-journal"),
        "its lock": db.with_name(db.name + ".lock"),
        "a hard link": db.with_name("hard.db"),
        "a symbolic link": db.with_name("soft.pdf"),
        "a backup": Path(backup),
        "the folder of backups": backup_folders(db)[-1] / "new.pdf",
    }


@pytest.mark.parametrize("command", [
    [*PRINT], ["print", "review", "2025-2026"], ["print", "packet", "2025-2026"], ["print", "status"],
    ["print", "form", "complaint", "--lang", "en"], ["export", "enforcement", "2025-2026"],
])
def test_no_output_command_writes_over_the_data_file_or_anything_of_it(demo_db, command):
    before = demo_db.read_bytes()
    for what, target in _targets(demo_db).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        content = target.read_bytes() if existed and target.is_file() else None
        done = _cli("--db", str(demo_db), *command, "-o", str(target), cwd=demo_db.parent)
        assert done.returncode == 2, (what, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert target.exists() == existed, what
        if content is not None:
            assert target.read_bytes() == content, what
    assert demo_db.read_bytes() == before
    assert not demo_db.with_name(demo_db.name + "-journal").exists()
    check = _cli("--db", str(demo_db), "check", cwd=demo_db.parent)
    assert check.returncode == 0, check.stderr


def test_a_read_only_file_or_another_database_is_never_replaced(demo_db, tmp_path):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"keep me")
    locked.chmod(0o444)
    other = tmp_path / "other-district.db"
    other.write_bytes(demo_db.read_bytes())
    for target in (locked, other, tmp_path):
        before = target.read_bytes() if target.is_file() else None
        done = _cli("--db", str(demo_db), *PRINT, "-o", str(target), cwd=tmp_path)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        if before is not None:
            assert target.read_bytes() == before


def test_the_window_and_the_library_are_guarded_too(demo_db, tmp_path):
    """The guard lives below the front ends: an open file protects itself."""
    with DataFile.open(demo_db, OpenOptions(edit=False)):
        with pytest.raises(SroDeskError, match="data file"):
            check_output(demo_db)
        with pytest.raises(SroDeskError):
            check_output(demo_db.with_name(demo_db.name + "-journal"))
        assert check_output(tmp_path / "fine.pdf") == tmp_path / "fine.pdf"
    from sro_desk.documents.agreement import build_agreement_pdf
    from sro_desk.records import agreements

    with DataFile.open(demo_db, OpenOptions(edit=False)) as data_file:
        document = agreements.printable(data_file, agreements.load_agreement(data_file, 1))
        with pytest.raises(SroDeskError):
            build_agreement_pdf(document, demo_db)
    assert DataFile.open(demo_db, OpenOptions(edit=False)).close() is None


def test_outputs_follow_the_umask(demo_db, tmp_path):
    out = tmp_path / "agreement.pdf"
    old = os.umask(0o007)
    try:
        done = _cli("--db", str(demo_db), *PRINT, "-o", str(out), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o660
    assert current_umask() == old


def test_the_data_file_lock_and_backups_follow_the_umask(tmp_path):
    """They were 0644 whatever the umask, so a group on a shared folder could only read."""
    old = os.umask(0o002)
    try:
        db = tmp_path / "shared.db"
        with DataFile.open(db, OpenOptions(create=True)) as data_file:
            lock = data_file.lease.path
            assert stat.S_IMODE(lock.stat().st_mode) == 0o664
        backup = make_backup(db)
    finally:
        os.umask(old)
    assert stat.S_IMODE(db.stat().st_mode) == 0o664
    assert stat.S_IMODE(Path(backup).stat().st_mode) == 0o664


def test_removed_text_is_overwritten_in_the_file(tmp_path):
    with DataFile.open(tmp_path / "d.db", OpenOptions(create=True)) as data_file:
        assert data_file.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
