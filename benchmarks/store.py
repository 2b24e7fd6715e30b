"""Measure the data file's everyday operations on the demo district; prints figures.

    python benchmarks/store.py [--repeat N]

Opening (with the lease), reading the district, a save with its audit row, a backup
and a check, each as the median of N runs, plus the SQL statements each one issues.
Nothing here is asserted: the figures go in the README and issues.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sro_desk.records.demo import sample_district  # noqa: E402
from sro_desk.records.district import load_district, save_district  # noqa: E402
from sro_desk.store import DataFile, OpenOptions  # noqa: E402
from sro_desk.store.backup import make_backup  # noqa: E402
from sro_desk.store.check import check_file  # noqa: E402


def timed(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    folder = Path(tempfile.mkdtemp(prefix="sro-bench-"))
    os.environ["SRO_DESK_HOME"] = str(folder / "home")
    path = folder / "demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        save_district(data_file, sample_district())

    def open_close():
        DataFile.open(path).close()

    rows = [("open for editing + close", *timed(open_close, repeat)[:1])]
    with DataFile.open(path) as data_file:
        statements: list[str] = []
        data_file.conn.set_trace_callback(statements.append)
        ms, _ = timed(lambda: load_district(data_file), repeat)
        rows.append(("load the district", ms))
        reads = len(statements) // repeat
        statements.clear()
        counter = iter(range(10**6))

        def save():
            district = load_district(data_file)
            district.schools[0].principal_name = f"Principal {next(counter)}"
            save_district(data_file, district)

        ms, _ = timed(save, repeat)
        rows.append(("save one change (with audit)", ms))
        writes = len(statements) // repeat
        data_file.conn.set_trace_callback(None)
    rows.append(("backup (two checked copies)", timed(lambda: make_backup(path), max(3, repeat // 4))[0]))
    rows.append(("check", timed(lambda: check_file(path), max(3, repeat // 4))[0]))
    print(f"SRO Desk store benchmark, demo district, median of {repeat} runs")
    print(f"{'operation':<32} {'ms':>8}")
    for name, ms in rows:
        print(f"{name:<32} {ms:>8.2f}")
    print(f"SQL statements to load the district: {reads}")
    print(f"SQL statements for a save (load, save, reload): {writes}")
    print(f"file size: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
