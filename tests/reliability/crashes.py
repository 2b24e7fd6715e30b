"""Writers killed with SIGKILL at random moments, and the file checked after each kill.

The writer saves recognisable groups of rows, each in one transaction: a district save
that replaces every school ("crash g7 school 3 of 12", the district renamed "crash
district g7"), a batch of training entries ("crash b8 entry 5 of 30") and a new agreement
from the clause library ("crash a9", with as many clauses, blanks and signatories as the
reference agreement). It acknowledges each commit on a pipe. After the kill the file
must open, pass ``PRAGMA integrity_check``, hold every acknowledged group whole, hold no
group in part (at most one unacknowledged group: the commit the kill raced), and its
audit log must agree row for row with what the tables hold.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from sro_desk.errors import SroDeskError
from sro_desk.records import agreements, training
from sro_desk.records.district import School, load_district, save_district
from sro_desk.store import DataFile
from sro_desk.store.check import check_file
from sro_desk.store.lease import lock_path
from tests.reliability.common import Figures, copy_file, journal_of, make_district_file, read_all, sha256

DISTRICT = re.compile(r"^crash district g(\d+)$")
SCHOOL = re.compile(r"^crash g(\d+) school (\d+) of (\d+)$")
ENTRY = re.compile(r"^crash b(\d+) entry (\d+) of (\d+)$")
AGREEMENT = re.compile(r"^crash a(\d+)$")
REFERENCE_TITLE = "crash reference"
#: Tables whose every row must match the audit log's last word on it.
AUDITED = (
    "district", "school", "training_entry", "agreement", "agreement_clause",
    "agreement_blank", "agreement_signature",
)
#: Start again from the base file this often, so the audit log stays small.
RUNS_PER_FILE = 25
#: The latest moment of a kill, in seconds after the writer starts.
LATEST_KILL = 0.15


def make_crash_base(path: Path) -> Path:
    """The sample district, an officer, and the reference agreement."""
    make_district_file(path)
    with DataFile.open(path) as data_file:
        agreements.new_from_library(data_file, school_year=_school_year(), title=REFERENCE_TITLE)
    return path


def _school_year() -> str:
    today = date.today()
    first = today.year if today.month >= 7 else today.year - 1
    return f"{first}-{first + 1}"


# -- the writer --------------------------------------------------------------------------


def next_generation(data_file: DataFile) -> int:
    """One more than the highest group number in the file."""
    numbers = [0]
    for pattern, sql in (
        (DISTRICT, "SELECT name AS text FROM district"),
        (ENTRY, "SELECT title AS text FROM training_entry"),
        (AGREEMENT, "SELECT title AS text FROM agreement"),
    ):
        for row in data_file.query(sql):
            match = pattern.match(row["text"] or "")
            if match:
                numbers.append(int(match[1]))
    return max(numbers) + 1


def write_until_killed(path: Path, seed: int, ack_fd: int, *, spill: bool) -> None:
    """Save groups of rows for ever, writing "KIND GEN" to ``ack_fd`` after each commit.

    With ``spill`` the page cache is one page, so changed pages reach the file (and the
    journal becomes hot) in the middle of a transaction, not only at its commit.
    """
    rng = random.Random(seed)
    data_file = DataFile.open(path)
    if spill:
        data_file.conn.execute("PRAGMA cache_size = 1")
    generation = next_generation(data_file)
    officer_id = data_file.query("SELECT id FROM officer ORDER BY id LIMIT 1")[0]["id"]
    taken_on = (date.today() - timedelta(days=20)).isoformat()
    os.write(ack_fd, b"open\n")
    while True:
        kind = rng.choice(("district", "training", "agreement"))
        if kind == "district":
            size = rng.randint(4, 40)
            district = load_district(data_file)
            district.name = f"crash district g{generation}"
            district.schools = [
                School(f"crash g{generation} school {n} of {size}", "K-12", f"Principal {n}")
                for n in range(1, size + 1)
            ]
            save_district(data_file, district)
        elif kind == "training":
            size = rng.randint(4, 40)
            training.save_entries(
                data_file,
                [
                    training.TrainingEntry(
                        officer_id, taken_on, f"crash b{generation} entry {n} of {size}", 4,
                        provider="Crash Academy", topics=["de_escalation"],
                    )
                    for n in range(1, size + 1)
                ],
            )
        else:
            agreements.new_from_library(
                data_file, school_year=_school_year(), title=f"crash a{generation}"
            )
        os.write(ack_fd, f"{kind} {generation}\n".encode())
        generation += 1


def _forked_writer(path: Path, seed: int, spill: bool) -> tuple[int, int]:
    """Start a writer in a forked child; returns (pid, read end of its pipe)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write until killed, never return into the parent's code
        code = 0
        try:
            os.close(read_end)
            write_until_killed(path, seed, write_end, spill=spill)
        except BaseException as exc:  # noqa: BLE001 (reported to the parent, then exit)
            text = f"writer failed: {type(exc).__name__}: {exc}".replace("\n", " ")
            try:
                os.write(write_end, (text + "\n").encode())
            except OSError:
                pass
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def kill_forked_writer(path: Path, rng: random.Random) -> tuple[list[str], bool]:
    """Fork a writer, SIGKILL it after a random moment; returns its lines and whether
    the kill (not an error) ended it."""
    pid, read_end = _forked_writer(path, rng.randrange(2**32), spill=rng.random() < 0.5)
    time.sleep(rng.uniform(0, LATEST_KILL))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)  # reaped, so its process id is free: the lease is stale
    lines = read_all(read_end).splitlines()
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return lines, killed


def kill_fresh_interpreter_writer(path: Path, rng: random.Random, root: Path) -> tuple[list[str], bool]:
    """The same writer started as a new Python process, killed once it has opened."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", "crash", str(path),
         str(rng.randrange(2**32)), "1" if rng.random() < 0.5 else "0"],
        cwd=root, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    first = process.stdout.readline().decode()
    time.sleep(rng.uniform(0, LATEST_KILL))
    process.send_signal(signal.SIGKILL)
    process.wait()
    rest = process.stdout.read().decode()
    process.stdout.close()
    killed = process.returncode == -signal.SIGKILL
    return (first + rest).splitlines(), killed


# -- checking a file after a kill --------------------------------------------------------


def header_pages(path: Path) -> int:
    with open(path, "rb") as handle:
        return int.from_bytes(handle.read(32)[28:32], "big")


def page_size(path: Path) -> int:
    with open(path, "rb") as handle:
        size = int.from_bytes(handle.read(18)[16:18], "big")
    return 65536 if size == 1 else size


#: The first bytes of a rollback journal once its header is synced; before that SQLite
#: leaves them zero and the journal is "cold": no page of the file has changed yet, and
#: SQLite ignores it (the next write transaction replaces it).
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def is_hot(journal: Path) -> bool:
    """True when a journal holds pages SQLite must put back before the file is read."""
    try:
        with open(journal, "rb") as handle:
            return handle.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


class CrashLedger:
    """What the writers acknowledged, across the runs on one file."""

    def __init__(self) -> None:
        self.acknowledged: set[tuple[str, int]] = set()
        self.seen: set[tuple[str, int]] = set()


def check_after_kill(path: Path, lines: list[str], ledger: CrashLedger, figures: Figures) -> None:
    """Everything promised about a file whose writer was killed; failures go in figures."""
    errors = [line for line in lines if line.startswith("writer failed")]
    if errors:
        figures.failures.append(errors[0])
        return
    acks = {(kind, int(gen)) for kind, gen in (line.split() for line in lines if line != "open")}
    journal = journal_of(path)
    hot = is_hot(journal)
    figures.hot_journals += hot
    figures.count("cold journal left" if journal.exists() and not hot else "no cold journal")
    figures.leases_taken_back += lock_path(path).exists()
    before, journal_before = sha256(path), (sha256(journal) if journal.exists() else None)
    # (A kill during a commit that grows the file leaves page 1 saying the new size while
    # the file is still short; the hot journal puts it right, and SRO Desk must let it.)
    # The health check first: read-only, it must name the interrupted save and touch nothing.
    try:
        figures.calls += 1
        report = check_file(path)
        if not report.healthy:
            figures.failures.append(f"check found problems after a kill: {report.problems}")
    except SroDeskError as exc:
        figures.heard(exc.message)
        if not hot or "in the middle of saving" not in exc.message:
            figures.failures.append(f"check refused a killed writer's file: {exc.message}")
    if sha256(path) != before or (sha256(journal) if journal.exists() else None) != journal_before:
        figures.failures.append("check changed the file or its journal after a kill")
    # A lease the killed writer left is its own crashed window's: taken back without a
    # question (a lock file is never left empty or half-written, so it always names it).
    try:
        with DataFile.open(path) as data_file:  # for editing: rolls a hot journal back
            integrity = [r[0] for r in data_file.conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                figures.failures.append(f"integrity_check after a kill: {integrity[:3]}")
                return
            problems = _group_problems(data_file, acks, ledger, figures)
    except SroDeskError as exc:
        figures.heard(exc.message)
        figures.failures.append(f"the file did not open after a kill: {exc.message}")
        return
    leftovers = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(lock_path(path).name + "."))
    if leftovers:
        figures.failures.append(f"files the killed writer's lease left were not cleared: {leftovers}")
    if is_hot(journal):
        figures.failures.append("a hot journal was still there after opening for editing")
    figures.failures += problems
    if not problems:
        figures.survived += 1


def _group_problems(
    data_file: DataFile, acks: set[tuple[str, int]], ledger: CrashLedger, figures: Figures
) -> list[str]:
    conn = data_file.conn
    problems: list[str] = []
    present: set[tuple[str, int]] = set()
    # The district and its schools: one generation, every school of it.
    (name,) = conn.execute("SELECT name FROM district").fetchone()
    schools = [r[0] for r in conn.execute("SELECT name FROM school ORDER BY id")]
    district = DISTRICT.match(name)
    if district:
        generation = int(district[1])
        present.add(("district", generation))
        parsed = [SCHOOL.match(s) for s in schools]
        numbers = sorted(int(m[2]) for m in parsed if m and int(m[1]) == generation)
        sizes = {int(m[3]) for m in parsed if m}
        if None in parsed or len(sizes) != 1 or numbers != list(range(1, sizes.pop() + 1)):
            problems.append(f"district g{generation} holds a partial set of schools: {schools}")
    elif any(SCHOOL.match(s) for s in schools):
        problems.append(f"schools of a crash save under the sample district's name: {schools}")
    # Training batches: each whole.
    batches: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (title,) in conn.execute("SELECT title FROM training_entry"):
        match = ENTRY.match(title)
        if match:
            batches[int(match[1])].append((int(match[2]), int(match[3])))
    for generation, entries in batches.items():
        present.add(("training", generation))
        size = entries[0][1]
        if sorted(n for n, _ in entries) != list(range(1, size + 1)):
            problems.append(f"training batch b{generation} is partial: {len(entries)} of {size}")
    # Agreements: as many clauses, blanks and signatories as the reference.
    shapes = {}
    for agreement_id, title in conn.execute("SELECT id, title FROM agreement"):
        shapes[title] = tuple(
            conn.execute(f"SELECT count(*) FROM [{table}] WHERE agreement_id = ?", (agreement_id,)).fetchone()[0]
            for table in ("agreement_clause", "agreement_blank", "agreement_signature")
        )
    reference = shapes.get(REFERENCE_TITLE)
    for title, counted in shapes.items():
        match = AGREEMENT.match(title)
        if match:
            present.add(("agreement", int(match[1])))
            if counted != reference:
                problems.append(f"agreement {title} is partial: {counted} against {reference}")
    problems += _audit_problems(conn)
    # Acknowledged commits are all there; anything new but unacknowledged is the one
    # commit the kill raced (it landed, the acknowledgement did not).
    ledger.acknowledged |= acks
    for kind, generation in ledger.acknowledged:
        if kind != "district" and (kind, generation) not in present:
            problems.append(f"an acknowledged {kind} save g{generation} is missing")
    acked_districts = [g for k, g in ledger.acknowledged if k == "district"]
    if acked_districts and not (district and int(district[1]) >= max(acked_districts)):
        problems.append("the district lost an acknowledged save")
    new = present - ledger.seen - ledger.acknowledged
    highest = max((g for _, g in acks), default=0)
    if len(new) > 1 or any(g <= highest for _, g in new):
        problems.append(f"unacknowledged groups beyond the one in flight: {sorted(new)}")
    figures.committed_unacknowledged += len(new)
    figures.transactions_checked += len(present - ledger.seen)
    ledger.seen |= present
    return problems


def _audit_problems(conn) -> list[str]:
    """Each row must exist exactly when the audit log's last entry for it is not a delete."""
    last: dict[tuple[str, int], str] = {}
    marks = ",".join("?" for _ in AUDITED)
    for table, row_id, action in conn.execute(
        f"SELECT table_name, row_id, action FROM audit_log WHERE table_name IN ({marks}) ORDER BY id",
        AUDITED,
    ):
        last[(table, row_id)] = action
    problems = []
    for table in AUDITED:
        rows = {r[0] for r in conn.execute(f"SELECT id FROM [{table}]")}
        audited = {row_id for (t, row_id), action in last.items() if t == table and action != "delete"}
        if rows != audited:
            problems.append(
                f"{table}: rows without their audit entry {sorted(rows - audited)[:5]}, "
                f"audit entries without their row {sorted(audited - rows)[:5]}"
            )
    return problems


# -- the whole part ----------------------------------------------------------------------


def run_crashes(
    folder: Path, kills: int, *, seed: int = 20261123, fresh_interpreter: int = 0,
    root: Path | None = None,
) -> Figures:
    """``kills`` forked writers killed (plus ``fresh_interpreter`` started as new Python
    processes), each kill followed by the checks above."""
    figures = Figures()
    rng = random.Random(seed)
    base = make_crash_base(folder / "crash-base.db")
    path = folder / "crash" / "district.db"
    ledger = CrashLedger()
    for run in range(kills + fresh_interpreter):
        if run % RUNS_PER_FILE == 0:
            for leftover in (journal_of(path), lock_path(path)):
                leftover.unlink(missing_ok=True)  # never a journal beside someone else's file
            copy_file(base, path)
            ledger = CrashLedger()
        if run < kills:
            lines, killed = kill_forked_writer(path, rng)
        else:
            lines, killed = kill_fresh_interpreter_writer(path, rng, root or Path.cwd())
        figures.runs += 1
        figures.kills += killed
        if not killed:
            figures.failures.append(f"a writer ended before it was killed: {lines[-1:]}")
        check_after_kill(path, lines, ledger, figures)
    return figures
