"""The enforcement export and the printed enforcement report.

Every count either one publishes comes from the year's protected public figures
(``public_figures.year_figures``): small counts hidden, more hidden until no hidden count
can be worked out from everything printed, and the whole year audited as one release.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sro_desk.errors import SroDeskError
from sro_desk.records import enforcement as enf
from sro_desk.records.calendar import parse_school_year
from sro_desk.records.disclosure import NOT_SHOWN, PublicTable
from sro_desk.records.district import load_district
from sro_desk.records.public_figures import DESCRIPTORS, GROUPS, YearFigures, year_figures
from sro_desk.store import DataFile

#: What a hidden count prints as (kept for callers that test a cell).
SUPPRESSED = NOT_SHOWN


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
    from sro_desk.store.outputs import check_output

    parse_school_year(school_year)
    out = check_output(out, what="the export")
    aggregate = check_output(out.with_name(out.stem + "-aggregate" + (out.suffix or ".csv")), what="the export")
    actions = enf.actions_for(data_file, school_year)
    if not actions:
        raise SroDeskError(f"There are no enforcement entries for {school_year}, so nothing was exported.")
    schools = {r["id"]: r["name"] for r in data_file.query("SELECT id, name FROM school")}

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
    figures = year_figures(data_file, school_year)
    lines = [["table", "row", "column", "count"]]
    for table in [figures.headline, *figures.tables]:
        shown = table.shown()
        for r, row_label in enumerate(table.rows):
            for c, column_label in enumerate(table.columns):
                lines.append([table.title, row_label, column_label, shown[r][c]])
    for sentence in figures.omitted:
        title, _, why = sentence.partition(": ")
        lines.append([title, "", "", why])
    for title, note in table_notes(school_year).items():
        lines.append([title, "", "", note])
    for rule, flagged, acknowledged in figures.rule_checks:
        lines.append(["Rule checks", rule, "Broken", flagged])
        lines.append(["Rule checks", rule, "Acknowledged", acknowledged])
    _write_csv(aggregate, lines)
    return out, aggregate


#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell: object) -> object:
    """Typed text that a spreadsheet would run as a formula (a statute typed as
    =HYPERLINK(...)) gets a leading apostrophe, so it opens as the text it is."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _write_csv(path: Path, lines: list[list]) -> None:
    """Write a CSV under a temporary name, then rename it: never a half-written file."""
    from sro_desk.store.outputs import replace_output

    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows([[_inert(cell) for cell in line] for line in lines])
        replace_output(tmp, path, what="the export")
    except (OSError, SroDeskError) as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, SroDeskError):
            raise
        raise SroDeskError(f"{path.name} could not be written ({exc.strerror or exc}); choose another folder.") from None


# -- the printed report ----------------------------------------------------------------


@dataclass
class PrintableEnforcement:
    """The enforcement report for the review or the school committee (always public)."""

    district_name: str
    school_year: str
    prepared_on: str
    threshold: int
    #: (school, enrolled, students arrested, share, students referred, share); the last is the district
    headline: list[tuple[str, str, str, str, str, str]]
    tables: list[PublicTable]
    #: chart series: label -> values by period (None where hidden), and the period labels
    months: list[str]
    series: dict[str, list[int | None]]
    #: (rule sentence, broken: "No" / "Yes, 8" / "Yes, fewer than 6", acknowledged: likewise)
    rule_checks: list[tuple[str, str, str]]
    #: (activity, count)
    activities: list[tuple[str, int]]
    #: sentences printed in place of tables that could not be shown
    omitted: list[str] = field(default_factory=list)
    #: whether any count in the report is hidden
    any_hidden: bool = False
    #: table title -> a note printed under that table
    table_notes: dict[str, str] = field(default_factory=dict)


def table_notes(school_year: str) -> dict[str, str]:
    """Notes on tables of the year: the low-income table of a year before 2021-22, when
    the state still counted "economically disadvantaged" students under another definition."""
    note = enf.low_income_note(school_year)
    if not note:
        return {}
    phrase = next(phrase for attribute, phrase, _ in DESCRIPTORS if attribute == "econ_disadvantaged")
    return {f"Actions by {phrase}": note}


def printable_enforcement(data_file: DataFile, school_year: str, *, today: date | None = None,
                          figures: YearFigures | None = None) -> PrintableEnforcement:
    """The report from the year's protected figures (``figures``: the packet's own, so
    the whole packet is one release)."""
    today = today or date.today()
    parse_school_year(school_year)
    figures = figures or year_figures(data_file, school_year, today=today)
    district = load_district(data_file)
    measures = enf.headline_measures(data_file, school_year)
    table = figures.headline
    headline = []
    for r, measure in enumerate(measures):
        arrested, referred = table.value(r, 0), table.value(r, 1)
        headline.append((
            measure.school_name,
            "" if measure.enrolled is None else str(measure.enrolled),
            table.cell(r, 0), "" if arrested is None else measure.share(arrested),
            table.cell(r, 1), "" if referred is None else measure.share(referred),
        ))
    period = figures.period_table()
    months = period.rows[:-1] if period is not None else []
    series = {}
    for label, kind in (("Arrests", "arrest"), ("Citations and tickets", "citation"),
                        ("Court referrals", "court_referral")):
        series[label] = figures.series(kind) if period is not None else []
    activities: dict[str, int] = {}
    for activity in enf.activities_for(data_file, school_year):
        activities[activity.kind] = activities.get(activity.kind, 0) + activity.count
    return PrintableEnforcement(
        district_name=district.name if district else "",
        school_year=school_year,
        prepared_on=f"{today:%B} {today.day}, {today.year}",
        threshold=figures.threshold,
        headline=headline,
        tables=figures.tables,
        months=months,
        series=series,
        rule_checks=list(figures.rule_checks),
        activities=[(enf.ACTIVITY_KINDS[k], n) for k, n in activities.items()],
        omitted=list(figures.omitted),
        any_hidden=figures.any_hidden(),
        table_notes=table_notes(school_year),
    )


__all__ = ["GROUPS", "SUPPRESSED", "PrintableEnforcement", "export_year", "printable_enforcement"]
