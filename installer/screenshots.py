"""Screenshots of every page of the window, from the demo district, for the README and
for looking at the layouts on the screens districts have.

    xvfb-run -a -s "-screen 0 1920x1200x24" python installer/screenshots.py --all
    xvfb-run -a -s "-screen 0 1920x1200x24" python installer/screenshots.py --screen 1366x768 --scale 1.25

Runs the real window on a real X display (Xvfb on a machine without one; the offscreen
platform draws no native widgets and is refused), opens a fresh demo district made for
the purpose, shows each page in the sidebar (and each tab of the Agreement page) in turn
and saves a PNG of the whole window per page, named after the page (``dashboard.png``,
``agreement.png``...). ``--screen`` is the screen in real pixels and ``--scale`` the
display scaling (Qt's scale factor): the window fills the screen, so at 125% on a
1366x768 screen it has 1093x614 pixels' worth of room, as a person's would. ``--all``
takes the screens the layouts must fit, each in its own folder (``1366x768@125``):
1280x800 and 1366x768 at 100% and 125%, and 1920x1080 at 150%.
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


#: The screens the layouts must fit (real pixels, display scaling).
SCREENS = [((1280, 800), 1.0), ((1366, 768), 1.0), ((1280, 800), 1.25), ((1366, 768), 1.25),
           ((1920, 1080), 1.5)]


def _save(window, target: Path) -> None:
    """The window as a PNG of 256 colours (a window's few colours survive; the files are a
    third the size, so every screen's set can be kept in the repository)."""
    from PIL import Image

    window.grab().save(str(target))
    with Image.open(target) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                             dither=Image.Dither.NONE)
    small.save(target, optimize=True)


def _every_screen(out: Path) -> int:
    """Each screen in a process of its own (Qt's scale factor is set once per process)."""
    import subprocess

    for (width, height), scale in SCREENS:
        folder = out / f"{width}x{height}@{round(scale * 100)}"
        done = subprocess.run([sys.executable, __file__, "--screen", f"{width}x{height}", "--scale", str(scale),
                               "--out", str(folder)], check=False)
        if done.returncode:
            return done.returncode
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--screen", default="", help="the screen in real pixels, e.g. 1366x768")
    parser.add_argument("--width", type=int, default=1280, help="the window's width (without --screen)")
    parser.add_argument("--height", type=int, default=820, help="the window's height (without --screen)")
    parser.add_argument("--all", action="store_true", help="every screen the layouts must fit, a folder each")
    args = parser.parse_args()
    if args.all:
        return _every_screen(args.out)
    if args.screen:
        real_width, real_height = (int(n) for n in args.screen.lower().split("x"))
        args.width, args.height = round(real_width / args.scale), round(real_height / args.scale)
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
    suffix = "" if args.scale == 1.0 or args.screen else f"@{args.scale:g}x"
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
            _save(window, target)
            shots.append(target)
            print(target)
            if page is window.agreement_page:  # its Blanks, Checklist and Costs tabs too
                for tab in range(1, page.tabs.count()):
                    page.tabs.setCurrentIndex(tab)
                    _settle(app)
                    label = re.sub(r"[^a-z0-9]+", "-", page.tabs.tabText(tab).lower()).strip("-")
                    target = args.out / f"{name}-{label}{suffix}.png"
                    _save(window, target)
                    print(target)
                page.tabs.setCurrentIndex(0)
    window.close()
    _settle(app, 0.2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
