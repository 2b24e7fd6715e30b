"""Limits on what an import may cost, checked before a file is read whole or unpacked.

A Word or Excel file is a zip archive: its members' sizes are checked as listed before
anything is unpacked (a 3 MB .docx can hold a gigabyte of XML). Text and CSV files are
checked by size before they are read. Each refusal is one sentence that says the limit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sro_desk.errors import SroDeskError

MB = 1024 * 1024


def check_size(path: Path, most: int, *, advice: str) -> int:
    """The file's size, or a sentence when it is over ``most`` bytes or cannot be read."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        raise SroDeskError(f"SRO Desk could not read {Path(path).name}; check that the file exists and is "
                           "not open in another program.") from None
    if size > most:
        raise SroDeskError(f"{Path(path).name} is {size / MB:,.1f} MB, more than the {most // MB} MB SRO Desk "
                           f"imports; {advice}.")
    return size


def check_archive(path: Path, *, most_unpacked: int, most_members: int, kind: str,
                  unreadable: SroDeskError) -> None:
    """Refuse a .docx or .xlsx whose members would unpack past the limits, before unpacking
    (``unreadable``: the sentence for a file that is not a zip archive at all)."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if len(members) > most_members:
        raise SroDeskError(f"{name} holds {len(members):,} parts, more than a {kind} file should; open it in "
                           f"{kind} and save it again.")
    unpacked = sum(m.file_size for m in members)
    if unpacked > most_unpacked:
        raise SroDeskError(f"{name} would unpack to {unpacked / MB:,.0f} MB, more than the {most_unpacked // MB} MB "
                           f"SRO Desk imports; save the {kind} file again without embedded pictures or objects.")
