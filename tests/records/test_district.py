"""The district: validation sentences, saving lists, signatories, hostile text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.errors import ConflictError, ValidationError
from sro_desk.records.demo import create_demo, sample_district
from sro_desk.records.district import (
    District,
    PoliceDepartment,
    School,
    load_district,
    save_district,
    validate,
)
from sro_desk.store import DataFile, OpenOptions


def _minimal(**changes) -> District:
    district = District(
        name="Harbor Town Public Schools",
        kind="public",
        superintendent_name="Pat Reyes",
        schools=[School("Harbor Town High School")],
        departments=[PoliceDepartment("Harbor Town Police Department", chief_name="Lee Chan")],
    )
    return replace(district, **changes)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "   "}, "name", "Enter the district's name."),
        ({"name": "x" * 201}, "name", "too long"),
        ({"kind": "county"}, "kind", "Choose whether"),
        ({"schools": []}, "schools", "at least one school"),
        ({"schools": [School("")]}, "schools", "School 1 has no name"),
        ({"schools": [School("A"), School("a ")]}, "schools", "Two schools are named"),
        ({"departments": []}, "departments", "police department that assigns"),
        ({"departments": [PoliceDepartment("PD")]}, "departments", "chief of PD"),
        (
            {"departments": [PoliceDepartment("PD", chief_name="A"), PoliceDepartment("pd", chief_name="B")]},
            "departments",
            "listed twice",
        ),
        ({"superintendent_name": ""}, "superintendent_name", "superintendent's name"),
        ({"kind": "charter", "superintendent_name": ""}, "superintendent_name", "head of school's name"),
    ],
)
def test_validation_names_the_first_thing_to_fix(changes, field, words):
    with pytest.raises(ValidationError) as caught:
        validate(_minimal(**changes))
    assert caught.value.field == field
    assert words in caught.value.message
    assert caught.value.message.endswith(".")


def test_validation_trims_spaces():
    tidy = validate(_minimal(name="  Harbor Town  ", schools=[School(" High ", " 9-12 ")]))
    assert tidy.name == "Harbor Town"
    assert tidy.schools[0].name == "High" and tidy.schools[0].grades == "9-12"


def test_signatories_for_a_regional_district():
    people = sample_district().signatories()
    assert [p.title for p in people] == ["Superintendent", "Chief of Police", "Chief of Police"]
    assert people[1].organisation == "Ashby Falls Police Department"


def test_a_charter_school_is_signed_by_its_head():
    charter = _minimal(kind="charter")
    assert charter.signatories()[0].title == "Head of School"


def test_save_and_load_round_trip(new_file):
    saved = save_district(new_file, sample_district())
    loaded = load_district(new_file)
    assert loaded == saved
    assert [s.name for s in loaded.schools] == [s.name for s in sample_district().schools]
    assert all(s.version == 1 for s in loaded.schools)


def test_editing_lists_adds_updates_and_removes(demo_file):
    district = load_district(demo_file)
    district.schools[0].principal_name = "New Principal"
    del district.schools[3]
    district.schools.append(School("Ashby Falls Early Learning Center", "PK"))
    saved = save_district(demo_file, district)
    assert [s.name for s in saved.schools][-1] == "Ashby Falls Early Learning Center"
    assert saved.schools[0].principal_name == "New Principal"
    assert saved.schools[0].version == 2
    assert "Millbrook Elementary School" not in [s.name for s in saved.schools]
    actions = {r["action"] for r in demo_file.query("SELECT action FROM audit_log WHERE table_name = 'school'")}
    assert actions == {"insert", "update", "delete"}


def test_a_second_district_in_one_file_is_refused(demo_file):
    with pytest.raises(ValidationError):
        save_district(demo_file, _minimal())


def test_a_stale_district_save_changes_nothing(demo_file):
    mine = load_district(demo_file)
    theirs = load_district(demo_file)
    theirs.schools[0].principal_name = "Theirs"
    save_district(demo_file, theirs)
    mine.name = "Mine"
    mine.schools[0].principal_name = "Mine"
    with pytest.raises(ConflictError):
        save_district(demo_file, mine)
    now = load_district(demo_file)
    assert now.name == "Granite Valley Regional School District"
    assert now.schools[0].principal_name == "Theirs"


def test_demo_refuses_a_file_that_already_holds_a_district(demo_file):
    with pytest.raises(Exception) as caught:
        create_demo(demo_file)
    assert "already holds a district" in str(caught.value)


hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text, school=hostile_text, chief=hostile_text)
def test_hostile_text_round_trips_exactly(tmp_path_factory, name, school, chief):
    path = tmp_path_factory.mktemp("hostile") / "d.db"
    district = _minimal(
        name=name[:200],
        schools=[School(school[:200], principal_name="<b>&amp;</b> \u202eevil")],
        departments=[PoliceDepartment("PD", chief_name=chief[:200])],
        superintendent_name="<img src='http://x/y.png'/> 🚓",
    )
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        saved = save_district(data_file, district)
    with DataFile.open(path, OpenOptions(edit=False)) as data_file:
        loaded = load_district(data_file)
    tidy = validate(district)
    assert loaded.name == tidy.name
    assert loaded.schools[0].name == tidy.schools[0].name
    assert loaded.schools[0].principal_name == "<b>&amp;</b> \u202eevil"
    assert loaded.departments[0].chief_name == tidy.departments[0].chief_name
    assert loaded.superintendent_name == "<img src='http://x/y.png'/> 🚓"
    assert saved == loaded


def test_a_school_someone_else_added_is_not_removed_by_an_older_copy(demo_file):
    mine = load_district(demo_file)
    theirs = load_district(demo_file)
    theirs.schools.append(School("Granite Valley Alternative Program", "9-12"))
    save_district(demo_file, theirs)
    mine.superintendent_name = "Dr. M. Santos"
    save_district(demo_file, mine)
    names = [s.name for s in load_district(demo_file).schools]
    assert "Granite Valley Alternative Program" in names


def test_removing_a_school_someone_else_changed_is_a_conflict(demo_file):
    mine = load_district(demo_file)
    theirs = load_district(demo_file)
    theirs.schools[3].principal_name = "New Principal"
    save_district(demo_file, theirs)
    del mine.schools[3]
    with pytest.raises(ConflictError):
        save_district(demo_file, mine)
    assert load_district(demo_file).schools[3].principal_name == "New Principal"


def test_removing_a_department_that_officers_belong_to_is_refused_in_a_sentence(demo_file):
    from sro_desk.records.officers import Officer, save_officer

    district = load_district(demo_file)
    save_officer(demo_file, Officer("Kim Park", department_id=district.departments[1].id))
    district.departments = district.departments[:1]
    with pytest.raises(ValidationError) as caught:
        save_district(demo_file, district)
    assert "still used by other records" in caught.value.message
    assert len(load_district(demo_file).departments) == 2
