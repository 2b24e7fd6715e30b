"""Allow ``python -m sro_desk``."""

from sro_desk.cli import main

raise SystemExit(main())
