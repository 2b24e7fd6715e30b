"""The speed and memory figures the README quotes, on the demo and on a large district.

    python benchmarks/run.py [--large PATH] [--repeat N] [--scale S]

Without ``--large`` a large district is generated first (benchmarks/generate.py, scale 1:
40 schools, 20 school years, 200,000 enforcement entries...; about a minute). Each file
is measured in a process of its own, so each peak memory figure is that file's alone:
start to first painted window (in a fresh process each time, on the offscreen platform),
each page's first screen, a search, a save with its audit row, the agreement PDF, the
review report, the packet and a backup, as medians over repeated runs, and the SQL
statements a page's opening and a save issue (sqlite3's trace). The table ends with the
targets of issue 12 and whether each is met. Nothing is asserted: the figures are for
people to read, and a test never fails on a time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (what, key, target, unit, at most?) — the targets are those of issue 12.
TARGETS = [
    ("Window ready (start to first paint)", "window", 1000, "ms"),
    ("Slowest page's first screen", "page_worst", 100, "ms"),
    ("Search", "search", 100, "ms"),
    ("Save with its audit row", "save", 50, "ms"),
    ("Agreement PDF", "agreement_pdf", 500, "ms"),
    ("Review report PDF", "review_pdf", 1500, "ms"),
    ("School-committee packet", "packet", 5000, "ms"),
    ("  of which the disclosure audit (one release)", "audit", None, "ms"),
    ("  linear programs the audit solved", "audit_lps", None, "programs"),
    ("Public review PDF (audited)", "public_review_pdf", None, "ms"),
    ("Backup (two checked copies)", "backup", None, "ms"),
    ("Most SQL statements to open a page", "page_sql_worst", 5, "statements"),
    ("SQL statements to save", "save_sql", 4, "statements"),
    ("Peak memory, window open on the file", "window_mb", 300, "MB"),
    ("Peak memory, all of the above in one process", "peak_mb", None, "MB"),
]
WINDOW_SCRIPT = r"""
import os, sys, time
start = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from sro_desk.ui.qt import QApplication, QEvent, QObject
app = QApplication(sys.argv[:1])
from sro_desk.ui.app import make_window

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            import resource
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{(time.perf_counter() - start) * 1000:.1f} {peak:.1f}", flush=True)
            os._exit(0)
        return False

window = make_window(__import__("pathlib").Path(sys.argv[1]))
painted = Painted()
window.centralWidget().installEventFilter(painted)
window.show()
app.exec()
"""


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _window_ms(path: Path, repeat: int) -> tuple[float, float]:
    """Median start-to-first-paint (ms) and the window process's peak memory (MB)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    times, peaks = [], []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", WINDOW_SCRIPT, str(path)], capture_output=True,
                              text=True, env=env, timeout=300)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        if done.returncode != 0 or not lines:
            raise SystemExit(f"the window did not start on {path}: {done.stderr[-2000:]}")
        ms, mb = lines[-1].split()
        times.append(float(ms))
        peaks.append(float(mb))
    return statistics.median(times), max(peaks)


def measure(path: Path, repeat: int) -> dict:
    """Every figure on one file (run in a process of its own)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sro_desk.documents.agreement import build_agreement_pdf
    from sro_desk.documents.packet import build_packet, prepare_packet
    from sro_desk.documents.review import build_review_pdf
    from sro_desk.records import agreements, search
    from sro_desk.records.calendar import previous_school_year
    from sro_desk.records.review import printable_review
    from sro_desk.records.settings import current_school_year, get_setting, set_setting
    from sro_desk.store import DataFile, OpenOptions
    from sro_desk.store.backup import make_backup
    from sro_desk.ui.main_window import MainWindow
    from sro_desk.ui.qt import QApplication

    figures: dict = {"file_mb": round(path.stat().st_size / 1e6, 1)}
    figures["window"], figures["window_mb"] = _window_ms(path, max(3, repeat // 2))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    data_file = DataFile.open(path, OpenOptions(edit=True))
    statements: list[str] = []
    data_file.conn.set_trace_callback(statements.append)
    try:
        this_year = current_school_year(data_file)
        last_year = previous_school_year(this_year)
        # Each page: a new page given the file, shown and painted (its first screen).
        window = MainWindow()
        window.resize(1280, 820)
        pages = {}
        sql = {}
        locks = {}
        for page in window.pages:
            cls = type(page)

            def first_screen(cls=cls):
                fresh = cls()
                fresh.resize(1000, 760)
                fresh.refresh(data_file)
                fresh.set_editable(True)
                fresh.show()
                app.processEvents()
                fresh.repaint()
                fresh.hide()
                fresh.deleteLater()
                app.processEvents()

            first_screen()  # warm: imports, fonts
            pages[page.title] = _median_ms(first_screen, repeat)
            statements.clear()
            first_screen()
            sql[page.title] = sum(1 for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK")))
            locks[page.title] = _locks(statements)
        figures["pages"] = pages
        figures["page_sql"] = sql
        figures["page_locks"] = locks
        figures["page_worst"] = max(pages.values())
        figures["page_sql_worst"] = max(sql.values())
        words = ["principal", "training", "lunch", "de-escalation"]
        search.search(data_file, words[0])
        figures["search"] = statistics.median(
            _median_ms(lambda w=w: search.search(data_file, w), repeat) for w in words)

        def save() -> None:
            current = get_setting(data_file, "benchmark_counter", "0")
            set_setting(data_file, "benchmark_counter", str(int(current) + 1))

        save()
        figures["save"] = _median_ms(save, repeat)
        statements.clear()
        save()
        # The save's own statements: those of its write transaction (reading the counter
        # before it is the benchmark's, not the save's).
        begun = statements.index("BEGIN IMMEDIATE")
        figures["save_sql"] = statements.index("COMMIT", begun) - begun - 1
        listed = agreements.list_agreements(data_file)
        if listed:
            agreement = agreements.printable(data_file, agreements.load_agreement(data_file, listed[0]["id"]))
            figures["agreement_pdf"] = _median_ms(
                lambda: build_agreement_pdf(agreement, io.BytesIO()), max(3, repeat // 2))
        review_year = last_year
        figures["review_pdf"] = _median_ms(
            lambda: build_review_pdf(printable_review(data_file, review_year), io.BytesIO()), max(3, repeat // 2))
        figures["packet"] = _median_ms(
            lambda: build_packet(prepare_packet(data_file, review_year), io.BytesIO()), 3)
        from sro_desk.records.public_figures import year_figures

        figures["audit"] = _median_ms(lambda: year_figures(data_file, review_year), 3)
        figures["audit_lps"] = year_figures(data_file, review_year).release.programs_solved
        figures["public_review_pdf"] = _median_ms(
            lambda: build_review_pdf(printable_review(data_file, review_year, public=True), io.BytesIO()), 3)
        data_file.conn.set_trace_callback(None)
        figures["backup"] = _median_ms(lambda: make_backup(data_file.path), 3)
    finally:
        data_file.close()
    figures["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def _locks(statements: list[str]) -> int:
    """How often the file is locked and its cache checked: once per transaction, and once
    for each statement run outside one (the round trips that cost on a network drive)."""
    count, inside = 0, False
    for statement in statements:
        if statement.startswith("BEGIN"):
            count, inside = count + 1, True
        elif statement.startswith(("COMMIT", "ROLLBACK")):
            inside = False
        elif not inside:
            count += 1
    return count


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if isinstance(value, (int, float)) and value >= 100 else f"{value:.1f}" \
        if isinstance(value, float) else str(value)


def report(results: dict[str, dict]) -> None:
    names = list(results)
    print(f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {date.today().isoformat()}")
    print("Files: " + "; ".join(f"{n} {results[n]['file_mb']} MB" for n in names))
    print()
    header = f"{'measure':48} " + " ".join(f"{n:>12}" for n in names) + f" {'target':>10}  met"
    print(header)
    print("-" * len(header))
    for what, key, target, unit in TARGETS:
        values = [results[n].get(key) for n in names]
        met = "" if target is None else ("yes" if all(v is not None and v <= target for v in values) else "NO")
        shown = " ".join(f"{_cell(v):>12}" for v in values)
        print(f"{what + ' (' + unit + ')':48} {shown} {('≤ ' + str(target)) if target else '':>10}  {met}")
    print()
    print("Each page's first screen (ms), the SQL statements to open it and the times the file is")
    print("locked for them (" + ", ".join(names) + "):")
    for title in results[names[0]]["pages"]:
        row = " ".join(f"{_cell(results[n]['pages'][title]):>8} ms {results[n]['page_sql'][title]:>3} sql "
                       f"{results[n]['page_locks'][title]:>2} locks" for n in names)
        print(f"  {title:30} {row}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=Path, help="a file made by benchmarks/generate.py")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="sro-bench-"))
    env = dict(os.environ, SRO_DESK_HOME=str(folder / "home"), QT_QPA_PLATFORM="offscreen")
    os.environ.update(SRO_DESK_HOME=env["SRO_DESK_HOME"])
    from sro_desk.records.demo import create_demo
    from sro_desk.store import DataFile, OpenOptions

    demo = folder / "demo.db"
    with DataFile.open(demo, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
    large = args.large
    if large is None:
        large = folder / "large.db"
        print(f"Generating the large district (scale {args.scale:g})…", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(large),
                        "--scale", str(args.scale)], check=True, env=env, stdout=subprocess.DEVNULL)
    else:
        copy = folder / "large.db"
        shutil.copy(large, copy)
        large = copy
    results = {}
    for name, path in (("demo", demo), ("large", large)):
        print(f"Measuring the {name} file…", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, __file__, "--measure", str(path), "--repeat", str(args.repeat)],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    report(results)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
