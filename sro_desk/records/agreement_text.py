"""The little text format clauses are written in, and the printable shape of an agreement.

Clause texts (in the clause library, in imported agreements and as edited by a district)
are plain text with four marks:

- paragraphs are separated by a blank line;
- a line starting with ``- `` is a bullet;
- ``{{key}}`` is a blank, filled from the agreement's blank values;
- ``**words**`` are printed in bold (statutory emphasis kept from an imported document);
- ``[[…]]`` is a drafting note: shown to the drafter, never printed.

Anything else, including stray ``{{``, ``**`` or markup characters, is printed as it is.
The printable classes below are what ``documents/`` receives: plain data, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLANK = re.compile(r"\{\{([a-z0-9_]+)\}\}")
NOTE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


@dataclass
class Run:
    """A stretch of text; ``blank`` names the blank it fills (text is '' when unfilled)."""

    text: str
    bold: bool = False
    blank: str | None = None


@dataclass
class Paragraph:
    runs: list[Run]
    bullet: bool = False

    def plain(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class PrintClause:
    number: str
    title: str
    statutory: bool
    paragraphs: list[Paragraph]


@dataclass
class PrintPart:
    title: str
    clauses: list[PrintClause]


@dataclass
class PrintSignatory:
    name: str
    title: str
    organisation: str
    signed_on: str = ""


@dataclass
class PrintableAgreement:
    """Everything needed to print an agreement (and its operating procedures)."""

    title: str
    district_name: str
    department_names: list[str]
    school_year: str
    status: str
    parts: list[PrintPart]
    signatories: list[PrintSignatory]
    library_version: str = ""
    #: (label, amount as text) rows of the year's costs, printed with the DESE submission.
    costs: list[tuple[str, str]] = field(default_factory=list)
    #: the seal of the signed text, as printed ("" when not sealed)
    seal: str = ""
    #: True when the text no longer matches its seal: printed as altered on every page
    altered: bool = False

    @property
    def signed(self) -> bool:
        return self.status in ("signed", "filed", "superseded")


def drafting_notes(text: str) -> list[str]:
    """The drafting notes in a clause text."""
    return [note.strip() for note in NOTE.findall(text)]


def blank_keys(text: str) -> list[str]:
    """The blanks a clause text uses, in order, each once."""
    seen: list[str] = []
    for key in BLANK.findall(NOTE.sub("", text)):
        if key not in seen:
            seen.append(key)
    return seen


def without_notes(text: str) -> str:
    """The text with drafting notes removed (what is printed)."""
    return NOTE.sub("", text)


def render(text: str, values: dict[str, str], *, known: set[str] | None = None) -> list[Paragraph]:
    """Turn a clause text into paragraphs of runs, notes dropped, blanks filled.

    ``values`` holds each blank's printed text ('' when empty: printed as a line).
    ``known`` lists the blank keys the agreement defines; ``{{other}}`` is literal text.
    """
    known = set(values) if known is None else known
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", without_notes(text)):
        lines = [line.rstrip() for line in block.strip("\n").split("\n")]
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        current: list[str] = []
        for line in lines:
            if line.lstrip().startswith("- "):
                if current:
                    paragraphs.append(Paragraph(_runs(" ".join(current), values, known)))
                    current = []
                paragraphs.append(
                    Paragraph(_runs(line.lstrip()[2:].strip(), values, known), bullet=True)
                )
            else:
                current.append(line.strip())
        if current:
            paragraphs.append(Paragraph(_runs(" ".join(current), values, known)))
    return paragraphs


def _runs(text: str, values: dict[str, str], known: set[str]) -> list[Run]:
    runs: list[Run] = []
    position = 0
    for match in BOLD.finditer(text):
        runs += _blank_runs(text[position : match.start()], values, known, bold=False)
        runs += _blank_runs(match.group(1), values, known, bold=True)
        position = match.end()
    runs += _blank_runs(text[position:], values, known, bold=False)
    return [run for run in runs if run.text or run.blank]


def _blank_runs(text: str, values: dict[str, str], known: set[str], *, bold: bool) -> list[Run]:
    runs: list[Run] = []
    position = 0
    for match in BLANK.finditer(text):
        key = match.group(1)
        if key not in known:
            continue
        runs.append(Run(text[position : match.start()], bold))
        runs.append(Run(values.get(key, ""), bold, blank=key))
        position = match.end()
    runs.append(Run(text[position:], bold))
    return runs
