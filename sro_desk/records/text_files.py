"""Reading text files people bring from other programs, whatever Windows saved them as."""

from __future__ import annotations


def decode_text(raw: bytes) -> str | None:
    """The text of a file: UTF-16 when it has a byte-order mark (Notepad's "Unicode"),
    else UTF-8 (with or without a mark), else Windows-1252; None when it is not text."""
    encodings = ["utf-16"] if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None
