"""Pilot tests of the Governance screen (8): keys pressed, screen read. The programme is the one in
tests/governance_data.py, checked on paper: NEW (the worked example, NPV 41 322 → "41k", G),
OLD (unaligned, no case, gate 2 passed with a conditional review and a decision)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.forms import RecordForm
from pgmtui.screens.governance import CaseDetailScreen, GateReadinessScreen, GovernanceScreen
from pgmtui.store import Store
from tests.governance_data import add_governance_programme
from tests.ui.helpers import screen_text, wait_for_model, wait_until


@pytest.fixture
def gov_db(store: Store, db_path: Path) -> Path:
    add_governance_programme(store)
    store.close()
    return db_path


def line_of(text: str, needle: str) -> str:
    """The first line holding `needle`; a needle like " OLD " finds the line that starts with it
    (a table row), not the headline that mentions it."""
    lines = text.splitlines()
    if needle.startswith(" ") and needle.strip():
        word = needle.strip() + " "
        found = next((line for line in lines if line.lstrip().startswith(word)), None)
        if found is not None:
            return found
    return next((line for line in lines if needle in line), "")


async def open_governance(pilot, view: str = "") -> None:
    await wait_for_model(pilot)
    await pilot.press("8")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, GovernanceScreen), what="the screen")
    if view:
        await pilot.press(view)
    await pilot.pause()


async def test_the_alignment_matrix_shows_strengths_and_flags_the_unaligned(gov_db: Path) -> None:
    app = PgmApp(gov_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_governance(pilot)
        await wait_until(pilot, lambda: "⚠ unaligned" in screen_text(pilot), what="the matrix")
        text = screen_text(pilot)
        assert "▸a Alignment◂" in text
        assert "1 objectives · 2 projects · ⚠ 1 unaligned: OLD" in text
        new = line_of(text, " NEW ")
        assert "●●●" in new and " 6 " in new and "1 direct" in new  # weight 2 × strength 3
        assert "⚠ unaligned" in line_of(text, " OLD ")
        # The detail pane names the objective and the note of the selected project (NEW, first).
        assert "●●● GROW Grow the business — new channel" in text


async def test_an_overspend_from_another_connection_turns_the_case_and_the_project_red(gov_db: Path) -> None:
    app = PgmApp(gov_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_governance(pilot, "b")
        await wait_until(pilot, lambda: "41k" in line_of(screen_text(pilot), " NEW "), what="the case")
        new = line_of(screen_text(pilot), " NEW ")
        assert "■ G" in new and "20%" in new and "2.7y" in new
        table = app.screen.query_one("#cases")
        cursor = table.cursor_row
        with Store.open(gov_db) as other:  # another user, or a script
            other.update("project", "NEW", {"actual_cost": 550_000, "percent_complete": 50})
        # EAC 1 100 000 → NPV −58 677.69 → "-59k", viability R; ROI 9 %, payback 2.8 years.
        await wait_until(pilot, lambda: "-59k" in line_of(screen_text(pilot), " NEW "), what="live NPV")
        new = line_of(screen_text(pilot), " NEW ")
        assert "● R" in new and "9%" in new and "2.8y" in new
        assert table.cursor_row == cursor  # the refresh kept the cursor
        assert "NPV -58 678 is below zero" in screen_text(pilot)
        # The portfolio shows it at once: NEW is Red (its cost alone, 10 % over, would be Amber), and
        # the project's evidence says why.
        await pilot.press("1")
        await wait_until(pilot, lambda: "● R" in line_of(screen_text(pilot), " NEW "), what="NEW red")
        app.open_record("project", 1)  # NEW's detail (the cursor stayed on OLD, Red first before)
        await wait_until(
            pilot,
            lambda: "business case: NPV -58 678 over 3 y at 10 % (EAC 1 100 000)" in screen_text(pilot),
            what="the project's evidence",
        )


async def test_a_gate_review_is_recorded_from_the_calendar(gov_db: Path) -> None:
    app = PgmApp(gov_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_governance(pilot, "c")
        await wait_until(pilot, lambda: "⚠ none booked" in screen_text(pilot), what="the calendar")
        text = screen_text(pilot)
        assert "⚠ 1 without a review: NEW:Gate 1" in text
        assert "in 10d" in line_of(text, "2026-12-05")
        assert "conditional    2026-06-01  #1" in line_of(text, "OLD:Gate 2")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the review form")
        form_text = screen_text(pilot)
        assert "Review of NEW:Gate 1" in form_text and "2026-11-25" in form_text
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: "pending      2026-11-25" in line_of(screen_text(pilot), "2026-12-05"),
            what="the review",
        )
        assert "without a review" not in screen_text(pilot)
    with Store.open(gov_db) as s:
        [review] = [r for r in s.rows("gate_review") if r["review_date"] == "2026-11-25"]
        assert (review["milestone_id"], review["outcome"]) == (1, "pending")


async def test_gate_readiness_shows_the_evidence_and_the_linked_decision(gov_db: Path) -> None:
    app = PgmApp(gov_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_governance(pilot, "c")
        await wait_until(pilot, lambda: "OLD:Gate 2" in screen_text(pilot), what="the calendar")
        await pilot.press("j", "enter")  # the passed gate, second row
        await wait_until(pilot, lambda: isinstance(app.screen, GateReadinessScreen), what="readiness")
        await pilot.pause()
        text = screen_text(pilot)
        assert "OLD:Gate 2  2026-06-01 (passed)" in text
        assert "last review: conditional on 2026-06-01: Retire the old servers by March" in text
        assert "business case: no business case recorded" in text
        review = line_of(text, "2026-06-01  conditional")
        assert "#1 Proceed to build (made)" in review
        await pilot.press("enter")  # the decision the review links to, on its own screen
        await wait_until(pilot, lambda: app.current_mode == "risks", what="the decision's screen")


async def test_a_business_case_opens_with_its_years_and_chart(gov_db: Path) -> None:
    app = PgmApp(gov_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_governance(pilot, "b")
        await wait_until(pilot, lambda: "41k" in screen_text(pilot), what="the cases")
        assert "█ benefits  ░ costs  • cumulative net  NEW: cash flow by year from 2027-01-01" in screen_text(
            pilot
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen), what="the case")
        await pilot.pause()
        text = screen_text(pilot)
        assert "NPV 41k  ROI 20.0%  Payback 2.7y  Base 2027-01-01, 3 years at 10 % (case rate)" in text
        assert "+600k/yr × 100% from 2028-01-01  Savings" in text
        year0 = line_of(text, " 2027-01-01 ")
        assert "1.00m" in year0 and "-1.00m" in year0
        assert "█ benefits" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, GovernanceScreen), what="back")


async def test_a_contribution_added_from_the_matrix_aligns_the_project(gov_db: Path) -> None:
    app = PgmApp(gov_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_governance(pilot)
        await wait_until(pilot, lambda: "⚠ unaligned" in screen_text(pilot), what="the matrix")
        await pilot.press("j", "n")  # OLD, then a new contribution for it
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the form")
        assert app.screen.query_one("#field-project").value == "OLD"
        await pilot.press(*"GROW")  # the first field (objective) has the focus
        app.screen.query_one("#field-strength").value = "2"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "⚠ unaligned" not in screen_text(pilot), what="the new link")
        assert "●●" in line_of(screen_text(pilot), " OLD ")
        assert "every project serves an objective" in screen_text(pilot)


async def test_keys_that_do_nothing_in_a_view_are_not_offered(gov_db: Path) -> None:
    app = PgmApp(gov_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_governance(pilot)
        footer = screen_text(pilot).splitlines()[-1]
        assert "e Edit" not in footer and "a Alignment" not in footer and "b Cases" in footer
        await pilot.press("b")  # NEW's case is recorded: it can be edited
        await wait_until(pilot, lambda: "e Edit" in screen_text(pilot).splitlines()[-1], what="edit offered")
        await pilot.press("j")  # OLD has no case: nothing to edit, n records one
        await wait_until(pilot, lambda: "e Edit" not in screen_text(pilot).splitlines()[-1], what="no edit")
        await pilot.press("v")  # next view: the gates
        await wait_until(pilot, lambda: "▸c Gate calendar◂" in screen_text(pilot), what="the gates")


async def test_palette_jumps_open_a_gate_review_and_a_business_case(gov_db: Path) -> None:
    app = PgmApp(gov_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        app.open_record("gate_review", 1)
        await wait_until(pilot, lambda: isinstance(app.screen, GateReadinessScreen), what="the gate")
        assert app.screen.milestone_id == 3  # OLD:Gate 2
        await pilot.press("escape")
        app.open_record("business_case", 1)
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen), what="the case")
        assert app.screen.project_id == 1


async def test_read_only_refuses_new_and_still_drills_in(gov_db: Path) -> None:
    app = PgmApp(gov_db, read_only=True)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await open_governance(pilot, "c")
        await pilot.press("n")
        await wait_until(pilot, lambda: "opened read-only" in screen_text(pilot), what="the refusal")
        assert not isinstance(app.screen, RecordForm)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, GateReadinessScreen), what="readiness")


async def test_readable_at_80_columns_without_colour(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = PgmApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_governance(pilot)
        await wait_until(pilot, lambda: "SVD" in screen_text(pilot), what="the matrix")
        text = screen_text(pilot)
        assert "⚠ unaligned" in line_of(text, " SVD ")
        assert "●●●" in line_of(text, " CLD ") and "○○○" in line_of(text, " SEC ")
        await pilot.press("b")
        await wait_until(pilot, lambda: "▸b Business cases◂" in screen_text(pilot), what="cases")
        text = screen_text(pilot)
        assert "● R" in line_of(text, " ERP ") and "▲ A" in line_of(text, " CLD ")  # glyph and letter
        assert "█ benefits  ░ costs  • cumulative net" in text
        await pilot.press("c")
        await wait_until(pilot, lambda: "⚠ none booked" in screen_text(pilot), what="gates")
        assert all(len(line) <= 80 for line in screen_text(pilot).splitlines())
