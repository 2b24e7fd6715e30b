"""Counting enforcement actions for reports and exports, with small cells suppressed.

Anything printed for the public hides counts below the threshold (the state uses 6), and
then hides enough other cells that no hidden count can be worked out from a row's or
column's total (complementary suppression, as statistical agencies do it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sro_desk.errors import SroDeskError
from sro_desk.records import enforcement as enf
from sro_desk.records.calendar import parse_school_year, school_year_bounds
from sro_desk.records.district import load_district
from sro_desk.records.settings import school_year_start_month
from sro_desk.store import DataFile

SUPPRESSED = "*"


@dataclass
class CountTable:
    """A table of counts with a total row and column, and which cells are hidden."""

    title: str
    rows: list[str]
    columns: list[str]
    #: counts[r][c]; the last row and last column are the totals
    counts: list[list[int]]
    hidden: set[tuple[int, int]] = field(default_factory=set)

    def cell(self, r: int, c: int) -> str:
        return SUPPRESSED if (r, c) in self.hidden else str(self.counts[r][c])

    def shown(self) -> list[list[str]]:
        return [[self.cell(r, c) for c in range(len(self.columns))] for r in range(len(self.rows))]


def count_table(title: str, row_labels: list[str], column_labels: list[str], counts: list[list[int]]) -> CountTable:
    """Add the 'Total' row and column to a grid of counts."""
    grid = [list(row) + [sum(row)] for row in counts]
    totals = [sum(grid[r][c] for r in range(len(grid))) for c in range(len(column_labels) + 1)]
    return CountTable(title, [*row_labels, "Total"], [*column_labels, "Total"], [*grid, totals])


def suppress(table: CountTable, threshold: int, *, rows: bool = True) -> CountTable:
    """Hide counts from 1 to threshold-1, then hide more until every row and column with a
    hidden cell has at least two, so totals cannot reveal what was hidden. With
    ``rows=False`` only columns are balanced (for a table whose rows have no total)."""
    hidden = {
        (r, c)
        for r, row in enumerate(table.counts)
        for c, value in enumerate(row)
        if 0 < value < threshold
    }
    lines = [[(r, c) for r in range(len(table.rows))] for c in range(len(table.columns))]
    if rows:
        lines += [[(r, c) for c in range(len(table.columns))] for r in range(len(table.rows))]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_here = [cell for cell in line if cell in hidden]
            if len(hidden_here) != 1:
                continue
            candidates = [
                cell for cell in line
                if cell not in hidden and table.counts[cell[0]][cell[1]] > 0
            ]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda cell: table.counts[cell[0]][cell[1]])
            hidden.add(smallest)
            changed = True
    return CountTable(table.title, table.rows, table.columns, table.counts, hidden)


def _months(data_file: DataFile, school_year: str) -> list[tuple[int, int, str]]:
    start, _ = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    months = []
    year, month = start.year, start.month
    for _ in range(12):
        months.append((year, month, date(year, month, 1).strftime("%b %Y")))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return months


def report_tables(data_file: DataFile, school_year: str) -> list[CountTable]:
    """Counts by kind x school, by month x kind, and by each student descriptor x kind."""
    parse_school_year(school_year)
    actions = enf.actions_for(data_file, school_year)
    schools = data_file.query("SELECT id, name FROM school ORDER BY id")
    kinds = [k for k in enf.KINDS if any(a.kind == k for a in actions)] or list(enf.KINDS)[:4]
    labels = [enf.KINDS[k] for k in kinds]
    tables = [
        count_table(
            "Actions by kind and school",
            labels,
            [s["name"] for s in schools],
            [[sum(1 for a in actions if a.kind == k and a.school_id == s["id"]) for s in schools] for k in kinds],
        )
    ]
    months = _months(data_file, school_year)
    tables.append(
        count_table(
            "Actions by month",
            [label for _, _, label in months],
            labels,
            [
                [sum(1 for a in actions if a.kind == k and a.occurred_at[:7] == f"{y:04d}-{m:02d}") for k in kinds]
                for y, m, _ in months
            ],
        )
    )
    descriptors = [
        ("grade", "Grade", {g: g for g in enf.GRADES}),
        ("gender", "Gender", enf.GENDERS),
        ("race_ethnicity", "Race/ethnicity", enf.RACES),
        ("disability", "Disability", enf.DISABILITY),
        ("english_learner", "English learner", {True: "English learner", False: "Not an English learner"}),
        ("econ_disadvantaged", "Economically disadvantaged", {True: "Economically disadvantaged", False: "Not economically disadvantaged"}),
        ("high_needs", "High needs", {True: "High needs", False: "Not high needs"}),
    ]
    for attribute, title, values in descriptors:
        present = [v for v in values if any(getattr(a, attribute) == v for a in actions)]
        unknown = sum(1 for a in actions if getattr(a, attribute) in ("", None))
        rows = [values[v] for v in present] + (["Not recorded"] if unknown else [])
        counts = [[sum(1 for a in actions if getattr(a, attribute) == v and a.kind == k) for k in kinds] for v in present]
        if unknown:
            counts.append([sum(1 for a in actions if getattr(a, attribute) in ("", None) and a.kind == k) for k in kinds])
        tables.append(count_table(f"Actions by {title.lower()}", rows or ["(none)"], labels, counts or [[0] * len(kinds)]))
    return tables


# -- export ----------------------------------------------------------------------------

#: Columns of the per-action export, each documented in the README.
EXPORT_COLUMNS = [
    "action_id", "date", "time", "school_year", "school", "place", "kind", "offense", "statute",
    "warrant", "principal_consulted", "parent_notified", "student_ref", "grade", "age", "gender",
    "race_ethnicity", "disability", "english_learner", "econ_disadvantaged", "high_needs",
    "rule_flags", "acknowledged_flags",
]


def export_year(data_file: DataFile, school_year: str, out: Path) -> tuple[Path, Path]:
    """Write one row per action (codes, no names) and, beside it, the suppressed
    aggregate counts; returns both paths. Refuses a year with no actions."""
    parse_school_year(school_year)
    actions = enf.actions_for(data_file, school_year)
    if not actions:
        raise SroDeskError(f"There are no enforcement entries for {school_year}, so nothing was exported.")
    schools = {r["id"]: r["name"] for r in data_file.query("SELECT id, name FROM school")}
    aggregate = out.with_name(out.stem + "-aggregate" + (out.suffix or ".csv"))

    def yes_no(value) -> str:
        return "" if value is None else ("Y" if value else "N")

    _write_csv(out, [EXPORT_COLUMNS] + [
        [
            a.id, a.occurred_at[:10], a.occurred_at[11:16], a.school_year, schools.get(a.school_id, ""),
            a.place, a.kind, a.offense, a.statute, yes_no(a.warrant), yes_no(a.principal_consulted),
            "Y" if a.parent_notified_at else "N", a.student_ref, a.grade,
            "" if a.age is None else a.age, a.gender, a.race_ethnicity, a.disability,
            yes_no(a.english_learner), yes_no(a.econ_disadvantaged), yes_no(a.high_needs),
            ";".join(a.flags()), ";".join(sorted(a.acknowledged)),
        ]
        for a in actions
    ])
    threshold = enf.suppression_threshold(data_file)
    lines = [["table", "row", "column", "count"]]
    for table in report_tables(data_file, school_year):
        shown = suppress(table, threshold).shown()
        for r, row_label in enumerate(table.rows):
            for c, column_label in enumerate(table.columns):
                lines.append([table.title, row_label, column_label, shown[r][c]])
    _write_csv(aggregate, lines)
    return out, aggregate


def _write_csv(path: Path, lines: list[list]) -> None:
    """Write a CSV under a temporary name, then rename it: never a half-written file."""
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows(lines)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SroDeskError(f"{path.name} could not be written ({exc.strerror or exc}); choose another folder.") from None


# -- the printed report ----------------------------------------------------------------


@dataclass
class PrintableEnforcement:
    """The enforcement report for the review or the school committee (public: suppressed)."""

    district_name: str
    school_year: str
    prepared_on: str
    threshold: int
    #: (school, enrolled, students arrested, share, students referred, share); the last is the district
    headline: list[tuple[str, str, str, str, str, str]]
    tables: list[CountTable]
    #: chart series: label -> 12 monthly values (None where hidden), and the month labels
    months: list[str]
    series: dict[str, list[int | None]]
    #: (rule sentence, entries flagged, acknowledged) — counts, suppressed like the tables
    rule_checks: list[tuple[str, str, str]]
    #: (activity, count)
    activities: list[tuple[str, int]]


def printable_enforcement(data_file: DataFile, school_year: str, *, today: date | None = None) -> PrintableEnforcement:
    today = today or date.today()
    threshold = enf.suppression_threshold(data_file)
    district = load_district(data_file)
    actions = enf.actions_for(data_file, school_year)

    # The headline: schools, then the district as the total of each column.
    measures = enf.headline_measures(data_file, school_year)
    headline_table = suppress(
        CountTable(
            "Students",
            [m.school_name for m in measures],
            ["Arrested", "Referred"],
            [[m.arrested, m.referred] for m in measures],
        ),
        threshold,
        rows=False,
    )
    headline = []
    for r, measure in enumerate(measures):
        arrested, referred = headline_table.cell(r, 0), headline_table.cell(r, 1)
        headline.append((
            measure.school_name,
            "" if measure.enrolled is None else str(measure.enrolled),
            arrested, measure.share(measure.arrested) if arrested != SUPPRESSED else "",
            referred, measure.share(measure.referred) if referred != SUPPRESSED else "",
        ))
    tables = [suppress(t, threshold) for t in report_tables(data_file, school_year)]
    # The chart shows exactly what the month table shows, hidden cells included.
    by_month = next(t for t in tables if t.title == "Actions by month")
    months = by_month.rows[:-1]
    series = {}
    for label, kind in (("Arrests", "arrest"), ("Citations and tickets", "citation"),
                        ("Court referrals", "court_referral")):
        column = enf.KINDS[kind]
        if column in by_month.columns:
            c = by_month.columns.index(column)
            series[label] = [
                None if (r, c) in by_month.hidden else by_month.counts[r][c] for r in range(len(months))
            ]
        else:
            series[label] = [0] * len(months)
    flags = count_table(
        "Rule checks",
        list(enf.RULES.values()),
        ["Flagged", "Acknowledged"],
        [
            [sum(1 for a in actions if rule in a.flags()),
             sum(1 for a in actions if rule in a.flags() and rule in a.acknowledged)]
            for rule in enf.RULES
        ],
    )
    flags = suppress(flags, threshold)
    rule_checks = [
        (flags.rows[r], flags.cell(r, 0), flags.cell(r, 1)) for r in range(len(flags.rows))
    ]
    activities = {}
    for activity in enf.activities_for(data_file, school_year):
        activities[activity.kind] = activities.get(activity.kind, 0) + activity.count
    return PrintableEnforcement(
        district_name=district.name if district else "",
        school_year=school_year,
        prepared_on=f"{today:%B} {today.day}, {today.year}",
        threshold=threshold,
        headline=headline,
        tables=tables,
        months=months,
        series=series,
        rule_checks=rule_checks,
        activities=[(enf.ACTIVITY_KINDS[k], n) for k, n in activities.items()],
    )
