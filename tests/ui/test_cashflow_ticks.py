"""The cash-flow chart's y-axis ticks: evenly spaced, zero labelled only where it does not crowd a
neighbour (two labels on one row of a short chart made the governance snapshot flaky)."""

from __future__ import annotations

from pgmtui.widgets.cashflow_plot import y_ticks


def test_zero_replaces_the_interior_tick_nearest_to_it() -> None:
    # -4m … 4m in 4 steps of 2m: the middle tick is already 0.
    assert y_ticks(-4e6, 4e6, 5) == ([-4e6, -2e6, 0.0, 2e6, 4e6], ["-4.00m", "-2.00m", "0", "2.00m", "4.00m"])
    # -3m … 5m in steps of 2m: -1m is 1m from zero (half a step): it stays; 1m likewise.
    ticks, _ = y_ticks(-3e6, 5e6, 5)
    assert ticks == [-3e6, -1e6, 1e6, 3e6, 5e6]
    # -3.5m … 4.5m: 0.5m is a quarter step from zero, so it becomes 0.
    ticks, labels = y_ticks(-3.5e6, 4.5e6, 5)
    assert ticks == [-3.5e6, -1.5e6, 0.0, 2.5e6, 4.5e6] and labels[2] == "0"


def test_a_top_near_zero_keeps_its_own_value_and_no_second_label() -> None:
    # The demo programme's case: -11.99m … 0.731m; the step is 3.18m, the nearest interior tick
    # (-2.45m) is further than half a step from zero, so no 0 is squeezed under 731k.
    ticks, labels = y_ticks(-11.99e6, 0.731e6, 5)
    assert len(ticks) == 5 and labels == ["-11.99m", "-8.81m", "-5.63m", "-2.45m", "731k"]


def test_few_rows_give_few_ticks_and_an_empty_range_still_has_two() -> None:
    assert y_ticks(0, 10, 2) == ([0.0, 10.0], ["0", "10"])
    assert y_ticks(5, 5, 1)[0] == [5.0, 6.0]
