"""Small helpers shared by tests: running the command line, fingerprinting files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_cli(*args: str, env: dict | None = None, timeout: float = 60, user: str | None = None):
    """Run ``sro-desk ARGS`` in a subprocess (as ``python -m sro_desk``)."""
    command = [sys.executable, "-m", "sro_desk", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DISPLAY", None)
    full_env.pop("WAYLAND_DISPLAY", None)
    full_env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=full_env, stdin=subprocess.DEVNULL
    )


def scan_pdf(marker: bytes = b"", *, pages: int = 1) -> bytes:
    """A real (tiny) PDF, as a scanned signed copy would be, with ``marker`` in its page
    content so that tests can look for where a document's content went."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
        pdf.pages[-1].Contents = pdf.make_stream(b"% " + marker + b"\n")
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()
