"""The dashboard: what the district owes, latest first, each one opening the page that
fixes it, and what is up to date."""

from __future__ import annotations

from datetime import date

from sro_desk.records import meetings
from sro_desk.records.meetings import ActionItem, Meeting
from sro_desk.ui.dashboard import DashboardPage
from sro_desk.ui.qt import Qt

TODAY = date(2026, 11, 22)


def _rows(page: DashboardPage) -> list[tuple[str, str, str]]:
    table = page.owed
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_open_obligations_are_listed_latest_first_with_their_page(qtbot, demo_file):
    meetings.save_meeting(demo_file, Meeting(
        "safety", "2026-10-01", title="Safety meeting",
        actions=[ActionItem("Update the visitor policy", "Principal Ortiz", "2026-11-20")]), today=TODAY)
    page = DashboardPage()
    qtbot.addWidget(page)
    page.refresh(demo_file, today=TODAY)
    rows = _rows(page)
    assert rows, "a new district owes its agreement, notice, metrics and more"
    whats = [what for what, _, _ in rows]
    assert any("Update the visitor policy (Principal Ortiz)" in w for w in whats)
    assert any(w.startswith("Review the agreement with the chief") for w in whats)
    pages = {what: where for what, _, where in rows}
    assert pages[next(w for w in whats if w.startswith("Review the agreement"))] == "Meetings page"
    assert pages[next(w for w in whats if "review metrics" in w)] == "Review page"
    # Latest first: the days late shown never increase down the list.
    late = [int(when.split(", ")[-1].split()[0]) for _, when, _ in rows if when.endswith("late")]
    assert late == sorted(late, reverse=True)
    assert "open for 2026-2027" in page.owed_summary.text() and "late" in page.owed_summary.text()


def test_enter_or_open_page_asks_for_the_page_that_fixes_it(qtbot, demo_file):
    page = DashboardPage()
    qtbot.addWidget(page)
    page.refresh(demo_file, today=TODAY)
    wanted = next(r for r in range(page.owed.rowCount()) if page.owed.item(r, 2).text() == "Complaints page")
    page.owed.setCurrentCell(wanted, 0)
    with qtbot.waitSignal(page.page_requested) as asked:
        page.open_button.click()
    assert asked.args == ["Complaints"]
    page.owed.setFocus()
    with qtbot.waitSignal(page.page_requested) as asked:
        qtbot.keyClick(page.owed, Qt.Key.Key_Return)
    assert asked.args == ["Complaints"]


def test_print_status_is_asked_for_and_things_done_are_listed(qtbot, demo_file):
    meetings.save_meeting(demo_file, Meeting("agreement_review", "2026-06-10", title="Agreement review"),
                          today=TODAY)
    page = DashboardPage()
    qtbot.addWidget(page)
    page.refresh(demo_file, today=TODAY)
    assert "The agreement was reviewed with the chief on 2026-06-10." in page.done_text.text()
    with qtbot.waitSignal(page.status_print_requested):
        page.status_button.click()


def test_the_controls_have_names_and_a_tab_order(qtbot, demo_file):
    page = DashboardPage()
    qtbot.addWidget(page)
    page.refresh(demo_file, today=TODAY)
    for widget in (page.owed, page.open_button, page.status_button, page.backup_button):
        assert widget.accessibleName()
    assert page.open_button.nextInFocusChain() is page.status_button


def _open_row_for(window, fix_on: str) -> None:
    """Choose the window's first dashboard row fixed on ``fix_on`` and press Open Page."""
    owed = window.dashboard.owed
    owed.setCurrentCell(next(r for r in range(owed.rowCount()) if owed.item(r, 2).text() == fix_on), 0)
    window.dashboard.open_button.click()


def test_in_the_window_an_item_opens_its_page_and_print_status_opens_the_print_page(
    qtbot, make_window, settle, demo_path
):
    from tests.ui.test_main_window import open_demo

    window = open_demo(make_window, settle, demo_path)
    _open_row_for(window, "Agreement page")
    assert window.stack.currentWidget() is window.agreement_page
    window.show_page(0)
    window.dashboard.status_button.click()
    assert window.stack.currentWidget() is window.print_page
    assert window.print_page.current_printable().key == "compliance"


def _c272_flag(data_file) -> int:
    """A citation for disorderly conduct inside a school building, last school year."""
    from sro_desk.records import enforcement as enf
    from sro_desk.records.district import load_district

    return enf.save_action(data_file, enf.Action(
        occurred_at="2026-03-10 10:15", school_id=load_district(data_file).schools[0].id, place="building",
        kind="citation", offense="disorderly"), today=TODAY)


def test_what_is_urgent_comes_first_and_an_open_flag_is_listed(qtbot, demo_file):
    from sro_desk.records import complaints as cmp

    cmp.save_complaint(demo_file, cmp.Complaint(received_on="2026-11-10", channel="form", subject="sro",
                                                category="conduct", description="Raised voice."), today=TODAY)
    _c272_flag(demo_file)
    page = DashboardPage()
    qtbot.addWidget(page)
    page.refresh(demo_file, today=TODAY)
    rows = _rows(page)
    whens = [when for _, when, _ in rows]
    complaint = next(r for r, (what, _, _) in enumerate(rows) if what.startswith("Complaint "))
    flag = next(r for r, (what, _, _) in enumerate(rows) if "G.L. c. 272, §§ 40, 53" in what)
    # The unacknowledged complaint is dated by its missed target, among the late items;
    # the flag (no date) comes right after them, before anything merely due.
    assert whens[complaint] == "due Nov 15, 2026, 7 days late"
    assert all(when.endswith("late") for when in whens[:flag])
    assert whens[flag] == "now" and rows[flag][2] == "Enforcement Data page"
    assert "acknowledge the flag with an explanation" in rows[flag][0]
    assert not any(when.endswith("late") for when in whens[flag:])
    assert "1 to act on now" in page.owed_summary.text()
    page.owed.setCurrentCell(flag, 0)
    page.owed.setFocus()
    with qtbot.waitSignal(page.page_requested) as asked:
        qtbot.keyClick(page.owed, Qt.Key.Key_Return)
    assert asked.args == ["Enforcement Data"]


def test_in_the_window_a_flag_opens_the_enforcement_data_page(qtbot, make_window, settle, demo_path):
    from sro_desk.store import DataFile, OpenOptions
    from tests.ui.test_main_window import open_demo

    with DataFile.open(demo_path, OpenOptions()) as data_file:
        _c272_flag(data_file)
    window = open_demo(make_window, settle, demo_path)
    _open_row_for(window, "Enforcement Data page")
    assert window.stack.currentWidget() is window.enforcement_page
