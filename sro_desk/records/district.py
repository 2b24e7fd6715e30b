"""The district: its kind, schools, police departments and signatories."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import NewType

from sro_desk.errors import ValidationError, shown
from sro_desk.store import DataFile, rows

DistrictId = NewType("DistrictId", int)
SchoolId = NewType("SchoolId", int)
DepartmentId = NewType("DepartmentId", int)

#: The kinds of school organisation the law treats differently.
KINDS: dict[str, str] = {
    "public": "Public school district",
    "regional": "Regional school district",
    "charter": "Charter school",
}
MAX_NAME = 200
CHIEF_TITLE = "Chief of Police"

#: Titles a person may type before a signatory's name. The signature block, the dashboard
#: and the setup's preview print each signatory's title beside the name, so a title kept
#: in the name would print twice ("Chief Robert Kane, Chief of Police").
_CHIEF_TITLES = re.compile(r"\A(?:chief\s+of\s+police|police\s+chief|chief)[.,:]?\s+(?=\S)", re.IGNORECASE)
_LEADER_TITLES = re.compile(
    r"\A(?:superintendent\s+of\s+schools|superintendent|head\s+of\s+school)[.,:]?\s+(?=\S)", re.IGNORECASE
)


@dataclass
class School:
    """A school the SRO program covers."""

    name: str
    grades: str = ""
    principal_name: str = ""
    id: SchoolId | None = None
    version: int = 0
    #: The values as loaded from the file; a row that still holds them is not saved again.
    loaded: tuple | None = field(default=None, compare=False, repr=False)


@dataclass
class PoliceDepartment:
    """A police department party to the agreement; a regional district may have several."""

    name: str
    town: str = ""
    chief_name: str = ""
    id: DepartmentId | None = None
    version: int = 0
    loaded: tuple | None = field(default=None, compare=False, repr=False)


@dataclass
class Signatory:
    """Someone who signs the agreement, by name and title."""

    name: str
    title: str
    organisation: str


@dataclass
class District:
    """The public district or charter school, with its schools and police departments."""

    name: str
    kind: str = "public"
    superintendent_name: str = ""
    schools: list[School] = field(default_factory=list)
    departments: list[PoliceDepartment] = field(default_factory=list)
    id: DistrictId | None = None
    version: int = 0
    updated_at: str = ""
    updated_by: str = ""
    loaded: tuple | None = field(default=None, compare=False, repr=False)
    #: The school and department rows (id -> version) as loaded: only these may be
    #: removed by a save, and only at these versions; rows others added are left alone.
    loaded_rows: dict[str, dict[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def leader_title(self) -> str:
        """Who signs for the school side: a charter school's head, else the superintendent."""
        return "Head of School" if self.kind == "charter" else "Superintendent"

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def signatories(self) -> list[Signatory]:
        """The school leader, then every chief, in the order they sign."""
        people = [Signatory(leader_name(self.superintendent_name), self.leader_title, self.name)]
        people += [
            Signatory(chief_name(d.chief_name), CHIEF_TITLE, d.name) for d in self.departments
        ]
        return people


def _clean(text: str | None) -> str:
    return (text or "").strip()


def chief_name(text: str | None) -> str:
    """The chief's name without a title typed before it ("Chief Robert Kane" -> "Robert Kane")."""
    return _CHIEF_TITLES.sub("", _clean(text), count=1)


def leader_name(text: str | None) -> str:
    """The superintendent's (or head of school's) name without the title typed before it."""
    return _LEADER_TITLES.sub("", _clean(text), count=1)


def _too_long(text: str, what: str, field: str) -> None:
    """Refuse ``text`` over MAX_NAME characters: names print in the agreement's signature
    blocks and in tables, and no real name or title comes near that."""
    if len(text) > MAX_NAME:
        raise ValidationError(f"{what} is too long; keep it under {MAX_NAME} characters.", field=field)


def validate(district: District) -> District:
    """Return a tidied copy, or raise ValidationError naming the first thing to fix."""
    name = _clean(district.name)
    if not name:
        raise ValidationError("Enter the district's name.", field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(
            f"The district's name is too long; keep it under {MAX_NAME} characters.",
            field="name",
        )
    if district.kind not in KINDS:
        raise ValidationError(
            "Choose whether this is a public district, a regional district or a charter school.",
            field="kind",
        )
    leader = leader_name(district.superintendent_name)
    schools = [
        replace(s, name=_clean(s.name), grades=_clean(s.grades), principal_name=_clean(s.principal_name))
        for s in district.schools
    ]
    departments = [
        replace(d, name=_clean(d.name), town=_clean(d.town), chief_name=chief_name(d.chief_name))
        for d in district.departments
    ]
    if not schools:
        raise ValidationError("Add at least one school that the SRO serves.", field="schools")
    seen: set[str] = set()
    for number, school in enumerate(schools, start=1):
        if not school.name:
            raise ValidationError(
                f"School {number} has no name; enter its name or remove it.", field="schools"
            )
        if len(school.name) > MAX_NAME:
            raise ValidationError(
                f"School {number}'s name is too long; keep it under {MAX_NAME} characters.",
                field="schools",
            )
        if school.name.casefold() in seen:
            raise ValidationError(
                f"Two schools are named {shown(school.name)}; give each school its own name.",
                field="schools",
            )
        seen.add(school.name.casefold())
        _too_long(school.grades, f"The grades of school {number}", "schools")
        _too_long(school.principal_name, f"The principal's name at school {number}", "schools")
    if not departments:
        raise ValidationError(
            "Add the police department that assigns the SRO.", field="departments"
        )
    seen = set()
    for number, department in enumerate(departments, start=1):
        if not department.name:
            raise ValidationError(
                f"Police department {number} has no name; enter its name or remove it.",
                field="departments",
            )
        if len(department.name) > MAX_NAME:
            raise ValidationError(
                f"Police department {number}'s name is too long; keep it under "
                f"{MAX_NAME} characters.",
                field="departments",
            )
        if department.name.casefold() in seen:
            raise ValidationError(
                f"{shown(department.name)} is listed twice; list each police department once.",
                field="departments",
            )
        seen.add(department.name.casefold())
        if not department.chief_name:
            raise ValidationError(
                f"Enter the name of the chief of {shown(department.name)}, who signs the agreement.",
                field="departments",
            )
        _too_long(department.chief_name, f"The chief's name for police department {number}", "departments")
        _too_long(department.town, f"The town of police department {number}", "departments")
    who = "head of school" if district.kind == "charter" else "superintendent"
    if not leader:
        raise ValidationError(
            f"Enter the {who}'s name; they sign the agreement for the schools.",
            field="superintendent_name",
        )
    _too_long(leader, f"The {who}'s name", "superintendent_name")
    return replace(
        district, name=name, superintendent_name=leader, schools=schools, departments=departments
    )


def load_district(data_file: DataFile) -> District | None:
    """The district in this file, with its schools and departments; None before setup."""
    found = data_file.query_together({
        "district": ("SELECT * FROM district ORDER BY id LIMIT 1", (), data_file.columns("district")),
        "schools": ("SELECT * FROM school WHERE district_id = (SELECT min(id) FROM district) ORDER BY id",
                    (), data_file.columns("school")),
        "departments": ("SELECT * FROM police_department WHERE district_id = (SELECT min(id) FROM district) "
                        "ORDER BY id", (), data_file.columns("police_department")),
    })
    if not found["district"]:
        return None
    row = found["district"][0]
    schools = [
        School(
            name=s["name"],
            grades=s["grades"] or "",
            principal_name=s["principal_name"] or "",
            id=SchoolId(s["id"]),
            version=s["version"],
            loaded=(s["name"], s["grades"] or "", s["principal_name"] or ""),
        )
        for s in found["schools"]
    ]
    departments = [
        PoliceDepartment(
            name=d["name"],
            town=d["town"] or "",
            chief_name=d["chief_name"] or "",
            id=DepartmentId(d["id"]),
            version=d["version"],
            loaded=(d["name"], d["town"] or "", d["chief_name"] or ""),
        )
        for d in found["departments"]
    ]
    return District(
        name=row["name"],
        kind=row["kind"],
        superintendent_name=row["superintendent_name"] or "",
        schools=schools,
        departments=departments,
        id=DistrictId(row["id"]),
        version=row["version"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
        loaded=(row["name"], row["kind"], row["superintendent_name"] or ""),
        loaded_rows={
            "school": {s.id: s.version for s in schools},
            "police_department": {d.id: d.version for d in departments},
        },
    )


def save_district(data_file: DataFile, district: District) -> District:
    """Create or update the district and its lists in one transaction; returns it reloaded.

    Each row is saved against the version it was loaded at, so a change someone else
    saved in the meantime is refused with a ConflictError and nothing is written.
    """
    district = validate(district)
    with data_file.write():
        values = {
            "name": district.name,
            "kind": district.kind,
            "superintendent_name": district.superintendent_name,
        }
        if district.id is None:
            if data_file.query("SELECT id FROM district LIMIT 1"):
                raise ValidationError(
                    "This file already holds a district; open a new file for another one."
                )
            district_id = rows.insert(data_file, "district", values)
        else:
            district_id = district.id
            if tuple(values.values()) != district.loaded:
                rows.update(
                    data_file,
                    "district",
                    district_id,
                    values,
                    expected_version=district.version,
                    label="district's details",
                )
        _save_children(
            data_file,
            "school",
            district_id,
            district.schools,
            lambda s: {"name": s.name, "grades": s.grades, "principal_name": s.principal_name},
            district.loaded_rows.get("school", {}),
            label="school",
        )
        _save_children(
            data_file,
            "police_department",
            district_id,
            district.departments,
            lambda d: {"name": d.name, "town": d.town, "chief_name": d.chief_name},
            district.loaded_rows.get("police_department", {}),
            label="police department",
        )
    reloaded = load_district(data_file)
    assert reloaded is not None
    return reloaded


def _save_children(data_file, table, district_id, items, values_of, loaded_rows, *, label) -> None:
    """Save one list: add new rows, change edited ones, remove the ones the person removed.

    Removal is judged against the rows as loaded, at their loaded versions, so a row
    someone else changed is a conflict and a row someone else added is never removed.
    """
    kept = {item.id for item in items if item.id is not None}
    for row_id, version in loaded_rows.items():
        if row_id not in kept:
            rows.delete(data_file, table, row_id, expected_version=version, label=label)
    for item in items:
        values = values_of(item)
        if item.id is None:
            rows.insert(data_file, table, {"district_id": district_id, **values})
        elif tuple(values.values()) != item.loaded:
            rows.update(
                data_file, table, item.id, values, expected_version=item.version, label=label
            )
