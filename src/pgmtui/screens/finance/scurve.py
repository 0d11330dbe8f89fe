"""The S-curve of a project: cumulative planned, actual and earned value by month, drawn with
textual-plotext. Each series has its own marker (· planned, ● actual, ◆ earned) so the chart reads
without colour; the key is a line of text under it. Same data, same size → same picture."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Vertical
from textual_plotext import PlotextPlot

from pgmtui.screens.finance.view import SCurveData, legend
from pgmtui.widgets.format import compact_money
from pgmtui.widgets.quiet import QuietStatic

PLANNED, ACTUAL, EARNED = "·", "●", "◆"


class SCurve(Vertical):
    """`show(data)` redraws only when the data changed (a live refresh with the same figures costs
    nothing); None shows a hint instead of a chart."""

    DEFAULT_CSS = """
    SCurve { height: 1fr; min-height: 6; }
    SCurve > PlotextPlot { height: 1fr; }
    SCurve > #scurve-legend { height: 1; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: SCurveData | None = None
        self._drawn = False

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="scurve-plot")
        yield QuietStatic(legend(None), id="scurve-legend")

    def on_mount(self) -> None:
        self._draw()

    def show(self, data: SCurveData | None) -> None:
        if _drawn_part(data) == _drawn_part(self.data) and self._drawn:
            return  # (a renamed project changes only the title, which the chart does not show)
        self.data = data
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        plot = self.query_one(PlotextPlot)
        self.query_one("#scurve-legend", QuietStatic).show(legend(self.data))
        plot.display = self.data is not None
        self._drawn = True
        data = self.data
        plt = plot.plt
        plt.clear_figure()
        if data is None:
            plot.refresh()
            return
        n = len(data.months)
        xs = list(range(n))
        plt.plot(xs, list(data.planned), marker=PLANNED, color="blue")
        if data.actual:
            plt.plot(xs[: len(data.actual)], list(data.actual), marker=ACTUAL, color="green")
        if len(data.earned) > 1:
            plt.plot([x for x, _ in data.earned], [y for _, y in data.earned], marker=EARNED, color="magenta")
        elif data.earned:
            plt.scatter([data.earned[0][0]], [data.earned[0][1]], marker=EARNED, color="magenta")
        if data.today_x is not None:
            plt.vline(data.today_x, color="gray")
        top = max([*data.planned, *data.actual, *(y for _, y in data.earned), data.bac or 0.0, 1.0])
        plt.ylim(0, top)
        plt.xlim(0, max(1, n - 1))
        plt.yticks([0, top / 2, top], ["0", compact_money(top / 2), compact_money(top)])
        step = max(1, round(n / 5))
        ticks = list(range(0, n, step))
        plt.xticks([float(i) for i in ticks], [data.months[i] for i in ticks])
        plt.frame(True)
        plot.refresh()


def _drawn_part(data: SCurveData | None) -> SCurveData | None:
    """What the chart draws of `data`: all but its title."""
    return None if data is None else replace(data, title="")
