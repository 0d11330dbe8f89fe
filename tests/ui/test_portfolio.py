"""Pilot tests of the shell and the portfolio: keys pressed, screen read."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model


async def test_portfolio_shows_every_project_with_rag(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        text = screen_text(pilot)
        assert "Portfolio" in text
        assert "Digital Workplace" in text
        for code in ("IAM", "CLD", "ERP", "DAT", "M365"):
            assert code in text
        assert "R*" in text  # the override is marked
