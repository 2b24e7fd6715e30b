"""Where SRO Desk keeps things on this computer: data, backups, logs, settings.

Folders come from platformdirs (the maintained successor of the archived appdirs), so
they follow each system's conventions. ``SRO_DESK_HOME`` moves all of them under one
folder; the tests and a portable install use it.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "SRO Desk"
DEFAULT_FILE_NAME = "sro-desk.db"
DEMO_FILE_NAME = "sro-desk-demo.db"
MAX_RECENT = 8


def _base(kind: str) -> Path:
    home = os.environ.get("SRO_DESK_HOME")
    if home:
        return Path(home) / kind
    finder = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "logs": platformdirs.user_log_dir,
    }[kind]
    return Path(finder(APP_DIR_NAME, appauthor=False))


def data_dir() -> Path:
    """The user's own data folder; the default data file and backups live here."""
    return _base("data")


def config_dir() -> Path:
    """Settings such as the recent-files list."""
    return _base("config")


def log_dir() -> Path:
    """Log files with the details of unexpected errors."""
    return _base("logs")


def default_database() -> Path:
    """The data file used when no ``--db`` is given."""
    return data_dir() / DEFAULT_FILE_NAME


def demo_database() -> Path:
    """The sample district's file, kept apart from the user's own data."""
    return data_dir() / "demo" / DEMO_FILE_NAME


def user_name() -> str:
    """Who is working, as recorded in the audit log and the write lease: the operating
    system's account, not the USER or LOGNAME variables anyone can set."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):
        pass
    if sys.platform == "win32":
        try:
            import ctypes

            size = ctypes.c_ulong(257)
            buffer = ctypes.create_unicode_buffer(size.value)
            if ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):
                return buffer.value
        except (AttributeError, OSError):
            pass
    return "unknown user"


def machine_name() -> str:
    """This computer's name, as recorded in the write lease."""
    return socket.gethostname() or "unknown computer"


def _recent_file() -> Path:
    return config_dir() / "recent.json"


def recent_files() -> list[Path]:
    """Files opened recently, newest first; a damaged list is treated as empty."""
    try:
        names = json.loads(_recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [Path(n) for n in names if isinstance(n, str)][:MAX_RECENT]


def remember_file(path: Path) -> None:
    """Put ``path`` at the top of the recent-files list."""
    path = Path(path).absolute()
    names = [str(path)] + [str(p) for p in recent_files() if p != path]
    target = _recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(names[:MAX_RECENT], indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # the list is a convenience; failing to save it must not stop work
