"""The window launcher of the built program (no console on Windows)."""

from __future__ import annotations

import sys

from sro_desk.cli import main

if __name__ == "__main__":
    argv = sys.argv[1:]
    if len(argv) == 1 and not argv[0].startswith("-"):
        argv = ["--db", argv[0], "gui"]  # a file opened from Explorer or a shortcut
    elif "gui" not in argv:
        argv = [*argv, "gui"]
    sys.exit(main(argv))
