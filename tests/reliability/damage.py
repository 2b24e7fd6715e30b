"""Damaged files: truncated, bit-flipped, with a stale journal beside them, or foreign.

Each case is written to one of two places: one whose file has a backup (made from the
sound file before the damage) and one that has none. Then ``check_file`` and
``DataFile.open(..., edit=False)`` are called on it in this process. Promised for every
case: nothing but an ``SroDeskError`` escapes; what a person is shown is one plain
sentence; a refused file with a backup is refused with a sentence naming that backup
(unless opening it for editing or a newer SRO Desk is the remedy); and not one byte of
the folder changes (no journal made or removed, no lock, no copy).
"""

from __future__ import annotations

import os
import random
import sqlite3
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sro_desk.errors import DamagedFile, SroDeskError
from sro_desk.store import DataFile, OpenOptions, schema
from sro_desk.store.backup import latest_backup, make_backup
from sro_desk.store.check import check_file
from tests.reliability.common import Figures, copy_file, file_state, journal_of, make_demo_file


@dataclass
class Case:
    """One damaged file: its bytes, and those of a journal beside it (None: no journal)."""

    label: str
    data: bytes
    journal: bytes | None = None


@dataclass
class Material:
    """What the cases are cut from."""

    sound: bytes
    page_size: int
    #: A file and its hot journal, as a writer killed mid-save left them.
    crashed: tuple[bytes, bytes]
    #: A hot journal that belongs to another database.
    other_journal: bytes
    #: Whole files with a foreign or broken schema, by label.
    foreign: dict[str, bytes]


def prepare(folder: Path) -> Material:
    """Build the sound demo file and everything the cases are cut from."""
    folder.mkdir(parents=True, exist_ok=True)
    sound_path = make_demo_file(folder / "sound.db")
    sound = sound_path.read_bytes()
    page_size = int.from_bytes(sound[16:18], "big")
    crashed = leave_hot_journal(copy_file(sound_path, folder / "crashed" / "district.db"))
    other = make_demo_file(folder / "other" / "other.db")
    _, other_journal = leave_hot_journal(other)
    return Material(sound, page_size, crashed, other_journal, _foreign_files(sound_path, folder / "foreign"))


def leave_hot_journal(path: Path) -> tuple[bytes, bytes]:
    """A writer that changes many pages with a one-page cache, then dies uncommitted."""
    pid = os.fork()
    if pid == 0:
        try:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA cache_size = 1")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE audit_log SET changes = changes || ' '")
            conn.execute("UPDATE school SET name = name || ' (renamed)'")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    journal = journal_of(path)
    assert journal.exists() and journal.stat().st_size > 0, "no hot journal was left"
    return path.read_bytes(), journal.read_bytes()


def _foreign_files(sound: Path, folder: Path) -> dict[str, bytes]:
    """Files another program made, or whose schema someone changed by hand."""
    folder.mkdir(parents=True, exist_ok=True)
    app = schema.APPLICATION_ID
    migrations = "".join(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        f"VALUES ('{schema.migrations.name}', '{name}', '2026-01-01');"
        for name in sorted(schema.known_migration_names())
    )
    recipes = "CREATE TABLE recipes (name TEXT, minutes INTEGER); INSERT INTO recipes VALUES ('soup', 20);"
    scripts = {
        "another program's database": (None, recipes),
        "another program's database with our application id": (None, f"PRAGMA application_id = {app};" + recipes),
        "our application id and nothing else": (None, f"PRAGMA application_id = {app}; CREATE TABLE t (x); DROP TABLE t;"),
        "the migration record without the tables": (
            None,
            f"PRAGMA application_id = {app}; CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, "
            "migration_set TEXT, name TEXT, applied_at TEXT);" + migrations,
        ),
        "a table dropped by hand": (sound, "PRAGMA foreign_keys = OFF; DROP TABLE school;"),
        "the audit log renamed by hand": (sound, "ALTER TABLE audit_log RENAME TO old_audit_log;"),
        "a column dropped by hand": (sound, "ALTER TABLE district DROP COLUMN superintendent_name;"),
        "the migration record dropped": (sound, "DROP TABLE _sqlite_migrations;"),
        "a migration from a newer version": (
            sound,
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            f"VALUES ('{schema.migrations.name}', '9999_from_the_future', '2030-01-01');",
        ),
        "records pointing nowhere": (sound, "PRAGMA foreign_keys = OFF; UPDATE school SET district_id = 999;"),
        "a view of a missing table": (sound, "CREATE VIEW broken AS SELECT * FROM school; "
                                      "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; "
                                      "ALTER TABLE school RENAME TO school_old;"),
        "an index on a renamed column": (sound, "ALTER TABLE school RENAME COLUMN grades TO grade_span;"),
        "a WAL file": (sound, "PRAGMA journal_mode = WAL;"),
        "another page size": (sound, "PRAGMA page_size = 1024; VACUUM;"),
    }
    made = {}
    for number, (label, (source, script)) in enumerate(scripts.items()):
        target = folder / f"foreign-{number}.db"
        if source is not None:
            copy_file(source, target)
        conn = sqlite3.connect(target, isolation_level=None)
        try:
            conn.executescript(script)
            if label != "a WAL file":
                conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        made[label] = target.read_bytes()
    return made


# -- the cases ---------------------------------------------------------------------------


def cases(material: Material, count: int, seed: int = 20261123) -> Iterator[Case]:
    """``count`` damaged files, the same ones for the same seed."""
    rng = random.Random(seed)
    sound, page = material.sound, material.page_size
    size = len(sound)
    pages = size // page
    fixed_cuts = sorted(
        {0, 1, 15, 16, 17, 50, 99, 100, 101, 512, page - 1, page, page + 1, 2 * page, size // 2,
         size - page, size - 1}
    )
    def truncation(n: int) -> Case:
        cut = fixed_cuts[n] if n < len(fixed_cuts) else (
            rng.randrange(size) if rng.random() < 0.5 else rng.randrange(1, pages) * page + rng.choice((-1, 0, 1))
        )
        return Case(f"cut to {cut} bytes", sound[:cut])

    def header_flip(n: int) -> Case:
        where, bit = n % 100, (n // 100 + rng.randrange(8)) % 8
        return Case(f"header byte {where} bit {bit} flipped", _flip(sound, where, bit))

    def first_page_flip(n: int) -> Case:
        where = rng.randrange(100, page)
        return Case(f"schema page byte {where} flipped", _flip(sound, where, rng.randrange(8)))

    def page_damage(n: int) -> Case:
        number = rng.randrange(1, pages)
        start = number * page
        kind = n % 4
        data = bytearray(sound)
        if kind == 0:
            where = start + rng.randrange(page)
            return Case(f"page {number + 1} byte {where - start} flipped", _flip(sound, where, rng.randrange(8)))
        if kind == 1:
            data[start : start + page] = bytes(page)
            return Case(f"page {number + 1} zeroed", bytes(data))
        if kind == 2:
            where = start + rng.randrange(page - 16)
            data[where : where + 16] = rng.randbytes(16)
            return Case(f"page {number + 1} scribbled at {where - start}", bytes(data))
        data[start] = rng.choice((0x00, 0x01, 0x03, 0x07, 0x77, 0xFF))
        return Case(f"page {number + 1} given page type {data[start]:#x}", bytes(data))

    def journal(n: int) -> Case:
        crashed, hot = material.crashed
        kind = n % 8
        if kind == 0:
            return Case("a hot journal from a killed save", crashed, hot)
        if kind == 1:
            cut = rng.randrange(1, len(hot))
            return Case(f"the hot journal cut to {cut} bytes", crashed, hot[:cut])
        if kind == 2:
            where = rng.randrange(len(hot))
            return Case(f"the hot journal with byte {where} flipped", crashed, _flip(hot, where, rng.randrange(8)))
        if kind == 3:
            return Case("the killed save's file without its journal", crashed)
        if kind == 4:
            return Case("a sound file beside another database's hot journal", sound, material.other_journal)
        if kind == 5:
            return Case("a sound file beside a journal of zeros", sound, bytes(rng.randrange(1, 3 * page)))
        if kind == 6:
            return Case("a sound file beside a journal of noise", sound, rng.randbytes(rng.randrange(1, 3 * page)))
        return Case("a sound file beside an empty journal", sound, b"")

    def foreign(n: int) -> Case:
        labels = sorted(material.foreign)
        label = labels[n % len(labels)]
        return Case(label, material.foreign[label])

    # (weight, maker): how often each kind of damage comes up.
    makers: list[tuple[int, Callable[[int], Case]]] = [
        (30, truncation), (16, header_flip), (10, first_page_flip), (22, page_damage), (14, journal), (8, foreign),
    ]
    numbers = {maker: 0 for _, maker in makers}
    weights = [weight for weight, _ in makers]
    for index in range(count):
        # The first rounds visit each kind in turn, so small counts still see them all.
        maker = makers[index % len(makers)][1] if index < 6 * len(makers) else rng.choices(
            [m for _, m in makers], weights
        )[0]
        yield maker(numbers[maker])
        numbers[maker] += 1


def _flip(data: bytes, where: int, bit: int) -> bytes:
    changed = bytearray(data)
    changed[where] ^= 1 << bit
    return bytes(changed)


# -- running the cases -------------------------------------------------------------------


#: Refusals that need no backup: the file recovers by being opened for editing, by a
#: newer SRO Desk, or by being switched back from WAL.
_NO_BACKUP_NEEDED = ("in the middle of saving", "newer version", "older version", "WAL", "shared drives",
                     "not been set up")


class Places:
    """The two folders the cases are written to: one with a backup, one without."""

    def __init__(self, folder: Path, material: Material) -> None:
        self.with_backup = folder / "with backup" / "district.db"
        self.without_backup = folder / "no backup" / "district.db"
        for path in (self.with_backup, self.without_backup):
            path.parent.mkdir(parents=True, exist_ok=True)
        self.with_backup.write_bytes(material.sound)
        self.backup = make_backup(self.with_backup)
        assert latest_backup(self.without_backup) is None


def run_case(places: Places, case: Case, *, with_backup: bool, figures: Figures) -> None:
    path = places.with_backup if with_backup else places.without_backup
    journal = journal_of(path)
    for leftover in (path, journal):
        if leftover.exists():
            leftover.unlink()
    path.write_bytes(case.data)
    if case.journal is not None:
        journal.write_bytes(case.journal)
    where = f"[{case.label}, {'with' if with_backup else 'without'} a backup]"
    before = file_state(path)
    figures.files_fuzzed += 1
    for call, action in (("check", lambda: check_file(path)), ("open", lambda: _open_and_close(path))):
        figures.calls += 1
        try:
            result = action()
        except SroDeskError as exc:
            figures.heard(exc.message)
            figures.count(f"{call}: {type(exc).__name__}")
            if (
                with_backup
                and places.backup.name not in exc.message
                and (isinstance(exc, DamagedFile) or not any(w in exc.message for w in _NO_BACKUP_NEEDED))
            ):
                figures.failures.append(f"{where} {call}: the sentence does not name the backup: {exc.message}")
        except Exception as exc:  # noqa: BLE001 (anything else is what the battery looks for)
            figures.failures.append(
                f"{where} {call}: {type(exc).__name__}: {exc}\n"
                + "".join(traceback.format_exception(exc)[-3:])
            )
        else:
            figures.count(f"{call}: {'opened' if call == 'open' else 'report'}")
            for problem in getattr(result, "problems", []):
                figures.heard(problem)
        after = file_state(path)
        if after != before:
            changed = sorted(set(before.items()) ^ set(after.items()))
            figures.failures.append(f"{where} {call} changed the folder: {changed}")
            before = after


def _open_and_close(path: Path) -> None:
    with DataFile.open(path, OpenOptions(edit=False)):
        pass


def run_fuzz(folder: Path, count: int, *, seed: int = 20261123) -> Figures:
    """``count`` damaged files, alternately with and without a backup."""
    figures = Figures()
    material = prepare(folder / "material")
    places = Places(folder / "cases", material)
    for index, case in enumerate(cases(material, count, seed)):
        run_case(places, case, with_backup=index % 2 == 0, figures=figures)
        figures.runs += 1
    return figures
