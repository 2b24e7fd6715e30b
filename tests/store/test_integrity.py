"""Tamper evidence: changes made behind SRO Desk's back are named by ``check`` and printed
on the signed agreement; "who" comes from the operating system's account."""

from __future__ import annotations

import os
import sqlite3
from datetime import date

import pytest
from pypdf import PdfReader

from sro_desk.records import agreements, complaints
from sro_desk.records import review as rv
from sro_desk.records.demo import create_demo
from sro_desk.store import DataFile, OpenOptions, integrity, schema
from sro_desk.store.check import check_file
from tests.helpers import run_cli


@pytest.fixture
def demo(db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date(2026, 11, 22))
    return db_path


def _tamper(path, *statements):
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_demo_file_is_healthy_with_its_chain_and_seals(demo):
    report = check_file(demo)
    assert report.healthy, report.problems
    conn = sqlite3.connect(demo)
    assert integrity.verify_chain(conn)[0] is None
    sealed = {row[0] for row in conn.execute("SELECT table_name FROM seal")}
    assert sealed == {"agreement", "annual_review", "complaint"}


@pytest.mark.parametrize(("statement", "says"), [
    ("UPDATE audit_log SET user = 'superintendent' WHERE id = 40", "change 40"),
    ("DELETE FROM audit_log WHERE id = 41", "change 42"),
    ("UPDATE agreement_clause SET text = 'The SRO may search lockers at will.' "
     "WHERE id = (SELECT min(id) FROM agreement_clause WHERE agreement_id = 1)", "agreement numbered 1"),
    ("UPDATE complaint SET finding = 'exonerated' WHERE id = (SELECT min(row_id) FROM seal "
     "WHERE table_name = 'complaint')", "complaint numbered"),
    ("UPDATE review_finding SET finding = 'All goals met.' WHERE id = (SELECT min(id) FROM review_finding)",
     "end-of-year review numbered"),
])
def test_check_names_what_was_changed_with_another_tool(demo, statement, says):
    _tamper(demo, statement)
    report = check_file(demo)
    assert any(says in problem for problem in report.problems), report.problems
    done = run_cli("--db", str(demo), "check")
    assert done.returncode == 1 and says in done.stderr


def test_a_rewritten_chain_is_caught_by_what_this_computer_remembers(demo):
    """Someone who knows how the chain is made alters a row and recomputes every hash;
    the chain is whole again, but not the one this computer saw."""
    with DataFile.open(demo, OpenOptions(edit=False)):
        pass  # this computer notes the head
    _tamper(demo, "UPDATE audit_log SET user = 'someone else' WHERE id = 10")
    conn = sqlite3.connect(demo)
    integrity.backfill(conn)
    conn.commit()
    assert integrity.verify_chain(conn)[0] is None
    report = check_file(demo)
    assert any("rewritten" in p for p in report.problems), report.problems
    assert any("rewritten" in p for p in check_file(demo).problems)  # and again: never forgotten


def test_a_signed_agreement_changed_behind_our_back_prints_as_altered_on_every_page(demo, tmp_path):
    out = tmp_path / "signed.pdf"
    assert run_cli("--db", str(demo), "print", "agreement", "1", "-o", str(out)).returncode == 0
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert "Sealed when signed" in pages[-1] and not any("ALTERED" in p for p in pages)
    _tamper(demo, "UPDATE agreement_blank SET value = '40' WHERE agreement_id = 1 AND type = 'hours'")
    assert run_cli("--db", str(demo), "print", "agreement", "1", "-o", str(out)).returncode == 0
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert all("ALTERED" in p for p in pages), pages
    assert "not the signed agreement" in " ".join(pages[0].split())


def test_a_reopened_review_is_unsealed_and_sealed_again_when_final(demo):
    with DataFile.open(demo) as data_file:
        review = rv.load_review(data_file, "2025-2026")
        rv.reopen(data_file, review)
        review = rv.load_review(data_file, "2025-2026")
        rv.save_review(data_file, rv.AnnualReview(**{**review.__dict__, "summary": "Corrected summary."}))
        assert check_file(demo).healthy  # a reopened review is no longer sealed
        rv.finalise(data_file, rv.load_review(data_file, "2025-2026"))
    _tamper(demo, "UPDATE annual_review SET summary = 'Rewritten.'")
    assert any("end-of-year review" in p for p in check_file(demo).problems)


def test_who_is_the_operating_systems_account_not_an_environment_variable(tmp_path):
    db = tmp_path / "d.db"
    done = run_cli("--db", str(db), "demo", env={"USER": "the-chief", "LOGNAME": "the-chief", "USERNAME": "x"})
    assert done.returncode == 0, done.stderr
    users = {row[0] for row in sqlite3.connect(db).execute("SELECT DISTINCT user FROM audit_log")}
    import pwd

    assert users == {pwd.getpwuid(os.getuid()).pw_name}


def test_an_older_file_gets_its_chain_when_it_is_brought_up_to_date(db_path):
    from sqlite_utils import Database

    db = Database(db_path)
    schema.migrations.apply(db, stop_before="0012_tamper_evidence")
    for n in range(5):
        db.execute("INSERT INTO audit_log (at, user, machine, table_name, row_id, action, changes) "
                   "VALUES (?, 'clerk', 'pc', 'school', ?, 'insert', '{}')", (f"2026-01-0{n + 1}", n))
    db.conn.commit()
    db.close()
    with DataFile.open(db_path):
        pass
    conn = sqlite3.connect(db_path)
    broken, count, _ = integrity.verify_chain(conn)
    assert broken is None and count == 5
    assert complaints  # (the module is imported for its sealing of closed complaints)
    assert agreements


def test_the_window_says_when_the_change_log_was_rewritten(demo, qtbot):
    from sro_desk.ui.main_window import MainWindow

    with DataFile.open(demo, OpenOptions(edit=False)):
        pass
    _tamper(demo, "UPDATE audit_log SET user = 'someone else' WHERE id = 10")
    conn = sqlite3.connect(demo)
    integrity.backfill(conn)
    conn.commit()
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_data_file(DataFile.open(demo, OpenOptions(edit=False)))
    assert "rewritten" in window.banner_text.text() and not window.banner.isHidden()
