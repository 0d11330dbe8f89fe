from __future__ import annotations

import copy

import pendulum
import pytest

from pgmtui.domain.deps import (
    build_network,
    critical_path,
    dependency_slacks,
    dependency_status,
    find_cycle,
    format_cycle,
    impact_of_late_dependencies,
    propagate,
    slack,
    what_if,
)
from pgmtui.domain.models import Dependency, Milestone

D0 = pendulum.Date(2027, 1, 1)


def day(n: int) -> pendulum.Date:
    """Day n of the test calendar (day 0 = 2027-01-01): keeps the arithmetic readable."""
    return D0.add(days=n)


def ms(
    mid: int, project: int, n: int | None, *, done: bool = False, baseline: int | None = None
) -> Milestone:
    return Milestone(
        id=mid,
        project_id=project,
        name=f"m{mid}",
        baseline_date=day(baseline if baseline is not None else n) if n is not None else None,
        forecast_date=day(n) if n is not None and not done else None,
        actual_date=day(n) if done else None,
    )


def dep(did: int, sup: int, con: int, lag: int = 0, kind: str = "FS") -> Dependency:
    return Dependency(id=did, supplier_id=sup, consumer_id=con, type=kind, lag_days=lag)


# --- slack ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lag", "expected"),
    [
        # Supplier starts day 10, finishes day 20; consumer starts day 30, finishes day 40.
        ("FS", 5, 5),  # 30 − (20 + 5)
        ("SS", 5, 15),  # 30 − (10 + 5)
        ("FF", 5, 15),  # 40 − (20 + 5)
        ("SF", 5, 25),  # 40 − (10 + 5)
        ("FS", -5, 15),  # a 5-day lead: 30 − (20 − 5)
        ("SS", -5, 25),  # 30 − (10 − 5)
        ("FF", -5, 25),  # 40 − (20 − 5)
        ("SF", -5, 35),  # 40 − (10 − 5)
        ("FS", 12, -2),  # late
    ],
)
def test_slack_all_types_with_lag_and_lead(kind, lag, expected):
    assert slack(kind, lag, day(10), day(20), day(30), day(40)) == expected
    # Ordinals work as well as dates.
    o = D0.toordinal()
    assert slack(kind, lag, o + 10, o + 20, o + 30, o + 40) == expected


def test_point_milestones_all_types_agree():
    mss = [ms(1, 1, 10), ms(2, 2, 14)]
    for kind in ("FS", "SS", "FF", "SF"):
        (s,) = dependency_slacks(mss, [dep(1, 1, 2, lag=3, kind=kind)])
        assert s.slack == 1  # 14 − (10 + 3)


@pytest.mark.parametrize(
    ("slack_days", "done", "status"),
    [(-1, False, "late"), (0, False, "at risk"), (5, False, "at risk"), (6, False, "on track"),
     (-9, True, "done"), (None, False, "no dates")],
)  # fmt: skip
def test_dependency_status(slack_days, done, status):
    assert dependency_status(slack_days, done, 5) == status


def test_dependency_slacks_statuses():
    mss = [ms(1, 1, 10), ms(2, 2, 8), ms(3, 2, 20), ms(4, 3, 5, done=True), ms(5, 3, None)]
    out = dependency_slacks(mss, [dep(1, 1, 2), dep(2, 1, 3), dep(3, 4, 2), dep(4, 5, 3)])
    assert [(d.dependency_id, d.slack, d.status) for d in out] == [
        (1, -2, "late"),
        (2, 10, "on track"),
        (3, 3, "done"),
        (4, None, "no dates"),
    ]


# --- cycles --------------------------------------------------------------------------------


def test_find_cycle_names_the_cycle():
    edges = [(1, 2), (2, 3), (3, 4)]
    assert find_cycle(edges, (4, 1)) == [4, 1, 2, 3, 4]
    assert find_cycle(edges, (3, 1)) == [3, 1, 2, 3]
    assert find_cycle(edges, (1, 4)) is None
    assert find_cycle(edges, (5, 5)) == [5, 5]
    assert find_cycle([], (1, 2)) is None
    # Records and rows are accepted as edges.
    assert find_cycle([dep(1, 1, 2), {"supplier_id": 2, "consumer_id": 3}], dep(9, 3, 1)) == [3, 1, 2, 3]
    assert format_cycle([3, 1, 2, 3], {1: "IAM SSO", 2: "CLD LZ"}) == "#3 → IAM SSO → CLD LZ → #3"


# --- propagation ---------------------------------------------------------------------------


def chain_network():
    """Three projects in a chain.

    P1: A1 day 10 → A2 day 20 (in-project order)
    P2: B1 day 32 → B2 day 41
    P3: C1 day 46
    A2 → B1 FS lag 5: slack 32 − (20 + 5) = 7
    B2 → C1 FS lag 0: slack 46 − 41 = 5
    Programme end: day 46 (C1).
    """
    mss = [ms(1, 1, 10), ms(2, 1, 20), ms(3, 2, 32), ms(4, 2, 41), ms(5, 3, 46)]
    deps = [dep(1, 2, 3, lag=5), dep(2, 4, 5)]
    return mss, deps


def test_propagation_through_three_projects():
    mss, deps = chain_network()
    net = build_network(mss, deps)
    before = copy.deepcopy(net.finish)
    imp = propagate(net, {1: 15})
    # A1 +15 (pushed); A2 +15 (same project keeps its gap); B1: 15 − slack 7 = +8; B2 +8 (order);
    # C1: 8 − slack 5 = +3. End day 46 → 49: +3.
    assert [(h.milestone_id, h.days, h.via, h.cause_id) for h in imp.hits] == [
        (1, 15, "push", None),
        (2, 15, "sequence", 1),
        (3, 8, "dependency", 2),
        (4, 8, "sequence", 3),
        (5, 3, "dependency", 4),
    ]
    assert imp.moved == {1: 15, 2: 15, 3: 8, 4: 8, 5: 3}
    assert imp.projects == {1: 15, 2: 8, 3: 3}
    assert imp.hits[-1].new_date == day(49)
    assert (imp.end_before, imp.end_after, imp.end_change_days) == (day(46), day(49), 3)
    assert net.finish == before  # nothing mutated
    # What `pgmtui deps what-if --json` prints: ids as string keys, dates ISO.
    assert imp.to_json() == {
        "pushes": {"1": 15},
        "hits": [
            {"milestone_id": 1, "project_id": 1, "days": 15, "via": "push", "cause_id": None,
             "new_date": day(25).isoformat()},
            {"milestone_id": 2, "project_id": 1, "days": 15, "via": "sequence", "cause_id": 1,
             "new_date": day(35).isoformat()},
            {"milestone_id": 3, "project_id": 2, "days": 8, "via": "dependency", "cause_id": 2,
             "new_date": day(40).isoformat()},
            {"milestone_id": 4, "project_id": 2, "days": 8, "via": "sequence", "cause_id": 3,
             "new_date": day(49).isoformat()},
            {"milestone_id": 5, "project_id": 3, "days": 3, "via": "dependency", "cause_id": 4,
             "new_date": day(49).isoformat()},
        ],
        "projects": {"1": 15, "2": 8, "3": 3},
        "end_before": day(46).isoformat(),
        "end_after": day(49).isoformat(),
        "end_change_days": 3,
    }  # fmt: skip


def test_push_absorbed_by_slack():
    mss, deps = chain_network()
    imp = propagate(build_network(mss, deps), {2: 7})  # exactly A2→B1's slack
    assert imp.moved == {2: 7} and imp.end_change_days == 0


def test_what_if_pull_earlier_is_held_by_dependency_slack():
    mss, deps = chain_network()
    net = build_network(mss, deps)
    pushes = {3: -10}
    imp = what_if(net, 3, -10)
    # B1 can come only 7 days earlier (A2→B1 slack 7); B2 follows; C1 does not come earlier
    # on its own; the end stays at day 46.
    assert imp.moved == {3: -7, 4: -7}
    assert imp.hits[0].via == "dependency" and imp.hits[0].cause_id == 2
    assert imp.end_change_days == 0
    assert pushes == {3: -10}


def test_done_milestones_do_not_move():
    mss, deps = chain_network()
    mss[1] = ms(2, 1, 20, done=True)  # A2 delivered
    imp = propagate(build_network(mss, deps), {1: 15})
    assert imp.moved == {1: 15}


def test_late_dependency_knock_on():
    # X (P1, day 30) → Y (P2, day 25) FS: slack −5, late. Y → Z in P2 (day 40). Y → W (P3, day 31)
    # FS lag 0: slack 6. Honouring X→Y moves Y +5, Z +5 (order), W: 5 − 6 < 0, untouched.
    mss = [ms(1, 1, 30), ms(2, 2, 25), ms(3, 2, 40), ms(4, 3, 31)]
    net = build_network(mss, [dep(7, 1, 2), dep(8, 2, 4)])
    (li,) = impact_of_late_dependencies(net)
    assert li.dependency.dependency_id == 7 and li.dependency.slack == -5
    assert li.impact.moved == {2: 5, 3: 5}
    assert li.impact.projects == {2: 5}
    assert li.impact.end_change_days == 5  # Z was the last milestone
    data = li.to_json()
    assert data["dependency"] == {
        "dependency_id": 7, "supplier_id": 1, "consumer_id": 2, "type": "FS", "lag_days": 0, "slack": -5,
        "status": "late",
    }  # fmt: skip
    assert data["impact"]["hits"][0]["new_date"] == day(30).isoformat()
    assert data["impact"]["pushes"] == {"2": 5} and data["impact"]["end_change_days"] == 5


# --- critical path -------------------------------------------------------------------------


def drawn_network():
    """The hand-drawn network:

        P1:  a(10) ──order, gap 10──▶ b(20)
        P2:  c(25) ──order, gap 15──▶ d(40)
        P3:  e(30)
        b ─FS+5─▶ c    slack 25 − 25 = 0
        a ─FS───▶ e    slack 30 − 10 = 20
        e ─FS+3─▶ d    slack 40 − 33 = 7
        f: undated

    End = d (40). Backward pass: LS(d) = 40 → float 0; LS(c) = 40 − 15 = 25 → 0;
    LS(e) = min(40, 40 − 3) = 37 → float 7; LS(b) = 25 − 5 = 20 → 0;
    LS(a) = min(20 − 10, 37 − 0) = 10 → 0. Chain: d ← c (tight) ← b (tight) ← a (order).
    """
    a, b, c, d, e, f = 1, 2, 3, 4, 5, 6
    mss = [ms(a, 1, 10), ms(b, 1, 20), ms(c, 2, 25), ms(d, 2, 40), ms(e, 3, 30), ms(f, 3, None)]
    deps = [dep(1, b, c, lag=5), dep(2, a, e), dep(3, e, d, lag=3)]
    return mss, deps


def test_critical_path_on_hand_drawn_network():
    mss, deps = drawn_network()
    cp = critical_path(build_network(mss, deps))
    assert cp.end_date == day(40) and cp.end_milestone_id == 4
    assert cp.chain == [1, 2, 3, 4]
    assert cp.floats == {1: 0, 2: 0, 3: 0, 4: 0, 5: 7}
    assert sorted(cp.critical) == [1, 2, 3, 4]
    assert cp.near_critical == []  # e's float 7 > 5
    assert cp.undated == [6]
    assert cp.category(5) == "" and cp.category(4) == "critical" and cp.category(99) == ""
    wider = critical_path(build_network(mss, deps), near_critical_days=7)
    assert wider.near_critical == [5] and wider.category(5) == "near-critical"
    assert cp.to_json() == {
        "end_date": day(40).isoformat(),
        "end_milestone_id": 4,
        "chain": [1, 2, 3, 4],
        "floats": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 7},
        "near_critical_days": 5,
        "critical": [1, 2, 3, 4],
        "near_critical": [],
        "undated": [6],
        "cyclic": [],
    }
    assert wider.to_json()["near_critical"] == [5] and wider.to_json()["near_critical_days"] == 7


def test_critical_path_floats_with_a_late_dependency():
    # s(P1, day 50) → t(P2, day 40) FS is 10 days late; u(P3, day 60) is the end.
    # LS(u) = 60 → float 0; t is a sink: LS 60 → float 20; LS(s) = LS(t) − 0 = 60 → float 10.
    mss = [ms(1, 1, 50), ms(2, 2, 40), ms(3, 3, 60)]
    cp = critical_path(build_network(mss, [dep(1, 1, 2)]))
    assert cp.floats == {1: 10, 2: 20, 3: 0} and cp.chain == [3]
    assert (
        critical_path(build_network(mss, [dep(1, 1, 2)]), near_critical_days=10).category(1)
        == "near-critical"
    )
    # P1: s(50) → s2(60); P2: t(40) → t2(55); s → t FS, 10 late. End 60 (s2).
    # LS(t2) = 60 → float 5; LS(t) = 60 − 15 = 45 → 5; LS(s) = min(60 − 10, 45 − 0) = 45 → −5:
    # s is behind; the chain is s → s2 (order edge, no slack).
    mss = [ms(1, 1, 50), ms(2, 1, 60), ms(3, 2, 40), ms(4, 2, 55)]
    cp = critical_path(build_network(mss, [dep(1, 1, 3)]))
    assert cp.floats == {1: -5, 2: 0, 3: 5, 4: 5}
    assert cp.chain == [1, 2] and cp.category(1) == "critical"


def test_critical_path_empty_and_undated():
    cp = critical_path(build_network([], []))
    assert cp.end_date is None and cp.chain == [] and cp.floats == {}
    cp = critical_path(build_network([ms(1, 1, None)], []))
    assert cp.end_date is None and cp.undated == [1]


def test_backwards_dependency_inside_a_project_drops_the_order_edge():
    # m1 (day 10) then m2 (day 20) in one project, but m2 → m1 is a stated dependency: the
    # date-order edge m1→m2 would close a cycle, so it is dropped and reported.
    mss = [ms(1, 1, 10), ms(2, 1, 20)]
    net = build_network(mss, [dep(1, 2, 1)])
    assert net.dropped_order_edges == [(1, 2)] and net.cyclic == []
    cp = critical_path(net)
    # End 20 (m2); m1 is a sink: LS 20 → float 10; m2: LS = min(20, LS(m1) − 0) → float 0.
    assert cp.floats == {1: 10, 2: 0} and cp.chain == [2]
    assert net.dependencies[0].status == "late"


def test_dependency_cycle_in_data_is_reported_not_fatal():
    mss = [ms(1, 1, 10), ms(2, 2, 20), ms(3, 3, 30)]
    net = build_network(mss, [dep(1, 1, 2), dep(2, 2, 1)])
    assert sorted(net.cyclic) == [1, 2]
    cp = critical_path(net)
    assert cp.floats == {3: 0} and sorted(cp.cyclic) == [1, 2]
    assert propagate(net, {1: 5}).hits == []
    # Nothing but a cycle and an undated milestone: no end, and still both reported.
    only = critical_path(
        build_network([ms(1, 1, 10), ms(2, 2, 20), ms(4, 3, None)], [dep(1, 1, 2), dep(2, 2, 1)]), 7
    )
    assert (only.end_date, only.chain, only.floats, only.near_critical_days) == (None, [], {}, 7)
    assert sorted(only.cyclic) == [1, 2] and only.undated == [4]


def test_network_orders_project_milestones_by_baseline_then_id():
    # m2's baseline is earlier than m1's, so m2 precedes m1 in the project, whatever the forecasts.
    mss = [ms(1, 1, 30, baseline=20), ms(2, 1, 35, baseline=10)]
    net = build_network(mss, [])
    imp = propagate(net, {2: 4})
    assert imp.moved == {2: 4, 1: 4}


def test_long_chain_needs_no_recursion():
    # 5 000 milestones in 50 projects, each depending on the previous with lag 1 (no slack): the
    # whole network is one critical chain; the passes are iterative, so no recursion limit.
    n = 5000
    mss = [ms(i, i // 100, i) for i in range(n)]
    deps = [dep(i, i - 1, i, lag=1) for i in range(1, n)]
    net = build_network(mss, deps)
    cp = critical_path(net)
    assert cp.chain == list(range(n)) and set(cp.floats.values()) == {0}
    assert propagate(net, {0: 2}).end_change_days == 2


def test_a_float_of_one_day_is_near_critical_not_critical():
    # a(P1, day 10) → b(P2, day 11) FS: b is the end (float 0); a may finish by day 11 → float 1.
    cp = critical_path(build_network([ms(1, 1, 10), ms(2, 2, 11)], [dep(1, 1, 2)]))
    assert cp.floats == {1: 1, 2: 0}
    assert (cp.category(1), cp.category(2)) == ("near-critical", "critical")
