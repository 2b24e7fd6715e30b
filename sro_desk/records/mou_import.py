"""Reading an existing agreement (.txt, .md or .docx) into sections, blanks and notes.

A district that already has an MOU, or starts from a model text, imports it once. The
three readers turn their format into ``SourceLine``s; ``parse_lines`` does the rest:
finds the title and the numbered headings, joins paragraph lines, turns bullets into
``- `` lines, runs of underscores into ``{{blank_N}}`` and bracketed drafting notes into
``[[…]]`` (see ``agreement_text``), and guesses which DESE components each section covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records.mou_components import match_components
from sro_desk.records.text_files import decode_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx")


@dataclass
class ImportedBlank:
    """A drafting blank: ``blank_N`` in document order, and what it asks for."""

    key: str
    label: str


@dataclass
class ImportedSection:
    """One headed part of the agreement; ``text`` is in the ``agreement_text`` format."""

    heading: str
    number: str
    text: str
    notes: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)


@dataclass
class ImportedDocument:
    """What an import found: the title, the sections, every blank and every note."""

    title: str
    sections: list[ImportedSection]
    blanks: list[ImportedBlank]
    notes: list[str]


@dataclass
class SourceLine:
    """One line of the source: a .txt/.md line or a .docx paragraph."""

    text: str
    heading_level: int = 0
    bullet: bool = False


# --- Reading files ---------------------------------------------------------------------


def read_agreement_file(path: Path) -> ImportedDocument:
    """Read an agreement from a .txt, .md or .docx file; problems raise ``SroDeskError``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValidationError(
            "SRO Desk can import .txt, .md and .docx files; "
            "save the agreement in one of those formats first."
        )
    if suffix == ".docx":
        lines = _docx_lines(path)
    else:
        text = _read_text(path)
        lines = _markdown_lines(text) if suffix == ".md" else _text_lines(text)
    document = parse_lines(lines)
    if not document.sections and not document.title:
        raise SroDeskError(_empty_message(path))
    if not document.title:
        document.title = path.stem
    return document


def _empty_message(path: Path) -> str:
    return f"The file {path.name} is empty; choose the file that holds the agreement text."


#: An agreement with its operating procedures runs to tens of pages: a few hundred KB of
#: text. These limits leave room for any real one and stop a hostile file early.
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_DOCX_UNPACKED = 60 * 1024 * 1024
MAX_DOCX_MEMBERS = 2_000
MAX_BLANKS = 2_000


def _read_bytes(path: Path) -> bytes:
    from sro_desk.records.import_limits import check_size

    check_size(path, MAX_TEXT_BYTES if path.suffix.lower() != ".docx" else 100 * 1024 * 1024,
               advice="import the agreement's own text, not a larger document")
    try:
        return path.read_bytes()
    except OSError:
        raise SroDeskError(
            f"SRO Desk could not read {path.name}; check that the file exists and is not open "
            "in another program."
        ) from None


def _read_text(path: Path) -> str:
    raw = _read_bytes(path)
    if not raw.strip():
        raise SroDeskError(_empty_message(path))
    text = decode_text(raw)
    if text is not None:
        return text
    raise SroDeskError(
        f"The file {path.name} is not a text file SRO Desk can read; open it in a word "
        "processor and save it as plain text (UTF-8) or as .docx."
    )


def _text_lines(text: str) -> list[SourceLine]:
    return [SourceLine(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _markdown_lines(text: str) -> list[SourceLine]:
    lines = []
    for source in _text_lines(text):
        line = source.text.rstrip()
        if line.endswith("\\"):
            line = line[:-1]
        if _MD_RULE.match(line):
            lines.append(SourceLine(""))
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            lines.append(SourceLine(_MD_ESCAPE.sub(r"\1", heading.group(2)), len(heading.group(1))))
        else:
            lines.append(SourceLine(_MD_ESCAPE.sub(r"\1", line)))
    return lines


def _docx_lines(path: Path) -> list[SourceLine]:
    import docx  # imported here: only .docx imports need python-docx loaded
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    from sro_desk.records.import_limits import check_archive

    _read_bytes(path)  # a missing or locked file gets the plain "could not read" sentence
    damaged = SroDeskError(
        f"The file {path.name} could not be opened as a Word document; it may be damaged "
        "or an old .doc file, so open it in Word and save it again as .docx."
    )
    check_archive(path, most_unpacked=MAX_DOCX_UNPACKED, most_members=MAX_DOCX_MEMBERS, kind="Word",
                  unreadable=damaged)
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises many kinds of error for a damaged package
        raise damaged from None
    body = document.element.body
    lines: list[SourceLine] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines += [_docx_line(DocxParagraph(child, document)), SourceLine("")]
        elif tag == "tbl":
            seen: set = set()  # a merged cell is listed once per row or column it spans
            for row in Table(child, document).rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    for paragraph in cell.paragraphs:
                        lines += [_docx_line(paragraph), SourceLine("")]
    return lines


def _docx_line(paragraph) -> SourceLine:
    """One .docx paragraph: heading level from its style, bold runs wrapped in ``**``."""
    style = paragraph.style.name if paragraph.style is not None else ""
    level = 0
    if style == "Title":
        level = 1
    elif style.startswith("Heading"):
        digits = style[len("Heading") :].strip()
        level = int(digits) if digits.isdigit() else 1
    p_pr = paragraph._p.pPr
    numbered = p_pr is not None and p_pr.numPr is not None
    bullet = level == 0 and (style.startswith("List") or numbered)
    if level:
        return SourceLine(paragraph.text.replace("\n", " ").replace("\t", " "), level)
    runs: list[tuple[str, bool]] = []
    for item in paragraph.iter_inner_content():
        for run in getattr(item, "runs", [item]):
            text = run.text.replace("\n", " ").replace("\t", " ")
            if text:
                bold = bool(run.bold) if text.strip() else (runs[-1][1] if runs else False)
                runs.append((text, bold))
    return SourceLine(_wrap_bold(runs), bullet=bullet)


def _wrap_bold(runs: list[tuple[str, bool]]) -> str:
    """Join runs, putting ``**`` around each stretch of bold text (spaces kept outside)."""
    merged: list[list] = []
    for text, bold in runs:
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        else:
            merged.append([text, bold])
    parts = []
    for text, bold in merged:
        core = text.strip()
        if bold and core:
            start = text.index(core[0])
            parts.append(f"{text[:start]}**{core}**{text[start + len(core):]}")
        else:
            parts.append(text)
    return "".join(parts)


# --- Parsing ---------------------------------------------------------------------------

_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBERED = re.compile(
    r"^(?:(?P<multi>\d{1,3}(?:\.\d{1,3})+)\.?"
    r"|(?P<number>\d{1,3})[.)]"
    r"|\((?P<pnumber>\d{1,3})\)"
    rf"|(?P<roman>{_ROMAN})\."
    r"|(?P<letter>[A-Z])[.)]"
    r"|\((?P<plower>[a-zA-Z]|[ivx]{1,5})\)|(?P<lower>[a-z])\))"
    r"(?:\s+(?P<rest>.*))?$"
)
_WORD_NUMBERED = re.compile(
    r"^(?i:article|section|part)\s+(?P<num>[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[A-Z])\b[.:)]?"
    r"(?:\s*[-\u2013\u2014:.]?\s+(?P<rest>.*))?$"
)
_BULLET = re.compile(r"^\s*[\u00b7\u2022\u25e6\u25aa\u2023*\-]\s+(.*)$")
_UNDERSCORES = re.compile(r"_{3,}")
_HINT_START = re.compile(r"[ \t]*(\*{1,2}|_)?\[")
_NOTE_START = re.compile(
    r"[ *_]*(insert|identify|notes?|or|optional(ly)?|choose|select|describe|list|specify)\b",
    re.IGNORECASE,
)
_HINT_VERB = re.compile(
    r"^(?:insert|identify|enter|specify|list|describe|select|choose)\b[\s:]*(?:the\s+)?",
    re.IGNORECASE,
)
_ACRONYMS = {
    word.upper(): word
    for word in ("SRO", "SROs", "MOU", "DESE", "MPTC", "FERPA", "COPS", "POST", "SSDR", "OP")
}
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "between", "by", "for", "in", "of", "on", "or", "the",
    "to", "with",
}  # fmt: skip
_LABEL_STOPWORDS = {
    "a", "an", "and", "are", "at", "be", "between", "by", "for", "in", "is", "least",
    "of", "on", "or", "shall", "than", "the", "to", "will", "with",
}  # fmt: skip


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and text == text.upper() and text != text.lower()


def _recase(text: str, *, title: bool = False) -> str:
    """ALL-CAPS text in sentence case (or title case); known acronyms kept."""
    if not _is_all_caps(text):
        return text
    words = text.lower().split(" ")
    out = []
    for index, word in enumerate(words):
        acronym = _ACRONYMS.get(re.sub(r"\W", "", word).upper())
        if acronym:
            word = word.replace(acronym.lower(), acronym)
        elif index == 0 or (title and word not in _SMALL_WORDS):
            word = word[:1].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def _unbold(text: str) -> str:
    """The text without emphasis wrapped around the whole of it (``**I. PURPOSE**``)."""
    stripped = text.strip()
    for mark in ("**", "__", "*", "_"):
        inner = stripped[len(mark) : -len(mark)]
        if (
            len(stripped) > 2 * len(mark)
            and stripped.startswith(mark)
            and stripped.endswith(mark)
            and mark not in inner
        ):
            return inner.strip()
    return stripped


def _split_number(text: str) -> tuple[str, str, str] | None:
    """(number, rest, kind) when the text starts with section numbering, else None."""
    match = _WORD_NUMBERED.match(text)
    if match:
        return match.group("num"), (match.group("rest") or "").strip(), "word"
    match = _NUMBERED.match(text)
    if not match:
        return None
    for kind in ("multi", "number", "pnumber", "roman", "letter", "plower", "lower"):
        if match.group(kind):
            return match.group(kind), (match.group("rest") or "").strip(), kind
    return None  # pragma: no cover - one group always matches


def _clean_heading(text: str) -> str:
    text = _unbold(text).strip().rstrip(":.").rstrip(" -\u2013\u2014").strip()
    return _recase(text)


def _looks_like_heading(rest: str) -> bool:
    """Whether the text after a number reads like a heading rather than a sentence."""
    rest = _unbold(rest)
    words = rest.split()
    if not words or len(words) > 12 or len(rest) > 100 or "___" in rest:
        return False
    first = rest.lstrip("\"'\u201c(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if rest.endswith((";", ",")):
        return False
    return not (rest.endswith(".") and len(words) > 4)


def _clean_line(text: str) -> str:
    """Line text made safe: one line, and no ``[[``, ``]]`` or ``{{`` that we did not make."""
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    for pair, spaced in (("[[", "[ ["), ("]]", "] ]"), ("{{", "{ {")):
        while pair in text:
            text = text.replace(pair, spaced)
    return text.rstrip()


@dataclass
class _Draft:
    heading: str
    number: str
    blocks: list[str] = field(default_factory=list)
    paragraph: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    #: True while the last line read was a bullet (a following line continues it).
    in_bullet: bool = False

    def end_paragraph(self) -> None:
        if self.paragraph:
            self._end_bullets()
            self.blocks.append(" ".join(self.paragraph))
            self.paragraph = []
        self.in_bullet = False

    def _end_bullets(self) -> None:
        if self.bullets:
            self.blocks.append("\n".join(f"- {item}" for item in self.bullets))
            self.bullets = []

    def add_bullet(self, text: str) -> None:
        if self.paragraph:
            self.end_paragraph()
        self.bullets.append(text)
        self.in_bullet = True

    def add_text(self, text: str) -> None:
        if self.in_bullet:
            self.bullets[-1] += " " + text
        else:
            self._end_bullets()
            self.paragraph.append(text)

    def finish(self) -> str:
        self.end_paragraph()
        self._end_bullets()
        return "\n\n".join(self.blocks)

    @property
    def empty(self) -> bool:
        return not (self.blocks or self.paragraph or self.bullets)


def _title_from(lines: list[SourceLine]) -> tuple[str, int]:
    """The document title and the index of the first line after it ('' and 0 if none)."""
    index = 0
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    if index == len(lines):
        return "", 0
    first = lines[index]
    text = _unbold(first.text)
    if (
        _split_number(text)
        or "___" in text
        or first.bullet
        or first.heading_level > 1
        or _BULLET.match(text)
        or text.startswith("[")
        or len(text) > 150
        or (not first.heading_level and text.endswith((".", ";", ",", ":")))
    ):
        return "", 0
    parts = [text]
    index += 1
    if not first.heading_level:
        # a title written over several ALL-CAPS lines ("MEMORANDUM OF UNDERSTANDING / BETWEEN ...")
        while index < len(lines):
            line = lines[index]
            following = _unbold(line.text)
            if (
                line.heading_level
                or line.bullet
                or not _is_all_caps(following)
                or _split_number(following)
                or "___" in following
                or len(following) > 150
            ):
                break
            parts.append(following)
            index += 1
    return _recase(" ".join(parts), title=True).replace("**", ""), index


def parse_lines(lines: list[SourceLine]) -> ImportedDocument:
    """Turn source lines (from any of the three formats) into an imported document."""
    lines = [SourceLine(_clean_line(line.text), line.heading_level, line.bullet) for line in lines]
    title, start = _title_from(lines)
    drafts: list[_Draft] = [_Draft("Preamble", "")]
    paragraph_start = True  # the previous line was blank, a heading or the start
    index = start
    while index < len(lines):
        line = lines[index]
        text = line.text.strip()
        if not text:
            drafts[-1].end_paragraph()
            paragraph_start = True
            index += 1
            continue
        heading, used = _heading_at(lines, index, paragraph_start)
        if heading is not None:
            number, words = heading
            current = drafts[-1]
            if current.number and not current.heading and current.empty and not number:
                current.heading = words  # "ARTICLE I" then "PURPOSE"
            else:
                current.end_paragraph()
                drafts.append(_Draft(words, number))
            paragraph_start = True
            index += used
            continue
        bullet = _BULLET.match(text)
        if line.bullet or bullet:
            item = bullet.group(1).strip() if bullet else text
            if item:
                drafts[-1].add_bullet(item)
        else:
            if _split_number(text) and not paragraph_start:
                drafts[-1].end_paragraph()  # a numbered item starts its own paragraph
            drafts[-1].add_text(text)
        paragraph_start = False
        index += 1

    blanks: list[ImportedBlank] = []
    sections: list[ImportedSection] = []
    for draft in drafts:
        body = draft.finish()
        if draft is drafts[0] and not body:
            continue
        text, notes = _convert_marks(body, blanks)
        heading = draft.heading or (
            f"Section {draft.number}" if draft.number else "Untitled section"
        )
        sections.append(
            ImportedSection(
                heading=heading,
                number=draft.number,
                text=text,
                notes=notes,
                components=match_components(heading, text),
            )
        )
    notes = [note for section in sections for note in section.notes]
    return ImportedDocument(title=title, sections=sections, blanks=blanks, notes=notes)


def _heading_at(
    lines: list[SourceLine], index: int, paragraph_start: bool
) -> tuple[tuple[str, str] | None, int]:
    """((number, heading words), lines used) if a heading starts at ``index``, else (None, 0)."""
    line = lines[index]
    text = _unbold(line.text)
    split = _split_number(text)
    if line.heading_level:
        if split and (not split[1] or _looks_like_heading(split[1]) or split[2] == "word"):
            return (_number_text(split[0]), _clean_heading(split[1])), 1
        return ("", _clean_heading(text)), 1
    if not paragraph_start or line.bullet:
        return None, 0
    if split:
        number, rest, kind = split
        if kind == "word":
            if rest and not _looks_like_heading(rest):
                return None, 0
            return (number, _clean_heading(rest)), 1
        if rest and not _looks_like_heading(rest):
            return None, 0
        if not _is_all_caps(rest) and _in_numbered_list(lines, index, kind):
            return None, 0
        return (_number_text(number), _clean_heading(rest)), 1
    if not _is_all_caps(text) or text.startswith("[") or _BULLET.match(text):
        return None, 0
    # consecutive ALL-CAPS lines make one heading (a long heading wrapped over two lines)
    parts = [text]
    used = 1
    while index + used < len(lines):
        following = lines[index + used]
        following_text = _unbold(following.text)
        if (
            following.heading_level
            or following.bullet
            or not _is_all_caps(following_text)
            or _split_number(following_text)
        ):
            break
        parts.append(following_text)
        used += 1
    joined = " ".join(parts)
    if not _looks_like_heading(joined):
        return None, 0
    return ("", _clean_heading(joined)), used


def _number_text(number: str) -> str:
    return number.strip("().")


def _in_numbered_list(lines: list[SourceLine], index: int, kind: str) -> bool:
    """Whether the line sits next to another line numbered the same way (a list, not headings)."""
    for neighbour in (index - 1, index + 1):
        if 0 <= neighbour < len(lines):
            split = _split_number(_unbold(lines[neighbour].text))
            if split and split[2] == kind:
                return True
    return False


# --- Blanks and drafting notes ---------------------------------------------------------


def _bracket_pairs(text: str) -> dict[int, int]:
    """Position of each balanced ``[`` mapped to its ``]``; unbalanced ones are left out."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for position, char in enumerate(text):
        if char == "[":
            stack.append(position)
        elif char == "]" and stack:
            pairs[stack.pop()] = position
    return pairs


def _is_note(text: str, opening: int, close: int) -> bool:
    """Whether the bracket from ``opening`` to ``close`` holds a drafting note."""
    return bool(_NOTE_START.match(text, opening + 1, close))


def _convert_marks(text: str, blanks: list[ImportedBlank]) -> tuple[str, list[str]]:
    """Underscore runs to ``{{blank_N}}`` (appended to ``blanks``), notes to ``[[…]]``."""
    pairs = _bracket_pairs(text)
    out: list[str] = []
    notes: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "_":
            run = _UNDERSCORES.match(text, position)
            if run:
                if len(blanks) >= MAX_BLANKS:
                    raise SroDeskError(f"The text has more than {MAX_BLANKS:,} blanks to fill, more than any "
                                       "agreement; check that it is the agreement itself.")
                key = f"blank_{len(blanks) + 1}"
                label, position = _hint(text, run.end(), pairs)
                if not label:
                    # Only the end of what is written names the blank: joining all of it
                    # for every blank made a long text take quadratic time.
                    label = _label_before("".join(out[-_LABEL_REACH:])) or f"Blank {len(blanks) + 1}"
                blanks.append(ImportedBlank(key, label))
                out.append("{{" + key + "}}")
                continue
        if char == "[" and position in pairs and _is_note(text, position, pairs[position]):
            close = pairs[position]
            after = close + 1
            mark = _emphasis_before(text, position)
            if mark and text.startswith(mark, after) and "".join(out[-len(mark) :]) == mark:
                del out[-len(mark) :]  # *[Insert language here]* : the stars go with the note
                after += len(mark)
            content = text[position + 1 : close].strip().strip("*_").strip()
            notes.append(content)
            if out and out[-1].endswith("["):
                out.append(" ")
            out.append("[[" + content + (" ]]" if content.endswith("]") else "]]"))
            position = after
            continue
        out.append(char)
        position += 1
    return "".join(out).strip(), notes


#: How much of what was written before a blank can name it (its line's last words).
_LABEL_REACH = 400


def _emphasis_before(text: str, position: int) -> str:
    for mark in ("**", "*", "_"):
        if text[max(0, position - len(mark)) : position] == mark:
            return mark
    return ""


def _hint(text: str, position: int, pairs: dict[int, int]) -> tuple[str, int]:
    """(label, position after it) for a bracketed hint right after a blank, else ('', position)."""
    match = _HINT_START.match(text, position)
    if not match:
        return "", position
    opening = match.end() - 1
    close = pairs.get(opening)
    if close is None:
        return "", position
    inner = text[opening + 1 : close]
    after = close + 1
    mark = match.group(1) or ""
    if mark:
        if not text.startswith(mark, after):
            return "", position
        after += len(mark)
    cleaned = inner.strip().strip("*_").strip()
    if (
        len(cleaned) > 150
        or "\n" in cleaned
        or re.match(r"(or|notes?)\b", cleaned, re.IGNORECASE)
    ):
        return "", position
    label = _HINT_VERB.sub("", cleaned).strip().rstrip(".:;,").strip()
    if not any(c.isalnum() for c in label):
        return "", position
    return label[:1].upper() + label[1:], after


def _label_before(written: str) -> str:
    """A label for a blank from the words just before it ("Police Department: ___")."""
    line = written.rsplit("\n", 1)[-1]
    segment = re.split(r"\}\}|\]\]|[.;!?()\[\]{}]", line)[-1]
    segment = segment.replace("*", " ").replace("_", " ").replace('"', " ").strip()
    if segment.endswith(":"):
        words = segment[:-1].split()[-6:]
    else:
        words = segment.split()
        while words and words[-1].lower().strip(",") in _LABEL_STOPWORDS:
            words.pop()
        words = words[-4:]
    while words and (
        words[0].lower() in _LABEL_STOPWORDS or not any(c.isalnum() for c in words[0])
    ):
        words.pop(0)
    label = " ".join(words).strip(" :,-\u2013\u2014")
    if not any(c.isalpha() for c in label):
        return ""
    return label[:1].upper() + label[1:]
