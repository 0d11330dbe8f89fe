"""A text sparkline (▁▂▃▄▅▆▇█) that fits in a table cell, where a Sparkline widget cannot go."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(
    values: Sequence[float],
    width: int = 8,
    *,
    lo: float | None = None,
    hi: float | None = None,
) -> str:
    """The last `width` values as bars, scaled between `lo` and `hi` (default: their min and max).

    Passing the benefit's baseline and target as extra bounds (via `lo`/`hi`) makes the bars show how
    far the history has come towards the target, not only its wiggles. A flat history is a row of
    mid-height bars; an empty one is an empty string. Values outside `lo`..`hi` are clamped.
    """
    if width <= 0 or not values:
        return ""
    shown = list(values)[-width:]
    low = min(shown) if lo is None else min(lo, min(shown))
    high = max(shown) if hi is None else max(hi, max(shown))
    if high - low <= 0:
        return BARS[3] * len(shown)
    top = len(BARS) - 1
    out = []
    for v in shown:
        frac = (min(max(v, low), high) - low) / (high - low)
        out.append(BARS[round(frac * top)])
    return "".join(out)
