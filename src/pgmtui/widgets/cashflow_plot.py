"""A business case's cash flow by year, drawn with plotext: benefits up (█), costs down (░) and the
cumulative net as a line of dots (•) against the zero line, so it reads without colour. The
legend is its own line under the chart (plotext's would sit on top of the bars)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from pgmtui.widgets.format import compact_money

BENEFIT, COST, CUMULATIVE = "█", "░", "•"


class CashFlow(Protocol):
    @property
    def labels(self) -> Sequence[str]: ...
    @property
    def costs(self) -> Sequence[float]: ...
    @property
    def benefits(self) -> Sequence[float]: ...
    @property
    def cumulative(self) -> Sequence[float]: ...
    @property
    def title(self) -> str: ...


def y_ticks(low: float, high: float, n: int = 5) -> tuple[list[float], list[str]]:
    """`n` evenly spaced ticks from `low` to `high` (zero included when it lies between), with
    short money labels (2.3m, 400k)."""
    if high <= low:
        high = low + 1
    step = (high - low) / (n - 1)
    ticks = [low + i * step for i in range(n)]
    if low < 0 < high:
        ticks = sorted({*ticks, 0.0})
    return ticks, [compact_money(t) if abs(t) >= 0.5 else "0" for t in ticks]


class _Chart(PlotextPlot):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: CashFlow | None = None

    def render(self) -> Text:
        plt = self.plt
        plt.clear_figure()
        data = self.data
        if data is None or not data.labels or self.size.width < 20 or self.size.height < 5:
            return Text("(no cash flow to draw)" if data is None else "(no room for the chart)", style="dim")
        xs = [float(k) for k in range(len(data.labels))]
        plt.bar(xs, list(data.benefits), marker=BENEFIT, color="green", width=0.5)
        plt.bar(xs, [-c for c in data.costs], marker=COST, color="red", width=0.5)
        plt.plot(xs, list(data.cumulative), marker=CUMULATIVE, color="blue")
        plt.hline(0)
        values = [*data.benefits, *(-c for c in data.costs), *data.cumulative, 0.0]
        ticks, labels = y_ticks(min(values), max(values))
        plt.yticks(ticks, labels)
        plt.xticks(xs, list(data.labels))
        plt.frame(False)
        result = super().render()
        assert isinstance(result, Text)
        return result


class CashFlowPlot(Vertical):
    """The chart and its legend; `show(series)` replaces what it draws (None: nothing)."""

    DEFAULT_CSS = """
    CashFlowPlot { height: 1fr; min-height: 6; }
    CashFlowPlot > _Chart { height: 1fr; }
    CashFlowPlot > .legend { height: 1; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield _Chart()
        yield Static(classes="legend")

    def show(self, data: CashFlow | None) -> None:
        chart = self.query_one(_Chart)
        if data == chart.data:
            return
        chart.data = data
        chart.refresh()
        legend = Text(no_wrap=True, overflow="ellipsis")
        if data is not None:
            for glyph, word, style in (
                (BENEFIT, "benefits", "green"),
                (COST, "costs", "red"),
                (CUMULATIVE, "cumulative net", "blue"),
            ):
                legend.append(glyph, style=style)
                legend.append(f" {word}  ")
            legend.append(data.title, style="dim")
        self.query_one(".legend", Static).update(legend)
