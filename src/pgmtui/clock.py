"""The one clock. `PGMTUI_TODAY=YYYY-MM-DD` (or `--today`) fixes "today" for demos, reports and tests."""

from __future__ import annotations

import os

import pendulum

ENV_TODAY = "PGMTUI_TODAY"
# The dates pgmtui works with (the same range as record dates, store/fields.py): a "today" of
# year 1 or 9999 would overflow every date sum the rollups and the stand-up make.
EARLIEST = pendulum.Date(1990, 1, 1)
LATEST = pendulum.Date(2100, 12, 31)


class ClockError(ValueError):
    pass


def today() -> pendulum.Date:
    """Today's date, from PGMTUI_TODAY when set, else the local calendar date."""
    fixed = os.environ.get(ENV_TODAY, "").strip()
    if fixed:
        try:
            parsed = pendulum.parse(fixed, exact=True)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            raise ClockError(f"{ENV_TODAY} must be a date YYYY-MM-DD, got {fixed!r}") from None
        if not isinstance(parsed, pendulum.Date) or isinstance(parsed, pendulum.DateTime):
            raise ClockError(f"{ENV_TODAY} must be a date YYYY-MM-DD, got {fixed!r}")
        if not EARLIEST <= parsed <= LATEST:
            raise ClockError(
                f"today ({ENV_TODAY} or --today) {parsed.isoformat()} is outside "
                f"{EARLIEST.year}–{LATEST.year}"
            )
        return parsed
    return pendulum.today().date()


def now() -> pendulum.DateTime:
    """The current instant in UTC, on the clock's date.

    With a fixed PGMTUI_TODAY the wall-clock time of day is kept but the date is today's, so
    records written during a demo or a test land "today" in the audit trail and the stand-up.
    """
    real = pendulum.now("UTC")
    if not os.environ.get(ENV_TODAY, "").strip():
        return real
    d = today()
    return real.set(year=d.year, month=d.month, day=d.day)


def timestamp(moment: pendulum.DateTime | None = None) -> str:
    """Audit/row timestamp format: ISO 8601 UTC with microseconds, sortable as text."""
    moment = (moment or now()).in_timezone("UTC")
    # strftime, not pendulum's format(): a tenth of the cost, and every write stamps a row.
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
