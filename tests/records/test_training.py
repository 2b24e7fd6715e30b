"""Training: quarter hours, the requirement from the agreement, status at year edges,
certification states."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.errors import ConflictError, ValidationError
from sro_desk.records import agreements, officers, training
from sro_desk.records.settings import set_school_year_start_month
from sro_desk.records.training import Certification, TrainingEntry
from tests.reads import reads
from tests.helpers import scan_pdf


@pytest.fixture
def officer(demo_file):
    from sro_desk.records.district import load_district

    department = load_district(demo_file).departments[0]
    return officers.save_officer(
        demo_file, officers.Officer("Marcus Bell", "Officer", department.id, 11, assigned_sro=True)
    )


def _log(data_file, officer_id, day, hours, topics=(), *, basic=False, title="Training"):
    return training.save_entry(
        data_file,
        TrainingEntry(officer_id, day, title, training.parse_hours(hours), topics=list(topics), basic_course=basic),
        today=date(2027, 12, 31),
    )


@pytest.mark.parametrize(("text", "quarters"), [("1", 4), ("0.25", 1), ("1.5", 6), ("2,75", 11), ("40", 160)])
def test_hours_are_whole_quarter_hours(text, quarters):
    assert training.parse_hours(text) == quarters
    assert training.hours_text(quarters) == text.replace(",", ".")


@pytest.mark.parametrize(("text", "words"), [("1.3", "quarter hours"), ("abc", "not a number"), ("0", "between"), ("-1", "between")])
def test_bad_hours_get_a_sentence(text, words):
    with pytest.raises(ValidationError) as caught:
        training.parse_hours(text)
    assert words in caught.value.message


def test_many_small_entries_add_up_exactly(demo_file, officer):
    for day in range(1, 31):
        _log(demo_file, officer, f"2026-09-{day:02d}", "0.25")
    for day in range(1, 11):
        _log(demo_file, officer, f"2026-10-{day:02d}", "0.75")
    status = training.training_status(demo_file, officer, "2026-2027", today=date(2026, 11, 1))
    assert status.done_quarters == 30 + 30
    assert training.hours_text(status.done_quarters) == "15"


def test_without_an_agreement_the_model_12_hours_apply(demo_file):
    requirement = training.requirement_for(demo_file, "2026-2027")
    assert requirement.quarter_hours == 48
    assert "model's recommended 12 hours" in requirement.source
    assert set(requirement.topics) == set(training.REQUIRED_TOPICS)


def test_the_signed_agreement_sets_the_minimum_and_stays_in_force(demo_file):
    agreement_id = agreements.new_from_library(demo_file, school_year="2025-2026")
    agreement = agreements.load_agreement(demo_file, agreement_id)
    agreements.set_blank(demo_file, agreement, "training_hours", 16)
    agreement = agreements.load_agreement(demo_file, agreement_id)
    assert training.requirement_for(demo_file, "2025-2026").quarter_hours == 48  # a draft is not in force
    agreements.record_signing(demo_file, agreement, {s.id: "2025-08-15" for s in agreement.signatures})
    for year in ("2025-2026", "2026-2027"):
        requirement = training.requirement_for(demo_file, year)
        assert requirement.quarter_hours == 64
        assert "2025-2026 agreement sets 16 hours" in requirement.source
    assert training.requirement_for(demo_file, "2024-2025").quarter_hours == 48


def test_status_counts_topics_and_leaves_out_the_basic_course(demo_file, officer):
    _log(demo_file, officer, "2026-07-10", "40", ["mptc"], basic=True)
    _log(demo_file, officer, "2026-08-01", "6", ["child_development", "conflict_resolution"])
    _log(demo_file, officer, "2026-09-01", "3", ["diversion"])
    status = training.training_status(demo_file, officer, "2026-2027", today=date(2026, 11, 22))
    assert status.done_quarters == 36 and status.basic_quarters == 160
    assert status.topics_missing == ["de_escalation"]
    assert not status.complete
    assert status.days_left == 221  # Nov 22 to June 30, both counted
    assert "3 hours short" in status.summary() and "De-escalation tactics" in status.summary()
    _log(demo_file, officer, "2026-10-01", "3", ["de_escalation"])
    done = training.training_status(demo_file, officer, "2026-2027", today=date(2026, 11, 22))
    assert done.complete and "Complete." in done.summary()


@pytest.mark.parametrize(
    ("day", "year"),
    [("2026-06-30", "2025-2026"), ("2026-07-01", "2026-2027"), ("2027-06-30", "2026-2027")],
)
def test_entries_fall_in_the_school_year_of_their_date(demo_file, officer, day, year):
    entry_id = _log(demo_file, officer, day, "1")
    assert demo_file.query("SELECT school_year FROM training_entry WHERE id = ?", (entry_id,))[0]["school_year"] == year


def test_the_school_year_start_is_a_setting(demo_file, officer):
    set_school_year_start_month(demo_file, 9)
    entry_id = _log(demo_file, officer, "2026-08-15", "1")
    assert demo_file.query("SELECT school_year FROM training_entry WHERE id = ?", (entry_id,))[0]["school_year"] == "2025-2026"
    status = training.training_status(demo_file, officer, "2025-2026", today=date(2026, 8, 31))
    assert status.ends_on == date(2026, 8, 31) and status.days_left == 1
    assert training.training_status(demo_file, officer, "2025-2026", today=date(2026, 9, 1)).days_left == 0


def test_entries_are_checked(demo_file, officer):
    base = TrainingEntry(officer, "2026-09-01", "Title", 4)
    cases = [
        (dict(taken_on="09/01/2026"), "like 2026-10-15"),
        (dict(taken_on="2099-01-01"), "in the future"),
        (dict(title="  "), "title"),
        (dict(topics=["astrology"]), "Unknown topic"),
        (dict(quarter_hours=0), "quarter hour"),
    ]
    for changes, words in cases:
        with pytest.raises(ValidationError) as caught:
            training.save_entry(demo_file, TrainingEntry(**{**base.__dict__, **changes}), today=date(2026, 11, 22))
        assert words in caught.value.message
    assert demo_file.query("SELECT count(*) AS n FROM training_entry")[0]["n"] == 0


def test_an_import_is_all_or_nothing(demo_file, officer):
    good = TrainingEntry(officer, "2026-09-01", "Good", 4)
    bad = TrainingEntry(officer, "2026-13-01", "Bad", 4)
    with pytest.raises(ValidationError):
        training.save_entries(demo_file, [good, bad], today=date(2026, 11, 22))
    assert demo_file.query("SELECT count(*) AS n FROM training_entry")[0]["n"] == 0
    assert training.save_entries(demo_file, [good], today=date(2026, 11, 22)) == 1


def test_a_certificate_is_kept_in_the_file(demo_file, officer, tmp_path):
    from sro_desk.records.attachments import read_document

    scan = tmp_path / "certificate.pdf"
    scan.write_bytes(scan_pdf(b"certificate"))
    entry_id = training.save_entry(
        demo_file, TrainingEntry(officer, "2026-09-01", "Course", 4),
        certificate=read_document(scan), today=date(2026, 11, 22),
    )
    entry = training.entries_for(demo_file, officer, "2026-2027")[0]
    assert entry.id == entry_id and entry.certificates == ["certificate.pdf"]
    training.delete_entry(demo_file, entry)
    assert demo_file.query("SELECT count(*) AS n FROM attachment")[0]["n"] == 0


def test_a_stale_entry_edit_is_a_conflict(demo_file, officer):
    entry_id = _log(demo_file, officer, "2026-09-01", "1")
    entry = training.entries_for(demo_file, officer, "2026-2027")[0]
    training.save_entry(demo_file, TrainingEntry(**{**entry.__dict__, "title": "First"}), today=date(2026, 11, 22))
    with pytest.raises(ConflictError):
        training.save_entry(demo_file, TrainingEntry(**{**entry.__dict__, "title": "Second"}), today=date(2026, 11, 22))
    assert entry_id == entry.id


@pytest.mark.parametrize(
    ("expires", "state"),
    [("2027-06-30", "current"), ("2027-01-15", "expiring"), ("2026-11-21", "lapsed"),
     ("", "expiry not recorded")],
)
def test_certification_states(expires, state):
    certification = Certification(1, granted_on="2024-06-30", expires_on=expires)
    assert certification.state(date(2026, 11, 22)) == state


def test_certification_alerts_for_assigned_sros(demo_file, officer):
    today = date(2026, 11, 22)
    assert training.certification_alerts(demo_file, today=today) == [
        "Marcus Bell is assigned as SRO with no SRO certification recorded; an SRO must hold POST's SRO "
        "certification (G.L. c. 71, § 37P(a))."
    ]
    training.save_certification(demo_file, Certification(officer, "2023-06-30", "2026-06-30"))
    assert "has lapsed" in training.certification_alerts(demo_file, today=today)[0]
    training.save_certification(demo_file, Certification(officer, "2026-07-01", "2027-01-10"))
    assert "expires on 2027-01-10" in training.certification_alerts(demo_file, today=today)[0]
    training.save_certification(demo_file, Certification(officer, "2026-11-01", "2029-11-01"))
    assert training.certification_alerts(demo_file, today=today) == []
    with pytest.raises(ValidationError):
        training.save_certification(demo_file, Certification(officer, "2026-11-01", "2026-10-01"))


def test_district_topics_can_be_added(demo_file):
    key = training.add_topic(demo_file, "Vaping prevention")
    assert training.all_topics(demo_file)[key] == "Vaping prevention"
    with pytest.raises(ValidationError):
        training.add_topic(demo_file, "vaping prevention")


def test_the_demo_has_one_complete_and_one_short_log(new_file):
    from sro_desk.records.demo import create_demo

    create_demo(new_file, today=date(2026, 11, 22))
    statuses = {
        o.name: training.training_status(new_file, o.id, "2025-2026", today=date(2026, 11, 22))
        for o in officers.list_officers(new_file)
    }
    assert statuses["Marcus Bell"].complete
    assert not statuses["Priya Raman"].complete and statuses["Priya Raman"].short_quarters == 16


def test_changing_the_start_month_moves_entries_to_their_new_year(demo_file, officer):
    entry_id = _log(demo_file, officer, "2025-08-15", "2")
    assert demo_file.query("SELECT school_year FROM training_entry WHERE id = ?", (entry_id,))[0]["school_year"] == "2025-2026"
    set_school_year_start_month(demo_file, 9)
    assert demo_file.query("SELECT school_year FROM training_entry WHERE id = ?", (entry_id,))[0]["school_year"] == "2024-2025"
    status = training.training_status(demo_file, officer, "2024-2025", today=date(2025, 8, 20))
    assert status.done_quarters == 8


def test_certification_alerts_know_about_renewals_and_future_starts(demo_file, officer):
    today = date(2026, 11, 22)
    training.save_certification(demo_file, Certification(officer, "2026-12-01", "2029-12-01"))
    assert "only starts on 2026-12-01" in training.certification_alerts(demo_file, today=today)[0]
    training.save_certification(demo_file, Certification(officer, "2023-12-15", "2026-12-15"))
    assert training.certification_alerts(demo_file, today=today) == []  # renewal recorded in time


# -- reading few statements ------------------------------------------------------------


def _traced(data_file):
    statements: list[str] = []
    data_file.conn.set_trace_callback(statements.append)
    return statements



@pytest.fixture
def busy_demo(new_file):
    """The demo, with a third SRO, an officer who is not an SRO, and certificates."""
    from sro_desk.records.demo import create_demo

    create_demo(new_file, today=date(2026, 11, 22))
    third = officers.save_officer(new_file, officers.Officer("Ana Ruiz", assigned_sro=True))
    other = officers.save_officer(new_file, officers.Officer("Sam Cole", assigned_sro=False))
    for officer_id in (third, other):
        training.save_entry(
            new_file, TrainingEntry(officer_id, "2026-10-02", "Diversion", 8, topics=["diversion"]),
            certificate=("cert.pdf", "application/pdf", b"%PDF-1.4"), today=date(2026, 11, 22),
        )
        _log(new_file, officer_id, "2026-09-03", "1", ["de_escalation", "diversion"], basic=True)
        _log(new_file, officer_id, "2025-09-03", "3", ["child_development"])
    training.save_certification(
        new_file, Certification(third, "2026-01-01", "2027-01-01"), document=("post.pdf", "application/pdf", b"%PDF")
    )
    return new_file


def test_the_dashboards_training_reads_are_one_statement(busy_demo):
    today, year = date(2026, 11, 22), "2026-2027"
    sros = officers.list_officers(busy_demo, sros_only=True)
    assert len(sros) == 3
    expected = [training.training_status(busy_demo, o.id, year, today=today) for o in sros]
    alerts = training.certification_alerts(busy_demo, today=today)
    statements = _traced(busy_demo)
    with busy_demo.reading():
        busy_demo.prefetch(training.dashboard_reads(busy_demo, year, today))
        assert len(reads(statements)) == 1
        found = officers.list_officers(busy_demo, sros_only=True)
        assert [training.training_status(busy_demo, o.id, year, today=today) for o in found] == expected
        assert training.training_statuses(busy_demo, year, today=today) == expected
        assert training.certification_alerts(busy_demo, today=today) == alerts
        assert len(reads(statements)) == 1
    assert found == sros and len(alerts) == 2


def test_many_statuses_ask_the_same_few_statements_as_one(busy_demo):
    year, today = "2026-2027", date(2026, 11, 22)
    statements = _traced(busy_demo)
    with busy_demo.reading():
        training.training_statuses(busy_demo, year, today=today)
    asked = len(reads(statements))
    officers.save_officer(busy_demo, officers.Officer("Lee Park", assigned_sro=True))
    statements.clear()
    with busy_demo.reading():
        assert len(training.training_statuses(busy_demo, year, today=today)) == 4
    assert len(reads(statements)) == asked <= 5


def test_one_officers_status_and_entries_equal_the_separate_reads(busy_demo):
    today = date(2026, 11, 22)
    for officer in officers.list_officers(busy_demo):
        for year in ("2025-2026", "2026-2027", "2027-2028"):
            status, entries = training.status_and_entries(busy_demo, officer.id, year, today=today)
            assert status == training.training_status(busy_demo, officer.id, year, today=today)
            assert entries == training.entries_for(busy_demo, officer.id, year)
    raman = next(o for o in officers.list_officers(busy_demo) if o.name == "Ana Ruiz")
    status, entries = training.status_and_entries(busy_demo, raman.id, "2026-2027", today=today)
    assert [e.certificates for e in entries] == [[], ["cert.pdf"]]
    assert status.done_quarters == 8 and status.basic_quarters == 4 and status.topics_done == ["diversion"]
    assert training.certifications_of(busy_demo, raman.id)[0].documents == ["post.pdf"]
    with pytest.raises(ValidationError):
        training.training_status(busy_demo, 9999, "2026-2027", today=today)


def test_no_logged_school_years_before_any_training(demo_file):
    assert training.logged_school_years(demo_file) == set()


def test_the_logged_school_years_skip_through_the_index(busy_demo):
    plain = {r["school_year"] for r in busy_demo.query("SELECT DISTINCT school_year FROM training_entry")}
    assert training.logged_school_years(busy_demo) == plain and len(plain) >= 2
    statements = _traced(busy_demo)
    with busy_demo.reading():  # through query_together too
        busy_demo.prefetch([training.school_years_read()])
        assert training.logged_school_years(busy_demo) == plain
    assert len(reads(statements)) == 1


def test_the_training_page_reads_are_answered_by_two_statements(busy_demo):
    officer = officers.list_officers(busy_demo)[0]
    statements = _traced(busy_demo)
    with busy_demo.reading():
        busy_demo.prefetch(training.page_reads(busy_demo))
        officers.list_officers(busy_demo)
        training.logged_school_years(busy_demo)
        training.all_topics(busy_demo)
        busy_demo.prefetch(training.officer_reads(busy_demo, officer.id, "2026-2027"))
        training.status_and_entries(busy_demo, officer.id, "2026-2027")
        training.certifications_of(busy_demo, officer.id)
    assert len(reads(statements)) == 2
