"""The command-line launcher of the built program (``sro-desk``)."""

from __future__ import annotations

import sys

from sro_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
