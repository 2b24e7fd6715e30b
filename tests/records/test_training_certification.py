"""The SRO certification since 2020 (555 CMR 10.07, 10.09; G.L. c. 71, § 37P(a)): the
expiry offered three years on but stored as given, a blank expiry that is a warning, the
four statuses, a conditional certification's deadline, the officer's own POST
certification that the SRO certification follows, and the dashboard's warnings at each
rule's edges, on fixed dates."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sro_desk.errors import ConflictError, ValidationError
from sro_desk.records import officers, training
from sro_desk.records.obligations import LATE, NOW, SOON, dashboard_obligations, open_items, urgency
from sro_desk.records.training import Certification
from sro_desk.resources import resource_path

TODAY = date(2026, 11, 22)  # a Sunday


@pytest.fixture
def sro(demo_file):
    from sro_desk.records.district import load_district

    department = load_district(demo_file).departments[0]
    return officers.save_officer(
        demo_file, officers.Officer("Marcus Bell", "Officer", department.id, 11, assigned_sro=True))


def _certify(data_file, officer_id, effective="2024-06-30", expires="2027-06-30", **more) -> int:
    return training.save_certification(data_file, Certification(officer_id, effective, expires, **more))


def _warnings(data_file) -> dict[str, training.CertificationWarning]:
    return {w.key: w for w in training.certification_warnings(data_file, today=TODAY)}


def _obligation(data_file, key):
    return next(o for o in dashboard_obligations(data_file, today=TODAY, school_year="2026-2027") if o.key == key)


# -- the expiry ---------------------------------------------------------------------------


@pytest.mark.parametrize(("effective", "expires"), [
    (date(2026, 6, 30), date(2029, 6, 30)),
    (date(2028, 2, 29), date(2031, 2, 28)),  # no 29 February three years on
    (date(2025, 12, 31), date(2028, 12, 31)),
])
def test_the_expiry_offered_is_three_calendar_years_on(effective, expires):
    assert training.default_expiry(effective) == expires


def test_the_expiry_is_stored_as_given_not_computed(demo_file, sro):
    # POST may set another term (555 CMR 10.09(4): "unless the Commission provides otherwise").
    cert_id = _certify(demo_file, sro, "2026-06-30", "2028-01-15")
    assert demo_file.query("SELECT expires_on FROM certification WHERE id = ?", (cert_id,))[0]["expires_on"] == (
        "2028-01-15")
    blank = _certify(demo_file, sro, "2026-07-01", "")
    assert demo_file.query("SELECT expires_on FROM certification WHERE id = ?", (blank,))[0]["expires_on"] is None


# -- states at the edges --------------------------------------------------------------------


@pytest.mark.parametrize(("expires", "state"), [
    ("2027-02-20", "expiring"),   # exactly 90 days out
    ("2027-02-21", "current"),    # 91 days out
    ("2026-11-22", "expiring"),   # its last day
    ("2026-11-21", "lapsed"),     # expired yesterday
    ("", "expiry not recorded"),  # blank: never current for ever
])
def test_states_at_the_edges_of_the_expiry(expires, state):
    assert Certification(1, "2024-06-30", expires).state(TODAY) == state


def test_a_conditional_certification_and_its_deadline():
    conditional = Certification(1, "2026-01-10", "2029-01-10", status="conditional",
                                conditions="SRO in-service course", conditions_due="2026-11-22")
    assert conditional.state(TODAY) == "conditional"  # due today: not yet overdue
    assert conditional.describe(TODAY) == "Conditional: SRO in-service course to finish by 2026-11-22."
    overdue = Certification(**{**conditional.__dict__, "conditions_due": "2026-11-21"})
    assert overdue.state(TODAY) == "conditions overdue"
    assert overdue.describe(TODAY) == "Conditional: SRO in-service course was due by 2026-11-21."


@pytest.mark.parametrize(("own", "officer", "standing", "follows"), [
    ("active", "revoked", "revoked", True),        # 555 CMR 10.09(10)
    ("active", "suspended", "suspended", True),    # 555 CMR 10.09(9)
    ("conditional", "suspended", "suspended", True),
    ("revoked", "suspended", "revoked", False),    # its own revocation is worse
    ("suspended", "active", "suspended", False),
    ("active", "", "active", False),               # nothing recorded of the officer's own
])
def test_the_sro_certification_follows_the_officers_own(own, officer, standing, follows):
    certification = Certification(1, "2024-06-30", "2027-06-30", status=own, officer_status=officer,
                                  conditions="x", conditions_due="2027-01-01")
    assert certification.standing() == standing and certification.follows_officer() == follows
    if standing in ("revoked", "suspended"):
        assert certification.state(TODAY) == standing
        rule = "10.09(10)" if standing == "revoked" else "10.09(9)"
        assert (f"555 CMR {rule}" in certification.describe(TODAY)) == follows


def test_a_row_from_before_with_no_status_is_active(demo_file, sro):
    cert_id = _certify(demo_file, sro)
    demo_file.conn.execute("UPDATE certification SET status = NULL WHERE id = ?", (cert_id,))
    (certification,) = training.certifications_of(demo_file, sro)
    assert certification.status == "active" and certification.state(TODAY) == "current"


# -- saving: refusals, versions, audit ------------------------------------------------------


@pytest.mark.parametrize(("changes", "words"), [
    ({"status": "conditional", "conditions": "", "conditions_due": "2027-01-01"}, "Say which training"),
    ({"status": "conditional", "conditions": "In-service", "conditions_due": ""}, "date the training must be"),
    ({"status": "conditional", "conditions": "In-service", "conditions_due": "2024-01-01"}, "after the effective"),
    ({"status": "conditional", "conditions": "In-service", "conditions_due": "soon"}, "like 2026-12-31"),
    ({"status": "lapsed"}, "status from the list"),
    ({"expires_on": "2024-06-30"}, "expiry date must come after the effective date"),
    ({"granted_on": "June 2024"}, "effective date like"),
])
def test_refusals_are_one_sentence(demo_file, sro, changes, words):
    certification = Certification(**{**Certification(sro, "2024-06-30", "2027-06-30").__dict__, **changes})
    with pytest.raises(ValidationError) as caught:
        training.save_certification(demo_file, certification)
    assert words in caught.value.message and caught.value.message.count(".") == 1
    assert demo_file.query("SELECT count(*) AS n FROM certification")[0]["n"] == 0


def test_a_status_change_is_version_checked_and_audited(demo_file, sro):
    cert_id = _certify(demo_file, sro)
    (loaded,) = training.certifications_of(demo_file, sro)
    training.save_certification(demo_file, Certification(**{**loaded.__dict__, "status": "suspended"}))
    with pytest.raises(ConflictError):
        training.save_certification(demo_file, Certification(**{**loaded.__dict__, "status": "revoked"}))
    changes = [json.loads(r["changes"]) for r in demo_file.query(
        "SELECT changes FROM audit_log WHERE table_name = 'certification' AND row_id = ? AND action = 'update'",
        (cert_id,))]
    assert changes == [{"status": ["active", "suspended"]}]
    conditional = Certification(**{**training.certifications_of(demo_file, sro)[0].__dict__, "status": "conditional",
                                   "conditions": " In-service course ", "conditions_due": "2027-03-01"})
    training.save_certification(demo_file, conditional)
    row = demo_file.query("SELECT status, conditions, conditions_due, version FROM certification")[0]
    assert row == {"status": "conditional", "conditions": "In-service course", "conditions_due": "2027-03-01",
                   "version": 3}
    # Back to active: the conditions go (the audit log keeps them).
    active = Certification(**{**training.certifications_of(demo_file, sro)[0].__dict__, "status": "active"})
    training.save_certification(demo_file, active)
    assert demo_file.query("SELECT conditions, conditions_due FROM certification")[0] == {
        "conditions": None, "conditions_due": None}


def test_the_officers_own_post_certification_is_version_checked_and_audited(demo_file, sro):
    officer = officers.load_officer(demo_file, sro)
    assert officer.post_state(TODAY) == "not recorded"
    officers.save_officer(demo_file, officers.Officer(**{**officer.__dict__, "post_status": "revoked",
                                                          "post_expires_on": "2028-03-31"}))
    with pytest.raises(ConflictError):
        officers.save_officer(demo_file, officers.Officer(**{**officer.__dict__, "post_status": "active"}))
    with pytest.raises(ValidationError) as caught:
        officers.save_officer(demo_file, officers.Officer(**{**officers.load_officer(demo_file, sro).__dict__,
                                                              "post_expires_on": "31/03/2028"}))
    assert caught.value.message == "Enter the POST certification's expiry like 2028-06-30."
    changes = json.loads(demo_file.query(
        "SELECT changes FROM audit_log WHERE table_name = 'officer' AND action = 'update'")[0]["changes"])
    assert changes == {"post_status": [None, "revoked"], "post_expires_on": [None, "2028-03-31"]}
    assert officers.load_officer(demo_file, sro).post_state(TODAY) == "revoked"


@pytest.mark.parametrize(("expires", "state"), [
    ("2027-02-20", "expiring"), ("2027-02-21", "current"), ("2026-11-21", "lapsed"), ("", "expiry not recorded")])
def test_the_officers_own_certification_at_the_edges(expires, state):
    assert officers.Officer("A", post_status="active", post_expires_on=expires).post_state(TODAY) == state


# -- the dashboard's warnings ----------------------------------------------------------------


def test_expiring_exactly_90_days_out_is_to_act_on_now(demo_file, sro):
    _certify(demo_file, sro, "2024-02-20", "2027-02-20")
    key = f"sro_certification_expiring_{sro}"
    assert list(_warnings(demo_file)) == [key]
    item = _obligation(demo_file, key)
    assert item.due == date(2027, 2, 20) and item.days_late == -90 and urgency(item) == NOW
    assert item.when() == "due Feb 20, 2027, 90 days left" and "(555 CMR 10.09(4))" in item.what
    training.save_certification(demo_file, Certification(
        **{**training.certifications_of(demo_file, sro)[0].__dict__, "expires_on": "2027-02-21"}))
    assert _warnings(demo_file) == {}  # 91 days out: nothing yet


def test_expired_yesterday_is_a_day_late(demo_file, sro):
    _certify(demo_file, sro, "2023-11-21", "2026-11-21")
    item = _obligation(demo_file, f"sro_certification_lapsed_{sro}")
    assert item.days_late == 1 and urgency(item) == LATE and item.when() == "due Nov 21, 2026, 1 day late"
    assert item.what == ("Marcus Bell's SRO certification has lapsed: it expired on 2026-11-21 "
                         "(555 CMR 10.09(4)). Record the renewal.")
    _certify(demo_file, sro, "2026-12-01", "2029-12-01")  # a renewal that starts later
    assert "The renewal recorded only starts on 2026-12-01." in _warnings(demo_file)[
        f"sro_certification_lapsed_{sro}"].what


def test_a_renewal_starting_the_day_after_the_expiry_answers_it(demo_file, sro):
    _certify(demo_file, sro, "2023-12-15", "2026-12-15")
    assert f"sro_certification_expiring_{sro}" in _warnings(demo_file)
    _certify(demo_file, sro, "2026-12-16", "2029-12-16")
    assert _warnings(demo_file) == {}


def test_a_blank_expiry_is_a_warning_not_current_for_ever(demo_file, sro):
    _certify(demo_file, sro, "2020-01-01", "")
    item = _obligation(demo_file, f"sro_certification_expiry_unknown_{sro}")
    assert item.due is None and urgency(item) == NOW and item.when() == "now"
    assert "no expiry recorded" in item.what and "555 CMR 10.09(4)" in item.what


def test_a_conditional_certification_past_its_deadline_is_late(demo_file, sro):
    _certify(demo_file, sro, "2026-01-10", "2029-01-10", status="conditional",
             conditions="the SRO in-service course", conditions_due="2026-11-20")
    item = _obligation(demo_file, f"sro_certification_conditional_{sro}")
    assert item.what == ("Marcus Bell's SRO certification is conditional: the SRO in-service course must be "
                         "finished by 2026-11-20 (555 CMR 10.07).")
    assert item.days_late == 2 and urgency(item) == LATE
    # Before its deadline it is listed by its date, not as urgent.
    (loaded,) = training.certifications_of(demo_file, sro)
    training.save_certification(demo_file, Certification(**{**loaded.__dict__, "conditions_due": "2026-12-15"}))
    item = _obligation(demo_file, f"sro_certification_conditional_{sro}")
    assert not item.urgent and urgency(item) == SOON and item.when() == "due Dec 15, 2026, 23 days left"


def test_the_officers_certification_revoked_revokes_the_sro_certification(demo_file, sro):
    _certify(demo_file, sro, "2024-06-30", "2027-06-30")
    officer = officers.load_officer(demo_file, sro)
    officers.save_officer(demo_file, officers.Officer(**{**officer.__dict__, "post_status": "revoked",
                                                          "post_expires_on": "2026-12-01"}))
    (certification,) = training.certifications_of(demo_file, sro)
    assert certification.state(TODAY) == "revoked" and certification.follows_officer()
    # The one thing to say: revoked with the officer's own (not also "expiring").
    assert list(_warnings(demo_file)) == [f"sro_certification_revoked_{sro}"]
    item = _obligation(demo_file, f"sro_certification_revoked_{sro}")
    assert item.what == ("Marcus Bell's SRO certification is revoked with Marcus Bell's own POST certification "
                         "(555 CMR 10.09(10)); an SRO must hold the certification (G.L. c. 71, § 37P(a)).")
    assert urgency(item) == NOW
    officers.save_officer(demo_file, officers.Officer(**{**officers.load_officer(demo_file, sro).__dict__,
                                                          "post_status": "suspended"}))
    assert "suspended with Marcus Bell's own POST certification (555 CMR 10.09(9))" in _warnings(demo_file)[
        f"sro_certification_suspended_{sro}"].what


def test_the_officers_own_certification_expiring_or_lapsed_is_a_warning(demo_file, sro):
    _certify(demo_file, sro, "2025-06-30", "2028-06-30")
    officer = officers.load_officer(demo_file, sro)
    officers.save_officer(demo_file, officers.Officer(**{**officer.__dict__, "post_status": "active",
                                                          "post_expires_on": "2027-02-20"}))
    item = _obligation(demo_file, f"officer_certification_expiring_{sro}")
    assert urgency(item) == NOW and item.due == date(2027, 2, 20) and "G.L. c. 71, § 37P(a)" in item.what
    officers.save_officer(demo_file, officers.Officer(**{**officers.load_officer(demo_file, sro).__dict__,
                                                          "post_expires_on": "2026-11-21"}))
    assert urgency(_obligation(demo_file, f"officer_certification_lapsed_{sro}")) == LATE
    assert training.certifications_of(demo_file, sro)[0].state(TODAY) == "current"  # a lapse is not a revocation


def test_missing_and_not_yet_started(demo_file, sro):
    assert list(_warnings(demo_file)) == [f"sro_certification_missing_{sro}"]
    _certify(demo_file, sro, "2026-12-01", "2029-12-01")
    (warning,) = _warnings(demo_file).values()
    assert warning.key == f"sro_certification_not_started_{sro}" and "only starts on 2026-12-01" in warning.what


def test_an_officer_who_is_not_an_sro_is_never_warned_about(demo_file):
    officers.save_officer(demo_file, officers.Officer("Sam Cole", post_status="revoked"))
    assert _warnings(demo_file) == {}


def test_every_warning_names_a_known_source_and_cites_it(demo_file, sro):
    known = {s["id"] for s in json.loads(resource_path("law", "sources.json").read_text(encoding="utf-8"))["sources"]}
    assert set(training.WARNING_SOURCES.values()) <= known
    for kind in training.WARNING_SOURCES:
        assert kind.startswith(("sro_certification_", "officer_certification_"))
    _certify(demo_file, sro, "2020-01-01", "")
    for warning in _warnings(demo_file).values():
        assert "CMR" in warning.what or "G.L." in warning.what


def test_open_items_list_the_undated_before_the_dated_in_the_now_group(demo_file, sro):
    from sro_desk.records.district import load_district

    other = officers.save_officer(demo_file, officers.Officer(
        "Ana Ruiz", department_id=load_district(demo_file).departments[0].id, assigned_sro=True))
    _certify(demo_file, sro, "2024-02-20", "2027-02-20")  # dated: 90 days left
    keys = [o.key for o in open_items(dashboard_obligations(demo_file, today=TODAY, school_year="2026-2027"))]
    assert keys.index(f"sro_certification_missing_{other}") < keys.index(f"sro_certification_expiring_{sro}")


@pytest.mark.parametrize("expires", ["", "2026-11-22", "2026-11-23", "2027-02-20", "2027-06-30", "2026-01-01"])
def test_every_state_has_its_sentence(expires):
    for status in training.CERTIFICATION_STATUSES:
        for officer in ("", "active", "suspended", "revoked"):
            certification = Certification(1, "2024-06-30", expires, status=status, officer_status=officer,
                                          conditions="In-service", conditions_due="2026-12-01")
            assert certification.describe(TODAY).endswith(".")
    assert Certification(1, "2024-06-30", "2026-11-23").describe(TODAY) == "Expires on 2026-11-23, in 1 day."
