"""Snapshot tests of the risk heatmap on the demo data (80×24 and 120×40) and the register."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from pgmtui.screens.risks import RisksScreen
from tests.ui.helpers import wait_for_model, wait_until


def _app(demo_db: Path) -> PgmApp:
    # A long poll: nothing writes during a snapshot, and a quiet loop keeps the run deterministic.
    return PgmApp(demo_db, poll_seconds=5)


async def _on_risks(pilot) -> None:
    await wait_for_model(pilot)
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RisksScreen), what="the risks screen")
    await pilot.pause()


def test_heatmap_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_on_risks)


def test_heatmap_120x40(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(120, 40), run_before=_on_risks)


def test_heatmap_inherent_cell_4x5_120x40(demo_db: Path, snap_compare) -> None:
    assert snap_compare(
        _app(demo_db), terminal_size=(120, 40), run_before=_on_risks, press=["i", "up", "right", "right"]
    )


def test_register_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_on_risks, press=["t"])
