"""What the district owes, and by when: one rule per obligation of the SRO program.

Each rule looks at the file and returns obligations, done or not, each with its due date,
how late it is and the page that fixes it. The dashboard lists the open ones, most urgent
first (``open_items``): what is late, then what needs acting on now, dated or not (an
open enforcement flag, a certification missing, suspended or about to lapse), then what
is due soon, then the rest. The one-page compliance status and the packet's summary
print them all; the open enforcement flags are the dashboard's alone
(``dashboard_obligations``), since an entry's date, school and kind could point to a
student in anything printed for the public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sro_desk.records import complaints, enforcement, meetings, training
from sro_desk.records.agreement_review import agreement_reminder, reminder_read
from sro_desk.records.calendar import previous_school_year, school_year_bounds
from sro_desk.records.listing import action_of, flag_sql, open_flags_sql
from sro_desk.records.settings import current_school_year, get_setting, school_year_start_month
from sro_desk.store import DataFile, one_snapshot
from sro_desk.store.database import Read
from sro_desk.store.backup import backup_time, latest_backup

#: Pages that fix an obligation (their titles in the window).
AGREEMENT, TRAINING, COMPLAINTS, MEETINGS, REVIEW, DASHBOARD, ENFORCEMENT = (
    "Agreement", "Training", "Complaints", "Meetings", "Review", "Dashboard", "Enforcement Data")
#: How many days before a due date an obligation starts to show as coming up.
COMING_UP_DAYS = 45
#: Late complaints and action items listed one by one; any more are counted in one line.
LISTED = 8
#: A backup older than this many days is an obligation of its own.
BACKUP_DAYS = 7
#: The DESE filing's usual due date (month, day) in the school year's first summer; a
#: district changes it with the setting ``dese_filing_due`` ("MM-DD").
DESE_FILING_DUE = (8, 31)
#: Review metrics are agreed in advance: by default by the end of the school year's
#: fourth month (October for a July start); setting ``metrics_due_months``.
METRICS_DUE_MONTHS = 4


@dataclass(frozen=True)
class Obligation:
    """One thing the program owes: what, by when, how late, and where to fix it."""

    key: str
    what: str
    due: date | None
    done: bool
    page: str
    #: Days past the due date (negative: days left; None: no date).
    days_late: int | None = None
    #: To act on now though it has no date (an open enforcement flag, a certification
    #: missing or about to lapse): listed right after what is late.
    urgent: bool = False

    @property
    def late(self) -> bool:
        return not self.done and self.days_late is not None and self.days_late > 0

    def when(self) -> str:
        """'due Nov 30 (7 days left)', 'due today', '12 days late', 'now' (urgent, undated), or ''."""
        if self.done:
            return ""
        if self.due is None:
            return "now" if self.urgent else ""
        due = f"{self.due:%b} {self.due.day}, {self.due.year}"
        if self.days_late is None:
            return f"due {due}"
        if self.days_late > 0:
            return f"due {due}, {self.days_late} day{'s' if self.days_late != 1 else ''} late"
        if self.days_late == 0:
            return f"due today, {due}"
        left = -self.days_late
        return f"due {due}, {left} day{'s' if left != 1 else ''} left"


def _make(key: str, what: str, due: date | None, done: bool, page: str, today: date) -> Obligation:
    return Obligation(key, what, due, done, page, None if due is None else (today - due).days)


def _month_day(data_file: DataFile, key: str, default: tuple[int, int]) -> tuple[int, int]:
    text = get_setting(data_file, key, "") or ""
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)
        return month, day
    except ValueError:
        return default


def _in_year(school_year: str, starts: int, month: int, day: int) -> date:
    """The date (month, day) falls on within a school year."""
    first = int(school_year[:4])
    year = first if month >= starts else first + 1
    try:
        return date(year, month, day)
    except ValueError:  # February 29 in a common year
        return date(year, month, 28)


# -- the rules -------------------------------------------------------------------------------


def _agreement(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """The agreement reviewed and signed before the school year starts, then filed with DESE
    (with the operating procedures) by the filing date."""
    start, _ = school_year_bounds(year, starts_month=starts)
    found = data_file.query(*_status_read(year)[:2])
    status = found[0]["status"] if found else ""
    reviewed = data_file.query(*_reviewed_read(year, today, starts)[:2])
    signed = status in ("signed", "filed", "superseded")
    _, sentence = agreement_reminder(data_file, year, start, today)
    result = [
        _make("agreement_reviewed",
              f"Review the agreement with the chief before the {year} school year starts."
              if not reviewed else f"The agreement was reviewed with the chief on {reviewed[0]['held_on']}.",
              start, bool(reviewed), MEETINGS, today),
        _make("agreement_signed", sentence if not signed else f"The {year} agreement is signed.",
              start, signed, AGREEMENT, today),
    ]
    month, day = _month_day(data_file, "dese_filing_due", DESE_FILING_DUE)
    due = _in_year(year, starts, month, day)
    filed = status == "filed"
    result.append(_make(
        "agreement_filed",
        f"The {year} agreement and operating procedures are filed with DESE." if filed else
        f"File the {year} agreement and operating procedures with DESE, with the program's costs.",
        due, filed, AGREEMENT, today))
    return result


def _status_read(year: str) -> Read:
    return ("SELECT status FROM agreement WHERE school_year = ? ORDER BY CASE status WHEN 'filed' THEN 0 "
            "WHEN 'signed' THEN 1 WHEN 'superseded' THEN 1 ELSE 2 END, id DESC LIMIT 1", (year,), ("status",))


def _reviewed_read(year: str, today: date, starts: int) -> Read:
    """A review in the months before the year starts counts, and so does a late one held
    during the year (done, though after its date)."""
    start, end = school_year_bounds(year, starts_month=starts)
    return ("SELECT held_on FROM meeting WHERE kind = 'agreement_review' AND held_on BETWEEN ? AND ? "
            "AND held_on <= ? ORDER BY held_on DESC LIMIT 1",
            ((start - timedelta(days=270)).isoformat(), end.isoformat(), today.isoformat()), ("held_on",))


def _notice(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """Everyone told about the complaint system at the start of every school year."""
    done, sentence = complaints.notice_status(data_file, year, today=today)
    return [_make("complaint_notice", sentence, complaints.notice_due(data_file, year), done, COMPLAINTS, today)]


def _monthly_meetings(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """SRO and principal meet at least monthly, at every school with an SRO."""
    result = []
    for school in meetings.missing_monthly_meetings(data_file, year, today=today):
        if school.missing:
            first = school.missing[0]
            result.append(_make(f"meetings_missing_{school.school_id}", school.sentence(),
                                meetings.month_end(first), False, MEETINGS, today))
        if school.due is not None:
            result.append(_make(f"meeting_due_{school.school_id}", school.due_sentence(),
                                school.due, False, MEETINGS, today))
        if not school.missing and school.due is None:
            result.append(_make(f"meetings_{school.school_id}",
                                f"{school.school_name}: every monthly SRO and principal meeting so far is recorded.",
                                None, True, MEETINGS, today))
    return result


def _training(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """Each SRO's yearly hours and the agreement's yearly topics; their SRO certification and
    their own POST certification (``training.certification_warnings``: 555 CMR 10.07, 10.09;
    G.L. c. 71, § 37P(a))."""
    _, end = school_year_bounds(year, starts_month=starts)
    result = []
    for status in training.training_statuses(data_file, year, today=today):
        found = _make(f"training_{status.officer_id}", status.summary(), end, status.complete, TRAINING, today)
        if status.days_left > 0:  # counted as the summary counts them, today included
            found = Obligation(found.key, found.what, end, found.done, TRAINING, -status.days_left)
        result.append(found)
    for warning in training.certification_warnings(data_file, today=today):
        days = None if warning.due is None else (today - warning.due).days
        result.append(Obligation(warning.key, warning.what, warning.due, False, TRAINING, days,
                                 urgent=warning.urgent))
    return result


def _complaints(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """Complaints acknowledged, resolved and the resolution communicated within the targets."""
    late = complaints.overdue(data_file, today=today)
    if not late:
        return [Obligation("complaints", "No complaint is past its targets.", None, True, COMPLAINTS)]
    ack_days, resolve_days = complaints.targets(data_file)
    found = []
    for complaint, sentence in late[:LISTED]:
        # Dated by the target it missed (as ``complaints.overdue`` decides), so it is
        # listed among the late items by how late it is.
        received = date.fromisoformat(complaint.received_on)
        unacknowledged = not complaint.acknowledged_on and (today - received).days > ack_days
        due = received + timedelta(days=ack_days if unacknowledged else resolve_days)
        found.append(_make(f"complaint_{complaint.id}", sentence, due, False, COMPLAINTS, today))
    if len(late) > LISTED:
        found.append(Obligation("complaints_more", f"{len(late) - LISTED} more complaints are past their "
                                "targets; the Complaints page lists them.", None, False, COMPLAINTS, urgent=True))
    return found


def _pass_on(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """Each open complaint about an officer passed to the police department within the set
    business days of receipt (the department then acts on it: 555 CMR 1.01(1))."""
    owed = complaints.pass_on_owed(data_file)
    found = [_make(f"complaint_pass_on_{complaint.id}", sentence, due, False, COMPLAINTS, today)
             for complaint, due, sentence in owed[:LISTED]]
    if len(owed) > LISTED:
        found.append(Obligation("complaints_pass_on_more", f"{len(owed) - LISTED} more complaints about an officer "
                                "are not yet recorded as passed to the police department; the Complaints page "
                                "lists them.", None, False, COMPLAINTS, urgent=True))
    return found


def _metrics(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """The review metrics agreed by the chief and the superintendent in advance."""
    try:
        months = int(get_setting(data_file, "metrics_due_months", str(METRICS_DUE_MONTHS)))
    except (TypeError, ValueError):
        months = METRICS_DUE_MONTHS
    start, end = school_year_bounds(year, starts_month=starts)
    month = (start.month - 1 + max(1, min(12, months))) % 12 + 1
    due = min(end, _in_year(year, starts, month, 1) - timedelta(days=1))
    rows = data_file.query(*_metrics_read(year)[:2])[0]
    if not rows["n"]:
        return [_make("metrics", f"Agree the {year} review metrics with the chief.", due, False, REVIEW, today)]
    if rows["agreed"] < rows["n"]:
        return [_make("metrics", f"{rows['n'] - rows['agreed']} of the {year} review metrics are not yet "
                      "agreed with the chief.", due, False, REVIEW, today)]
    return [_make("metrics", f"The {year} review metrics are agreed.", due, True, REVIEW, today)]


def _metrics_read(year: str) -> Read:
    return ("SELECT count(*) AS n, sum(agreed_on IS NOT NULL AND agreed_on != '') AS agreed "
            "FROM review_metric WHERE school_year = ?", (year,), ("n", "agreed"))


def _review(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """The end-of-year review held by the end of the school year (and the year before's)."""
    result = []
    for which in (previous_school_year(year), year):
        _, end = school_year_bounds(which, starts_month=starts)
        if which == year and (end - today).days > COMING_UP_DAYS:
            continue
        if which != year and not data_file.query(*_ran_read(which, starts)[:2]):
            continue
        held = data_file.query(*_held_read(which)[:2])
        done = bool(held) and held[0]["status"] == "final"
        what = (f"The {which} end-of-year review was held on {held[0]['held_on']}." if done else
                f"Hold the {which} end-of-year review with the SRO, the chief and the superintendent, "
                "and give each a copy.")
        result.append(_make(f"review_{which}", what, end, done, REVIEW, today))
    return result


def _held_read(year: str) -> Read:
    return ("SELECT status, held_on FROM annual_review WHERE school_year = ?", (year,), ("status", "held_on"))


def _ran_read(year: str, starts: int) -> Read:
    """Whether the program ran in ``year``: an agreement or a meeting."""
    return ("SELECT 1 AS ran FROM agreement WHERE school_year = ? UNION ALL "
            "SELECT 1 FROM meeting WHERE held_on BETWEEN ? AND ? LIMIT 1",
            (year, *(d.isoformat() for d in school_year_bounds(year, starts_month=starts))), ("ran",))


def _actions(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """Action items from meetings, due soon or late."""
    result = []
    owed = meetings.action_items_due(data_file, today=today, within_days=COMING_UP_DAYS, limit=LISTED)
    if owed.total > LISTED:
        result.append(_make("actions_more", f"{owed.total - LISTED} more action items are due soon or late "
                            f"({owed.late} late in all); the Meetings page lists them.",
                            date.fromisoformat(owed.next_due), False, MEETINGS, today))
    for action in owed.listed:
        due = date.fromisoformat(action.item.due_on)
        owner = f" ({action.item.owner})" if action.item.owner else ""
        what = f"{action.item.description}{owner}: from the {action.meeting_title} of {action.held_on}."
        result.append(_make(f"action_{action.item.id}", what, due, False, MEETINGS, today))
    return result


def _backup(data_file: DataFile, year: str, today: date, starts: int) -> list[Obligation]:
    """A backup of the file no older than a week."""
    latest = latest_backup(data_file.path)
    made: datetime | None = backup_time(latest) if latest is not None else None
    if made is None:
        return [Obligation("backup", "There is no backup of this file yet; back it up now.", today, False,
                           DASHBOARD, 0)]
    due = made.date() + timedelta(days=BACKUP_DAYS)
    done = due >= today
    what = (f"The file was last backed up on {made:%b} {made.day}, {made.year}."
            + ("" if done else " Back it up now."))
    return [_make("backup", what, due, done, DASHBOARD, today)]


RULES: list[Callable[[DataFile, str, date, int], list[Obligation]]] = [
    _agreement, _notice, _monthly_meetings, _training, _complaints, _pass_on, _metrics, _review, _actions,
    _backup,
]


def _reads(data_file: DataFile, year: str, today: date, starts: int) -> list[Read]:
    """What the rules read, for ``DataFile.prefetch``: inside a page's snapshot the
    dashboard asks the file once for them all."""
    last = previous_school_year(year)
    return [
        _status_read(year), _reviewed_read(year, today, starts), reminder_read(year), _metrics_read(year),
        _held_read(year), _held_read(last), _ran_read(last, starts),
        *complaints.dashboard_reads(data_file, year, today),
        *training.dashboard_reads(data_file, year, today),
        *meetings.dashboard_reads(data_file, year, today, within_days=COMING_UP_DAYS, limit=LISTED),
    ]


@one_snapshot
def obligations(data_file: DataFile, *, today: date | None = None, school_year: str | None = None) -> list[Obligation]:
    """Every obligation for the school year (the current one by default), done or not."""
    today = today or date.today()
    starts = school_year_start_month(data_file)
    year = school_year or current_school_year(data_file, today)
    data_file.prefetch(_reads(data_file, year, today, starts))
    found: list[Obligation] = []
    for rule in RULES:
        found += rule(data_file, year, today, starts)
    return found


# -- open enforcement flags (the dashboard's alone) ------------------------------------------


def _flags_read(data_file: DataFile) -> Read:
    """Entries of any year with a flag not acknowledged, those against a statute first,
    then oldest first, at most LISTED of them, each with its school's name and how many
    there are in all. The condition repeats the partial index's (migration 0011) word for
    word, so the file reads that small index, not every entry."""
    columns = data_file.columns("enforcement_action")
    statute = " OR ".join(flag_sql()[rule] for rule in sorted(enforcement.STATUTE_RULES)) or "0"
    select = ", ".join(f"[{c}]" for c in columns)
    return (
        f"SELECT {select}, (SELECT name FROM school WHERE school.id = enforcement_action.school_id) "
        "AS school_name, count(*) OVER () AS total FROM enforcement_action "
        f"WHERE {open_flags_sql()} ORDER BY ({statute}) DESC, occurred_at, id LIMIT ?",
        (LISTED,), (*columns, "school_name", "total"),
    )


def _rule_sentence(rule: str) -> str:
    """The rule's sentence, saying where it comes from: a statute's rule cites it (in the
    sentence itself); the others are the agreement's, not the law's."""
    sentence = enforcement.RULES[rule]
    if rule in enforcement.STATUTE_RULES:
        return sentence
    return sentence.rstrip(".") + " (a rule of the agreement, not a statute)."


def enforcement_flags(data_file: DataFile, *, today: date | None = None) -> list[Obligation]:
    """One urgent item per enforcement entry with a flag not acknowledged, in any school
    year: what the entry is, the rules it breaks with their source, and what to do. For
    the dashboard only (see the module's docstring)."""
    found = data_file.query(*_flags_read(data_file)[:2])
    result = []
    for row in found:
        action = action_of(row)
        moment = datetime.fromisoformat(action.occurred_at)
        kind = enforcement.KINDS.get(action.kind, action.kind)
        school = f" at {row['school_name']}" if row["school_name"] else ""
        rules = " ".join(_rule_sentence(rule) for rule in action.open_flags())
        what_to_do = ("acknowledge the flag" if len(action.open_flags()) == 1
                      else "acknowledge each flag")
        result.append(Obligation(
            f"enforcement_flag_{action.id}",
            f"{kind} on {moment:%b} {moment.day}, {moment.year}{school} ({action.school_year} entry) is "
            f"flagged: {rules} Correct the entry if it is wrong, or {what_to_do} with an explanation.",
            None, False, ENFORCEMENT, urgent=True))
    total = found[0]["total"] if found else 0
    if total > len(found):
        more = total - len(found)
        result.append(Obligation(
            "enforcement_flags_more",
            f"{more} more enforcement {'entry has' if more == 1 else 'entries have'} open flags; "
            "the Enforcement Data page lists them (Show only flagged entries).",
            None, False, ENFORCEMENT, urgent=True))
    return result


def open_flag_years_read() -> Read:
    """The school years with entries whose flags are not all acknowledged, and how many
    (from the partial index of migration 0011: its condition word for word)."""
    return (f"SELECT school_year, count(*) AS entries FROM enforcement_action WHERE {open_flags_sql()} "
            "GROUP BY school_year ORDER BY school_year", (), ("school_year", "entries"))


def open_flag_years(data_file: DataFile) -> dict[str, int]:
    """school year -> entries with open flags, for each year that has some."""
    return {r["school_year"]: r["entries"] for r in data_file.query(*open_flag_years_read()[:2])}


@one_snapshot
def dashboard_obligations(data_file: DataFile, *, today: date | None = None,
                          school_year: str | None = None) -> list[Obligation]:
    """``obligations`` and the open enforcement flags, read together in one statement."""
    today = today or date.today()
    starts = school_year_start_month(data_file)
    year = school_year or current_school_year(data_file, today)
    data_file.prefetch([*_reads(data_file, year, today, starts), _flags_read(data_file)])
    return obligations(data_file, today=today, school_year=year) + enforcement_flags(data_file, today=today)


# -- the order of the open items ---------------------------------------------------------------

#: The groups ``open_items`` lists, in order.
LATE, NOW, SOON, LATER, UNDATED = range(5)


def urgency(item: Obligation) -> int:
    """Which group an open item is listed in: LATE, NOW (urgent and not yet late, with a
    date or none: a certification expiring within 90 days is to act on now), SOON (due
    within COMING_UP_DAYS, today included), LATER, or UNDATED (no date, not urgent)."""
    if item.late:
        return LATE
    if item.urgent:
        return NOW
    if item.days_late is None:
        return UNDATED
    return SOON if item.days_late >= -COMING_UP_DAYS else LATER


def open_items(found: list[Obligation]) -> list[Obligation]:
    """The obligations not done, most urgent first: what is late (the latest first), what
    needs acting on now (the undated first, then the soonest due), what is due soon, what
    is due later (soonest first), and what has no date (each group in the order found)."""
    pending = [o for o in found if not o.done]
    return sorted(pending, key=lambda o: (urgency(o), -(o.days_late or 0)))
