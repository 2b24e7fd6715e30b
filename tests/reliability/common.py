"""What the reliability battery shares: counts, sentence checks, sample files, figures.

The battery (crashes, damaged files, write errors, hostile input, leaks) lives in the
modules beside this one so that ``tests/reliability`` and ``benchmarks/reliability.py``
run the same code: the tests with small counts (the full ones when ``CI=true``), the
benchmark with big ones and a table of figures.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sro_desk.records.demo import create_demo, sample_district
from sro_desk.records.district import save_district
from sro_desk.records.officers import Officer, save_officer
from sro_desk.store import DataFile, OpenOptions


#: Crash writers and write-error writers are forked: POSIX only.
CAN_FORK = hasattr(os, "fork")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@dataclass(frozen=True)
class Counts:
    """How much of each part of the battery to run."""

    kills: int
    fuzzed_files: int
    #: Hypothesis examples per kind of record.
    examples: int
    #: Races of 8 processes to take over one stale lease.
    lease_races: int = 12


def counts() -> Counts:
    """Small counts for a developer's run, the promised ones in CI."""
    if in_ci():
        return Counts(kills=200, fuzzed_files=500, examples=30, lease_races=100)
    return Counts(kills=40, fuzzed_files=150, examples=12, lease_races=12)


# -- files -------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def journal_of(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + "-journal")


def file_state(path: Path) -> dict[str, str | None]:
    """The bytes of a data file and of whatever sits beside it, by name (None: a folder)."""
    folder = Path(path).parent
    state: dict[str, str | None] = {}
    for entry in sorted(folder.iterdir()):
        state[entry.name] = sha256(entry) if entry.is_file() else None
    return state


def read_all(fd: int) -> str:
    """Everything a child process wrote to a pipe, once it has closed its end."""
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode()


def logical_dump(path: Path) -> list[str]:
    """Every table's rows, read through a separate read-only connection."""
    import sqlite3

    conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def make_demo_file(path: Path, *, today: date | None = None) -> Path:
    """A file holding the whole sample district (every kind of record)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=today)
    return path


def make_district_file(path: Path) -> Path:
    """A file holding only the sample district and one officer: nothing points at its
    schools, so a save may replace them all."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        district = save_district(data_file, sample_district())
        save_officer(
            data_file, Officer("Jordan Reyes", "Officer", district.departments[0].id, 6, True)
        )
    return path


def copy_file(source: Path, target: Path) -> Path:
    """A fresh copy of ``source`` at ``target``. Each run puts a new file where the last
    one was, so this computer's memory of the last file's change log there is forgotten
    (SRO Desk would rightly call an older copy in its place 'changes removed')."""
    from sro_desk.store.integrity import forget_head

    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    forget_head(target)
    return target


# -- sentences ---------------------------------------------------------------------------

_JARGON = re.compile(
    r"Traceback|sqlite3\.|SQLITE_|OperationalError|DatabaseError|IntegrityError|Errno|"
    r"KeyError|ValueError|TypeError|\bNone\b|File \"",
)
_QUOTED = re.compile(r'"[^"]*"')
_PATHLIKE = re.compile(r"(?=\S*[A-Za-z])\S*[/\\]\S*")
_SECOND_SENTENCE = re.compile(r"[.!?] +[A-Z]")


def sentence_problem(message: str) -> str | None:
    """Why ``message`` is not one plain sentence for a person, or None when it is."""
    if not isinstance(message, str) or not message.strip():
        return "there is no message"
    text = message.strip()
    if "\n" in text:
        return "it runs over more than one line"
    if _JARGON.search(text):
        return "it shows programmer's jargon or a traceback"
    if not text.endswith("."):
        return "it does not end with a full stop"
    bare = _PATHLIKE.sub("PATH", _QUOTED.sub('""', text))
    if _SECOND_SENTENCE.search(bare[:-1]):
        return "it is more than one sentence"
    return None


def assert_sentence(message: str) -> None:
    problem = sentence_problem(message)
    assert problem is None, f"not one plain sentence ({problem}): {message!r}"


_BACKUP_NAME = re.compile(r"[^\s(\"]+-backup-\d{8}-\d{6}-\d{6}[a-z-]*\.db")
_NUMBER = re.compile(r"\d+")


def shape(message: str) -> str:
    """A sentence with its paths, backup names and numbers blanked, so that the same
    sentence about two files counts once."""
    text = _BACKUP_NAME.sub("BACKUP", message.strip())
    text = _PATHLIKE.sub("PATH", _QUOTED.sub('"PATH"', text))
    text = re.sub(r"\b[\w.-]+\.db\b", "FILE", text)
    text = re.sub(r"PATH( PATH)+", "PATH", text)
    return _NUMBER.sub("N", text)


# -- figures -----------------------------------------------------------------------------


@dataclass
class Figures:
    """What one part of the battery did, for the assertions and the benchmark's table."""

    runs: int = 0
    kills: int = 0
    survived: int = 0
    hot_journals: int = 0
    transactions_checked: int = 0
    committed_unacknowledged: int = 0
    leases_taken_back: int = 0
    files_fuzzed: int = 0
    calls: int = 0
    inputs_tried: int = 0
    saved: int = 0
    refused: int = 0
    printouts: int = 0
    leaks: list[str] = field(default_factory=list)
    sentences: set[str] = field(default_factory=set)
    #: Anything that broke a promise: each a line saying what and where.
    failures: list[str] = field(default_factory=list)
    #: Failures matching a defect already reported (and shown by an xfail test): none
    #: at present; the tests assert this stays empty.
    known_defects: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)

    def heard(self, message: str) -> None:
        """Record a sentence a person would have been shown."""
        problem = sentence_problem(message)
        if problem is not None:
            self.failures.append(f"not one plain sentence ({problem}): {message!r}")
        self.sentences.add(shape(message))

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def merge(self, other: Figures) -> None:
        for name in (
            "runs", "kills", "survived", "hot_journals", "transactions_checked",
            "committed_unacknowledged", "leases_taken_back", "files_fuzzed", "calls",
            "inputs_tried", "saved", "refused", "printouts",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.leaks += other.leaks
        self.sentences |= other.sentences
        self.failures += other.failures
        for table_name in ("known_defects", "outcomes"):
            mine, theirs = getattr(self, table_name), getattr(other, table_name)
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
