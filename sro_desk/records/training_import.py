"""Importing a training log from a spreadsheet (.csv or .xlsx) into training entries.

Three steps, each usable without a screen: ``read_table`` turns the file into rows of
text, ``apply_mapping`` turns those rows into checked ``TrainingEntry``s and a list of
the rows that cannot be imported (with the spreadsheet's own row numbers and a reason),
and ``import_plan`` saves every entry in one transaction, or refuses while any row has a
problem, so an import never leaves half a sheet behind.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sro_desk.errors import SroDeskError, ValidationError, quoted, shown
from sro_desk.records import training
from sro_desk.records.officers import list_officers
from sro_desk.records.text_files import decode_text
from sro_desk.records.training import TrainingEntry
from sro_desk.store import DataFile

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 20_000
DELIMITERS = (",", ";", "\t")

#: Reports (done, total) and returns False when the person cancelled; total 0 = unknown.
Progress = Callable[[int, int], bool]


# -- reading the file ------------------------------------------------------------------


@dataclass
class Table:
    """A sheet as text: the header row and the rows under it, all padded to one width."""

    headers: list[str]
    rows: list[list[str]]
    #: The header's row number in the file (rows above it were blank).
    header_row: int = 1

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of ``rows[index]``."""
        return self.header_row + 1 + index


def column_letter(index: int) -> str:
    """'A' for 0, 'Z' for 25, 'AA' for 26: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, *, progress: Progress | None = None) -> Table:
    """The first sheet of a .xlsx file, or a .csv file, as text; SroDeskError if unusable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SroDeskError(
            f"SRO Desk reads training logs saved as .xlsx or .csv, not {path.name}; "
            "open it in Excel and save it as one of those."
        )
    raw_rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    try:
        return _table(path, raw_rows, progress)
    finally:
        if hasattr(raw_rows, "close"):
            raw_rows.close()  # a workbook stopped early (too many rows) is closed now


def _cannot_read(path: Path) -> SroDeskError:
    return SroDeskError(
        f"SRO Desk could not read {path.name}; check that the file exists and is not open "
        "in another program."
    )


#: A training log of 20,000 rows is a few MB; these stop a hostile file before it costs.
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_XLSX_MEMBERS = 2_000
#: Columns read from a sheet (a training log has a handful; a sheet can claim 16,384).
MAX_COLUMNS = 64
#: Empty rows in a row after which a sheet is taken to have ended (a log has none such;
#: a sheet can claim a row at 1,048,576 and be read as a million empty rows before it).
MAX_BLANK_RUN = 1_000


def _csv_rows(path: Path) -> Iterable[list[str]]:
    from sro_desk.records.import_limits import check_size

    check_size(path, MAX_CSV_BYTES, advice="split the log into smaller files and import each")
    try:
        raw = path.read_bytes()
    except OSError:
        raise _cannot_read(path) from None
    if not raw.strip():
        raise SroDeskError(_empty(path))
    text = _decode(path, raw)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    # The header names the columns; the delimiter that splits it into most is the one.
    delimiter = max(DELIMITERS, key=lambda d: (len(next(csv.reader([first], delimiter=d))), d == ","))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise _not_text(path) from None


def _decode(path: Path, raw: bytes) -> str:
    text = decode_text(raw)
    if text is None:
        raise _not_text(path)
    return text


def _not_text(path: Path) -> SroDeskError:
    return SroDeskError(
        f"{path.name} is not a CSV file SRO Desk can read; open it in Excel and save it "
        "as CSV or .xlsx."
    )


def _empty(path: Path) -> str:
    return f"{path.name} is empty; choose the spreadsheet that holds the training log."


def _xlsx_rows(path: Path) -> Iterable[list[str]]:
    import openpyxl

    from sro_desk.records.import_limits import check_archive

    if not path.is_file():
        raise _cannot_read(path)
    check_archive(path, most_unpacked=MAX_XLSX_UNPACKED, most_members=MAX_XLSX_MEMBERS, kind="Excel",
                  unreadable=_not_workbook(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on features it skips
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise _cannot_read(path) from None
    except Exception:  # a damaged or foreign file fails in many ways inside openpyxl
        raise _not_workbook(path) from None

    def rows() -> Iterable[list[str]]:
        try:
            if not book.worksheets:
                return
            sheet = book.worksheets[0]
            # A sheet's claimed size (A1:XFD1048576) is not trusted: rows are read as they
            # are stored, and no more than MAX_COLUMNS columns of each.
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                yield [_cell_text(v) for v in values]
        except SroDeskError:
            raise
        except Exception:
            raise _not_workbook(path) from None
        finally:
            book.close()

    return rows()


def _not_workbook(path: Path) -> SroDeskError:
    return SroDeskError(
        f"{path.name} is not an Excel workbook SRO Desk can read; open it in Excel and "
        "save it again as .xlsx or CSV."
    )


def _cell_text(value: object) -> str:
    """A cell as the person sees it: ISO dates, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {value:%H:%M}"
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Nine decimals is far finer than any hours or count in a training log, and
        # drops what binary floating point adds (1.5000000000000002, 0.30000000000000004).
        return f"{round(value, 9):.15g}"
    return str(value).strip()


def _table(path: Path, raw_rows: Iterable[list[str]], progress: Progress | None) -> Table:
    header: list[str] | None = None
    header_row = 0
    rows: list[list[str]] = []
    blank_run = 0
    for number, raw in enumerate(raw_rows, start=1):
        if progress is not None and number % 1000 == 0 and not progress(number, 0):
            raise SroDeskError(f"Reading {path.name} was stopped; nothing was imported.")
        cells = [c.strip() for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if header is None:
            if cells:
                header, header_row = cells, number
            continue
        if not cells:
            blank_run += 1  # kept only if a row follows, so trailing blanks never count
            if blank_run > MAX_BLANK_RUN:  # a sheet that claims a million rows holds none of them
                break
            continue
        rows.extend([] for _ in range(blank_run))
        blank_run = 0
        rows.append(cells)
        if len(rows) > MAX_ROWS:
            raise SroDeskError(
                f"{path.name} has more than {MAX_ROWS:,} rows; split it into smaller files "
                "and import each."
            )
    if header is None:
        raise SroDeskError(_empty(path))
    if any(_looks_like_data(cell) for cell in header):
        raise SroDeskError(
            f"The first row of {path.name} should name the columns (like Officer, Date, "
            "Title, Hours); add that row and try again."
        )
    if not rows:
        raise SroDeskError(
            f"{path.name} has column names but no rows under them; choose the file that "
            "holds the training log."
        )
    width = max(len(header), *(len(r) for r in rows))
    headers = [
        (header[i] if i < len(header) else "") or f"Column {column_letter(i)}" for i in range(width)
    ]
    return Table(headers, [r + [""] * (width - len(r)) for r in rows], header_row)


def _looks_like_data(cell: str) -> bool:
    if not cell:
        return False
    try:
        Decimal(cell.replace(",", "."))
        return True
    except InvalidOperation:
        return parse_date(cell) is not None


# -- which column holds what -------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    """Something a training entry holds, and the header names that usually carry it."""

    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


FIELDS: tuple[ImportField, ...] = (
    ImportField("officer", "Officer", True, (
        "officer", "officer name", "officers name", "name", "sro", "sro name", "employee",
        "employee name", "trainee", "participant", "attendee", "student", "full name",
    )),
    ImportField("date", "Date", True, (
        "date", "training date", "date taken", "taken on", "date completed", "completed",
        "completion date", "course date", "class date", "session date", "date attended",
    )),
    ImportField("title", "Title", True, (
        "title", "course", "course title", "course name", "training", "training title",
        "training name", "class", "class name", "session", "program", "subject", "description",
    )),
    ImportField("hours", "Hours", True, (
        "hours", "hrs", "credit hours", "hours credited", "credits", "contact hours",
        "training hours", "total hours", "duration", "length",
    )),
    ImportField("provider", "Provider", False, (
        "provider", "training provider", "trainer", "instructor", "presenter", "agency",
        "sponsor", "organization", "offered by", "academy",
    )),
    ImportField("topics", "Topics", False, (
        "topics", "topic", "topics covered", "subjects", "categories", "category",
    )),
    ImportField("basic_course", "Basic SRO course", False, (
        "basic", "basic course", "basic sro course", "basic sro", "basic training",
        "certification course",
    )),
    ImportField("with_administrators", "With administrators", False, (
        "with administrators", "administrators", "with admins", "admins", "joint training",
        "trained with", "attended with", "with school staff",
    )),
    ImportField("notes", "Notes", False, ("notes", "note", "comments", "comment", "remarks")),
)


def _header_words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+|_", " ", text.casefold()).split())


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Which column most likely holds each field (None when none looks right).

    An exact header name beats one found inside a longer header, and a longer name beats
    a shorter one, so "Course name" goes to the title, not the officer.
    """
    words = [_header_words(h) for h in headers]
    candidates = []
    for f in FIELDS:
        for alias in f.aliases:
            for column, header in enumerate(words):
                if header == alias:
                    candidates.append((2, len(alias), -column, f.key, column))
                elif re.search(rf"\b{re.escape(alias)}\b", header):
                    candidates.append((1, len(alias), -column, f.key, column))
    mapping: dict[str, int | None] = {f.key: None for f in FIELDS}
    taken: set[int] = set()
    for *_, key, column in sorted(candidates, reverse=True):
        if mapping[key] is None and column not in taken:
            mapping[key] = column
            taken.add(column)
    return mapping


# -- checking the rows -----------------------------------------------------------------


@dataclass
class RowProblem:
    """Why one row of the sheet cannot be imported."""

    row_number: int
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.reason}"


@dataclass
class ImportPlan:
    """The entries ready to save and the rows that stop the import."""

    entries: list[TrainingEntry] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    #: The spreadsheet row number of each entry.
    entry_rows: list[int] = field(default_factory=list)
    today: date | None = None

    @property
    def rows_with_problems(self) -> int:
        return len({p.row_number for p in self.problems})

    def summary(self) -> str:
        """'12 rows ready to import; 2 rows have problems.'"""
        ready, bad = len(self.entries), self.rows_with_problems
        return (
            f"{ready} {'row' if ready == 1 else 'rows'} ready to import; "
            f"{bad} {'row has' if bad == 1 else 'rows have'} problems."
        )


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_MONTH_FIRST = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})")


def _month(name: str) -> int:
    """1 to 12 for an English month name or its abbreviation (Oct, Sept); 0 otherwise."""
    if len(name) >= 3:
        for number, full in enumerate(_MONTHS, start=1):
            if full.startswith(name) or (name == "sept" and number == 9):
                return number
    return 0


def parse_date(text: str, *, today: date | None = None) -> date | None:
    """A date from 2026-10-15, 10/15/2026, 10/15/26, Oct 15, 2026 or 15 October 2026."""
    text = " ".join(text.strip().casefold().split())
    try:
        if match := _ISO.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _SLASHED.fullmatch(text):
            month, day, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                this_year = (today or date.today()).year
                year += 2000 if 2000 + year <= this_year else 1900
        elif match := _MONTH_FIRST.fullmatch(text):
            month, day, year = _month(match.group(1)), int(match.group(2)), int(match.group(3))
        elif match := _DAY_FIRST.fullmatch(text):
            day, month, year = int(match.group(1)), _month(match.group(2)), int(match.group(3))
        else:
            return None
        return date(year, month, day) if month else None
    except ValueError:
        return None


_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


def apply_mapping(
    data_file: DataFile,
    table: Table,
    mapping: dict[str, int | None],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Every row turned into a checked entry, or a problem naming its row and reason."""
    _check_mapping(table, mapping)
    today = today or date.today()
    reader = _RowReader(data_file, today)
    plan = ImportPlan(today=today)
    seen: dict[tuple, int] = {}
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        if progress is not None and index % 500 == 0 and not progress(index, total):
            raise SroDeskError("Checking the rows was stopped; choose Check to run it again.")
        if not any(row):
            continue
        number = table.row_number(index)
        cells = {f.key: _cell(row, mapping.get(f.key)) for f in FIELDS}
        entry, reasons = reader.entry(cells)
        if entry is not None:
            key = _duplicate_key(entry)
            if key in reader.logged:
                reasons.append(
                    f"Already logged in the file for {shown(cells['officer'])} on {entry.taken_on}; "
                    "remove this row."
                )
            elif key in seen:
                reasons.append(
                    f"Already logged on row {seen[key]} of this sheet (same officer, date, "
                    "title and hours); remove one of the two rows."
                )
            else:
                seen[key] = number
                plan.entries.append(entry)
                plan.entry_rows.append(number)
        plan.problems.extend(RowProblem(number, reason) for reason in reasons)
    return plan


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None else ""


def _check_mapping(table: Table, mapping: dict[str, int | None]) -> None:
    for f in FIELDS:
        index = mapping.get(f.key)
        if index is not None and not 0 <= index < len(table.headers):
            raise ValueError(f"column {index} is not in the table")
        if f.required and index is None:
            raise SroDeskError(f"Choose which column holds the {f.label.lower()}.")
    chosen: dict[int, str] = {}
    for f in FIELDS:
        index = mapping.get(f.key)
        if index is None:
            continue
        if index in chosen:
            raise SroDeskError(
                f"The {shown(table.headers[index])} column is chosen for both "
                f"{chosen[index].lower()} and {f.label.lower()}; choose another column "
                "for one of them."
            )
        chosen[index] = f.label


def _duplicate_key(entry: TrainingEntry) -> tuple:
    return (entry.officer_id, entry.taken_on, " ".join(entry.title.casefold().split()), entry.quarter_hours)


class _RowReader:
    """Turns one row's cells into an entry, with what it needs looked up once."""

    def __init__(self, data_file: DataFile, today: date) -> None:
        self.data_file = data_file
        self.today = today
        self.officers: dict[str, list[int]] = {}
        for officer in list_officers(data_file):
            self.officers.setdefault(_name_key(officer.name), []).append(officer.id)
        self.topics: dict[str, str] = {}
        for key, label in training.all_topics(data_file).items():
            self.topics[_topic_key(key)] = key
            self.topics[_topic_key(label)] = key
        self.logged = {
            (r["officer_id"], r["taken_on"], " ".join(r["title"].casefold().split()), r["quarter_hours"])
            for r in data_file.query(
                "SELECT officer_id, taken_on, title, quarter_hours FROM training_entry"
            )
        }

    def entry(self, cells: dict[str, str]) -> tuple[TrainingEntry | None, list[str]]:
        reasons: list[str] = []
        for f in FIELDS:
            if f.required and not cells[f.key]:
                reasons.append(f"The {f.label.lower()} is blank.")
        officer_id = self._officer(cells["officer"], reasons) if cells["officer"] else None
        taken = None
        if cells["date"]:
            taken = parse_date(cells["date"], today=self.today)
            if taken is None:
                reasons.append(
                    f"{quoted(cells['date'])} is not a date SRO Desk can read; write it like "
                    "2026-10-15 or 10/15/2026."
                )
        quarters = None
        if cells["hours"]:
            try:
                quarters = training.parse_hours(cells["hours"])
            except ValidationError as exc:
                reasons.append(exc.message)
        topics = self._topics(cells["topics"], reasons)
        basic = cells["basic_course"].casefold()
        if basic not in _YES | _NO:
            reasons.append(
                f"{quoted(cells['basic_course'])} in the basic course column should be yes or no."
            )
        if reasons:
            return None, reasons
        assert officer_id is not None and taken is not None and quarters is not None
        entry = TrainingEntry(
            officer_id=officer_id,
            taken_on=taken.isoformat(),
            title=cells["title"],
            quarter_hours=quarters,
            provider=cells["provider"],
            topics=topics,
            basic_course=basic in _YES,
            with_administrators=cells["with_administrators"],
            notes=cells["notes"],
        )
        try:
            return training.validate_entry(self.data_file, entry, today=self.today), []
        except ValidationError as exc:
            return None, [exc.message]

    def _officer(self, name: str, reasons: list[str]) -> int | None:
        found = self.officers.get(_name_key(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            reasons.append(
                f"More than one officer is called {shown(name)}; give each a distinct name in the "
                "file, then import again."
            )
        else:
            reasons.append(
                f"No officer called {shown(name)} is in the file; add the officer first or correct "
                "the name."
            )
        return None

    def _topics(self, text: str, reasons: list[str]) -> list[str]:
        keys: list[str] = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            # A district's own topic may hold a comma, so try the whole part first.
            names = [part] if _topic_key(part) in self.topics else part.split(",")
            for name in (n.strip() for n in names):
                if not name:
                    continue
                key = self.topics.get(_topic_key(name))
                if key is None:
                    reasons.append(
                        f"Unknown topic {quoted(name)}; use the topic names from the Training page, "
                        "separated by semicolons."
                    )
                elif key not in keys:
                    keys.append(key)
        return keys


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _topic_key(text: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", text.casefold()).split())


# -- saving ----------------------------------------------------------------------------


def import_plan(data_file: DataFile, plan: ImportPlan) -> int:
    """Save every entry of a clean plan in one transaction; refuse a plan with problems."""
    if plan.problems:
        count = plan.rows_with_problems
        raise SroDeskError(
            f"Fix the {count} listed {'row' if count == 1 else 'rows'} (or remove "
            f"{'it' if count == 1 else 'them'} from the sheet) and import again; "
            "nothing was imported."
        )
    if not plan.entries:
        raise SroDeskError("The sheet has no rows to import; nothing was imported.")
    return training.save_entries(data_file, plan.entries, today=plan.today)
