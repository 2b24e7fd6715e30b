"""Selecting the SRO: input from the school community, candidates weighed, the decision.

The chief assigns the officer, working with the superintendent. G.L. c. 71, § 37P forbids
appointing on seniority alone; the state's model agreement (not the statute) has the
superintendent gather input from principals and groups of teachers, parents and
students, and the chief explain in writing an assignment the superintendent recommended
against. Each rule is enforced when the decision is saved; resources/law/cites.json
names each one's source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from statistics import mean
from typing import NewType

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records.calendar import parse_school_year
from sro_desk.records.officers import Officer, list_officers, officers_read
from sro_desk.store import DataFile, one_snapshot, rows
from sro_desk.store.database import Read

RoundId = NewType("RoundId", int)

#: Preferences the model agreement names: temperament and three specialised trainings.
PREFERENCES: dict[str, str] = {
    "temperament": "Temperament suited to working with children and educators",
    "train_development": "Specialised training in child and adolescent cognitive development",
    "train_de_escalation": "Specialised training in de-escalation",
    "train_alternatives": "Specialised training in alternatives to arrest and in diversion",
}
#: The ten further factors, in our own words.
FACTORS: dict[str, str] = {
    "youth_experience": "Experience working with young people",
    "similar_population": "Success with students like ours (race, ethnicity, language) and with people with disabilities",
    "welcoming": "Commitment to welcoming students of every background",
    "restorative": "Commitment to de-escalation, diversion or restorative justice, and to community policing",
    "school_law": "Knowledge of school legal issues (confidentiality, consent) and of students' rights",
    "safety_planning": "School safety planning and safety technology",
    "outreach": "Community outreach",
    "resources": "Knowledge of school and community resources",
    "judgment": "Good judgment, with no validated complaints or lawsuits",
    "teaching": "Public speaking and teaching",
}
#: Who gives input: the model agreement asks for principals and groups of teachers,
#: parents and students (a model rule, not the statute's).
GROUPS: dict[str, str] = {
    "principal": "Principals",
    "teacher": "Teachers",
    "parent": "Parents and guardians",
    "student": "Students",
    "superintendent": "Superintendent",
    "community": "Community members",
}
REQUIRED_GROUPS = ("principal", "teacher", "parent", "student")
SCALE = {1: "Poor", 2: "Fair", 3: "Good", 4: "Very good", 5: "Excellent"}
#: Reasons the chief may give besides the criteria; seniority alone is never enough.
OTHER_REASONS = {"seniority": "Seniority", "availability": "Availability and scheduling", "other": "Other (explained below)"}


@dataclass
class Criterion:
    id: int
    key: str
    label: str
    kind: str  # preference, factor, district


@dataclass
class Candidate:
    id: int
    officer: Officer


@dataclass
class Score:
    candidate_id: int
    criterion_id: int | None
    score: int | None
    comment: str = ""


@dataclass
class InputRecord:
    id: int | None
    source_group: str
    gathered_on: str
    gathered_by: str = ""
    participants: str = ""
    notes: str = ""
    scores: list[Score] = field(default_factory=list)
    version: int = 0


@dataclass
class Disclosure:
    id: int | None
    candidate_id: int
    relationship: str
    description: str = ""
    department_decision: str = ""
    version: int = 0


@dataclass
class Decision:
    officer_id: int
    decided_on: str
    reasons: list[str]
    reason_text: str = ""
    chief_explanation: str = ""


@dataclass
class SelectionRound:
    id: RoundId
    school_year: str
    school_id: int | None
    school_name: str
    title: str
    opened_on: str
    status: str
    against_officer_id: int | None
    against_reason: str
    notes: str
    version: int
    criteria: list[Criterion]
    candidates: list[Candidate]
    inputs: list[InputRecord]
    disclosures: list[Disclosure]
    decision: Decision | None

    def candidate(self, candidate_id: int) -> Candidate | None:
        return next((c for c in self.candidates if c.id == candidate_id), None)

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def groups_heard(self) -> list[str]:
        return list(dict.fromkeys(i.source_group for i in self.inputs))

    def missing_groups(self) -> list[str]:
        heard = set(self.groups_heard())
        return [g for g in REQUIRED_GROUPS if g not in heard]


# -- reading ---------------------------------------------------------------------------


def list_rounds(data_file: DataFile) -> list[dict]:
    """id, school_year, title, status of every round, newest first."""
    return data_file.query(*rounds_read()[:2])


def rounds_read() -> Read:
    """The read behind ``list_rounds`` (for prefetch)."""
    return ("SELECT id, school_year, title, status FROM selection_round ORDER BY school_year DESC, id DESC",
            (), ("id", "school_year", "title", "status"))


def load_round(data_file: DataFile, round_id: int) -> SelectionRound:
    """A round with its criteria, candidates, inputs and scores, disclosures and decision
    (one read of the file, with the officers)."""
    with data_file.reading():
        data_file.prefetch([officers_read(data_file)])
        officers = {o.id: o for o in list_officers(data_file)}
        return _round(data_file, round_id, officers)


def _round(data_file: DataFile, round_id: int, officers: dict) -> SelectionRound:
    found = data_file.query_together({
        "round": ("SELECT r.*, s.name AS school_name FROM selection_round r "
                  "LEFT JOIN school s ON s.id = r.school_id WHERE r.id = ?",
                  (round_id,), data_file.columns("selection_round") + ("school_name",)),
        "candidates": ("SELECT * FROM selection_candidate WHERE round_id = ? ORDER BY position, id",
                       (round_id,), data_file.columns("selection_candidate")),
        "scores": ("SELECT s.* FROM selection_score s JOIN selection_input i ON i.id = s.input_id "
                   "WHERE i.round_id = ? ORDER BY s.id", (round_id,), data_file.columns("selection_score")),
        "disclosures": ("SELECT * FROM selection_disclosure WHERE candidate_id IN "
                        "(SELECT id FROM selection_candidate WHERE round_id = ?) ORDER BY id",
                        (round_id,), data_file.columns("selection_disclosure")),
        "decided": ("SELECT * FROM selection_decision WHERE round_id = ?", (round_id,),
                    data_file.columns("selection_decision")),
        "criteria": ("SELECT * FROM selection_criterion WHERE round_id = ? ORDER BY position, id", (round_id,),
                     data_file.columns("selection_criterion")),
        "inputs": ("SELECT * FROM selection_input WHERE round_id = ? ORDER BY gathered_on, id", (round_id,),
                   data_file.columns("selection_input")),
    })
    if not found["round"]:
        raise SroDeskError(f"There is no selection round number {round_id}.")
    row = found["round"][0]
    candidates = [
        Candidate(c["id"], officers[c["officer_id"]])
        for c in found["candidates"]
        if c["officer_id"] in officers
    ]
    scores: dict[int, list[Score]] = {}
    for s in found["scores"]:
        scores.setdefault(s["input_id"], []).append(
            Score(s["candidate_id"], s["criterion_id"], s["score"], s["comment"] or "")
        )
    candidate_ids = {c.id for c in candidates}
    disclosures = [
        Disclosure(d["id"], d["candidate_id"], d["relationship"], d["description"] or "",
                   d["department_decision"] or "", d["version"])
        for d in found["disclosures"]
        if d["candidate_id"] in candidate_ids
    ]
    decided = found["decided"]
    decision = None
    if decided:
        d = decided[0]
        decision = Decision(d["officer_id"], d["decided_on"], json.loads(d["reasons"]),
                            d["reason_text"] or "", d["chief_explanation"] or "")
    return SelectionRound(
        id=RoundId(row["id"]),
        school_year=row["school_year"],
        school_id=row["school_id"],
        school_name=row["school_name"] or "",
        title=row["title"],
        opened_on=row["opened_on"],
        status=row["status"],
        against_officer_id=row["against_officer_id"],
        against_reason=row["against_reason"] or "",
        notes=row["notes"] or "",
        version=row["version"],
        criteria=[Criterion(c["id"], c["key"], c["label"], c["kind"]) for c in found["criteria"]],
        candidates=candidates,
        inputs=[
            InputRecord(i["id"], i["source_group"], i["gathered_on"], i["gathered_by"] or "",
                        i["participants"] or "", i["notes"] or "", scores.get(i["id"], []), i["version"])
            for i in found["inputs"]
        ],
        disclosures=disclosures,
        decision=decision,
    )


# -- changing a round ------------------------------------------------------------------


def _date(text: str, what: str) -> str:
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise ValidationError(f"Enter {what} like 2026-05-14.") from None


def open_round(
    data_file: DataFile,
    *,
    school_year: str,
    title: str,
    opened_on: str,
    school_id: int | None = None,
    officer_ids: list[int] = (),
) -> RoundId:
    """A new round with the standard criteria and its candidates."""
    try:
        parse_school_year(school_year)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if not title.strip():
        raise ValidationError("Give the selection round a title, e.g. 'High school SRO 2026-2027'.")
    opened = _date(opened_on, "the date the round opened")
    with data_file.write():
        round_id = RoundId(rows.insert(
            data_file, "selection_round",
            {"school_year": school_year, "school_id": school_id, "title": title.strip(),
             "opened_on": opened, "status": "open", "notes": ""},
        ))
        position = 0
        for kind, table in (("preference", PREFERENCES), ("factor", FACTORS)):
            for key, label in table.items():
                position += 1
                rows.insert(data_file, "selection_criterion",
                            {"round_id": round_id, "key": key, "label": label, "kind": kind, "position": position})
        for number, officer_id in enumerate(officer_ids, start=1):
            rows.insert(data_file, "selection_candidate",
                        {"round_id": round_id, "officer_id": officer_id, "position": number})
    return round_id


def _still_open(data_file: DataFile, selection: SelectionRound) -> None:
    """Inside the write: the stored round, not the caller's copy, must still be open."""
    found = data_file.query("SELECT status FROM selection_round WHERE id = ?", (selection.id,))
    if not found or found[0]["status"] != "open":
        _require_open(SelectionRound(**{**selection.__dict__, "decision": selection.decision or Decision(0, "", [])}))


def _require_open(selection: SelectionRound) -> None:
    if selection.decided:
        raise SroDeskError(
            "This round is decided and kept as the record of the choice; open a new round to "
            "choose again."
        )


def add_candidate(data_file: DataFile, selection: SelectionRound, officer_id: int) -> int:
    _require_open(selection)
    if any(c.officer.id == officer_id for c in selection.candidates):
        raise ValidationError("That officer is already a candidate in this round.")
    with data_file.write():
        _still_open(data_file, selection)
        return rows.insert(data_file, "selection_candidate",
                           {"round_id": selection.id, "officer_id": officer_id,
                            "position": len(selection.candidates) + 1})


def add_criterion(data_file: DataFile, selection: SelectionRound, label: str) -> int:
    """A criterion of the district's own."""
    _require_open(selection)
    label = label.strip()
    if not label:
        raise ValidationError("Enter the criterion.")
    if label.casefold() in {c.label.casefold() for c in selection.criteria}:
        raise ValidationError("That criterion is already in the list.")
    with data_file.write():
        _still_open(data_file, selection)
        return rows.insert(data_file, "selection_criterion",
                           {"round_id": selection.id, "key": f"district_{len(selection.criteria) + 1}",
                            "label": label, "kind": "district", "position": len(selection.criteria) + 1})


def save_input(data_file: DataFile, selection: SelectionRound, record: InputRecord) -> int:
    """Record (or correct) one group's input: who gave it, when, scores and comments."""
    _require_open(selection)
    if record.source_group not in GROUPS:
        raise ValidationError("Choose which group the input came from.")
    gathered = _date(record.gathered_on, "the date the input was gathered")
    # Both are printed in a table cell of the summary: a line or two, never pages.
    if len(record.gathered_by.strip()) > 200:
        raise ValidationError("Say who gathered the input in under 200 characters.", field="gathered_by")
    if len(record.participants.strip()) > 500:
        raise ValidationError("Describe who took part in under 500 characters; put more in the notes.",
                              field="participants")
    candidate_ids = {c.id for c in selection.candidates}
    criterion_ids = {c.id for c in selection.criteria}
    for score in record.scores:
        if score.candidate_id not in candidate_ids:
            raise ValidationError("A score names an officer who is not a candidate in this round.")
        if score.criterion_id is not None and score.criterion_id not in criterion_ids:
            raise ValidationError("A score names a criterion that is not in this round.")
        if score.score is not None and score.score not in SCALE:
            raise ValidationError("Scores go from 1 (poor) to 5 (excellent).")
    values = {"round_id": selection.id, "source_group": record.source_group, "gathered_on": gathered,
              "gathered_by": record.gathered_by.strip(), "participants": record.participants.strip(),
              "notes": record.notes.strip()}
    with data_file.write():
        _still_open(data_file, selection)
        if record.id is None:
            input_id = rows.insert(data_file, "selection_input", values)
        else:
            input_id = record.id
            rows.update(data_file, "selection_input", input_id, values,
                        expected_version=record.version, label="input record")
            for old in data_file.query("SELECT id, version FROM selection_score WHERE input_id = ?", (input_id,)):
                rows.delete(data_file, "selection_score", old["id"], expected_version=old["version"], label="score")
        for score in record.scores:
            if score.score is None and not score.comment.strip():
                continue
            rows.insert(data_file, "selection_score",
                        {"input_id": input_id, "candidate_id": score.candidate_id,
                         "criterion_id": score.criterion_id, "score": score.score,
                         "comment": score.comment.strip()})
    return input_id


def save_disclosure(data_file: DataFile, selection: SelectionRound, disclosure: Disclosure) -> int:
    """A candidate's relationship to a current or expected student or staff member."""
    _require_open(selection)
    if selection.candidate(disclosure.candidate_id) is None:
        raise ValidationError("Choose the candidate the disclosure is about.")
    if not disclosure.relationship.strip():
        raise ValidationError(
            "Describe the relationship (e.g. 'parent of a grade 9 student'), without the student's name."
        )
    values = {"candidate_id": disclosure.candidate_id, "relationship": disclosure.relationship.strip(),
              "description": disclosure.description.strip(),
              "department_decision": disclosure.department_decision.strip()}
    with data_file.write():
        _still_open(data_file, selection)
        if disclosure.id is None:
            return rows.insert(data_file, "selection_disclosure", values)
        rows.update(data_file, "selection_disclosure", disclosure.id, values,
                    expected_version=disclosure.version, label="disclosure")
        return disclosure.id


def recommend_against(data_file: DataFile, selection: SelectionRound, officer_id: int | None, reason: str = "") -> None:
    """Record that the superintendent recommends an officer not serve (None clears it)."""
    _require_open(selection)
    if officer_id is not None and not reason.strip():
        raise ValidationError("Record why the superintendent recommends against this officer.")
    with data_file.write():
        _still_open(data_file, selection)
        rows.update(data_file, "selection_round", selection.id,
                    {"against_officer_id": officer_id, "against_reason": reason.strip() if officer_id else ""},
                    expected_version=selection.version, label="selection round")


def decide(data_file: DataFile, selection: SelectionRound, decision: Decision) -> None:
    """Record the chief's decision, refusing one that breaks the statute's rule or the
    model agreement's.

    Seniority may be a reason but never the only one; assigning an officer the
    superintendent recommended against needs the chief's explanation; deciding without
    input from principals, teachers, parents and students needs the reason why.
    """
    _require_open(selection)
    if not any(c.officer.id == decision.officer_id for c in selection.candidates):
        raise ValidationError("Choose the officer assigned, from the candidates.")
    decided_on = _date(decision.decided_on, "the date of the decision")
    known = {c.key for c in selection.criteria} | set(OTHER_REASONS)
    reasons = [r for r in dict.fromkeys(decision.reasons) if r in known]
    if not reasons:
        raise ValidationError("Record at least one reason for choosing this officer.")
    if reasons == ["seniority"]:
        raise ValidationError(
            "G.L. c. 71, § 37P forbids appointing an SRO on seniority alone; record the other "
            "reasons for the choice."
        )
    if "other" in reasons and not decision.reason_text.strip():
        raise ValidationError("Explain the 'other' reason in the notes.")
    if decision.officer_id == selection.against_officer_id and not decision.chief_explanation.strip():
        raise ValidationError(
            "The superintendent recommended against this officer; the chief must explain in "
            "writing why the assignment stands."
        )
    missing = selection.missing_groups()
    if missing and not decision.reason_text.strip():
        raise ValidationError(
            "No input was recorded from " + ", ".join(GROUPS[g].lower() for g in missing)
            + "; gather it, or explain in the notes why the decision could not wait."
        )
    with data_file.write():
        _still_open(data_file, selection)
        rows.insert(data_file, "selection_decision",
                    {"round_id": selection.id, "officer_id": decision.officer_id, "decided_on": decided_on,
                     "reasons": json.dumps(reasons), "reason_text": decision.reason_text.strip(),
                     "chief_explanation": decision.chief_explanation.strip()})
        rows.update(data_file, "selection_round", selection.id, {"status": "decided"},
                    expected_version=selection.version, label="selection round")
        officer = data_file.query("SELECT version, assigned_sro FROM officer WHERE id = ?", (decision.officer_id,))[0]
        if not officer["assigned_sro"]:
            rows.update(data_file, "officer", decision.officer_id, {"assigned_sro": 1},
                        expected_version=officer["version"], label="officer")


# -- the summary for the chief ----------------------------------------------------------


@dataclass
class CandidateSummary:
    candidate: Candidate
    #: criterion id -> group -> (average score, number of scores)
    scores: dict[int, dict[str, tuple[float, int]]]
    #: group -> average over every criterion
    overall: dict[str, float]
    comments: list[tuple[str, str]]
    disclosures: list[Disclosure]
    training: list[str]


@one_snapshot
def summarize(data_file: DataFile, selection: SelectionRound, *, today: date | None = None) -> list[CandidateSummary]:
    """Per candidate: scores by criterion and group, comments, disclosures, training (read
    for all candidates together: two statements however many there are)."""
    from sro_desk.records import training

    today = today or date.today()
    officers = [c.officer for c in selection.candidates]
    data_file.prefetch([
        training.topics_read(),
        *(_latest_training_year_read(o.id, selection.school_year) for o in officers),
        *(read for o in officers for read in training.certification_reads(data_file, o.id)),
    ])
    data_file.prefetch([
        read for o in officers
        for year in [_latest_training_year(data_file, o.id, selection.school_year)] if year
        for read in training.status_reads(data_file, o, year)
    ])
    summaries = []
    for candidate in selection.candidates:
        by_criterion: dict[int, dict[str, list[int]]] = {}
        by_group: dict[str, list[int]] = {}
        comments: list[tuple[str, str]] = []
        for record in selection.inputs:
            for score in record.scores:
                if score.candidate_id != candidate.id:
                    continue
                if score.score is not None and score.criterion_id is not None:
                    by_criterion.setdefault(score.criterion_id, {}).setdefault(record.source_group, []).append(score.score)
                    by_group.setdefault(record.source_group, []).append(score.score)
                if score.comment:
                    comments.append((record.source_group, score.comment))
        lines = _training_lines(data_file, candidate.officer.id, selection.school_year, today)
        summaries.append(
            CandidateSummary(
                candidate=candidate,
                scores={cid: {g: (round(mean(v), 2), len(v)) for g, v in groups.items()}
                        for cid, groups in by_criterion.items()},
                overall={g: round(mean(v), 2) for g, v in by_group.items()},
                comments=comments,
                disclosures=[d for d in selection.disclosures if d.candidate_id == candidate.id],
                training=lines,
            )
        )
    return summaries


def _latest_training_year_read(officer_id: int, school_year: str) -> Read:
    return (
        "SELECT DISTINCT school_year FROM training_entry WHERE officer_id = ? AND school_year <= ? "
        "ORDER BY school_year DESC LIMIT 1",
        (officer_id, school_year),
        ("school_year",),
    )


def _latest_training_year(data_file: DataFile, officer_id: int, school_year: str) -> str:
    """The officer's latest school year with training logged, up to ``school_year``."""
    found = data_file.query(*_latest_training_year_read(officer_id, school_year)[:2])
    return found[0]["school_year"] if found else ""


def _training_lines(data_file: DataFile, officer_id: int, school_year: str, today: date) -> list[str]:
    """The candidate's most recent logged training year (up to the round's) and certification."""
    from sro_desk.records import training

    year = _latest_training_year(data_file, officer_id, school_year)
    lines = []
    if year:
        status = training.training_status(data_file, officer_id, year, today=today)
        topics = training.all_topics(data_file)
        lines.append(f"Training in {status.school_year}: {status.summary()}")
        if status.topics_done:
            lines.append("Topics covered: " + ", ".join(topics.get(t, t) for t in status.topics_done))
    else:
        lines.append("No training is logged in SRO Desk for this officer.")
    certs = training.certifications_of(data_file, officer_id)
    if certs:
        latest = certs[0]
        expiry = f", expires {latest.expires_on}" if latest.expires_on else ""
        lines.append(f"SRO certification: {latest.state(today)} (granted {latest.granted_on}{expiry}).")
    else:
        lines.append("No SRO certification recorded.")
    return lines


# -- printing --------------------------------------------------------------------------


@dataclass
class PrintableCandidate:
    name: str
    rank: str
    department: str
    years_of_service: str
    training: list[str]
    #: (criterion label, {group label: "4.5 (3)"}) in criterion order
    score_rows: list[tuple[str, dict[str, str]]]
    overall: dict[str, str]
    disclosures: list[tuple[str, str, str]]
    comments: list[tuple[str, str]]
    recommended_against: str = ""


@dataclass
class PrintableSelection:
    """The selection summary for the chief, and the decision record once decided."""

    district_name: str
    title: str
    school_year: str
    school_name: str
    opened_on: str
    prepared_on: str
    #: group labels, in column order, of the groups heard
    groups: list[str]
    #: (group label, date, gathered by, participants)
    inputs: list[tuple[str, str, str, str]]
    missing_groups: list[str]
    candidates: list[PrintableCandidate]
    #: (officer name, date, reason labels, notes, chief's explanation), or None before the decision
    decision: tuple[str, str, list[str], str, str] | None = None


@dataclass
class PrintableInputForm:
    """A blank input form for one group, in one language."""

    district_name: str
    title: str
    school_year: str
    group: str
    candidates: list[str]
    criteria: list[str]
    text: dict


def printable_selection(data_file: DataFile, selection: SelectionRound, *, today: date | None = None) -> PrintableSelection:
    from sro_desk.records.district import load_district

    today = today or date.today()
    district = load_district(data_file)
    summaries = summarize(data_file, selection, today=today)
    heard = selection.groups_heard()
    labels = {c.id: c.label for c in selection.criteria}
    reason_labels = {**{c.key: c.label for c in selection.criteria}, **OTHER_REASONS}
    candidates = []
    for summary in summaries:
        officer = summary.candidate.officer
        candidates.append(
            PrintableCandidate(
                name=officer.name,
                rank=officer.rank,
                department=officer.department_name,
                years_of_service="" if officer.years_of_service is None else str(officer.years_of_service),
                training=summary.training,
                score_rows=[
                    (labels[cid], {GROUPS[g]: f"{avg:g} ({n})" for g, (avg, n) in by_group.items()})
                    for cid, by_group in sorted(summary.scores.items(), key=lambda kv: list(labels).index(kv[0]))
                ],
                overall={GROUPS[g]: f"{avg:g}" for g, avg in summary.overall.items()},
                disclosures=[(d.relationship, d.description, d.department_decision) for d in summary.disclosures],
                comments=[(GROUPS[g], text) for g, text in summary.comments],
                recommended_against=selection.against_reason if officer.id == selection.against_officer_id else "",
            )
        )
    decision = None
    if selection.decision is not None:
        chosen = next(c.officer.name for c in selection.candidates if c.officer.id == selection.decision.officer_id)
        decision = (
            chosen,
            selection.decision.decided_on,
            [reason_labels.get(r, r) for r in selection.decision.reasons],
            selection.decision.reason_text,
            selection.decision.chief_explanation,
        )
    return PrintableSelection(
        district_name=district.name if district else "",
        title=selection.title,
        school_year=selection.school_year,
        school_name=selection.school_name or "District-wide",
        opened_on=selection.opened_on,
        prepared_on=f"{today:%B} {today.day}, {today.year}",
        groups=[GROUPS[g] for g in heard],
        inputs=[(GROUPS[i.source_group], i.gathered_on, i.gathered_by, i.participants) for i in selection.inputs],
        missing_groups=[GROUPS[g] for g in selection.missing_groups()],
        candidates=candidates,
        decision=decision,
    )


FORM_LANGUAGES = ("en",)


def form_text(language: str) -> dict:
    """The input form's own text in a language; SroDeskError naming the languages there are."""
    from sro_desk.resources import read_form_text

    return read_form_text("forms", "selection-input", language, "selection input form")


def printable_input_form(
    data_file: DataFile | None,
    group: str,
    *,
    language: str = "en",
    selection: SelectionRound | None = None,
) -> PrintableInputForm:
    """A blank form for one group: the round's candidates and criteria, or a generic one."""
    from sro_desk.records.district import load_district

    if group not in GROUPS:
        raise ValidationError("Choose the group the form is for: " + ", ".join(GROUPS) + ".")
    text = form_text(language)
    district = load_district(data_file) if data_file is not None else None
    if selection is not None:
        criteria = [c.label for c in selection.criteria]
        candidates = [c.officer.name for c in selection.candidates]
        title, year = selection.title, selection.school_year
    else:
        criteria = list(PREFERENCES.values()) + list(FACTORS.values())
        candidates = []
        title, year = text["title"], ""
    return PrintableInputForm(
        district_name=district.name if district else "",
        title=title,
        school_year=year,
        group=GROUPS[group],
        candidates=candidates,
        criteria=criteria,
        text=text,
    )
