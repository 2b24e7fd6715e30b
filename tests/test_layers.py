"""The core never imports Qt: only sro_desk/ui may, and records/ has no reportlab."""

from __future__ import annotations

import ast
from pathlib import Path

import sro_desk

PACKAGE = Path(sro_desk.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_ui_imports_qt():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and _imports(path) & {"PySide6", "PyQt6", "PyQt5", "shiboken6"}
    ]
    assert offenders == []


def test_records_and_store_do_not_import_reportlab_or_the_ui():
    for folder in ("records", "store"):
        for path in (PACKAGE / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "reportlab" not in _imports(path), path
            assert "sro_desk.ui" not in text, path


def test_pages_import_qt_only_through_ui_qt():
    for path in (PACKAGE / "ui").glob("*.py"):
        if path.name == "qt.py":
            continue
        assert "PySide6" not in _imports(path), path
