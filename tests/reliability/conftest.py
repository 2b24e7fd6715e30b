"""Fixtures of the reliability battery: sample files made once and copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.common import Counts, copy_file, counts, make_demo_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def battery_counts() -> Counts:
    return counts()


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """The whole sample district, made once (with its own private SRO Desk home)."""
    folder = tmp_path_factory.mktemp("demo-master")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SRO_DESK_HOME", str(folder / "home"))
        return make_demo_file(folder / "demo.db")


@pytest.fixture
def demo_copy(demo_master, tmp_path) -> Path:
    """A private copy of the sample district's file."""
    return copy_file(demo_master, tmp_path / "district" / "district.db")


@pytest.fixture
def scratch(tmp_path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder

