"""The health check behind ``sro-desk check``: read-only, changes nothing."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sro_desk.errors import DamagedFile
from sro_desk.store import schema
from sro_desk.store.backup import latest_backup
from sro_desk.store.database import DataFile, OpenOptions
from sro_desk.store.inspect import damaged, inspect_file, translate, uses_wal
from sro_desk.store.lease import read_lease


@dataclass
class CheckReport:
    """What ``check`` found: facts for the person and problems to fix."""

    path: Path
    facts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def check_file(path: Path | str) -> CheckReport:
    """Check a data file without changing a byte of it.

    Raises FileProblem (and DamagedFile) when the file cannot be opened at all; returns
    a report whose ``problems`` list anything wrong inside an openable file.
    """
    path = Path(path).expanduser().absolute()
    inspect_file(path)
    if uses_wal(path):
        report = CheckReport(path, facts=[f"File: {path}"])
        report.problems.append(
            "The file is in WAL mode, which does not work on network drives; open it for "
            "editing once, when no one else has it open, and SRO Desk switches it back."
        )
        return report
    with DataFile.open(path, OpenOptions(edit=False)) as data_file:
        report = CheckReport(path)
        try:
            integrity = [r[0] for r in data_file.conn.execute("PRAGMA integrity_check")]
            key_problems = data_file.conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.Error as exc:
            known = translate(exc, path)
            if known is None:
                raise
            raise known from None
        if integrity != ["ok"]:
            raise damaged(path, "its contents do not pass SQLite's integrity check")
        if key_problems:
            report.problems.append(
                f"{len(key_problems)} record(s) point at records that no longer exist."
            )
        from sro_desk.store import integrity

        report.problems.extend(integrity.problems(data_file.conn, path))
        applied = {m.name for m in schema.migrations.applied(data_file.db)}
        report.facts.append(f"File: {path}")
        present = {r["name"] for r in data_file.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in ("district", "school", "police_department", "audit_log") if t not in present]
        if missing:
            raise damaged(path, f"its {', '.join(missing)} table is missing")
        districts = data_file.query("SELECT name FROM district")
        if districts:
            report.facts.append(f"District: {districts[0]['name']}")
        else:
            report.facts.append("District: not set up yet")
        counts = data_file.query(
            "SELECT (SELECT count(*) FROM school) AS schools, "
            "(SELECT count(*) FROM police_department) AS departments, "
            "(SELECT count(*) FROM audit_log) AS changes"
        )[0]
        report.facts.append(
            f"{counts['schools']} school(s), {counts['departments']} police department(s), "
            f"{counts['changes']} recorded change(s); schema {len(applied)} of "
            f"{len(schema.known_migration_names())} steps."
        )
    holder = read_lease(path)
    if holder is not None:
        state = "stale" if holder.is_stale() else "active"
        report.facts.append(f"Open for editing: {holder.describe()} ({state}).")
    backup = latest_backup(path)
    report.facts.append(f"Latest backup: {backup if backup else 'none yet'}")
    return report


__all__ = ["CheckReport", "DamagedFile", "check_file"]
