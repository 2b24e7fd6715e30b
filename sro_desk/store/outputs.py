"""Where a document or an export may be written: never over the district's own file.

Every output SRO Desk writes (a PDF, a CSV) goes through :func:`check_output` before a
byte is written and through :func:`replace_output` to take its place. An output is
refused, in one sentence, when its name leads (by its real path, through a link, or by a
hard link to the same file) to an open data file or anything that belongs to it: its
rollback journal, its lock and presence files, its backups and their folders. Any other
SQLite database, a folder, and a file the person could not change themselves are refused
too, so printing can never destroy a district's records.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

from sro_desk.errors import SroDeskError

#: The data files open in this process (the window or a command), by absolute path.
_open: dict[Path, int] = {}
_lock = threading.Lock()
_SQLITE_HEADER = b"SQLite format 3\x00"


def register(database: Path) -> None:
    """A data file was opened: its family is protected until :func:`unregister`."""
    with _lock:
        path = Path(database).absolute()
        _open[path] = _open.get(path, 0) + 1


def unregister(database: Path) -> None:
    with _lock:
        path = Path(database).absolute()
        left = _open.get(path, 0) - 1
        if left > 0:
            _open[path] = left
        else:
            _open.pop(path, None)


def protected_paths(database: Path) -> tuple[list[Path], list[Path]]:
    """(files, folders) that belong to a data file and that no output may replace."""
    from sro_desk.store.backup import backup_folders
    from sro_desk.store.lease import lock_path, presence_folder

    database = Path(database).absolute()
    files = [database, *(database.with_name(database.name + suffix) for suffix in ("-journal", "-wal", "-shm")),
             lock_path(database)]
    folders = [presence_folder(database)]
    try:
        folders += [Path(f).absolute() for f in backup_folders(database)]
    except (OSError, SroDeskError):
        pass
    return files, folders


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def _same_name(a: Path, b: Path) -> bool:
    """The same path, letter case aside where the system ignores it (Windows, macOS)."""
    if sys.platform in ("win32", "darwin"):
        return os.path.normcase(str(a)).casefold() == os.path.normcase(str(b)).casefold()
    return a == b


def _inside(path: Path, folder: Path) -> bool:
    parts, top = path.parts, folder.parts
    if len(parts) < len(top):
        return False
    head = Path(*parts[:len(top)])
    return _same_name(head, folder)


def _writable_by_me(info: os.stat_result) -> bool:
    """Whether the file's own permission bits let this person change it (root too: a
    read-only file stays read-only for SRO Desk whoever runs it)."""
    mode = info.st_mode
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is None:  # Windows: the read-only attribute is the owner's write bit
        return bool(mode & stat.S_IWUSR)
    if info.st_uid == uid:
        return bool(mode & stat.S_IWUSR)
    if uid == 0:
        return False  # never replace another person's file unasked, even as root
    if info.st_gid in os.getgroups() or info.st_gid == os.getgid():
        return bool(mode & stat.S_IWGRP)
    return bool(mode & stat.S_IWOTH)


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _owner_database(path: Path) -> Path | None:
    """The database a name belongs to ("d.db-journal", "d.db.lock", inside "d.db.people"),
    when that database exists beside it, whether or not it is open here."""
    candidates = [path, *path.parents[:1]]
    for candidate in candidates:
        for suffix in ("-journal", "-wal", "-shm", ".lock", ".people"):
            if candidate.name.casefold().endswith(suffix):
                base = candidate.with_name(candidate.name[: -len(suffix)])
                if _is_database(base):
                    return base
    return None


def check_output(target: Path | str, *, what: str = "the document", databases=()) -> Path:
    """The absolute target, or a sentence (``SroDeskError``) saying why it may not be written.
    ``databases``: data files to protect besides those open in this process."""
    target = Path(target).expanduser().absolute()
    name = target.name or str(target)
    real = _real(target)
    owner = _owner_database(real) or _owner_database(target)
    if owner is not None:
        raise SroDeskError(f"{name} belongs to the database {owner.name} (it is how that file stays safe), "
                           f"so {what} was not written there; choose another name.")
    with _lock:
        databases = [*_open, *(Path(d).expanduser().absolute() for d in databases)]
    for database in databases:
        files, folders = protected_paths(database)
        for protected in files:
            if _same_name(real, _real(protected)) or _same_name(target, protected):
                raise SroDeskError(
                    f"{name} is SRO Desk's data file (or part of it), so {what} was not written there; "
                    "choose another name for it.")
            try:
                if target.exists() and protected.exists() and os.path.samefile(target, protected):
                    raise SroDeskError(
                        f"{name} is another name for SRO Desk's data file, so {what} was not written "
                        "there; choose another name for it.")
            except OSError:
                pass
        for folder in folders:
            if _inside(real, _real(folder)) or _inside(target, folder):
                raise SroDeskError(
                    f"{name} is in the folder of SRO Desk's backups, so {what} was not written there; "
                    "choose another folder.")
    if real.is_dir():
        raise SroDeskError(f"{name} is a folder; give a file name for {what}.")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise SroDeskError(f"{name} cannot be checked ({error.strerror or error}); choose another name.") from None
    if not _writable_by_me(info):
        raise SroDeskError(f"{name} is read-only or belongs to someone else, so it was not replaced; "
                           "choose another name.")
    if _is_database(real):
        raise SroDeskError(f"{name} is a database, not {what}, so it was not replaced; choose another name.")
    return target


def current_umask() -> int:
    """This process's umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def replace_output(temporary: Path | str, target: Path | str, *, what: str = "the document") -> None:
    """Put a finished temporary file in the target's place, checked once more just before
    (the target may have changed while the document was being built), with the
    permissions a new file gets from the person's umask, as any program's files do."""
    target = check_output(target, what=what)
    try:
        os.chmod(temporary, 0o666 & ~current_umask())
    except OSError:
        pass
    os.replace(temporary, target)
