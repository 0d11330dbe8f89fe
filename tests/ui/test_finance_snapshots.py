"""Snapshots of screen 7, Finance, on the demo data: the projects table with the programme's money,
the S-curve of the cloud migration, and the change-request log with a request's effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def _projects():
    async def run_before(pilot) -> None:
        await wait_for_model(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: "[Projects]" in screen_text(pilot), what="the finance screen")
        await wait_until(pilot, lambda: "CLD " in screen_text(pilot), what="the projects")
        await pilot.pause()

    return run_before


def _view(key: str, marker: str):
    async def run_before(pilot) -> None:
        await _projects()(pilot)
        await pilot.press(key)
        await wait_until(pilot, lambda: marker in screen_text(pilot), what=marker)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_projects_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_projects())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_scurve_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_view("t", "◆ earned (EV)"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_change_requests_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_view("c", "If approved (a)"))
