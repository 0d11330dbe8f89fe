"""The project detail shows the implied end (what the dependency network says) beside the entered
forecast, flagged, when a late supplier moves the project."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from tests.ui.helpers import screen_text, wait_for_model, wait_until


async def test_project_detail_flags_the_implied_end(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        model = app.model
        ids = {p["code"]: p["id"] for p in model.tables["project"]}
        app.open_record("project", ids["IAM"])
        await wait_until(pilot, lambda: "Forecast end 2027-01-30" in screen_text(pilot), what="IAM detail")
        text = screen_text(pilot)
        # NET's Wi-Fi 6 roll-out is 6 d late for IAM's MFA roll-out: 2027-01-30 + 6 d = 2027-02-05.
        assert "⚠ Implied end 2027-02-05 (+6 d: late suppliers" in text
        assert "delaying others" not in text.split("Forecast end")[0]  # IAM itself delays nobody
        await pilot.press("escape")
        app.open_record("project", ids["NET"])
        await wait_until(pilot, lambda: "delaying others" in screen_text(pilot), what="NET detail")
        assert "Implied end" not in screen_text(pilot)  # nothing late upstream of NET


async def test_dependency_board_shows_the_consumers_implied_end(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("2")
        # The tightest late dependency is selected first: DAT 'Master data cleansed' → ERP, 18 d late.
        # ERP's last milestone (go-live, 2027-05-30 entered) moves 18 d: 2027-05-30 + 18 = 2027-06-17.
        await wait_until(pilot, lambda: "implied end" in screen_text(pilot), what="the knock-on panel")
        assert "⚠ ERP implied end 2027-06-17 vs entered forecast 2027-05-30 (+18d)" in screen_text(pilot)
