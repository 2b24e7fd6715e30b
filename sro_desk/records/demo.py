"""A realistic sample district, so a newcomer sees a living program.

The district, its towns and its people are invented. Each kind of record adds its own
sample here, spanning the last complete school year and the current one.
"""

from __future__ import annotations

from datetime import date

from sro_desk.errors import SroDeskError
from sro_desk.records import agreements
from sro_desk.records.calendar import previous_school_year, school_year_of
from sro_desk.records.district import District, PoliceDepartment, School, load_district, save_district
from sro_desk.store import DataFile


def sample_district() -> District:
    """A regional district served by two towns' police departments."""
    return District(
        name="Granite Valley Regional School District",
        kind="regional",
        superintendent_name="Dr. Maria Santos",
        schools=[
            School("Granite Valley Regional High School", "9-12", "Jonathan Pierce"),
            School("Granite Valley Middle School", "6-8", "Alicia Nguyen"),
            School("Ashby Falls Elementary School", "PK-5", "Robert Okafor"),
            School("Millbrook Elementary School", "K-5", "Hannah Lindqvist"),
        ],
        departments=[
            PoliceDepartment("Ashby Falls Police Department", "Ashby Falls", "Daniel O'Connell"),
            PoliceDepartment("Millbrook Police Department", "Millbrook", "Keisha Thompson"),
        ],
    )


def create_demo(data_file: DataFile, *, today: date | None = None) -> str:
    """Fill an empty file with the sample district; returns a one-line summary.

    A file that already holds a district is refused, so the demo never mixes with
    real records.
    """
    if load_district(data_file) is not None:
        raise SroDeskError(
            f"{data_file.path.name} already holds a district, so no sample was added; "
            "run the demo on a new file."
        )
    today = today or date.today()
    current = school_year_of(today)
    last = previous_school_year(current)
    district = save_district(data_file, sample_district())
    signed, draft = _sample_agreements(data_file, last, current)
    return (
        f"Created the sample {district.name} ({len(district.schools)} schools, "
        f"{len(district.departments)} police departments) for {last} and {current} "
        f"in {data_file.path}: agreement {signed} ({last}, signed and filed) and "
        f"agreement {draft} ({current}, draft)."
    )


def _sample_agreements(data_file: DataFile, last: str, current: str) -> tuple[int, int]:
    """Last year's agreement, signed in August and filed; this year's draft from it."""
    first_year = int(last[:4])
    signed_id = agreements.new_from_library(data_file, school_year=last)
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.set_blank(data_file, signed, "salary_split", "60/40")
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.mark_ready(data_file, signed)
    signed = agreements.load_agreement(data_file, signed_id)
    signing_days = [date(first_year, 8, 12), date(first_year, 8, 14), date(first_year, 8, 15)]
    agreements.record_signing(
        data_file,
        signed,
        {s.id: signing_days[min(i, 2)].isoformat() for i, s in enumerate(signed.signatures)},
    )
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.set_costs(
        data_file,
        signed,
        {
            "salary_benefits": (5_880_000, "60% of one officer's salary and benefits"),
            "training": (145_000, "Conference fees and substitute coverage"),
            "equipment": (62_500, "Office furniture and a school radio"),
            "other": (0, ""),
        },
    )
    signed = agreements.load_agreement(data_file, signed_id)
    agreements.record_filing(data_file, signed, date(first_year, 8, 29))

    draft_id = agreements.new_from_previous(data_file, signed_id, school_year=current)
    draft = agreements.load_agreement(data_file, draft_id)
    agreements.set_blank(data_file, draft, "training_hours", 16)
    return signed_id, draft_id
