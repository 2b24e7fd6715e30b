"""The large-district generator behind the speed measurements: a healthy, repeatable file."""

from __future__ import annotations

from datetime import date

from benchmarks.generate import generate, main
from sro_desk.records import complaints, enforcement as enf
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.check import check_file

TODAY = date(2026, 3, 15)


def content(path) -> list[tuple]:
    """Every row of some generated tables."""
    with DataFile.open(path, OpenOptions(edit=False)) as data_file:
        return [tuple(r.values()) for table in ("enforcement_action", "complaint", "meeting_attendee")
                for r in data_file.query(f"SELECT * FROM {table} ORDER BY id")]


def test_a_small_district_is_healthy_and_repeatable(tmp_path, capsys):
    first = tmp_path / "first.db"
    assert main([str(first), "--scale", "0.005", "--seed", "3", "--today", TODAY.isoformat()]) == 0
    printed = capsys.readouterr().out
    assert "enforcement_action: 1,000" in printed and "complaint: 100" in printed and " s." in printed
    report = check_file(first)
    assert report.healthy, report.problems
    counts = generate(tmp_path / "second.db", scale=0.005, seed=3, today=TODAY, with_agreements=False)
    assert (counts["school"], counts["officer"], counts["school_years"]) == (40, 30, 20)
    assert (counts["training_entry"], counts["meeting"]) == (300, 25)
    assert content(first) == content(tmp_path / "second.db")
    generate(tmp_path / "third.db", scale=0.005, seed=4, today=TODAY, with_agreements=False)
    assert content(first) != content(tmp_path / "third.db")
    with DataFile.open(first, OpenOptions(edit=False)) as data_file:
        assert data_file.query("PRAGMA application_id")[0]["application_id"] == 0x53524F44
        # Confidential complaints carry no identity, plain or sealed; the rest read as complaints.
        assert data_file.query(
            "SELECT count(*) AS n FROM complaint WHERE confidential = 1 AND "
            "(name IS NOT NULL OR contact IS NOT NULL OR details IS NOT NULL OR identity_sealed IS NOT NULL)"
        )[0]["n"] == 0
        year = "2025-2026"
        found = complaints.complaints_for(data_file, year)
        assert found and any(c.confidential for c in found) and all(c.description for c in found)
        assert all(c.received_on <= TODAY.isoformat() for c in found)
        actions = enf.actions_for(data_file, year)
        assert actions and any(a.flags() for a in actions) and all(a.outcome for a in actions)
        assert len({a.outcome for a in actions}) > len(actions) // 2  # varied sentences
        assert all(a.occurred_at[:10] <= TODAY.isoformat() for a in actions)
        signed = data_file.query("SELECT status, count(*) AS n FROM agreement GROUP BY status ORDER BY status")
        assert {r["status"]: r["n"] for r in signed} == {"draft": 1, "filed": 1, "superseded": 18}
        missing = data_file.query(
            "SELECT count(*) AS n FROM training_entry WHERE created_at IS NULL OR updated_by IS NULL OR version < 1")
        assert missing[0]["n"] == 0


def test_an_existing_file_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "taken.db"
    out.write_bytes(b"mine")
    assert main([str(out), "--scale", "0.001"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"mine"
