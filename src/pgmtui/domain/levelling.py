"""Resource levelling suggestions: for a person's over-allocated week, which allocation could move
later or be shortened so the week fits their capacity — never breaking a dependency.

Unlike a scheduler's silent levelling, this proposes and explains; nothing is written until the
user applies one suggestion (an ordinary audited update of the allocation's dates).

What may move, and how far:
- An allocation working towards a milestone may end, at the latest, when that milestone could
  happen without pushing anything else: its date plus its *slip allowance* — the least of its
  float (domain/deps.py critical_path: how far it can slip before the programme end moves) and the
  slack of every dependency it supplies, and of every dependency supplied by the later milestones
  of its project (which, in the network, move with it). A milestone already achieved allows
  nothing. So a move within the allowance leaves every dependency met and every other milestone
  where it is.
- An allocation without a (dated) milestone may end, at the latest, on its project's forecast end
  (else its baseline end); with neither, it is not moved.
- Shortening (dropping the over-allocated week from the start or the end of an allocation) never
  moves anything later, so it is always allowed; it drops work, which the suggestion says, and is
  only offered when it drops at most two weeks' worth of working days.
Moves are in whole weeks (a Wednesday start stays a Wednesday). A suggestion must bring the week
within capacity; it says if it would over-allocate another week instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pgmtui.domain.capacity import (
    Allocation,
    Person,
    is_over,
    iso,
    load_of,
    monday,
    working_days,
)
from pgmtui.domain.deps import CriticalPath, Network

__all__ = [
    "MAX_SHIFT_WEEKS",
    "MAX_TRIM_DAYS",
    "MoveLimits",
    "Suggestion",
    "latest_end",
    "move_limits",
    "over_weeks",
    "slip_allowances",
    "suggestions",
]

MAX_SHIFT_WEEKS = 12  # a move further than a quarter is a re-plan, not levelling
MAX_TRIM_DAYS = 10  # shortening that drops more than two weeks' work is not offered
MOVE, TRIM_END, TRIM_START = "move", "shorten end", "shorten start"
_ORDER = {MOVE: 0, TRIM_START: 1, TRIM_END: 1}


def slip_allowances(network: Network, critical: CriticalPath) -> dict[int, int]:
    """Milestone id → days it may slip without moving another milestone through a dependency or
    the programme end (0 when it may not move; achieved milestones allow nothing).

    One backward pass in reverse topological order: a milestone allows the least of its float,
    the slack of each dependency it supplies, and what the next milestone of its project allows
    (in-project order is rigid: the later milestones move with it)."""
    net = network
    f, done, ids = net.finish, net.done, net.ids
    out_ptr, out_dst, out_w, out_dep = net.out_ptr, net.out_dst, net.out_w, net.out_dep
    floats = critical.floats
    allow: dict[int, int] = {}
    for i in reversed(net.order):
        if done[i]:
            allow[i] = 0
            continue
        a = floats.get(ids[i], 0)
        for k in range(out_ptr[i], out_ptr[i + 1]):
            j = out_dst[k]
            if out_dep[k]:
                slack = f[j] - f[i] - out_w[k]
                if slack < a:
                    a = slack
            elif not done[j]:  # an achieved later milestone stops the push (it cannot move)
                nxt = allow.get(j, 0)
                if nxt < a:
                    a = nxt
        allow[i] = a if a > 0 else 0
    return {ids[i]: a for i, a in allow.items()}


@dataclass(frozen=True, slots=True)
class MoveLimits:
    """What bounds a move: dated milestones' finish and slip allowance, projects' end dates."""

    milestone_finish: Mapping[int, int]  # milestone id → finish ordinal
    milestone_allowance: Mapping[int, int]  # milestone id → days it may slip (see slip_allowances)
    project_end: Mapping[int, int]  # project id → forecast (else baseline) end ordinal


def move_limits(network: Network, critical: CriticalPath, project_ends: Mapping[int, int]) -> MoveLimits:
    finish = {network.ids[i]: network.finish[i] for i in network.order}
    return MoveLimits(finish, slip_allowances(network, critical), dict(project_ends))


def latest_end(a: Allocation, limits: MoveLimits) -> tuple[int | None, str, int | None]:
    """The latest day the allocation may end, and why: ("milestone", its id) or ("project", its
    id); (None, "", None) when nothing says how far it may go."""
    mid = a.milestone_id
    if mid is not None and mid in limits.milestone_finish and mid in limits.milestone_allowance:
        bound = limits.milestone_finish[mid] + limits.milestone_allowance[mid]
        project_end = limits.project_end.get(a.project_id)
        if project_end is not None and project_end < bound:
            return project_end, "project", a.project_id
        return bound, "milestone", mid
    project_end = limits.project_end.get(a.project_id)
    if project_end is not None:
        return project_end, "project", a.project_id
    return None, "", None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One what-if: change one allocation's dates so a person's week fits their capacity."""

    action: str  # "move", "shorten start", "shorten end"
    allocation: Allocation
    week: int  # the over-allocated week (its Monday)
    new_start: int
    new_end: int
    capacity_pct: float
    load_before: float  # the person's load that week, before and after
    load_after: float
    latest_end: int | None  # how far the work may go (moves only)
    bound: str  # "milestone" or "project": what sets latest_end
    bound_id: int | None
    lost_days: int  # working days of work dropped (shortening only)
    new_over: tuple[int, ...]  # Mondays of other weeks this would over-allocate
    after: tuple[float, ...]  # the person's load per week after the change (from `first`)
    first: int  # the Monday `after` starts on

    @property
    def shift_days(self) -> int:
        return self.new_start - self.allocation.start

    @property
    def changes(self) -> dict[str, str]:
        """The fields an applied suggestion writes."""
        return {"start_date": iso(self.new_start), "end_date": iso(self.new_end)}

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.action, self.allocation.id, self.new_start, self.new_end)


def _moved(a: Allocation, start: int, end: int) -> Allocation:
    return Allocation(a.id, a.person_id, a.project_id, a.milestone_id, start, end, a.percent, a.version)


def suggestions(
    person: Person,
    allocations: Sequence[Allocation],
    week: int,
    limits: MoveLimits,
    *,
    first: int,
    weeks: int,
) -> list[Suggestion]:
    """Ways to bring `person`'s load in the week holding `week` within their capacity, best first.

    `allocations` are all of the person's; `first`/`weeks` is the span checked for new
    over-allocations (the grid's weeks). Best first: those that over-allocate no other week, moves
    before shortening, then the smallest change."""
    week = monday(week)
    first = monday(first)
    span = weeks + MAX_SHIFT_WEEKS  # a move may carry work past the grid's last week
    w = (week - first) // 7
    if not 0 <= w < span:
        return []
    cap = person.capacity_pct
    base = load_of(allocations, first, span)
    if not is_over(base[w], cap):
        return []
    out: list[Suggestion] = []

    def consider(
        a: Allocation, action: str, start: int, end: int, bound: tuple[int | None, str, int | None]
    ) -> bool:
        others = [x for x in allocations if x.id != a.id]
        after = load_of([*others, _moved(a, start, end)], first, span)
        if is_over(after[w], cap):
            return False
        new_over = tuple(
            first + 7 * k for k in range(span) if is_over(after[k], cap) and not is_over(base[k], cap)
        )
        lost = working_days(a.start, a.end) - working_days(start, end) if action != MOVE else 0
        out.append(
            Suggestion(
                action, a, week, start, end, cap, base[w], after[w], bound[0], bound[1], bound[2],
                lost, new_over, tuple(after), first,
            )
        )  # fmt: skip
        return True

    for a in allocations:
        if not a.days_in(week):
            continue
        # Move later by whole weeks, no further than the dependencies allow.
        limit = latest_end(a, limits)
        if limit[0] is not None:
            for k in range(1, MAX_SHIFT_WEEKS + 1):
                start, end = a.start + 7 * k, a.end + 7 * k
                if end > limit[0]:
                    break
                if consider(a, MOVE, start, end, limit):
                    break
        # Shorten: drop the week from the end (it started earlier) or from the start (it goes on).
        none: tuple[int | None, str, int | None] = (None, "", None)
        if a.start <= week - 3 and week <= a.end and working_days(week, a.end) <= MAX_TRIM_DAYS:
            consider(a, TRIM_END, a.start, week - 3, none)  # to the Friday before
        if (
            week <= a.start <= week + 4
            and a.end > week + 4
            and working_days(a.start, week + 4) <= MAX_TRIM_DAYS
        ):
            consider(a, TRIM_START, week + 7, a.end, none)  # from the Monday after
    out.sort(
        key=lambda s: (bool(s.new_over), _ORDER[s.action], abs(s.shift_days) + s.lost_days, s.allocation.id)
    )
    return out


def over_weeks(person: Person, allocations: Iterable[Allocation], first: int, weeks: int) -> list[int]:
    """Mondays of the weeks in which the person is over-allocated."""
    load = load_of(allocations, monday(first), weeks)
    return [monday(first) + 7 * k for k, v in enumerate(load) if is_over(v, person.capacity_pct)]
