"""Pilot tests of the benefits tracker and profile: keys pressed, screen read.

The hand-made set (dates from D0 = 2026-09-01; "day n" = D0 + n days), every figure on paper:

  Licence savings  cash, 100 → 60 by day 100; 90 (day 10), 80 (day 30): latest 80 → 50 %;
                   trend −0.5/day → 45 at day 100 → 137.5 % → On track.
  Satisfaction     non-cash, 0 → 100 by day 100; 40 (day 50), 48 (day 60): 48 %; slope 0.8 → 80 at
                   day 100 = 80 % → At risk (the boundary).
  Downtime         non-cash, 0 → 100; 40 (day 50), 47.9 (day 60): 47.9 % → "48%"; 79.5 % → Off track.
                   Enabled by RED (rag overridden to R) → ⚠ threatened.
  Server refresh   cash, 0 → 100; 50 (day 10), 100 (day 20): 100 % → Realised.
  Training         non-cash, 10 → 20, no measurements → No data.
  Support cost     dis-benefit, 0 → 500; 250 (day 50), baseline day 0: slope 5 → 500 → On track.

  Cash: planned |60 − 100| + |100 − 0| = 140; realised (80 − 100)·(−1) + 100 = 120 → "120 of 140".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from pgmtui.app import PgmApp
from pgmtui.store import Store
from pgmtui.widgets.record_table import RecordTable
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def day(n: int) -> str:
    """Day n of the hand-made set: day 0 is 2026-09-01, so the target dates (day 100) are still
    ahead of the fixed today (2026-11-25, day 85) and statuses are judged on the trend."""
    import pendulum

    return pendulum.Date(2026, 9, 1).add(days=n).isoformat()


@pytest.fixture
def hand_db(store, db_path: Path) -> Path:
    s = store
    s.insert("programme", {"name": "Benefits Test", "start_date": "2026-01-01", "end_date": "2027-12-31"})
    for code, extra in (("GRN", {}), ("RED", {"rag_override": "R", "rag_reason": "supplier failed"})):
        s.insert(
            "project",
            {
                "code": code,
                "name": f"Project {code}",
                "start_date": "2026-01-01",
                "baseline_end": "2027-06-30",
                "forecast_end": "2027-06-30",
                "budget": 1000,
                "actual_cost": 0,
                "percent_complete": 50,
                **extra,
            },
        )

    def benefit(name, kind, base, target, points, projects=""):
        fields = {
            "name": name,
            "kind": kind,
            "owner": "Olu",
            "measure": name.lower(),
            "unit": "£k" if kind == "cash-releasing" else "pts",
            "baseline_value": base,
            "baseline_date": day(0),
            "target_value": target,
            "target_date": day(100),
        }
        if projects:
            fields["projects"] = projects
        bid = s.insert("benefit", fields)
        for d, v in points:
            s.insert("measurement", {"benefit": bid, "date": day(d), "value": v})
        return bid

    benefit("Licence savings", "cash-releasing", 100, 60, [(10, 90), (30, 80)], "GRN")
    benefit("Satisfaction", "non-cash", 0, 100, [(50, 40), (60, 48)])
    benefit("Downtime", "non-cash", 0, 100, [(50, 40), (60, 47.9)], "RED, GRN")
    benefit("Server refresh", "cash-releasing", 0, 100, [(10, 50), (20, 100)])
    benefit("Training", "non-cash", 10, 20, [])
    benefit("Support cost", "dis-benefit", 0, 500, [(50, 250)])
    return db_path


def line_of(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if name in line)


async def open_benefits(pilot) -> None:
    await wait_for_model(pilot)
    await pilot.press("4")
    await wait_until(pilot, lambda: "Benefits (" in screen_text(pilot), what="the tracker")


async def test_statuses_and_percentages_follow_the_rules(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        text = screen_text(pilot)
        expected = {
            "Licence savings": ("50%", "■ On track"),
            "Satisfaction": ("48%", "▲ At risk"),
            "Downtime": ("48%", "● Off track"),
            "Server refresh": ("100%", "✔ Realised"),
            "Training": ("–", "○ No data"),
            "Support cost": ("50%", "■ On track"),
        }
        for name, (pct, status) in expected.items():
            line = line_of(text, name)
            assert f" {pct} " in line and status in line, line
        assert "⚠ GRN■ RED●" in line_of(text, "Downtime")  # a red enabling project threatens it
        assert "⚠" not in line_of(text, "Licence savings")
        # Baseline → latest → target, and the dis-benefit in its own section below the benefits.
        assert "100 → 80 → 60 £k" in line_of(text, "Licence savings")
        assert text.index("Dis-benefits (1)") < text.index("Support cost")
        assert text.index("Server refresh") < text.index("Dis-benefits (1)")
        # Headline: cash realised against planned, counts by status, dis-benefits apart.
        assert "Cash 120 of 140 £k realised (86%)" in text
        assert "Benefits ✔ 1 Realised ■ 1 On track ▲ 1 At risk ● 1 Off track ○ 1 No data" in text
        assert "Dis-benefits ■ 1 On track" in text
        assert "⚠ 1 threatened by a red project" in text
        # Worst first: Off track, At risk, No data, On track, Realised.
        order = [
            text.index(n)
            for n in ("Downtime", "Satisfaction", "Training", "Licence savings", "Server refresh")
        ]
        assert order == sorted(order)


async def test_recording_a_measurement_by_keyboard_updates_row_sparkline_and_headline(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        line = line_of(screen_text(pilot), "Licence savings")
        # 90, 80 between 60 and 100: (90−60)/40·7 = 5.25 → ▆; 80 → 3.5 → ▅.
        assert " ▆▅ " in line and "50%" in line
        await pilot.press("j", "j", "j")  # Downtime → Satisfaction → Training → Licence savings
        assert "Licence savings" in str(app.screen.query_one("#benefit-summary").render())
        await pilot.press("m")
        await wait_until(pilot, lambda: "Record a measurement of Licence savings" in screen_text(pilot))
        form_text = screen_text(pilot)
        assert "2026-11-25" in form_text  # the date defaults to today
        assert "latest 80 £k, target 60 £k" in form_text
        await pilot.press("6", "0", "enter")  # the value field has the focus; enter saves
        await wait_until(pilot, lambda: "Realised" in line_of(screen_text(pilot), "Licence savings"))
        text = screen_text(pilot)
        line = line_of(text, "Licence savings")
        assert "100 → 60 → 60 £k" in line and " 100% " in line
        assert " ▆▅▁ " in line  # the new point, at the target, is the lowest bar
        assert "Cash 140 of 140 £k realised (100%)" in text
        assert "✔ 2 Realised ■ 0 On track" in text
    with Store.open(hand_db) as s:
        rows = [m for m in s.rows("measurement") if m["value"] == 60.0]
        assert len(rows) == 1 and rows[0]["date"] == "2026-11-25"


async def test_measurement_from_another_connection_appears_live(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        assert "○ No data" in line_of(screen_text(pilot), "Training")
        table = app.screen.query_one("#benefits", DataTable)
        await pilot.press("j")
        cursor_before = table.cursor_row
        with Store.open(hand_db) as other:  # another user's session or a CLI script
            bid = next(b["id"] for b in other.rows("benefit") if b["name"] == "Training")
            other.insert("measurement", {"benefit": bid, "date": "2026-11-20", "value": 20})
        await wait_until(
            pilot, lambda: "Realised" in line_of(screen_text(pilot), "Training"), what="live row"
        )
        text = screen_text(pilot)
        assert " 100% " in line_of(text, "Training")
        assert "✔ 2 Realised" in text and "○ 0 No data" in text
        assert app.screen.query_one("#benefits", DataTable).cursor_row == cursor_before


async def test_portfolio_headline_benefits_figure_is_live(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        # Mean realisation over the four benefits with a figure: (50 + 48 + 47.9 + 100) / 4 = 61.475 %.
        await wait_until(
            pilot, lambda: "Benefits 61% realised" in screen_text(pilot), what="portfolio figure"
        )
        with Store.open(hand_db) as other:
            bid = next(b["id"] for b in other.rows("benefit") if b["name"] == "Satisfaction")
            other.insert("measurement", {"benefit": bid, "date": "2026-11-20", "value": 100})
        # (50 + 100 + 47.9 + 100) / 4 = 74.475 %.
        await wait_until(pilot, lambda: "Benefits 74% realised" in screen_text(pilot), what="the new figure")


async def test_profile_shows_msp_profile_chart_and_measurements(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("enter")  # Downtime, the first row
        await wait_until(pilot, lambda: "Measurements (2)" in screen_text(pilot), what="the profile")
        text = screen_text(pilot)
        assert "Benefit — Downtime" in text
        assert "Owner Olu" in text and "Measure downtime (pts)" in text
        assert "Baseline 0 pts (2026-09-01) → target 100 pts by 2026-12-10" in text
        assert "RED red: benefit threatened" in text
        assert "● actual" in text and "· plan" in text and "╌ trend" in text  # the chart's legend
        assert "trend → 79.5 by 2026-12-10" in text
        assert "100 T ┤" in text and "0 B ┤" in text  # target and baseline marked on the axis
        # Newest first, with each value's realisation.
        assert text.index("2026-10-31  47.9") < text.index("2026-10-21  40")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Benefits (" in screen_text(pilot), what="back on the tracker")


async def test_correct_and_delete_a_measurement_with_confirmation(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Measurements (2)" in screen_text(pilot))
        # Correct the newest (47.9 → 48): the projection reaches 80 % → At risk.
        await pilot.press("e")
        await wait_until(pilot, lambda: "Correct the measurement of 2026-10-31" in screen_text(pilot))
        await pilot.press(*["backspace"] * 4, "4", "8", "enter")
        await wait_until(pilot, lambda: "▲ At risk" in screen_text(pilot), what="the corrected status")
        # Delete it: asked first; "n" keeps it, "y" deletes it.
        await pilot.press("d")
        await wait_until(pilot, lambda: "Delete measurement of 2026-10-31 (48)?" in screen_text(pilot))
        await pilot.press("n")
        await pilot.press("d")
        await wait_until(pilot, lambda: "Delete measurement" in screen_text(pilot))
        await pilot.press("y")
        await wait_until(pilot, lambda: "Measurements (1)" in screen_text(pilot), what="the deletion")
    with Store.open(hand_db) as s:
        assert sorted(m["value"] for m in s.rows("measurement") if m["date"] == day(60)) == [48.0]


async def test_benefit_form_shows_the_stores_validation(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: "New benefit" in screen_text(pilot))
        form = app.screen
        form.query_one("#field-name").value = "Same"
        form.query_one("#field-baseline_value").value = "abc"
        await pilot.pause()
        # Numbers are numbers, checked as you type (the message sits under the field).
        assert "must be a number" in str(form.query_one("#err-baseline_value").render())
        form.query_one("#field-baseline_value").value = "5"
        form.query_one("#field-target_value").value = "5"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "must differ from baseline" in screen_text(pilot), what="target ≠ baseline"
        )
        form.query_one("#field-target_value").value = "9"
        form.query_one("#field-baseline_date").value = "2026-06-01"
        form.query_one("#field-target_date").value = "2026-01-01"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "before baseline_date" in screen_text(pilot), what="dates ordered")
        form.query_one("#field-target_date").value = "2026-12-01"
        form.query_one("#field-projects").value = "GRN, RED"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Benefits (6)" in screen_text(pilot), what="the new benefit")
        assert "⚠ GRN■ RED●" in line_of(screen_text(pilot), "Same")


async def test_open_record_for_benefit_and_measurement(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        model = app.model
        bid = next(b["id"] for b in model.rows("benefit") if b["name"] == "Server refresh")
        app.open_record("benefit", bid)
        await wait_until(pilot, lambda: "Benefit — Server refresh" in screen_text(pilot), what="the profile")
        mid = next(m["id"] for m in model.rows("measurement") if m["value"] == 90.0)
        app.open_record("measurement", mid)
        await wait_until(pilot, lambda: "Benefit — Licence savings" in screen_text(pilot), what="jump")
        table = app.screen.query_one("#measurements", DataTable)
        await wait_until(pilot, lambda: table.cursor_row == 1, what="the measurement selected")


async def test_filter_narrows_the_tracker(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("slash", *"status:risk", "enter")
        await wait_until(pilot, lambda: "Benefits (1 of 5)" in screen_text(pilot))
        text = screen_text(pilot)
        assert "Satisfaction" in text and "Downtime" not in text.split("Benefits (1 of 5)")[1]
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Benefits (5)" in screen_text(pilot))


async def test_s_sorts_both_lists_and_j_walks_from_the_benefits_into_the_dis_benefits(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        benefits = app.screen.query_one("#benefits", RecordTable)
        dis = app.screen.query_one("#dis-benefits", RecordTable)
        await pilot.press("s")  # status → name
        await wait_until(pilot, lambda: "Benefit ▼" in screen_text(pilot), what="the name sort")
        text = screen_text(pilot)
        order = [
            text.index(n)
            for n in ("Downtime", "Licence savings", "Satisfaction", "Server refresh", "Training")
        ]
        assert order == sorted(order)
        assert dis.sort_key == benefits.sort_key == "name"  # one sort for both lists
        assert "Status ▼" not in text
        await pilot.press("s")  # → realisation %: 47.9 (Downtime), 48, 50, 100, then Training (none) last
        await wait_until(pilot, lambda: "Real. ▼" in screen_text(pilot), what="the % sort")
        text = screen_text(pilot)
        order = [
            text.index(n)
            for n in ("Downtime", "Satisfaction", "Licence savings", "Server refresh", "Training")
        ]
        assert order == sorted(order)
        # j from the last benefit moves on to the dis-benefits, k comes back.
        await pilot.press("j", "j", "j", "j")
        assert app.screen.focused is benefits and benefits.cursor_row == 4
        await pilot.press("j")
        assert app.screen.focused is dis
        assert "Support cost" in str(app.screen.query_one("#benefit-summary").render())
        await pilot.press("k")
        assert app.screen.focused is benefits and benefits.cursor_row == 4


async def test_a_new_dis_benefit_is_selected_in_its_own_list_once_saved(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: "New benefit" in screen_text(pilot))
        form = app.screen
        form.query_one("#field-name").value = "Extra support calls"
        form.query_one("#field-kind").value = "dis-benefit"
        form.query_one("#field-baseline_value").value = "0"
        form.query_one("#field-target_value").value = "50"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Dis-benefits (2)" in screen_text(pilot), what="the new dis-benefit")
        dis = app.screen.query_one("#dis-benefits", RecordTable)
        await wait_until(pilot, lambda: app.screen.focused is dis, what="focus on the dis-benefits")
        model = app.model
        new_id = next(b["id"] for b in model.rows("benefit") if b["name"] == "Extra support calls")
        assert dis.selected_id == new_id
        assert "Extra support calls" in str(app.screen.query_one("#benefit-summary").render())


async def test_a_new_measurement_is_selected_in_the_profile(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("enter")  # Downtime: 2026-10-31 (47.9) and 2026-10-21 (40), newest first
        await wait_until(pilot, lambda: "Measurements (2)" in screen_text(pilot))
        table = app.screen.query_one("#measurements", RecordTable)
        assert table.cursor_row == 0
        await pilot.press("m")
        await wait_until(pilot, lambda: "Record a measurement of Downtime" in screen_text(pilot))
        form = app.screen
        form.query_one("#field-date").value = "2026-10-25"  # between the two: the second row
        form.query_one("#field-value").value = "45"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Measurements (3)" in screen_text(pilot), what="the new measurement")
        await wait_until(pilot, lambda: table.cursor_row == 1, what="the new one selected")
        new_id = next(m["id"] for m in app.model.rows("measurement") if m["value"] == 45.0)
        assert table.selected_id == new_id
        text = screen_text(pilot)
        assert text.index("2026-10-31  47.9") < text.index("2026-10-25  45") < text.index("2026-10-21  40")


async def test_profile_lists_the_enabling_projects_and_enter_opens_one(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_benefits(pilot)
        await pilot.press("enter")  # Downtime, enabled by GRN and RED
        await wait_until(
            pilot, lambda: "Enabling projects (2)" in screen_text(pilot), what="the project list"
        )
        text = screen_text(pilot)
        # RED's RAG is overridden to R (starred); both forecast their baseline end: slip 0d.
        assert "GRN   Project GRN" in line_of(text, "Project GRN") and "■ G" in line_of(text, "Project GRN")
        assert "● R*" in line_of(text, "Project RED") and "0d" in line_of(text, "Project RED")
        footer = text.splitlines()[-1]
        assert "e Correct" in footer and "d Delete" in footer
        await pilot.press("tab")  # to the projects: e and d (measurement keys) leave the footer
        linked = app.screen.query_one("#linked-projects", RecordTable)
        assert app.screen.focused is linked
        footer = screen_text(pilot).splitlines()[-1]
        assert "e Correct" not in footer and "d Delete" not in footer and "m Measure" in footer
        await pilot.press("j", "enter")  # RED
        from pgmtui.screens.portfolio import ProjectDetailScreen

        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="the project")
        assert "Project RED" in screen_text(pilot)


async def test_narrow_profile_keeps_the_projects_in_its_text(hand_db: Path) -> None:
    app = PgmApp(hand_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_benefits(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Measurements (2)" in screen_text(pilot), what="the profile")
        text = screen_text(pilot)
        assert "Enabling projects (2)" not in text  # no room for the list at 80 columns
        assert "Enabling projects ⚠ GRN" in text
        linked = app.screen.query_one("#linked-projects", RecordTable)
        assert linked.styles.display == "none" and linked not in app.screen.focus_chain  # tab skips it
