"""Working-day arithmetic for the stand-up window and schedule what-ifs.

Working days are Monday to Friday; there is no holiday calendar (a programme that needs one can
add it here without touching callers). Arithmetic is done on date ordinals: ordinal 1 (0001-01-01)
is a Monday, so an ordinal's weekday is ``(o - 1) % 7`` and counting needs no loop.
"""

from __future__ import annotations

from typing import Any

import pendulum

from pgmtui.domain.models import as_date

__all__ = [
    "add_working_days",
    "is_working_day",
    "previous_working_day",
    "standup_window_start",
    "working_days_between",
]


def _need_date(value: Any) -> pendulum.Date:
    d = as_date(value)
    if d is None:
        raise ValueError("a date is required")
    return d


def _working_days_upto(o: int) -> int:
    """How many working days there are in ordinals 1..o."""
    return 5 * (o // 7) + min(o % 7, 5)


def _weekday(o: int) -> int:
    return (o - 1) % 7  # Monday = 0, as date.weekday()


def is_working_day(day: Any) -> bool:
    return _need_date(day).weekday() < 5


def previous_working_day(day: Any) -> pendulum.Date:
    """The working day before ``day``: Mon → Fri, Sat/Sun → Fri, otherwise the day before."""
    d = _need_date(day)
    back = {0: 3, 6: 2}.get(d.weekday(), 1)
    return pendulum.Date.fromordinal(d.toordinal() - back)


def standup_window_start(today: Any) -> pendulum.DateTime:
    """00:00 UTC of the previous working day: the start of "what changed since the last stand-up".

    UTC because the store stamps audit rows in UTC; comparing like with like means a change made
    at 23:30 local time on Friday is not lost or double-counted on Monday.
    """
    p = previous_working_day(today)
    return pendulum.datetime(p.year, p.month, p.day, tz="UTC")


def working_days_between(start: Any, end: Any) -> int:
    """Working days in (start, end]: Fri → Mon is 1, a date to itself 0; negative when end < start."""
    return _working_days_upto(_need_date(end).toordinal()) - _working_days_upto(_need_date(start).toordinal())


def add_working_days(day: Any, n: int) -> pendulum.Date:
    """The n-th working day after ``day`` (before, for negative n); n == 0 returns ``day``.

    From a weekend, counting starts at the adjacent working day (Sat + 1 → Mon, Sat − 1 → Fri).
    """
    o = _need_date(day).toordinal()
    if n == 0:
        return pendulum.Date.fromordinal(o)
    step = 1 if n > 0 else -1
    # Normalise a weekend start so whole-week jumps land on the right weekday.
    wd = _weekday(o)
    if wd >= 5:
        o = o - (wd - 4) if step > 0 else o + (7 - wd)
    weeks, rem = divmod(abs(n), 5)
    o += step * 7 * weeks
    while rem:
        o += step
        if _weekday(o) < 5:
            rem -= 1
    return pendulum.Date.fromordinal(o)
