"""`sro-desk print packet` and `print status`: the PDFs, their sections, and refusals in
one sentence with exit status 2, the file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import run_cli, sha256


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli-packet")
    db = folder / "district.db"
    made = run_cli("--db", str(db), "demo", env={"SRO_DESK_HOME": str(folder / "home")})
    assert made.returncode == 0, made.stderr
    return db


def _year(db: Path) -> str:
    listed = run_cli("--db", str(db), "mou", "list", "--json")
    import json

    years = sorted({a["school_year"] for a in json.loads(listed.stdout)})
    return years[0]


def test_the_packet_prints_with_its_agenda_and_chosen_sections(demo_db, tmp_path):
    agenda = tmp_path / "agenda.txt"
    agenda.write_text("Call to order\nSRO program report\n", encoding="utf-8")
    out = tmp_path / "packet.pdf"
    before = sha256(demo_db)
    done = run_cli("--db", str(demo_db), "print", "packet", _year(demo_db), "-o", str(out),
                   "--agenda", str(agenda), "--meeting-on", "2026-12-10",
                   "--sections", "cover,agenda,contents,training,complaints", timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out.absolute())
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "SRO program report" in text and "December 10, 2026" in text
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Cover and contents", "SRO training", "Complaint statistics"]
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in reader.pages[-1].extract_text()
    assert sha256(demo_db) == before


@pytest.mark.parametrize("args, sentence", [
    (["2025"], "'2025' is not a school year; write it like 2025-2026."),
    (["2025-2026", "--sections", "cover,budget"], "There is no packet section called budget"),
    (["2025-2026", "--meeting-on", "soon"], "Enter the meeting date like"),
    (["2025-2026", "--agenda", "/nonexistent/agenda.txt"], "The agenda file"),
    (["2025-2026", "--logo", "/nonexistent/logo.png"], "The logo logo.png cannot be read"),
])
def test_bad_packet_requests_get_one_sentence_and_exit_2(demo_db, tmp_path, args, sentence):
    out = tmp_path / "packet.pdf"
    done = run_cli("--db", str(demo_db), "print", "packet", *args, "-o", str(out))
    assert done.returncode == 2
    assert sentence in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_the_compliance_status_prints_on_one_page(demo_db, tmp_path):
    out = tmp_path / "status.pdf"
    done = run_cli("--db", str(demo_db), "print", "status", "-o", str(out))
    assert done.returncode == 0, done.stderr
    reader = PdfReader(out)
    text = reader.pages[0].extract_text()
    assert "Compliance status" in text and "Granite Valley Regional School District" in text
    assert "Review the agreement" in text or "The agreement was reviewed" in text
    bad = run_cli("--db", str(demo_db), "print", "status", "2026", "-o", str(out))
    assert bad.returncode == 2 and "write it like 2025-2026" in bad.stderr
