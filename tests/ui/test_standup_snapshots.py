"""Snapshots of the stand-up review on the demo data (clock fixed: Wednesday, so since Tuesday)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


async def _standup(pilot) -> None:
    await wait_for_model(pilot)
    await pilot.press("5")
    await wait_until(pilot, lambda: "Overdue issues" in screen_text(pilot), what="the stand-up")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_standup_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_standup)
