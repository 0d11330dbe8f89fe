"""Extra hand-checked rules for benefits: decreasing-measure boundaries, dis-benefits, the
programme cash figures, the text sparkline and the chart (all pure, no UI)."""

from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.benefits import benefit_status, progress_pct, trend_line
from pgmtui.domain.models import Benefit, Measurement
from pgmtui.widgets.benefit_plot import PlotData, number, render_chart
from pgmtui.widgets.sparkline import sparkline

D0 = pendulum.Date(2026, 1, 1)


def day(n: int) -> pendulum.Date:
    return D0.add(days=n)


def benefit(base: float, target: float, kind: str = "non-cash") -> Benefit:
    return Benefit(
        id=1,
        name="b",
        kind=kind,
        baseline_value=base,
        baseline_date=day(0),
        target_value=target,
        target_date=day(100),
    )


def meas(*points: tuple[int, float]) -> list[Measurement]:
    return [Measurement(id=k, benefit_id=1, date=day(d), value=v) for k, (d, v) in enumerate(points, 1)]


def test_realisation_decreasing_overshoot_and_wrong_way():
    # Cost 200 → 150: at 140 it beat the target: (140 − 200)/(150 − 200) = 120 %.
    assert progress_pct(140, 200, 150) == pytest.approx(120.0)
    # Moving the wrong way is negative: 210 → (210 − 200)/(−50) = −20 %.
    assert progress_pct(210, 200, 150) == pytest.approx(-20.0)


@pytest.mark.parametrize(
    ("points", "status"),
    [
        # Decreasing 100 → 60 (change −40) by day 100.
        # Latest exactly 60 → 100 % → Realised.
        (((50, 80.0), (60, 60.0)), "Realised"),
        # (50, 80), (60, 76): slope −0.4 → day 100: 60 → 100 % → On track.
        (((50, 80.0), (60, 76.0)), "On track"),
        # (50, 80), (60, 76.8): slope −0.32 → day 100: 64 → (64 − 100)/−40 = 90 % → At risk.
        (((50, 80.0), (60, 76.8)), "At risk"),
        # (50, 84), (60, 80.8): slope −0.32 → day 100: 68 → 80 % exactly → At risk.
        (((50, 84.0), (60, 80.8)), "At risk"),
        # (50, 84), (60, 80.9): slope −0.31 → day 100: 68.5 → 78.75 % → Off track.
        (((50, 84.0), (60, 80.9)), "Off track"),
    ],
)
def test_status_boundaries_for_a_decreasing_measure(points, status):
    assert benefit_status(benefit(100.0, 60.0), meas(*points)).status == status


def test_just_below_realised_is_judged_on_the_trend():
    # 0 → 100; latest 99.9 (99.9 %) is not Realised; the trend (50, 49.95) → (60, 99.9) is steep,
    # day 100 ≈ 299.7 → On track.
    st = benefit_status(benefit(0.0, 100.0), meas((50, 49.95), (60, 99.9)))
    assert st.realisation_pct == pytest.approx(99.9) and st.status == "On track"


def test_dis_benefit_decreasing_is_tracked_the_same_way():
    # An accepted downside: headcount 50 → 45 (5 fewer posts) by day 100; at 47 (day 50) → 60 %.
    # Single measurement + baseline (0, 50): slope −0.06 → day 100: 44 → (44 − 50)/−5 = 120 %.
    st = benefit_status(benefit(50.0, 45.0, kind="dis-benefit"), meas((50, 47.0)))
    assert st.is_dis_benefit
    assert st.realisation_pct == pytest.approx(60.0)
    assert st.projected_value == pytest.approx(44.0) and st.projected_pct == pytest.approx(120.0)
    assert st.status == "On track"


def test_trend_projection_with_noise_hand_checked():
    # Points (0, 1), (1, 3), (2, 2): x̄ = 1, ȳ = 2; Σ(dx·dy) = (−1)(−1) + 0 + (1)(0) = 1; Σdx² = 2
    # → slope 0.5; at x = 10: 2 + 0.5 × 9 = 6.5.
    slope, mx, my = trend_line([(0, 1.0), (1, 3.0), (2, 2.0)])
    assert slope == pytest.approx(0.5) and my + slope * (10 - mx) == pytest.approx(6.5)


def test_programme_cash_figures_add_up_towards_the_target():
    from pgmtui.domain.models import Snapshot
    from pgmtui.domain.rollup import rollup

    rows = {
        "programme": [{"id": 1, "name": "P"}],
        "benefit": [
            {"id": 1, "name": "cut", "kind": "cash-releasing", "baseline_value": 100, "target_value": 60},
            {"id": 2, "name": "add", "kind": "cash-releasing", "baseline_value": 0, "target_value": 100},
            {"id": 3, "name": "soft", "kind": "non-cash", "baseline_value": 0, "target_value": 10},
        ],
        "measurement": [
            {"id": 1, "benefit_id": 1, "date": "2026-02-01", "value": 80},
            {"id": 2, "benefit_id": 2, "date": "2026-02-01", "value": 30},
            {"id": 3, "benefit_id": 3, "date": "2026-02-01", "value": 5},
        ],
    }
    snap = Snapshot.from_rows(rows["programme"][0], rows, {})
    r = rollup(snap, pendulum.Date(2026, 11, 25))
    # planned |60 − 100| + |100 − 0| = 140; realised (80 − 100)(−1) + 30 = 50; non-cash not counted.
    assert r.cash_planned == pytest.approx(140.0) and r.cash_realised == pytest.approx(50.0)


def test_sparkline_scales_between_bounds():
    assert sparkline([]) == ""
    assert sparkline([5, 5, 5]) == "▄▄▄"  # flat: mid-height, not empty
    assert sparkline([0, 7]) == "▁█"
    # Between baseline 60 and target 100: 90 → 0.75·7 = 5.25 → ▆; 80 → 3.5 → ▅ (round half even); 60 → ▁.
    assert sparkline([90, 80, 60], lo=60, hi=100) == "▆▅▁"
    assert sparkline(list(range(20)), width=4) == "▁▃▆█"  # only the last four: 16..19


def test_number_format():
    assert [number(v) for v in (1850, 6.9, 12_500, 1_200_000, -3, 0.25, None)] == [
        "1,850",
        "6.9",
        "12.5k",
        "1.2m",
        "-3",
        "0.25",
        "–",
    ]


def test_chart_is_deterministic_and_marks_every_series():
    data = PlotData(
        baseline_value=0.0,
        target_value=100.0,
        baseline_date=day(0),
        target_date=day(100),
        points=((day(20), 10.0), (day(40), 30.0)),
        slope_per_day=1.0,
        projected_value=90.0,
        today=day(50),
    )
    a = render_chart(data, 60, 12)
    assert a.plain == render_chart(data, 60, 12).plain
    lines = a.plain.splitlines()
    assert len(lines) == 12 and all(len(line) <= 60 for line in lines)
    assert "100 T ┤" in lines[0] and lines[9].lstrip().startswith(
        "0 B ┤"
    )  # target on top, baseline at the bottom
    body = "\n".join(lines[:10])
    assert body.count("●") == 2 and "◎" in body and "·" in body and "╌" in body and "│" in body
    assert lines[10].strip().startswith("2026-01-01") and lines[10].strip().endswith("2026-04-11")
    assert lines[11].startswith("● actual  · plan  ╌ trend  ◎ target  │ today")
    assert "trend → 90 by 2026-04-11" in render_chart(data, 80, 12).plain.splitlines()[11]
    # Too small to draw: says so rather than garbling.
    assert "no room" in render_chart(data, 10, 3).plain


def test_a_benefit_past_its_target_date_is_judged_on_what_was_achieved() -> None:
    # Baseline 0 → target 100 by day 100 (see `benefit`). Measurements rise steeply, so the trend
    # line reaches the target on day 100 and the benefit is On track while the date is ahead…
    b = benefit(0.0, 100.0)
    points = meas((60, 50.0), (80, 90.0))  # slope 2/day → 130 projected on day 100
    assert benefit_status(b, points, today=b.target_date.subtract(days=1)).status == "On track"
    # …but the day after the target date, 90 % achieved is a missed target, not a forecast.
    late = benefit_status(b, points, today=b.target_date.add(days=1))
    assert late.status == "Off track"
    assert late.realisation_pct == pytest.approx(90.0)
    # Realised stays Realised after the date.
    assert benefit_status(b, meas((90, 100.0)), today=b.target_date.add(days=30)).status == "Realised"
