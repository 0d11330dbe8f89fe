"""Snapshots of the benefits tracker and one profile (with its chart) on the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def _tracker(demo_db: Path):
    async def run_before(pilot) -> None:
        await wait_for_model(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: "Benefits (10)" in screen_text(pilot), what="the tracker")
        await pilot.pause()

    return run_before


def _profile(demo_db: Path):
    async def run_before(pilot) -> None:
        await _tracker(demo_db)(pilot)
        await pilot.press("j", "j", "j", "enter")  # Data-centre running cost reduction (At risk)
        await wait_until(pilot, lambda: "Measurements (" in screen_text(pilot), what="the profile")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_tracker_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_tracker(demo_db))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_profile_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_profile(demo_db))
