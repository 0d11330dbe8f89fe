"""Pilot tests of the Resources screen (key 6): keys pressed, screen read.

The hand-made set (today Wednesday 25 Nov 2026; weeks W0 = 23 Nov, W1 = 30 Nov, W2 = 7 Dec,
W3 = 14 Dec), every figure on paper:

  Tom Okafor (capacity 100): #1 ERP 60 % 30 Nov – 11 Dec (W1, W2), towards ERP:Design;
                             #2 DAT 60 % 23 Nov – 4 Dec (W0, W1), towards DAT:Gate 2.
      → W0 60, W1 60 + 60 = 120 ▲ (over; 120 < 150 so amber), W2 60, W3 ·
  Ruth Part (capacity 60):   #3 DAT 40 % 23 Nov – 18 Dec → 40 every week.
  Chloe Martin:              nothing.

  ERP:Design signed off (29 Jan 2027) is the programme's last milestone (float 0), so #1 may end
  as late as 29 Jan: moving it a week (7 – 18 Dec) empties W1 of it → Tom's W1 60.
  DAT:Gate 2 (4 Dec) supplies ERP:Design with a 56-day lag: 4 Dec + 56 d = 29 Jan, slack 0, so
  #2 may not end later than 4 Dec; it can only be shortened (to Friday 27 Nov: W1 loses its 60).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.screens.forms import ConfirmScreen, RecordForm
from pgmtui.screens.resources import AllocationsScreen, ResourcesScreen
from pgmtui.store import Store
from pgmtui.widgets.person_pick import PickInput
from pgmtui.widgets.record_table import RecordTable
from tests.ui.helpers import screen_text, wait_for_model, wait_until


@pytest.fixture
def hand_db(store: Store, db_path: Path) -> Path:
    s = store
    s.insert("programme", {"name": "Resources Test", "start_date": "2026-01-01", "end_date": "2027-12-31"})
    for code in ("ERP", "DAT", "NET"):
        s.insert(
            "project",
            {"code": code, "name": f"Project {code}", "start_date": "2026-01-01",
             "baseline_end": "2027-06-30", "forecast_end": "2027-06-30", "budget": 1000},
        )  # fmt: skip
    s.insert("milestone", {"project": "ERP", "name": "Design signed off", "forecast_date": "2027-01-29"})
    s.insert(
        "milestone", {"project": "DAT", "name": "Gate 2", "forecast_date": "2026-12-04", "is_gate": True}
    )
    s.insert("dependency", {"supplier": "DAT:Gate 2", "consumer": "ERP:Design signed off", "lag_days": 56})
    s.insert("person", {"name": "Tom Okafor", "role": "Enterprise architect", "team": "Architecture"})
    s.insert("person", {"name": "Ruth Part", "role": "Data engineer", "team": "Data", "capacity_pct": 60})
    s.insert("person", {"name": "Chloe Martin", "role": "PMO analyst", "team": "PMO"})
    s.insert("allocation", {"person": "Tom Okafor", "project": "ERP", "milestone": "ERP:Design signed off",
                            "start_date": "2026-11-30", "end_date": "2026-12-11", "percent": 60})  # fmt: skip
    s.insert("allocation", {"person": "Tom Okafor", "project": "DAT", "milestone": "DAT:Gate 2",
                            "start_date": "2026-11-23", "end_date": "2026-12-04", "percent": 60})  # fmt: skip
    s.insert("allocation", {"person": "Ruth Part", "project": "DAT", "start_date": "2026-11-23",
                            "end_date": "2026-12-18", "percent": 40})  # fmt: skip
    s.close()
    return db_path


async def open_resources(pilot) -> ResourcesScreen:
    await wait_for_model(pilot)
    await pilot.press("6")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, ResourcesScreen), what="the Resources screen"
    )
    await wait_until(pilot, lambda: "Tom Okafor" in screen_text(pilot), what="the grid")
    screen = pilot.app.screen
    assert isinstance(screen, ResourcesScreen)
    return screen


def grid_line(pilot, name: str) -> list[str]:
    line = next(line for line in screen_text(pilot).splitlines() if f" {name} " in line)
    return line.split()


async def to_toms_busy_week(pilot) -> None:
    """Rows by name: Chloe, Ruth, Tom; columns: Person, Cap, 23 Nov, 30 Nov, …"""
    await pilot.press("j", "j", "l", "l", "l")
    await wait_until(pilot, lambda: "Week of 30 Nov: ▲120 = ERP 60 + DAT 60" in screen_text(pilot))


async def test_the_grid_shows_loads_and_over_allocation_with_a_glyph(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_resources(pilot)
        text = screen_text(pilot)
        assert "Resources" in text.splitlines()[0]
        assert "23 Nov – 8 Feb 2027" in text and "▲ 1 over-allocated" in text
        header = next(line for line in text.splitlines() if "Person" in line and "Cap" in line)
        assert header.split()[:8] == ["Person", "Cap", "23", "Nov", "30", "Nov", "7", "Dec"]
        assert grid_line(pilot, "Okafor")[2:7] == ["100", "60", "▲120", "60", "·"]
        assert grid_line(pilot, "Part")[2:8] == ["60", "40", "40", "40", "40", "·"]
        assert grid_line(pilot, "Martin")[2:5] == ["100", "·", "·"]
        await to_toms_busy_week(pilot)
        assert "Tom Okafor · Enterprise architect · Architecture · capacity 100 %" in screen_text(pilot)


async def test_weeks_scroll_and_shift(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_resources(pilot)
        await pilot.press("j", "j")
        for _ in range(13):  # to the last week, 8 Feb: the grid scrolls, names stay
            await pilot.press("l")
        await wait_until(pilot, lambda: "Week of 8 Feb: nothing" in screen_text(pilot))
        assert "Tom Okafor" in screen_text(pilot) and " 8 Feb" in screen_text(pilot)
        await pilot.press("h")
        await wait_until(pilot, lambda: "Week of 1 Feb" in screen_text(pilot))
        await pilot.press("right_square_bracket")  # four weeks later
        await wait_until(pilot, lambda: "21 Dec – 8 Mar 2027" in screen_text(pilot))
        assert screen.grid is not None and screen.grid.weeks == 12
        await pilot.press("t")
        await wait_until(pilot, lambda: "23 Nov – 8 Feb 2027" in screen_text(pilot))


async def test_filter_and_group(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_resources(pilot)
        await pilot.press("slash", *"over", "enter")
        await wait_until(pilot, lambda: "Chloe Martin" not in screen_text(pilot), what="the filter")
        assert screen.table.order == [1] and "1 of 3 people" in screen_text(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Chloe Martin" in screen_text(pilot))
        await pilot.press("slash", *"project:dat", "enter")
        await wait_until(pilot, lambda: len(screen.table.order) == 2, what="DAT's people")
        await pilot.press("escape", "b")  # by role
        await wait_until(pilot, lambda: "Enterprise architect" in screen_text(pilot))
        await pilot.press("b")  # by team: Architecture, Data, PMO
        await wait_until(pilot, lambda: "Architecture" in screen_text(pilot))
        labels = [
            line.split()[0]
            for line in screen_text(pilot).splitlines()
            if line.split()[:1] in (["Architecture"], ["Data"], ["PMO"])
        ]
        assert labels == ["Architecture", "Data", "PMO"]
        await pilot.press("b")
        await wait_until(pilot, lambda: "Architecture" not in screen_text(pilot))


async def test_drill_into_a_cell_and_edit_add_delete_allocations(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_resources(pilot)
        await to_toms_busy_week(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AllocationsScreen), what="the allocations")
        await wait_until(pilot, lambda: "Week of 30 Nov 2026: ▲120" in screen_text(pilot))
        table = app.screen.query_one("#alloc-list", RecordTable)
        assert table.order == [2, 1]  # by start: DAT from 23 Nov, ERP from 30 Nov
        erp = next(line for line in screen_text(pilot).splitlines() if line.split()[:1] == ["ERP"])
        assert erp.split()[-5:] == ["2026-11-30", "2026-12-11", "60", "5", "60"]
        # e: DAT down to 30 %.
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the form")
        field = app.screen.query_one("#field-percent")
        field.value = "30"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Week of 30 Nov 2026: 90" in screen_text(pilot), what="the new load")
        # n: an allocation for Tom, dated to that week by default.
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the new form")
        form = app.screen
        assert form.query_one("#field-person").value == "Tom Okafor"
        assert form.query_one("#field-start_date").value == "2026-11-30"
        assert form.query_one("#field-end_date").value == "2026-12-04"
        form.query_one("#field-project").value = "NET"
        form.query_one("#field-percent").value = "25"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "Week of 30 Nov 2026: ▲115" in screen_text(pilot), what="the added load"
        )
        assert len(table.order) == 3
        # d: delete the selected (the new one), after a confirmation.
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Week of 30 Nov 2026: 90" in screen_text(pilot), what="the deletion")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ResourcesScreen))
        assert grid_line(pilot, "Okafor")[2:5] == ["100", "30", "90"]
    conn = sqlite3.connect(hand_db)
    try:
        actions = conn.execute("SELECT action FROM audit WHERE tbl = 'allocation' ORDER BY id").fetchall()
    finally:
        conn.close()
    assert [a for (a,) in actions][-3:] == ["update", "insert", "delete"]


async def test_another_process_allocation_shows_live(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_resources(pilot)
        assert grid_line(pilot, "Martin")[2:5] == ["100", "·", "·"]
        with Store.open(hand_db) as other:
            other.insert("allocation", {"person": "chloe martin", "project": "NET", "start_date": "2026-11-23",
                                        "end_date": "2026-12-04", "percent": 110 - 10})  # fmt: skip
        await wait_until(
            pilot, lambda: grid_line(pilot, "Martin")[2:5] == ["100", "100", "100"], what="the live cell"
        )


async def test_levelling_suggests_and_applies_a_move(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_resources(pilot)
        await to_toms_busy_week(pilot)
        await pilot.press("L")
        await wait_until(pilot, lambda: "Levelling Tom Okafor" in screen_text(pilot), what="the panel")
        text = screen_text(pilot)
        assert "over-allocated in the week of 30 Nov" in text
        rows = [line.split() for line in text.splitlines() if line.startswith(" 30 Nov ")]
        assert [r[2:5] for r in rows] == [
            ["move", "+1", "wk"],
            ["shorten", "end", "DAT"],
            ["shorten", "start", "ERP"],
        ]
        assert "7 Dec–18 Dec" in text and "120→60" in text
        assert "What if: 30 Nov ▲120→60  14 Dec ·→60" in text  # W2 stays 60 (ERP moves into it, DAT left)
        assert "DAT:Gate 2 allows an end by 4 Dec" in text  # why DAT cannot move
        assert screen.focused is screen.suggestions_table
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
        assert "Move Tom Okafor's ERP 60 % allocation to 2026-12-07" in screen_text(pilot)
        await pilot.press("y")
        await wait_until(
            pilot, lambda: grid_line(pilot, "Okafor")[2:7] == ["100", "60", "60", "60", "60"], what="the move"
        )
    with Store.open(hand_db) as store:
        moved = store.get("allocation", 1)
        audit = store.audit(table="allocation", newest_first=True)
    assert (moved["start_date"], moved["end_date"], moved["version"]) == ("2026-12-07", "2026-12-18", 2)
    assert audit[0]["action"] == "update" and audit[0]["changes"]["start_date"] == [
        "2026-11-30",
        "2026-12-07",
    ]


async def test_applying_a_stale_suggestion_is_refused(hand_db: Path) -> None:
    # A slow refresh (60 s) keeps the suggestion the user is looking at while another user edits it.
    app = PgmApp(hand_db, poll_seconds=60)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_resources(pilot)
        await to_toms_busy_week(pilot)
        await pilot.press("L")
        await wait_until(pilot, lambda: "move +1 wk" in screen_text(pilot), what="the suggestion")
        with Store.open(hand_db) as other:
            other.update("allocation", 1, {"note": "agreed with the ERP board"})
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "Not applied" in screen_text(pilot), what="the refusal")
    with Store.open(hand_db) as store:
        kept = store.get("allocation", 1)
    assert (kept["start_date"], kept["version"], kept["note"]) == (
        "2026-11-30",
        2,
        "agreed with the ERP board",
    )


async def test_people_are_added_edited_and_deleted(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_resources(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm))
        app.screen.query_one("#field-name").value = "Zara Quinn"
        app.screen.query_one("#field-capacity_pct").value = "50"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Zara Quinn" in screen_text(pilot), what="the new person")
        await wait_until(pilot, lambda: screen.table.selected_id == 4, what="the new row selected")
        assert grid_line(pilot, "Quinn")[2] == "50"
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Their 0 allocation(s) go too" in screen_text(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: "Zara Quinn" not in screen_text(pilot), what="the deletion")


async def test_allocate_offers_people_as_you_type(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_resources(pilot)  # the cursor is on Chloe Martin, the first row
        await pilot.press("a")
        await wait_until(pilot, lambda: bool(app.screen.query("#field-person")), what="the allocation form")
        person = app.screen.query_one("#field-person", PickInput)
        assert person.value == "Chloe Martin" and person.has_focus
        person.value = ""
        await pilot.press(*"ok")  # a word of Tom Okafor's name
        await wait_until(
            pilot, lambda: "Tom Okafor  Enterprise architect · Architecture" in screen_text(pilot)
        )
        await pilot.press("enter")  # takes the highlighted name
        await wait_until(pilot, lambda: person.value == "Tom Okafor", what="the name taken")
        assert not person.pick_list.display
        person.value = "Nobody Known"  # free text is still allowed (the store says if it is unknown)
        await pilot.pause()
        assert not person.pick_list.display
        await pilot.press("escape")  # with the list closed, escape closes the form
        await wait_until(pilot, lambda: isinstance(app.screen, ResourcesScreen))


async def test_owner_fields_offer_the_directory(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        app.push_screen(RecordForm("risk", fields=("title", "owner", "probability", "impact")))
        await wait_until(pilot, lambda: bool(app.screen.query("#field-owner")), what="the form's fields")
        owner = app.screen.query_one("#field-owner", PickInput)
        owner.focus()
        await pilot.press(*"arch")  # a role: the architects
        await wait_until(pilot, lambda: "Tom Okafor" in screen_text(pilot), what="the pick-list")
        await pilot.press("escape")  # closes the list only
        await wait_until(pilot, lambda: not owner.pick_list.display)
        assert isinstance(app.screen, RecordForm)
        owner.value = ""
        await pilot.press(*"ru", "down", "enter")
        await wait_until(pilot, lambda: owner.value == "Ruth Part")


async def test_a_project_detail_shows_its_team(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        app.open_record("project", 2)  # DAT
        await wait_until(pilot, lambda: "Team" in screen_text(pilot), what="the project detail")
        lines = screen_text(pilot).splitlines()
        tom = next(line for line in lines if "Tom Okafor" in line and "Enterprise architect" in line)
        ruth = next(line for line in lines if "Ruth Part" in line and "Data engineer" in line)
        # DAT this week (23 Nov) and next (30 Nov): Tom 60 and 60 (over next week: 120 in all).
        assert tom.split()[-4:] == ["60", "60", "▲", "│"] or tom.split()[-3:] == ["60", "60", "▲"]
        assert ruth.split()[-2:] == ["40", "40"]


async def test_jumps_to_a_person_and_an_allocation(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        app.open_record("allocation", 3)
        await wait_until(pilot, lambda: isinstance(app.screen, AllocationsScreen), what="Ruth's allocations")
        # The screen is pushed before it is composed: wait for its list, then for the selection.
        await wait_until(pilot, lambda: bool(app.screen.query("#alloc-list")), what="the allocation list")
        await wait_until(pilot, lambda: app.screen.query_one("#alloc-list", RecordTable).selected_id == 3)
        await wait_until(pilot, lambda: "every current and future allocation" in screen_text(pilot))


async def test_read_only_refuses_changes_but_shows_levelling(hand_db: Path) -> None:
    app = PgmApp(hand_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_resources(pilot)
        for key in ("n", "a", "e", "d"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(
                pilot, lambda: "opened read-only" in screen_text(pilot), what=f"the refusal of {key}"
            )
            assert not isinstance(app.screen, (RecordForm, ConfirmScreen))
        await to_toms_busy_week(pilot)
        await pilot.press("L")
        await wait_until(pilot, lambda: "move +1 wk" in screen_text(pilot), what="the what-if")
