"""The project's own clause library (resources/clauses) is well formed and complete.

The library is data, not code: these tests check what the rest of the app relies on.
Every DESE component is covered for every kind of district, every blank a clause uses is
defined (and every defined blank is used), and every clause renders.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from sro_desk.records.agreement_text import blank_keys, drafting_notes, render

LIBRARY = (
    Path(__file__).resolve().parents[2] / "resources" / "clauses" / "sro-desk-clauses-2026.1.json"
)

MOU_CODES = [f"M{n}" for n in range(1, 9)]
OP_CODES = [f"O{n}" for n in range(1, 8)]
PARTS = ("mou", "op")
KINDS = ("public", "regional", "charter")
DEPARTMENTS = ("one", "several")
SUPERVISIONS = ("police", "district")
COMBINATIONS = list(itertools.product(KINDS, DEPARTMENTS, SUPERVISIONS))

BLANK_TYPES = {"text", "party", "split", "hours", "titles", "date"}
PREFILLS = {
    "district.name",
    "district.departments",
    "district.schools",
    "district.leader_name",
    "district.leader_title",
    "agreement.school_year",
}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")
CLAUSE_KEY = re.compile(r"^(mou|op)(\.[a-z][a-z0-9_]*)+$")


@pytest.fixture(scope="module")
def library() -> dict:
    return json.loads(LIBRARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clauses(library) -> list[dict]:
    return library["clauses"]


@pytest.fixture(scope="module")
def blanks(library) -> dict[str, dict]:
    return {blank["key"]: blank for blank in library["blanks"]}


def applies(clause: dict, kind: str, departments: str, supervision: str) -> bool:
    """Whether a clause is used in an agreement for this kind of district."""
    when = clause.get("when", {})
    if "kind" in when and kind not in when["kind"]:
        return False
    if "departments" in when and when["departments"] != departments:
        return False
    if "supervision" in when and when["supervision"] != supervision:
        return False
    return True


def sample_values(blanks: dict[str, dict]) -> dict[str, str]:
    """A printed value for every blank, as a filled-in agreement would have."""
    return {key: f"[{key}]" for key in blanks}


def test_library_loads_with_version_and_note(library):
    assert isinstance(library["version"], str) and library["version"]
    assert library["version"] in LIBRARY.name
    assert isinstance(library["title"], str) and library["title"]
    assert "own words" in library["note"]
    assert "legal advice" in library["note"]


def test_component_codes_are_the_dese_lists_in_order(library):
    components = library["components"]
    assert [component["code"] for component in components] == MOU_CODES + OP_CODES
    for component in components:
        expected_part = "mou" if component["code"].startswith("M") else "op"
        assert component["part"] == expected_part
        assert component["label"].strip()


def test_clause_keys_are_unique_and_well_formed(clauses):
    keys = [clause["key"] for clause in clauses]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert CLAUSE_KEY.match(key), key


def test_about_thirty_to_forty_five_clauses(clauses):
    assert 30 <= len(clauses) <= 45


@pytest.mark.parametrize("field", ["key", "part", "title", "components", "statutory", "text"])
def test_every_clause_has_its_fields(clauses, field):
    for clause in clauses:
        assert field in clause, (clause.get("key"), field)


def test_clause_parts_and_components_match(library, clauses):
    codes = {component["code"]: component["part"] for component in library["components"]}
    for clause in clauses:
        assert clause["part"] in PARTS, clause["key"]
        assert clause["key"].split(".")[0] == clause["part"], clause["key"]
        assert isinstance(clause["statutory"], bool), clause["key"]
        assert clause["title"].strip(), clause["key"]
        assert len(clause["components"]) == len(set(clause["components"])), clause["key"]
        for code in clause["components"]:
            assert code in codes, (clause["key"], code)
            assert codes[code] == clause["part"], (clause["key"], code)


def test_when_conditions_are_valid(clauses):
    for clause in clauses:
        when = clause.get("when")
        if when is None:
            continue
        assert when, clause["key"]
        assert set(when) <= {"kind", "departments", "supervision"}, clause["key"]
        if "kind" in when:
            assert isinstance(when["kind"], list) and when["kind"], clause["key"]
            assert set(when["kind"]) <= set(KINDS), clause["key"]
        if "departments" in when:
            assert when["departments"] in DEPARTMENTS, clause["key"]
        if "supervision" in when:
            assert when["supervision"] in SUPERVISIONS, clause["key"]


def test_every_blank_used_is_defined_and_every_defined_blank_is_used(clauses, blanks):
    used: set[str] = set()
    for clause in clauses:
        for key in blank_keys(clause["text"]):
            assert key in blanks, (clause["key"], key)
            used.add(key)
    assert set(blanks) == used, f"unused blanks: {sorted(set(blanks) - used)}"


def test_blank_keys_are_unique(library):
    keys = [blank["key"] for blank in library["blanks"]]
    assert len(keys) == len(set(keys))


def test_blanks_are_well_formed(blanks):
    for key, blank in blanks.items():
        assert SNAKE_CASE.match(key), key
        assert blank["type"] in BLANK_TYPES, key
        assert isinstance(blank["required"], bool), key
        assert blank["label"].strip(), key
        assert blank["help"].strip().endswith("."), key
        if "prefill" in blank:
            assert blank["prefill"] in PREFILLS, key
        if "choices" in blank:
            assert blank["type"] == "party", key


def test_blank_defaults_have_the_right_shape(blanks):
    for key, blank in blanks.items():
        kind = blank["type"]
        if kind == "date":
            assert "default" not in blank, key
        if "default" not in blank:
            continue
        default = blank["default"]
        if kind in ("text", "party"):
            assert isinstance(default, str) and default.strip(), key
        elif kind == "split":
            assert set(default) == {"district", "department"}, key
            assert all(isinstance(share, int) and share >= 0 for share in default.values()), key
            assert default["district"] + default["department"] == 100, key
        elif kind == "hours":
            assert isinstance(default, int) and not isinstance(default, bool), key
            assert default >= 0, key
        elif kind == "titles":
            assert isinstance(default, list) and default, key
            assert all(isinstance(title, str) and title.strip() for title in default), key


def test_party_blanks_have_choices_and_a_valid_default(blanks):
    parties = [blank for blank in blanks.values() if blank["type"] == "party"]
    assert parties
    for blank in parties:
        choices = blank.get("choices")
        assert isinstance(choices, list) and choices, blank["key"]
        assert all(isinstance(choice, str) and choice.strip() for choice in choices)
        if "default" in blank:
            assert blank["default"] in choices, blank["key"]


def test_the_drafting_blanks_the_domain_names_are_present(blanks):
    types = {key: blank["type"] for key, blank in blanks.items()}
    assert "split" in types.values()
    assert "party" in types.values()
    assert "date" in types.values()
    assert list(types.values()).count("titles") >= 1
    hours = [blank for blank in blanks.values() if blank["type"] == "hours"]
    assert any(blank.get("default") == 12 for blank in hours)
    for blank in blanks.values():
        if blank["type"] == "titles":
            assert "title" in blank["help"] and "name" in blank["help"], blank["key"]
    prefills = {blank.get("prefill") for blank in blanks.values()}
    assert {"district.name", "district.departments", "district.schools"} <= prefills


@pytest.mark.parametrize(("kind", "departments", "supervision"), COMBINATIONS)
def test_every_component_is_covered_for_every_kind_of_district(
    library, clauses, kind, departments, supervision
):
    covered: set[str] = set()
    for clause in clauses:
        if applies(clause, kind, departments, supervision):
            covered.update(clause["components"])
    codes = {component["code"] for component in library["components"]}
    assert covered == codes, f"missing: {sorted(codes - covered)}"


@pytest.mark.parametrize(("kind", "departments", "supervision"), COMBINATIONS)
def test_exactly_one_parties_clause_applies(clauses, kind, departments, supervision):
    parties = [
        clause["key"]
        for clause in clauses
        if clause["key"].startswith("mou.parties") and applies(clause, kind, departments, supervision)
    ]
    assert len(parties) == 1, parties


def test_every_clause_renders(clauses, blanks):
    values = sample_values(blanks)
    for clause in clauses:
        paragraphs = render(clause["text"], values, known=set(blanks))
        assert paragraphs, clause["key"]
        for paragraph in paragraphs:
            printed = paragraph.plain()
            assert printed.strip(), clause["key"]
            assert "{{" not in printed and "}}" not in printed, clause["key"]
            assert "[[" not in printed and "]]" not in printed, clause["key"]


def test_every_clause_renders_with_empty_blanks(clauses, blanks):
    for clause in clauses:
        paragraphs = render(clause["text"], {key: "" for key in blanks})
        assert paragraphs, clause["key"]


def test_clause_texts_hold_no_markup_or_tabs(clauses):
    for clause in clauses:
        text = clause["text"]
        assert "<" not in text and ">" not in text, clause["key"]
        assert "\t" not in text, clause["key"]
        assert "\r" not in text, clause["key"]
        assert text == text.strip(), clause["key"]


def test_clause_lengths_are_reasonable(clauses):
    note = re.compile(r"\[\[.*?\]\]", re.DOTALL)
    for clause in clauses:
        words = len(note.sub("", clause["text"]).split())
        assert 40 <= words <= 250, (clause["key"], words)


def test_drafting_notes_are_used_and_not_empty(clauses):
    notes = [note for clause in clauses for note in drafting_notes(clause["text"])]
    assert len(notes) >= 3
    assert all(note for note in notes)


def test_each_part_has_a_statutory_clause(clauses):
    for part in PARTS:
        assert any(clause["statutory"] for clause in clauses if clause["part"] == part), part


def test_statutory_provisions_the_domain_requires_are_marked(clauses):
    by_key = {clause["key"]: clause for clause in clauses}
    statutory_text = " ".join(
        clause["text"].lower() for clause in clauses if clause["statutory"]
    )
    for phrase in ("seniority", "preferred", "confidential", "every school year", "272, § 40"):
        assert phrase in statutory_text, phrase
    assert by_key["op.enforcement_limits"]["statutory"]
