"""District settings kept in the file (so everyone who opens it sees the same)."""

from __future__ import annotations

from datetime import date

from sro_desk.errors import ValidationError
from sro_desk.records.calendar import YEAR_STARTS_MONTH
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def get_setting(data_file: DataFile, key: str, default: str | None = None) -> str | None:
    return all_settings(data_file).get(key, default)


#: The read behind every setting (for ``DataFile.prefetch`` with a page's other reads).
SETTINGS_READ: Read = ("SELECT key, value FROM setting", (), ("key", "value"))


def all_settings(data_file: DataFile) -> dict[str, str]:
    """Every setting by key: the table is a few short rows, so a page's many settings
    are one read (answered once per reading snapshot)."""
    return {row["key"]: row["value"] for row in data_file.query(*SETTINGS_READ[:2])}


def set_setting(data_file: DataFile, key: str, value: str) -> None:
    """Store a setting (audited like every other change)."""
    with data_file.write():
        _store(data_file, key, value)


def set_settings(data_file: DataFile, values: dict[str, str]) -> None:
    """Store several settings in one transaction: all of them, or none."""
    with data_file.write():
        for key, value in values.items():
            _store(data_file, key, value)


def _store(data_file: DataFile, key: str, value: str) -> None:
    found = data_file.query("SELECT * FROM setting WHERE key = ?", (key,))
    if found:
        rows.update(
            data_file, "setting", found[0]["id"], {"value": value},
            expected_version=found[0]["version"], label="setting", current=found[0],
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
    """Change when the school year starts, moving dated records to their new year."""
    from sro_desk.records.calendar import school_year_of

    if not 1 <= int(month) <= 12:
        raise ValidationError("Choose the month the school year starts in.")
    month = int(month)
    with data_file.write():
        _store(data_file, "school_year_start_month", str(month))
        # Dated records follow the new start month into their school year.
        for table, day_column, label in (
            ("training_entry", "taken_on", "training entry"),
            ("meeting", "held_on", "meeting"),
            ("community_feedback", "received_on", "feedback"),
            ("enforcement_action", "occurred_at", "enforcement entry"),
            ("sro_activity", "occurred_on", "activity"),
            ("complaint", "received_on", "complaint"),
        ):
            for entry in data_file.query(f"SELECT id, {day_column} AS day, school_year, version FROM {table}"):
                year = school_year_of(date.fromisoformat(entry["day"][:10]), starts_month=month)
                if year != entry["school_year"]:
                    rows.update(
                        data_file, table, entry["id"], {"school_year": year},
                        expected_version=entry["version"], label=label,
                    )


def current_school_year(data_file: DataFile, today: date | None = None) -> str:
    """The school year today falls in, by the district's own start month."""
    from sro_desk.records.calendar import school_year_of

    return school_year_of(today or date.today(), starts_month=school_year_start_month(data_file))
