"""Every command has help and appears in the README, like sqlite-utils' test_docs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sro_desk.cli import COMMANDS, build_parser

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no commands")


def test_every_command_is_wired_and_has_help():
    parser = build_parser()
    helps = {a.dest: a.help for a in parser._subparsers._group_actions[0]._choices_actions}
    assert set(_subcommands()) == set(COMMANDS)
    for name in COMMANDS:
        assert helps.get(name), name


def test_every_command_is_in_the_readme():
    lines = [line for line in README.splitlines() if line.startswith("sro-desk ")]
    for name in _subcommands():
        assert any(re.search(rf"\[?\b{name}\b", line) for line in lines), name


def test_readme_starts_with_the_two_commands():
    head = README[:3000]
    assert "pip install -e ." in head
    assert 'pip install -e ".[test]"' in head and "pytest" in head


def test_ci_runs_the_readme_test_command():
    command = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
    assert command in README
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci
