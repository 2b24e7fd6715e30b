"""The log file: where the details of unexpected errors go, never the screen."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from sro_desk.paths import log_dir

_configured: Path | None = None


def log_file() -> Path:
    return log_dir() / "sro-desk.log"


def setup_logging() -> Path | None:
    """Send warnings and errors (with tracebacks) to the log file; returns its path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _configured = path
    return path
