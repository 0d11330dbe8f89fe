"""People and capacity for the command line (`pgmtui capacity`), the Resources screen and
`pgmtui check`: store rows in, domain/capacity.py and domain/levelling.py figures out. Free of
textual."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date as _date
from typing import Any

from pgmtui.domain.capacity import (
    Allocation,
    CapacityGrid,
    allocations_of,
    capacity,
    group_by,
    iso,
    monday,
    people_of,
    week_label,
)
from pgmtui.domain.deps import CriticalPath
from pgmtui.domain.levelling import MoveLimits, move_limits
from pgmtui.domain.models import Snapshot
from pgmtui.records.fields import KINDS
from pgmtui.records.people import PERSON_FIELDS, person_key
from pgmtui.safetext import visible_controls
from pgmtui.services.snapshot import network_of
from pgmtui.store import Store

__all__ = [
    "CAPACITY_WEEKS",
    "GROUPINGS",
    "MAX_WEEKS",
    "Labels",
    "capacity_data",
    "capacity_of",
    "capacity_text",
    "levelling_limits",
    "unmatched_owners",
]

CAPACITY_WEEKS = 12  # `pgmtui capacity` and the Resources screen show a quarter by default
MAX_WEEKS = 156
GROUPINGS = ("person", "role", "team")
_TABLES = ("person", "allocation", "project", "milestone")


@dataclass(frozen=True)
class Labels:
    """How references are named for people: projects by code, milestones as CODE:name."""

    projects: Mapping[int, str]
    milestones: Mapping[int, str]
    people: Mapping[int, str]

    @classmethod
    def of(cls, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Labels:
        projects = {p["id"]: str(p.get("code") or "") for p in tables.get("project", ())}
        milestones = {
            m["id"]: f"{projects.get(m.get('project_id'), '?')}:{m.get('name') or ''}"
            for m in tables.get("milestone", ())
        }
        people = {p["id"]: str(p.get("name") or "") for p in tables.get("person", ())}
        return cls(projects, milestones, people)

    def allocation(self, a: Allocation, note: str | None = None) -> dict[str, Any]:
        return {
            "id": a.id,
            "person": self.people.get(a.person_id),
            "project": self.projects.get(a.project_id),
            "milestone": None if a.milestone_id is None else self.milestones.get(a.milestone_id),
            "start_date": iso(a.start),
            "end_date": iso(a.end),
            "percent": _number(a.percent),
            "note": note,
        }


def _number(v: float) -> float:
    """A load as JSON shows it: to a hundredth (33.333… → 33.33), whole numbers as such."""
    r = round(v, 2)
    return int(r) if r.is_integer() else r


def capacity_data(
    tables: Mapping[str, Sequence[Mapping[str, Any]]], first: _date, weeks: int, by: str = "person"
) -> dict[str, Any]:
    """What `pgmtui capacity --json` prints: the weeks (their Mondays) and one row per person
    (or per role / team: summed loads against summed capacities) with the allocations behind."""
    start = monday(first.toordinal())
    grid = grid_of(tables, start, weeks)
    labels = Labels.of(tables)
    notes = {r["id"]: r.get("note") for r in tables.get("allocation", ())}

    def allocations(rows: Sequence[Allocation]) -> list[dict[str, Any]]:
        ordered = sorted(rows, key=lambda a: (a.start, a.id))
        return [labels.allocation(a, notes.get(a.id)) for a in ordered]

    rows: list[dict[str, Any]] = []
    if by == "person":
        for r in grid.rows:
            p = r.person
            rows.append(
                {
                    "name": p.name,
                    "role": p.role,
                    "team": p.team,
                    "capacity_pct": _number(p.capacity_pct),
                    "load": [_number(v) for v in r.load],
                    "over": list(r.over),
                    "allocations": allocations(r.allocations),
                }
            )
    else:
        for g in group_by(grid, by):
            rows.append(
                {
                    "name": g.name or None,  # null: the people without a role (or team)
                    "role": (g.name or None) if by == "role" else None,
                    "team": (g.name or None) if by == "team" else None,
                    "capacity_pct": _number(g.capacity_pct),
                    "load": [_number(v) for v in g.load],
                    "over": list(g.over),
                    "allocations": allocations([a for m in g.members for a in m.allocations]),
                }
            )
    return {"from": iso(start), "weeks": [iso(m) for m in grid.mondays], "rows": rows}


def grid_of(tables: Mapping[str, Sequence[Mapping[str, Any]]], first: int, weeks: int) -> CapacityGrid:
    first = monday(first)
    allocations = allocations_of(tables.get("allocation", ()), first, first + 7 * weeks - 1)
    return capacity(people_of(tables.get("person", ())), allocations, first, weeks)


def capacity_of(store: Store, first: _date, weeks: int, by: str = "person") -> dict[str, Any]:
    """`capacity_data` read from the store (only the four tables it needs)."""
    tables = {name: store.rows(name) for name in _TABLES}
    return capacity_data(tables, first, weeks, by)


def _cell(load: float, over: bool) -> str:
    return f"▲{load:.0f}" if over else ("·" if load == 0 else f"{load:.0f}")


def capacity_text(data: Mapping[str, Any]) -> str:
    """The grid as a terminal table: load % per week, ▲ marking an over-allocation."""
    mondays = [_date.fromisoformat(d) for d in data["weeks"]]
    first = mondays[0].toordinal() if mondays else 0
    title = f"Capacity from {week_label(first, year=True)}, {len(mondays)} weeks"
    lines = [
        title + " — load in % of a full-time week; ▲ over capacity",
        "",
        f"{'Name':<24} {'Cap':>4} " + " ".join(f"{d.strftime('%d/%m'):>5}" for d in mondays),
    ]
    for row in data["rows"]:
        name = visible_controls(row["name"] or "(none)")  # a group of people without a role/team
        name = name if len(name) <= 24 else name[:23] + "…"
        cells = " ".join(f"{_cell(v, o):>5}" for v, o in zip(row["load"], row["over"], strict=True))
        lines.append(f"{name:<24} {row['capacity_pct']:>4.0f} {cells}")
    over = [r["name"] for r in data["rows"] if any(r["over"])]
    lines.append("")
    lines.append(f"{len(over)} of {len(data['rows'])} over-allocated" + (": " if over else ""))
    if over:
        lines[-1] += visible_controls(", ".join(over))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- levelling inputs


def levelling_limits(snapshot: Snapshot, critical: CriticalPath) -> MoveLimits:
    """How far each allocation may move: milestones' slip allowances from the dependency network
    and float (`critical` must be the critical path of this snapshot), projects' end dates."""
    ends = {}
    for p in snapshot.projects:
        end = p.forecast_end or p.baseline_end
        if end is not None:
            ends[p.id] = end.toordinal()
    return move_limits(network_of(snapshot), critical, ends)


# ---------------------------------------------------------------------------- owners (`check`)


def unmatched_owners(store: Store, *, limit: int = 6) -> list[str]:
    """Names in owner-like fields (owner, manager, raised_by, by, decided_by) that match no person
    in the directory, one line per name with where it is used and the person it may mean. Empty
    when the directory is (free text is allowed: these are notes, not errors)."""
    people = [str(p["name"]) for p in store.rows("person")]
    if not people:
        return []
    known = {person_key(n) for n in people}
    by_key = {person_key(n): n for n in people}
    unmatched: dict[str, tuple[str, list[str]]] = {}
    for kind in KINDS.values():
        names = [f.name for f in kind.fields if f.name in PERSON_FIELDS and f.type == "text"]
        if not names:
            continue
        for row in store.rows(kind.name):
            for field in names:
                value = row.get(field)
                if not isinstance(value, str) or not value.strip():
                    continue
                key = person_key(value)
                if key in known:
                    continue
                shown, where = unmatched.setdefault(key, (value, []))
                where.append(f"{kind.name} {row['id']} {field}")
    lines = []
    for key, (shown, where) in sorted(unmatched.items()):
        used = ", ".join(where[:limit]) + (f" and {len(where) - limit} more" if len(where) > limit else "")
        hint = _did_you_mean(key, by_key)
        lines.append(
            f"{visible_controls(shown)!r} ({used}) matches no person in the directory"
            + (f"; did you mean {visible_controls(hint)}?" if hint else "")
        )
    return lines


def _did_you_mean(key: str, by_key: Mapping[str, str]) -> str | None:
    """A person a name probably means: the only one whose name starts with it or holds it as a
    word ("Asha" → Asha Patel), else the closest spelling."""
    words = [k for k in by_key if k.startswith(key + " ") or key in k.split()]
    if len(words) == 1:
        return by_key[words[0]]
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.8)
    return by_key[close[0]] if close else None
