"""Issue 19 in the records: a confidential complaint is never saved without its
complainant unless they gave none (said so, and kept on the complaint), and the identity
can be added or corrected later, sealed, version-checked and logged without it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlite_utils import Database

from sro_desk.errors import ConflictError, SroDeskError, ValidationError
from sro_desk.records import complaints as cmp
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.records.seals import SPECS
from sro_desk.store import DataFile, integrity, schema
from sro_desk.store.check import check_file
from tests.reliability.common import sentence_problem

TODAY = date(2026, 11, 22)
SECRET = "Evangelina Quixote-Marsh"
CONTACT = "617-555-0143"
PASSPHRASE = "lantern orchard velvet compass"


def _new(**changes) -> Complaint:
    base = dict(received_on="2026-10-01", channel="form", subject="sro", category="conduct",
                description="The officer raised his voice at my son in the hallway.", confidential=True)
    return Complaint(**{**base, **changes})


def _count(data_file) -> int:
    return data_file.query("SELECT count(*) AS n FROM complaint")[0]["n"]


def _audit(data_file) -> str:
    return json.dumps(data_file.query("SELECT * FROM audit_log"))


@pytest.mark.parametrize("identity", [None, Identity(), Identity("  ", "\t", "")])
def test_a_confidential_complaint_without_an_identity_is_refused(demo_file, identity):
    with pytest.raises(ValidationError) as caught:
        cmp.save_complaint(demo_file, _new(), identity, today=TODAY)
    assert caught.value.message == cmp.NEEDS_IDENTITY
    assert sentence_problem(caught.value.message) is None
    assert _count(demo_file) == 0


def test_gave_none_is_saved_without_a_passphrase_and_kept_for_later(demo_file):
    complaint_id = cmp.save_complaint(demo_file, _new(identity_withheld=True), today=TODAY)
    stored = cmp.load_complaint(demo_file, complaint_id)
    assert stored.identity_withheld and not stored.has_sealed_identity and stored.identity is None
    assert [c.identity_withheld for c in cmp.complaints_for(demo_file, "2026-2027")] == [True]
    assert [c.identity_withheld for c, _ in cmp.overdue(demo_file, today=TODAY)] == [True]
    assert demo_file.query("SELECT identity_withheld FROM complaint")[0]["identity_withheld"] == 1
    # Kept on the complaint and audited with the rest of the intake, in its one audit row.
    said = demo_file.query("SELECT action, user, changes FROM audit_log WHERE table_name = 'complaint'")
    assert [(r["action"], r["user"]) for r in said] == [("insert", demo_file.user)]
    assert json.loads(said[0]["changes"])["identity_withheld"] == [None, 1]
    # Read with the dashboard's other reads in one prefetch, it answers the same.
    with demo_file.reading():
        demo_file.prefetch(cmp.dashboard_reads(demo_file, "2026-2027", TODAY))
        assert [c.identity_withheld for c, _ in cmp.overdue(demo_file, today=TODAY)] == [True]


def test_gave_none_with_an_identity_is_refused_and_ignored_on_a_plain_complaint(demo_file):
    key = cmp.set_passphrase(demo_file, PASSPHRASE)
    with pytest.raises(ValidationError) as caught:
        cmp.save_complaint(demo_file, _new(identity_withheld=True), Identity(SECRET), key=key, today=TODAY)
    assert sentence_problem(caught.value.message) is None and _count(demo_file) == 0
    plain = cmp.save_complaint(demo_file, _new(confidential=False, identity_withheld=True), today=TODAY)
    assert not cmp.load_complaint(demo_file, plain).identity_withheld


def test_an_identity_without_a_passphrase_says_to_set_one(demo_file):
    with pytest.raises(SroDeskError) as caught:
        cmp.save_complaint(demo_file, _new(), Identity(SECRET), today=TODAY)
    assert caught.value.message.startswith("Set a district passphrase")
    assert _count(demo_file) == 0


def test_an_identity_added_later_is_sealed_version_checked_and_logged_without_it(demo_file):
    complaint_id = cmp.save_complaint(demo_file, _new(identity_withheld=True), today=TODAY)
    stored = cmp.load_complaint(demo_file, complaint_id)
    with pytest.raises(SroDeskError) as caught:
        cmp.save_identity(demo_file, stored, Identity(SECRET), key=None)
    assert caught.value.message.startswith("Set a district passphrase")
    key = cmp.set_passphrase(demo_file, PASSPHRASE)
    with pytest.raises(SroDeskError) as caught:
        cmp.save_identity(demo_file, stored, Identity(SECRET), key=None)
    assert caught.value.message.startswith("Unlock")
    with pytest.raises(ValidationError) as caught:
        cmp.save_identity(demo_file, stored, Identity(" ", ""), key=key)
    assert caught.value.message == "Type the complainant's name or contact; nothing was saved."

    cmp.save_identity(demo_file, stored, Identity(f" {SECRET} ", CONTACT), key=key)
    added = cmp.load_complaint(demo_file, complaint_id)
    assert added.has_sealed_identity and added.version == stored.version + 1
    assert cmp.reveal(demo_file, added, cmp.unlock(demo_file, PASSPHRASE)) == Identity(SECRET, CONTACT)
    with pytest.raises(ConflictError):  # saved from the version before
        cmp.save_identity(demo_file, stored, Identity("Someone Else"), key=key)

    cmp.save_identity(demo_file, added, Identity(SECRET, "617-555-0199"), key=key)
    actions = [r["action"] for r in demo_file.query(
        "SELECT action FROM audit_log WHERE table_name = 'complaint' AND row_id = ? ORDER BY id", (complaint_id,))]
    assert actions == ["insert", "update", cmp.IDENTITY_ADDED, "reveal identity", "update", cmp.IDENTITY_CORRECTED]
    assert cmp.load_complaint(demo_file, complaint_id).identity_withheld  # as recorded at intake
    audit = _audit(demo_file)
    for clear in (SECRET, CONTACT, "617-555-0199"):
        assert clear not in audit
        assert clear.encode() not in demo_file.path.read_bytes()


def test_an_identity_is_refused_on_a_plain_or_voided_complaint_or_with_an_old_key(demo_file):
    key = cmp.set_passphrase(demo_file, PASSPHRASE)
    plain = cmp.load_complaint(demo_file, cmp.save_complaint(demo_file, _new(confidential=False), today=TODAY))
    with pytest.raises(ValidationError):
        cmp.save_identity(demo_file, plain, Identity(SECRET), key=key)
    voided_id = cmp.save_complaint(demo_file, _new(identity_withheld=True), today=TODAY)
    cmp.void(demo_file, cmp.load_complaint(demo_file, voided_id), "Entered twice by mistake.")
    with pytest.raises(SroDeskError):
        cmp.save_identity(demo_file, cmp.load_complaint(demo_file, voided_id), Identity(SECRET), key=key)
    # A key unlocked before the passphrase was changed elsewhere would seal an identity
    # that the district's passphrase could never open: refused, nothing written.
    complaint_id = cmp.save_complaint(demo_file, _new(identity_withheld=True), today=TODAY)
    cmp.set_passphrase(demo_file, "a brand new passphrase", current=key)
    before = demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"]
    for save in (lambda: cmp.save_identity(demo_file, cmp.load_complaint(demo_file, complaint_id),
                                           Identity(SECRET), key=key),
                 lambda: cmp.save_complaint(demo_file, _new(), Identity(SECRET), key=key, today=TODAY)):
        with pytest.raises(SroDeskError) as caught:
            save()
        assert "passphrase was changed" in caught.value.message
        assert sentence_problem(caught.value.message) is None
    assert demo_file.query("SELECT count(*) AS n FROM audit_log")[0]["n"] == before
    assert not cmp.load_complaint(demo_file, complaint_id).has_sealed_identity


def test_correcting_the_intake_keeps_that_they_gave_none(demo_file):
    complaint_id = cmp.save_complaint(demo_file, _new(identity_withheld=True), today=TODAY)
    stored = cmp.load_complaint(demo_file, complaint_id)
    corrected = Complaint(**{**stored.__dict__, "description": "He shouted at my son.", "identity_withheld": False})
    cmp.save_complaint(demo_file, corrected, today=TODAY)
    again = cmp.load_complaint(demo_file, complaint_id)
    assert again.description == "He shouted at my son." and again.identity_withheld
    changed = demo_file.query("SELECT changes FROM audit_log WHERE table_name = 'complaint' AND action = 'update'")
    assert [sorted(json.loads(r["changes"])) for r in changed] == [["description"]]


def test_a_file_from_before_keeps_that_they_gave_none(db_path):
    """A file made by the build that kept "they gave none" only as an audit row: brought
    up to date, the complaint says so, the others do not, and nothing else moves."""
    db = Database(db_path)
    schema.migrations.apply(db, stop_before="0013_identity_withheld")
    conn = db.conn
    integrity.register(conn)
    stamp = {"created_at": "2026-10-01T12:00:00+00:00", "updated_at": "2026-10-20T12:00:00+00:00",
             "updated_by": "clerk", "version": 3}
    base = {"received_on": "2026-10-01", "school_year": "2026-2027", "track": "community", "channel": "form",
            "subject": "sro", "category": "conduct", "description": "Raised his voice in the hallway.",
            "complainant_role": "parent", "preferred_language": "English", "voided": 0, **stamp}
    gave_none = db["complaint"].insert({**base, "confidential": 1, "acknowledged_on": "2026-10-02",
                                        "review_started_on": "2026-10-03", "reviewer": "Principal",
                                        "finding": "unfounded", "finding_on": "2026-10-10",
                                        "communicated_on": "2026-10-12", "communicated_method": "phone",
                                        "communicated_language": "English", "closed_on": "2026-10-20"}).last_pk
    sealed = db["complaint"].insert({**base, "confidential": 1, "identity_sealed": "c2VhbGVk"}).last_pk
    plain = db["complaint"].insert({**base, "confidential": 0, "name": "Tom Baker"}).last_pk
    said = [(gave_none, "insert"), (gave_none, "no identity given"), (sealed, "insert"), (sealed, "identity added"),
            (plain, "insert"), (gave_none, "update")]
    for n, (row_id, action) in enumerate(said):
        conn.execute(integrity.AUDIT_INSERT, (f"2026-10-{n + 1:02d}T12:00:00+00:00", "clerk", "pc", "complaint",
                                              row_id, action, "{}"))
    # A "no identity given" of another table's row numbered like the plain complaint is not its.
    conn.execute(integrity.AUDIT_INSERT, ("2026-10-21T12:00:00+00:00", "clerk", "pc", "school", plain,
                                          "no identity given", "{}"))
    spec = SPECS["complaint"]
    db["seal"].insert({"table_name": "complaint", "row_id": gave_none, "spec": json.dumps(spec),
                       "digest": integrity.digest(conn, spec, gave_none), "sealed_at": "2026-10-20",
                       "sealed_by": "clerk", "chain_count": 6, "chain_head": "", **stamp})
    conn.commit()
    before = [dict(r) for r in db.query("SELECT id, version, updated_at, updated_by FROM complaint ORDER BY id")]
    audit_before = [dict(r) for r in db.query("SELECT * FROM audit_log ORDER BY id")]
    db.close()

    with DataFile.open(db_path) as data_file:
        assert {m.name for m in schema.migrations.applied(data_file.db)} == schema.known_migration_names()
        column = data_file.query("SELECT type, [notnull], dflt_value FROM pragma_table_info('complaint') "
                                 "WHERE name = 'identity_withheld'")
        assert column == [{"type": "INTEGER", "notnull": 1, "dflt_value": "0"}]
        assert {c.id: c.identity_withheld for c in cmp.complaints_for(data_file, "2026-2027")} == {
            gave_none: True, sealed: False, plain: False}
        assert cmp.load_complaint(data_file, gave_none).identity_withheld
        assert not cmp.load_complaint(data_file, sealed).identity_withheld
        assert [(c.id, c.identity_withheld) for c, _ in cmp.overdue(data_file, today=TODAY)] == [
            (sealed, False), (plain, False)]
        # The same fact moved: no row's version moves, the audit log is as it was.
        assert data_file.query("SELECT id, version, updated_at, updated_by FROM complaint ORDER BY id") == before
        assert data_file.query("SELECT * FROM audit_log ORDER BY id") == audit_before
        # A complaint saved now keeps its own fact on its row.
        new_id = cmp.save_complaint(data_file, _new(identity_withheld=True), today=TODAY)
        assert data_file.query("SELECT identity_withheld FROM complaint WHERE id = ?", (new_id,)) == [
            {"identity_withheld": 1}]
    report = check_file(db_path)
    assert report.healthy, report.problems  # the change log's chain and the closed complaint's seal hold
