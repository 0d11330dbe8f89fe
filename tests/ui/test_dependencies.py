"""Pilot tests of the Dependencies screen (key 2): keys pressed, screen read.

The hand-made network (January 2027, three projects):

    AAA:A1 (Jan 1) ─order─▶ AAA:A2 (Jan 22; baseline Jan 10)
       │ FS+0 (slack 4)          │ FS+5: needed by Jan 15 → 7 days LATE
       ▼                         ▼
    BBB:B1 (Jan 5) ─order─▶ BBB:B2 (Jan 20) ─FS+5─▶ CCC:C1 (Jan 25)   (slack 0: at risk)
                                                    CCC:C2 (Feb 10; after C1 in CCC)

Honouring the late A2 → B2 moves B2 +7 (Jan 27), then C1 +7 (Feb 1) and C2 +7 (Feb 17, in-project
order); the programme end (C2, Feb 10) moves +7 days. A1 and B1 do not move.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.dependencies import DependenciesScreen, critical_data
from pgmtui.screens.dependencies.panel import KnockOnPanel
from pgmtui.screens.forms import ConfirmScreen, RecordForm
from pgmtui.services import critical_path_json
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until


@pytest.fixture
def network_db(db_path: Path) -> Path:
    with Store.open(db_path) as s:
        s.insert("programme", {"name": "Net Programme", "start_date": "2026-06-01", "end_date": "2027-12-31"})
        for code, name in (("AAA", "Alpha"), ("BBB", "Bravo"), ("CCC", "Charlie")):
            s.insert(
                "project",
                {
                    "code": code,
                    "name": name,
                    "start_date": "2026-06-01",
                    "baseline_end": "2027-03-01",
                    "forecast_end": "2027-03-01",
                },
            )
        ms = {}
        for code, name, base, fc in (
            ("AAA", "A1", "2027-01-01", "2027-01-01"),
            ("AAA", "A2", "2027-01-10", "2027-01-22"),
            ("BBB", "B1", "2027-01-05", "2027-01-05"),
            ("BBB", "B2", "2027-01-20", "2027-01-20"),
            ("CCC", "C1", "2027-01-25", "2027-01-25"),
            ("CCC", "C2", "2027-02-10", "2027-02-10"),
        ):
            ms[name] = s.insert(
                "milestone", {"project": code, "name": name, "baseline_date": base, "forecast_date": fc}
            )
        s.insert("dependency", {"supplier": "AAA:A1", "consumer": "BBB:B1", "owner": "Ann"})
        s.insert("dependency", {"supplier": "AAA:A2", "consumer": "BBB:B2", "lag_days": 5, "owner": "Bob"})
        s.insert("dependency", {"supplier": "BBB:B2", "consumer": "CCC:C1", "lag_days": 5, "owner": "Cy"})
    return db_path


async def open_deps(pilot, size_check: bool = True) -> DependenciesScreen:
    await wait_for_model(pilot)
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DependenciesScreen), what="the screen")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: bool(screen.board.order), what="the board")
    await pilot.pause()
    return screen


def panel(pilot) -> str:
    return str(pilot.app.screen.query_one("#deps-panel", KnockOnPanel).body.render())


def audit_count(path: Path) -> int:
    with Store.open(path) as s:
        return len(s.audit())


async def test_late_dependencies_are_listed_first(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        statuses = [screen.deps[i].status for i in screen.board.order]
        n_late = statuses.count("late")
        assert n_late >= 1
        assert statuses[:n_late] == ["late"] * n_late
        # the rest follow worst first: at risk before on track before done
        rank = {"late": 0, "at risk": 1, "no dates": 2, "on track": 3, "done": 4}
        assert [rank[s] for s in statuses] == sorted(rank[s] for s in statuses)
        slacks = [screen.deps[i].slack for i in screen.board.order[:n_late]]
        assert slacks == sorted(slacks)  # most late first
        text = screen_text(pilot)
        assert "Dependencies" in text
        board_lines = [ln for ln in text.splitlines() if "● late" in ln]
        assert len(board_lines) >= n_late
        # the same count the portfolio uses (same model)
        assert f"● {app.model.rollup.late_dependencies} late" in text


async def test_impact_view_lists_the_downstream_milestones(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        first = screen.deps[screen.board.order[0]]
        assert (first.supplier, first.consumer, first.slack, first.status) == ("AAA:A2", "BBB:B2", -7, "late")
        text = panel(pilot)
        assert "Late 7d" in text
        assert "BBB:B2 → 2027-01-27" in text
        assert "CCC:C1 → 2027-02-01" in text
        assert "CCC:C2 → 2027-02-17" in text
        assert "end 2027-02-10 → 2027-02-17 (+7d)" in text
        assert "pushes BBB +7d, CCC +7d" in text
        assert "A1" not in text and "B1" not in text


async def test_what_if_nudge_changes_the_knock_on_and_writes_nothing(network_db: Path) -> None:
    before = audit_count(network_db)
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        # the at-risk B2 → C1 (slack 0): no knock-on until the supplier slips
        assert screen.board.select(3)
        await pilot.pause()
        assert "No knock-on" in panel(pilot)
        await pilot.press("plus", "plus", "plus")
        text = panel(pilot)
        assert "What if BBB moves +3d (not saved): slack -3d" in text
        assert "CCC:C1 → 2027-01-28" in text
        assert "end 2027-02-10 → 2027-02-13 (+3d)" in text
        assert "WHAT-IF +3d" in screen_text(pilot)
        await pilot.press("right_square_bracket")  # a week more
        assert "CCC:C1 → 2027-02-04" in panel(pilot)
        await pilot.press("0")
        assert "No knock-on" in panel(pilot)
        # the milestone view nudges too
        await pilot.press("c")
        assert screen.critical.select(app.model.snapshot.milestones[0].id)  # A1
        await pilot.pause()
        await pilot.press("minus")
        assert "What if it moves -1d" in panel(pilot)
        assert "AAA:A1 → 2026-12-31" in panel(pilot)
        await pilot.pause(0.3)
    assert audit_count(network_db) == before
    with Store.open(network_db) as s:
        assert s.get("milestone", 4)["forecast_date"] == "2027-01-20"


async def test_a_cycle_is_refused_on_screen(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_deps(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the form")
        form = app.screen
        await pilot.press(*"CCC:C1")
        await pilot.press("tab")
        await pilot.press(*"AAA:A2")  # A2 → B2 → C1 already: C1 → A2 closes the loop
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "cycle" in screen_text(pilot), what="the refusal")
        text = screen_text(pilot)
        assert "CCC:C1 → AAA:A2 → BBB:B2 → CCC:C1" in text
        assert app.screen is form  # still open, nothing saved
        await pilot.press("escape")
    with Store.open(network_db) as s:
        assert len(s.rows("dependency")) == 3


async def test_add_edit_and_delete_by_keyboard(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the form")
        await pilot.press(*"AAA:A1", "tab", *"CCC:C2")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(screen.deps) == 4, what="the new dependency")
        new = next(r for r in screen.deps.values() if r.consumer == "CCC:C2")
        await wait_until(pilot, lambda: screen.selected_dependency_id() == new.id, what="cursor on it")
        # edit its lag
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the edit form")
        lag = app.screen.query_one("#field-lag_days")
        lag.value = "40"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.deps[new.id].lag == 40, what="the edit")
        assert screen.deps[new.id].slack == 40 - 40 + 0  # Feb 10 − (Jan 1 + 40) = 0
        # delete it
        await wait_until(pilot, lambda: screen.selected_dependency_id() == new.id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: new.id not in screen.deps, what="the deletion")


async def test_supplier_moved_elsewhere_turns_a_dependency_late_live(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        assert screen.deps[3].status == "at risk"
        assert screen.board.select(1)  # the cursor stays on #1 through the refresh
        await pilot.pause()
        generation = app.model.generation
        with Store.open(network_db) as other:  # another user's session
            other.update("milestone", "BBB:B2", {"forecast_date": "2027-01-23"}, expected_version=1)
        await wait_for_model(pilot, after=generation)
        await wait_until(pilot, lambda: screen.deps[3].status == "late", what="B2 → C1 late")
        assert screen.deps[3].slack == -3
        assert screen.board.order[:2] == [2, 3] or screen.board.order[:2] == [3, 2]
        assert screen.selected_dependency_id() == 1
        text = screen_text(pilot)
        assert "● 2 late" in text
        ccc = app.model.rollup.project("CCC")
        assert ccc.late_dependencies == 1  # the portfolio's Late column follows


async def test_critical_path_view_matches_the_cli(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: bool(screen.critical.order), what="the critical view")
        with Store.open(network_db) as s:
            cli = critical_path_json(s)
        assert critical_data(app.model) == cli
        # the chain first, in order, marked; every milestone with its float
        chain = [step["id"] for step in cli["path"]]
        assert screen.critical.order[: len(chain)] == chain
        assert sorted(screen.critical.order) == sorted(m["id"] for m in cli["milestones"])
        text = screen_text(pilot)
        assert "◆ path" in text
        assert "Float" in text
        assert "critical path" in text
        await pilot.press("c")
        assert screen.view == "board"


async def test_group_and_filter(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        total = len(screen.board.order)
        await pilot.press("f")  # status: late
        assert screen.status_filter == "late"
        assert screen.board.order and all(screen.deps[i].status == "late" for i in screen.board.order)
        await pilot.press("escape")
        assert len(screen.board.order) == total
        await pilot.press("b")  # grouped by supplier project
        codes = [screen.deps[i].supplier_code for i in screen.board.order]
        assert codes == sorted(codes, key=lambda c: [p.code for p in app.model.snapshot.projects].index(c))
        await pilot.press("b")  # by consumer
        assert screen.grouping == "consumer"
        await pilot.press("slash", *"p:ERP")
        assert screen.board.order
        assert all(
            "ERP" in (screen.deps[i].supplier_code, screen.deps[i].consumer_code) for i in screen.board.order
        )
        await pilot.press("enter", "escape")
        assert screen.filter_text == ""


async def test_grouped_board_names_each_project_once_and_sorts_within_it(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        await pilot.press("b", "b")  # by consumer: BBB needs #2 (late) and #1, CCC needs #3
        assert screen.grouping == "consumer"
        assert screen.board.order == [2, 1, 3]
        text = screen_text(pilot).splitlines()
        header = next(i for i, ln in enumerate(text) if "Slack" in ln and "Supplier" in ln)
        first_words = [ln.split()[0] for ln in text[header + 1 : header + 4]]
        assert first_words == ["BBB", "▲", "CCC"]  # the label on the first row of each group
        screen.board.select(1)
        await pilot.press("s", "s")  # sort by slack, inside each group
        assert screen.board.sort_key == "slack"
        assert screen.board.order == [2, 1, 3]  # BBB: −7 before +4; CCC after BBB whatever the sort
        await pilot.press("S")  # reversed: +4 before −7, still inside BBB
        assert screen.board.order == [1, 2, 3]
        assert screen.selected_dependency_id() == 1


async def test_edit_and_delete_are_only_offered_on_the_board(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deps(pilot)
        assert screen.check_action("edit_dependency", ()) is True
        await pilot.press("c")
        assert screen.check_action("edit_dependency", ()) is False
        assert screen.check_action("delete_dependency", ()) is False
        await pilot.press("e", "d")
        await pilot.pause()
        assert app.screen is screen  # no form, no confirmation
        titles = {c.title for c in screen.palette_commands()}
        assert "Edit dependency" not in titles and "Critical path" in titles


async def test_matrix_and_drill_in(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deps(pilot)
        await pilot.press("m")
        matrix = screen.query_one("#deps-matrix")
        await wait_until(pilot, lambda: bool(matrix.matrix.codes), what="the matrix")
        late = next(r for r in screen.deps.values() if r.status == "late")
        matrix.select_pair(late.supplier_code, late.consumer_code)
        await pilot.pause()
        assert f"{late.supplier_code} → {late.consumer_code}" in panel(pilot)
        assert "late" in panel(pilot)
        assert "●" in screen_text(pilot)
        await pilot.press("enter")
        assert screen.view == "board"
        assert late.id in screen.board.order
        assert all(
            (screen.deps[i].supplier_code, screen.deps[i].consumer_code)
            == (late.supplier_code, late.consumer_code)
            for i in screen.board.order
        )


async def test_open_record_for_dependency_and_milestone(network_db: Path) -> None:
    app = PgmApp(network_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        app.open_record("dependency", 3)
        await wait_until(pilot, lambda: isinstance(app.screen, DependenciesScreen), what="the screen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.selected_dependency_id() == 3, what="dependency 3")
        assert "#3 BBB:B2 → CCC:C1" in panel(pilot)
        screen.open_record("milestone", 2)
        await pilot.pause()
        assert screen.view == "critical"
        assert screen.selected_milestone_id() == 2
        assert "AAA:A2" in panel(pilot)


# ---------------------------------------------------------------------------------- pure helpers


def _row(**kw):
    from pgmtui.screens.dependencies import DepRow

    base = dict(
        id=1, supplier_id=10, consumer_id=20, supplier_project=1, consumer_project=2,
        supplier_code="IAM", consumer_code="CLD", supplier_name="SSO", consumer_name="Landing",
        type="FS", lag=0, forecast=None, need_by=None, slack=3, status="at risk",
        owner="Asha", note="", supplier_done=False,
    )  # fmt: skip
    base.update(kw)
    return DepRow(**base)


def test_filter_words_and_fields() -> None:
    from pgmtui.screens.dependencies import matches

    r = _row()
    assert matches(r, "status:risk p:iam")
    assert matches(r, "from:IAM to:CLD owner:ash sso")
    assert not matches(r, "status:late")
    assert not matches(r, "from:CLD")
    assert not matches(r, "p:ERP")
    assert not matches(r, "nothing-like-this")


def test_what_if_pushes_for_a_dependency() -> None:
    from pgmtui.screens.dependencies import dependency_pushes

    assert dependency_pushes(_row(slack=3), 0) == ({}, 3)  # on time: nothing to push
    assert dependency_pushes(_row(slack=3), 5) == ({10: 5, 20: 2}, -2)  # beyond the slack
    assert dependency_pushes(_row(slack=-4, status="late"), 0) == ({20: 4}, -4)  # honour it
    assert dependency_pushes(_row(slack=-4, status="late"), -4) == ({10: -4}, 0)  # recovered
    assert dependency_pushes(_row(slack=-4, status="done", supplier_done=True), 3) == ({}, -4)


def test_matrix_counts_and_worst_status() -> None:
    from pgmtui.screens.dependencies import build_matrix

    m = build_matrix(
        [(1, "IAM", "CLD", "on track"), (2, "IAM", "CLD", "late"), (3, "CLD", "ERP", "done")],
        ["ERP", "CLD", "IAM"],
    )
    assert m.codes == ["ERP", "CLD", "IAM"]
    cell = m.cell("IAM", "CLD")
    assert (cell.count, cell.worst, cell.describe()) == (2, "late", "1 late, 1 on track")
    assert m.cell("ERP", "IAM").count == 0
    assert (m.supplied("IAM"), m.consumed("CLD"), m.consumed("ERP")) == (2, 2, 1)
    assert m.worst_pair() == ("IAM", "CLD")
