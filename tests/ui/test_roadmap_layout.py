"""The roadmap's layout without an app: milestones placed in the columns of each zoom (positions
worked out by hand below), the axis, baselines, collisions, late markers, today's line, grouping."""

from __future__ import annotations

import pendulum
from rich.text import Text

from pgmtui.domain.models import Milestone, Project
from pgmtui.screens.dependencies.roadmap import (
    Axis,
    axis_for,
    axis_line,
    lane_line,
    objective_of_projects,
    roadmap_of,
    unit_start,
)

D = pendulum.Date
TODAY = D(2026, 11, 25)  # a Wednesday

PROJECTS = [
    Project(1, "IAM", "Identity", stage="Delivery"),
    Project(2, "ERP", "ERP", stage="Initiation"),
    Project(3, "NET", "Network", stage="Delivery"),
]
# M1: a gate, baseline Mon 30 Nov, forecast Wed 9 Dec. M2: done on Mon 2 Nov (the earliest date).
# M3: ERP, Fri 15 Jan 2027 (the latest). M4: no dates at all (left off).
MILESTONES = [
    Milestone(1, 1, "Gate 2", D(2026, 11, 30), D(2026, 12, 9), None, True),
    Milestone(2, 1, "Design", D(2026, 11, 2), D(2026, 11, 2), D(2026, 11, 2)),
    Milestone(3, 2, "Go-live", D(2027, 1, 15), D(2027, 1, 15)),
    Milestone(4, 3, "Undated"),
]


def style_at(text: Text, offset: int) -> str:
    return " ".join(str(span.style) for span in text.spans if span.start <= offset < span.end)


def columns(zoom: str) -> dict[int, tuple[int, int | None]]:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, zoom)
    return {m.milestone_id: (m.column, m.baseline_column) for lane in r.lanes for m in lane.marks}


def test_weeks_a_column_a_day_from_the_monday() -> None:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "weeks")
    assert r.axis.origin == D(2026, 11, 2)  # the Monday of the earliest date's week
    # Days since Mon 2 Nov: 30 Nov = 28, 9 Dec = 28 + 9 = 37, 15 Jan = 28 + 31 + 15 = 74.
    assert columns("weeks") == {1: (37, 28), 2: (0, None), 3: (74, None)}
    assert r.today_column == 23  # 25 Nov
    # To the end of the week after the latest date's: Mon 25 Jan − Mon 2 Nov = 84 days.
    assert r.axis.columns == 84
    assert r.axis.ticks()[:3] == [(0, "2 Nov"), (7, "9 Nov"), (14, "16 Nov")]


def test_months_a_column_per_two_days_from_the_first() -> None:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "months")
    assert r.axis.origin == D(2026, 11, 1)
    # Days since 1 Nov, halved: 30 Nov = 29 → 14, 9 Dec = 38 → 19, 2 Nov = 1 → 0, 15 Jan = 75 → 37.
    assert columns("months") == {1: (19, 14), 2: (0, None), 3: (37, None)}
    assert r.today_column == 12  # 24 days → 12
    # To 1 Mar 2027: 30 + 31 + 31 + 28 = 120 days = 60 columns; months start at 0, 15, 30, 46.
    assert r.axis.columns == 60
    assert r.axis.ticks() == [(0, "Nov 26"), (15, "Dec 26"), (30, "Jan 27"), (46, "Feb 27")]


def test_quarters_a_column_a_week_from_the_quarter() -> None:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "quarters")
    assert r.axis.origin == D(2026, 10, 1)
    # Days since 1 Oct, by 7: 9 Dec = 69 → 9, 30 Nov = 60 → 8, 2 Nov = 32 → 4, 15 Jan = 106 → 15.
    assert columns("quarters") == {1: (9, 8), 2: (4, None), 3: (15, None)}
    assert r.today_column == 7  # 55 days
    # To 1 Jul 2027 (the quarter after the latest date's): 273 days → 39 columns.
    assert r.axis.columns == 39
    assert r.axis.ticks() == [(0, "Q4 26"), (13, "Q1 27"), (26, "Q2 27")]


def test_unit_starts_and_axis_with_no_milestones() -> None:
    assert unit_start(D(2026, 11, 29), "weeks") == D(2026, 11, 23)  # Sunday → its Monday
    assert unit_start(D(2026, 11, 29), "months") == D(2026, 11, 1)
    assert unit_start(D(2026, 12, 31), "quarters") == D(2026, 10, 1)
    # Nothing dated: the axis still holds today, from its week to the end of the next.
    assert axis_for([], TODAY, "weeks") == Axis("weeks", D(2026, 11, 23), 14)


def test_lane_glyphs_baseline_late_marker_and_today() -> None:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "weeks", critical=[1], late_in={1: 1})
    iam = r.lanes[0]
    line = lane_line(r, iam)
    plain = line.plain
    assert len(plain) == 84
    assert plain[0] == "✓"  # done on 2 Nov
    assert plain[23] == "│"  # today
    assert plain[28] == "◇"  # the gate's baseline, faint
    assert plain[37] == "◆" and plain[38] == "!"  # the gate, a late dependency into it beside it
    assert plain.count("◆") == 1 and plain.count("●") == 0
    # Critical: red and underlined (underline survives NO_COLOR); the baseline dim.
    assert style_at(line, 37) == "bold red underline" and style_at(line, 28) == "dim"
    # A window of the lane is the same columns of the whole (what the widget draws).
    assert lane_line(r, iam, window=(20, 40)).plain == plain[20:40]
    assert lane_line(r, iam, window=(38, 50)).plain[0] == "!"  # the gate just left of the window
    # An undated milestone's project still has its lane, empty but for today's line.
    net = r.lanes[2]
    assert net.marks == () and lane_line(r, net).plain.strip() == "│"


def test_one_column_two_milestones_the_weightier_or_the_selected_drawn() -> None:
    ms = [
        Milestone(1, 1, "Open", None, D(2026, 12, 1)),
        Milestone(2, 1, "Gate", None, D(2026, 12, 1), None, True),
    ]
    r = roadmap_of(PROJECTS[:1], ms, TODAY, "quarters")
    lane = r.lanes[0]
    assert [m.milestone_id for m in lane.at(lane.marks[0].column)] == [1, 2]
    column = lane.marks[0].column
    assert lane_line(r, lane).plain[column] == "◆"  # the gate outweighs the milestone
    selected = lane_line(r, lane, selected=1)
    assert selected.plain[column] == "●" and style_at(selected, column) == "reverse"


def test_axis_line_labels_and_today() -> None:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "months")
    line = axis_line(r).plain
    assert line.startswith("┊Nov 26")
    assert line[15:22] == "┊Dec 26"
    assert line[12] == "▼"  # today, where no label is


def test_grouping_by_stage_and_by_objective() -> None:
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "months", grouping="stage")
    # Stages in lifecycle order, projects by code within.
    assert [(lane.group, lane.code) for lane in r.lanes] == [
        ("Initiation", "ERP"),
        ("Delivery", "IAM"),
        ("Delivery", "NET"),
    ]
    assert r.groups == ("Initiation", "Delivery")
    objectives = objective_of_projects(
        [
            {"objective_id": 10, "project_id": 1, "strength": 1},
            {"objective_id": 11, "project_id": 1, "strength": 3},  # IAM's strongest: SAFE
            {"objective_id": 10, "project_id": 2, "strength": 2},
            {"objective_id": 11, "project_id": 2, "strength": 2},  # a tie: by code, GROW
            {"objective_id": 10, "project_id": None, "benefit_id": 4, "strength": 3},  # a benefit's
        ],
        [{"id": 10, "code": "GROW"}, {"id": 11, "code": "SAFE"}],
    )
    assert objectives == {1: "SAFE", 2: "GROW"}
    r = roadmap_of(PROJECTS, MILESTONES, TODAY, "months", grouping="objective", objectives=objectives)
    assert [(lane.group, lane.code) for lane in r.lanes] == [
        ("GROW", "ERP"),
        ("SAFE", "IAM"),
        ("No objective", "NET"),
    ]
