"""Finding records by the words in them: complaints, meetings, agreements and training.

The file keeps one SQLite FTS5 index per record table (migration ``0009_search``),
kept current by triggers, so every save is searchable at once. A complaint's name,
contact, details and sealed identity are never indexed, so no search can find or show
a complainant. What a person types is never handed to FTS5 as query syntax: it is cut
into words, each word quoted, and only the last one matched as a prefix (it may still
be being typed), so quotes, ``*``, ``AND`` or ``NEAR(`` are just words.
"""

from __future__ import annotations

import logging
import sqlite3
import unicodedata
from dataclasses import dataclass

from sro_desk.errors import SroDeskError
from sro_desk.records.complaints import CATEGORIES, SUBJECTS
from sro_desk.records.meetings import MEETING_KINDS
from sro_desk.store import DataFile

log = logging.getLogger(__name__)

#: Marks around a matched word in a snippet: Unicode noncharacters, which never occur in
#: text people type or paste, so a snippet can be split back into its pieces.
MATCH_OPEN, MATCH_CLOSE = "\ufdd0", "\ufdd1"
#: At most this many words of what was typed are searched for.
MAX_WORDS = 12
#: Longer words are cut; no real word is this long.
MAX_WORD_LENGTH = 60
#: A last word shorter than this is matched whole: one or two letters as a prefix would
#: match most of the file and make every keystroke slow.
MIN_PREFIX = 3
#: The porter stemmer indexes "restorative" as "restor", so "restorati*" matches
#: nothing while the word is half typed. The last word is also tried up to this many
#: letters shorter (keeping at least MIN_PREFIX + 1); rows matching more of it rank first.
TRIM_LETTERS = 4
#: A word found in very many records is ranked among the most recently entered this
#: many of each kind, so a search costs the same on a file of any size.
RANK_WINDOW = 2000
SNIPPET_WORDS = 14

#: (kind, the label of its group), in the order groups are shown.
KINDS = (
    ("complaint", "Complaints"),
    ("meeting", "Meetings"),
    ("agreement", "Agreements"),
    ("training", "Training"),
    ("officer", "Officers"),
)


@dataclass(frozen=True)
class Hit:
    """One record found, with the words around the match."""

    kind: str
    #: The complaint, meeting, agreement, training entry or officer found.
    record_id: int
    title: str
    #: The text around the match as (text, matched) pieces.
    snippet: tuple[tuple[str, bool], ...]
    school_year: str = ""
    #: The record's own date (received, held, taken), ISO; "" when it has none.
    on: str = ""
    #: For an agreement found by one of its clauses: that clause.
    clause_id: int | None = None
    #: For a training entry: the officer who took it.
    officer_id: int | None = None

    @property
    def snippet_text(self) -> str:
        """The snippet as plain text, without the match marks."""
        return "".join(text for text, _ in self.snippet)

    @property
    def when(self) -> str:
        """The date, or the school year when the record has no date of its own."""
        return self.on or self.school_year


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind of record, best first."""

    kind: str
    label: str
    hits: list[Hit]
    #: True when there were more hits than the limit.
    more: bool = False


def words_of(text: str) -> list[str]:
    """The words of ``text`` as FTS5's unicode61 tokenizer cuts them (letters, numbers,
    marks and private-use characters); everything else separates words, and a word of
    accents alone (which the index drops) is left out."""
    words: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text or "") + " ":
        category = unicodedata.category(char)
        if category[0] in "LNM" or category == "Co":
            if char not in (MATCH_OPEN, MATCH_CLOSE):
                current.append(char)
            continue
        if any(unicodedata.category(c)[0] != "M" for c in current):
            words.append("".join(current))
        current = []
    return [w[:MAX_WORD_LENGTH] for w in words[:MAX_WORDS]]


def fts_query(text: str) -> str | None:
    """A safe FTS5 query for what a person typed: every word must match, the last one
    also as the start of a word unless a space after it says it is finished. None when
    there is nothing to search for."""
    words = words_of(text)
    if not words:
        return None
    # Each word is only letters and numbers, so quoting cannot be broken out of.
    terms = [f'"{w}"' for w in words[:-1]]
    last = words[-1]
    finished = text[-1:].isspace()
    if len(last) < MIN_PREFIX or finished:
        terms.append(f'"{last}"')
    else:
        # Nested prefixes: only the shortest adds rows, and a row that also matches
        # the whole word scores for both, so it ranks higher.
        options = [f'"{last}"', f'"{last}"*']
        trimmed = max(len(last) - TRIM_LETTERS, MIN_PREFIX + 1)
        if trimmed < len(last):
            options.append(f'"{last[:trimmed]}"*')
        terms.append("(" + " OR ".join(options) + ")")
    # FTS5 needs an explicit AND before a parenthesis.
    return " AND ".join(terms)


def _snippet(marked: str | None) -> tuple[tuple[str, bool], ...]:
    """Split a snippet made with MATCH_OPEN/MATCH_CLOSE into (text, matched) pieces."""
    pieces: list[tuple[str, bool]] = []
    for index, part in enumerate((marked or "").split(MATCH_OPEN)):
        if index == 0:
            matched, rest = "", part
        else:
            matched, _, rest = part.partition(MATCH_CLOSE)
        if matched:
            pieces.append((matched, True))
        if rest:
            pieces.append((rest.replace(MATCH_CLOSE, ""), False))
    squashed = ((_squash(text), is_match) for text, is_match in pieces)
    return tuple((text, is_match) for text, is_match in squashed if text)


def _squash(text: str) -> str:
    """Line breaks and runs of spaces as single spaces, keeping a space at either end."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def _marks(fts: str, column: int) -> str:
    """The snippet of a matching row, matched words between MATCH_OPEN and MATCH_CLOSE."""
    return f"snippet([{fts}], {column}, '{MATCH_OPEN}', '{MATCH_CLOSE}', '…', {SNIPPET_WORDS})"


def _matching(fts: str, weights: str = "") -> str:
    """The WHERE clause for rows of ``fts`` matching :query, ranked by bm25 (``weights``
    per column) among the newest RANK_WINDOW matches.

    FTS5 then sorts by ``rank`` itself, so snippets are made only for the rows returned,
    and a word in every record costs no more than a rare one.
    """
    ranking = f" AND [{fts}].rank MATCH 'bm25({weights})'" if weights else ""
    return (
        f"[{fts}] MATCH :query{ranking} AND [{fts}].rowid >= coalesce(("
        f"SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH :query "
        f"ORDER BY rowid DESC LIMIT 1 OFFSET :window), 0)"
    )


# One statement per kind. Column order (and so the weights) is that of migration 0009:
# complaint (subject, category, description), meeting (title, agenda, minutes,
# decisions, location), meeting_attendee (name, role), meeting_action (description,
# owner), agreement (title, school_year), agreement_clause (title, text),
# training_entry (title, provider, notes), officer (name).

_COMPLAINTS = f"""
SELECT c.id, c.received_on AS day, c.school_year, c.category, c.subject, c.voided,
       {_marks('complaint_fts', 2)} AS marked
FROM complaint_fts JOIN complaint c ON c.id = complaint_fts.rowid
WHERE {_matching('complaint_fts', '2.0, 2.0, 1.0')}
ORDER BY complaint_fts.rank LIMIT :limit
"""


def _meeting_part(table: str, label: str) -> str:
    """The best matches among meetings' attendees or action items: (meeting, score,
    ``label``, snippet)."""
    fts = f"{table}_fts"
    return (f"SELECT * FROM (SELECT t.meeting_id, [{fts}].rank, '{label}', {_marks(fts, -1)} "
            f"FROM [{fts}] JOIN [{table}] t ON t.id = [{fts}].rowid WHERE {_matching(fts)} "
            f"ORDER BY [{fts}].rank LIMIT :limit)")


_MEETINGS = f"""
WITH found(meeting_id, score, part, marked) AS (
    SELECT * FROM (
        SELECT rowid, rank, '', {_marks('meeting_fts', -1)} FROM meeting_fts
        WHERE {_matching('meeting_fts', '4.0, 1.0, 1.0, 2.0, 1.0')}
        ORDER BY rank LIMIT :limit)
    UNION ALL {_meeting_part('meeting_attendee', 'Attendee: ')}
    UNION ALL {_meeting_part('meeting_action', 'Action item: ')}
), best AS (
    -- SQLite takes the bare columns from the row holding the minimum.
    SELECT meeting_id, min(score) AS score, part, marked FROM found GROUP BY meeting_id
)
SELECT m.id, m.kind, m.title, m.held_on AS day, m.school_year, best.part, best.marked
FROM best JOIN meeting m ON m.id = best.meeting_id
ORDER BY best.score, m.held_on DESC LIMIT :limit
"""

_AGREEMENTS = f"""
WITH found(agreement_id, clause_id, clause_title, score, marked) AS (
    SELECT * FROM (
        SELECT rowid, NULL, NULL, rank, {_marks('agreement_fts', -1)} FROM agreement_fts
        WHERE {_matching('agreement_fts')}
        ORDER BY rank LIMIT :limit)
    UNION ALL
    SELECT * FROM (
        SELECT c.agreement_id, c.id, c.title, agreement_clause_fts.rank,
               {_marks('agreement_clause_fts', 1)}
        FROM agreement_clause_fts JOIN agreement_clause c ON c.id = agreement_clause_fts.rowid
        WHERE {_matching('agreement_clause_fts', '3.0, 1.0')}
        ORDER BY agreement_clause_fts.rank LIMIT :limit)
)
SELECT a.id, a.title, a.school_year, a.signed_on AS day, found.clause_id, found.clause_title,
       found.marked
FROM found JOIN agreement a ON a.id = found.agreement_id
ORDER BY found.score, a.school_year DESC LIMIT :limit
"""

_TRAINING = f"""
SELECT t.id, t.officer_id, t.title, t.taken_on AS day, t.school_year, o.name AS officer_name,
       {_marks('training_entry_fts', -1)} AS marked
FROM training_entry_fts
JOIN training_entry t ON t.id = training_entry_fts.rowid
LEFT JOIN officer o ON o.id = t.officer_id
WHERE {_matching('training_entry_fts', '3.0, 1.0, 1.0')}
ORDER BY training_entry_fts.rank LIMIT :limit
"""

_OFFICERS = f"""
SELECT o.id, o.id AS officer_id, o.name, o.rank AS officer_rank, {_marks('officer_fts', 0)} AS marked
FROM officer_fts JOIN officer o ON o.id = officer_fts.rowid
WHERE {_matching('officer_fts')}
ORDER BY officer_fts.rank LIMIT :limit
"""


# What each kind's hit is called, from its row.


def _complaint_title(r: dict) -> str:
    # Never the complainant: only what the complaint is about.
    return (f"Complaint {r['id']}: {CATEGORIES.get(r['category'], r['category'])} "
            f"({SUBJECTS.get(r['subject'], r['subject'])})" + (", voided" if r["voided"] else ""))


def _meeting_title(r: dict) -> str:
    return r["title"] or MEETING_KINDS.get(r["kind"], r["kind"])


def _agreement_title(r: dict) -> str:
    return f"{r['clause_title']} ({r['title']})" if r["clause_id"] is not None else r["title"]


def _training_title(r: dict) -> str:
    return f"{r['title']} ({r['officer_name']})" if r["officer_name"] else r["title"]


def _officer_title(r: dict) -> str:
    return f"{r['officer_rank']} {r['name']}" if r["officer_rank"] else r["name"]


_SEARCHES = {
    "complaint": (_COMPLAINTS, _complaint_title),
    "meeting": (_MEETINGS, _meeting_title),
    "agreement": (_AGREEMENTS, _agreement_title),
    "training": (_TRAINING, _training_title),
    "officer": (_OFFICERS, _officer_title),
}


def _hit(kind: str, row: dict, title) -> Hit:
    snippet = _snippet(row["marked"])
    if row.get("part"):  # the meeting was found by an attendee or an action item
        snippet = ((row["part"], False), *snippet)
    return Hit(
        kind=kind,
        record_id=row["id"],
        title=title(row),
        snippet=snippet,
        school_year=row.get("school_year") or "",
        on=row.get("day") or "",
        clause_id=row.get("clause_id"),
        officer_id=row.get("officer_id"),
    )


def search(data_file: DataFile, text: str, *, limit_per_kind: int = 20) -> list[SearchGroup]:
    """The records matching ``text``, grouped by kind (only kinds with hits), best first.

    Never raises for what was typed: a query FTS5 still refuses finds nothing. A file
    that cannot be read raises SroDeskError with a sentence to show.
    """
    query = fts_query(text)
    if query is None or limit_per_kind < 1:
        return []
    groups = []
    for kind, label in KINDS:
        sql, title = _SEARCHES[kind]
        try:
            rows = data_file.query(
                sql, {"query": query, "limit": limit_per_kind + 1, "window": RANK_WINDOW - 1}
            )
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "syntax error" in str(exc) or "unterminated" in str(exc):
                log.warning("search for %r refused by FTS5: %s", query, exc)
                continue
            raise _unreadable(exc) from None
        except sqlite3.Error as exc:
            raise _unreadable(exc) from None
        if rows:
            hits = [_hit(kind, row, title) for row in rows[:limit_per_kind]]
            groups.append(SearchGroup(kind, label, hits, more=len(rows) > limit_per_kind))
    return groups


def _unreadable(exc: sqlite3.Error) -> SroDeskError:
    log.error("search failed", exc_info=(type(exc), exc, exc.__traceback__))
    return SroDeskError(
        "Searching could not read this file; try again, and if it keeps happening use "
        "File > Check File."
    )


__all__ = ["Hit", "KINDS", "SearchGroup", "fts_query", "search", "words_of"]
