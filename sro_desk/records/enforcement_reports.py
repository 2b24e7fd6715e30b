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
from typing import NamedTuple

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
    #: distinct students behind each count (None: the counts are students already)
    students: list[list[int]] | None = None

    def cell(self, r: int, c: int) -> str:
        return SUPPRESSED if (r, c) in self.hidden else str(self.counts[r][c])

    def shown(self) -> list[list[str]]:
        return [[self.cell(r, c) for c in range(len(self.columns))] for r in range(len(self.rows))]


def count_table(title: str, row_labels: list[str], column_labels: list[str], counts: list[list[int]]) -> CountTable:
    """Add the 'Total' row and column to a grid of counts."""
    grid = [list(row) + [sum(row)] for row in counts]
    totals = [sum(grid[r][c] for r in range(len(grid))) for c in range(len(column_labels) + 1)]
    return CountTable(title, [*row_labels, "Total"], [*column_labels, "Total"], [*grid, totals])


def suppress(
    table: CountTable,
    threshold: int,
    *,
    rows: bool = True,
    forced: set[tuple[int, int]] = frozenset(),
) -> CountTable:
    """Hide every count that stands for fewer than ``threshold`` students (a count of
    actions by one student is still one student), then hide more until no hidden count
    can be worked out from the totals and the other shown counts.

    With ``rows=False`` only columns have totals (a table whose rows have none).
    ``forced`` cells are hidden too (to keep step with another printed table).
    """
    people = table.students or table.counts
    hidden = {
        (r, c)
        for r, row in enumerate(table.counts)
        for c, value in enumerate(row)
        if value > 0 and people[r][c] < threshold
    } | {cell for cell in forced if table.counts[cell[0]][cell[1]] > 0}
    lines = [[(r, c) for r in range(len(table.rows))] for c in range(len(table.columns))]
    if rows:
        lines += [[(r, c) for c in range(len(table.columns))] for r in range(len(table.rows))]
    for _ in range(len(table.rows) * len(table.columns) + 1):
        lone = next((line for line in lines if sum(cell in hidden for cell in line) == 1), None)
        if lone is not None:
            candidates = [x for x in lone if x not in hidden and table.counts[x[0]][x[1]] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda x: table.counts[x[0]][x[1]]))
                continue
        exposed = next(iter(_worked_out(table, hidden, rows)), None)
        if exposed is None or not _hide_neighbour(table, hidden, exposed, rows):
            break
    return CountTable(table.title, table.rows, table.columns, table.counts, hidden, table.students)


def _hide_neighbour(table: CountTable, hidden: set, cell: tuple[int, int], rows: bool) -> bool:
    """Hide the smallest shown non-zero count in ``cell``'s row (or column) to cover it."""
    r, c = cell
    line_cells = [[(rr, c) for rr in range(len(table.rows))]]
    if rows:
        line_cells.insert(0, [(r, cc) for cc in range(len(table.columns))])
    for line in line_cells:
        candidates = [x for x in line if x not in hidden and table.counts[x[0]][x[1]] > 0]
        if candidates:
            hidden.add(min(candidates, key=lambda x: table.counts[x[0]][x[1]]))
            return True
    shown = [
        (rr, cc) for rr in range(len(table.rows)) for cc in range(len(table.columns))
        if (rr, cc) not in hidden and table.counts[rr][cc] > 0
    ]
    if not shown:
        return False
    hidden.add(min(shown, key=lambda x: table.counts[x[0]][x[1]]))
    return True


def _worked_out(table: CountTable, hidden: set, rows: bool) -> list[tuple[int, int]]:
    """Hidden cells whose value follows exactly from the totals and the shown cells
    (linear algebra over the table's sums: a cell is exposed when its unit vector lies
    in the row space of the sums' equations over the hidden cells)."""
    from fractions import Fraction

    order = sorted(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    last_r, last_c = len(table.rows) - 1, len(table.columns) - 1
    equations = []
    for c in range(last_c + 1):  # each column: its cells add up to its total
        equation = [Fraction(0)] * len(order)
        for r in range(last_r + 1):
            if (r, c) in index:
                equation[index[(r, c)]] += -1 if r == last_r else 1
        equations.append(equation)
    if rows:
        for r in range(last_r + 1):
            equation = [Fraction(0)] * len(order)
            for c in range(last_c + 1):
                if (r, c) in index:
                    equation[index[(r, c)]] += -1 if c == last_c else 1
            equations.append(equation)
    # Reduced row echelon form.
    matrix = [e for e in equations if any(e)]
    pivot_row = 0
    for col in range(len(order)):
        pivot = next((i for i in range(pivot_row, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for i in range(len(matrix)):
            if i != pivot_row and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[pivot_row])]
        pivot_row += 1
    exposed = []
    for row in matrix[:pivot_row]:
        nonzero = [i for i, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            exposed.append(order[nonzero[0]])
    return exposed


def _actions_table(title: str, row_labels: list[str], column_labels: list[str], cells: list[list[list]]) -> CountTable:
    """A count table from the actions in each cell, with totals and the distinct students
    behind every count (each action's student worked out once, totals from the cells)."""
    n_rows, n_cols = len(row_labels), len(column_labels)
    who = [[{enf._student(a) for a in cells[r][c]} for c in range(n_cols)] for r in range(n_rows)]
    counts = [[len(cells[r][c]) for c in range(n_cols)] for r in range(n_rows)]
    students = [[len(who[r][c]) for c in range(n_cols)] for r in range(n_rows)]
    for r in range(n_rows):
        counts[r].append(sum(counts[r]))
        students[r].append(len(set().union(*who[r])))
    column_sets = [set().union(*(who[r][c] for r in range(n_rows))) for c in range(n_cols)]
    counts.append([sum(counts[r][c] for r in range(n_rows)) for c in range(n_cols)]
                  + [sum(counts[r][n_cols] for r in range(n_rows))])
    students.append([len(found) for found in column_sets] + [len(set().union(*column_sets))])
    return CountTable(title, [*row_labels, "Total"], [*column_labels, "Total"], counts, students=students)


def suppressed_tables(data_file: DataFile, school_year: str, threshold: int) -> tuple[list[CountTable], CountTable]:
    """Every report table and the headline (students arrested and referred by school),
    suppressed together: where the headline hides a school's count, the kind-by-school
    table hides the matching cells, and the other way round, so neither can be
    subtracted from the other."""
    tables = report_tables(data_file, school_year)
    by_school = tables[0]
    measures = enf.headline_measures(data_file, school_year)
    headline = CountTable(
        "Students", [m.school_name for m in measures], ["Arrested", "Referred"],
        [[m.arrested, m.referred] for m in measures],
    )
    arrest_row = by_school.rows.index(enf.KINDS["arrest"]) if enf.KINDS["arrest"] in by_school.rows else None
    referral_rows = [i for i, label in enumerate(by_school.rows) if label in {enf.KINDS[k] for k in enf.REFERRAL_KINDS}]
    forced_table: set[tuple[int, int]] = set()
    forced_head: set[tuple[int, int]] = set()
    for _ in range(20):
        table = suppress(by_school, threshold, forced=forced_table)
        head = suppress(headline, threshold, rows=False, forced=forced_head)
        # Headline row s is the table's column s (the district row is the total column).
        want_head = set(forced_head)
        want_table = set(forced_table)
        for s in range(len(headline.rows)):
            if arrest_row is not None and (arrest_row, s) in table.hidden:
                want_head.add((s, 0))
            if any((r, s) in table.hidden for r in referral_rows):
                want_head.add((s, 1))
            if (s, 0) in head.hidden and arrest_row is not None:
                want_table.add((arrest_row, s))
            if (s, 1) in head.hidden:
                want_table.update((r, s) for r in referral_rows)
        if want_head == forced_head and want_table == forced_table:
            break
        forced_head, forced_table = want_head, want_table
    others = [suppress(t, threshold) for t in tables[1:]]
    return [table, *others], head


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


def _grouped(actions: list, key) -> dict:
    """Actions bucketed by ``key(action)``, each bucket in the actions' own order."""
    groups: dict = {}
    for action in actions:
        groups.setdefault(key(action), []).append(action)
    return groups


_UNKNOWN = object()


def _kinds(actions: list) -> list[str]:
    present = {a.kind for a in actions}
    return [k for k in enf.KINDS if k in present] or list(enf.KINDS)[:4]


def _month_table(data_file: DataFile, school_year: str, actions: list, kinds: list[str]) -> CountTable:
    months = _months(data_file, school_year)
    by_month = _grouped(actions, lambda a: (a.kind, a.occurred_at[:7]))
    return _actions_table(
        "Actions by month",
        [label for _, _, label in months],
        [enf.KINDS[k] for k in kinds],
        [[by_month.get((k, f"{y:04d}-{m:02d}"), []) for k in kinds] for y, m, _ in months],
    )


class _Counted(NamedTuple):
    """What the month table needs of an action (reading whole actions of many years for
    the review's charts took most of a second on a large file)."""

    id: int
    kind: str
    occurred_at: str
    student_ref: str | None


def month_table(data_file: DataFile, school_year: str) -> CountTable:
    """The report's "Actions by month" table alone (the same table report_tables holds)."""
    parse_school_year(school_year)
    actions = [_Counted(**row) for row in data_file.query(
        "SELECT id, kind, occurred_at, student_ref FROM enforcement_action WHERE school_year = ? "
        "ORDER BY occurred_at, id", (school_year,))]
    return _month_table(data_file, school_year, actions, _kinds(actions))


def report_tables(data_file: DataFile, school_year: str) -> list[CountTable]:
    """Counts by kind x school, by month x kind, and by each student descriptor x kind.

    Each table buckets the year's actions once (never a pass over every action per cell),
    so a year of ten thousand entries takes a fraction of a second."""
    parse_school_year(school_year)
    actions = enf.actions_for(data_file, school_year)
    schools = data_file.query("SELECT id, name FROM school ORDER BY id")
    kinds = _kinds(actions)
    labels = [enf.KINDS[k] for k in kinds]
    by_school = _grouped(actions, lambda a: (a.kind, a.school_id))
    tables = [
        _actions_table(
            "Actions by kind and school",
            labels,
            [s["name"] for s in schools],
            [[by_school.get((k, s["id"]), []) for s in schools] for k in kinds],
        )
    ]
    tables.append(_month_table(data_file, school_year, actions, kinds))
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

        def value_of(action, attribute=attribute):
            value = getattr(action, attribute)
            return _UNKNOWN if value in ("", None) else value

        groups = _grouped(actions, lambda a, value_of=value_of: (value_of(a), a.kind))
        seen = {value for value, _ in groups}
        present = [v for v in values if v in seen]
        unknown = _UNKNOWN in seen
        rows = [values[v] for v in present] + (["Not recorded"] if unknown else [])
        cells = [[groups.get((v, k), []) for k in kinds] for v in present]
        if unknown:
            cells.append([groups.get((_UNKNOWN, k), []) for k in kinds])
        tables.append(_actions_table(f"Actions by {title.lower()}", rows or ["(none)"], labels,
                                     cells or [[[] for _ in kinds]]))
    return tables


# -- export ----------------------------------------------------------------------------

#: Columns of the per-action export, each documented in the README.
EXPORT_COLUMNS = [
    "action_id", "date", "school_year", "school", "place", "kind", "offense", "statute",
    "warrant", "principal_consulted", "parent_notified", "student_code", "grade", "age", "gender",
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

    # The district's own student references never leave the file: each export gets
    # fresh codes, the same within the file (one student, one code), unrelated across files.
    import secrets

    codes: dict[str, str] = {}
    for a in actions:
        if a.student_ref and a.student_ref not in codes:
            codes[a.student_ref] = "X" + secrets.token_hex(4).upper()

    _write_csv(out, [EXPORT_COLUMNS] + [
        [
            a.id, a.occurred_at[:10], a.school_year, schools.get(a.school_id, ""),
            a.place, a.kind, a.offense, a.statute, yes_no(a.warrant), yes_no(a.principal_consulted),
            "Y" if a.parent_notified_at else "N", codes.get(a.student_ref, ""), a.grade,
            "" if a.age is None else a.age, a.gender, a.race_ethnicity, a.disability,
            yes_no(a.english_learner), yes_no(a.econ_disadvantaged), yes_no(a.high_needs),
            ";".join(a.flags()), ";".join(sorted(a.acknowledged)),
        ]
        for a in actions
    ])
    threshold = enf.suppression_threshold(data_file)
    lines = [["table", "row", "column", "count"]]
    tables, headline = suppressed_tables(data_file, school_year, threshold)
    for table in [headline, *tables]:
        shown = table.shown()
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

    tables, headline_table = suppressed_tables(data_file, school_year, threshold)
    measures = enf.headline_measures(data_file, school_year)
    headline = []
    for r, measure in enumerate(measures):
        arrested, referred = headline_table.cell(r, 0), headline_table.cell(r, 1)
        headline.append((
            measure.school_name,
            "" if measure.enrolled is None else str(measure.enrolled),
            arrested, measure.share(measure.arrested) if arrested != SUPPRESSED else "",
            referred, measure.share(measure.referred) if referred != SUPPRESSED else "",
        ))
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
