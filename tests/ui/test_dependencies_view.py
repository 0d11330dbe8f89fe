"""The Dependencies screen's views without an app: Model in, rows / cells / panel lines out.

The hand-made network (the same as tests/ui/test_dependencies.py; today 2026-11-25):

    AAA:A1 (Jan 1) ─order─▶ AAA:A2 (Jan 22; baseline Jan 10)
       │ #1 FS+0, Ann            │ #2 FS+5, Bob
       ▼                         ▼
    BBB:B1 (Jan 5) ─order─▶ BBB:B2 (Jan 20) ─#3 FS+5, Cy─▶ CCC:C1 (Jan 25) ─order─▶ CCC:C2 (Feb 10)

Slack (consumer − (supplier + lag)): #1 Jan 5 − Jan 1 = +4 (at risk: ≤ 5 days), #2 Jan 20 − (Jan 22
+ 5) = −7 (late), #3 Jan 25 − (Jan 20 + 5) = 0 (at risk). Need-by (consumer − lag): #1 Jan 5,
#2 Jan 15, #3 Jan 20. The programme ends with C2 on 2027-02-10.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pendulum
import pytest
from rich.text import Text

from pgmtui.model import Model
from pgmtui.screens.dependencies import critical_data
from pgmtui.screens.dependencies.critical import critical_table, milestone_name_width, milestone_panel
from pgmtui.screens.dependencies.matrix import matrix_of, matrix_panel, matrix_row, matrix_totals
from pgmtui.screens.dependencies.view import (
    BoardFilter,
    DepRow,
    board_layout,
    board_rows,
    board_table,
    clip,
    project_cycle,
    summary_text,
    visible_rows,
)
from pgmtui.screens.dependencies.whatif import WhatIf, dependency_panel
from pgmtui.services import build_model, network_of
from pgmtui.store import Store

ORDER = ["AAA", "BBB", "CCC"]


@pytest.fixture
def model(db_path: Path) -> Model:
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
        for code, name, base, fc in (
            ("AAA", "A1", "2027-01-01", "2027-01-01"),
            ("AAA", "A2", "2027-01-10", "2027-01-22"),
            ("BBB", "B1", "2027-01-05", "2027-01-05"),
            ("BBB", "B2", "2027-01-20", "2027-01-20"),
            ("CCC", "C1", "2027-01-25", "2027-01-25"),
            ("CCC", "C2", "2027-02-10", "2027-02-10"),
        ):
            s.insert("milestone", {"project": code, "name": name, "baseline_date": base, "forecast_date": fc})
        s.insert("dependency", {"supplier": "AAA:A1", "consumer": "BBB:B1", "owner": "Ann"})
        s.insert("dependency", {"supplier": "AAA:A2", "consumer": "BBB:B2", "lag_days": 5, "owner": "Bob"})
        s.insert("dependency", {"supplier": "BBB:B2", "consumer": "CCC:C1", "lag_days": 5, "owner": "Cy"})
        return build_model(s, pendulum.Date(2026, 11, 25))


def deps_of(model: Model) -> dict[int, DepRow]:
    return {r.id: r for r in board_rows(model)}


def plain_cells(row) -> dict[str, str]:
    return {k: v.plain if isinstance(v, Text) else v for k, v in row.cells.items()}


def lines(texts: list[Text]) -> list[str]:
    return [t.plain for t in texts]


# ---------------------------------------------------------------------------------- board


def test_board_rows_carry_slack_status_and_need_by(model: Model) -> None:
    deps = deps_of(model)
    got = {
        i: (r.supplier, r.consumer, r.type_lag, r.slack, r.status, str(r.need_by)) for i, r in deps.items()
    }
    assert got == {
        1: ("AAA:A1", "BBB:B1", "FS", 4, "at risk", "2027-01-05"),
        2: ("AAA:A2", "BBB:B2", "FS+5", -7, "late", "2027-01-15"),
        3: ("BBB:B2", "CCC:C1", "FS+5", 0, "at risk", "2027-01-20"),
    }


def test_late_first_then_tightest_slack(model: Model) -> None:
    # late #2 (−7), then the at-risk ones by slack: #3 (0) before #1 (+4)
    assert [r.id for r in visible_rows(deps_of(model).values(), BoardFilter(), ORDER)] == [2, 3, 1]


@pytest.mark.parametrize(
    ("board", "expected"),
    [
        (BoardFilter(status="at risk"), [3, 1]),
        (BoardFilter(status="late"), [2]),
        (BoardFilter(project="CCC"), [3]),  # either end: CCC only consumes #3
        (BoardFilter(project="BBB"), [2, 3, 1]),  # BBB is at an end of all three
        (BoardFilter(text="owner:bob"), [2]),
        (BoardFilter(text="from:AAA"), [2, 1]),
        (BoardFilter(text="to:bbb status:risk"), [1]),
        (BoardFilter(status="done"), []),
    ],
)
def test_board_filters(model: Model, board: BoardFilter, expected: list[int]) -> None:
    assert [r.id for r in visible_rows(deps_of(model).values(), board, ORDER)] == expected


def test_grouped_by_consumer_keeps_late_first_within_each_group(model: Model) -> None:
    board = BoardFilter(grouping="consumer")
    table = board_table(deps_of(model).values(), board, 120, ORDER)
    # BBB consumes #2 (late) and #1 (at risk); CCC consumes #3
    assert [r.id for r in table.rows] == [2, 1, 3]
    assert [r.group.plain for r in table.rows] == ["BBB", "BBB", "CCC"]
    by_supplier = board_table(deps_of(model).values(), BoardFilter(grouping="supplier"), 120, ORDER)
    assert [(r.id, r.group.plain) for r in by_supplier.rows] == [(2, "AAA"), (1, "AAA"), (3, "BBB")]
    assert all(r.group is None for r in board_table(deps_of(model).values(), BoardFilter(), 120).rows)


def test_board_layout_shares_the_width_between_the_names() -> None:
    # 80: status 6 + slack 5 + two dates of 9 = 29, six columns padded 2 each = 12, 3 for the edges:
    # (80 − 44) // 2 = 18 per name; dates short, status short.
    assert board_layout(80, grouped=False) == board_layout(80, False, False)
    layout = board_layout(80, grouped=False)
    assert (layout.short_dates, layout.short_status, layout.name_width) == (True, True, 18)
    assert board_layout(80, grouped=True).name_width == 15  # 6 more for the group label: (80 − 50) // 2
    assert board_layout(80, False, sorted_by_column=True).name_width == 17  # 2 for " ▼": (80 − 46) // 2
    # 120: status 10 + slack 5 + dates 10 + 10 + type 5 = 40, 7 columns × 2, 3: (120 − 57) // 2 = 31
    layout = board_layout(120, grouped=False)
    assert (layout.short_dates, layout.short_status, layout.name_width) == (False, False, 31)
    # 150: the owner (16) joins: 56 + 8 × 2 + 3 = 75 → (150 − 75) // 2 = 37
    assert board_layout(150, grouped=False).name_width == 37
    assert board_layout(40, grouped=False).name_width == 12  # never below 12


def test_board_cells_and_sort_values(model: Model) -> None:
    table = board_table(deps_of(model).values(), BoardFilter(), 80, ORDER)
    late = table.rows[0]
    assert plain_cells(late) == {
        "status": "● late",
        "slack": "-7d",
        "supplier": "AAA:A2",
        "consumer": "BBB:B2",
        "type": "FS+5",
        "forecast": "22 Jan 27",
        "need": "15 Jan 27",
        "owner": "Bob",
    }
    assert late.sort["slack"] == -7 and late.sort["need"] == "2027-01-15"
    assert late.sort["status"] < table.rows[1].sort["status"]  # late sorts before at risk
    wide = board_table(deps_of(model).values(), BoardFilter(), 120, ORDER)
    assert plain_cells(wide.rows[1])["status"] == "▲ at risk"
    assert plain_cells(wide.rows[1])["forecast"] == "2027-01-20"


def test_columns_fit_every_dependency_even_the_filtered_out(model: Model) -> None:
    widths = {c.key: c.width for c in board_table(deps_of(model).values(), BoardFilter(), 120).columns}
    # status: "▲ at risk" (9) > "Status"; slack: the label (5) > "-7d"; dates: 10; names: "AAA:A2" (6)
    # < "Supplier" (8); owner: "Owner" (5) > "Bob"
    assert widths == {
        "status": 9,
        "slack": 5,
        "supplier": 8,
        "consumer": 8,
        "type": 4,
        "forecast": 10,
        "need": 10,
        "owner": 5,
    }
    late_only = board_table(deps_of(model).values(), BoardFilter(status="late"), 120)
    assert [r.id for r in late_only.rows] == [2]
    assert {c.key: c.width for c in late_only.columns} == widths  # "● late" alone would be 6


def test_prepared_cells_are_reused_while_the_layout_holds(model: Model) -> None:
    deps = deps_of(model).values()
    first = board_table(deps, BoardFilter(), 120, ORDER)
    typed = board_table(deps, BoardFilter(text="bob"), 120, ORDER, prepared=first.prepared)
    assert [r.id for r in typed.rows] == [2]
    assert typed.prepared is first.prepared and typed.rows[0] is first.prepared.rows[2]  # not rebuilt
    # a new model where only #3 changed: #1 and #2 keep their rows, #3 gets a new one
    moved = {**deps_of(model), 3: replace(deps_of(model)[3], slack=-2, status="late")}
    live = board_table(moved.values(), BoardFilter(), 120, ORDER, prepared=first.prepared)
    assert live.prepared.rows[1] is first.prepared.rows[1] and live.prepared.rows[2] is first.prepared.rows[2]
    assert plain_cells(live.prepared.rows[3])["status"] == "● late"
    assert [r.id for r in live.rows] == [2, 3, 1]
    narrower = board_table(deps, BoardFilter(), 80, ORDER, prepared=first.prepared)
    assert narrower.prepared is not first.prepared
    assert plain_cells(narrower.rows[0])["forecast"] == "22 Jan 27"  # short dates below 110 columns
    crit = critical_table(model, 80)
    assert critical_table(model, 80, project="CCC", prepared=crit.prepared).prepared is crit.prepared
    assert critical_table(model, 120, prepared=crit.prepared).prepared is not crit.prepared


def test_clip_cuts_record_text_and_keeps_it_literal() -> None:
    assert clip("Data migration rehearsal", 10).plain == "Data migr…"
    assert clip("short", 10).plain == "short"
    markup = clip("[bold red]x[/]", 40)
    assert markup.plain == "[bold red]x[/]" and not markup.spans


def test_project_cycle_runs_through_the_projects_in_programme_order(model: Model) -> None:
    deps = deps_of(model).values()
    seen, current = [], ""
    for _ in range(4):
        current = project_cycle(deps, ORDER, current)
        seen.append(current)
    assert seen == ["AAA", "BBB", "CCC", ""]


def test_summary_counts_and_narrowing(model: Model) -> None:
    deps = list(deps_of(model).values())
    first, second = summary_text(model, deps, view="board", board=BoardFilter(), shown=3).plain.split("\n")
    assert first == "3 deps  ● 1 late   ▲ 2 at risk   │ end 2027-02-10"
    assert second == "View board"
    narrowed = BoardFilter(status="at risk", project="BBB", text="cy", grouping="supplier")
    text = summary_text(model, deps, view="board", board=narrowed, shown=1, nudge=3).plain
    assert text.split("\n")[1] == (
        "View board (1 of 3) · by supplier · status at risk · project BBB · filter cy"
        "   WHAT-IF +3d, not saved "
    )
    crit = summary_text(model, deps, view="critical", board=BoardFilter(), shown=3).plain
    # the chain A1 → A2 → B2 → C1 → C2; every milestone has float ≤ 0 (see test_critical_rows)
    assert (
        crit.split("\n")[1] == "View critical path · chain of 5 · 6 critical · 0 near-critical (float ≤ 5d)"
    )


# ---------------------------------------------------------------------------------- knock-on


def test_a_late_dependency_shows_what_honouring_it_moves(model: Model) -> None:
    panel = lines(dependency_panel(model, network_of(model.snapshot), deps_of(model)[2]))
    assert panel == [
        "#2 AAA:A2 → BBB:B2 · FS+5 · Bob",
        "Forecast 2027-01-22, needed by 2027-01-15: ● late slack -7d · supplier float -7d",
        # The network's date for BBB beside its plan (issue 19): its end 2027-03-01 + 7 d.
        "⚠ BBB implied end 2027-03-08 vs entered forecast 2027-03-01 (+7d)",
        # B2 re-planned to Jan 22 + 5 = Jan 27 (+7), then C1 and C2 by the same 7 days
        "Late 7d; if BBB re-plans to honour it: end 2027-02-10 → 2027-02-17 (+7d) · pushes BBB +7d, CCC +7d",
        "    +7d BBB:B2 → 2027-01-27  (re-planned to honour it)",
        "    +7d CCC:C1 → 2027-02-01  (dependency from BBB:B2)",
        "    +7d CCC:C2 → 2027-02-17  (in-project order from CCC:C1)",
    ]


def test_a_nudge_beyond_the_slack_moves_the_consumer(model: Model) -> None:
    net = network_of(model.snapshot)
    dep = deps_of(model)[1]  # slack +4: a slip of up to 4 days is absorbed
    assert lines(dependency_panel(model, net, dep))[3] == (  # [2]: BBB's implied end (late #2)
        "No knock-on: a supplier slip of up to 4d is absorbed. + / - test a slip."
    )
    panel = lines(dependency_panel(model, net, dep, nudge=5))
    # A1 +5 leaves the slack at 4 − 5 = −1: B1 is re-planned +1. A1 is on the critical chain
    # (A1 → A2 in-project, float −7), so the slip carries through A2, B2, C1 to the end: +5.
    assert panel[3] == (
        "What if AAA moves +5d (not saved): slack -1d · end 2027-02-10 → 2027-02-15 (+5d) · "
        "pushes AAA +5d, BBB +5d, CCC +5d"
    )
    assert "    +5d AAA:A1 → 2027-01-06  (what-if)" in panel
    assert "    +1d BBB:B1 → 2027-01-06  (re-planned to honour it)" in panel
    assert panel[-1] == "    +1d BBB:B1 → 2027-01-06  (re-planned to honour it)"  # smallest move last


def test_what_if_belongs_to_its_selection() -> None:
    w = WhatIf().nudged(("dependency", 3), 1).nudged(("dependency", 3), 7)
    assert (w.target, w.days) == (("dependency", 3), 8)
    assert w.follow(("dependency", 3)) is w
    assert w.follow(("dependency", 1)).days == 0  # another selection: no nudge
    assert w.nudged(("milestone", 4), -1).days == -1  # starts again from 0 on another record
    assert w.reset() == WhatIf(("dependency", 3), 0)


# ---------------------------------------------------------------------------------- critical path


def test_critical_rows(model: Model) -> None:
    table = critical_table(model, 80)
    # Float = least over successors of (their float + dependency slack), in-project order carrying
    # the float whole: C2 0 (sets the end), C1 0, B2 0 (slack 0 to C1), A2 −7 (slack −7 to B2),
    # A1 −7 (A2 follows it), B1 0 (B2 follows it). The chain A1 → A2 → B2 → C1 → C2 comes first.
    assert [r.id for r in table.rows] == [1, 2, 4, 5, 6, 3]
    assert [r.id for r in table.rows] == [
        *(step["id"] for step in critical_data(model)["path"]),
        3,
    ]
    assert plain_cells(table.rows[0]) == {
        "mark": "◆ path",
        "float": "-7d",
        "date": "01 Jan 27",
        "project": "AAA",
        "milestone": "A1",
    }
    assert plain_cells(table.rows[-1])["mark"] == "● crit"  # B1: float 0, not on the chain
    assert table.rows[0].sort["float"] == -7
    assert {c.key: c.width for c in table.columns} == {
        "mark": 6,  # "◆ path"
        "float": 5,  # the label
        "date": 9,  # "01 Jan 27"
        "project": 4,  # "Proj"
        "milestone": 9,  # "Milestone"
    }


def test_critical_rows_narrowed_by_project_and_words(model: Model) -> None:
    assert [r.id for r in critical_table(model, 80, project="CCC").rows] == [5, 6]
    assert [r.id for r in critical_table(model, 80, query="b").rows] == [4, 3]  # bbb:b2, bbb:b1
    # `field:value` words are the board's: ignored here
    assert [r.id for r in critical_table(model, 80, query="status:late a2").rows] == [2]
    # the columns still fit every milestone
    assert critical_table(model, 80, project="CCC").columns == critical_table(model, 80).columns


def test_milestone_name_width() -> None:
    # mark 6 + float 6 + date 9 + project 6 = 27, five columns × 2 padding, 3 for the edges
    assert milestone_name_width(80) == 80 - 27 - 10 - 3 == 40
    assert milestone_name_width(120) == 120 - 28 - 10 - 3 == 79  # dates of 10 from 100 columns
    assert milestone_name_width(80, sorted_by_column=True) == 38
    assert milestone_name_width(30) == 16


def test_milestone_panel_and_its_what_if(model: Model) -> None:
    net = network_of(model.snapshot)
    deps = deps_of(model).values()
    panel = lines(milestone_panel(model, net, 4, deps))
    assert panel == [
        "BBB:B2 · float 0d ◆ path",
        "Forecast 2027-01-20 · baseline 2027-01-20 (0d) · any slip moves the programme end",
        "Feeds ▲ CCC:C1 (0d)",
        "Needs ● AAA:A2 (-7d)",
        "+ / - (] / [ a week) to test a slip of this milestone; nothing is saved.",
    ]
    nudged = lines(milestone_panel(model, net, 4, deps, nudge=2))
    assert nudged[4:] == [
        "What if it moves +2d (not saved): end 2027-02-10 → 2027-02-12 (+2d) · pushes BBB +2d, CCC +2d",
        "    +2d BBB:B2 → 2027-01-22  (what-if)",
        "    +2d CCC:C1 → 2027-01-27  (dependency from BBB:B2)",  # slack 0: all of it passes
        "    +2d CCC:C2 → 2027-02-12  (in-project order from CCC:C1)",
    ]
    a2 = lines(milestone_panel(model, net, 2, deps))
    # A2: forecast Jan 22 against a baseline of Jan 10 = +12d; float −7
    assert (
        a2[1] == "Forecast 2027-01-22 · baseline 2027-01-10 (+12d) · 7d behind the date its successors need"
    )


# ---------------------------------------------------------------------------------- matrix


def test_matrix_cells_totals_and_panel(model: Model) -> None:
    deps = deps_of(model)
    matrix = matrix_of(deps.values(), ORDER)
    assert matrix.codes == ORDER
    assert [t.plain for t in matrix_row(matrix, "AAA")] == ["AAA", "·", "●2", "·", "2"]  # #1, #2: worst late
    assert [t.plain for t in matrix_row(matrix, "BBB")] == ["BBB", "·", "·", "▲1", "1"]
    assert [t.plain for t in matrix_totals(matrix)] == ["in", "0", "2", "1", "3"]
    assert matrix.worst_pair() == ("AAA", "BBB")
    panel = lines(matrix_panel(matrix, ("AAA", "BBB"), deps))
    assert panel[1:] == [
        "AAA → BBB: 2 dependencies (1 late, 1 at risk)",
        "  ● late   -7d  A2 → B2",
        "  ▲ risk   +4d  A1 → B1",
    ]
    assert lines(matrix_panel(matrix, ("CCC", "AAA"), deps))[1] == "CCC → AAA: 0 dependencies"
    assert len(matrix_panel(matrix, None, deps)) == 1  # the legend alone
