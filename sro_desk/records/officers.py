"""Police officers: the SROs (and, for selection, the candidates) of the departments.

Each officer's own POST certification is recorded here too (its status and expiry): an
SRO certification is deemed suspended or revoked when the officer's certification is
(555 CMR 10.09(9)-(10)), so the SRO certification's state reads it (records/training.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NewType

from sro_desk.errors import ValidationError
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

OfficerId = NewType("OfficerId", int)

#: The states of an officer's own POST certification that SRO Desk records ("" when
#: nothing is recorded).
POST_STATUSES = {"active": "Active", "suspended": "Suspended", "revoked": "Revoked"}
#: A certification (the officer's or the SRO one) is flagged this many days before it expires.
RENEWAL_WARNING_DAYS = 90


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
    #: The officer's own POST certification: "active", "suspended", "revoked", or "" (not recorded).
    post_status: str = ""
    #: When it expires (YYYY-MM-DD), or "" (not recorded).
    post_expires_on: str = ""

    def post_state(self, today: date | None = None) -> str:
        """The officer's own POST certification: 'not recorded', 'revoked', 'suspended',
        'lapsed', 'expiring' (within 90 days, the 90th day included), 'expiry not
        recorded' or 'current'."""
        today = today or date.today()
        if not self.post_status and not self.post_expires_on:
            return "not recorded"
        if self.post_status in ("revoked", "suspended"):
            return self.post_status
        if not self.post_expires_on:
            return "expiry not recorded"
        expires = date.fromisoformat(self.post_expires_on)
        if expires < today:
            return "lapsed"
        if expires - today <= timedelta(days=RENEWAL_WARNING_DAYS):
            return "expiring"
        return "current"


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
        post_status=row.get("post_status") or "",
        post_expires_on=row.get("post_expires_on") or "",
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
    if officer.post_status and officer.post_status not in POST_STATUSES:
        raise ValidationError("Choose the officer's POST certification status from the list.", field="post_status")
    post_expires = officer.post_expires_on.strip()
    if post_expires:
        try:
            post_expires = date.fromisoformat(post_expires).isoformat()
        except ValueError:
            raise ValidationError(
                "Enter the POST certification's expiry like 2028-06-30.", field="post_expires_on") from None
    values = {
        "name": name,
        "rank": officer.rank.strip(),
        "department_id": officer.department_id,
        "years_of_service": officer.years_of_service,
        "assigned_sro": int(officer.assigned_sro),
        "notes": officer.notes.strip(),
        "post_status": officer.post_status or None,
        "post_expires_on": post_expires or None,
    }
    with data_file.write():
        if officer.id is None:
            return OfficerId(rows.insert(data_file, "officer", values))
        rows.update(
            data_file, "officer", officer.id, values,
            expected_version=officer.version, label="officer",
        )
        return officer.id
