"""The write lease: one person edits a data file at a time.

SQLite's own locks are not to be trusted on a network drive, so, like GnuCash,
LibreOffice and Access, SRO Desk keeps a small lock file beside the data file naming
who is editing (user, machine, process, start time) and refreshed by a heartbeat. Anyone
else opens read-only; a lease whose heartbeat stopped (a crashed or sleeping laptop) may
be taken over after a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sro_desk import __version__
from sro_desk.errors import SroDeskError
from sro_desk.paths import machine_name, user_name

log = logging.getLogger(__name__)

#: How often the holder refreshes the lease.
HEARTBEAT_SECONDS = 30
#: A lease not refreshed for this long is stale and may be taken over.
STALE_AFTER_SECONDS = 5 * 60


def lock_path(database: Path) -> Path:
    """The lock file that belongs to ``database``."""
    database = Path(database)
    return database.with_name(database.name + ".lock")


@dataclass(frozen=True)
class LeaseInfo:
    """What a lock file says about its holder."""

    user: str
    machine: str
    pid: int
    started_at: float
    heartbeat_at: float
    token: str
    app_version: str = ""
    #: How many heartbeats the holder has written: a reader watches it change.
    beat: int = 0
    #: Seconds since the holder was last heard from, as judged by the reader without
    #: trusting the holder's clock (see ``_judge_age``); not part of the lock file.
    observed_age: float | None = field(default=None, compare=False)

    def age(self, now: float | None = None) -> float:
        """Seconds since the last heartbeat: as this process observed it when the lock
        was read (its own clock and the drive's), else from the holder's own stamp."""
        if self.observed_age is not None and now is None:
            return self.observed_age
        return max(0.0, (now if now is not None else time.time()) - self.heartbeat_at)

    def is_stale(self, now: float | None = None) -> bool:
        """True when the holder has stopped refreshing, or is a dead process here."""
        if self.age(now) > STALE_AFTER_SECONDS:
            return True
        if self.machine == machine_name() and self.pid > 0 and not _pid_alive(self.pid):
            return True
        return False

    def is_own_crashed_window(self) -> bool:
        """True when this user's own SRO Desk on this computer left the lease behind
        and is no longer running: nobody else can be affected, so no question is asked."""
        return (
            self.machine == machine_name()
            and self.user == user_name()
            and self.pid > 0
            and self.pid != os.getpid()
            and not _pid_alive(self.pid)
        )

    def describe(self) -> str:
        """'ana on OFFICE-PC since 9:14 AM' in plain words."""
        since = datetime.fromtimestamp(self.started_at).strftime("%b %d %I:%M %p")
        return f"{self.user} on {self.machine} since {since}"


class LeaseHeld(SroDeskError):
    """Someone else is editing the file."""

    def __init__(self, info: LeaseInfo) -> None:
        self.info = info
        if info.is_stale():
            minutes = int(info.age() // 60)
            message = (
                f"The file was left open for editing by {info.describe()}, but that "
                f"computer has not been heard from for {minutes} minutes; you can take "
                "over editing if you are sure they are no longer working in it."
            )
        else:
            message = (
                f"The file is open for editing by {info.describe()}; you can open it "
                "read-only, or try again when they close it."
            )
        super().__init__(message)


class LeaseLost(SroDeskError):
    """Our lease was taken over by someone else (for example while this laptop slept)."""


class LeaseUnavailable(SroDeskError):
    """No lock file can be written beside the database (a read-only folder)."""


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (True when unsure)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or the system will not say: assume alive
    return True


def _windows_pid_alive(pid: int) -> bool:
    """On Windows os.kill(pid, 0) would send Ctrl+C, so ask the system instead."""
    import ctypes
    from ctypes import wintypes

    process_query_limited_information = 0x1000
    still_active = 259
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def read_lease(database: Path) -> LeaseInfo | None:
    """The current holder of the lease on ``database``, or None when it is free."""
    return read_lease_file(lock_path(database))


def read_lease_file(path: Path) -> LeaseInfo | None:
    """Parse a lock file; None when there is none.

    A lock file that cannot be parsed (half-written by an old version, or from a newer
    one) still counts as held, dated by its modification time, so that it goes stale in
    time.
    """
    seen = _look_at(Path(path))
    return seen.info if seen is not None else None


#: An empty lock file names nobody: a process stopped between creating and writing it
#: (possible only where hard links are not supported, or from older versions). Once it
#: is this old, no live writer can still be about to fill it, so it is not waited for.
EMPTY_LOCK_GRACE_SECONDS = 15
#: A take-over claim (see ``Lease._claim``) lasts milliseconds; one this old was left by
#: a process that stopped while holding it.
CLAIM_STALE_SECONDS = 60
#: Temporary and claim files older than this were left by processes that stopped.
LEFTOVER_SECONDS = 15 * 60


@dataclass(frozen=True)
class _Seen:
    """One look at a lock file: its exact bytes, when it was written, what it says."""

    raw: bytes
    mtime_ns: int
    info: LeaseInfo

    @property
    def empty(self) -> bool:
        return not self.raw.strip()

    def same_as(self, other: _Seen | None) -> bool:
        return other is not None and (self.raw, self.mtime_ns) == (other.raw, other.mtime_ns)

    def ownerless(self, now: float | None = None) -> bool:
        """True for an empty lock file old enough that nobody is still writing it."""
        age = (now if now is not None else time.time()) - self.mtime_ns / 1e9
        return self.empty and age > EMPTY_LOCK_GRACE_SECONDS


def _look_at(path: Path) -> _Seen | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(64 * 1024)
            stat = os.fstat(handle.fileno())
    except OSError:
        return None
    info = _parse(raw, stat.st_mtime)
    info = replace(info, observed_age=_judge_age(Path(path), info, stat.st_mtime))
    return _Seen(raw, stat.st_mtime_ns, info)


#: What this process has seen of each lease: (lock, token) -> (beat, monotonic time it
#: was first seen at that beat, whether a change of beat was seen).
_OBSERVED: dict[tuple[str, str], tuple[int, float, bool]] = {}


def _judge_age(path: Path, info: LeaseInfo, mtime: float) -> float:
    """How long the holder has not been heard from, never by comparing the holder's
    clock with ours: by watching its heartbeat counter on our own monotonic clock, and,
    before we have watched long, by the lock file's age on the drive's own clock (the
    lock's modification time against that of a file we write there now)."""
    now = time.monotonic()
    key = (str(path), info.token)
    seen = _OBSERVED.get(key)
    if seen is None or seen[0] != info.beat:
        _OBSERVED[key] = (info.beat, now, seen is not None)
        if seen is not None:  # we saw it beat: it is alive this instant
            return 0.0
        seen = _OBSERVED[key]
    watched = now - seen[1]
    if seen[2]:  # a beat was seen: time since then, on our own clock
        return watched
    drive_age = _drive_age(path, mtime)
    return max(watched, drive_age if drive_age is not None else 0.0)


def _drive_now(folder: Path) -> float | None:
    """The drive's own clock: the modification time of a file written there now (None
    where we cannot write, and so could not take the lease over anyway)."""
    probe = folder / f".{uuid.uuid4().hex}.clock"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"0")
            return os.fstat(fd).st_mtime
        finally:
            os.close(fd)
            _remove(probe, tries=1)
    except OSError:
        return None


def _drive_age(path: Path, mtime: float) -> float | None:
    now = _drive_now(Path(path).parent)
    return None if now is None else max(0.0, now - mtime)


def _parse(raw: bytes, mtime: float) -> LeaseInfo:
    try:
        data = json.loads(raw.decode("utf-8"))
        return LeaseInfo(
            user=str(data["user"]),
            machine=str(data["machine"]),
            pid=int(data["pid"]),
            started_at=float(data["started_at"]),
            heartbeat_at=float(data["heartbeat_at"]),
            token=str(data["token"]),
            app_version=str(data.get("app_version", "")),
            beat=int(data.get("beat", 0)),
        )
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return LeaseInfo("someone", "another computer", -1, mtime, mtime, "", "")


def _age(path: Path) -> float | None:
    """Seconds since ``path`` was written, on the drive's own clock (this computer's
    where the drive cannot be written); None when it is gone."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    age = _drive_age(path, mtime)
    return age if age is not None else time.time() - mtime


def _remove(path: Path, *, tries: int = 5) -> bool:
    """Remove ``path``; True when it is gone. Windows refuses to remove a file someone
    is reading for an instant, so a refusal is retried briefly."""
    for attempt in range(tries):
        try:
            os.remove(path)
            return True
        except FileNotFoundError:
            return True
        except PermissionError:
            if attempt == tries - 1:
                return False
            time.sleep(0.02)
        except OSError:
            return False
    return False


def _replace(source: Path, target: Path, *, tries: int = 5) -> None:
    """``os.replace``, retried briefly when Windows refuses because someone is reading."""
    for attempt in range(tries):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == tries - 1:
                raise
            time.sleep(0.02)


def _write_new(path: Path, content: bytes, *, exclusive: bool, sync: bool = True) -> None:
    """Write ``content`` to ``path`` and (with ``sync``) flush it to the disk or server."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def _written_by_stopped_process(path: Path) -> bool:
    """True when ``path`` (a lease or a claim, both naming machine and process) was
    written by a process on this computer that is no longer running."""
    seen = _look_at(path)
    try:
        data = json.loads(seen.raw.decode("utf-8")) if seen is not None else {}
        machine, pid = str(data["machine"]), int(data["pid"])
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return False  # still being written, or unreadable: left to age
    return machine == machine_name() and pid > 0 and pid != os.getpid() and not _pid_alive(pid)


def _machine_key(machine: str) -> str:
    return hashlib.sha1(machine.encode("utf-8")).hexdigest()[:8]


def _named_by_stopped_process(name: str) -> bool:
    """True for a temporary name (``MACHINE-PID-RANDOM.new`` or ``.tmp``, see
    ``Lease._temporary``) written by a process on this computer that is gone."""
    stem, _, suffix = name.rpartition(".")
    parts = stem.split("-")
    if suffix not in ("new", "tmp") or len(parts) != 3 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    return parts[0] == _machine_key(machine_name()) and pid != os.getpid() and not _pid_alive(pid)


def _claim_key(token: str) -> str:
    """A file-name-safe key for the lease a claim is about ("unowned": no token)."""
    return hashlib.sha1(token.encode("utf-8")).hexdigest()[:16] if token else "unowned"


class Lease:
    """Our hold on a data file's lock file.

    How the lock file changes hands, so that exactly one process is ever told it edits,
    with nothing but operations a Windows share offers atomically:

    - **Taking a free lease**: the content is written to a temporary file beside the lock
      and published with ``os.link``, which fails when the name is taken; so a lock file
      is never seen empty or half-written, whatever stops the writer. Where hard links
      are not supported (a FAT drive, some NAS shares) the lock is created exclusively
      and then written, and an empty lock file older than a few seconds counts as
      nobody's. Either way, the lock file is read back before the lease is reported held.
    - **Removing a lock file** (a stale or abandoned one, or our own on release, or
      replacing ours on a heartbeat) happens only under a *claim*: a small file created
      exclusively, named after the lease it is about, so that only one process at a time
      may remove or replace that lease. Under the claim the lock file is looked at again
      and removed only when it is byte for byte what was judged stale. A live lock file
      is never moved, so no one ever has to put one back.
    """

    def __init__(self, database: Path) -> None:
        self.database = Path(database)
        self.path = lock_path(self.database)
        now = time.time()
        self.info = LeaseInfo(
            user=user_name(),
            machine=machine_name(),
            pid=os.getpid(),
            started_at=now,
            heartbeat_at=now,
            token=uuid.uuid4().hex,
            app_version=__version__,
        )
        self.held = False
        #: os.link was refused beside this file: create files in place instead.
        self._links_refused = False

    def _content(self) -> bytes:
        written = asdict(self.info)
        written.pop("observed_age", None)
        return json.dumps(written, indent=1).encode("utf-8")

    def _unavailable(self, exc: OSError) -> LeaseUnavailable:
        return LeaseUnavailable(
            f"SRO Desk cannot write its lock file beside {self.database.name} "
            f"({exc.strerror or exc}), so the file opens read-only."
        )

    # -- taking the lease -----------------------------------------------------------

    def acquire(self, *, take_over_stale: bool = False) -> None:
        """Take the lease, or raise LeaseHeld naming who has it.

        With ``take_over_stale`` a stale lease is replaced; a fresh one never is. A lease
        left by this user's own crashed window here, and an empty lock file that names
        nobody, are replaced without asking.
        """
        self.held = False
        if self.path.is_dir():  # not a lock anyone wrote: never report it as a person
            raise LeaseUnavailable(
                f"There is a folder called {self.path.name} beside {self.database.name}, where SRO Desk "
                "keeps its lock file, so the file opens read-only; move or rename that folder.")
        for _ in range(6):
            # (The look first spares writing our lock aside when the name is plainly taken;
            # os.link still decides who gets a free one.)
            if not os.path.lexists(self.path) and self._publish():
                mine = _look_at(self.path)
                if mine is None:
                    continue  # removed the moment it landed: look again
                if mine.info.token != self.info.token:
                    raise LeaseHeld(mine.info)
                self.held = True
                return
            seen = _look_at(self.path)
            if seen is None:
                continue  # released between our two looks; try again
            other = seen.info
            if (
                seen.ownerless()
                or (take_over_stale and other.is_stale())
                or other.is_own_crashed_window()
            ):
                self._remove_stale(seen)
                continue
            raise LeaseHeld(other)
        raise LeaseHeld(read_lease(self.database) or self.info)

    def _publish(self) -> bool:
        """Put our lock file in place if the name is free; False when it is taken."""
        try:
            return self._create_exclusive(self.path, self._content())
        except OSError as exc:
            raise self._unavailable(exc) from None

    def _temporary(self, suffix: str) -> Path:
        """A temporary name beside the lock that says which process on which computer
        wrote it, so that one left by a killed process is known for what it is."""
        return self.path.with_name(
            f"{self.path.name}.{_machine_key(machine_name())}-{os.getpid()}-{uuid.uuid4().hex[:8]}.{suffix}"
        )

    def _create_exclusive(self, target: Path, content: bytes, *, sync: bool = True) -> bool:
        """Create ``target`` holding ``content`` unless it exists; True when created.

        The content is written to a temporary file and published with ``os.link``, which
        fails when the name is taken: ``target`` is never seen empty or half-written,
        whatever stops this process. Where hard links are refused (a FAT drive, some NAS
        shares) ``target`` is created exclusively and then written; a stop in between
        leaves it empty, which ``_Seen.ownerless`` and ``_abandoned`` cope with.
        """
        if self._links_refused:
            return self._create_in_place(target, content, sync)
        tmp = self._temporary("new")
        try:
            _write_new(tmp, content, exclusive=True, sync=sync)
            try:
                os.link(tmp, target)
                return True
            except FileExistsError:
                return False
            except (OSError, NotImplementedError) as exc:
                if isinstance(exc, OSError) and os.path.lexists(target):
                    return False  # taken while we tried (a refusal may hide "exists")
                log.info("hard links are refused beside %s (%s); creating in place", self.database, exc)
                self._links_refused = True
                return self._create_in_place(target, content, sync)
        finally:
            _remove(tmp)

    @staticmethod
    def _create_in_place(target: Path, content: bytes, sync: bool) -> bool:
        try:
            _write_new(target, content, exclusive=True, sync=sync)
        except FileExistsError:
            return False
        return True

    def _remove_stale(self, seen: _Seen) -> None:
        """Remove the lock file judged stale (or ownerless) in ``seen``, if it is still
        exactly that; several processes may try at once, and at most one removes it."""
        claim = self._claim(seen.info.token)
        if claim is None:
            # Someone else is taking it over right now: give them a moment, then look
            # again (at their lock, most likely); a claim that stays is theirs to finish.
            if not self._wait_for_claim(seen.info.token):
                raise LeaseHeld(seen.info)
            return
        try:
            if seen.same_as(_look_at(self.path)):
                _remove(self.path)
        finally:
            _remove(claim)

    # -- claims -----------------------------------------------------------------------

    def _claim_path(self, token: str, generation: int) -> Path:
        return self.path.with_name(f"{self.path.name}.claim-{_claim_key(token)}-{generation}")

    def _claim(self, token: str) -> Path | None:
        """The right to remove or replace the lease ``token``: a file created exclusively,
        or None while another process holds it. A claim left by a process that stopped
        (dead here, or older than CLAIM_STALE_SECONDS) is passed over for the next
        generation's name, which again only one process can create."""
        content = json.dumps(
            {"machine": self.info.machine, "pid": self.info.pid, "token": self.info.token}
        ).encode("utf-8")
        for generation in range(1, 20):
            claim = self._claim_path(token, generation)
            for _ in range(3):
                try:
                    # Not flushed: it lasts milliseconds, and one a power cut leaves
                    # empty is passed over once CLAIM_STALE_SECONDS old.
                    if self._create_exclusive(claim, content, sync=False):
                        return claim
                except OSError:
                    return None
                if not os.path.lexists(claim):
                    continue  # released between our two looks: try the name again
                if not self._abandoned(claim):
                    return None
                break  # abandoned: try the next generation
        return None

    def _abandoned(self, claim: Path) -> bool:
        age = _age(claim)
        if age is None:
            return False
        return age > CLAIM_STALE_SECONDS or _written_by_stopped_process(claim)

    def _wait_for_claim(self, token: str, seconds: float = 1.0) -> bool:
        """Give the process holding a claim on ``token`` a moment to finish; True once
        it has (no live claim left)."""
        deadline = time.monotonic() + seconds
        while True:
            held = False
            for generation in range(1, 20):  # claims are made in order: stop at a gap
                claim = self._claim_path(token, generation)
                if not os.path.lexists(claim):
                    break
                if not self._abandoned(claim):
                    held = True
                    break
            if not held:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def _clear_leftovers(self) -> None:
        """Remove temporary, claim and set-aside files that stopped processes left."""
        prefix = self.path.name + "."
        try:
            entries = list(self.path.parent.iterdir())
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if not name.startswith(prefix):
                continue
            rest = name[len(prefix):]
            if rest.startswith(("claim-", "stale-")) or rest.endswith((".new", ".tmp")):
                age = _age(entry)
                if age is not None and (
                    age > LEFTOVER_SECONDS
                    or _named_by_stopped_process(rest)
                    or _written_by_stopped_process(entry)
                ):
                    _remove(entry, tries=1)

    # -- holding the lease ----------------------------------------------------------

    def check(self) -> None:
        """Raise LeaseLost unless the lock file still names us."""
        if not self.held:
            raise LeaseLost("This window is not editing the file.")
        current = self._look()
        if current is None:
            # No lock file at all (deleted by hand, or a share that blinked): nobody else
            # holds the file, so put ours back rather than give up editing.
            try:
                self.held = False
                self.acquire()
                return
            except (LeaseHeld, LeaseUnavailable):
                current = read_lease(self.database)
        if current is None or current.token != self.info.token:
            self._lost(current)

    def _lost(self, current: LeaseInfo | None) -> None:
        self.held = False
        who = current.describe() if current else "someone else"
        raise LeaseLost(
            f"Editing was taken over by {who} while this computer was away, so the file "
            "is now read-only here and nothing unsaved was written."
        )

    def _look(self, tries: int = 3) -> LeaseInfo | None:
        """Read the lock file, giving a share a moment when it cannot be read."""
        for attempt in range(tries):
            current = read_lease(self.database)
            if current is not None:
                return current
            if attempt < tries - 1:
                time.sleep(0.2)
        return None

    def _claim_own(self) -> Path | None:
        """A claim on our own lease, waiting a moment for a take-over in progress."""
        claim = self._claim(self.info.token)
        if claim is None and self._wait_for_claim(self.info.token):
            claim = self._claim(self.info.token)
        return claim

    def heartbeat(self) -> None:
        """Refresh the lease; raises LeaseLost if someone took it over."""
        self.check()
        claim = self._claim_own()
        if claim is None:
            # Someone has held a claim on our lease for seconds: a take-over is under
            # way. Whether it removed our lock file decides.
            self.check()
            return
        try:
            current = _look_at(self.path)
            if current is None or current.info.token != self.info.token:
                self._lost(current.info if current else None)
            info = LeaseInfo(**{**asdict(self.info), "heartbeat_at": time.time(), "beat": self.info.beat + 1})
            tmp = self._temporary("tmp")
            previous, self.info = self.info, info
            try:
                _write_new(tmp, self._content(), exclusive=False)
                _replace(tmp, self.path)
            except OSError:
                self.info = previous
                _remove(tmp, tries=1)
                raise
        finally:
            _remove(claim)

    def release(self) -> None:
        """Give the lease up: remove the lock file if it still names us."""
        self.held = False
        current = _look_at(self.path)
        if current is None or current.info.token != self.info.token:
            return
        claim = self._claim_own()
        if claim is None:
            return  # being taken over this instant: the taker removes it
        try:
            current = _look_at(self.path)
            if current is not None and current.info.token == self.info.token:
                _remove(self.path)
        finally:
            _remove(claim)
        self._clear_leftovers()


def presence_folder(database: Path) -> Path:
    """The folder beside ``database`` where each open window says who it is."""
    database = Path(database)
    return database.with_name(database.name + ".people")


class Presence:
    """A small file naming this window, so others can see who has the file open.

    Readers leave no trace in SQLite, so each window (reader or writer) writes one
    file here, refreshed with the heartbeat and removed on close. Failing to write it
    (a read-only folder) is harmless: it is only for showing who else is there.
    """

    def __init__(self, database: Path, *, editing: bool) -> None:
        self.database = Path(database)
        self.editing = editing
        self.token = uuid.uuid4().hex
        self.started_at = time.time()
        self.path = presence_folder(self.database) / f"{self.token}.json"

    def refresh(self, *, editing: bool | None = None) -> None:
        if editing is not None:
            self.editing = editing
        info = {
            "user": user_name(),
            "machine": machine_name(),
            "pid": os.getpid(),
            "started_at": self.started_at,
            "heartbeat_at": time.time(),
            "token": self.token,
            "editing": self.editing,
        }
        try:
            self.path.parent.mkdir(exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(info), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass

    def remove(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass

    def others(self) -> list[LeaseInfo]:
        """Everyone else with the file open now (heartbeat fresh), oldest first."""
        people = []
        try:
            entries = list(self.path.parent.glob("*.json"))
        except OSError:
            return []
        for entry in entries:
            info = read_lease_file(entry)
            if info is None or info.token == self.token or info.is_stale():
                continue
            people.append(info)
        return sorted(people, key=lambda p: p.started_at)
