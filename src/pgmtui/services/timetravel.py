"""Time travel: which instant `--as-of` or `T` means, and the quick picks the `T` dialog offers.
The database at that instant is `Store.as_of(instant.ts)` (store/asof.py). Free of textual.

A date means the end of that day; a date and time without a zone is local time (the machine's
zone, `TZ`); one with a zone (`Z`, `+01:00`) is taken as written. "Today", for every rule run on
the past state (EVM's planned value, what is overdue, the stand-up window), is the instant's own
local date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pendulum
import pendulum.tz

from pgmtui import clock
from pgmtui.domain.calendar import standup_window_start

__all__ = ["AsOf", "QuickPick", "TimeTravelError", "end_of_day", "parse_as_of", "quick_picks", "start_of_day"]

_FORMAT = re.compile(
    r"\d{4}-\d{2}-\d{2}"  # a date
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"  # and perhaps a time
    r"(?:Z|[+-]\d{2}:?\d{2})?)?"  # and perhaps a zone
)


class TimeTravelError(ValueError):
    """An instant that cannot be travelled to (one line, for `pgmtui: error:` or the dialog)."""


def _local() -> Any:
    return pendulum.tz.local_timezone()


@dataclass(frozen=True)
class AsOf:
    """An instant in the past to look at the programme from."""

    moment: pendulum.DateTime  # in UTC
    label: str  # as people read it: "Fri 20 Nov 2026 (end of day)", "Fri 20 Nov 2026 14:30"

    @property
    def ts(self) -> str:
        """The instant as an audit timestamp (the audit trail is rewound to it)."""
        return clock.timestamp(self.moment)

    @property
    def local(self) -> pendulum.DateTime:
        """The instant in local time."""
        return self.moment.in_timezone(_local())

    @property
    def short(self) -> str:
        """For the header: "20 Nov 2026" (a day's end), "20 Nov 2026 14:30" (any other instant)."""
        local = self.moment.in_timezone(_local())
        if (local.hour, local.minute, local.second) == (23, 59, 59):
            return str(local.format("D MMM YYYY"))
        return str(local.format("D MMM YYYY HH:mm"))

    @property
    def day(self) -> pendulum.Date:
        """ "Today" at that instant: its local date."""
        return self.moment.in_timezone(_local()).date()


def _day_label(day: pendulum.Date) -> str:
    return str(day.format("ddd D MMM YYYY"))


def end_of_day(day: pendulum.Date) -> AsOf:
    """The last instant of `day`, local time: what a date given to `--as-of` means."""
    local = pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, tz=_local()).add(microseconds=999_999)
    return AsOf(local.in_timezone("UTC"), f"{_day_label(day)} (end of day)")


def start_of_day(day: pendulum.Date) -> AsOf:
    """The first instant of `day`, local time (before anything was written that day)."""
    local = pendulum.datetime(day.year, day.month, day.day, tz=_local())
    return AsOf(local.in_timezone("UTC"), f"{_day_label(day)} (start of day)")


def parse_as_of(text: str, today: pendulum.Date, *, option: str = "--as-of") -> AsOf:
    """`YYYY-MM-DD` (the end of that day) or `YYYY-MM-DDTHH:MM[:SS]` (local time unless a zone is
    given); never after today, never before 1990. Raises TimeTravelError with a one-line reason."""
    raw = (text or "").strip()
    if not _FORMAT.fullmatch(raw):
        raise TimeTravelError(
            f"{option} needs a date YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM "
            f"(local time unless a zone such as Z or +01:00 is given), got {text!r}"
        )
    try:
        parsed = pendulum.parse(raw.replace(" ", "T"), exact=True, tz=None)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise TimeTravelError(f"{option}: {text!r} is not a real date or time") from None
    if isinstance(parsed, pendulum.DateTime):
        moment = parsed
        if parsed.tzinfo is None:  # local time: the wall clock's reading in the machine's zone
            p = parsed
            moment = pendulum.datetime(
                p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond, tz=_local()
            )
        day = moment.in_timezone(_local()).date()
        shown = moment.in_timezone(_local())
        result = AsOf(moment.in_timezone("UTC"), f"{_day_label(day)} {shown.format('HH:mm')}")
    elif isinstance(parsed, pendulum.Date):
        day = parsed
        result = end_of_day(parsed)
    else:  # a duration or a time alone: the pattern above lets neither through
        raise TimeTravelError(f"{option}: {text!r} is not a date")
    if not clock.EARLIEST <= day <= clock.LATEST:
        raise TimeTravelError(f"{option} {raw} is outside {clock.EARLIEST.year}–{clock.LATEST.year}")
    if day > today:
        raise TimeTravelError(
            f"{option} {raw} is after today ({today.isoformat()}): only the past is recorded"
        )
    return result


@dataclass(frozen=True)
class QuickPick:
    """One choice in the `T` dialog: what it is, and the instant it stands for."""

    title: str
    when: AsOf


def _last_friday(today: pendulum.Date) -> pendulum.Date:
    back = (today.weekday() - 4) % 7 or 7  # Friday is weekday 4; on a Friday, the one before
    return today.subtract(days=back)


def quick_picks(
    today: pendulum.Date,
    *,
    projects: Sequence[Mapping[str, Any]] = (),
    milestones: Sequence[Mapping[str, Any]] = (),
    gate_reviews: Sequence[Mapping[str, Any]] = (),
    limit_gates: int = 5,
) -> list[QuickPick]:
    """The `T` dialog's shortcuts: the last stand-up (the start of its window, as the stand-up
    compares), last Friday's end, a month ago, and each past gate review (newest first, at the
    start of its day: the plan the board was shown). A gate milestone passed (actual date) without
    a gate review record counts as a review on that date."""
    picks = [
        QuickPick("Last stand-up", _standup(today)),
        QuickPick("Last Friday", end_of_day(_last_friday(today))),
        QuickPick("A month ago", end_of_day(today.subtract(months=1))),
    ]
    codes = {p.get("id"): p.get("code") or "?" for p in projects}
    by_id = {m.get("id"): m for m in milestones}
    gates: dict[tuple[str, int], str] = {}  # (date, milestone id) → title
    for review in gate_reviews:
        day, mid = review.get("review_date"), review.get("milestone_id")
        milestone = by_id.get(mid)
        if day and str(day) <= today.isoformat() and milestone is not None:
            outcome = f", {review['outcome']}" if review.get("outcome") else ""
            gates[(str(day), int(mid or 0))] = (
                f"Gate review: {codes.get(milestone.get('project_id'), '?')} {milestone.get('name')}{outcome}"
            )
    for m in milestones:
        day = m.get("actual_date")
        if m.get("is_gate") and day and str(day) <= today.isoformat():
            key = (str(day), int(m.get("id") or 0))
            if not any(k[1] == key[1] for k in gates):
                gates[key] = f"Gate passed: {codes.get(m.get('project_id'), '?')} {m.get('name')}"
    for (day, _mid), title in sorted(gates.items(), reverse=True)[:limit_gates]:
        picks.append(QuickPick(title, start_of_day(pendulum.Date.fromisoformat(day))))
    return picks


def _standup(today: pendulum.Date) -> AsOf:
    start = standup_window_start(today)
    moment = pendulum.instance(start) if not isinstance(start, pendulum.DateTime) else start
    return AsOf(moment.in_timezone("UTC"), f"{_day_label(moment.date())} (the stand-up's window start)")
