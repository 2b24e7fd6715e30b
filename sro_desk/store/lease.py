"""The write lease: one person edits a data file at a time.

SQLite's own locks are not to be trusted on a network drive, so, like GnuCash,
LibreOffice and Access, SRO Desk keeps a small lock file beside the data file naming
who is editing (user, machine, process, start time) and refreshed by a heartbeat. Anyone
else opens read-only; a lease whose heartbeat stopped (a crashed or sleeping laptop) may
be taken over after a warning.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sro_desk import __version__
from sro_desk.errors import SroDeskError
from sro_desk.paths import machine_name, user_name

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

    def age(self, now: float | None = None) -> float:
        """Seconds since the last heartbeat."""
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

    A lock file that cannot be parsed (half-written, or from an old version) still
    counts as held, dated by its modification time, so that it goes stale in time.
    """
    try:
        raw = Path(path).read_text(encoding="utf-8")
        mtime = Path(path).stat().st_mtime
    except OSError:
        return None
    try:
        data = json.loads(raw)
        return LeaseInfo(
            user=str(data["user"]),
            machine=str(data["machine"]),
            pid=int(data["pid"]),
            started_at=float(data["started_at"]),
            heartbeat_at=float(data["heartbeat_at"]),
            token=str(data["token"]),
            app_version=str(data.get("app_version", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return LeaseInfo("someone", "another computer", -1, mtime, mtime, "", "")


class Lease:
    """Our hold on a data file's lock file."""

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

    def _content(self) -> bytes:
        return json.dumps(asdict(self.info), indent=1).encode("utf-8")

    def acquire(self, *, take_over_stale: bool = False) -> None:
        """Take the lease, or raise LeaseHeld naming who has it.

        With ``take_over_stale`` a stale lease is replaced; a fresh one never is.
        """
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                other = read_lease(self.database)
                if other is None:
                    continue  # released between our two looks; try again
                if (take_over_stale and other.is_stale()) or other.is_own_crashed_window():
                    self._remove_stale(other)
                    continue
                raise LeaseHeld(other) from None
            except OSError as exc:
                raise LeaseUnavailable(
                    f"SRO Desk cannot write its lock file beside {self.database.name} "
                    f"({exc.strerror or exc}), so the file opens read-only."
                ) from None
            try:
                os.write(fd, self._content())
                os.fsync(fd)
            finally:
                os.close(fd)
            self.held = True
            return
        raise LeaseHeld(read_lease(self.database) or self.info)

    def _remove_stale(self, other: LeaseInfo) -> None:
        # Rename first so two people taking over at once cannot both win: only one
        # rename of the same lock file succeeds, and the loser sees the winner's file.
        aside = self.path.with_name(f"{self.path.name}.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return
        moved = read_lease_file(aside)
        if moved is not None and moved.token != other.token and not moved.is_stale():
            # Someone else took over between our look and our rename: put it back.
            try:
                os.replace(aside, self.path)
            except OSError:
                pass
            raise LeaseHeld(moved)
        try:
            os.remove(aside)
        except OSError:
            pass

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
            self.held = False
            who = current.describe() if current else "someone else"
            raise LeaseLost(
                f"Editing was taken over by {who} while this computer was away, so the file "
                "is now read-only here and nothing unsaved was written."
            )

    def _look(self, tries: int = 3) -> LeaseInfo | None:
        """Read the lock file, giving a share a moment when it cannot be read or a
        take-over has it renamed for an instant."""
        for attempt in range(tries):
            current = read_lease(self.database)
            if current is not None:
                return current
            if attempt < tries - 1:
                time.sleep(0.2)
        return None

    def heartbeat(self) -> None:
        """Refresh the lease; raises LeaseLost if someone took it over."""
        self.check()
        self.info = LeaseInfo(**{**asdict(self.info), "heartbeat_at": time.time()})
        tmp = self.path.with_name(f"{self.path.name}.{self.info.token[:8]}.tmp")
        tmp.write_bytes(self._content())
        os.replace(tmp, self.path)

    def release(self) -> None:
        """Give the lease up: remove the lock file if it still names us."""
        self.held = False
        current = read_lease(self.database)
        if current is not None and current.token == self.info.token:
            try:
                os.remove(self.path)
            except OSError:
                pass



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
