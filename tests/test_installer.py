"""The installer bundle: built from the repo with PyInstaller and started, as a district
would start it. It takes about a minute, so it runs in CI (CI=true) or when
SRO_DESK_BUILD_TEST=1 is set."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WANTED = os.environ.get("CI") == "true" or os.environ.get("SRO_DESK_BUILD_TEST") == "1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not WANTED, reason="builds the bundle only in CI or with SRO_DESK_BUILD_TEST=1"),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None, reason="needs PyInstaller"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    dist = tmp_path_factory.mktemp("installer") / "dist"
    built = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build.py"), "--no-smoke", "--dist", str(dist)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "bundle size:" in built.stdout
    return dist / "SRO Desk"


def _run(bundle: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    program = bundle / ("sro-desk.exe" if sys.platform == "win32" else "sro-desk")
    env = {**os.environ, "SRO_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(program), *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_the_bundle_holds_both_programs_and_the_resources(bundle):
    names = {p.name for p in bundle.iterdir()}
    assert {"SRO Desk", "sro-desk"} <= names or {"SRO Desk.exe", "sro-desk.exe"} <= names
    internal = bundle / "_internal"
    assert (internal / "resources" / "clauses").is_dir()
    assert list((internal / "resources" / "fonts").glob("DejaVuSans*.ttf"))
    shipped = {p.name.lower() for p in internal.rglob("*")}
    assert not any("qt6webengine" in n or "qt6quick" in n for n in shipped)


def test_the_built_program_runs_version_demo_check_and_print(bundle, tmp_path):
    from pypdf import PdfReader

    home = tmp_path / "home"
    version = _run(bundle, "--version", home=home)
    assert version.returncode == 0 and version.stdout.startswith("sro-desk ")
    db = tmp_path / "demo.db"
    demo = _run(bundle, "--db", str(db), "demo", home=home)
    assert demo.returncode == 0, demo.stderr
    check = _run(bundle, "--db", str(db), "check", home=home)
    assert check.returncode == 0 and "healthy" in check.stdout
    out = tmp_path / "agreement.pdf"
    printed = _run(bundle, "--db", str(db), "print", "agreement", "1", "-o", str(out), home=home)
    assert printed.returncode == 0, printed.stderr
    reader = PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Granite Valley Regional School District" in text
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        for font in [font.get_object()]
    }
    assert any("DejaVuSans-Bold" in f for f in fonts), fonts
    # The packet audits its counts with HiGHS: the solver must be in the bundle.
    packet = tmp_path / "packet.pdf"
    printed = _run(bundle, "--db", str(db), "print", "packet", "2025-2026", "-o", str(packet), home=home)
    assert printed.returncode == 0, printed.stderr
    assert "Running HiGHS" not in printed.stdout
    assert "School-based arrests" in "".join(page.extract_text() for page in PdfReader(packet).pages)


def test_the_built_program_refuses_bad_input_in_one_sentence(bundle, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    result = _run(bundle, "--db", str(bad), "check", home=tmp_path / "home")
    assert result.returncode == 2
    assert "not a database" in result.stderr and "Traceback" not in result.stderr
