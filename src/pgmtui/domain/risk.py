"""Risk scoring: probability × impact, bands, residual fallback and trend.

Bands are a dataclass, not constants, because programmes set their own appetite; the defaults are
the usual 5×5 grid (Low 1–4, Medium 5–9, High 10–14, Critical 15–25).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pgmtui.domain.history import value_at

__all__ = [
    "BANDS",
    "BAND_GLYPHS",
    "BAND_LETTERS",
    "DEFAULT_BANDS",
    "RiskBands",
    "band_glyph",
    "band_letter",
    "band_table",
    "inherent_score",
    "residual_pi",
    "residual_score",
    "score",
    "score_trend",
    "trend_arrow",
]

BANDS = ("Low", "Medium", "High", "Critical")
BAND_LETTERS = {"Low": "L", "Medium": "M", "High": "H", "Critical": "C"}
# Shading density reads as severity without colour (NO_COLOR, monochrome terminals).
BAND_GLYPHS = {"Low": "░", "Medium": "▒", "High": "▓", "Critical": "█"}


@dataclass(frozen=True, slots=True)
class RiskBands:
    """Upper score of each band; Critical is everything above ``high_max``."""

    low_max: int = 4
    medium_max: int = 9
    high_max: int = 14

    def __post_init__(self) -> None:
        if not 1 <= self.low_max < self.medium_max < self.high_max < 25:
            raise ValueError(
                f"risk bands must rise within 1–25 (got {self.low_max}, {self.medium_max}, {self.high_max})"
            )

    @property
    def high_min(self) -> int:
        return self.medium_max + 1

    @property
    def critical_min(self) -> int:
        return self.high_max + 1

    def band(self, score: int | None) -> str | None:
        """Band name for a score; None when the score is unknown."""
        if score is None:
            return None
        table = band_table(self)
        return table[score] if 0 <= score <= 25 else ("Low" if score < 0 else "Critical")


DEFAULT_BANDS = RiskBands()


@lru_cache(maxsize=32)
def band_table(bands: RiskBands = DEFAULT_BANDS) -> tuple[str, ...]:
    """Band name for every score 0..25, as a tuple: banding thousands of risks costs one index each."""
    out = []
    for s in range(26):
        if s <= bands.low_max:
            out.append("Low")
        elif s <= bands.medium_max:
            out.append("Medium")
        elif s <= bands.high_max:
            out.append("High")
        else:
            out.append("Critical")
    return tuple(out)


def score(probability: int | None, impact: int | None) -> int | None:
    """P × I, or None when either is missing."""
    if probability is None or impact is None:
        return None
    return int(probability) * int(impact)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def inherent_score(risk: Any) -> int | None:
    """Before any response. ``risk`` is a Risk or a row mapping."""
    return score(_get(risk, "probability"), _get(risk, "impact"))


def residual_pi(risk: Any) -> tuple[int | None, int | None]:
    """Residual P and I, each falling back to its inherent value when not assessed yet.

    Per field, so a risk whose response only reduced probability still scores with its impact.
    """
    p = _get(risk, "residual_probability")
    i = _get(risk, "residual_impact")
    return (
        _get(risk, "probability") if p is None else p,
        _get(risk, "impact") if i is None else i,
    )


def residual_score(risk: Any) -> int | None:
    return score(*residual_pi(risk))


def band_letter(band: str | None) -> str:
    return BAND_LETTERS.get(band or "", "–")


def band_glyph(band: str | None) -> str:
    return BAND_GLYPHS.get(band or "", " ")


def trend_arrow(now: int | None, before: int | None) -> str:
    """↑ worse, ↓ better, → unchanged, '' when either score is unknown (e.g. a new risk)."""
    if now is None or before is None:
        return ""
    if now > before:
        return "↑"
    if now < before:
        return "↓"
    return "→"


_SCORE_FIELDS = ("id", "probability", "impact", "residual_probability", "residual_impact", "status")


def score_trend(
    current: Any, audit_rows_after_ts: Iterable[Mapping[str, Any]], *, residual: bool = True
) -> str:
    """Trend arrow of a risk's score now against its score at T (e.g. the last stand-up).

    ``current`` is a Risk or row mapping; ``audit_rows_after_ts`` are its audit rows newer than T.
    """
    now_row = {name: _get(current, name) for name in _SCORE_FIELDS}
    then_row = value_at(now_row, audit_rows_after_ts)
    fn = residual_score if residual else inherent_score
    return trend_arrow(fn(now_row), None if then_row is None else fn(then_row))
