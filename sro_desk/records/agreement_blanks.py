"""Typed blanks in an agreement: checking what the drafter enters and printing it.

Types: ``text``; ``party`` (a party or position); ``split`` (the district's and the
department's percentages, which must total 100); ``hours`` (whole hours); ``titles``
(a list of job titles, never names); ``date``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sro_desk.errors import ValidationError

MAX_TEXT = 4000


def parse_value(kind: str, raw: Any, *, label: str = "This blank") -> Any:
    """The stored form of what was entered, or ValidationError with one sentence.

    Empty input gives None (an unfilled blank, printed as a line).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    if kind in ("text", "party"):
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(f"{label} is too long; keep it under {MAX_TEXT} characters.")
        return text
    if kind == "hours":
        try:
            hours = int(str(raw).strip())
        except ValueError:
            raise ValidationError(f"{label}: enter whole hours, like 12.") from None
        if not 0 <= hours <= 2000:
            raise ValidationError(f"{label}: enter a number of hours from 0 to 2000.")
        return hours
    if kind == "split":
        return _split(raw, label)
    if kind == "titles":
        items = raw if isinstance(raw, list) else re.split(r"[\n;]+", str(raw))
        titles = [str(t).strip() for t in items if str(t).strip()]
        if any(len(t) > 200 for t in titles):
            raise ValidationError(f"{label}: keep each title under 200 characters.")
        return titles or None
    if kind == "date":
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValidationError(f"{label}: enter the date like 2027-06-30.") from None
    raise ValidationError(f"{label} has an unknown kind of blank ({kind}).")


def _split(raw: Any, label: str) -> dict[str, int]:
    if isinstance(raw, dict):
        parts = [raw.get("district"), raw.get("department")]
    else:
        parts = re.split(r"\s*[/,]\s*", str(raw).replace("%", "").strip())
    try:
        district, department = (int(str(p).strip()) for p in parts)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{label}: enter the district's and the department's percentages, like 50/50."
        ) from None
    if min(district, department) < 0:
        raise ValidationError(f"{label}: percentages cannot be negative.")
    if district + department != 100:
        raise ValidationError(
            f"{label}: the district's and the department's shares must add up to 100%; "
            f"they add up to {district + department}%."
        )
    return {"district": district, "department": department}


def dump(value: Any) -> str | None:
    """The JSON text stored in the file."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def load(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def printed(kind: str, value: Any, *, department: str = "the Department") -> str:
    """How a filled blank reads in the agreement ('' when empty)."""
    if value is None or value == "" or value == []:
        return ""
    if kind == "split" and isinstance(value, dict):
        return (
            f"the District {value.get('district', 0)}% and {department} "
            f"{value.get('department', 0)}%"
        )
    if kind == "titles" and isinstance(value, list):
        if len(value) == 1:
            return value[0]
        return ", ".join(value[:-1]) + " and " + value[-1]
    if kind == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day:%B} {day.day}, {day.year}"
    return str(value)


def entered(kind: str, value: Any) -> str:
    """How a stored value is shown back in an input field."""
    if value is None:
        return ""
    if kind == "split" and isinstance(value, dict):
        return f"{value.get('district', 0)}/{value.get('department', 0)}"
    if kind == "titles" and isinstance(value, list):
        return "\n".join(value)
    return str(value)
