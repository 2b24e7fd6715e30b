"""Build the one-folder bundle for this platform, print its size, and smoke-run it.

    python installer/build.py [--no-smoke]

Needs the build extra (pip install -e ".[build]"). The bundle lands in
installer/dist/SRO Desk/. The smoke run uses the built command-line program: --version,
demo, check and print agreement, off screen, and checks the PDF it writes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "SRO Desk"


def cli_program(bundle: Path) -> Path:
    return bundle / ("sro-desk.exe" if sys.platform == "win32" else "sro-desk")


def window_program(bundle: Path) -> Path:
    return bundle / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def build(dist: Path, work: Path) -> float:
    """Run PyInstaller on the spec; returns the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", str(dist), "--workpath", str(work),
            str(HERE / "sro_desk.spec"),
        ],
        check=True,
    )
    return time.perf_counter() - start


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def smoke(program: Path) -> dict[str, float]:
    """Run the built program's commands in a scratch folder; returns timings in seconds."""
    scratch = Path(tempfile.mkdtemp(prefix="sro-smoke-"))
    env = {**os.environ, "SRO_DESK_HOME": str(scratch / "home"), "QT_QPA_PLATFORM": "offscreen"}
    db = scratch / "demo.db"
    timings = {}

    def run(*args: str) -> str:
        start = time.perf_counter()
        done = subprocess.run(
            [str(program), *args], capture_output=True, text=True, env=env, timeout=300
        )
        timings[" ".join(args[:3])] = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"'{program.name} {' '.join(args)}' failed: {done.stderr.strip()}")
        return done.stdout

    try:
        version = run("--version").strip()
        run("--db", str(db), "demo")
        run("--db", str(db), "check")
        pdf = scratch / "agreement.pdf"
        run("--db", str(db), "print", "agreement", "1", "-o", str(pdf))
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF") or b"DejaVu" not in data:
            raise SystemExit("the built program wrote a PDF without the shipped fonts")
        print(f"smoke run ok: {version}, {len(data):,} byte agreement PDF")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return timings


def window_startup(program: Path, runs: int = 3) -> list[float] | None:
    """Seconds from starting the window program to its window being shown, on an X
    display (xdotool waits for it); None when there is no display or no xdotool."""
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        return None
    scratch = Path(tempfile.mkdtemp(prefix="sro-start-"))
    env = {**os.environ, "SRO_DESK_HOME": str(scratch / "home")}
    env.pop("QT_QPA_PLATFORM", None)
    subprocess.run(
        [str(cli_program(program.parent)), "--db", str(scratch / "demo.db"), "demo"],
        env=env, check=True, capture_output=True,
    )
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            process = subprocess.Popen([str(program), str(scratch / "demo.db")], env=env)
            try:
                # Poll: xdotool's own --sync does not notice windows mapped later.
                while time.perf_counter() - start < 60:
                    found = subprocess.run(
                        ["xdotool", "search", "--onlyvisible", "--name", "demo.db"],
                        capture_output=True,
                    )
                    if found.returncode == 0:
                        times.append(time.perf_counter() - start)
                        break
                    time.sleep(0.05)
            finally:
                process.terminate()
                process.wait(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--dist", type=Path, default=HERE / "dist", help="where the bundle goes")
    args = parser.parse_args()
    dist = args.dist.resolve()
    seconds = build(dist, dist.parent / "build" if args.dist != HERE / "dist" else HERE / "build")
    bundle = dist / NAME
    size = folder_size(bundle)
    print(f"bundle: {bundle}")
    print(f"bundle size: {size / 1e6:.1f} MB in {sum(1 for _ in bundle.rglob('*'))} files")
    print(f"build time: {seconds:.0f} s")
    if not args.no_smoke:
        for command, taken in smoke(cli_program(bundle)).items():
            print(f"  {command:<40} {taken * 1000:7.0f} ms")
        startup = window_startup(window_program(bundle))
        if startup:
            print(
                "window start-up (to a shown window with the demo open): "
                + ", ".join(f"{t:.2f} s" for t in startup)
            )


if __name__ == "__main__":
    main()
