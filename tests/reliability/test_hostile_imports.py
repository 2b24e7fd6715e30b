"""Hostile imports are refused in one sentence (or done) without reading them whole:
a zip bomb, a quadratic-parser text, oversize text and CSV, a workbook that claims a
million rows by 16,384 columns, a 3 GB attachment. benchmarks/reliability.py --imports
times the full sizes."""

from __future__ import annotations

import pytest

from sro_desk.errors import SroDeskError
from tests.reliability.hostile_files import IMPORTS, make


@pytest.mark.parametrize(("name", "maker", "full", "small", "importer"), IMPORTS, ids=[i[0] for i in IMPORTS])
def test_a_hostile_import_is_refused_or_done_without_reading_it_whole(tmp_path, name, maker, full, small,
                                                                       importer):
    path = make(maker, tmp_path, small)
    try:
        importer(path)
    except SroDeskError as refusal:
        sentence = refusal.message
        assert sentence and "\n" not in sentence and len(sentence) < 300, sentence
        assert "Traceback" not in sentence
