from __future__ import annotations

import json

import pytest

from pgmtui.domain.models import Risk
from pgmtui.domain.risk import (
    DEFAULT_BANDS,
    RiskBands,
    band_glyph,
    band_letter,
    band_table,
    inherent_score,
    residual_pi,
    residual_score,
    score,
    score_trend,
    trend_arrow,
)


@pytest.mark.parametrize(
    ("s", "band"),
    [
        (1, "Low"),
        (4, "Low"),
        (5, "Medium"),
        (9, "Medium"),
        (10, "High"),
        (14, "High"),
        (15, "Critical"),
        (25, "Critical"),
    ],
)
def test_band_boundaries(s, band):
    assert DEFAULT_BANDS.band(s) == band


def test_score_is_p_times_i():
    assert score(2, 2) == 4 and score(5, 3) == 15
    assert score(None, 3) is None and score(3, None) is None
    assert DEFAULT_BANDS.band(None) is None


def test_custom_bands():
    bands = RiskBands(low_max=3, medium_max=7, high_max=12)
    assert [bands.band(s) for s in (3, 4, 7, 8, 12, 13)] == [
        "Low",
        "Medium",
        "Medium",
        "High",
        "High",
        "Critical",
    ]
    assert (bands.high_min, bands.critical_min) == (8, 13)
    assert band_table(bands)[13] == "Critical"
    with pytest.raises(ValueError):
        RiskBands(low_max=9, medium_max=5)


def test_residual_falls_back_per_field():
    # Residual P given, residual I not: I falls back to inherent 4 → 2 × 4 = 8.
    r = Risk(id=1, probability=4, impact=4, residual_probability=2)
    assert inherent_score(r) == 16
    assert residual_pi(r) == (2, 4) and residual_score(r) == 8
    # Nothing residual: the inherent score.
    assert residual_score(Risk(id=2, probability=3, impact=5)) == 15
    # Both residual.
    assert residual_score(Risk(id=3, probability=5, impact=5, residual_probability=1, residual_impact=2)) == 2
    # Works on a row mapping too.
    assert residual_score({"probability": 3, "impact": 3, "residual_impact": 1}) == 3


def test_band_letters_and_glyphs_for_no_colour():
    assert [band_letter(b) for b in ("Low", "Medium", "High", "Critical")] == ["L", "M", "H", "C"]
    assert band_letter(None) == "–"
    glyphs = [band_glyph(b) for b in ("Low", "Medium", "High", "Critical")]
    assert len(set(glyphs)) == 4


def test_trend_arrow():
    assert trend_arrow(12, 8) == "↑"
    assert trend_arrow(8, 12) == "↓"
    assert trend_arrow(9, 9) == "→"
    assert trend_arrow(9, None) == "" and trend_arrow(None, 9) == ""


def _audit(ts, action, changes, row_id=1):
    return {
        "ts": ts,
        "user": "u",
        "tbl": "risk",
        "row_id": row_id,
        "action": action,
        "changes": json.dumps(changes),
    }


def test_score_trend_from_audit_history():
    now = Risk(id=1, probability=4, impact=4, residual_probability=3, residual_impact=4)  # residual 12
    # Since the stand-up the residual probability went 2 → 3: it was 2 × 4 = 8, now 12 → ↑.
    audit = [_audit("2026-11-24T10:00:00Z", "update", {"residual_probability": [2, 3]})]
    assert score_trend(now, audit) == "↑"
    assert score_trend(now, audit, residual=False) == "→"  # inherent 16 unchanged
    assert score_trend(now, []) == "→"
    # Raised since the stand-up: no earlier score, no arrow.
    assert score_trend(now, [_audit("2026-11-24T09:00:00Z", "insert", {"probability": [None, 4]})]) == ""


@pytest.mark.parametrize(
    ("low", "medium", "high"),
    [(0, 5, 10), (5, 5, 10), (4, 9, 9), (4, 9, 25), (4, 3, 10), (4, 9, 8)],
)
def test_bands_that_do_not_rise_within_the_grid_are_refused(low: int, medium: int, high: int):
    with pytest.raises(ValueError, match=f"got {low}, {medium}, {high}"):
        RiskBands(low_max=low, medium_max=medium, high_max=high)


def test_the_tightest_and_widest_bands_are_allowed():
    tight = RiskBands(low_max=1, medium_max=2, high_max=3)
    assert [tight.band(s) for s in (1, 2, 3, 4)] == ["Low", "Medium", "High", "Critical"]
    wide = RiskBands(low_max=22, medium_max=23, high_max=24)
    assert [wide.band(s) for s in (22, 23, 24, 25)] == ["Low", "Medium", "High", "Critical"]
    # Off-grid scores are clamped to the end bands.
    assert (DEFAULT_BANDS.band(-3), DEFAULT_BANDS.band(0), DEFAULT_BANDS.band(30)) == (
        "Low",
        "Low",
        "Critical",
    )


def test_each_band_has_its_own_glyph_and_unknown_is_blank():
    assert [band_glyph(b) for b in ("Low", "Medium", "High", "Critical")] == ["░", "▒", "▓", "█"]
    assert band_glyph(None) == " " and band_glyph("Severe") == " " and band_letter("Severe") == "–"
