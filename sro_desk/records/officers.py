"""Police officers: the SROs (and, for selection, the candidates) of the departments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

from sro_desk.errors import ValidationError
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

OfficerId = NewType("OfficerId", int)


@dataclass
class Officer:
    name: str
    rank: str = ""
    department_id: int | None = None
    years_of_service: int | None = None
    assigned_sro: bool = False
    notes: str = ""
    id: OfficerId | None = None
    version: int = 0
    department_name: str = ""


def officers_read(data_file: DataFile, *, sros_only: bool = False) -> Read:
    """The read behind ``list_officers`` (for ``DataFile.prefetch``)."""
    where = "WHERE o.assigned_sro = 1" if sros_only else ""
    return (
        "SELECT o.*, d.name AS department_name FROM officer o "
        f"LEFT JOIN police_department d ON d.id = o.department_id {where} "
        "ORDER BY o.assigned_sro DESC, o.name COLLATE NOCASE, o.id",
        (),
        data_file.columns("officer") + ("department_name",),
    )


def list_officers(data_file: DataFile, *, sros_only: bool = False) -> list[Officer]:
    """Every officer (assigned SROs first), with their department's name."""
    sql, params, _columns = officers_read(data_file, sros_only=sros_only)
    return [_officer(r) for r in data_file.query(sql, params)]


def load_officer(data_file: DataFile, officer_id: int) -> Officer:
    found = data_file.query(
        "SELECT o.*, d.name AS department_name FROM officer o "
        "LEFT JOIN police_department d ON d.id = o.department_id WHERE o.id = ?",
        (officer_id,),
    )
    if not found:
        raise ValidationError("That officer is no longer in the file; reload the page.")
    return _officer(found[0])


def _officer(row: dict) -> Officer:
    return Officer(
        name=row["name"],
        rank=row["rank"] or "",
        department_id=row["department_id"],
        years_of_service=row["years_of_service"],
        assigned_sro=bool(row["assigned_sro"]),
        notes=row["notes"] or "",
        id=OfficerId(row["id"]),
        version=row["version"],
        department_name=row.get("department_name") or "",
    )


def save_officer(data_file: DataFile, officer: Officer) -> OfficerId:
    """Add or update an officer; validated, version-checked and audited."""
    name = officer.name.strip()
    if not name:
        raise ValidationError("Enter the officer's name.", field="name")
    if len(name) > 200:
        raise ValidationError("The officer's name is too long; keep it under 200 characters.", field="name")
    if officer.years_of_service is not None and not 0 <= officer.years_of_service <= 60:
        raise ValidationError("Years of service must be between 0 and 60.", field="years_of_service")
    values = {
        "name": name,
        "rank": officer.rank.strip(),
        "department_id": officer.department_id,
        "years_of_service": officer.years_of_service,
        "assigned_sro": int(officer.assigned_sro),
        "notes": officer.notes.strip(),
    }
    with data_file.write():
        if officer.id is None:
            return OfficerId(rows.insert(data_file, "officer", values))
        rows.update(
            data_file, "officer", officer.id, values,
            expected_version=officer.version, label="officer",
        )
        return officer.id
