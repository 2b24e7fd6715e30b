"""The clause library: the project's own clause texts, versioned data in ``resources/``.

The state's model agreement is revised every few years, so clause texts are data with a
version, never code: each file ``resources/clauses/sro-desk-clauses-<version>.json``
is one edition, and a draft remembers the edition it came from. An edition never changes
once shipped (signed agreements were drafted from it); a change of law is a new edition,
and ``library_updates`` shows a draft what the newest edition says differently.

Each clause names its ``sources``: ids from ``resources/law/sources.json`` (a statute, a
regulation, the state's model agreement, or "local" for the parties' own choice). A clause
is ``statutory`` (printed in bold) only where a statute or regulation requires it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sro_desk.errors import SroDeskError
from sro_desk.resources import resource_path

BLANK_TYPES = ("text", "party", "split", "hours", "titles", "date")


@dataclass(frozen=True)
class Component:
    """One of DESE's required components: M1–M8 for the MOU, O1–O7 for the procedures."""

    code: str
    part: str
    label: str


@dataclass(frozen=True)
class BlankSpec:
    key: str
    label: str
    type: str
    required: bool
    help: str = ""
    prefill: str = ""
    choices: tuple[str, ...] = ()
    default: Any = None


@dataclass(frozen=True)
class ClauseSpec:
    key: str
    part: str
    title: str
    text: str
    components: tuple[str, ...]
    statutory: bool
    when: dict = field(default_factory=dict, hash=False, compare=False)
    #: ids in resources/law/sources.json: why the clause says what it says
    sources: tuple[str, ...] = ()

    def applies(self, options: dict[str, str]) -> bool:
        """Whether this clause belongs in an agreement with these options."""
        for name, wanted in self.when.items():
            value = options.get(name)
            if isinstance(wanted, list):
                if value not in wanted:
                    return False
            elif value != wanted:
                return False
        return True


@dataclass(frozen=True)
class ClauseLibrary:
    version: str
    title: str
    note: str
    components: tuple[Component, ...]
    blanks: tuple[BlankSpec, ...]
    clauses: tuple[ClauseSpec, ...]
    #: the date the law behind this edition was last checked ("" when not recorded)
    checked_on: str = ""

    def component(self, code: str) -> Component | None:
        return next((c for c in self.components if c.code == code), None)

    def blank(self, key: str) -> BlankSpec | None:
        return next((b for b in self.blanks if b.key == key), None)

    def clause(self, key: str) -> ClauseSpec | None:
        return next((c for c in self.clauses if c.key == key), None)

    def clauses_for(self, options: dict[str, str]) -> list[ClauseSpec]:
        return [c for c in self.clauses if c.applies(options)]


def library_files() -> list[Path]:
    """Every edition shipped, oldest first."""
    folder = resource_path("clauses")
    return sorted(folder.glob("sro-desk-clauses-*.json"), key=lambda p: _version_key(p.stem))


def editions() -> list[str]:
    """The version of every edition shipped, oldest first (the last is the newest)."""
    return [_version(p.stem) for p in library_files()]


def _version(stem: str) -> str:
    return stem.rsplit("-", 1)[-1]


def _version_key(stem: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in _version(stem).split("."))


@lru_cache(maxsize=8)
def load_library(version: str | None = None) -> ClauseLibrary:
    """The newest edition, or the one named; SroDeskError if it is missing or unreadable."""
    files = library_files()
    if version is not None:
        files = [p for p in files if _version(p.stem) == version]
    if not files:
        wanted = f"edition {version} of " if version else ""
        raise SroDeskError(
            f"The {wanted}clause library is missing from this installation; reinstall SRO Desk."
        )
    try:
        data = json.loads(files[-1].read_text(encoding="utf-8"))
        return ClauseLibrary(
            version=str(data["version"]),
            title=data.get("title", "Clause library"),
            note=data.get("note", ""),
            checked_on=data.get("checked_on", ""),
            components=tuple(Component(c["code"], c["part"], c["label"]) for c in data["components"]),
            blanks=tuple(
                BlankSpec(
                    key=b["key"],
                    label=b["label"],
                    type=b["type"],
                    required=bool(b.get("required", False)),
                    help=b.get("help", ""),
                    prefill=b.get("prefill", ""),
                    choices=tuple(b.get("choices", ())),
                    default=b.get("default"),
                )
                for b in data["blanks"]
            ),
            clauses=tuple(
                ClauseSpec(
                    key=c["key"],
                    part=c["part"],
                    title=c["title"],
                    text=c["text"],
                    components=tuple(c.get("components", ())),
                    statutory=bool(c.get("statutory", False)),
                    when=dict(c.get("when", {})),
                    sources=tuple(c.get("sources", ())),
                )
                for c in data["clauses"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SroDeskError(
            f"The clause library {files[-1].name} cannot be read ({exc}); reinstall SRO Desk."
        ) from None
