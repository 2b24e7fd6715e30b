"""The annual review: the program's goals, the agreed metrics, feedback, and the review.

At the end of each school year the SRO, the Chief and the Superintendent review the
program against its goals and against metrics the Chief and the Superintendent agreed in
advance. Metrics are entered by hand or counted from the file (enforcement entries,
complaints, training, the SRO's activity). Feedback from principals, teachers, students
and families is gathered through the year. The review records a finding per goal and per
metric, a narrative on the SRO's work, and the superintendent's recommendation on each
assignment; when the chief keeps an officer the superintendent recommended against, the
chief's written explanation is required before the review can be final.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NewType

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records import enforcement as enf
from sro_desk.records.calendar import parse_school_year, previous_school_year, school_year_bounds
from sro_desk.records.meetings import (
    MAX_NOTES,
    MAX_TEXT,
    load_meeting,
    meeting_months,
    meetings_for,
    meetings_for_reads,
    placements_reads,
    missing_monthly_meetings,
    parse_day,
    sros_for_year,
    sync_children,
    touch,
    year_months,
)
from sro_desk.records.settings import MONTHS, school_year_start_month
from sro_desk.store import DataFile, one_snapshot, rows
from sro_desk.store.database import Read

GoalId = NewType("GoalId", int)
MetricId = NewType("MetricId", int)
ReviewId = NewType("ReviewId", int)

#: The model agreement's goals, in our own words (see DOMAIN.md); districts edit them.
DEFAULT_GOALS: tuple[str, ...] = (
    "Every student is safe and supported at school, whatever their race, religion, origin, "
    "immigration status, gender, disability, sexual orientation, identity or family income.",
    "The school and the police work as partners, and each side knows its own role.",
    "The school and the police decide together how to respond to misbehaviour and to students "
    "who need services.",
    "School administrators, not the SRO, handle the code of conduct and everyday discipline.",
    "As few students as possible are kept out of class, arrested at school or sent to court "
    "without need.",
    "The SRO connects students with help as well as keeping them safe.",
    "The SRO has the training the law requires and training in good practice, and staff know "
    "when to call the SRO.",
    "The school and the police work together on violence prevention and emergency planning.",
    "The SRO gives talks on the law, safety, health and community topics.",
)
GOAL_SOURCES = {"default": "Model agreement (summary)", "agreement": "The agreement", "district": "The district"}

#: Metrics counted from the file, key -> label.
COMPUTED: dict[str, str] = {
    "arrests": "Arrests",
    "citations": "Citations and tickets",
    "court_referrals": "Court referrals",
    "diversions": "Diversions and restorative referrals",
    "substantiated_complaints": "Substantiated complaints about the SRO or the program",
    "training_hours": "SRO training hours beyond the basic course",
    "required_topics": "Required training topics covered",
    "community_activities": "Community-building events and presentations",
}
#: What each counted metric measures, offered when the metric is added.
COMPUTED_MEASURES: dict[str, str] = {
    "arrests": "School-based arrests recorded in the enforcement data.",
    "citations": "Citations and tickets recorded in the enforcement data.",
    "court_referrals": "Court referrals and complaint applications recorded in the enforcement data.",
    "diversions": "Diversion and restorative referrals recorded in the enforcement data.",
    "substantiated_complaints": "Complaints from the school community found substantiated (voided ones left out).",
    "training_hours": "Hours of training each SRO logged, not counting the basic course (the lowest is shown).",
    "required_topics": "How many of the required yearly topics each SRO covered (the lowest is shown).",
    "community_activities": "Community-building events and presentations the SRO logged.",
}
_ENFORCEMENT_METRICS = {"arrests": "arrest", "citations": "citation", "court_referrals": "court_referral",
                        "diversions": "diversion"}
#: Metrics that count students' actions or complaints: hidden when small in public print.
COUNT_METRICS = {*_ENFORCEMENT_METRICS, "substantiated_complaints"}
MANUAL = "manual"

SOURCE_GROUPS: dict[str, str] = {
    "principals": "Principals",
    "teachers": "Teachers",
    "students": "Students",
    "families": "Families",
    "staff": "Other staff",
    "community": "Community members",
}
RATINGS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}
RECOMMENDATIONS = {"continue": "Continue the assignment", "end": "End the assignment"}
STATUSES = {"draft": "Draft", "final": "Final"}


def _year(school_year: str) -> str:
    try:
        parse_school_year(school_year)
    except ValueError as exc:
        raise ValidationError(str(exc), field="school_year") from None
    return school_year.strip()


# -- goals -----------------------------------------------------------------------------


@dataclass
class Goal:
    text: str
    source: str = "district"
    position: int = 0
    retired: bool = False
    id: GoalId | None = None
    version: int = 0


def _goal(row: dict) -> Goal:
    return Goal(row["text"], row["source"], row["position"], bool(row["retired"]), GoalId(row["id"]), row["version"])


_ANY_GOAL: Read = ("SELECT id FROM program_goal LIMIT 1", (), ("id",))


def _goals_read(data_file: DataFile, include_retired: bool) -> Read:
    where = "" if include_retired else "WHERE coalesce(retired, 0) = 0"
    return f"SELECT * FROM program_goal {where} ORDER BY position, id", (), data_file.columns("program_goal")


def list_goals(
    data_file: DataFile, *, include_retired: bool = False, school_year: str | None = None
) -> list[Goal]:
    """The program's goals in order. A file with none gets them first: the goals clause
    of the agreement in force (for ``school_year``, by default the current one), else the
    model's; on a read-only file, unsaved copies."""
    sql, params, _columns = _goals_read(data_file, include_retired)
    found = [_goal(r) for r in data_file.query(sql, params)]
    if found or data_file.query(_ANY_GOAL[0]):
        return found
    texts, source = starting_goals(data_file, school_year)
    if data_file.read_only:
        return [Goal(text, source, n) for n, text in enumerate(texts, start=1)]
    with data_file.write():
        for number, text in enumerate(texts, start=1):
            rows.insert(data_file, "program_goal", {"position": number, "text": text, "source": source, "retired": 0})
    return list_goals(data_file, include_retired=include_retired, school_year=school_year)


def starting_goals(data_file: DataFile, school_year: str | None = None) -> tuple[list[str], str]:
    """(goal texts, source): the agreement's goals clause when one is in force, else the model's."""
    from sro_desk.records.settings import current_school_year

    found = goals_from_agreement(data_file, school_year or current_school_year(data_file))
    return (found, "agreement") if found else (list(DEFAULT_GOALS), "default")


def goals_from_agreement(data_file: DataFile, school_year: str) -> list[str]:
    """The goals listed in the goals clause of the agreement in force for a school year
    (the signed one for that year or the latest before it), notes left out; [] if none."""
    from sro_desk.records import agreement_blanks as blanks_
    from sro_desk.records.agreement_text import render

    found = data_file.query(
        "SELECT a.id FROM agreement a WHERE a.status IN ('signed', 'filed', 'superseded') "
        "AND a.school_year <= ? ORDER BY a.school_year DESC, a.id DESC LIMIT 1",
        (school_year,),
    )
    if not found:
        return []
    clause = data_file.query(
        "SELECT text FROM agreement_clause WHERE agreement_id = ? AND coalesce(included, 1) = 1 "
        "AND (clause_key = 'mou.goals' OR (clause_key IS NULL AND lower(title) LIKE '%goal%')) "
        "ORDER BY clause_key IS NULL, position LIMIT 1",
        (found[0]["id"],),
    )
    if not clause:
        return []
    blanks = data_file.query("SELECT key, type, value FROM agreement_blank WHERE agreement_id = ?", (found[0]["id"],))
    values = {b["key"]: blanks_.printed(b["type"], blanks_.load(b["value"])) for b in blanks}
    paragraphs = render(clause[0]["text"], values, known=set(values))
    bullets = [p.plain().strip() for p in paragraphs if p.bullet]
    return [text for text in (bullets or [p.plain().strip() for p in paragraphs]) if text]


def import_goals_from_agreement(data_file: DataFile, school_year: str) -> int:
    """Add the goals of the agreement in force that are not listed yet; returns how many."""
    texts = goals_from_agreement(data_file, _year(school_year))
    if not texts:
        raise SroDeskError(
            f"No signed agreement in force for {school_year} has a goals clause; enter the goals by hand."
        )
    with data_file.write():
        existing = data_file.query("SELECT text, position FROM program_goal")
        have = {r["text"].casefold() for r in existing}
        position = max((r["position"] for r in existing), default=0)
        added = 0
        for text in texts:
            if text.casefold() not in have:
                position += 1
                added += 1
                rows.insert(data_file, "program_goal", {"position": position, "text": text, "source": "agreement",
                                                        "retired": 0})
    return added


def save_goal(data_file: DataFile, goal: Goal) -> GoalId:
    """Add a goal at the end of the list, or reword one."""
    text = " ".join(goal.text.split())
    if not text:
        raise ValidationError("Write the goal in a sentence.", field="text")
    if len(text) > 1000:
        raise ValidationError("Keep each goal under 1,000 characters.", field="text")
    with data_file.write():
        if goal.id is None:
            position = data_file.query("SELECT coalesce(max(position), 0) + 1 AS n FROM program_goal")[0]["n"]
            return GoalId(rows.insert(data_file, "program_goal", {
                "position": position, "text": text, "source": goal.source if goal.source in GOAL_SOURCES else "district",
                "retired": int(goal.retired)}))
        rows.update(data_file, "program_goal", goal.id, {"text": text}, expected_version=goal.version, label="goal")
        return goal.id


def retire_goal(data_file: DataFile, goal: Goal, *, retired: bool = True) -> None:
    """Take a goal off the list (kept, since past reviews have findings on it), or restore it."""
    with data_file.write():
        rows.update(data_file, "program_goal", goal.id, {"retired": int(retired)},
                    expected_version=goal.version, label="goal")


def reorder_goals(data_file: DataFile, goals: list[Goal]) -> None:
    """Number the goals in the order given (each at the version it was loaded at)."""
    with data_file.write():
        for number, goal in enumerate(goals, start=1):
            rows.update(data_file, "program_goal", goal.id, {"position": number},
                        expected_version=goal.version, label="goal")


# -- metrics ---------------------------------------------------------------------------


@dataclass
class ReviewMetric:
    school_year: str
    name: str
    source: str = MANUAL
    measures: str = ""
    target: str = ""
    manual_value: str = ""
    agreed_on: str = ""
    agreed_by: str = ""
    position: int = 0
    id: MetricId | None = None
    version: int = 0

    @property
    def computed(self) -> bool:
        return self.source in COMPUTED

    @property
    def source_label(self) -> str:
        return "From the file" if self.computed else "By hand"


def _metric(row: dict) -> ReviewMetric:
    return ReviewMetric(
        row["school_year"], row["name"], row["source"], row["measures"] or "", row["target"] or "",
        row["manual_value"] or "", row["agreed_on"] or "", row["agreed_by"] or "", row["position"],
        MetricId(row["id"]), row["version"],
    )


def _metrics_read(data_file: DataFile, school_year: str) -> Read:
    return ("SELECT * FROM review_metric WHERE school_year = ? ORDER BY position, id", (school_year,),
            data_file.columns("review_metric"))


def metrics_for(data_file: DataFile, school_year: str) -> list[ReviewMetric]:
    """A school year's review metrics, in order."""
    sql, params, _columns = _metrics_read(data_file, school_year)
    return [_metric(r) for r in data_file.query(sql, params)]


def save_metric(data_file: DataFile, metric: ReviewMetric, *, today: date | None = None) -> MetricId:
    """Add or change a metric. Changing what an agreed metric measures (its name, what it
    measures, its target or source) clears the agreement: it must be agreed again."""
    year = _year(metric.school_year)
    if metric.source != MANUAL and metric.source not in COMPUTED:
        raise ValidationError("Choose whether the metric is entered by hand or counted from the file.", field="source")
    name = " ".join(metric.name.split()) or (COMPUTED.get(metric.source, ""))
    if not name:
        raise ValidationError("Name the metric.", field="name")
    values = {
        "school_year": year,
        "name": name,
        "measures": metric.measures.strip() or COMPUTED_MEASURES.get(metric.source, ""),
        "target": metric.target.strip(),
        "source": metric.source,
        "manual_value": metric.manual_value.strip() if metric.source == MANUAL else "",
        "agreed_by": metric.agreed_by.strip(),
    }
    for key, most in (("name", MAX_TEXT), ("target", 1000), ("measures", 2000), ("manual_value", 1000),
                      ("agreed_by", MAX_TEXT)):
        if len(values[key]) > most:
            raise ValidationError(f"Keep the metric's {key.replace('_', ' ')} under {most:,} characters.", field=key)
    agreed = parse_day(metric.agreed_on, "the date the metrics were agreed", field_name="agreed_on",
                       today=today or date.today()).isoformat() if metric.agreed_on.strip() else ""
    values["agreed_on"] = agreed
    if agreed and not values["agreed_by"]:
        raise ValidationError("Record who agreed the metric (the Chief and the Superintendent).", field="agreed_by")
    with data_file.write():
        twin = data_file.query("SELECT id FROM review_metric WHERE school_year = ? AND lower(name) = lower(?) "
                               "AND id != ?", (year, name, metric.id or 0))
        if twin:
            raise ValidationError(f"{year} already has a metric called {name}.", field="name")
        if metric.id is None:
            position = data_file.query("SELECT coalesce(max(position), 0) + 1 AS n FROM review_metric "
                                       "WHERE school_year = ?", (year,))[0]["n"]
            return MetricId(rows.insert(data_file, "review_metric", {**values, "position": position}))
        stored = rows.get(data_file, "review_metric", metric.id)
        if stored and stored["agreed_on"] and any(
            (stored[k] or "") != values[k] for k in ("name", "measures", "target", "source")
        ):
            values["agreed_on"], values["agreed_by"] = None, None
        rows.update(data_file, "review_metric", metric.id, values, expected_version=metric.version, label="metric")
        return metric.id


def delete_metric(data_file: DataFile, metric: ReviewMetric) -> None:
    """Remove a metric the review has no finding on."""
    with data_file.write():
        if data_file.query("SELECT id FROM review_finding WHERE metric_id = ?", (metric.id,)):
            raise ValidationError("The review has a finding on this metric; remove the finding first.")
        rows.delete(data_file, "review_metric", metric.id, expected_version=metric.version, label="metric")


def copy_metrics_from(data_file: DataFile, from_year: str, to_year: str) -> int:
    """Start a year's metrics from another year's (names, what they measure, targets);
    values and the agreement are not copied. Returns how many were added."""
    source = metrics_for(data_file, _year(from_year))
    if not source:
        raise SroDeskError(f"{from_year} has no metrics to copy.")
    to_year = _year(to_year)
    with data_file.write():
        existing = data_file.query("SELECT name, position FROM review_metric WHERE school_year = ?", (to_year,))
        have = {r["name"].casefold() for r in existing}
        position = max((r["position"] for r in existing), default=0)
        added = 0
        for metric in source:
            if metric.name.casefold() in have:
                continue
            position += 1
            added += 1
            rows.insert(data_file, "review_metric", {
                "school_year": to_year, "position": position, "name": metric.name, "measures": metric.measures,
                "target": metric.target, "source": metric.source, "manual_value": "",
                "agreed_on": None, "agreed_by": None})
    return added


def agree_metrics(data_file: DataFile, school_year: str, on: str, by: str, *, today: date | None = None) -> int:
    """Record that the Chief and the Superintendent agreed every metric of a year."""
    metrics = metrics_for(data_file, _year(school_year))
    if not metrics:
        raise ValidationError(f"Add the metrics for {school_year} before recording that they were agreed.")
    day = parse_day(on, "the date the metrics were agreed", field_name="agreed_on", today=today or date.today())
    who = " ".join(by.split())
    if not who:
        raise ValidationError("Record who agreed the metrics (the Chief and the Superintendent).", field="agreed_by")
    if len(who) > MAX_TEXT:
        raise ValidationError("Keep who agreed the metrics under 300 characters.", field="agreed_by")
    with data_file.write():
        for metric in metrics:
            rows.update(data_file, "review_metric", metric.id, {"agreed_on": day.isoformat(), "agreed_by": who},
                        expected_version=metric.version, label="metric")
    return len(metrics)


@dataclass
class Measured:
    """A metric counted from the file: the number compared with targets, and how it reads."""

    value: float
    text: str


def _count_read(key: str, school_year: str) -> Read | None:
    """The read that counts a metric other than training, None for training."""
    if key in _ENFORCEMENT_METRICS:
        return ("SELECT count(*) AS n FROM enforcement_action WHERE school_year = ? AND kind = ?",
                (school_year, _ENFORCEMENT_METRICS[key]), ("n",))
    if key == "substantiated_complaints":
        return ("SELECT count(*) AS n FROM complaint WHERE school_year = ? AND track = 'community' "
                "AND finding = 'substantiated' AND coalesce(voided, 0) = 0", (school_year,), ("n",))
    if key == "community_activities":
        return ("SELECT coalesce(sum(count), 0) AS n FROM sro_activity WHERE school_year = ? "
                "AND kind IN ('community', 'presentation')", (school_year,), ("n",))
    return None


def metric_reads(data_file: DataFile, metrics: list[ReviewMetric], school_year: str) -> list[Read]:
    """What counting ``metrics`` for ``school_year`` (``compute_metric``) reads, for
    ``DataFile.prefetch``."""
    from sro_desk.records import training

    reads: list[Read] = []
    keys = {m.source for m in metrics if m.computed}
    for key in sorted(keys):
        count = _count_read(key, school_year)
        if count is not None:
            reads.append(count)
    if keys & {"training_hours", "required_topics"}:
        reads += [*placements_reads(), *training.dashboard_reads(data_file, school_year)]
    return reads


def compute_metric(data_file: DataFile, key: str, school_year: str, *, today: date | None = None) -> Measured:
    """Count a metric from the file for a school year.

    Enforcement metrics count entries of that kind; complaints count community complaints
    found substantiated (voided ones and the SRO's own concerns about staff left out);
    training counts each of the year's SROs and shows the lowest (with each officer when
    there are several); community activity adds up the SRO's community-building events
    and presentations.
    """
    from sro_desk.records.training import hours_text, training_status

    _year(school_year)
    count = _count_read(key, school_year)
    if count is not None:
        n = data_file.query(count[0], count[1])[0]["n"]
        return Measured(n, str(n))
    if key in ("training_hours", "required_topics"):
        statuses = [training_status(data_file, officer_id, school_year, today=today)
                    for officer_id, _ in sros_for_year(data_file, school_year)]
        if not statuses:
            return Measured(0, "")
        if key == "training_hours":
            values = [(s.officer_name, s.done_quarters / 4, f"{hours_text(s.done_quarters)} h") for s in statuses]
        else:
            covered = [len(s.requirement.topics) - len(s.topics_missing) for s in statuses]
            values = [(s.officer_name, n, f"{n} of {len(s.requirement.topics)}") for s, n in zip(statuses, covered)]
        lowest = min(v for _, v, _ in values)
        if len(values) == 1:
            return Measured(lowest, values[0][2])
        return Measured(lowest, "; ".join(f"{name} {text}" for name, _, text in values))
    raise ValidationError("Choose a metric the file can count.", field="source")


def metric_actual(data_file: DataFile, metric: ReviewMetric, *, today: date | None = None) -> str:
    """The metric's value as printed: counted from the file, or as entered ('' if not yet)."""
    if metric.computed:
        return compute_metric(data_file, metric.source, metric.school_year, today=today).text
    return metric.manual_value


def metrics_agreed_late(data_file: DataFile, school_year: str) -> str | None:
    """A sentence when the year's metrics were not agreed in advance, else None: none
    set, some never agreed, or agreed after the review meeting (or after school started)."""
    metrics = metrics_for(data_file, _year(school_year))
    review = load_review(data_file, school_year)
    held = review.held_on if review else ""
    if not metrics:
        return (f"No metrics were agreed for {school_year}; the Chief and the Superintendent agree them "
                "before the year is reviewed.")
    unagreed = [m.name for m in metrics if not m.agreed_on]
    if len(unagreed) == len(metrics):
        return (f"The metrics for {school_year} were not agreed in advance, as the agreement asks; record when "
                "the Chief and the Superintendent agreed them.")
    if unagreed:
        return (f"{len(unagreed)} of the {len(metrics)} metrics for {school_year} were not agreed in advance, "
                "as the agreement asks.")
    last = max(m.agreed_on for m in metrics)
    if held and last > held:
        return (f"The metrics for {school_year} were agreed on {last}, after the review meeting of {held}; "
                "the agreement asks for them to be agreed in advance.")
    starts = school_year_start_month(data_file)
    months = meeting_months(data_file)
    opened = next((m for m in year_months(school_year, starts) if m.month in months), None)
    if opened and last > opened.isoformat():
        return (f"The metrics for {school_year} were agreed on {last}, after school started "
                f"({opened.isoformat()}); the agreement asks for them before the school year starts.")
    return None


# -- community feedback ----------------------------------------------------------------


@dataclass
class Feedback:
    received_on: str
    source_group: str
    summary: str
    school_id: int | None = None
    school_year: str = ""
    id: int | None = None
    version: int = 0

    @property
    def group_label(self) -> str:
        return SOURCE_GROUPS.get(self.source_group, self.source_group)


def save_feedback(data_file: DataFile, feedback: Feedback, *, today: date | None = None) -> int:
    """Record feedback gathered from a group of the school community (a summary, no names needed)."""
    from sro_desk.records.calendar import school_year_of

    day = parse_day(feedback.received_on, "the date the feedback was gathered", field_name="received_on",
                    today=today or date.today())
    if feedback.source_group not in SOURCE_GROUPS:
        raise ValidationError("Choose who the feedback came from.", field="source_group")
    summary = feedback.summary.strip()
    if not summary:
        raise ValidationError("Summarise the feedback.", field="summary")
    if len(summary) > 10_000:
        raise ValidationError("Keep the summary under 10,000 characters; attach the full notes to a meeting.",
                              field="summary")
    if feedback.school_id is not None and not data_file.query("SELECT id FROM school WHERE id = ?",
                                                              (feedback.school_id,)):
        raise ValidationError("That school is no longer in the file; choose it again.", field="school_id")
    values = {"received_on": day.isoformat(), "source_group": feedback.source_group, "summary": summary,
              "school_id": feedback.school_id,
              "school_year": school_year_of(day, starts_month=school_year_start_month(data_file))}
    with data_file.write():
        if feedback.id is None:
            return rows.insert(data_file, "community_feedback", values)
        rows.update(data_file, "community_feedback", feedback.id, values, expected_version=feedback.version,
                    label="feedback")
        return feedback.id


def _feedback_read(data_file: DataFile, school_year: str) -> Read:
    start, end = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    return ("SELECT * FROM community_feedback WHERE received_on BETWEEN ? AND ? ORDER BY received_on, id",
            (start.isoformat(), end.isoformat()), data_file.columns("community_feedback"))


def feedback_for(data_file: DataFile, school_year: str) -> list[Feedback]:
    """A school year's feedback by date (judged by each entry's date)."""
    sql, params, _columns = _feedback_read(data_file, _year(school_year))
    return [
        Feedback(r["received_on"], r["source_group"], r["summary"], r["school_id"], r["school_year"], r["id"],
                 r["version"])
        for r in data_file.query(sql, params)
    ]


def delete_feedback(data_file: DataFile, feedback: Feedback) -> None:
    """Remove feedback entered by mistake (the audit log keeps what it said)."""
    with data_file.write():
        rows.delete(data_file, "community_feedback", feedback.id, expected_version=feedback.version,
                    label="feedback")


# -- the review ------------------------------------------------------------------------


@dataclass
class Finding:
    """The review's finding on one goal or one metric (exactly one of the two ids)."""

    goal_id: int | None = None
    metric_id: int | None = None
    rating: str = ""
    finding: str = ""
    id: int | None = None
    version: int = 0


@dataclass
class Assignment:
    """The superintendent's recommendation on one officer's assignment, and the chief's answer."""

    officer_id: int
    school_id: int | None = None
    recommendation: str = "continue"
    reason: str = ""
    #: Only when the recommendation is to end it: True if the chief keeps the officer.
    chief_keeps: bool | None = None
    chief_explanation: str = ""
    id: int | None = None
    version: int = 0


@dataclass
class AnnualReview:
    school_year: str
    meeting_id: int | None = None
    held_on: str = ""
    performance: str = ""
    summary: str = ""
    status: str = "draft"
    findings: list[Finding] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    id: ReviewId | None = None
    version: int = 0

    @property
    def final(self) -> bool:
        return self.status == "final"


_REVIEW_ID = "(SELECT id FROM annual_review WHERE school_year = ?)"


def _review_reads(data_file: DataFile, school_year: str) -> dict[str, Read]:
    """The reads of ``load_review``: its lists are chosen by the year, not by the review's
    id, so they can be read (or prefetched) together with the review."""
    year = (school_year,)
    return {
        "review": ("SELECT * FROM annual_review WHERE school_year = ?", year, data_file.columns("annual_review")),
        "meeting": ("SELECT held_on FROM meeting WHERE id = "
                    "(SELECT meeting_id FROM annual_review WHERE school_year = ?)", year, ("held_on",)),
        "findings": (f"SELECT * FROM review_finding WHERE review_id = {_REVIEW_ID} ORDER BY id", year,
                     data_file.columns("review_finding")),
        "assignments": (f"SELECT * FROM review_assignment WHERE review_id = {_REVIEW_ID} ORDER BY id", year,
                        data_file.columns("review_assignment")),
    }


def load_review(data_file: DataFile, school_year: str) -> AnnualReview | None:
    """The year's review with its findings and assignments; None before one is started."""
    reads = _review_reads(data_file, school_year)

    def read(name: str) -> list[dict]:
        return data_file.query(reads[name][0], reads[name][1])

    found = read("review")
    if not found:
        return None
    row = found[0]
    # The review meeting's date, as it stands now, is the review's date.
    meeting = read("meeting") if row["meeting_id"] else []
    return AnnualReview(
        school_year=row["school_year"], meeting_id=row["meeting_id"],
        held_on=meeting[0]["held_on"] if meeting else row["held_on"] or "",
        performance=row["performance"] or "", summary=row["summary"] or "", status=row["status"],
        findings=[Finding(r["goal_id"], r["metric_id"], r["rating"] or "", r["finding"] or "", r["id"], r["version"])
                  for r in read("findings")],
        assignments=[Assignment(r["officer_id"], r["school_id"], r["recommendation"], r["reason"] or "",
                                None if r["chief_keeps"] is None else bool(r["chief_keeps"]),
                                r["chief_explanation"] or "", r["id"], r["version"])
                     for r in read("assignments")],
        id=ReviewId(row["id"]), version=row["version"],
    )


def _names(data_file: DataFile, table: str) -> dict[int, str]:
    return {r["id"]: r["name"] for r in data_file.query(f"SELECT id, name FROM [{table}]")}


def validate_review(data_file: DataFile, review: AnnualReview, *, today: date | None = None) -> AnnualReview:
    """A tidied copy, or ValidationError naming what to fix; a final review must be complete."""
    today = today or date.today()
    year = _year(review.school_year)
    if review.status not in STATUSES:
        raise ValidationError("A review is a draft or final.", field="status")
    final = review.status == "final"
    meeting_id, held = review.meeting_id, review.held_on.strip()
    if meeting_id is None and not held:
        found = meetings_for(data_file, year, "annual_review")
        if found:
            meeting_id = found[-1].id
    if meeting_id is not None:
        meeting = data_file.query("SELECT kind, held_on FROM meeting WHERE id = ?", (meeting_id,))
        if not meeting or meeting[0]["kind"] != "annual_review":
            raise ValidationError("Choose the end-of-year review meeting from the year's meetings.", field="meeting_id")
        held = meeting[0]["held_on"]
    if held:
        held = parse_day(held, "the date of the review meeting", field_name="held_on").isoformat()
    if final and not held:
        raise ValidationError("Record the review meeting (its date and who attended) before making the review final.",
                              field="held_on")
    if final and held > today.isoformat():
        raise ValidationError("The review meeting is still to come; make the review final once it has been held.",
                              field="held_on")
    performance = review.performance.strip()
    summary = review.summary.strip()
    if len(performance) > MAX_NOTES or len(summary) > MAX_NOTES:
        raise ValidationError("Keep the narrative and the summary under 50,000 characters each.", field="performance")
    goals = {r["id"] for r in data_file.query("SELECT id FROM program_goal")}
    metrics = {r["id"] for r in data_file.query("SELECT id FROM review_metric WHERE school_year = ?", (year,))}
    findings, subjects = [], set()
    for item in review.findings:
        text = item.finding.strip()
        if not (text or item.rating) and item.id is None:
            continue
        if (item.goal_id is None) == (item.metric_id is None):
            raise ValidationError("Each finding is about one goal or one metric.", field="findings")
        if item.goal_id is not None and item.goal_id not in goals:
            raise ValidationError("A finding names a goal that is no longer in the file; reload the review.",
                                  field="findings")
        if item.metric_id is not None and item.metric_id not in metrics:
            raise ValidationError(f"A finding names a metric that is not one of {year}'s; reload the review.",
                                  field="findings")
        subject = ("goal", item.goal_id) if item.goal_id is not None else ("metric", item.metric_id)
        if subject in subjects:
            raise ValidationError("Write one finding per goal and per metric.", field="findings")
        subjects.add(subject)
        if item.rating and item.rating not in RATINGS:
            raise ValidationError("Rate each finding met, partly met or not met.", field="findings")
        if len(text) > 10_000:
            raise ValidationError("Keep each finding under 10,000 characters.", field="findings")
        findings.append(Finding(item.goal_id, item.metric_id, item.rating, text, item.id, item.version))
    officers, schools = _names(data_file, "officer"), _names(data_file, "school")
    assignments, pairs = [], set()
    for item in review.assignments:
        if item.officer_id not in officers:
            raise ValidationError("Choose the officer for each assignment.", field="assignments")
        if item.school_id is not None and item.school_id not in schools:
            raise ValidationError("An assignment names a school no longer in the file; choose it again.",
                                  field="assignments")
        if (item.officer_id, item.school_id) in pairs:
            raise ValidationError(f"{officers[item.officer_id]}'s assignment is listed twice.", field="assignments")
        pairs.add((item.officer_id, item.school_id))
        if item.recommendation not in RECOMMENDATIONS:
            raise ValidationError("Record whether the superintendent recommends continuing or ending the assignment.",
                                  field="assignments")
        reason, explanation = item.reason.strip(), item.chief_explanation.strip()
        if len(reason) > 10_000 or len(explanation) > 10_000:
            raise ValidationError("Keep each reason and explanation under 10,000 characters.", field="assignments")
        keeps = item.chief_keeps if item.recommendation == "end" else None
        where = f" at {schools[item.school_id]}" if item.school_id is not None else ""
        who = f"{officers[item.officer_id]}{where}"
        if final and item.recommendation == "end":
            if not reason:
                raise ValidationError(f"Record why the superintendent recommends ending {who}'s assignment.",
                                      field="assignments")
            if keeps is None:
                raise ValidationError(f"Record whether the chief keeps {who}'s assignment, which the superintendent "
                                      "recommended ending.", field="assignments")
            if keeps and len(explanation) < 10:
                raise ValidationError(
                    f"The superintendent recommended ending {who}'s assignment and the chief keeps it; the chief "
                    "must explain why in writing before the review is final.", field="chief_explanation")
        assignments.append(Assignment(item.officer_id, item.school_id, item.recommendation, reason, keeps,
                                      explanation if keeps else "", item.id, item.version))
    return AnnualReview(year, meeting_id, held, performance, summary, review.status, findings, assignments,
                        review.id, review.version)


def save_review(data_file: DataFile, review: AnnualReview, *, today: date | None = None) -> ReviewId:
    """Save the year's review and its findings and assignments in one transaction. A
    final review is frozen: reopen it as a draft to change it."""
    review = validate_review(data_file, review, today=today)
    values = {"school_year": review.school_year, "meeting_id": review.meeting_id, "held_on": review.held_on or None,
              "performance": review.performance, "summary": review.summary, "status": review.status}
    with data_file.write():
        stored = data_file.query("SELECT id, status, version FROM annual_review WHERE school_year = ?",
                                 (review.school_year,))
        if review.id is None:
            if stored:
                raise ValidationError(f"{review.school_year} already has a review; open it to change it.")
            review_id = ReviewId(rows.insert(data_file, "annual_review", values))
            version = 1
        else:
            if stored and stored[0]["id"] == review.id and stored[0]["status"] == "final" \
                    and stored[0]["version"] == review.version:
                raise SroDeskError(f"The {review.school_year} review is final; reopen it as a draft to change it.")
            review_id = review.id
            version = rows.update(data_file, "annual_review", review_id, values, expected_version=review.version,
                                  label="review")
        parent = ("review_id", review_id)
        changed = sync_children(
            data_file, "review_finding", parent,
            data_file.query("SELECT * FROM review_finding WHERE review_id = ? ORDER BY id", (review_id,)),
            [(f.id, f.version, {"goal_id": f.goal_id, "metric_id": f.metric_id, "rating": f.rating,
                                "finding": f.finding}) for f in review.findings],
            label="finding",
        )
        changed |= sync_children(
            data_file, "review_assignment", parent,
            data_file.query("SELECT * FROM review_assignment WHERE review_id = ? ORDER BY id", (review_id,)),
            [(a.id, a.version, {"officer_id": a.officer_id, "school_id": a.school_id,
                                "recommendation": a.recommendation, "reason": a.reason,
                                "chief_keeps": None if a.chief_keeps is None else int(a.chief_keeps),
                                "chief_explanation": a.chief_explanation}) for a in review.assignments],
            label="assignment",
        )
        if changed and review.id is not None and version == review.version:
            touch(data_file, "annual_review", review_id, version, "findings or assignments")
    return review_id


def finalise(data_file: DataFile, review: AnnualReview, *, today: date | None = None) -> ReviewId:
    """Save the review as final: complete, with the chief's explanation where it is required."""
    from sro_desk.records.seals import seal

    if review.final:
        raise SroDeskError(f"The {review.school_year} review is already final.")
    review_id = save_review(data_file, AnnualReview(**{**review.__dict__, "status": "final"}), today=today)
    with data_file.write():  # sealed as saved (save_review wrote it in its own transaction)
        seal(data_file, "annual_review", review_id)
    return review_id


def reopen(data_file: DataFile, review: AnnualReview) -> None:
    """Turn a final review back into a draft (audited) so it can be corrected."""
    if not review.final:
        return
    from sro_desk.records.seals import release

    with data_file.write():
        rows.update(data_file, "annual_review", review.id, {"status": "draft"}, expected_version=review.version,
                    label="review")
        release(data_file, "annual_review", review.id, "reopened for correction")


# -- the printed review ----------------------------------------------------------------


@dataclass
class MetricRow:
    name: str
    measures: str
    target: str
    actual: str
    last_year: str
    source: str
    agreed_on: str
    agreed_by: str


@dataclass
class FindingRow:
    kind: str
    subject: str
    rating: str
    finding: str


@dataclass
class AssignmentRow:
    officer: str
    school: str
    recommendation: str
    reason: str
    chief_keeps: bool | None
    chief_explanation: str


@dataclass
class PrintableReview:
    district: str
    school_year: str
    held_on: str
    status: str
    attendees: list[tuple[str, str]]
    goals: list[str]
    metrics: list[MetricRow]
    late_note: str
    month_labels: list[str]
    monthly: dict[str, list[int | None]]
    by_year: list[tuple[str, dict[str, int | None]]]
    training: list[str]
    complaints: list[tuple[str, str]]
    feedback: list[tuple[str, str, str]]
    findings: list[FindingRow]
    performance: str
    summary: str
    assignments: list[AssignmentRow]
    meetings_missing: list[str]
    prepared_on: str
    suppression_note: str
    #: records of the year that put the SRO on duty the model agreement rules out (sro_duties)
    duty_notes: list[str] = field(default_factory=list)


#: The three series of the printed review, label -> kind of enforcement entry.
SERIES = {"Arrests": "arrest", "Citations": "citation", "Court referrals": "court_referral"}


def _records_reads(data_file: DataFile, school_year: str) -> list[Read]:
    start, end = school_year_bounds(school_year, starts_month=school_year_start_month(data_file))
    checks = [
        ("SELECT 1 AS found FROM annual_review WHERE school_year = ?", (school_year,)),
        ("SELECT 1 AS found FROM review_metric WHERE school_year = ?", (school_year,)),
        ("SELECT 1 AS found FROM meeting WHERE held_on BETWEEN ? AND ?", (start.isoformat(), end.isoformat())),
        ("SELECT 1 AS found FROM community_feedback WHERE received_on BETWEEN ? AND ?",
         (start.isoformat(), end.isoformat())),
        ("SELECT 1 AS found FROM enforcement_action WHERE school_year = ?", (school_year,)),
        ("SELECT 1 AS found FROM sro_activity WHERE school_year = ?", (school_year,)),
        ("SELECT 1 AS found FROM training_entry WHERE school_year = ?", (school_year,)),
        ("SELECT 1 AS found FROM complaint WHERE school_year = ?", (school_year,)),
    ]
    return [(sql + " LIMIT 1", params, ("found",)) for sql, params in checks]


def _has_records(data_file: DataFile, school_year: str) -> bool:
    """Whether anything at all is recorded for a school year."""
    return any(data_file.query(sql, params) for sql, params, _columns in _records_reads(data_file, school_year))


def page_reads(data_file: DataFile, school_year: str) -> list[Read]:
    """What the Review page reads to show a school year before it knows the year's
    metrics (see ``metric_reads`` for counting them), for ``DataFile.prefetch``: the
    goals, the metrics of the year and the year before, the feedback, the review, whether
    the year before has records, the year's review meetings, who served, the officers,
    and the year's records that put the SRO on duties outside the role."""
    from sro_desk.records.officers import officers_read
    from sro_desk.records.sro_duties import duties_reads

    previous = previous_school_year(school_year)
    return [
        _goals_read(data_file, True), _ANY_GOAL, _metrics_read(data_file, school_year),
        _metrics_read(data_file, previous), _feedback_read(data_file, school_year),
        *_review_reads(data_file, school_year).values(), *_records_reads(data_file, previous),
        *meetings_for_reads(data_file, school_year, "annual_review"), *placements_reads(),
        officers_read(data_file), *duties_reads(data_file, school_year),
    ]


class _Counts:
    """A year's enforcement counts by month and kind, as recorded (the attendees' copy)."""

    def __init__(self, data_file: DataFile, school_year: str) -> None:
        months = year_months(school_year, school_year_start_month(data_file))
        found = {(r["kind"], r["month"]): r["n"] for r in data_file.query(
            "SELECT kind, substr(occurred_at, 1, 7) AS month, count(*) AS n FROM enforcement_action "
            "WHERE school_year = ? GROUP BY kind, month", (school_year,))}
        self.months = [f"{m.year:04d}-{m.month:02d}" for m in months]
        self.found = found

    def monthly(self, kind: str) -> list[int | None]:
        return [self.found.get((kind, month), 0) for month in self.months]

    def total(self, kind: str) -> int | None:
        return sum(n for (k, _), n in self.found.items() if k == kind)

    def total_text(self, kind: str) -> str:
        return str(self.total(kind))


def _complaint_rows(data_file: DataFile, school_year: str) -> list[tuple[str, str]]:
    """(label, value) counts of the year's complaints as recorded, never an identity."""
    from sro_desk.records.complaints import FINDINGS, complaints_for, targets

    counted = [c for c in complaints_for(data_file, school_year) if not c.voided]
    community = [c for c in counted if c.track == "community"]
    parts = [(label, sum(1 for c in community if c.finding == key)) for key, label in FINDINGS.items()]
    parts.append(("Awaiting a finding", sum(1 for c in community if not c.finding)))
    result = [("Complaints about the SRO or the program", str(len(community))),
              *[(label, str(n)) for label, n in parts if n],
              ("Concerns raised by the SRO or officers about staff", str(len(counted) - len(community)))]
    _, resolve_days = targets(data_file)
    told = [c for c in community if c.communicated_on]
    on_time = sum(1 for c in told if (date.fromisoformat(c.communicated_on)
                                      - date.fromisoformat(c.received_on)).days <= resolve_days)
    if told:
        result.append((f"Complainant told the outcome within {resolve_days} days", f"{on_time} of {len(told)}"))
    return result


def _public_complaint_rows(figures) -> list[tuple[str, str]]:
    """The same rows from the year's protected figures: every finding listed, zeros too."""
    from sro_desk.records.disclosure import NOT_SHOWN

    numbers = figures.complaints
    result = [("Complaints about the SRO or the program", figures.text(numbers.community)),
              *[(label, figures.text(key)) for label, key in numbers.community_by_finding],
              ("Concerns raised by the SRO or officers about staff", figures.text(numbers.concerns))]
    told, on_time = figures.release.value(numbers.told), figures.release.value(numbers.on_time)
    result.append((f"Complainant told the outcome within {numbers.resolve_days} days",
                   f"{on_time} of {told}" if told is not None and on_time is not None else NOT_SHOWN))
    return result


#: What a public document prints instead of typed text that states a count.
COUNT_WITHHELD = ("(This text states a count, so it is printed only in the attendees' copies; "
                  "the public figures are in the tables.)")


def _public_text(text: str, public: bool) -> str:
    from sro_desk.records.disclosure import quotes_a_count

    return COUNT_WITHHELD if public and quotes_a_count(text) else text


@one_snapshot
def printable_review(
    data_file: DataFile, school_year: str, *, public: bool = False, today: date | None = None,
    figures=None,
) -> PrintableReview:
    """Everything the printed review (or, with ``public``, the school-committee packet's
    version of it, every count from the year's protected public figures, ``figures`` when
    the packet gives its own) needs; refused for a year with nothing recorded."""
    from sro_desk.records.district import load_district
    from sro_desk.records.sro_duties import duties_recorded
    from sro_desk.records.training import training_status

    today = today or date.today()
    try:
        parse_school_year(school_year)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    review = load_review(data_file, school_year)
    if review is None and not _has_records(data_file, school_year):
        raise SroDeskError(f"Nothing is recorded for {school_year} yet (no review, meetings, metrics or data), "
                           "so there is no review to print; choose another school year.")
    threshold = enf.suppression_threshold(data_file)
    district = load_district(data_file)
    starts = school_year_start_month(data_file)
    previous = previous_school_year(school_year)

    meeting = None
    if review and review.meeting_id:
        meeting = load_meeting(data_file, review.meeting_id)
    if meeting is None:
        found = meetings_for(data_file, school_year, "annual_review")
        meeting = found[-1] if found else None
    held = (review.held_on if review and review.held_on else "") or (meeting.held_on if meeting else "")

    if public:
        from sro_desk.records.public_figures import kind_total, year_figures

        figures = figures or year_figures(data_file, school_year, today=today)
        threshold = figures.threshold

    def count_key(source: str, year: str):
        if source in _ENFORCEMENT_METRICS:
            return kind_total(year, _ENFORCEMENT_METRICS[source])
        return ("complaints", year, "finding", "substantiated", "community")

    counts = _Counts(data_file, school_year)
    has_last = _has_records(data_file, previous)

    def actual(metric: ReviewMetric, year: str) -> str:
        if public and metric.source in COUNT_METRICS:
            return figures.text(count_key(metric.source, year))
        if metric.source in _ENFORCEMENT_METRICS:
            return (counts if year == school_year else _Counts(data_file, year)).total_text(
                _ENFORCEMENT_METRICS[metric.source])
        asked = metric if year == school_year else ReviewMetric(year, metric.name, metric.source)
        return metric_actual(data_file, asked, today=today)

    previous_metrics = metrics_for(data_file, previous)
    metric_rows = []
    metrics = metrics_for(data_file, school_year)
    for metric in metrics:
        if metric.computed:
            before = actual(metric, previous) if has_last else ""
        else:
            match = next((m for m in previous_metrics if m.source == MANUAL
                          and m.name.casefold() == metric.name.casefold()), None)
            before = match.manual_value if match else ""
        metric_rows.append(MetricRow(metric.name, metric.measures, metric.target, actual(metric, school_year),
                                     before, metric.source_label, metric.agreed_on, metric.agreed_by))

    if public:
        period = figures.period_table()
        month_labels = period.rows[:-1] if period is not None else []
        monthly = {label: figures.series(kind) for label, kind in SERIES.items()}
        by_year = [(year, {label: figures.release.value(kind_total(year, kind)) for label, kind in SERIES.items()})
                   for year in [*figures.earlier_years, school_year]]
        complaints = _public_complaint_rows(figures)
        hidden_any = figures.any_hidden()
    else:
        month_labels = [MONTHS[m.month - 1][:3] for m in year_months(school_year, starts)]
        monthly = {label: counts.monthly(kind) for label, kind in SERIES.items()}
        earlier = [previous]
        while len(earlier) < 4:
            earlier.append(previous_school_year(earlier[-1]))
        years = [y for y in reversed(earlier)
                 if data_file.query("SELECT 1 FROM enforcement_action WHERE school_year = ? LIMIT 1", (y,))]
        by_year = []
        for year in [*years, school_year]:
            year_counts = counts if year == school_year else _Counts(data_file, year)
            by_year.append((year, {label: year_counts.total(kind) for label, kind in SERIES.items()}))
        complaints = _complaint_rows(data_file, school_year)
        hidden_any = False

    stored_goals = [_goal(r) for r in data_file.query("SELECT * FROM program_goal ORDER BY position, id")]
    findings = review.findings if review else []
    by_goal = {f.goal_id: f for f in findings if f.goal_id is not None}
    by_metric = {f.metric_id: f for f in findings if f.metric_id is not None}
    shown_goals = [g for g in stored_goals if not g.retired or g.id in by_goal]
    goal_texts = [g.text for g in shown_goals] or starting_goals(data_file, school_year)[0]

    def finding_row(kind: str, subject: str, item: Finding | None) -> FindingRow:
        return FindingRow(kind, subject, RATINGS.get(item.rating, "") if item else "",
                          _public_text(item.finding, public) if item else "")

    finding_rows = ([finding_row("goal", g.text, by_goal.get(g.id)) for g in shown_goals]
                    or [finding_row("goal", text, None) for text in goal_texts])
    finding_rows += [finding_row("metric", m.name, by_metric.get(m.id)) for m in metrics]

    officers, schools = _names(data_file, "officer"), _names(data_file, "school")
    missing = [c.sentence() for c in missing_monthly_meetings(data_file, school_year, today=today) if c.missing]
    return PrintableReview(
        district=district.name if district else "",
        school_year=school_year,
        held_on=held,
        status=STATUSES["final"] if review and review.final else STATUSES["draft"],
        attendees=[(a.name, a.role) for a in meeting.attendees] if meeting else [],
        goals=goal_texts,
        metrics=metric_rows,
        late_note=metrics_agreed_late(data_file, school_year) or "",
        month_labels=month_labels,
        monthly=monthly,
        by_year=by_year,
        training=[training_status(data_file, officer_id, school_year, today=today).summary()
                  for officer_id, _ in sros_for_year(data_file, school_year)],
        complaints=complaints,
        feedback=[(f.received_on, f.group_label, f.summary) for f in feedback_for(data_file, school_year)],
        findings=finding_rows,
        performance=_public_text(review.performance, public) if review else "",
        summary=_public_text(review.summary, public) if review else "",
        assignments=[
            AssignmentRow(officers.get(a.officer_id, ""), schools.get(a.school_id, "") if a.school_id else "",
                          RECOMMENDATIONS[a.recommendation], a.reason, a.chief_keeps, a.chief_explanation)
            for a in (review.assignments if review else [])
        ],
        meetings_missing=missing,
        prepared_on=today.isoformat(),
        suppression_note=(
            f"To protect students' privacy, counts below {threshold} (zero included) are not shown, nor are "
            "other counts from which a hidden one could be worked out from anything in this document."
            if public and hidden_any else ""
        ),
        duty_notes=[note.sentence() for note in duties_recorded(data_file, school_year)],
    )

