"""The law behind SRO Desk: the source of every rule, obligation and bold clause, as data.

``resources/law/sources.json`` lists the sources (statutes, regulations, agency
definitions, the state's model agreement, and "local" for a choice no law makes), each
with its citation, what it requires in one sentence, when it took effect and how it was
checked. ``resources/law/cites.json`` says which of them each enforcement rule,
obligation, selection rule and training requirement rests on, by the key the code uses;
each clause of the clause library names its own in a ``sources`` list. Nothing here is
legal advice: the view that shows it says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sro_desk.errors import SroDeskError
from sro_desk.resources import resource_path

#: The kinds of source, in the order the view lists them.
KINDS = ("statute", "regulation", "agency definition", "model agreement", "local choice")
#: The kinds that are law (what a bold clause must rest on).
LAW_KINDS = frozenset({"statute", "regulation"})
#: The view's groups: a heading and the kinds under it.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Law", ("statute", "regulation")),
    ("Agency definitions", ("agency definition",)),
    ("Model agreement", ("model agreement",)),
    ("Local choices", ("local choice",)),
)
#: How a source may have been checked: its primary text read, in part, only in a summary,
#: or read as quoted by someone else ("text read (as quoted by ...)").
HOW_CHECKED = ("text read", "partial text read", "secondary source")
QUOTED = "text read (as quoted"
#: The sections of cites.json and what one of their entries is, for a person.
SECTIONS: dict[str, str] = {
    "enforcement_rules": "Enforcement rule",
    "obligations": "Obligation",
    "selection": "Selection rule",
    "training": "Training requirement",
    "enforcement_data": "Enforcement data",
}
#: What a clause of the clause library is called in the list of what relies on a source.
CLAUSE = "Clause"
#: The source standing for a choice no law makes.
LOCAL = "local"


@dataclass(frozen=True)
class Source:
    """One statute, regulation, agency definition, the model agreement, or a local choice."""

    id: str
    citation: str
    kind: str
    requires: str
    effective: str
    how_checked: str
    url: str
    unconfirmed: str = ""


@dataclass(frozen=True)
class Cite:
    """What one rule, obligation or requirement rests on (an entry of cites.json)."""

    section: str
    key: str
    title: str
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Reliance:
    """Something in SRO Desk that relies on a source: what it is, its key and its title."""

    what: str
    key: str
    title: str
    note: str = ""


@dataclass(frozen=True)
class LawSources:
    checked_on: str
    sources: tuple[Source, ...]
    cites: tuple[Cite, ...]


def is_law(source: Source) -> bool:
    """Whether ``source`` is a statute or a regulation (not a definition, model or choice)."""
    return source.kind in LAW_KINDS


def how_checked_known(text: str) -> bool:
    """Whether ``text`` is one of the ways a source may have been checked."""
    return text in HOW_CHECKED or text.startswith(QUOTED)


# -- reading the data ------------------------------------------------------------------------


def read_sources(data: Any) -> tuple[str, tuple[Source, ...]]:
    """(checked on, sources) from the parsed sources.json; SroDeskError naming what is wrong."""
    try:
        checked = str(data["checked_on"])
        found = tuple(
            Source(
                id=str(s["id"]),
                citation=str(s["citation"]),
                kind=str(s["kind"]),
                requires=str(s["requires"]),
                effective=str(s.get("effective", "")),
                how_checked=str(s.get("how_checked", "")),
                url=str(s.get("url", "")),
                unconfirmed=str(s.get("unconfirmed", "") or ""),
            )
            for s in data["sources"]
        )
    except (KeyError, TypeError) as exc:
        raise SroDeskError(f"The list of law sources lacks {exc}; reinstall SRO Desk.") from None
    seen: set[str] = set()
    for item in found:
        if item.id in seen:
            raise SroDeskError(f"The law source '{item.id}' is listed twice; reinstall SRO Desk.")
        seen.add(item.id)
        if item.kind not in KINDS:
            raise SroDeskError(f"The law source '{item.id}' has an unknown kind '{item.kind}'; reinstall SRO Desk.")
    return checked, found


def read_cites(data: Any, known: Iterable[str]) -> tuple[Cite, ...]:
    """The entries of the parsed cites.json, each checked against the ``known`` source ids;
    SroDeskError naming the entry with an unknown section, no title or an unknown source."""
    known = set(known)
    if not isinstance(data, dict):
        raise SroDeskError("The list of what each rule rests on cannot be read; reinstall SRO Desk.")
    found = []
    for section, entries in data.items():
        if section == "note":
            continue
        if section not in SECTIONS or not isinstance(entries, dict):
            raise SroDeskError(f"The list of what each rule rests on has an unknown part '{section}'; "
                               "reinstall SRO Desk.")
        for key, entry in entries.items():
            where = f"{SECTIONS[section].lower()} '{key}'"
            if not isinstance(entry, dict) or not str(entry.get("title", "")).strip():
                raise SroDeskError(f"The {where} has no title in the list of law sources; reinstall SRO Desk.")
            ids = entry.get("sources")
            if not isinstance(ids, list) or not ids:
                raise SroDeskError(f"The {where} names no source; reinstall SRO Desk.")
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise SroDeskError(f"The {where} names an unknown law source '{unknown[0]}'; "
                                   "reinstall SRO Desk.")
            found.append(Cite(section, str(key), str(entry["title"]), tuple(str(i) for i in ids),
                              str(entry.get("note", ""))))
    return tuple(found)


def _json(name: str) -> Any:
    path = resource_path("law", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SroDeskError(f"The law sources file {name} cannot be read ({exc}); reinstall SRO Desk.") from None


@lru_cache(maxsize=1)
def load() -> LawSources:
    """Every source and what each rule rests on, read once; SroDeskError if either file is
    missing or wrong (a rule naming a source that is not listed, say)."""
    checked, found = read_sources(_json("sources.json"))
    return LawSources(checked, found, read_cites(_json("cites.json"), (s.id for s in found)))


# -- asking ------------------------------------------------------------------------------------


def checked_on() -> str:
    """The date the sources were last checked (ISO, like 2026-12-08)."""
    return load().checked_on


def all_sources() -> tuple[Source, ...]:
    """Every source, in the file's order."""
    return load().sources


def source(source_id: str) -> Source:
    """The source with this id; SroDeskError if there is none."""
    for item in load().sources:
        if item.id == source_id:
            return item
    raise SroDeskError(f"There is no law source '{source_id}'.")


def sources_for(ids: Iterable[str]) -> list[Source]:
    """The sources with these ids, in the order given (each once)."""
    return [source(i) for i in dict.fromkeys(ids)]


def grouped() -> list[tuple[str, list[Source]]]:
    """The sources under the view's headings (Law, Agency definitions, Model agreement,
    Local choices), statutes before regulations; a heading with none is left out."""
    result = []
    for heading, kinds in GROUPS:
        members = [s for kind in kinds for s in load().sources if s.kind == kind]
        if members:
            result.append((heading, members))
    return result


def cites(section: str | None = None) -> tuple[Cite, ...]:
    """What each rule rests on (those of one section of cites.json, if named)."""
    return tuple(c for c in load().cites if section is None or c.section == section)


def cite_for(section: str, key: str) -> Cite | None:
    """The entry for one rule or obligation kind, or None if it has none."""
    return next((c for c in load().cites if c.section == section and c.key == key), None)


def obligation_kind(key: str) -> str:
    """The kind of an obligation from its key: the key without the record it is about
    ('training_4' -> 'training', 'review_2025-2026' -> 'review')."""
    return re.sub(r"_[0-9][0-9-]*$", "", key)


def obligation_sources(key: str) -> list[Source]:
    """The sources an obligation (by its key, as the dashboard has it) rests on; none if
    its kind has no entry."""
    found = cite_for("obligations", obligation_kind(key))
    return sources_for(found.sources) if found else []


def clause_sources(version: str | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, title, source ids) of each clause of the newest clause-library edition (or
    the one named) that names its sources."""
    from sro_desk.records.clause_library import library_files

    files = library_files()
    if version is not None:
        files = [p for p in files if p.stem.endswith(f"-{version}")]
    if not files:
        raise SroDeskError("The clause library is missing from this installation; reinstall SRO Desk.")
    try:
        data = json.loads(files[-1].read_text(encoding="utf-8"))
        return [(str(c["key"]), str(c["title"]), tuple(str(i) for i in c["sources"]))
                for c in data["clauses"] if c.get("sources")]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SroDeskError(f"The clause library {files[-1].name} cannot be read ({exc}); "
                           "reinstall SRO Desk.") from None


def what_relies_on(source_id: str) -> list[Reliance]:
    """The enforcement rules, obligations, selection and training rules, data definitions
    and clauses (of the newest library edition) that cite this source, in that order."""
    source(source_id)  # an unknown id is an error, not an empty list
    order = list(SECTIONS)
    found = [Reliance(SECTIONS[c.section], c.key, c.title, c.note)
             for c in sorted(load().cites, key=lambda c: order.index(c.section)) if source_id in c.sources]
    found += [Reliance(CLAUSE, key, title) for key, title, ids in clause_sources() if source_id in ids]
    return found
