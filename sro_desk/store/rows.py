"""Saving record rows: versions checked, changes audited, in the caller's transaction.

Every record row carries ``version``, ``updated_at`` and ``updated_by``. A save names
the version it started from; if the row has moved on since, the save is refused with a
ConflictError holding both versions, never silently overwritten. Each change writes an
audit row in the same transaction, so the two land together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any

from sro_desk.errors import ConflictError, ValidationError
from sro_desk.store.database import DataFile

_RECORD_COLUMNS = ("id", "created_at", "updated_at", "updated_by", "version")


def now_text() -> str:
    """The current time as stored in the file: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def local_time_text(stored: str | None) -> str:
    """A stored UTC time shown in this computer's time zone, e.g. 'Nov 22, 2026 9:14 AM'."""
    if not stored:
        return "an unknown time"
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return stored
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone()
    return local.strftime("%b %d, %Y %I:%M %p").replace(" 0", " ")


def _require_transaction(data_file: DataFile) -> None:
    if not data_file.conn.in_transaction:
        raise RuntimeError("record changes must run inside DataFile.write()")


#: Columns whose values the audit log never keeps: sealed identities (an old ciphertext
#: would still open with an old passphrase). The log records that they changed.
SECRET_COLUMNS = {"identity_sealed"}
#: Settings whose values the audit log never keeps (the passphrase's salt and check).
SECRET_SETTINGS = {"identity_key_record"}


def _auditable(value: Any) -> Any:
    """What the audit log keeps of a value: bulky binary data is summarised, not copied."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    return value


def _redacted(table: str, row: dict | None, changes: dict[str, list]) -> dict[str, list]:
    """The changes with secret values replaced by a marker that they changed."""
    secret = set(SECRET_COLUMNS)
    key = (row or {}).get("key") or changes.get("key", [None, None])[1]
    if table == "setting" and key in SECRET_SETTINGS:
        secret.add("value")
    return {
        k: (["<not recorded>" if v is not None else None for v in pair] if k in secret else pair)
        for k, pair in changes.items()
    }


def audit(
    data_file: DataFile,
    table: str,
    row_id: int,
    action: str,
    changes: dict[str, Any],
) -> None:
    """Add an audit row (who, when, which record, what changed) to this transaction."""
    _require_transaction(data_file)
    # One INSERT in the caller's transaction (sqlite-utils' insert would look the table up
    # and wrap it in a savepoint: four more statements for every save).
    from sro_desk.store.integrity import AUDIT_INSERT

    # The row's hash is chained to the last row's in the same statement (store.integrity).
    data_file.conn.execute(
        AUDIT_INSERT,
        (
            now_text(), data_file.user, data_file.machine, table, row_id, action,
            json.dumps(
                {k: [_auditable(v) for v in pair] for k, pair in changes.items()},
                ensure_ascii=False,
                sort_keys=True,
                default=str,
            ),
        ),
    )


def _conflict(table: str, current: dict, label: str, mine: dict, outcome: str) -> ConflictError:
    return ConflictError(
        f"This {label} was changed by {current['updated_by']} at "
        f"{local_time_text(current['updated_at'])} since you opened it; {outcome}.",
        table=table,
        row_id=current["id"],
        mine=mine,
        theirs=current,
    )


def get(data_file: DataFile, table: str, row_id: int) -> dict | None:
    """One row by id, or None."""
    rows = data_file.query(f"SELECT * FROM [{table}] WHERE id = ?", (row_id,))
    return rows[0] if rows else None


def insert(data_file: DataFile, table: str, values: dict[str, Any]) -> int:
    """Insert a record at version 1 and audit it; returns the new id."""
    _require_transaction(data_file)
    stamp = now_text()
    row = {
        **values,
        "created_at": stamp,
        "updated_at": stamp,
        "updated_by": data_file.user,
        "version": 1,
    }
    cursor = data_file.conn.execute(
        f"INSERT INTO [{table}] ({', '.join(f'[{k}]' for k in row)}) "
        f"VALUES ({', '.join('?' for _ in row)})",
        tuple(row.values()),
    )
    row_id = int(cursor.lastrowid)
    audit(data_file, table, row_id, "insert",
          _redacted(table, values, {k: [None, v] for k, v in values.items()}))
    return row_id


def update(
    data_file: DataFile,
    table: str,
    row_id: int,
    values: dict[str, Any],
    *,
    expected_version: int,
    label: str = "record",
    current: dict | None = None,
) -> int:
    """Change a record if it is still at ``expected_version``; returns the new version.

    Raises ConflictError when someone saved it since, with both versions attached.
    ``current`` is the whole row when the caller has just read it in this same write
    transaction (saving a read: nobody can have changed it in between).
    """
    _require_transaction(data_file)
    if current is None or current.get("id") != row_id:
        current = get(data_file, table, row_id)
    if current is None:
        raise ValidationError(
            f"This {label} was removed by someone else since you opened it; nothing was saved."
        )
    if current["version"] != expected_version:
        raise _conflict(table, current, label, dict(values), "nothing was saved")
    changes = {
        key: [current.get(key), value]
        for key, value in values.items()
        if key not in _RECORD_COLUMNS and current.get(key) != value
    }
    if not changes:
        return expected_version
    new_version = expected_version + 1
    assignments = {
        **{k: values[k] for k in changes},
        "updated_at": now_text(),
        "updated_by": data_file.user,
        "version": new_version,
    }
    data_file.conn.execute(
        f"UPDATE [{table}] SET {', '.join(f'[{k}] = ?' for k in assignments)} "
        "WHERE id = ? AND version = ?",
        (*assignments.values(), row_id, expected_version),
    )
    audit(data_file, table, row_id, "update", _redacted(table, current, changes))
    return new_version


def delete(
    data_file: DataFile,
    table: str,
    row_id: int,
    *,
    expected_version: int,
    label: str = "record",
) -> None:
    """Remove a record that is still at ``expected_version``, auditing what it held."""
    _require_transaction(data_file)
    current = get(data_file, table, row_id)
    if current is None:
        return
    if current["version"] != expected_version:
        raise _conflict(table, current, label, {}, "nothing was removed")
    try:
        data_file.conn.execute(f"DELETE FROM [{table}] WHERE id = ?", (row_id,))
    except sqlite3.IntegrityError:
        raise ValidationError(
            f"This {label} is still used by other records (officers, agreements or entries "
            "that name it), so it was not removed; change those records first."
        ) from None
    audit(
        data_file,
        table,
        row_id,
        "delete",
        {k: [v, None] for k, v in current.items() if k not in _RECORD_COLUMNS},
    )
