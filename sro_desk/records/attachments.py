"""Files kept inside the data file: scanned signed copies, certificates.

Kept in the file itself so that a copy or backup of the file carries them too.
"""

from __future__ import annotations

import io
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
#: What each kind of file kept is saved as, and the only kinds ever opened or printed.
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_BYTES = 50 * 1024 * 1024
#: A scanned agreement or minutes runs to tens of pages; a packet must stay printable.
MAX_PAGES = 300
#: An A4 or letter page scanned at 600 dpi is about 35 million pixels.
MAX_PIXELS = 40_000_000
#: How many pages of a multi-page TIFF are kept (each becomes a PDF page).
MAX_TIFF_PAGES = 100


def detect(data: bytes) -> str | None:
    """The media type a file's first bytes show, whatever its name says."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    return None


def read_document(path: Path, *, what: str = "the file") -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of a PDF or image, or a sentence saying what is wrong.

    The file is judged by its content, not its name, checked against limits before it is
    read whole, parsed completely, and kept as a clean copy: a PDF without scripts,
    actions, links, forms or embedded files; an image re-encoded within pixel limits (a
    TIFF becomes a PDF of its pages). So nothing kept can fail a printout or run code."""
    path = Path(path)
    if path.suffix.lower() not in MEDIA_TYPES:
        raise ValidationError(f"Attach {what} as a PDF or an image (PNG, JPEG or TIFF).")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError(f"{path.name} is over 50 MB; scan it at a lower resolution.")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SroDeskError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{path.name} is over 50 MB; scan it at a lower resolution.")
    media = detect(data)
    if media is None:
        raise ValidationError(f"{path.name} is not really a PDF or an image inside, whatever its name says; "
                              f"scan {what} again as PDF.")
    if media == "application/pdf":
        data = clean_pdf(data, path.name)
    else:
        media, data = clean_image(data, media, path.name)
    name = Path(path.name).stem + EXTENSIONS[media]
    return name, media, data


def clean_pdf(data: bytes, name: str) -> bytes:
    """The PDF parsed whole and saved again without JavaScript, automatic actions,
    annotations (links that launch programs or open addresses), forms or embedded files."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            if pages == 0:
                raise ValidationError(f"{name} has no pages; scan it again.")
            if pages > MAX_PAGES:
                raise ValidationError(f"{name} has {pages:,} pages, more than the {MAX_PAGES} SRO Desk keeps; "
                                      "attach the signed pages only.")
            root = pdf.Root
            for key in ("/OpenAction", "/AA", "/AcroForm", "/URI", "/JavaScript"):
                if key in root:
                    del root[key]
            if "/Names" in root:
                names = root.Names
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names:
                        del names[key]
            for page in pdf.pages:
                for key in ("/Annots", "/AA"):
                    if key in page.obj:
                        del page.obj[key]
            out = io.BytesIO()
            pdf.remove_unreferenced_resources()
            pdf.save(out, compress_streams=False)
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(f"{name} is a damaged PDF SRO Desk cannot read whole; scan it again.") from None
    return out.getvalue()


def clean_image(data: bytes, media: str, name: str) -> tuple[str, bytes]:
    """The image decoded whole within the pixel limit and saved again (PNG stays PNG,
    JPEG stays JPEG, a TIFF becomes a PDF of its pages)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_TIFF_PAGES:
                raise ValidationError(f"{name} has {frames} pages; attach the signed pages only.")
            pages = []
            for number in range(frames):
                image.seek(number)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(f"{name} is {width:,} by {height:,} pixels, too large to keep; "
                                          "scan it at 300 dpi.")
                image.load()
                pages.append(image.convert("RGB") if image.mode not in ("RGB", "L", "1", "RGBA", "LA")
                             else image.copy())
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"{name} is too large an image to keep; scan it at 300 dpi.") from None
    except Exception:
        raise ValidationError(f"{name} is a damaged image SRO Desk cannot read whole; scan it again.") from None
    out = io.BytesIO()
    if media == "image/tiff":
        rgb = [page.convert("RGB") for page in pages]
        rgb[0].save(out, "PDF", save_all=True, append_images=rgb[1:], resolution=300)
        return "application/pdf", out.getvalue()
    if media == "image/jpeg":
        pages[0].convert("RGB").save(out, "JPEG", quality=92)
    else:
        pages[0].save(out, "PNG")
    return media, out.getvalue()


def printable(name: str, media: str, data: bytes) -> tuple[str, bytes]:
    """A kept document made safe to print or open (files kept by earlier versions were
    checked by their names only): its real media type and a clean copy, or a
    ``ValidationError`` sentence saying why it cannot be used."""
    found = detect(data)
    if found is None or len(data) > MAX_BYTES:
        raise ValidationError(f"{name} is not a PDF or an image SRO Desk can use.")
    if found == "application/pdf":
        return found, clean_pdf(data, name)
    return clean_image(data, found, name)


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
