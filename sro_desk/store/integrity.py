"""Tamper evidence: a hash chain over the audit log, seals on finished records, and the
chain's head remembered on each computer that opened the file.

- Every audit row carries ``hash``: SHA-256 of the previous row's hash and this row's
  own fields, computed by SQLite as the row is inserted (a SQL function registered on
  every connection), so a row changed, removed or slipped in breaks the chain there.
- A signed agreement, a final review and a closed complaint are *sealed*: a ``seal`` row
  keeps the SHA-256 of the record's content (its row and its parts, read by a spec kept
  in the seal itself) and the chain's head at that moment. Changing the sealed content
  with another tool leaves a seal that no longer matches.
- Rewriting the whole chain consistently is caught by the head each computer remembers
  (in its own settings folder) every time it opens the file: the row at that position
  must still carry that hash.

Nothing here needs the record modules: a seal names the tables and columns it covers.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

GENESIS = "sro-desk audit chain 1"
#: How a person names each kind of sealed record.
LABELS = {"agreement": "agreement", "annual_review": "end-of-year review", "complaint": "complaint"}
_SEPARATOR = "\x1f"


def chain_hash(previous: str | None, at: str, user: str, machine: str | None, table: str,
               row_id: int | None, action: str, changes: str | None) -> str:
    """The hash of one audit row, chained to the row before it."""
    fields = [previous or GENESIS, at, user, machine or "", table, "" if row_id is None else str(row_id),
              action, changes or ""]
    return hashlib.sha256(_SEPARATOR.join(fields).encode("utf-8")).hexdigest()


def register(conn: sqlite3.Connection) -> None:
    """Make ``sro_chain`` available to the connection's statements."""
    conn.create_function("sro_chain", 8, chain_hash, deterministic=True)


#: The audit INSERT: the hash is computed from the last row's hash in the same statement.
AUDIT_INSERT = (
    "INSERT INTO audit_log (at, user, machine, table_name, row_id, action, changes, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, sro_chain((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), "
    "?1, ?2, ?3, ?4, ?5, ?6, ?7))"
)


def backfill(conn) -> None:
    """Chain the audit rows written before the chain existed (run by the migration)."""
    previous = None
    rows = conn.execute("SELECT id, at, user, machine, table_name, row_id, action, changes FROM audit_log "
                        "ORDER BY id").fetchall()
    for row in rows:
        previous = chain_hash(previous, *row[1:])
        conn.execute("UPDATE audit_log SET hash = ? WHERE id = ?", (previous, row[0]))


@dataclass(frozen=True)
class ChainBreak:
    """The first audit row whose hash does not follow from the rows before it."""

    row_id: int
    table: str
    at: str


def verify_chain(conn) -> tuple[ChainBreak | None, int, str]:
    """(the first break or None, the number of rows, the head hash)."""
    previous = None
    count = 0
    for row in conn.execute("SELECT id, at, user, machine, table_name, row_id, action, changes, hash "
                            "FROM audit_log ORDER BY id"):
        count += 1
        expected = chain_hash(previous, *row[1:8])
        if row[8] != expected:
            return ChainBreak(row[0], row[4], row[1]), count, previous or ""
        previous = expected
    return None, count, previous or ""


# -- seals -----------------------------------------------------------------------------

#: (table, column that points at the sealed record ("id" for the record itself), columns)
Spec = list[tuple[str, str, list[str]]]


def digest(conn, spec: Spec, row_id: int) -> str:
    """SHA-256 of the content a spec names, in a canonical form."""
    content = []
    for table, key, columns in spec:
        listed = ", ".join(f"[{c}]" for c in columns)
        rows = conn.execute(f"SELECT id, {listed} FROM [{table}] WHERE [{key}] = ? ORDER BY id", (row_id,)).fetchall()
        content.append([table, [[_plain(v) for v in row] for row in rows]])
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _plain(value):
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    return value


@dataclass(frozen=True)
class BrokenSeal:
    table: str
    row_id: int
    sealed_at: str


def verify_seals(conn) -> list[BrokenSeal]:
    """Every active seal whose record's content no longer matches."""
    broken = []
    for row in conn.execute("SELECT table_name, row_id, spec, digest, sealed_at FROM seal "
                            "WHERE released_at IS NULL OR released_at = '' ORDER BY id").fetchall():
        try:
            spec = [(t, k, list(c)) for t, k, c in json.loads(row[2])]
            now = digest(conn, spec, row[1])
        except (ValueError, TypeError, sqlite3.Error):
            now = ""
        if now != row[3]:
            broken.append(BrokenSeal(row[0], row[1], row[4]))
    return broken


def seal_of(conn, table: str, row_id: int) -> dict | None:
    """The active seal of a record: digest, when, the chain position and head then, and
    whether the content still matches."""
    row = conn.execute("SELECT spec, digest, sealed_at, chain_count, chain_head FROM seal WHERE table_name = ? "
                       "AND row_id = ? AND (released_at IS NULL OR released_at = '') ORDER BY id DESC LIMIT 1",
                       (table, row_id)).fetchone()
    if row is None:
        return None
    try:
        spec = [(t, k, list(c)) for t, k, c in json.loads(row[0])]
        intact = digest(conn, spec, row_id) == row[1]
    except (ValueError, TypeError, sqlite3.Error):
        intact = False
    return {"digest": row[1], "sealed_at": row[2], "chain_count": row[3], "chain_head": row[4], "intact": intact}


# -- the head each computer remembers ---------------------------------------------------


def _heads_file() -> Path:
    from sro_desk import paths

    return paths.config_dir() / "audit-heads.json"


def file_identity(conn, path: Path) -> str:
    """One file at one place: its first audit row (which tells one district's file from
    another's) and where it is (a copy or an older backup opened elsewhere has its own
    history, and is not taken for this file with changes removed)."""
    row = conn.execute("SELECT at, user, machine, hash FROM audit_log ORDER BY id LIMIT 1").fetchone()
    first = hashlib.sha256(repr(tuple(row) if row else ()).encode("utf-8")).hexdigest()[:32]
    return f"{first} {Path(path).absolute()}"


def remembered_head(conn, path: Path) -> tuple[int, str] | None:
    try:
        heads = json.loads(_heads_file().read_text(encoding="utf-8"))
        count, head = heads[file_identity(conn, path)]
        return int(count), str(head)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_head(conn, path: Path, *, replacing: bool = False) -> None:
    """Note the chain's length and head for this file on this computer (best effort;
    ``replacing``: SRO Desk itself put an older copy in its place, by a restore)."""
    row = conn.execute("SELECT count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) FROM audit_log").fetchone()
    if not row or not row[0] or not row[1]:
        return
    target = _heads_file()
    try:
        heads = json.loads(target.read_text(encoding="utf-8"))
        if not isinstance(heads, dict):
            heads = {}
    except (OSError, ValueError):
        heads = {}
    key = file_identity(conn, path)
    known = heads.get(key)
    if not replacing and isinstance(known, list) and len(known) == 2 and int(known[0]) > row[0]:
        return  # a restored older copy: keep the longer history this computer saw
    heads[key] = [row[0], row[1]]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        part.write_text(json.dumps(heads), encoding="utf-8")
        part.replace(target)
    except OSError:
        pass


def forget_head(path: Path) -> None:
    """Forget what this computer saw of the file at ``path`` (a new file put there)."""
    target = _heads_file()
    try:
        heads = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    place = f" {Path(path).absolute()}"
    kept = {k: v for k, v in heads.items() if not k.endswith(place)} if isinstance(heads, dict) else {}
    try:
        target.write_text(json.dumps(kept), encoding="utf-8")
    except OSError:
        pass


def has_chain(conn) -> bool:
    return any(row[1] == "hash" for row in conn.execute("PRAGMA table_info(audit_log)"))


def problems(conn, path: Path) -> list[str]:
    """Sentences naming whatever was changed behind SRO Desk's back: a change-log row,
    a sealed record, or the whole log since this computer last saw it."""
    if not has_chain(conn):
        return []
    found = []
    try:
        broken, _count, _head = verify_chain(conn)
    except (sqlite3.Error, UnicodeDecodeError):  # a row whose text is no longer text
        return ["The change log is damaged: part of it cannot be read; restore the latest backup."]
    if broken is not None:
        found.append(f"The change log was altered outside SRO Desk: change {broken.row_id:,} ({broken.table}, "
                     f"{broken.at[:10]}) does not follow from the ones before it; restore a backup from before "
                     "then, or ask who edited the file.")
    try:
        broken_seals = verify_seals(conn)
    except (sqlite3.Error, UnicodeDecodeError):
        return [*found, "The seals of finished records cannot be read; restore the latest backup."]
    for seal in broken_seals:
        found.append(f"The {LABELS.get(seal.table, seal.table)} numbered {seal.row_id} was changed outside SRO Desk "
                     f"after it was sealed on {seal.sealed_at[:10]}; what prints now is not what was finished.")
    rewritten = rewritten_since_remembered(conn, path)
    if rewritten:
        found.append(rewritten)
    return found


def rewritten_since_remembered(conn, path: Path) -> str | None:
    """A sentence when the chain this computer saw before has been rewritten."""
    known = remembered_head(conn, path)
    if known is None:
        return None
    count, head = known
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?", (count - 1,)).fetchone()
    if row is None:
        return (f"The change log is shorter than when this computer last opened the file ({count:,} changes); "
                "changes were removed, or this is an older copy.")
    if row[0] != head:
        return (f"The change log was rewritten: change {count:,} is not what this computer saw when it "
                "last opened the file.")
    return None
