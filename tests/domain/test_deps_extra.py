"""Dependency rules checked on paper: slack of every type with lag and lead, propagation through a
chain of three projects, and the critical path of a hand-drawn network.

The network used below (dates in January 2027, three projects A, B, C):

    A1 (Jan 1) ──order──▶ A2 (Jan 10)
       │ FS+0                │ FS+5  (slack 20 − 15 = 5)
       ▼ (slack 5 − 1 = 4)   ▼
    B1 (Jan 5) ──order──▶ B2 (Jan 20) ──FS+5──▶ C1 (Jan 25)   (slack 25 − 25 = 0)

Programme end = C1, Jan 25. Backward pass: LS(C1) = 25; LS(B2) = 25 − 5 = 20 → float 0;
LS(B1) = 20 − 15 (gap) = 5 → float 0; LS(A2) = 20 − 5 = 15 → float 5;
LS(A1) = min(15 − 9, LS(B1) 5 − 0) = 5 → float 4. Critical chain B1 → B2 → C1; A1 and A2 are
near-critical (float ≤ 5).
"""

from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.deps import (
    AT_RISK,
    DONE,
    LATE,
    NO_DATES,
    ON_TRACK,
    build_network,
    critical_path,
    dependency_slacks,
    dependency_status,
    find_cycle,
    impact_of_late_dependencies,
    propagate,
    slack,
    what_if,
)
from pgmtui.domain.models import Dependency, Milestone

D = pendulum.Date


def jan(day: int) -> pendulum.Date:
    return D(2027, 1, day)


def network_milestones() -> list[Milestone]:
    return [
        Milestone(1, 1, "A1", jan(1), jan(1)),
        Milestone(2, 1, "A2", jan(10), jan(10)),
        Milestone(3, 2, "B1", jan(5), jan(5)),
        Milestone(4, 2, "B2", jan(20), jan(20)),
        Milestone(5, 3, "C1", jan(25), jan(25)),
    ]


def network_dependencies() -> list[Dependency]:
    return [
        Dependency(1, 1, 3, "FS", 0),
        Dependency(2, 2, 4, "FS", 5),
        Dependency(3, 4, 5, "FS", 5),
    ]


# ------------------------------------------------------------------------------------ slack


@pytest.mark.parametrize(
    ("dep_type", "lag", "expected"),
    [
        # supplier start Jan 3, finish Jan 10; consumer start Jan 15, finish Jan 20
        ("FS", 0, 15 - 10),  # consumer start − supplier finish
        ("FS", 2, 15 - 12),  # lag: supplier finish + 2
        ("FS", -3, 15 - 7),  # lead: supplier finish − 3
        ("SS", 0, 15 - 3),  # consumer start − supplier start
        ("SS", 4, 15 - 7),
        ("SS", -2, 15 - 1),
        ("FF", 0, 20 - 10),  # consumer finish − supplier finish
        ("FF", 5, 20 - 15),
        ("FF", -10, 20 - 0),
        ("SF", 0, 20 - 3),  # consumer finish − supplier start
        ("SF", 20, 20 - 23),  # a lag that makes it late
        ("SF", -1, 20 - 2),
    ],
)
def test_slack_of_every_type_with_lag_and_lead(dep_type: str, lag: int, expected: int) -> None:
    assert slack(dep_type, lag, jan(3), jan(10), jan(15), jan(20)) == expected
    # ordinals work the same as dates
    assert slack(dep_type, lag, jan(3).toordinal(), jan(10), jan(15), jan(20).toordinal()) == expected


def test_slack_without_a_date_the_type_names_is_none_and_reads_no_dates() -> None:
    # FS reads the supplier's finish and the consumer's start: the other two ends may be missing.
    assert slack("FS", 0, None, jan(10), jan(15), None) == 15 - 10
    assert slack("FS", 0, jan(3), None, jan(15), jan(20)) is None  # no supplier finish
    assert slack("SF", 0, jan(3), jan(10), jan(15), None) is None  # no consumer finish
    assert slack("SS", 2, "", jan(10), jan(15), jan(20)) is None  # '' is a missing date too
    assert dependency_status(slack("FF", 0, None, None, None, None), supplier_done=False) == NO_DATES


@pytest.mark.parametrize("dep_type", ["FS", "SS", "FF", "SF"])
def test_point_milestone_slack_and_status_for_every_type(dep_type: str) -> None:
    # Point milestones: start = finish, so each type reads consumer − (supplier + lag).
    ms = [Milestone(1, 1, "S", forecast_date=jan(10)), Milestone(2, 2, "C", forecast_date=jan(14))]
    cases = {
        0: (4, AT_RISK),  # 14 − 10
        -3: (7, ON_TRACK),  # lead: 14 − 7
        6: (-2, LATE),  # lag: 14 − 16
        4: (0, AT_RISK),  # exactly on time: no slack left, not late
    }
    for lag, (expected_slack, expected_status) in cases.items():
        (ds,) = dependency_slacks(ms, [Dependency(9, 1, 2, dep_type, lag)], near_critical_days=5)
        assert (ds.slack, ds.status) == (expected_slack, expected_status), lag


def test_done_supplier_and_undated_end() -> None:
    ms = [
        Milestone(1, 1, "S", forecast_date=jan(20), actual_date=jan(18)),
        Milestone(2, 2, "C", forecast_date=jan(14)),
        Milestone(3, 2, "Undated"),
    ]
    done, undated = dependency_slacks(ms, [Dependency(1, 1, 2), Dependency(2, 1, 3)])
    assert (done.slack, done.status) == (14 - 18, DONE)  # delivered: done, even if after need-by
    assert (undated.slack, undated.status) == (None, DONE)
    (no_dates,) = dependency_slacks(ms, [Dependency(3, 3, 2)])
    assert (no_dates.slack, no_dates.status) == (None, "no dates")


# ------------------------------------------------------------------------------------ propagation


def test_propagation_through_a_chain_of_three_projects() -> None:
    net = build_network(network_milestones(), network_dependencies(), near_critical_days=5)
    impact = propagate(net, {2: 10})  # A2 slips 10 days
    got = [(h.milestone_id, h.days, h.via, h.cause_id) for h in impact.hits]
    # A2 +10; B2 absorbs its 5 days of slack → +5; C1 has none → +5. A1 and B1 do not move.
    assert got == [(2, 10, "push", None), (4, 5, "dependency", 2), (5, 5, "dependency", 4)]
    assert impact.hits[-1].new_date == jan(30)
    assert impact.projects == {1: 10, 2: 5, 3: 5}
    assert (impact.end_before, impact.end_after, impact.end_change_days) == (jan(25), jan(30), 5)


def test_a_slip_within_slack_moves_nothing_downstream() -> None:
    net = build_network(network_milestones(), network_dependencies())
    impact = what_if(net, 2, 5)  # exactly the slack of A2 → B2
    assert [(h.milestone_id, h.days) for h in impact.hits] == [(2, 5)]
    assert impact.end_change_days == 0


def test_an_early_slip_runs_along_the_project_sequence() -> None:
    net = build_network(network_milestones(), network_dependencies())
    impact = what_if(net, 3, 3)  # B1 +3: B2 keeps its planned gap → +3 → C1 +3
    assert [(h.milestone_id, h.days, h.via) for h in impact.hits] == [
        (3, 3, "push"),
        (4, 3, "sequence"),
        (5, 3, "dependency"),
    ]
    assert impact.end_change_days == 3


def test_pulling_in_and_done_milestones() -> None:
    ms = network_milestones()
    ms[3] = Milestone(4, 2, "B2", jan(20), jan(20), actual_date=jan(20))  # B2 delivered
    net = build_network(ms, network_dependencies())
    impact = what_if(net, 2, 30)
    assert [(h.milestone_id, h.days) for h in impact.hits] == [(2, 30)]  # stops at the done B2
    assert impact.end_after == D(2027, 2, 9)  # A2 itself now ends the programme (Jan 10 + 30)
    assert impact.end_change_days == 15


def test_impact_of_a_late_dependency() -> None:
    ms = network_milestones()
    ms[1] = Milestone(2, 1, "A2", jan(10), jan(22))  # A2 forecast Jan 22: A2 → B2 needs Jan 27
    net = build_network(ms, network_dependencies())
    late = [d for d in net.dependencies if d.status == LATE]
    assert [(d.dependency_id, d.slack) for d in late] == [(2, -7)]
    (li,) = impact_of_late_dependencies(net)
    assert [(h.milestone_id, h.days) for h in li.impact.hits] == [(4, 7), (5, 7)]
    assert li.impact.end_change_days == 7


# ------------------------------------------------------------------------------------ critical path


def test_critical_path_of_a_hand_drawn_network() -> None:
    net = build_network(network_milestones(), network_dependencies(), near_critical_days=5)
    cp = critical_path(net)
    assert cp.end_date == jan(25)
    assert cp.end_milestone_id == 5
    assert cp.chain == [3, 4, 5]
    assert cp.floats == {1: 4, 2: 5, 3: 0, 4: 0, 5: 0}
    assert sorted(cp.critical) == [3, 4, 5]
    assert sorted(cp.near_critical) == [1, 2]
    assert cp.category(1) == "near-critical" and cp.category(5) == "critical"
    assert critical_path(net, near_critical_days=4).near_critical == [1]


def test_critical_path_after_a_slip_switches_to_the_other_chain() -> None:
    ms = network_milestones()
    ms[1] = Milestone(2, 1, "A2", jan(10), jan(22))  # A2 late into B2 by 7 days
    cp = critical_path(build_network(ms, network_dependencies()))
    # End still C1 (Jan 25). A2 must be done by LS(B2) − 5 = Jan 15: float −7 (behind).
    assert cp.floats[2] == -7
    assert cp.chain[-1] == 5
    assert 2 in cp.critical


def test_find_cycle_names_the_loop() -> None:
    edges = [(1, 3), (3, 4), (4, 5)]
    assert find_cycle(edges, (5, 1)) == [5, 1, 3, 4, 5]
    assert find_cycle(edges, (1, 5)) is None
    assert find_cycle(edges, (2, 2)) == [2, 2]
