"""Trends in a line of text: a RAG history strip (one glyph per week) and sparklines with gaps.
Free of textual (rich Text only), so views unit-test them."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text

from pgmtui.widgets.badges import RAG_GLYPH
from pgmtui.widgets.sparkline import BARS

# Foreground colours (a strip of background blocks would read as one bar); the glyph's shape
# carries the RAG without colour (● R, ▲ A, ■ G).
STRIP_STYLE = {"R": "bold red", "A": "bold yellow", "G": "green"}
MISSING = "·"  # the project (or programme) was not there that week


def rag_strip(rags: Sequence[str | None], *, spaced: bool = False) -> Text:
    """One glyph per week, oldest first: ● red, ▲ amber, ■ green, · not there yet."""
    t = Text(no_wrap=True)
    for i, rag in enumerate(rags):
        if spaced and i:
            t.append(" ")
        if rag in RAG_GLYPH:
            t.append(RAG_GLYPH[rag], style=STRIP_STYLE[rag])
        else:
            t.append(MISSING, style="dim")
    return t


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def spark(values: Sequence[float | None], *, include: Sequence[float] = ()) -> str:
    """A bar per value (▁…█), a space where there is none. Scaled between the lowest and highest
    value and any of `include` (e.g. 1.0 for CPI/SPI, so the bars say how far from on-budget)."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if not known:
        return " " * len(values)
    low = min([*known, *include])
    high = max([*known, *include])
    top = len(BARS) - 1
    out = []
    for v in values:
        if v is None or not math.isfinite(v):
            out.append(" ")
        elif high - low <= 0:
            out.append(BARS[3])
        else:
            out.append(BARS[round((v - low) / (high - low) * top)])
    return "".join(out)
