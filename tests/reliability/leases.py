"""Processes racing for one file's write lease (forked, so they start together)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sro_desk.store import DataFile
from sro_desk.store.lease import LeaseHeld
from tests.reliability.common import Figures, read_all


def race_for_lease(path: Path, *, processes: int) -> list[str]:
    """Each process opens ``path`` for editing at the same moment and says "editing",
    "held" or "read-only"; the editor holds the lease while the others try."""
    start = time.time() + 0.3
    read_end, write_end = os.pipe()
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            try:
                while time.time() < start:
                    pass
                try:
                    data_file = DataFile.open(path)
                except LeaseHeld:
                    os.write(write_end, b"held\n")
                else:
                    os.write(write_end, b"editing\n" if not data_file.read_only else b"read-only\n")
                    time.sleep(0.5)
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


def run_races(path: Path, rounds: int, *, processes: int = 5) -> Figures:
    """``rounds`` races; a failure whenever other than exactly one process edits."""
    figures = Figures()
    for _ in range(rounds):
        outcomes = race_for_lease(path, processes=processes)
        figures.runs += 1
        if outcomes.count("editing") != 1 or not set(outcomes) <= {"editing", "held"}:
            figures.failures.append(f"a race for the lease ended {outcomes}")
    return figures
