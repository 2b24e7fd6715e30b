"""The project's own clause library (resources/clauses) is well formed and complete.

The library is data, not code: these tests check what the rest of the app relies on.
Every DESE component is covered for every kind of district, every blank a clause uses is
defined (and every defined blank is used), and every clause renders. Each check runs on
every edition shipped; the first edition must never change (agreements were signed from
it), and the newest must print in bold only what a statute or regulation requires.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest

from sro_desk.records.agreement_text import blank_keys, drafting_notes, render

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
EDITIONS = sorted(
    (RESOURCES / "clauses").glob("sro-desk-clauses-*.json"),
    key=lambda p: tuple(int(x) for x in p.stem.rsplit("-", 1)[-1].split(".")),
)
FIRST, NEWEST = EDITIONS[0], EDITIONS[-1]
LAW = json.loads((RESOURCES / "law" / "sources.json").read_text(encoding="utf-8"))
SOURCE_KINDS = {source["id"]: source["kind"] for source in LAW["sources"]}

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


@pytest.fixture(scope="module", params=EDITIONS, ids=lambda p: p.stem.rsplit("-", 1)[-1])
def library(request) -> dict:
    """Each edition in turn."""
    data = json.loads(request.param.read_text(encoding="utf-8"))
    data["_file"] = request.param.name
    return data


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
    assert library["_file"] == f"sro-desk-clauses-{library['version']}.json"
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


def test_about_thirty_to_sixty_clauses(clauses):
    assert 30 <= len(clauses) <= 60


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


def test_every_named_source_is_in_the_law_sources(clauses):
    for clause in clauses:
        sources = clause.get("sources", [])
        assert isinstance(sources, list), clause["key"]
        assert len(sources) == len(set(sources)), clause["key"]
        for source in sources:
            assert source in SOURCE_KINDS, (clause["key"], source)
        if clause["statutory"]:
            assert sources, f"{clause['key']} is bold and names no source"


# -- the first edition: signed agreements were drafted from it ---------------------------


def _wording(library: dict) -> str:
    """Everything an agreement takes from an edition (its clauses' sources aside)."""
    clauses = [{k: v for k, v in clause.items() if k != "sources"} for clause in library["clauses"]]
    shape = {k: library[k] for k in ("version", "components", "blanks")} | {"clauses": clauses}
    return hashlib.sha256(json.dumps(shape, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def test_the_first_edition_never_changes():
    first = json.loads(FIRST.read_text(encoding="utf-8"))
    assert first["version"] == "2026.1"
    assert _wording(first) == "68d8320642e4a7121495853329e620c56966fbab7930e731ca2016c02f9b0a36"


def test_statutory_provisions_the_first_edition_marked():
    clauses = json.loads(FIRST.read_text(encoding="utf-8"))["clauses"]
    by_key = {clause["key"]: clause for clause in clauses}
    statutory_text = " ".join(
        clause["text"].lower() for clause in clauses if clause["statutory"]
    )
    for phrase in ("seniority", "preferred", "confidential", "every school year", "272, § 40"):
        assert phrase in statutory_text, phrase
    assert by_key["op.enforcement_limits"]["statutory"]


# -- the newest edition: the law as last checked ------------------------------------------


@pytest.fixture(scope="module")
def newest() -> dict:
    return json.loads(NEWEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def current(newest) -> dict[str, dict]:
    return {clause["key"]: clause for clause in newest["clauses"]}


def _printed(clause: dict) -> str:
    return " ".join(re.sub(r"\[\[.*?\]\]", "", clause["text"], flags=re.DOTALL).split())


def test_the_newest_edition_says_what_changed_and_when_the_law_was_checked(newest):
    assert newest["version"] != "2026.1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest["checked_on"])
    assert newest["checked_on"] in newest["note"] and "since 2026.1" in newest["note"]


def test_every_clause_of_the_newest_edition_names_its_sources(newest):
    for clause in newest["clauses"]:
        assert clause.get("sources"), clause["key"]


def test_bold_only_where_a_statute_or_regulation_requires_it(newest):
    for clause in newest["clauses"]:
        kinds = {SOURCE_KINDS[source] for source in clause["sources"]}
        if clause["statutory"]:
            assert kinds & {"statute", "regulation"}, clause["key"]
            assert "local" not in clause["sources"], clause["key"]


def test_every_clause_of_the_first_edition_is_still_there_to_compare():
    first = {c["key"]: c["part"] for c in json.loads(FIRST.read_text(encoding="utf-8"))["clauses"]}
    newest = {c["key"]: c["part"] for c in json.loads(NEWEST.read_text(encoding="utf-8"))["clauses"]}
    assert {key: newest.get(key) for key in first} == first


def test_the_sro_is_assigned_at_the_superintendents_request(current):
    clause = current["mou.selection.process"]
    text = _printed(clause)
    assert clause["statutory"] and "c71-37p-assign" in clause["sources"]
    assert "at the Superintendent's request" in text and "consulting" not in text
    assert "No school district is required to have" in text
    assert "seniority alone" in text
    assert "racial and ethnic" in text
    for key in ("mou.parties.one", "mou.parties.several", "mou.parties.charter", "mou.roles.department"):
        assert "at the Superintendent's request" in _printed(current[key]), key


def test_the_c272_clause_covers_buildings_grounds_and_events_and_bars_adjudication(current):
    clause = current["op.enforcement_limits"]
    text = _printed(clause)
    assert clause["statutory"] and set(clause["sources"]) == {"c272-40", "c272-53"}
    for place in ("school building", "school grounds", "school-related event"):
        assert place in text, place
    assert "delinquent" in text and "272, § 40" in text and "272, § 53" in text
    assert "arrest" not in text.lower()  # the law bars adjudication, not arrest
    local = current["op.enforcement_limits.local"]
    assert not local["statutory"] and local["sources"] == ["local"]
    assert "does not arrest" in _printed(local)
    assert "school-related event" in _printed(local)


def test_information_sharing_names_every_category_in_section_37l(current):
    clause = current["mou.information_sharing.protected"]
    text = _printed(clause)
    assert clause["statutory"] and clause["sources"] == ["c71-37l-info"]
    assert "37L" in text and "37P" not in text
    for category in (
        "immigration status", "citizenship", "neighborhood of residence", "religion",
        "national origin", "ethnicity", "gang affiliation",
    ):
        assert category in text, category
    assert "germane to a specific unlawful incident" in text
    assert "M5" in clause["components"]


def test_posting_the_agreement_is_a_local_choice_not_bold(newest, current):
    posting = [c for c in newest["clauses"] if "website" in _printed(c) and "posts" in _printed(c)]
    assert [c["key"] for c in posting] == ["mou.public_copies"]
    assert not posting[0]["statutory"] and posting[0]["sources"] == ["local"]
    filing = current["mou.filing"]
    assert filing["statutory"] and "website" not in filing["text"]
    assert "DESE" in _printed(filing) and "costs" in _printed(filing)


def test_certification_and_the_yearly_performance_review_are_required(current):
    certification = current["mou.training.certification"]
    assert certification["statutory"] and "c71-37p-a" in certification["sources"]
    assert "certification" in _printed(certification) and "6E" in _printed(certification)
    review = current["mou.sro_review"]
    assert review["statutory"] and review["sources"] == ["c71-37p-select"]
    assert "every year" in _printed(review) and "Superintendent and the Chief" in _printed(review)
    hours = current["mou.training.hours"]  # what the first edition's clause also held
    assert not hours["statutory"] and "{{training_hours}}" in hours["text"]


@pytest.mark.parametrize(
    ("key", "phrases"),
    [
        ("mou.no_third_party_rights", ["not a party", "enforce"]),
        ("mou.student_records", ["FERPA", "HIPAA", "state student record", "school official",
                                 "law enforcement purpose", "privileged"]),
        ("mou.special_education", ["IEP", "504", "consent"]),
        ("mou.roles.no_school_duties", ["hallways", "cafeteria", "substitute"]),
        ("mou.roles.staff_not_agents", ["agents of the police"]),
        ("mou.involvement_threshold", ["only when", "immediate threat"]),
        ("mou.selection.input", ["principal", "teachers, parents and students"]),
    ],
)
def test_the_model_agreements_protections_are_local_choices_in_plain_text(current, key, phrases):
    clause = current[key]
    assert not clause["statutory"] and "model-mou" in clause["sources"], key
    for phrase in phrases:
        assert phrase in _printed(clause), (key, phrase)


def test_what_no_statute_was_read_for_is_no_longer_bold(current):
    for key in ("mou.complaints", "mou.complaints.notice", "mou.annual_review", "mou.yearly_review",
                "mou.training.required"):
        assert not current[key]["statutory"], key
