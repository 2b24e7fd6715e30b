"""check: a read-only health report that never changes a byte."""

from __future__ import annotations

import pytest

from sro_desk.errors import DamagedFile
from sro_desk.store.check import check_file
from sro_desk.store.lease import lock_path
from tests.helpers import sha256


def test_a_healthy_file(demo_path):
    before = sha256(demo_path)
    report = check_file(demo_path)
    assert report.healthy
    assert any("Granite Valley" in fact for fact in report.facts)
    assert sha256(demo_path) == before
    assert not lock_path(demo_path).exists()
    assert not demo_path.with_name(demo_path.name + "-journal").exists()


def test_a_damaged_page_is_found(demo_path):
    data = bytearray(demo_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    # Give every page after the first an impossible b-tree page type.
    for start in range(page, len(data), page):
        data[start] = 0x77
    demo_path.write_bytes(bytes(data))
    before = sha256(demo_path)
    with pytest.raises(DamagedFile):
        check_file(demo_path)
    assert sha256(demo_path) == before
