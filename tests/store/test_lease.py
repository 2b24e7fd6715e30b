"""The write lease: one editor at a time, read-only for the rest, stale take-over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from sro_desk.errors import ReadOnlyError
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store import lease as lease_module
from sro_desk.store.lease import (
    STALE_AFTER_SECONDS,
    Lease,
    LeaseHeld,
    LeaseLost,
    Presence,
    lock_path,
    read_lease,
)


def _age_lock(path, seconds):
    """Pretend the holder's last heartbeat was ``seconds`` ago, on another machine."""
    lock = lock_path(path)
    data = json.loads(lock.read_text())
    data["heartbeat_at"] -= seconds
    data["machine"] = "FRONT-OFFICE-PC"
    lock.write_text(json.dumps(data))
    then = time.time() - seconds  # not written since then, as the drive's own clock says
    os.utime(lock, (then, then))


def test_the_lock_file_names_user_machine_process_and_time(demo_file):
    info = read_lease(demo_file.path)
    assert info is not None
    assert info.pid == os.getpid()
    assert info.user and info.machine
    assert abs(info.heartbeat_at - time.time()) < 60
    raw = lock_path(demo_file.path).read_text()
    assert "passphrase" not in raw.lower()


def test_a_second_opener_is_refused_the_lease(demo_file):
    with pytest.raises(LeaseHeld) as caught:
        DataFile.open(demo_file.path)
    assert "open for editing by" in caught.value.message
    assert "read-only" in caught.value.message


def test_a_second_opener_can_read(demo_file):
    with DataFile.open(demo_file.path, OpenOptions(edit=False)) as reader:
        assert reader.read_only
        assert reader.query("SELECT name FROM district")[0]["name"].startswith("Granite")
        with pytest.raises(ReadOnlyError):
            with reader.write():
                pass


def test_readers_see_the_writers_saves_without_reopening(demo_file):
    with DataFile.open(demo_file.path, OpenOptions(edit=False)) as reader:
        before = reader.data_version()
        with demo_file.write():
            demo_file.conn.execute("UPDATE district SET name = 'Renamed'")
        assert reader.data_version() != before
        assert reader.query("SELECT name FROM district")[0]["name"] == "Renamed"


def test_closing_releases_the_lease(demo_path):
    with DataFile.open(demo_path):
        assert read_lease(demo_path) is not None
    assert read_lease(demo_path) is None
    with DataFile.open(demo_path) as again:
        assert not again.read_only


def test_a_fresh_lease_is_never_taken_over(demo_file):
    with pytest.raises(LeaseHeld):
        DataFile.open(demo_file.path, OpenOptions(take_over_stale=True))


def test_a_stale_lease_is_taken_over_only_when_asked(demo_path):
    first = Lease(demo_path)
    first.acquire()
    _age_lock(demo_path, STALE_AFTER_SECONDS + 60)
    with pytest.raises(LeaseHeld) as caught:
        DataFile.open(demo_path)
    assert caught.value.info.is_stale()
    assert "has not been heard from" in caught.value.message
    with DataFile.open(demo_path, OpenOptions(take_over_stale=True)) as taker:
        assert not taker.read_only
        assert read_lease(demo_path).token == taker.lease.info.token
        # The sleeping laptop wakes up: its heartbeat finds the lease gone.
        with pytest.raises(LeaseLost) as lost:
            first.heartbeat()
        assert "taken over" in lost.value.message


def test_a_dead_process_on_this_machine_leaves_a_stale_lease(demo_path):
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys\n"
            "from sro_desk.store.lease import Lease\n"
            f"Lease({str(demo_path)!r}).acquire()\n"
            "os._exit(0)\n",
        ],
        env={**os.environ},
        check=True,
    )
    assert child.returncode == 0
    holder = read_lease(demo_path)
    assert holder is not None and holder.is_stale()


def test_a_writer_who_lost_the_lease_cannot_save(demo_file):
    lock = lock_path(demo_file.path)
    data = json.loads(lock.read_text())
    data["token"] = "someone-else"
    lock.write_text(json.dumps(data))
    with pytest.raises(LeaseLost):
        with demo_file.write():
            demo_file.conn.execute("UPDATE district SET name = 'Lost'")
    assert demo_file.query("SELECT name FROM district")[0]["name"] != "Lost"


def test_heartbeat_refreshes_the_time(demo_file):
    before = read_lease(demo_file.path).heartbeat_at
    time.sleep(0.01)
    demo_file.lease.heartbeat()
    assert read_lease(demo_file.path).heartbeat_at > before


def test_a_garbled_lock_file_counts_as_held_until_it_goes_stale(demo_path):
    lock_path(demo_path).write_text("{half a lock")
    with pytest.raises(LeaseHeld):
        DataFile.open(demo_path)
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(lock_path(demo_path), (old, old))
    with DataFile.open(demo_path, OpenOptions(take_over_stale=True)) as data_file:
        assert not data_file.read_only


def test_a_read_only_folder_opens_read_only(demo_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lease_module.os, "open", refuse)
    with DataFile.open(demo_path) as data_file:
        assert data_file.read_only
        assert "lock file" in data_file.read_only_reason


def test_presence_lists_the_others(demo_path):
    mine = Presence(demo_path, editing=True)
    theirs = Presence(demo_path, editing=False)
    mine.refresh()
    theirs.refresh()
    assert [p.token for p in mine.others()] == [theirs.token]
    theirs.remove()
    assert mine.others() == []
    mine.remove()


def test_my_own_crashed_window_is_taken_over_without_asking(demo_path):
    """A lease left by this user's own SRO Desk that is no longer running on this
    computer affects nobody else, so opening again just works."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os\n"
            "from sro_desk.store.lease import Lease\n"
            f"Lease({str(demo_path)!r}).acquire()\n"
            "os._exit(0)\n",
        ],
        check=True,
    )
    assert read_lease(demo_path).is_own_crashed_window()
    with DataFile.open(demo_path) as data_file:
        assert not data_file.read_only


def test_someone_elses_dead_looking_lease_still_asks(demo_path):
    first = Lease(demo_path)
    first.acquire()
    lock = lock_path(demo_path)
    data = json.loads(lock.read_text())
    data["user"] = "principal"
    data["pid"] = 999_999_999
    lock.write_text(json.dumps(data))
    with pytest.raises(LeaseHeld):
        DataFile.open(demo_path)


def test_a_lock_file_that_vanished_is_put_back_not_given_up(demo_file):
    lock = lock_path(demo_file.path)
    lock.unlink()
    demo_file.lease.heartbeat()
    assert read_lease(demo_file.path).token == demo_file.lease.info.token
    with demo_file.write():
        demo_file.conn.execute("UPDATE district SET name = name")


def test_closing_removes_our_lock_even_after_a_scare(demo_path):
    data_file = DataFile.open(demo_path)
    data_file.lease.held = False  # as after a lost-then-recovered heartbeat
    data_file.close()
    assert not lock_path(demo_path).exists()


# -- how the lock file changes hands (store/lease.py Lease) ----------------------------


def _beside(path):
    """The files beside the data file that belong to its lock (the lock itself aside)."""
    prefix = lock_path(path).name + "."
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(prefix))


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _stale_lock(path, token="their-token"):
    stamp = time.time() - STALE_AFTER_SECONDS - 60
    lock_path(path).write_text(json.dumps({
        "user": "ana", "machine": "FRONT-OFFICE-PC", "pid": 4242, "started_at": stamp,
        "heartbeat_at": stamp, "token": token,
    }))
    os.utime(lock_path(path), (stamp, stamp))  # not written since, by the drive's own clock


def _claim(path, token, *, machine, pid, generation=1, age=0.0):
    claim = Lease(path)._claim_path(token, generation)
    claim.write_text(json.dumps({"machine": machine, "pid": pid, "token": "x"}))
    if age:
        then = time.time() - age
        os.utime(claim, (then, then))
    return claim


def test_the_lock_file_is_published_whole_and_nothing_is_left_beside_it(demo_path):
    with DataFile.open(demo_path) as data_file:
        assert read_lease(demo_path).token == data_file.lease.info.token
        data_file.lease.heartbeat()
        assert _beside(demo_path) == []
    assert not lock_path(demo_path).exists() and _beside(demo_path) == []


def test_where_hard_links_are_refused_the_lease_still_works(demo_path, monkeypatch):
    """A FAT drive or some NAS shares refuse os.link: the lock is then created in place."""
    import errno

    def refuse(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(lease_module.os, "link", refuse)
    with DataFile.open(demo_path) as data_file:
        assert not data_file.read_only
        assert read_lease(demo_path).token == data_file.lease.info.token
        with pytest.raises(LeaseHeld):
            DataFile.open(demo_path)
        data_file.lease.heartbeat()
    assert not lock_path(demo_path).exists() and _beside(demo_path) == []


def test_an_empty_lock_file_names_nobody_once_it_is_a_few_seconds_old(demo_path):
    lock_path(demo_path).write_bytes(b"")
    with pytest.raises(LeaseHeld):  # its writer may be about to fill it
        DataFile.open(demo_path)
    old = time.time() - lease_module.EMPTY_LOCK_GRACE_SECONDS - 1
    os.utime(lock_path(demo_path), (old, old))
    with DataFile.open(demo_path) as data_file:  # no take-over asked: it names nobody
        assert not data_file.read_only


def test_a_take_over_waits_for_anothers_claim_on_the_same_lease(demo_path):
    """Someone else is removing the same stale lease right now (their claim is fresh):
    the take-over is refused, the lock untouched; a claim that old is passed over."""
    _stale_lock(demo_path)
    before = lock_path(demo_path).read_bytes()
    claim = _claim(demo_path, "their-token", machine="OTHER-PC", pid=77)
    with pytest.raises(LeaseHeld):
        DataFile.open(demo_path, OpenOptions(take_over_stale=True))
    assert lock_path(demo_path).read_bytes() == before
    old = time.time() - lease_module.CLAIM_STALE_SECONDS - 1
    os.utime(claim, (old, old))
    with DataFile.open(demo_path, OpenOptions(take_over_stale=True)) as data_file:
        assert not data_file.read_only


def test_a_claim_left_by_a_process_that_died_here_is_passed_over_and_cleared(demo_path):
    _stale_lock(demo_path)
    _claim(demo_path, "their-token", machine=lease_module.machine_name(), pid=_dead_pid())
    with DataFile.open(demo_path, OpenOptions(take_over_stale=True)) as data_file:
        assert not data_file.read_only
    assert _beside(demo_path) == []  # cleared when the lease is given up


def test_files_left_by_stopped_processes_are_cleared_and_others_kept(demo_path):
    """A killed opener can leave its unpublished lock (".new") or a claim behind: cleared
    when its name or content names a process here that is gone, or it is old; another
    computer's fresh one is left alone."""
    folder = demo_path.parent
    name = lock_path(demo_path).name
    dead = {"user": "me", "machine": lease_module.machine_name(), "pid": _dead_pid(), "token": "t"}
    (folder / f"{name}.aaaa.new").write_text(json.dumps(dead))
    live = {**dead, "machine": "OTHER-PC", "pid": 5}
    (folder / f"{name}.bbbb.new").write_text(json.dumps(live))
    (folder / f"{name}.cccc.new").write_text(json.dumps(live))
    old = time.time() - lease_module.LEFTOVER_SECONDS - 1
    os.utime(folder / f"{name}.cccc.new", (old, old))
    (folder / f"{name}.stale-1234abcd").write_text(json.dumps(dead))  # from older versions
    machine_key = lease_module._machine_key(lease_module.machine_name())
    (folder / f"{name}.{machine_key}-{dead['pid']}-0123abcd.new").write_bytes(b"")  # killed mid-write
    stranger = folder / f"{name}-notes.txt"
    stranger.write_text("not ours")
    with DataFile.open(demo_path):
        pass
    assert _beside(demo_path) == [f"{name}.bbbb.new"]  # cleared when the lease is given up
    assert stranger.exists()


def test_a_heartbeat_never_brings_back_a_lease_taken_over(demo_path):
    sleeper = Lease(demo_path)
    sleeper.acquire()
    _age_lock(demo_path, STALE_AFTER_SECONDS + 60)
    with DataFile.open(demo_path, OpenOptions(take_over_stale=True)) as taker:
        with pytest.raises(LeaseLost):
            sleeper.heartbeat()
        assert read_lease(demo_path).token == taker.lease.info.token
        sleeper.release()  # the laptop closes its window: the taker's lock stays
        assert read_lease(demo_path).token == taker.lease.info.token


def _other_computers_lock(path, *, clock_off_by: float, written_ago: float, beat: int = 3):
    """A lock written ``written_ago`` seconds ago (by the drive's clock) by a computer
    whose own clock is ``clock_off_by`` seconds off."""
    stamp = time.time() + clock_off_by - written_ago
    lock_path(path).write_text(json.dumps({
        "user": "ana", "machine": "FRONT-OFFICE-PC", "pid": 4242, "started_at": stamp,
        "heartbeat_at": stamp, "token": "their-token", "beat": beat,
    }))
    then = time.time() - written_ago
    os.utime(lock_path(path), (then, then))


def test_a_live_editor_whose_clock_is_behind_is_not_offered_for_take_over(demo_path):
    """Their clock ten minutes slow made a live lease look stale at once."""
    _other_computers_lock(demo_path, clock_off_by=-600, written_ago=5)
    info = read_lease(demo_path)
    assert not info.is_stale() and info.age() < 60
    with pytest.raises(LeaseHeld) as held:
        DataFile.open(demo_path, OpenOptions(take_over_stale=True))
    assert "has not been heard from" not in held.value.message


def test_a_stopped_editor_whose_clock_was_ahead_goes_stale_on_time(demo_path):
    """Their clock an hour fast kept a dead lease 'fresh' for 65 minutes."""
    _other_computers_lock(demo_path, clock_off_by=3600, written_ago=STALE_AFTER_SECONDS + 30)
    assert read_lease(demo_path).is_stale()
    with DataFile.open(demo_path, OpenOptions(take_over_stale=True)) as taker:
        assert not taker.read_only


def test_a_heartbeat_seen_to_change_is_alive_whatever_its_stamp(demo_path):
    """A reader watching the counter: a beat that moved means the holder is alive now."""
    _other_computers_lock(demo_path, clock_off_by=-7200, written_ago=0, beat=3)
    read_lease(demo_path)
    _other_computers_lock(demo_path, clock_off_by=-7200, written_ago=STALE_AFTER_SECONDS * 2, beat=4)
    assert not read_lease(demo_path).is_stale()  # we saw it beat this instant
