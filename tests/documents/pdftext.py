"""Reading a built PDF back for the document tests: its text, lines and words with fonts."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pypdf import PdfReader

#: Text that must print literally: markup, an image tag, an entity, emoji, right-to-left
#: scripts, control characters and a font tag.
HOSTILE = [
    "<b>x",
    "<img src='http://example.com/x.png'/>",
    "&amp;",
    "🚓👮",
    "مرحبا",
    "שלום",
    "bell\x00\x07end",
    "<font name='Nope'>",
]


def texts(path: Path) -> list[str]:
    """Each page's text."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(path: Path) -> str:
    """All the text with runs of white space made single spaces (cells wrap)."""
    return " ".join("\n".join(texts(path)).split())


def lines(path: Path) -> list[str]:
    """Text lines as laid out on the page: a table row's first line holds every cell's start."""
    with pdfplumber.open(path) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def words(path: Path) -> list[dict]:
    """Every word with its font, colour and page number (from 0)."""
    with pdfplumber.open(path) as pdf:
        return [
            dict(w, page=number)
            for number, page in enumerate(pdf.pages)
            for w in page.extract_words(extra_attrs=["fontname", "non_stroking_color"])
        ]
