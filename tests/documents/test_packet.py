"""The school-committee packet: its sections, one page numbering, bookmarks and contents,
and nothing confidential or below the suppression threshold in it."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from sro_desk.documents import common
from sro_desk.documents import packet as pk
from sro_desk.documents.enforcement import build_enforcement_pdf
from sro_desk.documents.catalog import Cancelled
from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records.demo import create_demo
from sro_desk.records.enforcement_reports import printable_enforcement
from sro_desk.records.public_figures import year_figures
from sro_desk.records.settings import current_school_year
from sro_desk.store import DataFile, OpenOptions

TODAY = date(2026, 11, 22)
#: Every complainant of the sample district, confidential or not, and their contacts.
COMPLAINANTS = ["Lucía Ramírez", "617-555-0142", "Ana Souza", "508-555-0111", "Nguyen Thi Lan",
                "lan.nguyen@example.org", "Tom Becker", "tbecker@example.org", "Jean-Baptiste Pierre",
                "508-555-0190", "Grace Whitfield", "grace.w@example.org", "Rosa Delgado", "617-555-0177"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("packet-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SRO_DESK_HOME", str(home))
        data_file = DataFile.open(home / "district.db", OpenOptions(create=True))
        create_demo(data_file, today=TODAY)
        yield data_file
        data_file.close()


@pytest.fixture(scope="module")
def last_year(demo):
    """The demo's finished school year (a full year of records and a review)."""
    from sro_desk.records.calendar import previous_school_year

    return previous_school_year(current_school_year(demo, TODAY))


@pytest.fixture(scope="module")
def built(demo, last_year):
    prepared = pk.prepare_packet(demo, last_year, agenda=["Call to order", "SRO program <report> & vote"],
                                 meeting_on="2026-12-10", today=TODAY)
    out = io.BytesIO()
    pages = pk.build_packet(prepared, out)
    return prepared, PdfReader(io.BytesIO(out.getvalue())), pages


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def _text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_every_section_is_there_with_a_bookmark_in_order(built):
    prepared, reader, pages = built
    assert pages == len(reader.pages) > 10
    top = [(title, page) for depth, title, page in _outline(reader) if depth == 0]
    titles = [title for title, _ in top]
    assert titles == ["Cover and contents"] + [pk.SECTIONS[key] for key in pk.SECTIONS if key not in pk.FRONT]
    starts = [page for _, page in top]
    assert starts == sorted(starts) and starts[0] == 1
    # Each document's own bookmarks sit under its section.
    nested = _outline(reader)
    assert any(depth == 1 and title == "Memorandum of understanding" for depth, title, _ in nested)


def test_one_page_numbering_runs_across_the_packet(built):
    prepared, reader, pages = built
    texts = _text(reader)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
        assert text.count("Page ") >= 1
        # No section keeps its own "Page n of M" numbering.
        assert len(re.findall(r"Page \d+ of \d+", text)) == 1, number
    assert "School committee packet" in texts[-1] and prepared.district in texts[-1]


def test_the_contents_page_gives_each_section_its_first_page(built):
    _, reader, _ = built
    texts = _text(reader)
    contents = next(t for t in texts if t.lstrip().startswith("Contents"))
    top = {title: page for depth, title, page in _outline(reader) if depth == 0}
    for key, title in pk.SECTIONS.items():
        if key in pk.FRONT:
            continue
        assert re.search(re.escape(title) + r"\s+" + str(top[title]) + r"\b", contents), title


def test_the_cover_and_agenda_carry_what_was_given(built):
    prepared, reader, _ = built
    cover, agenda = _text(reader)[0], _text(reader)[1]
    assert prepared.district in cover and prepared.school_year in cover
    assert "For the meeting of December 10, 2026" in cover and "Prepared on November 22, 2026" in cover
    assert "SRO program <report> & vote" in agenda and "Call to order" in agenda


def test_the_packet_names_no_complainant(built):
    _, reader, _ = built
    everything = "\n".join(_text(reader))
    for secret in COMPLAINANTS:
        assert secret not in everything, secret
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert not any(secret in metadata for secret in COMPLAINANTS)


def test_no_count_below_the_threshold_reaches_the_packet(built, demo, last_year):
    _, reader, _ = built
    texts = _text(reader)
    complaints = next(t for t in texts if t.lstrip().startswith("Complaint statistics"))
    tables = complaints.split("By kind", 1)[1].split("No complainant is named")[0]
    counts = [int(n) for n in re.findall(r"(?m)\s(\d+)\s*$", tables)]
    assert all(n == 0 or n >= 6 for n in counts), counts
    assert "not shown" in tables
    # The enforcement section is the protected report, page for page, from the same
    # release as the rest of the packet (the report's own tests prove its protection).
    figures = year_figures(demo, last_year, today=TODAY)
    assert any(t.hidden for t in figures.tables)
    token = common.footers_wanted.set(False)
    try:
        alone = io.BytesIO()
        build_enforcement_pdf(printable_enforcement(demo, last_year, today=TODAY), alone)
    finally:
        common.footers_wanted.reset(token)
    top = [(title, page) for depth, title, page in _outline(reader) if depth == 0]
    first = dict(top)[pk.SECTIONS["enforcement"]]
    for offset, page in enumerate(PdfReader(io.BytesIO(alone.getvalue())).pages):
        assert page.extract_text().strip() in texts[first - 1 + offset]


def test_sections_can_be_chosen(demo, last_year):
    prepared = pk.prepare_packet(demo, last_year, sections="cover,training,complaints", today=TODAY)
    out = io.BytesIO()
    pk.build_packet(prepared, out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    titles = [title for depth, title, _ in _outline(reader) if depth == 0]
    assert titles == ["Cover and contents", "SRO training", "Complaint statistics"]
    assert "Contents" not in _text(reader)[0]


@pytest.mark.parametrize("sections, sentence", [
    ("cover,budget", "There is no packet section called budget"),
    ("cover,contents", "Choose at least one section besides"),
])
def test_bad_sections_are_refused_in_a_sentence(demo, last_year, sections, sentence):
    with pytest.raises(ValidationError) as caught:
        pk.prepare_packet(demo, last_year, sections=sections, today=TODAY)
    assert sentence in caught.value.message


def test_a_malformed_year_or_meeting_date_is_refused(demo):
    with pytest.raises(ValidationError) as caught:
        pk.prepare_packet(demo, "2026", today=TODAY)
    assert "write it like 2025-2026" in caught.value.message
    with pytest.raises(ValidationError):
        pk.prepare_packet(demo, "2025-2026", meeting_on="next Tuesday", today=TODAY)


def test_cancel_stops_the_build_and_writes_nothing(demo, last_year, tmp_path):
    prepared = pk.prepare_packet(demo, last_year, sections="training,complaints,enforcement", today=TODAY)
    target = tmp_path / "packet.pdf"
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return len(calls) < 2

    with pytest.raises(Cancelled):
        pk.build_packet(prepared, target, progress)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_logo_goes_on_the_cover_and_a_bad_one_is_refused(demo, last_year, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), (20, 60, 140)).save(logo)
    prepared = pk.prepare_packet(demo, last_year, sections="cover,training", logo=pk.read_logo(logo), today=TODAY)
    out = io.BytesIO()
    pk.build_packet(prepared, out)
    first = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert first.images, "the logo is drawn on the cover"
    bad = tmp_path / "logo.gif"
    bad.write_bytes(b"GIF89a")
    with pytest.raises(ValidationError):
        pk.read_logo(bad)
    fake = tmp_path / "fake.png"
    fake.write_text("not an image")
    with pytest.raises(ValidationError):
        pk.read_logo(fake)


def test_a_packet_needs_a_district(tmp_path):
    with DataFile.open(tmp_path / "empty.db", OpenOptions(create=True)) as empty:
        with pytest.raises(SroDeskError) as caught:
            pk.prepare_packet(empty, "2025-2026", today=TODAY)
    assert "Set up the district" in caught.value.message


def test_the_fonts_are_the_shipped_ones(built):
    _, reader, _ = built
    fonts = set()
    for page in reader.pages[:6]:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert fonts and all("DejaVu" in f or "SroDesk" in f for f in fonts), fonts
