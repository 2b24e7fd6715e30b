"""Run the reliability battery outside pytest, with big counts, and print its figures.

    python benchmarks/reliability.py [--kills 200] [--files 500] [--inputs 300] [--races 20]
                                     [--take-overs 100] [--sentences] [--keep]

The same code as tests/reliability (its modules beside the tests): writers killed with
SIGKILL at random moments, damaged files, full disks and write errors, processes racing
for a free write lease and to take over one stale lease, hostile input into every kind
of record (through the same hypothesis strategies), and the leak checks. Prints what ran, what survived, the known
defects it ran into, and how long it took; exits 1 if any promise was broken.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Parse the counts, run the battery in a scratch folder, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=200, help="writers killed (default 200)")
    parser.add_argument("--files", type=int, default=500, help="damaged files (default 500)")
    parser.add_argument("--inputs", type=int, default=300, help="hostile inputs over all record kinds (default 300)")
    parser.add_argument("--races", type=int, default=20, help="races of 5 processes for a free lease (default 20)")
    parser.add_argument("--take-overs", type=int, default=100,
                        help="races of 8 processes to take over one stale lease (default 100)")
    parser.add_argument("--seed", type=int, default=20261123, help="seed of the kills and the damage")
    parser.add_argument("--sentences", action="store_true", help="list every distinct sentence seen")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (removed otherwise)")
    parser.add_argument("--imports-only", action="store_true",
                        help="only time the hostile imports (each at the size that was found to hurt)")
    parser.add_argument("--import-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_one:
        return _import_one(Path(args.import_one))
    if not hasattr(os, "fork"):
        raise SystemExit("The battery forks its writers: run it on Linux or macOS.")

    folder = Path(tempfile.mkdtemp(prefix="sro-reliability-"))
    os.environ["SRO_DESK_HOME"] = str(folder / "home")
    os.environ.setdefault("SRO_DESK_BUSY_TIMEOUT", "1")
    os.chdir(ROOT)
    try:
        if args.imports_only:
            return _imports(folder)
        code = _run(args, folder)
        return max(code, _imports(folder))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


#: What each hostile import may cost at the most (issue 18).
IMPORT_SECONDS, IMPORT_MB = 5.0, 500


def _imports(folder: Path) -> int:
    """Each hostile import at full size, in a process of its own: time and peak memory."""
    import json
    import subprocess

    from tests.reliability.hostile_files import IMPORTS, make

    print("Hostile imports (each in its own process; target: refused or done in "
          f"\u2264 {IMPORT_SECONDS:g} s and \u2264 {IMPORT_MB} MB):")
    worst = 0
    for number, (name, maker, full, _small, _importer) in enumerate(IMPORTS):
        place = folder / "imports" / str(number)
        place.mkdir(parents=True, exist_ok=True)
        path = make(maker, place, full)
        done = subprocess.run([sys.executable, str(Path(__file__)), "--import-one", f"{number}:{path}"],
                              capture_output=True, text=True, timeout=600)
        result = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {
            "seconds": float("nan"), "mb": float("nan"), "outcome": done.stderr.strip()[-200:]}
        met = result["seconds"] <= IMPORT_SECONDS and result["mb"] <= IMPORT_MB
        worst = worst if met else 1
        print(f"  {name:<38} {result['seconds']:6.2f} s {result['mb']:7.1f} MB  {'met' if met else 'NOT MET'}  "
              f"{result['outcome'][:90]}")
        path.unlink(missing_ok=True)
    from sro_desk.store import crypto

    started = time.perf_counter()
    crypto.new_key_record("lantern orchard velvet compass")
    print(f"Passphrase key (scrypt n=2**{crypto._N.bit_length() - 1}, r={crypto._R}): "
          f"{time.perf_counter() - started:.2f} s and {128 * crypto._N * crypto._R // 2**20} MB a guess "
          "(target: about a second on a modest laptop)")
    return worst


def _import_one(spec: Path) -> int:
    """(Run in a child process) import one hostile file; print seconds, peak MB, outcome."""
    import json
    import resource

    from sro_desk.errors import SroDeskError
    from tests.reliability.hostile_files import IMPORTS

    number, _, path = str(spec).partition(":")
    importer = IMPORTS[int(number)][4]
    started = time.perf_counter()
    try:
        importer(Path(path))
        outcome = "imported"
    except SroDeskError as refusal:
        outcome = "refused: " + refusal.message
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1024 * 1024)
    print(json.dumps({"seconds": round(seconds, 2), "mb": round(peak, 1), "outcome": outcome}))
    return 0


def _run(args: argparse.Namespace, folder: Path) -> int:

    from tests.reliability.common import Figures, copy_file, make_demo_file
    from tests.reliability.crashes import run_crashes
    from tests.reliability.damage import run_fuzz
    from tests.reliability.hostile import KINDS, run_kind
    from tests.reliability.leaks import find_leaks
    from tests.reliability.leases import run_races
    from tests.reliability.write_errors import SAVES, full_disk, write_error

    demo = make_demo_file(folder / "demo" / "demo.db")
    total = Figures()
    parts: list[tuple[str, Figures, float]] = []

    def part(name: str, action) -> None:
        started = time.perf_counter()
        figures = action()
        parts.append((name, figures, time.perf_counter() - started))
        total.merge(figures)
        print(f"  {name:<34} {figures.runs:>5} runs  {time.perf_counter() - started:7.1f} s", flush=True)

    def write_errors() -> Figures:
        figures = Figures()
        for number, save in enumerate(SAVES):
            for spill in (False, True):
                full_disk(copy_file(demo, folder / "full" / f"{number}-{spill}" / "district.db"), save,
                          spill=spill, figures=figures)
            for room in (0, 4096, 65536):
                write_error(copy_file(demo, folder / "errors" / f"{number}-{room}" / "district.db"), save,
                            room, figures=figures)
        return figures

    def hostile() -> Figures:
        figures = Figures()
        each = math.ceil(args.inputs / len(KINDS))
        for kind in KINDS:
            path = copy_file(demo, folder / "hostile" / kind / "district.db")
            run_kind(kind, path, each, out=path.parent, figures=figures)
        return figures

    def leaks() -> Figures:
        figures = Figures()
        find_leaks(folder / "leaks", figures)
        return figures

    print(f"SRO Desk reliability battery, {date.today().isoformat()}")
    print(f"  machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"  scratch: {folder}")
    started = time.perf_counter()
    part(f"writers killed ({args.kills} + 3 new)", lambda: run_crashes(
        folder / "crashes", args.kills, seed=args.seed, fresh_interpreter=3, root=ROOT))
    part(f"damaged files ({args.files})", lambda: run_fuzz(folder / "damage", args.files, seed=args.seed))
    part("full disks and write errors", write_errors)
    part(f"lease races ({args.races} x 5 processes)", lambda: run_races(
        copy_file(demo, folder / "races" / "district.db"), args.races))
    part(f"take-over races ({args.take_overs} x 8)", lambda: run_races(
        copy_file(demo, folder / "take-overs" / "district.db"), args.take_overs, processes=8, take_over=True))
    part(f"hostile inputs ({args.inputs})", hostile)
    part("leak checks", leaks)
    elapsed = time.perf_counter() - started

    crash = parts[0][1]
    print()
    print("Figures")
    rows = [
        ("runs", total.runs),
        ("kills survived", f"{crash.survived} of {crash.kills}"),
        ("  of them only past a known defect (see below)", sum(crash.known_defects.values())),
        ("  kills that left a hot journal (rolled back)", crash.hot_journals),
        ("  commits that raced the kill, found whole", crash.committed_unacknowledged),
        ("transactions checked", crash.transactions_checked),
        ("lease races won by exactly one (free / stale)",
         f"{parts[3][1].runs - len(parts[3][1].failures)} of {parts[3][1].runs} / "
         f"{parts[4][1].runs - len(parts[4][1].failures)} of {parts[4][1].runs}"),
        ("files fuzzed", total.files_fuzzed),
        ("check and open calls on damaged files", parts[1][1].calls),
        ("full-disk and write-error saves", parts[2][1].runs),
        ("sentences seen (distinct)", len(total.sentences)),
        ("inputs tried", total.inputs_tried),
        ("  steps accepted (saves read back exactly)", total.saved),
        ("  steps refused with a sentence", total.refused),
        ("printouts built", total.printouts),
        ("leaks found", len(total.leaks)),
        ("promises broken", len(total.failures)),
        ("time taken", f"{elapsed:.0f} s"),
    ]
    for label, value in rows:
        print(f"  {label:<46} {value}")
    if args.sentences:
        print()
        print("Sentences seen (paths, names and numbers blanked)")
        for sentence in sorted(total.sentences):
            print(f"  {sentence}")
    if total.known_defects:
        print()
        print("Known defects met (each shown by an xfail test in tests/reliability)")
        for name, count in sorted(total.known_defects.items()):
            print(f"  {count:>4} x {name}")
    if total.leaks or total.failures:
        print()
        print("Broken promises")
        for line in total.leaks + total.failures:
            print(f"  - {line}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
