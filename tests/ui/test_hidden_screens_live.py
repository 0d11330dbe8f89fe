"""A live change renders on the screen being looked at; a screen of another mode catches up when
it is shown again (so a change costs one screen's render, not one per screen visited)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.stakeholders import StakeholdersScreen
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until


async def test_a_hidden_screen_waits_and_catches_up_when_shown(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    original = StakeholdersScreen.show_model

    def counted(self: StakeholdersScreen, model) -> None:
        shown.append(model.generation)
        original(self, model)

    monkeypatch.setattr(StakeholdersScreen, "show_model", counted)
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("9")  # stakeholders: mounted, then left for the portfolio
        await wait_until(pilot, lambda: bool(shown), what="screen 9 to render")
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "portfolio", what="the portfolio")
        with Store.open(demo_db) as other:
            first = other.rows("stakeholder")[0]
            other.update("stakeholder", first["id"], {"name": "Renamed Behind The Portfolio"})
        generation = app.model.generation
        shown.clear()
        await wait_for_model(pilot, after=generation)
        assert shown == []  # screen 9 is not on show: it did not render the change
        await pilot.press("9")
        await wait_until(pilot, lambda: bool(shown), what="screen 9 to catch up")
        assert shown == [app.model.generation]  # one render, of the latest model, when shown
        await wait_until(
            pilot, lambda: "Renamed Behind" in screen_text(pilot), what="the new name on screen 9"
        )
