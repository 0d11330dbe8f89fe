"""Snapshot tests of the Stakeholders screen on the demo data: the power/interest map at 80×24 and
120×40, the register and the comms plan at 80×24."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from pgmtui.screens.stakeholders import StakeholdersScreen
from tests.ui.helpers import wait_for_model, wait_until


def _app(demo_db: Path) -> PgmApp:
    # A long poll: nothing writes during a snapshot, and a quiet loop keeps the run deterministic.
    return PgmApp(demo_db, poll_seconds=5)


async def _on_stakeholders(pilot) -> None:
    await wait_for_model(pilot)
    await pilot.press("9")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StakeholdersScreen), what="screen 9")
    await pilot.pause()


def test_stakeholder_map_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_on_stakeholders)


def test_stakeholder_map_120x40(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(120, 40), run_before=_on_stakeholders)


def test_stakeholder_register_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_on_stakeholders, press=["v"])


def test_stakeholder_comms_plan_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(
        _app(demo_db), terminal_size=(80, 24), run_before=_on_stakeholders, press=["v", "v", "v"]
    )
