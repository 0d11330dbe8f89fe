"""Pilot tests of the Stakeholders screen (key 9) on the demo programme: the power/interest map
(names in cells, quadrant labels, attitude glyph + letter, gap arrows), logging an engagement from
the map in a few keys, a live change from another process, the register's filter and a profile,
and the comms plan's `m` (sent). The clock is Wednesday 2026-11-25 (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import pgmtui
from pgmtui.app import PgmApp
from pgmtui.screens.forms import RecordForm
from pgmtui.screens.stakeholders import StakeholdersScreen
from pgmtui.screens.stakeholders.detail import StakeholderDetailScreen
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until

SRC = str(Path(pgmtui.__file__).resolve().parent.parent)


async def open_stakeholders(pilot) -> StakeholdersScreen:
    await wait_for_model(pilot)
    await pilot.press("9")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StakeholdersScreen), what="screen 9")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StakeholdersScreen)
    return screen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


async def test_the_map_shows_quadrants_names_attitudes_and_gaps(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stakeholders(pilot)
        text = screen_text(pilot)
        # The demo's 20 stakeholders by quadrant (power/interest threshold 3): 10 + 3 + 6 + 1 = 20.
        for label in ("Manage closely (10)", "Keep satisfied (3)", "Keep informed (6)", "Monitor (1)"):
            assert label in text
        assert "20 stakeholders · * 4 not engaged within cadence · ! 2 risks" in text
        # Attitude as glyph + letter, steps to the wanted attitude, ! risk and * overdue, no colour needed.
        assert "×B Works Council↑2!*" in text  # blocker → neutral: 2 steps, power 4, last contact 23 d (14)
        assert "★C Margaret Hale" in text  # the sponsor: champion, nothing to gain
        assert "○N Meridian Cons…↑1*" in text  # 8 d since contact on a 7-day cadence
        # The power axis runs up the side: the P5 row is above the P1 row.
        assert text.index("P5 Very high") < text.index("P1 Very low")
        # The cursor starts on the cell needing attention most: the CFO, a risk and 11 d overdue.
        assert "Power 5 × interest 2 · Keep satisfied · 1 stakeholder" in text
        row = line_with(text, "Robert Okafor  ")
        assert "−C critic → +S ↑2" in row and "2026-10-15 (41 d)" in row and "! 11 d late" in row


async def test_log_an_engagement_from_the_map_in_a_few_keys(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(demo_db) as s:
        # The demo's people directory may already hold her (issue 13): give her the address then.
        known = next((p for p in s.rows("person") if p["name"] == "Hannah Brooks"), None)
        if known is None:
            s.insert("person", {"name": "Hannah Brooks", "email": "hannah.brooks@example.org"})
        else:
            s.update("person", known["id"], {"email": "hannah.brooks@example.org"})
    # The OS account logging in is Hannah's: the form fills in her directory name as `by`.
    monkeypatch.setattr("pgmtui.services.stakeholders.os_user", lambda: "hannah.brooks")
    app = PgmApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stakeholders(pilot)
        assert "* 4 overdue" in screen_text(pilot)
        generation = app.model.generation
        await pilot.press("l")  # straight from the map: the cell's selected stakeholder, the CFO
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the log form")
        text = screen_text(pilot)
        assert "Log an engagement with Robert Okafor (last contact 41 d ago" in text
        # The form opens with the cursor in the summary (the stakeholder, channel, date and by are filled in).
        await wait_until(
            pilot, lambda: getattr(app.focused, "id", None) == "field-summary", what="the summary"
        )
        await type_text(pilot, "Benefits evidence pack walked through")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholdersScreen), what="the form to close")
        await wait_for_model(pilot, after=generation)
        await wait_until(pilot, lambda: "* 3 overdue" in screen_text(pilot), what="the overdue count to drop")
        row = line_with(screen_text(pilot), "Robert Okafor")
        assert "2026-11-25 (0 d)" in row and "late" not in row
        assert row.lstrip().startswith("!") and "!*" not in row  # still a risk, no longer overdue
    with Store.open(demo_db) as s:
        newest = max(s.rows("engagement"), key=lambda e: e["id"])
    cfo = next(r for r in s_rows(demo_db, "stakeholder") if r["name"] == "Robert Okafor")
    assert newest["stakeholder_id"] == cfo["id"]
    assert (newest["date"], newest["channel"], newest["summary"], newest["by"]) == (
        "2026-11-25",  # today by default
        cfo["channel"],  # their preferred channel by default
        "Benefits evidence pack walked through",
        "Hannah Brooks",
    )


def s_rows(db: Path, kind: str) -> list[dict]:
    with Store.open(db) as s:
        return s.rows(kind)


async def test_a_change_from_another_process_shows_live(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stakeholders(pilot)
        assert "×B Works Council↑2!*" in screen_text(pilot)
        generation = app.model.generation
        env = {**os.environ, "PYTHONPATH": SRC}
        for argv in (
            ["set", "stakeholder", "Works Council", "attitude=critic"],
            ["add", "engagement", "stakeholder=Works Council", "date=2026-11-25", "channel=meeting",
             "summary=Analytics settings agreed"],
        ):  # fmt: skip
            done = subprocess.run(
                [sys.executable, "-m", "pgmtui", "--db", str(demo_db), *argv],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
        await wait_for_model(pilot, after=generation)
        # critic → neutral is one step: no longer a risk; engaged today: no longer overdue.
        await wait_until(
            pilot, lambda: "−C Works Council↑1 " in screen_text(pilot), timeout=5, what="the live change"
        )
        text = screen_text(pilot)
        assert "20 stakeholders · * 3 not engaged within cadence · ! 1 risk" in text
        assert "×B Works Council" not in text


async def test_register_filter_and_a_stakeholders_profile(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stakeholders(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: screen.view == "register", what="the register")
        await pilot.press("slash")
        await type_text(pilot, "is:overdue")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.table("register").row_count == 4, what="the filter")
        text = screen_text(pilot)
        # The four not engaged within cadence, in the register's order (risks first, then most late).
        for name in ("Robert Okafor", "Works Council", "Meridian Consulting", "Paul Whitaker"):
            assert f"{name}  " in text
        assert text.index("Robert Okafor") < text.index("Works Council") < text.index("Meridian")
        assert "★C champion" not in text  # e.g. the sponsor, engaged 2 days ago, is filtered out
        await pilot.press("enter")  # the first row
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderDetailScreen), what="the profile")
        await pilot.pause()
        text = screen_text(pilot)
        assert text.splitlines()[1].startswith(" Robert Okafor — Chief Financial Officer")
        assert "Budget challenge session" in line_with(text, "2026-10-15  ")  # the newer of his two
        assert text.index("Budget challenge session") < text.index("2026-09-02  ")
        assert "Engagement log (newest first)" in text and "Attitude history (audit trail)" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back to the register")
        await pilot.press("escape")  # clears the filter
        await wait_until(pilot, lambda: screen.table("register").row_count == 20, what="all 20 again")


async def test_marking_a_comms_item_sent_moves_its_next_due_on(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stakeholders(pilot)
        assert screen.check_action("sent", ()) is False  # m means nothing on the map
        for _ in range(3):
            await pilot.press("v")
        await wait_until(pilot, lambda: screen.view == "comms", what="the comms plan")
        text = screen_text(pilot)
        assert "Due this week (to Sun 29 Nov): 5 · ! 2 overdue" in text
        first = line_with(text, "Consultation update")
        assert "! 5 d late" in first and "2026-11-20" in first
        generation = app.model.generation
        await pilot.press("m")  # the first row, the most overdue
        await wait_for_model(pilot, after=generation)
        # Fortnightly, due Fri 20 Nov, sent Wed 25th: the next slot of its rhythm is 20 Nov + 14 d = 4 Dec.
        await wait_until(
            pilot,
            lambda: "2026-12-04" in line_with(screen_text(pilot), "Consultation update"),
            what="the new due date",
        )
        assert "Due this week (to Sun 29 Nov): 4 · ! 1 overdue" in screen_text(pilot)
    item = next(c for c in s_rows(demo_db, "communication") if c["message"].startswith("Consultation"))
    assert (item["next_due"], item["version"]) == ("2026-12-04", 2)
