"""Enforcement data: every rule check, suppression that totals cannot undo, the export."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records import enforcement as enf
from sro_desk.records.district import load_district
from sro_desk.records.enforcement import Action
from sro_desk.records.disclosure import NOT_SHOWN
from sro_desk.records.enforcement_reports import export_year, printable_enforcement
from sro_desk.records.public_figures import year_figures

SUPPRESSED = NOT_SHOWN

TODAY = date(2026, 11, 22)


@pytest.fixture
def schools(demo_file):
    return [s.id for s in load_district(demo_file).schools]


def _action(school_id, **changes) -> Action:
    base = dict(occurred_at="2026-02-10 10:00", school_id=school_id, place="grounds", kind="citation",
                offense="theft", principal_consulted=True)
    return Action(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        (dict(kind="arrest", place="building", offense="disorderly", warrant=True, parent_notified_at="x"), "c272_in_school"),
        (dict(kind="citation", place="building", offense="disturbing_assembly"), "c272_in_school"),
        (dict(kind="arrest", warrant=False, last_resort_reason="", parent_notified_at="x"), "arrest_last_resort"),
        (dict(kind="summons", principal_consulted=False), "principal_not_consulted"),
        (dict(kind="custody", parent_notified_at=""), "parent_not_notified"),
        (dict(kind="questioning", parent_told_before_questioning=True), "questioning_without_notice"),
    ],
)
def test_each_rule_is_flagged(changes, rule):
    assert rule in _action(1, **changes).flags()


@pytest.mark.parametrize(
    "changes",
    [
        dict(kind="citation", place="transport", offense="disorderly"),  # the daily bus: c. 272 names no buses
        dict(kind="diversion", place="building", offense="disorderly"),  # not enforcement
        dict(kind="arrest", warrant=True, parent_notified_at="2026-02-10 15:00"),
        dict(kind="arrest", last_resort_reason="Weapon drawn.", parent_notified_at="2026-02-10 15:00"),
        dict(kind="summons", principal_consulted=False, principal_reason="Principal was off site."),
        dict(kind="questioning", parent_told_before_questioning=True, parent_offered_to_attend=True),
        dict(kind="search", principal_consulted=None),
    ],
)
def test_lawful_entries_are_not_flagged(changes):
    assert _action(1, **changes).flags() == []


def test_a_flag_is_acknowledged_never_hidden(demo_file, schools):
    action_id = enf.save_action(demo_file, _action(schools[0], kind="custody"), today=TODAY)
    action = enf.actions_for(demo_file, "2025-2026")[0]
    assert action.id == action_id and action.open_flags() == ["parent_not_notified"]
    with pytest.raises(ValidationError):
        enf.acknowledge(demo_file, action, "parent_not_notified", "ok")
    enf.acknowledge(demo_file, action, "parent_not_notified", "Parent was away; the guardian was told next morning.")
    action = enf.actions_for(demo_file, "2025-2026")[0]
    assert action.flags() == ["parent_not_notified"] and action.open_flags() == []
    assert [a.id for a in enf.flagged(demo_file, "2025-2026")] == [action_id]


def test_entries_are_checked_and_never_hold_names(demo_file, schools):
    for changes, words in (
        (dict(occurred_at="yesterday"), "like 2026-10-15 13:40"),
        (dict(occurred_at="2099-01-01 10:00"), "future"),
        (dict(kind="detention"), "kind of action"),
        (dict(race_ethnicity="Martian"), "seven groups"),
        (dict(age=40), "from 3 to 22"),
        (dict(student_ref="Jonathan Alexander Pierce-Montgomery the Third"), "never a name"),
    ):
        with pytest.raises(ValidationError) as caught:
            enf.save_action(demo_file, _action(schools[0], **changes), today=TODAY)
        assert words in caught.value.message
    columns = {c.lower() for c in demo_file.db["enforcement_action"].columns_dict}
    assert not any("name" in c or "immigra" in c for c in columns)


def test_headline_counts_students_once_and_arrest_beats_referral(demo_file, schools):
    high, middle = schools[0], schools[1]
    enf.set_enrolment(demo_file, high, "2025-2026", 800)
    enf.set_enrolment(demo_file, middle, "2025-2026", 400)
    enf.save_actions(demo_file, [
        _action(high, kind="arrest", warrant=True, parent_notified_at="2026-02-10 15:00", student_ref="A"),
        _action(high, kind="citation", student_ref="A"),  # arrested too: not a non-arrest referral
        _action(high, kind="citation", student_ref="B"),
        _action(high, kind="court_referral", student_ref="B"),  # same student twice
        _action(middle, kind="summons"),  # no reference: counts as its own student
        _action(middle, kind="search"),  # not a referral
    ], today=TODAY)
    measures = {m.school_name: m for m in enf.headline_measures(demo_file, "2025-2026")}
    high_m = measures[load_district(demo_file).schools[0].name]
    assert (high_m.arrested, high_m.referred) == (1, 1)
    assert high_m.share(high_m.arrested) == "0.1%"
    district = measures["District"]
    assert (district.enrolled, district.arrested, district.referred) == (None, 1, 2)
    assert district.share(1) == ""  # two schools have no enrolment: no district share
    for school_id in schools[2:]:
        enf.set_enrolment(demo_file, school_id, "2025-2026", 300)
    district = {m.school_name: m for m in enf.headline_measures(demo_file, "2025-2026")}["District"]
    assert district.enrolled == 1800 and district.share(district.referred) == "0.1%"


def test_one_student_with_many_actions_is_still_one_student(demo_file, schools):
    actions = [_action(schools[0], occurred_at=f"2026-02-1{d} 10:00", kind="search", student_ref="S1",
                       grade="8", gender="N", race_ethnicity="NH", disability="iep") for d in range(6)]
    enf.save_actions(demo_file, actions, today=TODAY)
    figures = year_figures(demo_file, "2025-2026", today=TODAY)
    key = ("actions", "2025-2026", "search", schools[0])
    assert figures.release.values[key] == 6 and figures.release.people[key] == 1
    assert figures.text(key) == SUPPRESSED


def test_export_writes_codes_not_names_and_a_suppressed_aggregate(demo_file, schools, tmp_path):
    enf.save_actions(demo_file, [
        _action(schools[0], kind="citation", grade="10", gender="F", race_ethnicity="HL", student_ref="S1"),
        _action(schools[0], kind="custody", grade="11", gender="M", race_ethnicity="WH"),
    ], today=TODAY)
    actions, aggregate = export_year(demo_file, "2025-2026", tmp_path / "out.csv")
    with open(actions, encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == 2
    assert {"grade", "gender", "race_ethnicity"} <= set(lines[0])
    assert lines[0]["race_ethnicity"] == "HL" and lines[0]["gender"] == "F" and lines[0]["grade"] == "10"
    assert lines[1]["rule_flags"] == "parent_not_notified"
    with open(aggregate, encoding="utf-8-sig") as handle:
        cells = list(csv.DictReader(handle))
    small = [c for c in cells if c["table"] == "Actions by kind and school" and c["row"] == "Citation or ticket"]
    assert any(c["count"] == SUPPRESSED for c in small)
    with pytest.raises(SroDeskError):
        export_year(demo_file, "2019-2020", tmp_path / "none.csv")


def test_report_tables_and_chart_series(demo_file, schools):
    actions = [_action(schools[0], occurred_at=f"2025-10-{d:02d} 10:00", kind="citation") for d in range(1, 9)]
    actions += [_action(schools[0], occurred_at=f"2026-03-0{d} 10:00", kind="arrest", warrant=True,
                        parent_notified_at="2026-03-03 16:00") for d in range(1, 7)]
    enf.save_actions(demo_file, actions, today=TODAY)
    figures = year_figures(demo_file, "2025-2026", today=TODAY)
    by_period = figures.period_table()
    report = printable_enforcement(demo_file, "2025-2026", today=TODAY, figures=figures)
    if by_period is None:  # too few to show by date: a sentence, never an empty chart
        assert report.months == [] and any("by date" in sentence for sentence in report.omitted)
        return
    column = by_period.columns.index("Citation or ticket")
    row = 3 if by_period.title == "Actions by month" else 1  # Oct 2025, or Sep-Nov 2025
    assert by_period.rows[row].startswith(("Oct 2025", "Sep\u2013Nov 2025"))
    assert figures.release.values[by_period.keys[row][column]] >= 8
    report = printable_enforcement(demo_file, "2025-2026", today=TODAY, figures=figures)
    assert report.months == by_period.rows[:-1]
    for r in range(len(report.months)):
        assert report.series["Citations and tickets"][r] == by_period.value(r, column)
    assert report.headline[-1][0] == "District"


def test_the_chart_and_headline_never_reveal_what_the_tables_hide(demo_file, schools):
    """A chart or headline that hid only its own small numbers could be subtracted from
    a total shown elsewhere; they hide exactly what the suppressed tables hide."""
    actions = [_action(schools[0], occurred_at=f"2025-11-{d:02d} 09:00", kind="citation", student_ref=f"N{d}")
               for d in range(1, 9)]
    actions.append(_action(schools[1], occurred_at="2025-12-04 11:00", kind="citation", student_ref="D1"))
    enf.save_actions(demo_file, actions, today=TODAY)
    report = printable_enforcement(demo_file, "2025-2026", today=TODAY)
    by_month = next((t for t in report.tables if t.title in ("Actions by month", "Actions by quarter")), None)
    if by_month is None:
        assert report.months == []
        return
    column = by_month.columns.index("Citation or ticket")
    for month, value in enumerate(report.series["Citations and tickets"]):
        shown = by_month.cell(month, column)
        assert (value is None) == (shown == SUPPRESSED)
    referred = [row[4] for row in report.headline]
    assert referred.count(SUPPRESSED) != 1  # never a lone hidden count beside a district total


def test_activity_and_settings(demo_file, schools):
    enf.save_activity(demo_file, enf.Activity("2026-03-01", "presentation", 3, schools[0]), today=TODAY)
    assert enf.activities_for(demo_file, "2025-2026")[0].count == 3
    with pytest.raises(ValidationError):
        enf.save_activity(demo_file, enf.Activity("2026-03-01", "karaoke", 1), today=TODAY)
    enf.set_suppression_threshold(demo_file, 11)
    assert enf.suppression_threshold(demo_file) == 11
    with pytest.raises(ValidationError):
        enf.set_suppression_threshold(demo_file, 0)
    enf.set_enrolment(demo_file, schools[0], "2025-2026", 700)
    enf.set_enrolment(demo_file, schools[0], "2025-2026", 720)
    assert enf.enrolment(demo_file, "2025-2026") == {schools[0]: 720}


def test_the_demo_has_a_year_that_trips_every_rule(new_file):
    from sro_desk.records.demo import create_demo

    create_demo(new_file, today=TODAY)
    flags = {rule for a in enf.flagged(new_file, "2025-2026") for rule in a.flags()}
    assert flags == set(enf.RULES)
    assert any(a.acknowledged for a in enf.flagged(new_file, "2025-2026"))
    assert len(enf.actions_for(new_file, "2025-2026")) > 40


def test_the_headline_and_the_school_table_cannot_be_subtracted(demo_file, schools):
    """A reviewer's case: arrests 2, 9, 8, 20 at four schools; the headline and the table
    once hid different cells, so 39 - 9 - 8 - 20 gave the hidden 2 away."""
    actions = []
    for school, arrests, citations in zip(schools, (2, 9, 8, 20), (10, 3, 10, 10)):
        for n in range(arrests):
            actions.append(_action(school, kind="arrest", warrant=True, parent_notified_at="2026-02-10 15:00",
                                   student_ref=f"A{school}-{n}"))
        for n in range(citations):
            actions.append(_action(school, kind="citation", student_ref=f"C{school}-{n}"))
    enf.save_actions(demo_file, actions, today=TODAY)
    figures = year_figures(demo_file, "2025-2026", today=TODAY)
    release = figures.release
    assert not release.audit()  # every hidden small count can still be 0 and 6
    two = ("actions", "2025-2026", "arrest", schools[0])
    assert release.values[two] == 2 and not release.is_shown(two)
    (low, high), = release.ranges([two]).values()
    assert low <= 0 and high >= 6
    students = ("students", "2025-2026", "arrested", schools[0])
    assert not release.is_shown(students)


def test_the_export_never_carries_the_districts_own_student_references(demo_file, schools, tmp_path):
    enf.save_actions(demo_file, [
        _action(schools[0], kind="citation", student_ref="SASID-1029384756"),
        _action(schools[0], kind="summons", student_ref="SASID-1029384756"),
    ], today=TODAY)
    actions, _ = export_year(demo_file, "2025-2026", tmp_path / "out.csv")
    text = actions.read_text(encoding="utf-8-sig")
    assert "SASID" not in text
    with open(actions, encoding="utf-8-sig") as handle:
        codes = {row["student_code"] for row in csv.DictReader(handle)}
    assert len(codes) == 1 and next(iter(codes)).startswith("X")


def test_the_export_opens_typed_formulas_as_text(demo_file, schools, tmp_path):
    """A statute typed as a formula must not run when the export is opened in Excel."""
    enf.save_actions(demo_file, [
        _action(schools[0], kind="citation", statute='=HYPERLINK("http://x.example/","c. 272")'),
        _action(schools[0], kind="citation", statute="@SUM(1+1)"),
        _action(schools[0], kind="citation", statute="-1+cmd|' /C calc'!A0"),
    ], today=TODAY)
    actions, _ = export_year(demo_file, "2025-2026", tmp_path / "out.csv")
    with open(actions, encoding="utf-8-sig") as handle:
        statutes = [row["statute"] for row in csv.DictReader(handle) if row["statute"]]
    assert statutes and all(s.startswith("'") for s in statutes), statutes
    assert "'=HYPERLINK(\"http://x.example/\",\"c. 272\")" in statutes
