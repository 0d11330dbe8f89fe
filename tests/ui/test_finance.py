"""Pilot tests of screen 7, Finance: keys pressed, screen read, the database checked.

The hand-made programme (today 2026-11-25, a 30-day month: 25/30 of November's plan is due):

  FIN  budget 1 200 000, 75 % complete, baseline end 2027-03-31, contingency 100 000.
       Plan (opex) 2026-09 400 000, 2026-10 400 000, 2026-11 300 000, 2026-12 100 000 (= BAC).
       Actuals 2026-09 400 000, 2026-10 500 000 → AC 900 000.
       PV = 400 000 + 400 000 + 300 000 × 25/30 = 1 050 000;  EV = 1 200 000 × 0.75 = 900 000.
       CPI = 900/900 = 1.00;  SPI = 900/1 050 = 0.857 → 0.86;  EAC = BAC/CPI = 1.20m;  VAC = 0;
       TCPI = (1 200 − 900)/(1 200 − 900) = 1.00.
       Burn = mean(400 000, 500 000) = 450 000 (only two months have actuals); 300 000 left at
       450 000 a month runs out in the month after October: 2026-11, before the baseline end → ▲.
  OLD  no cost rows: budget 100 000, actual cost 50 000, 50 % complete (the straight-line rules).
  The programme's management reserve: 50 000.

  Change requests on FIN: #1 "More testers" +60 000, +14 d, from contingency (raised);
  #2 "Gold plating" +80 000 from the reserve (raised, more than the 50 000 left).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.finance import FinanceScreen
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until


@pytest.fixture
def fin_db(store: Store, db_path: Path) -> Path:
    s = store
    s.insert(
        "programme",
        {
            "name": "Finance Test",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "management_reserve": 50_000,
        },
    )
    common = {"start_date": "2026-09-01", "baseline_end": "2027-03-31", "forecast_end": "2027-03-31"}
    s.insert(
        "project",
        {"code": "FIN", "name": "Finance system", "budget": 1_200_000, "percent_complete": 75,
         "contingency": 100_000, **common},
    )  # fmt: skip
    s.insert(
        "project",
        {"code": "OLD", "name": "Old way", "budget": 100_000, "actual_cost": 50_000, "percent_complete": 50,
         **common},
    )  # fmt: skip
    for month, planned, actual in (
        ("2026-09", 400_000, 400_000),
        ("2026-10", 400_000, 500_000),
        ("2026-11", 300_000, None),
        ("2026-12", 100_000, None),
    ):
        fields = {"project": "FIN", "month": month, "planned": planned}
        if actual is not None:
            fields["actual"] = actual
        s.insert("cost", fields)
    s.insert(
        "change_request",
        {"project": "FIN", "title": "More testers", "cost_impact": 60_000, "schedule_impact_days": 14,
         "funding": "contingency", "status": "raised", "raised_date": "2026-11-20"},
    )  # fmt: skip
    s.insert(
        "change_request",
        {"project": "FIN", "title": "Gold plating", "cost_impact": 80_000, "schedule_impact_days": 0,
         "funding": "reserve", "status": "raised", "raised_date": "2026-11-21"},
    )  # fmt: skip
    return db_path


async def _finance(pilot) -> FinanceScreen:
    await wait_for_model(pilot)
    await pilot.press("7")
    await wait_until(pilot, lambda: "FIN " in screen_text(pilot), what="the finance screen")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FinanceScreen)
    return screen


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(start))


async def test_the_projects_table_shows_the_hand_checked_figures(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(120, 40)) as pilot:
        await _finance(pilot)
        text = screen_text(pilot)
        fin = _line(text, "FIN ").split()
        # Code, BAC, PV, EV, AC, EAC, VAC, CPI, SPI, TCPI, burn, run-out (▲: before the baseline
        # end), contingency, change requests
        assert fin == [
            "FIN",
            "1.20m",
            "1.05m",
            "900k",
            "900k",
            "1.20m",
            "0",
            "1.00",
            "0.86",
            "1.00",
            "450k",
            "2026-11",
            "▲",
            "100k",
            "2",
        ]  # fmt: skip  (2 requests waiting)
        # OLD has no plan: the straight-line rules. PV = 100 000 × 85/211 days (2026-09-01 →
        # 2026-11-25 of 2026-09-01 → 2027-03-31) = 40 284; EV = AC = 50 000: CPI 1.00, SPI 1.24;
        # no burn rate and no run-out without monthly actuals; no contingency, no change request waiting (blank).
        old = _line(text, "OLD ").split()
        assert old == ["OLD", "100k", "40k", "50k", "50k", "100k", "0", "1.00", "1.24", "1.00", "–", "–", "0"]
        assert "Reserve left 50k  Contingency 100k  2 CRs waiting (+140k)" in text


async def test_a_month_is_edited_in_place_and_the_actual_cost_follows(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(120, 40)) as pilot:
        screen = await _finance(pilot)
        await pilot.press("enter")  # FIN (first row) → its months
        await wait_until(pilot, lambda: "[Months FIN]" in screen_text(pilot), what="the months")
        # The months open on last month (October: its actuals are the next to come in).
        assert pilot.app.model.row("cost", screen.months.selected_id)["month"] == "2026-10"
        await pilot.press("j")  # 2026-10 → 2026-11
        await pilot.press("enter")
        await wait_until(pilot, lambda: "actual (enter saves" in screen_text(pilot), what="the cell editor")
        generation = pilot.app.model.generation
        await pilot.press(*"250000", "enter")
        await wait_for_model(pilot, after=generation)
        with Store.open(fin_db) as s:
            november = next(r for r in s.rows("cost") if r["month"] == "2026-11")
            assert november["actual"] == 250_000
            # AC = 400 000 + 500 000 + 250 000: the project's actual cost is derived from the months.
            assert s.get("project", "FIN")["actual_cost"] == 1_150_000
        await wait_until(pilot, lambda: "AC 1.15m" in screen_text(pilot), what="the new AC")
        # esc leaves the months for the projects table.
        await pilot.press("escape")
        assert screen.view == "projects"


async def test_an_approval_is_previewed_then_moves_the_baseline(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(120, 40)) as pilot:
        screen = await _finance(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: "More testers" in screen_text(pilot), what="the change requests")
        screen.requests.select(1)
        await pilot.pause()
        await pilot.press("a")
        await wait_until(
            pilot, lambda: "What happens when you save" in screen_text(pilot), what="the preview"
        )
        text = screen_text(pilot)
        # 1 200 000 + 60 000; 2027-03-31 + 14 d; contingency 100 000 − 60 000.
        assert "FIN budget (BAC) 1 200 000 → 1 260 000" in text
        assert "FIN baseline end 2027-03-31 → 2027-04-14" in text
        assert "FIN contingency 100 000 → 40 000" in text
        with Store.open(fin_db) as s:  # nothing is saved by the preview
            assert s.get("project", "FIN")["budget"] == 1_200_000
        await pilot.press(*"Board", "ctrl+s")
        await wait_until(pilot, lambda: "✓ approved" in screen_text(pilot), what="the approval")
        with Store.open(fin_db) as s:
            fin = s.get("project", "FIN")
            assert (fin["budget"], fin["baseline_end"], fin["contingency"]) == (
                1_260_000,
                "2027-04-14",
                40_000,
            )
            request = s.get("change_request", 1)
            assert (request["status"], request["decided_by"], request["decided_date"]) == (
                "approved",
                "Board",
                "2026-11-25",
            )
        # An approved request cannot be decided again: a, x and w do nothing there.
        assert screen.requests.selected_id == 1
        assert not screen.check_action("approve", ())
        assert not screen.check_action("reject", ())


async def test_an_overdrawing_approval_says_why_and_offers_no_save(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(120, 40)) as pilot:
        screen = await _finance(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: "Gold plating" in screen_text(pilot), what="the change requests")
        screen.requests.select(2)
        await pilot.pause()
        await pilot.press("a")
        await wait_until(pilot, lambda: "It cannot be approved" in screen_text(pilot), what="the refusal")
        text = screen_text(pilot)
        # The reserve holds 50 000; the request draws 80 000: 30 000 more than is left.
        assert "the management reserve is 50 000" in text and "30 000 more than is left" in text
        await pilot.press("ctrl+s")  # no save offered: nothing happens
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen, what="the modal to close")
        with Store.open(fin_db) as s:
            assert s.get("change_request", 2)["status"] == "raised"
            assert s.get("programme", 1)["management_reserve"] == 50_000


async def test_a_rejection_changes_nothing_else(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(120, 40)) as pilot:
        screen = await _finance(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: "More testers" in screen_text(pilot), what="the change requests")
        screen.requests.select(1)
        await pilot.pause()
        await pilot.press("x")
        await wait_until(pilot, lambda: "nothing else changes" in screen_text(pilot), what="the preview")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "✗ rejected" in screen_text(pilot), what="the rejection")
        with Store.open(fin_db) as s:
            fin = s.get("project", "FIN")
            assert (fin["budget"], fin["baseline_end"], fin["contingency"]) == (
                1_200_000,
                "2027-03-31",
                100_000,
            )
            assert s.get("change_request", 1)["status"] == "rejected"


async def test_the_s_curve_has_a_legend_readable_without_colour(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(100, 30)) as pilot:
        await _finance(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: "[S-curve FIN]" in screen_text(pilot), what="the S-curve")
        text = screen_text(pilot)
        assert "· planned  ● actual  ◆ earned (EV)" in text
        # j in the S-curve view moves to the next project's curve (OLD has no plan to draw).
        await pilot.press("j")
        await wait_until(pilot, lambda: "[S-curve OLD]" in screen_text(pilot), what="OLD's curve")


async def test_the_view_bar_follows_a_live_rename_of_the_selected_project(fin_db: Path) -> None:
    async with PgmApp(fin_db).run_test(size=(120, 40)) as pilot:
        screen = await _finance(pilot)
        await pilot.press("v")  # the S-curve view: its tab names the selected project
        await wait_until(pilot, lambda: "S-curve FIN" in screen_text(pilot), what="the S-curve tab")
        generation = pilot.app.model.generation
        with Store.open(fin_db) as other:
            other.update("project", "FIN", {"code": "FINX"})
        await wait_for_model(pilot, after=generation)
        await wait_until(pilot, lambda: "S-curve FINX" in screen_text(pilot), what="the renamed tab")
        assert screen.project_id is not None
