"""Disclosure control: no hidden count can be worked out from a public release."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.records import enforcement as enf
from sro_desk.records.disclosure import NOT_SHOWN, Release, add_grid, quotes_a_count
from sro_desk.records.district import load_district
from sro_desk.records.enforcement_reports import export_year
from sro_desk.records.public_figures import kind_total, year_figures
from tests.attacker import hidden_ranges, read_aggregate

TODAY = date(2026, 11, 22)
YEAR = "2025-2026"


def _grid(counts, threshold=6):
    rows = [list(r) + [sum(r)] for r in counts]
    rows.append([sum(r[c] for r in rows) for c in range(len(rows[0]))])
    release = Release(threshold)
    keys = [[(r, c) for c in range(len(rows[0]))] for r in range(len(rows))]
    table = add_grid(release, "t", [str(r) for r in range(len(rows))], [str(c) for c in range(len(rows[0]))],
                     keys, rows)
    return release, table


def test_a_hidden_count_next_to_printed_zeros_can_no_longer_be_solved():
    """The issue's case: zeros printed made a hidden cell at least 1, and n hidden cells
    adding up to a printed n were each 1. Zeros are now hidden like any small count."""
    release, table = _grid([[1, 0, 0], [0, 7, 9], [0, 8, 12]])
    release.protect()
    assert table.cell(0, 0) == NOT_SHOWN and table.cell(0, 1) == NOT_SHOWN  # the 1 and a zero
    for key, (lo, hi) in release.ranges(release.sensitive).items():
        assert lo <= 0 and hi >= 6, (key, lo, hi)
    assert not release.audit()


def test_the_audit_finds_what_cell_by_cell_hiding_misses():
    release, _ = _grid([[1, 20], [30, 40]])
    release.hidden = {(0, 0)}
    release.sensitive = {(0, 0)}
    release.protected = True
    (exposure,) = release.audit()
    assert exposure.key == (0, 0) and exposure.low == exposure.high == 1  # 21 - 20


def test_a_total_shared_by_two_tables_is_one_count():
    release = Release(6)
    add_grid(release, "a", ["x", "y", "Total"], ["k", "Total"], [[("a", "x"), ("x",)], [("a", "y"), ("y",)],
                                                              [("k",), ("all",)]], [[3, 3], [9, 9], [12, 12]])
    with pytest.raises(ValueError):
        release.add(("k",), 13)  # the same count cannot be 12 in one table and 13 in another


def test_words_that_say_fewer_than_are_part_of_the_audit():
    release = Release(6)
    release.add("flagged", 2)
    release.add("all", 2)
    release.add_at_most("flagged", ["all"])
    release.say_small("flagged", at_least=1)
    release.protect()
    assert release.text("flagged") == "fewer than 6"
    assert release.text("all") == NOT_SHOWN


def test_typed_prose_that_states_a_count_is_recognised():
    assert quotes_a_count("One complaint about the SRO's conduct was substantiated.")
    assert quotes_a_count("3 students were arrested at the high school")
    assert quotes_a_count("There were two arrests in March.")
    assert quotes_a_count("Each arrest was reviewed; two lacked a recorded reason.")  # the demo's own finding
    assert not quotes_a_count("Fourteen presentations and classes.")
    assert not quotes_a_count("The SRO joined safety planning and met families in Spanish.")
    assert not quotes_a_count("Goal met: see the tables.")


def _schools(data_file):
    return [s.id for s in load_district(data_file).schools]


def _check_release(data_file, tmp_path, threshold):
    actions_path, aggregate = export_year(data_file, YEAR, tmp_path / "out.csv")
    with open(actions_path, encoding="utf-8-sig") as handle:
        per_action = list(csv.DictReader(handle))
    tables = read_aggregate(aggregate)
    # Shown counts are true: the kind totals against the per-action export.
    kinds = tables["Actions by kind and school"]
    for kind, label in enf.KINDS.items():
        text = kinds[(label, "Total")]
        if text != NOT_SHOWN:
            assert int(text) == sum(1 for a in per_action if a["kind"] == kind)
    figures = year_figures(data_file, YEAR, today=TODAY)
    # The attacker, reading only the aggregate file, can narrow no small count.
    truth = {}
    for table in [figures.headline, *figures.tables]:
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                truth[(table.title, row, column)] = figures.release.values[table.keys[r][c]]
    for cell, (lo, hi) in hidden_ranges(tables).items():
        value = truth[cell]
        if value < threshold:
            assert lo <= 1e-6, (cell, value, lo, hi)
            assert hi >= threshold - 1e-6, (cell, value, lo, hi)


SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from(sorted(enf.KINDS)), st.integers(1, 11),
                       st.sampled_from(["F", "M", ""]), st.sampled_from(["WH", "HL", "AA", ""]),
                       st.sampled_from(["9", "10", "6", ""]), st.integers(0, 25)),
             max_size=45),
    st.sampled_from([3, 6, 11]),
)
def test_no_hidden_count_in_the_aggregate_file_can_be_worked_out(new_file, tmp_path_factory, rows, threshold):
    from sro_desk.records.demo import sample_district
    from sro_desk.records.district import save_district

    data_file = new_file
    if load_district(data_file) is None:
        save_district(data_file, sample_district())
    data_file.conn.execute("DELETE FROM enforcement_action")
    schools = _schools(data_file)
    months = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    actions = []
    for school, kind, month_index, gender, race, grade, student in rows:
        month = months[month_index % len(months)]
        year = 2025 if month >= 7 else 2026
        actions.append(enf.Action(
            f"{year}-{month:02d}-1{month_index % 9} 10:00", schools[school % len(schools)], "grounds", kind,
            offense="theft", warrant=True, principal_consulted=True, parent_notified_at="2026-01-01 12:00",
            parent_told_before_questioning=True, parent_offered_to_attend=True,
            student_ref=f"S{student}", gender=gender, race_ethnicity=race, grade=grade))
    if not actions:
        return
    enf.save_actions(data_file, actions, today=TODAY)
    enf.set_suppression_threshold(data_file, threshold)
    _check_release(data_file, tmp_path_factory.mktemp("release"), threshold)


def test_the_demo_years_hold_up_to_the_attacker(tmp_path):
    from sro_desk.records.demo import create_demo
    from sro_desk.store import DataFile, OpenOptions

    with DataFile.open(tmp_path / "demo.db", OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=TODAY)
        _check_release(data_file, tmp_path, 6)
        figures = year_figures(data_file, YEAR, today=TODAY)
        # The cases: the year's citations are one count wherever they are printed.
        citations = kind_total(YEAR, "citation")
        printed = {t.title: t.cell(len(t.rows) - 1, t.columns.index(enf.KINDS["citation"]))
                   for t in figures.tables[1:]}
        assert len(set(printed.values())) == 1 and set(printed.values()) == {figures.text(citations)}
        # A rule broken at all is said, its count hidden when small.
        c272 = next(row for row in figures.rule_checks if "c. 272" in row[0])
        assert c272[1].startswith("Yes")


def _attack_complaints(figures) -> dict[str, tuple[float, float, int]]:
    """An attacker's LP (scipy) over the complaint counts as the packet and the review
    print them: each table adds up to its printed total, the community complaints and
    the staff concerns add up to all, the community's findings are within all findings."""
    from scipy.optimize import linprog

    numbers = figures.complaints
    printed = {"all": numbers.all, "community": numbers.community, "concerns": numbers.concerns}
    for prefix, rows in (("kind", numbers.by_category), ("finding", numbers.by_finding),
                         ("about", numbers.by_subject), ("community finding", numbers.community_by_finding)):
        for label, key in rows:
            printed[f"{prefix}: {label}"] = key
    names = list(printed)
    index = {n: i for i, n in enumerate(names)}

    def bound(name):
        text = figures.text(printed[name])
        return (0, None) if text == NOT_SHOWN else (int(text), int(text))

    equal, at_most = [], []

    def row(plus, minus):
        line = [0.0] * len(names)
        for n in plus:
            line[index[n]] += 1
        for n in minus:
            line[index[n]] -= 1
        return line

    for prefix in ("kind", "finding", "about"):
        equal.append(row(["all"], [n for n in names if n.startswith(prefix + ": ")]))
    equal.append(row(["all"], ["community", "concerns"]))
    equal.append(row(["community"], [n for n in names if n.startswith("community finding: ")]))
    community_subjects = [f"about: {label}" for label in ("The SRO", "The SRO program", "Another officer")]
    equal.append(row(["community"], community_subjects))
    for n in names:
        if n.startswith("community finding: "):
            label = n.split(": ", 1)[1]
            at_most.append(row([n], [f"finding: {label}"]))
    ranges = {}
    for n in names:
        if figures.text(printed[n]) != NOT_SHOWN:
            continue
        ends = []
        for sign in (1, -1):
            cost = [0.0] * len(names)
            cost[index[n]] = sign
            result = linprog(cost, A_eq=equal, b_eq=[0] * len(equal), A_ub=at_most or None,
                             b_ub=[0] * len(at_most) or None, bounds=[bound(m) for m in names], method="highs")
            ends.append(float("inf") if result.status == 3 else sign * result.fun)
        ranges[n] = (ends[0], ends[1], figures.release.values[printed[n]])
    return ranges


def test_no_complaint_count_in_the_packet_can_be_worked_out(tmp_path):
    from sro_desk.records.demo import create_demo
    from sro_desk.store import DataFile, OpenOptions

    with DataFile.open(tmp_path / "demo.db", OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=TODAY)
        for year in (YEAR, "2026-2027"):
            figures = year_figures(data_file, year, today=TODAY)
            attacked = _attack_complaints(figures)
            assert attacked  # something is hidden in the demo's complaints
            for name, (lo, hi, value) in attacked.items():
                if value < figures.threshold:  # a small count: as uncertain as its words
                    assert lo <= 1e-6 and hi >= figures.threshold - 1e-6, (year, name, lo, hi)


def test_the_aggregate_file_and_the_printed_report_print_the_same_figures(tmp_path):
    from sro_desk.records.demo import create_demo
    from sro_desk.records.enforcement_reports import printable_enforcement
    from sro_desk.store import DataFile, OpenOptions

    with DataFile.open(tmp_path / "demo.db", OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=TODAY)
        _, aggregate = export_year(data_file, YEAR, tmp_path / "out.csv")
        report = printable_enforcement(data_file, YEAR, today=TODAY)
        again = year_figures(data_file, YEAR, today=TODAY)
    cells = read_aggregate(aggregate)
    for table in report.tables:
        shown = table.shown()
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                assert cells[table.title][(row, column)] == shown[r][c]
    assert again.release.hidden == report.tables[0].release.hidden  # the same release every time
