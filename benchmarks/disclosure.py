"""How much a reader with a spreadsheet can work out from the published aggregate files.

Generates small invented districts (``generate.py --scale 0.003`` with several seeds),
exports every school year's aggregate file, and attacks each one with the tests'
independent attacker (``tests/attacker.py``: scipy's linear programming over the printed
tables, their totals and the links between them). Prints, per district, how many counts
are hidden, how many of them the attacker can pin to one value, how many small ones it
can narrow below their protection range (a hidden count below the threshold must be able
to be 0 and the threshold), and the time the protection took.

    python benchmarks/disclosure.py [--seeds 5] [--scale 0.003]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.003)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sro-disclosure-"))
    os.environ["SRO_DESK_HOME"] = str(folder / "home")

    from sro_desk.records.enforcement import suppression_threshold
    from sro_desk.records.enforcement_reports import export_year
    from sro_desk.records.public_figures import year_figures
    from sro_desk.store import DataFile, OpenOptions
    from tests.attacker import hidden_ranges, read_aggregate

    print(f"{'seed':>4} {'years':>5} {'hidden':>7} {'pinned':>7} {'narrowed':>9} {'protect s':>10} {'LPs':>7}")
    totals = [0, 0, 0]
    for seed in range(1, args.seeds + 1):
        path = folder / f"district-{seed}.db"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(path), "--scale",
                        str(args.scale), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ))
        hidden = pinned = narrowed = programs = 0
        seconds = 0.0
        with DataFile.open(path, OpenOptions(edit=False)) as data_file:
            threshold = suppression_threshold(data_file)
            years = [r["school_year"] for r in data_file.query(
                "SELECT DISTINCT school_year FROM enforcement_action ORDER BY 1")]
            for year in years:
                start = time.perf_counter()
                figures = year_figures(data_file, year)
                seconds += time.perf_counter() - start
                programs += figures.release.programs_solved
                _, aggregate = export_year(data_file, year, folder / f"{seed}-{year}.csv")
                truth = {}
                for table in [figures.headline, *figures.tables]:
                    for r, row in enumerate(table.rows):
                        for c, column in enumerate(table.columns):
                            truth[(table.title, row, column)] = figures.release.values[table.keys[r][c]]
                for cell, (lo, hi) in hidden_ranges(read_aggregate(aggregate)).items():
                    hidden += 1
                    pinned += hi - lo < 0.5
                    if truth[cell] < threshold and (lo > 1e-6 or hi < threshold - 1e-6):
                        narrowed += 1
        totals[0] += hidden
        totals[1] += pinned
        totals[2] += narrowed
        print(f"{seed:>4} {len(years):>5} {hidden:>7} {pinned:>7} {narrowed:>9} {seconds:>10.2f} {programs:>7}")
    print(f"all: {totals[0]} hidden counts, {totals[1]} pinned to one value, {totals[2]} small ones narrowed "
          "below their protection range.")
    return 0 if totals[1] == 0 and totals[2] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
