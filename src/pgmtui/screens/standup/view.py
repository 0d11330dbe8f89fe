"""Stand-up view: the window in words and the Standup (from the audit trail) turned into the
entries of the review list — section headings and one entry per line, in plain words. Free of
textual (unit-tested without an app)."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.text import Text

from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.standup import Line, Section, Standup

WINDOWS = ("day", "week", "visit")
WINDOW_NAMES = {"day": "since the last working day", "week": "last 7 days", "visit": "since my last visit"}
TONE_MARK = {"bad": ("✗ ", "bold red"), "good": ("✓ ", "green"), "": ("· ", "dim")}


def next_window(window: str) -> str:
    return WINDOWS[(WINDOWS.index(window) + 1) % len(WINDOWS)]


def window_start(window: str, today: pendulum.Date, last_visit: str | None) -> tuple[pendulum.DateTime, str]:
    """Where the window starts (UTC, like the audit stamps) and how the heading says it.

    `day` starts at 00:00 of the previous working day (Monday covers Friday); `week` 7 days before
    today's 00:00; `visit` at the last visit, or as `day` when no visit is remembered yet (or the
    remembered one is not a timestamp: the state file is the user's to edit)."""
    if window == "week":
        start = pendulum.datetime(today.year, today.month, today.day, tz="UTC").subtract(days=7)
        return start, f"in the last 7 days (since {start.format('ddd D MMM')})"
    if window == "visit" and last_visit:
        try:
            parsed = pendulum.parse(last_visit)
        except ValueError:
            parsed = None
        if isinstance(parsed, pendulum.DateTime):
            return parsed, f"since your last visit ({parsed.format('ddd D MMM HH:mm')} UTC)"
    start = standup_window_start(today)
    return start, f"since the last working day ({start.format('ddd D MMM')})"


def line_prompt(line: Line) -> Text:
    """`  ✗ DAT Amber → Red*: …  — elena`: the tone as a glyph (never colour alone), the text as data."""
    mark, style = TONE_MARK.get(line.tone, TONE_MARK[""])
    t = Text("  ")
    t.append(mark, style=style)
    t.append(line.text)  # data, never markup
    if line.users:
        t.append(f"  — {', '.join(line.users)}", style="dim")
    return t


def heading(result: Standup) -> Text:
    n = result.change_count
    t = Text()
    t.append(f"{n} change{'s' if n != 1 else ''}", style="bold")
    t.append(f" from {result.n_audit_rows} audit entries · w: change the window", style="dim")
    return t


@dataclass(frozen=True)
class Entry:
    """One entry of the review list: a heading (line None: not selectable) or a line.

    `key` names what the entry is about, so the cursor can stay on it across refreshes."""

    key: str
    text: Text
    line: Line | None = None

    @property
    def is_heading(self) -> bool:
        return self.line is None

    @property
    def plain(self) -> str:
        return self.text.plain


def _heading(title: str, count: int | None = None) -> Entry:
    """A part heading (reversed) or a section heading with its count."""
    t = Text(title, style="bold reverse" if count is None else "bold")
    if count is not None:
        t.append(f"  ({count})", style="dim")
    return Entry("h", t)


def _line(line: Line) -> Entry:
    return Entry(f"{line.kind}:{line.record_id}:{line.text}", line_prompt(line), line)


def _part(title: str, sections: list[Section], nothing: Line) -> list[Entry]:
    out = [_heading(title)]
    if not any(s.lines for s in sections):
        out.append(_line(nothing))
    for s in sections:
        if s.lines:
            out.append(_heading(s.title, len(s.lines)))
            out.extend(_line(line) for line in s.lines)
    return out


def entries(result: Standup) -> list[Entry]:
    """What changed in the window, section by section, then what needs attention today."""
    return [
        *_part(f"What changed {result.window}", result.changes, Line("Nothing changed in this window.")),
        *_part(
            "Needs attention today", result.attention, Line("Nothing needs attention today.", tone="good")
        ),
    ]
