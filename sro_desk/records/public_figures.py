"""A school year's public figures: every count any public document prints, as one release.

The enforcement report, the aggregate export, the public review and the school-committee
packet all print their counts from :func:`year_figures`, so a count printed in two places
(the year's arrests in three tables and the review's metric table; the substantiated
complaints in the complaint statistics and the review) is one quantity, shown or hidden
everywhere alike, and the whole year is audited together (see ``disclosure``).

Tables print every category, zeros included (a zero is a count below the threshold and
is hidden like one). Where hiding leaves too little of a table, it is coarsened (months
into quarters, grades into bands) or replaced by a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sro_desk.records import enforcement as enf
from sro_desk.records.calendar import parse_school_year, previous_school_year, school_year_bounds
from sro_desk.records.disclosure import NOT_SHOWN, Key, PublicTable, Release, add_grid
from sro_desk.records.settings import school_year_start_month
from sro_desk.store import DataFile, one_snapshot

#: The columns of every "Actions by ..." table: the three measures the review charts
#: and the state asks about, and the rest together (so the columns never depend on data).
GROUPS: dict[str, str] = {
    "arrest": enf.KINDS["arrest"],
    "citation": enf.KINDS["citation"],
    "court_referral": enf.KINDS["court_referral"],
    "other": "Other actions",
}
OTHER_KINDS = [k for k in enf.KINDS if k not in GROUPS]

#: Grade bands used when a table by grade would hide too much.
GRADE_BANDS: dict[str, tuple[str, ...]] = {
    "Pre-K to grade 5": ("PK", "K", "1", "2", "3", "4", "5"),
    "Grades 6 to 8": ("6", "7", "8"),
    "Grades 9 to 12": ("9", "10", "11", "12"),
    "Ungraded": ("SP",),
}
#: Share of a table's own cells that must be printed before it is coarsened.
COARSEN_BELOW = 0.25
#: How many earlier years the review compares with.
EARLIER_YEARS = 4

DESCRIPTORS: list[tuple[str, str, dict]] = [
    ("grade", "grade", {g: g for g in enf.GRADES}),
    ("gender", "gender", enf.GENDERS),
    ("race_ethnicity", "race/ethnicity", enf.RACES),
    ("disability", "disability", enf.DISABILITY),
    ("english_learner", "English learner status", {True: "English learner", False: "Not an English learner"}),
    # DESE's "low income" since 2021-22 (stored under its older name; see enf.low_income_note).
    ("econ_disadvantaged", "low-income status", {True: enf.LOW_INCOME, False: "Not low income"}),
    ("high_needs", "high needs", {True: "High needs", False: "Not high needs"}),
]
NOT_RECORDED = "Not recorded"


#: Complaints past their targets today, whatever their year (the compliance status).
OVERDUE: Key = ("complaints", "past their targets")


def kind_total(year: str, kind: str | None) -> Key:
    """The key of a year's count of one kind of action (None: every action)."""
    return ("actions", year, kind, None)


def _group_total(year: str, group: str) -> Key:
    return ("other", year) if group == "other" else kind_total(year, group)


def _group_of(kind: str) -> str:
    return kind if kind in GROUPS else "other"


@dataclass
class ComplaintFigures:
    """The year's complaint counts (no one is ever named): keys into the release."""

    community: Key
    concerns: Key
    all: Key
    by_category: list[tuple[str, Key]]
    by_finding: list[tuple[str, Key]]
    by_subject: list[tuple[str, Key]]
    #: community complaints by finding (the review's rows), "Awaiting a finding" last
    community_by_finding: list[tuple[str, Key]]
    told: Key
    on_time: Key
    open_late: Key
    resolve_days: int
    #: median days to telling the outcome (community), or None
    median_days: float | None


@dataclass
class YearFigures:
    """Every count the year's public documents print, protected as one release."""

    school_year: str
    release: Release
    #: kind-by-school, by month (or quarter), then by each student descriptor
    tables: list[PublicTable]
    #: tables left out, each as the sentence printed instead
    omitted: list[str]
    headline: PublicTable
    #: (rule sentence, flagged text, acknowledged text)
    rule_checks: list[tuple[str, str, str]]
    complaints: ComplaintFigures
    #: earlier school years with actions, oldest first (the review's comparison)
    earlier_years: list[str] = field(default_factory=list)
    coarsened: list[str] = field(default_factory=list)

    @property
    def threshold(self) -> int:
        return self.release.threshold

    def text(self, key: Key) -> str:
        return self.release.text(key)

    def period_table(self) -> PublicTable | None:
        """The table by month (or quarter), or None where it could not be printed."""
        return next((t for t in self.tables if t.title in ("Actions by month", "Actions by quarter")), None)

    def series(self, kind: str) -> list[int | None]:
        """The period table's column for one of the charted kinds (None where hidden)."""
        table = self.period_table()
        if table is None:
            return []
        c = table.columns.index(GROUPS[kind])
        return [table.value(r, c) for r in range(len(table.rows) - 1)]

    def any_hidden(self) -> bool:
        return bool(self.release.hidden)


@one_snapshot
def year_figures(data_file: DataFile, school_year: str, *, today: date | None = None) -> YearFigures:
    """Build and protect the year's release (coarsening tables that would say nothing)."""
    parse_school_year(school_year)
    threshold = enf.suppression_threshold(data_file)
    source = _Source(data_file, school_year, today or date.today())
    # Which tables to coarsen is decided from the small counts alone (no audit needed),
    # then the release is protected once, and once more if a table then says nothing.
    quarters, bands, dropped = False, False, set()
    for _ in range(3 if threshold > 1 else 0):  # a threshold of 1 hides nothing
        release_tables = source.tables(threshold, quarters=quarters, bands=bands, dropped=dropped)
        changed = False
        for table in release_tables[1:]:
            share = _primary_shown_share(table, threshold)
            if share >= COARSEN_BELOW:
                continue
            if table.title.startswith("Actions by month"):
                quarters = changed = True
            elif table.title == "Actions by grade" and not bands:
                bands = changed = True
            elif share == 0 and table.title not in dropped:
                dropped.add(table.title)
                changed = True
        if not changed:
            break
    figures = source.build(threshold, quarters=quarters, bands=bands, dropped=dropped)
    for _ in range(len(DESCRIPTORS) + 1):  # a table left saying nothing becomes a sentence
        empty = {t.title for t in figures.tables[1:] if t.inner_shown_share() == 0}
        if not empty:
            break
        dropped |= empty
        figures = source.build(threshold, quarters=quarters, bands=bands, dropped=dropped)
    return figures


def _primary_shown_share(table: PublicTable, threshold: int) -> float:
    """The share of a table's own cells that are not small (before any complement)."""
    release = table.release
    inner = [table.keys[r][c] for r in range(len(table.rows) - 1) for c in range(len(table.columns) - 1)]
    if not inner:
        return 1.0
    return sum(release.people.get(k, release.values[k]) >= threshold for k in inner) / len(inner)


class _Source:
    """The year's records, read once; ``build`` lays them out as a release."""

    def __init__(self, data_file: DataFile, school_year: str, today: date) -> None:
        from sro_desk.records.complaints import complaints_for, targets

        self.year = school_year
        self.starts = school_year_start_month(data_file)
        self.actions = enf.actions_for(data_file, school_year)
        # Each action's student worked out once (a table counts them for every cell).
        self.student = {id(a): enf._student(a) for a in self.actions}
        self.schools = [(r["id"], r["name"]) for r in data_file.query("SELECT id, name FROM school ORDER BY id")]
        self.measures = enf.headline_measures(data_file, school_year)
        self.complaints = [c for c in complaints_for(data_file, school_year) if not c.voided]
        _, self.resolve_days = targets(data_file)
        self.today = today
        from sro_desk.records.complaints import overdue

        self.overdue = len(overdue(data_file, today=today))
        earlier = [previous_school_year(school_year)]
        while len(earlier) < EARLIER_YEARS:
            earlier.append(previous_school_year(earlier[-1]))
        self.earlier: dict[str, dict[str, int]] = {}
        for year in reversed(earlier):
            rows = data_file.query("SELECT kind, count(*) AS n FROM enforcement_action WHERE school_year = ? "
                                   "GROUP BY kind", (year,))
            if rows:
                self.earlier[year] = {r["kind"]: r["n"] for r in rows}
        previous = previous_school_year(school_year)
        self.previous_substantiated = data_file.query(
            "SELECT count(*) AS n FROM complaint WHERE school_year = ? AND track = 'community' "
            "AND finding = 'substantiated' AND coalesce(voided, 0) = 0", (previous,))[0]["n"]

    # -- layout ----------------------------------------------------------------------------

    def tables(self, threshold: int, *, quarters: bool, bands: bool, dropped: set[str]) -> list[PublicTable]:
        """The count tables alone, unprotected (to choose how coarse to print them)."""
        return self._tables(Release(threshold), quarters, bands, dropped)[0]

    def build(self, threshold: int, *, quarters: bool, bands: bool, dropped: set[str]) -> YearFigures:
        release = Release(threshold)
        year = self.year
        tables, omitted = self._tables(release, quarters, bands, dropped)
        headline = self._headline(release)
        rule_keys = self._rule_checks(release)
        complaints = self._complaints(release)
        # Earlier years' totals (the review's comparison and last year's metrics) stand
        # alone here: their own tables are not part of this release.
        for earlier_year in {*self.earlier, previous_school_year(year)}:
            kinds = self.earlier.get(earlier_year, {})
            for kind in enf.KINDS:
                release.add(kind_total(earlier_year, kind), kinds.get(kind, 0))
        release.add(("complaints", previous_school_year(year), "finding", "substantiated", "community"),
                    self.previous_substantiated)
        # The compliance status's line on complaints past their targets (any year).
        release.add(OVERDUE, self.overdue)
        release.show_zero(OVERDUE)
        release.say_small(OVERDUE, at_least=1)
        release.protect()
        rule_checks = [(sentence, yes_no(release, f), yes_no(release, a)) for sentence, f, a in rule_keys]
        return YearFigures(year, release, tables, omitted, headline, rule_checks, complaints,
                           earlier_years=list(self.earlier),
                           coarsened=[t for t, on in (("months into quarters", quarters),
                                                      ("grades into bands", bands)) if on])

    def _tables(self, release: Release, quarters: bool, bands: bool,
                dropped: set[str]) -> tuple[list[PublicTable], list[str]]:
        tables = [self._kind_by_school(release)]
        omitted: list[str] = []
        period = self._period_table(release, quarters)
        if period.title in dropped:
            omitted.append(f"{period.title}: not shown, because too few actions were recorded to "
                           "show them by date without risk of identifying a student.")
        else:
            tables.append(period)
        for attribute, phrase, values in DESCRIPTORS:
            label = f"Actions by {phrase}"
            if label in dropped:
                omitted.append(f"{label}: not shown, because too few actions were recorded to show them "
                               f"by {phrase} without risk of identifying a student.")
                continue
            if attribute == "grade" and bands:
                values = {band: band for band in GRADE_BANDS}
                tables.append(self._descriptor_table(release, attribute, label, values, bands=True))
            else:
                tables.append(self._descriptor_table(release, attribute, label, values))
        return tables, omitted

    def _kind_by_school(self, release: Release) -> PublicTable:
        year = self.year
        kinds = list(enf.KINDS)
        cells = {}
        for a in self.actions:
            cells.setdefault((a.kind, a.school_id), []).append(a)
        grid = [[cells.get((k, s), []) for s, _ in self.schools] for k in kinds]
        keys = ([[("actions", year, k, s) for s, _ in self.schools] + [kind_total(year, k)] for k in kinds]
                + [[("actions", year, None, s) for s, _ in self.schools] + [kind_total(year, None)]])
        table = _grid(release, "Actions by kind and school", [enf.KINDS[k] for k in kinds],
                      [name for _, name in self.schools], keys, grid, self.student)
        # "Other actions", the column printed in the other tables, is these kinds together.
        others = [a for a in self.actions if a.kind in OTHER_KINDS]
        release.add(("other", year), len(others), people=len({self.student[id(a)] for a in others}))
        release.add_sum(("other", year), [kind_total(year, k) for k in OTHER_KINDS])
        return table

    def _period_table(self, release: Release, quarters: bool) -> PublicTable:
        year = self.year
        start, _ = school_year_bounds(year, starts_month=self.starts)
        months = []
        y, m = start.year, start.month
        for _ in range(12):
            months.append((y, m))
            m += 1
            if m > 12:
                y, m = y + 1, 1
        if quarters:
            periods = [(f"{date(*months[q * 3], 1):%b}\u2013{date(*months[q * 3 + 2], 1):%b %Y}",
                        {f"{yy:04d}-{mm:02d}" for yy, mm in months[q * 3:q * 3 + 3]}) for q in range(4)]
            title = "Actions by quarter"
        else:
            periods = [(f"{date(yy, mm, 1):%b %Y}", {f"{yy:04d}-{mm:02d}"}) for yy, mm in months]
            title = "Actions by month"
        by_period = {}
        for a in self.actions:
            by_period.setdefault((a.occurred_at[:7], _group_of(a.kind)), []).append(a)
        grid = [[[a for month in months_in for a in by_period.get((month, g), [])] for g in GROUPS]
                for _, months_in in periods]
        keys = ([[("period", year, title, label, g) for g in GROUPS] + [("period", year, title, label, None)]
                 for label, _ in periods]
                + [[_group_total(year, g) for g in GROUPS] + [kind_total(year, None)]])
        return _grid(release, title, [label for label, _ in periods], list(GROUPS.values()), keys, grid,
                     self.student)

    def _descriptor_table(self, release: Release, attribute: str, title: str, values: dict,
                          *, bands: bool = False) -> PublicTable:
        year = self.year

        def category(action):
            value = getattr(action, attribute)
            if value in ("", None):
                return NOT_RECORDED
            if bands:
                return next((band for band, grades in GRADE_BANDS.items() if value in grades), NOT_RECORDED)
            return value

        by_value = {}
        for a in self.actions:
            by_value.setdefault((category(a), _group_of(a.kind)), []).append(a)
        categories = [*values, NOT_RECORDED]
        labels = [*values.values(), NOT_RECORDED]
        grid = [[by_value.get((v, g), []) for g in GROUPS] for v in categories]
        keys = ([[("by", year, title, str(v), g) for g in GROUPS] + [("by", year, title, str(v), None)]
                 for v in categories]
                + [[_group_total(year, g) for g in GROUPS] + [kind_total(year, None)]])
        return _grid(release, title, labels, list(GROUPS.values()), keys, grid, self.student)

    def _headline(self, release: Release) -> PublicTable:
        year = self.year
        rows, keys, counts = [], [], []
        for m in self.measures:
            place = m.school_id
            rows.append(m.school_name)
            keys.append([("students", year, "arrested", place), ("students", year, "referred", place)])
            counts.append([m.arrested, m.referred])
        for key_row, count_row in zip(keys, counts):
            for key, value in zip(key_row, count_row):
                release.add(key, value)
        district = keys[-1]
        schools = keys[:-1]
        for key_row, (school_id, _) in zip(schools, self.schools):
            release.add_at_most(key_row[0], [("actions", year, "arrest", school_id)])
            release.add_at_most(key_row[1], [("actions", year, k, school_id) for k in enf.REFERRAL_KINDS])
            release.add_at_most(key_row[0], [district[0]])
        if schools:
            release.add_at_most(district[0], [row[0] for row in schools])
            release.add_at_most(district[1], [row[1] for row in schools])
        release.add_at_most(district[0], [kind_total(year, "arrest")])
        release.add_at_most(district[1], [kind_total(year, k) for k in enf.REFERRAL_KINDS])
        return PublicTable("Students", rows, ["Arrested", "Referred"], keys, release)

    def _rule_checks(self, release: Release) -> list[tuple[str, Key, Key]]:
        year = self.year
        keys = []
        for rule, sentence in enf.RULES.items():
            flagged = [a for a in self.actions if rule in a.flags()]
            acknowledged = [a for a in flagged if rule in a.acknowledged]
            flag_key, ack_key = ("flag", year, rule), ("acknowledged", year, rule)
            release.add(flag_key, len(flagged), people=len({self.student[id(a)] for a in flagged}))
            release.add(ack_key, len(acknowledged), people=len({self.student[id(a)] for a in acknowledged}))
            for key in (flag_key, ack_key):
                release.show_zero(key)
                release.say_small(key, at_least=1)
            release.add_at_most(ack_key, [flag_key])
            release.add_at_most(flag_key, [kind_total(year, None)])
            keys.append((sentence, flag_key, ack_key))
        return keys

    def _complaints(self, release: Release) -> ComplaintFigures:
        from statistics import median

        from sro_desk.records.complaints import CATEGORIES, FINDINGS, SUBJECTS, TRACK_SUBJECTS

        year = self.year
        counted = self.complaints
        community = [c for c in counted if c.track == "community"]
        keys = {name: ("complaints", year, name) for name in ("community", "concerns", "all")}
        release.add(keys["community"], len(community))
        release.add(keys["concerns"], len(counted) - len(community))
        release.add(keys["all"], len(counted))
        release.add_sum(keys["all"], [keys["community"], keys["concerns"]])

        def partition(name: str, labels: dict, attribute: str, people) -> list[tuple[str, Key]]:
            found = []
            for value, label in [*labels.items(), ("", "Awaiting a finding")] if attribute == "finding" \
                    else labels.items():
                key = ("complaints", year, name, value)
                release.add(key, sum(1 for c in people if getattr(c, attribute) == value))
                found.append((label, key))
            return found

        by_category = partition("category", CATEGORIES, "category", counted)
        release.add_sum(keys["all"], [k for _, k in by_category])
        by_finding = partition("finding", FINDINGS, "finding", counted)
        release.add_sum(keys["all"], [k for _, k in by_finding])
        by_subject = partition("subject", SUBJECTS, "subject", counted)
        release.add_sum(keys["all"], [k for _, k in by_subject])
        release.add_sum(keys["community"], [("complaints", year, "subject", s) for s in SUBJECTS
                                            if s in TRACK_SUBJECTS["community"]])
        community_by_finding = []
        for value, label in [*FINDINGS.items(), ("", "Awaiting a finding")]:
            key = ("complaints", year, "finding", value or "awaiting", "community")
            release.add(key, sum(1 for c in community if c.finding == value))
            release.add_at_most(key, [("complaints", year, "finding", value)])
            community_by_finding.append((label, key))
        release.add_sum(keys["community"], [k for _, k in community_by_finding])
        told = [c for c in community if c.communicated_on]
        days = [(date.fromisoformat(c.communicated_on) - date.fromisoformat(c.received_on)).days for c in told]
        open_late = [c for c in community if not c.communicated_on
                     and (self.today - date.fromisoformat(c.received_on)).days > self.resolve_days]
        told_key, on_time_key, late_key = (("complaints", year, name) for name in ("told", "on_time", "open_late"))
        release.add(told_key, len(told))
        release.add(on_time_key, sum(1 for d in days if d <= self.resolve_days))
        release.add(late_key, len(open_late))
        release.add_at_most(on_time_key, [told_key])
        release.add_at_most(told_key, [keys["community"]])
        release.add_at_most(late_key, [keys["community"]])
        return ComplaintFigures(
            community=keys["community"], concerns=keys["concerns"], all=keys["all"],
            by_category=by_category, by_finding=by_finding, by_subject=by_subject,
            community_by_finding=community_by_finding, told=told_key, on_time=on_time_key,
            open_late=late_key, resolve_days=self.resolve_days,
            median_days=median(days) if days else None,
        )


def yes_no(release: Release, key: Key) -> str:
    """'No', 'Yes, 8', 'Yes, fewer than 6' or 'Yes, hidden': whether a rule was broken at
    all is always printed; how often only when it cannot identify a student."""
    if release.values[key] == 0:
        return "No"
    return f"Yes, {release.text(key)}"


def _grid(release: Release, title: str, row_labels: list[str], column_labels: list[str],
          keys: list[list[Key]], grid: list[list[list]], student: dict[int, str]) -> PublicTable:
    """A table of action counts with its totals, and the students behind every count."""

    def _people(actions) -> int:
        return len({student[id(a)] for a in actions})

    n_rows, n_cols = len(grid), len(grid[0])
    counts, people = [], []
    for r in range(n_rows):
        row_actions = [a for c in range(n_cols) for a in grid[r][c]]
        counts.append([len(grid[r][c]) for c in range(n_cols)] + [len(row_actions)])
        people.append([_people(grid[r][c]) for c in range(n_cols)] + [_people(row_actions)])
    columns = [[a for r in range(n_rows) for a in grid[r][c]] for c in range(n_cols)]
    everything = [a for column in columns for a in column]
    counts.append([len(col) for col in columns] + [len(everything)])
    people.append([_people(col) for col in columns] + [_people(everything)])
    return add_grid(release, title, [*row_labels, "Total"], [*column_labels, "Total"], keys, counts, people)


__all__ = ["GROUPS", "NOT_SHOWN", "ComplaintFigures", "YearFigures", "kind_total", "year_figures", "yes_no"]
