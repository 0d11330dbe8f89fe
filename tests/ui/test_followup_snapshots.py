"""Snapshot tests of follow-through on the demo data: the Actions view of Risks & RAID (80×24 and
120×40), the Lessons view with the candidates harvested from the audit trail, and the typed delete
prompt of a project."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from pgmtui.screens.deletion import TypedDeleteScreen
from pgmtui.screens.risks import RisksScreen
from tests.ui.helpers import wait_for_model, wait_until


def _app(demo_db: Path) -> PgmApp:
    # A long poll: nothing writes during a snapshot, and a quiet loop keeps the run deterministic.
    return PgmApp(demo_db, poll_seconds=5)


def _on_view(view: str):
    async def run_before(pilot) -> None:
        await wait_for_model(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RisksScreen), what="the risks screen")
        screen = pilot.app.screen
        screen.set_view(view)
        if view == "lesson":  # the candidates come from a read of the audit trail
            await wait_until(pilot, lambda: bool(screen._lessons.candidates), what="the candidates")
        await pilot.pause()

    return run_before


async def _delete_prompt(pilot) -> None:
    await wait_for_model(pilot)
    await pilot.press("d")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TypedDeleteScreen), what="the prompt")
    pilot.app.screen.query_one("#typed-code").cursor_blink = False  # a blinking cursor is not a difference
    await pilot.pause()


def test_actions_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_on_view("action"))


def test_actions_120x40(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(120, 40), run_before=_on_view("action"))


def test_lessons_and_candidates_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_on_view("lesson"))


def test_lessons_and_candidates_120x40(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(120, 40), run_before=_on_view("lesson"))


def test_typed_delete_prompt_80x24(demo_db: Path, snap_compare) -> None:
    assert snap_compare(_app(demo_db), terminal_size=(80, 24), run_before=_delete_prompt)
