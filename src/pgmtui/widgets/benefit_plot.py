"""A terminal chart of one benefit: actuals against the baseline → target plan and the trend.

Drawn with plain characters on a grid sized to the widget, so it is legible at 80×24, reads with
NO_COLOR (each series has its own glyph) and renders the same every time (snapshot tests).

    1850 B┤●·●
          │   ●·●··
          │      ●●  ···
     950 T┤    ╌╌╌╌╌╌╌╌╌╌╌╌◎
          2025-05-01        2027-07-23
    ● actual  · plan  ╌ trend  ◎ target  │ today
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.text import Text
from textual.widget import Widget

from pgmtui.widgets.badges import GREEN
from pgmtui.widgets.format import number

__all__ = ["BenefitPlot", "PlotData", "number", "render_chart"]

ACTUAL, PLAN, TREND, TARGET, TODAY = "●", "·", "╌", "◎", "│"
STYLE = {
    ACTUAL: "bold #2e86c1",
    PLAN: "#909497",
    TREND: "#d68910",
    TARGET: f"bold {GREEN}",
    TODAY: "#5d6d7e",
}


@dataclass(frozen=True)
class PlotData:
    baseline_value: float | None
    target_value: float | None
    baseline_date: pendulum.Date | None = None
    target_date: pendulum.Date | None = None
    points: tuple[tuple[pendulum.Date, float], ...] = ()
    slope_per_day: float | None = None  # the least-squares trend
    projected_value: float | None = None  # the trend's value on the target date
    today: pendulum.Date | None = None
    unit: str = ""

    def trend_at(self, ordinal: int) -> float | None:
        """The trend line's value on a day (it passes through the projection at the target date)."""
        if self.slope_per_day is None or self.projected_value is None or self.target_date is None:
            return None
        return self.projected_value + self.slope_per_day * (ordinal - self.target_date.toordinal())


def render_chart(data: PlotData | None, width: int, height: int) -> Text:
    """The chart as `height` lines of `width` cells (fewer lines when there is nothing to draw)."""
    if data is None or width < 20 or height < 4:
        return Text("(no room for the chart)" if data is not None else "", style="dim")
    base, target = data.baseline_value, data.target_value
    pts = [(d.toordinal(), v) for d, v in data.points]

    # ---- ranges
    xs = [o for o, _ in pts]
    for d in (data.baseline_date, data.target_date):
        if d is not None:
            xs.append(d.toordinal())
    if not xs:
        return Text(
            "No dates yet: give the benefit a baseline or target date, or record a measurement.", style="dim"
        )
    if data.today is not None and min(xs) <= data.today.toordinal() <= max(xs) + 31:
        xs.append(data.today.toordinal())
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 15, x1 + 15
    ys = [v for _, v in pts] + [v for v in (base, target) if v is not None]
    # The trend from the first measurement to the target date (or the last one, if later).
    trend: tuple[int, float, int, float] | None = None  # (from, its value, to, its value)
    if pts and data.target_date is not None:
        trend_from, trend_to = pts[0][0], max(data.target_date.toordinal(), pts[-1][0])
        y_from, y_to = data.trend_at(trend_from), data.trend_at(trend_to)
        if y_from is not None and y_to is not None:
            trend = (trend_from, y_from, trend_to, y_to)
            ys += [y_from, y_to]
    lo, hi = min(ys), max(ys)
    if hi == lo:
        lo, hi = lo - 1, hi + 1

    # ---- geometry: label column, plot area, date row, legend row
    rows = height - 2
    labels = {"top": number(hi), "bottom": number(lo), "B": number(base) + " B", "T": number(target) + " T"}
    label_w = max(len(s) for s in labels.values()) + 1  # the label, then a space before the axis
    cols = width - label_w - 1
    if cols < 10 or rows < 2:
        return Text("(no room for the chart)", style="dim")

    def col(x: float) -> int:
        return round((x - x0) / (x1 - x0) * (cols - 1))

    def row(y: float) -> int:
        return round((hi - y) / (hi - lo) * (rows - 1))

    grid: list[list[str]] = [[" "] * cols for _ in range(rows)]

    def put(c: int, r: int, ch: str) -> None:
        if 0 <= c < cols and 0 <= r < rows:
            grid[r][c] = ch

    def line(xa: float, ya: float, xb: float, yb: float, ch: str) -> None:
        """A line of `ch` from (xa, ya) to (xb, yb) in data units; steep parts filled vertically."""
        ca, cb = col(xa), col(xb)
        prev: int | None = None
        for c in range(min(ca, cb), max(ca, cb) + 1):
            frac = 0.0 if cb == ca else (c - ca) / (cb - ca)
            r = row(ya + (yb - ya) * frac)
            if prev is not None and abs(r - prev) > 1:
                step = 1 if r > prev else -1
                for rr in range(prev + step, r, step):
                    put(c, rr, ch)
            put(c, r, ch)
            prev = r

    # today, the plan, the trend, the target, then the actuals on top
    if data.today is not None and x0 <= data.today.toordinal() <= x1:
        c = col(data.today.toordinal())
        for r in range(rows):
            put(c, r, TODAY)
    if base is not None and target is not None:
        start = data.baseline_date.toordinal() if data.baseline_date else (pts[0][0] if pts else x0)
        end = data.target_date.toordinal() if data.target_date else x1
        line(start, base, end, target, PLAN)
    if trend is not None:
        line(*trend, TREND)
    if target is not None and data.target_date is not None:
        put(col(data.target_date.toordinal()), row(target), TARGET)
    for o, v in pts:
        put(col(o), row(v), ACTUAL)

    # ---- y-axis labels: the top and bottom of the range, and the baseline (B) and target (T) rows
    ylab: dict[int, str] = {0: labels["top"], rows - 1: labels["bottom"]}
    if base is not None:
        ylab[row(base)] = labels["B"]
    if target is not None:
        ylab[row(target)] = labels["T"]

    out = Text(no_wrap=True, overflow="crop")
    for r in range(rows):
        label = ylab.get(r, "")
        out.append(label.rjust(label_w - 1) + " ", style="bold" if label.endswith((" B", " T")) else "dim")
        out.append("┤" if r in ylab else "│", style="dim")
        run_ch = grid[r][0]
        run: list[str] = []
        for ch in grid[r]:
            if ch != run_ch:
                out.append("".join(run), style=STYLE.get(run_ch, ""))
                run_ch, run = ch, []
            run.append(ch)
        out.append("".join(run), style=STYLE.get(run_ch, ""))
        out.append("\n")

    # ---- date row: first and last day, and today when it fits between them
    axis = [" "] * cols
    first, last = pendulum.Date.fromordinal(x0).isoformat(), pendulum.Date.fromordinal(x1).isoformat()
    axis[: len(first)] = first
    axis[cols - len(last) :] = last
    if data.today is not None and x0 < data.today.toordinal() < x1:
        tag = f"today {data.today.isoformat()}" if cols >= 60 else "today"
        c = col(data.today.toordinal()) - len(tag) // 2
        c = max(len(first) + 1, min(c, cols - len(last) - len(tag) - 1))
        if c >= len(first) + 1 and c + len(tag) <= cols - len(last) - 1:
            axis[c : c + len(tag)] = tag
    out.append(" " * (label_w + 1), style="dim")
    out.append("".join(axis)[:cols], style="dim")
    out.append("\n")

    # ---- legend
    legend = Text(no_wrap=True, overflow="ellipsis")
    for glyph, word in (
        (ACTUAL, "actual"),
        (PLAN, "plan"),
        (TREND, "trend"),
        (TARGET, "target"),
        (TODAY, "today"),
    ):
        if glyph == TREND and trend is None:
            continue
        legend.append(glyph, style=STYLE[glyph])
        legend.append(f" {word}  ")
    if data.projected_value is not None and data.target_date is not None:
        legend.append(
            f"trend → {number(data.projected_value)} by {data.target_date.isoformat()}", style="italic"
        )
    legend.truncate(width, overflow="ellipsis")
    out.append_text(legend)
    return out


class BenefitPlot(Widget):
    """Shows `render_chart` at the widget's size; `show(data)` replaces what it draws."""

    DEFAULT_CSS = """
    BenefitPlot { height: 1fr; min-height: 6; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: PlotData | None = None

    def show(self, data: PlotData | None) -> None:
        if data != self.data:
            self.data = data
            self.refresh()

    def render(self) -> Text:
        size = self.content_size
        return render_chart(self.data, size.width, size.height)
