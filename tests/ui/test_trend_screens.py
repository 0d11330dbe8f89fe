"""The trend on screen: the portfolio's RAG by week (a column from 120 columns, the panel at any
width), live in its last week, and the project detail's RAG strip and sparklines."""

from __future__ import annotations

from pathlib import Path

import pendulum

from pgmtui.app import PgmApp
from pgmtui.services.trend import trend_of
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until

GLYPH = {"R": "●", "A": "▲", "G": "■", None: "·"}


def expected_strip(db: Path, code: str) -> str:
    """The project's RAG each week, as `pgmtui trend` computes it."""
    with Store.open(db, read_only=True) as store:
        pid = store.get("project", code)["id"]
        trend = trend_of(store, pendulum.Date(2026, 11, 25), 12)
    return "".join(GLYPH[r] for r in trend.series("rag", pid))


def row(pilot, code: str) -> str:
    return next(line for line in screen_text(pilot).splitlines() if line.strip().startswith(f"{code} "))


async def test_rag_by_week_column_and_live_last_week(demo_db: Path) -> None:
    cld, trn = expected_strip(demo_db, "CLD"), expected_strip(demo_db, "TRN")
    assert len(cld) == 12 and cld != cld[0] * 12  # CLD's RAG moved over the weeks
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await wait_until(pilot, lambda: cld in row(pilot, "CLD"), timeout=30, what="CLD's weeks")
        assert "RAG by week" in screen_text(pilot)
        # TRN: green for ten weeks, then amber on its early cost run-out (issue 14's rule).
        assert trn == "■" * 10 + "▲▲" and trn in row(pilot, "TRN")
        # Another session slips TRN beyond tolerance: this week turns red, the past stays as it was.
        with Store.open(demo_db) as other:
            other.update("project", "TRN", {"forecast_end": "2027-12-31"})
        await wait_until(pilot, lambda: trn[:11] + "●" in row(pilot, "TRN"), what="TRN red this week")


async def test_the_panel_at_80_columns_and_the_project_detail(demo_db: Path) -> None:
    cld = expected_strip(demo_db, "CLD")
    app = PgmApp(demo_db, poll_seconds=0.05)
    # 80 columns; tall enough that the project detail's trend section is on screen without scrolling.
    async with app.run_test(size=(80, 60)) as pilot:
        await wait_for_model(pilot)
        assert "RAG by week" not in screen_text(pilot)  # no room for the column at 80
        await wait_until(pilot, lambda: f"12 weeks {cld}" in screen_text(pilot), timeout=30, what="the panel")
        await pilot.press("enter")  # CLD (red, first)
        await wait_until(pilot, lambda: "Risk exposure" in screen_text(pilot), what="the trend section")
        await pilot.press("home")
        text = screen_text(pilot)
        assert f"RAG           {cld}  12 weeks to Wed 25 Nov" in text
        for label in ("CPI ", "SPI ", "Risk exposure "):
            assert any(line.lstrip().startswith(label) and "→" in line for line in text.splitlines()), label
