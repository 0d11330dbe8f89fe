"""Pilot tests of the roadmap (Dependencies screen, `v`): keys pressed, screen read.

The hand-made network of tests/ui/test_dependencies.py (today Wed 2026-11-25): AAA:A1 Jan 1,
AAA:A2 Jan 22 (baseline Jan 10) feeding BBB:B2 Jan 20 7 days late, BBB:B1 Jan 5, CCC:C1 Jan 25,
CCC:C2 Feb 10 (the programme end). At the months zoom (a column per two days from 1 Nov) A2 sits
in column (61 + 21) // 2 = 41 and its baseline in (61 + 9) // 2 = 35.
"""

from __future__ import annotations

from pathlib import Path

from pgmtui.app import PgmApp
from pgmtui.screens.dependencies import DependenciesScreen
from pgmtui.screens.dependencies.panel import KnockOnPanel
from pgmtui.screens.dependencies.roadmap_widget import RoadmapView
from pgmtui.screens.portfolio import ProjectDetailScreen
from tests.ui import test_dependencies
from tests.ui.helpers import screen_text, wait_until
from tests.ui.test_dependencies import audit_count, open_deps

network_db = test_dependencies.network_db  # the same hand-made network, as a fixture here


def lane_text(pilot, code: str) -> str:
    return next(line for line in screen_text(pilot).splitlines() if line.startswith(code + " "))


async def open_roadmap(pilot) -> DependenciesScreen:
    screen = await open_deps(pilot)
    await pilot.press("v")
    await wait_until(pilot, lambda: screen.roadmap.roadmap is not None, what="the roadmap")
    await pilot.pause()
    return screen


async def test_v_toggles_board_and_roadmap_and_the_title_says_which(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_roadmap(pilot)
        text = screen_text(pilot)
        assert text.splitlines()[0].startswith(" pgmtui  Roadmap  │")
        assert "View roadmap · months" in text
        assert screen.query_one("#deps-views").current == "deps-roadmap"
        roadmap = screen.roadmap
        assert roadmap.has_focus
        window = roadmap.first_column
        # AAA: A2 ● at column 41, its baseline ○ at 35 (A2 is a milestone, not a gate).
        aaa = lane_text(pilot, "AAA")
        label = roadmap.label_width
        assert aaa[label + 41 - window] == "●" and aaa[label + 35 - window] == "○"
        # BBB: B2 (Jan 20 → col 40) has a late dependency in: ! beside it.
        bbb = lane_text(pilot, "BBB")
        assert bbb[label + 40 - window] == "●" and "!" in bbb
        # Today's line: 25 Nov = 24 days → column 12, in every lane.
        assert aaa[label + 12 - window] == "│"
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(pilot)
        assert text.splitlines()[0].startswith(" pgmtui  Dependencies  │")
        assert "View board" in text and screen.board.has_focus


async def test_zoom_scroll_and_today(network_db: Path) -> None:
    app = PgmApp(network_db)
    written = audit_count(network_db)
    # 60 columns: the weeks' axis (Mon 23 Nov to Mon 22 Feb, 91 columns) is wider than the window.
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await open_roadmap(pilot)
        roadmap = screen.roadmap
        await pilot.press("plus")
        await wait_until(pilot, lambda: "View roadmap · weeks" in screen_text(pilot), what="weeks")
        assert roadmap.roadmap is not None and roadmap.roadmap.axis.zoom == "weeks"
        assert "WHAT-IF" not in screen_text(pilot)  # + zooms here, it does not nudge
        # Weeks from Mon 23 Nov: today is column 2; t puts it a third of the way in, as far as the
        # axis allows: the window starts at the axis' start.
        await pilot.press("t")
        await pilot.pause()
        assert roadmap.roadmap.today_column == 2 and roadmap.first_column == 0
        step = round(roadmap.window * 0.25)  # h / l: a quarter of the window
        await pilot.press("l", "l")
        await pilot.pause()
        assert roadmap.first_column == 2 * step
        assert not lane_text(pilot, "AAA").count("│")  # today scrolled out of the window
        await pilot.press("h")
        await pilot.pause()
        assert roadmap.first_column == step
        await pilot.press("t")
        await pilot.pause()
        assert roadmap.first_column == 0  # today a third of the way in, as far as the axis allows
        assert lane_text(pilot, "AAA")[roadmap.label_width + 2] == "│"
        await pilot.press("minus", "minus")
        await wait_until(pilot, lambda: "View roadmap · quarters" in screen_text(pilot), what="quarters")
        await pilot.press("minus")  # already the widest
        await wait_until(pilot, lambda: roadmap.roadmap.axis.zoom == "quarters")
        assert audit_count(network_db) == written  # nothing written by any of it


async def test_cursor_and_enter_open_the_milestone(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roadmap(pilot)
        roadmap: RoadmapView = screen.roadmap
        model = app.model
        assert model is not None
        names = {m["id"]: m["name"] for m in model.rows("milestone")}
        # The cursor starts in the first lane on the milestone nearest today: A1.
        assert names[roadmap.selected] == "A1"
        assert "AAA:A1" in str(screen.query_one("#deps-panel", KnockOnPanel).body.render())
        await pilot.press("right")
        await pilot.pause()
        assert names[roadmap.selected] == "A2"
        assert "AAA:A2" in str(screen.query_one("#deps-panel", KnockOnPanel).body.render())
        await pilot.press("down", "down")
        await pilot.pause()
        assert names[roadmap.selected] == "C1"  # CCC's milestone nearest A2's column
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="the detail")
        detail = app.screen
        await wait_until(pilot, lambda: detail.milestones.selected_id == roadmap.selected, what="C1 selected")
        assert "Project CCC" in screen_text(pilot).splitlines()[0]


async def test_group_by_stage(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roadmap(pilot)
        await pilot.press("b")  # b: group by (g is the first row everywhere)
        await wait_until(pilot, lambda: "· by stage" in screen_text(pilot), what="grouped")
        lines = screen_text(pilot).splitlines()
        heading = next(i for i, line in enumerate(lines) if line.startswith("Initiation"))
        assert [line.split()[0] for line in lines[heading + 1 : heading + 4]] == ["AAA", "BBB", "CCC"]
