"""Backups: consistent copies made with SQLite's backup API, checked, then kept.

Never a file copy of a live database: the backup API reads under SQLite's own locks.
Each copy is written under a temporary name, checked with ``integrity_check`` and only
then renamed into place. Copies go to the user's own data folder and beside the file,
and are thinned as Anki thins its backups: every recent one, then one a day, one a
week, one a month.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sro_desk.errors import DamagedFile, FileProblem, SroDeskError
from sro_desk.paths import data_dir
from sro_desk.store import schema
from sro_desk.store.inspect import damaged, inspect_file, translate

log = logging.getLogger(__name__)

KEEP_RECENT = 10
KEEP_DAILY_DAYS = 14
KEEP_WEEKLY_WEEKS = 12
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-backup-(?P<stamp>\d{8}-\d{6}-\d{6})(?:-(?P<reason>[a-z-]+))?\.db$")

#: Called with (pages copied, total pages); return False to cancel.
Progress = Callable[[int, int], bool]


class BackupCancelled(SroDeskError):
    """The person cancelled a backup; nothing was kept."""


def backup_folders(database: Path) -> list[Path]:
    """Where backups of ``database`` go: the user's data folder, then beside the file."""
    database = Path(database).absolute()
    digest = hashlib.sha1(str(database).encode("utf-8")).hexdigest()[:8]
    return [
        data_dir() / "backups" / f"{database.stem}-{digest}",
        database.parent / f"{database.stem} backups",
    ]


def list_backups(database: Path) -> list[Path]:
    """Every backup of ``database`` in its backup folders, newest first."""
    found: list[tuple[datetime, Path]] = []
    for folder in backup_folders(database):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            stamp = backup_time(entry)
            if stamp is not None:
                found.append((stamp, entry))
    return [p for _, p in sorted(found, key=lambda x: x[0], reverse=True)]


def latest_backup(database: Path) -> Path | None:
    """The newest backup of ``database``, or None."""
    backups = list_backups(database)
    return backups[0] if backups else None


def backup_time(path: Path) -> datetime | None:
    """When a backup was made, read from its name; None if it is not one of ours."""
    match = _NAME.match(Path(path).name)
    if not match:
        return None
    return datetime.strptime(match["stamp"], _STAMP)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    from sro_desk.store.database import busy_timeout_seconds

    return sqlite3.connect(
        Path(path).absolute().as_uri() + "?mode=ro",
        uri=True,
        timeout=busy_timeout_seconds(),
        isolation_level=None,
        check_same_thread=False,
    )


def make_backup(
    database: Path,
    *,
    to: Path | None = None,
    reason: str = "",
    progress: Progress | None = None,
) -> Path:
    """Back ``database`` up and return the first copy's path.

    With ``to`` the copy goes only there; otherwise to the user's data folder and,
    when that folder can be written, beside the file too. Old copies are thinned.
    """
    database = Path(database).absolute()
    inspect_file(database)
    targets = [Path(to)] if to is not None else backup_folders(database)
    stamp = datetime.now().strftime(_STAMP)
    name = f"{database.stem}-backup-{stamp}{'-' + reason if reason else ''}.db"
    made: list[Path] = []
    first_error: SroDeskError | None = None
    for folder in targets:
        try:
            if made:
                made.append(_copy_checked_file(made[0], folder / name))
            else:
                made.append(_copy_into(database, folder / name, progress))
        except BackupCancelled:
            raise
        except SroDeskError as exc:
            if to is not None:
                raise
            first_error = first_error or exc
            log.warning("backup into %s failed: %s", folder, exc)
    if not made:
        raise first_error or FileProblem("No backup could be written.")
    if to is None:
        for folder in targets:
            thin_folder(folder, database.stem)
    return made[0]


def _copy_into(database: Path, target: Path, progress: Progress | None) -> Path:
    """Copy ``database`` into ``target`` through the backup API, checked, then renamed.

    Errors are told about the right file: a data file that cannot be read is the data
    file's problem; a backup folder that cannot be written (its drive full, failing or
    read-only) is the backup folder's, and says so, so that nobody is sent to reconnect
    or restore the data file when it is the backup drive that is full.
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(
            f"The backup folder {folder} cannot be created ({exc.strerror or exc}); "
            f"choose another folder, or {_ELSEWHERE}."
        ) from None
    tmp = target.with_name(target.name + ".partial")
    try:
        source = _connect_read_only(database)
    except sqlite3.Error as exc:
        raise _source_problem(exc, database) from None
    try:
        try:
            dest = sqlite3.connect(str(tmp), isolation_level=None)
        except sqlite3.Error as exc:
            raise _destination_problem(database, folder, str(exc)) from None
        try:

            def report(status: int, remaining: int, total: int) -> None:
                if progress is not None and progress(total - remaining, total) is False:
                    raise BackupCancelled("The backup was cancelled; nothing was kept.")

            try:
                source.backup(dest, pages=64, progress=report)
            except sqlite3.Error as exc:
                # The backup API reads the data file and writes the copy: find which failed.
                if _blames_destination(str(exc)) or _readable(database):
                    raise _destination_problem(database, folder, str(exc)) from None
                raise _source_problem(exc, database) from None
            try:
                dest.execute("PRAGMA journal_mode = DELETE")
                result = dest.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.Error as exc:
                raise _destination_problem(database, folder, str(exc)) from None
        finally:
            dest.close()
        if result != "ok":
            if _readable(database):
                raise FileProblem(
                    f"The backup written to {folder} did not check out, although "
                    f"{database.name} itself is sound; the backup drive may be failing, "
                    f"so {_ELSEWHERE}."
                )
            raise damaged(database, "a backup of it did not pass its check")
        _follow_umask(tmp)
        os.replace(tmp, target)
        return target
    except OSError as exc:
        raise _destination_problem(database, folder, exc.strerror or str(exc), exc.errno) from None
    finally:
        source.close()
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove the unfinished backup %s", tmp)


#: What to do when a backup folder cannot take a backup.
_ELSEWHERE = "back up to another drive (sro-desk backup --to FOLDER)"


def _blames_destination(text: str) -> bool:
    """True for SQLite errors that only writing (the copy) can cause."""
    text = text.lower()
    return "full" in text or "readonly" in text or "read-only" in text


def _readable(database: Path) -> bool:
    """True when the data file reads whole (asked after a backup failed, to know whom
    to blame); a read-only look that changes nothing."""
    try:
        conn = _connect_read_only(database)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _source_problem(exc: sqlite3.Error, database: Path) -> BaseException:
    known = translate(exc, database, doing=" while backing it up")
    return known if known is not None else exc


def _no_room(folder: Path, database: Path) -> bool:
    """True when the backup folder's drive has less room than the data file needs."""
    try:
        usage = shutil.disk_usage(folder)
        # A system folder (/proc, /sys) reports no size at all: that is not a full drive.
        return usage.total > 0 and usage.free < os.path.getsize(database) + 1024 * 1024
    except OSError:
        return False


def _system_folder(folder: Path) -> bool:
    """A folder of the system's own (/proc, /sys) rather than of a drive."""
    try:
        return shutil.disk_usage(folder).total == 0
    except OSError:
        return False


def _destination_problem(
    database: Path, folder: Path, what: str, number: int | None = None
) -> FileProblem:
    """The sentence for a backup folder that cannot take the backup: it names the
    folder, says the data file is unchanged, and what to do."""
    text = what.lower()
    if _system_folder(folder):
        why, advice = "it is one of the system's own folders, not a place for files", _ELSEWHERE
    elif number in (errno.ENOSPC, errno.EFBIG) or "full" in text or "too large" in text or _no_room(
        folder, database
    ):
        why, advice = "its drive is full", f"free some space on that drive, or {_ELSEWHERE}"
    elif number in (errno.EACCES, errno.EPERM, errno.EROFS) or any(
        word in text for word in ("readonly", "read-only", "permission")
    ):
        why, advice = "it is read-only for you", _ELSEWHERE
    else:
        why = "its drive did not answer"
        advice = f"check that the drive is connected and has room, or {_ELSEWHERE}"
    return FileProblem(
        f"The backup folder {folder} cannot be written ({why}), so no backup was made "
        f"and {database.name} is unchanged; {advice}."
    )


def _follow_umask(path: Path) -> None:
    """Give a backup the permissions any new file of the person's gets (SQLite and
    copyfile would otherwise leave 0644, or the source's), so a share's group can use it."""
    from sro_desk.store.outputs import current_umask

    try:
        os.chmod(path, 0o666 & ~current_umask())
    except OSError:
        pass


def _copy_checked_file(checked: Path, target: Path) -> Path:
    """Copy a finished, checked backup (not a live database) to a second place."""
    tmp = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(checked, tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        if not _sound(tmp):
            tmp.unlink(missing_ok=True)
            raise FileProblem(
                f"The copy of the backup in {target.parent} did not check out; the drive may "
                "be failing, so copy the file somewhere else too."
            )
        _follow_umask(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileProblem(
            f"A second copy of the backup could not be written to {target.parent} "
            f"({exc.strerror or exc})."
        ) from None
    return target


def _sound(path: Path) -> bool:
    """True when a finished backup file passes SQLite's integrity check."""
    try:
        conn = _connect_read_only(path)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def backups_to_remove(stamps: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which backup times thinning drops: keep the newest few, then daily, weekly, monthly.

    Never drops the newest backup; keeps one (the newest) per day for two weeks, per
    ISO week for twelve weeks, and per month for ever.
    """
    ordered = sorted(set(stamps), reverse=True)
    keep = set(ordered[:KEEP_RECENT])
    seen: set[tuple] = set()
    for stamp in ordered:
        age = now - stamp
        if age <= timedelta(days=KEEP_DAILY_DAYS):
            bucket: tuple = ("day", stamp.date())
        elif age <= timedelta(weeks=KEEP_WEEKLY_WEEKS):
            bucket = ("week", *stamp.isocalendar()[:2])
        else:
            bucket = ("month", stamp.year, stamp.month)
        if bucket not in seen:
            seen.add(bucket)
            keep.add(stamp)
    return set(ordered) - keep


def thin_folder(folder: Path, stem: str, now: datetime | None = None) -> list[Path]:
    """Delete the backups of ``stem`` in ``folder`` that thinning drops; returns them."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    by_time: dict[datetime, Path] = {}
    for entry in entries:
        match = _NAME.match(entry.name)
        if match and match["stem"] == stem:
            by_time[datetime.strptime(match["stamp"], _STAMP)] = entry
    removed = []
    for stamp in backups_to_remove(by_time, now or datetime.now()):
        try:
            by_time[stamp].unlink()
            removed.append(by_time[stamp])
        except OSError:
            log.warning("could not remove old backup %s", by_time[stamp])
    return removed


def fingerprint(path: Path) -> tuple | None:
    """(audit rows, last audit id and time, migrations applied): changes whenever the
    records change, also after a restore has reused audit ids."""
    try:
        conn = _connect_read_only(path)
        try:
            last = conn.execute(
                "SELECT count(*), coalesce(max(id), 0), coalesce(max(at), '') FROM audit_log"
            ).fetchone()
            count = conn.execute(
                "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?",
                (schema.migrations.name,),
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (*last, int(count))


def backup_if_changed(database: Path, *, progress: Progress | None = None) -> Path | None:
    """Back up at open when the file changed since its latest backup; None if not needed."""
    latest = latest_backup(database)
    current = fingerprint(database)
    if latest is not None and current is not None and fingerprint(latest) == current:
        return None
    return make_backup(database, progress=progress)


def check_backup(backup: Path) -> None:
    """Raise FileProblem unless ``backup`` is a sound SRO Desk file."""
    inspect_file(backup)
    try:
        conn = _connect_read_only(backup)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            applied = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                    (schema.migrations.name,),
                )
            }
        finally:
            conn.close()
    except sqlite3.Error:
        result, applied = "damaged", set()
    if result != "ok":
        raise FileProblem(f"The backup {backup.name} is itself damaged; choose another backup.")
    if applied - schema.known_migration_names():
        raise FileProblem(
            f"The backup {backup.name} was made by a newer version of SRO Desk; install "
            "the newest SRO Desk to restore it."
        )


def refuse_restoring_itself(database: Path, backup: Path) -> None:
    """A sentence when the 'backup' is the data file itself (by any name)."""
    try:
        same = backup.exists() and database.exists() and os.path.samefile(backup, database)
    except OSError:
        same = False
    if same or os.path.realpath(backup) == os.path.realpath(database):
        raise FileProblem(f"{backup.name} is the data file itself, not a backup of it; choose a backup "
                          "(sro-desk backup prints where they are kept).")


def restore(database: Path, backup: Path) -> Path | None:
    """Put ``backup``'s contents into ``database``; returns the copy of what it replaced.

    The caller holds the write lease. A sound current file is first backed up and then
    overwritten through the backup API, under SQLite's locks and journal. A damaged one
    is kept beside itself under a new name (with any journal), never deleted.
    """
    database = Path(database).absolute()
    backup = Path(backup).absolute()
    refuse_restoring_itself(database, backup)
    check_backup(backup)
    if database.exists():
        try:
            inspect_file(database)
            saved = make_backup(database, reason="before-restore")
        except DamagedFile:
            saved = _set_aside(database)
            restoring = database.with_name(database.name + ".restoring")
            shutil.copyfile(backup, restoring)
            if not _sound(restoring):
                restoring.unlink(missing_ok=True)
                raise FileProblem(
                    f"The restored copy of {database.name} did not check out; nothing was "
                    "replaced. Try another backup."
                ) from None
            os.replace(restoring, database)
            conn = sqlite3.connect(str(database), isolation_level=None)
            try:
                _audit_restore(conn, backup, database)
            finally:
                conn.close()
            return saved
    else:
        inspect_file(database, may_be_missing=True)
        saved = None
    source = _connect_read_only(backup)
    try:
        dest = sqlite3.connect(str(database), isolation_level=None)
        try:
            dest.execute("PRAGMA journal_mode = DELETE")
            source.backup(dest)
            _audit_restore(dest, backup, database)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        known = translate(exc, database, doing=" while restoring it")
        if known is None:
            raise
        raise known from None
    finally:
        source.close()
    return saved


def _audit_restore(conn: sqlite3.Connection, backup: Path, backup_target: Path) -> None:
    """Record the restore in the restored file's own audit log (and so move its
    fingerprint on, past the backup it came from)."""
    import json

    from sro_desk.paths import machine_name, user_name
    from sro_desk.store.rows import now_text

    from sro_desk.store.integrity import AUDIT_INSERT, register

    conn.execute("BEGIN IMMEDIATE")
    values = (now_text(), user_name(), machine_name(), "file", 0, "restore", json.dumps({"backup": [None, backup.name]}))
    if any(row[1] == "hash" for row in conn.execute("PRAGMA table_info(audit_log)")):
        register(conn)  # a restored file with the chain keeps it whole
        conn.execute(AUDIT_INSERT, values)
        from sro_desk.store.integrity import remember_head

        conn.execute("COMMIT")
        remember_head(conn, backup_target, replacing=True)  # the restore itself shortened the log
        return
    else:  # a backup from before the chain: the migration chains it when it is opened
        conn.execute("INSERT INTO audit_log (at, user, machine, table_name, row_id, action, changes) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", values)
    conn.execute("COMMIT")


def _set_aside(database: Path) -> Path:
    """Keep a damaged file (and its journal) under a new name before it is replaced."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = database.with_name(f"{database.stem}-damaged-{stamp}{database.suffix}")
    shutil.copyfile(database, kept)
    journal = database.with_name(database.name + "-journal")
    if journal.exists():
        os.replace(journal, kept.with_name(kept.name + "-journal"))
    return kept
