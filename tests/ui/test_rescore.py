"""The re-score pop-up (issue 19): it asks which score first, always starts on that score's P, never
wraps round to the other score, warns before residual above inherent, never writes a score that
was not changed on purpose, and offers to move an overdue review date in the same audited write.

The register is tests/ui/test_risks.py's (PGMTUI_TODAY = 2026-11-25): r1 "Vendor exits the market"
is 4×5 inherent, 2×3 residual, review date 2026-11-20 (overdue); r2 "Directory outage" is 4×5 with
no residual values and no review date."""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from pgmtui.screens.risks import RescoreScreen, RisksScreen
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_until
from tests.ui.test_risks import open_risks, raid_db  # noqa: F401  (raid_db is a fixture)


async def open_rescore(pilot, rid: int) -> RescoreScreen:
    screen = await open_risks(pilot)
    screen.rescore_risk(rid)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RescoreScreen), what="the re-score pop-up")
    await pilot.pause()
    return pilot.app.screen


def risk_row(db_path: Path, rid: int) -> dict:
    with Store.open(db_path) as s:
        return s.get("risk", rid)


def audit_rows(db_path: Path, rid: int) -> list[dict]:
    with Store.open(db_path) as s:
        return s.audit(table="risk", row_id=rid)


async def test_asks_which_score_first_and_starts_on_its_probability(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_rescore(pilot, raid_db["r1"])
        assert "Re-score which score?" in screen_text(pilot)
        await pilot.press("3")  # no score chosen yet: nothing changes
        assert "Choose first" in screen_text(pilot)
        assert modal.values["probability"] == 4
        await pilot.press("r")
        assert modal.slot == 2  # residual P, whatever the risk
        assert "Residual P ▸2◂" in screen_text(pilot)
        await pilot.press("i")
        assert modal.slot == 0  # inherent P
        assert "Inherent P ▸4◂" in screen_text(pilot)


async def test_moving_never_wraps_round_to_the_other_score(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_rescore(pilot, raid_db["r1"])
        await pilot.press("r", "right", "right", "tab")  # residual P → residual I, then stays
        assert modal.slot == 3
        assert "Residual I is the last value of the residual score" in screen_text(pilot)
        await pilot.press("1")  # sets residual I; the highlight stays on it
        assert modal.slot == 3 and modal.values["residual_impact"] == 1
        assert modal.values["probability"] == 4  # inherent P untouched
        await pilot.press("left", "left", "shift+tab")
        assert modal.slot == 2
        assert "first value of the residual score" in screen_text(pilot)


async def test_only_the_chosen_score_is_written_and_unchanged_means_no_write(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_rescore(pilot, raid_db["r2"])
        # Inherent changed by mistake, then the user switches to the residual score: the inherent
        # values go back to the saved ones.
        await pilot.press("i", "2", "r")
        assert modal.values["probability"] == 4
        await pilot.press("enter")  # residual untouched: nothing to save
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the pop-up to close")
        assert any("unchanged; nothing saved" in n.message for n in app._notifications)
    row = risk_row(db_path, raid_db["r2"])
    assert row["version"] == 1 and (row["probability"], row["impact"]) == (4, 5)
    assert [a["action"] for a in audit_rows(db_path, raid_db["r2"])] == ["insert"]


async def test_residual_above_inherent_warns_and_asks_to_confirm(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_rescore(pilot, raid_db["r1"])
        # Inherent 4×5 = 20; residual 5×5 = 25 would be worse than doing nothing.
        await pilot.press("r", "5", "5", "m", "enter")
        text = screen_text(pilot)
        assert "Residual 25 is above inherent 20" in text
        assert isinstance(app.screen, RescoreScreen)
        assert risk_row(db_path, raid_db["r1"])["version"] == 1  # nothing written yet
        await pilot.press("enter")  # confirmed
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the pop-up to close")
    row = risk_row(db_path, raid_db["r1"])
    assert (row["residual_probability"], row["residual_impact"]) == (5, 5)
    assert row["review_date"] == "2026-11-20"  # `m` turned the move off


async def test_changing_a_value_after_the_warning_asks_again(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_rescore(pilot, raid_db["r1"])
        await pilot.press("r", "5", "5", "enter")
        assert modal.confirm_above
        await pilot.press("4")  # residual I back to 4: 5×4 = 20, not above 20 any more
        assert not modal.confirm_above
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the pop-up to close")
    row = risk_row(db_path, raid_db["r1"])
    assert (row["residual_probability"], row["residual_impact"]) == (5, 4)


async def test_overdue_review_date_moves_in_the_same_audited_write(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_rescore(pilot, raid_db["r1"])
        text = screen_text(pilot)
        # 2026-11-25 + 14 days = 2026-12-09 (25 + 14 = 39 = 30 days of November + 9).
        assert "Review date 2026-11-20 is overdue" in text
        assert "[x] move it to 2026-12-09" in text
        await pilot.press("r", "1", "enter")  # residual 1×3
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the pop-up to close")
    row = risk_row(db_path, raid_db["r1"])
    assert (row["residual_probability"], row["residual_impact"], row["review_date"]) == (1, 3, "2026-12-09")
    assert row["version"] == 2  # one write
    last = audit_rows(db_path, raid_db["r1"])[-1]
    assert last["action"] == "update"
    assert set(last["changes"]) >= {"residual_probability", "review_date"}
    assert not set(last["changes"]) & {"probability", "impact", "residual_impact"}


async def test_no_review_offer_when_not_overdue(raid_db, db_path: Path) -> None:  # noqa: F811
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_rescore(pilot, raid_db["r2"])
        assert "Review date" not in screen_text(pilot)  # no offer to move a date
        await pilot.press("i", "m")
        assert "not overdue" in screen_text(pilot)
        assert "review_date" not in modal.changes()
