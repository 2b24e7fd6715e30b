"""Training topics: G.L. c. 6, § 116H's in-service topics (the statute sets no frequency)
kept apart from the topics required every year, which are the agreement's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import sro_desk
from sro_desk.records import agreements, officers, training
from sro_desk.records.training import TrainingEntry

#: Topic keys stored before § 116H's topics were added: entries naming them stay valid.
KEYS_FROM_BEFORE = ("child_development", "conflict_resolution", "diversion", "de_escalation", "mptc",
                    "restorative_practices", "implicit_bias", "cultural_competency", "mental_health",
                    "behavior_supports", "restraint", "dating_violence", "civil_rights", "special_education",
                    "student_privacy", "bullying", "cyber_safety", "emergency_management", "threat_assessment", "sel")


def test_the_statutes_topics_are_listed_in_its_order():
    assert list(training.STATUTE_TOPICS) == [
        "juvenile_standards", "child_development", "de_escalation", "conflict_resolution", "diversion",
        "hate_crimes", "anti_bias", "bullying", "school_partnership"]
    assert training.STATUTE_TOPICS["bullying"] == "Bullying and cyberbullying"
    assert "behavioural addictions" in training.STATUTE_TOPIC_NOTES["child_development"]
    assert "victim communities" in training.STATUTE_TOPICS["school_partnership"]


def test_every_stored_key_still_works(demo_file):
    known = training.all_topics(demo_file)
    assert set(KEYS_FROM_BEFORE) <= set(known)
    assert set(training.STATUTE_TOPICS) <= set(known)
    assert list(known)[:4] == list(training.REQUIRED_TOPICS)  # the yearly ones first
    officer = officers.save_officer(demo_file, officers.Officer("Marcus Bell", assigned_sro=True))
    training.save_entry(demo_file, TrainingEntry(officer, "2026-10-01", "Old topics", 4, topics=list(KEYS_FROM_BEFORE)),
                        today=date(2026, 11, 22))
    training.save_entry(demo_file, TrainingEntry(officer, "2026-10-02", "New topics", 4,
                                                 topics=["hate_crimes", "juvenile_standards"]),
                        today=date(2026, 11, 22))
    assert len(training.entries_for(demo_file, officer, "2026-2027")) == 2


def test_marks_say_whose_each_topic_is():
    assert training.topic_marks("diversion") == ["required yearly by the agreement", "§ 116H"]
    assert training.topic_marks("hate_crimes") == ["§ 116H"]
    assert training.topic_marks("restorative_practices") == []


def _signed(data_file, *, leave_out_topics: bool = False) -> int:
    agreement_id = agreements.new_from_library(data_file, school_year="2025-2026")
    agreement = agreements.load_agreement(data_file, agreement_id)
    if leave_out_topics:
        clause = next(c for c in agreement.clauses if c.key == training.YEARLY_TOPICS_CLAUSE)
        agreements.edit_clause(data_file, agreement, clause.id, included=False)
        agreement = agreements.load_agreement(data_file, agreement_id)
    agreements.record_signing(data_file, agreement, {s.id: "2025-08-15" for s in agreement.signatures})
    return agreement_id


def test_the_yearly_topics_are_the_agreements(demo_file):
    agreement_id = _signed(demo_file)
    requirement = training.requirement_for(demo_file, "2026-2027")
    assert requirement.topics == list(training.REQUIRED_TOPICS) and requirement.agreement_id == agreement_id
    assert requirement.source.endswith("and names the topics required every year.")


def test_an_agreement_that_leaves_the_clause_out_requires_no_topic(demo_file):
    _signed(demo_file, leave_out_topics=True)
    requirement = training.requirement_for(demo_file, "2026-2027")
    assert requirement.topics == []
    assert "its clause on yearly topics is left out, so no topic is required every year" in requirement.source
    officer = officers.save_officer(demo_file, officers.Officer("Marcus Bell", assigned_sro=True))
    training.save_entry(demo_file, TrainingEntry(officer, "2026-10-01", "Twelve hours", 48), today=date(2026, 11, 22))
    assert training.training_status(demo_file, officer, "2026-2027", today=date(2026, 11, 22)).complete


def test_without_an_agreement_the_model_sets_hours_and_topics(demo_file):
    requirement = training.requirement_for(demo_file, "2026-2027")
    assert requirement.topics == list(training.REQUIRED_TOPICS)
    assert requirement.source == ("No signed agreement is in force, so the model's recommended 12 hours and its "
                                  "yearly topics apply.")


@pytest.mark.parametrize("leave_out", [False, True])
def test_no_requirement_is_said_to_be_the_statutes(demo_file, leave_out):
    _signed(demo_file, leave_out_topics=leave_out)
    source = training.requirement_for(demo_file, "2026-2027").source
    assert "statute" not in source and "116H" not in source


def test_no_code_calls_the_yearly_topics_the_statutes():
    package = Path(sro_desk.__file__).parent
    said = [str(path.relative_to(package)) for path in package.rglob("*.py")
            if "statute's three" in path.read_text(encoding="utf-8")]
    assert said == []
