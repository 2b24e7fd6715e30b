"""The blank complaint form in every language, checked by its content and its fonts."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from sro_desk.documents.common import clean
from sro_desk.documents.complaint_form import build_complaint_form_pdf
from sro_desk.errors import SroDeskError
from sro_desk.records.complaint_forms import (
    LANGUAGES,
    PrintableComplaintForm,
    form_text,
    printable_complaint_form,
)
from sro_desk.resources import resource_path

DISTRICT = "Quabbin Valley Regional School District"
RETURN_TO = (
    "Office of the Superintendent\n12 Main Street, Ashby Falls, MA 01431\nsro-complaints@qvrsd.example"
)
#: Labels that must come back word for word, besides the title.
LABELS = ("what_happened_label", "keep_confidential", "outcome_label")
DEJAVU = re.compile(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?")
DROID = re.compile(r"/[A-Z]{6}\+DroidSansFallback")


def _build(tmp_path: Path, form: PrintableComplaintForm, name: str = "complaint.pdf") -> Path:
    path = tmp_path / name
    build_complaint_form_pdf(form, path)
    return path


def _texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _flat(path: Path) -> str:
    """The document's text on one line, runs of whitespace made single spaces."""
    return " ".join(" ".join(_texts(path)).split())


def _bare(text: str) -> str:
    """Text without any whitespace: Chinese is compared this way."""
    return "".join(text.split())


def _fonts(path: Path) -> set[str]:
    """Every font the pages use, each checked to be embedded."""
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    return names


# -- the text, in every language -------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_prints_its_own_language(tmp_path, language):
    form = printable_complaint_form(DISTRICT, language, RETURN_TO)
    text = form.text
    path = _build(tmp_path, form)
    expected = [text["title"], *(text[key] for key in LABELS), DISTRICT, *RETURN_TO.split("\n")]
    if language == "zh":
        printed = _bare(" ".join(_texts(path)))
        for wanted in expected:
            assert _bare(wanted) in printed, wanted
    else:
        printed = _flat(path)
        for wanted in expected:
            assert wanted in printed, wanted
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= 2
    assert reader.metadata.title == text["title"]
    assert reader.metadata.author == DISTRICT
    for number, page in enumerate(_texts(path), start=1):
        assert f"Page {number} of {len(reader.pages)}" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_return_address_the_form_still_fits_two_pages(tmp_path, language):
    path = _build(tmp_path, printable_complaint_form(DISTRICT, language))
    assert 1 <= len(PdfReader(path).pages) <= 2
    assert "Office of the Superintendent" not in _flat(path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_fonts_are_embedded_and_fit_the_script(tmp_path, language):
    names = _fonts(_build(tmp_path, printable_complaint_form(DISTRICT, language, RETURN_TO)))
    assert not any("Helvetica" in name for name in names), names
    if language == "zh":
        assert any(DROID.fullmatch(name) for name in names), names
        assert all(DROID.fullmatch(name) or DEJAVU.fullmatch(name) for name in names), names
    else:
        assert names and all(DEJAVU.fullmatch(name) for name in names), names


# -- the language files ----------------------------------------------------------------


def test_an_unknown_language_is_refused_naming_the_languages_there_are():
    message = "There is no complaint form in 'xx'; the languages there are: en, es, pt, ht, vi, zh."
    with pytest.raises(SroDeskError) as raised:
        form_text("xx")
    assert str(raised.value) == message
    with pytest.raises(SroDeskError, match="the languages there are: en, es, pt, ht, vi, zh"):
        printable_complaint_form(DISTRICT, "fr")
    with pytest.raises(SroDeskError):
        form_text("../selection-input.en")


def test_every_language_file_has_the_english_keys_and_no_empty_value():
    on_disk = sorted(p.name.split(".")[1] for p in resource_path("forms").glob("complaint.*.json"))
    assert on_disk == sorted(LANGUAGES)
    english = json.loads(resource_path("forms", "complaint.en.json").read_text(encoding="utf-8"))
    for language in LANGUAGES:
        text = form_text(language)
        assert list(text) == list(english), language
        assert text["language"] == language
        assert text["font"] == ("DroidSansFallback" if language == "zh" else "DejaVuSans")
        for key, value in text.items():
            assert isinstance(value, str) and value.strip(), (language, key)
            assert value == value.strip(), (language, key)
        if language != "en":
            assert text["title"] != english["title"]


def test_the_chinese_font_and_its_licence_are_shipped():
    font = resource_path("fonts", "DroidSansFallbackFull.ttf")
    assert font.stat().st_size > 3_000_000
    licence = resource_path("fonts", "LICENSE-DroidSansFallback.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Google" in licence


# -- hostile text, files ---------------------------------------------------------------

HOSTILE = [
    "<b>x",
    "<img src='http://example.com/a.png'/>",
    "&amp;",
    "🚓👮",
    "مرحبا",
    "שלום",
    "bell\x00\x07end",
]
NASTY = " ".join(HOSTILE)


@pytest.mark.parametrize("language", ["en", "vi", "zh"])
def test_a_hostile_district_name_prints_literally(tmp_path, monkeypatch, language):
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    form = printable_complaint_form(NASTY, language, return_to=NASTY + "\n" + NASTY)
    path = _build(tmp_path, form)
    assert fetched == []
    printed = _bare(" ".join(_texts(path)))
    for expected in ("<b>x", "<img src='http://example.com/a.png'/>", "&amp;", "bellend"):
        assert _bare(expected) in printed, expected
    assert "&lt;" not in printed
    assert set("مرحباשלום") <= set(printed)
    assert len(PdfReader(path).pages) <= 2
    assert PdfReader(path).metadata.author == clean(NASTY)


def test_hostile_text_in_the_language_file_prints_literally(tmp_path):
    text = {key: NASTY for key in form_text("en")}
    text["font"] = "DejaVuSans"
    path = _build(tmp_path, PrintableComplaintForm(DISTRICT, "", text))
    printed = _flat(path)
    assert "<img src='http://example.com/a.png'/>" in printed and "bellend" in printed
    assert PdfReader(path).metadata.title == clean(NASTY)


def test_writes_to_a_binary_file_object():
    buffer = io.BytesIO()
    build_complaint_form_pdf(printable_complaint_form(DISTRICT, "es", RETURN_TO), buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    assert DISTRICT in text


def test_a_missing_folder_is_a_plain_error_and_leaves_nothing(tmp_path):
    target = tmp_path / "missing" / "complaint.pdf"
    with pytest.raises(SroDeskError, match="does not exist"):
        build_complaint_form_pdf(printable_complaint_form(DISTRICT, "zh"), target)
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_return_address_longer_than_a_page_carries_on_rather_than_failing(tmp_path):
    long = "Longcomment " * 1000
    for language in ("en", "zh"):
        path = _build(tmp_path, printable_complaint_form(DISTRICT, language, long), f"{language}.pdf")
        assert len(PdfReader(path).pages) > 2
        assert _flat(path).count("Longcomment") == 1000


def test_a_district_adds_a_language_by_adding_a_file(tmp_path, monkeypatch):
    import json
    import shutil

    import sro_desk.resources as resources
    from sro_desk.records import complaint_forms

    copy = tmp_path / "resources"
    shutil.copytree(resources.resources_dir(), copy)
    french = json.loads((copy / "forms" / "complaint.en.json").read_text(encoding="utf-8"))
    french.update(language="fr", language_name="Français", title="Formulaire de plainte")
    (copy / "forms" / "complaint.fr.json").write_text(json.dumps(french, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(resources, "resources_dir", lambda: copy)
    assert complaint_forms.form_text("fr")["title"] == "Formulaire de plainte"
    assert resources.form_languages("forms", "complaint")[-1] == "fr"
