"""Hostile input into every kind of record, through hypothesis strategies.

Text with reportlab's markup, the clause format's own marks, control characters, emoji,
right-to-left text, very long text, and dates at the edges goes into each record kind's
save. Promised for each input: the save either lands and loads back exactly (as the
record module tidies it: surrounding whitespace stripped where it says so) or is refused
with a ``ValidationError`` sentence and the file unchanged; the caller's object is never
changed (so the window can keep what the person typed); and every printout that shows the
record still builds.

Lone surrogates are left out: they are not text, a Qt text field never hands one over
(PySide6 drops them on the way into a QString) and the imports decode strictly.
"""

from __future__ import annotations

import csv
import importlib
import io
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sro_desk.errors import ValidationError, shown
from sro_desk.errors import quoted as excerpt
from sro_desk.records import agreements, complaints, officers, selection, training
from sro_desk.records import enforcement as enf
from sro_desk.records.agreement_blanks import parse_value
from sro_desk.records.district import School, chief_name, leader_name, load_district, save_district
from sro_desk.records.enforcement_reports import EXPORT_COLUMNS, export_year, printable_enforcement
from sro_desk.store import DataFile
from tests.reliability.common import Figures, assert_sentence, sha256

# -- what is typed -----------------------------------------------------------------------

PIECES = [
    # reportlab paragraph markup, and an image tag that would fetch a URL
    "<b>", "</b>", "<i>x</i>", "<para>", "</para>", "<br/>", "<font color='red'>", "<u>",
    '<img src="http://127.0.0.1:9/pixel.png"/>', '<a href="javascript:alert(1)">x</a>',
    "&amp;", "&", "&#0;", "&nbsp;", "&bogus;", "<", ">", "<![CDATA[", "]]>", "<?xml?>",
    # the clause format's own marks and printed blanks
    "{{district_name}}", "{{training_hours}}", "{{nope}}", "{{", "}}", "**", "**bold**",
    "[[a drafting note]]", "[[", "]]", "- ", "\n\n", "\n", "____", "[insert name]",
    # control characters and invisible ones
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9f",
    "\t", "\r", "\r\n", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200d", "\ufffe", "\uffff",
    # emoji, with joiners, skin tones and flags
    "😀", "👩‍👩‍👧‍👦", "🇺🇸", "🏳️‍🌈", "👍🏽", "🧑\u200d🚒", "\U0001f9ff",
    # right-to-left and bidirectional controls
    "שלום", "مرحبا بالعالم", "\u202e", "\u202b", "\u202c", "\u200f", "\u061c", "עברית abc 123",
    # other scripts, combining marks, look-alikes, case traps
    "Nguyễn", "Straße", "İ", "ǅ", "ﬁ", "Ａ", "e\u0301", "𝕏", "中文", "日本語", "한국어",
    # what a program might read as code
    "%s", "%(name)s", "{0}", "${HOME}", "'; DROP TABLE district; --", '"', "'", "\\",
    "..\\..\\", "/etc/passwd", "NULL", "None", "   ", "=cmd|'/c calc'!A1", "+1", "-2",
]
LONG = ["x", "word ", "😀", "<b>", "\u202e", "שלום ", "\x00"]


def typed(max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Text as hostile as a person (or a paste) can make it."""
    piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=6))
    return st.lists(piece, max_size=max_pieces).map("".join)


#: Mostly short hostile text, sometimes very long (past most limits).
TEXT = st.one_of(
    typed(), typed(), typed(3),
    st.tuples(st.sampled_from(LONG), st.integers(40, 1500)).map(lambda t: t[0] * t[1]),
)


def date_texts(today: date) -> st.SearchStrategy[str]:
    """Dates at the edges (and some that are not dates at all)."""
    edges = [
        "1979-12-31", "1980-01-01", "2000-02-29", "2024-02-29", "2026-02-29", "2026-02-30",
        "2026-13-01", "2026-00-10", f"{today.year - 1}-06-30", f"{today.year - 1}-07-01",
        f"{today.year}-06-30", f"{today.year}-07-01", today.isoformat(), f" {today.isoformat()} ",
        (today + timedelta(days=1)).isoformat(), "9999-12-31", "", "   ", "tomorrow",
        "31/12/2025", "20250101", "2025-W01-1", "2025-1-1",
    ]
    days = st.dates(min_value=date(1980, 1, 1), max_value=today + timedelta(days=2)).map(date.isoformat)
    return st.one_of(st.sampled_from(edges), days, days, typed(2))


def named(text: st.SearchStrategy[str] = None) -> st.SearchStrategy[str]:
    """A name: hostile text, often after a plain word so that it is not empty."""
    text = text or typed()
    return st.one_of(TEXT, text.map(lambda t: f"Name {t}"), text.map(lambda t: f"{t} Name"))


# -- running inputs ----------------------------------------------------------------------


@dataclass
class HostileRun:
    """One record kind's inputs into one open file."""

    data_file: DataFile
    figures: Figures
    today: date
    out: Path
    state: dict[str, Any]
    #: Every string of the current input, so a sentence quoting one is judged without it.
    typed: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.data_file.path

    def attempt(self, action: Callable[[], Any], *typed_objects: Any) -> tuple[bool, Any]:
        """Run a save; (True, result), or (False, error) when it was refused.

        A refusal must be a ValidationError sentence that left the file as it was; in
        both cases the objects the caller passed in must not have changed.
        """
        before = sha256(self.path)
        snapshots = [pickle.dumps(o) for o in typed_objects]
        try:
            result = action()
            outcome = (True, result)
            self.figures.saved += 1
        except ValidationError as exc:
            template = self.without_typed(exc.message)
            assert_sentence(template)
            self.figures.heard(template)
            assert sha256(self.path) == before, "a refused save changed the file"
            assert not self.data_file.conn.in_transaction
            outcome = (False, exc)
            self.figures.refused += 1
        for thing, snapshot in zip(typed_objects, snapshots):
            assert pickle.dumps(thing) == snapshot, f"the save changed the caller's {type(thing).__name__}"
        return outcome

    def without_typed(self, message: str) -> str:
        """The sentence with whatever it quotes of the input replaced by "TYPED" (the
        whole input, or its first line cut short as the refusals quote it)."""
        for text in sorted(self.typed, key=len, reverse=True):
            if excerpt(text) != "''":  # its first line cut short, as the refusals quote it
                message = message.replace(excerpt(text), "'TYPED'")
            if shown(text) and shown(text) != text.strip():  # as the district names it
                message = message.replace(shown(text), "TYPED")
            for form in (text, text.strip()):
                # Choices from a list ("student", "mou") and runs of digits and punctuation
                # also occur in the sentences' own words and examples: left alone.
                if form and not re.fullmatch(r"[a-z_]+|[\d :.,/%-]*", form):
                    message = message.replace(form, "TYPED")
        return message

    def printed(self, build: Callable[[io.BytesIO], None]) -> bytes:
        """Build a printout into memory; it must be a PDF."""
        buffer = io.BytesIO()
        build(buffer)
        data = buffer.getvalue()
        assert data.startswith(b"%PDF-"), "the printout is not a PDF"
        self.figures.printouts += 1
        return data


def _stripped(text: str) -> str:
    return (text or "").strip()


# -- the district ------------------------------------------------------------------------

DISTRICT = st.fixed_dictionaries({
    "name": named(),
    "leader": named(),
    "kind": st.sampled_from(["public", "regional", "charter", "public", "regional", "", "Public", "<b>"]),
    "schools": st.lists(st.tuples(named(), TEXT, TEXT), max_size=4),
    "new_schools": st.lists(st.tuples(named(), TEXT, TEXT), max_size=2),
    "departments": st.lists(st.tuples(named(), TEXT, named()), max_size=2),
})


def district_input(run: HostileRun, drawn: dict) -> None:
    district = load_district(run.data_file)
    district.name, district.superintendent_name, district.kind = drawn["name"], drawn["leader"], drawn["kind"]
    for school, (name, grades, principal) in zip(district.schools, drawn["schools"]):
        school.name, school.grades, school.principal_name = name, grades, principal
    district.schools += [School(*values) for values in drawn["new_schools"]]
    for department, (name, town, chief) in zip(district.departments, drawn["departments"]):
        department.name, department.town, department.chief_name = name, town, chief
    saved, _ = run.attempt(lambda: save_district(run.data_file, district), district)
    if saved:
        back = load_district(run.data_file)
        assert (back.name, back.superintendent_name, back.kind) == (
            _stripped(district.name), leader_name(district.superintendent_name), district.kind)
        assert [(s.name, s.grades, s.principal_name) for s in back.schools] == [
            (_stripped(s.name), _stripped(s.grades), _stripped(s.principal_name)) for s in district.schools]
        assert [(d.name, d.town, d.chief_name) for d in back.departments] == [
            (_stripped(d.name), _stripped(d.town), chief_name(d.chief_name)) for d in district.departments]
    _print_agreement(run)
    _print_training(run, run.state["officer"])
    _print_selection(run)


# -- agreements --------------------------------------------------------------------------

AGREEMENT = st.fixed_dictionaries({
    "clause": st.tuples(named(), named()),
    "blank_text": TEXT,
    "blank_date": st.one_of(date_texts(date.today()), TEXT),
    "blank_hours": st.one_of(TEXT, st.integers(-5, 2500).map(str)),
    "blank_split": st.one_of(TEXT, st.sampled_from(["50/50", "60 / 40", "100/0", "101/-1", "50,50%", "a/b", "1/2/3"])),
    "blank_titles": TEXT,
    "new_clause": st.one_of(st.none(), st.tuples(st.sampled_from(["mou", "op", "x"]), TEXT, TEXT)),
    "cost": st.tuples(st.sampled_from(sorted(agreements.COST_CATEGORIES)),
                      st.one_of(TEXT, st.sampled_from(["$12,345.67", "0", "-1", "1e12", "NaN", "10000000000.01"])), TEXT),
    "signatory": st.tuples(named(), TEXT),
})


def agreement_input(run: HostileRun, drawn: dict) -> None:
    data_file, agreement_id = run.data_file, run.state["agreement"]

    def fresh() -> agreements.Agreement:
        return agreements.load_agreement(data_file, agreement_id)

    clause = fresh().clauses[0]
    text, title = drawn["clause"]
    agreement = fresh()
    saved, _ = run.attempt(lambda: agreements.edit_clause(data_file, agreement, clause.id, text=text, title=title), agreement)
    if saved:
        back = next(c for c in fresh().clauses if c.id == clause.id)
        assert (back.text, back.title) == (text, title.strip())
    for kind in ("text", "date", "hours", "split", "titles"):
        agreement = fresh()
        blank = next((b for b in agreement.blanks if b.type == kind), None)
        if blank is None:
            continue
        raw = drawn[f"blank_{kind}"]
        saved, value = run.attempt(lambda: agreements.set_blank(data_file, agreement, blank.key, raw), agreement)
        if saved:
            assert fresh().blank(blank.key).value == value == parse_value(kind, raw, label=blank.label)
    if drawn["new_clause"] is not None:
        part, title, text = drawn["new_clause"]
        agreement = fresh()
        saved, clause_id = run.attempt(
            lambda: agreements.add_clause(data_file, agreement, part=part, title=title, text=text), agreement)
        if saved:
            back = next(c for c in fresh().clauses if c.id == clause_id)
            assert (back.part, back.title, back.text) == (part, title.strip(), text)
    category, amount, note = drawn["cost"]
    saved, cents = run.attempt(lambda: agreements.parse_amount(amount))
    if saved:
        agreement = fresh()
        amounts = {category: (cents, note)}
        saved, _ = run.attempt(lambda: agreements.set_costs(data_file, agreement, amounts), agreement, amounts)
        if saved:
            back = next(c for c in fresh().costs if c.category == category)
            assert (back.amount_cents, back.note) == (cents, note)
    name, title = drawn["signatory"]
    agreement = fresh()
    signature = agreement.signatures[0]
    saved, _ = run.attempt(
        lambda: agreements.set_signatory(data_file, agreement, signature.id, name=name, title=title), agreement)
    if saved:
        back = next(s for s in fresh().signatures if s.id == signature.id)
        assert (back.name, back.title) == (name.strip(), title.strip())
    _print_agreement(run)


def _print_agreement(run: HostileRun) -> None:
    from sro_desk.documents.agreement import build_agreement_pdf

    agreement = agreements.load_agreement(run.data_file, run.state["agreement"])
    printable = agreements.printable(run.data_file, agreement)
    run.printed(lambda out: build_agreement_pdf(printable, out))
    from sro_desk.documents.dese_filing import build_filing_pdf
    from sro_desk.records.dese_filing import printable_filing

    filing = printable_filing(run.data_file, agreement, today=run.today)
    run.printed(lambda out: build_filing_pdf(filing, out))  # the yearly DESE filing around it


# -- training ----------------------------------------------------------------------------

HOURS = st.one_of(
    st.sampled_from(["0", "0.25", "1.5", "2,75", "240", "240.25", "-1", "1e3", "NaN", "Infinity", "½", " 3 ", "0.1"]),
    TEXT,
)
TRAINING = st.fixed_dictionaries({
    "title": named(), "provider": TEXT, "notes": TEXT, "administrators": TEXT,
    "taken_on": date_texts(date.today()),
    "hours": HOURS,
    "topics": st.lists(st.sampled_from([*training.REQUIRED_TOPICS, "mptc", "sel", "not_a_topic"]), max_size=4),
    "basic": st.booleans(),
    "topic": st.one_of(st.none(), TEXT),
    "certificate": st.tuples(TEXT, date_texts(date.today()), date_texts(date.today())),
})


def training_input(run: HostileRun, drawn: dict) -> None:
    data_file, officer_id = run.data_file, run.state["officer"]
    year = run.state["year"]
    saved, quarters = run.attempt(lambda: training.parse_hours(drawn["hours"]))
    if saved:
        entry = training.TrainingEntry(
            officer_id, drawn["taken_on"], drawn["title"], quarters, provider=drawn["provider"],
            topics=drawn["topics"], basic_course=drawn["basic"],
            with_administrators=drawn["administrators"], notes=drawn["notes"],
        )
        saved, entry_id = run.attempt(lambda: training.save_entry(data_file, entry, today=run.today), entry)
        if saved:
            year = data_file.query("SELECT school_year FROM training_entry WHERE id = ?", (entry_id,))[0]["school_year"]
            back = next(e for e in training.entries_for(data_file, officer_id, year) if e.id == entry_id)
            assert (back.title, back.provider, back.notes, back.with_administrators) == (
                entry.title.strip(), entry.provider.strip(), entry.notes.strip(), entry.with_administrators.strip())
            assert back.quarter_hours == quarters and back.topics == list(dict.fromkeys(entry.topics))
            assert back.taken_on == date.fromisoformat(entry.taken_on.strip()).isoformat()
    if drawn["topic"] is not None:
        saved, key = run.attempt(lambda: training.add_topic(data_file, drawn["topic"]))
        if saved:
            assert training.all_topics(data_file)[key] == drawn["topic"].strip()
    number, granted, expires = drawn["certificate"]
    certification = training.Certification(officer_id, granted_on=granted, expires_on=expires, number=number)
    saved, cert_id = run.attempt(lambda: training.save_certification(data_file, certification), certification)
    if saved:
        back = next(c for c in training.certifications_of(data_file, officer_id) if c.id == cert_id)
        assert back.number == number.strip()
        assert back.granted_on == date.fromisoformat(granted.strip()).isoformat()
    _print_training(run, officer_id, year)


def _print_training(run: HostileRun, officer_id: int, year: str | None = None) -> None:
    from sro_desk.documents.training import build_training_pdf

    record = training.printable_training(run.data_file, officer_id, year or run.state["year"], today=run.today)
    run.printed(lambda out: build_training_pdf(record, out))


# -- selection ---------------------------------------------------------------------------

SELECTION = st.fixed_dictionaries({
    "group": st.sampled_from([*selection.GROUPS, "nobody"]),
    "gathered_on": date_texts(date.today()),
    "gathered_by": TEXT, "participants": TEXT, "notes": TEXT,
    "scores": st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 6)), TEXT, st.integers(0, 20)), max_size=3),
    "criterion": st.one_of(st.none(), named()),
    "disclosure": st.one_of(st.none(), st.tuples(named(), TEXT, TEXT)),
    "round_title": st.one_of(st.none(), named()),
})


def selection_input(run: HostileRun, drawn: dict) -> None:
    data_file = run.data_file

    def fresh() -> selection.SelectionRound:
        return selection.load_round(data_file, run.state["round"])

    chosen = fresh()
    candidate = chosen.candidates[0].id
    scores = [
        selection.Score(candidate, chosen.criteria[where % len(chosen.criteria)].id, score, comment)
        for score, comment, where in drawn["scores"]
    ]
    record = selection.InputRecord(
        None, drawn["group"], drawn["gathered_on"], drawn["gathered_by"], drawn["participants"],
        drawn["notes"], scores,
    )
    saved, input_id = run.attempt(lambda: selection.save_input(data_file, chosen, record), chosen, record)
    if saved:
        back = next(i for i in fresh().inputs if i.id == input_id)
        assert (back.gathered_by, back.participants, back.notes) == (
            record.gathered_by.strip(), record.participants.strip(), record.notes.strip())
        kept = [(s.score, s.comment.strip()) for s in scores if s.score is not None or s.comment.strip()]
        assert [(s.score, s.comment) for s in back.scores] == kept
    if drawn["criterion"] is not None:
        chosen = fresh()
        saved, criterion_id = run.attempt(lambda: selection.add_criterion(data_file, chosen, drawn["criterion"]), chosen)
        if saved:
            assert next(c for c in fresh().criteria if c.id == criterion_id).label == drawn["criterion"].strip()
    if drawn["disclosure"] is not None:
        chosen = fresh()
        disclosure = selection.Disclosure(None, candidate, *drawn["disclosure"])
        saved, disclosure_id = run.attempt(
            lambda: selection.save_disclosure(data_file, chosen, disclosure), chosen, disclosure)
        if saved:
            back = next(d for d in fresh().disclosures if d.id == disclosure_id)
            assert (back.relationship, back.description, back.department_decision) == tuple(
                t.strip() for t in drawn["disclosure"])
    if drawn["round_title"] is not None:
        title = drawn["round_title"]
        saved, round_id = run.attempt(lambda: selection.open_round(
            data_file, school_year=run.state["year"], title=title, opened_on=run.today.isoformat(),
            officer_ids=[run.state["officer"]]))
        if saved:
            assert selection.load_round(data_file, round_id).title == title.strip()
    _print_selection(run, drawn["group"] if drawn["group"] in selection.GROUPS else "parent")


def _print_selection(run: HostileRun, group: str = "parent") -> None:
    from sro_desk.documents.selection import build_selection_input_form_pdf, build_selection_summary_pdf

    chosen = selection.load_round(run.data_file, run.state["round"])
    summary = selection.printable_selection(run.data_file, chosen, today=run.today)
    form = selection.printable_input_form(run.data_file, group, selection=chosen)
    run.printed(lambda out: build_selection_summary_pdf(summary, out))
    run.printed(lambda out: build_selection_input_form_pdf(form, out))


# -- enforcement and SRO activity --------------------------------------------------------

_MOMENTS = ["2026-10-02T10:00:00+14:00", "2026-10-02 24:00", "2026-10-02 23:59:59.999999", "2026-10-02T25:00"]
ENFORCEMENT = st.fixed_dictionaries({
    "occurred_at": st.one_of(
        date_texts(date.today()), date_texts(date.today()).map(lambda d: d + " 13:40"), st.sampled_from(_MOMENTS)),
    "kind": st.sampled_from([*enf.KINDS, *enf.KINDS, "bogus"]),
    "place": st.sampled_from([*enf.PLACES, *enf.PLACES, "moon"]),
    "offense": st.sampled_from(["", *enf.OFFENSES, "bogus"]),
    "statute": TEXT, "outcome": TEXT, "last_resort_reason": TEXT, "principal_reason": TEXT,
    "student_ref": TEXT,
    "parent_notified_at": st.one_of(st.just(""), date_texts(date.today())),
    "age": st.one_of(st.none(), st.integers(0, 30)),
    "grade": st.sampled_from(["", *enf.GRADES, "13"]),
    "gender": st.sampled_from(["", *enf.GENDERS, "X"]),
    "principal_consulted": st.one_of(st.none(), st.booleans()),
    "explanation": named(),
})


def enforcement_input(run: HostileRun, drawn: dict) -> None:
    data_file = run.data_file
    action = enf.Action(
        drawn["occurred_at"], run.state["school"], drawn["place"], drawn["kind"], offense=drawn["offense"],
        statute=drawn["statute"], outcome=drawn["outcome"], last_resort_reason=drawn["last_resort_reason"],
        principal_reason=drawn["principal_reason"], student_ref=drawn["student_ref"],
        parent_notified_at=drawn["parent_notified_at"], age=drawn["age"], grade=drawn["grade"],
        gender=drawn["gender"], principal_consulted=drawn["principal_consulted"],
    )
    saved, action_id = run.attempt(lambda: enf.save_action(data_file, action, today=run.today), action)
    if not saved:
        return
    year = data_file.query("SELECT school_year FROM enforcement_action WHERE id = ?", (action_id,))[0]["school_year"]
    back = next(a for a in enf.actions_for(data_file, year) if a.id == action_id)
    assert (back.statute, back.outcome, back.last_resort_reason, back.principal_reason, back.student_ref) == tuple(
        _stripped(t) for t in (action.statute, action.outcome, action.last_resort_reason,
                               action.principal_reason, action.student_ref))
    if back.open_flags():
        rule = back.open_flags()[0]
        saved, _ = run.attempt(lambda: enf.acknowledge(data_file, back, rule, drawn["explanation"]), back)
        if saved:
            again = next(a for a in enf.actions_for(data_file, year) if a.id == action_id)
            assert again.acknowledged[rule] == drawn["explanation"].strip()
            back = again
    out = run.out / "export.csv"
    export_year(data_file, year, out)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == EXPORT_COLUMNS
    row = dict(zip(table[0], next(r for r in table[1:] if r[0] == str(action_id))))
    assert row["statute"] == back.statute
    # The district's own reference never leaves the file: the export gives a fresh code.
    assert bool(row["student_code"]) == bool(back.student_ref)
    assert not back.student_ref or row["student_code"] != back.student_ref
    _print_enforcement(run, year)


def _print_enforcement(run: HostileRun, year: str) -> None:
    report = printable_enforcement(run.data_file, year, today=run.today)
    builder = enforcement_builder()
    if builder is not None:
        run.printed(lambda out: builder(report, out))


def enforcement_builder() -> Callable | None:
    """documents.enforcement's builder, when someone has written it yet."""
    try:
        module = importlib.import_module("sro_desk.documents.enforcement")
    except ImportError:
        return None
    return next(
        (getattr(module, name) for name in dir(module) if name.startswith("build_") and name.endswith("_pdf")),
        None,
    )


ACTIVITY = st.fixed_dictionaries({
    "occurred_on": date_texts(date.today()),
    "kind": st.sampled_from([*enf.ACTIVITY_KINDS, "bogus"]),
    "count": st.one_of(st.integers(-1, 3), st.integers(9999, 10001)),
    "notes": TEXT,
})


def activity_input(run: HostileRun, drawn: dict) -> None:
    activity = enf.Activity(drawn["occurred_on"], drawn["kind"], drawn["count"], run.state["school"], drawn["notes"])
    saved, activity_id = run.attempt(lambda: enf.save_activity(run.data_file, activity, today=run.today), activity)
    if saved:
        year = run.data_file.query("SELECT school_year FROM sro_activity WHERE id = ?", (activity_id,))[0]["school_year"]
        back = next(a for a in enf.activities_for(run.data_file, year) if a.id == activity_id)
        assert (back.notes, back.count, back.kind) == (activity.notes.strip(), activity.count, activity.kind)
        _print_enforcement(run, year)


# -- officers ----------------------------------------------------------------------------

OFFICER = st.fixed_dictionaries({
    "name": named(), "rank": TEXT, "notes": TEXT,
    "years": st.one_of(st.none(), st.integers(-1, 61)),
})


def officer_input(run: HostileRun, drawn: dict) -> None:
    officer = officers.Officer(drawn["name"], drawn["rank"], run.state["department"], drawn["years"], True, drawn["notes"])
    saved, officer_id = run.attempt(lambda: officers.save_officer(run.data_file, officer), officer)
    if saved:
        back = officers.load_officer(run.data_file, officer_id)
        assert (back.name, back.rank, back.notes, back.years_of_service) == (
            officer.name.strip(), officer.rank.strip(), officer.notes.strip(), officer.years_of_service)
        _print_training(run, officer_id)


# -- complaints --------------------------------------------------------------------------

COMPLAINT = st.fixed_dictionaries({
    "received_on": date_texts(date.today()),
    "channel": st.sampled_from([*complaints.CHANNELS, *complaints.CHANNELS, "pigeon"]),
    "subject": st.sampled_from([*sorted(complaints.TRACK_SUBJECTS["community"]) * 3, "teacher"]),
    "category": st.sampled_from([*complaints.CATEGORIES]),
    "description": named(),
    "confidential": st.booleans(),
    "language": st.one_of(st.sampled_from(["Spanish", "English", "中文", "Kreyòl ayisyen", "Klingon"]), named()),
    "identity": st.tuples(TEXT, TEXT, TEXT),
    "reviewer": named(),
    "void_reason": st.one_of(st.none(), named()),
})


def complaint_input(run: HostileRun, drawn: dict) -> None:
    from sro_desk.documents.complaint_letter import build_complaint_letter_pdf
    from sro_desk.documents.complaint_log import build_complaint_log_pdf
    from sro_desk.records.demo import DEMO_PASSPHRASE

    data_file = run.data_file
    if "key" not in run.state:
        run.state["key"] = complaints.unlock(data_file, DEMO_PASSPHRASE)
    key = run.state["key"]
    complaint = complaints.Complaint(
        drawn["received_on"], drawn["channel"], drawn["subject"], drawn["category"], drawn["description"],
        confidential=drawn["confidential"], preferred_language=drawn["language"], school_id=run.state["school"],
    )
    identity = complaints.Identity(*drawn["identity"])
    saved, complaint_id = run.attempt(
        lambda: complaints.save_complaint(data_file, complaint, identity, key=key, today=run.today),
        complaint, identity)
    if not saved:
        return
    back = complaints.load_complaint(data_file, complaint_id)
    assert (back.description, back.preferred_language) == (complaint.description.strip(), complaint.preferred_language)
    if complaint.confidential:
        assert back.identity is None and back.has_sealed_identity == (not identity.empty())
        revealed = complaints.reveal(data_file, back, key)
        assert revealed == (identity if not identity.empty() else complaints.Identity())
    else:
        kept = complaints.Identity(*(t.strip() for t in drawn["identity"]))
        assert back.identity == (kept if not kept.empty() else None)
    day = back.received_on
    for step in (
        lambda c: complaints.acknowledge(data_file, c, day, today=run.today),
        lambda c: complaints.start_review(data_file, c, day, drawn["reviewer"], today=run.today),
        lambda c: complaints.record_finding(data_file, c, "not_substantiated", day, today=run.today),
    ):
        saved, _ = run.attempt(lambda: step(complaints.load_complaint(data_file, complaint_id)))
        if not saved:
            break
    back = complaints.load_complaint(data_file, complaint_id)
    if back.finding:
        letter = complaints.printable_letter(data_file, back, key=key, include_name=True, today=run.today)
        run.printed(lambda out: build_complaint_letter_pdf(letter, out))
    if drawn["void_reason"] is not None:
        saved, _ = run.attempt(lambda: complaints.void(data_file, back, drawn["void_reason"]), back)
        if saved:
            assert complaints.load_complaint(data_file, complaint_id).void_reason == drawn["void_reason"].strip()
    log = complaints.printable_log(data_file, back.school_year, today=run.today)
    run.printed(lambda out: build_complaint_log_pdf(log, out))


# -- the kinds ---------------------------------------------------------------------------


def _prepare(run: HostileRun) -> None:
    """What every kind's inputs need: an officer, a draft agreement, an open round."""
    data_file = run.data_file
    district = load_district(data_file)
    run.state["school"] = district.schools[0].id
    run.state["department"] = district.departments[0].id
    run.state["officer"] = officers.list_officers(data_file)[0].id
    run.state["year"] = data_file.query("SELECT max(school_year) AS y FROM training_entry")[0]["y"]
    run.state["agreement"] = next(a["id"] for a in agreements.list_agreements(data_file) if a["status"] == "draft")
    run.state["round"] = selection.open_round(
        data_file, school_year=run.state["year"], title="Hostile input round", opened_on=run.today.isoformat(),
        officer_ids=[o.id for o in officers.list_officers(data_file)],
    )


KINDS: dict[str, tuple[st.SearchStrategy, Callable[[HostileRun, Any], None]]] = {
    "district": (DISTRICT, district_input),
    "agreement": (AGREEMENT, agreement_input),
    "training": (TRAINING, training_input),
    "selection": (SELECTION, selection_input),
    "enforcement": (ENFORCEMENT, enforcement_input),
    "activity": (ACTIVITY, activity_input),
    "officer": (OFFICER, officer_input),
    "complaint": (COMPLAINT, complaint_input),
}


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def run_kind(kind: str, path: Path, examples: int, *, out: Path, figures: Figures) -> None:
    """``examples`` hostile inputs of one kind into the (demo) file at ``path``."""
    strategy, attempt = KINDS[kind]
    with DataFile.open(path) as data_file:
        run = HostileRun(data_file, figures, date.today(), out, {})
        _prepare(run)

        # No shrinking: every input builds PDFs, and the first failing input is shown whole.
        @settings(
            max_examples=examples, deadline=None, database=None, print_blob=True, derandomize=True,
            suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
        )
        @given(strategy)
        def one_input(drawn: Any) -> None:
            figures.inputs_tried += 1
            run.typed = list(_strings(drawn))
            attempt(run, drawn)

        one_input()
        figures.runs += 1
