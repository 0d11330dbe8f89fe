"""Snapshots of the Governance screen's three views and the gate readiness, on the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def _view(key: str, marker: str, then: tuple[str, ...] = (), ready: str = ""):
    async def run_before(pilot) -> None:
        await wait_for_model(pilot)
        await pilot.press("8", key)
        await wait_until(pilot, lambda: marker in screen_text(pilot), what=marker)
        if then:
            await pilot.press(*then)
            await wait_until(pilot, lambda: ready in screen_text(pilot), what=ready)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_alignment_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_view("a", "⚠ unaligned"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_business_cases_snapshot(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=size, run_before=_view("b", "█ benefits"))


def test_gate_calendar_snapshot(snap_compare, demo_db: Path) -> None:
    assert snap_compare(PgmApp(demo_db), terminal_size=(80, 24), run_before=_view("c", "⚠ none booked"))


def test_gate_readiness_snapshot(snap_compare, demo_db: Path) -> None:
    # The calendar's eleventh row is the CLD gate passed three weeks ago (conditional, decision #1).
    keys = ("j",) * 10 + ("enter",)
    run_before = _view("c", "⚠ none booked", keys, "#1 Exercise the three-month")
    assert snap_compare(PgmApp(demo_db), terminal_size=(120, 40), run_before=run_before)
