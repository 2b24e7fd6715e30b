"""Clause library editions, and a draft taking a newer edition's text clause by clause."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sro_desk.errors import ConflictError, SroDeskError
from sro_desk.records import agreements, library_updates
from sro_desk.records.clause_library import BlankSpec, ClauseSpec, editions, load_library
from sro_desk.records.library_updates import behind_current_edition, take_library_updates

FIRST = "2026.1"


@pytest.fixture
def old_draft(demo_file):
    """A draft of the sample (regional, two departments) district from the first edition."""
    agreement_id = agreements.new_from_library(demo_file, school_year="2026-2027", edition=FIRST)
    return agreements.load_agreement(demo_file, agreement_id)


def _reload(data_file, agreement):
    return agreements.load_agreement(data_file, agreement.id)


def _clause(agreement, key):
    return next(c for c in agreement.clauses if c.key == key)


def _expected_behind(agreement) -> tuple[list[str], list[str]]:
    """Worked out from the two edition files alone: (changed keys, new keys)."""
    old, new = load_library(agreement.library_version), load_library()
    have = {c.key for c in agreement.clauses}
    changed = [
        s.key for s in new.clauses
        if s.key in have and (s.text != old.clause(s.key).text or s.statutory != old.clause(s.key).statutory)
    ]
    added = [s.key for s in new.clauses if s.key not in have and s.applies(agreement.options)]
    return changed, added


def test_every_edition_loads_by_its_version_and_new_drafts_use_the_newest(demo_file, old_draft):
    shipped = editions()
    assert shipped[0] == FIRST and len(shipped) >= 2
    assert [load_library(v).version for v in shipped] == shipped
    assert load_library().version == shipped[-1]
    assert load_library().checked_on == "2026-12-08"
    with pytest.raises(SroDeskError) as caught:
        load_library("1999.9")
    assert "edition 1999.9" in caught.value.message
    fresh = agreements.load_agreement(demo_file, agreements.new_from_library(demo_file, school_year="2027-2028"))
    assert fresh.library_version == shipped[-1]
    assert behind_current_edition(fresh) == []
    # the old draft keeps its edition's words, and so does next year's copy of it
    assert old_draft.library_version == FIRST
    assert "after consulting the Superintendent" in _clause(old_draft, "mou.selection.process").text
    copy = agreements.load_agreement(
        demo_file, agreements.new_from_previous(demo_file, old_draft.id, school_year="2027-2028")
    )
    assert copy.library_version == FIRST
    assert [c.text for c in copy.clauses] == [c.text for c in old_draft.clauses]


def test_a_draft_from_the_first_edition_lists_the_clauses_behind_the_current_one(old_draft):
    behind = behind_current_edition(old_draft)
    changed, added = _expected_behind(old_draft)
    assert [u.key for u in behind if u.change == "changed"] == changed
    assert [u.key for u in behind if u.change == "new"] == added
    for key in ("mou.selection.process", "op.enforcement_limits", "mou.filing", "mou.training.certification",
                "mou.information_sharing", "mou.parties.several", "mou.complaints"):
        assert key in changed, key
    for key in ("mou.information_sharing.protected", "mou.sro_review", "mou.public_copies",
                "mou.no_third_party_rights", "mou.student_records", "mou.special_education",
                "op.enforcement_limits.local"):
        assert key in added, key
    # only what applies to this district: not the one-department or charter variants
    assert not {"mou.parties.one", "mou.parties.charter", "mou.supervision.district"} & {u.key for u in behind}
    assert "mou.mission" not in {u.key for u in behind}  # the same in both editions
    current = load_library()
    for update in behind:
        spec = current.clause(update.key)
        assert (update.title, update.text, update.statutory, update.sources) == (
            spec.title, spec.text, spec.statutory, spec.sources
        )
        assert update.edition == current.version
    assignment = next(u for u in behind if u.key == "mou.selection.process")
    assert assignment.current_text == load_library(FIRST).clause("mou.selection.process").text
    assert "at the Superintendent's request" in assignment.text
    assert assignment.summary == "text changed"
    complaints = next(u for u in behind if u.key == "mou.complaints")
    assert complaints.text == complaints.current_text and complaints.summary == "no longer bold"


def test_taking_one_update_changes_only_that_clause_audited_and_versioned(demo_file, old_draft):
    before = {c.id: (c.text, c.title, c.statutory, c.version) for c in old_draft.clauses}
    target = _clause(old_draft, "op.enforcement_limits")
    assert take_library_updates(demo_file, old_draft, ["op.enforcement_limits"]) == 1
    after = _reload(demo_file, old_draft)
    taken = _clause(after, "op.enforcement_limits")
    spec = load_library().clause("op.enforcement_limits")
    assert (taken.text, taken.title, taken.statutory, taken.library_text) == (
        spec.text, spec.title, spec.statutory, spec.text
    )
    assert taken.version == target.version + 1 and not taken.changed
    assert {c.id: (c.text, c.title, c.statutory, c.version) for c in after.clauses if c.id != target.id} == {
        k: v for k, v in before.items() if k != target.id
    }
    assert len(after.clauses) == len(old_draft.clauses)
    assert after.library_version == FIRST  # the draft keeps the edition it came from
    audit = demo_file.query(
        "SELECT action, changes FROM audit_log WHERE table_name = 'agreement_clause' AND row_id = ? "
        "AND action = 'update'",
        (target.id,),
    )
    assert len(audit) == 1 and "school-related event" in audit[0]["changes"]
    remaining = [u.key for u in behind_current_edition(after)]
    assert "op.enforcement_limits" not in remaining and "mou.selection.process" in remaining
    # the stale copy: the clause is up to date now, and a second take is refused
    with pytest.raises(SroDeskError) as caught:
        take_library_updates(demo_file, after, ["op.enforcement_limits"])
    assert "reload" in caught.value.message


def test_a_stale_copy_cannot_take_over_a_newer_edit(demo_file, old_draft):
    clause = _clause(old_draft, "mou.selection.process")
    agreements.edit_clause(demo_file, old_draft, clause.id, text=clause.text + "\n\nOur own sentence.")
    with pytest.raises(ConflictError):
        take_library_updates(demo_file, old_draft, ["mou.selection.process"])
    edited = _reload(demo_file, old_draft)
    assert "Our own sentence." in _clause(edited, "mou.selection.process").text
    update = next(u for u in behind_current_edition(edited) if u.key == "mou.selection.process")
    assert update.edited and "edited in this draft" in update.summary
    take_library_updates(demo_file, edited, ["mou.selection.process"])
    taken = _clause(_reload(demo_file, edited), "mou.selection.process")
    assert "Our own sentence." not in taken.text and not taken.changed


def test_taking_a_new_clause_adds_it_after_its_neighbour(demo_file, old_draft):
    take_library_updates(demo_file, old_draft, ["op.enforcement_limits.local", "mou.information_sharing.protected"])
    after = _reload(demo_file, old_draft)
    keys = [c.key for c in after.clauses]
    assert keys[keys.index("mou.information_sharing") + 1] == "mou.information_sharing.protected"
    assert keys[keys.index("op.enforcement_limits") + 1] == "op.enforcement_limits.local"
    protected = _clause(after, "mou.information_sharing.protected")
    assert protected.included and protected.statutory and protected.part == "mou"
    assert protected.components == ["M5"] and protected.text == protected.library_text
    inserted = demo_file.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE table_name = 'agreement_clause' AND row_id = ? "
        "AND action = 'insert'",
        (protected.id,),
    )
    assert inserted[0]["n"] == 1
    printed = agreements.printable(demo_file, after)
    ops = [c.title for part in printed.parts if part.title == "Operating procedures" for c in part.clauses]
    limits = _clause(after, "op.enforcement_limits").title  # (still the first edition's)
    assert ops.index("No arrest or charge for this conduct") == ops.index(limits) + 1


def test_taking_every_update_leaves_a_complete_draft_with_nothing_behind(demo_file, old_draft):
    behind = behind_current_edition(old_draft)
    assert take_library_updates(demo_file, old_draft, [u.key for u in behind]) == len(behind)
    after = _reload(demo_file, old_draft)
    assert behind_current_edition(after) == []
    assert agreements.problems(after) == []
    current = load_library()
    expected = [s.key for s in current.clauses if s.applies(after.options)]
    assert [c.key for c in after.clauses] == expected
    assert all(c.text == current.clause(c.key).text for c in after.clauses)


def test_a_clause_new_in_an_edition_brings_the_blank_it_needs(demo_file, old_draft, monkeypatch):
    current = load_library()
    extra = ClauseSpec(
        key="mou.extra", part="mou", title="Extra", text="The SRO attends {{extra_events}} each year.",
        components=(), statutory=False, sources=("local",),
    )
    blank = BlankSpec(key="extra_events", label="Events", type="text", required=False,
                      help="Which events.", default="graduation")
    later = dataclasses.replace(
        current, version="2099.1", clauses=current.clauses + (extra,), blanks=current.blanks + (blank,)
    )
    monkeypatch.setattr(library_updates, "load_library", lambda version=None: later)
    take_library_updates(demo_file, old_draft, ["mou.extra"])
    after = _reload(demo_file, old_draft)
    assert after.blank("extra_events").value == "graduation"
    assert "extra_events" in [b.key for b in agreements.used_blanks(after)]


def test_a_signed_agreement_offers_no_update_and_its_next_draft_does(demo_file, old_draft):
    agreements.record_signing(demo_file, old_draft, {s.id: "2026-08-20" for s in old_draft.signatures})
    signed = _reload(demo_file, old_draft)
    assert behind_current_edition(signed) == []
    with pytest.raises(SroDeskError) as caught:
        take_library_updates(demo_file, signed, ["mou.selection.process"])
    assert "start a new draft" in caught.value.message
    assert [c.text for c in _reload(demo_file, signed).clauses] == [c.text for c in old_draft.clauses]
    from sro_desk.records.seals import status

    assert status(demo_file, "agreement", signed.id)["intact"]
    nxt = agreements.load_agreement(
        demo_file, agreements.new_from_previous(demo_file, signed.id, school_year="2027-2028")
    )
    assert "mou.selection.process" in [u.key for u in behind_current_edition(nxt)]
    take_library_updates(demo_file, nxt, ["mou.selection.process"])
    assert "at the Superintendent's request" in _clause(_reload(demo_file, nxt), "mou.selection.process").text
    assert "after consulting" in _clause(_reload(demo_file, signed), "mou.selection.process").text


def test_a_draft_ready_for_signature_must_go_back_to_draft_first(demo_file, old_draft):
    agreements.mark_ready(demo_file, old_draft)
    ready = _reload(demo_file, old_draft)
    assert behind_current_edition(ready)  # listed, but not taken while ready
    with pytest.raises(SroDeskError) as caught:
        take_library_updates(demo_file, ready, ["mou.selection.process"])
    assert "back to draft" in caught.value.message


def test_an_agreement_from_no_edition_has_no_library_updates(old_draft):
    imported = dataclasses.replace(old_draft, library_version="", source="import")
    assert behind_current_edition(imported) == []


def test_clause_sources_follow_the_text_the_draft_carries(demo_file, old_draft):
    limits = _clause(old_draft, "op.enforcement_limits")
    assert library_updates.clause_sources(old_draft, limits) == ("c272-40", "c272-53")
    mission = _clause(old_draft, "mou.mission")  # the same text in both: the newest's sources
    assert library_updates.clause_sources(old_draft, mission) == ("model-mou",)
    own = agreements.add_clause(demo_file, old_draft, part="mou", title="Ours", text="A clause of our own.")
    ours = next(c for c in _reload(demo_file, old_draft).clauses if c.id == own)
    assert library_updates.clause_sources(old_draft, ours) == ()
    stored = demo_file.query("SELECT components FROM agreement_clause WHERE id = ?", (limits.id,))
    assert json.loads(stored[0]["components"]) == ["O2"]
