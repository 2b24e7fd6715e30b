"""Confidential complainant identities: crash leftovers, hostile passphrases and
tampered key records, and other people's copies of the file (see confidential.py).

Kills: half the battery's count for each writer (20 + 20 by default, 100 + 100 when CI=true).
"""

from __future__ import annotations

import pytest

from tests.reliability.common import CAN_FORK
from tests.reliability.confidential import (
    HOSTILE_PASSPHRASES, TAMPERED_RECORDS, other_peoples_files, run_confidential_kills,
    run_hostile_passphrases,
)
from tests.reliability.leaks import DEMO_CONFIDENTIAL

needs_fork = pytest.mark.skipif(not CAN_FORK, reason="the writers are forked and killed (POSIX only)")


def _kills(battery_counts) -> int:
    return max(20, battery_counts.kills // 2)


@needs_fork
@pytest.mark.slow
def test_a_writer_killed_during_confidential_intakes_leaves_no_identity_in_plain_text(scratch, battery_counts):
    kills = _kills(battery_counts)
    figures = run_confidential_kills(scratch, kills, kind="intake")
    assert figures.failures == []
    assert figures.kills == figures.runs == figures.survived == kills
    assert figures.transactions_checked >= kills  # intakes acknowledged, and checked sealed
    assert figures.hot_journals >= 1  # some kills landed mid-transaction


@needs_fork
@pytest.mark.slow
def test_a_writer_killed_while_changing_the_passphrase_leaves_every_identity_under_one(scratch, battery_counts):
    kills = _kills(battery_counts)
    figures = run_confidential_kills(scratch, kills, kind="passphrase")
    assert figures.failures == []
    assert figures.kills == figures.runs == figures.survived == kills
    # Kills landed mid-change (a hot journal rolled back) and after changes of both kinds.
    assert figures.hot_journals >= 1
    assert figures.outcomes.get("passphrase A after the kill", 0) and figures.outcomes.get(
        "passphrase B after the kill", 0), figures.outcomes


@needs_fork
def test_hostile_passphrases_and_tampered_key_records_get_a_sentence_never_a_hang(scratch):
    figures = run_hostile_passphrases(scratch, limit=30.0)
    assert figures.failures == []
    assert figures.inputs_tried == len(HOSTILE_PASSPHRASES) + len(TAMPERED_RECORDS)
    assert figures.outcomes.get("hang", 0) == figures.outcomes.get("unexpected", 0) == 0
    assert figures.outcomes["slowest call (ms)"] < 10_000, figures.outcomes


def test_a_backup_or_a_copy_without_the_passphrase_shows_only_that_a_confidential_complainant_exists(
        demo_copy, scratch):
    assert other_peoples_files(demo_copy, scratch, DEMO_CONFIDENTIAL, "Tom Becker") == []
