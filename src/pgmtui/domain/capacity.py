"""People and capacity: weekly load, over-allocation and the `resources` RAG evidence.

A person's load is counted per Monday–Friday week, in % of a full-time week: each allocation of
p % adds p × (its working days inside the week) / 5 to every week it touches, so 50 % from a
Wednesday to the Friday of one week is 30 % for that week. Weekends never count; holidays are not
known. A person is over-allocated in a week when their load is above their capacity_pct (the share
of a full-time week they give to the programme: a part-timer at 60 % is over at 61 %).

Speed (500 people × 52 weeks well inside 100 ms): dates are integer day ordinals (Python's
``date.toordinal()``, where ordinal 1 is a Monday), so "the Monday of" and "working days between"
are arithmetic, never calendar objects; the allocations are read once, each adding its partial
first and last weeks directly and its full weeks between as one range in a difference array, and
one running sum per person finishes the grid. Levelling suggestions are in levelling.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as _date
from typing import Any

import pendulum

from pgmtui.domain.models import Snapshot
from pgmtui.domain.rag import Evidence

__all__ = [
    "DEFAULT_LOOKAHEAD_WEEKS",
    "EPSILON",
    "RESOURCES",
    "SEVERE_RATIO",
    "Allocation",
    "CapacityGrid",
    "OverAllocation",
    "GroupWeeks",
    "Person",
    "PersonWeeks",
    "TeamMember",
    "allocations_of",
    "capacity",
    "group_by",
    "iso",
    "is_over",
    "load_of",
    "loads",
    "lookahead_weeks",
    "monday",
    "ordinal",
    "over_allocations",
    "people_of",
    "project_team",
    "resources_evidence",
    "week_label",
    "working_days",
]

RESOURCES = "resources"  # the RAG evidence dimension
DEFAULT_LOOKAHEAD_WEEKS = 4
SEVERE_RATIO = 1.5  # a load at or above 150 % of a person's capacity makes the evidence Red
EPSILON = 1e-9  # loads are sums of p × d / 5: compare with a little room for float rounding

# ---------------------------------------------------------------------------- days as ordinals

_ORDINALS: dict[str, int] = {}


def ordinal(value: Any) -> int | None:
    """An ISO date (or a date object) as its day ordinal; None for no date. Cached: a programme
    reuses a few thousand dates over thousands of allocations."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        o = _ORDINALS.get(value)
        if o is None:
            o = _date.fromisoformat(value[:10]).toordinal()
            if len(_ORDINALS) > 100_000:
                _ORDINALS.clear()
            _ORDINALS[value] = o
        return o
    if isinstance(value, _date):
        return value.toordinal()
    raise ValueError(f"not a date: {value!r}")


def iso(o: int) -> str:
    return _date.fromordinal(o).isoformat()


def monday(o: int) -> int:
    """The Monday of the week holding day `o` (ordinal 1, 0001-01-01, was a Monday)."""
    return o - (o - 1) % 7


def _working_days_before(o: int) -> int:
    """Working days (Monday–Friday) from ordinal 1 up to, not including, `o`."""
    n = o - 1
    return 5 * (n // 7) + min(n % 7, 5)


def working_days(start: int, end: int) -> int:
    """Monday–Friday days from `start` to `end`, both included (0 when end < start)."""
    if end < start:
        return 0
    return _working_days_before(end + 1) - _working_days_before(start)


def week_label(first_day: int, *, year: bool = False) -> str:
    """'30 Nov' (or '30 Nov 2026'): how a week is named, by its Monday."""
    d = pendulum.Date.fromordinal(first_day)
    return d.format("D MMM YYYY" if year else "D MMM")


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    role: str | None = None
    team: str | None = None
    capacity_pct: float = 100.0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Person:
        g = row.get
        cap = g("capacity_pct")
        return cls(
            int(g("id") or 0),
            str(g("name") or ""),
            g("role"),
            g("team"),
            100.0 if cap is None else float(cap),
        )


@dataclass(frozen=True, slots=True)
class Allocation:
    id: int
    person_id: int
    project_id: int
    milestone_id: int | None
    start: int  # day ordinals, both included
    end: int
    percent: float
    version: int = 1

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Allocation | None:
        """None for a row the rules cannot use (no dates or percent: another program wrote it)."""
        # Thousands of rows per refresh: no conversion where SQLite already gave the type.
        g = row.get
        s, e, percent, person = g("start_date"), g("end_date"), g("percent"), g("person_id")
        start = _ORDINALS.get(s) if s.__class__ is str else None
        if start is None:
            start = ordinal(s)
        end = _ORDINALS.get(e) if e.__class__ is str else None
        if end is None:
            end = ordinal(e)
        if start is None or end is None or percent is None or person is None:
            return None
        i, project, milestone, version = g("id"), g("project_id"), g("milestone_id"), g("version")
        return cls(
            i if i.__class__ is int else int(i or 0),
            person if person.__class__ is int else int(person),
            project if project.__class__ is int else int(project or 0),
            milestone if milestone is None or milestone.__class__ is int else int(milestone),
            start,
            end,
            percent if percent.__class__ is float else float(percent),
            version if version.__class__ is int else int(version or 1),
        )

    def days_in(self, first_day: int) -> int:
        """Its working days in the week starting on Monday `first_day`."""
        return working_days(max(self.start, first_day), min(self.end, first_day + 4))

    def load_in(self, first_day: int) -> float:
        """What it adds to its person's load in the week starting on Monday `first_day`."""
        return self.percent * self.days_in(first_day) / 5


def people_of(rows: Iterable[Mapping[str, Any]]) -> list[Person]:
    return [Person.from_row(r) for r in rows]


def allocations_of(
    rows: Iterable[Mapping[str, Any]], first: int | None = None, last: int | None = None
) -> list[Allocation]:
    """Allocations from store rows; with `first`/`last` (ordinals) only those overlapping that span.
    The span test runs on the ISO text (which sorts like the dates), so rows outside it are never
    converted."""
    lo = iso(first) if first is not None else None
    hi = iso(last) if last is not None else None
    out = []
    for r in rows:
        if lo is not None and (r.get("end_date") or "") < lo:
            continue
        if hi is not None and (r.get("start_date") or "9999") > hi:
            continue
        a = Allocation.from_row(r)
        if a is not None:
            out.append(a)
    return out


def is_over(load: float, capacity_pct: float) -> bool:
    return load > capacity_pct + EPSILON


# ---------------------------------------------------------------------------- the weekly grid


def loads(allocations: Iterable[Allocation], first: int, weeks: int) -> dict[int, list[float]]:
    """Person id → load per week, for `weeks` weeks from the Monday `first` (one pass).

    People without an allocation in those weeks are left out (their load is 0 every week)."""
    if weeks <= 0:
        return {}
    last = first + 7 * weeks - 1
    partial: dict[int, list[float]] = {}  # first and last weeks of each allocation, added directly
    ranged: dict[int, list[float]] = {}  # full weeks between, as a difference array
    for a in allocations:
        s, e = a.start, a.end
        if e < first or s > last:
            continue
        if s < first:
            s = first
        if e > last:
            e = last
        pid = a.person_id
        row = partial.get(pid)
        if row is None:
            row = partial[pid] = [0.0] * weeks
            diff = ranged[pid] = [0.0] * (weeks + 1)
        else:
            diff = ranged[pid]
        p = a.percent / 5
        ws, sd = divmod(s - first, 7)  # week index and weekday (Monday 0), as `first` is a Monday
        we, ed = divmod(e - first, 7)
        if ed > 4:
            ed = 4  # Saturday and Sunday count as the Friday before (no working day after it)
        if ws == we:
            if sd <= ed:
                row[ws] += p * (ed - sd + 1)
        else:
            if sd <= 4:
                row[ws] += p * (5 - sd)  # from its first day to that Friday
            row[we] += p * (ed + 1)  # from that Monday to its last day
            if we > ws + 1:
                diff[ws + 1] += a.percent
                diff[we] -= a.percent
    for pid, row in partial.items():
        running = 0.0
        diff = ranged[pid]
        for w in range(weeks):
            running += diff[w]
            row[w] += running
    return partial


def load_of(allocations: Iterable[Allocation], first: int, weeks: int) -> list[float]:
    """The summed load per week of some allocations (e.g. one person's, or one project's share)."""
    out = [0.0] * max(weeks, 0)
    for row in loads(allocations, first, weeks).values():
        for w, v in enumerate(row):
            out[w] += v
    return out


@dataclass(frozen=True, slots=True)
class PersonWeeks:
    person: Person
    load: tuple[float, ...]
    over: tuple[bool, ...]
    allocations: tuple[Allocation, ...]  # those with a day inside the grid's weeks

    @property
    def any_over(self) -> bool:
        return any(self.over)

    @property
    def peak(self) -> float:
        return max(self.load, default=0.0)


@dataclass(frozen=True, slots=True)
class CapacityGrid:
    first: int  # the Monday of the first week
    weeks: int
    rows: tuple[PersonWeeks, ...]  # every person, by name

    @property
    def mondays(self) -> list[int]:
        return [self.first + 7 * w for w in range(self.weeks)]

    def week_index(self, day: int) -> int | None:
        w = (day - self.first) // 7
        return w if 0 <= w < self.weeks else None

    @property
    def over_people(self) -> list[PersonWeeks]:
        return [r for r in self.rows if r.any_over]


def capacity(
    people: Iterable[Person], allocations: Iterable[Allocation], first: int, weeks: int
) -> CapacityGrid:
    """Every person's load and over-allocation for `weeks` weeks from the week holding `first`."""
    first = monday(first)
    last = first + 7 * weeks - 1
    inside: dict[int, list[Allocation]] = {}
    for a in allocations:
        if a.end >= first and a.start <= last:
            inside.setdefault(a.person_id, []).append(a)
    by_person = loads((a for lst in inside.values() for a in lst), first, weeks)
    zero = (0.0,) * weeks
    rows = []
    for person in sorted(people, key=lambda p: (p.name.casefold(), p.id)):
        load = by_person.get(person.id)
        if load is None:
            rows.append(PersonWeeks(person, zero, (False,) * weeks, tuple(inside.get(person.id, ()))))
            continue
        cap = person.capacity_pct + EPSILON
        rows.append(
            PersonWeeks(person, tuple(load), tuple([v > cap for v in load]), tuple(inside[person.id]))
        )
    return CapacityGrid(first, weeks, tuple(rows))


@dataclass(frozen=True, slots=True)
class GroupWeeks:
    """People grouped by role or team: their summed load against their summed capacity."""

    name: str  # the role or team; "" for people without one
    members: tuple[PersonWeeks, ...]
    capacity_pct: float
    load: tuple[float, ...]
    over: tuple[bool, ...]

    @property
    def over_members(self) -> list[PersonWeeks]:
        return [m for m in self.members if m.any_over]


def group_by(grid: CapacityGrid, by: str) -> list[GroupWeeks]:
    """The grid's people grouped by `by` ("role" or "team"), groups by name, the unnamed last.

    A group is over-allocated in a week when its summed load is above its summed capacity (a
    team of three full-timers has 300 %); its members' own over-allocations stay on the members."""
    if by not in ("role", "team"):
        raise ValueError(f"group by role or team, not {by!r}")
    groups: dict[str, list[PersonWeeks]] = {}
    for row in grid.rows:
        name = (getattr(row.person, by) or "").strip()
        groups.setdefault(name, []).append(row)
    out = []
    for name in sorted(groups, key=lambda n: (n == "", n.casefold())):
        members = tuple(groups[name])
        cap = sum(m.person.capacity_pct for m in members)
        load = tuple(sum(m.load[w] for m in members) for w in range(grid.weeks))
        out.append(GroupWeeks(name, members, cap, load, tuple(is_over(v, cap) for v in load)))
    return out


# ---------------------------------------------------------------------------- a project's team


@dataclass(frozen=True, slots=True)
class TeamMember:
    person: Person
    this_week: float  # % of a full-time week on this project
    next_week: float
    over_this_week: bool  # over-allocated this week, all projects together
    over_next_week: bool


def project_team(
    people: Iterable[Person], allocations: Sequence[Allocation], project_id: int, today: int
) -> list[TeamMember]:
    """Who works on a project this week or next, with their % on it, most committed first."""
    first = monday(today)
    mine = [a for a in allocations if a.project_id == project_id and a.end >= first and a.start <= first + 13]
    if not mine:
        return []
    on_project = loads(mine, first, 2)
    ids = set(on_project)
    overall = loads((a for a in allocations if a.person_id in ids), first, 2)
    team = []
    for person in people:
        share = on_project.get(person.id)
        if share is None or not (share[0] or share[1]):
            continue
        total = overall.get(person.id, [0.0, 0.0])
        cap = person.capacity_pct
        team.append(TeamMember(person, share[0], share[1], is_over(total[0], cap), is_over(total[1], cap)))
    team.sort(key=lambda m: (-(m.this_week + m.next_week), m.person.name.casefold()))
    return team


# ---------------------------------------------------------------------------- RAG evidence


def lookahead_weeks(snapshot: Snapshot) -> int:
    programme = snapshot.programme
    weeks = programme.resource_lookahead_weeks if programme is not None else DEFAULT_LOOKAHEAD_WEEKS
    return max(1, int(weeks or DEFAULT_LOOKAHEAD_WEEKS))


@dataclass(frozen=True, slots=True)
class OverAllocation:
    """A person over-allocated within the look-ahead: their worst week and what it is made of."""

    person: Person
    week: int  # the Monday of the worst week (highest load against capacity; the earliest on a tie)
    load: float
    weeks_over: int  # how many of the look-ahead weeks are over
    projects: tuple[int, ...]  # project ids with a working day in the worst week, by id

    @property
    def severe(self) -> bool:
        """At or above 150 % of their capacity, as the resources RAG rates Red."""
        cap = self.person.capacity_pct
        return cap <= 0 or self.load / cap >= SEVERE_RATIO - EPSILON


def over_allocations(
    people: Iterable[Person], allocations: Iterable[Allocation], today: int, weeks: int
) -> list[OverAllocation]:
    """Everyone over-allocated in the `weeks` weeks from today's week, the worst first (load against
    capacity), then by name: the stand-up's "needs attention" list."""
    first = monday(today)
    grid = capacity(people, allocations, first, max(1, weeks))
    out = []
    for row in grid.rows:
        if not row.any_over:
            continue
        w = max(range(grid.weeks), key=lambda i: (row.load[i], -i))
        day = first + 7 * w
        projects = sorted({a.project_id for a in row.allocations if a.days_in(day)})
        out.append(OverAllocation(row.person, day, row.load[w], sum(row.over), tuple(projects)))
    out.sort(
        key=lambda o: (-(o.load / o.person.capacity_pct if o.person.capacity_pct > 0 else 1e9), o.person.name)
    )
    return out


def resources_evidence(snapshot: Snapshot, today: int) -> dict[int, Evidence]:
    """The `resources` dimension of each project with someone allocated in the look-ahead.

    Looks at the programme's `resource_lookahead_weeks` weeks from today's week. A project is
    Amber when someone working on it in a week (an allocation with a working day in that week) is
    over-allocated that week, Red when that load is at least 150 % of their capacity, Green
    otherwise; the evidence names the worst case (person, week, load). Projects with nobody
    allocated in those weeks are not assessed (left out)."""
    rows = snapshot.table("allocation")
    if not rows:
        return {}
    weeks = lookahead_weeks(snapshot)
    first = monday(today)
    last = first + 7 * weeks - 1
    allocations = allocations_of(rows, first, last)
    if not allocations:
        return {}
    people = {p.id: p for p in people_of(snapshot.table("person"))}
    load = loads(allocations, first, weeks)
    # Worst (load / capacity) per project, with who, when and how much; and who else was over.
    worst: dict[int, tuple[float, int, int, float]] = {}  # project → (ratio, -week, person, load)
    over_people: dict[int, set[int]] = {}
    staffed: set[int] = set()
    for a in allocations:
        person = people.get(a.person_id)
        row = load.get(a.person_id)
        if person is None or row is None:
            continue
        cap = person.capacity_pct
        start_week = max(0, (a.start - first) // 7)
        end_week = min(weeks - 1, (a.end - first) // 7)
        for w in range(start_week, end_week + 1):
            if not a.days_in(first + 7 * w):
                continue
            staffed.add(a.project_id)
            v = row[w]
            if v <= cap + EPSILON:
                continue
            over_people.setdefault(a.project_id, set()).add(a.person_id)
            key = (v / cap if cap > 0 else float("inf"), -w, a.person_id, v)
            if a.project_id not in worst or key[:2] > worst[a.project_id][:2]:
                worst[a.project_id] = key
    span = f"the next {weeks} weeks" if weeks > 1 else "this week"
    out: dict[int, Evidence] = {}
    for pid in staffed:
        found = worst.get(pid)
        if found is None:
            out[pid] = Evidence(RESOURCES, "G", f"nobody on it is over-allocated in {span}")
            continue
        ratio, neg_week, person_id, v = found
        person = people[person_id]
        others = len(over_people[pid]) - 1
        more = f"; {others} more over-allocated" if others > 0 else ""
        text = (
            f"{person.name} at {v:.0f} % in the week of {week_label(first - 7 * neg_week)} "
            f"(capacity {person.capacity_pct:.0f} %){more}"
        )
        out[pid] = Evidence(RESOURCES, "R" if ratio >= SEVERE_RATIO - EPSILON else "A", text)
    return out
