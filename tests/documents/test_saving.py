"""Every printed document is saved the same way (common.write_pdf / save_atomically): a
missing folder is one sentence and leaves nothing, and a build that fails keeps the old
file and leaves no partial one. Checked once per document that prints through it."""

from __future__ import annotations

import pytest

from sro_desk.documents.agreement import build_agreement_pdf
from sro_desk.documents.enforcement import build_enforcement_pdf
from sro_desk.documents.training import build_training_pdf
from sro_desk.errors import SroDeskError
from tests.documents.test_agreement_pdf import _agreement
from tests.documents.test_enforcement_pdf import _report
from tests.documents.test_training_pdf import _record

DOCUMENTS = {
    "agreement": lambda out: build_agreement_pdf(_agreement(), out),
    "enforcement": lambda out: build_enforcement_pdf(_report(), out),
    "training": lambda out: build_training_pdf(_record(), out),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_missing_folder_is_a_plain_error_and_leaves_nothing(tmp_path, name):
    target = tmp_path / "missing" / f"{name}.pdf"
    with pytest.raises(SroDeskError, match="does not exist"):
        DOCUMENTS[name](target)
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_failed_build_keeps_the_old_file_and_leaves_no_partial_one(tmp_path, monkeypatch, name):
    target = tmp_path / f"{name}.pdf"
    target.write_bytes(b"old")

    def explode(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("sro_desk.documents.common._Document.afterFlowable", explode)
    with pytest.raises(RuntimeError):
        DOCUMENTS[name](target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [f"{name}.pdf"]
