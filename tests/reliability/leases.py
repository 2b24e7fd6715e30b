"""Processes racing for one file's write lease (forked, so they start together): for a
free lease, and to take over the same stale one."""

from __future__ import annotations

import json
import os
import random
import time
import types
from pathlib import Path

from sro_desk.store import DataFile, OpenOptions
from sro_desk.store import lease as lease_module
from sro_desk.store.lease import LeaseHeld, LeaseLost, lock_path
from tests.reliability.common import Figures, read_all


class _Jittery(types.ModuleType):
    """``os`` for the lease module, each call a moment late (0 to 2 ms, at random), so
    that the rare interleavings of several processes' file operations become common:
    the old take-over race, one race in a hundred, shows up in one in four like this."""

    def __init__(self, real: types.ModuleType, seed: int) -> None:
        super().__init__("os")
        self._real, self._random = real, random.Random(seed)

    def __getattr__(self, name: str):
        found = getattr(self._real, name)
        if not callable(found) or isinstance(found, type):
            return found

        def late(*args, **kwargs):
            time.sleep(self._random.uniform(0, 0.002))
            return found(*args, **kwargs)

        return late


def race_for_lease(path: Path, *, processes: int, take_over: bool = False, jitter: bool = False) -> list[str]:
    """Each process opens ``path`` for editing at the same moment (asking to take over a
    stale lease when ``take_over``) and says "editing", "held" or "read-only"; each
    editor holds the lease while the others try, then checks that it still holds it
    (as its first save would) and says "lost" if not. With ``jitter`` the processes
    start up to 5 ms apart and each file operation of the lease comes a moment late."""
    start = time.time() + 0.3
    read_end, write_end = os.pipe()
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            try:
                begin = start
                if jitter:
                    lease_module.os = _Jittery(os, os.getpid())
                    begin += random.Random(os.getpid()).uniform(0, 0.005)
                while time.time() < begin:
                    pass
                try:
                    data_file = DataFile.open(path, OpenOptions(take_over_stale=take_over))
                except LeaseHeld:
                    os.write(write_end, b"held\n")
                else:
                    os.write(write_end, b"editing\n" if not data_file.read_only else b"read-only\n")
                    time.sleep(0.5)
                    if not data_file.read_only:
                        try:
                            data_file.lease.check()
                        except LeaseLost:
                            os.write(write_end, b"lost\n")
                    data_file.close()
            except BaseException as exc:  # noqa: BLE001 (reported to the parent)
                os.write(write_end, f"failed:{type(exc).__name__}\n".encode())
            finally:
                os._exit(0)
        children.append(pid)
    os.close(write_end)
    said = read_all(read_end)
    for pid in children:
        os.waitpid(pid, 0)
    return said.split()


def leave_stale_lease(path: Path) -> None:
    """A lock file left by another computer that has not been heard from for an hour."""
    stamp = time.time() - 3600
    lock_path(path).write_text(json.dumps({
        "user": "ana", "machine": "OFFICE-PC", "pid": 4242, "started_at": stamp,
        "heartbeat_at": stamp, "token": f"sleeping-laptop-{time.time_ns()}", "app_version": "0.1",
    }), encoding="utf-8")
    os.utime(lock_path(path), (stamp, stamp))  # and not written since, by the drive's clock


def run_races(path: Path, rounds: int, *, processes: int = 5, take_over: bool = False) -> Figures:
    """``rounds`` races; a failure whenever other than exactly one process edits, the
    one told it edits finds its lease gone, or files are left beside the lock. With
    ``take_over`` each race is for the same stale lease, every process asking to take it
    over, with jitter (see ``race_for_lease``)."""
    figures = Figures()
    for _ in range(rounds):
        if take_over:
            leave_stale_lease(path)
        outcomes = race_for_lease(path, processes=processes, take_over=take_over, jitter=take_over)
        figures.runs += 1
        if outcomes.count("editing") != 1 or not set(outcomes) <= {"editing", "held"}:
            figures.failures.append(f"a race for the {'stale' if take_over else 'free'} lease ended {outcomes}")
        leftovers = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(lock_path(path).name))
        if leftovers:
            figures.failures.append(f"a race for the lease left {leftovers} behind")
            for name in leftovers:
                (path.parent / name).unlink()
    return figures
