"""The school-committee packet's sections, named apart from the packet itself so the
Print page can list them without loading the PDF machinery."""

from __future__ import annotations

#: The sections a packet can hold, in the order they are printed.
SECTIONS: dict[str, str] = {
    "cover": "Cover",
    "agenda": "Agenda",
    "contents": "Contents",
    "summary": "Compliance summary",
    "agreement": "Agreement",
    "selection": "SRO selection",
    "training": "SRO training",
    "complaints": "Complaint statistics",
    "enforcement": "Enforcement data",
    "review": "End-of-year review",
    "minutes": "Meeting minutes",
}
#: Sections that make up the front matter (numbered with the rest, no bookmark of their own
#: beyond the section's name).
FRONT = ("cover", "agenda", "contents")
