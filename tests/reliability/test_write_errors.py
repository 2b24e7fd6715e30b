"""A full disk and write errors in the middle of a save: one sentence, the file unchanged,
what the person typed untouched and saved once there is room (see write_errors.py)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sro_desk.errors import SroDeskError
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.lease import lock_path
from tests.reliability.common import CAN_FORK, Figures, assert_sentence, file_state, read_all
from tests.reliability.write_errors import NO_ROOM, SAVES, full_disk, write_error

ROOT = Path(__file__).resolve().parents[2]
LABELS = [save.label for save in SAVES]


@pytest.mark.parametrize("spill", [False, True], ids=["failing-at-commit", "failing-mid-transaction"])
@pytest.mark.parametrize("save", SAVES, ids=LABELS)
def test_a_full_disk(demo_copy, save, spill):
    figures = Figures()
    full_disk(demo_copy, save, spill=spill, figures=figures)
    assert figures.failures == []
    assert figures.survived == 1
    assert len(figures.sentences) == 1 and next(iter(figures.sentences)).startswith(NO_ROOM)


@pytest.mark.skipif(not CAN_FORK, reason="the writer is forked to limit its file size")
@pytest.mark.parametrize("room", [0, 4096, 65536], ids=["no-room", "a-page", "sixteen-pages"])
@pytest.mark.parametrize("save", SAVES, ids=LABELS)
def test_a_write_error_from_the_system(demo_copy, save, room):
    figures = Figures()
    write_error(demo_copy, save, room, figures=figures)
    assert figures.failures == []
    assert figures.survived == 1
    # Each limit stops these saves: they all need more room than that.
    assert "write error: landed within the limit" not in figures.outcomes


def _limited(limit: int):
    def start() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return start


def _cli_with_limit(limit: int, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "sro_desk", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=60, stdin=subprocess.DEVNULL, preexec_fn=_limited(limit),
    )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs a file-size limit")
def test_an_import_that_cannot_be_written_through_the_command_line(demo_copy, tmp_path):
    agreement = tmp_path / "agreement.txt"
    agreement.write_text(
        "School Resource Officer Agreement\n\n1. Purpose\n" + "The parties agree. " * 2000
        + "\n\n2. Training\nThe SRO completes ____ [insert number] hours of training.\n",
        encoding="utf-8",
    )
    before = file_state(demo_copy)
    result = _cli_with_limit(demo_copy.stat().st_size, "--db", str(demo_copy), "mou", "import", str(agreement))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert_sentence(result.stderr.strip())
    assert file_state(demo_copy) == before


@pytest.mark.skipif(not CAN_FORK, reason="the writer is forked to limit its file size")
# Reported by this battery (the empty file a failed set-up left was refused "is empty" on
# every retry) and fixed in store/database.py DataFile.open (_remove_unused).
def test_a_new_file_whose_set_up_fails_can_be_made_again(tmp_path):
    path = tmp_path / "new.db"
    pid = os.fork()
    if pid == 0:
        try:
            _limited(8192)()
            DataFile.open(path, OpenOptions(create=True)).close()
        except SroDeskError:
            os._exit(3)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 3, "setting up the file should have failed"
    assert not path.exists(), "the empty file the failed set-up made was left behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        assert not data_file.read_only


def test_a_failed_set_up_never_removes_a_file_it_did_not_create(tmp_path, monkeypatch):
    """An empty file someone else made is refused as before (it is not ours to remove),
    and a file this open made is kept when a journal lies beside it (SQLite needs it)."""
    from sro_desk.store import database

    path = tmp_path / "theirs.db"
    path.write_bytes(b"")
    with pytest.raises(SroDeskError):
        DataFile.open(path, OpenOptions(create=True))
    assert path.exists()

    def refuse(self, *, new):
        path.with_name(path.name + "-journal").write_bytes(b"")  # as a failed first save may leave
        raise SroDeskError("Setting up failed.")

    path = tmp_path / "mine.db"
    monkeypatch.setattr(database.DataFile, "_prepare", refuse)
    with pytest.raises(SroDeskError):
        DataFile.open(path, OpenOptions(create=True))
    assert path.exists() and path.with_name("mine.db-journal").exists()
    assert not lock_path(path).exists()


@pytest.mark.skipif(not CAN_FORK, reason="the writer is forked to limit its file size")
# Reported by this battery (a full backup drive was told as the data file being out of
# reach or out of room) and fixed in store/backup.py _copy_into (_destination_problem).
def test_a_backup_that_cannot_be_written_names_the_backup_folder(demo_copy, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            from sro_desk.store.backup import make_backup

            _limited(64 * 1024)()
            try:
                make_backup(demo_copy, to=folder)
                os.write(write_end, b"made")
            except SroDeskError as exc:
                os.write(write_end, exc.message.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    message = read_all(read_end)
    os.waitpid(pid, 0)
    assert message != "made"
    assert_sentence(message)
    assert str(folder) in message and "backup folder" in message
    assert "reconnect" not in message and "damaged" not in message
    assert "has room" in message and "another drive" in message
    assert [p.name for p in folder.iterdir()] == [], "an unfinished backup was left"
