"""The review's check for the SRO on lunch, cafeteria, hall, bus or substitute duty, which
the state's model agreement rules out (a model rule, not a statute): what it matches and
what it leaves alone, where it reads, and the sentence the review shows."""

from __future__ import annotations

from datetime import date

import pytest

from sro_desk.records import enforcement as enf
from sro_desk.records import meetings as mt
from sro_desk.records import officers
from sro_desk.records import review as rv
from sro_desk.records.district import load_district
from sro_desk.records.meetings import ActionItem, Attendee, Meeting
from sro_desk.records.sro_duties import SOURCE, SOURCE_NOTE, DutyNote, duties_in, duties_recorded

TODAY = date(2026, 11, 22)
YEAR = "2025-2026"


@pytest.mark.parametrize(("text", "duties"), [
    ("Agreed the SRO joins lunch duty twice a week to know students by name.", ["lunch duty"]),
    ("The SRO stays on lunch duty; no classroom visits.", ["lunch duty"]),
    ("Officer Bell supervises the cafeteria on Mondays.", ["cafeteria duty"]),
    ("The SRO will supervise students at lunch.", ["lunch duty"]),
    ("The SRO takes cafeteria duties when staff are short.", ["cafeteria duty"]),
    ("The SRO is the hall monitor during passing time.", ["hall duty"]),
    ("The SRO will monitor the hallways between classes.", ["hall duty"]),
    ("The SRO covers bus duty at dismissal.", ["bus duty"]),
    ("The officer does bus loop supervision in the morning.", ["bus duty"]),
    ("The SRO covered a teacher's class while she was at a meeting.", ["substitute duty"]),
    ("The SRO served as a substitute in room 12.", ["substitute duty"]),
    ("The SRO will cover for an absent teacher when no substitute is found.", ["substitute duty"]),
    ("The SRO does lunch duty and bus duty.", ["lunch duty", "bus duty"]),
    ("The SRO does not do hall duty but joins lunch duty.", ["lunch duty"]),
    ("The principal asked; Sergeant Raman joins hall duty on Fridays.", ["hall duty"]),
    ("THE SRO JOINS LUNCH DUTY.", ["lunch duty"]),
])
def test_duty_is_found(text, duties):
    assert duties_in(text, names=["Raman", "Bell"]) == duties


@pytest.mark.parametrize("text", [
    "The SRO will not join lunch duty.",
    "The SRO is never used for hall, cafeteria or substitute duty.",
    "The SRO is never to be used for hall duty.",
    "Keep the SRO off hall duty.",
    "The SRO was relieved of bus duty in March.",
    "The SRO no longer does lunch duty.",
    "Teachers cover lunch duty; the SRO visits classrooms.",
    "The SRO will not take part in truancy enforcement; the counsellor leads lunch duty.",
    "Lunch duty rota for the teachers.",  # no one said to be the SRO
    "We talked about lunch duty.",
    "A fight in the cafeteria at lunch; the SRO stepped in.",
    "The SRO ate lunch with the student council.",
    "The SRO spoke at the town hall meeting.",
    "Bus safety presentation by the SRO to grade 6.",
    "The SRO walked the bus loop with the principal to plan the arrival routine.",
    "Nothing can substitute for training; the SRO attended the academy.",
    "The SRO will cover the complaint notice at the open house.",
    "The SRO's duty is to keep students safe; hall passes are the teachers' job.",
    "Dutyfree lunch for staff; the SRO keeps office hours.",
    "",
])
def test_what_is_not_duty_is_left_alone(text):
    assert duties_in(text, names=["Raman", "Bell"]) == []


def test_the_sros_own_texts_need_not_name_the_sro():
    assert duties_in("Lunch duty in the cafeteria.") == []
    assert duties_in("Lunch duty in the cafeteria.", about_the_sro=True) == ["lunch duty"]
    assert duties_in("Teachers and lunch duty.", about_the_sro=True) == []  # someone else's
    assert duties_in("Serve as bus monitor on Fridays.", about_the_sro=True) == ["bus duty"]


def test_the_sentence_says_where_it_was_recorded():
    assert DutyNote("minutes", "2025-10-09", ("lunch duty",), 1).sentence() == (
        "The minutes of October 9, 2025 record the SRO on lunch duty; the model agreement keeps SROs off "
        "such duties.")
    assert DutyNote("decisions", "2025-10-09", ("hall duty", "bus duty"), 1).sentence().startswith(
        "The decisions of the meeting of October 9, 2025 record the SRO on hall duty and bus duty;")
    assert DutyNote("action item", "2026-01-05", ("bus duty",), 1).sentence().startswith(
        "An action item of the meeting of January 5, 2026 records the SRO on bus duty;")
    assert DutyNote("activity", "2026-03-02", ("lunch duty", "hall duty", "substitute duty"), 1).sentence() \
        .startswith("The SRO's activity log of March 2, 2026 records the SRO on lunch duty, hall duty and substitute")
    assert SOURCE == "model-mou" and "not a statute" in SOURCE_NOTE


def _meeting(data_file, held_on: str, **fields) -> int:
    school = load_district(data_file).schools[0]
    return mt.save_meeting(data_file, Meeting(
        "sro_principal", held_on, [school.id], attendees=[Attendee(school.principal_name, "Principal")], **fields,
    ), today=TODAY)


def test_the_years_minutes_decisions_action_items_and_activity_are_read(demo_file):
    officer = officers.save_officer(demo_file, officers.Officer("Marcus Bell", "Officer", None, 5,
                                                                assigned_sro=True))
    assert officer
    _meeting(demo_file, "2025-10-09", minutes="Agreed the SRO joins lunch duty twice a week.",
             decisions="The SRO will not do hall duty.")
    _meeting(demo_file, "2025-11-13", minutes="Walked the arrival routine.",
             decisions="Officer Bell takes bus duty on Fridays.",
             actions=[ActionItem("Cover lunch duty while the aide is out.", "Marcus Bell", "2025-12-01"),
                      ActionItem("Cover lunch duty while the aide is out.", "Alicia Nguyen", "2025-12-01")])
    _meeting(demo_file, "2025-06-10", minutes="The SRO joins lunch duty.")  # the year before
    _meeting(demo_file, "2026-12-10", agenda="Lunch duty?")  # to come, no minutes yet
    enf.save_activity(demo_file, enf.Activity("2026-02-02", "community", 1, notes="Hall duty, grade 8 wing."),
                      today=TODAY)
    enf.save_activity(demo_file, enf.Activity("2026-02-03", "presentation", 1, notes="Bus safety talk."),
                      today=TODAY)
    notes = duties_recorded(demo_file, YEAR)
    assert [(n.part, n.day, n.duties) for n in notes] == [
        ("minutes", "2025-10-09", ("lunch duty",)),
        ("decisions", "2025-11-13", ("bus duty",)),
        ("action item", "2025-11-13", ("lunch duty",)),  # the SRO's item; the principal's is not the SRO's
        ("activity", "2026-02-02", ("hall duty",)),
    ]
    assert duties_recorded(demo_file, "2024-2025")[0].day == "2025-06-10"
    printed = rv.printable_review(demo_file, YEAR, today=TODAY)
    assert printed.duty_notes == [n.sentence() for n in notes]
    assert printed.duty_notes[0] == ("The minutes of October 9, 2025 record the SRO on lunch duty; the model "
                                     "agreement keeps SROs off such duties.")
    assert rv.printable_review(demo_file, YEAR, public=True, today=TODAY).duty_notes == printed.duty_notes


def test_the_review_page_prefetches_the_check(demo_file):
    from sro_desk.records.sro_duties import duties_reads

    reads = rv.page_reads(demo_file, YEAR)
    for read in duties_reads(demo_file, YEAR):
        assert read in reads
    _meeting(demo_file, "2025-10-09", minutes="The SRO joins lunch duty.")
    with demo_file.reading():
        demo_file.prefetch(reads)
        assert len(duties_recorded(demo_file, YEAR)) == 1


def test_someone_named_after_the_duty_is_not_its_doer():
    assert duties_in("Cover lunch duty while the aide is out.", about_the_sro=True) == ["lunch duty"]
    assert duties_in("The SRO covers hall duty with two teachers.") == ["hall duty"]


def test_the_printed_review_raises_the_duties_with_the_models_note(tmp_path):
    """The review PDF says what the Review page says (every figure and note printed the same)."""
    import pdfplumber

    from sro_desk.documents.review import build_review_pdf
    from sro_desk.records.demo import create_demo
    from sro_desk.records.review import printable_review
    from sro_desk.records.sro_duties import SOURCE_NOTE, duties_recorded
    from sro_desk.store import DataFile, OpenOptions

    path = tmp_path / "demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file)
        year = next(y for y in ("2025-2026", "2026-2027") if duties_recorded(data_file, y))
        review = printable_review(data_file, year)
        sentences = [note.sentence() for note in duties_recorded(data_file, year)]
    out = tmp_path / "review.pdf"
    build_review_pdf(review, out)
    with pdfplumber.open(out) as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    for sentence in sentences:
        assert " ".join(sentence.split()) in text
    assert " ".join(SOURCE_NOTE.split())[:60] in text
