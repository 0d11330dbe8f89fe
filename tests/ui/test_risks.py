"""Pilot tests of the Risks screen (key 3): heatmap counts, inherent/residual, drill-in, editing by
keyboard, live re-scores from another connection, and agreement with the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pendulum
import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.forms import RecordForm
from pgmtui.screens.risks import RescoreScreen, RiskDetailScreen, RisksScreen
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until

CELL = re.compile(r"\b([LMHC]) (\d+|·)")
BEFORE_STANDUP = pendulum.datetime(2026, 11, 2, 9, 0, tz="UTC")  # well before Tuesday's stand-up window


def grid(text: str) -> dict[tuple[int, int], int]:
    """Read the 25 counts off the screen, as a person would."""
    out: dict[tuple[int, int], int] = {}
    for line in text.splitlines():
        m = re.match(r"\s*P(\d) ", line)
        if not m or "×" in line:  # "P3 Possible × I3 …" is the cell title, not a grid row
            continue
        found = CELL.findall(line)
        assert len(found) == 5, line
        for i, (_letter, n) in enumerate(found, start=1):
            out[(int(m.group(1)), i)] = 0 if n == "·" else int(n)
    assert len(out) == 25, text
    return out


def band_letters(text: str) -> dict[tuple[int, int], str]:
    out = {}
    for line in text.splitlines():
        m = re.match(r"\s*P(\d) ", line)
        if m and "×" not in line:
            for i, (letter, _n) in enumerate(CELL.findall(line), start=1):
                out[(int(m.group(1)), i)] = letter
    return out


def nonzero(g: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    return {c: n for c, n in g.items() if n}


@pytest.fixture
def raid_db(small_programme: Store, db_path: Path) -> dict[str, int]:
    """The hand-made register of tests/test_heatmap_unit.py, written before the last stand-up."""
    s = small_programme
    with s.acting(user="pmo", at=BEFORE_STANDUP):
        ids = {
            "r1": s.insert(
                "risk",
                {
                    "project": "IAM",
                    "title": "Vendor exits the market",
                    "cause": "Single supplier",
                    "event": "Supplier withdraws the product",
                    "effect": "Replatforming cost",
                    "owner": "Asha Patel",
                    "category": "Commercial",
                    "probability": 4,
                    "impact": 5,
                    "residual_probability": 2,
                    "residual_impact": 3,
                    "response": "reduce",
                    "review_date": "2026-11-20",
                },
            ),
            "r2": s.insert(
                "risk", {"project": "IAM", "title": "Directory outage", "probability": 4, "impact": 5}
            ),
            "r3": s.insert(
                "risk",
                {
                    "project": "CLD",
                    "title": "Egress costs",
                    "probability": 3,
                    "impact": 3,
                    "residual_probability": 1,
                },
            ),
            "r4": s.insert(
                "risk",
                {
                    "project": "CLD",
                    "title": "Old closed risk",
                    "probability": 2,
                    "impact": 2,
                    "status": "closed",
                },
            ),
            "r5": s.insert("risk", {"title": "Funding cut", "probability": 1, "impact": 5}),
        }
    return ids


RESIDUAL = {(2, 3): 1, (4, 5): 1, (1, 3): 1, (1, 5): 1}
INHERENT = {(4, 5): 2, (3, 3): 1, (1, 5): 1}


async def open_risks(pilot) -> RisksScreen:
    await wait_for_model(pilot)
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RisksScreen), what="the risks screen")
    await pilot.pause()
    return pilot.app.screen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def test_counts_per_cell_match_the_hand_made_register(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        text = screen_text(pilot)
        assert "Residual view · 4 open risks" in text
        assert nonzero(grid(text)) == RESIDUAL
        assert nonzero(screen.heatmap.counts) == RESIDUAL
        letters = band_letters(text)  # every cell labelled with its band, readable without colour
        assert letters[(1, 1)] == "L" and letters[(2, 3)] == "M" and letters[(2, 5)] == "H"
        assert letters[(5, 5)] == "C" and letters[(3, 5)] == "C"
        # Filters: programme-level only, then one project, then closed ones.
        await pilot.press("slash")
        await type_text(pilot, "project:programme")
        await pilot.press("enter")
        await pilot.pause()
        assert nonzero(grid(screen_text(pilot))) == {(1, 5): 1}
        screen.query_one("#risk-filter").value = "project:CLD status:all"
        await pilot.pause()
        assert nonzero(grid(screen_text(pilot))) == {(1, 3): 1, (2, 2): 1}
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert nonzero(grid(screen_text(pilot))) == RESIDUAL


async def test_toggling_inherent_residual_moves_a_risk(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(pilot)
        assert nonzero(grid(screen_text(pilot))) == RESIDUAL
        await pilot.press("i")
        await pilot.pause()
        text = screen_text(pilot)
        assert "Inherent view" in text
        g = grid(text)
        assert nonzero(g) == INHERENT
        assert g[(2, 3)] == 0 and g[(4, 5)] == 2  # "Vendor exits the market" moved back to 4×5
        await pilot.press("i")
        await pilot.pause()
        assert nonzero(grid(screen_text(pilot))) == RESIDUAL


async def test_drill_in_lists_exactly_the_cells_risks_and_opens_one(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        await pilot.press("i", "up", "right", "l")  # inherent view, cursor 3×3 → 4×5
        await pilot.pause()
        assert screen.heatmap.cursor == (4, 5)
        await pilot.press("enter")
        await pilot.pause()
        table = screen.query_one("#cell-risks")
        assert table.has_focus
        assert sorted(table.order) == sorted([raid_db["r1"], raid_db["r2"]])
        text = screen_text(pilot)
        assert "Vendor exits the market" in text and "Directory outage" in text
        assert "Funding cut" not in text and "Egress costs" not in text
        assert "20 → 6" in text  # inherent → residual
        assert "! 2026-11-20" in text  # overdue review flagged
        # open the highlighted risk (the worst residual first: Directory outage 20 → 20), then the other
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RiskDetailScreen), what="risk detail")
        await wait_until(pilot, lambda: "logged" in screen_text(pilot), what="score history")
        text = screen_text(pilot)
        assert "Vendor exits the market" in text
        assert "Supplier withdraws the product" in text and "Replatforming cost" in text
        assert "Response reduce" in text
        assert "P4×I5=20 → P2×I3=6" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RisksScreen)


async def test_new_risk_by_keyboard_lands_in_its_cell_and_the_portfolio(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        before = re.search(r"Open risks\s+C (\d+)\s+H (\d+)", screen_text(pilot))
        critical_before = int(before.group(1))
        await open_risks(pilot)
        await pilot.press("up", "right")  # cursor on 4×4 (residual view)
        assert grid(screen_text(pilot))[(4, 4)] == 0
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the risk form")
        await type_text(pilot, "IAM")  # the project field has focus first
        await pilot.press("tab")
        await type_text(pilot, "Token signing key leaks")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the form to close")
        await wait_until(pilot, lambda: grid(screen_text(pilot))[(4, 4)] == 1, what="the new risk in 4×4")
        text = screen_text(pilot)
        assert "Token signing key leaks" in text
        assert "+1" in text  # logged since the stand-up
        await pilot.press("1")
        await wait_until(pilot, lambda: "Open risks" in screen_text(pilot), what="the portfolio")
        after = re.search(r"Open risks\s+C (\d+)\s+H (\d+)", screen_text(pilot))
        assert int(after.group(1)) == critical_before + 1
        iam = next(p for p in app.model.rollup.projects if p.code == "IAM")
        assert iam.risks_by_band["Critical"] == 2
        iam_line = next(line for line in screen_text(pilot).splitlines() if line.strip().startswith("IAM"))
        assert " C 2 " in iam_line  # the H/C column of the portfolio


async def test_rescore_from_another_connection_moves_live_with_a_trend_mark(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        assert grid(screen_text(pilot))[(1, 3)] == 1
        generation = app.model.generation
        with Store.open(db_path) as other, other.acting(user="ben"):
            version = other.get("risk", raid_db["r3"])["version"]
            other.update(
                "risk",
                raid_db["r3"],
                {"residual_probability": 3, "residual_impact": 5},
                expected_version=version,
            )
        await wait_for_model(pilot, after=generation)
        await wait_until(
            pilot, lambda: grid(screen_text(pilot))[(3, 5)] == 1, timeout=2, what="the live move"
        )
        text = screen_text(pilot)
        assert grid(text)[(1, 3)] == 0
        line = next(line for line in text.splitlines() if line.strip().startswith("P3 "))
        assert "C 1 ↑1" in line
        assert "↑1 ↓0" in text  # the summary counts it too
        assert screen.heatmap.trends[(3, 5)] == (1, 0, 0)
        # Only the residual score moved: in the inherent view the same risk has no trend mark.
        await pilot.press("i")
        await wait_until(pilot, lambda: "Inherent view" in screen_text(pilot), what="the inherent view")
        assert "↑0 ↓0" in screen_text(pilot)


async def test_rescore_modal_by_keyboard_and_out_of_range(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(pilot)
        await pilot.press("up", "right", "right")  # 4×5 residual: "Directory outage"
        await pilot.press("enter")
        assert screen.selected_risk_id() == raid_db["r2"]
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, RescoreScreen), what="the re-score modal")
        await pilot.press("r")  # re-score the residual score: starts on residual P
        await pilot.press("7")
        assert "must be from 1 to 5" in screen_text(pilot)
        await pilot.press("1", "2", "enter")  # residual P1 × I2
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the modal to close")
        await wait_until(pilot, lambda: grid(screen_text(pilot))[(1, 2)] == 1, what="the risk to move")
        row = app.model.row("risk", raid_db["r2"])
        assert (row["residual_probability"], row["residual_impact"]) == (1, 2)
        assert row["version"] == 2


async def test_probability_out_of_range_is_refused_in_the_form(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_risks(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the risk form")
        form = app.screen
        await pilot.press("tab")
        await type_text(pilot, "Out of range")
        form.query_one("#field-probability").focus()
        await pilot.press("ctrl+a", "backspace", "7")  # typed by keyboard
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(pilot)
        assert "probability must be at most 5, got 7" in text
        assert "Not saved" in text or "Fix the fields" in text
        assert isinstance(app.screen, RecordForm)
        assert not any(r["title"] == "Out of range" for r in app.model.rows("risk"))


async def test_response_list_follows_threat_or_opportunity(raid_db, db_path: Path) -> None:
    from textual.widgets import Select

    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_risks(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the risk form")
        form = app.screen
        response = form.query_one("#field-response", Select)
        assert [v for _, v in response._options if v is not Select.NULL] == [
            "avoid",
            "reduce",
            "fallback",
            "transfer",
            "share",
            "accept",
        ]
        form.query_one("#field-kind", Select).value = "opportunity"
        await pilot.pause()
        assert [v for _, v in response._options if v is not Select.NULL] == [
            "exploit",
            "enhance",
            "share",
            "reject",
        ]


async def test_markup_in_risk_text_shows_literally(raid_db, db_path: Path, store: Store) -> None:
    title = "[bold red]Boom[/] \\[x] [link=http://e.vil]y[/link]"
    rid = store.insert("risk", {"title": title, "probability": 2, "impact": 2, "cause": "[i]why[/i]"})
    app = PgmApp(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_risks(pilot)
        screen.open_record("risk", rid)
        await wait_until(pilot, lambda: isinstance(app.screen, RiskDetailScreen), what="risk detail")
        await pilot.pause()
        text = screen_text(pilot)
        assert title in text
        assert "[i]why[/i]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert screen.heatmap.cursor == (2, 2)
        assert title in screen_text(pilot)


async def test_raid_lists_new_and_close(raid_db, db_path: Path, store: Store) -> None:
    store.insert("issue", {"title": "Firewall change stuck", "project": "IAM", "due_date": "2026-11-01"})
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        await pilot.press("v", "v")  # Heatmap → Register → Issues
        await pilot.pause()
        assert screen.view == "issue"
        text = screen_text(pilot)
        assert "Firewall change stuck" in text and "! 2026-11-01" in text  # overdue flagged
        await pilot.press("c")
        await wait_until(pilot, lambda: app.model.rows("issue")[0]["status"] == "closed", what="closed")
        await pilot.press("v")  # Assumptions
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the assumption form")
        await pilot.press("tab")
        await type_text(pilot, "Licences arrive in time")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(app.model.rows("assumption")) == 1, what="the assumption")
        await wait_until(pilot, lambda: "Licences arrive in time" in screen_text(pilot), what="the list")
        assert app.model.rows("assumption")[0]["raised_date"] == "2026-11-25"


async def test_screen_agrees_with_cli_list_and_rollup(demo_db: Path, capsys) -> None:
    from pgmtui.cli import main

    assert main(["--db", str(demo_db), "list", "risk", "--json"]) == 0
    risks = json.loads(capsys.readouterr().out)
    assert main(["--db", str(demo_db), "rollup", "--json"]) == 0
    rollup = json.loads(capsys.readouterr().out)
    expected: dict[tuple[int, int], int] = {}
    for r in risks:
        if r["status"] != "open":
            continue
        p = r["residual_probability"] or r["probability"]
        i = r["residual_impact"] or r["impact"]
        expected[(p, i)] = expected.get((p, i), 0) + 1
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        text = screen_text(pilot)
        assert nonzero(grid(text)) == expected
        # The rollup rates opportunities apart from threats (issue 19); this screen lists every open
        # risk, opportunities included: its counts are the rollup's plus the open opportunities.
        from pgmtui.domain.risk import DEFAULT_BANDS

        by_band = dict(rollup["programme"]["risks"]["by_band"])
        for r in risks:
            if r["status"] == "open" and r["kind"] == "opportunity":
                p = r["residual_probability"] or r["probability"]
                i = r["residual_impact"] or r["impact"]
                by_band[DEFAULT_BANDS.band(p * i)] += 1
        n_open = rollup["programme"]["risks"]["open"] + rollup["programme"]["risks"]["open_opportunities"]
        assert f"{n_open} open risks" in text
        summary = re.search(r"C (\d+)\s+H (\d+)\s+M (\d+)\s+L (\d+)", text)
        assert summary.groups() == tuple(str(by_band[b]) for b in ("Critical", "High", "Medium", "Low"))
        # And per project: filtering on IAM gives the rollup's IAM counts.
        iam = next(p for p in rollup["projects"] if p["code"] == "IAM")
        screen.query_one("#risk-filter").value = "project:IAM"
        await pilot.pause()
        text = screen_text(pilot)
        summary = re.search(r"C (\d+)\s+H (\d+)\s+M (\d+)\s+L (\d+)", text)
        iam_bands = dict(iam["risks"]["by_band"])
        for r in risks:  # IAM's open opportunity ('Retire legacy VPN after SSO', 3×3 = 9 Medium)
            if r["status"] == "open" and r["kind"] == "opportunity" and r.get("project_id") == iam["id"]:
                p = r["residual_probability"] or r["probability"]
                i = r["residual_impact"] or r["impact"]
                iam_bands[DEFAULT_BANDS.band(p * i)] += 1
        assert summary.groups() == tuple(str(iam_bands[b]) for b in ("Critical", "High", "Medium", "Low"))
        assert sum(grid(text).values()) == iam["risks"]["open"] + iam["risks"]["open_opportunities"]


async def test_register_updates_in_place_keeps_the_cursor_and_sorts_by_key(raid_db, db_path: Path) -> None:
    r1, r2, r3, r5 = raid_db["r1"], raid_db["r2"], raid_db["r3"], raid_db["r5"]
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        await pilot.press("t")
        await pilot.pause()
        register = screen.query_one("#register")
        # Open risks by residual score: r2 4×5=20, r1 2×3=6, r5 1×5=5, r3 1×3=3.
        assert register.order == [r2, r1, r5, r3]
        assert "Res ▼" in screen_text(pilot)
        await pilot.press("down")
        assert screen.selected_risk_id() == r1
        generation = app.model.generation
        with Store.open(db_path) as other, other.acting(user="ben"):
            other.update("risk", r3, {"residual_probability": 5, "residual_impact": 5}, expected_version=1)
            other.update("risk", r5, {"owner": "Carol Jones"}, expected_version=1)
        await wait_for_model(pilot, after=generation)
        await wait_until(pilot, lambda: "Carol Jones" in screen_text(pilot), what="the new owner")
        assert register.order == [r3, r2, r1, r5]  # r3 now 5×5=25 on top
        assert screen.selected_risk_id() == r1  # the cursor followed its risk
        line = next(line for line in screen_text(pilot).splitlines() if "Egress costs" in line)
        assert "25 C" in line and "↑" in line
        await pilot.press("S")  # reverse: lowest residual first
        await pilot.pause()
        assert register.order == [r5, r1, r2, r3]
        assert "Res ▲" in screen_text(pilot)
        assert screen.selected_risk_id() == r1


async def test_a_new_raid_item_is_selected_when_it_arrives(raid_db, db_path: Path, store: Store) -> None:
    store.insert("issue", {"title": "Firewall change stuck", "priority": "high"})
    store.insert("issue", {"title": "Licence server slow", "priority": "critical"})
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        await pilot.press("v", "v")  # Issues
        await pilot.pause()
        table = screen.query_one("#issue-table")
        assert table.selected_id == 2  # critical first
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the issue form")
        await pilot.press("tab")
        await type_text(pilot, "Test data missing")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(app.model.rows("issue")) == 3, what="the new issue")
        await wait_until(pilot, lambda: table.selected_id == 3, what="the cursor on the new issue")
        assert table.order == [2, 1, 3]  # critical, high, then the new one without a priority
        assert "Issue #3 Test data missing" in screen_text(pilot)  # its detail under the list


async def test_palette_offers_the_views_and_only_the_actions_that_work_here(raid_db, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(pilot)
        commands = {c.title: c for c in screen.palette_commands()}
        views = {"Risk heatmap", "Risk register", "RAID: Issues", "RAID: Assumptions", "RAID: Decisions"}
        assert views <= set(commands)
        assert {"Re-score risk", "Toggle inherent / residual", "Filter risks", "New risk / RAID item"} <= set(
            commands
        )
        assert commands["Risk register"].help == "Sortable list of all risks (t)"
        assert commands["Re-score risk"].help.endswith("(p)")
        commands["RAID: Decisions"].callback()
        await pilot.pause()
        assert screen.view == "decision"
        here = {c.title for c in screen.palette_commands()}
        # No scores on the RAID lists: neither re-scoring nor the inherent/residual flip is offered,
        # and the footer no longer shows their keys.
        assert "Re-score risk" not in here and "Toggle inherent / residual" not in here
        await wait_until(pilot, lambda: "c Close" in screen_text(pilot).splitlines()[-1], what="the footer")
        footer = screen_text(pilot).splitlines()[-1]
        assert "Re-score" not in footer and "Inh/Res" not in footer and "c Close" in footer
