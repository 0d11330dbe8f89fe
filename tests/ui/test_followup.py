"""Pilot tests of follow-through on the demo programme: `a` makes an action about the record under
the cursor, `u` undoes this session's last change with a toast saying what came back, a project is
deleted only after its code is typed (the prompt lists what goes), closed projects leave the live
portfolio, the Actions view (c, m, o) and the Lessons view (enter accepts a lesson candidate), and
the stand-up lists overdue actions first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import OptionList, TextArea

from pgmtui.app import PgmApp
from pgmtui.screens.deletion import TypedDeleteScreen
from pgmtui.screens.forms import RecordForm
from pgmtui.screens.risks import RisksScreen
from pgmtui.screens.standup import StandupScreen
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def toasts(pilot) -> str:
    parts = [line.split("▌", 1)[1] for line in screen_text(pilot).splitlines() if "▌" in line]
    return " ".join(" ".join(parts).split())


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def _risks_view(pilot, view: str) -> RisksScreen:
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RisksScreen), what="the risks screen")
    screen = pilot.app.screen
    assert isinstance(screen, RisksScreen)
    screen.set_view(view)
    await pilot.pause()
    return screen


async def test_a_on_a_project_makes_an_action_about_it_in_a_few_keys(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        code = app.screen.query_one("#projects").row_for(app.screen.selected_id()).cells["code"].plain
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the action form")
        assert f"New action about project {code}" in screen_text(pilot)
        await pilot.press(*"Call the supplier", "ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RecordForm), what="the save")
    ((title, about, project, due, owner, status),) = query(
        demo_db,
        "SELECT a.title, a.about, p.code, a.due_date, a.owner, a.status FROM action a "
        "LEFT JOIN project p ON p.id = a.project_id WHERE a.title = 'Call the supplier'",
    )
    pid = query(demo_db, "SELECT id, manager FROM project WHERE code = ?", code)[0]
    # About the project, filed under it, owned by its manager, due in a week (2026-11-25 + 7).
    assert (about, project, due, owner, status) == (f"project:{pid[0]}", code, "2026-12-02", pid[1], "open")


async def test_a_in_a_risk_detail_is_about_that_risk_and_listed_under_it(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        screen = await _risks_view(pilot, "register")
        rid = screen.register.selected_id
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Actions about this risk" in screen_text(pilot), what="the risk")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the action form")
        await pilot.press(*"Check the fallback plan", "ctrl+s")
        await wait_until(
            pilot, lambda: "Check the fallback plan" in screen_text(pilot), what="the action listed"
        )
    assert query(demo_db, "SELECT about FROM action WHERE title = 'Check the fallback plan'") == [
        (f"risk:{rid}",)
    ]


async def test_deleting_a_project_asks_for_its_code_and_u_brings_it_back(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_model(pilot)
        table = app.screen.query_one("#projects")
        pid = table.selected_id
        code = table.row_for(pid).cells["code"].plain
        n_milestones = query(demo_db, "SELECT count(*) FROM milestone WHERE project_id = ?", pid)[0][0]
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, TypedDeleteScreen), what="the prompt")
        text = " ".join(screen_text(pilot).split())
        assert f"Deletes project {code} and with it {n_milestones} milestones, " in text
        assert f"Type {code} and press enter to delete it" in text
        await pilot.press("y", "enter")  # `y` no longer deletes a project
        await wait_until(pilot, lambda: f"That is not {code}" in screen_text(pilot), what="the refusal")
        await pilot.press("backspace", *code, "enter")
        await wait_until(pilot, lambda: pid not in table.order, what="the project gone")
        assert query(demo_db, "SELECT count(*) FROM project WHERE id = ?", pid) == [(0,)]
        await pilot.press("u")
        await wait_until(pilot, lambda: pid in table.order, what="the project back")
        await wait_until(pilot, lambda: "Undone" in toasts(pilot), what="the toast")
        assert f"delete of project {code} (" in toasts(pilot)
        assert f"brought back 1 project, {n_milestones} milestones" in toasts(pilot)
    assert query(demo_db, "SELECT count(*) FROM milestone WHERE project_id = ?", pid) == [(n_milestones,)]


async def test_escape_keeps_the_project(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, TypedDeleteScreen), what="the prompt")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TypedDeleteScreen), what="closed")
    assert query(demo_db, "SELECT count(*) FROM project") == [(9,)]


async def test_u_with_nothing_done_says_so(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: "Nothing to undo" in toasts(pilot), what="the toast")


async def test_closing_a_project_hides_it_and_a_filter_shows_it(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        table = app.screen.query_one("#projects")
        pid = table.selected_id
        code = table.row_for(pid).cells["code"].plain
        await pilot.press("c")
        await wait_until(pilot, lambda: pid not in table.order, what="the project hidden")
        assert "1 closed project hidden (read-only; / stage:closed shows it)" in screen_text(pilot)
        await pilot.press("slash", *"stage:closed", "enter")
        await wait_until(pilot, lambda: table.order == [pid], what="the closed project listed")
        await pilot.press("e")  # its fields are read-only: the save is refused with the reason
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the form")
        form = app.screen
        form.query_one("#field-status_note", TextArea).load_text("late note")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: f"project {code} is closed" in screen_text(pilot), what="the refusal")
        await pilot.press("escape")
        await pilot.press("c")  # re-open: back to the stage it had
        await wait_until(pilot, lambda: "re-opened (stage Delivery)" in toasts(pilot), what="re-opened")
    assert query(demo_db, "SELECT stage FROM project WHERE id = ?", pid) == [("Delivery",)]


async def test_the_actions_view_marks_overdue_and_c_m_o_work(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        screen = await _risks_view(pilot, "action")
        table = screen.raid_pane("action").table
        text = screen_text(pilot)
        assert "Actions · 10 open · 3 overdue · 2 due today" in text
        first = text.splitlines()[
            text.splitlines().index(next(line for line in text.splitlines() if " Due " in line)) + 1
        ]
        assert (
            "! 2026-11-20" in first and "Re-test the HR self-service app" in first
        )  # the most overdue first
        aid = table.selected_id
        await pilot.press("c")
        await wait_until(
            pilot, lambda: (app.model.row("action", aid) or {}).get("status") == "done", what="done"
        )
        assert app.model.row("action", aid)["done_date"] == "2026-11-25"  # the store dates it
        await pilot.press("m")
        await wait_until(pilot, lambda: "owner:me" in screen_text(pilot), what="my actions")
        await pilot.press("m")
        await wait_until(pilot, lambda: table.row_count == 14, what="every action again")
        table.select(aid)
        await pilot.press("o")  # about issue #1: the Issues view, on it
        await wait_until(pilot, lambda: screen.view == "issue", what="the issue")
        assert screen.raid_pane("issue").table.selected_id == 1


async def test_enter_on_a_lesson_candidate_records_it(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        screen = await _risks_view(pilot, "lesson")
        pane = screen._lessons
        await wait_until(pilot, lambda: bool(pane.candidates), what="the candidates")
        # As many as the audit trail offers (the demo's history grows with each area's data).
        n = len(pane.candidates)
        assert n >= 16 and f"audit trail  {n} to consider, 0 recorded" in screen_text(pilot)
        pane.candidate_table.focus()
        await pilot.pause()
        candidate = pane.selected_candidate()
        assert candidate is not None and candidate.finding == "slip"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the lesson form")
        assert candidate.title in screen_text(pilot)
        await pilot.press("ctrl+s")
        # Recording one takes it off the candidates (n - 1 left).
        left = f"{n - 1} to consider, 1 recorded"
        await wait_until(pilot, lambda: left in screen_text(pilot), what="recorded")
    ((category, source),) = query(
        demo_db, "SELECT category, source FROM lesson WHERE title = ?", candidate.title
    )
    assert category == "planning" and source == candidate.source


async def test_the_stand_up_lists_overdue_actions_first_and_enter_opens_one(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, StandupScreen) and app.screen.standup is not None,
            what="stand-up",
        )
        screen = app.screen
        texts = [e.plain for e in screen.entries]
        first = next(i for i, t in enumerate(texts) if "Actions overdue or due today" in t)
        assert first < next(i for i, t in enumerate(texts) if "Overdue risk reviews" in t)
        lines = screen.query_one("#standup-lines", OptionList)
        lines.highlighted = next(
            i
            for i, e in enumerate(screen.entries)
            if e.line and (e.line.kind, e.line.record_id) == ("action", 4)
        )
        await pilot.pause()  # scrolled into view: what a person reads
        text = " ".join(screen_text(pilot).split())
        assert "Asha Patel: Re-test the HR self-service app with group-claim filtering — 5 d overdue" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), what="the risks screen")
        await wait_until(pilot, lambda: app.screen.view == "action", what="the actions view")
        assert app.screen.raid_pane("action").table.selected_id == 4
