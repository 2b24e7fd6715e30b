"""Selection: the rules of the decision, the summary's figures."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records import officers, selection
from sro_desk.records.district import load_district
from sro_desk.records.selection import Decision, Disclosure, InputRecord, Score


@pytest.fixture
def chosen(demo_file):
    district = load_district(demo_file)
    ids = [
        officers.save_officer(demo_file, officers.Officer(name, "Officer", district.departments[0].id, years))
        for name, years in (("Ana Cruz", 12), ("Ben Ode", 3))
    ]
    round_id = selection.open_round(
        demo_file, school_year="2026-2027", title="High school SRO", opened_on="2026-04-01",
        school_id=district.schools[0].id, officer_ids=ids,
    )
    return selection.load_round(demo_file, round_id)


def _reload(data_file, chosen):
    return selection.load_round(data_file, chosen.id)


def _hear_everyone(data_file, chosen):
    criterion = chosen.criteria[0].id
    plan = {"principal": (5, 3), "teacher": (4, 3), "parent": (3, 4), "student": (4, 2)}
    for group, (ana, ben) in plan.items():
        scores = [Score(chosen.candidates[0].id, criterion, ana), Score(chosen.candidates[1].id, criterion, ben)]
        selection.save_input(data_file, chosen, InputRecord(None, group, "2026-04-20", scores=scores))
    return _reload(data_file, chosen)


def test_a_round_has_the_standard_criteria(chosen):
    keys = [c.key for c in chosen.criteria]
    assert keys[:4] == list(selection.PREFERENCES) and keys[4:] == list(selection.FACTORS)
    assert len(chosen.candidates) == 2 and chosen.school_name
    assert chosen.missing_groups() == ["principal", "teacher", "parent", "student"]


def test_seniority_alone_is_refused(demo_file, chosen):
    chosen = _hear_everyone(demo_file, chosen)
    ana = chosen.candidates[0].officer.id
    with pytest.raises(ValidationError) as caught:
        selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", ["seniority"]))
    assert "seniority alone" in caught.value.message
    with pytest.raises(ValidationError):
        selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", []))
    selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", ["seniority", "youth_experience"]))
    decided = _reload(demo_file, chosen)
    assert decided.decided and decided.status == "decided"
    assert decided.decision.reasons == ["seniority", "youth_experience"]
    assert officers.load_officer(demo_file, ana).assigned_sro


def test_assigning_an_officer_recommended_against_needs_the_chiefs_explanation(demo_file, chosen):
    chosen = _hear_everyone(demo_file, chosen)
    ben = chosen.candidates[1].officer.id
    with pytest.raises(ValidationError):
        selection.recommend_against(demo_file, chosen, ben, "")
    selection.recommend_against(demo_file, chosen, ben, "Not yet through the basic course.")
    chosen = _reload(demo_file, chosen)
    decision = Decision(ben, "2026-05-01", ["teaching"])
    with pytest.raises(ValidationError) as caught:
        selection.decide(demo_file, chosen, decision)
    assert "must explain" in caught.value.message
    decision.chief_explanation = "He finishes the course in June, before the year starts."
    selection.decide(demo_file, chosen, decision)
    assert _reload(demo_file, chosen).decision.chief_explanation.startswith("He finishes")


def test_missing_groups_need_a_reason(demo_file, chosen):
    ana = chosen.candidates[0].officer.id
    with pytest.raises(ValidationError) as caught:
        selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", ["judgment"]))
    assert "principals, teachers, parents and guardians, students" in caught.value.message
    selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", ["judgment"], "The post opened mid-year."))


def test_other_reason_needs_words_and_a_decided_round_is_frozen(demo_file, chosen):
    chosen = _hear_everyone(demo_file, chosen)
    ana = chosen.candidates[0].officer.id
    with pytest.raises(ValidationError):
        selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", ["other"]))
    selection.decide(demo_file, chosen, Decision(ana, "2026-05-01", ["other"], "Speaks Portuguese and Cape Verdean Creole."))
    decided = _reload(demo_file, chosen)
    with pytest.raises(SroDeskError):
        selection.decide(demo_file, decided, Decision(ana, "2026-05-02", ["judgment"]))
    with pytest.raises(SroDeskError):
        selection.save_input(demo_file, decided, InputRecord(None, "community", "2026-05-03"))


def test_the_summary_averages_by_criterion_and_group(demo_file, chosen):
    criterion = chosen.criteria[0].id
    ana, ben = (c.id for c in chosen.candidates)
    for value in (5, 4, 4):
        selection.save_input(demo_file, chosen, InputRecord(
            None, "parent", "2026-04-21", scores=[Score(ana, criterion, value), Score(ben, None, None, "Kind to kids")]))
    selection.save_input(demo_file, chosen, InputRecord(None, "student", "2026-04-22", scores=[Score(ana, criterion, 2)]))
    summaries = {s.candidate.id: s for s in selection.summarize(demo_file, _reload(demo_file, chosen), today=date(2026, 5, 1))}
    assert summaries[ana].scores[criterion] == {"parent": (4.33, 3), "student": (2, 1)}
    assert summaries[ana].overall == {"parent": 4.33, "student": 2}
    assert summaries[ben].comments == [("parent", "Kind to kids"), ("parent", "Kind to kids"), ("parent", "Kind to kids")]
    assert summaries[ben].overall == {}


def test_scores_and_inputs_are_checked(demo_file, chosen):
    ana = chosen.candidates[0].id
    for record, words in (
        (InputRecord(None, "aliens", "2026-04-20"), "which group"),
        (InputRecord(None, "parent", "April 20"), "like 2026-05-14"),
        (InputRecord(None, "parent", "2026-04-20", scores=[Score(ana, chosen.criteria[0].id, 7)]), "1 (poor) to 5"),
        (InputRecord(None, "parent", "2026-04-20", scores=[Score(999, chosen.criteria[0].id, 3)]), "not a candidate"),
    ):
        with pytest.raises(ValidationError) as caught:
            selection.save_input(demo_file, chosen, record)
        assert words in caught.value.message
    assert demo_file.query("SELECT count(*) AS n FROM selection_input")[0]["n"] == 0


def test_correcting_an_input_replaces_its_scores(demo_file, chosen):
    criterion = chosen.criteria[0].id
    ana = chosen.candidates[0].id
    input_id = selection.save_input(demo_file, chosen, InputRecord(None, "teacher", "2026-04-20", scores=[Score(ana, criterion, 2)]))
    record = next(i for i in _reload(demo_file, chosen).inputs if i.id == input_id)
    record.scores = [Score(ana, criterion, 5)]
    selection.save_input(demo_file, _reload(demo_file, chosen), record)
    assert [s.score for s in _reload(demo_file, chosen).inputs[0].scores] == [5]


def test_disclosures_and_district_criteria(demo_file, chosen):
    with pytest.raises(ValidationError):
        selection.save_disclosure(demo_file, chosen, Disclosure(None, chosen.candidates[0].id, " "))
    selection.save_disclosure(demo_file, chosen, Disclosure(None, chosen.candidates[0].id, "Parent of a grade 9 student"))
    selection.add_criterion(demo_file, chosen, "Speaks Spanish")
    chosen = _reload(demo_file, chosen)
    assert chosen.disclosures[0].relationship == "Parent of a grade 9 student"
    assert chosen.criteria[-1].label == "Speaks Spanish" and chosen.criteria[-1].kind == "district"
    with pytest.raises(ValidationError):
        selection.add_criterion(demo_file, chosen, "speaks spanish")


def test_printables_for_the_summary_and_the_form(demo_file, chosen):
    chosen = _hear_everyone(demo_file, chosen)
    summary = selection.printable_selection(demo_file, chosen, today=date(2026, 5, 1))
    assert summary.groups == ["Principals", "Teachers", "Parents and guardians", "Students"]
    assert summary.candidates[0].score_rows[0][1]["Principals"] == "5 (1)"
    assert summary.missing_groups == [] and summary.decision is None
    form = selection.printable_input_form(demo_file, "student", selection=chosen)
    assert form.candidates == ["Ana Cruz", "Ben Ode"] and len(form.criteria) == 14
    assert form.text["language"] == "en"
    generic = selection.printable_input_form(None, "parent")
    assert generic.candidates == [] and generic.district_name == ""
    with pytest.raises(SroDeskError) as caught:
        selection.printable_input_form(None, "parent", language="xx")
    assert "languages there are: en" in caught.value.message


def test_the_demo_has_a_finished_round_with_three_candidates(new_file):
    from sro_desk.records.demo import create_demo

    create_demo(new_file, today=date(2026, 11, 22))
    rounds = selection.list_rounds(new_file)
    assert len(rounds) == 1 and rounds[0]["status"] == "decided"
    chosen = selection.load_round(new_file, rounds[0]["id"])
    assert len(chosen.candidates) == 3 and chosen.missing_groups() == []
    assert chosen.disclosures and chosen.against_officer_id is not None
    assert "seniority" in chosen.decision.reasons and len(chosen.decision.reasons) > 1


def test_a_stale_copy_cannot_add_input_to_a_decided_round(demo_file, chosen):
    stale = chosen
    fresh = _hear_everyone(demo_file, chosen)
    selection.decide(demo_file, fresh, Decision(fresh.candidates[0].officer.id, "2026-05-01", ["judgment"]))
    with pytest.raises(SroDeskError):
        selection.save_input(demo_file, stale, InputRecord(None, "community", "2026-05-02"))
    assert len(_reload(demo_file, chosen).inputs) == 4
