"""The roadmap view of the Dependencies screen (`v`), without Textual: every project's milestones on
one time axis, and the lines that draw it.

- :func:`roadmap_of` lays the model out: an :class:`Axis` for the zoom (weeks: a column a day;
  months: a column per two days; quarters: a column a week), one :class:`Lane` per project
  (grouped by stage or objective on demand) with a :class:`Mark` per milestone in the column of
  its date — the actual once done, else the forecast, else the baseline — and the baseline's own
  column when the forecast has moved off it.
- :func:`axis_line` and :func:`lane_line` draw them as text the full width of the axis; the widget
  (roadmap_widget.py) shows the window scrolled to.

Glyphs carry the meaning without colour (NO_COLOR): ◆ gate, ● milestone, ✓ done, ◇ / ○ where the
baseline had it, ! a late dependency into the milestone, │ today. Critical-path milestones are
red and underlined.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pendulum
from rich.text import Text

from pgmtui.domain.models import Milestone, Project
from pgmtui.records.fields import STAGES

ZOOMS = ("weeks", "months", "quarters")
DAYS_PER_COLUMN = {"weeks": 1, "months": 2, "quarters": 7}
GROUPS = ("none", "stage", "objective")

GATE, MILESTONE, DONE = "◆", "●", "✓"
BASELINE = {True: "◇", False: "○"}  # gate / milestone where the baseline had it
LATE_MARK, TODAY_LINE = "!", "│"
LEGEND = "◆ gate  ● milestone  ✓ done  ◇○ baseline  ! late dependency  │ today  critical: red, underlined"


@dataclass(frozen=True)
class Axis:
    """Columns of `days` days each from `origin` (a Monday, a month's or a quarter's first day)."""

    zoom: str
    origin: pendulum.Date
    columns: int

    @property
    def days(self) -> int:
        return DAYS_PER_COLUMN[self.zoom]

    def column(self, day: pendulum.Date) -> int:
        return (day - self.origin).days // self.days

    def day(self, column: int) -> pendulum.Date:
        """The first day a column covers."""
        return self.origin.add(days=column * self.days)

    def ticks(self) -> list[tuple[int, str]]:
        """(column, label) where each week (weeks), month (months) or quarter (quarters) begins."""
        out: list[tuple[int, str]] = []
        day = self.origin
        last = self.day(self.columns)
        while day < last:
            if self.zoom == "weeks":
                out.append((self.column(day), day.format("D MMM")))
                day = day.add(weeks=1)
            elif self.zoom == "months":
                out.append((self.column(day), day.format("MMM YY")))
                day = day.add(months=1)
            else:
                out.append((self.column(day), f"Q{(day.month - 1) // 3 + 1} {day.format('YY')}"))
                day = day.add(months=3)
        return out


def unit_start(day: pendulum.Date, zoom: str) -> pendulum.Date:
    """The start of the week (Monday), month or quarter `day` falls in."""
    if zoom == "weeks":
        return day.subtract(days=day.weekday())
    if zoom == "months":
        return day.replace(day=1)
    return pendulum.Date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def unit_after(day: pendulum.Date, zoom: str) -> pendulum.Date:
    """The start of the next week, month or quarter after the one `day` falls in."""
    start = unit_start(day, zoom)
    return start.add(weeks=1) if zoom == "weeks" else start.add(months=1 if zoom == "months" else 3)


def axis_for(days: Iterable[pendulum.Date], today: pendulum.Date, zoom: str) -> Axis:
    """An axis from the unit holding the earliest date (or today) to the end of the unit after the
    one holding the latest: every date has a column and there is room to the right of the last."""
    known = [*days, today]
    origin = unit_start(min(known), zoom)
    end = unit_after(unit_after(max(known), zoom), zoom)
    return Axis(zoom, origin, -(-(end - origin).days // DAYS_PER_COLUMN[zoom]))


@dataclass(frozen=True)
class Mark:
    """A milestone on its lane."""

    milestone_id: int
    name: str
    column: int
    day: pendulum.Date
    gate: bool
    done: bool
    critical: bool
    late_in: int  # late dependencies into it
    baseline_column: int | None  # where the baseline had it, when that is another column

    @property
    def glyph(self) -> str:
        return DONE if self.done else GATE if self.gate else MILESTONE

    @property
    def weight(self) -> tuple[int, int, int, int]:
        """Which of several marks in one column is drawn: critical, late, gate, open first."""
        return (self.critical, self.late_in > 0, self.gate, not self.done)


@dataclass(frozen=True)
class Lane:
    project_id: int
    code: str
    name: str
    group: str
    marks: tuple[Mark, ...]  # by column, then id

    def at(self, column: int) -> list[Mark]:
        return [m for m in self.marks if m.column == column]


@dataclass(frozen=True)
class Roadmap:
    axis: Axis
    today: pendulum.Date
    lanes: tuple[Lane, ...]
    grouping: str = "none"
    groups: tuple[str, ...] = field(default_factory=tuple)  # in lane order, when grouped

    @property
    def today_column(self) -> int:
        return self.axis.column(self.today)

    def lane_of(self, milestone_id: int) -> int | None:
        for i, lane in enumerate(self.lanes):
            if any(m.milestone_id == milestone_id for m in lane.marks):
                return i
        return None

    def mark(self, milestone_id: int) -> Mark | None:
        i = self.lane_of(milestone_id)
        return None if i is None else next(m for m in self.lanes[i].marks if m.milestone_id == milestone_id)


def objective_of_projects(
    contributions: Iterable[Mapping[str, Any]], objectives: Iterable[Mapping[str, Any]]
) -> dict[int, str]:
    """Each project's main objective: the one it contributes to most strongly (ties: by code)."""
    codes = {o["id"]: str(o.get("code") or o["id"]) for o in objectives}
    best: dict[int, tuple[int, str]] = {}
    for c in contributions:
        pid, oid = c.get("project_id"), c.get("objective_id")
        if pid is None or oid not in codes:
            continue
        candidate = (-(c.get("strength") or 0), codes[oid])
        if pid not in best or candidate < best[pid]:
            best[pid] = candidate
    return {pid: code for pid, (_, code) in best.items()}


def roadmap_of(
    projects: Iterable[Project],
    milestones: Iterable[Milestone],
    today: pendulum.Date,
    zoom: str = "months",
    *,
    critical: Iterable[int] = (),
    late_in: Mapping[int, int] | None = None,
    grouping: str = "none",
    objectives: Mapping[int, str] | None = None,
) -> Roadmap:
    """Lay the programme out on one axis. `critical`: milestone ids on the critical path;
    `late_in`: milestone id → late dependencies into it; `objectives`: project id → objective
    code (for grouping by objective). Milestones without any date are left off."""
    project_list = list(projects)
    dated = [m for m in milestones if m.finish is not None]
    axis = axis_for(
        [d for m in dated for d in (m.baseline_date, m.forecast_date, m.actual_date) if d is not None],
        today,
        zoom,
    )
    critical_ids = set(critical)
    late = late_in or {}
    by_project: dict[int | None, list[Mark]] = {}
    for m in dated:
        day = m.finish
        assert day is not None  # dated
        column = axis.column(day)
        base = axis.column(m.baseline_date) if m.baseline_date is not None else None
        by_project.setdefault(m.project_id, []).append(
            Mark(
                m.id,
                m.name,
                column,
                day,
                m.is_gate,
                m.done,
                m.id in critical_ids,
                late.get(m.id, 0),
                base if base is not None and base != column else None,
            )
        )

    def group_of(p: Project) -> str:
        if grouping == "stage":
            return p.stage
        if grouping == "objective":
            return (objectives or {}).get(p.id, "No objective")
        return ""

    def order(p: Project) -> tuple[Any, ...]:
        group = group_of(p)
        if grouping == "stage":
            rank = STAGES.index(group) if group in STAGES else len(STAGES)
            return (rank, group, p.code.lower())
        if grouping == "objective":
            return (group == "No objective", group.lower(), p.code.lower())
        return ()  # the model's order (the portfolio's)

    ordered = sorted(project_list, key=order) if grouping != "none" else project_list
    lanes = tuple(
        Lane(
            p.id,
            p.code,
            p.name,
            group_of(p),
            tuple(sorted(by_project.get(p.id, []), key=lambda k: (k.column, k.milestone_id))),
        )
        for p in ordered
    )
    groups = tuple(dict.fromkeys(lane.group for lane in lanes)) if grouping != "none" else ()
    return Roadmap(axis, today, lanes, grouping, groups)


# ---------------------------------------------------------------------- drawing


def axis_line(roadmap: Roadmap) -> Text:
    """The time axis the full width: each unit's label at its first column, today as ▼."""
    width = roadmap.axis.columns
    cells = [" "] * width
    for column, label in roadmap.axis.ticks():
        if column + len(label) + 1 > width:
            break
        if all(c == " " for c in cells[column : column + len(label) + 1]):
            cells[column] = "┊"
            for i, ch in enumerate(label):
                cells[column + 1 + i] = ch
    text = Text("".join(cells), style="dim", no_wrap=True)
    today = roadmap.today_column
    if 0 <= today < width and cells[today] in (" ", "┊"):  # never over a label
        text = Text.assemble(text[:today], Text("▼", style="bold yellow"), text[today + 1 :], no_wrap=True)
    return text


def lane_line(
    roadmap: Roadmap, lane: Lane, selected: int | None = None, window: tuple[int, int] | None = None
) -> Text:
    """One project's lane — the full width, or the columns [start, stop) of `window` — baselines
    faint, then the marks (where several share a column, the weightiest — or the selected one),
    late-dependency markers beside them, today's line."""
    start, stop = window if window is not None else (0, roadmap.axis.columns)
    width = max(0, stop - start)
    cells = [" "] * width
    styles = [""] * width
    today = roadmap.today_column - start
    if 0 <= today < width:
        cells[today], styles[today] = TODAY_LINE, "yellow"
    for m in lane.marks:
        b = m.baseline_column
        if b is not None and 0 <= b - start < width and cells[b - start] in (" ", TODAY_LINE):
            cells[b - start], styles[b - start] = BASELINE[m.gate], "dim"
    shown: dict[int, Mark] = {}  # window column → the mark drawn there
    for m in lane.marks:
        if not -1 <= m.column - start <= width:  # one beyond each edge: its late marker may show
            continue
        held = shown.get(m.column - start)
        if held is None or (
            held.milestone_id != selected and (m.milestone_id == selected or m.weight > held.weight)
        ):
            shown[m.column - start] = m
    for column, m in shown.items():
        if not 0 <= column < width:
            continue
        style = "green" if m.done else "bold" if m.gate else ""
        if m.critical:
            style = "bold red underline"
        if m.milestone_id == selected:
            style += " reverse"
        cells[column], styles[column] = m.glyph, style.strip()
    for column, m in shown.items():
        if m.late_in:
            for spot in (column + 1, column - 1):
                if spot not in shown and 0 <= spot < width and cells[spot] in (" ", TODAY_LINE):
                    cells[spot], styles[spot] = LATE_MARK, "bold red"
                    break
    text = Text(no_wrap=True)
    for ch, style in zip(cells, styles, strict=True):
        text.append(ch, style=style or None)
    return text
