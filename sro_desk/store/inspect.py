"""Looking at a file before SQLite touches it, and naming what is wrong with it.

Everything here only reads. A file that is missing, empty, not a database, another
program's database or cut short is recognised from its bytes, so the person gets one
plain sentence and the file stays exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from pathlib import Path

from sro_desk.errors import DamagedFile, FileBusy, FileProblem, SroDeskError
from sro_desk.store.schema import APPLICATION_ID

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


def inspect_file(path: Path, *, may_be_missing: bool = False) -> bool:
    """Raise FileProblem unless ``path`` is (or may become) an SRO Desk file.

    Returns True when the file exists, False when it is missing and
    ``may_be_missing`` allows it to be created.
    """
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        raise FileProblem(
            f"The folder {folder} cannot be found; if it is on a network drive, "
            "reconnect the drive and try again."
        )
    if not folder.is_dir():
        raise FileProblem(f"{folder} is a file, not a folder; choose another location.")
    if path.is_dir():
        raise FileProblem(f"{path} is a folder, not an SRO Desk file; choose a file.")
    if not path.exists():
        if may_be_missing:
            return False
        raise FileProblem(
            f"There is no file at {path}; check the name, or reconnect the network "
            "drive it lives on."
        )
    try:
        with open(path, "rb") as handle:
            header = handle.read(HEADER_SIZE)
        size = os.path.getsize(path)
    except PermissionError:
        raise FileProblem(
            f"You do not have permission to read {path}; ask whoever manages that "
            "folder to give you access."
        ) from None
    except OSError as exc:
        raise FileProblem(
            f"{path} cannot be read ({exc.strerror or exc}); if it is on a network "
            "drive, reconnect the drive and try again."
        ) from None
    if size == 0:
        _damaged_if_backed_up(path, "it is empty")
        raise FileProblem(
            f"{path} is empty, so it holds no SRO Desk records; open another file or "
            "restore a backup."
        )
    if not header.startswith(SQLITE_MAGIC):
        _damaged_if_backed_up(path, "its start is missing")
        raise FileProblem(
            f"{path} is not an SRO Desk file (it is not a database at all); "
            "open the right file."
        )
    if len(header) < HEADER_SIZE:
        raise damaged(path, "it is cut short")
    (app_id,) = struct.unpack(">I", header[68:72])
    if app_id != APPLICATION_ID:
        _damaged_if_backed_up(path, "its header is damaged")
        raise FileProblem(
            f"{path} is a database made by another program, not an SRO Desk file; "
            "open the right file."
        )
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    (change_counter,) = struct.unpack(">I", header[24:28])
    (page_count,) = struct.unpack(">I", header[28:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    if page_size < 512 or page_size & (page_size - 1):
        raise damaged(path, "its header is damaged")
    if valid_for == change_counter and page_count and size < page_count * page_size and not _hot_journal(path):
        # (A hot journal means a save was cut off while the file grew: SQLite rolls it
        # back on the next edit, so the file is not damaged.)
        raise damaged(path, "it is cut short")
    return True


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _hot_journal(path: Path) -> bool:
    """True when a rollback journal with content lies beside the file."""
    try:
        with open(path.with_name(path.name + "-journal"), "rb") as handle:
            return handle.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def _damaged_if_backed_up(path: Path, what: str) -> None:
    """A file SRO Desk has backed up was one of ours: whatever it looks like now, it is
    damaged, and the sentence names the backup that restores it."""
    from sro_desk.store.backup import latest_backup  # backup imports this module

    if latest_backup(path) is not None:
        raise damaged(path, what)


def uses_wal(path: Path) -> bool:
    """True when the file's header says it is in WAL mode (read and write versions 2),
    which SRO Desk never uses: WAL does not work on network drives."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError:
        return False
    return len(header) >= 20 and header[18] == 2 and header[19] == 2


def damaged(path: Path, what: str = "its contents do not check out") -> DamagedFile:
    """The error for a damaged SRO Desk file, pointing at the latest backup."""
    from sro_desk.store.backup import latest_backup  # backup imports this module

    path = Path(path)
    backup = latest_backup(path)
    if backup is not None:
        advice = (
            f"restore the latest backup ({backup.name}) with File > Restore from "
            f'Backup, or run: sro-desk --db "{path}" restore "{backup}"'
        )
    else:
        advice = "no backup of it was found; ask for a copy from your network backups"
    return DamagedFile(
        f"{path} is damaged ({what}); {advice}.",
        latest_backup=str(backup) if backup else None,
    )


def translate(exc: sqlite3.Error, path: Path, *, doing: str = "") -> SroDeskError | None:
    """Turn a SQLite error into the sentence a person needs.

    Errors that mean a bug (bad SQL, a broken constraint) are not translated: the
    caller re-raises them so they are logged with their traceback.
    """
    text = str(exc).lower()
    path = Path(path)
    if "locked" in text or "busy" in text:
        return FileBusy(
            f"{path.name} is busy: another program has held it locked for too long; "
            "wait a moment and try again."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return SroDeskError(
            f"There is no room left for {path.name}{doing}, so nothing was saved; free "
            "some space on that drive, then save again."
        )
    journal = path.with_name(path.name + "-journal")
    if ("readonly" in text or "read-only" in text) and journal.exists() and journal.stat().st_size:
        return FileProblem(
            f"SRO Desk stopped in the middle of saving {path.name}, so it must finish "
            "recovering it first: open the file for editing once, then try again."
        )
    if "readonly" in text or "read-only" in text:
        return SroDeskError(
            f"{path.name} cannot be changed here (the file or its folder is "
            "read-only); nothing was saved."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damaged(path)
    if "unsupported file format" in text:
        return damaged(path, "its header is damaged")
    if ("unable to open" in text or "disk i/o" in text) and doing == " while saving":
        # The write was refused part way (a failing drive, a share that dropped, a quota):
        # the transaction was rolled back, and the person must know that.
        return FileProblem(
            f"{path} could not be written while saving, so nothing was saved; if it is on a "
            "network drive, reconnect the drive, and check that the drive has room, then "
            "save again."
        )
    if "unable to open" in text or "disk i/o" in text:
        return FileProblem(
            f"{path} could not be reached{doing}; if it is on a network drive, "
            "reconnect the drive and try again."
        )
    return None
