from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.calendar import (
    add_working_days,
    is_working_day,
    previous_working_day,
    standup_window_start,
    working_days_between,
)

# 2026-11-23 is a Monday.
MON, TUE, WED, FRI, SAT, SUN = (
    "2026-11-23",
    "2026-11-24",
    "2026-11-25",
    "2026-11-27",
    "2026-11-28",
    "2026-11-29",
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (MON, "2026-11-20"),  # Monday → previous Friday
        (TUE, MON),
        (WED, TUE),
        (SAT, FRI),
        (SUN, FRI),
    ],
)
def test_previous_working_day(day, expected):
    assert previous_working_day(day) == pendulum.Date.fromisoformat(expected)


def test_standup_window_monday_starts_friday_midnight_utc():
    start = standup_window_start(MON)
    assert start == pendulum.datetime(2026, 11, 20, 0, 0, tz="UTC")
    assert start.utcoffset().total_seconds() == 0
    assert start.weekday() == 4


def test_standup_window_tuesday_starts_monday_midnight():
    assert standup_window_start(pendulum.Date(2026, 11, 24)) == pendulum.datetime(2026, 11, 23, tz="UTC")


def test_is_working_day():
    assert is_working_day(FRI) and not is_working_day(SAT) and not is_working_day(SUN)


def test_working_days_between():
    assert working_days_between(FRI, "2026-11-30") == 1  # Fri → Mon
    assert working_days_between(MON, FRI) == 4
    assert working_days_between(MON, "2026-11-30") == 5
    assert working_days_between(WED, WED) == 0
    assert working_days_between(SAT, SUN) == 0
    assert working_days_between(FRI, MON) == -4


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (FRI, 1, "2026-11-30"),  # Fri + 1 → Mon
        (WED, 2, FRI),
        (WED, 5, "2026-12-02"),  # a whole week
        (WED, 12, "2026-12-11"),
        (SAT, 1, "2026-11-30"),  # from a weekend, the next working day is the first
        (SUN, 5, "2026-12-04"),
        (MON, -1, "2026-11-20"),  # back over the weekend
        (SAT, -1, FRI),
        (WED, -7, "2026-11-16"),
        (WED, 0, WED),
    ],
)
def test_add_working_days(day, n, expected):
    assert add_working_days(day, n) == pendulum.Date.fromisoformat(expected)


def test_add_working_days_inverts_working_days_between():
    start = pendulum.Date(2026, 11, 2)
    for offset in range(14):
        day = start.add(days=offset)
        if not is_working_day(day):
            continue
        for n in range(-12, 13):
            assert working_days_between(day, add_working_days(day, n)) == n
