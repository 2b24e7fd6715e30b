"""Opening the data file safely, for one writer and any number of readers.

The file may sit on a network drive, where SQLite's documentation warns that locking
is unreliable and WAL does not work at all. So: rollback journal, ``synchronous=FULL``,
a busy timeout, short write transactions begun IMMEDIATE, no read transaction left
open, and a write lease (see ``lease.py``) so that only one person edits at a time.

A page reads what it shows inside one short read transaction (``reading``): the file is
locked and its cache checked once instead of once per statement, the reads are
consistent, and several reads can be asked for in one statement (``query_together``,
``prefetch``). The transaction ends as soon as the page is filled, never held while a
person looks at the screen.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from sro_desk import __version__
from sro_desk.errors import FileProblem, ReadOnlyError, SroDeskError
from sro_desk.paths import machine_name, user_name
from sro_desk.store import schema
from sro_desk.store.inspect import inspect_file, translate, uses_wal
from sro_desk.store.lease import Lease, LeaseUnavailable

log = logging.getLogger(__name__)

#: A read for ``DataFile.query_together`` and ``prefetch``: SQL, parameters, result columns.
Read = tuple[str, tuple, Sequence[str]]


def busy_timeout_seconds() -> float:
    """How long to wait for another program's lock before giving up."""
    try:
        return max(0.05, float(os.environ.get("SRO_DESK_BUSY_TIMEOUT", "10")))
    except ValueError:
        return 10.0


@dataclass(frozen=True)
class OpenOptions:
    """How to open a data file."""

    #: Try to take the write lease; without it the file opens read-only.
    edit: bool = True
    #: Create the file when it does not exist yet.
    create: bool = False
    #: Replace a stale lease (the caller has warned the person).
    take_over_stale: bool = False
    #: Read-only because this person is editing; named in the reason, and the window
    #: offers editing again when they stop.
    held_by: str = ""


class DataFile:
    """An open SRO Desk file: the connection, the lease, and the write transaction."""

    def __init__(
        self,
        path: Path,
        db: Database,
        lease: Lease | None,
        read_only_reason: str | None,
        *,
        waiting_for_lease: bool = False,
    ):
        self.path = path
        self.db = db
        self.lease = lease
        #: Why this file is read-only here, as a sentence; None when we may write.
        self.read_only_reason = read_only_reason
        #: Read-only only because someone else holds the lease: editing may free up.
        self.waiting_for_lease = waiting_for_lease
        self.user = user_name()
        self.machine = machine_name()
        #: A sentence when the change log was rewritten since this computer last saw it.
        self.tamper_warning: str | None = ""
        #: Inside ``reading()``: the answers of this snapshot's reads, by statement.
        self._answers: dict | None = None
        self._reading = False
        #: Every table's columns in order, read once when the file is opened.
        self._columns: dict[str, tuple[str, ...]] = {}
        #: Held by the thread in a snapshot or a write: the connection is shared with
        #: background work, and one thread's write must not end another's snapshot.
        self._lock = threading.RLock()
        #: The tables this window's committed writes changed since ``take_changes``.
        self._changed: set[str] = set()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    # -- opening --------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, options: OpenOptions = OpenOptions()) -> DataFile:
        """Open (or create) ``path``; raises SroDeskError with a sentence on failure.

        With ``options.edit`` the lease is taken; ``LeaseHeld`` propagates so the caller
        can offer read-only or a take-over. A folder or file we cannot write opens
        read-only with the reason kept in ``read_only_reason``.
        """
        path = Path(path).expanduser().absolute()
        exists = inspect_file(path, may_be_missing=options.create)
        reason: str | None = None
        waiting = False
        if exists and not os.access(path, os.W_OK):
            reason = f"{path.name} is read-only for you, so nothing can be changed."
        elif not os.access(path.parent, os.W_OK):
            if not exists:
                raise FileProblem(
                    f"You cannot create a file in {path.parent}; choose a folder you "
                    "can write to."
                )
            reason = (
                f"The folder holding {path.name} is read-only for you, so nothing can "
                "be changed."
            )
        elif not options.edit and options.held_by:
            reason = (
                f"{options.held_by} is editing this file, so it is open read-only here; "
                "you will be told when editing frees up."
            )
            waiting = True
        elif not options.edit:
            reason = "You opened this file read-only."
        if reason is not None and exists and uses_wal(path):
            # Reading a WAL file would create -wal and -shm files beside it; refuse instead.
            raise FileProblem(
                f"{path.name} is in a mode that does not work on shared drives; open it for "
                "editing once, when no one else has it open, and SRO Desk switches it back."
            )
        lease = None
        if reason is None:
            lease = Lease(path)
            try:
                lease.acquire(take_over_stale=options.take_over_stale)
            except LeaseUnavailable as exc:
                lease, reason = None, exc.message
        created: tuple[int, int] | None = None
        try:
            if not exists and reason is None:
                created = _create_empty(path)
                if created is None:  # someone made it between our look and now
                    exists = inspect_file(path, may_be_missing=True)
            data_file = cls._connect(path, lease, reason)
            data_file.waiting_for_lease = waiting
        except BaseException:
            _given_up(path, created, lease)
            raise
        try:
            data_file._prepare(new=not exists)
            data_file._read_columns()
            data_file._look_at_the_chain()
            data_file.take_changes()  # setting the file up is not a change anyone shows
        except BaseException:
            try:
                data_file.conn.close()
            finally:
                from sro_desk.store import outputs

                outputs.unregister(path)
                _given_up(path, created, lease)
            raise
        return data_file

    @classmethod
    def _connect(cls, path: Path, lease: Lease | None, reason: str | None) -> DataFile:
        timeout = busy_timeout_seconds()
        try:
            if reason is None:
                conn = sqlite3.connect(
                    str(path), timeout=timeout, isolation_level=None, check_same_thread=False
                )
            else:
                conn = sqlite3.connect(
                    path.as_uri() + "?mode=ro",
                    uri=True,
                    timeout=timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            from sro_desk.store.integrity import register

            register(conn)  # the audit log's hash chain is computed by SQLite as rows go in
            # Text a person removes is overwritten, not left in free pages of the file.
            conn.execute("PRAGMA secure_delete = ON")
            if reason is None:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if mode.lower() != "delete":
                    conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise _translated(exc, path, " while opening it") from None
        except UnicodeDecodeError:
            # SQLite's own message quoted a damaged name that is not text.
            from sro_desk.store.inspect import damaged

            raise damaged(path, "its list of tables is damaged") from None
        # No sqlite-utils plugins: nothing installed elsewhere on the machine runs against a
        # district's file (and looking for them cost 26 ms at every open).
        opened = cls(path, Database(conn, execute_plugins=False), lease, reason)
        from sro_desk.store import outputs

        outputs.register(path)  # no document may be written over it while it is open
        return opened

    def _prepare(self, *, new: bool) -> None:
        """Refuse a newer file; bring an older one up to date, backing it up first."""
        try:
            applied = {m.name for m in schema.migrations.applied(self.db)}
            known = schema.known_migration_names()
            if applied - known:
                raise FileProblem(
                    f"{self.path.name} was saved by a newer version of SRO Desk; install "
                    "the newest SRO Desk to open it (this version has not changed it)."
                )
            pending = known - applied
            if not pending:
                return
            if self.read_only:
                if not applied:
                    raise FileProblem(
                        f"{self.path.name} has not been set up as an SRO Desk file yet; "
                        "open it for editing to set it up."
                    )
                raise FileProblem(
                    f"{self.path.name} was made by an older version of SRO Desk and must "
                    "be updated before it can be read; open it for editing once, when no "
                    "one else has it open."
                )
            if applied:
                from sro_desk.store.backup import make_backup

                make_backup(self.path, reason="before-update")
            with self.write():
                schema.migrations.apply(self.db)
                self.db["meta"].upsert(
                    {"key": "last_written_by", "value": __version__}, pk="key"
                )
        except sqlite3.Error as exc:
            raise _translated(exc, self.path, " while opening it") from None

    # -- writing ----------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[DataFile]:
        """One short write transaction, begun IMMEDIATE so it never deadlocks midway.

        Everything done inside lands together or not at all, audit rows included.
        """
        if self.read_only:
            raise ReadOnlyError(f"Nothing was saved: {self.read_only_reason}")
        assert self.lease is not None
        self.lease.check()
        with self._lock:  # waits for another thread's snapshot (a page filling: milliseconds)
            if self._reading:
                self._end_snapshot()  # a write ends the reading snapshot; later reads are fresh
            if self.conn.in_transaction:
                raise RuntimeError("write() transactions do not nest")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _translated(exc, self.path, " while saving") from None
            touched: set[str] = set()
            # SQLite asks the authorizer about every statement as it is prepared, triggers'
            # statements included, and setting one makes every cached statement prepare
            # again: so this write learns every table it changes, whoever wrote the SQL.
            self.conn.set_authorizer(_recorder(touched))
            try:
                yield self
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise _translated(exc, self.path, " while saving") from None
            except BaseException:
                self._rollback()
                raise
            finally:
                self.conn.set_authorizer(_NO_AUTHORIZER)
            self._changed |= touched

    def take_changes(self) -> frozenset[str]:
        """The tables changed by this window's saves since it last asked (so the pages
        that show them are read again, and no others); forgotten once taken."""
        with self._lock:
            changed, self._changed = frozenset(self._changed), set()
        return changed

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback failed; SQLite will recover from the journal")

    # -- reading ----------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[DataFile]:
        """One consistent snapshot for the reads a page makes to show itself.

        The reads share one read transaction, so the file is locked and its cache checked
        once rather than once per statement (each costs round trips to a network drive),
        and a page never shows half of someone else's save. A statement read twice in the
        snapshot is answered from the first reading: within one snapshot the answer cannot
        differ. The snapshot ends when the block does, or at the first write inside it.
        Nested calls, and calls inside a write, join what is already there.
        """
        if not self._lock.acquire(blocking=False):
            # Another thread is reading or writing: read as plain statements, as before
            # snapshots (never wait here: this is the thread the person is looking at).
            yield self
            return
        try:
            if self._reading or self.conn.in_transaction:
                yield self
                return
            try:
                self.conn.execute("BEGIN DEFERRED")
            except sqlite3.Error as exc:
                raise _translated(exc, self.path, " while reading it") from None
            self._reading, self._answers = True, {}
            try:
                yield self
            finally:
                self._end_snapshot()
                self._reading = False
        finally:
            self._lock.release()

    def _end_snapshot(self) -> None:
        if self._answers is None:
            return
        self._answers = None
        if self.conn.in_transaction:
            try:
                self.conn.execute("COMMIT")  # a read transaction: this only drops the lock
            except sqlite3.Error:
                self._rollback()

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Run a read and return all rows, so no read transaction stays open.

        One statement on the connection (in autocommit, a read takes and drops its lock by
        itself): no savepoint around it, which would cost two more round trips to a file
        on a network drive for every read. Inside ``reading()`` a repeated statement is
        answered from the snapshot (each caller gets its own copies of the rows)."""
        answers = self._answers  # once: a write (even on another thread) may end the snapshot
        key = None
        if answers is not None:
            key = _key(sql, params)
            if key in answers:
                columns, found = answers[key]
                return [dict(zip(columns, row)) for row in found]
        try:
            cursor = self.conn.execute(sql, params)
            columns = tuple(column[0] for column in cursor.description or ())
            found = cursor.fetchall()
        except sqlite3.Error as exc:
            raise _translated(exc, self.path, " while reading it") from None
        if answers is not None and answers is self._answers:
            answers[key] = (columns, found)  # SQLite's own tuples: kept, never copied
        return [dict(zip(columns, row)) for row in found]

    def prefetch(self, reads: Iterable[Read]) -> None:
        """Inside ``reading()``: run ``reads`` (each ``(sql, params, columns)``, tuple
        parameters) in one statement and keep their answers in the snapshot, so that the
        ``query(sql, params)`` calls that follow are answered without asking the file.

        Outside a snapshot this does nothing. A read whose answer is not used costs
        nothing more than its own reading; one that SQLite refuses (a column it does not
        have, a BLOB) is left to be read on its own when asked for. The columns must be
        the read's own, as ``query_together`` says (tests check the pages' reads).
        """
        if self._answers is None:
            return
        wanted: dict[tuple, Read] = {}
        for sql, params, columns in reads:
            key = _key(sql, params)
            if key not in self._answers:
                wanted.setdefault(key, (sql, tuple(params), tuple(columns)))
        if not wanted:
            return
        try:
            self.query_together({f"r{index}": read for index, read in enumerate(wanted.values())})
        except (sqlite3.Error, SroDeskError, ValueError) as exc:
            # The kind of failure only: a message could quote the rows read (names...).
            log.warning("prefetch failed (%s); the reads are made one by one", type(exc).__name__)

    def columns(self, table: str) -> tuple[str, ...]:
        """``table``'s columns in order (for reads that name them, see query_together)."""
        try:
            return self._columns[table]
        except KeyError:
            raise SroDeskError(f"{self.path.name} has no table {table}; update SRO Desk.") from None

    def _read_columns(self) -> None:
        try:
            found = self.conn.execute(
                "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
                "WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY m.name, p.cid"
            ).fetchall()
        except sqlite3.Error as exc:
            raise _translated(exc, self.path, " while opening it") from None
        columns: dict[str, list[str]] = {}
        for table, column in found:
            columns.setdefault(table, []).append(column)
        self._columns = {table: tuple(names) for table, names in columns.items()}

    def query_together(self, reads: dict[str, Read]) -> dict[str, list[dict]]:
        """Several reads in one statement: ``{name: (sql, params, columns)}`` gives
        ``{name: rows}``, each as ``query(sql, params)`` would.

        Each read's rows come back as one JSON array (SQLite's json_group_array keeps the
        order of the read's ORDER BY), so a page needing five lists asks the file once.
        ``columns`` must name the read's result columns exactly (``columns(table)`` for
        ``SELECT *``): a name left out is left out of the rows. No read may return a BLOB
        (refused), and a REAL comes back to 15 significant digits (SQLite's JSON), so
        reads of computed fractions are made alone. Positional parameters are taken in
        the reads' order; named ones must not clash."""
        if not reads:
            return {}
        parts: list[str] = []
        positional: list = []
        named: dict = {}
        for index, (sql, params, columns) in enumerate(reads.values()):
            pairs = ", ".join(_quoted_text(c) + ", " + _quoted_name(c) for c in columns)
            parts.append(f"(SELECT json_group_array(json_object({pairs})) FROM ({sql})) AS r{index}")
            if isinstance(params, dict):
                if set(params) & set(named):
                    raise ValueError(f"parameters {sorted(set(params) & set(named))} clash")
                named.update(params)
            else:
                positional.extend(params)
        if positional and named:
            raise ValueError("reads together take positional or named parameters, not both")
        row = self.query("SELECT " + ",\n".join(parts), named or tuple(positional))[0]
        found = {name: json.loads(row[f"r{index}"]) for index, name in enumerate(reads)}
        answers = self._answers
        if answers is not None:  # the same reads made alone later are answered too
            for name, (sql, params, _columns) in reads.items():
                key = _key(sql, params)
                columns = tuple(found[name][0]) if found[name] else ()
                answers.setdefault(key, (columns, [tuple(r.values()) for r in found[name]]))
        return found

    def data_version(self) -> int:
        """Changes when another connection commits: used to refresh read-only views."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # -- closing ----------------------------------------------------------------------

    def _look_at_the_chain(self) -> None:
        """Compare the change log with what this computer saw last time (a rewritten log
        is kept as a warning, and not remembered, so it is noticed again), then note it."""
        from sro_desk.store import integrity

        self.tamper_warning = None
        try:
            if not integrity.has_chain(self.conn):
                return
            self.tamper_warning = integrity.rewritten_since_remembered(self.conn, self.path)
            if self.tamper_warning is None:
                integrity.remember_head(self.conn, self.path)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close the connection and give up the lease."""
        from sro_desk.store import outputs

        try:
            if getattr(self, "tamper_warning", "") is None and not self.read_only:
                from sro_desk.store import integrity

                integrity.remember_head(self.conn, self.path)  # this computer's own changes, as it leaves
        except sqlite3.Error:
            pass
        try:
            self.conn.close()
        finally:
            outputs.unregister(self.path)
            if self.lease is not None:
                self.lease.release()

    def __enter__(self) -> DataFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_WRITES = (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE)
#: What ends the recording: None from Python 3.11; before, an authorizer allowing all.
_NO_AUTHORIZER = None if sys.version_info >= (3, 11) else (lambda *_args: sqlite3.SQLITE_OK)


def _recorder(touched: set[str]):
    """An authorizer that allows everything and notes each table a statement changes."""

    def authorize(action, first, _second, _database, _trigger):
        if action in _WRITES and first:
            touched.add(first)
        return sqlite3.SQLITE_OK

    return authorize


def _key(sql: str, params: tuple | dict) -> tuple:
    """A statement and its parameters, told apart by type too (1, 1.0 and True differ)."""
    if isinstance(params, dict):
        return (sql, tuple((name, type(value), value) for name, value in sorted(params.items())))
    return (sql, tuple((type(value), value) for value in params))


def _quoted_text(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _quoted_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def one_snapshot(function):
    """For a page's ``refresh(data_file, ...)``, or any ``function(data_file, ...)`` that
    reads the file several times (a printout's data, the dashboard's rules): everything it
    reads comes from one snapshot of the file (see ``DataFile.reading``)."""

    @wraps(function)
    def in_one_snapshot(*args, **kwargs):
        data_file = next((a for a in args[:2] if isinstance(a, DataFile)), kwargs.get("data_file"))
        if not isinstance(data_file, DataFile):
            return function(*args, **kwargs)
        with data_file.reading():
            return function(*args, **kwargs)

    return in_one_snapshot


def _create_empty(path: Path) -> tuple[int, int] | None:
    """Create ``path`` empty, only if nobody has yet; returns what identifies it (device
    and file number), so that a failed set-up can remove exactly the file it made."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileExistsError:
        return None
    except OSError:
        return None  # SQLite tries next and says what is wrong
    try:
        stat = os.fstat(fd)
    finally:
        os.close(fd)
    return (stat.st_dev, stat.st_ino)


def _given_up(path: Path, created: tuple[int, int] | None, lease: Lease | None) -> None:
    """After a failed open: remove the file this open created if setting it up failed
    (so that the person can simply try again), then let the lease go."""
    try:
        if created is not None:
            _remove_unused(path, created)
    finally:
        if lease is not None:
            lease.release()


def _remove_unused(path: Path, created: tuple[int, int]) -> None:
    """Remove ``path`` if it is still the file this open created and holds nothing.

    Never a file someone else made (another device and file number), never one that
    holds anything (SQLite rolls a failed first save back to an empty file), and never
    one with a journal beside it: a journal is what recovers a broken write, so the file
    is left for SQLite to recover when it is next opened for editing.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return
    if (stat.st_dev, stat.st_ino) != created or stat.st_size != 0:
        return
    if os.path.lexists(path.with_name(path.name + "-journal")):
        return
    try:
        os.remove(path)
        log.info("removed %s, which could not be set up", path)
    except OSError:
        log.warning("could not remove %s, which could not be set up", path)


def _translated(exc: sqlite3.Error, path: Path, doing: str) -> BaseException:
    """The person's sentence for a SQLite error, or the error itself when it is a bug."""
    known = translate(exc, path, doing=doing)
    if known is None:
        return exc
    return known


__all__ = ["DataFile", "OpenOptions", "SroDeskError", "busy_timeout_seconds"]
