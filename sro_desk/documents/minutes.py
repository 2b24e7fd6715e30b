"""Meeting minutes: one meeting, or a school year's register of meetings with their minutes.

For the school-committee packet (public) the register lists every meeting, and the minutes
of the monthly SRO and principal meetings are left out: those meetings routinely discuss
individual students. Every other kind prints in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.common import (
    Styles,
    data_table,
    escape,
    heading,
    make_styles,
    write_pdf,
)

#: Kinds whose minutes stay out of a public packet.
PRIVATE_KINDS = {"sro_principal"}


@dataclass
class PrintableMeeting:
    held_on: str
    kind: str
    kind_label: str
    title: str
    schools: list[str]
    location: str
    attendees: list[tuple[str, str]]
    agenda: str
    minutes: str
    decisions: str
    #: (description, owner, due, done)
    actions: list[tuple[str, str, str, str]]


@dataclass
class PrintableMinutes:
    district: str
    school_year: str
    prepared_on: str
    meetings: list[PrintableMeeting]
    public: bool = False


def printable_minutes(data_file, school_year: str, *, meeting_ids: list[int] | None = None,
                      public: bool = False, today: date | None = None) -> PrintableMinutes:
    """A school year's meetings (or the chosen ones) gathered for printing."""
    from sro_desk.records import meetings
    from sro_desk.records.district import load_district

    district = load_district(data_file)
    names = {r["id"]: r["name"] for r in data_file.query("SELECT id, name FROM school")}
    if meeting_ids is not None:
        chosen = [meetings.load_meeting(data_file, i) for i in meeting_ids]
    else:
        chosen = meetings.meetings_for(data_file, school_year)
    return PrintableMinutes(
        district=district.name if district else "",
        school_year=school_year,
        prepared_on=(today or date.today()).isoformat(),
        public=public,
        meetings=[
            PrintableMeeting(
                held_on=m.held_on, kind=m.kind, kind_label=m.kind_label, title=m.display_title,
                schools=[names.get(i, "") for i in m.school_ids], location=m.location,
                attendees=[(a.name, a.role) for a in m.attendees], agenda=m.agenda, minutes=m.minutes,
                decisions=m.decisions,
                actions=[(a.description, a.owner, a.due_on, a.done_on) for a in m.actions],
            )
            for m in chosen
        ],
    )


def _long(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day:%B} {day.day}, {day.year}"


def _text_block(label: str, text: str, styles: Styles) -> list[Flowable]:
    if not text.strip():
        return []
    story: list[Flowable] = [PdfParagraph(escape(label), styles.subheading)]
    for paragraph in text.strip().split("\n"):
        if paragraph.strip():
            story.append(PdfParagraph(escape(paragraph), styles.body))
    return story


def _cell(text: str, styles: Styles, head: bool = False) -> PdfParagraph:
    return PdfParagraph(escape(text), styles.cell_head if head else styles.cell)


def minutes_story(minutes: PrintableMinutes, styles: Styles | None = None) -> list[Flowable]:
    styles = styles or make_styles()
    story: list[Flowable] = [heading(f"Meetings, {minutes.school_year}", styles.heading)]
    if not minutes.meetings:
        story.append(PdfParagraph(escape(f"No meeting is recorded for {minutes.school_year}."), styles.body))
        return story
    register = [[_cell(h, styles, True) for h in ("Date", "Meeting", "Schools", "Attendees")]]
    for meeting in minutes.meetings:
        register.append([_cell(meeting.held_on, styles), _cell(meeting.title, styles),
                         _cell(", ".join(meeting.schools) or "District", styles),
                         _cell(str(len(meeting.attendees)), styles)])
    story.append(data_table(register, (0.95, 2.6, 2.2, 0.95)))
    shown = [m for m in minutes.meetings if not (minutes.public and m.kind in PRIVATE_KINDS)]
    if minutes.public and len(shown) < len(minutes.meetings):
        story.append(Spacer(1, 4))
        story.append(PdfParagraph(
            "The minutes of the monthly SRO and principal meetings are not printed here: those "
            "meetings discuss individual students. They are listed above.", styles.note))
    for meeting in shown:
        story += _meeting(meeting, styles)
    return story


def _meeting(meeting: PrintableMeeting, styles: Styles) -> list[Flowable]:
    title = f"{_long(meeting.held_on)}: {meeting.title}"
    facts = [meeting.kind_label]
    if meeting.schools:
        facts.append(", ".join(meeting.schools))
    if meeting.location:
        facts.append(meeting.location)
    story: list[Flowable] = [
        Spacer(1, 8),
        KeepTogether([heading(title, styles.subheading, level=1),
                      PdfParagraph(escape(" \u00b7 ".join(facts)), styles.note)]),
    ]
    if meeting.attendees:
        people = "; ".join(f"{name} ({role})" if role else name for name, role in meeting.attendees)
        story.append(PdfParagraph("<b>Present:</b> " + escape(people), styles.body))
    story += _text_block("Agenda", meeting.agenda, styles)
    story += _text_block("Minutes", meeting.minutes, styles)
    story += _text_block("Decisions", meeting.decisions, styles)
    if meeting.actions:
        rows = [[_cell(h, styles, True) for h in ("Action", "Owner", "Due", "Done")]]
        rows += [[_cell(a, styles), _cell(b, styles), _cell(c, styles), _cell(d, styles)]
                 for a, b, c, d in meeting.actions]
        story += [PdfParagraph("Action items", styles.subheading), data_table(rows, (3.3, 1.5, 0.95, 0.95))]
    return story


def build_minutes_pdf(minutes: PrintableMinutes, out: Path | BinaryIO) -> None:
    label = f"Meeting minutes \u2014 {minutes.school_year}"
    write_pdf(out, minutes_story(minutes), title=f"SRO program meetings {minutes.school_year}",
              author=minutes.district, subject="School Resource Officer program meetings",
              watermark=None, footer_left=f"{label} \u2014 {minutes.district}" if minutes.district else label)
