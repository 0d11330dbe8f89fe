"""Resources view: the Model turned into the person × week grid, the cell detail and the levelling
panel's rows. Free of textual (unit-tested without an app)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from pgmtui.domain.capacity import (
    SEVERE_RATIO,
    Allocation,
    CapacityGrid,
    Person,
    PersonWeeks,
    capacity,
    group_by,
    is_over,
    iso,
    lookahead_weeks,
    monday,
    people_of,
    project_team,
    week_label,
)
from pgmtui.domain.levelling import MOVE, MoveLimits, Suggestion, latest_end, suggestions
from pgmtui.model import Model
from pgmtui.services.resources import CAPACITY_WEEKS, Labels
from pgmtui.widgets.badges import RAG_STYLE, literal
from pgmtui.widgets.cells import Column, Row

GRID_WEEKS = CAPACITY_WEEKS  # weeks in the grid (scroll them with h/l or ←/→)
SHIFT_WEEKS = 4  # [ and ] move the grid by this many weeks
GROUPINGS = ("", "role", "team")  # g cycles: none, by role, by team
GROUP_NAMES = {"": "none", "role": "role", "team": "team"}
FIXED = ("name", "cap")  # the columns that stay put while the weeks scroll

PERSON_FORM_FIELDS = ("name", "role", "team", "email", "capacity_pct", "note")
ALLOCATION_FORM_FIELDS = ("person", "project", "milestone", "start_date", "end_date", "percent", "note")


def week_key(w: int) -> str:
    return f"w{w}"


def columns(first: int, weeks: int) -> tuple[Column, ...]:
    """Name and capacity, the role and team on wide terminals, then one column per week."""
    return (
        Column("name", "Person", flex=True, min_width=14, max_width=22),
        Column.of_field("person", "role", min_screen=150, max_width=22),
        Column.of_field("person", "team", min_screen=130, max_width=16),
        Column("cap", "Cap", width=3, numeric=True),
        *(Column(week_key(w), week_label(first + 7 * w), width=6, numeric=True) for w in range(weeks)),
    )


def load_cell(load: float, capacity_pct: float) -> Text:
    """A week's load: '·' for none, the % otherwise; over capacity in colour AND with a glyph —
    ▲ over, ● at 150 % of capacity or more (as the resources RAG rates them)."""
    if load <= 0:
        return Text("·", style="dim", justify="right")
    if not is_over(load, capacity_pct):
        return Text(f"{load:.0f}", justify="right")
    severe = load >= SEVERE_RATIO * capacity_pct - 1e-9
    glyph = "●" if severe else "▲"
    return Text(f"{glyph}{load:.0f}", style=RAG_STYLE["R" if severe else "A"], justify="right")


# ---------------------------------------------------------------------------- the grid


@dataclass
class GridCache:
    """What the previous render built: allocations by row identity (the model keeps unchanged
    rows' dicts), and each person's Row by the figures it shows (an unchanged person hands the
    table the very Row it shows, which it then skips)."""

    allocations: dict[int, tuple[Mapping[str, Any], Allocation | None]] = field(default_factory=dict)
    rows: dict[int, tuple[Any, Row]] = field(default_factory=dict)

    def allocations_of(self, rows: Sequence[Mapping[str, Any]]) -> list[Allocation]:
        fresh: dict[int, tuple[Mapping[str, Any], Allocation | None]] = {}
        out = []
        for r in rows:
            known = self.allocations.get(id(r))
            if known is None or known[0] is not r:
                known = (r, Allocation.from_row(r))
            fresh[id(r)] = known
            if known[1] is not None:
                out.append(known[1])
        self.allocations = fresh
        return out


def grid_for(model: Model, first: int, weeks: int, cache: GridCache | None = None) -> CapacityGrid:
    rows = model.tables.get("allocation", [])
    allocations = (
        cache.allocations_of(rows)
        if cache is not None
        else [a for r in rows if (a := Allocation.from_row(r))]
    )
    return capacity(people_of(model.tables.get("person", [])), allocations, first, weeks)


def _matches(r: PersonWeeks, words: Sequence[str], projects: Mapping[str, set[int]]) -> bool:
    p = r.person
    for word in words:
        name, sep, value = word.partition(":")
        if sep and name in ("role", "team", "name"):
            target = {"role": p.role, "team": p.team, "name": p.name}[name] or ""
            if value not in target.casefold():
                return False
        elif sep and name == "project":
            if not any(a.project_id in projects.get(value, set()) for a in r.allocations):
                return False
        elif word in ("over", "over:yes"):
            if not r.any_over:
                return False
        elif word not in " ".join((p.name, p.role or "", p.team or "")).casefold():
            return False
    return True


def grid_rows(
    grid: CapacityGrid, model: Model, query: str = "", group: str = "", cache: GridCache | None = None
) -> list[Row]:
    """One Row per person shown: filtered by `query` (words, role:, team:, project:CODE, over),
    grouped by role or team (groups by name, the unnamed last), by name within."""
    words = query.casefold().split()
    projects: dict[str, set[int]] = {}
    for p in model.tables.get("project", []):
        projects.setdefault(str(p.get("code") or "").casefold(), set()).add(p["id"])
    if group:
        ordered = [(g.name or f"(no {group})", m) for g in group_by(grid, group) for m in g.members]
    else:
        ordered = [("", m) for m in grid.rows]
    out = []
    for label, r in ordered:
        if words and not _matches(r, words, projects):
            continue
        key = (r.person, r.load, r.over, label, grid.first)
        known = cache.rows.get(r.person.id) if cache is not None else None
        if known is not None and known[0] == key:
            out.append(known[1])
            continue
        row = _person_row(r, label or None, grid)
        if cache is not None:
            cache.rows[r.person.id] = (key, row)
        out.append(row)
    return out


def _person_row(r: PersonWeeks, group: str | None, grid: CapacityGrid) -> Row:
    p = r.person
    cap = p.capacity_pct
    cells: dict[str, Text | str] = {
        "name": literal(p.name),
        "role": literal(p.role or ""),
        "team": literal(p.team or ""),
        "cap": f"{cap:.0f}",
    }
    sort: dict[str, Any] = {"name": p.name.casefold(), "cap": cap}
    for w, load in enumerate(r.load):
        cells[week_key(w)] = load_cell(load, cap)
        sort[week_key(w)] = load
    return Row(p.id, cells, sort, group=None if group is None else Text(group, style="bold"))


def headline(grid: CapacityGrid, model: Model, shown: int, group: str, query: str) -> Text:
    """One line: the weeks, who is over, the look-ahead that feeds the RAG, the grouping."""
    last = grid.first + 7 * (grid.weeks - 1)
    over = grid.over_people
    t = Text()
    t.append(f"{week_label(grid.first)} – {week_label(last, year=True)}", style="bold")
    t.append(f"  {shown} of {len(grid.rows)} people" if query else f"  {len(grid.rows)} people")
    if over:
        t.append("  ")
        t.append(f" ▲ {len(over)} over-allocated ", style=RAG_STYLE["A"])
    else:
        t.append("  nobody over-allocated")
    weeks = lookahead_weeks(model.snapshot)
    t.append(f"  look-ahead {weeks} wk", style="dim")
    if group:
        t.append(f"  by {group}", style="dim")
    return t


# ---------------------------------------------------------------------------- the selected cell


def cell_text(
    grid: CapacityGrid, person_id: int | None, week: int | None, labels: Labels, group: str = ""
) -> Text:
    """Who is under the cursor, and what makes up the selected week's load."""
    row = next((r for r in grid.rows if r.person.id == person_id), None)
    if row is None:
        return Text("No people yet: n adds a person, a allocates them to a project.", style="dim")
    p = row.person
    t = Text()
    t.append(p.name, style="bold")
    details = [x for x in (p.role, p.team) if x]
    if details:
        t.append(" · " + " · ".join(details))
    t.append(f" · capacity {p.capacity_pct:.0f} %")
    if week is None or not 0 <= week < grid.weeks:
        return t
    first_day = grid.first + 7 * week
    load = row.load[week]
    t.append(f"\nWeek of {week_label(first_day)}: ")
    t.append_text(load_cell(load, p.capacity_pct) if load else Text("nothing"))
    parts = [
        f"{labels.projects.get(a.project_id, '?')} {a.load_in(first_day):.0f}"
        for a in sorted(row.allocations, key=lambda a: -a.load_in(first_day))
        if a.days_in(first_day)
    ]
    if parts:
        t.append(" = " + " + ".join(parts))
    if group:
        name = (getattr(p, group) or "").strip()
        members = [r for r in grid.rows if (getattr(r.person, group) or "").strip() == name]
        total = sum(r.load[week] for r in members)
        cap = sum(r.person.capacity_pct for r in members)
        t.append(f"\n{name or f'(no {group})'}: {total:.0f} % of {cap:.0f} % that week", style="dim")
    return t


# ---------------------------------------------------------------------------- levelling


SUGGESTION_COLUMNS = (
    Column("week", "Week", width=6, sortable=False),
    Column("action", "Change", width=13, sortable=False),
    Column("allocation", "Allocation", flex=True, min_width=14, max_width=26, sortable=False),
    Column("dates", "New dates", width=13, sortable=False),
    Column("load", "Load", width=7, sortable=False),
    Column("note", "Safe because", flex=True, min_width=12, min_screen=100, sortable=False),
)


@dataclass(frozen=True)
class Levelling:
    """The levelling panel for one person: suggestions (best first), the rows that show them, and
    what cannot move."""

    title: Text
    suggestions: list[Suggestion]
    rows: list[Row]
    blocked: list[str]


def _span(start: int, end: int) -> str:
    return f"{week_label(start)}–{week_label(end)}"


def _bound_text(s: Suggestion, labels: Labels, *, long: bool = False) -> str:
    """Why a suggestion breaks nothing: short for the table, in full for the what-if line."""
    if s.action != MOVE:
        days = f"{s.lost_days} working day{'s' if s.lost_days != 1 else ''}"
        return f"drops {days} of work; nothing moves later" if long else f"drops {days}"
    end = week_label(s.latest_end, year=long) if s.latest_end is not None else "?"
    if s.bound == "milestone" and s.bound_id is not None:
        if long:
            return (
                f"the work may end by {end}: {labels.milestones.get(s.bound_id, '?')} can slip that far "
                "within its float and dependency slack, so no dependency or other milestone moves"
            )
        return f"ends by {end} (milestone)"
    if long:
        return f"the work may end by {end}: {labels.projects.get(s.allocation.project_id, '?')}'s end date"
    return f"ends by {end} (project)"


def suggestion_rows(found: Sequence[Suggestion], labels: Labels) -> list[Row]:
    rows = []
    for i, s in enumerate(found):
        a = s.allocation
        if s.action == MOVE:
            action = f"move +{s.shift_days // 7} wk"
        else:
            action = s.action
        what = f"{labels.projects.get(a.project_id, '?')} {a.percent:.0f} % {_span(a.start, a.end)}"
        load = Text(f"{s.load_before:.0f}→{s.load_after:.0f}")
        note = Text(_bound_text(s, labels))
        if s.new_over:
            note = Text(f"over-allocates {', '.join(week_label(w) for w in s.new_over)}", style="bold")
        rows.append(
            Row(
                i,
                {
                    "week": week_label(s.week),
                    "action": action,
                    "allocation": literal(what),
                    "dates": _span(s.new_start, s.new_end),
                    "load": load,
                    "note": note,
                },
            )
        )
    return rows


def levelling_for(
    grid: CapacityGrid, person_id: int | None, week: int | None, limits: MoveLimits, labels: Labels
) -> Levelling:
    """Suggestions for the selected week if the person is over-allocated then, else for each of
    their over-allocated weeks in the grid."""
    row = next((r for r in grid.rows if r.person.id == person_id), None)
    if row is None:
        return Levelling(Text("Levelling: choose a person in the grid.", style="dim"), [], [], [])
    p = row.person
    if week is not None and 0 <= week < grid.weeks and row.over[week]:
        weeks = [week]
    else:
        weeks = [w for w in range(grid.weeks) if row.over[w]]
    title = Text()
    title.append("Levelling ", style="bold")
    title.append(p.name)
    if not weeks:
        title.append(f": within capacity in every week shown ({p.capacity_pct:.0f} %).", style="dim")
        return Levelling(title, [], [], [])
    mine = _all_allocations(grid, p)
    found: list[Suggestion] = []
    for w in weeks:
        found.extend(suggestions(p, mine, grid.first + 7 * w, limits, first=grid.first, weeks=grid.weeks))
    named = ", ".join(week_label(grid.first + 7 * w) for w in weeks[:4])
    named += f" and {len(weeks) - 4} more" if len(weeks) > 4 else ""
    title.append(f": over-allocated in the week of {named}. ")
    if found:
        title.append("What-if only — enter applies the selected change.", style="dim")
    else:
        title.append("Nothing can move without breaking a dependency.", style="dim")
    return Levelling(
        title, found, suggestion_rows(found, labels), _blocked(p, mine, grid, weeks, limits, labels, found)
    )


def _all_allocations(grid: CapacityGrid, person: Person) -> list[Allocation]:
    row = next(r for r in grid.rows if r.person.id == person.id)
    return list(row.allocations)


def _blocked(
    person: Person,
    mine: Sequence[Allocation],
    grid: CapacityGrid,
    weeks: Sequence[int],
    limits: MoveLimits,
    labels: Labels,
    found: Sequence[Suggestion],
) -> list[str]:
    """Allocations in those weeks that no move was found for, and why they cannot move."""
    moved = {s.allocation.id for s in found if s.action == MOVE}
    out = []
    for a in mine:
        if a.id in moved or not any(a.days_in(grid.first + 7 * w) for w in weeks):
            continue
        bound, kind, ref = latest_end(a, limits)
        what = f"{labels.projects.get(a.project_id, '?')} {a.percent:.0f} % to {week_label(a.end)}"
        if bound is None:
            out.append(f"{what}: no milestone or project end date says how far it may go")
        elif kind == "milestone" and ref is not None:
            out.append(f"{what}: {labels.milestones.get(ref, '?')} allows an end by {week_label(bound)}")
        else:
            out.append(f"{what}: {labels.projects.get(a.project_id, '?')} ends {week_label(bound)}")
    return out


def what_if_text(s: Suggestion | None, grid: CapacityGrid, person: Person | None, labels: Labels) -> Text:
    """The selected suggestion's effect on the person's weeks: before → after where it changes."""
    if s is None or person is None:
        return Text("")
    row = next((r for r in grid.rows if r.person.id == person.id), None)
    if row is None:
        return Text("")
    t = Text("What if: ", style="bold")
    changed = 0
    for w in range(grid.weeks):
        k = (grid.first - s.first) // 7 + w
        after = s.after[k] if 0 <= k < len(s.after) else row.load[w]
        before = row.load[w]
        if abs(after - before) < 0.5:
            continue
        if changed:
            t.append("  ")
        t.append(f"{week_label(grid.first + 7 * w)} ")
        t.append_text(load_cell(before, person.capacity_pct))
        t.append("→")
        t.append_text(load_cell(after, person.capacity_pct))
        changed += 1
    if not changed:
        t.append("no change within the weeks shown", style="dim")
    t.append(f" — {_bound_text(s, labels, long=True)}", style="dim")
    return t


def confirm_text(s: Suggestion, person: Person, labels: Labels) -> tuple[str, str]:
    """The question and detail of the confirmation before a suggestion is applied."""
    a = s.allocation
    what = f"{labels.projects.get(a.project_id, '?')} {a.percent:.0f} %"
    question = (
        f"{s.action.capitalize()} {person.name}'s {what} allocation to {iso(s.new_start)} – {iso(s.new_end)}?"
    )
    detail = (
        f"Now {iso(a.start)} – {iso(a.end)}. The week of {week_label(s.week)} goes from "
        f"{s.load_before:.0f} % to {s.load_after:.0f} % (capacity {s.capacity_pct:.0f} %). "
        "One audited change; refused if someone changed the allocation meanwhile."
    )
    return question, detail


# ---------------------------------------------------------------------------- drill-in


CELL_COLUMNS = (
    Column("project", "Project", max_width=10),
    Column("milestone", "Milestone", flex=True, min_width=10, max_width=36),
    Column("start", "Start", width=10),
    Column("end", "End", width=10),
    Column("percent", "%", width=4, numeric=True),
    Column("days", "Days", width=4, numeric=True),
    Column("load", "Load", width=4, numeric=True),
    Column("note", "Note", flex=True, min_width=8, min_screen=110),
)


def cell_rows(model: Model, person_id: int, week_first: int | None) -> list[Row]:
    """The person's allocations: those with a working day in the week starting `week_first`, or
    every current and future one (None), earliest first; Days and Load are for that week."""
    labels = Labels.of(model.tables)
    today_week = monday(model.today.toordinal())
    out = []
    for r in sorted(model.tables.get("allocation", []), key=lambda r: (r.get("start_date") or "", r["id"])):
        if r.get("person_id") != person_id:
            continue
        a = Allocation.from_row(r)
        if a is None:
            continue
        if week_first is not None and not a.days_in(week_first):
            continue
        if week_first is None and a.end < today_week:
            continue
        days = a.days_in(week_first) if week_first is not None else None
        cells: dict[str, Text | str] = {
            "project": literal(labels.projects.get(a.project_id, "?")),
            "milestone": literal(
                labels.milestones.get(a.milestone_id, "").partition(":")[2] if a.milestone_id else ""
            ),
            "start": iso(a.start),
            "end": iso(a.end),
            "percent": f"{a.percent:g}",
            "days": "" if days is None else str(days),
            "load": "" if week_first is None else f"{a.load_in(week_first):.0f}",
            "note": literal(r.get("note") or ""),
        }
        out.append(Row(a.id, cells, {"percent": a.percent, "days": days, "start": a.start, "end": a.end}))
    return out


def cell_summary(model: Model, person_id: int, week_first: int | None) -> Text:
    person = model.row("person", person_id)
    if person is None:
        return Text("This person was deleted.", style="bold")
    p = people_of([person])[0]
    t = Text()
    t.append(p.name, style="bold")
    t.append(f" · capacity {p.capacity_pct:.0f} %")
    if week_first is None:
        t.append(" · every current and future allocation", style="dim")
        return t
    rows = model.tables.get("allocation", [])
    mine = [a for r in rows if r.get("person_id") == person_id and (a := Allocation.from_row(r))]
    load = sum(a.load_in(week_first) for a in mine)
    t.append(f"\nWeek of {week_label(week_first, year=True)}: ")
    t.append_text(load_cell(load, p.capacity_pct) if load else Text("nothing allocated"))
    t.append(" % of a full-time week", style="dim")
    return t


# ---------------------------------------------------------------------------- a project's team


def team_text(model: Model, project_id: int) -> Text:
    """The project detail's Team: who works on it this week and next, at what % of a full-time
    week, ▲ marking someone over-allocated that week across all their projects."""
    people = people_of(model.tables.get("person", []))
    allocations = [a for r in model.tables.get("allocation", []) if (a := Allocation.from_row(r))]
    team = project_team(people, allocations, project_id, model.today.toordinal())
    if not team:
        return Text("Nobody allocated this week or next (6 Resources allocates people).", style="dim")
    width = min(24, max(len(m.person.name) for m in team))
    role_width = min(24, max(len(m.person.role or "") for m in team))
    t = Text(f"{'':<{width}}  {'':<{role_width}}  this wk  next wk  (% of a full-time week)\n", style="dim")
    for i, m in enumerate(team):
        if i:
            t.append("\n")
        t.append(f"{m.person.name[:width]:<{width}}  ")
        t.append(f"{(m.person.role or '')[:role_width]:<{role_width}}  ", style="dim")
        for load, over in ((m.this_week, m.over_this_week), (m.next_week, m.over_next_week)):
            t.append(f"{load:>5.0f}")
            t.append(" ▲ " if over else "   ", style=RAG_STYLE["A"] if over else "")
            t.append(" ")
    if any(m.over_this_week or m.over_next_week for m in team):
        t.append("\n▲ over-allocated that week across their projects", style="dim")
    return t
