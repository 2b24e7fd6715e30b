"""Which finished records are sealed, and what each seal covers.

A signed agreement, a final review and a closed complaint are sealed in the transaction
that finishes them (``store.integrity``): the seal keeps a hash of the content that must
not change afterwards. What legitimately changes later is left out: an agreement's
status and filing date, a complaint's sealed identity (re-sealed when the passphrase
changes) and its voiding, everyone's bookkeeping columns.
"""

from __future__ import annotations

import json

from sro_desk.store import DataFile, rows
from sro_desk.store.integrity import LABELS, Spec, digest, seal_of

SPECS: dict[str, Spec] = {
    "agreement": [
        ("agreement", "id", ["school_year", "title", "source", "library_version", "options", "signed_on"]),
        ("agreement_clause", "agreement_id",
         ["position", "part", "clause_key", "title", "text", "statutory", "included"]),
        ("agreement_blank", "agreement_id", ["key", "label", "type", "value"]),
        ("agreement_signature", "agreement_id", ["position", "role", "name", "title", "organisation", "signed_on"]),
    ],
    "annual_review": [
        ("annual_review", "id", ["school_year", "meeting_id", "held_on", "performance", "summary"]),
        ("review_finding", "review_id", ["goal_id", "metric_id", "rating", "finding"]),
        ("review_assignment", "review_id",
         ["officer_id", "school_id", "recommendation", "reason", "chief_keeps", "chief_explanation"]),
    ],
    "complaint": [
        ("complaint", "id", ["received_on", "school_year", "track", "channel", "complainant_role",
                             "preferred_language", "subject", "school_id", "incident_on", "category",
                             "description", "acknowledged_on", "review_started_on", "reviewer", "police_process",
                             "finding", "finding_on", "communicated_on", "communicated_method",
                             "communicated_language", "closed_on"]),
    ],
}
__all__ = ["LABELS", "SPECS", "release", "seal", "status"]


def seal(data_file: DataFile, table: str, row_id: int) -> None:
    """Seal a record now; call inside the write transaction that finishes it."""
    spec = SPECS[table]
    conn = data_file.conn
    count, head = conn.execute(
        "SELECT count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) FROM audit_log").fetchone()
    from sro_desk.store.rows import now_text

    rows.insert(data_file, "seal", {
        "table_name": table, "row_id": row_id, "spec": json.dumps(spec), "digest": digest(conn, spec, row_id),
        "sealed_at": now_text(), "sealed_by": data_file.user, "chain_count": count, "chain_head": head or "",
    })


def release(data_file: DataFile, table: str, row_id: int, reason: str) -> None:
    """Lift a record's seal (a final review reopened for correction); audited, and the
    record is sealed again when it is finished again."""
    from sro_desk.store.rows import now_text

    for found in data_file.query("SELECT id, version FROM seal WHERE table_name = ? AND row_id = ? "
                                 "AND (released_at IS NULL OR released_at = '')", (table, row_id)):
        rows.update(data_file, "seal", found["id"], {"released_at": now_text(), "released_reason": reason},
                    expected_version=found["version"], label="seal")


def status(data_file: DataFile, table: str, row_id: int) -> dict | None:
    """The record's active seal (digest, sealed_at, chain_count, chain_head, intact)."""
    return seal_of(data_file.conn, table, row_id)
