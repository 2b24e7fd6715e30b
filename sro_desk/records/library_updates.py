"""A draft behind the current clause library edition: what changed, and taking the new text.

An agreement keeps the edition it was drafted from (``Agreement.library_version``); a
signed one never changes. When a new edition corrects a clause (a change in the law, a
protection the model agreement has), a draft lists its clauses whose library text the
newest edition words differently, and the clauses new in that edition that apply to the
district, and takes the new text clause by clause. Taking is an edit of the draft like
any other: refused once the draft is signed, version-checked and audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sro_desk.errors import SroDeskError
from sro_desk.records.agreement_model import Agreement, Clause
from sro_desk.records.agreement_text import blank_keys
from sro_desk.records.agreements import (
    _insert_clause,
    _insert_library_blank,
    _require_district,
    _require_draft,
    _still_draft,
)
from sro_desk.records.clause_library import ClauseLibrary, ClauseSpec, load_library
from sro_desk.store import DataFile, rows

__all__ = ["LibraryUpdate", "behind_current_edition", "clause_sources", "take_library_updates"]


@dataclass(frozen=True)
class LibraryUpdate:
    """One clause where the newest edition differs from the draft's library text, or is new."""

    key: str
    part: str
    change: str  # "changed" or "new"
    edition: str  # the newest edition's version
    title: str  # the newest edition's heading, text, bold and sources
    text: str
    statutory: bool
    sources: tuple[str, ...]
    current_title: str = ""  # the draft's own ("" for a clause new in the edition)
    current_text: str = ""
    current_statutory: bool = False
    #: the district edited the clause: taking the new text replaces its edit too
    edited: bool = False
    included: bool = True
    clause_id: int | None = None
    #: the library text the draft's clause came from (its edition's, or one taken since)
    library_text_before: str = ""

    @property
    def summary(self) -> str:
        """What differs, in a few words, for the list of updates."""
        if self.change == "new":
            return "new in the library" + (", required by law" if self.statutory else "")
        parts = []
        if self.text != self.library_text_before:
            parts.append("text changed")
        if self.statutory != self.current_statutory:
            parts.append("now required by law (bold)" if self.statutory else "no longer bold")
        if self.edited:
            parts.append("edited in this draft")
        if not self.included:
            parts.append("left out of this draft")
        return ", ".join(parts) or "heading changed"


def behind_current_edition(agreement: Agreement, library: ClauseLibrary | None = None) -> list[LibraryUpdate]:
    """The draft's clauses whose library text or bold the newest edition changed, then the
    clauses new in it that apply to this district; nothing for a signed or imported one."""
    if agreement.frozen or not agreement.library_version:
        return []
    library = library or load_library()
    found: list[LibraryUpdate] = []
    have = {c.key: c for c in agreement.clauses if c.key}
    for spec in library.clauses:
        clause = have.get(spec.key)
        if clause is None:
            if spec.applies(agreement.options):
                found.append(_update(spec, library, None))
        elif clause.library_text is not None and (
            spec.text != clause.library_text or spec.statutory != clause.statutory
        ):
            found.append(_update(spec, library, clause))
    return found


def _update(spec: ClauseSpec, library: ClauseLibrary, clause: Clause | None) -> LibraryUpdate:
    common = dict(
        key=spec.key, part=spec.part, edition=library.version, title=spec.title, text=spec.text,
        statutory=spec.statutory, sources=spec.sources,
    )
    if clause is None:
        return LibraryUpdate(change="new", **common)
    return LibraryUpdate(
        change="changed", current_title=clause.title, current_text=clause.text,
        current_statutory=clause.statutory, edited=clause.changed, included=clause.included,
        clause_id=clause.id, library_text_before=clause.library_text or "", **common,
    )


def take_library_updates(data_file: DataFile, agreement: Agreement, keys: Iterable[str]) -> int:
    """Give the draft the newest edition's clauses named by key: a changed clause takes
    the new heading, text, bold and components (the district's edit of it is replaced);
    a new clause is added after its neighbour in the library, with any blank it needs.
    Returns how many were taken."""
    _require_draft(agreement)
    library = load_library()
    behind = {u.key: u for u in behind_current_edition(agreement, library)}
    wanted = list(dict.fromkeys(keys))
    for key in wanted:
        if key not in behind:
            raise SroDeskError(
                "That clause already has the clause library's current text (or is no longer in "
                "the library); reload the agreement."
            )
    clauses = {c.id: c for c in agreement.clauses}
    positions = {c.key: c.position for c in agreement.clauses if c.key}
    have_blanks = {b.key for b in agreement.blanks}
    needed = [  # blanks a new text uses that the draft does not have yet
        blank for key in wanted for blank in blank_keys(behind[key].text)
        if blank not in have_blanks and library.blank(blank) is not None
    ]
    district = _require_district(data_file) if needed else None
    with data_file.write():
        _still_draft(data_file, agreement)
        for spec in (s for s in library.clauses if s.key in wanted):
            update = behind[spec.key]
            values = {
                "title": spec.title, "text": spec.text, "library_text": spec.text,
                "components": json.dumps(list(spec.components)), "statutory": int(spec.statutory),
            }
            if update.clause_id is not None:
                rows.update(
                    data_file, "agreement_clause", update.clause_id, values,
                    expected_version=clauses[update.clause_id].version, label="clause",
                )
                continue
            positions[spec.key] = _position_after_neighbour(library, spec.key, positions)
            _insert_clause(
                data_file, agreement.id, position=positions[spec.key], part=spec.part, key=spec.key,
                title=spec.title, text=spec.text, library_text=spec.text,
                components=list(spec.components), statutory=spec.statutory,
            )
        for blank in dict.fromkeys(needed):
            _insert_library_blank(data_file, agreement.id, library.blank(blank), district, agreement.school_year)
    return len(wanted)


def _position_after_neighbour(library: ClauseLibrary, key: str, positions: dict[str, int]) -> int:
    """The position of the nearest clause before ``key`` in the library that the agreement
    has: clauses are ordered by position, then by id, so the newer row follows it."""
    keys = [c.key for c in library.clauses]
    for earlier in reversed(keys[: keys.index(key)]):
        if earlier in positions:
            return positions[earlier]
    return 0


def clause_sources(agreement: Agreement, clause: Clause) -> tuple[str, ...]:
    """The sources (ids in resources/law/sources.json) of a library clause as the draft
    has it: from the edition whose text it carries; () for the district's own clauses."""
    if not clause.key or clause.library_text is None:
        return ()
    for version in dict.fromkeys(v for v in (None, agreement.library_version or None)):
        try:
            spec = load_library(version).clause(clause.key)
        except SroDeskError:
            continue
        if spec is not None and spec.text == clause.library_text:
            return spec.sources
    return ()
