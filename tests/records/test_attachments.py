"""Hostile attachments: judged by content, parsed whole, kept clean, within limits; a
printout never fails because of one; the signed copy can be replaced without unfreezing."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.records import agreements
from sro_desk.records.attachments import MAX_PAGES, read_document
from sro_desk.records.demo import create_demo
from tests.helpers import scan_pdf


def _hostile_pdf(path: Path) -> Path:
    """Page-open JavaScript, a document action, an embedded file, a form and a full-page
    link that launches a program: what a forwarded 'signed copy' could carry."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('http://x.example')"))
    pdf.Root.OpenAction = js
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["a", js])),
                                        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array()))
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=js)
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 612, 792],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("C:\\\\Windows\\\\System32\\\\cmd.exe")))]))
    pdf.save(path)
    return path


def test_a_hostile_pdf_is_kept_without_scripts_actions_links_forms_or_files(tmp_path):
    name, media, data = read_document(_hostile_pdf(tmp_path / "signed.pdf"))
    assert (name, media) == ("signed.pdf", "application/pdf")
    for word in (b"JavaScript", b"Launch", b"OpenAction", b"AcroForm", b"EmbeddedFiles", b"/AA", b"cmd.exe"):
        assert word not in data, word
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


@pytest.mark.parametrize(("name", "content", "says"), [
    ("signed.pdf", b"MZ\x90\x00" + b"\0" * 200, "not really a PDF or an image"),  # an EXE
    ("signed.pdf", b"<html><script>alert(1)</script></html>", "not really a PDF or an image"),
    ("signed.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n", "damaged PDF"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "damaged image"),
    ("notes.docx", b"PK\x03\x04", "as a PDF or an image"),
])
def test_what_is_not_a_clean_pdf_or_image_is_refused_in_one_sentence(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=says):
        read_document(path)


def test_a_pixel_bomb_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "scan.png"
    Image.new("1", (14_000, 14_000)).save(path, optimize=True)
    assert path.stat().st_size < 400_000  # small on disk, 196 million pixels inside
    with pytest.raises(ValidationError, match="too large"):
        read_document(path)


def test_too_many_pages_and_too_many_bytes_are_refused_before_reading_whole(tmp_path):
    long = tmp_path / "long.pdf"
    long.write_bytes(scan_pdf(pages=MAX_PAGES + 1))
    with pytest.raises(ValidationError, match="pages"):
        read_document(long)
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as handle:  # 3 GB on paper, nothing on disk (sparse)
        handle.truncate(3 * 1024 ** 3)
    with pytest.raises(ValidationError, match="over 50 MB"):
        read_document(huge)


def test_a_tiff_scan_becomes_a_pdf_of_its_pages(tmp_path):
    path = tmp_path / "signed.tif"
    pages = [Image.new("L", (850, 1100), 255) for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    name, media, data = read_document(path)
    assert (name, media) == ("signed.pdf", "application/pdf")
    assert len(PdfReader(io.BytesIO(data)).pages) == 3


@pytest.fixture
def signed(tmp_path):
    from sro_desk.store import DataFile, OpenOptions

    data_file = DataFile.open(tmp_path / "d.db", OpenOptions(create=True))
    create_demo(data_file, today=date(2026, 11, 22))
    listed = next(a for a in agreements.list_agreements(data_file) if a["status"] in ("signed", "filed"))
    yield data_file, agreements.load_agreement(data_file, listed["id"])
    data_file.close()


def test_a_packet_prints_whatever_an_older_version_kept_as_the_signed_copy(signed, tmp_path):
    """Files checked only by name before: an EXE called .pdf, a pixel bomb, a 20,000-page
    PDF. The packet still prints, and says the copy could not be included."""
    from sro_desk.documents.packet import build_packet, prepare_packet

    data_file, agreement = signed
    bomb = io.BytesIO()
    Image.new("1", (14_000, 14_000)).save(bomb, "PNG", optimize=True)
    for name, media, data in (("signed.pdf", "application/pdf", b"MZ" + os.urandom(500)),
                              ("signed.png", "image/png", bomb.getvalue()),
                              ("signed.pdf", "application/pdf", scan_pdf(pages=20_000))):
        with data_file.write():
            data_file.conn.execute("INSERT INTO agreement_attachment (agreement_id, file_name, media_type, data, "
                                   "created_at, updated_at, updated_by, version) VALUES (?, ?, ?, ?, '', '', '', 1)",
                                   (agreement.id, name, media, data))
        packet = prepare_packet(data_file, agreement.school_year, sections="agreement")
        out = io.BytesIO()
        pages = build_packet(packet, out)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
        assert "could not be included" in text and pages < 60


def test_the_signed_copy_can_be_replaced_without_unfreezing_the_text(signed, tmp_path):
    data_file, agreement = signed
    before = [c.text for c in agreement.clauses]
    scan = tmp_path / "clearer.pdf"
    scan.write_bytes(scan_pdf(b"the clearer scan"))
    agreements.replace_signed_copy(data_file, agreement, scan)
    again = agreements.load_agreement(data_file, agreement.id)
    assert again.status == agreement.status and [c.text for c in again.clauses] == before
    name, _, data = agreements.attachment(data_file, agreement.id)
    assert name == "clearer.pdf" and b"the clearer scan" in data
    audited = data_file.query("SELECT changes FROM audit_log WHERE table_name = 'agreement_attachment' "
                              "ORDER BY id DESC LIMIT 1")[0]["changes"]
    assert "bytes>" in audited and "clearer scan" not in audited
    draft = agreements.load_agreement(data_file, next(
        a["id"] for a in agreements.list_agreements(data_file) if a["status"] == "draft"))
    with pytest.raises(SroDeskError):
        agreements.replace_signed_copy(data_file, draft, scan)
