"""Complaints: the workflow, deadlines, voiding, and confidentiality tested as an attacker."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.errors import ReadOnlyError, SroDeskError, ValidationError
from sro_desk.records import complaints as cmp
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import list_backups, make_backup
from tests.reads import reads

TODAY = date(2026, 11, 22)
SECRET = "Evangelina Quixote-Marsh"
PASSPHRASE = "lantern orchard velvet compass"


def _new(**changes) -> Complaint:
    base = dict(received_on="2026-10-01", channel="form", subject="sro", category="conduct",
                description="The officer raised his voice at my son in the hallway.")
    return Complaint(**{**base, **changes})


@pytest.fixture
def key(demo_file):
    return cmp.set_passphrase(demo_file, PASSPHRASE)


def test_a_confidential_identity_needs_the_passphrase(demo_file, key):
    with pytest.raises(SroDeskError) as caught:
        cmp.save_complaint(demo_file, _new(confidential=True), Identity(SECRET, "617-555-0100"), today=TODAY)
    assert "Unlock" in caught.value.message
    assert demo_file.query("SELECT count(*) AS n FROM complaint")[0]["n"] == 0
    complaint_id = cmp.save_complaint(demo_file, _new(confidential=True), Identity(SECRET, "617-555-0100"),
                                      key=key, today=TODAY)
    stored = cmp.load_complaint(demo_file, complaint_id)
    assert stored.confidential and stored.identity is None and stored.has_sealed_identity
    again = cmp.unlock(demo_file, PASSPHRASE)
    assert cmp.reveal(demo_file, stored, again).name == SECRET
    reveals = demo_file.query("SELECT * FROM audit_log WHERE action = 'reveal identity'")
    assert len(reveals) == 1 and reveals[0]["row_id"] == complaint_id
    assert SECRET not in reveals[0]["changes"]


def test_a_wrong_passphrase_reads_nothing(demo_file, key):
    cmp.save_complaint(demo_file, _new(confidential=True), Identity(SECRET), key=key, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        cmp.unlock(demo_file, "not the passphrase at all")
    assert "not the district's passphrase" in caught.value.message
    with pytest.raises(ValidationError):
        cmp.set_passphrase(demo_file, "short", current=key)


def test_changing_the_passphrase_reseals_every_identity(demo_file, key):
    complaint_id = cmp.save_complaint(demo_file, _new(confidential=True), Identity(SECRET), key=key, today=TODAY)
    with pytest.raises(SroDeskError):
        cmp.set_passphrase(demo_file, "a brand new passphrase")  # not unlocked
    cmp.set_passphrase(demo_file, "a brand new passphrase", current=key)
    with pytest.raises(ValidationError):
        cmp.unlock(demo_file, PASSPHRASE)
    fresh = cmp.unlock(demo_file, "a brand new passphrase")
    assert cmp.reveal(demo_file, cmp.load_complaint(demo_file, complaint_id), fresh).name == SECRET


def test_reveal_is_refused_read_only_because_it_must_be_logged(demo_path):
    with DataFile.open(demo_path) as data_file:
        key = cmp.set_passphrase(data_file, PASSPHRASE)
        complaint_id = cmp.save_complaint(data_file, _new(confidential=True), Identity(SECRET), key=key, today=TODAY)
    with DataFile.open(demo_path, OpenOptions(edit=False)) as reader:
        with pytest.raises(ReadOnlyError):
            cmp.reveal(reader, cmp.load_complaint(reader, complaint_id), cmp.unlock(reader, PASSPHRASE))


def test_the_name_is_nowhere_in_the_file_journal_backups_audit_logs_or_printouts(demo_path, sro_home, tmp_path):
    """As an attacker would: search every byte SRO Desk writes for the confidential name."""
    from sro_desk.documents.complaint_log import build_complaint_log_pdf
    from sro_desk.logs import log_file

    needles = [SECRET.encode("utf-8"), SECRET.encode("utf-16-le"), SECRET.lower().encode("utf-8"),
               b"617-555-0199"]
    with DataFile.open(demo_path) as data_file:
        key = cmp.set_passphrase(data_file, PASSPHRASE)
        complaint_id = cmp.save_complaint(
            data_file, _new(confidential=True),
            Identity(SECRET, "617-555-0199", "Mother of a grade 9 student"), key=key, today=TODAY)
        complaint = cmp.load_complaint(data_file, complaint_id)
        cmp.reveal(data_file, complaint, key)
        cmp.acknowledge(data_file, cmp.load_complaint(data_file, complaint_id), "2026-10-02", today=TODAY)
        log_pdf = tmp_path / "log.pdf"
        build_complaint_log_pdf(cmp.printable_log(data_file, "2026-2027"), log_pdf)
        audit = "".join(r["changes"] or "" for r in data_file.query("SELECT changes FROM audit_log"))
    make_backup(demo_path)
    files = [demo_path, log_pdf, *list_backups(demo_path)]
    journal = demo_path.with_name(demo_path.name + "-journal")
    if journal.exists():
        files.append(journal)
    if log_file().exists():
        files.append(log_file())
    files += [p for p in sro_home.rglob("*") if p.is_file()]
    assert len(list_backups(demo_path)) >= 2
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, (path, needle)
    assert SECRET not in audit


def test_the_workflow_goes_in_order(demo_file):
    complaint_id = cmp.save_complaint(demo_file, _new(), Identity("Pat Doe", "pat@example.org"), today=TODAY)

    def fresh():
        return cmp.load_complaint(demo_file, complaint_id)

    with pytest.raises(ValidationError):
        cmp.start_review(demo_file, fresh(), "2026-10-03", "Assistant Superintendent", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        cmp.acknowledge(demo_file, fresh(), "2026-09-30", today=TODAY)
    assert "cannot come before" in caught.value.message
    cmp.acknowledge(demo_file, fresh(), "2026-10-02", today=TODAY)
    cmp.start_review(demo_file, fresh(), "2026-10-03", "Assistant Superintendent", police_process=True, today=TODAY)
    with pytest.raises(ValidationError):
        cmp.record_finding(demo_file, fresh(), "guilty", "2026-10-20", today=TODAY)
    cmp.record_finding(demo_file, fresh(), "substantiated", "2026-10-20", today=TODAY)
    with pytest.raises(ValidationError):
        cmp.close(demo_file, fresh(), "2026-10-21", today=TODAY)
    cmp.record_communication(demo_file, fresh(), "2026-10-22", "Letter", "Spanish", today=TODAY)
    cmp.close(demo_file, fresh(), "2026-10-23", today=TODAY)
    done = fresh()
    assert done.status == "closed"
    assert [what for _, what in done.timeline()][0] == "Received"
    assert done.identity.name == "Pat Doe"  # not confidential: kept as typed


def test_overdue_by_the_targets(demo_file):
    cmp.set_targets(demo_file, 5, 30)
    unacked = cmp.save_complaint(demo_file, _new(received_on="2026-11-10"), today=TODAY)
    slow = cmp.save_complaint(demo_file, _new(received_on="2026-10-01"), today=TODAY)
    cmp.acknowledge(demo_file, cmp.load_complaint(demo_file, slow), "2026-10-02", today=TODAY)
    cmp.save_complaint(demo_file, _new(received_on="2026-11-20"), today=TODAY)  # within both targets
    late = {c.id: sentence for c, sentence in cmp.overdue(demo_file, today=TODAY)}
    assert set(late) == {unacked, slow}
    assert "not been acknowledged" in late[unacked] and "30-day target" in late[slow]
    with pytest.raises(ValidationError):
        cmp.set_targets(demo_file, 40, 30)


def test_a_complaint_is_voided_never_deleted(demo_file):
    complaint_id = cmp.save_complaint(demo_file, _new(), today=TODAY)
    with pytest.raises(ValidationError):
        cmp.void(demo_file, cmp.load_complaint(demo_file, complaint_id), "oops")
    cmp.void(demo_file, cmp.load_complaint(demo_file, complaint_id), "Entered twice by mistake; see complaint 2.")
    voided = cmp.load_complaint(demo_file, complaint_id)
    assert voided.voided and voided.void_reason.startswith("Entered twice")
    with pytest.raises(SroDeskError):
        cmp.acknowledge(demo_file, voided, "2026-10-02", today=TODAY)
    stats = cmp.stats(demo_file, "2026-2027")
    assert stats.total == 0 and stats.voided == 1
    assert demo_file.query("SELECT count(*) AS n FROM complaint")[0]["n"] == 1


def test_the_second_track_is_for_concerns_about_staff(demo_file):
    with pytest.raises(ValidationError):
        cmp.save_complaint(demo_file, _new(track="sro_concern", subject="sro", complainant_role="officer"), today=TODAY)
    cmp.save_complaint(demo_file, _new(track="sro_concern", subject="teacher", complainant_role="officer"), today=TODAY)


def test_the_yearly_notice(demo_file):
    done, sentence = cmp.notice_status(demo_file, "2026-2027", today=date(2026, 7, 10))
    assert not done and "by October 1, 2026" in sentence
    done, sentence = cmp.notice_status(demo_file, "2026-2027", today=TODAY)
    assert not done and "days ago" in sentence
    for audience in cmp.AUDIENCES:
        cmp.record_notice(demo_file, "2026-2027", "2026-09-02", "handbook", audience, today=TODAY)
    assert cmp.notice_status(demo_file, "2026-2027", today=TODAY)[0]


def test_statistics_for_the_log(demo_file):
    for received, communicated in (("2026-09-01", "2026-09-11"), ("2026-09-05", "2026-10-25")):
        complaint_id = cmp.save_complaint(demo_file, _new(received_on=received), today=TODAY)
        for step in (
            lambda c: cmp.acknowledge(demo_file, c, received, today=TODAY),
            lambda c: cmp.start_review(demo_file, c, received, "Principal", today=TODAY),
            lambda c: cmp.record_finding(demo_file, c, "not_substantiated", received, today=TODAY),
            lambda c: cmp.record_communication(demo_file, c, communicated, "Phone", "English", today=TODAY),
        ):
            step(cmp.load_complaint(demo_file, complaint_id))
    stats = cmp.stats(demo_file, "2026-2027")
    assert stats.total == 2 and stats.median_days == 30 and stats.longest_days == 50
    assert stats.on_time_rate == "1 of 2 within 30 days"
    assert stats.by_finding == {"Not substantiated": 2}


def test_the_demo_has_a_year_of_complaints_some_confidential(new_file):
    from sro_desk.records.demo import DEMO_PASSPHRASE, create_demo

    create_demo(new_file, today=TODAY)
    year = cmp.complaints_for(new_file, "2025-2026")
    assert len({c.preferred_language for c in year}) >= 4
    confidential = [c for c in year if c.confidential]
    assert len(confidential) >= 3 and all(c.identity is None for c in confidential)
    key = cmp.unlock(new_file, DEMO_PASSPHRASE)
    assert cmp.reveal(new_file, confidential[0], key).name
    assert any(c.voided for c in year) and any(c.track == "sro_concern" for c in year)
    assert cmp.notice_status(new_file, "2025-2026", today=TODAY)[0]
    assert new_file.path.read_bytes().find("Lucía Ramírez".encode()) == -1


@pytest.mark.parametrize(("language", "code"), [("Spanish", "es"), ("Vietnamese", "vi"), ("Chinese", "zh"), ("Tagalog", "en")])
def test_the_resolution_letter_in_the_complainants_language(demo_file, key, tmp_path, language, code):
    import pdfplumber

    from sro_desk.documents.complaint_letter import build_complaint_letter_pdf

    complaint_id = cmp.save_complaint(demo_file, _new(preferred_language=language, confidential=True),
                                      Identity(SECRET), key=key, today=TODAY)
    for step in (
        lambda c: cmp.acknowledge(demo_file, c, "2026-10-02", today=TODAY),
        lambda c: cmp.start_review(demo_file, c, "2026-10-03", "Principal", today=TODAY),
        lambda c: cmp.record_finding(demo_file, c, "exonerated", "2026-10-09", today=TODAY),
    ):
        step(cmp.load_complaint(demo_file, complaint_id))
    complaint = cmp.load_complaint(demo_file, complaint_id)
    anonymous = cmp.printable_letter(demo_file, complaint, today=TODAY)
    assert anonymous.name == "" and anonymous.text["language"] == code
    assert bool(anonymous.note) == (code == "en")
    with pytest.raises(SroDeskError):
        cmp.printable_letter(demo_file, complaint, include_name=True, today=TODAY)
    named = cmp.printable_letter(demo_file, complaint, key=key, include_name=True, today=TODAY)
    assert named.name == SECRET
    out = tmp_path / "letter.pdf"
    build_complaint_letter_pdf(named, out)
    with pdfplumber.open(out) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", "")
    assert named.text["findings"]["exonerated"].replace(" ", "") in text
    assert SECRET.replace(" ", "") in text
    reveals = demo_file.query("SELECT count(*) AS n FROM audit_log WHERE action = 'reveal identity'")[0]["n"]
    assert reveals == 1


def test_the_audit_log_never_keeps_a_ciphertext_or_the_key_record(demo_file, key):
    complaint_id = cmp.save_complaint(demo_file, _new(confidential=True), Identity(SECRET), key=key, today=TODAY)
    cmp.set_passphrase(demo_file, "a brand new passphrase", current=key)
    sealed = demo_file.query("SELECT identity_sealed FROM complaint WHERE id = ?", (complaint_id,))[0]["identity_sealed"]
    audit = " ".join(r["changes"] for r in demo_file.query("SELECT changes FROM audit_log"))
    assert sealed[:24] not in audit
    assert '"salt"' not in audit and "check" not in audit
    assert "<not recorded>" in audit


def test_a_step_already_taken_is_refused(demo_file):
    complaint_id = cmp.save_complaint(demo_file, _new(), today=TODAY)
    cmp.acknowledge(demo_file, cmp.load_complaint(demo_file, complaint_id), "2026-10-02", today=TODAY)
    cmp.start_review(demo_file, cmp.load_complaint(demo_file, complaint_id), "2026-10-05", "Principal", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        cmp.acknowledge(demo_file, cmp.load_complaint(demo_file, complaint_id), "2026-10-20", today=TODAY)
    assert "already recorded" in caught.value.message


def test_intake_corrections_cannot_flip_confidentiality_or_touch_a_voided_complaint(demo_file, key):
    complaint_id = cmp.save_complaint(demo_file, _new(), Identity("Pat Doe"), today=TODAY)
    stored = cmp.load_complaint(demo_file, complaint_id)
    stored.confidential = True
    with pytest.raises(ValidationError):
        cmp.save_complaint(demo_file, stored, key=key, today=TODAY)
    cmp.void(demo_file, cmp.load_complaint(demo_file, complaint_id), "Entered for the wrong school year.")
    with pytest.raises(SroDeskError):
        cmp.save_complaint(demo_file, cmp.load_complaint(demo_file, complaint_id), today=TODAY)


def test_open_complaints_past_the_target_count_as_late(demo_file):
    cmp.save_complaint(demo_file, _new(received_on="2026-09-01"), today=TODAY)
    assert cmp.stats(demo_file, "2026-2027").on_time_rate.startswith("0 of 1 within 30 days (1 still open")


def test_a_confidential_timeline_leaves_out_the_language():
    complaint = _new(confidential=True, finding="unfounded", finding_on="2026-10-05",
                     communicated_on="2026-10-06", communicated_method="Letter", communicated_language="Haitian Creole")
    assert "Haitian" not in " ".join(what for _, what in complaint.timeline())


def test_an_old_notice_does_not_count_for_this_year(demo_file):
    for audience in cmp.AUDIENCES:
        cmp.record_notice(demo_file, "2026-2027", "2024-09-01", "handbook", audience, today=TODAY)
    assert not cmp.notice_status(demo_file, "2026-2027", today=TODAY)[0]


@pytest.mark.parametrize("passphrase, sentence", [
    (" " * 20, "spaces alone"),
    ("orchard lantern \ud800 compass", "cannot be stored"),
])
def test_a_passphrase_of_spaces_or_an_unstorable_character_is_refused(demo_file, passphrase, sentence):
    with pytest.raises(ValidationError) as caught:
        cmp.set_passphrase(demo_file, passphrase)
    assert sentence in caught.value.message
    assert not cmp.passphrase_is_set(demo_file)



def test_the_dashboards_complaint_reads_come_in_one_prefetch(demo_file, key):
    """The dashboard prefetches what notice_status, notice_due and overdue read: after it
    they ask the file nothing, and answer exactly as without it, sealed identities too."""
    cmp.set_targets(demo_file, 5, 30)
    sealed = cmp.save_complaint(demo_file, _new(received_on="2026-10-01", confidential=True),
                                Identity(SECRET, "617-555-0100"), key=key, today=TODAY)
    plain = cmp.save_complaint(demo_file, _new(received_on="2026-11-10"), Identity("Pat Doe"), today=TODAY)
    slow = cmp.save_complaint(demo_file, _new(received_on="2026-09-15"), today=TODAY)
    cmp.acknowledge(demo_file, cmp.load_complaint(demo_file, slow), "2026-09-16", today=TODAY)
    cmp.save_complaint(demo_file, _new(received_on="2026-11-20"), today=TODAY)  # within both targets
    cmp.record_notice(demo_file, "2026-2027", "2026-09-02", "handbook", "students", today=TODAY)

    def dashboard():
        return (cmp.notice_status(demo_file, "2026-2027", today=TODAY), cmp.notice_due(demo_file, "2026-2027"),
                cmp.overdue(demo_file, today=TODAY))

    expected = dashboard()
    assert [c.id for c, _ in expected[2]] == [slow, sealed, plain]
    statements: list[str] = []
    with demo_file.reading():
        wanted = cmp.dashboard_reads(demo_file, "2026-2027", TODAY)
        assert all("identity_sealed" not in columns for _sql, _params, columns in wanted)
        demo_file.conn.set_trace_callback(statements.append)
        try:
            demo_file.prefetch(wanted)
            assert len(reads(statements)) == 1
            statements.clear()
            found = dashboard()
        finally:
            demo_file.conn.set_trace_callback(None)
    assert reads(statements) == []
    assert found == expected
    late = dict((c.id, c) for c, _ in found[2])
    assert late[sealed].has_sealed_identity and late[sealed].identity is None
    assert late[plain].identity == Identity("Pat Doe") and not late[plain].has_sealed_identity


@pytest.mark.parametrize("passphrase, why", [
    ("1234567890", "common password"),
    ("          x", "repeats"),
    ("Summer2026", "similar to a commonly used password"),
])
def test_a_guessable_passphrase_is_refused_with_plain_advice(demo_file, passphrase, why):
    with pytest.raises(ValidationError) as caught:
        cmp.set_passphrase(demo_file, passphrase)
    assert "too easy to guess" in caught.value.message and why in caught.value.message
    assert not cmp.passphrase_is_set(demo_file)


def test_after_a_change_the_older_backups_are_named_as_still_holding_the_old_passphrase(demo_file):
    from sro_desk.store.backup import make_backup

    key = cmp.set_passphrase(demo_file, PASSPHRASE)
    assert cmp.backups_with_old_passphrase(demo_file) == ""
    make_backup(demo_file.path)
    cmp.set_passphrase(demo_file, "a brand new passphrase", current=key)
    said = cmp.backups_with_old_passphrase(demo_file)
    assert "made before this change still open with the old passphrase" in said


def test_the_key_costs_about_a_second_a_guess(demo_file):
    import json

    from sro_desk.store import crypto

    _key, record = crypto.new_key_record(PASSPHRASE)
    assert json.loads(record)["n"] == 2 ** 18 and json.loads(record)["r"] == 8  # 256 MB a guess
