"""Every rule, obligation and bold clause names its source, and every source is complete.

The rules and obligation kinds are found in the code itself (enforcement.RULES, and the
keys obligations.py builds), so a new one without an entry in resources/law/cites.json
fails here.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest

from sro_desk.errors import SroDeskError
from sro_desk.records import enforcement, law_sources, obligations
from sro_desk.records.clause_library import library_files
from sro_desk.records.law_sources import (
    LOCAL,
    Source,
    all_sources,
    cite_for,
    cites,
    how_checked_known,
    is_law,
    obligation_kind,
    read_cites,
    read_sources,
    source,
    sources_for,
    what_relies_on,
)

KNOWN = {s.id for s in all_sources()}


def _obligation_kinds() -> set[str]:
    """The kinds of obligation obligations.py builds: the first argument of every
    ``_make(...)`` and ``Obligation(...)`` there, a literal key or the literal start of
    an f-string key ('training_' of f'training_{officer_id}')."""
    tree = ast.parse(Path(obligations.__file__).read_text(encoding="utf-8"))
    kinds = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("_make", "Obligation") and node.args):
            continue
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            kinds.add(key.value)
        elif isinstance(key, ast.JoinedStr):
            start = key.values[0]
            assert isinstance(start, ast.Constant), f"an obligation key starting with a value: {ast.unparse(key)}"
            kinds.add(start.value.rstrip("_"))
    # The certification warnings are built in records.training, which names their kinds.
    from sro_desk.records.training import WARNING_SOURCES

    return kinds | set(WARNING_SOURCES)


OBLIGATION_KINDS = _obligation_kinds()


def test_the_obligation_kinds_are_found_in_the_code():
    assert {"agreement_filed", "sro_certification_lapsed", "training", "complaint", "review", "backup"} <= OBLIGATION_KINDS


def test_every_cite_names_known_sources():
    assert cites()
    for entry in cites():
        assert entry.sources, entry
        assert set(entry.sources) <= KNOWN, entry


def test_an_unknown_source_in_the_cites_is_a_clear_error():
    data = {"obligations": {"backup": {"title": "A backup", "sources": ["local", "c99-1"]}}}
    with pytest.raises(SroDeskError, match=r"obligation 'backup' names an unknown law source 'c99-1'"):
        read_cites(data, KNOWN)
    with pytest.raises(SroDeskError, match="names no source"):
        read_cites({"training": {"minimum_hours": {"title": "Hours", "sources": []}}}, KNOWN)
    with pytest.raises(SroDeskError, match="unknown part 'rulez'"):
        read_cites({"rulez": {}}, KNOWN)


def test_a_source_listed_twice_or_of_an_unknown_kind_is_refused():
    one = {"id": "x", "citation": "X", "kind": "statute", "requires": "X."}
    with pytest.raises(SroDeskError, match="listed twice"):
        read_sources({"checked_on": "2026-12-08", "sources": [one, one]})
    with pytest.raises(SroDeskError, match="unknown kind 'rumour'"):
        read_sources({"checked_on": "2026-12-08", "sources": [{**one, "kind": "rumour"}]})


@pytest.mark.parametrize("rule", sorted(enforcement.RULES))
def test_every_enforcement_rule_has_a_source(rule):
    assert cite_for("enforcement_rules", rule) is not None, f"add {rule} to resources/law/cites.json"


def test_a_rule_is_presented_as_law_exactly_when_it_rests_on_law():
    resting_on_law = {c.key for c in cites("enforcement_rules") if any(is_law(s) for s in sources_for(c.sources))}
    assert resting_on_law == set(enforcement.STATUTE_RULES)


@pytest.mark.parametrize("kind", sorted(OBLIGATION_KINDS))
def test_every_obligation_kind_has_a_source(kind):
    assert cite_for("obligations", kind) is not None, f"add the obligation {kind} to resources/law/cites.json"


def test_no_entry_names_a_rule_or_obligation_the_code_no_longer_has():
    assert {c.key for c in cites("enforcement_rules")} <= set(enforcement.RULES)
    assert {c.key for c in cites("obligations")} <= OBLIGATION_KINDS


def test_every_obligation_on_the_dashboard_has_sources(demo_file):
    found = obligations.dashboard_obligations(demo_file, today=date(2026, 10, 15))
    assert found
    for item in found:
        assert law_sources.obligation_sources(item.key), item.key


def test_an_obligation_kind_is_its_key_without_the_record():
    assert obligation_kind("training_12") == "training"
    assert obligation_kind("review_2025-2026") == "review"
    assert obligation_kind("meetings_missing_3") == "meetings_missing"
    assert obligation_kind("complaint_notice") == "complaint_notice"


@pytest.mark.parametrize("item", all_sources(), ids=lambda s: s.id)
def test_every_source_is_complete(item: Source):
    assert item.citation.strip()
    requires = item.requires.strip()
    assert requires.endswith(".") and len(requires) <= 300, "one sentence"
    assert not re.search(r"[.;:!?]\s+[A-Z][a-z]", requires.replace("G.L. ", "")), f"one sentence: {requires}"
    if item.kind != "local choice":
        assert item.effective.strip()
        assert item.url.startswith("https://")
        assert how_checked_known(item.how_checked), item.how_checked


def test_local_stands_for_a_choice_no_law_makes():
    assert source(LOCAL).kind == "local choice" and not is_law(source(LOCAL))
    assert is_law(source("c272-40")) and is_law(source("cmr555-10"))
    assert not is_law(source("model-mou")) and not is_law(source("dese-ssdr"))


def test_sources_are_found_by_id_and_an_unknown_one_is_an_error():
    assert [s.id for s in sources_for(["c272-53", "c272-40", "c272-53"])] == ["c272-53", "c272-40"]
    with pytest.raises(SroDeskError, match="no law source 'c1-1'"):
        source("c1-1")
    with pytest.raises(SroDeskError):
        what_relies_on("c1-1")


def test_the_groups_hold_every_source_once():
    listed = [s.id for _heading, members in law_sources.grouped() for s in members]
    assert sorted(listed) == sorted(KNOWN)
    assert [heading for heading, _ in law_sources.grouped()][0] == "Law"


def test_what_relies_on_a_statute_lists_the_rule_and_the_obligation():
    found = what_relies_on("c272-40")
    assert ("Enforcement rule", "c272_in_school") in [(r.what, r.key) for r in found]
    assert any(r.what == "Obligation" for r in found)
    assert all(r.title for r in found)
    assert "sro_certification_lapsed" in [r.key for r in what_relies_on("cmr555-10")]
    assert "seniority" in [r.key for r in what_relies_on("c71-37p-select")]


def test_what_relies_on_lists_clauses_of_the_newest_edition(tmp_path, monkeypatch):
    edition = tmp_path / "sro-desk-clauses-9.9.json"
    edition.write_text(json.dumps({"clauses": [
        {"key": "op.enforcement_limits", "title": "Conduct the SRO does not treat as a crime at school",
         "statutory": True, "sources": ["c272-40", "c272-53"]},
        {"key": "mou.mission", "title": "Mission", "statutory": False},
    ]}), encoding="utf-8")
    monkeypatch.setattr("sro_desk.records.clause_library.library_files", lambda: [edition])
    found = what_relies_on("c272-53")
    assert ("Clause", "op.enforcement_limits", "Conduct the SRO does not treat as a crime at school") in [
        (r.what, r.key, r.title) for r in found]
    assert found[-1].what == "Clause"


def _statutory_clauses():
    for path in library_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        for clause in data["clauses"]:
            if clause.get("statutory"):
                yield pytest.param(clause, id=f"{data['version']}:{clause['key']}")


@pytest.mark.parametrize("clause", list(_statutory_clauses()))
def test_every_bold_clause_names_its_sources(clause):
    """Every edition's bold clauses name their sources, so an old edition's bold text that
    no statute supports (2026.1 printed some of the model's rules in bold) can be seen
    for what it is."""
    ids = clause.get("sources")
    assert isinstance(ids, list) and ids, "a bold clause names its sources"
    assert set(ids) <= KNOWN, f"unknown sources {set(ids) - KNOWN}"


def test_every_bold_clause_of_the_current_edition_rests_on_law():
    """In the edition new drafts use, bold means a statute or a regulation requires it."""
    newest = max(library_files(), key=lambda p: [int(n) for n in p.stem.rsplit("-", 1)[1].split(".")])
    data = json.loads(newest.read_text(encoding="utf-8"))
    bold = [c for c in data["clauses"] if c.get("statutory")]
    assert bold
    for clause in bold:
        assert any(is_law(source(i)) for i in clause["sources"]), clause["key"]
    for clause in data["clauses"]:
        if not clause.get("statutory"):
            assert clause.get("sources"), f"{clause['key']} names its sources (model or local)"
