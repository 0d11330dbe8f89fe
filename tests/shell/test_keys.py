"""The shell every screen shares, pressed as a user would: number keys land on the main view,
toasts do not follow you, vim keys, y copies, `:` commands, ctrl+f search, focus without colour."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.portfolio import ProjectDetailScreen
from pgmtui.screens.shell import CommandLine, SearchScreen
from pgmtui.widgets.record_table import RecordTable
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def table(app: PgmApp) -> RecordTable:
    focused = app.screen.focused
    assert isinstance(focused, RecordTable), focused
    return focused


async def test_number_key_closes_a_drill_in_and_the_toasts(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("enter")  # the first project's detail
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="the detail")
        app.notify("a toast about this project")
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "dependencies", what="the dependencies")
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "portfolio", what="the portfolio")
        # `1` is the Portfolio table, not the project detail left open under it.
        assert len(app.screen_stack) == 1 and not isinstance(app.screen, ProjectDetailScreen)
        assert "Code" in screen_text(pilot)
        assert not app._notifications, "the toast followed to the next screen"


async def test_number_key_returns_to_the_main_view(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "dependencies", what="dependencies")
        await pilot.press("m")  # the matrix
        await wait_until(pilot, lambda: getattr(app.screen, "view", "") == "matrix", what="the matrix")
        # What-if keys move the record under the cursor: the matrix has none, the footer hides them.
        assert "What-if" not in screen_text(pilot).splitlines()[-1]
        await pilot.press("2")
        await wait_until(pilot, lambda: getattr(app.screen, "view", "") == "board", what="the board")
        await wait_until(pilot, lambda: "What-if" in screen_text(pilot).splitlines()[-1], what="what-if")


async def test_vim_keys_in_a_list(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: app.current_mode == "risks", what="the risks")
        await pilot.press("v")  # the risk register: a long list
        await wait_until(pilot, lambda: isinstance(app.screen.focused, RecordTable), what="the register")
        rows = table(app).row_count
        assert rows > 20
        await pilot.press("G")
        assert table(app).cursor_row == rows - 1
        await pilot.press("g")
        assert table(app).cursor_row == 0
        half = table(app).half_page()
        assert half >= 5
        await pilot.press("ctrl+d")
        assert table(app).cursor_row == half
        await pilot.press("ctrl+d", "ctrl+u")
        assert table(app).cursor_row == half
        await pilot.press("ctrl+u", "ctrl+u")  # never above the first row
        assert table(app).cursor_row == 0


async def test_h_and_l_move_between_the_panes_of_a_project_detail(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="the detail")
        screen = app.screen
        panes = screen.panes()  # type: ignore[attr-defined]
        assert len(panes) >= 3
        assert screen.focused is panes[0]
        await pilot.press("l")
        assert screen.focused is panes[1]
        await pilot.press("h", "h")  # wraps round to the last pane
        assert screen.focused is panes[-1]
        # The last section is far below an 80×24 screen: focusing it scrolled the page there.
        page = screen.query_one("#detail")
        assert page.scroll_y > 0


async def test_y_copies_the_reference_and_a_summary(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        code = app.model.ref_label("project", table(app).selected_id)  # type: ignore[union-attr,arg-type]
        row = app.model.row("project", table(app).selected_id)  # type: ignore[union-attr]
        await pilot.press("y")
        assert app.clipboard == f"project {code} — {row['name']}"  # type: ignore[index]
        # The toast says what was copied.
        assert [(n.title, n.message) for n in app._notifications] == [
            ("Copied to the clipboard", app.clipboard)
        ]
        await pilot.press("3")
        await wait_until(pilot, lambda: app.current_mode == "risks", what="the risks")
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen.focused, RecordTable), what="the register")
        assert table(app).kind == "risk"
        risk_id = table(app).selected_id
        risk = app.model.row("risk", risk_id)  # type: ignore[union-attr]
        await pilot.press("y")
        assert app.clipboard.startswith(f"risk {risk_id} — {risk['title']}")  # type: ignore[index]


async def command(pilot, line: str) -> None:
    await pilot.press("colon")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandLine), what="the command line")
    await pilot.press(*line, "enter")


async def test_command_line_opens_records_and_screens(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        model = app.model
        assert model is not None
        project = model.rows("project")[1]
        await command(pilot, f"project {project['code'].lower()}")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="the project")
        assert project["name"] in screen_text(pilot)
        risk = model.rows("risk")[3]
        await command(pilot, f"risk {risk['id']}")
        await wait_until(pilot, lambda: app.current_mode == "risks" and risk["title"] in screen_text(pilot))
        await command(pilot, "2")  # a screen by its number (or its name: `:dependencies`)
        await wait_until(pilot, lambda: app.current_mode == "dependencies", what="the dependencies screen")
        await command(pilot, "critical")  # a palette command, by name
        await wait_until(pilot, lambda: getattr(app.screen, "view", "") == "critical", what="critical")


async def test_command_line_says_what_it_does_not_know_and_completes(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await command(pilot, "risk 99999")
        await pilot.pause()
        assert isinstance(app.screen, CommandLine)  # stays open to be corrected
        assert "no risk '99999'" in screen_text(pilot)
        line = app.screen.line
        line.value = ""
        await pilot.press(*"zzqx", "enter")
        await pilot.pause()
        assert "Unknown command 'zzqx'" in screen_text(pilot)
        line.value = ""
        await pilot.press(*"depend", "tab")
        assert line.value == "dependencies"
        await pilot.press("escape")
        assert not isinstance(app.screen, CommandLine)


async def test_colon_q_quits(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await command(pilot, "q")
        await wait_until(pilot, lambda: not app.is_running, what="the app to quit")


async def test_search_finds_words_and_opens_the_record(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        model = app.model
        assert model is not None
        risk = model.rows("risk")[0]
        word = max(risk["title"].split(), key=len)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), what="the search")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*word.lower())
        await wait_until(pilot, lambda: any(h.kind == "risk" and h.id == risk["id"] for h in search.hits))
        assert "record(s) match" in screen_text(pilot)
        # The matched word is highlighted as a style on the snippet, never as markup.
        cell = search.results.get_row_at(0)[2]
        assert any("reverse" in str(span.style) for span in cell.spans)
        index = next(i for i, h in enumerate(search.hits) if h.kind == "risk" and h.id == risk["id"])
        await pilot.press("down")
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "risks", what="the risk's screen")
        await wait_until(pilot, lambda: risk["title"] in screen_text(pilot), what="the risk")


async def test_search_says_when_nothing_matches(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("ctrl+f", *"xyzzyplugh")
        await wait_until(pilot, lambda: "Nothing matches 'xyzzyplugh'" in screen_text(pilot))
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize("size", [(80, 24)])
async def test_cursor_row_is_reversed_without_colour(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = PgmApp(demo_db)
    async with app.run_test(size=size) as pilot:
        await wait_for_model(pilot)
        assert app.no_color
        listing = table(app)
        await pilot.press("j")
        y = listing.region.y + listing.header_height + listing.cursor_row - round(listing.scroll_y)
        strips = app.screen._compositor.render_strips()

        def reversed_cells(line: int) -> int:
            return sum(len(s.text) for s in strips[line] if s.style is not None and s.style.reverse)

        assert reversed_cells(y) >= 40, "the cursor row is not in reverse video"
        assert reversed_cells(y + 1) == 0 and reversed_cells(y - 1) == 0
