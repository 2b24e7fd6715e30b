"""Shared fixtures: every test gets its own SRO Desk home, so no real data is touched."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from sro_desk.records.demo import sample_district
from sro_desk.records.district import save_district
from sro_desk.store import DataFile, OpenOptions


@pytest.fixture(autouse=True)
def sro_home(tmp_path_factory, monkeypatch):
    """A private data/config/log folder for each test (platformdirs is redirected)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SRO_DESK_HOME", str(home))
    monkeypatch.setenv("SRO_DESK_BUSY_TIMEOUT", "1")
    return home


@pytest.fixture
def db_path(tmp_path):
    """Where a test's data file goes (not created)."""
    return tmp_path / "district.db"


@pytest.fixture
def new_file(db_path):
    """A fresh, empty SRO Desk file open for editing."""
    data_file = DataFile.open(db_path, OpenOptions(create=True))
    yield data_file
    data_file.close()


@pytest.fixture
def demo_file(db_path):
    """A file holding the sample district, open for editing."""
    data_file = DataFile.open(db_path, OpenOptions(create=True))
    save_district(data_file, sample_district())
    yield data_file
    data_file.close()


@pytest.fixture
def demo_path(db_path):
    """A closed file holding the sample district."""
    with DataFile.open(db_path, OpenOptions(create=True)) as data_file:
        save_district(data_file, sample_district())
    return db_path
