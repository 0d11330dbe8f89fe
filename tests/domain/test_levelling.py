"""Levelling suggestions: how far a milestone may slip without moving a dependency, and which
allocation to move or shorten, checked by hand on a four-milestone network.

The network (dates 2026 unless said; day counts checked on a calendar):
    project 1: A0 achieved 1 Nov; A1 4 Dec; A2 18 Dec   (in-project order A0 → A1 → A2)
    project 2: B1 15 Jan 2027
    project 3: C1 26 Feb 2027 — the programme end
    dependency A2 → B1, finish-to-start with a 21-day lag.
Floats (critical_path): C1 0; B1 26 Feb − 15 Jan = 42; A2: latest = min(26 Feb, 26 Feb − 21 =
5 Feb) → 5 Feb − 18 Dec = 49; A1: 5 Feb − its 14-day gap to A2 = 22 Jan → 22 Jan − 4 Dec = 49.
Slack of A2 → B1: 15 Jan − (18 Dec + 21 d = 8 Jan) = 7 d. So A2 may slip 7 d, and A1 too (A2
moves with it); B1 42; C1 and the achieved A0 nothing.
"""

from __future__ import annotations

from datetime import date

import pendulum

from pgmtui.domain.capacity import Allocation, Person
from pgmtui.domain.deps import build_network, critical_path
from pgmtui.domain.levelling import (
    MOVE,
    TRIM_END,
    TRIM_START,
    latest_end,
    move_limits,
    over_weeks,
    slip_allowances,
    suggestions,
)
from pgmtui.domain.models import Dependency, Milestone


def o(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def d(text: str) -> pendulum.Date:
    return pendulum.Date.fromisoformat(text)


def network(lag: int = 21):
    milestones = [
        Milestone(5, 1, "A0", d("2026-11-01"), d("2026-11-01"), d("2026-11-01")),
        Milestone(1, 1, "A1", d("2026-12-04"), d("2026-12-04")),
        Milestone(2, 1, "A2", d("2026-12-18"), d("2026-12-18")),
        Milestone(3, 2, "B1", d("2027-01-15"), d("2027-01-15")),
        Milestone(4, 3, "C1", d("2027-02-26"), d("2027-02-26")),
    ]
    net = build_network(milestones, [Dependency(1, 2, 3, "FS", lag)])
    return net, critical_path(net)


def limits(lag: int = 21, project_ends: dict[int, str] | None = None):
    net, cp = network(lag)
    ends = project_ends or {1: "2026-12-31", 2: "2027-03-31", 3: "2027-02-26"}
    return move_limits(net, cp, {pid: o(day) for pid, day in ends.items()})


def test_floats_of_the_network_as_worked_out() -> None:
    _, cp = network()
    assert {m: cp.floats[m] for m in (1, 2, 3, 4)} == {1: 49, 2: 49, 3: 42, 4: 0}


def test_slip_allowance_is_the_tightest_of_float_and_dependency_slack() -> None:
    net, cp = network()
    assert slip_allowances(net, cp) == {5: 0, 1: 7, 2: 7, 3: 42, 4: 0}
    # A lag of 30 makes A2 → B1 late by 2 d (8 Jan + 9 = 17 Jan > 15 Jan): nothing may move later.
    net, cp = network(lag=30)
    allow = slip_allowances(net, cp)
    assert allow[2] == 0 and allow[1] == 0


PERSON = Person(1, "Tom Okafor", capacity_pct=100)
# X works towards A2 (project 1); Y has no milestone (project 2).
X = Allocation(10, 1, 1, 2, o("2026-11-30"), o("2026-12-11"), 60.0, version=3)
Y = Allocation(11, 1, 2, None, o("2026-11-30"), o("2026-12-04"), 60.0)
WEEK = o("2026-11-30")


def test_latest_end_comes_from_the_milestone_or_the_project() -> None:
    lim = limits()
    # A2 18 Dec + 7 d = 25 Dec (before project 1's end, 31 Dec).
    assert latest_end(X, lim) == (o("2026-12-25"), "milestone", 2)
    assert latest_end(Y, lim) == (o("2027-03-31"), "project", 2)
    # A project ending first bounds it instead.
    lim = limits(project_ends={1: "2026-12-20"})
    assert latest_end(X, lim) == (o("2026-12-20"), "project", 1)
    # Neither a dated milestone nor a project end: nothing says how far it may go.
    assert latest_end(Y, limits(project_ends={1: "2026-12-31"})) == (None, "", None)


def test_suggestions_best_first_with_their_what_if() -> None:
    # Week of 30 Nov: X 60 + Y 60 = 120 > 100.
    found = suggestions(PERSON, [X, Y], WEEK, limits(), first=WEEK, weeks=4)
    assert [(s.action, s.allocation.id) for s in found] == [(MOVE, 10), (TRIM_START, 10), (MOVE, 11)]
    move_x, trim_x, move_y = found
    # X one week later (7–18 Dec, inside 25 Dec): that week drops to Y's 60; X's 60 goes to the
    # weeks of 7 and 14 Dec, which had 60 and 0 — no new over-allocation.
    assert (move_x.new_start, move_x.new_end, move_x.shift_days) == (o("2026-12-07"), o("2026-12-18"), 7)
    assert (move_x.load_before, move_x.load_after, move_x.new_over) == (120.0, 60.0, ())
    assert move_x.after[:4] == (60.0, 60.0, 60.0, 0.0)
    assert move_x.changes == {"start_date": "2026-12-07", "end_date": "2026-12-18"}
    assert (move_x.bound, move_x.bound_id, move_x.latest_end) == ("milestone", 2, o("2026-12-25"))
    # X starting a week later drops its first week's 5 working days.
    assert (trim_x.new_start, trim_x.new_end, trim_x.lost_days) == (o("2026-12-07"), o("2026-12-11"), 5)
    # Y one week later lands on X's second week: 60 + 60 = 120 there — listed last, and says so.
    assert move_y.new_over == (o("2026-12-07"),)


def test_a_move_never_goes_past_the_slip_allowance() -> None:
    # Week of 7 Dec: X 60 + Z 60 = 120. X must move two weeks to leave that week (to 14–25 Dec).
    z = Allocation(12, 1, 3, None, o("2026-12-07"), o("2026-12-11"), 60.0)
    week = o("2026-12-07")
    ends = {1: "2026-12-31", 3: "2026-12-11"}  # Z's project ends that Friday: Z cannot move
    found = suggestions(PERSON, [X, z], week, limits(project_ends=ends), first=WEEK, weeks=4)
    assert [(s.action, s.allocation.id, s.new_end) for s in found][0] == (MOVE, 10, o("2026-12-25"))
    # With a 22-day lag A2 may slip only 6 d (to 24 Dec): the two-week move is not offered, only
    # shortening X to end on Friday 4 Dec (dropping its 5 days in the week of 7 Dec).
    found = suggestions(PERSON, [X, z], week, limits(lag=22, project_ends=ends), first=WEEK, weeks=4)
    assert [(s.action, s.allocation.id, s.new_end, s.lost_days) for s in found] == [
        (TRIM_END, 10, o("2026-12-04"), 5)
    ]


def test_no_suggestion_within_capacity_and_no_move_past_a_close_milestone() -> None:
    assert suggestions(PERSON, [X], WEEK, limits(), first=WEEK, weeks=4) == []  # 60 ≤ 100
    # Towards A1 (4 Dec, may slip 7 d): it may end by 11 Dec, as it already does, so it cannot
    # move; its first week can still be dropped.
    on_critical = Allocation(13, 1, 1, 1, o("2026-11-30"), o("2026-12-11"), 60.0)
    found = suggestions(PERSON, [on_critical, Y], WEEK, limits(), first=WEEK, weeks=4)
    assert [(s.action, s.allocation.id) for s in found if s.allocation.id == 13] == [(TRIM_START, 13)]


def test_long_allocations_are_not_cut_by_more_than_two_weeks() -> None:
    # 60 % from 23 Nov to 31 Jan with Y in the week of 30 Nov: dropping the tail from 30 Nov
    # would lose 9 weeks of work; neither shortening is offered, and no move fits 25 Dec.
    long_x = Allocation(14, 1, 1, 2, o("2026-11-23"), o("2027-01-29"), 60.0)
    found = suggestions(PERSON, [long_x, Y], WEEK, limits(), first=WEEK, weeks=4)
    assert [s.allocation.id for s in found] == [11]


def test_over_weeks_lists_mondays() -> None:
    assert over_weeks(PERSON, [X, Y], WEEK, 3) == [WEEK]
