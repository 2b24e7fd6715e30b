"""The command-line contract, through a real subprocess as scripts will call it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sro_desk import __version__
from sro_desk.store.schema import APPLICATION_ID
from tests.helpers import run_cli, sha256


def _no_traceback(result):
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sro-desk {__version__}"


def test_demo_then_check(tmp_path):
    db = tmp_path / "x.db"
    made = run_cli("--db", str(db), "demo")
    assert made.returncode == 0, made.stderr
    assert "Granite Valley Regional School District" in made.stdout
    assert "2 police departments" in made.stdout
    checked = run_cli("--db", str(db), "check")
    assert checked.returncode == 0, checked.stderr
    assert "The file is healthy." in checked.stdout
    assert not Path(str(db) + ".lock").exists()


def test_demo_without_db_uses_a_separate_demo_file(sro_home):
    result = run_cli("demo")
    assert result.returncode == 0, result.stderr
    demo = sro_home / "data" / "demo" / "sro-desk-demo.db"
    assert demo.exists()
    assert not (sro_home / "data" / "sro-desk.db").exists()


def test_demo_refuses_a_file_that_holds_a_district(tmp_path):
    db = tmp_path / "x.db"
    assert run_cli("--db", str(db), "demo").returncode == 0
    before = sha256(db)
    again = run_cli("--db", str(db), "demo")
    assert again.returncode == 2
    assert "already holds a district" in again.stderr
    assert sha256(db) == before
    _no_traceback(again)


def test_backup_prints_the_path_and_restore_brings_it_back(tmp_path):
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    backup = run_cli("--db", str(db), "backup")
    assert backup.returncode == 0, backup.stderr
    path = Path(backup.stdout.strip())
    assert path.exists() and path.stat().st_size > 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE district SET name = 'Changed'")
    conn.commit()
    conn.close()
    restored = run_cli("--db", str(db), "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM district").fetchone()[0].startswith("Granite")
    conn.close()


def test_backup_to_a_folder(tmp_path):
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    result = run_cli("--db", str(db), "backup", "--to", str(tmp_path / "usb"))
    assert result.returncode == 0
    assert Path(result.stdout.strip()).parent == tmp_path / "usb"


def test_restore_refused_while_someone_is_editing(tmp_path):
    from sro_desk.store.lease import Lease

    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    backup = Path(run_cli("--db", str(db), "backup").stdout.strip())
    lease = Lease(db)
    lease.acquire()
    try:
        before = sha256(db)
        result = run_cli("--db", str(db), "restore", str(backup))
        assert result.returncode == 2
        assert "open for editing by" in result.stderr
        assert sha256(db) == before
    finally:
        lease.release()


def _write_bad_files(folder: Path, good: Path) -> dict[str, tuple[Path, int, str]]:
    """Each bad file, with the exit status and words check must answer with."""
    cases: dict[str, tuple[Path, int, str]] = {}
    empty = folder / "empty.db"
    empty.write_bytes(b"")
    cases["empty"] = (empty, 2, "is empty")
    text = folder / "text.db"
    text.write_text("not a database\n" * 100)
    cases["not sqlite"] = (text, 2, "not a database")
    foreign = folder / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    cases["foreign"] = (foreign, 2, "another program")
    newer = folder / "newer.db"
    shutil.copyfile(good, newer)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('sro_desk', '9999_future', 'later')"
    )
    conn.commit()
    conn.close()
    cases["newer"] = (newer, 2, "newer version")
    truncated = folder / "truncated.db"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    cases["truncated"] = (truncated, 1, "damaged")
    corrupt = folder / "corrupt.db"
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page, len(data), page):
        data[start] = 0x77
    corrupt.write_bytes(bytes(data))
    cases["corrupt"] = (corrupt, 1, "damaged")
    cases["missing"] = (folder / "missing.db", 2, "There is no file")
    cases["missing folder"] = (folder / "unplugged" / "x.db", 2, "reconnect")
    cases["folder"] = (folder, 2, "is a folder")
    return cases


def test_check_on_every_bad_file(tmp_path):
    good = tmp_path / "good.db"
    run_cli("--db", str(good), "demo")
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, (path, code, words) in _write_bad_files(bad, good).items():
        before = sha256(path) if path.is_file() else None
        result = run_cli("--db", str(path), "check")
        assert result.returncode == code, (name, result.stderr)
        assert words in result.stderr, (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, (name, result.stderr)
        _no_traceback(result)
        if before is not None:
            assert sha256(path) == before, name
            assert not Path(str(path) + "-journal").exists(), name
            assert not Path(str(path) + ".lock").exists(), name


def test_check_on_a_file_locked_by_another_process(tmp_path):
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE'); c.execute('UPDATE meta SET value = value')\n"
            "print('locked', flush=True); time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_cli("--db", str(db), "check", env={"SRO_DESK_BUSY_TIMEOUT": "0.5"})
        assert result.returncode == 2
        assert "busy" in result.stderr
        _no_traceback(result)
    finally:
        holder.kill()
        holder.wait()


def _can_run_as_nobody() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = run_cli("--version", user="65534")
    return probe.returncode == 0


@pytest.mark.skipif(not _can_run_as_nobody(), reason="needs root and setpriv to act as another user")
def test_read_only_file_and_folder_as_an_ordinary_user(tmp_path):
    shared = Path(tempfile.mkdtemp(prefix="sro-share-"))
    home = Path(tempfile.mkdtemp(prefix="sro-home-"))
    try:
        os.chmod(shared, 0o755)
        os.chmod(home, 0o777)
        db = shared / "x.db"
        assert run_cli("--db", str(db), "demo").returncode == 0
        os.chmod(db, 0o644)  # readable, not writable, by others; folder not writable either
        before = sha256(db)
        env = {"SRO_DESK_HOME": str(home)}
        checked = run_cli("--db", str(db), "check", env=env, user="65534")
        assert checked.returncode == 0, checked.stderr
        demo = run_cli("--db", str(db), "demo", env=env, user="65534")
        assert demo.returncode == 2
        assert "read-only" in demo.stderr
        _no_traceback(demo)
        assert sha256(db) == before
    finally:
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def test_gui_without_a_screen_says_what_to_do(tmp_path):
    result = run_cli("--db", str(tmp_path / "x.db"), "gui")
    assert result.returncode == 2
    assert "no screen" in result.stderr
    _no_traceback(result)
    assert not (tmp_path / "x.db").exists()


def test_unknown_command_is_one_sentence():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "sro-desk --help" in result.stderr


def test_application_id_marks_our_files(tmp_path):
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    assert stat.S_ISREG(db.stat().st_mode)


def test_mou_list_json_after_demo(tmp_path):
    import json

    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    result = run_cli("--db", str(db), "mou", "list", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert {a["status"] for a in found} == {"filed", "draft"}
    assert all({"id", "school_year", "title", "status"} <= set(a) for a in found)
    plain = run_cli("--db", str(db), "mou", "list")
    assert "Filed with DESE" in plain.stdout and "Draft" in plain.stdout


def test_mou_import_json_on_a_new_file(tmp_path):
    import json

    source = tmp_path / "ours.txt"
    source.write_text(
        "Agreement between Harbor Town Public Schools and the Harbor Town Police\n\n"
        "I. MISSION AND GOALS\n\n"
        "The mission of the program and its goals and objectives are to keep students safe.\n\n"
        "II. TRAINING\n\n"
        "The SRO completes training each year in child and adolescent development, "
        "conflict resolution and diversion strategies, at least ____ [insert number of hours] hours.\n\n"
        "[NOTE: Districts may add de-escalation training here.]\n",
        encoding="utf-8",
    )
    db = tmp_path / "new.db"
    result = run_cli("--db", str(db), "mou", "import", str(source), "--json", "--year", "2026-2027")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) >= {"id", "title", "sections", "blanks", "notes", "checklist"}
    assert report["blanks"] and report["blanks"][0]["label"].lower().startswith("number of hours")
    assert any("de-escalation" in note for note in report["notes"])
    checklist = {c["component"]: c["covered"] for c in report["checklist"]}
    assert list(checklist) == [f"M{i}" for i in range(1, 9)]
    assert checklist["M1"] and checklist["M7"] and not checklist["M8"]
    listed = json.loads(run_cli("--db", str(db), "mou", "list", "--json").stdout)
    assert listed[0]["id"] == report["id"] and listed[0]["status"] == "draft"


def test_mou_import_refuses_an_unsupported_file(tmp_path):
    source = tmp_path / "agreement.pdf"
    source.write_bytes(b"%PDF-1.4")
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    before = run_cli("--db", str(db), "mou", "list", "--json").stdout
    result = run_cli("--db", str(db), "mou", "import", str(source))
    assert result.returncode == 2
    assert ".docx" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    _no_traceback(result)
    assert run_cli("--db", str(db), "mou", "list", "--json").stdout == before


def test_print_agreement_writes_a_pdf(tmp_path):
    from pypdf import PdfReader

    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    out = tmp_path / "agreement.pdf"
    result = run_cli("--db", str(db), "print", "agreement", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Granite Valley Regional School District" in text
    assert "Keisha Thompson" in text and "DRAFT" in text
    assert reader.metadata.title.startswith("School Resource Officer Agreement")
    filing = tmp_path / "filing.pdf"
    assert run_cli("--db", str(db), "print", "agreement", "1", "--dese", "-o", str(filing)).returncode == 0
    filing_text = "".join(p.extract_text() for p in PdfReader(filing).pages)
    assert "$58,800.00" in filing_text and "DRAFT" not in filing_text


def test_print_errors_are_one_sentence(tmp_path):
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    missing = run_cli("--db", str(db), "print", "agreement", "99", "-o", str(tmp_path / "a.pdf"))
    assert missing.returncode == 2 and "no agreement number 99" in missing.stderr
    nowhere = run_cli("--db", str(db), "print", "agreement", "1", "-o", str(tmp_path / "no" / "a.pdf"))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
    for result in (missing, nowhere):
        _no_traceback(result)
    assert not (tmp_path / "a.pdf").exists()


def test_print_works_while_someone_is_editing(tmp_path):
    from sro_desk.store.lease import Lease

    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    lease = Lease(db)
    lease.acquire()
    try:
        result = run_cli("--db", str(db), "print", "agreement", "1", "-o", str(tmp_path / "a.pdf"))
        assert result.returncode == 0, result.stderr
    finally:
        lease.release()


def test_mou_import_of_a_file_with_no_text_is_refused(tmp_path):
    source = tmp_path / "title-only.txt"
    source.write_text("Memorandum of Understanding\n", encoding="utf-8")
    db = tmp_path / "x.db"
    run_cli("--db", str(db), "demo")
    result = run_cli("--db", str(db), "mou", "import", str(source))
    assert result.returncode == 2 and "no agreement text" in result.stderr
    _no_traceback(result)


def test_export_enforcement_writes_both_files(tmp_path):
    db = tmp_path / "x.db"
    assert run_cli("--db", str(db), "demo").returncode == 0
    from sro_desk.records.calendar import previous_school_year, school_year_of
    from datetime import date as _date

    year = previous_school_year(school_year_of(_date.today()))
    out = tmp_path / "enforcement.csv"
    result = run_cli("--db", str(db), "export", "enforcement", year, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out), str(tmp_path / "enforcement-aggregate.csv")]
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert {"grade", "gender", "race_ethnicity"} <= set(header)
    text = out.read_text(encoding="utf-8-sig")
    assert "Granite Valley" in text and "Santos" not in text
    bad = run_cli("--db", str(db), "export", "enforcement", "2025", "-o", str(out))
    assert bad.returncode == 2 and "like 2025-2026" in bad.stderr
    _no_traceback(bad)


@pytest.mark.parametrize("lang", ["en", "es", "pt", "ht", "vi", "zh"])
def test_print_the_complaint_form_in_each_language(tmp_path, lang):
    import json

    import pdfplumber

    out = tmp_path / f"complaint-{lang}.pdf"
    result = run_cli("--db", str(tmp_path / "none.db"), "print", "form", "complaint", "--lang", lang, "-o", str(out))
    assert result.returncode == 0, result.stderr
    title = json.loads((Path(__file__).parent.parent / "resources" / "forms" / f"complaint.{lang}.json")
                       .read_text(encoding="utf-8"))["title"]
    with pdfplumber.open(out) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert title.replace(" ", "") in text.replace(" ", "").replace("\n", "")


def test_an_unknown_form_language_is_refused(tmp_path):
    result = run_cli("print", "form", "complaint", "--lang", "xx", "-o", str(tmp_path / "f.pdf"))
    assert result.returncode == 2 and "the languages there are: en, es, pt, ht, vi, zh" in result.stderr
    _no_traceback(result)
    assert not (tmp_path / "f.pdf").exists()


def _review_year() -> str:
    """The sample district's last school year, whose review is final."""
    from datetime import date as _date

    from sro_desk.records.calendar import previous_school_year, school_year_of

    return previous_school_year(school_year_of(_date.today()))


def test_print_review_one_copy_a_named_copy_and_every_copy(tmp_path):
    from pypdf import PdfReader

    db = tmp_path / "x.db"
    assert run_cli("--db", str(db), "demo").returncode == 0
    year = _review_year()
    out = tmp_path / "review.pdf"
    result = run_cli("--db", str(db), "print", "review", year, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    reader = PdfReader(out)
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert "Granite Valley Regional School District" in text
    assert "End-of-year SRO program review" in text and f"School year {year}" in text
    assert "Copy for" not in text
    assert reader.metadata.title == f"End-of-year SRO program review {year}"
    pages = len(reader.pages)

    named = tmp_path / "chief.pdf"
    result = run_cli("--db", str(db), "print", "review", year, "-o", str(named),
                     "--copy-for", "daniel o'connell")
    assert result.returncode == 0, result.stderr
    for page in PdfReader(named).pages:
        assert "Copy for Daniel O'Connell, Chief of Police, Ashby Falls" in " ".join(page.extract_text().split())

    every = tmp_path / "all.pdf"
    result = run_cli("--db", str(db), "print", "review", year, "-o", str(every), "--all-copies")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(every)
    copies = [item.title for item in reader.outline if not isinstance(item, list)]
    assert copies == [
        "Copy for Dr. Maria Santos, Superintendent",
        "Copy for Daniel O'Connell, Chief of Police, Ashby Falls",
        "Copy for Keisha Thompson, Chief of Police, Millbrook",
        "Copy for Marcus Bell, SRO",
        "Copy for Priya Raman, SRO",
    ]
    assert len(reader.pages) == 5 * pages
    assert f"Page 1 of {pages}" in reader.pages[pages].extract_text()

    public = tmp_path / "public.pdf"
    assert run_cli("--db", str(db), "print", "review", year, "-o", str(public), "--public").returncode == 0


def test_print_review_errors_are_one_sentence(tmp_path):
    db = tmp_path / "x.db"
    assert run_cli("--db", str(db), "demo").returncode == 0
    year = _review_year()
    out = tmp_path / "review.pdf"
    bad_year = run_cli("--db", str(db), "print", "review", "2025", "-o", str(out))
    assert bad_year.returncode == 2
    assert bad_year.stderr.strip() == "'2025' is not a school year; write it like 2025-2026."
    stranger = run_cli("--db", str(db), "print", "review", year, "-o", str(out), "--copy-for", "Pat Doe")
    assert stranger.returncode == 2
    assert stranger.stderr.strip() == (
        f"'Pat Doe' is not among the attendees of the {year} review; name one of Dr. Maria Santos, "
        "Daniel O'Connell, Keisha Thompson, Marcus Bell and Priya Raman."
    )
    empty = run_cli("--db", str(db), "print", "review", "1990-1991", "-o", str(out))
    assert empty.returncode == 2 and "Nothing is recorded for 1990-1991" in empty.stderr
    both = run_cli("--db", str(db), "print", "review", year, "-o", str(out), "--all-copies",
                   "--copy-for", "Marcus Bell")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    missing = run_cli("--db", str(tmp_path / "none.db"), "print", "review", year, "-o", str(out))
    assert missing.returncode == 2 and "There is no file" in missing.stderr
    for result in (bad_year, stranger, empty, both, missing):
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        _no_traceback(result)
    assert not out.exists()
    assert not (tmp_path / "none.db").exists()
