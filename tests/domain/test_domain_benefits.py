from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.benefits import benefit_status, progress_pct, trend_line
from pgmtui.domain.models import Benefit, Measurement

D0 = pendulum.Date(2026, 1, 1)


def day(n: int) -> pendulum.Date:
    return D0.add(days=n)


def benefit(base=0.0, target=100.0, target_day: int | None = 100, kind="non-cash", base_day: int | None = 0):
    return Benefit(
        id=1,
        name="b",
        kind=kind,
        baseline_value=base,
        baseline_date=day(base_day) if base_day is not None else None,
        target_value=target,
        target_date=day(target_day) if target_day is not None else None,
    )


def meas(*points: tuple[int, float]) -> list[Measurement]:
    return [Measurement(id=k, benefit_id=1, date=day(d), value=v) for k, (d, v) in enumerate(points, 1)]


def test_progress_pct_is_direction_agnostic():
    assert progress_pct(40, 0, 100) == pytest.approx(40.0)  # increase 0 → 100
    assert progress_pct(80, 100, 60) == pytest.approx(50.0)  # decrease 100 → 60, at 80
    assert progress_pct(5, 5, 5) is None  # target == baseline: undefined, no division by zero
    assert progress_pct(None, 0, 1) is None


def test_trend_line():
    slope, mx, my = trend_line([(0, 1.0), (10, 2.0), (20, 3.0)])
    assert slope == pytest.approx(0.1) and mx == pytest.approx(10) and my == pytest.approx(2.0)
    # Large ordinals lose no precision.
    o = D0.toordinal()
    slope, mx, my = trend_line([(o, 0.0), (o + 92, 20_000.0)])
    assert slope == pytest.approx(20_000 / 92) and my + slope * (o + 460 - mx) == pytest.approx(100_000)
    assert trend_line([(1, 2.0)]) is None and trend_line([(1, 2.0), (1, 3.0)]) is None


def test_increasing_benefit_on_track():
    # 0 → 100 by day 100. Measured 20 (day 10), 30 (day 20), 40 (day 30): slope 1/day, line 10 + d,
    # projected at day 100 = 110 → 110 % → On track. Latest 40 → 40 %.
    st = benefit_status(benefit(), meas((30, 40.0), (10, 20.0), (20, 30.0)))
    assert st.latest == 40.0 and st.latest_date == day(30)
    assert st.realisation_pct == pytest.approx(40.0)
    assert st.projected_value == pytest.approx(110.0) and st.projected_pct == pytest.approx(110.0)
    assert st.status == "On track"
    assert st.values == [20.0, 30.0, 40.0]  # oldest first, whatever the input order
    assert st.points[0] == (day(10), 20.0)


def test_decreasing_benefit():
    # Cost 100 → 60 by day 100. Measured 90 (day 10), 80 (day 30): slope −0.5/day;
    # projected at day 100: 80 − 35 = 45 → (45 − 100)/(60 − 100) = 137.5 % → On track.
    # Latest 80 → (80 − 100)/(60 − 100) = 50 %.
    st = benefit_status(benefit(base=100.0, target=60.0), meas((10, 90.0), (30, 80.0)))
    assert st.realisation_pct == pytest.approx(50.0)
    assert st.projected_value == pytest.approx(45.0) and st.projected_pct == pytest.approx(137.5)
    assert st.status == "On track"


def test_single_measurement_uses_the_baseline_as_a_trend_point():
    # Baseline (day 0, 0); one measurement (day 50, 40): slope 0.8 → day 100: 80 → 80 % → At risk.
    st = benefit_status(benefit(), meas((50, 40.0)))
    assert st.projected_value == pytest.approx(80.0) and st.status == "At risk"
    # Without a baseline date there is no trend: judged on the latest value (40 %) → Off track.
    st = benefit_status(benefit(base_day=None), meas((50, 40.0)))
    assert st.projected_value is None and st.status == "Off track"


@pytest.mark.parametrize(
    ("points", "status"),
    [
        # Realised: latest reaches the target, exactly 100 %.
        (((10, 50.0), (20, 100.0)), "Realised"),
        # Projection exactly 100 %: line through (50, 50) and (60, 60) → day 100 = 100.
        (((50, 50.0), (60, 60.0)), "On track"),
        # Projection exactly 80 %: (50, 40), (60, 48): slope 0.8 → day 100 = 80.
        (((50, 40.0), (60, 48.0)), "At risk"),
        # Just below: (50, 40), (60, 47.9): slope 0.79 → 79.5 %.
        (((50, 40.0), (60, 47.9)), "Off track"),
        ((), "No data"),
    ],
)
def test_status_boundaries(points, status):
    assert benefit_status(benefit(), meas(*points)).status == status


def test_dis_benefit_is_computed_the_same_but_flagged():
    st = benefit_status(benefit(target=500.0, kind="dis-benefit"), meas((50, 250.0)))
    assert st.is_dis_benefit and st.kind == "dis-benefit"
    assert st.realisation_pct == pytest.approx(50.0)
    assert not benefit_status(benefit(), []).is_dis_benefit


def test_target_equal_to_baseline_is_undefined_not_an_error():
    st = benefit_status(benefit(base=5.0, target=5.0), meas((10, 6.0), (20, 7.0)))
    assert st.realisation_pct is None and st.projected_pct is None and st.status == "No data"


def test_to_json_is_plain():
    js = benefit_status(benefit(), meas((10, 20.0))).to_json()
    assert js["points"] == [["2026-01-11", 20.0]] and js["target_date"] == "2026-04-11"
    assert "points" not in benefit_status(benefit(), []).to_json(points=False)


def test_on_its_target_date_a_benefit_is_still_judged_on_its_trend():
    # Baseline 0 → target 100 by day 100. Measured 50 on day 70 and 90 on day 90: 2 a day, so the
    # line reaches 110 on day 100 (projected 110 %), though the latest value is 90 (90 %).
    b, ms = benefit(), meas((70, 50.0), (90, 90.0))
    on_the_day = benefit_status(b, ms, today=day(100))
    assert on_the_day.projected_pct == pytest.approx(110.0)
    assert on_the_day.status == "On track"  # the target date is today: not missed yet
    assert benefit_status(b, ms, today=day(99)).status == "On track"
    # The day after, the date has passed with 90 % realised: Off track, whatever the trend said.
    assert benefit_status(b, ms, today=day(101)).status == "Off track"
    # Realised by the date stays Realised after it.
    assert benefit_status(b, meas((90, 100.0)), today=day(101)).status == "Realised"


def test_status_carries_unit_and_slope_and_skips_incomplete_measurements():
    b = Benefit(id=1, name="b", unit="h", baseline_value=0.0, baseline_date=day(0), target_value=100.0,
                target_date=day(100))  # fmt: skip
    ms = meas((10, 10.0), (20, 20.0)) + [Measurement(id=9, benefit_id=1, date=day(30), value=None),
                                         Measurement(id=10, benefit_id=1, date=None, value=99.0)]  # fmt: skip
    st = benefit_status(b, ms, today=day(25))
    # The two complete points rise 1 a day; the incomplete ones are left out.
    assert (st.unit, st.latest, st.latest_date, st.slope_per_day) == ("h", 20.0, day(20), pytest.approx(1.0))
    assert progress_pct(5, None, 10) is None and progress_pct(5, 0, None) is None
