"""Pilot tests of the stand-up screen (key 5): live changes from another connection, enter jumps."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.widgets import OptionList

from pgmtui.app import PgmApp
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until


@pytest.fixture(autouse=True)
def _private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("PGMTUI_REPORT_DIR", str(tmp_path / "reports"))


def _standup(app):
    from pgmtui.screens.standup import StandupScreen

    return app.screen if isinstance(app.screen, StandupScreen) else None


async def test_standup_lists_a_change_from_another_connection_and_enter_opens_it(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(
            pilot, lambda: _standup(app) is not None and _standup(app).standup is not None, what="stand-up"
        )
        await pilot.pause()
        text = screen_text(pilot)
        assert "Stand-up" in text
        assert "RAG changes" in text
        assert any(t.startswith("Needs attention today") for _, t in _standup(app)._rendered)
        assert "DAT Amber → Red*" in text  # yesterday's override, with its reason

        # Another user, another connection, a moment ago.
        with Store.open(demo_db) as other, other.acting(user="zoe"):
            other.update("project", "SEC", {"percent_complete": 15})
        wanted = "SEC: complete 8 % → 15 %"
        await wait_until(pilot, lambda: wanted in screen_text(pilot), what="the new change on screen")
        assert "zoe" in screen_text(pilot)

        screen = _standup(app)
        ol = screen.query_one("#standup-lines", OptionList)
        index = next(i for i, (_, plain) in enumerate(screen._rendered) if plain.startswith(wanted))
        ol.highlighted = index
        await pilot.press("enter")
        from pgmtui.screens.portfolio import ProjectDetailScreen

        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="project detail")
        assert "Security Operations Centre" in screen_text(pilot)


async def test_window_key_cycles_and_report_key_writes_html(demo_db: Path, tmp_path: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(pilot, lambda: _standup(app) is not None and _standup(app).standup is not None)
        screen = _standup(app)
        day_changes = screen.standup.change_count
        assert "last working day" in screen_text(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: "last 7 days" in screen.standup.window, what="week window")
        assert screen.standup.change_count > day_changes
        await pilot.press("x")
        report = tmp_path / "reports" / f"highlight-report-{pendulum.Date(2026, 11, 25).isoformat()}.html"
        await wait_until(pilot, report.exists, what="the report file")
        assert "<!DOCTYPE html>" in report.read_text(encoding="utf-8")
