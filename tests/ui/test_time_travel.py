"""`T` in the dashboard: pick a moment (or type one), every screen shows the programme as it stood
then — read-only, the header saying "as of …" — and `T` again returns to live."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pendulum

from pgmtui.app import PgmApp
from pgmtui.screens.forms import RecordForm
from pgmtui.screens.timetravel import TimeTravelScreen
from pgmtui.services.timetravel import end_of_day
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cld_row(pilot) -> str:
    return next(line for line in screen_text(pilot).splitlines() if line.strip().startswith("CLD "))


def toasts(pilot) -> str:
    parts = [line.split("▌", 1)[1] for line in screen_text(pilot).splitlines() if "▌" in line]
    return " ".join(" ".join(parts).split())


async def test_T_goes_back_to_last_friday_read_only_and_back_to_live(demo_db: Path) -> None:
    before = _digest(demo_db)
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        # Live: CLD's forecast slipped to 25 days this week (the demo's stand-up changes).
        assert "+25d" in cld_row(pilot)
        assert screen_text(pilot).splitlines()[0].rstrip().endswith("live")
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TimeTravelScreen), what="the dialog")
        text = screen_text(pilot)
        for pick in ("Last stand-up", "Last Friday", "A month ago"):
            assert pick in text, pick
        # Past gates: by their review where one is recorded (the demo has gate reviews, issue 15).
        assert "Gate review: " in text or "Gate passed: " in text
        await pilot.press("down", "enter")  # Last Friday: Fri 20 Nov, end of day
        await wait_until(pilot, lambda: app.as_of is not None, what="the travel")
        await wait_until(pilot, lambda: "+10d" in cld_row(pilot), what="CLD as it was on Friday")
        header = screen_text(pilot).splitlines()[0]
        assert "as of 20 Nov 2026 · T: live" in header and "Fri 20 Nov 2026" in header
        assert app.read_only and app.model is not None and app.model.today == pendulum.Date(2026, 11, 20)
        # Nothing can be changed in the past: the key is refused with the reason, no form opens.
        app.clear_notifications()
        await pilot.press("e")
        await wait_until(pilot, lambda: "the past cannot be changed" in toasts(pilot), what="the refusal")
        assert not any(isinstance(s, RecordForm) for s in app.screen_stack)
        # Other screens show the same moment: the stand-up compares with Thursday.
        await pilot.press("5")
        await wait_until(pilot, lambda: "(Thu 19 Nov)" in screen_text(pilot), what="the stand-up then")
        await pilot.press("1")
        # T again: back to live.
        await pilot.press("T")
        await wait_until(pilot, lambda: app.as_of is None and "+25d" in cld_row(pilot), what="live again")
        await wait_until(pilot, lambda: screen_text(pilot).splitlines()[0].rstrip().endswith("live"))
        assert not app.read_only
    assert _digest(demo_db) == before


async def test_a_typed_date_and_a_bad_one(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TimeTravelScreen))
        await pilot.press("tab")
        await pilot.press(*"2026-13-01", "enter")
        await wait_until(pilot, lambda: "not a real date" in screen_text(pilot), what="the error")
        assert isinstance(app.screen, TimeTravelScreen)
        dialog = app.screen.query_one("#travel-date")
        dialog.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"2026-10-01 12:00", "enter")
        await wait_until(pilot, lambda: app.as_of is not None, what="the travel")
        assert app.as_of is not None and app.as_of.ts == "2026-10-01T12:00:00.000000Z"
        await wait_until(pilot, lambda: "as of 1 Oct 2026 12:00" in screen_text(pilot).splitlines()[0])
        # escape in the dialog changes nothing
        await pilot.press("T")  # back to live
        await wait_until(pilot, lambda: app.as_of is None)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TimeTravelScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TimeTravelScreen))
        assert app.as_of is None


async def test_started_as_of(demo_db: Path) -> None:
    """`pgmtui --as-of 2026-11-13`: the dashboard opens on that moment."""
    app = PgmApp(demo_db, poll_seconds=0.05, as_of=end_of_day(pendulum.Date(2026, 11, 13)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        assert app.as_of is not None and app.read_only
        await wait_until(pilot, lambda: "as of 13 Nov 2026" in screen_text(pilot).splitlines()[0])
        assert app.model is not None and app.model.today == pendulum.Date(2026, 11, 13)
