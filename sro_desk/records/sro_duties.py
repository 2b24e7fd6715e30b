"""Duties outside the SRO's role: lunch, cafeteria, hall, bus or substitute duty.

The state's model agreement says the SRO is never used for hall, cafeteria or substitute
duty (source "model-mou": a model the parties follow, not a statute). This check reads
the year's meeting minutes, decisions and action items and the SRO's activity log for
such duty, by plain word matching, so that the annual review can raise it. It matches
phrases ("lunch duty", "supervise the cafeteria", "cover a class"), never a lone word:
"a fight in the cafeteria", "the town hall" or "the bus loop" are not duty. A phrase
said in the negative ("the SRO will not join lunch duty", "keep the SRO off hall duty")
or about someone else ("teachers cover lunch duty") is not raised either; a text about
no one in particular counts only where it is the SRO's own (the activity log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sro_desk.records.calendar import school_year_bounds
from sro_desk.records.settings import school_year_start_month
from sro_desk.store import DataFile
from sro_desk.store.database import Read

#: Where the rule comes from (an id of resources/law/sources.json): a model, not a statute.
SOURCE = "model-mou"
SOURCE_NOTE = ("The model agreement is the state's pattern for SRO agreements, not a statute; the district's "
               "own agreement says what binds it.")
_AREA = {
    "lunch duty": r"lunch|lunchroom|lunch-room",
    "cafeteria duty": r"cafeteria",
    "hall duty": r"hall|halls|hallway|hallways|corridor|corridors",
    "bus duty": r"bus|buses|busses",
}
_WATCH = r"duty|duties|supervision|monitor|monitors|monitoring"
_SUPERVISE = r"supervis(?:e|es|ed|ing)|monitor(?:s|ed|ing)?"
#: Each duty, with the phrases that say it (case-insensitive).
PATTERNS: dict[str, re.Pattern] = {
    **{
        duty: re.compile(
            rf"\b(?:{area})(?:\s+(?:line|loop|room|period))?\s+(?:{_WATCH})\b"
            rf"|\b(?:{_SUPERVISE})\s+(?:the\s+|students\s+at\s+|students\s+in\s+the\s+)?(?:{area})\b",
            re.IGNORECASE,
        )
        for duty, area in _AREA.items()
    },
    "substitute duty": re.compile(
        r"\bsubstitute\s+(?:duty|duties|teacher|teaching|coverage)\b|\bas\s+a\s+substitute\b"
        r"|\bsubstitut(?:e|es|ed|ing)\s+for\s+(?:a|an|the)\s+(?:absent\s+)?(?:teacher|aide|paraprofessional)\b"
        r"|\bcover(?:s|ed|ing)?\s+(?:for\s+)?(?:a|an|the|another)\s+(?:absent\s+)?(?:teacher's\s+)?"
        r"(?:class|classes|classroom|teacher)\b|\bclass\s+coverage\b",
        re.IGNORECASE,
    ),
}
#: Words that the texts worth reading hold, for SQL to choose them before Python reads them.
_WORDS = ("duty", "duties", "supervis", "monitor", "substitut", "cover")
#: Who the SRO is, in a text (officers' own names are added from the file).
_SRO = r"\bSROs?\b|\bresource\s+officers?\b|\bofficers?\b|\bsergeant\b|\bsgt\b|\bpolice\b|\bdetective\b"
#: Others whose duty it is ("teachers cover lunch duty").
_OTHERS = re.compile(
    r"\b(?:teachers?|staff|aides?|paraprofessionals?|paras|counsell?ors?|principals?|assistant\s+principals?|"
    r"administrators?|custodians?|volunteers?|parents?|nurses?|substitutes?)\b",
    re.IGNORECASE,
)
#: A phrase said in the negative: a word of these among the few before it, in its clause.
_NEGATIVE = re.compile(
    r"\b(?:not|never|no|nor|without|instead|rather|cannot|avoid|avoids|stop|stops|stopped|ended)\b"
    r"|n't\b",
    re.IGNORECASE,
)
#: ... or right before it ("off lunch duty", "relieved of hall duty", "excused from bus duty").
_TAKEN_OFF = re.compile(r"\b(?:off|from|relieved\s+of)\s+(?:the\s+|any\s+|all\s+)?$", re.IGNORECASE)
#: How many words before a phrase a negative word is looked for.
_NEGATIVE_REACH = 6
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSES = re.compile(r"[;:]|,?\s+but\s+|\s+whereas\s+", re.IGNORECASE)


def duties_in(text: str, *, names: list[str] = (), about_the_sro: bool = False) -> list[str]:
    """The duties ``text`` records the SRO on, in the order of ``PATTERNS``. A sentence
    counts when it names the SRO (or an officer of ``names``), or, with ``about_the_sro``
    (the SRO's own log, an action item the SRO owns), when it names no one else."""
    sro = re.compile("|".join([_SRO, *(rf"\b{re.escape(n)}\b" for n in names if n.strip())]), re.IGNORECASE)
    found: set[str] = set()
    for sentence in _SENTENCES.split(text or ""):
        names_sro = bool(sro.search(sentence))
        for clause in _CLAUSES.split(sentence):
            for duty, pattern in PATTERNS.items():
                for match in pattern.finditer(clause):
                    before = clause[:match.start()]
                    if _negative(before):
                        continue
                    if not sro.search(clause):
                        # Someone else's duty (named before it, as its doer), or no one's
                        # said; a sentence naming the SRO elsewhere, or the SRO's own
                        # text, may still be about the SRO.
                        if _OTHERS.search(before) or not (names_sro or about_the_sro):
                            continue
                    found.add(duty)
    return [duty for duty in PATTERNS if duty in found]


def _negative(before: str) -> bool:
    if _TAKEN_OFF.search(before):
        return True
    near = " ".join(before.split()[-_NEGATIVE_REACH:])
    return bool(_NEGATIVE.search(near))


@dataclass(frozen=True)
class DutyNote:
    """One record of the year that puts the SRO on a duty the model agreement rules out."""

    #: "minutes", "decisions", "action item" or "activity"
    part: str
    day: str
    duties: tuple[str, ...]
    #: the meeting's id (minutes, decisions, action items) or the activity's
    record_id: int

    def sentence(self) -> str:
        """'The minutes of October 10, 2025 record the SRO on lunch duty; the model agreement
        keeps SROs off such duties.'"""
        day = date.fromisoformat(self.day)
        when = f"{day:%B} {day.day}, {day.year}"
        where = {
            "minutes": f"The minutes of {when} record",
            "decisions": f"The decisions of the meeting of {when} record",
            "action item": f"An action item of the meeting of {when} records",
            "activity": f"The SRO's activity log of {when} records",
        }[self.part]
        duties = list(self.duties)
        said = duties[0] if len(duties) == 1 else ", ".join(duties[:-1]) + " and " + duties[-1]
        return f"{where} the SRO on {said}; the model agreement keeps SROs off such duties."


def duties_reads(data_file: DataFile, school_year: str) -> list[Read]:
    """What ``duties_recorded`` reads, for ``DataFile.prefetch``: the year's texts that
    hold a word a duty is said with, and the officers' names."""
    start, end = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    bounds = (start.isoformat(), end.isoformat())

    def worded(column: str) -> str:
        return "(" + " OR ".join(f"{column} LIKE '%{word}%'" for word in _WORDS) + ")"

    sql = (
        "SELECT 'minutes' AS part, 0 AS rank, id, held_on AS day, minutes AS text, '' AS owner FROM meeting "
        f"WHERE held_on BETWEEN ? AND ? AND {worded('minutes')} "
        "UNION ALL SELECT 'decisions', 1, id, held_on, decisions, '' FROM meeting "
        f"WHERE held_on BETWEEN ? AND ? AND {worded('decisions')} "
        "UNION ALL SELECT 'action item', 2, m.id, m.held_on, a.description, coalesce(a.owner, '') "
        "FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id "
        f"WHERE m.held_on BETWEEN ? AND ? AND {worded('a.description')} "
        "UNION ALL SELECT 'activity', 3, id, occurred_on, notes, '' FROM sro_activity "
        f"WHERE school_year = ? AND {worded('notes')} "
        "ORDER BY day, rank, id"
    )
    return [
        (sql, (*bounds, *bounds, *bounds, school_year), ("part", "rank", "id", "day", "text", "owner")),
        ("SELECT name FROM officer ORDER BY id", (), ("name",)),
    ]


def duties_recorded(data_file: DataFile, school_year: str) -> list[DutyNote]:
    """Every record of the school year that puts the SRO on lunch, cafeteria, hall, bus or
    substitute duty, oldest first (the minutes before the decisions of the same meeting)."""
    texts, officers = duties_reads(data_file, school_year)
    names = [r["name"] for r in data_file.query(*officers[:2])]
    # An officer is named in full or by surname ("Officer Bell"); a surname of two
    # letters or fewer would match too much.
    names = sorted({n for name in names for n in (name, name.split()[-1] if name.split() else "")
                    if len(n.strip()) > 2})
    found = []
    for row in data_file.query(*texts[:2]):
        if row["part"] == "action item":
            owner = row["owner"].strip().casefold()
            about = bool(owner) and any(owner == n.casefold() or owner.endswith(" " + n.casefold())
                                        for n in names)
            duties = duties_in(row["text"], names=names, about_the_sro=about)
        else:
            duties = duties_in(row["text"], names=names, about_the_sro=row["part"] == "activity")
        if duties:
            found.append(DutyNote(row["part"], row["day"], tuple(duties), row["id"]))
    return found


__all__ = ["PATTERNS", "SOURCE", "SOURCE_NOTE", "DutyNote", "duties_in", "duties_reads", "duties_recorded"]
