"""Files kept inside the data file: scanned signed copies, certificates.

Kept in the file itself so that a copy or backup of the file carries them too.
"""

from __future__ import annotations

from pathlib import Path

from sro_desk.errors import SroDeskError, ValidationError
from sro_desk.store import DataFile, rows

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}
MAX_BYTES = 50 * 1024 * 1024


def read_document(path: Path, *, what: str = "the file") -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of a PDF or image, or a sentence saying what is wrong."""
    path = Path(path)
    media = MEDIA_TYPES.get(path.suffix.lower())
    if media is None:
        raise ValidationError(f"Attach {what} as a PDF or an image (PNG, JPEG or TIFF).")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SroDeskError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{path.name} is over 50 MB; scan it at a lower resolution.")
    return path.name, media, data


def add_attachment(data_file: DataFile, owner_table: str, owner_id: int, document: tuple[str, str, bytes]) -> int:
    """Store a document for a record; call inside the record's write transaction."""
    name, media, data = document
    return rows.insert(
        data_file,
        "attachment",
        {"owner_table": owner_table, "owner_id": owner_id, "file_name": name,
         "media_type": media, "data": data},
    )


def attachments_of(data_file: DataFile, owner_table: str, owner_id: int) -> list[dict]:
    """id, file_name and media_type of each document of a record, oldest first."""
    return data_file.query(
        "SELECT id, file_name, media_type, length(data) AS size FROM attachment "
        "WHERE owner_table = ? AND owner_id = ? ORDER BY id",
        (owner_table, owner_id),
    )


def attachment_data(data_file: DataFile, attachment_id: int) -> tuple[str, str, bytes]:
    found = data_file.query(
        "SELECT file_name, media_type, data FROM attachment WHERE id = ?", (attachment_id,)
    )
    if not found:
        raise SroDeskError("That attachment is no longer in the file.")
    return found[0]["file_name"], found[0]["media_type"], found[0]["data"]
