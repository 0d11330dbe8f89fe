"""Snapshot tests of the Dependencies screen on the demo data (fixed clock), at 80×24 and 120×40.

Update the baselines with `--snapshot-update` after a deliberate change, and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.dependencies import DependenciesScreen
from tests.ui.helpers import wait_for_model, wait_until


def _open(*keys: str):
    async def run_before(pilot) -> None:
        await wait_for_model(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DependenciesScreen), what="the screen")
        screen = pilot.app.screen
        await wait_until(pilot, lambda: bool(screen.board.order), what="the board")
        await wait_until(pilot, lambda: pilot.app.status == "live", what="live status")
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_board(snap_compare, demo_db: Path, size: tuple[int, int]) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_open())


def test_board_what_if_120x40(snap_compare, demo_db: Path) -> None:
    # the third late dependency, its supplier nudged a week: the knock-on panel at full size
    assert snap_compare(
        PgmApp(demo_db), terminal_size=(120, 40), run_before=_open("j", "j", "right_square_bracket")
    )


def test_critical_path_80x24(snap_compare, demo_db: Path) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=(80, 24), run_before=_open("c"))


def test_matrix_80x24(snap_compare, demo_db: Path) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=(80, 24), run_before=_open("m", "j"))
