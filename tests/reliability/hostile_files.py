"""Hostile files for the importers, made on the spot (never committed), at any size.

Each maker writes one file and returns its path; ``IMPORTS`` lists them with the call
that imports them. Used by tests/reliability/test_hostile_imports.py (small sizes) and
benchmarks/reliability.py --imports (the sizes that were found to hurt, timed).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MB = 1024 * 1024


def docx_bomb(folder: Path, unpacked_mb: int = 1024) -> Path:
    """A small .docx whose document.xml unpacks to ``unpacked_mb`` MB."""
    path = folder / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b"A" * MB
            for _ in range(unpacked_mb):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def bracket_text(folder: Path, kb: int = 100) -> Path:
    """"___ [" over and over: every run a blank whose hint never closes."""
    path = folder / "brackets.txt"
    path.write_text("Agreement\n\n" + "___ [" * (kb * 1024 // 5), encoding="utf-8")
    return path


def long_text(folder: Path, mb: float = 50) -> Path:
    """An 'agreement' of ``mb`` MB of lines with blanks."""
    path = folder / "long.txt"
    line = "The Department shall provide ____ officers to the District. " * 4 + "\n"
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(int(mb * MB) // len(line)):
            handle.write(line)
    return path


def long_agreement(folder: Path, mb: float = 4.9) -> Path:
    """A real-looking agreement just under the size limit: numbered clauses with notes."""
    path = folder / "long-agreement.txt"
    line = ("1. The Department shall provide the officers named in the schedule to the District "
            "for the year. [insert number]\n\n")
    path.write_text("Agreement\n\n" + line * (int(mb * MB) // len(line)), encoding="utf-8")
    return path


def big_csv(folder: Path, mb: int = 200) -> Path:
    """A training log of ``mb`` MB."""
    path = folder / "big.csv"
    row = "Officer Bell,2026-09-01,Course,4,Child development\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("Officer,Date,Title,Hours,Topics\n")
        for _ in range(mb * MB // len(row)):
            handle.write(row)
    return path


def wide_xlsx(folder: Path) -> Path:
    """A 5 KB workbook that claims A1:XFD1048576 and holds a handful of cells."""
    path = folder / "wide.xlsx"
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>Officer</t></is></c><c r="B1" t="inlineStr"><is><t>Date'
             '</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
             '</sheetData></worksheet>')
    workbook = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships"><sheets><sheet name="Log" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
             'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
             '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def huge_attachment(folder: Path, gb: int = 3) -> Path:
    """A 'scan' of ``gb`` GB (sparse: it takes no room on disk)."""
    path = folder / "huge.pdf"
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(gb * 1024 * MB)
    return path


def _import_agreement(path: Path) -> None:
    from sro_desk.records.mou_import import read_agreement_file

    read_agreement_file(path)


def _import_training(path: Path) -> None:
    from sro_desk.records.training_import import read_table

    read_table(path)


def _attach(path: Path) -> None:
    from sro_desk.records.attachments import read_document

    read_document(path)


#: (name, maker, full size for the benchmark, small size for tests, importer)
IMPORTS = [
    ("a .docx unpacking to 1 GB", docx_bomb, 1024, 100, _import_agreement),
    ('a 100 KB text of "___ ["', bracket_text, 100, 100, _import_agreement),
    ("a 50 MB agreement text", long_text, 50, 6, _import_agreement),
    ("a 4.9 MB agreement (under the limit)", long_agreement, 4.9, 1, _import_agreement),
    ("a 200 MB training CSV", big_csv, 200, 21, _import_training),
    ("a 5 KB .xlsx claiming A1:XFD1048576", wide_xlsx, None, None, _import_training),
    ("a 3 GB attachment", huge_attachment, 3, 3, _attach),
]


def make(maker, folder: Path, size) -> Path:
    return maker(folder) if size is None else maker(folder, size)
