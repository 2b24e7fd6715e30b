"""The enforcement rules and measures against the current law and DESE's definitions:
the reach of G.L. c. 272, §§ 40, 53 (buildings, grounds, school-related events; not the
daily bus), what the two published measures count, and DESE's "low income"."""

from __future__ import annotations

import csv
import itertools
from datetime import date

import pytest

from sro_desk.records import enforcement as enf
from sro_desk.records import listing
from sro_desk.records.district import load_district
from sro_desk.records.enforcement import Action
from sro_desk.records.enforcement_reports import export_year, printable_enforcement, table_notes
from sro_desk.records.public_figures import year_figures

TODAY = date(2026, 11, 22)


@pytest.fixture
def schools(demo_file):
    return [s.id for s in load_district(demo_file).schools]


def _action(school_id=1, **changes) -> Action:
    base = dict(occurred_at="2026-02-10 10:00", school_id=school_id, place="grounds", kind="citation",
                offense="disorderly", principal_consulted=True)
    return Action(**{**base, **changes})


# -- c. 272: where it reaches --------------------------------------------------------------


@pytest.mark.parametrize(("place", "flagged"), [
    ("building", True),
    ("grounds", True),  # school grounds, outside any building
    ("event", True),  # a school-related event away from school
    ("event_transport", True),  # the bus to a school-related event is part of the event
    ("transport", False),  # the daily bus: c. 272 § 40 names no school transportation
    ("off_campus", False),  # away from school, not at a school event
])
def test_c272_reaches_buildings_grounds_and_school_related_events(place, flagged):
    for offense in sorted(enf.SCHOOL_SHIELDED):
        action = _action(place=place, offense=offense)
        assert ("c272_in_school" in action.flags()) is flagged, (place, offense)


def test_c272_is_about_its_two_offenses_and_enforcement_only():
    assert "c272_in_school" not in _action(offense="assault").flags()
    assert "c272_in_school" not in _action(offense="").flags()
    for kind in ("diversion", "search", "reported", "probation_referral"):  # nothing enforced
        assert "c272_in_school" not in _action(kind=kind).flags(), kind
    for kind in sorted(enf.ENFORCEMENT_KINDS):
        assert "c272_in_school" in _action(kind=kind).flags(), kind


def test_the_daily_bus_says_why_it_is_not_flagged():
    bus = _action(place="transport")
    assert "c272_in_school" not in bus.flags()
    assert enf.rule_notes(bus) == [enf.TRANSPORT_NOTE]
    assert "not school transportation" in enf.TRANSPORT_NOTE and "school-related event" in enf.TRANSPORT_NOTE
    for place in ("building", "event_transport", "off_campus"):
        assert enf.rule_notes(_action(place=place)) == []
    assert enf.rule_notes(_action(place="transport", offense="theft")) == []
    assert enf.rule_notes(_action(place="transport", kind="diversion")) == []


def test_the_c272_sentence_says_what_the_law_says_and_cites_it():
    sentence = enf.RULES["c272_in_school"]
    assert "G.L. c. 272, §§ 40, 53" in sentence
    for place in ("school building", "school grounds", "school-related event"):
        assert place in sentence
    assert "adjudged delinquent" in sentence and "does not bar the arrest" in sentence
    assert "§ 53's amended text was not read" in sentence
    assert "inside a school" not in sentence and "does not allow" not in sentence
    assert enf.STATUTE_RULES == {"c272_in_school"}


def test_the_list_sql_flags_every_place_and_kind_as_the_rule_does(demo_file, schools):
    """The Flags column and the open-flag counts (records.listing) mirror rule_flags."""
    actions = [
        _action(schools[0], place=place, kind=kind, offense=offense, warrant=True,
                parent_notified_at="2026-02-10 15:00", parent_told_before_questioning=True,
                parent_offered_to_attend=True)
        for place, kind, offense in itertools.product(enf.PLACES, enf.KINDS, ("disorderly", "theft"))
    ]
    enf.save_actions(demo_file, actions, today=TODAY)
    rules = listing.flag_sql()
    select = ", ".join(f"{sql} AS [{rule}]" for rule, sql in rules.items())
    rows = demo_file.query(f"SELECT *, {select} FROM enforcement_action")
    assert len(rows) == len(actions)
    for row in rows:
        action = listing.action_of(row)
        assert [rule for rule in rules if row[rule]] == action.flags(), (row["place"], row["kind"])
    flagged = sum(1 for row in rows if row["c272_in_school"])
    assert flagged == len(enf.C272_PLACES) * len(enf.ENFORCEMENT_KINDS)


def test_every_place_and_kind_is_accepted(demo_file, schools):
    for place in enf.PLACES:
        enf.save_action(demo_file, _action(schools[0], place=place, kind="reported"), today=TODAY)
    assert {a.place for a in enf.actions_for(demo_file, "2025-2026")} == set(enf.PLACES)


# -- the two measures DESE publishes ---------------------------------------------------------


def test_a_report_to_the_police_is_a_referral_even_with_no_action(demo_file, schools):
    high = schools[0]
    enf.save_actions(demo_file, [
        _action(high, kind="reported", student_ref="R"),
        _action(high, kind="search", student_ref="S"),  # not a referral
        _action(high, kind="diversion", student_ref="D"),  # nor this
    ], today=TODAY)
    measures = {m.school_id: m for m in enf.headline_measures(demo_file, "2025-2026")}
    assert (measures[high].arrested, measures[high].referred) == (0, 1)
    assert (measures[None].arrested, measures[None].referred) == (0, 1)
    assert "reported" in enf.REFERRAL_KINDS and "reported" not in enf.ENFORCEMENT_KINDS
    assert enf.KINDS["reported"] == "Reported to police, no action taken"


def test_protective_custody_is_a_referral_and_an_arrest_still_beats_it(demo_file, schools):
    high, middle = schools[0], schools[1]
    enf.save_actions(demo_file, [
        _action(high, kind="custody", parent_notified_at="2026-02-10 15:00", student_ref="C"),
        _action(high, kind="custody", parent_notified_at="2026-02-10 15:00", student_ref="A"),
        _action(high, kind="arrest", warrant=True, parent_notified_at="2026-02-10 15:00", student_ref="A"),
        _action(middle, kind="custody", parent_notified_at="2026-02-10 15:00"),
    ], today=TODAY)
    measures = {m.school_id: m for m in enf.headline_measures(demo_file, "2025-2026")}
    assert (measures[high].arrested, measures[high].referred) == (1, 1)  # A arrested; C referred
    assert (measures[middle].arrested, measures[middle].referred) == (0, 1)
    assert (measures[None].arrested, measures[None].referred) == (1, 2)
    assert "custody" in enf.REFERRAL_KINDS and enf.KINDS["custody"] == "Protective custody, no arrest"


def test_the_published_measures_agree_with_the_protected_headline(demo_file, schools):
    enf.save_actions(demo_file, [
        _action(schools[0], kind="reported", student_ref=f"R{n}") for n in range(7)
    ] + [
        _action(schools[0], kind="custody", parent_notified_at="2026-02-10 15:00", student_ref=f"C{n}")
        for n in range(6)
    ], today=TODAY)
    figures = year_figures(demo_file, "2025-2026", today=TODAY)
    assert figures.release.values[("students", "2025-2026", "referred", schools[0])] == 13
    assert not figures.release.audit()


def test_the_measures_note_names_every_kind_of_referral():
    note = enf.MEASURES_NOTE.lower()
    for words in ("citation", "summons", "court referral", "delinquency petition", "protective custody",
                  "whether or not they acted", "school safety and discipline report"):
        assert words in note, words


# -- "Low income" ----------------------------------------------------------------------------


def test_low_income_is_the_label_and_earlier_years_are_noted(demo_file, schools, tmp_path):
    enf.save_actions(demo_file, [
        _action(schools[n % 2], kind=["citation", "reported"][n % 3 % 2], econ_disadvantaged=n % 2 == 0,
                grade="9", gender="F", race_ethnicity="WH", disability="none", student_ref=f"L{n}")
        for n in range(60)
    ], today=TODAY)
    figures = year_figures(demo_file, "2025-2026", today=TODAY)
    table = next(t for t in figures.tables if t.title == "Actions by low-income status")
    assert table.rows[:2] == ["Low income", "Not low income"]
    assert not any("conomically" in t.title or any("conomically" in r for r in t.rows) for t in figures.tables)
    assert table_notes("2025-2026") == {} and enf.low_income_note("2021-2022") == ""
    assert printable_enforcement(demo_file, "2025-2026", today=TODAY, figures=figures).table_notes == {}
    _, aggregate = export_year(demo_file, "2025-2026", tmp_path / "out.csv")
    with open(aggregate, encoding="utf-8-sig") as handle:
        cells = list(csv.DictReader(handle))
    assert any(c["row"] == "Low income" for c in cells)
    assert not any("economically disadvantaged" in c["count"] for c in cells)


def test_a_year_before_2021_22_notes_the_changed_definition(demo_file, schools, tmp_path):
    enf.save_actions(demo_file, [
        _action(schools[0], occurred_at="2021-03-10 10:00", kind="citation", econ_disadvantaged=True)
    ], today=TODAY)
    note = enf.low_income_note("2020-2021")
    assert "economically disadvantaged" in note and "new" in note and "not like for like" in note
    assert table_notes("2020-2021") == {"Actions by low-income status": note}
    report = printable_enforcement(demo_file, "2020-2021", today=TODAY)
    assert report.table_notes == {"Actions by low-income status": note}
    _, aggregate = export_year(demo_file, "2020-2021", tmp_path / "old.csv")
    with open(aggregate, encoding="utf-8-sig") as handle:
        cells = list(csv.DictReader(handle))
    assert {"table": "Actions by low-income status", "row": "", "column": "", "count": note} in cells


def test_a_date_whose_school_year_is_not_kept_is_refused_with_a_sentence(tmp_path):
    """January 1980 belongs to 1979-1980, which no report could print (the hostile battery
    saved one, then failed to print its year)."""
    import pytest as _pytest

    from sro_desk.errors import ValidationError
    from sro_desk.records import enforcement as enf
    from sro_desk.records.demo import sample_district
    from sro_desk.records.district import load_district, save_district
    from sro_desk.store import DataFile, OpenOptions

    with DataFile.open(tmp_path / "f.db", OpenOptions(create=True)) as data_file:
        save_district(data_file, sample_district())
        school = load_district(data_file).schools[0].id
        with _pytest.raises(ValidationError, match="1979-1980 is outside the school years"):
            enf.save_activity(data_file, enf.Activity("1980-01-01", "community", 1, school, ""),
                              today=date(2026, 12, 8))
        assert enf.save_activity(data_file, enf.Activity("1980-07-01", "community", 1, school, ""),
                                 today=date(2026, 12, 8))
