"""Weekly load, over-allocation and the `resources` RAG evidence, figure by figure.

The calendar used throughout (checked on a 2026 calendar): Monday 23 Nov 2026 starts today's
week (today is Wednesday 25 Nov, the suite's clock); the weeks after start on Mondays 30 Nov,
7 Dec, 14 Dec, 21 Dec and 28 Dec. 1 Jan 2026 and 31 Dec 2026 are Thursdays.
"""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from pgmtui.domain.attention import OVER_ALLOCATED
from pgmtui.domain.capacity import (
    Allocation,
    Person,
    capacity,
    group_by,
    is_over,
    load_of,
    loads,
    monday,
    over_allocations,
    project_team,
    resources_evidence,
    working_days,
)
from pgmtui.domain.models import Snapshot
from pgmtui.domain.rollup import rollup
from pgmtui.domain.standup import standup_diff


def o(text: str) -> int:
    return date.fromisoformat(text).toordinal()


MON = o("2026-11-23")  # today's week
TODAY = o("2026-11-25")  # a Wednesday


def alloc(pid: int, percent: float, start: str, end: str, *, project: int = 1, aid: int = 0) -> Allocation:
    return Allocation(aid, pid, project, None, o(start), o(end), percent)


# ---------------------------------------------------------------------------- calendar arithmetic


def test_monday_of_any_day() -> None:
    assert monday(o("2026-11-23")) == MON  # a Monday is its own
    assert monday(o("2026-11-25")) == MON  # Wednesday
    assert monday(o("2026-11-29")) == MON  # Sunday still belongs to the week that began Monday
    assert monday(o("2026-11-30")) == MON + 7


def test_working_days_skip_weekends() -> None:
    assert working_days(o("2026-11-23"), o("2026-11-27")) == 5  # Mon–Fri
    assert working_days(o("2026-11-25"), o("2026-11-27")) == 3  # Wed–Fri
    assert working_days(o("2026-11-28"), o("2026-11-29")) == 0  # Sat–Sun
    assert working_days(o("2026-11-27"), o("2026-11-30")) == 2  # Fri, (Sat, Sun), Mon
    assert working_days(o("2026-11-27"), o("2026-11-26")) == 0  # backwards: none
    # 2026: 365 days = 52 weeks + 1 day, the extra day a Thursday (31 Dec) → 52 × 5 + 1 = 261.
    assert working_days(o("2026-01-01"), o("2026-12-31")) == 261


# ---------------------------------------------------------------------------- weekly load


def test_the_issues_example_fifty_percent_wednesday_to_friday_is_thirty() -> None:
    # 50 % × 3 working days / 5 = 30 %.
    assert loads([alloc(1, 50, "2026-11-25", "2026-11-27")], MON, 1) == {1: [30.0]}


def test_part_weeks_at_both_ends() -> None:
    # 40 % from Thursday 26 Nov to Tuesday 8 Dec:
    #   week of 23 Nov: Thu, Fri = 2 d → 40 × 2 / 5 = 16; week of 30 Nov: 5 d → 40;
    #   week of 7 Dec: Mon, Tue = 2 d → 16; week of 14 Dec: nothing.
    assert loads([alloc(1, 40, "2026-11-26", "2026-12-08")], MON, 4) == {1: [16.0, 40.0, 16.0, 0.0]}


def test_a_weekend_only_allocation_adds_nothing() -> None:
    assert load_of([alloc(1, 100, "2026-11-28", "2026-11-29")], MON, 2) == [0.0, 0.0]


def test_allocations_add_up_and_people_stay_apart() -> None:
    got = loads(
        [
            alloc(1, 50, "2026-11-23", "2026-12-04"),  # two full weeks at 50
            alloc(1, 30, "2026-11-30", "2026-11-30"),  # Monday 30 Nov only: 30 × 1 / 5 = 6
            alloc(2, 100, "2026-11-30", "2026-12-31"),  # person 2 from the second week
        ],
        MON,
        3,
    )
    assert got == {1: [50.0, 56.0, 0.0], 2: [0.0, 100.0, 100.0]}


def test_an_allocation_spanning_a_year() -> None:
    # 20 % for all of 2026, seen from 23 Nov for 6 weeks: 20 a week, but the week of 28 Dec holds
    # only Mon 28 – Thu 31 (4 d) → 20 × 4 / 5 = 16.
    year = alloc(1, 20, "2026-01-01", "2026-12-31")
    assert load_of([year], MON, 6) == [20.0, 20.0, 20.0, 20.0, 20.0, 16.0]
    # Over the whole year (53 weeks from Monday 29 Dec 2025): 20 × 261 working days / 5 = 1 044.
    whole = load_of([year], o("2025-12-29"), 53)
    assert sum(whole) == pytest.approx(1044.0)
    assert whole[0] == pytest.approx(8.0)  # week of 29 Dec 2025: Thu 1, Fri 2 Jan = 2 d → 8


def test_the_grid_starts_on_the_monday_and_ignores_what_lies_outside() -> None:
    people = [Person(1, "Zoe Ng"), Person(2, "amir Khan"), Person(3, "Bo Idle")]
    grid = capacity(
        people,
        [
            alloc(1, 60, "2026-11-01", "2026-11-20", aid=1),  # ended the week before: not in the grid
            alloc(1, 60, "2026-12-07", "2026-12-11", aid=2),  # week 3
            alloc(2, 80, "2026-11-16", "2026-11-24", aid=3),  # Mon–Tue of week 1: 80 × 2 / 5 = 32
        ],
        TODAY,  # a Wednesday: snapped to its Monday
        3,
    )
    assert grid.first == MON and grid.mondays == [MON, MON + 7, MON + 14]
    assert [r.person.name for r in grid.rows] == ["amir Khan", "Bo Idle", "Zoe Ng"]  # by name, any case
    amir, bo, zoe = grid.rows
    assert amir.load == (32.0, 0.0, 0.0) and [a.id for a in amir.allocations] == [3]
    assert bo.load == (0.0, 0.0, 0.0) and bo.allocations == () and not bo.any_over
    assert zoe.load == (0.0, 0.0, 60.0) and [a.id for a in zoe.allocations] == [2]
    assert grid.week_index(o("2026-12-10")) == 2 and grid.week_index(o("2026-12-14")) is None


def test_over_allocation_is_above_capacity_and_part_timers_have_less() -> None:
    people = [Person(1, "Full Timer", capacity_pct=100), Person(2, "Part Timer", capacity_pct=60)]
    allocations = [
        # Both: 40 + 30 = 70 in week 1, exactly 60 in week 2 (40 + 20).
        *(alloc(pid, 40, "2026-11-23", "2026-12-04") for pid in (1, 2)),
        *(alloc(pid, 30, "2026-11-23", "2026-11-27") for pid in (1, 2)),
        *(alloc(pid, 20, "2026-11-30", "2026-12-04") for pid in (1, 2)),
    ]
    full, part = capacity(people, allocations, MON, 2).rows
    assert full.load == part.load == (70.0, 60.0)
    assert full.over == (False, False)  # 70 ≤ 100
    assert part.over == (True, False)  # 70 > 60; exactly 60 is not over
    assert is_over(100.0000000001, 100) is False  # float rounding is not an over-allocation


def test_group_by_team_sums_loads_and_capacities() -> None:
    people = [
        Person(1, "Ann", role="Architect", team="Design", capacity_pct=100),
        Person(2, "Bea", role="Architect", team="Design", capacity_pct=50),
        Person(3, "Cal", role="Engineer", team=None),
    ]
    allocations = [
        alloc(1, 90, "2026-11-23", "2026-11-27"),
        alloc(2, 70, "2026-11-23", "2026-11-27"),  # Bea alone is over (70 > 50) ...
        alloc(3, 10, "2026-11-23", "2026-11-27"),
    ]
    grid = capacity(people, allocations, MON, 1)
    design, nameless = group_by(grid, "team")
    # ... and so is her team: 90 + 70 = 160 > 100 + 50 = 150.
    assert (design.name, design.capacity_pct, design.load, design.over) == (
        "Design",
        150.0,
        (160.0,),
        (True,),
    )
    assert [m.person.name for m in design.over_members] == ["Bea"]
    assert (nameless.name, nameless.load, nameless.over) == ("", (10.0,), (False,))  # the unnamed last
    (architects, engineers) = group_by(grid, "role")
    assert architects.name == "Architect" and engineers.capacity_pct == 100.0
    with pytest.raises(ValueError):
        group_by(grid, "project")


def test_project_team_this_week_and_next() -> None:
    people = [Person(1, "Ann"), Person(2, "Bea", capacity_pct=50), Person(3, "Cal")]
    allocations = [
        alloc(1, 50, "2026-11-23", "2026-12-31", project=7),  # 50 both weeks
        alloc(2, 40, "2026-11-30", "2026-12-04", project=7),  # next week only; with ...
        alloc(2, 20, "2026-11-30", "2026-12-04", project=8),  # ... this, 60 > her 50: over next week
        alloc(3, 80, "2026-11-23", "2026-11-27", project=8),  # another project only
    ]
    team = project_team(people, allocations, 7, TODAY)
    assert [(m.person.name, m.this_week, m.next_week) for m in team] == [
        ("Ann", 50.0, 50.0),
        ("Bea", 0.0, 40.0),
    ]
    assert (team[1].over_this_week, team[1].over_next_week) == (False, True)
    assert project_team(people, allocations, 9, TODAY) == []


# ---------------------------------------------------------------------------- RAG evidence


def _snapshot(people: list[dict], allocations: list[dict], lookahead: int | None = None) -> Snapshot:
    programme = {"id": 1, "name": "P"}
    if lookahead is not None:
        programme["resource_lookahead_weeks"] = lookahead
    projects = [
        {"id": 1, "code": "ERP", "name": "ERP"},
        {"id": 2, "code": "DAT", "name": "Data"},
        {"id": 3, "code": "NET", "name": "Network"},
    ]
    return Snapshot.from_rows(programme, {"project": projects, "person": people, "allocation": allocations})


def _row(aid: int, person: int, project: int, percent: float, start: str, end: str) -> dict:
    return {"id": aid, "person_id": person, "project_id": project, "percent": percent,
            "start_date": start, "end_date": end, "version": 1}  # fmt: skip


PEOPLE = [
    {"id": 1, "name": "Tom Okafor", "capacity_pct": 100},
    {"id": 2, "name": "Ruth Part", "capacity_pct": 60},
]


def test_resources_evidence_names_the_person_the_week_and_the_load() -> None:
    snap = _snapshot(
        PEOPLE,
        [
            _row(1, 1, 1, 80, "2026-11-30", "2026-12-04"),  # Tom: 80 ERP + 50 DAT = 130 in week of 30 Nov
            _row(2, 1, 2, 50, "2026-11-30", "2026-12-11"),  # ... and 50 in the week of 7 Dec
            _row(3, 2, 3, 50, "2026-11-23", "2026-12-18"),  # Ruth: 50 of her 60 on NET: fine
        ],
    )
    ev = resources_evidence(snap, TODAY)
    text = "Tom Okafor at 130 % in the week of 30 Nov (capacity 100 %)"
    assert ev[1].dimension == "resources" and (ev[1].rag, ev[1].text) == ("A", text)
    assert (ev[2].rag, ev[2].text) == ("A", text)  # DAT shares the over-allocated week
    assert (ev[3].rag, ev[3].text) == ("G", "nobody on it is over-allocated in the next 4 weeks")
    # The dimension joins the project's RAG in the rollup.
    ru = rollup(snap, TODAY)
    erp = next(p for p in ru.projects if p.code == "ERP")
    assert {e.dimension: e.rag for e in erp.rag.evidence}["resources"] == "A"


def test_red_from_one_and_a_half_times_capacity_part_timers_included() -> None:
    def rag(percent: float) -> str | None:
        # Ruth (capacity 60) on two projects in the week of 30 Nov: 40 on ERP + the rest on DAT.
        snap = _snapshot(
            PEOPLE,
            [
                _row(1, 2, 1, 40, "2026-11-30", "2026-12-04"),
                _row(2, 2, 2, percent - 40, "2026-11-30", "2026-12-04"),
            ],
        )
        return resources_evidence(snap, TODAY)[1].rag

    assert rag(90) == "R"  # 90 / 60 = 1.5: Red
    assert rag(89) == "A"  # 89 / 60 = 1.48: Amber
    assert rag(61) == "A"
    assert rag(60) == "G"  # at capacity


def test_the_lookahead_counts_from_todays_week() -> None:
    # Default 4 weeks from Monday 23 Nov: 23 Nov, 30 Nov, 7 Dec, 14 Dec (to Sunday 20 Dec).
    def evidence(start: str, end: str, lookahead: int | None = None):
        snap = _snapshot(PEOPLE, [_row(1, 1, 1, 120, start, end)], lookahead)
        return resources_evidence(snap, TODAY).get(1)

    assert evidence("2026-12-14", "2026-12-18").rag == "A"  # the fourth week: inside
    assert evidence("2026-12-21", "2026-12-25") is None  # the fifth: outside, not assessed
    assert evidence("2026-11-16", "2026-11-20") is None  # last week: past
    assert evidence("2026-11-23", "2026-11-27").rag == "A"  # this week, begun before today: inside
    assert evidence("2026-12-21", "2026-12-25", lookahead=5).rag == "A"  # the programme's setting
    ev = evidence("2026-11-30", "2026-12-04", lookahead=1)  # only this week: staffed next week only
    assert ev is None
    # 120 % for only Sat–Sun of the fourth week: no working day, so nobody is working then.
    assert evidence("2026-12-19", "2026-12-20") is None


def test_the_worst_case_is_named_and_the_others_counted() -> None:
    snap = _snapshot(
        [*PEOPLE, {"id": 3, "name": "Ann Other", "capacity_pct": 100}],
        [
            _row(1, 1, 1, 110, "2026-12-07", "2026-12-11"),  # Tom 110 in the week of 7 Dec
            _row(2, 3, 1, 120, "2026-11-30", "2026-12-04"),  # Ann 120 in the week of 30 Nov: worse
            _row(3, 3, 1, 120, "2026-12-14", "2026-12-18"),  # ... and again later (earliest named)
        ],
    )
    ev = resources_evidence(snap, TODAY)[1]
    assert ev.text == "Ann Other at 120 % in the week of 30 Nov (capacity 100 %); 1 more over-allocated"


def test_no_allocations_no_evidence() -> None:
    assert resources_evidence(_snapshot(PEOPLE, []), TODAY) == {}
    ru = rollup(_snapshot(PEOPLE, []), TODAY)
    assert all(e.dimension != "resources" for p in ru.projects for e in p.rag.evidence)


# ---------------------------------------------------------------------------- stand-up attention


def test_over_allocations_name_each_persons_worst_week_in_the_lookahead() -> None:
    people = [Person(1, "Tom Okafor"), Person(2, "Ruth Part", capacity_pct=60), Person(3, "Cal Fine")]
    allocations = [
        alloc(1, 60, "2026-11-23", "2026-12-18", project=1),  # Tom 60 every week of the four
        alloc(1, 50, "2026-11-30", "2026-12-04", project=2),  # + 50 in the week of 30 Nov → 110
        alloc(1, 80, "2026-12-07", "2026-12-09", project=3),  # + 80 × 3 / 5 = 48 on 7 Dec → 108
        alloc(1, 90, "2026-12-21", "2026-12-25", project=2),  # 90 + 60 = 150 in the fifth week: ...
        alloc(1, 60, "2026-12-21", "2026-12-25", project=3),  # ... outside a look-ahead of 4
        alloc(2, 50, "2026-11-23", "2026-12-18", project=3),  # Ruth 50 of her 60 ...
        alloc(2, 40, "2026-12-14", "2026-12-14", project=1),  # + 40 × 1 / 5 = 8 on 14 Dec → 58: fine
        alloc(2, 25, "2026-11-30", "2026-12-01", project=1),  # + 25 × 2 / 5 = 10 on 30 Nov → 60: not over
        alloc(3, 100, "2026-11-23", "2026-12-18"),  # Cal at exactly 100 %: not over
    ]
    found = over_allocations(people, allocations, TODAY, 4)
    assert [(x.person.name, x.week, x.load, x.weeks_over, x.projects) for x in found] == [
        ("Tom Okafor", MON + 7, 110.0, 2, (1, 2)),  # 30 Nov (110) beats 7 Dec (108)
    ]
    assert not found[0].severe  # 110 / 100 < 1.5
    # Ruth gets 40 % more for the whole week of 14 Dec.
    found = over_allocations(people, [*allocations, alloc(2, 40, "2026-12-14", "2026-12-18")], TODAY, 4)
    # Ruth 14 Dec: 50 + 8 + 40 = 98 of 60 (163 %) comes first, Tom (110 %) after.
    assert [(x.person.name, x.load, x.severe) for x in found] == [
        ("Ruth Part", 98.0, True),
        ("Tom Okafor", 110.0, False),
    ]
    assert over_allocations(people, allocations, TODAY, 5)[0].load == 150.0  # the fifth week counts at 5


def test_the_standup_lists_over_allocated_people() -> None:
    tables = {
        "project": [{"id": 1, "code": "ERP", "name": "ERP"}, {"id": 2, "code": "DAT", "name": "Data"}],
        "person": PEOPLE,
        "allocation": [
            _row(1, 1, 1, 80, "2026-11-30", "2026-12-04"),  # Tom 80 + 50 = 130 in the week of 30 Nov
            _row(2, 1, 2, 50, "2026-11-30", "2026-12-11"),
            _row(3, 2, 2, 90, "2026-12-07", "2026-12-11"),  # Ruth 90 of 60 = 150 %: severe
        ],
    }
    su = standup_diff(
        today=pendulum.Date(2026, 11, 25), since="2026-11-24T10:00:00.000000Z", window="",
        programme={"id": 1, "name": "P", "resource_lookahead_weeks": 3}, tables=tables, benefit_links={},
        audit_rows=[],
    )  # fmt: skip
    section = next(s for s in su.attention if s.title == OVER_ALLOCATED)  # weeks 23 Nov, 30 Nov, 7 Dec
    assert [(line.text, line.kind, line.record_id, line.tone) for line in section.lines] == [
        ("Ruth Part: 90 % in the week of 7 Dec (capacity 60 %) on DAT", "person", 2, "bad"),
        ("Tom Okafor: 130 % in the week of 30 Nov (capacity 100 %) on DAT, ERP", "person", 1, ""),
    ]
    # A look-ahead of one week sees only this week (23 Nov): nobody is over then.
    su = standup_diff(
        today=pendulum.Date(2026, 11, 25), since="2026-11-24T10:00:00.000000Z", window="",
        programme={"id": 1, "name": "P", "resource_lookahead_weeks": 1}, tables=tables, benefit_links={},
        audit_rows=[],
    )  # fmt: skip
    assert next(s for s in su.attention if s.title == OVER_ALLOCATED).lines == []
