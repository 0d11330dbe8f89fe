"""Snapshots of the portfolio and a project detail on the demo data (clock fixed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


async def _portfolio(pilot) -> None:
    await wait_for_model(pilot)
    await wait_until(pilot, lambda: "M365" in screen_text(pilot), what="the project rows")
    # The weekly trend (RAG by week) is built in the background after the first paint.
    await wait_until(pilot, lambda: pilot.app.trend is not None, timeout=30, what="the trend")
    await pilot.pause()


async def _detail(pilot) -> None:
    await _portfolio(pilot)
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: "loading" not in str(pilot.app.screen.query_one("#detail-changes").render()),
        what="changes",
    )
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_portfolio_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_portfolio)


def test_project_detail_snapshot(snap_compare, demo_db: Path) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=(120, 40), run_before=_detail)
