"""Meetings: the monthly SRO-principal meeting, the yearly reviews, safety meetings.

The agreement asks the SRO and each principal to meet at least monthly, the SRO, the
Chief and the Superintendent to review the program at the end of every school year, and
the parties to review the agreement itself before school starts; the Wisconsin model
adds a yearly safety meeting with administrators, teachers, parents and students. Each
meeting keeps its schools, attendees, agenda, minutes, decisions, action items and
scanned documents. A meeting may be entered ahead of time; minutes wait until it is held.

Saving a meeting checks the version it was opened at; any change to the meeting or its
lists moves that version on, so a stale save is refused whichever part it touched.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NewType

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records.attachments import add_attachment, attachments_of
from sro_desk.records.calendar import parse_school_year, school_year_bounds, school_year_of
from sro_desk.records.settings import MONTHS, get_setting, school_year_start_month, set_setting
from sro_desk.store import DataFile, rows
from sro_desk.store.database import Read

MeetingId = NewType("MeetingId", int)

MEETING_KINDS: dict[str, str] = {
    "sro_principal": "Monthly SRO and principal meeting",
    "annual_review": "End-of-year SRO and program review",
    "agreement_review": "Yearly review of the agreement",
    "safety": "Yearly school safety meeting",
    "other": "Other meeting",
}
#: Who usually attends each kind, shown as a hint beside the attendee list.
USUAL_ATTENDEES: dict[str, str] = {
    "sro_principal": "The SRO and the school's principal",
    "annual_review": "The SRO, the Chief and the Superintendent",
    "agreement_review": "The Chief and the Superintendent",
    "safety": "Administrators, teachers, parents and students",
    "other": "",
}
#: The roles a new meeting of each kind starts with, in order, from who usually attends it.
USUAL_ROLES: dict[str, tuple[str, ...]] = {
    "sro_principal": ("SRO", "Principal"),
    "annual_review": ("SRO", "Chief", "Superintendent"),
    "agreement_review": ("Chief", "Superintendent"),
    "safety": ("Administrator", "Teacher", "Parent", "Student"),
    "other": (),
}
#: Months school is in session, when the monthly meeting is expected (September to June).
DEFAULT_MEETING_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)
MAX_TEXT, MAX_NOTES, MAX_ROWS = 300, 50_000, 200


@dataclass
class Attendee:
    name: str
    role: str = ""


@dataclass
class ActionItem:
    description: str
    owner: str = ""
    due_on: str = ""
    done_on: str = ""
    id: int | None = None
    version: int = 0
    meeting_id: int | None = None


@dataclass
class Meeting:
    kind: str
    held_on: str
    school_ids: list[int] = field(default_factory=list)
    title: str = ""
    location: str = ""
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    school_year: str = ""
    id: MeetingId | None = None
    version: int = 0
    #: id, file_name, media_type and size of each scanned document (read only).
    attachments: list[dict] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def display_title(self) -> str:
        """The title typed, or the kind of meeting when none was."""
        return self.title or self.kind_label


# -- checking and saving ---------------------------------------------------------------


def parse_day(text: object, what: str, *, field_name: str | None = None, today: date | None = None) -> date:
    """A date from 'yyyy-mm-dd' (1980 or later; not after ``today`` when given)."""
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(f"Enter {what} like 2026-10-15.", field=field_name) from None
    if day.year < 1980:
        raise ValidationError(f"Check {what}; it is before 1980.", field=field_name)
    if today is not None and day > today:
        raise ValidationError(f"{what[0].upper()}{what[1:]} is in the future; check it.", field=field_name)
    return day


def _limit(text: str, most: int, sentence: str, field_name: str) -> str:
    text = (text or "").strip()
    if len(text) > most:
        raise ValidationError(sentence, field=field_name)
    return text


def validate_meeting(data_file: DataFile, meeting: Meeting, *, today: date | None = None) -> Meeting:
    """A tidied copy with its school year set, or ValidationError naming what to fix."""
    today = today or date.today()
    if meeting.kind not in MEETING_KINDS:
        raise ValidationError("Choose the kind of meeting.", field="kind")
    held = parse_day(meeting.held_on, "the meeting's date", field_name="held_on")
    if (held - today).days > 366:
        raise ValidationError("Check the meeting's date; it is more than a year away.", field="held_on")
    schools = list(dict.fromkeys(int(s) for s in meeting.school_ids))
    known = {r["id"] for r in data_file.query("SELECT id FROM school")}
    if any(s not in known for s in schools):
        raise ValidationError("One of the schools is no longer in the file; choose the schools again.",
                              field="school_ids")
    if meeting.kind == "sro_principal" and not schools:
        raise ValidationError("Choose the school whose principal met the SRO.", field="school_ids")
    title = _limit(meeting.title, MAX_TEXT, "Keep the title under 300 characters.", "title")
    location = _limit(meeting.location, MAX_TEXT, "Keep the place under 300 characters.", "location")
    notes = {}
    for name, what in (("agenda", "agenda"), ("minutes", "minutes"), ("decisions", "decisions")):
        notes[name] = _limit(getattr(meeting, name), MAX_NOTES,
                             f"Keep the {what} under 50,000 characters; attach a longer document instead.", name)
    if held > today and (notes["minutes"] or notes["decisions"]):
        raise ValidationError("This meeting is still to come; record its minutes and decisions once it "
                              "has been held.", field="minutes")
    attendees = []
    for person in meeting.attendees:
        name, role = (person.name or "").strip(), (person.role or "").strip()
        if not name and not role:
            continue
        if not name:
            raise ValidationError("Enter the name of every attendee, or remove the empty row.", field="attendees")
        if len(name) > MAX_TEXT or len(role) > MAX_TEXT:
            raise ValidationError("Keep each attendee's name and role under 300 characters.", field="attendees")
        attendees.append(Attendee(name, role))
    actions = []
    for item in meeting.actions:
        description = (item.description or "").strip()
        if not (description or (item.owner or "").strip() or item.due_on or item.done_on) and item.id is None:
            continue
        if not description:
            raise ValidationError("Describe every action item, or remove the empty row.", field="actions")
        if len(description) > 2000 or len((item.owner or "").strip()) > MAX_TEXT:
            raise ValidationError("Keep each action item under 2,000 characters and its owner under 300.",
                                  field="actions")
        due = parse_day(item.due_on, "the action item's due date", field_name="actions").isoformat() \
            if (item.due_on or "").strip() else ""
        done = _done_on(item.done_on, held, today) if (item.done_on or "").strip() else ""
        actions.append(ActionItem(description, (item.owner or "").strip(), due, done, item.id, item.version,
                                  meeting.id))
    if len(attendees) > MAX_ROWS or len(actions) > MAX_ROWS:
        raise ValidationError("A meeting holds up to 200 attendees and 200 action items.", field="attendees")
    return Meeting(
        kind=meeting.kind, held_on=held.isoformat(), school_ids=schools, title=title, location=location,
        attendees=attendees, actions=actions,
        school_year=school_year_of(held, starts_month=school_year_start_month(data_file)),
        id=meeting.id, version=meeting.version, attachments=meeting.attachments, **notes,
    )


def _done_on(text: str, held: date, today: date) -> str:
    done = parse_day(text, "the date the action was done", field_name="actions", today=today)
    if done < held:
        raise ValidationError("An action item cannot be done before the meeting that set it.", field="actions")
    return done.isoformat()


def _meeting_values(meeting: Meeting) -> dict:
    return {
        "kind": meeting.kind, "held_on": meeting.held_on, "school_year": meeting.school_year,
        "title": meeting.title, "location": meeting.location, "agenda": meeting.agenda,
        "minutes": meeting.minutes, "decisions": meeting.decisions,
    }


def _action_values(item: ActionItem) -> dict:
    return {"description": item.description, "owner": item.owner, "due_on": item.due_on or None,
            "done_on": item.done_on or None}


def sync_children(
    data_file: DataFile,
    table: str,
    parent: tuple[str, int],
    stored: list[dict],
    wanted: list[tuple[int | None, int, dict]],
    *,
    label: str,
) -> bool:
    """Make a parent's child rows match ``wanted`` ((id or None, version, values), in
    order, positions numbered from 1 when the table has them): add, change and remove,
    each version-checked and audited. Returns whether anything changed."""
    changed = False
    by_id = {r["id"]: r for r in stored}
    kept = {row_id for row_id, _, _ in wanted if row_id is not None}
    if kept - set(by_id):
        raise ValidationError(f"A {label} was removed by someone else since you opened this; reload it.")
    for row in stored:
        if row["id"] not in kept:
            rows.delete(data_file, table, row["id"], expected_version=row["version"], label=label)
            changed = True
    positioned = "position" in (stored[0] if stored else _columns(data_file, table))
    for number, (row_id, version, values) in enumerate(wanted, start=1):
        values = {**values, "position": number} if positioned else dict(values)
        if row_id is None:
            rows.insert(data_file, table, {parent[0]: parent[1], **values})
            changed = True
        elif any(by_id[row_id].get(k) != v for k, v in values.items()) or by_id[row_id]["version"] != version:
            rows.update(data_file, table, row_id, values, expected_version=version, label=label)
            changed = True
    return changed


def _columns(data_file: DataFile, table: str) -> set[str]:
    return set(data_file.db[table].columns_dict)


def touch(data_file: DataFile, table: str, row_id: int, version: int, what: str) -> int:
    """Move a parent record's version on when only its lists changed (audited), so
    anyone still holding the old version gets a conflict rather than overwriting."""
    cursor = data_file.conn.execute(
        f"UPDATE [{table}] SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        (rows.now_text(), data_file.user, row_id, version),
    )
    if cursor.rowcount != 1:
        raise RuntimeError(f"{table} {row_id} moved on inside its own transaction")
    rows.audit(data_file, table, row_id, "update", {"lists": [None, what]})
    return version + 1


def save_meeting(
    data_file: DataFile,
    meeting: Meeting,
    *,
    documents: list[tuple[str, str, bytes]] = (),
    today: date | None = None,
) -> MeetingId:
    """Record or correct a meeting with its schools, attendees, action items and any new
    documents, in one transaction; refused if someone changed it since it was opened."""
    meeting = validate_meeting(data_file, meeting, today=today)
    with data_file.write():
        if meeting.id is None:
            meeting_id = MeetingId(rows.insert(data_file, "meeting", _meeting_values(meeting)))
            version = 1
        else:
            meeting_id = meeting.id
            version = rows.update(data_file, "meeting", meeting_id, _meeting_values(meeting),
                                  expected_version=meeting.version, label="meeting")
        parent = ("meeting_id", meeting_id)
        stored_schools = data_file.query(
            "SELECT * FROM meeting_school WHERE meeting_id = ? ORDER BY id", (meeting_id,))
        by_school = {r["school_id"]: r for r in stored_schools}
        changed = sync_children(
            data_file, "meeting_school", parent, stored_schools,
            [(by_school[s]["id"], by_school[s]["version"], {"school_id": s}) if s in by_school
             else (None, 0, {"school_id": s}) for s in meeting.school_ids],
            label="school of the meeting",
        )
        stored_people = data_file.query(
            "SELECT * FROM meeting_attendee WHERE meeting_id = ? ORDER BY position, id", (meeting_id,))
        people = [(p.name, p.role or None) for p in meeting.attendees]
        if people != [(r["name"], r["role"]) for r in stored_people]:
            reuse = stored_people[: len(people)]
            changed |= sync_children(
                data_file, "meeting_attendee", parent, stored_people,
                [(r["id"], r["version"], {"name": n, "role": role}) for r, (n, role) in zip(reuse, people)]
                + [(None, 0, {"name": n, "role": role}) for n, role in people[len(reuse):]],
                label="attendee",
            )
        stored_actions = data_file.query(
            "SELECT * FROM meeting_action WHERE meeting_id = ? ORDER BY position, id", (meeting_id,))
        changed |= sync_children(
            data_file, "meeting_action", parent, stored_actions,
            [(a.id, a.version, _action_values(a)) for a in meeting.actions],
            label="action item",
        )
        if changed and meeting.id is not None and version == meeting.version:
            touch(data_file, "meeting", meeting_id, version, "schools, attendees or action items")
        for document in documents:
            add_attachment(data_file, "meeting", meeting_id, document)
    return meeting_id


def _meeting(data_file: DataFile, row: dict) -> Meeting:
    return _meetings(data_file, [row])[0]


def _children_reads(data_file: DataFile, ids_sql: str, params: tuple) -> dict[str, Read]:
    """The reads of meetings' schools, attendees, actions and documents, for the meetings
    whose ids ``ids_sql`` (a list of marks, or a subquery) gives."""
    return {
        "schools": (f"SELECT meeting_id, school_id FROM meeting_school WHERE meeting_id IN ({ids_sql}) ORDER BY id",
                    params, ("meeting_id", "school_id")),
        "people": (f"SELECT meeting_id, name, role FROM meeting_attendee WHERE meeting_id IN ({ids_sql}) "
                   "ORDER BY position, id", params, ("meeting_id", "name", "role")),
        "actions": (f"SELECT * FROM meeting_action WHERE meeting_id IN ({ids_sql}) ORDER BY position, id",
                    params, data_file.columns("meeting_action")),
        "documents": (f"SELECT owner_id AS meeting_id, id, file_name, media_type, length(data) AS size "
                      f"FROM attachment WHERE owner_table = 'meeting' AND owner_id IN ({ids_sql}) ORDER BY id",
                      params, ("meeting_id", "id", "file_name", "media_type", "size")),
    }


def _meetings(data_file: DataFile, found: list[dict], chosen: tuple[str, tuple] | None = None) -> list[Meeting]:
    """Meetings from their rows, with their schools, attendees, actions and documents read
    in one query each for all of them (never one query per meeting). ``chosen`` is the
    subquery (and its parameters) that chose the rows, so the lists can be read (or
    prefetched) without waiting for the ids."""
    if not found:
        return []
    if chosen is None:
        ids = tuple(r["id"] for r in found)
        chosen = (",".join("?" * len(ids)), ids)

    def children(read: Read) -> dict[int, list[dict]]:
        grouped: dict[int, list[dict]] = {}
        for child in data_file.query(read[0], read[1]):
            grouped.setdefault(child["meeting_id"], []).append(child)
        return grouped

    reads = _children_reads(data_file, *chosen)
    schools = children(reads["schools"])
    people = children(reads["people"])
    actions = children(reads["actions"])
    documents = children(reads["documents"])
    return [
        Meeting(
            kind=row["kind"], held_on=row["held_on"],
            school_ids=[r["school_id"] for r in schools.get(row["id"], [])],
            title=row["title"] or "", location=row["location"] or "", agenda=row["agenda"] or "",
            minutes=row["minutes"] or "", decisions=row["decisions"] or "",
            attendees=[Attendee(r["name"], r["role"] or "") for r in people.get(row["id"], [])],
            actions=[ActionItem(r["description"], r["owner"] or "", r["due_on"] or "", r["done_on"] or "",
                                r["id"], r["version"], row["id"])
                     for r in actions.get(row["id"], [])],
            school_year=row["school_year"], id=MeetingId(row["id"]), version=row["version"],
            attachments=[{k: v for k, v in r.items() if k != "meeting_id"} for r in documents.get(row["id"], [])],
        )
        for row in found
    ]


def load_meeting(data_file: DataFile, meeting_id: int) -> Meeting:
    """One meeting with its lists and documents; SroDeskError when it is gone."""
    found = data_file.query("SELECT * FROM meeting WHERE id = ?", (meeting_id,))
    if not found:
        raise SroDeskError("That meeting is no longer in the file; reload the page.")
    return _meeting(data_file, found[0])


def _year_where(data_file: DataFile, school_year: str, kind: str | None) -> tuple[str, tuple]:
    start, end = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    where = "held_on BETWEEN ? AND ?"
    params: tuple = (start.isoformat(), end.isoformat())
    if kind is not None:
        where += " AND kind = ?"
        params += (kind,)
    return where, params


def _year_meetings_read(data_file: DataFile, school_year: str, kind: str | None) -> tuple[Read, tuple[str, tuple]]:
    """The read of a year's meetings, and the ids query their lists are chosen by."""
    where, params = _year_where(data_file, school_year, kind)
    read = (f"SELECT * FROM meeting WHERE {where} ORDER BY held_on, id", params, data_file.columns("meeting"))
    return read, (f"SELECT id FROM meeting WHERE {where}", params)


def meetings_for_reads(data_file: DataFile, school_year: str, kind: str | None = None) -> list[Read]:
    """What ``meetings_for`` reads, for ``DataFile.prefetch``."""
    read, (ids_sql, params) = _year_meetings_read(data_file, school_year, kind)
    return [read, *_children_reads(data_file, ids_sql, params).values()]


def meetings_for(data_file: DataFile, school_year: str, kind: str | None = None) -> list[Meeting]:
    """A school year's meetings (of one kind, if given), by date. The year is judged by
    each meeting's date, so a change of the district's start month is followed at once."""
    read, chosen = _year_meetings_read(data_file, school_year, kind)
    return _meetings(data_file, data_file.query(*read[:2]), chosen)


def delete_meeting(data_file: DataFile, meeting: Meeting) -> None:
    """Remove a meeting entered by mistake, with its lists and documents (all audited)."""
    with data_file.write():
        current = rows.get(data_file, "meeting", meeting.id)
        if current is None:
            return
        review = data_file.query("SELECT school_year FROM annual_review WHERE meeting_id = ?", (meeting.id,))
        if review:
            raise ValidationError(
                f"This meeting is where the {review[0]['school_year']} annual review was held; choose "
                "another meeting for the review before removing it."
            )
        if current["version"] != meeting.version:
            # Refused as a conflict (nothing removed) before any of its lists are touched.
            rows.delete(data_file, "meeting", meeting.id, expected_version=meeting.version, label="meeting")
        for table in ("meeting_school", "meeting_attendee", "meeting_action"):
            for row in data_file.query(f"SELECT id, version FROM [{table}] WHERE meeting_id = ?", (meeting.id,)):
                rows.delete(data_file, table, row["id"], expected_version=row["version"], label="meeting")
        for attachment in attachments_of(data_file, "meeting", meeting.id):
            _remove_document(data_file, attachment["id"])
        rows.delete(data_file, "meeting", meeting.id, expected_version=meeting.version, label="meeting")


def add_document(data_file: DataFile, meeting: Meeting, document: tuple[str, str, bytes]) -> int:
    """Keep a scanned document (sign-in sheet, handout, signed minutes) with a meeting."""
    with data_file.write():
        if rows.get(data_file, "meeting", meeting.id) is None:
            raise SroDeskError("That meeting is no longer in the file; reload the page.")
        return add_attachment(data_file, "meeting", meeting.id, document)


def remove_document(data_file: DataFile, attachment_id: int) -> None:
    """Remove one document of a meeting (the audit log keeps its name)."""
    with data_file.write():
        _remove_document(data_file, attachment_id)


def _remove_document(data_file: DataFile, attachment_id: int) -> None:
    found = data_file.query(
        "SELECT id, file_name FROM attachment WHERE id = ? AND owner_table = 'meeting'", (attachment_id,))
    if found:
        data_file.conn.execute("DELETE FROM attachment WHERE id = ?", (attachment_id,))
        rows.audit(data_file, "attachment", attachment_id, "delete", {"file_name": [found[0]["file_name"], None]})


# -- action items ----------------------------------------------------------------------


@dataclass
class OpenAction:
    """An action item not yet done, with the meeting that set it."""

    item: ActionItem
    meeting_id: int
    meeting_title: str
    meeting_kind: str
    held_on: str
    overdue: bool

    def sentence(self) -> str:
        """What is to be done, by whom, and when it is (or was) due."""
        owner = f" ({self.item.owner})" if self.item.owner else ""
        if not self.item.due_on:
            return f"{self.item.description}{owner}: from the {self.meeting_title.lower()} of {self.held_on}."
        state = "was due" if self.overdue else "due"
        return f"{self.item.description}{owner}: {state} {self.item.due_on}, from the meeting of {self.held_on}."


#: The condition of the partial index idx_meeting_action_open, word for word (as SQLite
#: needs it to use the index), on meeting_action as ``a``.
OPEN_ACTION = "(a.done_on IS NULL OR a.done_on = '')"
#: The action items (``a``) with their meetings (``m``), and what ``open_action`` reads of
#: each, for a list over SQL.
ACTIONS_SOURCE = "meeting_action a JOIN meeting m ON m.id = a.meeting_id"
ACTION_FIELDS = ("a.*", "m.kind", "m.title", "m.held_on")
_ACTION_ROWS = f"SELECT {', '.join(ACTION_FIELDS)} FROM {ACTIONS_SOURCE} WHERE {OPEN_ACTION}"


def _open_actions_read(data_file: DataFile) -> Read:
    return (_ACTION_ROWS + " ORDER BY a.due_on IS NULL OR a.due_on = '', a.due_on, m.held_on, a.position, a.id",
            (), data_file.columns("meeting_action") + ("kind", "title", "held_on"))


def open_action(r: dict, today: date) -> OpenAction:
    """The open action item of a row of ``ACTION_FIELDS``, overdue as of ``today``."""
    return OpenAction(
        item=ActionItem(r["description"], r["owner"] or "", r["due_on"] or "", "", r["id"], r["version"],
                        r["meeting_id"]),
        meeting_id=r["meeting_id"],
        meeting_title=r["title"] or MEETING_KINDS.get(r["kind"], r["kind"]),
        meeting_kind=r["kind"],
        held_on=r["held_on"],
        overdue=bool(r["due_on"]) and r["due_on"] < today.isoformat(),
    )


def open_actions_reads(data_file: DataFile) -> list[Read]:
    """What ``open_action_items`` reads, for ``DataFile.prefetch``."""
    return [_open_actions_read(data_file)]


def open_action_items(data_file: DataFile, today: date | None = None) -> list[OpenAction]:
    """Every action item not yet done, soonest due first (undated ones last)."""
    today = today or date.today()
    sql, params, _columns = _open_actions_read(data_file)
    return [open_action(r, today) for r in data_file.query(sql, params)]


def _overdue_read(today: date) -> Read:
    return (f"SELECT count(*) AS n FROM meeting_action a WHERE {OPEN_ACTION} AND a.due_on != '' AND a.due_on < ?",
            (today.isoformat(),), ("n",))


def overdue_count_reads(today: date | None = None) -> list[Read]:
    """What ``overdue_action_count`` reads, for ``DataFile.prefetch``."""
    return [_overdue_read(today or date.today())]


def overdue_action_count(data_file: DataFile, today: date | None = None) -> int:
    """How many action items of every year are not done and past their due date."""
    sql, params, _columns = _overdue_read(today or date.today())
    return data_file.query(sql, params)[0]["n"]


@dataclass
class ActionsDue:
    """The open action items due within some days or late (see ``action_items_due``)."""

    #: The first of them (at most the limit asked for), soonest due first.
    listed: list[OpenAction]
    #: How many there are in all, and how many of those are late.
    total: int
    late: int
    #: The due date of the first one not listed ('' when all are listed).
    next_due: str = ""


def _due_reads(data_file: DataFile, today: date, within_days: int, limit: int) -> list[Read]:
    last = (today + timedelta(days=within_days)).isoformat()
    due = " AND a.due_on != '' AND a.due_on <= ?"
    return [
        (_ACTION_ROWS + due + " ORDER BY a.due_on, m.held_on, a.position, a.id LIMIT ?", (last, limit + 1),
         data_file.columns("meeting_action") + ("kind", "title", "held_on")),
        ("SELECT count(*) AS total, coalesce(sum(a.due_on < ?), 0) AS late FROM meeting_action a "
         f"JOIN meeting m ON m.id = a.meeting_id WHERE {OPEN_ACTION}" + due,
         (today.isoformat(), last), ("total", "late")),
    ]


def action_items_due(
    data_file: DataFile, *, today: date | None = None, within_days: int = 45, limit: int = 8
) -> ActionsDue:
    """The open action items with a due date no more than ``within_days`` away (or past):
    the first ``limit`` of them, soonest due first, and how many there are and are late.
    The same items, in the same order, as those of ``open_action_items`` so due."""
    today = today or date.today()
    (rows_sql, rows_params, _c), (count_sql, count_params, _d) = _due_reads(data_file, today, within_days, limit)
    found = [open_action(r, today) for r in data_file.query(rows_sql, rows_params)]
    counted = data_file.query(count_sql, count_params)[0]
    return ActionsDue(found[:limit], counted["total"], counted["late"],
                      found[limit].item.due_on if len(found) > limit else "")


def mark_action_done(data_file: DataFile, item: ActionItem, done_on: str | None, *, today: date | None = None) -> None:
    """Record that an action item was done (``done_on`` empty or None reopens it)."""
    today = today or date.today()
    with data_file.write():
        row = rows.get(data_file, "meeting_action", item.id)
        if row is None:
            raise SroDeskError("That action item is no longer in the file; reload the page.")
        meeting = rows.get(data_file, "meeting", row["meeting_id"])
        value = _done_on(done_on, date.fromisoformat(meeting["held_on"]), today) if (done_on or "").strip() else None
        before = row["version"]
        after = rows.update(data_file, "meeting_action", item.id, {"done_on": value},
                            expected_version=item.version, label="action item")
        if after != before:
            touch(data_file, "meeting", meeting["id"], meeting["version"], "action item done")


# -- the monthly meeting ---------------------------------------------------------------


def meeting_months(data_file: DataFile) -> list[int]:
    """The months the SRO and principal are expected to meet (September to June unless
    the district chose otherwise)."""
    text = get_setting(data_file, "meeting_months", "") or ""
    try:
        months = [int(m) for m in text.split(",") if m.strip()]
    except ValueError:
        months = []
    months = [m for m in dict.fromkeys(months) if 1 <= m <= 12]
    return months or list(DEFAULT_MEETING_MONTHS)


def set_meeting_months(data_file: DataFile, months: list[int]) -> None:
    """Choose the months (1 to 12) the monthly meeting is expected in."""
    chosen = sorted({int(m) for m in months})
    if not chosen or any(not 1 <= m <= 12 for m in chosen):
        raise ValidationError("Choose at least one month when the SRO and principals meet.")
    set_setting(data_file, "meeting_months", ",".join(str(m) for m in chosen))


def year_months(school_year: str, starts_month: int) -> list[date]:
    """The first day of each of a school year's twelve months, in order."""
    first, _ = parse_school_year(school_year)
    return [date(first + (starts_month - 1 + i) // 12, (starts_month - 1 + i) % 12 + 1, 1) for i in range(12)]


def month_end(month: date) -> date:
    """The last day of a day's month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


_PLACING_COLUMNS = ("year", "school_id", "officer_id", "carries", "review", "name", "assigned_sro", "started")
_SCHOOL_IDS: Read = ("SELECT id FROM school ORDER BY id", (), ("id",))
_DECISIONS: Read = (
    "SELECT r.school_year AS year, r.school_id, d.officer_id, 1 AS carries, 0 AS review, "
    "o.name, o.assigned_sro, d.decided_on AS started FROM selection_decision d "
    "JOIN selection_round r ON r.id = d.round_id JOIN officer o ON o.id = d.officer_id", (), _PLACING_COLUMNS)
_REVIEWS: Read = (
    "SELECT v.school_year AS year, a.school_id, a.officer_id, "
    "(a.recommendation = 'continue' OR coalesce(a.chief_keeps, 0) = 1) AS carries, 1 AS review, "
    "o.name, o.assigned_sro, NULL AS started FROM review_assignment a JOIN annual_review v ON v.id = a.review_id "
    "JOIN officer o ON o.id = a.officer_id", (), _PLACING_COLUMNS)
_MARKED_SROS: Read = ("SELECT id, name FROM officer WHERE assigned_sro = 1 ORDER BY name COLLATE NOCASE, id", (),
                      ("id", "name"))
_SCHOOL_NAMES: Read = ("SELECT id, name FROM school", (), ("id", "name"))


def placements_reads() -> list[Read]:
    """What ``placements`` (and ``sros_for_year``, ``unplaced_sros``) read, for ``DataFile.prefetch``."""
    return [_SCHOOL_IDS, _DECISIONS, _REVIEWS, _MARKED_SROS]


def _assignment_records(data_file: DataFile) -> list[dict]:
    """Every record that places an officer: selection decisions (from their year on, with
    the day decided) and annual-review assignments (the year reviewed, and after it unless
    it ended)."""
    decisions = data_file.query(_DECISIONS[0])
    reviews = data_file.query(_REVIEWS[0])
    return decisions + reviews


def _deciding(records: list[dict], school: int, school_year: str) -> list[dict]:
    """The records that decide who serves ``school`` in ``school_year`` (the rule of
    ``placements``), by officer name."""
    mine = [r for r in records if r["year"] <= school_year and r["school_id"] in (school, None)]
    if not mine:
        return []
    latest = max(r["year"] for r in mine)
    # Within a year the review (held at its end) speaks after the selection decision.
    reviewed = {r["officer_id"] for r in mine if r["year"] == latest and r["review"]}
    return [
        r for r in sorted(mine, key=lambda r: (r["name"], r["officer_id"]))
        if r["year"] == latest and (r["review"] or r["officer_id"] not in reviewed)
        and (latest == school_year or (r["carries"] and r["assigned_sro"]))
    ]


def placements(data_file: DataFile, school_year: str) -> dict[int, list[tuple[int, str]]]:
    """school id -> (officer id, name) of each SRO serving it in a school year.

    The rule: for each school, the latest school year at or before this one with a
    record placing an officer there (a selection decision for that school, or for the
    whole district when the round names no school; or an officer assigned to it, or to
    the whole district, in an annual review) decides; in that year an officer's review
    assignment speaks after their selection decision. A record of this very year counts
    as it stands. One from an earlier year carries forward when it is a selection
    decision, or a review assignment the superintendent recommended continuing or the
    chief kept, and the officer is still marked as an SRO. Only these records place an
    officer: one merely marked as an SRO (on the Training page) serves no school until a
    selection decision or a review says which (see ``unplaced_sros``).
    """
    parse_school_year(school_year)
    return _placed(data_file, _assignment_records(data_file), school_year)


def _placed(data_file: DataFile, records: list[dict], school_year: str) -> dict[int, list[tuple[int, str]]]:
    """``placements`` from the placing records already read."""
    result: dict[int, list[tuple[int, str]]] = {}
    for school in (r["id"] for r in data_file.query(_SCHOOL_IDS[0])):
        officers = list(dict.fromkeys((r["officer_id"], r["name"]) for r in _deciding(records, school, school_year)))
        if officers:
            result[school] = officers
    return result


def _service_start(records: list[dict], school: int, school_year: str) -> date | None:
    """The day the school's SRO started, when the school had none before it in the year:
    the latest selection decision placing each of its officers there (the earliest of
    those when it has several). None when an SRO served it from the year's start: one
    carried from an earlier year, or an officer placed by a review alone."""
    deciding = _deciding(records, school, school_year)
    if not deciding or _deciding([r for r in records if r["year"] < school_year], school, school_year):
        return None
    starts = []
    for officer in {r["officer_id"] for r in deciding}:
        decided = [r["started"] for r in records if r["officer_id"] == officer and not r["review"]
                   and r["started"] and r["year"] <= school_year and r["school_id"] in (school, None)]
        if not decided:
            return None
        starts.append(max(decided))
    try:
        return date.fromisoformat(min(starts))
    except ValueError:
        return None


def sros_for_year(data_file: DataFile, school_year: str) -> list[tuple[int, str]]:
    """(officer id, name) of the year's SROs, by the rule of ``placements``; when no
    school has one, every officer now marked as an SRO."""
    found = list(dict.fromkeys(o for officers in placements(data_file, school_year).values() for o in officers))
    if found:
        return sorted(found, key=lambda o: (o[1].casefold(), o[0]))
    return [(r["id"], r["name"]) for r in data_file.query(_MARKED_SROS[0])]


def unplaced_sros(data_file: DataFile, school_year: str) -> list[str]:
    """The names of the officers marked as SROs whom no selection decision or review
    places at any school in a school year (so no monthly meeting is expected of them)."""
    placed = {o for officers in placements(data_file, school_year).values() for o, _name in officers}
    return [r["name"] for r in data_file.query(_MARKED_SROS[0]) if r["id"] not in placed]


@dataclass
class MonthlyCompliance:
    """One school's monthly SRO-principal meetings in a school year."""

    school_id: int
    school_name: str
    #: The first day of each month that has ended with no meeting recorded.
    missing: list[date]
    #: The last day of the current month, when its meeting is still to be held.
    due: date | None
    sros: list[str] = field(default_factory=list)
    #: The day the school's SRO started, when that was inside the year: the months that
    #: ended before it are not expected to have had a meeting.
    starts: date | None = None

    def expected(self, month: date) -> bool:
        """Whether a month (its first day) needed a meeting: not one that ended before the SRO started."""
        return self.starts is None or month_end(month) >= self.starts

    def sentence(self) -> str:
        """'' when nothing is missing, else one sentence naming the months."""
        if not self.missing:
            return ""
        names = [f"{MONTHS[m.month - 1]} {m.year}" for m in self.missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{self.school_name}: no SRO and principal meeting was recorded in {listed}."

    def due_sentence(self) -> str:
        """'' unless this month's meeting is still to be held; else when it is due by."""
        if self.due is None:
            return ""
        return (f"{self.school_name}: this month's SRO and principal meeting is due by "
                f"{MONTHS[self.due.month - 1][:3]} {self.due.day}.")


def _held_read(school_year: str, starts: int, today: date) -> Read:
    start, end = school_year_bounds(school_year, starts_month=starts)
    return ("SELECT s.school_id, m.held_on FROM meeting m JOIN meeting_school s ON s.meeting_id = m.id "
            "WHERE m.kind = 'sro_principal' AND m.held_on BETWEEN ? AND ? AND m.held_on <= ?",
            (start.isoformat(), end.isoformat(), today.isoformat()), ("school_id", "held_on"))


def monthly_reads(data_file: DataFile, school_year: str, *, today: date | None = None) -> list[Read]:
    """What ``missing_monthly_meetings`` reads, for ``DataFile.prefetch``."""
    starts = school_year_start_month(data_file)
    return [*placements_reads(), _SCHOOL_NAMES, _held_read(school_year, starts, today or date.today())]


def missing_monthly_meetings(
    data_file: DataFile, school_year: str, *, today: date | None = None
) -> list[MonthlyCompliance]:
    """For each school with an SRO (see ``placements``), the meeting months of the
    school year that have ended with no SRO-principal meeting held at that school, and the
    current month when its meeting is still to come. A meeting counts for the month it was
    held in, once its date has come. A month that ended before the school's SRO started
    (the day of the selection decision, when the school had no SRO before it that year)
    is never missing."""
    today = today or date.today()
    starts = school_year_start_month(data_file)
    wanted = set(meeting_months(data_file))
    months = [m for m in year_months(school_year, starts) if m.month in wanted]
    records = _assignment_records(data_file)
    served = _placed(data_file, records, school_year)
    names = {r["id"]: r["name"] for r in data_file.query(_SCHOOL_NAMES[0])}
    held: dict[int, set[tuple[int, int]]] = {}
    sql, params, _columns = _held_read(school_year, starts, today)
    for row in data_file.query(sql, params):
        day = date.fromisoformat(row["held_on"])
        held.setdefault(row["school_id"], set()).add((day.year, day.month))
    results = []
    for school_id, sros in served.items():
        done = held.get(school_id, set())
        school = MonthlyCompliance(school_id, names.get(school_id, ""), [], None, [name for _, name in sros],
                                   _service_start(records, school_id, school_year))
        school.missing = [m for m in months if month_end(m) < today and school.expected(m)
                          and (m.year, m.month) not in done]
        current = next((m for m in months if m <= today <= month_end(m)), None)
        if current and school.expected(current) and (current.year, current.month) not in done:
            school.due = month_end(current)
        results.append(school)
    return results


# -- who attends -----------------------------------------------------------------------


def usual_attendees(data_file: DataFile, kind: str, school_ids: list[int], held_on: str = "") -> list[Attendee]:
    """The people who usually attend a meeting of ``kind`` (``USUAL_ROLES``), named where
    the file knows them: the SROs placed at the chosen schools that school year (for the
    annual review, every SRO of the year), each chosen school's principal, every chief
    and the superintendent (a charter school's head). A role the file cannot name, or a
    meeting not yet given a school, keeps an empty name for the person to type. The year
    is the one ``held_on`` falls in (today's when it is not a date yet)."""
    from sro_desk.records.district import chief_name, leader_name, load_district

    try:
        day = date.fromisoformat((held_on or "").strip())
    except ValueError:
        day = date.today()
    year = school_year_of(day, starts_month=school_year_start_month(data_file))
    district = load_district(data_file)
    schools = [s for s in (district.schools if district else []) if s.id in set(school_ids)]
    people: list[Attendee] = []
    for role in USUAL_ROLES.get(kind, ()):
        if role == "SRO":
            if kind == "annual_review":
                names = [name for _id, name in sros_for_year(data_file, year)]
            else:
                placed = placements(data_file, year)
                names = [name for s in schools for _id, name in placed.get(s.id, [])]
        elif role == "Principal":
            names = [s.principal_name for s in schools]
        elif role == "Chief":
            names = [chief_name(d.chief_name) for d in (district.departments if district else [])]
        elif role == "Superintendent":
            names = [leader_name(district.superintendent_name)] if district else []
            role = district.leader_title if district else role
        else:
            names = []
        names = [n for n in dict.fromkeys(n.strip() for n in names if n and n.strip())]
        people += [Attendee(name, role) for name in names] or [Attendee("", role)]
    return people


# -- the dashboard ---------------------------------------------------------------------


def dashboard_reads(
    data_file: DataFile, year: str, today: date, *, within_days: int = 45, limit: int = 8
) -> list[Read]:
    """What the dashboard's ``missing_monthly_meetings(data_file, year, today=today)`` and
    ``action_items_due(data_file, today=today, within_days=..., limit=...)`` read, for
    ``DataFile.prefetch``: inside a snapshot, those calls then ask the file nothing more
    (the settings and the district aside)."""
    return [*monthly_reads(data_file, year, today=today), *_due_reads(data_file, today, within_days, limit)]
