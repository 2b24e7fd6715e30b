"""Migration 0014_law_2020 from a file made before it (at 0013): the new columns are
added empty; old certifications keep working (no status reads as active, a blank expiry
reads as "expiry not recorded", a warning); complaints and officers read as before; no
row's version moves and the audit log is as it was."""

from __future__ import annotations

import sqlite3
from datetime import date

from sqlite_utils import Database

from sro_desk.records import complaints as cmp
from sro_desk.records import officers, training
from sro_desk.store import DataFile, integrity, schema

TODAY = date(2026, 11, 22)
STAMP = {"created_at": "2026-01-10T12:00:00+00:00", "updated_at": "2026-02-01T12:00:00+00:00",
         "updated_by": "clerk", "version": 2}


def _file_at_0013(db_path) -> dict[str, int]:
    db = Database(db_path)
    schema.migrations.apply(db, stop_before="0014_law_2020")
    assert "status" not in db["certification"].columns_dict
    integrity.register(db.conn)
    ids = {
        "sro": db["officer"].insert({"name": "Marcus Bell", "assigned_sro": 1, **STAMP}).last_pk,
        "other": db["officer"].insert({"name": "Priya Raman", "assigned_sro": 1, **STAMP}).last_pk,
    }
    ids["dated"] = db["certification"].insert({
        "officer_id": ids["sro"], "kind": training.POST_CERTIFICATION, "number": "SRO-1",
        "granted_on": "2025-06-30", "expires_on": "2028-06-30", **STAMP}).last_pk
    ids["blank"] = db["certification"].insert({
        "officer_id": ids["other"], "kind": training.POST_CERTIFICATION, "number": "SRO-2",
        "granted_on": "2024-01-10", "expires_on": None, **STAMP}).last_pk
    ids["complaint"] = db["complaint"].insert({
        "received_on": "2026-11-20", "school_year": "2026-2027", "track": "community", "channel": "form",
        "subject": "sro", "category": "bias", "description": "Singled out by race.", "complainant_role": "parent",
        "preferred_language": "English", "confidential": 0, "voided": 0, **STAMP}).last_pk
    for n, (table, row_id) in enumerate((("officer", ids["sro"]), ("certification", ids["dated"]))):
        db.conn.execute(integrity.AUDIT_INSERT, (f"2026-01-1{n}T12:00:00+00:00", "clerk", "pc", table, row_id,
                                                 "insert", "{}"))
    db.conn.commit()
    db.close()
    return ids


def _snapshot(db_path) -> tuple[list, list]:
    conn = sqlite3.connect(db_path)
    versions = [conn.execute(f"SELECT id, version, updated_at, updated_by FROM {table} ORDER BY id").fetchall()
                for table in ("officer", "certification", "complaint")]
    audit = conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    conn.close()
    return versions, audit


def test_a_file_from_0013_keeps_its_certifications_working(db_path):
    ids = _file_at_0013(db_path)
    before = _snapshot(db_path)
    with DataFile.open(db_path) as data_file:
        assert {m.name for m in schema.migrations.applied(data_file.db)} == schema.known_migration_names()
        for table, columns in (("certification", {"status", "conditions", "conditions_due"}),
                               ("officer", {"post_status", "post_expires_on"}),
                               ("complaint", {"passed_on", "passed_to"})):
            assert columns <= set(data_file.db[table].columns_dict), table
        (dated,) = training.certifications_of(data_file, ids["sro"])
        assert (dated.status, dated.state(TODAY), dated.number) == ("active", "current", "SRO-1")
        (blank,) = training.certifications_of(data_file, ids["other"])
        assert (blank.status, blank.state(TODAY)) == ("active", "expiry not recorded")
        warnings = training.certification_warnings(data_file, today=TODAY)
        assert [w.key for w in warnings] == [f"sro_certification_expiry_unknown_{ids['other']}"]
        assert officers.load_officer(data_file, ids["sro"]).post_state(TODAY) == "not recorded"
        complaint = cmp.load_complaint(data_file, ids["complaint"])
        assert (complaint.passed_on, complaint.never_minor) == ("", True)
        assert [c.id for c, _due, _s in cmp.pass_on_owed(data_file)] == [ids["complaint"]]
    assert _snapshot(db_path) == before  # brought up to date without changing a row or the log

    with DataFile.open(db_path) as data_file:  # and saved as any other since
        training.save_certification(data_file, training.Certification(
            **{**blank.__dict__, "expires_on": "2027-01-10", "status": "suspended"}))
        (again,) = training.certifications_of(data_file, ids["other"])
        assert (again.version, again.state(TODAY)) == (3, "suspended")
        cmp.record_passed_to_department(data_file, complaint, "2026-11-23", today=TODAY.replace(day=24))
        assert cmp.load_complaint(data_file, ids["complaint"]).passed_on == "2026-11-23"
        broken, _count, _ = integrity.verify_chain(data_file.conn)
        assert broken is None
