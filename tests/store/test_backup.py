"""Backups: consistent, checked, thinned, kept in two places; restore backs up first."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from sro_desk.errors import FileProblem
from sro_desk.paths import data_dir
from sro_desk.records.district import load_district, save_district
from sro_desk.store import DataFile
from sro_desk.store.backup import (
    KEEP_RECENT,
    BackupCancelled,
    backup_folders,
    backup_if_changed,
    backups_to_remove,
    list_backups,
    make_backup,
    restore,
    thin_folder,
)
from tests.helpers import sha256


def _names(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT name FROM district").fetchall()
    finally:
        conn.close()


def test_backup_is_a_checked_copy_in_both_places(demo_path):
    made = make_backup(demo_path)
    assert made.is_relative_to(data_dir())
    copies = list_backups(demo_path)
    assert len(copies) == 2
    assert {c.parent for c in copies} == set(backup_folders(demo_path))
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert _names(copy) == _names(demo_path)
    assert not list(made.parent.glob("*.partial"))


def test_backup_of_an_open_file_while_it_is_being_edited(demo_file):
    made = make_backup(demo_file.path)
    assert _names(made) == _names(demo_file.path)


def test_backup_to_a_chosen_folder_only(demo_path, tmp_path):
    target = tmp_path / "usb"
    made = make_backup(demo_path, to=target)
    assert made.parent == target
    assert list_backups(demo_path) == []


def test_backup_can_be_cancelled_and_keeps_nothing(demo_path):
    with pytest.raises(BackupCancelled):
        make_backup(demo_path, progress=lambda done, total: False)
    assert list_backups(demo_path) == []
    for folder in backup_folders(demo_path):
        assert not folder.exists() or not any(folder.iterdir())


def test_backup_reports_progress(demo_path):
    ticks = []
    make_backup(demo_path, progress=lambda done, total: ticks.append((done, total)) or True)
    assert ticks and ticks[-1][0] == ticks[-1][1]


def test_backup_at_open_only_when_the_file_changed(demo_path):
    first = backup_if_changed(demo_path)
    assert first is not None
    assert backup_if_changed(demo_path) is None
    with DataFile.open(demo_path) as data_file:
        district = load_district(data_file)
        district.name = "Changed District"
        save_district(data_file, district)
    assert backup_if_changed(demo_path) is not None


def test_thinning_keeps_recent_then_daily_weekly_monthly():
    now = datetime(2026, 11, 22, 12, 0)
    hourly = [now - timedelta(hours=h) for h in range(24 * 400)]
    removed = backups_to_remove(hourly, now)
    kept = sorted(set(hourly) - removed, reverse=True)
    assert kept[:KEEP_RECENT] == hourly[:KEEP_RECENT]
    recent_days = {k.date() for k in kept if now - k <= timedelta(days=14)}
    assert len(recent_days) >= 14
    months = {(k.year, k.month) for k in kept}
    assert len(months) >= 13  # a copy from every month back to the oldest
    assert len(kept) < 80
    assert hourly[-1] in kept or (hourly[-1].year, hourly[-1].month) in months


def test_thinning_never_drops_the_only_backups():
    now = datetime(2026, 11, 22)
    stamps = [now - timedelta(days=400), now - timedelta(days=800)]
    assert backups_to_remove(stamps, now) == set()


def test_thin_folder_removes_only_our_own_files(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    stranger = folder / "minutes.docx"
    stranger.write_text("keep me")
    base = datetime(2026, 11, 22, 12)
    for minutes in range(30):
        stamp = (base - timedelta(minutes=minutes)).strftime("%Y%m%d-%H%M%S-%f")
        (folder / f"district-backup-{stamp}.db").write_text("x")
    removed = thin_folder(folder, "district", now=base)
    assert len(removed) == 30 - KEEP_RECENT
    assert stranger.exists()


def test_restore_backs_up_what_it_replaces(demo_path):
    old = make_backup(demo_path)
    with DataFile.open(demo_path) as data_file:
        district = load_district(data_file)
        district.name = "After The Backup"
        save_district(data_file, district)
    kept = restore(demo_path, old)
    assert kept is not None and kept.name.endswith("-before-restore.db")
    assert _names(kept) == [("After The Backup",)]
    assert _names(demo_path) == [("Granite Valley Regional School District",)]
    with DataFile.open(demo_path) as data_file:
        assert load_district(data_file).name == "Granite Valley Regional School District"


def test_restore_over_a_damaged_file_keeps_the_damaged_one(demo_path):
    good = make_backup(demo_path)
    data = demo_path.read_bytes()
    demo_path.write_bytes(data[: len(data) // 3])
    damaged_bytes = demo_path.read_bytes()
    kept = restore(demo_path, good)
    assert kept.read_bytes() == damaged_bytes
    with DataFile.open(demo_path) as data_file:
        assert load_district(data_file) is not None


def test_restore_refuses_a_bad_backup_and_changes_nothing(demo_path, tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a backup")
    before = sha256(demo_path)
    with pytest.raises(FileProblem):
        restore(demo_path, bogus)
    assert sha256(demo_path) == before


def test_restore_refuses_to_replace_another_programs_database(tmp_path, demo_path):
    other = tmp_path / "payroll.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE pay (n)")
    conn.commit()
    conn.close()
    before = sha256(other)
    with pytest.raises(FileProblem):
        restore(other, make_backup(demo_path))
    assert sha256(other) == before
    assert not list(tmp_path.glob("payroll-damaged-*"))


def test_changes_after_a_restore_are_backed_up_at_open(demo_path):
    first = make_backup(demo_path)
    with DataFile.open(demo_path) as data_file:
        district = load_district(data_file)
        district.name = "Second name"
        save_district(data_file, district)
    restore(demo_path, first)
    with DataFile.open(demo_path) as data_file:
        district = load_district(data_file)
        district.name = "Third name"
        save_district(data_file, district)
    made = backup_if_changed(demo_path)
    assert made is not None and _names(made) == [("Third name",)]


def _backup_drive_with_room_for(pages, monkeypatch):
    """Make every backup copy (``*.partial``) refuse to grow past ``pages`` pages, as a
    full backup drive would: SQLite reports "database or disk is full"."""
    from sro_desk.store import backup as backup_module

    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):
        conn = real_connect(target, *args, **kwargs)
        if str(target).endswith(".partial"):
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(backup_module.sqlite3, "connect", connect)


def test_a_full_backup_drive_is_named_not_the_data_file(demo_path, tmp_path, monkeypatch):
    folder = tmp_path / "usb"
    before = sha256(demo_path)
    _backup_drive_with_room_for(2, monkeypatch)
    with pytest.raises(FileProblem) as caught:
        make_backup(demo_path, to=folder)
    message = caught.value.message
    assert message.startswith(f"The backup folder {folder} cannot be written (its drive is full)")
    assert "free some space" in message and demo_path.name in message
    assert "damaged" not in message and "reconnect" not in message
    assert sha256(demo_path) == before
    assert list(folder.iterdir()) == []


def test_a_backup_with_one_full_folder_still_lands_in_the_other(demo_path, monkeypatch):
    from sro_desk.store import backup as backup_module

    real = backup_module._copy_into
    refused = []

    def first_folder_full(database, target, progress):
        if not refused:
            refused.append(target.parent)
            _backup_drive_with_room_for(2, monkeypatch)
            try:
                return real(database, target, progress)
            finally:
                monkeypatch.undo()
        return real(database, target, progress)

    monkeypatch.setattr(backup_module, "_copy_into", first_folder_full)
    made = make_backup(demo_path)
    assert refused and made.parent != refused[0]
