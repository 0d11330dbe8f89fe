"""The trend on screen, without an app: the RAG strip (one glyph a week), sparklines with gaps,
the portfolio's RAG-by-week column and panel, and the project detail's trend lines."""

from __future__ import annotations

import pendulum

from pgmtui.domain.trend import Figures, Trend, TrendPoint
from pgmtui.screens.portfolio.view import COLUMNS, evidence_text, project_trend_text, rag_history
from pgmtui.widgets.cells import visible_columns
from pgmtui.widgets.trendline import rag_strip, spark

D = pendulum.Date


def test_rag_strip_reads_without_colour() -> None:
    strip = rag_strip(["G", "A", "R", None])
    assert strip.plain == "■▲●·"  # shape carries the RAG (NO_COLOR), colour repeats it
    assert [str(s.style) for s in strip.spans] == ["green", "bold yellow", "bold red", "dim"]
    assert rag_strip(["G", "R"], spaced=True).plain == "■ ●"


def test_spark_scales_and_leaves_gaps() -> None:
    # 0 … 10 over 8 bars (▁ … █, index 0–7): 5 is half-way, 0.5 × 7 = 3.5 → 4 → "▅".
    assert spark([0, 5, None, 10]) == "▁▅ █"
    # With 1.0 in view, CPI 0.9 → 0.93: (0.93 − 0.9)/(1.0 − 0.9) × 7 = 2.1 → 2 → "▃".
    assert spark([0.9, 0.93], include=(1.0,)) == "▁▃"
    assert spark([3, 3]) == "▄▄" and spark([None, None]) == "  " and spark([]) == ""


def _fig(rag: str | None, cpi: float = 1.0, exposure: int = 0) -> Figures:
    return Figures(rag, 0, cpi, 0.9, exposure, 0, None, "CLD")


TREND = Trend(
    [
        TrendPoint(D(2026, 11, 6), "a", _fig("G"), {}),  # CLD not there yet
        TrendPoint(D(2026, 11, 13), "b", _fig("A"), {7: _fig("A", 0.9, 40)}),
        TrendPoint(D(2026, 11, 20), "c", _fig("R"), {7: _fig("R", 0.93, 50)}),
        TrendPoint(D(2026, 11, 25), "d", _fig("R"), {7: _fig("G", 1.0, 30)}),
    ]
)


def test_rag_history_takes_the_past_weeks_and_now_from_the_live_rollup() -> None:
    assert rag_history(TREND, 7, "R", D(2026, 11, 25)) == [None, "A", "R", "R"]
    assert rag_history(None, 7, "A", D(2026, 11, 25)) == ["A"]  # no trend yet: this week only


def test_the_column_appears_from_120_columns() -> None:
    assert "weeks" not in [c.key for c in visible_columns(COLUMNS, 119)]
    assert "weeks" in [c.key for c in visible_columns(COLUMNS, 120)]


def test_project_trend_text() -> None:
    text = project_trend_text(TREND, 7).plain.splitlines()
    assert text[0] == "RAG           ·▲●■  4 weeks to Wed 25 Nov, oldest first"
    # CPI 0.9, 0.93, 1.0 (1.0 in view): ▁ ▃ █ (see test_spark). SPI stays at 0.9, the bottom of
    # 0.9 … 1.0: low bars say "behind schedule" even when flat.
    assert text[1] == "CPI            ▁▃█  0.90 → 1.00  better"
    assert text[2] == "SPI            ▁▁▁  0.90 → 0.90"
    # Exposure 40 → 50 → 30: (40−30)/20 × 7 = 3.5 → 4 ▅, 50 → █, 30 → ▁; lower is better.
    assert text[3] == "Risk exposure  ▅█▁  40 → 30  better"


def test_the_panel_shows_the_weeks() -> None:
    from pgmtui.domain.rag import RagResult

    class P:  # the parts of a ProjectRollup the panel reads
        code, name = "CLD", "Cloud"
        rag = RagResult(computed="R", override=None, reason=None, evidence=[])

    assert "4 weeks ·▲●●" in evidence_text(P(), [None, "A", "R", "R"]).plain  # type: ignore[arg-type]
    assert "weeks" not in evidence_text(P(), ["R"]).plain  # type: ignore[arg-type]
