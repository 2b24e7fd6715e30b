"""Measure the lists on a large file: first screen, sort and filter; prints medians.

    python benchmarks/generate.py /tmp/big.db          # once: 200,000 entries
    python benchmarks/lists.py /tmp/big.db [--repeat N]

"First screen" is from a new page being given the file to its model holding the first
50 rows' texts (the page's other reads, such as the headline, included); the model-only
figures leave the page out. The file is opened read-only and nothing is changed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sro_desk.records import complaints  # noqa: E402
from sro_desk.records.calendar import previous_school_year  # noqa: E402
from sro_desk.store import DataFile, OpenOptions  # noqa: E402
from sro_desk.ui.complaints_page import ComplaintsPage, complaints_model  # noqa: E402
from sro_desk.ui.enforcement_form import choose, entries_model  # noqa: E402
from sro_desk.ui.enforcement_page import EnforcementPage  # noqa: E402
from sro_desk.ui.qt import QApplication, Qt  # noqa: E402

FIRST_SCREEN = 50


def first_rows(model) -> None:
    """Read what a first screen shows: 50 rows, every column."""
    for row in range(min(FIRST_SCREEN, model.rowCount())):
        for column in range(model.columnCount()):
            model.index(row, column).data()


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def report(label: str, ms: float) -> None:
    print(f"  {label:<58} {ms:8.1f} ms")


def measure_page(page_class, data_file: DataFile, repeat: int, *, what: str, sorts: tuple[int, ...],
                 filters: dict | None = None) -> None:
    """A new page given the file, given it again, a year switch, ``filters`` and sorts."""
    pages: list = []

    def open_page() -> None:
        page = page_class()
        pages.append(page)
        page.refresh(data_file)
        first_rows(page.model)

    report("first screen: new page, given the file (this year)", median_ms(open_page, repeat))
    page = pages[-1]
    this_year = page.school_year()
    last_year = previous_school_year(this_year)
    print(f"  ({this_year}: {page.model.total():,} {what} shown)")

    def refresh_page() -> None:
        page.refresh(data_file)
        first_rows(page.model)

    report("first screen: the page given the file again", median_ms(refresh_page, repeat))

    def switch_year() -> None:
        choose(page.year, last_year)
        page._show_year()
        first_rows(page.model)

    report(f"filter: switch the page to {last_year}", median_ms(switch_year, repeat))
    print(f"  ({last_year}: {page.model.total():,} {what})")
    for label, action in (filters or {}).items():
        report(f"filter: {label}", median_ms(lambda: (action(page), first_rows(page.model)), repeat))
    measure_sorts(page.model, sorts, repeat, f"{last_year}")
    for page in pages:
        page.deleteLater()


def measure_sorts(model, columns: tuple[int, ...], repeat: int, what: str) -> None:
    """Sort by each column, turning the order each time, to the first screen."""
    for column in columns:
        def sort(column=column) -> None:
            ascending = model.sort_column() != (column, Qt.SortOrder.AscendingOrder)
            model.sort(column, Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder)
            first_rows(model)

        report(f"sort {what} by {model.columns[column].header}", median_ms(sort, repeat))


def measure_model(model, data_file: DataFile, repeat: int, *, what: str, sorts: tuple[int, ...] = ()) -> None:
    """The model alone over every row of the file, no filter."""
    model.set_data_file(data_file)

    def everything() -> None:
        model.set_filters({})
        first_rows(model)

    report(f"model only: all {what}, first screen", median_ms(everything, repeat))
    measure_sorts(model, sorts, repeat, f"all {what}")
    print(f"  (rows read by the model for all {what}: {model.rows_fetched:,})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = args.repeat
    app = QApplication.instance() or QApplication([])  # widgets need one
    data_file = DataFile.open(args.file, OpenOptions(edit=False))
    try:
        counts = data_file.query("SELECT (SELECT count(*) FROM enforcement_action) AS entries, "
                                 "(SELECT count(*) FROM complaint) AS complaints")[0]
        print(f"{args.file}: {counts['entries']:,} enforcement entries, {counts['complaints']:,} complaints; "
              f"medians of {repeat}")
        print("Enforcement entries")
        measure_page(EnforcementPage, data_file, repeat, what="entries", sorts=(0, 1, 2, 8), filters={
            "'Show only flagged entries' on or off": lambda page: page.only_flagged.setChecked(
                not page.only_flagged.isChecked()),
        })
        measure_model(entries_model(), data_file, repeat, what=f"{counts['entries']:,} entries", sorts=(0, 1, 8))
        print("Complaints")
        measure_page(ComplaintsPage, data_file, repeat, what="complaints", sorts=(0, 5, 6, 7))
        late = {c.id: s for c, s in complaints.overdue(data_file)}
        model = complaints_model(late)
        model.set_params(today=time.strftime("%Y-%m-%d"), late=str(sorted(late)))
        measure_model(model, data_file, repeat, what=f"{counts['complaints']:,} complaints", sorts=(0, 5))
    finally:
        data_file.close()
        app.processEvents()  # let the pages go


if __name__ == "__main__":
    main()
