"""Filing Details (from the Agreement page's Costs tab): the DESE filing's facts typed,
checked, saved and shown again; the Costs tab's total and shares."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.records import dese_filing
from sro_desk.records.demo import create_demo
from sro_desk.records.settings import all_settings
from sro_desk.store import DataFile, OpenOptions
from sro_desk.ui import filing_dialog
from sro_desk.ui.filing_dialog import FilingDialog
from sro_desk.ui.qt import QDialog, QDialogButtonBox
from tests.ui.test_models_accessibility import mnemonic_clashes

TODAY = date(2026, 12, 9)
TYPED = dict(
    contact_name="Dr. Maria Santos", contact_title="Superintendent", contact_email="msantos@gvrsd.org",
    contact_phone="508-555-0142", org_code="0683 0000", due="9/15", request_on="2021-06-01",
    request_by="Dr. Maria Santos, Superintendent", request_text="One SRO for the high school",
    mental_health_budget="412,500",
)


def _type(dialog: FilingDialog, values: dict[str, str]) -> None:
    for name, text in values.items():
        widget = dialog.fields()[name]
        if hasattr(widget, "setPlainText"):
            widget.setPlainText(text)
        else:
            widget.setText(text)


def _ok(dialog: FilingDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture
def dialog(qtbot, demo_file):
    made = FilingDialog(demo_file, "2026-2027", today=TODAY)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_the_dialog_saves_every_fact(dialog, demo_file):
    _type(dialog, TYPED)
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    facts = dese_filing.load_facts(demo_file)
    assert facts.org_code == "06830000" and facts.due == "09-15"
    assert facts.contact_email == "msantos@gvrsd.org" and facts.request_by == "Dr. Maria Santos, Superintendent"
    assert facts.mental_health_budget("2026-2027") == 41_250_000


def test_a_bad_district_code_is_refused_and_the_typing_kept(dialog, demo_file, qtbot):
    _type(dialog, {**TYPED, "org_code": "1234567"})
    _ok(dialog)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible() and "eight digits" in dialog.error.text()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.org_code, timeout=2000)
    assert dialog.org_code.text() == "1234567" and dialog.contact_name.text() == "Dr. Maria Santos"
    assert "dese_org_code" not in all_settings(demo_file)


def test_a_request_dated_after_today_is_refused(dialog, qtbot):
    _type(dialog, {"request_on": "2027-01-05"})
    _ok(dialog)
    assert "after today" in dialog.error.text()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.request_on, timeout=2000)


def test_the_dialog_opens_with_what_was_saved(qtbot, demo_file):
    dese_filing.save_facts(demo_file, school_year="2026-2027", today=TODAY, **TYPED)
    again = FilingDialog(demo_file, "2026-2027", today=TODAY)
    qtbot.addWidget(again)
    assert again.entered() == {**TYPED, "org_code": "06830000", "due": "09-15", "mental_health_budget": "412,500.00"}
    other_year = FilingDialog(demo_file, "2025-2026", today=TODAY)
    qtbot.addWidget(other_year)
    assert other_year.mental_health_budget.text() == "" and other_year.org_code.text() == "06830000"


def test_the_dialog_says_the_due_date_is_dese_s_and_not_the_law_s(dialog):
    from sro_desk.ui.qt import QLabel

    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "yearly instructions" in words and "no law sets it" in words and "August 31" in words


def test_the_dialog_s_shortcut_letters_are_distinct_and_fields_named(dialog):
    assert mnemonic_clashes(dialog) == {}
    for widget in dialog.fields().values():
        assert widget.accessibleName()


# -- from the Agreement page's Costs tab ---------------------------------------------------------


@pytest.fixture
def page(make_window, settle, db_path):
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=date.today())
    window = make_window()
    window.set_data_file(DataFile.open(db_path))
    settle(window)
    window.show_page(window.pages.index(window.agreement_page))
    return window.agreement_page


def _costs_tab(page):
    page.window().show()
    page.tabs.setCurrentWidget(page.costs)  # the filing's facts are read when the tab shows
    return page.costs


def _choose_year(page, year):
    index = next(i for i in range(page.chooser.count()) if page.chooser.itemText(i).startswith(year))
    page.chooser.setCurrentIndex(index)
    page.chooser.activated.emit(index)


def test_the_costs_tab_shows_the_total_and_shares(page):
    costs = _costs_tab(page)
    signed_year = page.chooser.itemText(page.chooser.count() - 1).split(" ")[0]
    _choose_year(page, signed_year)
    text = costs.totals.text()
    # The demo's signed agreement: 58,800 + 1,450 + 625 + 0, and 40% beside the district's 60%.
    assert "Total cost to the district: $60,875.00." in text
    assert "the district 60% ($58,800.00), the department 40% ($39,200.00, worked out)" in text
    assert "in all $98,000.00" in text


def test_filing_details_saves_and_the_costs_tab_shows_it(page, monkeypatch):
    window = page.window()
    costs = _costs_tab(page)
    assert "DESE district code: not recorded" in costs.facts.text()
    assert "Superintendent's request for an SRO: not recorded" in costs.facts.text()
    assert costs.details_button.isEnabled()
    opened = []

    def fill_and_ok(dialog):
        opened.append(dialog.school_year)
        _type(dialog, {**TYPED, "request_on": "2021-06-01"})
        _ok(dialog)
        return dialog.result()

    monkeypatch.setattr(filing_dialog.FilingDialog, "exec", fill_and_ok)
    costs.details_button.click()
    assert opened == [page.agreement.school_year]
    shown = costs.facts.text()
    assert "DESE district code: 06830000" in shown
    assert "DESE contact: Dr. Maria Santos, Superintendent" in shown
    assert "Superintendent's request for an SRO: June 1, 2021, by Dr. Maria Santos, Superintendent" in shown
    assert f"Mental-health staffing budget, {page.agreement.school_year}: $412,500.00" in shown
    assert "DESE's due date this year: September 15" in shown
    assert window.dashboard in window._stale  # the dashboard's reminder reads the due date again
    # The page read again from the file shows the same.
    page.refresh(page.data_file)
    assert "DESE district code: 06830000" in costs.facts.text()


def test_a_cancelled_dialog_changes_nothing(page, monkeypatch):
    costs = _costs_tab(page)
    before = costs.facts.text()
    monkeypatch.setattr(filing_dialog.FilingDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    costs.details_button.click()
    assert costs.facts.text() == before
    assert not any(k.startswith("dese_") for k in all_settings(page.data_file))


def test_the_costs_tab_s_shortcut_letters_are_distinct(page):
    _costs_tab(page)
    assert mnemonic_clashes(page.window()) == {}


def test_filing_details_cannot_open_in_a_read_only_window(page):
    costs = _costs_tab(page)
    page.set_editable(False)
    assert not costs.details_button.isEnabled()


def test_a_year_with_no_costs_says_so(page):
    costs = _costs_tab(page)
    assert not page.agreement.costs
    assert costs.totals.text() == "No costs recorded for this year yet."
