"""The shape of the data file, changed only by forward migrations.

Migrations are registered with sqlite-utils' ``Migrations``; each runs in a transaction
together with the record that it ran. A file whose record names a migration this
version does not know was written by a newer SRO Desk and is refused, never altered.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

#: Marks a SQLite file as an SRO Desk file (the bytes "SROD" in the file header).
APPLICATION_ID = 0x53524F44

migrations = Migrations("sro_desk")

#: Columns every record table carries, for optimistic locking and the audit trail.
RECORD_COLUMNS = {
    "created_at": str,
    "updated_at": str,
    "updated_by": str,
    "version": int,
}
_RECORD_NOT_NULL = {"created_at", "updated_at", "updated_by", "version"}


def create_record_table(
    db: Database,
    name: str,
    columns: dict,
    *,
    not_null: set[str] = frozenset(),
    foreign_keys: list[tuple[str, str, str]] = (),
) -> None:
    """Create a record table with ``id``, the caller's columns and the record columns."""
    db[name].create(
        {"id": int, **columns, **RECORD_COLUMNS},
        pk="id",
        not_null=set(not_null) | _RECORD_NOT_NULL,
        defaults={"version": 1},
        foreign_keys=list(foreign_keys),
    )


@migrations(name="0001_core")
def _core(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "user": str,
            "machine": str,
            "table_name": str,
            "row_id": int,
            "action": str,
            "changes": str,
        },
        pk="id",
        not_null={"at", "user", "table_name", "action"},
    )
    db["audit_log"].create_index(["table_name", "row_id"])


@migrations(name="0002_district")
def _district(db: Database) -> None:
    create_record_table(
        db,
        "district",
        {"name": str, "kind": str, "superintendent_name": str},
        not_null={"name", "kind"},
    )
    create_record_table(
        db,
        "school",
        {"district_id": int, "name": str, "grades": str, "principal_name": str},
        not_null={"district_id", "name"},
        foreign_keys=[("district_id", "district", "id")],
    )
    create_record_table(
        db,
        "police_department",
        {"district_id": int, "name": str, "town": str, "chief_name": str},
        not_null={"district_id", "name"},
        foreign_keys=[("district_id", "district", "id")],
    )
    db["school"].create_index(["district_id"])
    db["police_department"].create_index(["district_id"])


@migrations(name="0003_agreements")
def _agreements(db: Database) -> None:
    create_record_table(
        db,
        "agreement",
        {
            "school_year": str,
            "title": str,
            "status": str,
            "source": str,
            "library_version": str,
            "based_on_id": int,
            "options": str,
            "ready_reason": str,
            "signed_on": str,
            "filed_on": str,
        },
        not_null={"school_year", "title", "status", "source"},
        foreign_keys=[("based_on_id", "agreement", "id")],
    )
    child = [("agreement_id", "agreement", "id")]
    create_record_table(
        db,
        "agreement_clause",
        {
            "agreement_id": int,
            "position": int,
            "part": str,
            "clause_key": str,
            "title": str,
            "text": str,
            "library_text": str,
            "components": str,
            "statutory": int,
            "included": int,
        },
        not_null={"agreement_id", "position", "part", "title", "text"},
        foreign_keys=child,
    )
    create_record_table(
        db,
        "agreement_blank",
        {
            "agreement_id": int,
            "key": str,
            "label": str,
            "type": str,
            "required": int,
            "help": str,
            "choices": str,
            "value": str,
        },
        not_null={"agreement_id", "key", "label", "type"},
        foreign_keys=child,
    )
    create_record_table(
        db,
        "agreement_signature",
        {
            "agreement_id": int,
            "position": int,
            "role": str,
            "name": str,
            "title": str,
            "organisation": str,
            "signed_on": str,
        },
        not_null={"agreement_id", "position"},
        foreign_keys=child,
    )
    create_record_table(
        db,
        "agreement_cost",
        {"agreement_id": int, "category": str, "amount_cents": int, "note": str},
        not_null={"agreement_id", "category"},
        foreign_keys=child,
    )
    create_record_table(
        db,
        "agreement_attachment",
        {"agreement_id": int, "file_name": str, "media_type": str, "data": bytes},
        not_null={"agreement_id", "file_name"},
        foreign_keys=child,
    )
    for table in (
        "agreement_clause",
        "agreement_blank",
        "agreement_signature",
        "agreement_cost",
        "agreement_attachment",
    ):
        db[table].create_index(["agreement_id"])
    db["agreement"].create_index(["school_year"])


@migrations(name="0004_training")
def _training(db: Database) -> None:
    create_record_table(
        db,
        "setting",
        {"key": str, "value": str},
        not_null={"key"},
    )
    db["setting"].create_index(["key"], unique=True)
    create_record_table(
        db,
        "officer",
        {
            "name": str,
            "rank": str,
            "department_id": int,
            "years_of_service": int,
            "assigned_sro": int,
            "notes": str,
        },
        not_null={"name"},
        foreign_keys=[("department_id", "police_department", "id")],
    )
    create_record_table(
        db,
        "training_topic",
        {"key": str, "label": str},
        not_null={"key", "label"},
    )
    db["training_topic"].create_index(["key"], unique=True)
    create_record_table(
        db,
        "training_entry",
        {
            "officer_id": int,
            "taken_on": str,
            "school_year": str,
            "title": str,
            "provider": str,
            "quarter_hours": int,
            "topics": str,
            "basic_course": int,
            "with_administrators": str,
            "notes": str,
        },
        not_null={"officer_id", "taken_on", "school_year", "title", "quarter_hours"},
        foreign_keys=[("officer_id", "officer", "id")],
    )
    db["training_entry"].create_index(["officer_id", "school_year"])
    db["training_entry"].create_index(["taken_on"])
    create_record_table(
        db,
        "certification",
        {
            "officer_id": int,
            "kind": str,
            "number": str,
            "granted_on": str,
            "expires_on": str,
        },
        not_null={"officer_id", "kind", "granted_on"},
        foreign_keys=[("officer_id", "officer", "id")],
    )
    db["certification"].create_index(["officer_id"])
    create_record_table(
        db,
        "attachment",
        {
            "owner_table": str,
            "owner_id": int,
            "file_name": str,
            "media_type": str,
            "data": bytes,
        },
        not_null={"owner_table", "owner_id", "file_name", "media_type"},
    )
    db["attachment"].create_index(["owner_table", "owner_id"])


@migrations(name="0005_selection")
def _selection(db: Database) -> None:
    create_record_table(
        db,
        "selection_round",
        {
            "school_year": str,
            "school_id": int,
            "title": str,
            "opened_on": str,
            "status": str,
            "against_officer_id": int,
            "against_reason": str,
            "notes": str,
        },
        not_null={"school_year", "title", "opened_on", "status"},
        foreign_keys=[("school_id", "school", "id"), ("against_officer_id", "officer", "id")],
    )
    round_key = [("round_id", "selection_round", "id")]
    create_record_table(
        db,
        "selection_candidate",
        {"round_id": int, "officer_id": int, "position": int},
        not_null={"round_id", "officer_id"},
        foreign_keys=[*round_key, ("officer_id", "officer", "id")],
    )
    create_record_table(
        db,
        "selection_criterion",
        {"round_id": int, "key": str, "label": str, "kind": str, "position": int},
        not_null={"round_id", "key", "label", "kind"},
        foreign_keys=round_key,
    )
    create_record_table(
        db,
        "selection_input",
        {
            "round_id": int,
            "source_group": str,
            "gathered_on": str,
            "gathered_by": str,
            "participants": str,
            "notes": str,
        },
        not_null={"round_id", "source_group", "gathered_on"},
        foreign_keys=round_key,
    )
    create_record_table(
        db,
        "selection_score",
        {"input_id": int, "candidate_id": int, "criterion_id": int, "score": int, "comment": str},
        not_null={"input_id", "candidate_id"},
        foreign_keys=[
            ("input_id", "selection_input", "id"),
            ("candidate_id", "selection_candidate", "id"),
            ("criterion_id", "selection_criterion", "id"),
        ],
    )
    create_record_table(
        db,
        "selection_disclosure",
        {"candidate_id": int, "relationship": str, "description": str, "department_decision": str},
        not_null={"candidate_id", "relationship"},
        foreign_keys=[("candidate_id", "selection_candidate", "id")],
    )
    create_record_table(
        db,
        "selection_decision",
        {
            "round_id": int,
            "officer_id": int,
            "decided_on": str,
            "reasons": str,
            "reason_text": str,
            "chief_explanation": str,
        },
        not_null={"round_id", "officer_id", "decided_on", "reasons"},
        foreign_keys=[*round_key, ("officer_id", "officer", "id")],
    )
    for table in ("selection_candidate", "selection_criterion", "selection_input"):
        db[table].create_index(["round_id"])
    db["selection_decision"].create_index(["round_id"], unique=True)
    db["selection_score"].create_index(["input_id"])
    db["selection_score"].create_index(["candidate_id"])
    db["selection_disclosure"].create_index(["candidate_id"])


@migrations(name="0006_enforcement")
def _enforcement(db: Database) -> None:
    create_record_table(
        db,
        "enrolment",
        {"school_id": int, "school_year": str, "students": int},
        not_null={"school_id", "school_year", "students"},
        foreign_keys=[("school_id", "school", "id")],
    )
    db["enrolment"].create_index(["school_id", "school_year"], unique=True)
    create_record_table(
        db,
        "enforcement_action",
        {
            "occurred_at": str,
            "school_year": str,
            "school_id": int,
            "place": str,
            "kind": str,
            "offense": str,
            "statute": str,
            "warrant": int,
            "last_resort_reason": str,
            "principal_consulted": int,
            "principal_reason": str,
            "parent_notified_at": str,
            "parent_told_before_questioning": int,
            "parent_offered_to_attend": int,
            "outcome": str,
            "student_ref": str,
            "grade": str,
            "age": int,
            "gender": str,
            "race_ethnicity": str,
            "disability": str,
            "english_learner": int,
            "econ_disadvantaged": int,
            "high_needs": int,
            "acknowledged": str,
        },
        not_null={"occurred_at", "school_year", "school_id", "place", "kind"},
        foreign_keys=[("school_id", "school", "id")],
    )
    db["enforcement_action"].create_index(["school_year", "school_id"])
    db["enforcement_action"].create_index(["occurred_at"])
    create_record_table(
        db,
        "sro_activity",
        {
            "occurred_on": str,
            "school_year": str,
            "school_id": int,
            "kind": str,
            "count": int,
            "notes": str,
        },
        not_null={"occurred_on", "school_year", "kind", "count"},
        foreign_keys=[("school_id", "school", "id")],
    )
    db["sro_activity"].create_index(["school_year"])


@migrations(name="0007_complaints")
def _complaints(db: Database) -> None:
    create_record_table(
        db,
        "complaint",
        {
            "received_on": str,
            "school_year": str,
            "track": str,
            "channel": str,
            "complainant_role": str,
            "preferred_language": str,
            "interpreter": int,
            "confidential": int,
            "name": str,
            "contact": str,
            "details": str,
            "identity_sealed": str,
            "subject": str,
            "school_id": int,
            "incident_on": str,
            "category": str,
            "description": str,
            "acknowledged_on": str,
            "review_started_on": str,
            "reviewer": str,
            "police_process": int,
            "finding": str,
            "finding_on": str,
            "communicated_on": str,
            "communicated_method": str,
            "communicated_language": str,
            "closed_on": str,
            "voided": int,
            "void_reason": str,
        },
        not_null={"received_on", "school_year", "track", "channel", "subject", "category"},
        foreign_keys=[("school_id", "school", "id")],
    )
    db["complaint"].create_index(["school_year"])
    create_record_table(
        db,
        "complaint_notice",
        {"school_year": str, "given_on": str, "method": str, "audience": str, "notes": str},
        not_null={"school_year", "given_on", "method", "audience"},
    )
    db["complaint_notice"].create_index(["school_year"])


@migrations(name="0008_meetings")
def _meetings(db: Database) -> None:
    create_record_table(
        db,
        "meeting",
        {
            "kind": str,
            "held_on": str,
            "school_year": str,
            "title": str,
            "location": str,
            "agenda": str,
            "minutes": str,
            "decisions": str,
        },
        not_null={"kind", "held_on", "school_year"},
    )
    db["meeting"].create_index(["school_year", "kind"])
    db["meeting"].create_index(["held_on"])
    child = [("meeting_id", "meeting", "id")]
    create_record_table(
        db,
        "meeting_school",
        {"meeting_id": int, "school_id": int},
        not_null={"meeting_id", "school_id"},
        foreign_keys=child + [("school_id", "school", "id")],
    )
    create_record_table(
        db,
        "meeting_attendee",
        {"meeting_id": int, "position": int, "name": str, "role": str},
        not_null={"meeting_id", "position", "name"},
        foreign_keys=child,
    )
    create_record_table(
        db,
        "meeting_action",
        {"meeting_id": int, "position": int, "description": str, "owner": str, "due_on": str, "done_on": str},
        not_null={"meeting_id", "position", "description"},
        foreign_keys=child,
    )
    for table in ("meeting_school", "meeting_attendee", "meeting_action"):
        db[table].create_index(["meeting_id"])
    db["meeting_school"].create_index(["school_id"])
    db["meeting_action"].create_index(["due_on"])
    create_record_table(
        db,
        "program_goal",
        {"position": int, "text": str, "source": str, "retired": int},
        not_null={"position", "text", "source"},
    )
    create_record_table(
        db,
        "review_metric",
        {
            "school_year": str,
            "position": int,
            "name": str,
            "measures": str,
            "target": str,
            "source": str,
            "manual_value": str,
            "agreed_on": str,
            "agreed_by": str,
        },
        not_null={"school_year", "position", "name", "source"},
    )
    db["review_metric"].create_index(["school_year"])
    create_record_table(
        db,
        "community_feedback",
        {"school_year": str, "received_on": str, "source_group": str, "school_id": int, "summary": str},
        not_null={"school_year", "received_on", "source_group", "summary"},
        foreign_keys=[("school_id", "school", "id")],
    )
    db["community_feedback"].create_index(["school_year"])
    create_record_table(
        db,
        "annual_review",
        {
            "school_year": str,
            "meeting_id": int,
            "held_on": str,
            "performance": str,
            "summary": str,
            "status": str,
        },
        not_null={"school_year", "status"},
        foreign_keys=child,
    )
    db["annual_review"].create_index(["school_year"], unique=True)
    review = [("review_id", "annual_review", "id")]
    create_record_table(
        db,
        "review_finding",
        {"review_id": int, "goal_id": int, "metric_id": int, "rating": str, "finding": str},
        not_null={"review_id"},
        foreign_keys=review + [("goal_id", "program_goal", "id"), ("metric_id", "review_metric", "id")],
    )
    create_record_table(
        db,
        "review_assignment",
        {
            "review_id": int,
            "officer_id": int,
            "school_id": int,
            "recommendation": str,
            "reason": str,
            "chief_keeps": int,
            "chief_explanation": str,
        },
        not_null={"review_id", "officer_id", "recommendation"},
        foreign_keys=review + [("officer_id", "officer", "id"), ("school_id", "school", "id")],
    )
    for table in ("review_finding", "review_assignment"):
        db[table].create_index(["review_id"])


@migrations(name="0009_search")
def _search(db: Database) -> None:
    # One external-content FTS5 index per record table (sqlite-utils' layout: <table>_fts,
    # triggers <table>_ai/_ad/_au), so the text is stored once, in the record itself.
    # A complaint's name, contact, details and sealed identity are never indexed: a
    # search can then never find, or show a snippet of, a confidential identity.
    # Triggers are written here rather than by enable_fts(), whose executescript() would
    # commit the migration's transaction halfway.
    searched = {
        "complaint": ("subject", "category", "description"),
        "meeting": ("title", "agenda", "minutes", "decisions", "location"),
        "meeting_attendee": ("name", "role"),
        "meeting_action": ("description", "owner"),
        "agreement": ("title", "school_year"),
        "agreement_clause": ("title", "text"),
        "training_entry": ("title", "provider", "notes"),
        "officer": ("name",),
    }
    for table, columns in searched.items():
        fts = f"[{table}_fts]"
        listed = ", ".join(f"[{c}]" for c in columns)
        old = ", ".join(f"old.[{c}]" for c in columns)
        new = ", ".join(f"new.[{c}]" for c in columns)
        db.execute(
            f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({listed}, "
            f"tokenize='porter unicode61 remove_diacritics 2', content=[{table}])"
        )
        db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
        db.execute(
            f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN "
            f"INSERT INTO {fts} (rowid, {listed}) VALUES (new.rowid, {new}); END"
        )
        db.execute(
            f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN "
            f"INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES ('delete', old.rowid, {old}); END"
        )
        # Only a change to indexed text re-indexes a row: a complaint moving through its
        # steps leaves its index entry alone.
        db.execute(
            f"CREATE TRIGGER [{table}_au] AFTER UPDATE OF [id], {listed} ON [{table}] BEGIN "
            f"INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES ('delete', old.rowid, {old}); "
            f"INSERT INTO {fts} (rowid, {listed}) VALUES (new.rowid, {new}); END"
        )


@migrations(name="0010_speed")
def _speed(db: Database) -> None:
    # A year's entries in date order, and the year's counts by kind and school, read from
    # the index alone on a large file.
    db["enforcement_action"].create_index(["school_year", "occurred_at"])
    db["enforcement_action"].create_index(["school_year", "kind", "school_id", "student_ref"])
    db["complaint"].create_index(["school_year", "received_on"])


@migrations(name="0011_open_items")
def _open_items(db: Database) -> None:
    # What pages and the dashboard count or list as still open, read from small partial
    # indexes instead of the whole table: complaints not yet communicated, action items not
    # done, and a year's entries with a flag not acknowledged. A query uses a partial index
    # only when its WHERE repeats the index's condition word for word, so the condition is
    # the one the readers use (records.listing.open_flags_sql; imported here, when the
    # migration runs, rather than copied).
    from sro_desk.records.listing import open_flags_sql

    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_complaint_open ON complaint (received_on) "
        "WHERE coalesce(voided, 0) = 0 AND communicated_on IS NULL"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_meeting_action_open ON meeting_action (due_on) "
        "WHERE done_on IS NULL OR done_on = ''"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_enforcement_action_open_flags ON enforcement_action (school_year) "
        f"WHERE {open_flags_sql()}"
    )


@migrations(name="0012_tamper_evidence")
def _tamper_evidence(db: Database) -> None:
    # The audit log becomes a hash chain (store.integrity), rows written before it
    # chained in order; finished records get seals that name what they cover.
    from sro_desk.store.integrity import backfill

    if "hash" not in db["audit_log"].columns_dict:
        db.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
    backfill(db.conn)
    create_record_table(
        db,
        "seal",
        {"table_name": str, "row_id": int, "spec": str, "digest": str, "sealed_at": str, "sealed_by": str,
         "chain_count": int, "chain_head": str, "released_at": str, "released_reason": str},
        not_null={"table_name", "row_id", "spec", "digest"},
    )
    db["seal"].create_index(["table_name", "row_id"])


@migrations(name="0013_identity_withheld")
def _identity_withheld(db: Database) -> None:
    # Whether a confidential complainant gave no name or contact is a fact of the complaint,
    # kept on its row. Files from before kept it only as an audit row "no identity given",
    # which stays where it is (the audit log is a chain, never edited); the fact is copied
    # from it. The copy is the same fact moved, not a change anyone made, so it neither
    # moves the rows' versions nor adds audit rows. The complaint's search triggers name
    # only their own columns (0009), so neither the new column nor the copy touches them.
    if "identity_withheld" not in db["complaint"].columns_dict:
        db.execute("ALTER TABLE complaint ADD COLUMN identity_withheld INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE complaint SET identity_withheld = 1 WHERE id IN (SELECT row_id FROM audit_log "
        "WHERE table_name = 'complaint' AND action = 'no identity given')"
    )


@migrations(name="0014_law_2020")
def _law_2020(db: Database) -> None:
    # What the law since 2020 asks the file to know (shared/DOMAIN.md): an SRO
    # certification's status, and the training a conditional one must finish by when
    # (555 CMR 10.07, 10.09); the officer's own POST certification, which the SRO
    # certification follows when it is suspended or revoked (555 CMR 10.09(9)-(10)); and
    # when, and to whom, a complaint about an officer was passed to the police department
    # (555 CMR 1.01(1)). New columns only, every one allowed to be empty: a certification
    # with no status is active, a blank expiry stays blank (it reads "expiry not
    # recorded"), and no row is rewritten, so no version moves and the audit log is as it
    # was. The search triggers name their own columns (0009), so none of this touches them.
    added = {
        "certification": ("status", "conditions", "conditions_due"),
        "officer": ("post_status", "post_expires_on"),
        "complaint": ("passed_on", "passed_to"),
    }
    for table, columns in added.items():
        have = db[table].columns_dict
        for column in columns:
            if column not in have:
                db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] TEXT")


@migrations(name="0015_open_flags_index")
def _open_flags_index(db: Database) -> None:
    # The c. 272 rule now covers school grounds and school-related events as well as the
    # building (G.L. c. 272, §§ 40, 53), so the condition the readers use for open flags
    # changed; a partial index serves a query only when its condition is the same word for
    # word, so the index made by 0011 is made again with today's condition.
    from sro_desk.records.listing import open_flags_sql

    db.execute("DROP INDEX IF EXISTS idx_enforcement_action_open_flags")
    db.execute(
        "CREATE INDEX idx_enforcement_action_open_flags ON enforcement_action (school_year) "
        f"WHERE {open_flags_sql()}"
    )


def known_migration_names() -> set[str]:
    """Names of every migration this version knows."""
    return {m.name for m in migrations.pending(Database(memory=True, execute_plugins=False))}
