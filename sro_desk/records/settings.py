"""District settings kept in the file (so everyone who opens it sees the same)."""

from __future__ import annotations

from sro_desk.errors import ValidationError
from sro_desk.records.calendar import YEAR_STARTS_MONTH
from sro_desk.store import DataFile, rows

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def get_setting(data_file: DataFile, key: str, default: str | None = None) -> str | None:
    found = data_file.query("SELECT value FROM setting WHERE key = ?", (key,))
    return found[0]["value"] if found else default


def set_setting(data_file: DataFile, key: str, value: str) -> None:
    """Store a setting (audited like every other change)."""
    with data_file.write():
        found = data_file.query("SELECT id, version FROM setting WHERE key = ?", (key,))
        if found:
            rows.update(
                data_file, "setting", found[0]["id"], {"value": value},
                expected_version=found[0]["version"], label="setting",
            )
        else:
            rows.insert(data_file, "setting", {"key": key, "value": value})


def school_year_start_month(data_file: DataFile) -> int:
    """The month the district's school year starts in (1 to 12; July by default)."""
    try:
        month = int(get_setting(data_file, "school_year_start_month", str(YEAR_STARTS_MONTH)))
    except (TypeError, ValueError):
        return YEAR_STARTS_MONTH
    return month if 1 <= month <= 12 else YEAR_STARTS_MONTH


def set_school_year_start_month(data_file: DataFile, month: int) -> None:
    if not 1 <= int(month) <= 12:
        raise ValidationError("Choose the month the school year starts in.")
    set_setting(data_file, "school_year_start_month", str(int(month)))
