"""Saves that fail part way: a full disk, and write errors from the operating system.

A full disk is made with ``PRAGMA max_page_count`` on the writer's own connection (the
file may not grow), optionally with a one-page cache so the failure comes in the middle
of the transaction rather than at its commit. A write error is made by a forked writer
whose file-size limit (``RLIMIT_FSIZE``) stops the file or its journal growing: the
operating system refuses the write and SQLite reports an I/O error.

Promised for each: one sentence (an ``SroDeskError``), the file unchanged (its logical
dump and its bytes), the caller's object unchanged, so what the person typed can be kept
and saved again once there is room.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sro_desk.errors import SroDeskError
from sro_desk.records import agreements, enforcement, selection, training
from sro_desk.records.district import School, load_district, save_district
from sro_desk.store import DataFile
from sro_desk.store.check import check_file
from tests.reliability.common import Figures, journal_of, logical_dump, read_all, sha256
from tests.reliability.crashes import is_hot

NO_ROOM = "There is no room left for"


@dataclass
class Save:
    """A save whose input is big enough to need new pages in the file."""

    label: str
    #: Builds what the person typed, from the open file.
    typed: Callable[[DataFile], Any]
    #: Saves it; returns something that shows it landed (checked by ``landed``).
    save: Callable[[DataFile, Any], Any]
    landed: Callable[[DataFile, Any], bool]


def _district(data_file: DataFile):
    district = load_district(data_file)
    district.schools += [
        School(f"New school {n} " + "of the valley " * 12, "K-8", f"Principal {n} " + "x" * 100)
        for n in range(150)
    ]
    return district


def _officer(data_file: DataFile) -> int:
    return data_file.query("SELECT id FROM officer ORDER BY id LIMIT 1")[0]["id"]


def _day() -> str:
    return (date.today() - timedelta(days=10)).isoformat()


def _entries(data_file: DataFile):
    officer = _officer(data_file)
    return [
        training.TrainingEntry(officer, _day(), f"Batch entry {n}", 4, provider="Academy " * 20,
                               notes="Notes " * 60, topics=["diversion"])
        for n in range(300)
    ]


def _certificate(data_file: DataFile):
    entry = training.TrainingEntry(_officer(data_file), _day(), "Course with certificate", 8)
    document = ("certificate.pdf", "application/pdf", b"%PDF-1.4 certificate " + os.urandom(1_500_000))
    return entry, document


def _actions(data_file: DataFile):
    school = data_file.query("SELECT id FROM school ORDER BY id LIMIT 1")[0]["id"]
    return [
        enforcement.Action(f"{_day()} 10:{n % 60:02d}", school, "grounds", "citation", offense="theft",
                           statute="c. 266 § 30 " * 20, outcome="Outcome " * 100, principal_consulted=True)
        for n in range(300)
    ]


def _selection_input(data_file: DataFile):
    year = data_file.query("SELECT max(school_year) AS y FROM training_entry")[0]["y"]
    officers = [r["id"] for r in data_file.query("SELECT id FROM officer")]
    round_id = selection.open_round(data_file, school_year=year, title="Room test",
                                    opened_on=date.today().isoformat(), officer_ids=officers)
    chosen = selection.load_round(data_file, round_id)
    scores = [selection.Score(c.id, k.id, 4, "Comment " * 80) for c in chosen.candidates for k in chosen.criteria]
    return chosen, selection.InputRecord(None, "parent", date.today().isoformat(), "Ana", "40 parents",
                                         "Notes " * 400, scores)


SAVES = [
    Save("a district save with 150 new schools", _district,
         lambda f, d: save_district(f, d),
         lambda f, d: len(load_district(f).schools) == len(d.schools)),
    Save("a batch of 300 training entries", _entries,
         lambda f, e: training.save_entries(f, e),
         lambda f, e: f.query("SELECT count(*) AS n FROM training_entry WHERE title LIKE 'Batch entry %'")[0]["n"] == 300),
    Save("a training entry with a 1.5 MB certificate", _certificate,
         lambda f, t: training.save_entry(f, t[0], certificate=t[1]),
         lambda f, t: f.query("SELECT count(*) AS n FROM attachment WHERE file_name = 'certificate.pdf'")[0]["n"] == 1),
    Save("300 enforcement entries", _actions,
         lambda f, a: enforcement.save_actions(f, a),
         lambda f, a: f.query("SELECT count(*) AS n FROM enforcement_action WHERE outcome LIKE 'Outcome%'")[0]["n"] == 300),
    Save("a selection input with long comments", _selection_input,
         lambda f, t: selection.save_input(f, t[0], t[1]),
         lambda f, t: f.query("SELECT count(*) AS n FROM selection_input WHERE notes LIKE 'Notes%'")[0]["n"] == 1),
    Save("a new agreement from the clause library", lambda f: None,
         lambda f, _: agreements.new_from_library(f, school_year="2030-2031"),
         lambda f, _: any(a["school_year"] == "2030-2031" for a in agreements.list_agreements(f))),
]


def full_disk(path: Path, save: Save, *, spill: bool, figures: Figures) -> None:
    """``save`` on a file that may not grow, then again once it may."""
    with DataFile.open(path) as data_file:
        typed = save.typed(data_file)
        snapshot = pickle.dumps(typed)
        pages = data_file.conn.execute("PRAGMA page_count").fetchone()[0]
        data_file.conn.execute(f"PRAGMA max_page_count = {pages}")
        if spill:
            data_file.conn.execute("PRAGMA cache_size = 1")
        before, dump = sha256(path), logical_dump(path)
        where = f"[{save.label}, {'spilling' if spill else 'at commit'}]"
        figures.runs += 1
        try:
            save.save(data_file, typed)
        except SroDeskError as exc:
            figures.heard(exc.message)
            if not exc.message.startswith(NO_ROOM):
                figures.failures.append(f"{where} not the full-disk sentence: {exc.message}")
        else:
            figures.failures.append(f"{where} the save landed in a file that may not grow")
            return
        if data_file.conn.in_transaction:
            figures.failures.append(f"{where} a transaction was left open")
        if sha256(path) != before or logical_dump(path) != dump:
            figures.failures.append(f"{where} the refused save changed the file")
        if pickle.dumps(typed) != snapshot:
            figures.failures.append(f"{where} the refused save changed what the person typed")
        # Room again: the same object, kept by the caller, saves.
        data_file.conn.execute("PRAGMA max_page_count = 4294967294")
        save.save(data_file, typed)
        if not save.landed(data_file, typed):
            figures.failures.append(f"{where} the second save, with room, did not land")
    figures.survived += 1


def write_error(path: Path, save: Save, extra_bytes: int, *, figures: Figures) -> None:
    """``save`` in a forked writer that may not grow any file past its size plus
    ``extra_bytes``; the writer reports what it was told."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(read_end)
            data_file = DataFile.open(path)
            typed = save.typed(data_file)
            snapshot = pickle.dumps(typed)
            before_child = sha256(path)  # the typed object may have needed a save of its own
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            limit = path.stat().st_size + extra_bytes
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
            try:
                save.save(data_file, typed)
                report = "landed"
            except SroDeskError as exc:
                report = f"refused {type(exc).__name__} {exc.message}"
            if pickle.dumps(typed) != snapshot:
                report = "changed-typed " + report
            report += f" |{before_child}"
            data_file.close()
            os.write(write_end, report.replace("\n", "\\n").encode())
        except BaseException as exc:  # noqa: BLE001 (reported to the parent)
            os.write(write_end, f"crashed {type(exc).__name__}: {exc}".replace("\n", " ").encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    said = read_all(read_end)
    os.waitpid(pid, 0)
    report, _, child_before = said.partition(" |")
    where = f"[{save.label}, {extra_bytes} bytes of room]"
    figures.runs += 1
    if report.startswith("crashed") or report.startswith("changed-typed"):
        figures.failures.append(f"{where} {report}")
        return
    if report == "landed":
        figures.count("write error: landed within the limit")
    else:
        _, kind, message = report.split(" ", 2)
        figures.heard(message)
        figures.count(f"write error: {kind}")
        if "nothing was saved" not in message:
            figures.failures.append(f"{where} the sentence does not say that nothing was saved: {message}")
        if child_before and sha256(path) != child_before:
            figures.failures.append(f"{where} the refused save changed the file")
    if is_hot(journal_of(path)):
        figures.failures.append(f"{where} a hot journal was left after a refused save")
    try:
        report_after = check_file(path)
        if not report_after.healthy:
            figures.failures.append(f"{where} check found problems: {report_after.problems}")
    except SroDeskError as exc:
        figures.failures.append(f"{where} check refused the file afterwards: {exc.message}")
    figures.survived += 1
