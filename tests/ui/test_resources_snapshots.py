"""Snapshots of the Resources screen (6) on the demo data: the person × week grid, and the
levelling panel for the over-allocated shared architect (Tom Okafor, ▲130 in the week of 30 Nov)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


async def _grid(pilot) -> None:
    await wait_for_model(pilot)
    await pilot.press("6")
    await wait_until(pilot, lambda: "28 people" in screen_text(pilot), what="the grid")
    await pilot.pause()


async def _levelling(pilot) -> None:
    await _grid(pilot)
    await pilot.press("slash", *"tom", "enter")
    await wait_until(pilot, lambda: "1 of 28 people" in screen_text(pilot), what="the filter")
    await pilot.press("l", "l", "l")  # Person → Cap → 23 Nov → 30 Nov
    await wait_until(pilot, lambda: "Week of 30 Nov: ▲130" in screen_text(pilot), what="the busy week")
    await pilot.press("L")
    await wait_until(pilot, lambda: "What if:" in screen_text(pilot), what="the levelling panel")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_grid_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_grid)


def test_levelling_snapshot(snap_compare, demo_db: Path) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=(120, 40), run_before=_levelling)
