"""Search: words typed become safe queries, hits come grouped and ranked, the index follows
every save, and no search ever finds or shows a confidential complainant."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import date

import pytest
from sqlite_utils import Database

from sro_desk.errors import SroDeskError
from sro_desk.records import agreements, complaints, meetings, search as srch, training
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.records.officers import Officer, save_officer
from sro_desk.records.search import KINDS, fts_query, search, words_of
from sro_desk.store import DataFile, OpenOptions, schema

TODAY = date(2026, 11, 22)
SECRET_NAME = "Zebulon Quillfeather"
SECRET_CONTACT = "zq@example.org 617-555-0199"
SECRET_DETAILS = "Grandmother of the marimba player in grade nine"
PASSPHRASE = "lantern orchard velvet compass"
HOSTILE = [
    '"', '""', "*", "**", "NEAR(", "NEAR(a b, 2)", "AND OR", "AND", "OR NOT", "NOT", "(", ")",
    "((", "a OR", "^", "col:word", "subject:sro", "-", "+", "'", "\\", "{", "}", ":", "a*b",
    "😀", "🚓 officer 😀", "\x00", "\ufdd0", "\ufdd1x\ufdd0", " ", "\t\n", "", "x" * 1000,
    "word " * 200, "%_", "'; DROP TABLE complaint; --", '" OR 1=1 --', "é", "e\u0301",
    "中文", "١٢٣", "<b>bold</b>", "&amp;",
]


@dataclass
class Records:
    """One record of each kind, ids to look for."""

    complaint: int
    confidential: int
    officer: int
    entry: int
    agreement: int
    clause: int
    meeting: int


def _complaint(**changes) -> Complaint:
    base = dict(received_on="2026-10-01", channel="form", subject="sro", category="conduct",
                description="The officer raised his voice at my son in the hallway.")
    return Complaint(**{**base, **changes})


def add_records(data_file: DataFile) -> Records:
    """A complaint, a confidential one, an officer with a training entry, an agreement
    with an edited clause and a meeting with an attendee and an action item."""
    key = complaints.set_passphrase(data_file, PASSPHRASE)
    complaint = complaints.save_complaint(
        data_file, _complaint(description="A restraint was used on a student during the pep rally."),
        Identity("Tom Becker", "tbecker@example.org"), today=TODAY)
    confidential = complaints.save_complaint(
        data_file, _complaint(confidential=True, category="bias",
                              description="The SRO questioned my grandson about the vandalism."),
        Identity(SECRET_NAME, SECRET_CONTACT, SECRET_DETAILS), key=key, today=TODAY)
    officer = save_officer(data_file, Officer("Marcus Bellweather", rank="Officer"))
    entry = training.save_entry(data_file, training.TrainingEntry(
        officer_id=officer, taken_on="2026-10-15", title="Adolescent brain development",
        quarter_hours=16, provider="Municipal Police Training Committee",
        notes="Covered restorative practices."), today=TODAY)
    agreement_id = agreements.new_from_library(data_file, school_year="2026-2027")
    agreement = agreements.load_agreement(data_file, agreement_id)
    clause = agreement.clauses[0]
    agreements.edit_clause(data_file, agreement, clause.id,
                           text=clause.text + " The SRO never enforces school discipline with handcuffs.")
    meeting = meetings.save_meeting(data_file, meetings.Meeting(
        kind="safety", held_on="2026-10-20", title="Fall safety meeting", location="Library annex",
        agenda="Lockdown drills", minutes="Parents asked how the drills are announced.",
        attendees=[meetings.Attendee("Priscilla Okonkwo", "Parent representative")],
        actions=[meetings.ActionItem("Publish the drill calendar", owner="Vice principal Haddad")],
    ), today=TODAY)
    return Records(complaint, confidential, officer, entry, agreement_id, clause.id, meeting)


@pytest.fixture
def records(demo_file) -> Records:
    return add_records(demo_file)


def _found(data_file: DataFile, text: str) -> dict[str, list[int]]:
    return {g.kind: [h.record_id for h in g.hits] for g in search(data_file, text)}


# -- what is typed ---------------------------------------------------------------------


def test_words_are_quoted_and_only_the_last_is_a_prefix():
    assert fts_query("restraint pep") == '"restraint" AND ("pep" OR "pep"*)'
    assert fts_query("police restorati") == (
        '"police" AND ("restorati" OR "restorati"* OR "resto"*)')
    assert fts_query("de-escalation") == '"de" AND ("escalation" OR "escalation"* OR "escala"*)'
    assert fts_query("restraint ") == '"restraint"'  # a space after it: the word is finished
    assert fts_query("rest") == '("rest" OR "rest"*)'
    assert fts_query("restr") == '("restr" OR "restr"* OR "rest"*)'
    assert fts_query("ab") == '"ab"'  # too short to be a prefix
    assert fts_query('"NEAR(a, b)" AND *') == '"NEAR" AND "a" AND "b" AND ("AND" OR "AND"*)'
    assert fts_query("\u0301 pep rally") == fts_query("pep rally")  # an accent alone is no word
    assert fts_query("cafe\u0301") == fts_query("café")
    for nothing in ("", "   ", '"', "*", "😀", "(", "-+^:", "\u0301", "\u200b"):
        assert fts_query(nothing) is None
    assert len(words_of("word " * 200)) == srch.MAX_WORDS
    assert all(len(w) <= srch.MAX_WORD_LENGTH for w in words_of("x" * 1000))


def test_hostile_text_never_raises(records, demo_file):
    for text in HOSTILE:
        groups = search(demo_file, text)
        assert all(g.hits for g in groups), text
    assert _found(demo_file, "🚓 pep rally 😀") == {"complaint": [records.complaint]}
    assert _found(demo_file, '"pep" (rally*') == {"complaint": [records.complaint]}


def test_random_hostile_text_never_raises(records, demo_file):
    alphabet = '"*()^:+-.,;\'\\ ANDORNEAR ab é😀\x00\ufdd0\ufdd1中\n\t'
    rng = random.Random(12)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        search(demo_file, text)


# -- hits ------------------------------------------------------------------------------


def test_hits_of_each_kind_come_grouped_in_order(records, demo_file):
    r = records
    assert _found(demo_file, "restraint")["complaint"] == [r.complaint]
    assert _found(demo_file, "restorative")["training"] == [r.entry]
    assert _found(demo_file, "handcuffs")["agreement"] == [r.agreement]
    assert _found(demo_file, "Okonkwo")["meeting"] == [r.meeting]
    assert _found(demo_file, "Haddad")["meeting"] == [r.meeting]
    assert _found(demo_file, "library annex")["meeting"] == [r.meeting]
    assert _found(demo_file, "Bellweather") == {"officer": [r.officer]}
    hits = search(demo_file, "drill")
    assert [g.kind for g in hits] == [k for k, _ in KINDS if k in {g.kind for g in hits}]
    assert {g.label for g in search(demo_file, "handcuffs")} == {"Agreements"}


def test_a_hit_says_what_it_is_and_marks_the_match(records, demo_file):
    group = next(g for g in search(demo_file, "restraint") if g.kind == "complaint")
    hit = group.hits[0]
    assert group.label == "Complaints" and hit.kind == "complaint"
    assert hit.title == f"Complaint {records.complaint}: Conduct (The SRO)"
    assert hit.on == "2026-10-01" and hit.school_year == "2026-2027" and hit.when == "2026-10-01"
    assert ("restraint", True) in hit.snippet
    assert hit.snippet_text == "A restraint was used on a student during the pep rally."
    clause = next(g for g in search(demo_file, "handcuffs") if g.kind == "agreement").hits[0]
    assert clause.clause_id == records.clause
    assert ("handcuffs", True) in clause.snippet
    entry = next(g for g in search(demo_file, "adolescent") if g.kind == "training").hits[0]
    assert entry.officer_id == records.officer and "Marcus Bellweather" in entry.title
    attendee = next(g for g in search(demo_file, "Okonkwo") if g.kind == "meeting").hits[0]
    assert attendee.title == "Fall safety meeting" and attendee.snippet_text.startswith("Attendee: ")


def test_half_typed_words_keep_matching(records, demo_file):
    # "restorative" is indexed as its stem "restor"; each keystroke still finds it.
    word = "restorative"
    for end in range(3, len(word) + 1):
        assert records.entry in _found(demo_file, word[:end]).get("training", []), word[:end]


def test_every_word_must_match(records, demo_file):
    assert _found(demo_file, "restraint rally") == {"complaint": [records.complaint]}
    assert _found(demo_file, "restraint vandalism") == {}


def test_ranking_puts_the_closer_match_first(demo_file):
    ids = [complaints.save_complaint(demo_file, _complaint(description=text), today=TODAY) for text in (
        "The SRO met the family at the front office, talked about schedules, the bus and the "
        "weather, and mentioned a taser once near the end of a long conversation about parking.",
        "Taser drawn. Taser pointed at a student. Taser holstered.",
    )]
    hits = search(demo_file, "taser")[0].hits
    assert [h.record_id for h in hits] == [ids[1], ids[0]]
    # A title outweighs the notes.
    officer = save_officer(demo_file, Officer("Dana Whitcombe"))
    entries = [training.save_entry(demo_file, training.TrainingEntry(
        officer_id=officer, taken_on="2026-10-15", title=title, quarter_hours=8, notes=notes), today=TODAY)
        for title, notes in (("Legal updates", "Included a short part on juvenile diversion and more."),
                             ("Juvenile diversion", "A full day."))]
    assert [h.record_id for h in search(demo_file, "diversion")[0].hits] == [entries[1], entries[0]]


def test_the_limit_applies_per_kind_and_says_there_is_more(demo_file):
    for n in range(5):
        complaints.save_complaint(demo_file, _complaint(description=f"Locker search number {n}."), today=TODAY)
    (group,) = search(demo_file, "locker", limit_per_kind=3)
    assert len(group.hits) == 3 and group.more
    (group,) = search(demo_file, "locker", limit_per_kind=5)
    assert len(group.hits) == 5 and not group.more
    assert search(demo_file, "locker", limit_per_kind=0) == []


def test_marked_text_in_a_record_stays_text(demo_file):
    complaints.save_complaint(demo_file, _complaint(description="He wrote <b>stop</b> & \ufdd0left\ufdd1."),
                              today=TODAY)
    hit = search(demo_file, "stop")[0].hits[0]
    assert ("stop", True) in hit.snippet
    assert hit.snippet_text == "He wrote <b>stop</b> & left."


# -- the index follows every save --------------------------------------------------------


def test_the_index_follows_complaint_saves(demo_file):
    complaint_id = complaints.save_complaint(demo_file, _complaint(description="A pepper spray incident."),
                                             today=TODAY)
    assert _found(demo_file, "pepper") == {"complaint": [complaint_id]}
    complaint = complaints.load_complaint(demo_file, complaint_id)
    complaint.description = "A chokehold incident."
    complaints.save_complaint(demo_file, complaint, today=TODAY)
    assert _found(demo_file, "pepper") == {}
    assert _found(demo_file, "chokehold") == {"complaint": [complaint_id]}
    complaints.acknowledge(demo_file, complaints.load_complaint(demo_file, complaint_id), "2026-10-02", today=TODAY)
    complaints.void(demo_file, complaints.load_complaint(demo_file, complaint_id), "Entered twice by mistake.")
    hit = search(demo_file, "chokehold")[0].hits[0]
    assert hit.title.endswith(", voided")


def test_the_index_follows_training_officers_and_meetings(demo_file):
    officer = save_officer(demo_file, Officer("Imogen Fairweather"))
    assert _found(demo_file, "Fairweather") == {"officer": [officer]}
    save_officer(demo_file, Officer("Imogen Stormcloud", id=officer, version=1))
    assert _found(demo_file, "Fairweather") == {}
    entry_id = training.save_entry(demo_file, training.TrainingEntry(
        officer_id=officer, taken_on="2026-10-15", title="Crisis intervention", quarter_hours=16), today=TODAY)
    assert _found(demo_file, "crisis")["training"] == [entry_id]
    entry = training.entries_for(demo_file, officer, "2026-2027")[0]
    training.delete_entry(demo_file, entry)
    assert _found(demo_file, "crisis") == {}

    meeting_id = meetings.save_meeting(demo_file, meetings.Meeting(
        kind="other", held_on="2026-10-20", agenda="Cellphone policy",
        attendees=[meetings.Attendee("Ottoline Brisbane")]), today=TODAY)
    assert _found(demo_file, "Brisbane") == {"meeting": [meeting_id]}
    assert _found(demo_file, "cellphone") == {"meeting": [meeting_id]}
    meeting = meetings.load_meeting(demo_file, meeting_id)
    meeting.attendees = [meetings.Attendee("Ottoline Perth")]
    meeting.actions = [meetings.ActionItem("Draft the cellphone letter", owner="Quentin Abernathy")]
    meetings.save_meeting(demo_file, meeting, today=TODAY)
    assert _found(demo_file, "Brisbane") == {}
    assert _found(demo_file, "Perth") == {"meeting": [meeting_id]}
    assert _found(demo_file, "Abernathy") == {"meeting": [meeting_id]}
    hit = search(demo_file, "cellphone")[0].hits[0]
    assert hit.title == "Other meeting"  # no title typed: the kind names it
    meetings.delete_meeting(demo_file, meetings.load_meeting(demo_file, meeting_id))
    assert _found(demo_file, "cellphone") == {} and _found(demo_file, "Perth") == {}


def test_the_index_follows_agreement_clauses(demo_file):
    agreement_id = agreements.new_from_library(demo_file, school_year="2026-2027")
    agreement = agreements.load_agreement(demo_file, agreement_id)
    clause = agreement.clauses[-1]
    assert _found(demo_file, "xylophone") == {}
    agreements.edit_clause(demo_file, agreement, clause.id, title="Xylophone lessons")
    hits = search(demo_file, "xylophone")[0].hits
    assert [(h.record_id, h.clause_id) for h in hits] == [(agreement_id, clause.id)]
    assert hits[0].title.startswith("Xylophone lessons (")


def test_the_index_is_never_out_of_step(records, demo_file):
    for table in ("complaint", "meeting", "meeting_attendee", "meeting_action", "agreement",
                  "agreement_clause", "training_entry", "officer"):
        demo_file.db.execute(f"INSERT INTO [{table}_fts] ([{table}_fts], rank) VALUES ('integrity-check', 1)")


# -- confidential identities -------------------------------------------------------------


def test_a_confidential_identity_is_never_found(records, demo_file):
    for text in ("Zebulon", "Quillfeather", SECRET_NAME, "marimba", "Quillfeath", "marim",
                 "Grandmother marimba"):
        assert _found(demo_file, text) == {}, text
    for text in ("zq", "example", "555", "0199", "Grandmother", "grade nine", "player"):
        assert "complaint" not in _found(demo_file, text), text
    # The complaint itself is found by its own words, and its snippet holds none of them.
    groups = search(demo_file, "vandalism")
    assert [h.record_id for g in groups for h in g.hits] == [records.confidential]
    for group in search(demo_file, "grandson questioned vandalism SRO"):
        for hit in group.hits:
            text = f"{hit.title} {hit.snippet_text}"
            assert not any(w in text for w in ("Zebulon", "Quillfeather", "marimba", "555"))
    # No complainant's name is indexed, confidential or not.
    assert _found(demo_file, "Becker") == {}
    rows = demo_file.query("SELECT * FROM complaint_fts WHERE complaint_fts MATCH 'quillfeather OR marimba'")
    assert rows == []


def test_the_complaint_index_holds_no_identity_columns(demo_file):
    sql = demo_file.query("SELECT sql FROM sqlite_master WHERE name = 'complaint_fts'")[0]["sql"]
    for column in ("name", "contact", "details", "identity_sealed", "preferred_language", "complainant_role"):
        assert f"[{column}]" not in sql


# -- errors and files ----------------------------------------------------------------------


def test_a_read_only_file_is_searched(records, demo_file, db_path):
    demo_file.close()
    with DataFile.open(db_path, OpenOptions(edit=False)) as reader:
        assert _found(reader, "pep rally") == {"complaint": [records.complaint]}


def test_sqlite_errors_become_a_sentence_or_nothing(records, demo_file, monkeypatch):
    def refuse(sql, params=()):
        raise sqlite3.OperationalError("fts5: syntax error near \"\"")

    monkeypatch.setattr(demo_file, "query", refuse)
    assert search(demo_file, "restraint") == []

    def broken(sql, params=()):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(demo_file, "query", broken)
    with pytest.raises(SroDeskError) as caught:
        search(demo_file, "restraint")
    assert "Check File" in caught.value.message


def test_a_file_from_before_search_gains_the_index(db_path):
    db = Database(db_path)
    schema.migrations.apply(db, stop_before="0009_search")
    stamp = {"created_at": "2025-01-01", "updated_at": "2025-01-01", "updated_by": "old", "version": 1}
    db["complaint"].insert({"received_on": "2025-10-01", "school_year": "2025-2026", "track": "community",
                            "channel": "form", "subject": "sro", "category": "force", "confidential": 1,
                            "name": "Hieronymus Plover", "description": "Taser drawn in the gym.", **stamp})
    db["officer"].insert({"name": "Cornelius Wexley", **stamp})
    db.close()
    with DataFile.open(db_path) as data_file:
        applied = [m.name for m in schema.migrations.applied(data_file.db)]
        assert "0009_search" in applied and set(applied) == schema.known_migration_names()
        assert _found(data_file, "taser") == {"complaint": [1]}
        assert _found(data_file, "Wexley") == {"officer": [1]}
        assert _found(data_file, "Plover") == {}
        triggers = {r["name"] for r in data_file.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"complaint_ai", "complaint_ad", "complaint_au", "officer_au"} <= triggers
