"""Confidential complainant identities under crashes, hostile passphrases and other
people's copies of the file.

- Crash leftovers: a writer taking confidential intakes, and one changing the passphrase
  back and forth (re-sealing every identity in one transaction), each SIGKILLed at random
  moments. After each kill: neither the file nor the journal beside it (before and after
  recovery) holds an identity or a passphrase in plain text (UTF-8, UTF-16-LE, lower
  case); the file opens and passes ``PRAGMA integrity_check``; its key record unlocks
  with exactly one of the two passphrases and every sealed identity opens with that key
  and is the identity that was recorded; every acknowledged intake is there, sealed.
- Hostile passphrases and tampered key records: each call in a forked child with a
  time limit; a sentence (ValidationError / SroDeskError) or success, nothing else.
- Other people's files: a backup or a copy opened without the passphrase says only that
  a confidential complainant exists.

The kill parts store their keys with scrypt's lowest allowed cost (n = 2**14, which the
stored record names, so unlocking honours it): the same code, eight times faster, so
that a few dozen kills fit in a minute.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import random
import re
import signal
import time
from datetime import date, timedelta
from pathlib import Path

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records import complaints
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.store import DataFile, crypto
from sro_desk.store.lease import lock_path
from tests.reliability.common import Figures, copy_file, journal_of, make_district_file, read_all
from tests.reliability.crashes import is_hot

PASSPHRASE_A = "Quorvex amber lantern ferry"
PASSPHRASE_B = "Tindlewick basalt orchard nine"
#: Markers every crash identity carries in its name, contact and details.
MARKERS = ("Quillonbury", "quillmail", "Quillfield")
#: Confidential complaints in the base file, re-sealed by each passphrase change.
BASE_IDENTITIES = 60
INTAKE = re.compile(r"^crash intake c(\d+)$")
BASE = re.compile(r"^crash base b(\d+)$")
RUNS_PER_FILE = 25


def identity_for(number: int) -> Identity:
    return Identity(
        name=f"Ottoline Quillonbury{number}",
        contact=f"otto{number}@quillmail.example, 617-555-{number:04d}",
        details=f"Grandparent of a student at Quillfield campus, room {number}B",
    )


def secrets() -> list[str]:
    return [*MARKERS, PASSPHRASE_A, PASSPHRASE_B]


def plain_text_in(data: bytes) -> list[str]:
    """Which secrets ``data`` holds, in UTF-8 or UTF-16-LE, as typed or lower case."""
    found = []
    for text in secrets():
        for variant in {text, text.lower()}:
            for encoding in ("utf-8", "utf-16-le"):
                if variant.encode(encoding) in data:
                    found.append(f"{variant!r} ({encoding})")
    return found


@contextlib.contextmanager
def cheap_scrypt():
    saved, defaults = crypto._N, crypto._derive.__defaults__
    crypto._N = 2**14
    crypto._derive.__defaults__ = (2**14, *defaults[1:])  # (its default n is bound at import)
    try:
        yield
    finally:
        crypto._N, crypto._derive.__defaults__ = saved, defaults


def _complaint(description: str) -> Complaint:
    return Complaint(
        received_on=(date.today() - timedelta(days=5)).isoformat(), channel="form", subject="sro",
        category="conduct", description=description, confidential=True, complainant_role="parent",
        preferred_language="Spanish",
    )


def make_confidential_base(path: Path) -> Path:
    """The sample district with passphrase A and ``BASE_IDENTITIES`` confidential complaints."""
    make_district_file(path)
    with cheap_scrypt(), DataFile.open(path) as data_file:
        key = complaints.set_passphrase(data_file, PASSPHRASE_A)
        for number in range(1, BASE_IDENTITIES + 1):
            complaints.save_complaint(
                data_file, _complaint(f"crash base b{number}"), identity_for(1000 + number), key=key)
    return path


# -- the writers -------------------------------------------------------------------------


def _unlock_either(data_file: DataFile) -> tuple[str, crypto.IdentityKey]:
    try:
        return PASSPHRASE_A, complaints.unlock(data_file, PASSPHRASE_A)
    except ValidationError:
        return PASSPHRASE_B, complaints.unlock(data_file, PASSPHRASE_B)


def intake_until_killed(path: Path, ack_fd: int, spill: bool) -> None:
    data_file = DataFile.open(path)
    if spill:
        data_file.conn.execute("PRAGMA cache_size = 1")
    _, key = _unlock_either(data_file)
    numbers = [0] + [int(m[1]) for r in data_file.query("SELECT description FROM complaint")
                     if (m := INTAKE.match(r["description"]))]
    number = max(numbers) + 1
    os.write(ack_fd, b"open\n")
    while True:
        complaints.save_complaint(data_file, _complaint(f"crash intake c{number}"), identity_for(number), key=key)
        os.write(ack_fd, f"intake {number}\n".encode())
        number += 1


def change_until_killed(path: Path, ack_fd: int, spill: bool) -> None:
    data_file = DataFile.open(path)
    if spill:
        data_file.conn.execute("PRAGMA cache_size = 1")
    current, key = _unlock_either(data_file)
    derive = crypto.new_key_record

    def derived_then_say_so(passphrase):  # the re-sealing transaction starts next
        found = derive(passphrase)
        os.write(ack_fd, b"sealing\n")
        return found

    crypto.new_key_record = derived_then_say_so  # (this forked child's own module)
    os.write(ack_fd, b"open\n")
    while True:
        new = PASSPHRASE_B if current == PASSPHRASE_A else PASSPHRASE_A
        key = complaints.set_passphrase(data_file, new, current=key)
        current = new
        os.write(ack_fd, f"changed {'A' if new == PASSPHRASE_A else 'B'}\n".encode())


def _kill_writer(
    target, path: Path, rng: random.Random, latest: float, aim: str = ""
) -> tuple[list[str], bool]:
    read_end, write_end = os.pipe()
    aimed = bool(aim) and rng.random() < 0.5
    spill = aimed or rng.random() < 0.5  # aimed kills spill, so their pages reach the file
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(read_end)
            target(path, write_end, spill)
        except BaseException as exc:  # noqa: BLE001 (reported to the parent)
            text = f"writer failed: {type(exc).__name__}: {exc}".replace("\n", " ")
            with contextlib.suppress(OSError):
                os.write(write_end, (text + "\n").encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    early = b""
    if aimed:  # aimed: just after the writer says a transaction starts
        while aim.encode() not in early and (chunk := os.read(read_end, 4096)):
            early += chunk
        time.sleep(rng.uniform(0, 0.03))
    else:
        time.sleep(rng.uniform(0.02, latest))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    lines = [line for line in (early.decode() + read_all(read_end)).splitlines() if line != aim]
    return lines, os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


# -- checking after a kill ---------------------------------------------------------------


def _check_after_kill(path: Path, lines: list[str], acked: set[int], figures: Figures) -> None:
    if errors := [line for line in lines if line.startswith("writer failed")]:
        figures.failures.append(errors[0])
        return
    problems: list[str] = []
    journal = journal_of(path)
    figures.hot_journals += is_hot(journal)
    for what, where in (("the data file", path), ("the journal beside it", journal)):
        if where.exists() and (found := plain_text_in(where.read_bytes())):
            problems.append(f"{what} holds in plain text after a kill: {found}")
    acked |= {int(line.split()[1]) for line in lines if line.startswith("intake ")}
    changes = sum(line.startswith("changed ") for line in lines)
    figures.transactions_checked += len([line for line in lines if line != "open"])
    try:
        with DataFile.open(path) as data_file:  # for editing: rolls a hot journal back
            integrity = [r[0] for r in data_file.conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                problems.append(f"integrity_check after a kill: {integrity[:3]}")
            problems += _identity_problems(data_file, acked, figures)
    except SroDeskError as exc:
        figures.heard(exc.message)
        problems.append(f"the file did not open after a kill: {exc.message}")
    if is_hot(journal):
        problems.append("a hot journal was still there after opening for editing")
    for what, where in (("the data file after recovery", path), ("the journal after recovery", journal)):
        if where.exists() and (found := plain_text_in(where.read_bytes())):
            problems.append(f"{what} holds in plain text: {found}")
    figures.calls += changes
    figures.failures += problems
    if not problems:
        figures.survived += 1


def _identity_problems(data_file: DataFile, acked: set[int], figures: Figures) -> list[str]:
    problems = []
    opened = []
    for passphrase in (PASSPHRASE_A, PASSPHRASE_B):
        try:
            opened.append((passphrase, complaints.unlock(data_file, passphrase)))
        except ValidationError as exc:
            figures.heard(exc.message)
    if len(opened) != 1:
        return [f"the key record unlocks with {len(opened)} of the two passphrases"]
    figures.count(f"passphrase {'A' if opened[0][0] == PASSPHRASE_A else 'B'} after the kill")
    key = opened[0][1]
    present = set()
    for row in data_file.query("SELECT id, description, confidential, identity_sealed, name, contact, details "
                               "FROM complaint"):
        match = INTAKE.match(row["description"]) or BASE.match(row["description"])
        if not match:
            continue
        number = int(match[1]) + (1000 if row["description"].startswith("crash base") else 0)
        if INTAKE.match(row["description"]):
            present.add(number)
        if not row["confidential"] or row["name"] or row["contact"] or row["details"]:
            problems.append(f"complaint {row['id']} is not kept confidential")
        if row["identity_sealed"] is None:
            problems.append(f"complaint {row['id']} was left without its sealed identity")
            continue
        try:
            identity = Identity(**json.loads(key.open(row["identity_sealed"], f"complaint:{row['id']}")))
        except SroDeskError:
            problems.append(f"complaint {row['id']}'s identity does not open with the file's passphrase")
            continue
        if identity != identity_for(number):
            problems.append(f"complaint {row['id']} opened to another identity: {identity}")
    if missing := sorted(acked - present):
        problems.append(f"acknowledged confidential intakes are missing: {missing[:5]}")
    return problems


def run_confidential_kills(folder: Path, kills: int, *, kind: str, seed: int = 20261124) -> Figures:
    """``kills`` writers of ``kind`` ("intake" or "passphrase") killed, each checked."""
    target, latest, aim = {"intake": (intake_until_killed, 0.25, ""),
                           "passphrase": (change_until_killed, 0.45, "sealing")}[kind]
    figures = Figures()
    rng = random.Random(seed)
    with cheap_scrypt():
        base = make_confidential_base(folder / f"{kind}-base.db")
        path = folder / kind / "district.db"
        acked: set[int] = set()
        for run in range(kills):
            if run % RUNS_PER_FILE == 0:
                for leftover in (journal_of(path), lock_path(path)):
                    leftover.unlink(missing_ok=True)
                copy_file(base, path)
                acked = set()
            lines, killed = _kill_writer(target, path, rng, latest, aim)
            figures.runs += 1
            figures.kills += killed
            if not killed:
                figures.failures.append(f"a writer ended before it was killed: {lines[-1:]}")
            _check_after_kill(path, lines, acked, figures)
    return figures


# -- hostile passphrases and tampered key records ----------------------------------------


HOSTILE_PASSPHRASES = {
    "10,000 characters": "correct horse battery staple " * 344 + "end",
    "right-to-left": "\u202eكلمة المرور السرية\u202c שלום עולם",
    "emoji": "🔐🦄👨‍👩‍👧‍👦🏳️‍🌈 passphrase 🎉🎉",
    "control characters": "\x00\x01\x07\x1b[31m\r\n\t\x7f\u200b\ufeffpass",
    "whitespace only": " \t\u00a0\u2003\u3000   \t  ",
    "empty": "",
    "combining marks": "e\u0301" * 12,
}

#: Key records as a tampered or damaged file might hold them.
_GOOD = {"kdf": "scrypt", "n": 2**14, "r": 8, "p": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "check": "AAAA"}
TAMPERED_RECORDS = {
    "garbage": "\x00\xff not json at all {",
    "empty": "",
    "a JSON list": "[1, 2, 3]",
    "JSON null": "null",
    "n too large": json.dumps({**_GOOD, "n": 2**40}),
    "n too small": json.dumps({**_GOOD, "n": 2}),
    "n not a power of two": json.dumps({**_GOOD, "n": 2**17 + 1}),
    "n negative": json.dumps({**_GOOD, "n": -(2**17)}),
    "n zero": json.dumps({**_GOOD, "n": 0}),
    "n a huge number": json.dumps({**_GOOD, "n": 10**400}),
    "n infinite": '{"kdf": "scrypt", "n": Infinity, "r": 8, "p": 1, "salt": "AAAA", "check": "AAAA"}',
    "n not a number": '{"kdf": "scrypt", "n": NaN, "r": 8, "p": 1, "salt": "AAAA", "check": "AAAA"}',
    "n a word": json.dumps({**_GOOD, "n": "many"}),
    "r too large": json.dumps({**_GOOD, "r": 10**6}),
    "r zero": json.dumps({**_GOOD, "r": 0}),
    "p too large": json.dumps({**_GOOD, "p": 10**6}),
    "every cost at its largest": json.dumps({**_GOOD, "n": 2**20, "r": 16, "p": 4}),
    "salt missing": json.dumps({k: v for k, v in _GOOD.items() if k != "salt"}),
    "salt not base64": json.dumps({**_GOOD, "salt": "!!!"}),
    "salt a number": json.dumps({**_GOOD, "salt": 42}),
    "check missing": json.dumps({k: v for k, v in _GOOD.items() if k != "check"}),
    "check a number": json.dumps({**_GOOD, "check": 42}),
    "check not ascii": json.dumps({**_GOOD, "check": "ü" * 40}),
    "check garbage": json.dumps({**_GOOD, "check": "Zm9vYmFy" * 10}),
}


def _in_child(call, limit: float) -> tuple[str, str, float]:
    """Run ``call`` in a forked child; (outcome, detail, seconds). Outcomes: "ok",
    "sentence" (a SroDeskError; detail is its message), "unexpected", "hang"."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            try:
                call()
                result = ("ok", "")
            except SroDeskError as exc:
                result = ("sentence", exc.message)
            except BaseException as exc:  # noqa: BLE001
                result = ("unexpected", f"{type(exc).__name__}: {exc}")
            os.write(write_end, pickle.dumps(result))
        finally:
            os._exit(0)
    os.close(write_end)
    while time.monotonic() - started < limit:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return "hang", f"still running after {limit:.0f} s", time.monotonic() - started
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    outcome, detail = pickle.loads(b"".join(chunks)) if chunks else ("unexpected", "the child died")
    return outcome, detail, time.monotonic() - started


def run_hostile_passphrases(folder: Path, *, limit: float = 30.0) -> Figures:
    """Each hostile passphrase set on a fresh file, unlocked, used to change the passphrase
    and tried against a file with another passphrase; each tampered key record unlocked."""
    figures = Figures()
    fresh = make_district_file(folder / "fresh.db")
    locked = make_confidential_base(folder / "locked.db")

    def judge(what: str, call, allowed=("ok", "sentence")) -> None:
        outcome, detail, seconds = _in_child(call, limit)
        figures.calls += 1
        figures.count(outcome)
        figures.outcomes["slowest call (ms)"] = max(figures.outcomes.get("slowest call (ms)", 0),
                                                     int(seconds * 1000))
        if outcome == "sentence":
            figures.heard(detail)
        if outcome not in allowed:
            figures.failures.append(f"{what}: {outcome} ({detail})")

    for label, passphrase in HOSTILE_PASSPHRASES.items():
        figures.inputs_tried += 1
        target = copy_file(fresh, folder / "hostile" / f"{len(os.listdir(folder))}.db")

        def set_then_unlock(target=target, passphrase=passphrase):
            with DataFile.open(target) as data_file:
                complaints.set_passphrase(data_file, passphrase)
                complaints.unlock(data_file, passphrase)  # what was set opens
                try:
                    complaints.unlock(data_file, passphrase + "x")
                except ValidationError:
                    return
                raise AssertionError("another passphrase unlocked it too")

        judge(f"setting the passphrase {label}", set_then_unlock)

        def against_another(passphrase=passphrase):
            with DataFile.open(copy_file(locked, folder / "hostile" / "locked.db")) as data_file:
                complaints.unlock(data_file, passphrase)

        judge(f"unlocking with the passphrase {label}", against_another, allowed=("sentence",))

        def change_to(passphrase=passphrase):
            with DataFile.open(copy_file(locked, folder / "hostile" / "change.db")) as data_file:
                key = complaints.unlock(data_file, PASSPHRASE_A)
                complaints.set_passphrase(data_file, passphrase, current=key)
                fresh_key = complaints.unlock(data_file, passphrase)
                row = data_file.query("SELECT id, identity_sealed FROM complaint "
                                      "WHERE identity_sealed IS NOT NULL ORDER BY id LIMIT 1")[0]
                assert json.loads(fresh_key.open(row["identity_sealed"], f"complaint:{row['id']}"))["name"]

        with cheap_scrypt():
            judge(f"changing the passphrase to {label}", change_to)

    for label, record in TAMPERED_RECORDS.items():
        figures.inputs_tried += 1
        target = copy_file(locked, folder / "tampered" / "district.db")
        with DataFile.open(target) as data_file:
            data_file.conn.execute("UPDATE setting SET value = ? WHERE key = ?", (record, complaints.KEY_SETTING))
            data_file.conn.commit()

        def unlock_tampered(target=target):
            with DataFile.open(target) as data_file:
                complaints.unlock(data_file, PASSPHRASE_A)

        judge(f"unlocking a key record with {label}", unlock_tampered, allowed=("sentence",))
    return figures


# -- other people's files ----------------------------------------------------------------


def other_peoples_files(path: Path, folder: Path, confidential: list[str], plain_name: str) -> list[str]:
    """What a backup or a plain copy of ``path`` shows to someone without the passphrase:
    ``confidential`` are the identities' texts, ``plain_name`` a complainant who did not
    ask for confidentiality (found, to prove the searches can see names)."""
    from sro_desk.records.search import search
    from sro_desk.store.backup import make_backup

    problems = []
    copies = {
        "a backup": make_backup(path, to=folder / "backups"),
        "a plain copy": copy_file(path, folder / "copy" / "district.db"),
    }
    for what, copy in copies.items():
        with DataFile.open(copy) as data_file:
            sealed = [r["id"] for r in data_file.query("SELECT id FROM complaint WHERE identity_sealed IS NOT NULL")]
            if not sealed:
                problems.append(f"{what} holds no sealed identity (the check proves nothing)")
            for complaint_id in sealed:
                complaint = complaints.load_complaint(data_file, complaint_id)
                if complaint.identity is not None or not complaint.has_sealed_identity or not complaint.confidential:
                    problems.append(f"{what}: complaint {complaint_id} does not say only that a confidential "
                                    "complainant exists")
            years = [r["school_year"] for r in data_file.query("SELECT DISTINCT school_year FROM complaint")]
            shown = ""
            for year in years:
                shown += repr(complaints.complaints_for(data_file, year))
                shown += repr(complaints.printable_log(data_file, year))
            if found := [t for t in confidential if t in shown]:
                problems.append(f"{what}: the complaint list or log shows {found}")
            if plain_name not in shown:
                problems.append(f"{what}: the list does not show a plain complainant (the check proves nothing)")
            for text in [*confidential, plain_name]:
                for word in text.replace(",", " ").split():
                    groups = search(data_file, word)
                    hits = [h for g in groups if g.kind == "complaint" for h in g.hits]
                    if text in confidential and (named := [h for h in hits if h.record_id in sealed]):
                        problems.append(f"{what}: searching {word!r} finds confidential complaint "
                                        f"{named[0].record_id}")
                    words = repr(groups)
                    if found := [t for t in confidential if t in words]:
                        problems.append(f"{what}: a search shows {found}")
            try:
                complaints.unlock(data_file, "somebody's guess at the passphrase")
                problems.append(f"{what}: a wrong passphrase unlocked it")
            except ValidationError:
                pass
    return problems
