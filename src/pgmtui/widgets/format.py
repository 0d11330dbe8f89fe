"""Number and date formatting for screens (the domain's fmt_* give the long forms)."""

from __future__ import annotations

import math
from typing import Any

DASH = "–"


def _missing(value: float | None) -> bool:
    """No figure, or one that cannot be computed (NaN, ±inf from absurd inputs): shown as a dash."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def compact_money(value: float | None) -> str:
    """4 230 000 → 4.23m, 45 000 → 45k: fits a table column at 80 columns."""
    if value is None or _missing(value):
        return DASH
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e9:
        return f"{sign}{v / 1e9:.2f}bn"
    if v >= 1e6:
        return f"{sign}{v / 1e6:.2f}m"
    if v >= 1e4:
        return f"{sign}{v / 1e3:.0f}k"
    return f"{sign}{v:,.0f}"


def ratio(value: float | None) -> str:
    return DASH if _missing(value) else f"{value:.2f}"


def pct(value: float | None, digits: int = 0) -> str:
    return DASH if _missing(value) else f"{value:.{digits}f}%"


def days(value: int | None, signed: bool = True) -> str:
    if value is None:
        return DASH
    return f"{value:+d}d" if signed and value else f"{value}d"


def date(value: Any) -> str:
    if value is None or value == "":
        return DASH
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def number(value: float | None) -> str:
    """Short figures for benefit values and chart labels: 1,850, 6.9, 0.25, 12.5k, 1.2m."""
    if value is None:
        return DASH
    v = abs(value)
    sign = "-" if value < 0 else ""
    if v >= 1e6:
        return f"{sign}{v / 1e6:.1f}m"
    if v >= 1e4:
        return f"{sign}{v / 1e3:.1f}k"
    if v >= 100 or float(v).is_integer():
        return f"{sign}{v:,.0f}"
    return f"{sign}{v:.1f}" if v >= 10 else f"{sign}{v:.2f}".rstrip("0").rstrip(".")
