"""`x` on the risks screen: the list shown, in its order, to an Excel workbook."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl

from pgmtui.app import PgmApp
from pgmtui.screens.risks import RisksScreen
from tests.ui.helpers import wait_for_model, wait_until
from tests.ui.test_standup import toasts


async def test_x_writes_the_register_shown_to_excel(demo_db: Path) -> None:
    reports = Path(os.environ["PGMTUI_REPORT_DIR"])
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the risks screen")
        screen = app.screen
        await pilot.press("t")  # the register
        await wait_until(pilot, lambda: screen.register.row_count > 0, what="the register")
        shown = screen.register.order
        await pilot.press("x")
        path = reports / "risk-register-2026-11-25.xlsx"
        await wait_until(pilot, path.exists, what="the workbook")
        await wait_until(
            pilot, lambda: f"Risk register ({len(shown)} rows) written to" in toasts(pilot), what="the toast"
        )
        ws = openpyxl.load_workbook(path)["Risks"]
        assert [r[0].value for r in ws.iter_rows(min_row=2)] == shown  # the screen's rows, its order
        assert os.stat(path).st_mode & 0o777 == 0o600
        await pilot.press("v")  # Issues
        await wait_until(pilot, lambda: screen.view == "issue", what="the issues list")
        await pilot.press("x")
        issues = reports / "issue-register-2026-11-25.xlsx"
        await wait_until(pilot, issues.exists, what="the issues workbook")
        assert openpyxl.load_workbook(issues).sheetnames == ["Issues"]
