"""Snapshot tests of the roadmap (Dependencies screen, `v`) on the demo data (fixed clock), at
80×24 and 120×40. Update with `--snapshot-update` after a deliberate change, and look at the SVGs."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from tests.ui.test_dependencies_snapshots import _open


def _roadmap(*keys: str):
    """The screen with `keys` pressed, then without the toasts they raise ("Roadmap grouped by
    stage" lasts 1.5 s: whether it is still there would depend on the machine's speed)."""
    opened = _open(*keys)

    async def run_before(pilot) -> None:
        await opened(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_roadmap_80x24(snap_compare, demo_db: Path) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=(80, 24), run_before=_roadmap("v"))


def test_roadmap_by_stage_weeks_120x40(snap_compare, demo_db: Path) -> None:
    # Grouped by stage, a column a day, the cursor moved to the next milestone.
    assert snap_compare(
        PgmApp(demo_db), terminal_size=(120, 40), run_before=_roadmap("v", "b", "plus", "right")
    )
