"""Screenshots of every page of the window, from the demo district, for the README.

    xvfb-run -a -s "-screen 0 1400x900x24" python installer/screenshots.py [--out DIR] [--scale 1.25]

Runs the real window on a real X display (Xvfb on a machine without one; the offscreen
platform draws no native widgets and is refused), opens a fresh demo district made for
the purpose, shows each page in the sidebar in turn and saves a PNG of the whole window
per page, named after the page (``dashboard.png``, ``agreement.png``...). ``--scale``
sets Qt's scale factor, to look at the window as at 125% or 150% display scaling.
Nothing of the person's own data is touched: the demo file and the settings live in a
temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_OUT = Path(__file__).resolve().parent / "screenshots"
#: The day the demo is made for and the window believes it is, so every run matches.
DEMO_DAY = date(2026, 11, 22)


def _settle(app, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=820)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM", "xcb") == "offscreen":
        print("Run this on an X display, e.g. under xvfb-run -a; the offscreen platform draws no widgets.",
              file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    folder = Path(tempfile.mkdtemp(prefix="sro-shots-"))
    os.environ["SRO_DESK_HOME"] = str(folder / "home")

    from sro_desk.records.demo import create_demo
    from sro_desk.store import DataFile, OpenOptions
    from sro_desk.ui.qt import QApplication

    path = folder / "Granite Valley demo.db"
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        create_demo(data_file, today=DEMO_DAY)

    app = QApplication(sys.argv[:1])
    from sro_desk.ui.app import make_window

    window = make_window(path)
    window.resize(args.width, args.height)
    window.show()
    _settle(app, 1.0)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == 1.0 else f"@{args.scale:g}x"
    shots = []
    for index, page in enumerate(window.pages):
        inner = getattr(page, "subpages", None)
        for title, widget in (inner.items() if inner else [(page.title, None)]):
            window.show_page(index)
            if widget is not None:
                page.tabs.setCurrentWidget(widget)
            if page is window.print_page:  # show a document in the preview
                page.preview()
                deadline = time.monotonic() + 60
                while page.tasks and time.monotonic() < deadline:
                    _settle(app, 0.1)
            _settle(app)
            name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            target = args.out / f"{name}{suffix}.png"
            window.grab().save(str(target))
            shots.append(target)
            print(target)
    window.close()
    _settle(app, 0.2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
